//! The app smoke test: `ropa-app` starts under `xvfb-run` and is still running after a few
//! seconds; then it is stopped with everything it started (Xvfb, WebKit helpers).
//!
//! [`app_starts`] is the one entry point `cargo xtask test` calls, so end-to-end tests
//! (WebDriver against the real app) can replace it without touching the rest. Linux only
//! (process groups, /proc), like the rest of the headless test set-up.

use std::fs::{self, File};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::cmd::{self, Error, Result};

/// How long the app must survive to count as started.
const ALIVE_FOR: Duration = Duration::from_secs(8);
/// How long the app and xvfb-run get to exit after SIGTERM before the next escalation.
const GRACE: Duration = Duration::from_secs(5);

/// Builds the debug app, runs it headless for [`ALIVE_FOR`] and stops it cleanly.
pub fn app_starts() -> Result {
    let bin = build_app()?;
    let log = bin.with_file_name("ropa-app-smoke.log");
    println!("$ xvfb-run -a {} (output in {})", bin.display(), log.display());

    let mut app = Headless::start(&bin, &log)?;
    let alive = app.stays_alive(ALIVE_FOR);
    let stopped = app.stop();
    if alive.is_err() || stopped.is_err() {
        print_log(&log);
    }
    alive?;
    stopped?;
    println!("ropa-app ran for {}s and was stopped; no processes left behind", ALIVE_FOR.as_secs());
    Ok(())
}

