//! `ropa recordings` end to end: real register files in temporary folders, a policy added from
//! flags, call lists in Windows-1252 and UTF-8 imported (again, with only what is missing),
//! rejected rows written to a CSV that a spreadsheet cannot run as formulas, strict mode leaving
//! the register file unchanged, and calls found by phone number in local and E.164 form.

use predicates::prelude::*;

mod common;
use common::*;

const PROFILE: &str = r#"
[columns]
call_id = "Opkalds-ID"
start = "Starttidspunkt"
direction = "Retning"
phone = "Telefonnummer"
customer_ref = "Kundenr"
consent_method = "Samtykke"
"#;

/// A register with the policy `service` (inbound, quality, consent, 16 months by default) and
/// the mapping profile `profile.toml`.
fn register(env: &Env) {
    env.init("a.ropa");
    env.ropa()
        .args([
            "recordings",
            "policy-add",
            "a.ropa",
            "--id",
            "service",
            "--name",
            "Kundeservice",
            "--purpose",
            "quality",
            "--basis",
            "consent",
            "--direction",
            "inbound",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("service").and(predicate::str::contains("16")));
    std::fs::write(env.path("profile.toml"), PROFILE).expect("write profile");
}

fn import(env: &Env, calls: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = env.ropa();
    cmd.args(["recordings", "import", "a.ropa", calls, "--mapping", "profile.toml", "--policy", "service"]);
    cmd.args(extra);
    cmd.assert()
}

const WINDOWS_1252: &[u8] = b"Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\r\n\
    A-1;31-01-2026 09:15;Indg\xE5ende;33 12 34 56;K-17;Tastetryk\r\n\
    A-2;01.03.2026 10:00;Indg\xE5ende;+45 20 12 34 56;;\r\n\
    A-2;01.03.2026 10:00;Indg\xE5ende;+45 20 12 34 56;;\r\n\
    A-3;01.03.2026 11:00;Indg\xE5ende;12;=HYPERLINK(\"http://x\");Tastetryk\r\n";

#[test]
fn a_windows_1252_list_is_imported_once_and_its_bad_row_written_out_safely() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("calls.csv"), WINDOWS_1252).expect("write");
    import(&env, "calls.csv", &["--rejected", "rejected.csv"])
        .success()
        .stdout(predicate::str::contains("2 calls imported, 1 already there, 1 rejected"))
        .stdout(predicate::str::contains("rejected.csv"));
    let rejected = std::fs::read_to_string(env.path("rejected.csv")).expect("rejected file");
    let lines: Vec<&str> = rejected.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines.len(), 2, "{rejected}");
    assert_eq!(lines[0], "\"Line\";\"Reason\"");
    assert!(lines[1].starts_with("\"5\";\"Line 5: phone is not a valid phone number.\";\"A-3\";"), "{}", lines[1]);
    assert!(lines[1].contains(";\"'=HYPERLINK(\"\"http://x\"\")\";"), "the formula is escaped: {}", lines[1]);

    // Again: nothing new; the bad row is still reported.
    import(&env, "calls.csv", &[])
        .success()
        .stdout(predicate::str::contains("0 calls imported, 3 already there, 1 rejected"));
    env.ropa().args(["recordings", "list", "a.ropa"]).assert().success().stdout(
        predicate::str::contains("A-1").and(
            predicate::str::contains("31/05/2027")
                .or(predicate::str::contains("31 May 2027"))
                .or(predicate::str::contains("2027-05-31")),
        ),
    );
}

