//! Processors and their agreements on real register files: saving with the register's links,
//! the signed document streamed in and out (a 50 MB file byte-identical by hash), a file whose
//! content does not fit its extension refused with the file unchanged, and the processors'
//! deadlines on fixed dates.

use chrono::{DateTime, NaiveDate, Utc};
use ropa_core::deadlines::DeadlineStatus;
use ropa_core::files::Existing;
use ropa_core::processor_agreements::*;
use ropa_core::register_deadlines::{ProcessorDeadlineKind, processor_deadlines};
use ropa_core::vocab::*;
use ropa_core::{ChainHeads, Passphrase, Register, StoreError};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::common::{PASS, fixture_content, hash};

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

    fn heads(&self) -> ChainHeads {
        ChainHeads::at(self.dir.path().join("config"))
    }

    /// A register holding the example register and the processor `mailhost`.
    fn create(&self) -> Register {
        let content = fixture_content();
        let mut register =
            Register::create(&self.path("r.ropa"), &Passphrase::from(PASS), &content.organisation, self.heads())
                .expect("create register");
        register.import(&content, false).expect("import");
        register.save_processor(&processor()).expect("save processor");
        register
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("a valid time").with_timezone(&Utc)
}

fn processor() -> Processor {
    Processor {
        activities: vec!["webshop-orders".into()],
        data_categories: vec!["contact".into()],
        ..Processor::new("mailhost", "Mail Host Ltd", "IE")
    }
}

/// Writes `len` bytes starting with `head` and continuing with a pattern, in chunks.
fn write_file(path: &Path, head: &[u8], len: usize) -> Vec<u8> {
    let mut file = std::fs::File::create(path).expect("create");
    let mut hasher = Sha256::new();
    file.write_all(head).expect("write");
    hasher.update(head);
    let mut left = len - head.len();
    let mut chunk = vec![0u8; 1 << 20];
    let mut n: u32 = 0;
    while left > 0 {
        for byte in chunk.iter_mut() {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            *byte = (n >> 16) as u8;
        }
        let take = left.min(chunk.len());
        file.write_all(&chunk[..take]).expect("write");
        hasher.update(&chunk[..take]);
        left -= take;
    }
    hasher.finalize().to_vec()
}

#[test]
fn a_processor_with_an_unknown_activity_is_refused_and_one_in_use_keeps_its_activity() {
    let env = Env::new();
    let mut register = env.create();
    let mut bad = processor();
    bad.id = "other".into();
    bad.activities.push("no-such-activity".into());
    let err = register.save_processor(&bad).expect_err("refused");
    assert!(
        matches!(&err, StoreError::Invalid(issues) if issues.iter().any(|i| i.code == "processor.unknown_activity" && i.path == "/activities/1")),
        "{err:?}"
    );
    assert!(matches!(register.processor("other"), Err(StoreError::NotFound { .. })));
    let err = register.delete_activity("webshop-orders").expect_err("in use by the processor");
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
    let log = register.change_log(1).expect("log");
    assert_eq!(
        (log[0].entity.as_str(), log[0].entity_id.as_str(), log[0].action.as_str()),
        ("processor", "mailhost", "create")
    );
}

