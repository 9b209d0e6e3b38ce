//! The web front end in `ui/`: its production build (which the app embeds at compile time, so
//! it must exist before any cargo build of the app), its type check and its browser tests.

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{self, Error, Result};

fn ui_dir() -> Option<PathBuf> {
    let ui = cmd::root().join("ui");
    ui.join("package.json").is_file().then_some(ui)
}

fn npm(args: &[&str]) -> Result {
    let Some(ui) = ui_dir() else { return Ok(()) };
    cmd::run(Command::new("npm").args(args).current_dir(ui))
}

/// `npm run build` → `ui/dist`. Without a `ui/package.json` there is nothing to build.
pub fn build() -> Result {
    if ui_dir().is_none() {
        return Ok(());
    }
    cmd::header("ui: npm run build");
    npm(&["run", "build"]).map_err(|e| Error::new(format!("building the UI failed: {e}")))
}

/// The type check (`svelte-check`) and the browser tests with the IPC mocked.
pub fn check_and_test() -> Result {
    if ui_dir().is_none() {
        return Ok(());
    }
    cmd::header("ui: npm run check");
    npm(&["run", "check"]).map_err(|e| Error::new(format!("the UI type check failed: {e}")))?;
    cmd::header("ui: npm test (Chromium, IPC mocked)");
    npm(&["test"]).map_err(|e| Error::new(format!("the UI tests failed: {e}")))
}
