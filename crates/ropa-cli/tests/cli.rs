//! The `ropa` binary end to end: real register files in temporary folders, the passphrase from
//! the environment or a file, messages in each language, exit codes.

use predicates::prelude::*;

mod common;
use common::*;

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
        &["report", "processors"],
        &["report", "breach"],
        &["report", "breach-log"],
        &["breaches"],
        &["breaches", "add"],
        &["breaches", "update"],
        &["breaches", "list"],
        &["breaches", "show"],
        &["breaches", "assess"],
        &["breaches", "notify"],
        &["breaches", "close"],
        &["deadlines"],
    ];
    for command in commands {
        env.bare().args(*command).arg("--help").assert().success().stdout(predicate::str::contains("Usage:"));
    }
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
    // The layout breaks the 64-digit MAC where it does not fit the line, and where it breaks
    // depends on the digits' widths: compare without the white space.
    let squashed: String = text.split_whitespace().collect();
    assert!(squashed.contains(&format!("Ændringslogpost{seq},MAC{mac}")), "{text}");
    assert!(squashed.contains(&format!("ændringslogpost{seq}({}…)", &mac[..16])), "{text}");
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

// ---------------------------------------------------------------------------------------------
// The breach log and the deadlines

/// A complete breach as JSON, without an id, assessed as a risk and not yet notified.
fn breach_json(aware: &str) -> String {
    serde_json::json!({
        "title": "Lønsedler sendt til forkert medarbejder",
        "became_aware_at": aware,
        "discovery": { "by": "staff", "how": "Medarbejderen sagde det selv." },
        "nature": ["confidentiality"],
        "data_categories": ["identity"],
        "subject_categories": ["employees"],
        "approx_subjects": 2,
        "consequences": "En kollega har set en andens løn.",
        "risk": { "level": "risk", "reasons": "Lønoplysninger om to medarbejdere.", "assessed_at": aware },
        "measures_taken": "Lønsedlen er slettet hos modtageren.",
        "activities": ["payroll"]
    })
    .to_string()
}

