//! Small helpers shared by the tasks: the error type, running commands, step headers.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A task failure, already worded for the person reading the terminal.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// The workspace root (the parent of `xtask/`); every command runs there.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or_else(|| Path::new("."))
}

/// A `cargo` command in the workspace root, using the cargo that runs xtask.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let mut command = Command::new(cargo);
    command.current_dir(root());
    command
}

/// Prints a step header.
pub fn header(title: &str) {
    println!("\n==> {title}");
}

/// Prints how long a step took.
pub fn done(started: Instant) {
    println!("==> ok ({})", elapsed(started.elapsed()));
}

/// `1m 05s` or `3.2s`.
pub fn elapsed(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 60 { format!("{}m {:02}s", secs / 60, secs % 60) } else { format!("{:.1}s", duration.as_secs_f64()) }
}

/// The command line as one would type it, for logs and errors.
pub fn display(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs a command with inherited stdio; fails unless it exits with status 0.
pub fn run(command: &mut Command) -> Result {
    let line = display(command);
    println!("$ {line}");
    let status = command.status().map_err(|e| Error::new(format!("could not start `{line}`: {e}")))?;
    if status.success() { Ok(()) } else { Err(Error::new(format!("`{line}` exited with {status}"))) }
}

/// Runs a command quietly and returns its stdout, or `None` when it cannot start
/// or exits non-zero.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