#[test]
fn a_utf8_list_with_bom_and_commas_and_the_flagged_calls() {
    let env = Env::new();
    register(&env);
    let file = "\u{FEFF}Opkalds-ID,Starttidspunkt,Retning,Telefonnummer,Kundenr,Samtykke\n\
                B-1,2026-07-01T12:00:00+02:00,Indgående,004520123456,,\n\
                B-2,2026-07-01 13:00,ind,33123456,K-2,tastetryk\n";
    std::fs::write(env.path("calls.csv"), file).expect("write");
    import(&env, "calls.csv", &[])
        .success()
        .stdout(predicate::str::contains("2 calls imported, 0 already there, 0 rejected"));
    env.ropa()
        .args(["recordings", "list", "a.ropa", "--flagged"])
        .assert()
        .success()
        .stdout(predicate::str::contains("B-1").and(predicate::str::contains("B-2").not()))
        .stdout(predicate::str::contains("keypress or an oral yes"));
    env.ropa()
        .args(["recordings", "list", "a.ropa", "--due"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No recorded calls."));
}

#[test]
fn strict_mode_leaves_the_register_file_unchanged() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("calls.csv"), WINDOWS_1252).expect("write");
    let before = hash(&env.path("a.ropa"));
    import(&env, "calls.csv", &["--strict"])
        .failure()
        .stderr(predicate::str::contains("nothing of the file was kept").and(predicate::str::contains("Line 5")));
    assert_eq!(hash(&env.path("a.ropa")), before);
    env.ropa()
        .args(["recordings", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No recorded calls."));
}

#[test]
fn calls_are_found_by_phone_in_local_and_e164_form() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("calls.csv"), WINDOWS_1252).expect("write");
    import(&env, "calls.csv", &[]).success();
    for query in ["33 12 34 56", "+4533123456", "K-17"] {
        env.ropa()
            .args(["recordings", "find", "a.ropa", query])
            .assert()
            .success()
            .stdout(predicate::str::contains("A-1").and(predicate::str::contains("A-2").not()));
    }
    env.ropa()
        .args(["recordings", "find", "a.ropa", "0045 20 12 34 56"])
        .assert()
        .success()
        .stdout(predicate::str::contains("A-2").and(predicate::str::contains("A-1").not()));
}

#[test]
fn a_json_export_says_that_the_recordings_are_not_in_it() {
    let export = |env: &Env| env.ropa().args(["export", "a.ropa", "--format", "json"]).assert().success();
    // Without recordings, nothing to say.
    let bare = Env::new();
    bare.init("a.ropa");
    export(&bare).stderr(predicate::str::contains("recording").not());
    let env = Env::new();
    register(&env);
    // A policy alone is already worth the notice.
    export(&env).stderr(predicate::str::contains("recording policies (1) and recorded calls (0)"));
    std::fs::write(env.path("calls.csv"), WINDOWS_1252).expect("write");
    import(&env, "calls.csv", &[]).success();
    let out = export(&env)
        .stderr(predicate::str::contains(
            "recording policies (1) and recorded calls (2) are not in the JSON format yet",
        ))
        .stderr(predicate::str::contains("ropa backup"));
    // stdout is the document alone, and it holds no phone number.
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the JSON document");
    assert_eq!(doc["format"], "ropa-register");
    assert!(!text.contains("33123456") && !text.contains("A-1"), "{text}");
}

