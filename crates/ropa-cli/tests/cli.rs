//! The `ropa` binary end to end: real register files in temporary folders, the passphrase from
//! the environment or a file, messages in each language, exit codes.

use assert_cmd::Command;
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const PASS: &str = "korrekt hest batteri";
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/register-da.json");

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("temp dir") }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `ropa` with a clean environment: the passphrase set, config in the temp dir, English.
    fn ropa(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("ROPA_PASSPHRASE", PASS);
        cmd
    }

    /// `ropa` with no passphrase and no terminal.
    fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("ropa").expect("binary");
        cmd.env_clear()
            .env("ROPA_CONFIG_DIR", self.path("config"))
            .env("LANG", "en_GB.UTF-8")
            .current_dir(self.dir.path())
            .write_stdin("");
        cmd
    }

    fn init(&self, name: &str) {
        self.ropa()
            .args(["init", name, "--name", "Bager Hansen ApS", "--country", "dk", "--business-id", "24256790"])
            .assert()
            .success();
    }

    fn init_with_fixture(&self, name: &str) {
        self.init(name);
        self.ropa().args(["import", name, "--from", FIXTURE]).assert().success();
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "config")
            .collect();
        names.sort();
        names
    }
}

fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read")).to_vec()
}

#[test]
fn init_import_export_gives_back_the_same_json() {
    let env = Env::new();
    env.init("a.ropa");
    env.ropa()
        .args(["import", "a.ropa", "--from", FIXTURE])
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 6 processing activities"));
    let out = env.ropa().args(["export", "a.ropa", "--format", "json"]).output().expect("run");
    assert!(out.status.success());
    let fixture = std::fs::read_to_string(FIXTURE).expect("fixture");
    assert!(String::from_utf8_lossy(&out.stdout) == fixture, "export differs from the imported file");
    env.ropa().args(["export", "a.ropa", "--out", "out.json"]).assert().success();
    assert_eq!(std::fs::read_to_string(env.path("out.json")).expect("out"), fixture);
}

#[test]
fn activities_are_listed_as_a_table_or_json() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["activities", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Name"))
        .stdout(predicate::str::contains("Webshop: ordrer og levering"))
        .stdout(predicate::str::contains("Processor"))
        .stdout(predicate::str::contains("2027-03-01"));
    let out = env.ropa().args(["activities", "list", "a.ropa", "--json"]).output().expect("run");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.as_array().expect("array").len(), 6);
    assert_eq!(list[0]["id"], "webshop-orders");
    assert_eq!(list[0]["legal_bases"], serde_json::json!(["6-1-b", "6-1-c"]));
    env.ropa()
        .args(["activities", "show", "a.ropa", "cctv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"systematic-monitoring\""));
    env.ropa()
        .args(["activities", "show", "a.ropa", "nope"])
        .assert()
        .failure()
        .stderr("ropa: No processing activity with id nope.\n");
}

