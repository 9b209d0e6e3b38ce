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

/// A copy of the fixture register written by schema version `schema` in a temporary folder,
/// opened with its passphrase: the folder (to keep), the copy's path and the register.
fn open_fixture(schema: u8) -> (TempDir, std::path::PathBuf, Register) {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/register-schema{schema}.ropa"));
    let copy = dir.path().join("old.ropa");
    std::fs::copy(&fixture, &copy).expect("copy");
    let heads = ChainHeads::at(dir.path().join("config"));
    let passphrase = Passphrase::from(format!("fixture passphrase {schema}").as_str());
    let register = Register::open(&copy, &passphrase, heads).expect("open the fixture");
    (dir, copy, register)
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
        bulk_after: BULK_AFTER,
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
fn a_list_of_both_directions_is_imported_in_two_runs_one_per_direction_policy() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n\
                D-1;2026-03-02 08:00;ind;33123456;;tastetryk\n\
                D-2;2026-03-02 09:00;ud;33123456;;\n\
                D-3;2026-03-02 10:00;ind;20123456;;tastetryk\n";
    // The inbound policy takes the inbound calls; the outbound one is refused, by line.
    let first = import(&mut register, file.as_bytes(), "service");
    assert_eq!((first.imported, first.already_there), (2, 0));
    let refused: Vec<(u64, RowProblem)> = first.rejected.iter().map(|e| (e.line, e.problem.clone())).collect();
    assert_eq!(refused, [(3, RowProblem::PolicyDirection)]);
    // The same file with the outbound policy: the inbound calls are there already, not refused.
    let second = import(&mut register, file.as_bytes(), "sales");
    assert_eq!((second.imported, second.already_there, second.rejected.len()), (1, 2, 0));
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    let policies: Vec<(&str, &str)> = calls.iter().map(|c| (c.call_id.as_str(), c.policy_id.as_str())).collect();
    assert_eq!(policies.len(), 3);
    for expected in [("D-1", "service"), ("D-2", "sales"), ("D-3", "service")] {
        assert!(policies.contains(&expected), "{policies:?}");
    }
}

#[test]
fn a_row_naming_an_unknown_policy_or_one_for_the_other_direction_is_rejected_and_so_is_a_row_without_one() {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let profile = format!("{PROFILE}policy = \"Politik\"\n");
    let mapping = Mapping::from_toml(&profile).expect("profile");
    // `sales` is for outbound calls and `service` for inbound ones.
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Politik\n\
                G-1;2026-03-02 08:00;ud;33123456;;;sales\n\
                G-2;2026-03-02 08:00;ud;33123456;;;marketing\n\
                G-3;2026-03-02 08:00;ud;33123456;;;\n\
                G-4;2026-03-02 08:00;ind;33123456;;;sales\n\
                G-5;2026-03-02 08:00;ud;33123456;;;service\n\
                G-6;2026-03-02 08:00;ind;33123456;;tastetryk;service\n";
    let reader =
        CallReader::new(std::io::Cursor::new(file.as_bytes().to_vec()), mapping, Country::Denmark).expect("header");
    let report = register.import_calls(reader, None, CallImportOptions::default()).expect("import");
    assert_eq!(report.imported, 2);
    let problems: Vec<(u64, Option<CallField>, RowProblem)> =
        report.rejected.iter().map(|e| (e.line, e.field, e.problem.clone())).collect();
    assert_eq!(
        problems,
        [
            (3, Some(CallField::Policy), RowProblem::UnknownPolicy),
            (4, Some(CallField::Policy), RowProblem::NoPolicy),
            (5, Some(CallField::Direction), RowProblem::PolicyDirection),
            (6, Some(CallField::Direction), RowProblem::PolicyDirection),
        ]
    );
    let kept: Vec<String> =
        register.recorded_calls(CallFilter::default()).expect("list").into_iter().map(|c| c.call_id).collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.contains(&"G-1".to_owned()) && kept.contains(&"G-6".to_owned()), "{kept:?}");
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

/// The calls table's indices, as SQLite holds them, and any definitions kept for a rebuild.
fn call_indices(path: &std::path::Path) -> (Vec<String>, Option<String>) {
    let conn = ropa_core::store::testing::open_raw(path, &Passphrase::from(PASS)).expect("raw");
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recorded_calls' ORDER BY name")
        .expect("prepare");
    let indices = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .expect("query")
        .map(|r| r.expect("row").unwrap_or_else(|| "(call id)".to_owned()))
        .collect();
    let kept = conn.query_row("SELECT value FROM meta WHERE key = 'recordings.dropped_indices'", [], |r| r.get(0)).ok();
    (indices, kept)
}

