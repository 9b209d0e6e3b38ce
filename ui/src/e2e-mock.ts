// Test-only: routes every Tauri command to the fake backend that the Playwright runner exposes
// as window.__ropaBackend (tests/fake-backend.mjs, running in Node). Bundled only in e2e mode.
import { mockIPC } from "@tauri-apps/api/mocks";

type Reply = { ok: unknown } | { err: unknown };
declare global {
  interface Window {
    __ropaBackend?: (cmd: string, args: unknown) => Promise<Reply>;
  }
}

export function installMock() {
  mockIPC(async (cmd, args) => {
    const reply = await window.__ropaBackend!(cmd, args ?? {});
    if ("err" in reply) throw reply.err;
    return reply.ok;
  });
}
