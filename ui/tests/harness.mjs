// A small test harness on playwright-core: builds the UI (an e2e build with the IPC mock, and a
// production build that must not contain it), serves the e2e build over http with the app's
// strict CSP, and runs each test in a fresh page with a fresh fake backend.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, readdirSync, mkdirSync, existsSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { FakeBackend } from "./fake-backend.mjs";

const UI = fileURLToPath(new URL("..", import.meta.url));
const E2E_DIST = join(UI, "tests/.dist-e2e");
const PROD_DIST = join(UI, "tests/.dist-prod");
export const SCREENSHOTS = join(UI, "tests/screenshots");

// The CSP of tauri.conf.json (connect-src aside: the mock needs no network).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'";

const tests = [];
export function test(name, fn, opts = {}) {
  tests.push({ name, fn, opts });
}

function build(args) {
  const r = spawnSync(join(UI, "node_modules/.bin/vite"), ["build", "--logLevel", "error", ...args], { cwd: UI, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`vite build ${args.join(" ")} failed`);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json" };
function serve(root) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/") path = "/index.html";
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Security-Policy": CSP });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function run() {
  const only = process.env.ONLY;
  build(["--mode", "production", "--outDir", PROD_DIST, "--emptyOutDir"]);
  build(["--mode", "e2e", "--outDir", E2E_DIST, "--emptyOutDir"]);
  mkdirSync(SCREENSHOTS, { recursive: true });

  const leaks = filesUnder(PROD_DIST).filter((f) => /mockIPC|__ropaBackend|__TAURI_INTERNALS__\.invoke\s*=|mockWindows/.test(readFileSync(f, "latin1")));
  let passed = 0;
  let failed = 0;
  if (leaks.length) {
    console.log(`✗ production build contains test mock code: ${leaks.join(", ")}`);
    failed++;
  } else {
    console.log("✓ production build has no IPC mock");
    passed++;
  }

  const server = await serve(E2E_DIST);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const { name, fn, opts } of tests) {
      if (only && !name.includes(only)) continue;
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 820 }, locale: "da-DK", timezoneId: "Europe/Copenhagen" });
      const page = await context.newPage();
      page.setDefaultTimeout(5000);
      const backend = new FakeBackend();
      opts.setup?.(backend);
      const problems = [];
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console error: ${m.text()}`);
      });
      // The arguments cross as JSON, as in Tauri: a Channel arrives as "__CHANNEL__:<id>" (its
      // toJSON), and the backend answers on it as Rust does, through runCallback.
      backend.channels = {
        send: (id, payload) => page.evaluate(([id, payload]) => window.__TAURI_INTERNALS__.runCallback(id, payload), [id, payload]),
      };
      await page.exposeFunction("__ropaIpc", (cmd, args) => backend.handle(cmd, args));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
        window.__ropaBackend = (cmd, args) => window.__ropaIpc(cmd, JSON.parse(JSON.stringify(args)));
      });
      if (opts.clock) await page.clock.install({ time: new Date("2026-06-01T09:00:00Z") });
      const started = Date.now();
      try {
        await page.goto(base);
        await fn({ page, backend, base, shot: (n) => page.screenshot({ path: join(SCREENSHOTS, `${n}.png`), fullPage: opts.fullPage ?? false }) });
        if (problems.length) throw new Error(problems.join("\n"));
        passed++;
        console.log(`✓ ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`✗ ${name}\n    ${String(e.stack ?? e).split("\n").slice(0, 6).join("\n    ")}`);
        await page.screenshot({ path: join(SCREENSHOTS, `FAILED-${name.replace(/\W+/g, "_")}.png`) }).catch(() => {});
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
