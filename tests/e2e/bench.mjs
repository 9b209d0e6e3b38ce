// Launch time and memory of the ropa window against an empty Tauri 2 window, measured the same
// way in the same run. Run by `cargo xtask bench-app` under xvfb-run; by hand:
//   BENCH_ROPA_APP=target/release/ropa-app BENCH_EMPTY_APP=target/release/bench-empty-window \
//     TAURI_DRIVER=target/tools/bin/tauri-driver xvfb-run -a node tests/e2e/bench.mjs
//
// Each launch gets a fresh tauri-driver and fresh, empty config and data folders, so each app
// shows its first screen. The cache folder (XDG_CACHE_HOME) is one per app, kept across that
// app's launches as a person's ~/.cache is: WebKit renders through OpenGL, and Mesa keeps its
// compiled shaders there. Without a GPU (Xvfb, llvmpipe) compiling them is most of the first
// paint of a page with more than a line of text, so a fresh cache on every launch measures a
// first-ever start each time. BENCH_COLD_CACHE=1 gives every launch a fresh cache instead. The
// launch time runs from just before the WebDriver session is created (which starts the app)
// to the first frame in which the first screen's element is in the DOM with a layout box and
// not hidden (the part until the session exists, app started and WebKit's automation
// connected, is shown too). After
// BENCH_SETTLE_MS more, the memory of the app process and all its descendants (WebKit's web
// and network processes) is summed from /proc: VmRSS from status and Pss from smaps_rollup.
// The two apps alternate (ropa first on even runs, the empty window first on odd ones) after
// one unmeasured warm-up launch each. Prints figures only; never fails on them.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const env = process.env;
const driverBin = env.TAURI_DRIVER ?? resolve(root, 'target/tools/bin/tauri-driver');
const runs = Number(env.BENCH_RUNS ?? 5);
const settleMs = Number(env.BENCH_SETTLE_MS ?? 2000);
// Not the e2e tests' 4444/4445, so a test run elsewhere on the machine does not collide.
const port = Number(env.BENCH_DRIVER_PORT ?? 4644);
const nativePort = port + 1;

const apps = [
  {
    name: 'ropa',
    bin: resolve(root, env.BENCH_ROPA_APP ?? 'target/release/ropa-app'),
    // The start screen: the create form's first field (the e2e tests wait for it too).
    selector: '#new-name',
  },
  {
    name: 'empty',
    bin: resolve(root, env.BENCH_EMPTY_APP ?? 'target/release/bench-empty-window'),
    selector: '#empty',
  },
];

