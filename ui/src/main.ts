// Start-up milestones for `cargo xtask bench-app` (BENCH_DETAIL=1 prints them).
performance.mark("ropa:script");
import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";

// The browser tests build with `--mode e2e`, which replaces the Tauri IPC with a mock that
// talks to the fake backend in tests/. In a production build this branch is dead code and the
// mock is not bundled (the tests check that).
if (import.meta.env.MODE === "e2e") {
  const { installMock } = await import("./e2e-mock");
  installMock();
}

mount(App, { target: document.getElementById("app")! });
performance.mark("ropa:mounted");
