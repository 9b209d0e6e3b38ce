//! `cargo xtask`: the project's task runner (set-up, running the app, running every test).
//!
//! Standard library only, so it builds on a machine that has nothing but Rust.

mod bench;
mod cmd;
mod e2e;
mod setup;
mod ui;

use std::process::ExitCode;
use std::time::Instant;

use cmd::{Error, Result};
use setup::Packages;

const USAGE: &str = "\
cargo xtask: project tasks for ropa

USAGE:
    cargo xtask <COMMAND> [ARGS...]

COMMANDS:
    setup           Install missing Debian packages (build and test) with apt-get,
                    and the ui/ npm packages when ui/package.json exists
    run [ARGS...]   Set up the build packages, then `cargo run -p ropa-app -- ARGS...`
    test            Set up everything, then: build the UI, cargo fmt --check, cargo clippy
                    -D warnings, cargo test --workspace, the UI type check and browser
                    tests, and the end-to-end tests of the real app window under
                    xvfb-run; stops at the first failure
    e2e             Set up, build the UI and the app, and run only the end-to-end tests
    bench-app [--runs N] [--settle-ms MS] [--debug] [--cold-cache] [--detail]
                    Benchmark, asserts nothing: build ropa-app and an empty Tauri 2 window
                    (xtask/bench-empty-window/) with the release profile, or the debug one
                    with --debug, launch each N times (default 5) under xvfb-run, and print
                    the time to the first screen and the memory of the process tree MS ms
                    later (default 2000): median, min, max, and ropa / empty. Each app
                    keeps its cache folder across its launches (as ~/.cache is kept);
                    --cold-cache gives every launch a fresh one; --detail also prints
                    each page's navigation, paint and start-up marks
    help            Print this help (also -h, --help)
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        None | Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("setup") => setup::run(Packages::All),
        Some("run") => run_app(&rest),
        Some("test") => test(),
        Some("e2e") => setup::run(Packages::All).and_then(|()| ui::build()).and_then(|()| e2e::run()),
        Some("bench-app") => bench::Options::parse(&rest).and_then(|options| {
            setup::run(Packages::All)?;
            ui::build()?;
            bench::run(&options)
        }),
        Some(other) => {
            eprint!("cargo xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\ncargo xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask run`: build packages, then the desktop app with the extra arguments.
fn run_app(app_args: &[String]) -> Result {
    setup::run(Packages::Build)?;
    ui::build()?;
    cmd::header("run the desktop app");
    let mut command = cmd::cargo();
    command.args(["run", "-p", "ropa-app", "--"]).args(app_args);
    cmd::run(&mut command)
}

/// `cargo xtask test`: every check in order, stopping at the first failure.
fn test() -> Result {
    let started = Instant::now();
    setup::run(Packages::All)?;
    // The app embeds ui/dist at compile time, so the UI is built before anything else.
    let step = Instant::now();
    ui::build()?;
    cmd::done(step);

    let checks: [(&str, &[&str]); 3] = [
        ("formatting", &["fmt", "--all", "--", "--check"]),
        ("lints", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        ("tests", &["test", "--workspace"]),
    ];
    for (name, args) in checks {
        let step = Instant::now();
        cmd::header(&format!("{name}: cargo {}", args.join(" ")));
        cmd::run(cmd::cargo().args(args)).map_err(|e| Error::new(format!("{name} failed: {e}")))?;
        cmd::done(step);
    }

    let step = Instant::now();
    ui::check_and_test()?;
    cmd::done(step);

    let step = Instant::now();
    e2e::run()?;
    cmd::done(step);

    println!("\n==> all checks passed in {}", cmd::elapsed(started.elapsed()));
    Ok(())
}