// BENCH_DETAIL=1 also prints where the page's own time went (navigation and resource timing).
const detail = env.BENCH_DETAIL === '1';
const coldCache = env.BENCH_COLD_CACHE === '1';
/** Each app's cache folder, kept across its launches unless BENCH_COLD_CACHE=1. */
const caches = new Map();
function cacheDir(app, work) {
  if (coldCache) return join(work, 'cache');
  if (!caches.has(app.name)) caches.set(app.name, mkdtempSync(join(tmpdir(), `ropa-bench-cache-${app.name}-`)));
  return caches.get(app.name);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- /proc ----------------------------------------------------------------------------------

/** Every process as pid -> { ppid, comm }. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      table.set(Number(entry), { ppid, comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

/** `pid` and all its descendants. */
function tree(table, pid) {
  const found = [pid];
  for (let i = 0; i < found.length; i += 1) {
    for (const [child, { ppid }] of table) if (ppid === found[i]) found.push(child);
  }
  return found;
}

function exe(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** The app's pid: the descendant of our tauri-driver that runs the app binary. */
function appPid(driverPid, bin) {
  const real = realpathSync(bin);
  return tree(processTable(), driverPid).find((pid) => exe(pid) === real) ?? null;
}

/** A `Name:   123 kB` field of a /proc file, in KiB (0 when missing). */
function kib(path, field) {
  try {
    const m = readFileSync(path, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS and PSS (KiB) of `pid` and its descendants, summed and per process name. */
function memory(pid) {
  const table = processTable();
  const total = { rss: 0, pss: 0 };
  const byName = {};
  for (const p of tree(table, pid)) {
    const rss = kib(`/proc/${p}/status`, 'VmRSS');
    const pss = kib(`/proc/${p}/smaps_rollup`, 'Pss');
    total.rss += rss;
    total.pss += pss;
    // The executable's name: comm is cut at 15 characters ("WebKitNetworkPr").
    const name = p === pid ? 'app' : (exe(p)?.split('/').pop() ?? table.get(p)?.comm ?? String(p));
    byName[name] = (byName[name] ?? 0) + rss;
  }
  return { ...total, byName };
}

// ---- one launch -----------------------------------------------------------------------------

async function driverReady(timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  throw new Error(`tauri-driver did not answer on port ${port}`);
}

/**
 * Runs in the page: resolves true once the element is in the DOM, has a layout box and is not
 * hidden, or false after `ms`. It looks once per frame, just before the frame is painted, so
 * it finds the first frame that shows the element without the page being polled from outside
 * (which would compete with the app's own start-up for the page's main thread).
 */
function shownWithin(selector, ms) {
  const shown = () => {
    const el = document.querySelector(selector);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  return new Promise((done) => {
    const until = performance.now() + ms;
    const tick = () => {
      if (shown()) done(true);
      else if (performance.now() > until) done(false);
      else requestAnimationFrame(tick);
    };
    // A hidden window may get no frames: then the timer still answers.
    setTimeout(() => done(shown()), ms + 50);
    tick();
  });
}

/** Runs in the page: its navigation milestones and resources, in ms from navigation start. */
function pageTimings() {
  const nav = performance.getEntriesByType('navigation')[0];
  const at = (x) => Math.round(x);
  const out = {
    now: at(performance.now()),
    origin: performance.timeOrigin,
    responseEnd: nav ? at(nav.responseEnd) : null,
    domInteractive: nav ? at(nav.domInteractive) : null,
    domContentLoaded: nav ? at(nav.domContentLoadedEventEnd) : null,
    resources: performance
      .getEntriesByType('resource')
      .map((r) => `${r.name.split('/').pop()} ${at(r.startTime)}-${at(r.responseEnd)}`),
    paint: performance.getEntriesByType('paint').map((p) => `${p.name} ${at(p.startTime)}`),
    marks: performance.getEntriesByType('mark').map((m) => `${m.name} ${at(m.startTime)}`),
  };
  return out;
}

async function launch(app) {
  const work = mkdtempSync(join(tmpdir(), 'ropa-bench-'));
  const childEnv = {
    ...env,
    ROPA_CONFIG_DIR: join(work, 'ropa-config'),
    XDG_CONFIG_HOME: join(work, 'config'),
    XDG_DATA_HOME: join(work, 'data'),
    XDG_CACHE_HOME: cacheDir(app, work),
    GSETTINGS_BACKEND: 'memory',
    LANG: env.LANG ?? 'C.UTF-8',
  };
  const driver = spawn(driverBin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let browser;
  let pids = [];
  try {
    await driverReady();
    const started = performance.now();
    const startedAt = Date.now();
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'error',
      capabilities: {
        browserName: 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: app.bin },
      },
    });
    const sessionMs = performance.now() - started;
    const deadline = started + 30000;
    while (!(await browser.execute(shownWithin, app.selector, 1000))) {
      if (performance.now() > deadline) throw new Error(`${app.name}: ${app.selector} never shown`);
    }
    const launchMs = performance.now() - started;
    const page = detail ? await browser.execute(pageTimings) : null;
    if (page) {
      // The page's milestones on the bench's clock: ms from just before the session was asked.
      page.navigationStart = Math.round(page.origin - startedAt);
      delete page.origin;
    }

    await sleep(settleMs);
    const pid = appPid(driver.pid, app.bin);
    if (pid === null) throw new Error(`${app.name}: no process runs ${app.bin}`);
    pids = tree(processTable(), pid);
    return { launchMs, sessionMs, page, ...memory(pid) };
  } finally {
    if (browser) await browser.deleteSession().catch(() => {});
    driver.kill('SIGTERM');
    // Wait for the app and its WebKit processes to end, so no launch overlaps the next one.
    const until = Date.now() + 5000;
    while (pids.some((p) => processTable().has(p)) && Date.now() < until) await sleep(50);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((r) => (driver.exitCode !== null ? r() : driver.once('exit', r)));
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- figures --------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mib = (k) => k / 1024;
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const fmt = (x, digits) => x.toFixed(digits).padStart(8);

console.log(
  `bench-app: ${runs} runs per app after 1 warm-up, settle ${settleMs} ms, ${coldCache ? 'fresh cache per launch' : 'cache kept per app'}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const app of apps) console.log(`  ${app.name.padEnd(5)} ${app.bin} (waits for ${app.selector})`);

const results = Object.fromEntries(apps.map((a) => [a.name, []]));
for (const app of apps) {
  const r = await launch(app);
  console.log(`  warm-up ${app.name.padEnd(5)} ${r.launchMs.toFixed(0)} ms`);
}
for (let i = 0; i < runs; i += 1) {
  const order = i % 2 === 0 ? apps : [...apps].reverse();
  for (const app of order) {
    const r = await launch(app);
    results[app.name].push(r);
    console.log(
      `  run ${i + 1} ${app.name.padEnd(5)} launch ${fmt(r.launchMs, 0)} ms (session ${fmt(r.sessionMs, 0)} ms)   RSS ${fmt(mib(r.rss), 1)} MiB   PSS ${fmt(mib(r.pss), 1)} MiB`,
    );
    if (r.page) console.log(`      page: ${JSON.stringify(r.page)}`);
  }
}

const figures = {};
console.log('\n                     median      min      max');
for (const app of apps) {
  const rs = results[app.name];
  figures[app.name] = {
    launch: stats(rs.map((r) => r.launchMs)),
    session: stats(rs.map((r) => r.sessionMs)),
    rss: stats(rs.map((r) => mib(r.rss))),
    pss: stats(rs.map((r) => mib(r.pss))),
  };
  const f = figures[app.name];
  const row = (label, s, digits) => console.log(`${label}${fmt(s.median, digits)} ${fmt(s.min, digits)} ${fmt(s.max, digits)}`);
  row(`${app.name.padEnd(5)} launch ms   `, f.launch, 0);
  row(`${app.name.padEnd(5)}  session ms `, f.session, 0);
  row(`${app.name.padEnd(5)} RSS MiB     `, f.rss, 1);
  row(`${app.name.padEnd(5)} PSS MiB     `, f.pss, 1);
  // Median RSS per process, to show where the memory is.
  const names = [...new Set(rs.flatMap((r) => Object.keys(r.byName)))];
  const parts = names.map((n) => `${n} ${mib(median(rs.map((r) => r.byName[n] ?? 0))).toFixed(1)}`);
  console.log(`      RSS by process (median MiB): ${parts.join(', ')}`);
}

const ratio = (key) => figures.ropa[key].median / figures.empty[key].median;
console.log('\nropa / empty window (medians; goal: within 1.2x):');
console.log(`  launch time      ${ratio('launch').toFixed(2)}x`);
console.log(`  memory, RSS sum  ${ratio('rss').toFixed(2)}x`);
console.log(`  memory, PSS sum  ${ratio('pss').toFixed(2)}x`);
for (const dir of caches.values()) rmSync(dir, { recursive: true, force: true });
