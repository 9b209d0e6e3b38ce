//! `ropa supervisions` end to end: a supervision's audit report stored in the register and
//! written back byte-identical, a file that is not what its name says refused with the register
//! file unchanged, and the report carried through an export and import.

use predicates::prelude::*;
use sha2::{Digest, Sha256};

mod common;
use common::*;

/// A register with the example content and the processor `mailhost` with one supervision,
/// `isae-2026`.
fn register(env: &Env) {
    env.init_with_fixture("a.ropa");
    let processor = serde_json::json!({
        "id": "mailhost", "name": "Mail Host Ltd", "country": "IE",
        "activities": ["webshop-orders"], "data_categories": ["contact"],
        "supervisions": [{"id": "isae-2026", "method": "isae3402", "done_on": "2026-02-01", "findings": ""}]
    });
    std::fs::write(env.path("p.json"), processor.to_string()).expect("write");
    env.ropa().args(["processors", "add", "a.ropa", "--from", "p.json"]).assert().success();
}

#[test]
fn an_audit_report_is_stored_and_written_back_byte_identical() {
    let env = Env::new();
    register(&env);
    let mut content = b"%PDF-1.7\n".to_vec();
    content.extend((0..600_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(env.path("isae.pdf"), &content).expect("write");
    let sha = format!("{:x}", Sha256::digest(&content));
    env.ropa()
        .args(["supervisions", "attach", "a.ropa", "mailhost", "isae-2026", "isae.pdf"])
        .assert()
        .success()
        .stdout(format!(
            "Stored the audit report of supervision isae-2026 of mailhost ({} bytes, SHA-256 {sha}).\n",
            content.len()
        ));
    env.ropa()
        .args(["processors", "show", "a.ropa", "mailhost"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("\"sha256\": \"{sha}\"")))
        .stdout(predicate::str::contains("\"file_name\": \"isae.pdf\""));
    env.ropa()
        .args(["supervisions", "extract", "a.ropa", "mailhost", "isae-2026", "--out", "ud.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("SHA-256 {sha} matches")));
    assert_eq!(hash(&env.path("ud.pdf")), hash(&env.path("isae.pdf")));
    env.ropa()
        .args(["supervisions", "extract", "a.ropa", "mailhost", "no-such", "--out", "x.pdf"])
        .assert()
        .failure()
        .stderr("ropa: The processor has no supervision with id “no-such”.\n");
    env.ropa()
        .args(["log", "a.ropa", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mailhost/isae-2026"));

    // Exported beside the JSON and read back.
    env.ropa()
        .args(["export", "a.ropa", "--out", "ud.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote 1 documents (signed agreements and audit reports) to"));
    assert_eq!(hash(&env.path(&format!("ud.documents/{sha}.pdf"))), hash(&env.path("isae.pdf")));
    env.init("b.ropa");
    env.ropa().args(["import", "b.ropa", "--from", "ud.json"]).assert().success();
    env.ropa()
        .args(["supervisions", "extract", "b.ropa", "mailhost", "isae-2026", "--out", "tilbage.pdf"])
        .assert()
        .success();
    assert_eq!(hash(&env.path("tilbage.pdf")), hash(&env.path("isae.pdf")));
}

#[test]
fn an_audit_report_that_is_not_what_its_name_says_is_refused_and_the_register_is_unchanged() {
    let env = Env::new();
    register(&env);
    std::fs::write(env.path("rapport.pdf"), b"\x89PNG\r\n\x1a\n an image").expect("write");
    let before = hash(&env.path("a.ropa"));
    for (lang, message) in [
        ("en", "ropa: The file is named .pdf but its content looks like png. The register is unchanged.\n"),
        ("da", "ropa: Filen hedder .pdf, men indholdet ligner png. Registret er uændret.\n"),
    ] {
        env.ropa()
            .args(["--lang", lang, "supervisions", "attach", "a.ropa", "mailhost", "isae-2026", "rapport.pdf"])
            .assert()
            .failure()
            .stderr(message);
    }
    assert_eq!(hash(&env.path("a.ropa")), before);
}
