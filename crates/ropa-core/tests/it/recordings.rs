//! Recording policies and recorded calls on real register files: imports of the call lists
//! phone systems write, idempotent on call id, in batches, with bad rows reported by line and
//! strict mode leaving the register as it was; delete-by days across summer time; flagged calls;
//! finding calls by phone number in local and E.164 form.

use chrono::{NaiveDate, TimeZone, Utc};
use ropa_core::call_import::{CallField, CallReader, Mapping, RowProblem};
use ropa_core::processing_register::Organisation;
use ropa_core::recordings::*;
use ropa_core::vocab::{Country, Language};
use ropa_core::{ChainHeads, Passphrase, Register, StoreError};
use tempfile::TempDir;

use crate::common::{PASS, hash};

const PROFILE: &str = r#"
    [columns]
    call_id = "Opkalds-ID"
    start = "Starttidspunkt"
    direction = "Retning"
    phone = "Telefonnummer"
    customer_ref = "Kundenr"
    consent_method = "Samtykke"
"#;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A Danish register with the two preset policies `service` (consent, 16 months) and
    /// `sales` (legitimate interest, 6 months).
    fn create(&self, country: Country) -> Register {
        let organisation = Organisation::new("Bager Hansen ApS", country, Language::Danish);
        let mut register = Register::create(
            &self.dir.path().join("r.ropa"),
            &Passphrase::from(PASS),
            &organisation,
            ChainHeads::at(self.dir.path().join("config")),
        )
        .expect("create");
        register
            .add_recording_policy(&RecordingPolicy::inbound_customer_service("service", "Kundeservice"))
            .expect("add");
        register.add_recording_policy(&RecordingPolicy::outbound_sales("sales", "Salg")).expect("add");
        register
    }
}

fn reader(bytes: &[u8], country: Country) -> CallReader {
    CallReader::new(std::io::Cursor::new(bytes.to_vec()), Mapping::from_toml(PROFILE).expect("profile"), country)
        .expect("header")
}

fn import(register: &mut Register, bytes: &[u8], policy: &str) -> CallImportReport {
    register.import_calls(reader(bytes, Country::Denmark), Some(policy), CallImportOptions::default()).expect("import")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

const WINDOWS_1252: &[u8] = b"Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\r\n\
    A-1;31-01-2026 09:15;Indg\xE5ende;33 12 34 56;K-17;Tastetryk\r\n\
    A-2;01.03.2026 10:00:30;Indg\xE5ende;+45 20 12 34 56;;\r\n\
    A-3;01.03.2026 11:00;Indg\xE5ende;20 12 34 56;K-18;nej\r\n\r\n";

#[test]
fn a_windows_1252_file_is_imported_with_delete_by_days_and_flags() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let report = import(&mut register, WINDOWS_1252, "service");
    assert_eq!((report.imported, report.already_there, report.rejected.len()), (3, 0, 0));
    assert_eq!(report.batches, 1);
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    let ids: Vec<&str> = calls.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(ids, ["A-1", "A-2", "A-3"]);
    // 31 January + 16 months: 31 May 2027.
    assert_eq!(calls[0].delete_by, day(2027, 5, 31));
    assert_eq!(calls[0].phone, "+4533123456");
    assert_eq!(calls[0].customer_ref.as_deref(), Some("K-17"));
    assert_eq!(calls[0].flag, None);
    assert_eq!(calls[0].status, CallStatus::Kept);
    assert_eq!(calls[1].flag, Some(ConsentFlag::NotActive), "an empty consent cell is no consent");
    assert_eq!(calls[2].flag, Some(ConsentFlag::NotActive), "\"nej\" is no consent");
    let flagged = register.recorded_calls(CallFilter { flagged: true, ..CallFilter::default() }).expect("flagged");
    assert_eq!(flagged.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), ["A-2", "A-3"]);
    // The change log has one entry for the batch, with counts and no phone number.
    let log = register.change_log(1).expect("log");
    assert_eq!((log[0].entity.as_str(), log[0].action.as_str()), ("recorded-calls", "import"));
    assert!(log[0].entity_id.contains("3 imported"), "{}", log[0].entity_id);
    assert!(!log[0].entity_id.contains("4533123456") && !log[0].entity_id.contains("K-17"));
}