#[test]
fn a_50_mb_document_round_trips_byte_identical_through_the_register_file() {
    let env = Env::new();
    let mut register = env.create();
    let source = env.path("aftale.pdf");
    let expected = write_file(&source, b"%PDF-1.7\n", 50 * 1024 * 1024);
    let options = AttachOptions {
        version: Some("2026-1".into()),
        signed_on: Some(date(2026, 3, 1)),
        expires_on: Some(date(2028, 2, 29)),
    };
    let document = register.attach_agreement("mailhost", &source, &options).expect("attach");
    assert_eq!(document.size, 50 * 1024 * 1024);
    assert_eq!(document.kind, DocumentKind::Pdf);
    assert_eq!(document.sha256, hex(&expected));
    register.close().expect("close");

    // Reopened from disk: the agreement and its document are there.
    let register = Register::open(&env.path("r.ropa"), &Passphrase::from(PASS), env.heads()).expect("open");
    let stored = register.processor("mailhost").expect("processor");
    let current = stored.current_agreement().expect("current version");
    assert_eq!(current.version, "2026-1");
    assert_eq!(current.signed_on, Some(date(2026, 3, 1)));
    assert_eq!(current.document.as_ref(), Some(&document));
    let out = env.path("ud.pdf");
    register.extract_agreement("mailhost", None, &out, Existing::Keep).expect("extract");
    assert_eq!(hash(&out), expected);
    assert!(register.verify().expect("verify").is_ok());
    let log = register.change_log(1).expect("log");
    assert_eq!(
        (log[0].entity.as_str(), log[0].entity_id.as_str(), log[0].action.as_str()),
        ("agreement", "mailhost/2026-1", "attach")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_file_whose_content_does_not_fit_its_extension_is_refused_and_the_register_is_unchanged() {
    let env = Env::new();
    let register = env.create();
    register.close().expect("close");
    let before = hash(&env.path("r.ropa"));
    let cases: [(&str, &[u8], &str); 5] = [
        ("aftale.pdf", b"PK\x03\x04rest of a zip", "zip"),
        ("aftale.docx", b"%PDF-1.4 really a pdf", "pdf"),
        ("scan.png", b"\xff\xd8\xff\xe0 a jpeg", "jpeg"),
        ("scan.jpg", b"just some words", "text"),
        ("aftale.odt", b"\x00\x01\x02\x03", "unknown"),
    ];
    let mut register = Register::open(&env.path("r.ropa"), &Passphrase::from(PASS), env.heads()).expect("open");
    for (name, content, looks) in cases {
        let path = env.path(name);
        std::fs::write(&path, content).expect("write");
        let err = register.attach_agreement("mailhost", &path, &AttachOptions::default()).expect_err(name);
        let ext = name.rsplit('.').next().unwrap_or_default();
        assert!(
            matches!(&err, DocumentError::WrongType { extension, looks_like } if extension == ext && *looks_like == looks),
            "{name}: {err:?}"
        );
        assert_eq!(err.code(), "wrong_type");
    }
    let path = env.path("aftale.txt");
    std::fs::write(&path, b"%PDF-1.4").expect("write");
    let err = register.attach_agreement("mailhost", &path, &AttachOptions::default()).expect_err("txt");
    assert!(matches!(&err, DocumentError::UnsupportedExtension { extension } if extension == "txt"), "{err:?}");
    let path = env.path("tom.pdf");
    std::fs::write(&path, b"").expect("write");
    assert!(matches!(
        register.attach_agreement("mailhost", &path, &AttachOptions::default()),
        Err(DocumentError::Empty)
    ));
    register.close().expect("close");
    assert_eq!(hash(&env.path("r.ropa")), before, "the register file changed");
}

#[test]
fn a_new_version_becomes_current_and_the_old_keeps_its_document() {
    let env = Env::new();
    let mut register = env.create();
    let first = env.path("v1.pdf");
    std::fs::write(&first, b"%PDF-1.4 first").expect("write");
    let second = env.path("v2.docx");
    std::fs::write(&second, b"PK\x03\x04 second").expect("write");
    let v1 = AttachOptions { version: Some("1".into()), signed_on: Some(date(2024, 1, 1)), expires_on: None };
    register.attach_agreement("mailhost", &first, &v1).expect("attach v1");
    let v2 = AttachOptions { version: Some("2".into()), signed_on: Some(date(2026, 1, 1)), expires_on: None };
    register.attach_agreement("mailhost", &second, &v2).expect("attach v2");
    let p = register.processor("mailhost").expect("processor");
    assert_eq!(
        p.agreements.iter().map(|a| (a.version.as_str(), a.current)).collect::<Vec<_>>(),
        [("1", false), ("2", true)]
    );
    let out = env.path("old.pdf");
    let doc = register.extract_agreement("mailhost", Some("1"), &out, Existing::Keep).expect("extract v1");
    assert_eq!(std::fs::read(&out).expect("read"), b"%PDF-1.4 first");
    assert_eq!(doc.file_name, "v1.pdf");
    // An update that sends stale document descriptions cannot change the stored ones.
    let mut edited = p.clone();
    edited.agreements[0].document = None;
    edited.agreements[1].document.as_mut().expect("doc").sha256 = "00".into();
    register.save_processor(&edited).expect("update");
    assert_eq!(register.processor("mailhost").expect("processor").agreements, p.agreements);
    // Extracting where a file exists is refused and leaves it alone.
    let err = register.extract_agreement("mailhost", Some("1"), &out, Existing::Keep).expect_err("exists");
    assert!(matches!(&err, DocumentError::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists));
    let err = register.extract_agreement("mailhost", Some("9"), &env.path("x.pdf"), Existing::Keep).expect_err("no v9");
    assert!(matches!(&err, DocumentError::NoVersion { version } if version == "9"));
}

#[test]
fn import_with_replace_is_refused_while_the_interchange_does_not_carry_processors() {
    let env = Env::new();
    let mut register = env.create();
    let err = register.import(&fixture_content(), true).expect_err("refused");
    assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
    assert!(register.processor("mailhost").is_ok());
}

#[test]
fn the_next_supervision_is_twelve_months_after_the_last_by_1182_71_or_as_set() {
    let mut p = processor();
    assert_eq!(p.next_supervision_due(), None);
    p.agreements.push(Agreement {
        version: "1".into(),
        current: true,
        signed_on: Some(date(2025, 1, 31)),
        expires_on: None,
        term: String::new(),
        checklist: Art28Checklist::default(),
        document: None,
    });
    assert_eq!(p.next_supervision_due(), Some(date(2026, 1, 31)));
    p.supervisions.push(Supervision {
        id: String::new(),
        method: SupervisionMethod::Questionnaire,
        done_on: date(2024, 2, 29),
        findings: String::new(),
        next_due: None,
        report: None,
    });
    assert_eq!(p.next_supervision_due(), Some(date(2025, 2, 28)), "29 February + 12 months");
    p.supervision_interval_months = Some(1);
    p.supervisions[0].done_on = date(2025, 1, 31);
    assert_eq!(p.next_supervision_due(), Some(date(2025, 2, 28)), "31 January + 1 month");
    p.supervisions[0].next_due = Some(date(2025, 6, 1));
    assert_eq!(p.next_supervision_due(), Some(date(2025, 6, 1)));
}

#[test]
fn processor_deadlines_on_fixed_dates() {
    let content = fixture_content();
    let signed = |version: &str, signed: NaiveDate, expires: Option<NaiveDate>| Agreement {
        version: version.into(),
        current: true,
        signed_on: Some(signed),
        expires_on: expires,
        term: String::new(),
        checklist: Art28Checklist::default(),
        document: None,
    };
    // Signed 2025-06-01, ends 2026-08-15, last supervised 2025-07-01.
    let mut expiring = Processor::new("a-expiring", "A", "DE");
    expiring.agreements.push(signed("1", date(2025, 6, 1), Some(date(2026, 8, 15))));
    expiring.supervisions.push(Supervision {
        id: String::new(),
        method: SupervisionMethod::Soc2,
        done_on: date(2025, 7, 1),
        findings: String::new(),
        next_due: None,
        report: None,
    });
    // Unsigned, used by an active and a retired activity.
    let mut unsigned = Processor::new("b-unsigned", "B", "SE");
    unsigned.activities = vec!["newsletter".into(), "payroll".into()];
    let mut content = content;
    content.activities.iter_mut().find(|a| a.id == "payroll").expect("payroll").status = ActivityStatus::Retired;
    // Signed long ago, never supervised: overdue.
    let mut overdue = Processor::new("c-overdue", "C", "FI");
    overdue.agreements.push(signed("1", date(2024, 1, 10), None));
    let list = [expiring, unsigned, overdue];

    let at = |now: &str| {
        processor_deadlines(&content, &list, utc(now))
            .into_iter()
            .map(|d| (d.kind, d.processor_id, d.activity_id, d.due, d.status))
            .collect::<Vec<_>>()
    };
    use DeadlineStatus::*;
    use ProcessorDeadlineKind as K;
    let s = |x: &str| x.to_owned();
    // 2026-06-16: 60 days before 2026-08-15 → the expiry is listed; supervision of A due on
    // 2026-07-01 is within 90 days; C was due 2025-01-10.
    assert_eq!(
        at("2026-06-16T10:00:00Z"),
        [
            (K::NoSignedAgreement, s("b-unsigned"), None, None, Overdue),
            (K::ActivityWithoutAgreement, s("b-unsigned"), Some(s("newsletter")), None, Overdue),
            (K::Supervision, s("c-overdue"), None, Some(date(2025, 1, 10)), Overdue),
            (K::Supervision, s("a-expiring"), None, Some(date(2026, 7, 1)), DueSoon),
            (K::AgreementExpiry, s("a-expiring"), None, Some(date(2026, 8, 15)), DueSoon),
        ]
    );
    // One day earlier the expiry is 61 days away and not yet listed.
    assert!(!at("2026-06-15T10:00:00Z").iter().any(|d| d.0 == K::AgreementExpiry));
    // After 2026-08-15 it has run out.
    assert!(at("2026-08-16T10:00:00Z").contains(&(
        K::AgreementExpiry,
        s("a-expiring"),
        None,
        Some(date(2026, 8, 15)),
        Overdue
    )));
    // Early in 2025 nobody's supervision is near except C's, then due soon.
    assert_eq!(
        at("2024-12-01T10:00:00Z").into_iter().filter(|d| d.0 == K::Supervision).collect::<Vec<_>>(),
        [(K::Supervision, s("c-overdue"), None, Some(date(2025, 1, 10)), DueSoon)]
    );
}

#[test]
fn the_schema_two_fixture_is_upgraded_and_takes_processors_with_their_documents() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema2.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 2");
    let mut register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open the fixture");
    assert!(register.processors().expect("processors").is_empty());
    register.save_processor(&processor()).expect("save a processor in the upgraded file");
    let doc = env.path("aftale.pdf");
    std::fs::write(&doc, b"%PDF-1.7 signed").expect("write");
    register.attach_agreement("mailhost", &doc, &AttachOptions::default()).expect("attach");
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");
    let raw = ropa_core::store::testing::open_raw(&env.path("old.ropa"), &pass).expect("raw");
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, ropa_core::store::LATEST_VERSION);
}