#[test]
fn dates_and_words_follow_the_language() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["--lang", "da", "activities", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Navn"))
        .stdout(predicate::str::contains("Dataansvarlig"))
        .stdout(predicate::str::contains("01.03.2027"));
    env.ropa()
        .env("LANG", "nb_NO.UTF-8")
        .args(["activities", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Behandlingsansvarlig"))
        .stdout(predicate::str::contains("Neste gjennomgang"));
}

#[test]
fn a_wrong_passphrase_exits_non_zero_with_one_line_and_leaves_the_file_alone() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    let before = hash(&env.path("a.ropa"));
    for (lang, message) in [
        ("en", "ropa: Wrong passphrase, or the file is damaged.\n"),
        ("da", "ropa: Forkert adgangsfrase, eller filen er beskadiget.\n"),
        ("nb", "ropa: Feil passordfrase, eller filen er skadet.\n"),
    ] {
        env.bare()
            .env("ROPA_PASSPHRASE", "not the passphrase")
            .args(["--lang", lang, "verify", "a.ropa"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(message);
    }
    assert_eq!(hash(&env.path("a.ropa")), before);
    assert_eq!(env.files(), vec!["a.ropa"]);
}

#[test]
fn the_passphrase_comes_from_a_file_or_the_environment_and_never_silently_from_nowhere() {
    let env = Env::new();
    env.init("a.ropa");
    std::fs::write(env.path("pass.txt"), format!("{PASS}\n")).expect("write");
    env.bare().args(["--passphrase-file", "pass.txt", "verify", "a.ropa"]).assert().success();
    env.bare()
        .args(["verify", "a.ropa"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("No passphrase: set ROPA_PASSPHRASE"));
    // There is no --passphrase argument at all.
    env.bare().args(["verify", "a.ropa", "--passphrase", PASS]).assert().code(2);
}

#[test]
fn import_problems_are_listed_with_pointers_and_nothing_changes() {
    let env = Env::new();
    env.init("a.ropa");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture")).expect("json");
    doc["activities"][3]["legal_bases"][0]["article"] = "6-1-g".into();
    doc["activities"][2]["colour"] = "blue".into();
    std::fs::write(env.path("bad.json"), serde_json::to_string(&doc).expect("json")).expect("write");
    let before = hash(&env.path("a.ropa"));
    env.ropa().args(["import", "a.ropa", "--from", "bad.json"]).assert().code(1).stderr(
        "ropa: Nothing was imported; the register is unchanged. 2 problems:\n  \
             /activities/2: unknown field \"colour\"\n  \
             /activities/3/legal_bases/0/article: unknown value \"6-1-g\"\n",
    );
    assert_eq!(hash(&env.path("a.ropa")), before);
    env.ropa().args(["activities", "list", "a.ropa"]).assert().success().stdout("No processing activities yet.\n");
}

#[test]
fn init_reports_bad_input_clearly() {
    let env = Env::new();
    env.ropa()
        .args(["init", "a.ropa", "--name", "X", "--country", "no", "--business-id", "923609017"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/organisation/business_id: Not a valid organisasjonsnummer"));
    env.bare()
        .env("ROPA_PASSPHRASE", "short")
        .args(["init", "a.ropa", "--name", "X", "--country", "dk"])
        .assert()
        .code(1)
        .stderr("ropa: The passphrase must have at least 8 characters.\n");
    env.ropa().args(["init", "a.ropa", "--name", "X", "--country", "se"]).assert().code(2);
    assert!(env.files().is_empty());
    env.init("a.ropa");
    env.ropa()
        .args(["init", "a.ropa", "--name", "X", "--country", "dk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("A file already exists at a.ropa"));
    env.ropa().args(["verify", "missing.ropa"]).assert().code(1).stderr("ropa: No register at missing.ropa.\n");
}

#[test]
fn passphrase_change_and_backup() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .env("ROPA_NEW_PASSPHRASE", "et helt nyt kodeord")
        .args(["passphrase", "a.ropa"])
        .assert()
        .success()
        .stdout("The passphrase was changed.\n");
    env.ropa().args(["verify", "a.ropa"]).assert().code(1);
    env.bare().env("ROPA_PASSPHRASE", "et helt nyt kodeord").args(["verify", "a.ropa"]).assert().success();
    env.bare()
        .env("ROPA_PASSPHRASE", "et helt nyt kodeord")
        .args(["backup", "a.ropa", "copy.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("copy.ropa"));
    let out =
        env.bare().env("ROPA_PASSPHRASE", "et helt nyt kodeord").args(["export", "copy.ropa"]).output().expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout), std::fs::read_to_string(FIXTURE).expect("fixture"));
    assert_eq!(env.files(), vec!["a.ropa", "copy.ropa"]);
}

#[test]
fn verify_reports_and_a_restored_old_copy_is_flagged_until_accepted() {
    let env = Env::new();
    env.init("a.ropa");
    env.ropa().args(["backup", "a.ropa", "old.ropa"]).assert().success();
    env.ropa().args(["import", "a.ropa", "--from", FIXTURE]).assert().success();
    env.ropa()
        .args(["verify", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Change log: 3 entries, chain intact"))
        .stdout(predicate::str::contains("The register is intact."));
    std::fs::rename(env.path("old.ropa"), env.path("a.ropa")).expect("restore old copy");
    env.ropa()
        .args(["verify", "a.ropa"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("entry 3 was seen before on this computer"));
    env.ropa().args(["verify", "a.ropa", "--accept"]).assert().success();
    env.ropa().args(["verify", "a.ropa"]).assert().success();
}

#[test]
fn the_change_log_lists_entries_newest_first() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    let out = env.ropa().args(["log", "a.ropa", "--json"]).output().expect("run");
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(entries[0]["action"], "import");
    assert_eq!(entries[1]["action"], "create");
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &[],
        &["init"],
        &["import"],
        &["export"],
        &["activities"],
        &["activities", "list"],
        &["activities", "show"],
        &["verify"],
        &["log"],
        &["passphrase"],
        &["backup"],
        &["schema"],
        &["report"],
        &["report", "register"],
        &["report", "processor-record"],
    ];
    for command in commands {
        env.bare().args(*command).arg("--help").assert().success().stdout(predicate::str::contains("Usage:"));
    }
}

/// The text of a PDF as poppler reads it, whitespace collapsed; fails loudly without poppler.
fn pdf_text(path: &Path) -> String {
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

#[test]
fn the_register_report_is_written_in_the_organisations_language_by_default() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["report", "register", "a.ropa", "--out", "register.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Wrote the report register.pdf ("));
    let text = pdf_text(&env.path("register.pdf"));
    assert!(text.contains("Fortegnelse over behandlingsaktiviteter"), "{text}");
    assert!(text.contains("5 år fra udgangen af regnskabsåret"), "{text}");
    assert!(text.contains("Side 1 af"), "{text}");
    // The footer names the register state: the change log's newest entry.
    let log = env.ropa().args(["log", "a.ropa", "--json"]).output().expect("run");
    let entries: serde_json::Value = serde_json::from_slice(&log.stdout).expect("json");
    let seq = entries[0]["seq"].as_i64().expect("seq");
    let mac = entries[0]["mac"].as_str().expect("mac");
    assert!(text.contains(&format!("Ændringslog post {seq}, MAC {mac}")), "{text}");
    assert!(text.contains(&format!("ændringslog post {seq} ({}…)", &mac[..16])), "{text}");
    assert_eq!(env.files(), vec!["a.ropa", "register.pdf"], "no temporary file is left");
}

#[test]
fn reports_follow_lang_and_never_overwrite_silently() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["--lang", "nb", "report", "register", "a.ropa", "--out", "protokoll.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Skrev rapporten protokoll.pdf ("));
    let text = pdf_text(&env.path("protokoll.pdf"));
    assert!(text.contains("Protokoll over behandlingsaktiviteter") && text.contains("Side 1 av"), "{text}");

    let before = hash(&env.path("protokoll.pdf"));
    env.ropa()
        .args(["--lang", "en", "report", "register", "a.ropa", "--out", "protokoll.pdf"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("ropa: The file protokoll.pdf already exists; use --force to overwrite it.\n");
    assert_eq!(hash(&env.path("protokoll.pdf")), before);
    env.ropa()
        .args(["--lang", "en", "report", "register", "a.ropa", "--out", "protokoll.pdf", "--force"])
        .assert()
        .success();
    let text = pdf_text(&env.path("protokoll.pdf"));
    assert!(text.contains("Record of processing activities") && text.contains("Page 1 of"), "{text}");
    assert_eq!(env.files(), vec!["a.ropa", "protokoll.pdf"]);
}

#[test]
fn the_processor_record_is_written_per_controller() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["--lang", "en", "report", "processor-record", "a.ropa", "--out", "processor.pdf"])
        .assert()
        .success()
        .stdout("Wrote the report processor.pdf (2 pages).\n");
    let text = pdf_text(&env.path("processor.pdf"));
    for needle in ["Record of processing activities as processor", "Café Lærkereden I/S", "Udlevering", "Page 2 of 2"]
    {
        assert!(text.contains(needle), "{needle:?} missing: {text}");
    }
}

#[test]
fn a_report_needs_the_passphrase_and_leaves_nothing_behind_on_failure() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.bare()
        .env("ROPA_PASSPHRASE", "not the passphrase")
        .args(["report", "register", "a.ropa", "--out", "r.pdf"])
        .assert()
        .code(1)
        .stderr("ropa: Wrong passphrase, or the file is damaged.\n");
    env.ropa().args(["report", "register", "a.ropa"]).assert().code(2);
    env.ropa().args(["report", "register", "a.ropa", "--out", "missing-dir/r.pdf"]).assert().code(1);
    assert_eq!(env.files(), vec!["a.ropa"]);
}
