//! The register file on disk: real SQLCipher files in temporary folders, opened, damaged,
//! tampered with, re-keyed, backed up and rolled back.

use ropa_core::chain_heads::RollbackWarning;
use ropa_core::change_log::Break;
use ropa_core::interchange;
use ropa_core::processing_register::*;
use ropa_core::store::{LATEST_VERSION, PageMac, testing};
use ropa_core::vocab::*;
use ropa_core::{ChainHeads, OpenError, Passphrase, Register, StoreError};
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

    fn create(&self, name: &str) -> Register {
        let org = Organisation::new("Bager Hansen ApS", Country::Denmark, Language::Danish);
        Register::create(&self.path(name), &Passphrase::from(PASS), &org, self.heads()).expect("create register")
    }

    fn open(&self, name: &str) -> Result<Register, OpenError> {
        self.open_with(name, PASS)
    }

    fn open_with(&self, name: &str, pass: &str) -> Result<Register, OpenError> {
        Register::open(&self.path(name), &Passphrase::from(pass), self.heads())
    }

    /// Names of the files in the folder, without the config folder.
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

fn flip_byte(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x5a;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn create_then_open_gives_back_the_organisation() {
    let env = Env::new();
    env.create("a.ropa").close().expect("close");
    let register = env.open("a.ropa").expect("open");
    assert_eq!(register.organisation().expect("organisation").name, "Bager Hansen ApS");
    assert!(register.rollback_warning().is_none());
    register.close().expect("close");
    assert_eq!(env.files(), vec!["a.ropa"], "closing leaves no -wal or -shm behind");
}

#[test]
fn the_file_is_encrypted_and_starts_with_its_salt() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    register.close().expect("close");
    let bytes = std::fs::read(env.path("a.ropa")).expect("read");
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
    let haystack = String::from_utf8_lossy(&bytes);
    for plain in ["Bager Hansen", "ropa-register", "webshop-orders", "CREATE TABLE"] {
        assert!(!haystack.contains(plain), "{plain:?} appears in plain text");
    }
}

#[test]
fn connection_settings_are_as_documented() {
    let env = Env::new();
    let register = env.create("a.ropa");
    let settings = testing::settings(&register);
    let get = |name: &str| settings.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).expect(name);
    assert_eq!(get("journal_mode"), "wal");
    assert_eq!(get("synchronous"), "2", "FULL");
    assert_eq!(get("foreign_keys"), "1");
    assert_eq!(get("secure_delete"), "1");
    assert_eq!(get("temp_store"), "1", "FILE, encrypted by ropa_sealed_temp");
    assert_eq!(get("cache_size"), "-65536");
}

/// A register's connection writes SQLite's temporary files (here a sort too large for its page
/// cache) through the encrypting VFS: they reach the disk, and no plaintext does.
#[test]
fn temporary_files_are_encrypted() {
    let env = Env::new();
    drop(env.create("a.ropa"));
    let conn = testing::open_raw(&env.path("a.ropa"), &Passphrase::from(PASS)).expect("open");
    conn.execute_batch("PRAGMA temp_store = FILE; PRAGMA cache_size = -256;").expect("settings");
    let before = ropa_sealed_temp::stats();
    let marker = "+4512345678 Bager Hansen";
    let mut stmt = conn
        .prepare(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
             SELECT ?1 || printf('%08d', (i * 7919) % 40000) AS v FROM n ORDER BY v",
        )
        .expect("prepare");
    let mut rows = stmt.query([marker]).expect("sort");
    let first: String = rows.next().expect("step").expect("row").get(0).expect("text");
    assert_eq!(first, format!("{marker}00000000"));
    // While the sort is read out, its runs are in temporary files SQLite deleted but holds open.
    #[cfg(target_os = "linux")]
    for fd in std::fs::read_dir("/proc/self/fd").expect("fds").flatten() {
        let is_temporary = std::fs::read_link(fd.path()).is_ok_and(|t| t.to_string_lossy().contains("etilqs_"));
        if is_temporary && let Ok(bytes) = std::fs::read(fd.path()) {
            assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "plaintext in a temporary file");
        }
    }
    let after = ropa_sealed_temp::stats();
    assert!(after.files > before.files && after.bytes - before.bytes > 1_000_000, "{before:?} {after:?}");
}