#[test]
fn a_breach_found_on_friday_at_16_before_summer_time_is_due_on_monday_at_17() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--title", "Mail til forkert kunde", "--aware", "2026-03-27 16:00"])
        .assert()
        .success()
        .stdout("Recorded breach 2026-003.\n")
        .stderr(predicate::str::contains("/risk: Assess the risk"));
    env.ropa()
        .args(["breaches", "assess", "a.ropa", "2026-003", "--risk", "high-risk", "--at", "2026-03-28 09:00"])
        .args(["--reasons", ""])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/risk/reasons: Give the reasons for the risk assessment"));
    env.ropa()
        .args(["breaches", "assess", "a.ropa", "2026-003", "--risk", "high-risk", "--at", "2026-03-28 09:00"])
        .args(["--reasons", "Navn og adresse på beskyttede personer."])
        .assert()
        .success()
        .stdout("Recorded the risk assessment of breach 2026-003.\n")
        .stderr(predicate::str::contains("/data_subjects: The breach is assessed as a high risk"));
    env.ropa()
        .args(["breaches", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-003  Mail til forkert kunde"))
        .stdout(predicate::str::contains("High risk"))
        .stdout(predicate::str::contains("2026-03-27 16:00"))
        .stdout(predicate::str::contains("due 2026-03-30 17:00"))
        .stdout(predicate::str::contains("not required"))
        .stdout(predicate::str::contains("Times in Europe/Copenhagen."));
    env.ropa()
        .args(["breaches", "show", "a.ropa", "2026-003"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Notice due: 2026-03-30 17:00 (72 hours after awareness)"))
        .stdout(predicate::str::contains("2026-03-27 16:00  The organisation became aware"));
    env.ropa()
        .args(["--lang", "da", "breaches", "show", "a.ropa", "2026-003"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Anmeldelse senest: 30.03.2026 kl. 17.00"));
    let out = env.ropa().args(["breaches", "show", "a.ropa", "2026-003", "--json"]).output().expect("run");
    let breach: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(breach["became_aware_at"], "2026-03-27T15:00:00Z");
    let out = env.ropa().args(["breaches", "list", "a.ropa", "--json"]).output().expect("run");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.as_array().expect("array").len(), 3);
    assert_eq!(list[2]["notice_deadline"]["due"]["at"], "2026-03-30T15:00:00Z");
}

#[test]
fn bad_times_are_refused_in_one_line_and_the_file_is_unchanged() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    let before = hash(&env.path("a.ropa"));
    for (time, message) in [
        (
            "2026-03-29 02:30",
            "ropa: 2026-03-29 02:30 does not exist in Europe/Copenhagen: the clocks skip that hour when summer time begins. Give a time after the change, or one with an offset.\n",
        ),
        (
            "fredag",
            "ropa: Not a time: fredag. Use 2026-03-27 16:00 (the organisation's time) or 2026-03-27T16:00+01:00.\n",
        ),
    ] {
        env.ropa()
            .args(["breaches", "add", "a.ropa", "--title", "X", "--aware", time])
            .assert()
            .failure()
            .code(1)
            .stdout("")
            .stderr(message);
    }
    env.ropa()
        .args(["--lang", "nb", "breaches", "close", "a.ropa", "2026-001", "--at", "2026-03-29 02:30"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("finnes ikke i Europe/Copenhagen"));
    assert_eq!(hash(&env.path("a.ropa")), before);
    assert_eq!(env.files(), vec!["a.ropa"]);
}

#[test]
fn a_notice_after_72_hours_needs_the_reasons_for_the_delay() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    std::fs::write(env.path("b.json"), breach_json("2026-03-27T15:00:00Z")).expect("write");
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--from", "b.json"])
        .assert()
        .success()
        .stdout("Recorded breach 2026-003.\n");
    let before = hash(&env.path("a.ropa"));
    let notify = ["breaches", "notify", "a.ropa", "2026-003", "--at", "2026-03-30 18:00", "--case", "2026-431-0777"];
    env.ropa()
        .args(notify)
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("ropa: The data is not valid; nothing was saved:\n"))
        .stderr(predicate::str::contains("/late_notice_reasons: The first notice was sent 73 hours after"));
    assert_eq!(hash(&env.path("a.ropa")), before, "a refused notice leaves the file as it was");
    env.ropa()
        .args(notify)
        .args(["--delay-reason", "Påskeferie; omfanget blev først kendt mandag."])
        .assert()
        .success()
        .stdout("Recorded the notice to the supervisory authority for breach 2026-003.\n");
    env.ropa()
        .args([
            "breaches",
            "notify",
            "a.ropa",
            "2026-003",
            "--at",
            "2026-04-02T10:00:00+02:00",
            "--case",
            "2026-431-0777",
        ])
        .args(["--new-information", "Begge modtagere har slettet mailen."])
        .assert()
        .success();
    let out = env.ropa().args(["breaches", "show", "a.ropa", "2026-003", "--json"]).output().expect("run");
    let breach: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(breach["notices"][0]["phase"], "initial");
    assert_eq!(breach["notices"][0]["at"], "2026-03-30T16:00:00Z");
    assert_eq!(breach["notices"][1]["phase"], "supplement");
    assert_eq!(breach["notices"][1]["at"], "2026-04-02T08:00:00Z");
    assert_eq!(breach["late_notice_reasons"], "Påskeferie; omfanget blev først kendt mandag.");
    env.ropa()
        .args(["breaches", "show", "a.ropa", "2026-003"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-03-30 18:00  Notified the supervisory authority (2026-431-0777)"))
        .stdout(predicate::str::contains("2026-04-02 10:00  Supplementary notice to the supervisory authority"))
        .stdout(predicate::str::contains("Open deadlines").not());
}

#[test]
fn breaches_are_added_from_json_updated_and_closed_but_never_overwritten_by_add() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    std::fs::write(env.path("b.json"), breach_json("2026-06-01T08:00:00Z")).expect("write");
    env.ropa().args(["breaches", "add", "a.ropa", "--from", "b.json"]).assert().success();
    let mut value: serde_json::Value = serde_json::from_str(&breach_json("2026-06-01T08:00:00Z")).expect("json");
    value["id"] = "2026-003".into();
    std::fs::write(env.path("b.json"), value.to_string()).expect("write");
    let before = hash(&env.path("a.ropa"));
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--from", "b.json"])
        .assert()
        .failure()
        .stderr("ropa: A breach with id 2026-003 already exists; change it with `ropa breaches update`.\n");
    std::fs::write(env.path("bad.json"), "{\"title\": 3}").expect("write");
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--from", "bad.json"])
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("ropa: bad.json is not a breach record: "));
    // Closing a breach that is not complete: the notice to the authority is missing.
    env.ropa()
        .args(["breaches", "close", "a.ropa", "2026-003", "--at", "2026-06-05 12:00"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/notices: The breach is assessed as a risk: record the notice"));
    env.ropa()
        .args(["breaches", "show", "a.ropa", "nope"])
        .assert()
        .failure()
        .stderr("ropa: No breach with id nope.\n");
    let mut unknown = value.clone();
    unknown["id"] = "2026-099".into();
    std::fs::write(env.path("unknown.json"), unknown.to_string()).expect("write");
    env.ropa()
        .args(["breaches", "update", "a.ropa", "--from", "unknown.json"])
        .assert()
        .failure()
        .stderr("ropa: No breach with id 2026-099.\n");
    assert_eq!(hash(&env.path("a.ropa")), before);

    value["risk"]["level"] = "no-risk".into();
    std::fs::write(env.path("b.json"), value.to_string()).expect("write");
    env.ropa()
        .args(["breaches", "update", "a.ropa", "--from", "b.json"])
        .assert()
        .success()
        .stdout("Updated breach 2026-003.\n");
    env.ropa()
        .args(["breaches", "close", "a.ropa", "2026-003", "--at", "2026-06-05 12:00"])
        .assert()
        .success()
        .stdout("Closed breach 2026-003.\n");
    let out = env.ropa().args(["breaches", "show", "a.ropa", "2026-003", "--json"]).output().expect("run");
    let breach: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(breach["closed_at"], "2026-06-05T10:00:00Z");
    // The change log names the breach by id only.
    let out = env.ropa().args(["log", "a.ropa", "--json", "--limit", "3"]).output().expect("run");
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(entries[0]["entity"], "breach");
    assert_eq!(entries[0]["entity_id"], "2026-003");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Lønsedler"));
}

#[test]
fn deadlines_are_listed_soonest_first_with_the_time_left() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    // Aware 59 min 30 s ago: 71 hours left, give or take the seconds the commands take.
    let aware = chrono::Utc::now() - chrono::TimeDelta::seconds(3570);
    let reported = aware - chrono::TimeDelta::hours(1);
    let aware_text = aware.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--title", "Anmeldt af kunde", "--aware", &aware_text])
        .args(["--found-by", "outside-reporter", "--reported", &reported.to_rfc3339()])
        .assert()
        .success();
    let out = env.ropa().args(["deadlines", "a.ropa", "--json"]).output().expect("run");
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = list.as_array().expect("array");
    let expiries: Vec<&str> = list.iter().map(|d| d["expires_at"].as_str().expect("expiry")).collect();
    let mut sorted = expiries.clone();
    sorted.sort();
    assert_eq!(expiries, sorted, "soonest first");
    let kinds: Vec<&str> = list.iter().map(|d| d["deadline"]["kind"].as_str().expect("kind")).collect();
    for kind in ["breach_notification", "reporter_acknowledgement", "reporter_feedback", "activity_review"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| **k == "activity_review").count(), 6);
    let notice = list.iter().find(|d| d["deadline"]["kind"] == "breach_notification").expect("notice");
    assert_eq!(
        notice["record"],
        serde_json::json!({ "kind": "breach", "id": "2026-003", "title": "Anmeldt af kunde" })
    );
    env.ropa()
        .args(["deadlines", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 d 23 h 0 min"))
        .stdout(predicate::str::contains("Notify the supervisory authority of the breach (72 hours)"))
        .stdout(predicate::str::contains("breach 2026-003: Anmeldt af kunde"))
        .stdout(predicate::str::contains("processing activity webshop-orders: Webshop: ordrer og levering"))
        .stdout(predicate::str::contains("Times in Europe/Copenhagen."));

    let empty = Env::new();
    empty.init("e.ropa");
    empty.ropa().args(["deadlines", "e.ropa"]).assert().success().stdout("No open deadlines.\n");
    empty.ropa().args(["breaches", "list", "e.ropa"]).assert().success().stdout("No breaches recorded.\n");
}

// ---------------------------------------------------------------------------------------------
// The breach reports

#[test]
fn the_breach_notification_is_written_in_the_order_of_the_authoritys_form() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["report", "breach", "a.ropa", "2026-001", "--out", "anmeldelse.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Wrote the report anmeldelse.pdf ("));
    let text = pdf_text(&env.path("anmeldelse.pdf"));
    for needle in [
        "Anmeldelse af brud på persondatasikkerheden",
        "2026-001: Ordrebekræftelser sendt til forkerte kunder",
        "Frist for anmeldelse (72 timer) 30.03.2026 kl. 17.00",
        "Indledende anmeldelse 2026-431-0123",
        "Supplerende anmeldelse 2026-431-0123 30 af 37 modtagere har bekræftet sletning.",
        "Side 1 af",
    ] {
        assert!(text.contains(needle), "{needle:?} missing: {text}");
    }

    env.ropa()
        .args(["--lang", "nb", "report", "breach", "a.ropa", "2026-001", "--out", "avvik.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Skrev rapporten avvik.pdf ("));
    let text = pdf_text(&env.path("avvik.pdf"));
    let order = [
        "Hovedårsak",
        "Tidsrom",
        "Når ble avviket oppdaget",
        "Antall berørte personer",
        "Hva som har skjedd",
        "Tiltak",
        "Kontaktinformasjon",
    ];
    let mut at = 0;
    for needle in order {
        at += text[at..].find(needle).unwrap_or_else(|| panic!("{needle:?} missing or out of order: {text}"));
    }
    assert!(text.contains("Side 1 av"), "{text}");

    // The same file again is refused without --force and left alone.
    let before = hash(&env.path("avvik.pdf"));
    env.ropa()
        .args(["--lang", "en", "report", "breach", "a.ropa", "2026-001", "--out", "avvik.pdf"])
        .assert()
        .code(1)
        .stderr("ropa: The file avvik.pdf already exists; use --force to overwrite it.\n");
    assert_eq!(hash(&env.path("avvik.pdf")), before);
    env.ropa()
        .args(["--lang", "en", "report", "breach", "a.ropa", "2026-001", "--out", "avvik.pdf", "--force"])
        .assert()
        .success();
    let text = pdf_text(&env.path("avvik.pdf"));
    assert!(text.contains("Personal data breach notification") && text.contains("Page 1 of"), "{text}");
    assert_eq!(env.files(), vec!["a.ropa", "anmeldelse.pdf", "avvik.pdf"], "no temporary file is left");
}

#[test]
fn an_unknown_breach_gives_no_report() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["report", "breach", "a.ropa", "2026-099", "--out", "b.pdf"])
        .assert()
        .code(1)
        .stderr("ropa: No breach with id 2026-099.\n");
    env.ropa().args(["report", "breach", "a.ropa", "--out", "b.pdf"]).assert().code(2);
    assert_eq!(env.files(), vec!["a.ropa"]);
}

