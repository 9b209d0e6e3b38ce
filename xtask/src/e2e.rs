//! End-to-end tests of the real app window: builds `ropa-app` with the `e2e` feature (native
//! file dialogs answered from a file) and the embedded UI, installs `tauri-driver` into
//! `target/tools/` when missing, and runs `tests/e2e/run.mjs` under `xvfb-run`, which drives
//! the window through WebKitWebDriver and saves screenshots to `docs/screenshots/`.

use std::process::Command;

use crate::cmd::{self, Error, Result};

/// `cargo install tauri-driver` into `target/tools` (about a minute, once per machine).
pub fn tauri_driver() -> Result<std::path::PathBuf> {
    let root = cmd::root().join("target/tools");
    let bin = root.join("bin/tauri-driver");
    if bin.is_file() {
        return Ok(bin);
    }
    cmd::header("e2e: cargo install tauri-driver");
    cmd::run(cmd::cargo().args(["install", "tauri-driver", "--locked", "--version", "^2", "--root"]).arg(&root))?;
    Ok(bin)
}

/// Whether the app package declares the `e2e` feature yet.
fn has_e2e_feature() -> bool {
    std::fs::read_to_string(cmd::root().join("Cargo.toml")).is_ok_and(|manifest| manifest.contains("\ne2e = "))
}

pub fn run() -> Result {
    let driver = tauri_driver()?;
    cmd::header("e2e: build ropa-app for the real-window tests");
    let mut build = cmd::cargo();
    build.args(["build", "-p", "ropa-app"]);
    if has_e2e_feature() {
        build.args(["--features", "e2e,tauri/custom-protocol"]);
    }
    cmd::run(&mut build)?;
    let app = cmd::root().join("target/debug/ropa-app");

    cmd::header("e2e: real window under xvfb-run (tauri-driver + WebKitWebDriver)");
    let mut test = Command::new("xvfb-run");
    test.args(["-a", "-s", "-screen 0 1280x900x24", "node", "tests/e2e/run.mjs"])
        .current_dir(cmd::root())
        .env("ROPA_APP", &app)
        .env("TAURI_DRIVER", &driver)
        .env("LANG", "C.UTF-8");
    cmd::run(&mut test).map_err(|e| Error::new(format!("the end-to-end tests failed: {e}")))
}
