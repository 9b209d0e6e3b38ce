//! Where the passphrase comes from: a file (`--passphrase-file`), an environment variable, or a
//! prompt on the terminal. Never a command-line argument, which other users can see in `ps`.

use crate::output::{Failure, Out};
use ropa_core::Passphrase;
use std::io::IsTerminal;
use std::path::Path;

fn from_file(path: &Path) -> Result<Passphrase, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::read(path, e))?;
    let first_line = text.lines().next().unwrap_or("").to_owned();
    Ok(Passphrase::new(first_line))
}

fn from_env(var: &str) -> Option<Passphrase> {
    std::env::var(var).ok().map(Passphrase::new)
}

fn prompt(out: &Out, key: &str) -> Result<Passphrase, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Message("error.passphrase_missing", vec![]));
    }
    rpassword::prompt_password(out.text(key))
        .map(Passphrase::new)
        .map_err(|_| Failure::Message("error.passphrase_missing", vec![]))
}

/// The passphrase of an existing register.
pub fn existing(out: &Out, file: Option<&Path>) -> Result<Passphrase, Failure> {
    if let Some(path) = file {
        return from_file(path);
    }
    if let Some(p) = from_env("ROPA_PASSPHRASE") {
        return Ok(p);
    }
    prompt(out, "cli.prompt.passphrase")
}

/// A new passphrase: from the file or variable given, else asked twice on the terminal.
pub fn new(out: &Out, file: Option<&Path>, var: &str) -> Result<Passphrase, Failure> {
    if let Some(path) = file {
        return from_file(path);
    }
    if let Some(p) = from_env(var) {
        return Ok(p);
    }
    let first = prompt(out, "cli.prompt.new_passphrase")?;
    let second = prompt(out, "cli.prompt.repeat_passphrase")?;
    if first.expose() != second.expose() {
        return Err(Failure::Message("error.passphrase_mismatch", vec![]));
    }
    Ok(first)
}