#[test]
fn a_late_notice_shows_its_reasons_in_the_notification() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--title", "Mail til forkert kunde", "--aware", "2026-03-27 16:00"])
        .assert()
        .success();
    env.ropa()
        .args(["breaches", "assess", "a.ropa", "2026-003", "--risk", "risk", "--at", "2026-03-28 09:00"])
        .args(["--reasons", "Navn og adresse."])
        .assert()
        .success();
    env.ropa()
        .args(["breaches", "notify", "a.ropa", "2026-003", "--at", "2026-04-02 09:00", "--case", "2026-431-0456"])
        .args(["--delay-reason", "Påskeferie: sagen blev først set efter helligdagene."])
        .assert()
        .success();
    env.ropa().args(["--lang", "da", "report", "breach", "a.ropa", "2026-003", "--out", "sen.pdf"]).assert().success();
    let text = pdf_text(&env.path("sen.pdf"));
    for needle in [
        "Anmeldt for sent: 02.04.2026 kl. 09.00",
        "2 dage og 16 timer efter fristen",
        "Begrundelse for forsinkelsen (art. 33, stk. 1) Påskeferie: sagen blev først set efter helligdagene.",
        "2026-431-0456",
    ] {
        assert!(text.contains(needle), "{needle:?} missing: {text}");
    }
}