/// `cargo build -p ropa-app`; returns the path of the binary cargo reports.
fn build_app() -> Result<PathBuf> {
    let mut command = cmd::cargo();
    command
        .args(["build", "-p", "ropa-app", "--bin", "ropa-app"])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit());
    println!("$ {}", cmd::display(&command));
    let out = command.output().map_err(|e| Error::new(format!("could not start cargo: {e}")))?;
    if !out.status.success() {
        return Err(Error::new(format!("cargo build -p ropa-app exited with {}", out.status)));
    }
    // Cargo prints one JSON object per line; the app's artifact line names the executable.
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .filter(|line| line.contains(r#""reason":"compiler-artifact""#))
        .find_map(|line| {
            let start = line.find(r#""executable":""#)? + r#""executable":""#.len();
            let path = &line[start..];
            let path = &path[..path.find('"')?];
            path.ends_with("/ropa-app").then(|| PathBuf::from(path))
        })
        .ok_or_else(|| Error::new("cargo did not report the ropa-app executable"))
}

/// `xvfb-run -a APP` in a process group of its own, so it can be stopped as a whole.
#[derive(Debug)]
struct Headless {
    child: Child,
    bin: PathBuf,
    /// Every process seen in the group or below `child` while it ran.
    seen: Vec<u32>,
    stopped: bool,
}

impl Headless {
    fn start(bin: &Path, log: &Path) -> Result<Self> {
        let file = File::create(log).map_err(|e| Error::new(format!("could not create {}: {e}", log.display())))?;
        let file2 = file.try_clone().map_err(|e| Error::new(format!("could not reopen {}: {e}", log.display())))?;
        let child = Command::new("xvfb-run")
            .arg("-a")
            .arg(bin)
            .current_dir(cmd::root())
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(file2)
            .process_group(0)
            .spawn()
            .map_err(|e| Error::new(format!("could not start xvfb-run: {e}")))?;
        Ok(Self {
            child,
            bin: fs::canonicalize(bin).unwrap_or_else(|_| bin.to_path_buf()),
            seen: Vec::new(),
            stopped: false,
        })
    }

    /// The process group id (the group was created with the child as its leader).
    fn pgid(&self) -> u32 {
        self.child.id()
    }

    /// Fails as soon as xvfb-run exits; otherwise waits `duration` and checks the app itself.
    fn stays_alive(&mut self, duration: Duration) -> Result {
        let started = Instant::now();
        while started.elapsed() < duration {
            self.remember_processes();
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Error::new(format!(
                    "xvfb-run ropa-app exited after {:.1}s with {status}",
                    started.elapsed().as_secs_f64()
                )));
            }
            sleep(Duration::from_millis(250));
        }
        self.remember_processes();
        if self.app_pids().is_empty() {
            return Err(Error::new(format!("ropa-app is not running after {}s", duration.as_secs())));
        }
        Ok(())
    }

    /// SIGTERM to the app first (so xvfb-run cleans up its Xvfb and temp files), then
    /// SIGTERM and at last SIGKILL to whatever is left; fails if anything survives.
    fn stop(&mut self) -> Result {
        self.stopped = true;
        self.remember_processes();
        signal("TERM", &self.app_pids());
        if !self.wait_child(GRACE) {
            println!("xvfb-run did not exit after the app got SIGTERM; terminating its group");
            signal("TERM", &[format!("-{}", self.pgid())]);
        }
        if self.wait_gone(GRACE) {
            return Ok(());
        }
        let left = self.alive_seen();
        println!("still running after SIGTERM, sending SIGKILL: {left:?}");
        signal("KILL", &[format!("-{}", self.pgid())]);
        signal("KILL", &left.iter().map(|(pid, _)| pid.to_string()).collect::<Vec<_>>());
        let _ = self.child.wait();
        if self.wait_gone(GRACE) {
            Ok(())
        } else {
            Err(Error::new(format!("processes left behind: {:?}", self.alive_seen())))
        }
    }

    /// Waits for xvfb-run to exit (and reaps it); true when it did.
    fn wait_child(&mut self, timeout: Duration) -> bool {
        let started = Instant::now();
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            if started.elapsed() >= timeout {
                return false;
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Waits until xvfb-run has exited and no process seen earlier is alive.
    fn wait_gone(&mut self, timeout: Duration) -> bool {
        let started = Instant::now();
        loop {
            let child_done = matches!(self.child.try_wait(), Ok(Some(_)));
            if child_done && self.alive_seen().is_empty() {
                return true;
            }
            if started.elapsed() >= timeout {
                return false;
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Adds every live process of our group, and every descendant of xvfb-run (in case
    /// one left the group), to `seen`.
    fn remember_processes(&mut self) {
        let all = processes();
        let mut found: Vec<u32> = vec![self.child.id()];
        let mut changed = true;
        while changed {
            changed = false;
            for process in &all {
                let member = process.pgrp == self.pgid() || found.contains(&process.ppid);
                if member && !found.contains(&process.pid) {
                    found.push(process.pid);
                    changed = true;
                }
            }
        }
        for pid in found {
            if !self.seen.contains(&pid) {
                self.seen.push(pid);
            }
        }
    }

    /// Seen processes that are still alive (zombies excluded), as `(pid, name)`.
    fn alive_seen(&self) -> Vec<(u32, String)> {
        processes()
            .into_iter()
            .filter(|p| self.seen.contains(&p.pid) && p.pid != self.child.id())
            .map(|p| (p.pid, p.name))
            .collect()
    }

    /// Live processes of the group that run our binary.
    fn app_pids(&self) -> Vec<String> {
        processes()
            .into_iter()
            .filter(|p| p.pgrp == self.pgid())
            .filter(|p| fs::read_link(format!("/proc/{}/exe", p.pid)).is_ok_and(|exe| exe == self.bin))
            .map(|p| p.pid.to_string())
            .collect()
    }
}

impl Drop for Headless {
    /// Never leave a headless app behind, even when the test panics half-way.
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.stop();
        }
    }
}

/// One line of `/proc/PID/stat`, the parts we need.
#[derive(Debug)]
struct Process {
    pid: u32,
    ppid: u32,
    pgrp: u32,
    name: String,
}

/// Every live (non-zombie) process, read from /proc.
fn processes() -> Vec<Process> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (name) state ppid pgrp ..."; the name may contain spaces and parentheses.
            let open = stat.find('(')?;
            let close = stat.rfind(')')?;
            let mut fields = stat[close + 1..].split_whitespace();
            let state = fields.next()?;
            let ppid = fields.next()?.parse().ok()?;
            let pgrp = fields.next()?.parse().ok()?;
            (state != "Z" && state != "X").then(|| Process { pid, ppid, pgrp, name: stat[open + 1..close].to_string() })
        })
        .collect()
}

/// `kill -s SIGNAL -- TARGETS` with the shell's built-in kill (procps may be absent).
/// A target `-PGID` means the whole process group. Errors (already gone) are ignored.
fn signal(signal: &str, targets: &[String]) {
    if targets.is_empty() {
        return;
    }
    let _ = Command::new("sh").args(["-c", r#"kill -s "$0" -- "$@" 2>/dev/null"#, signal]).args(targets).status();
}

/// Prints the app's output so a failure can be understood from the CI log alone.
fn print_log(log: &Path) {
    match fs::read_to_string(log) {
        Ok(text) if !text.trim().is_empty() => {
            println!("--- output of xvfb-run ropa-app ({}) ---", log.display());
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            println!("--- end of output ---");
        }
        _ => println!("(xvfb-run ropa-app printed nothing)"),
    }
}