/// `n` calls with distinct numbers, customer references and days.
fn many_calls(prefix: &str, n: usize) -> String {
    let mut file = String::from("Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n");
    for i in 0..n {
        file.push_str(&format!("{prefix}-{i};{:02}-03-2026 10:00;ind;2012{i:04};K-{i};tastetryk\n", 1 + i % 28));
    }
    file
}

/// Checks the register, closes it, and finds the calls' indices as `before`, none left to build.
fn closed_intact(register: Register, path: &std::path::Path, before: Vec<String>) {
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");
    assert_eq!(call_indices(path), (before, None));
}

fn reopen(env: &Env) -> Register {
    Register::open(
        &env.dir.path().join("r.ropa"),
        &Passphrase::from(PASS),
        ChainHeads::at(env.dir.path().join("config")),
    )
    .expect("open")
}

#[test]
fn a_large_import_builds_its_search_indices_again_at_its_end() {
    let env = Env::new();
    let path = env.dir.path().join("r.ropa");
    let mut register = env.create(Country::Denmark);
    import(&mut register, WINDOWS_1252, "service");
    register.close().expect("close");
    let (before, kept) = call_indices(&path);
    assert_eq!(before.len(), 6, "{before:?}");
    assert_eq!(kept, None);

    let mut register = reopen(&env);
    let mut progress = Vec::new();
    let mut on_progress = |p: CallImportProgress| progress.push((p.read, p.indexing));
    // Three calls held: the indices go after the second batch of 10.
    let options = CallImportOptions {
        batch_size: 10,
        bulk_after: 20,
        progress: Some(&mut on_progress),
        ..CallImportOptions::default()
    };
    let file = many_calls("B", 45);
    let report =
        register.import_calls(reader(file.as_bytes(), Country::Denmark), Some("service"), options).expect("import");
    assert_eq!((report.imported, report.batches), (45, 5));
    assert_eq!(progress, [(10, false), (20, false), (30, false), (40, false), (45, false), (45, true)]);
    // Found through the rebuilt indices: by number, by customer reference, by page and as due.
    assert_eq!(register.find_calls("20120007").expect("find").len(), 1);
    assert_eq!(register.find_calls("K-44").expect("find").len(), 1);
    assert_eq!(register.call_page(&CallQuery::default(), 40, 100).expect("page").total, 48);
    assert_eq!(register.due_call_count(day(2028, 1, 1)).expect("due"), 48);
    closed_intact(register, &path, before);
}

#[test]
fn a_large_import_stopped_midway_leaves_its_indices_to_the_next_open() {
    let env = Env::new();
    let path = env.dir.path().join("r.ropa");
    let register = env.create(Country::Denmark);
    register.close().expect("close");
    let (before, _) = call_indices(&path);
    let file = many_calls("S", 60);

    let mut register = reopen(&env);
    // The process stops inside the fourth batch, after the indices were dropped: a panic
    // unwinds past the import's end, as a kill would cut it short.
    let stopped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut on_progress = |p: CallImportProgress| assert!(p.read < 30, "stop");
        let options = CallImportOptions {
            batch_size: 10,
            bulk_after: 10,
            progress: Some(&mut on_progress),
            ..CallImportOptions::default()
        };
        register.import_calls(reader(file.as_bytes(), Country::Denmark), Some("service"), options)
    }));
    assert!(stopped.is_err());
    drop(register);
    let (during, kept) = call_indices(&path);
    assert_eq!(
        during,
        [
            "CREATE INDEX recorded_calls_by_withdrawal ON recorded_calls (withdrawal_id) WHERE withdrawal_id IS NOT NULL",
            "(call id)"
        ],
        "only the call id's index and the withdrawals' (which an import adds nothing to) are left"
    );
    assert!(kept.is_some());

    // Opening builds them; a re-run imports the rest.
    let mut register = reopen(&env);
    assert_eq!(register.recorded_call_count().expect("count"), 30);
    assert!(register.verify().expect("verify").is_ok());
    let report = import(&mut register, file.as_bytes(), "service");
    assert_eq!((report.imported, report.already_there), (30, 30));
    assert_eq!(register.find_calls("20120059").expect("find").len(), 1);
    closed_intact(register, &path, before);
}

