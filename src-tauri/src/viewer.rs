//! Opening a file the app wrote (a report) in the program the desktop uses for it.
//!
//! With the `e2e` feature nothing is started: the path is appended as a line to the file named
//! by `ROPA_E2E_OPENED`, so the real-window tests can see what would have been opened.

use std::path::Path;

/// Starts the desktop's program for `path` without waiting for it. Whether it could be started.
#[cfg(not(feature = "e2e"))]
pub fn open(path: &Path) -> bool {
    open::that_detached(path).is_ok()
}

#[cfg(feature = "e2e")]
pub fn open(path: &Path) -> bool {
    use std::io::Write;
    let Some(log) = std::env::var_os("ROPA_E2E_OPENED") else {
        return false;
    };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut f| writeln!(f, "{}", path.display()))
        .is_ok()
}
