//! `ropa processors` and `ropa agreements` end to end: real register files in temporary
//! folders, processors added from flags and from JSON, a signed document stored and written
//! back byte-identical, a file that is not what its name says refused with the register file
//! unchanged, messages in each language.

use predicates::prelude::*;
use sha2::{Digest, Sha256};

mod common;
use common::*;

/// A register with the example content and the processor `mailhost`.
fn register(env: &Env) {
    env.init_with_fixture("a.ropa");
    env.ropa()
        .args([
            "processors",
            "add",
            "a.ropa",
            "--id",
            "mailhost",
            "--name",
            "Mail Host Ltd",
            "--country",
            "IE",
            "--foreign-id",
            "IE1234567X",
            "--service",
            "E-mail",
            "--activity",
            "webshop-orders",
            "--data-category",
            "contact",
        ])
        .assert()
        .success()
        .stdout("Added processor mailhost.\n");
}

#[test]
fn processors_are_added_listed_shown_and_updated() {
    let env = Env::new();
    register(&env);
    env.ropa()
        .args(["processors", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Mail Host Ltd"))
        .stdout(predicate::str::contains("no signed agreement"));
    let out = env.ropa().args(["processors", "show", "a.ropa", "mailhost"]).output().expect("run");
    assert!(out.status.success());
    let mut processor: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(processor["business_id"], serde_json::json!({"scheme": "foreign", "value": "IE1234567X"}));

    // Update from JSON: moved to the US on the Data Privacy Framework, certification unanswered.
    processor["country"] = "US".into();
    processor["mechanism"] = "eu-us-dpf".into();
    std::fs::write(env.path("p.json"), serde_json::to_string(&processor).expect("json")).expect("write");
    env.ropa()
        .args(["processors", "update", "a.ropa", "--from", "p.json"])
        .assert()
        .success()
        .stdout("Updated processor mailhost.\n")
        .stderr(predicate::str::contains("/dpf_certified: Confirm that the recipient is certified"));

    // Outside the EEA without a mechanism: refused, with the field and the list's date.
    processor["mechanism"] = serde_json::Value::Null;
    std::fs::write(env.path("p.json"), serde_json::to_string(&processor).expect("json")).expect("write");
    let before = hash(&env.path("a.ropa"));
    env.ropa()
        .args(["processors", "update", "a.ropa", "--from", "p.json"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/mechanism: US is outside the EEA without an adequacy decision (list as of"));
    assert_eq!(hash(&env.path("a.ropa")), before);

    // An unknown activity id, in Danish.
    env.ropa()
        .args(["--lang", "da", "processors", "add", "a.ropa", "--name", "Løn A/S", "--country", "DK"])
        .args(["--cvr", "24256790", "--activity", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/activities/0: Der er ingen behandlingsaktivitet med id nope."));
    // A CVR number with a wrong check digit.
    env.ropa()
        .args(["processors", "add", "a.ropa", "--name", "Løn A/S", "--country", "DK", "--cvr", "24256791"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/business_id/value: The CVR number is not valid"));
    env.ropa()
        .args(["processors", "add", "a.ropa", "--id", "mailhost", "--name", "X", "--country", "DK"])
        .assert()
        .failure()
        .stderr("ropa: A processor with id mailhost exists already; use processors update.\n");
    env.ropa()
        .args(["processors", "show", "a.ropa", "nope"])
        .assert()
        .failure()
        .stderr("ropa: No processor with id nope.\n");
}

#[test]
fn a_signed_agreement_is_stored_and_written_back_byte_identical() {
    let env = Env::new();
    register(&env);
    let mut content = b"%PDF-1.7\n".to_vec();
    content.extend((0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(env.path("aftale.pdf"), &content).expect("write");
    let sha = format!("{:x}", Sha256::digest(&content));
    env.ropa()
        .args(["agreements", "attach", "a.ropa", "mailhost", "aftale.pdf"])
        .args(["--signed", "2026-03-01", "--version", "2026-1", "--expires", "2028-02-29"])
        .assert()
        .success()
        .stdout(format!(
            "Stored the document of version 2026-1 of the data processing agreement with mailhost ({} bytes, SHA-256 {sha}).\n",
            content.len()
        ))
        // Signed, so the unticked Art. 28(3) points are shown.
        .stderr(predicate::str::contains("does not cover Art. 28(3)(a)"));
    env.ropa()
        .args(["agreements", "extract", "a.ropa", "mailhost", "--out", "ud.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("SHA-256 {sha} matches")));
    assert_eq!(hash(&env.path("ud.pdf")), hash(&env.path("aftale.pdf")));
    env.ropa()
        .args(["agreements", "extract", "a.ropa", "mailhost", "--out", "ud.pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists; use --force"));
    env.ropa()
        .args(["agreements", "extract", "a.ropa", "mailhost", "--version", "9", "--out", "v9.pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no agreement version “9”"));
    env.ropa()
        .args(["processors", "list", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-1 (2026-03-01)"))
        .stdout(predicate::str::contains("2027-03-01"));
    env.ropa().args(["log", "a.ropa", "--json"]).assert().success().stdout(predicate::str::contains("mailhost/2026-1"));
}

#[test]
fn a_file_that_is_not_what_its_name_says_is_refused_and_the_register_is_unchanged() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("aftale.pdf"), b"PK\x03\x04 a zip file").expect("write");
    std::fs::write(env.path("notes.txt"), b"%PDF-1.4").expect("write");
    let before = hash(&env.path("a.ropa"));
    for (lang, file, message) in [
        (
            "en",
            "aftale.pdf",
            "ropa: The file is named .pdf but its content looks like zip. The register is unchanged.\n",
        ),
        ("da", "aftale.pdf", "ropa: Filen hedder .pdf, men indholdet ligner zip. Registret er uændret.\n"),
        ("nb", "aftale.pdf", "ropa: Filen heter .pdf, men innholdet ser ut som zip. Registeret er uendret.\n"),
        (
            "en",
            "notes.txt",
            "ropa: Files of type “.txt” cannot be stored; use pdf, docx, odt, png or jpg. The register is unchanged.\n",
        ),
    ] {
        env.ropa()
            .args(["--lang", lang, "agreements", "attach", "a.ropa", "mailhost", file])
            .assert()
            .failure()
            .stderr(message);
    }
    assert_eq!(hash(&env.path("a.ropa")), before);
}

#[test]
fn processor_deadlines_list_the_missing_agreement_and_the_activity_using_it() {
    let env = Env::new();
    register(&env);
    let out = env.ropa().args(["processors", "deadlines", "a.ropa", "--json"]).output().expect("run");
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<(&str, Option<&str>)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|d| (d["kind"].as_str().unwrap_or_default(), d["activity_id"].as_str()))
        .collect();
    assert_eq!(kinds, [("no_signed_agreement", None), ("activity_without_agreement", Some("webshop-orders"))]);
    env.ropa()
        .args(["processors", "deadlines", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No signed data processing agreement"));
    // `ropa deadlines` lists every deadline of the register, the processors' included.
    env.ropa()
        .args(["deadlines", "a.ropa"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Processors and data processing agreements:"))
        .stdout(predicate::str::contains("No signed data processing agreement"))
        .stdout(predicate::str::contains("No open deadlines").not());
}

#[test]
fn export_writes_the_documents_beside_the_json_and_import_reads_them_back() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("aftale.pdf"), b"%PDF-1.7 signed").expect("write");
    env.ropa()
        .args(["agreements", "attach", "a.ropa", "mailhost", "aftale.pdf", "--signed", "2026-03-01"])
        .assert()
        .success();
    // To stdout there is no place for the documents.
    env.ropa()
        .args(["export", "a.ropa"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("holds 1 documents (signed agreements and audit reports)"));
    env.ropa()
        .args(["export", "a.ropa", "--out", "ud.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote 1 documents (signed agreements and audit reports) to"));
    let sha = format!("{:x}", Sha256::digest(b"%PDF-1.7 signed"));
    assert_eq!(hash(&env.path(&format!("ud.documents/{sha}.pdf"))), hash(&env.path("aftale.pdf")));

    env.ropa()
        .args(["init", "b.ropa", "--name", "Bager Hansen ApS", "--country", "dk", "--business-id", "24256790"])
        .assert()
        .success();
    env.ropa().args(["import", "b.ropa", "--from", "ud.json"]).assert().success();
    env.ropa().args(["agreements", "extract", "b.ropa", "mailhost", "--out", "tilbage.pdf"]).assert().success();
    assert_eq!(hash(&env.path("tilbage.pdf")), hash(&env.path("aftale.pdf")));
    env.ropa().args(["export", "b.ropa", "--out", "igen.json"]).assert().success();
    assert_eq!(std::fs::read(env.path("igen.json")).expect("read"), std::fs::read(env.path("ud.json")).expect("read"));

    // A document changed beside the JSON: refused, the register unchanged.
    std::fs::write(env.path(&format!("ud.documents/{sha}.pdf")), b"%PDF-1.7 forged").expect("write");
    env.ropa()
        .args(["init", "c.ropa", "--name", "Bager Hansen ApS", "--country", "dk", "--business-id", "24256790"])
        .assert()
        .success();
    let before = hash(&env.path("c.ropa"));
    env.ropa()
        .args(["import", "c.ropa", "--from", "ud.json"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("does not match the size or SHA-256 given in the JSON"));
    assert_eq!(hash(&env.path("c.ropa")), before);
}

#[test]
fn the_processors_report_shows_what_to_act_on_and_each_agreement_in_every_language() {
    let env = Env::new();
    register(&env);
    // A second processor whose agreement ended long ago and was never supervised since.
    let arkiv = serde_json::json!({
        "id": "arkiv",
        "name": "Arkiv & Scan A/S",
        "business_id": {"scheme": "cvr", "value": "24256790"},
        "country": "DK",
        "services": ["Scanning"],
        "activities": ["payroll"],
        "sub_processors": [{"name": "Deep Storage Inc", "country": "US", "mechanism": "scc"}],
        "agreements": [{"version": "1", "current": true, "signed_on": "2020-01-01", "expires_on": "2021-01-01",
            "checklist": {"instructions": {"covered": true, "note": "Pkt. 3"}}}]
    });
    std::fs::write(env.path("arkiv.json"), arkiv.to_string()).expect("write");
    env.ropa().args(["processors", "add", "a.ropa", "--from", "arkiv.json"]).assert().success();
    std::fs::write(env.path("aftale.pdf"), b"%PDF-1.7\nFORTROLIGT\n").expect("write");
    let sha = format!("{:x}", Sha256::digest(b"%PDF-1.7\nFORTROLIGT\n"));
    env.ropa().args(["agreements", "attach", "a.ropa", "arkiv", "aftale.pdf"]).assert().success();

    let cases = [
        (
            "da",
            vec![
                "Oversigt over databehandlere",
                "Uden underskrevet databehandleraftale Mail Host Ltd – bruges af Webshop: ordrer og levering",
                "Aftaler, der udløber inden for 60 dage Arkiv & Scan A/S – udløb 01.01.2021",
                "Tilsyn, der forfalder eller er overskredet Arkiv & Scan A/S – overskredet siden 01.01.2021",
                "1. Mail Host Ltd",
                "Der er ikke registreret nogen databehandleraftale.",
                "2. Arkiv & Scan A/S",
                "01.01.2021 (udløbet)",
                "aftale.pdf (PDF, 20 B)",
                "Aftalen dækker 1 af de 8 punkter.",
                "Deep Storage Inc US Ikke angivet Standardkontraktbestemmelser",
            ],
            "Side 1 af",
        ),
        (
            "nb",
            vec![
                "Oversikt over databehandlere",
                "Uten signert databehandleravtale Mail Host Ltd – brukes av Webshop: ordrer og levering",
                "Arkiv & Scan A/S – utløp 01.01.2021",
                "2. Arkiv & Scan A/S",
                "Avtalen dekker 1 av de 8 punktene.",
            ],
            "Side 1 av",
        ),
        (
            "en",
            vec![
                "Processors overview",
                "Without a signed data processing agreement Mail Host Ltd – used by Webshop: ordrer og levering",
                "Arkiv & Scan A/S – ended 2021-01-01",
                "2. Arkiv & Scan A/S",
                "The agreement covers 1 of the 8 points.",
            ],
            "Page 1 of",
        ),
    ];
    for (lang, in_order, page) in cases {
        let out = format!("processors-{lang}.pdf");
        env.ropa()
            .args(["--lang", lang, "report", "processors", "a.ropa", "--out", &out])
            .assert()
            .success()
            .stdout(predicate::str::contains(out.as_str()));
        let text = pdf_text(&env.path(&out));
        let mut at = 0;
        for needle in &in_order {
            match text[at..].find(needle) {
                Some(i) => at += i + needle.len(),
                None => panic!("{lang}: {needle:?} is missing or out of order:\n{text}"),
            }
        }
        assert!(text.contains(page), "{lang}: no {page:?}");
        assert!(text.contains(&format!("SHA-256: {sha}")), "{lang}: the document's hash is missing");
        // The document's content is not in the report.
        assert!(!text.contains("FORTROLIGT"), "{lang}: the document's content is in the report");
    }

    // The Art. 30(1) record lists the processors under the activities they serve.
    env.ropa().args(["--lang", "da", "report", "register", "a.ropa", "--out", "register.pdf"]).assert().success();
    let text = pdf_text(&env.path("register.pdf"));
    let webshop = text.find("Webshop: ordrer og levering Status").expect("the webshop activity");
    let processors = text[webshop..].find("Databehandlere (art. 28) Databehandler Land").expect("processors section");
    assert!(text[webshop + processors..].starts_with(
        "Databehandlere (art. 28) Databehandler Land Overførselsgrundlag Underdatabehandlere uden for EØS Mail Host Ltd IE Inden for EØS Ingen"
    ));
    assert!(text.contains("Arkiv & Scan A/S DK Inden for EØS • Deep Storage Inc (US): Standardkontraktbestemmelser"));

    // An existing file is kept without --force.
    env.ropa()
        .args(["report", "processors", "a.ropa", "--out", "processors-da.pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists; use --force"));
}

#[test]
fn processors_are_imported_from_a_list_all_or_nothing() {
    let env = Env::new();
    env.init_with_fixture("a.ropa");
    let two = r#"[
        {"name": "Lønbureauet ApS", "country": "DK", "activities": ["payroll"]},
        {"id": "host", "name": "Hosting A/S", "country": "DK", "services": ["Hosting"]}
    ]"#;
    std::fs::write(env.path("two.json"), two).expect("write");
    env.ropa()
        .args(["processors", "import", "a.ropa", "two.json"])
        .assert()
        .success()
        .stdout("Imported 2 processors.\n");
    let out = env.ropa().args(["processors", "list", "a.ropa", "--json"]).output().expect("run");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut names: Vec<&str> = list.as_array().expect("array").iter().filter_map(|p| p["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Hosting A/S", "Lønbureauet ApS"]);

    // One bad processor (an activity the register does not have, the same id twice): none is
    // saved, each problem is named by its place in the file, and the file is unchanged.
    let bad = r#"{"processors": [
        {"id": "mail", "name": "Mail Ltd", "country": "IE"},
        {"id": "print", "name": "Print ApS", "country": "DK", "activities": ["no-such-activity"]},
        {"id": "mail", "name": "Mail again", "country": "IE"}
    ]}"#;
    std::fs::write(env.path("bad.json"), bad).expect("write");
    let before = hash(&env.path("a.ropa"));
    env.ropa()
        .args(["processors", "import", "a.ropa", "bad.json"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/processors/1/activities/0"))
        .stderr(predicate::str::contains("/processors/2/id"));
    assert_eq!(hash(&env.path("a.ropa")), before, "nothing written");
    env.ropa()
        .args(["processors", "import", "a.ropa", "two.json", "--lang", "da"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Importerede 2 databehandlere."));
}