#[test]
fn a_large_strict_import_with_a_bad_row_leaves_the_file_and_its_indices_as_they_were() {
    let env = Env::new();
    let path = env.dir.path().join("r.ropa");
    let mut register = env.create(Country::Denmark);
    import(&mut register, WINDOWS_1252, "service");
    register.close().expect("close");
    let before = hash(&path);
    let mut register = reopen(&env);
    let mut file = many_calls("T", 40);
    file.push_str("T-bad;2026-03-02 08:00;ind;12;;tastetryk\n");
    let options = CallImportOptions { strict: true, batch_size: 10, bulk_after: 10, ..CallImportOptions::default() };
    let err =
        register.import_calls(reader(file.as_bytes(), Country::Denmark), Some("service"), options).expect_err("strict");
    assert!(matches!(err, CallImportError::Rejected(ref e) if e.line == 42), "{err:?}");
    register.close().expect("close");
    assert_eq!(hash(&path), before, "the register file is as it was");
    assert_eq!(call_indices(&path).0.len(), 6);
    // Without the bad row, a strict large import keeps it all and its indices.
    let mut register = reopen(&env);
    let options = CallImportOptions { strict: true, batch_size: 10, bulk_after: 10, ..CallImportOptions::default() };
    let good = many_calls("T", 40);
    let report =
        register.import_calls(reader(good.as_bytes(), Country::Denmark), Some("service"), options).expect("import");
    assert_eq!(report.imported, 40);
    assert_eq!(register.find_calls("K-39").expect("find").len(), 1);
    register.close().expect("close");
    let (after, kept) = call_indices(&path);
    assert_eq!((after.len(), kept), (6, None));
}

#[test]
fn a_sweep_of_many_calls_and_one_of_few_leave_the_same_indices_and_forget_the_numbers() {
    let env = Env::new();
    let path = env.dir.path().join("r.ropa");
    let mut register = env.create(Country::Denmark);
    // 56 calls on 1–28 March 2026, two a day: due 16 months later, 1–28 July 2027.
    let file = many_calls("W", 56);
    import(&mut register, file.as_bytes(), "service");
    register.close().expect("close");
    let (before, _) = call_indices(&path);
    let mut register = reopen(&env);
    // 20 of 56 due: more than one in four, so the table is gone through in order, with a page
    // cache as large as the register for its transaction only.
    ropa_core::store::testing::set_cache_kib(&register, 16);
    let settings = ropa_core::store::testing::settings(&register);
    let mut swept = Vec::new();
    let report = register
        .sweep_recordings(day(2027, 7, 10), at(2027, 7, 10, 8), None, &mut |c| swept.push(c.call_id.to_owned()))
        .expect("sweep");
    assert_eq!(report.marked, 20);
    assert_eq!(ropa_core::store::testing::settings(&register), settings, "the connection's settings are as before");
    swept.sort();
    let mut expected: Vec<String> = (0..56).filter(|i| i % 28 < 10).map(|i| format!("W-{i}")).collect();
    expected.sort();
    assert_eq!(swept, expected);
    // Then 2 of the 36 left: through the due index.
    let report = register.sweep_recordings(day(2027, 7, 11), at(2027, 7, 11, 8), None, &mut |_| {}).expect("sweep");
    assert_eq!(report.marked, 2);
    for (i, kept) in [(0, false), (10, false), (11, true), (55, true)] {
        let number = format!("2012{i:04}");
        assert_eq!(register.find_calls(&number).expect("find").len(), usize::from(kept), "{number}");
        assert_eq!(register.find_calls(&format!("K-{i}")).expect("find").len(), usize::from(kept), "K-{i}");
    }
    assert_eq!(register.due_call_count(day(2027, 7, 11)).expect("due"), 0);
    assert_eq!(register.due_call_count(day(2027, 7, 28)).expect("due"), 34);
    let deleted = register.recorded_calls(CallFilter::default()).expect("list");
    let first = deleted.iter().find(|c| c.call_id == "W-0").expect("W-0");
    assert_eq!((first.phone.as_str(), first.customer_ref.as_deref()), ("", None));
    closed_intact(register, &path, before);
    // Each sweep is one deletion record, whatever the number of calls it marked.
    let raw = ropa_core::store::testing::open_raw(&path, &Passphrase::from(PASS)).expect("raw");
    let per_deletion: Vec<i64> = raw
        .prepare("SELECT count(*) FROM recorded_calls WHERE deletion IS NOT NULL GROUP BY deletion ORDER BY deletion")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("deletions");
    assert_eq!(per_deletion, [20, 2]);
    // A deletion removed behind the register's back is found by verify.
    raw.execute("DELETE FROM call_deletions WHERE id = (SELECT max(id) FROM call_deletions)", []).expect("remove");
    drop(raw);
    let register = reopen(&env);
    let report = register.verify().expect("verify");
    assert_eq!(report.integrity, ["recorded_calls: 2 deleted calls point at a deletion not recorded"]);
    assert!(!report.is_ok());
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
    let (_dir, _, register) = open_fixture(4);
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

// ---------------------------------------------------------------------------------------------
// Withdrawal, sweep and access

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

/// Calls of two people: +4533123456 (two on consent in `service`, one on legitimate interest
/// in `sales`) and +4520123456 (one on consent). The audio refs are relative to the folder,
/// one absolute path outside it, one missing file and one phone-system id.
fn calls_with_audio(outside: &std::path::Path) -> Vec<u8> {
    format!(
        "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Optagelse;Politik\n\
         A-1;05-01-2025 09:15;inbound;33 12 34 56;K-17;keypress;2025/A-1.wav;service\n\
         A-2;06-01-2025 10:00;inbound;33123456;K-17;keypress;2025/A-2.wav;service\n\
         A-3;07-01-2025 11:00;outbound;+45 33 12 34 56;K-17;;2025/A-3.wav;sales\n\
         B-1;08-01-2025 12:00;inbound;20 12 34 56;;keypress;{};service\n\
         B-2;09-01-2026 12:00;inbound;20 12 34 56;;keypress;2026/B-2-missing.wav;service\n\
         B-3;01-11-2026 12:00;inbound;20 12 34 56;;keypress;PBX-REC-991;service\n",
        outside.display()
    )
    .into_bytes()
}

struct AudioEnv {
    env: Env,
    register: Register,
    folder: AudioFolder,
    outside: std::path::PathBuf,
}

fn audio_env() -> AudioEnv {
    let env = Env::new();
    let mut register = env.create(Country::Denmark);
    let root = env.dir.path().join("audio");
    for name in ["2025/A-1.wav", "2025/A-2.wav", "2025/A-3.wav"] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(&path, format!("RIFF audio of {name}")).expect("audio");
    }
    let outside = env.dir.path().join("elsewhere.wav");
    std::fs::write(&outside, b"RIFF not ours").expect("outside file");
    let mapping = format!("{PROFILE_WITH_AUDIO}    policy = \"Politik\"\n");
    let reader = CallReader::new(
        std::io::Cursor::new(calls_with_audio(&outside)),
        Mapping::from_toml(&mapping).expect("profile"),
        Country::Denmark,
    )
    .expect("header");
    let report = register.import_calls(reader, None, CallImportOptions::default()).expect("import");
    assert_eq!((report.imported, report.rejected.len()), (6, 0), "{:?}", report.rejected);
    let folder = AudioFolder::new(&root).expect("folder");
    AudioEnv { env, register, folder, outside }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("valid")
}