#[test]
fn the_breach_log_covers_the_period_and_keeps_breaches_that_were_not_notified() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["--lang", "en", "report", "breach-log", "a.ropa", "--out", "log.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Wrote the report log.pdf ("));
    let text = pdf_text(&env.path("log.pdf"));
    for needle in [
        "Personal data breach log",
        "Every breach in the log",
        "2 breaches, of which 1 notified to the supervisory authority",
        "Ordrebekræftelser sendt til forkerte kunder",
        "Krypteret USB-nøgle med lønbilag tabt",
        "Not required (no risk)",
        "Nøglen er krypteret med en stærk adgangskode, og oplysningerne findes i lønsystemet.",
        "Page 1 of",
    ] {
        assert!(text.contains(needle), "{needle:?} missing: {text}");
    }

    env.ropa()
        .args(["report", "breach-log", "a.ropa", "--from", "2026-05-01", "--to", "2026-05-31", "--out", "maj.pdf"])
        .assert()
        .success();
    let text = pdf_text(&env.path("maj.pdf"));
    assert!(text.contains("Log over brud på persondatasikkerheden") && text.contains("01.05.2026 til 31.05.2026"));
    assert!(text.contains("Krypteret USB-nøgle med lønbilag tabt") && text.contains("Side 1 af"), "{text}");
    assert!(!text.contains("Ordrebekræftelser"), "a March breach in the May log: {text}");

    env.ropa()
        .args(["report", "breach-log", "a.ropa", "--from", "2026-13-01", "--out", "x.pdf"])
        .assert()
        .code(1)
        .stderr("ropa: Not a date: 2026-13-01. Use the form 2026-01-31.\n");
    env.ropa()
        .args(["report", "breach-log", "a.ropa", "--from", "2026-06-01", "--to", "2026-05-01", "--out", "x.pdf"])
        .assert()
        .code(1)
        .stderr("ropa: The period ends (2026-05-01) before it begins (2026-06-01).\n");
    assert_eq!(env.files(), vec!["a.ropa", "log.pdf", "maj.pdf"]);
}