/// A register with a processor whose two versions each have a document, exported as JSON with
/// its documents folder; returns the JSON's path.
fn exported(env: &Env) -> PathBuf {
    let mut register = env.create();
    let mut with_sub = register.processor("mailhost").expect("processor");
    with_sub.sub_processors.push(SubProcessor {
        name: "Cloud Inc".into(),
        country: "US".into(),
        services: vec!["Hosting".into()],
        mechanism: Some(TransferMechanism::DataPrivacyFramework),
        dpf_certified: Some(true),
        sub_processors: Vec::new(),
    });
    register.save_processor(&with_sub).expect("save");
    std::fs::write(env.path("v1.pdf"), b"%PDF-1.4 first").expect("write");
    std::fs::write(env.path("v2.png"), b"\x89PNG\r\n\x1a\n second").expect("write");
    for (version, file) in [("1", "v1.pdf"), ("2", "v2.png")] {
        let options =
            AttachOptions { version: Some(version.into()), signed_on: Some(date(2026, 1, 5)), expires_on: None };
        register.attach_agreement("mailhost", &env.path(file), &options).expect("attach");
    }
    let mut supervised = register.processor("mailhost").expect("processor");
    supervised.supervisions.push(supervision(date(2026, 2, 1)));
    register.save_processor(&supervised).expect("save");
    let id = register.processor("mailhost").expect("processor").supervisions[0].id.clone();
    std::fs::write(env.path("isae.pdf"), b"%PDF-1.7 ISAE 3402 type 2").expect("write");
    register.attach_supervision_report("mailhost", &id, &env.path("isae.pdf")).expect("attach report");
    let json = env.path("export.json");
    let text = ropa_core::interchange::export_register(
        &register.content().expect("content"),
        &register.breach_log().expect("log"),
        &register.processors().expect("processors"),
    );
    std::fs::write(&json, text).expect("write json");
    let count = register.export_documents(&ropa_core::interchange::documents_dir(&json)).expect("documents");
    assert_eq!(count, 3);
    assert_eq!(ropa_core::interchange::document_count(&register.processors().expect("processors")), 3);
    register.close().expect("close");
    json
}