fn change_count(register: &Register) -> usize {
    register.change_log(100_000).expect("log").len()
}

#[test]
fn a_withdrawal_deletes_the_consent_calls_and_their_audio_and_gives_a_receipt() {
    let AudioEnv { env, mut register, folder, .. } = audio_env();
    let request = WithdrawalRequest {
        phone_or_reference: "+45 33 12 34 56".to_owned(),
        withdrawn_at: at(2026, 11, 20, 9),
        channel: WithdrawalChannel::Phone,
        all_calls: false,
    };
    let outcome = register.withdraw_consent(&request, at(2026, 11, 20, 10), Some(&folder)).expect("withdraw");
    assert!(outcome.failed.is_empty());
    assert_eq!(outcome.kept_on_legitimate_interest, 1, "A-3 is recorded on legitimate interest");
    let receipt = outcome.receipt.expect("a receipt");
    assert_eq!(receipt.id, "2026-0001");
    assert_eq!(receipt.channel, WithdrawalChannel::Phone);
    assert_eq!(receipt.withdrawn_at, at(2026, 11, 20, 9));
    let ids: Vec<&str> = receipt.calls.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(ids, ["A-1", "A-2"]);
    assert_eq!(receipt.recorded_at, at(2026, 11, 20, 10));
    assert!(
        receipt
            .calls
            .iter()
            .all(|c| c.reason == DeletionReason::ConsentWithdrawn && c.audio == Some(AudioOutcome::Deleted))
    );
    let audio = env.dir.path().join("audio/2025");
    assert!(!audio.join("A-1.wav").exists() && !audio.join("A-2.wav").exists(), "the audio is deleted");
    assert!(audio.join("A-3.wav").exists(), "the legitimate-interest recording is kept");

    // The deleted calls keep no phone number, customer reference or recording reference.
    let found = register.find_calls("33123456").expect("find");
    assert_eq!(found.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), ["A-3"]);
    let all = register.recorded_calls(CallFilter::default()).expect("list");
    let a1 = all.iter().find(|c| c.call_id == "A-1").expect("A-1 kept as proof");
    assert_eq!((a1.phone.as_str(), &a1.customer_ref, &a1.recording_ref), ("", &None, &None));
    assert_eq!(a1.status, CallStatus::Deleted { at: at(2026, 11, 20, 10), reason: DeletionReason::ConsentWithdrawn });

    // The receipt reads the same later, and the next one gets the next number.
    assert_eq!(register.deletion_receipt("2026-0001").expect("receipt"), receipt);
    let second = WithdrawalRequest { phone_or_reference: "K-17".to_owned(), all_calls: true, ..request };
    let outcome = register.withdraw_consent(&second, at(2026, 11, 21, 10), Some(&folder)).expect("withdraw");
    let receipt = outcome.receipt.expect("a receipt");
    assert_eq!(receipt.id, "2026-0002");
    assert_eq!(receipt.calls.len(), 1);
    assert_eq!(receipt.calls[0].reason, DeletionReason::Request, "legitimate interest: an erasure request");
    assert_eq!(register.deletion_receipts().expect("ids"), ["2026-0001", "2026-0002"]);
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn a_withdrawal_without_kept_calls_changes_nothing() {
    let AudioEnv { mut register, folder, .. } = audio_env();
    let before = change_count(&register);
    let request = WithdrawalRequest {
        phone_or_reference: "+47 22 33 44 55".to_owned(),
        withdrawn_at: at(2026, 11, 20, 9),
        channel: WithdrawalChannel::Email,
        all_calls: false,
    };
    let err = register.withdraw_consent(&request, at(2026, 11, 20, 10), Some(&folder)).expect_err("no calls");
    assert!(matches!(err, CallRequestError::NoCalls), "{err:?}");
    assert!(!err.to_string().contains("22"), "the error does not repeat the number");
    assert_eq!(change_count(&register), before);
    assert!(register.deletion_receipts().expect("ids").is_empty());
}