#[test]
fn bad_policies_and_profiles_are_refused_in_every_language() {
    let env = Env::new();
    register(&env);
    let before = hash(&env.path("a.ropa"));
    let quality_on_interest = |lang: &str| {
        let mut cmd = env.ropa();
        cmd.args(["--lang", lang, "recordings", "policy-add", "a.ropa", "--id", "q", "--name", "Q"]);
        cmd.args(["--purpose", "training", "--basis", "legitimate-interest", "--direction", "outbound"]);
        cmd.assert().failure()
    };
    quality_on_interest("en").stderr(predicate::str::contains("Recording for training needs consent"));
    quality_on_interest("da").stderr(predicate::str::contains("Optagelse til oplæring kræver samtykke"));
    quality_on_interest("nb").stderr(predicate::str::contains("Opptak for opplæring krever samtykke"));
    std::fs::write(env.path("calls.csv"), WINDOWS_1252).expect("write");
    std::fs::write(env.path("other.toml"), PROFILE.replace("Telefonnummer", "Nummer")).expect("write");
    env.ropa()
        .args(["recordings", "import", "a.ropa", "calls.csv", "--mapping", "other.toml", "--policy", "service"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no column named \"Nummer\" (for phone)"));
    env.ropa()
        .args(["recordings", "import", "a.ropa", "calls.csv", "--mapping", "profile.toml", "--policy", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no recording policy with id nope"));
    assert_eq!(hash(&env.path("a.ropa")), before);
}

#[test]
fn every_recordings_command_has_help() {
    let env = Env::new();
    for command in ["policy-add", "import", "list", "find"] {
        env.bare()
            .args(["recordings", command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: ropa recordings"));
    }
}

// ---------------------------------------------------------------------------------------------
// Sweep, withdrawal and access

const PROFILE_WITH_AUDIO: &str = r#"
[columns]
call_id = "Opkalds-ID"
start = "Starttidspunkt"
direction = "Retning"
phone = "Telefonnummer"
customer_ref = "Kundenr"
consent_method = "Samtykke"
recording_ref = "Optagelse"
"#;

/// A register with `service` (consent, 16 months), an audio folder `audio/` set, and five calls:
/// O-1 and O-2 from 2020 (long past their delete-by day) with audio files, O-3 from 2020 whose
/// reference leads out of the folder to `outside.wav`, and N-1 and N-2 from this year's
/// November (kept for 16 months) of +4520123456, N-1 with its audio file.
fn register_with_audio(env: &Env) {
    register(env);
    std::fs::write(env.path("profile.toml"), PROFILE_WITH_AUDIO).expect("write profile");
    std::fs::create_dir_all(env.path("audio/2020")).expect("audio folder");
    for name in ["2020/O-1.wav", "2020/O-2.wav", "N-1.wav"] {
        std::fs::write(env.path("audio").join(name), format!("RIFF {name}")).expect("audio file");
    }
    std::fs::write(env.path("outside.wav"), b"RIFF not under the folder").expect("outside");
    let this_year = chrono::Utc::now().format("%Y");
    let calls = format!(
        "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Optagelse\n\
         O-1;02-03-2020 09:00;inbound;33 12 34 56;K-1;keypress;2020/O-1.wav\n\
         O-2;03-03-2020 09:00;inbound;33 12 34 56;K-1;keypress;2020/O-2.wav\n\
         O-3;04-03-2020 09:00;inbound;33 12 34 56;K-1;keypress;../outside.wav\n\
         N-1;02-01-{this_year} 09:00;inbound;20 12 34 56;K-2;keypress;N-1.wav\n\
         N-2;03-01-{this_year} 10:00;inbound;20 12 34 56;K-2;keypress;PBX-77\n"
    );
    std::fs::write(env.path("calls.csv"), calls).expect("write calls");
    import(env, "calls.csv", &[]).success().stdout(predicate::str::contains("5 calls imported"));
    env.ropa()
        .args(["recordings", "audio-folder", "a.ropa", "audio"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Audio folder: ").and(predicate::str::contains("audio")));
}

#[test]
fn the_sweep_counts_first_then_deletes_audio_under_the_folder_only() {
    let env = Env::new();
    register_with_audio(&env);
    env.ropa()
        .args(["recordings", "sweep", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3 recordings are past their delete-by day"));
    assert!(env.path("audio/2020/O-1.wav").exists(), "counting deletes nothing");
    env.ropa()
        .args(["recordings", "sweep", "a.ropa", "--mark-deleted", "--report", "swept.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "3 recordings marked deleted: 2 audio files deleted, 0 were already missing, 1 to be deleted in the phone system.",
        ));
    assert!(!env.path("audio/2020/O-1.wav").exists() && !env.path("audio/2020/O-2.wav").exists());
    assert!(env.path("outside.wav").exists(), "never outside the audio folder");
    assert!(env.path("audio/N-1.wav").exists(), "not due yet");
    let report = std::fs::read_to_string(env.path("swept.csv")).expect("report");
    let lines: Vec<&str> = report.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines[0], "\"Call\";\"Delete by\";\"Audio\"");
    assert_eq!(lines[1], "\"O-1\";\"2021-07-02\";\"audio file deleted\"");
    assert_eq!(lines[3], "\"O-3\";\"2021-07-04\";\"to be deleted in the phone system\"");
    env.ropa()
        .args(["recordings", "find", "a.ropa", "33 12 34 56"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No recorded calls"));
    env.ropa()
        .args(["recordings", "sweep", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 recordings are past"));
    env.ropa().args(["verify", "a.ropa"]).assert().success();
}

#[test]
fn a_withdrawal_deletes_at_once_and_its_receipt_names_no_phone_number() {
    let env = Env::new();
    register_with_audio(&env);
    env.ropa()
        .args(["recordings", "withdraw", "a.ropa", "+45 20 12 34 56", "--channel", "email"])
        .args(["--at", "2026-11-20 09:30", "--receipt", "receipt.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Consent withdrawn: 2 recordings deleted. Receipt no."))
        .stdout(predicate::str::contains("N-1  audio file deleted"))
        .stdout(predicate::str::contains("N-2  to be deleted in the phone system"));
    assert!(!env.path("audio/N-1.wav").exists());
    let receipt = pdf_text(&env.path("receipt.pdf"));
    assert!(receipt.contains("N-1") && receipt.contains("N-2"), "{receipt}");
    for number in ["20123456", "20 12 34 56", "+4520123456"] {
        assert!(!receipt.replace(' ', "").contains(&number.replace(' ', "")), "no phone number: {receipt}");
    }
    let id = format!("{}-0001", chrono::Utc::now().format("%Y"));
    assert!(receipt.contains(&id), "{receipt}");

    // The receipt again, the same calls.
    env.ropa().args(["recordings", "receipt", "a.ropa", &id, "--out", "again.pdf"]).assert().success();
    let again = pdf_text(&env.path("again.pdf"));
    assert!(again.contains("N-1") && again.contains("N-2") && again.contains(&id), "{again}");

    // Nothing left for that number: a clear error, and the register file is unchanged.
    let before = hash(&env.path("a.ropa"));
    env.ropa()
        .args(["recordings", "withdraw", "a.ropa", "20 12 34 56", "--channel", "phone"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("No recorded calls are kept for this phone number"))
        .stderr(predicate::str::contains("20 12").not());
    assert_eq!(hash(&env.path("a.ropa")), before);
}

#[test]
fn an_access_request_writes_the_extract_and_the_audio_copies_into_a_new_folder() {
    let env = Env::new();
    register_with_audio(&env);
    env.ropa()
        .args(["recordings", "access", "a.ropa", "K-2", "--out", "access"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Access extract of 2 calls written to access, with 1 audio files."));
    let mut files: Vec<String> = std::fs::read_dir(env.path("access"))
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["N-1.wav", "access-extract-recorded-calls.pdf"]);
    assert_eq!(std::fs::read(env.path("access/N-1.wav")).expect("copy"), b"RIFF N-1.wav");
    let text = pdf_text(&env.path("access/access-extract-recorded-calls.pdf"));
    assert!(text.contains("+4520123456") && text.contains("N-1") && text.contains("N-2"), "{text}");

    // The folder now holds files: a second extract is refused.
    env.ropa()
        .args(["recordings", "access", "a.ropa", "K-2", "--out", "access"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not empty"));
}

/// How many calls the register at `path` holds, read with ropa-core (after `ropa` has exited).
fn call_count(env: &Env, path: &str) -> u64 {
    let heads = ropa_core::ChainHeads::at(env.path("config"));
    let register = ropa_core::Register::open(&env.path(path), &ropa_core::Passphrase::from(PASS), heads).expect("open");
    let count = register.recorded_call_count().expect("count");
    assert!(register.verify().expect("verify").is_ok(), "the change log is whole");
    register.close().expect("close");
    count
}

#[test]
fn an_import_killed_midway_leaves_whole_batches_and_a_rerun_imports_the_rest() {
    const ROWS: u64 = 100_000;
    let env = Env::new();
    register(&env);
    {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(env.path("big.csv")).expect("create"));
        writeln!(file, "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke").expect("write");
        for i in 0..ROWS {
            writeln!(file, "K-{i:06};{:02}-03-2026 10:{:02};ind;2012{:04};;tastetryk", 1 + i % 28, i % 60, i % 9_000)
                .expect("write");
        }
        file.flush().expect("flush");
    }
    let binary = assert_cmd::cargo::cargo_bin("ropa");
    let mut child = std::process::Command::new(binary)
        .args(["recordings", "import", "a.ropa", "big.csv", "--mapping", "profile.toml", "--policy", "service"])
        .env_clear()
        .env("ROPA_PASSPHRASE", PASS)
        .env("ROPA_CONFIG_DIR", env.path("config"))
        .env("LANG", "en_GB.UTF-8")
        .current_dir(env.path(""))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill once the write-ahead log shows that batches are being written: it grows from the
    // first batch on. SIGKILL gives the process no chance to tidy up.
    let wal = env.path("a.ropa-wal");
    let started = std::time::Instant::now();
    while wal.metadata().map(|m| m.len()).unwrap_or(0) < 1_000_000 {
        assert!(child.try_wait().expect("wait").is_none(), "the import ended before it could be killed");
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the import wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let kept = call_count(&env, "a.ropa");
    assert!(kept < ROWS, "killed before the end");
    // The log only grows when a batch commits (the page cache holds a batch's pages until then),
    // so at least one batch was kept.
    assert!(kept >= 5_000, "killed after a batch was committed: {kept}");
    assert_eq!(kept % 5_000, 0, "only whole batches are kept: {kept}");
    import(&env, "big.csv", &[])
        .success()
        .stdout(predicate::str::contains(format!("{} calls imported, {kept} already there, 0 rejected", ROWS - kept)));
    assert_eq!(call_count(&env, "a.ropa"), ROWS);
}