#[test]
fn the_main_cause_is_set_on_add_and_update_from_the_closed_list_and_shown_in_the_nb_notification() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args(["breaches", "add", "a.ropa", "--title", "Snoking i kundedata", "--aware", "2026-03-27 16:00"])
        .args(["--main-cause", "staff-snooping"])
        .assert()
        .success()
        .stdout("Recorded breach 2026-003.\n");
    let shown = env.ropa().args(["breaches", "show", "a.ropa", "2026-003", "--json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&shown.get_output().stdout).expect("json");
    assert_eq!(json["main_cause"], "staff-snooping");

    // An id outside the list: refused as wrong usage, naming every valid id; nothing changes.
    let before = hash(&env.path("a.ropa"));
    let refused = env.ropa().args(["breaches", "update", "a.ropa", "2026-003", "--main-cause", "snooping"]).assert();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    refused.failure().code(2);
    for id in ropa_core::vocab::BreachCause::ALL.iter().map(|c| c.id()) {
        assert!(stderr.contains(id), "{id} is not listed:\n{stderr}");
    }
    assert_eq!(hash(&env.path("a.ropa")), before, "nothing written");

    env.ropa()
        .args(["breaches", "update", "a.ropa", "2026-003", "--main-cause", "access-control"])
        .assert()
        .success()
        .stdout("Updated breach 2026-003.\n");
    env.ropa()
        .args(["--lang", "nb", "report", "breach", "a.ropa", "2026-003", "--out", "avvik.pdf"])
        .assert()
        .success();
    let text = pdf_text(&env.path("avvik.pdf"));
    assert!(text.contains("Hovedårsak Mangelfull eller manglende tilgangsstyring"), "{text}");
}
