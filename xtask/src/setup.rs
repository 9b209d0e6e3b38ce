//! `cargo xtask setup`: installs the Debian packages the app needs and the npm packages of
//! `ui/` and `tests/e2e/`.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::cmd::{self, Error, Result};

/// Needed to build and run the desktop app.
const BUILD_PACKAGES: &[&str] = &["build-essential", "pkg-config", "libssl-dev", "libwebkit2gtk-4.1-dev"];

/// Needed to test it headless: X server, WebDriver, browser for UI tests, PDF tools, fonts.
const TEST_PACKAGES: &[&str] =
    &["xvfb", "xauth", "webkit2gtk-driver", "chromium", "poppler-utils", "fonts-dejavu-core"];

/// Written into `ui/node_modules/` after a successful `npm install`.
const NPM_STAMP: &str = ".xtask-npm-install";

/// Which Debian packages a task needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packages {
    /// Build and run the app.
    Build,
    /// Build, run and test it.
    All,
}

/// Installs what is missing; prints each step.
pub fn run(packages: Packages) -> Result {
    let mut wanted = BUILD_PACKAGES.to_vec();
    if packages == Packages::All {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    debian_packages(&wanted)?;
    npm_packages()
}

fn debian_packages(wanted: &[&str]) -> Result {
    cmd::header("setup: Debian packages");
    if cmd::output(Command::new("dpkg-query").arg("--version")).is_none() {
        println!("dpkg-query not found: not a Debian system? Install these yourself: {}", wanted.join(" "));
        return Ok(());
    }
    let missing: Vec<&str> = wanted.iter().copied().filter(|package| !is_installed(package)).collect();
    if missing.is_empty() {
        println!("all {} packages are installed", wanted.len());
        return Ok(());
    }
    println!("missing: {}", missing.join(" "));

    cmd::run(&mut apt_get(&["update"]))?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(&missing);
    cmd::run(&mut apt_get(&install))?;

    let still_missing: Vec<&str> = missing.into_iter().filter(|package| !is_installed(package)).collect();
    if still_missing.is_empty() {
        println!("all {} packages are installed", wanted.len());
        Ok(())
    } else {
        Err(Error::new(format!("still not installed after apt-get: {}", still_missing.join(" "))))
    }
}

/// `dpkg-query` reports `<want> <error> <status>`, e.g. `install ok installed`.
fn is_installed(package: &str) -> bool {
    cmd::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.split_whitespace().nth(2) == Some("installed"))
}

/// `apt-get ARGS` without questions, through `sudo` unless we are root.
fn apt_get(args: &[&str]) -> Command {
    let mut command = if is_root() {
        let mut command = Command::new("apt-get");
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    } else {
        // sudo resets the environment, so the variable goes on its command line.
        let mut command = Command::new("sudo");
        command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        command
    };
    command.args(args);
    command
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// The folders with npm packages: the UI and the end-to-end tests.
const NPM_DIRS: &[&str] = &["ui", "tests/e2e"];

fn npm_packages() -> Result {
    NPM_DIRS.iter().try_for_each(|dir| npm_install(dir))
}

/// `npm install` in `dir` when it has a package.json and node_modules is missing or stale.
fn npm_install(dir: &str) -> Result {
    let folder = cmd::root().join(dir);
    if !folder.join("package.json").is_file() {
        return Ok(());
    }
    cmd::header(&format!("setup: npm packages in {dir}/"));
    let stamp = modified(&folder.join("node_modules").join(NPM_STAMP));
    let newest_input =
        ["package.json", "package-lock.json"].iter().filter_map(|name| modified(&folder.join(name))).max();
    let up_to_date = match (stamp, newest_input) {
        (Some(stamp), Some(input)) => stamp >= input,
        _ => false,
    };
    if up_to_date {
        println!("{dir}/node_modules is up to date");
        return Ok(());
    }
    // Never `npm ci`: the lock file lacks other platforms' optional packages and it fails.
    cmd::run(Command::new("npm").args(["install", "--no-audit", "--no-fund"]).current_dir(&folder))
        .map_err(|e| Error::new(format!("{e} (is Node.js with npm installed?)")))?;
    let node_modules = folder.join("node_modules");
    fs::create_dir_all(&node_modules)
        .and_then(|()| fs::write(node_modules.join(NPM_STAMP), "written by `cargo xtask setup` after `npm install`\n"))
        .map_err(|e| Error::new(format!("could not write the npm stamp file: {e}")))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}
