// End-to-end tests of the real ropa app window: tauri-driver drives WebKitWebDriver, which
// starts the app binary built with the `e2e` feature (native file dialogs answered from a
// file instead of shown). Run by `cargo xtask test` under xvfb-run; by hand:
//   ROPA_APP=target/debug/ropa-app TAURI_DRIVER=target/tools/bin/tauri-driver \
//     xvfb-run -a node tests/e2e/run.mjs
// Prints `N passed, N failed` and exits non-zero when a test fails.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { scenarios } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const app = resolve(root, process.env.ROPA_APP ?? 'target/debug/ropa-app');
const driverBin = process.env.TAURI_DRIVER ?? resolve(root, 'target/tools/bin/tauri-driver');
const screenshots = resolve(root, process.env.ROPA_SCREENSHOTS ?? 'docs/screenshots');
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** How often the e2e build looks at the open register's deadlines (a minute in the real app). */
const NOTIFY_SECONDS = 2;

/** One app session with its own config folder and dialog answers. */
async function withApp(fn) {
  const work = mkdtempSync(join(tmpdir(), 'ropa-e2e-'));
  const dialog = join(work, 'dialog-answers.txt');
  const opened = join(work, 'opened.txt');
  const notified = join(work, 'notified.jsonl');
  writeFileSync(dialog, '');
  const env = {
    ...process.env,
    ROPA_CONFIG_DIR: join(work, 'config'),
    ROPA_E2E_DIALOG: dialog,
    ROPA_E2E_OPENED: opened,
    ROPA_E2E_NOTIFIED: notified,
    ROPA_E2E_NOTIFY_SECONDS: String(NOTIFY_SECONDS),
    GSETTINGS_BACKEND: 'memory',
    LANG: process.env.LANG ?? 'C.UTF-8',
  };
  // The native WebDriver on the next port, so that two runs with their own TAURI_DRIVER_PORT
  // do not meet on tauri-driver's default 4445.
  const driver = spawn(driverBin, ['--port', String(port), '--native-port', String(port + 1)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let browser;
  try {
    await sleep(1000);
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'error',
      capabilities: {
        browserName: 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: app },
      },
    });
    const ctx = {
      browser,
      work,
      /** Queue the path the next native file dialog will "choose". */
      answerDialog: (path) => writeFileSync(dialog, `${path}\n`, { flag: 'a' }),
      /** The files the app asked the desktop to open (it starts no viewer in the e2e build). */
      openedFiles: () => (existsSync(opened) ? readFileSync(opened, 'utf8').split('\n').filter(Boolean) : []),
      /** The desktop notifications the app sent, as `{ title, body }` (recorded, not shown). */
      notifications: () =>
        existsSync(notified)
          ? readFileSync(notified, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
          : [],
      notifyInterval: NOTIFY_SECONDS * 1000,
      sleep,
      /** Save a screenshot (after a short wait: WebKit can hand back a frame behind). */
      screenshot: async (name) => {
        await sleep(600);
        mkdirSync(screenshots, { recursive: true });
        await browser.saveScreenshot(join(screenshots, `${name}.png`));
      },
    };
    try {
      await fn(ctx);
    } catch (error) {
      // What the window showed when it failed, for the log reader (not a committed screenshot).
      const shot = join(tmpdir(), `ropa-e2e-failure-${Date.now()}.png`);
      await browser.saveScreenshot(shot).then(
        () => console.log(`     the window at the failure: ${shot}`),
        () => {},
      );
      throw error;
    }
  } finally {
    if (browser) await browser.deleteSession().catch(() => {});
    driver.kill('SIGTERM');
    await sleep(300);
    rmSync(work, { recursive: true, force: true });
  }
}

let passed = 0;
let failed = 0;
for (const [name, scenario] of Object.entries(scenarios)) {
  const started = Date.now();
  try {
    await withApp(scenario);
    passed += 1;
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