#[test]
fn a_utf8_file_with_bom_and_commas_on_a_legitimate_interest_policy_is_not_flagged() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let file = "\u{FEFF}Opkalds-ID,Starttidspunkt,Retning,Telefonnummer,Kundenr,Samtykke\n\
                B-1,2026-07-01T12:00:00+02:00,Udgående,004520123456,,\n\
                B-2,2026-01-31 12:00,ud,+4520123457,\"K,9\",\n";
    let report = import(&mut register, file.as_bytes(), "sales");
    assert_eq!(report.imported, 2);
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    assert_eq!(calls[0].call_id, "B-2");
    assert_eq!(calls[0].customer_ref.as_deref(), Some("K,9"));
    // 31 January + 6 months: 31 July; 1 July + 6 months: 1 January.
    assert_eq!((calls[0].delete_by, calls[1].delete_by), (day(2026, 7, 31), day(2027, 1, 1)));
    assert!(calls.iter().all(|c| c.flag.is_none()));
    assert!(register.recorded_calls(CallFilter { flagged: true, ..CallFilter::default() }).expect("list").is_empty());
}

#[test]
fn a_call_just_after_midnight_in_summer_time_counts_from_the_local_day() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    // 00:30 on 1 April in Copenhagen is 22:30 UTC on 31 March; the call was made on 1 April.
    // 02:30 on 25 October happens twice; the first one is 00:30 UTC on the 25th.
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n\
                D-1;2026-04-01 00:30;ind;33123456;;tastetryk\n\
                D-2;2026-10-25 02:30;ind;33123456;;tastetryk\n\
                D-3;2026-03-29T00:30:00Z;ind;33123456;;tastetryk\n";
    import(&mut register, file.as_bytes(), "service");
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    let got: Vec<(&str, chrono::DateTime<Utc>, NaiveDate)> =
        calls.iter().map(|c| (c.call_id.as_str(), c.start, c.delete_by)).collect();
    let utc = |y, m, d, h, mi| Utc.with_ymd_and_hms(y, m, d, h, mi, 0).single().expect("valid");
    assert_eq!(
        got,
        [
            ("D-3", utc(2026, 3, 29, 0, 30), day(2027, 7, 29)),
            ("D-1", utc(2026, 3, 31, 22, 30), day(2027, 8, 1)),
            ("D-2", utc(2026, 10, 25, 0, 30), day(2028, 2, 25)),
        ]
    );
    // Due on the delete-by day, not the day before.
    let due = |on| register.recorded_calls(CallFilter { due_on: Some(on), flagged: false }).expect("due").len();
    assert_eq!((due(day(2027, 7, 28)), due(day(2027, 7, 29)), due(day(2027, 8, 1))), (0, 1, 2));
}

#[test]
fn call_ids_are_imported_once_within_a_file_and_across_runs() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let first = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n\
                 E-1;2026-03-02 08:00;ind;33123456;;tastetryk\n\
                 E-2;2026-03-02 09:00;ind;33123456;;tastetryk\n\
                 E-1;2026-03-02 08:00;ind;33123456;;tastetryk\n";
    let report = import(&mut register, first.as_bytes(), "service");
    assert_eq!((report.imported, report.already_there, report.repeated_in_file), (2, 0, 1));
    let second = format!("{first}E-3;2026-03-03 09:00;ind;33123456;;tastetryk\n");
    let report = import(&mut register, second.as_bytes(), "service");
    assert_eq!((report.imported, report.already_there, report.repeated_in_file), (1, 3, 0));
    assert_eq!(register.recorded_call_count().expect("count"), 3);
}