fn empty_register(env: &Env, name: &str) -> Register {
    let content = fixture_content();
    Register::create(&env.path(name), &Passphrase::from(PASS), &content.organisation, env.heads()).expect("create")
}

#[test]
fn processors_and_their_documents_round_trip_through_the_interchange() {
    let env = Env::new();
    let json = exported(&env);
    let text = std::fs::read_to_string(&json).expect("read");
    let parsed = ropa_core::interchange::parse_register(&text, date(2026, 6, 1)).expect("parse");
    assert_eq!(parsed.processors.len(), 1);
    let mut target = empty_register(&env, "b.ropa");
    target.import_register(&parsed, &ropa_core::interchange::documents_dir(&json), false).expect("import");
    assert_eq!(target.processors().expect("processors"), parsed.processors);
    target.extract_agreement("mailhost", Some("1"), &env.path("back1.pdf"), Existing::Keep).expect("extract 1");
    target.extract_agreement("mailhost", Some("2"), &env.path("back2.png"), Existing::Keep).expect("extract 2");
    assert_eq!(hash(&env.path("back1.pdf")), hash(&env.path("v1.pdf")));
    assert_eq!(hash(&env.path("back2.png")), hash(&env.path("v2.png")));
    let id = parsed.processors[0].supervisions[0].id.clone();
    target.extract_supervision_report("mailhost", &id, &env.path("back.pdf"), Existing::Keep).expect("report");
    assert_eq!(hash(&env.path("back.pdf")), hash(&env.path("isae.pdf")));
    // Export again: the same bytes.
    let again = ropa_core::interchange::export_register(
        &target.content().expect("content"),
        &target.breach_log().expect("log"),
        &target.processors().expect("processors"),
    );
    assert_eq!(again, text);
    assert!(target.verify().expect("verify").is_ok());
}