#[test]
fn a_wrong_passphrase_is_refused_and_leaves_the_file_as_it_was() {
    let env = Env::new();
    env.create("a.ropa").close().expect("close");
    let before = hash(&env.path("a.ropa"));
    let err = env.open_with("a.ropa", "wrong passphrase").expect_err("must fail");
    assert!(matches!(err, OpenError::WrongPassphraseOrDamaged), "{err:?}");
    assert_eq!(err.code(), "wrong_passphrase");
    assert_eq!(hash(&env.path("a.ropa")), before);
    assert_eq!(env.files(), vec!["a.ropa"], "no stray -wal/-shm");
    // The right one still works afterwards.
    env.open("a.ropa").expect("open").close().expect("close");
}

#[test]
fn a_second_open_is_refused_while_the_first_is_open() {
    let env = Env::new();
    let first = env.create("a.ropa");
    let err = env.open("a.ropa").expect_err("second open");
    assert!(matches!(err, OpenError::AlreadyOpen), "{err:?}");
    drop(first);
    env.open("a.ropa").expect("open after the first closed");
}

#[test]
fn opening_errors_are_distinct() {
    let env = Env::new();
    std::fs::write(env.path("empty.ropa"), b"").expect("write");
    std::fs::write(env.path("text.ropa"), b"just some text, not a register").expect("write");
    let plain = rusqlite::Connection::open(env.path("plain.ropa")).expect("plain sqlite");
    plain.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").expect("plain schema");
    drop(plain);
    std::fs::create_dir(env.path("folder.ropa")).expect("mkdir");

    let cases: &[(&str, &str)] = &[
        ("missing.ropa", "not_found"),
        ("empty.ropa", "not_a_register"),
        ("text.ropa", "not_a_register"),
        ("plain.ropa", "not_a_register"),
        ("folder.ropa", "io"),
    ];
    for (name, code) in cases {
        let err = env.open(name).expect_err(name);
        assert_eq!(err.code(), *code, "{name}: {err:?}");
    }
    let err = env.open("missing.ropa").expect_err("missing");
    assert!(err.to_string().contains("missing.ropa"), "the error names the path: {err}");
    // A failed open never creates the file.
    assert!(!env.path("missing.ropa").exists());
}

#[test]
fn create_refuses_short_passphrases_existing_files_and_invalid_organisations() {
    let env = Env::new();
    let org = Organisation::new("Bager Hansen ApS", Country::Denmark, Language::Danish);
    let err = Register::create(&env.path("a.ropa"), &Passphrase::from("short"), &org, env.heads()).expect_err("short");
    assert!(matches!(err, OpenError::PassphraseTooShort { min: 8 }), "{err:?}");
    std::fs::write(env.path("taken.ropa"), b"x").expect("write");
    let err =
        Register::create(&env.path("taken.ropa"), &Passphrase::from(PASS), &org, env.heads()).expect_err("exists");
    assert!(matches!(err, OpenError::AlreadyExists { .. }), "{err:?}");
    assert_eq!(std::fs::read(env.path("taken.ropa")).expect("read"), b"x");
    let mut bad = org.clone();
    bad.business_id = "12345678".into();
    let err = Register::create(&env.path("b.ropa"), &Passphrase::from(PASS), &bad, env.heads()).expect_err("cvr");
    let OpenError::Invalid(issues) = err else { panic!("expected Invalid") };
    assert_eq!(issues[0].path, "/organisation/business_id");
    assert_eq!(issues[0].code, "organisation.cvr_invalid");
    assert_eq!(env.files(), vec!["taken.ropa"], "failed creates leave no files");
}

