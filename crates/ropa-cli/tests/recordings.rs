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
    quality_on_interest("da").stderr(predicate::str::contains("Optagelse til training kræver samtykke"));
    quality_on_interest("nb").stderr(predicate::str::contains("Opptak for training krever samtykke"));
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