#[test]
fn bad_rows_are_reported_by_line_and_the_rest_imported_in_batches() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let mut file = String::from("Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n");
    for i in 0..10 {
        file.push_str(&format!("F-{i};2026-03-02 08:{i:02};ind;33123456;;tastetryk\n"));
    }
    file.push_str("F-bad;2026-03-02 08:00;ind;12;;tastetryk\n");
    file.push_str("F-10;2026-03-02 08:00;ind;33123456;;tastetryk\n");
    let mut rejected_cells = Vec::new();
    let mut progress = Vec::new();
    let mut on_rejected = |e: &ropa_core::call_import::RowError, cells: &[String]| {
        rejected_cells.push((e.line, cells.to_vec()));
    };
    let mut on_progress = |p: CallImportProgress| progress.push(p.read);
    let options = CallImportOptions {
        strict: false,
        batch_size: 4,
        progress: Some(&mut on_progress),
        rejected: Some(&mut on_rejected),
    };
    let report =
        register.import_calls(reader(file.as_bytes(), Country::Denmark), Some("service"), options).expect("import");
    assert_eq!(report.imported, 11);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].field, &report.rejected[0].problem),
        (12, Some(CallField::Phone), &RowProblem::Phone)
    );
    assert_eq!(
        rejected_cells,
        [(12, ["F-bad", "2026-03-02 08:00", "ind", "12", "", "tastetryk"].map(String::from).to_vec())]
    );
    assert_eq!(report.batches, 3);
    assert_eq!(progress, [4, 8, 12]);
    let log = register.change_log(3).expect("log");
    assert!(log.iter().all(|e| e.entity == "recorded-calls"));
}

#[test]
fn a_row_naming_an_unknown_policy_is_rejected_and_so_is_a_row_without_one() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let profile = format!("{PROFILE}policy = \"Politik\"\n");
    let mapping = Mapping::from_toml(&profile).expect("profile");
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Politik\n\
                G-1;2026-03-02 08:00;ud;33123456;;;sales\n\
                G-2;2026-03-02 08:00;ud;33123456;;;marketing\n\
                G-3;2026-03-02 08:00;ud;33123456;;;\n";
    let reader =
        CallReader::new(std::io::Cursor::new(file.as_bytes().to_vec()), mapping, Country::Denmark).expect("header");
    let report = register.import_calls(reader, None, CallImportOptions::default()).expect("import");
    assert_eq!(report.imported, 1);
    let problems: Vec<(u64, RowProblem)> = report.rejected.iter().map(|e| (e.line, e.problem.clone())).collect();
    assert_eq!(problems, [(3, RowProblem::UnknownPolicy), (4, RowProblem::NoPolicy)]);
    assert!(matches!(
        register.import_calls(self::reader(WINDOWS_1252, Country::Denmark), Some("nope"), CallImportOptions::default()),
        Err(CallImportError::UnknownPolicy { id }) if id == "nope"
    ));
}

