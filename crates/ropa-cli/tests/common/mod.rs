//! What the `ropa` end-to-end tests share: a temporary folder per test, the binary run in a
//! clean environment there, the example register, hashes and PDF text.

// Each test binary uses its own part of this.
#![allow(dead_code)]

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const PASS: &str = "korrekt hest batteri";
pub const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/register-da.json");

pub struct Env {
    dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `ropa` with a clean environment: the passphrase set, config in the temp dir, English.
    pub fn ropa(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("ROPA_PASSPHRASE", PASS);
        cmd
    }

    /// `ropa` with no passphrase and no terminal.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("ropa").expect("binary");
        cmd.env_clear()
            .env("ROPA_CONFIG_DIR", self.path("config"))
            .env("LANG", "en_GB.UTF-8")
            .current_dir(self.dir.path())
            .write_stdin("");
        cmd
    }

    pub fn init(&self, name: &str) {
        self.ropa()
            .args(["init", name, "--name", "Bager Hansen ApS", "--country", "dk", "--business-id", "24256790"])
            .assert()
            .success();
    }

    pub fn init_with_fixture(&self, name: &str) {
        self.init(name);
        self.ropa().args(["import", name, "--from", FIXTURE]).assert().success();
    }

    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "config")
            .collect();
        names.sort();
        names
    }
}

pub fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read")).to_vec()
}

/// The text of a PDF as poppler reads it, whitespace collapsed; fails loudly without poppler.
pub fn pdf_text(path: &Path) -> String {
    let output =
        match std::process::Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(path).arg("-").output() {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("`pdftotext` is not installed: install poppler-utils (`cargo xtask setup` does it)")
            }
            Err(e) => panic!("cannot run pdftotext: {e}"),
        };
    assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}