#[test]
fn an_import_whose_document_was_changed_or_is_missing_leaves_the_register_unchanged() {
    let env = Env::new();
    let json = exported(&env);
    let text = std::fs::read_to_string(&json).expect("read");
    let parsed = ropa_core::interchange::parse_register(&text, date(2026, 6, 1)).expect("parse");
    let dir = ropa_core::interchange::documents_dir(&json);
    let document = parsed.processors[0].agreements[1].document.clone().expect("document");
    let file = dir.join(ropa_core::interchange::document_file_name(&document));
    let target = empty_register(&env, "b.ropa");
    target.close().expect("close");
    let before = hash(&env.path("b.ropa"));

    // Same size and type, one byte changed: found only by the hash, inside the transaction.
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, &bytes).expect("write");
    let mut target = Register::open(&env.path("b.ropa"), &Passphrase::from(PASS), env.heads()).expect("open");
    let err = target.import_register(&parsed, &dir, false).expect_err("changed document");
    assert!(matches!(&err, DocumentError::ImportMismatch { path } if *path == file), "{err:?}");
    // Missing altogether.
    std::fs::remove_file(&file).expect("remove");
    let err = target.import_register(&parsed, &dir, false).expect_err("missing document");
    assert!(matches!(&err, DocumentError::Io { path, .. } if *path == file), "{err:?}");
    assert!(target.processors().expect("processors").is_empty());
    target.close().expect("close");
    assert_eq!(hash(&env.path("b.ropa")), before, "the register file changed");
}

