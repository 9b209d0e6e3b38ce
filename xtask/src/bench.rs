//! `cargo xtask bench-app`: launch time and memory of the ropa window against an empty Tauri 2
//! window (`xtask/bench-empty-window/`), both built with the same profile and the embedded UI,
//! measured the same way in one run by `tests/e2e/bench.mjs` under `xvfb-run`. Prints figures
//! and asserts nothing about them.

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{self, Error, Result};
use crate::e2e;

/// The empty window's crate: its own workspace, so no workspace build or test compiles it.
const EMPTY_WINDOW: &str = "xtask/bench-empty-window";

/// What `bench-app` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    runs: u32,
    settle_ms: u32,
    release: bool,
    /// A fresh cache folder for every launch (a first-ever start each time).
    cold_cache: bool,
    /// Also print where each page's time went.
    detail: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self { runs: 5, settle_ms: 2000, release: true, cold_cache: false, detail: false };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u32> {
                args.next()
                    .and_then(|value| value.parse().ok())
                    .filter(|&n: &u32| n > 0 || name == "--settle-ms")
                    .ok_or_else(|| Error::new(format!("bench-app: {name} needs a number (see cargo xtask help)")))
            };
            match arg.as_str() {
                "--runs" => options.runs = number("--runs")?,
                "--settle-ms" => options.settle_ms = number("--settle-ms")?,
                "--debug" => options.release = false,
                "--cold-cache" => options.cold_cache = true,
                "--detail" => options.detail = true,
                other => {
                    return Err(Error::new(format!("bench-app: unknown argument `{other}` (see cargo xtask help)")));
                }
            }
        }
        Ok(options)
    }
}

/// The target folder both apps are built into, so the empty window reuses ropa-app's build.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| cmd::root().join("target"), |dir| cmd::root().join(dir))
}

fn build(options: &Options, what: &str, args: &[&str]) -> Result {
    let profile = if options.release { "release" } else { "debug" };
    cmd::header(&format!("bench-app: build {what} ({profile} profile, assets embedded)"));
    let mut build = cmd::cargo();
    build.arg("build").args(args).args(["--features", "tauri/custom-protocol"]).env("CARGO_TARGET_DIR", target_dir());
    if options.release {
        build.arg("--release");
    }
    cmd::run(&mut build)
}

/// Builds both apps and runs the benchmark. Set-up and the UI build come first (see main).
pub fn run(options: &Options) -> Result {
    let driver = e2e::tauri_driver()?;
    build(options, "ropa-app", &["-p", "ropa-app"])?;
    // The empty window's lock file is ropa's, so cargo picks the same versions (it drops the
    // packages the empty window does not use) and the compiled Tauri stack is shared.
    let empty = cmd::root().join(EMPTY_WINDOW);
    std::fs::copy(cmd::root().join("Cargo.lock"), empty.join("Cargo.lock"))
        .map_err(|e| Error::new(format!("could not copy Cargo.lock to {EMPTY_WINDOW}/: {e}")))?;
    let manifest = empty.join("Cargo.toml");
    let manifest = manifest.to_string_lossy();
    build(options, "the empty Tauri window", &["--manifest-path", &manifest])?;

    let bin = target_dir().join(if options.release { "release" } else { "debug" });
    cmd::header("bench-app: ropa and the empty window under xvfb-run (tauri-driver + WebKitWebDriver)");
    let mut bench = Command::new("xvfb-run");
    bench
        .args(["-a", "-s", "-screen 0 1280x900x24", "node", "tests/e2e/bench.mjs"])
        .current_dir(cmd::root())
        .env("BENCH_ROPA_APP", bin.join("ropa-app"))
        .env("BENCH_EMPTY_APP", bin.join("bench-empty-window"))
        .env("BENCH_RUNS", options.runs.to_string())
        .env("BENCH_SETTLE_MS", options.settle_ms.to_string())
        .env("BENCH_COLD_CACHE", if options.cold_cache { "1" } else { "0" })
        .env("BENCH_DETAIL", if options.detail { "1" } else { "0" })
        .env("TAURI_DRIVER", &driver)
        .env("LANG", "C.UTF-8");
    cmd::run(&mut bench).map_err(|e| Error::new(format!("the benchmark could not run: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(path: &str) -> String {
        std::fs::read_to_string(cmd::root().join(path)).expect("manifest readable")
    }

    /// The lines of a `[header]` table, without blanks and comments.
    fn table<'a>(manifest: &'a str, header: &str) -> Vec<&'a str> {
        manifest
            .lines()
            .map(str::trim)
            .skip_while(|line| *line != header)
            .skip(1)
            .take_while(|line| !line.starts_with('['))
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    }

    fn name(line: &str) -> &str {
        line.split(['=', '.']).next().unwrap_or_default().trim()
    }

    /// The empty window must build against the same crates, versions and features as ropa-app:
    /// otherwise the comparison is unfair and the shared target/ rebuilds the Tauri stack.
    #[test]
    fn empty_window_has_the_apps_dependencies_and_profiles() {
        let app = manifest("Cargo.toml");
        let empty = manifest(&format!("{EMPTY_WINDOW}/Cargo.toml"));
        for header in ["[dependencies]", "[build-dependencies]"] {
            let mut app_names: Vec<&str> = table(&app, header).into_iter().map(name).collect();
            let mut empty_names: Vec<&str> = table(&empty, header).into_iter().map(name).collect();
            app_names.sort_unstable();
            empty_names.sort_unstable();
            assert!(!app_names.is_empty(), "no {header} found in Cargo.toml");
            assert_eq!(app_names, empty_names, "{header} of ropa-app and the empty window");
            // Lines that name their own version (no workspace inheritance, no path) match exactly.
            for line in table(&app, header) {
                if !line.contains("workspace") && !line.contains("path") {
                    assert!(table(&empty, header).contains(&line), "{EMPTY_WINDOW}/Cargo.toml lacks `{line}`");
                }
            }
        }
        let profiles = |manifest: &str| -> Vec<(String, Vec<String>)> {
            manifest
                .lines()
                .map(str::trim)
                .filter(|line| line.starts_with("[profile"))
                .map(|header| (header.to_owned(), table(manifest, header).into_iter().map(str::to_owned).collect()))
                .collect()
        };
        assert_eq!(profiles(&app), profiles(&empty), "profiles of ropa-app and the empty window");
    }

    #[test]
    fn parses_options() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            Options::parse(&[]).ok(),
            Some(Options { runs: 5, settle_ms: 2000, release: true, cold_cache: false, detail: false })
        );
        assert_eq!(
            Options::parse(&args("--runs 9 --debug --settle-ms 0 --cold-cache --detail")).ok(),
            Some(Options { runs: 9, settle_ms: 0, release: false, cold_cache: true, detail: true })
        );
        assert!(Options::parse(&args("--runs 0")).is_err());
        assert!(Options::parse(&args("--runs")).is_err());
        assert!(Options::parse(&args("--fast")).is_err());
    }
}