#[test]
fn a_newer_schema_version_is_refused() {
    let env = Env::new();
    env.create("a.ropa").close().expect("close");
    let raw = testing::open_raw(&env.path("a.ropa"), &Passphrase::from(PASS)).expect("raw");
    raw.execute_batch(&format!("PRAGMA user_version = {}", LATEST_VERSION + 1)).expect("bump");
    drop(raw);
    let err = env.open("a.ropa").expect_err("newer");
    assert!(
        matches!(err, OpenError::NewerVersion { found, supported } if found == LATEST_VERSION + 1 && supported == LATEST_VERSION)
    );
}

#[test]
fn an_encrypted_database_of_another_kind_is_not_a_register() {
    let env = Env::new();
    env.create("a.ropa").close().expect("close");
    let raw = testing::open_raw(&env.path("a.ropa"), &Passphrase::from(PASS)).expect("raw");
    raw.execute_batch("UPDATE meta SET value = 'something-else' WHERE key = 'format'").expect("edit");
    drop(raw);
    assert!(matches!(env.open("a.ropa"), Err(OpenError::NotARegister)));
}

#[test]
fn a_flipped_byte_on_page_one_reads_as_wrong_passphrase_or_damage() {
    let env = Env::new();
    env.create("a.ropa").close().expect("close");
    flip_byte(&env.path("a.ropa"), 100);
    let err = env.open("a.ropa").expect_err("damaged");
    assert!(matches!(err, OpenError::WrongPassphraseOrDamaged), "{err:?}");
}

#[test]
fn a_flipped_byte_on_a_later_page_is_named_by_verify() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    register.close().expect("close");
    let pages = std::fs::metadata(env.path("a.ropa")).expect("meta").len() / 4096;
    assert!(pages > 5, "the fixture spans several pages");
    // Damage the last page, which holds table data.
    flip_byte(&env.path("a.ropa"), (pages as usize - 1) * 4096 + 1000);
    match env.open("a.ropa") {
        Ok(register) => {
            let report = register.verify().expect("verify runs");
            assert!(!report.is_ok());
            let named = report.cipher_integrity.iter().any(|line| line.contains(&pages.to_string()));
            assert!(named, "cipher_integrity_check names page {pages}: {:?}", report.cipher_integrity);
        }
        Err(err) => assert!(matches!(err, OpenError::Damaged(_)), "{err:?}"),
    }
}

fn register_with_history(env: &Env) -> Register {
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let mut activity = register.activity("newsletter").expect("activity");
    activity.description = "Nyhedsbrev hver måned.".into();
    register.save_activity(&activity).expect("save");
    register.delete_activity("catering-for-cafe").expect("delete");
    register
}

#[test]
fn every_write_appends_one_entry_and_the_chain_verifies() {
    let env = Env::new();
    let register = register_with_history(&env);
    let log = register.change_log(100).expect("log");
    let actions: Vec<(&str, &str)> = log.iter().rev().map(|e| (e.entity.as_str(), e.action.as_str())).collect();
    assert_eq!(
        actions,
        vec![("register", "create"), ("register", "import"), ("activity", "update"), ("activity", "delete")]
    );
    assert!(log.iter().all(|e| !e.actor.is_empty()));
    let report = register.verify().expect("verify");
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.chain.entries, 4);
}

#[test]
fn the_change_log_holds_ids_not_personal_data() {
    let env = Env::new();
    let register = register_with_history(&env);
    let text = serde_json::to_string(&register.change_log(100).expect("log")).expect("json");
    for personal in ["Hansen", "Søren", "soren@", "Nyhedsbrev", "Lærke"] {
        assert!(!text.contains(personal), "{personal} in the change log");
    }
}

/// A tampering case: its name, the SQL that tampers, and the break verify must report.
type TamperCase<'a> = (&'a str, &'a str, Option<(i64, Break)>);