#[test]
fn an_interchange_processor_with_an_unknown_activity_is_reported_with_its_pointer() {
    let env = Env::new();
    let json = exported(&env);
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
    value["processors"][0]["activities"][0] = "no-such-activity".into();
    let err = ropa_core::interchange::parse_register(&value.to_string(), date(2026, 6, 1)).expect_err("refused");
    assert_eq!(err.problems.len(), 1, "{err:?}");
    assert_eq!(err.problems[0].pointer, "/processors/0/activities/0");
    assert_eq!(err.problems[0].code, "issue.processor.unknown_activity");
}

#[test]
fn the_schema_three_fixture_opens_with_its_processor_and_document() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema3.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 3");
    let register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open the fixture");
    let processor = register.processor("mailhost").expect("processor");
    assert_eq!(processor.activities, ["webshop-orders"]);
    let document = processor.current_agreement().and_then(|a| a.document.clone()).expect("document");
    assert_eq!(document.sha256, "9c7209c2e4c5c212ba4f86775cd97f770f54bd1abe4678f9009189b3d7f6c2d2");
    register.extract_agreement("mailhost", Some("1"), &env.path("out.pdf"), Existing::Keep).expect("extract");
    assert_eq!(std::fs::read(env.path("out.pdf")).expect("read"), b"%PDF-1.4\nfixture agreement\n");
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn the_schema_six_fixture_opens_with_its_supervision_report() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema6.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 6");
    let register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open the fixture");
    let processor = register.processor("mailhost").expect("processor");
    let supervision = processor.supervisions.iter().find(|s| s.id == "isae-2026").expect("the supervision");
    let report = supervision.report.clone().expect("its report");
    assert_eq!(report.sha256, "9078c0b7a496ab61f141c6bd4301a6aa9cbed97f127db26fdc1767588b513839");
    register
        .extract_supervision_report("mailhost", "isae-2026", &env.path("out.pdf"), Existing::Keep)
        .expect("extract");
    assert_eq!(
        std::fs::read(env.path("out.pdf")).expect("read"),
        b"%PDF-1.7\nISAE 3402 type II report, fixture\n%%EOF\n"
    );
    assert!(register.verify().expect("verify").is_ok());
}

fn supervision(done_on: NaiveDate) -> Supervision {
    Supervision {
        id: String::new(),
        method: SupervisionMethod::Isae3402,
        done_on,
        findings: String::new(),
        next_due: None,
        report: None,
    }
}