#[test]
fn the_sweep_deletes_due_audio_under_the_folder_only_and_marks_the_calls() {
    let AudioEnv { env, mut register, folder, outside } = audio_env();
    // 6 and 16 months from January 2025: A-3 (sales) by 7 July 2025, the 2025 service calls by
    // May 2026, B-2 by May 2027, B-3 not before 2028.
    let today = day(2026, 6, 1);
    assert_eq!(register.due_call_count(today).expect("count"), 4);
    let mut seen = Vec::new();
    let report = register
        .sweep_recordings(today, at(2026, 6, 1, 8), Some(&folder), &mut |c| {
            seen.push((c.call_id.to_owned(), c.audio.map_err(|f| f.call_id.clone())))
        })
        .expect("sweep");
    assert_eq!((report.marked, report.audio_deleted, report.audio_missing, report.audio_external), (4, 3, 0, 1));
    assert!(report.failed.is_empty());
    assert_eq!(seen.iter().find(|(id, _)| id == "B-1").map(|(_, a)| a.clone()), Some(Ok(Some(AudioOutcome::External))));
    assert!(outside.exists(), "a path outside the audio folder is never deleted");
    assert!(!env.dir.path().join("audio/2025/A-1.wav").exists());
    assert_eq!(register.due_call_count(today).expect("count"), 0);
    let deleted = register.recorded_calls(CallFilter::default()).expect("list");
    let deleted: Vec<&str> = deleted
        .iter()
        .filter(|c| matches!(c.status, CallStatus::Deleted { reason: DeletionReason::RetentionExpired, .. }))
        .map(|c| c.call_id.as_str())
        .collect();
    assert_eq!(deleted, ["A-1", "A-2", "A-3", "B-1"]);

    // A year later B-2 is due; its file was never there.
    let report =
        register.sweep_recordings(day(2027, 6, 1), at(2027, 6, 1, 8), Some(&folder), &mut |_| {}).expect("sweep");
    assert_eq!((report.marked, report.audio_missing), (1, 1));
    let again =
        register.sweep_recordings(day(2027, 6, 1), at(2027, 6, 1, 9), Some(&folder), &mut |_| {}).expect("sweep");
    assert_eq!(again, SweepReport::default(), "nothing is due twice");
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn the_sweep_without_a_folder_leaves_every_file_and_marks_the_audio_external() {
    let AudioEnv { env, mut register, .. } = audio_env();
    let before = change_count(&register);
    let report = register.sweep_recordings(day(2026, 6, 1), at(2026, 6, 1, 8), None, &mut |_| {}).expect("sweep");
    assert_eq!((report.marked, report.audio_external, report.batches), (4, 4, 1));
    assert!(env.dir.path().join("audio/2025/A-1.wav").exists());
    assert_eq!(change_count(&register), before + 1);
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    assert!(calls.iter().filter(|c| c.status != CallStatus::Kept).all(|c| c.phone.is_empty()));
}

#[test]
fn an_audio_file_that_cannot_be_deleted_keeps_its_call() {
    let AudioEnv { env, mut register, folder, .. } = audio_env();
    // A reference through a file as if it were a folder: deleting it fails with an error other
    // than "not found", as a file the user may not delete does (this holds for root as well).
    std::fs::write(env.dir.path().join("audio/2025/notes.txt"), b"not audio").expect("file");
    let mapping = format!("{PROFILE_WITH_AUDIO}    policy = \"Politik\"\n");
    let csv = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Optagelse;Politik\n\
               C-1;10-01-2025 09:00;inbound;33 12 34 56;;keypress;2025/notes.txt/C-1.wav;service\n";
    let reader = CallReader::new(
        std::io::Cursor::new(csv.as_bytes().to_vec()),
        Mapping::from_toml(&mapping).expect("profile"),
        Country::Denmark,
    )
    .expect("header");
    assert_eq!(register.import_calls(reader, None, CallImportOptions::default()).expect("import").imported, 1);
    let report =
        register.sweep_recordings(day(2026, 6, 1), at(2026, 6, 1, 8), Some(&folder), &mut |_| {}).expect("sweep");
    assert_eq!(report.failed.iter().map(|f| f.call_id.as_str()).collect::<Vec<_>>(), ["C-1"]);
    assert_eq!(report.marked, 4);
    assert!(env.dir.path().join("audio/2025/notes.txt").exists());
    assert_eq!(register.due_call_count(day(2026, 6, 1)).expect("count"), 1, "C-1 stays due, for the next sweep");
    let c1 = register.find_calls("33 12 34 56").expect("find");
    assert_eq!(c1.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), ["C-1"], "kept with its number");
}