#[test]
fn strict_keeps_nothing_of_a_file_with_a_bad_row_even_after_several_batches() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    import(&mut register, WINDOWS_1252, "service");
    register.close().expect("close");
    let path = env.dir.path().join("r.ropa");
    let before = hash(&path);
    let mut register =
        Register::open(&path, &Passphrase::from(PASS), ChainHeads::at(env.dir.path().join("config"))).expect("open");
    let mut file = String::from("Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n");
    for i in 0..20 {
        file.push_str(&format!("H-{i};2026-03-02 08:00;ind;33123456;;tastetryk\n"));
    }
    file.push_str("H-bad;2026-03-29 02:30;ind;33123456;;tastetryk\n");
    let options = CallImportOptions { strict: true, batch_size: 5, ..CallImportOptions::default() };
    let err =
        register.import_calls(reader(file.as_bytes(), Country::Denmark), Some("service"), options).expect_err("strict");
    match err {
        CallImportError::Rejected(e) => assert_eq!((e.line, e.problem), (22, RowProblem::TimeSkipped)),
        other => panic!("{other:?}"),
    }
    assert_eq!(register.recorded_call_count().expect("count"), 3);
    register.close().expect("close");
    assert_eq!(hash(&path), before, "the register file is as it was");
    // Without the bad row, strict imports it all.
    let mut register =
        Register::open(&path, &Passphrase::from(PASS), ChainHeads::at(env.dir.path().join("config"))).expect("open");
    let good = file.lines().take(21).collect::<Vec<_>>().join("\n");
    let options = CallImportOptions { strict: true, batch_size: 5, ..CallImportOptions::default() };
    let report =
        register.import_calls(reader(good.as_bytes(), Country::Denmark), Some("service"), options).expect("import");
    assert_eq!((report.imported, report.batches), (20, 4));
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn calls_are_found_by_phone_in_local_and_e164_form_and_by_customer_reference() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    import(&mut register, WINDOWS_1252, "service");
    let found = |q: &str| register.find_calls(q).expect("find").into_iter().map(|c| c.call_id).collect::<Vec<_>>();
    assert_eq!(found("33 12 34 56"), ["A-1"]);
    assert_eq!(found("+4533123456"), ["A-1"]);
    assert_eq!(found("004520123456"), ["A-2", "A-3"]);
    assert_eq!(found("K-18"), ["A-3"]);
    assert!(found("99999999").is_empty());
}

#[test]
fn policies_are_checked_before_they_are_saved() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let base = RecordingPolicy::inbound_customer_service("new", "Ny");
    type Mutate = fn(&mut RecordingPolicy);
    let cases: [(&str, Mutate, &str); 7] = [
        ("id missing", |p| p.id = " ".into(), "recording_policy.id_missing"),
        ("id taken", |p| p.id = "service".into(), "recording_policy.id_duplicate"),
        ("name missing", |p| p.name = String::new(), "recording_policy.name_missing"),
        ("zero months", |p| p.retention_months = 0, "recording_policy.months_zero"),
        ("too long", |p| p.retention_months = 121, "recording_policy.months_too_long"),
        (
            "quality on legitimate interest",
            |p| p.basis = RecordingBasis::LegitimateInterest,
            "recording_policy.consent_needed",
        ),
        ("unknown processor", |p| p.processor_id = Some("tele".into()), "recording_policy.unknown_processor"),
    ];
    let mut failures = Vec::new();
    for (name, mutate, code) in cases {
        let mut policy = base.clone();
        mutate(&mut policy);
        match register.add_recording_policy(&policy) {
            Err(StoreError::Invalid(issues)) if issues.iter().any(|i| i.code == code) => {}
            other => failures.push(format!("{name}: {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(register.recording_policies().expect("list").len(), 2);
    assert!(register.add_recording_policy(&base).expect("valid").is_empty());
    assert_eq!(register.recording_policy("new").expect("stored"), base);
}

#[test]
fn the_schema_four_fixture_opens_with_its_policies_and_calls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema4.ropa");
    let copy = dir.path().join("old.ropa");
    std::fs::copy(&fixture, &copy).expect("copy");
    let heads = ChainHeads::at(dir.path().join("config"));
    let register = Register::open(&copy, &Passphrase::from("fixture passphrase 4"), heads).expect("open the fixture");
    let policies: Vec<String> = register.recording_policies().expect("policies").into_iter().map(|p| p.id).collect();
    assert_eq!(policies, ["kundeservice", "salg"]);
    let calls = register.recorded_calls(CallFilter::default()).expect("calls");
    let ids: Vec<&str> = calls.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(ids, ["K-1", "S-1", "S-2"]);
    assert_eq!(calls[0].delete_by, NaiveDate::from_ymd_opt(2027, 7, 1).expect("date"), "16 months from 1 March 2026");
    let flagged = register.recorded_calls(CallFilter { flagged: true, ..CallFilter::default() }).expect("flagged");
    assert_eq!(flagged.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), ["S-2"], "no consent for quality");
    assert_eq!(register.find_calls("33 12 34 56").expect("find").len(), 1);
    assert!(register.verify().expect("verify").is_ok());
}