/// Tampering with the chain through a raw connection, and the entry verify must name.
#[test]
fn tampering_with_the_chain_is_detected_at_the_first_bad_entry() {
    let cases: &[TamperCase] = &[
        ("untouched", "", None),
        ("edit an action", "UPDATE change_log SET action = 'update' WHERE seq = 2", Some((2, Break::MacMismatch))),
        ("edit an actor", "UPDATE change_log SET actor = 'mallory' WHERE seq = 3", Some((3, Break::MacMismatch))),
        (
            "swap two entries",
            "UPDATE change_log SET seq = -1 WHERE seq = 2; UPDATE change_log SET seq = 2 WHERE seq = 3;
             UPDATE change_log SET seq = 3 WHERE seq = -1;",
            Some((2, Break::MacMismatch)),
        ),
        ("remove a middle entry", "DELETE FROM change_log WHERE seq = 2", Some((3, Break::Gap))),
        ("renumber", "UPDATE change_log SET seq = 10 WHERE seq = 4", Some((10, Break::Gap))),
    ];
    for (name, sql, expected) in cases {
        let env = Env::new();
        register_with_history(&env).close().expect("close");
        if !sql.is_empty() {
            let raw = testing::open_raw(&env.path("a.ropa"), &Passphrase::from(PASS)).expect("raw");
            raw.execute_batch(sql).expect("tamper");
            drop(raw);
        }
        let register = env.open("a.ropa").expect("open");
        let report = register.verify().expect("verify");
        assert_eq!(report.chain.first_bad, *expected, "{name}");
    }
}

#[test]
fn a_truncated_chain_is_caught_by_the_head_kept_outside_the_file() {
    let env = Env::new();
    register_with_history(&env).close().expect("close");
    let raw = testing::open_raw(&env.path("a.ropa"), &Passphrase::from(PASS)).expect("raw");
    raw.execute_batch("DELETE FROM change_log WHERE seq = 4").expect("truncate");
    drop(raw);
    let register = env.open("a.ropa").expect("open");
    assert_eq!(register.rollback_warning(), Some(&RollbackWarning::Behind { file_seq: 3, known_seq: 4 }));
    assert!(!register.verify().expect("verify").is_ok());
}

#[test]
fn an_older_copy_put_back_in_place_is_warned_about_until_accepted() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.backup(&env.path("old.ropa")).expect("backup");
    register.import(&fixture_content(), false).expect("import");
    register.close().expect("close");
    std::fs::rename(env.path("old.ropa"), env.path("a.ropa")).expect("restore the old copy");

    let mut register = env.open("a.ropa").expect("open");
    assert_eq!(register.rollback_warning(), Some(&RollbackWarning::Behind { file_seq: 2, known_seq: 3 }));
    // Writing to the old copy does not silence the warning.
    register.save_organisation(&register.organisation().expect("org")).expect("save");
    register.close().expect("close");
    let mut register = env.open("a.ropa").expect("open");
    assert_eq!(register.rollback_warning(), Some(&RollbackWarning::Diverged { seq: 3 }));
    register.accept_current_head().expect("accept");
    register.close().expect("close");
    let register = env.open("a.ropa").expect("open");
    assert_eq!(register.rollback_warning(), None);
}

#[test]
fn changing_the_passphrase_keeps_everything_and_the_old_one_stops_working() {
    let env = Env::new();
    let mut register = register_with_history(&env);
    let before = register.content().expect("content");
    register.change_passphrase(&Passphrase::from("et helt nyt kodeord")).expect("rekey");
    // Still usable in the same session.
    assert_eq!(register.content().expect("content"), before);
    register.close().expect("close");
    assert_eq!(env.files(), vec!["a.ropa"], "no temporary files left");

    assert!(matches!(env.open("a.ropa"), Err(OpenError::WrongPassphraseOrDamaged)));
    let register = env.open_with("a.ropa", "et helt nyt kodeord").expect("new passphrase opens");
    assert_eq!(register.content().expect("content"), before);
    let report = register.verify().expect("verify");
    assert!(report.is_ok(), "{report:?}");
    let log = register.change_log(1).expect("log");
    assert_eq!(log[0].action, "passphrase-change");
    assert!(register.rollback_warning().is_none());
}

#[test]
fn a_passphrase_change_is_refused_when_too_short() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    assert!(matches!(
        register.change_passphrase(&Passphrase::from("kort")),
        Err(StoreError::PassphraseTooShort { .. })
    ));
}