#[test]
fn an_access_extract_has_every_kept_call_of_a_person_and_copies_the_local_audio() {
    let AudioEnv { env, register, folder, .. } = audio_env();
    let extract = register.access_extract("20 12 34 56").expect("extract");
    assert_eq!(extract.subject, "+4520123456");
    let ids: Vec<&str> = extract.calls.iter().map(|c| c.call.call_id.as_str()).collect();
    assert_eq!(ids, ["B-1", "B-2", "B-3"]);
    assert!(extract.calls.iter().all(|c| c.policy.id == "service"));
    let out = env.dir.path().join("extract");
    std::fs::create_dir(&out).expect("out");
    let copies: Vec<AudioCopy> = extract
        .calls
        .iter()
        .map(|c| folder.copy(&c.call.call_id, c.call.recording_ref.as_deref().unwrap_or(""), &out).expect("copy"))
        .collect();
    assert_eq!(
        copies,
        [AudioCopy::External, AudioCopy::Missing, AudioCopy::External],
        "B-3's reference is a phone-system id"
    );
    let extract = register.access_extract("K-17").expect("by customer reference");
    let copy = folder.copy("A-1", extract.calls[0].call.recording_ref.as_deref().expect("ref"), &out).expect("copy");
    assert_eq!(copy, AudioCopy::Copied(out.join("A-1.wav")));
    assert_eq!(std::fs::read(out.join("A-1.wav")).expect("copied"), b"RIFF audio of 2025/A-1.wav");
    assert!(matches!(register.access_extract("99999999"), Err(CallRequestError::NoCalls)));
}