#[test]
fn a_supervision_gets_an_id_and_its_audit_report_round_trips_byte_identical() {
    let env = Env::new();
    let mut register = env.create();
    let mut p = register.processor("mailhost").expect("processor");
    p.supervisions.push(supervision(date(2026, 3, 1)));
    register.save_processor(&p).expect("save");
    let stored = register.processor("mailhost").expect("processor");
    let id = stored.supervisions[0].id.clone();
    assert!(!id.is_empty());
    let sha = write_file(&env.path("soc2.pdf"), b"%PDF-1.7\n", 3 * 1024 * 1024 + 17);
    let report = register.attach_supervision_report("mailhost", &id, &env.path("soc2.pdf")).expect("attach");
    assert_eq!(report.sha256, hex(&sha));
    assert_eq!(report.kind, DocumentKind::Pdf);
    assert_eq!(report.file_name, "soc2.pdf");
    assert_eq!(register.processor("mailhost").expect("processor").supervisions[0].report, Some(report.clone()));
    register.extract_supervision_report("mailhost", &id, &env.path("out.pdf"), Existing::Keep).expect("extract");
    assert_eq!(hash(&env.path("out.pdf")), hash(&env.path("soc2.pdf")));
    // A save cannot change the report's description, and keeps it with its supervision.
    let mut edited = register.processor("mailhost").expect("processor");
    edited.supervisions[0].report = None;
    edited.supervisions[0].findings = "Ingen afvigelser".into();
    register.save_processor(&edited).expect("save");
    assert_eq!(register.processor("mailhost").expect("processor").supervisions[0].report, Some(report));
    // A supervision left out is removed with its report.
    let mut without = register.processor("mailhost").expect("processor");
    without.supervisions.clear();
    register.save_processor(&without).expect("save");
    let err = register
        .extract_supervision_report("mailhost", &id, &env.path("gone.pdf"), Existing::Keep)
        .expect_err("no supervision");
    assert!(matches!(&err, DocumentError::NoSupervision { id: named } if *named == id), "{err:?}");
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn an_audit_report_of_the_wrong_type_is_refused_and_the_register_is_unchanged() {
    let env = Env::new();
    let mut register = env.create();
    let mut p = register.processor("mailhost").expect("processor");
    p.supervisions.push(supervision(date(2026, 3, 1)));
    register.save_processor(&p).expect("save");
    let id = register.processor("mailhost").expect("processor").supervisions[0].id.clone();
    register.close().expect("close");
    let before = hash(&env.path("r.ropa"));
    let mut register = Register::open(&env.path("r.ropa"), &Passphrase::from(PASS), env.heads()).expect("open");
    std::fs::write(env.path("report.pdf"), b"PK\x03\x04 a zip").expect("write");
    let err = register.attach_supervision_report("mailhost", &id, &env.path("report.pdf")).expect_err("zip");
    assert!(
        matches!(&err, DocumentError::WrongType { extension, looks_like } if extension == "pdf" && *looks_like == "zip"),
        "{err:?}"
    );
    std::fs::write(env.path("ok.pdf"), b"%PDF-1.4 report").expect("write");
    let err = register.attach_supervision_report("mailhost", "no-such", &env.path("ok.pdf")).expect_err("unknown");
    assert_eq!(err.code(), "no_supervision");
    let err = register
        .extract_supervision_report("mailhost", &id, &env.path("none.pdf"), Existing::Keep)
        .expect_err("no report yet");
    assert_eq!(err.code(), "no_report");
    assert!(!env.path("none.pdf").exists());
    register.close().expect("close");
    assert_eq!(hash(&env.path("r.ropa")), before, "the register file changed");
}

#[test]
fn supervisions_stored_before_schema_six_get_ids_on_the_upgrade() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema3.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 3");
    {
        // Two supervisions as schema 3 stored them: without ids.
        let raw = ropa_core::store::testing::open_raw(&env.path("old.ropa"), &pass).expect("raw");
        let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 3);
        raw.execute(
            r#"UPDATE processors SET doc = json_set(doc, '$.supervisions', json('[
                {"method": "questionnaire", "done_on": "2025-01-10", "findings": "", "next_due": null},
                {"method": "soc2", "done_on": "2026-01-10", "findings": "OK", "next_due": null}]'))
               WHERE id = 'mailhost'"#,
            [],
        )
        .expect("write supervisions");
    }
    let mut register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open and upgrade");
    let processor = register.processor("mailhost").expect("processor");
    let ids: Vec<&str> = processor.supervisions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(processor.supervisions[1].method, SupervisionMethod::Soc2);
    std::fs::write(env.path("soc2.pdf"), b"%PDF-1.4 soc 2").expect("write");
    register.attach_supervision_report("mailhost", "2", &env.path("soc2.pdf")).expect("attach");
    assert!(register.verify().expect("verify").is_ok());
}