#[test]
fn a_backup_opens_with_the_same_passphrase_and_holds_the_same_content() {
    let env = Env::new();
    let mut register = register_with_history(&env);
    register.backup(&env.path("backup.ropa")).expect("backup");
    let content = register.content().expect("content");
    let err = register.backup(&env.path("backup.ropa")).expect_err("exists");
    assert!(matches!(err, StoreError::AlreadyExists { .. }));
    drop(register);
    let backup =
        Register::open(&env.path("backup.ropa"), &Passphrase::from(PASS), ChainHeads::disabled()).expect("open");
    assert_eq!(backup.content().expect("content"), content);
    assert!(backup.verify().expect("verify").is_ok());
    assert_eq!(backup.change_log(1).expect("log")[0].action, "backup");
}

#[test]
fn the_schema_one_fixture_opens_and_is_at_the_latest_version() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema1.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let register = env.open_with("old.ropa", "fixture passphrase 1").expect("open the fixture");
    assert_eq!(register.content().expect("content"), fixture_content());
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");
    let raw = testing::open_raw(&env.path("old.ropa"), &Passphrase::from("fixture passphrase 1")).expect("raw");
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, LATEST_VERSION);
}

#[test]
fn import_is_all_or_nothing_and_refuses_to_overwrite_by_default() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let before = interchange::export(&register.content().expect("content"));
    let log_before = register.change_log(100).expect("log").len();

    assert!(matches!(register.import(&fixture_content(), false), Err(StoreError::NotEmpty)));
    let mut bad = fixture_content();
    bad.activities[2].legal_bases.clear();
    bad.activities[4].transfers.push(Transfer {
        country: "CN".into(),
        recipient: None,
        mechanism: None,
        derogation: None,
        safeguards: String::new(),
        dpf_certified: None,
        tia_done: false,
    });
    let Err(StoreError::Invalid(issues)) = register.import(&bad, true) else { panic!("expected Invalid") };
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, vec!["/activities/2/legal_bases", "/activities/4/transfers/0/mechanism"]);

    assert_eq!(interchange::export(&register.content().expect("content")), before);
    assert_eq!(register.change_log(100).expect("log").len(), log_before, "failed writes log nothing");
}

#[test]
fn catalog_entries_in_use_cannot_be_deleted() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let err = register.delete_catalog_entry(ropa_core::store::Catalog::DataCategories, "cpr").expect_err("in use");
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
    register.delete_activity("payroll").expect("delete activity");
    register.delete_catalog_entry(ropa_core::store::Catalog::DataCategories, "cpr").expect("now unused");
}

#[test]
fn saving_an_activity_with_errors_is_refused_and_a_draft_is_allowed() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let mut activity = register.activity("webshop-orders").expect("activity");
    activity.legal_bases[1].law.clear();
    let Err(StoreError::Invalid(issues)) = register.save_activity(&activity) else { panic!("expected Invalid") };
    assert_eq!(issues[0].path, "/legal_bases/1/law");
    activity.status = ActivityStatus::Draft;
    let (_, warnings) = register.save_activity(&activity).expect("a draft saves");
    assert!(warnings.iter().any(|w| w.code == "legal_basis.law_missing"));

    let new = Activity::draft("", "Ny aktivitet");
    let (id, _) = register.save_activity(&new).expect("new draft");
    assert!(!id.is_empty());
    assert_eq!(register.activity(&id).expect("saved").name, "Ny aktivitet");
}

#[test]
fn activity_summaries_carry_the_facts_the_list_filters_on() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let list = register.activities_on(today).expect("list");
    let get = |id: &str| list.iter().find(|s| s.id == id).expect(id);
    assert!(get("payroll").special_categories);
    assert!(!get("webshop-orders").special_categories);
    assert!(get("newsletter").transfers);
    assert!(!get("cctv").transfers);
    assert!(get("payroll").review_overdue, "reviewed 2025-10-01, due 2026-10-01");
    assert!(!get("cctv").review_overdue);
    assert_eq!(get("payroll").errors, 0);
    assert_eq!(get("payroll").warnings, 1, "the overdue review");
    assert_eq!(get("catering-for-cafe").role, "processor");
}