#[test]
fn the_schema_four_fixture_upgrades_and_takes_a_withdrawal() {
    let (_dir, _, mut register) = open_fixture(4);
    let request = WithdrawalRequest {
        phone_or_reference: "33 12 34 56".to_owned(),
        withdrawn_at: at(2026, 11, 20, 9),
        channel: WithdrawalChannel::Letter,
        all_calls: true,
    };
    let outcome = register.withdraw_consent(&request, at(2026, 11, 20, 10), None).expect("withdraw");
    assert_eq!(outcome.receipt.expect("receipt").calls.len(), 1);
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn the_recordings_list_pages_through_the_calls_by_start_with_search_and_filters() {
    let AudioEnv { mut register, .. } = audio_env();
    let ids = |page: &CallPage| page.calls.iter().map(|c| c.call_id.clone()).collect::<Vec<_>>();
    let all = register.call_page(&CallQuery::default(), 0, 4).expect("page");
    assert_eq!((all.total, all.offset), (6, 0));
    assert_eq!(ids(&all), ["A-1", "A-2", "A-3", "B-1"]);
    let rest = register.call_page(&CallQuery::default(), 4, 4).expect("page");
    assert_eq!(ids(&rest), ["B-2", "B-3"]);
    assert!(register.call_page(&CallQuery::default(), 10, 4).expect("page").calls.is_empty());

    let search = |s: &str| CallQuery { search: s.to_owned(), ..CallQuery::default() };
    assert_eq!(ids(&register.call_page(&search("33 12 34 56"), 0, 10).expect("page")), ["A-1", "A-2", "A-3"]);
    assert_eq!(ids(&register.call_page(&search("K-17"), 0, 10).expect("page")), ["A-1", "A-2", "A-3"]);
    assert_eq!(register.call_page(&search("nobody"), 0, 10).expect("page").total, 0);

    let due = CallQuery { due_on: Some(day(2026, 6, 1)), ..CallQuery::default() };
    assert_eq!(ids(&register.call_page(&due, 0, 10).expect("page")), ["A-1", "A-2", "A-3", "B-1"]);
    register.sweep_recordings(day(2026, 6, 1), at(2026, 6, 1, 8), None, &mut |_| {}).expect("sweep");
    let deleted = CallQuery { status: StatusFilter::Deleted, ..CallQuery::default() };
    assert_eq!(register.call_page(&deleted, 0, 10).expect("page").total, 4);
    let kept = CallQuery { status: StatusFilter::Kept, ..CallQuery::default() };
    assert_eq!(ids(&register.call_page(&kept, 0, 10).expect("page")), ["B-2", "B-3"]);
    assert_eq!(register.call_page(&due, 0, 10).expect("page").total, 0);
}

#[test]
fn a_flagged_call_is_no_longer_flagged_once_deleted() {
    let AudioEnv { mut register, .. } = audio_env();
    let mapping = format!("{PROFILE_WITH_AUDIO}    policy = \"Politik\"\n");
    // No consent on a consent policy: flagged. Due by May 2026.
    let csv = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Optagelse;Politik\n\
               F-1;11-01-2025 09:00;inbound;40 12 34 56;;;;service\n";
    let reader = CallReader::new(
        std::io::Cursor::new(csv.as_bytes().to_vec()),
        Mapping::from_toml(&mapping).expect("profile"),
        Country::Denmark,
    )
    .expect("header");
    assert_eq!(register.import_calls(reader, None, CallImportOptions::default()).expect("import").imported, 1);
    let flagged_query = CallQuery { flagged: true, ..CallQuery::default() };
    let flagged_filter = CallFilter { flagged: true, ..CallFilter::default() };
    assert_eq!(register.flagged_call_count().expect("count"), 1);
    assert_eq!(register.call_page(&flagged_query, 0, 10).expect("page").total, 1);
    assert_eq!(register.recorded_calls(flagged_filter).expect("list").len(), 1);

    register.sweep_recordings(day(2026, 6, 1), at(2026, 6, 1, 8), None, &mut |_| {}).expect("sweep");
    assert_eq!(register.flagged_call_count().expect("count"), 0);
    assert_eq!(register.call_page(&flagged_query, 0, 10).expect("page").total, 0);
    assert!(register.recorded_calls(flagged_filter).expect("list").is_empty(), "the list and the count agree");
    let all = register.recorded_calls(CallFilter::default()).expect("list");
    let f1 = all.iter().find(|c| c.call_id == "F-1").expect("kept as proof");
    assert!(matches!(f1.status, CallStatus::Deleted { .. }) && f1.flag.is_none());
}

#[test]
fn the_schema_five_fixture_opens_with_its_receipt_and_deleted_calls() {
    let (_dir, _, register) = open_fixture(5);
    let receipt = register.deletion_receipt("2026-0001").expect("the receipt");
    assert_eq!(receipt.channel, WithdrawalChannel::Letter);
    let half_past_eight = Utc.with_ymd_and_hms(2026, 11, 20, 8, 30, 0).single().expect("valid");
    assert_eq!(receipt.withdrawn_at, half_past_eight, "09:30 in Copenhagen is 08:30 UTC");
    let calls: Vec<(&str, Option<AudioOutcome>)> =
        receipt.calls.iter().map(|c| (c.call_id.as_str(), c.audio)).collect();
    assert_eq!(calls, [("S-1", Some(AudioOutcome::Deleted)), ("S-2", Some(AudioOutcome::External))]);
    assert_eq!(register.find_calls("20 12 34 56").expect("find").len(), 0, "the number is gone");
    assert_eq!(register.find_calls("33 12 34 56").expect("find").len(), 1);
    assert_eq!(register.audio_folder().expect("folder"), None);
    // Schema 7 made the table again: every call is there, the deleted ones without a number.
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    let phones: Vec<(&str, &str, bool)> =
        calls.iter().map(|c| (c.call_id.as_str(), c.phone.as_str(), c.status == CallStatus::Kept)).collect();
    assert_eq!(phones, [("K-1", "+4533123456", true), ("S-1", "", false), ("S-2", "", false)]);
    assert!(register.verify().expect("verify").is_ok());
}

#[test]
fn the_schema_seven_fixture_opens_and_takes_more_calls() {
    let (_dir, copy, mut register) = open_fixture(7);
    let receipt = register.deletion_receipt("2026-0001").expect("the receipt");
    assert_eq!(receipt.channel, WithdrawalChannel::Letter);
    let ids: Vec<&str> = receipt.calls.iter().map(|c| c.call_id.as_str()).collect();
    assert_eq!(ids, ["S-1", "S-2"]);
    assert_eq!(register.find_calls("20 12 34 56").expect("find").len(), 0);
    assert_eq!(register.find_calls("K-18").expect("find").len(), 0);
    let k1 = register.find_calls("K-17").expect("find");
    assert_eq!((k1.len(), k1[0].phone.as_str()), (1, "+4533123456"));
    // A call id already there counts as such; a new one is imported and found.
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n\
                K-1;01-03-2026 09:15;ind;33123456;K-17;\n\
                K-2;02-03-2026 09:15;ind;33123456;K-17;\n";
    let report = import(&mut register, file.as_bytes(), "kundeservice");
    assert_eq!((report.imported, report.already_there, report.repeated_in_file), (1, 1, 0));
    assert_eq!(register.find_calls("33 12 34 56").expect("find").len(), 2);
    // Schema 8: the withdrawal's time and reason, kept as one deletion both calls point at.
    let calls = register.recorded_calls(CallFilter::default()).expect("list");
    let deleted: Vec<(&str, chrono::DateTime<Utc>, DeletionReason)> = calls
        .iter()
        .filter_map(|c| match c.status {
            CallStatus::Deleted { at, reason } => Some((c.call_id.as_str(), at, reason)),
            CallStatus::Kept => None,
        })
        .collect();
    assert_eq!(deleted.iter().map(|d| d.0).collect::<Vec<_>>(), ["S-1", "S-2"]);
    assert!(deleted.iter().all(|d| d.1 == deleted[0].1 && d.2 == DeletionReason::ConsentWithdrawn), "{deleted:?}");
    assert!(deleted[0].1 > at(2026, 11, 1, 0), "the time of the withdrawal's run: {:?}", deleted[0].1);
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");
    let raw = ropa_core::store::testing::open_raw(&copy, &Passphrase::from("fixture passphrase 7")).expect("raw");
    let deletions: i64 = raw.query_row("SELECT count(*) FROM call_deletions", [], |r| r.get(0)).expect("count");
    assert_eq!(deletions, 1);
    let columns: Vec<String> = raw
        .prepare("SELECT name FROM pragma_table_info('recorded_calls')")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("columns");
    assert!(
        columns.contains(&"deletion".to_owned()) && !columns.iter().any(|c| c.starts_with("deleted_")),
        "{columns:?}"
    );
}

#[test]
fn the_schema_eight_fixture_opens_with_its_deletions() {
    let (_dir, _, mut register) = open_fixture(8);
    let statuses: Vec<(String, Option<DeletionReason>)> = register
        .recorded_calls(CallFilter::default())
        .expect("list")
        .into_iter()
        .map(|c| match c.status {
            CallStatus::Deleted { reason, .. } => (c.call_id, Some(reason)),
            CallStatus::Kept => (c.call_id, None),
        })
        .collect();
    let expected = [
        ("K-2", Some(DeletionReason::RetentionExpired)),
        ("K-1", None),
        ("S-1", Some(DeletionReason::ConsentWithdrawn)),
        ("S-2", Some(DeletionReason::ConsentWithdrawn)),
    ];
    assert_eq!(statuses, expected.map(|(id, reason)| (id.to_owned(), reason)));
    let receipt = register.deletion_receipt("2026-0001").expect("the receipt");
    assert_eq!(receipt.calls.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), ["S-1", "S-2"]);
    assert_eq!(register.find_calls("40 12 34 56").expect("find").len(), 0);
    assert_eq!(register.find_calls("K-17").expect("find").len(), 1);
    assert!(register.verify().expect("verify").is_ok());
    // It takes more calls, and the next sweep is a deletion of its own.
    let file = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke\n\
                K-3;02-03-2026 09:15;ind;33123456;K-17;\n";
    assert_eq!(import(&mut register, file.as_bytes(), "kundeservice").imported, 1);
    let report = register.sweep_recordings(day(2027, 7, 2), at(2027, 7, 2, 8), None, &mut |_| {}).expect("sweep");
    assert_eq!(report.marked, 2);
    assert!(register.verify().expect("verify").is_ok());
}