#[test]
fn the_overview_counts_and_lists_what_needs_attention_soonest_first() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    let mut draft = Activity::draft("", "Kundeundersøgelse");
    draft.review.next_review = chrono::NaiveDate::from_ymd_opt(2027, 1, 10);
    register.save_activity(&draft).expect("draft");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let overview = register.overview(today).expect("overview");
    assert_eq!((overview.activities, overview.active, overview.drafts, overview.retired), (7, 6, 1, 0));
    assert_eq!(overview.as_processor, 1);
    assert_eq!(overview.with_special_categories, 1);
    assert_eq!(overview.with_transfers, 1);
    let reviews: Vec<(&str, bool)> = overview.reviews.iter().map(|r| (r.activity_name.as_str(), r.overdue)).collect();
    assert_eq!(reviews, vec![("Personaleadministration og løn", true), ("Kundeundersøgelse", false)]);
    let with_issues: Vec<&str> = overview.activity_issues.iter().map(|a| a.activity_name.as_str()).collect();
    assert_eq!(with_issues, vec!["Personaleadministration og løn", "Kundeundersøgelse"]);
    assert!(overview.register_issues.is_empty(), "{:?}", overview.register_issues);
}

#[test]
fn the_passphrase_can_be_confirmed_and_an_activity_checked_without_saving() {
    let env = Env::new();
    let mut register = env.create("a.ropa");
    register.import(&fixture_content(), false).expect("import");
    assert!(register.check_passphrase(&Passphrase::from(PASS)));
    assert!(!register.check_passphrase(&Passphrase::from("korrekt hest batteri ")));
    let mut activity = register.activity("cctv").expect("activity");
    activity.legal_bases[0].justification.clear();
    let issues = register.check_activity(&activity).expect("check");
    assert_eq!(issues[0].path, "/legal_bases/0/justification");
    assert_eq!(issues[0].code, "legal_basis.balancing_missing");
    assert!(register.activity("cctv").expect("stored").legal_bases[0].justification.len() > 10, "nothing saved");
}

#[test]
fn new_registers_have_sha256_page_macs_and_older_ones_open_and_move_to_them_when_copied() {
    let env = Env::new();
    let pass = Passphrase::from(PASS);
    env.create("new.ropa").close().expect("close");
    assert_eq!(testing::page_mac(&env.path("new.ropa"), &pass).expect("mac"), PageMac::Sha256);
    assert!(matches!(env.open_with("new.ropa", "not the passphrase at all"), Err(OpenError::WrongPassphraseOrDamaged)));

    // A register from before (schema 8, SHA-512): it opens; a wrong passphrase is still that.
    let old = env.path("old.ropa");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema8.ropa");
    std::fs::copy(fixture, &old).expect("copy");
    let old_pass = Passphrase::from("fixture passphrase 8");
    assert_eq!(testing::page_mac(&old, &old_pass).expect("mac"), PageMac::Sha512);
    assert!(matches!(env.open_with("old.ropa", PASS), Err(OpenError::WrongPassphraseOrDamaged)));
    let mut register = Register::open(&old, &old_pass, env.heads()).expect("open");
    let content = register.content().expect("content");
    // Its backup is written with the new MAC, and opens with the same passphrase.
    register.backup(&env.path("backup.ropa")).expect("backup");
    assert_eq!(testing::page_mac(&env.path("backup.ropa"), &old_pass).expect("mac"), PageMac::Sha256);
    let backup = Register::open(&env.path("backup.ropa"), &old_pass, env.heads()).expect("open the backup");
    assert_eq!(backup.content().expect("content"), content);
    assert!(backup.verify().expect("verify").is_ok());
    backup.close().expect("close");
    // A new passphrase re-encrypts it with the new MAC too.
    register.change_passphrase(&pass).expect("change passphrase");
    register.close().expect("close");
    assert_eq!(testing::page_mac(&old, &pass).expect("mac"), PageMac::Sha256);
    let register = Register::open(&old, &pass, env.heads()).expect("open with the new passphrase");
    assert_eq!(register.content().expect("content"), content);
    assert!(register.verify().expect("verify").is_ok());
}
