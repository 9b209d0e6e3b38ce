//! The command logic on real encrypted registers: what the UI gets back for each outcome.

use crate::error::AppError;
use crate::state::AppState;
use ropa_core::processing_register::{Activity, DataFlow, Organisation};
use ropa_core::settings::SettingsStore;
use ropa_core::vocab::{Country, Language};
use ropa_core::{ChainHeads, Passphrase};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const NAME: &str = "Jensen Tømrer ApS";
const PASSPHRASE: &str = "korrekt hest batteri";

/// A temp folder holding both the config folder and the registers.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        Fixture { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A fresh app (as after a restart) with its settings in the fixture's config folder.
    fn app(&self) -> AppState {
        let config = self.dir.path().join("config");
        AppState::new(SettingsStore::at(&config), ChainHeads::at(&config))
    }

    fn path(&self) -> String {
        self.dir.path().join("register.ropa").display().to_string()
    }

    /// An app with a new register open, created through a path "picked" in a dialog.
    fn created(&self) -> AppState {
        let app = self.app();
        app.allow(&self.path());
        app.create_register(&self.path(), PASSPHRASE.into(), PASSPHRASE.into(), &organisation()).expect("create");
        app
    }
}

fn organisation() -> Organisation {
    Organisation::new(NAME, Country::Denmark, Language::Danish)
}

fn code<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    result.expect_err("must fail").code
}

#[test]
fn create_opens_the_new_register_and_remembers_it() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let info = app.session().expect("open");
    assert_eq!(info.organisation.name, NAME);
    assert_eq!(info.file_name, "register.ropa");
    assert_eq!(info.rollback_warning, None);
    assert_eq!(app.app_info(None).recent[0].path, fixture.path());
}

#[test]
fn create_refuses_a_path_that_no_dialog_returned() {
    let fixture = Fixture::new();
    let app = fixture.app();
    let result = app.create_register(&fixture.path(), PASSPHRASE.into(), PASSPHRASE.into(), &organisation());
    assert_eq!(code(result), "not_allowed");
    assert!(!std::path::Path::new(&fixture.path()).exists());
}

#[test]
fn create_refuses_passphrases_that_differ() {
    let fixture = Fixture::new();
    let app = fixture.app();
    app.allow(&fixture.path());
    let result =
        app.create_register(&fixture.path(), PASSPHRASE.into(), "korrekt hest batteri!".into(), &organisation());
    assert_eq!(code(result), "passphrase_mismatch");
}

#[test]
fn create_reports_core_errors_with_their_parameters() {
    let fixture = Fixture::new();
    let app = fixture.app();
    app.allow(&fixture.path());
    let error =
        app.create_register(&fixture.path(), "short".into(), "short".into(), &organisation()).expect_err("short");
    assert_eq!(error.code, "passphrase_too_short");
    assert_eq!(error.details.get("min").map(String::as_str), Some("8"));
}

#[test]
fn a_wrong_passphrase_gives_its_code_and_nothing_personal() {
    let fixture = Fixture::new();
    fixture.created().lock();
    // After a restart the path is allowed because it is in the recent list.
    let app = fixture.app();
    let error = app.open_register(&fixture.path(), Passphrase::from("forkert hest batteri")).expect_err("wrong");
    assert_eq!(error.code, "wrong_passphrase");
    let shown = serde_json::to_string(&error).expect("json");
    assert!(!shown.contains("Jensen") && !shown.contains("hest"), "{shown}");
    assert!(app.session().is_none());
}

#[test]
fn open_with_the_right_passphrase_from_the_recent_list() {
    let fixture = Fixture::new();
    fixture.created().lock();
    let app = fixture.app();
    let info = app.open_register(&fixture.path(), PASSPHRASE.into()).expect("open");
    assert_eq!(info.organisation.name, NAME);
    assert_eq!(app.organisation().expect("organisation").name, NAME);
}

#[test]
fn open_refuses_other_paths() {
    let fixture = Fixture::new();
    let app = fixture.app();
    assert_eq!(code(app.open_register("/etc/passwd", PASSPHRASE.into())), "not_allowed");
}

#[test]
fn saving_an_activity_with_errors_returns_them_and_saves_nothing() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let mut activity = Activity::draft("", "Løn");
    activity.data_flows.push(DataFlow {
        data_category: "no-such-category".into(),
        subject_category: "no-such-subjects".into(),
        recipients: Vec::new(),
    });
    let error = app.save_activity(&activity).expect_err("invalid");
    assert_eq!(error.code, "invalid");
    assert!(error.issues.iter().any(|i| i.code == "flow.unknown_data_category" && i.path.starts_with("/data_flows/0")));
    assert!(app.activities().expect("list").is_empty());
}

#[test]
fn saving_a_draft_gives_it_an_id_and_returns_its_warnings() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let saved = app.save_activity(&Activity::draft("", "Løn")).expect("save");
    assert!(!saved.id.is_empty());
    assert!(saved.issues.iter().all(|i| !i.is_error()));
    assert_eq!(app.activity(&saved.id).expect("read").name, "Løn");
    assert_eq!(app.overview().expect("overview").drafts, 1);
    assert_eq!(code(app.activity("missing")), "record_not_found");
}

#[test]
fn after_lock_every_register_command_answers_locked() {
    let fixture = Fixture::new();
    let app = fixture.created();
    app.lock();
    app.lock(); // idempotent
    assert!(app.session().is_none());
    assert_eq!(code(app.organisation()), "locked");
    assert_eq!(code(app.activities()), "locked");
    assert_eq!(code(app.save_activity(&Activity::draft("", "Løn"))), "locked");
    assert_eq!(code(app.verify()), "locked");
    // Locking also forgets the dialog paths of this run (the recent list still allows it).
    let other = fixture.dir.path().join("other.ropa").display().to_string();
    app.allow(&other);
    app.lock();
    assert!(!app.is_allowed(&other));
}

#[test]
fn the_backend_locks_itself_after_the_idle_time() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let mut settings = app.settings();
    settings.auto_lock_minutes = 2;
    app.save_settings(settings).expect("save settings");
    app.touch();
    assert!(!app.lock_if_idle(Instant::now() + Duration::from_secs(60)));
    assert!(app.is_unlocked());
    assert!(app.lock_if_idle(Instant::now() + Duration::from_secs(121)));
    assert_eq!(code(app.organisation()), "locked");
}

#[test]
fn zero_minutes_never_locks() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let mut settings = app.settings();
    settings.auto_lock_minutes = 0;
    app.save_settings(settings).expect("save settings");
    assert!(!app.lock_if_idle(Instant::now() + Duration::from_secs(24 * 3600)));
}

#[test]
fn settings_survive_a_restart() {
    let fixture = Fixture::new();
    let mut settings = fixture.app().settings();
    settings.language = Some(Language::NorwegianBokmal);
    settings.auto_lock_minutes = 3;
    let saved = fixture.app().save_settings(settings.clone()).expect("save");
    assert_eq!(saved, settings);
    assert_eq!(fixture.app().app_info(None).settings, settings);
}

#[test]
fn passphrase_change_checks_the_current_one_and_the_repeat() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let new = "et nyt langt løsen";
    let wrong = app.change_passphrase("forkert løsen".into(), new.into(), new.into());
    assert_eq!(code(wrong), "wrong_passphrase");
    let mismatch = app.change_passphrase(PASSPHRASE.into(), new.into(), "et andet løsen".into());
    assert_eq!(code(mismatch), "passphrase_mismatch");
    app.change_passphrase(PASSPHRASE.into(), new.into(), new.into()).expect("change");
    app.lock();
    assert_eq!(code(app.open_register(&fixture.path(), PASSPHRASE.into())), "wrong_passphrase");
    app.open_register(&fixture.path(), new.into()).expect("opens with the new passphrase");
}

#[test]
fn a_backup_opens_with_the_same_passphrase_and_is_never_overwritten() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let backup = fixture.dir.path().join("backup.ropa");
    app.backup_to(&backup).expect("backup");
    let again = app.backup_to(&backup).expect_err("exists");
    assert_eq!(again.code, "already_exists");
    assert_eq!(again.details.get("path"), Some(&backup.display().to_string()));
    assert!(app.verify().expect("verify").is_ok());
    assert!(app.change_log(10).expect("log").iter().any(|e| e.action == "backup"));
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn a_report_is_written_in_the_chosen_language_with_progress_in_order() {
    use crate::commands::reports::{ReportRequest, ReportStage};
    let fixture = Fixture::new();
    let app = fixture.created();
    app.save_activity(&Activity::draft("", "Lønadministration")).expect("save");
    let dest = fixture.dir.path().join("fortegnelse.pdf");
    std::fs::write(&dest, b"an older report").expect("write");
    let stages = std::sync::Mutex::new(Vec::new());
    let record = |stage: ReportStage| stages.lock().expect("lock").push(stage);
    let pages = app.write_report(&ReportRequest::Register, Language::NorwegianBokmal, &dest, &record).expect("report");
    assert!(pages >= 1);
    assert_eq!(*stages.lock().expect("lock"), [ReportStage::Reading, ReportStage::Rendering, ReportStage::Writing]);
    let text = pdf_text(&dest);
    assert!(text.contains("Protokoll over behandlingsaktiviteter"), "{text}");
    assert!(text.contains("Lønadministration") && text.contains(NAME), "{text}");
    assert!(text.contains(&format!("Side 1 av {pages}")), "{text}");
    // Nothing but the report is left in the folder (no temporary file).
    let mut names: Vec<_> = std::fs::read_dir(fixture.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf") || n.ends_with(".tmp"))
        .collect();
    names.sort();
    assert_eq!(names, ["fortegnelse.pdf"]);
}

#[test]
fn a_report_needs_an_open_register_and_a_writable_place() {
    use crate::commands::reports::ReportRequest;
    let fixture = Fixture::new();
    let app = fixture.created();
    let nowhere = fixture.dir.path().join("no-such-folder").join("r.pdf");
    let error =
        app.write_report(&ReportRequest::ProcessorRecord, Language::English, &nowhere, &|_| {}).expect_err("no");
    assert_eq!(error.code, "write_file");
    assert_eq!(error.details.get("path").map(String::as_str), Some(nowhere.display().to_string().as_str()));
    app.lock();
    let dest = fixture.dir.path().join("r.pdf");
    assert_eq!(code(app.write_report(&ReportRequest::Register, Language::Danish, &dest, &|_| {})), "locked");
    assert!(!dest.exists());
}

/// A breach the organisation became aware of at `aware`, with a data category from the catalog.
fn breach_at(app: &AppState, aware: chrono::DateTime<chrono::Utc>) -> ropa_core::breach_log::Breach {
    use ropa_core::breach_log::Breach;
    use ropa_core::processing_register::DataCategory;
    use ropa_core::vocab::BreachFinder;
    let category = DataCategory {
        id: "contact".into(),
        name: "Kontaktoplysninger".into(),
        kind: ropa_core::vocab::DataKind::General,
        special_category: None,
        description: String::new(),
    };
    app.save_data_category(&category).expect("category");
    let mut breach = Breach::new("Bærbar stjålet", aware, BreachFinder::Staff);
    breach.data_categories.push(category.id);
    breach
}

#[test]
fn a_saved_breach_is_listed_and_its_72_hours_are_a_deadline() {
    use ropa_core::deadlines::{DeadlineKind, DeadlineStatus, Due};
    use ropa_core::register_deadlines::RecordKind;
    let fixture = Fixture::new();
    let app = fixture.created();
    let aware = chrono::Utc::now() - chrono::TimeDelta::hours(2);
    let saved = app.save_breach(&breach_at(&app, aware)).expect("save");
    assert!(!saved.id.is_empty());
    // An open breach's later-stage rules are warnings: it saves with them.
    assert!(!saved.issues.is_empty() && saved.issues.iter().all(|i| !i.is_error()), "{:?}", saved.issues);
    assert!(app.check_breach(&app.breach(&saved.id).expect("read")).expect("check").iter().all(|i| !i.is_error()));

    let list = app.breaches().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, saved.id);
    assert!(list[0].open);
    let due = aware + chrono::TimeDelta::hours(72);
    assert_eq!(list[0].notice_deadline.map(|d| d.due), Some(Due::At(due)));

    let deadlines = app.deadlines_at(chrono::Utc::now()).expect("deadlines");
    let first = &deadlines[0];
    assert_eq!(first.deadline.kind, DeadlineKind::BreachNotification);
    assert_eq!((first.record.kind, first.record.id.as_str()), (RecordKind::Breach, saved.id.as_str()));
    assert_eq!(first.expires_at, Some(due));
    assert_eq!(first.status, DeadlineStatus::Open);
    let left = first.seconds_left.expect("seconds left");
    assert!((69 * 3600..=70 * 3600).contains(&left), "{left}");

    // Once a notice is recorded, the deadline stops.
    let mut breach = app.breach(&saved.id).expect("read");
    breach.record_notice(aware + chrono::TimeDelta::hours(1), "2026-431-0001", None, "", None);
    app.save_breach(&breach).expect("save notice");
    assert!(app.deadlines_at(chrono::Utc::now()).expect("deadlines").is_empty());
    assert_eq!(app.breaches().expect("list")[0].notice_deadline, None);
    assert_eq!(code(app.breach("missing")), "record_not_found");
}

#[test]
fn a_late_notice_without_reasons_is_refused_at_its_field() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let aware = chrono::Utc::now() - chrono::TimeDelta::hours(100);
    let mut breach = breach_at(&app, aware);
    breach.record_notice(aware + chrono::TimeDelta::hours(80), "2026-431-0002", None, "", None);
    let checked = app.check_breach(&breach).expect("check");
    assert!(checked.iter().any(|i| i.path == "/late_notice_reasons" && i.is_error()), "{checked:?}");

    let error = app.save_breach(&breach).expect_err("late without reasons");
    assert_eq!(error.code, "invalid");
    let issue = error.issues.iter().find(|i| i.code == "breach.notice_late_reasons_missing").expect("issue");
    assert_eq!(issue.path, "/late_notice_reasons");
    assert!(app.breaches().expect("list").is_empty());

    breach.late_notice_reasons = "Opdaget i weekenden; ansvarlig først tilbage mandag.".into();
    app.save_breach(&breach).expect("saved with reasons");
    assert_eq!(app.breaches().expect("list").len(), 1);
    app.lock();
    assert_eq!(code(app.breaches()), "locked");
    assert_eq!(code(app.deadlines_at(chrono::Utc::now())), "locked");
}

/// A breach aware at `aware` (UTC, RFC 3339), saved; its id.
fn saved_breach(app: &AppState, title: &str, aware: &str) -> String {
    let aware = chrono::DateTime::parse_from_rfc3339(aware).expect("time").to_utc();
    let mut breach = breach_at(app, aware);
    breach.title = title.into();
    app.save_breach(&breach).expect("save breach").id
}

#[test]
fn a_breach_notification_is_written_in_the_chosen_language_under_the_breachs_id() {
    use crate::commands::reports::{ReportRequest, ReportStage};
    let fixture = Fixture::new();
    let app = fixture.created();
    let id = saved_breach(&app, "Bærbar stjålet i toget", "2026-03-27T15:00:00Z");
    let request = ReportRequest::BreachNotification { breach: id.clone() };

    let (directory, name) = app.report_suggestion(&request, Language::NorwegianBokmal).expect("suggestion");
    assert_eq!(directory.as_deref(), Some(fixture.dir.path()));
    let today = chrono::Local::now().date_naive();
    assert_eq!(name, format!("Melding om brudd på personopplysningssikkerheten (avviksmelding) {id} {today}.pdf"));

    let dest = fixture.dir.path().join("avviksmelding.pdf");
    let stages = std::sync::Mutex::new(Vec::new());
    let record = |stage: ReportStage| stages.lock().expect("lock").push(stage);
    let pages = app.write_report(&request, Language::NorwegianBokmal, &dest, &record).expect("report");
    assert_eq!(*stages.lock().expect("lock"), [ReportStage::Reading, ReportStage::Rendering, ReportStage::Writing]);
    let text = pdf_text(&dest);
    // The title is wrapped over two lines in this large type.
    assert!(text.contains("Melding om brudd på\npersonopplysningssikkerheten"), "{text}");
    assert!(text.contains(&format!("{id}: Bærbar stjålet i toget")), "{text}");
    assert!(text.contains("27.03.2026 kl. 16.00") && text.contains(NAME), "awareness on the Danish clock: {text}");
    assert!(text.contains(&format!("Side 1 av {pages}")), "{text}");

    // In Danish, the same breach in the order of Datatilsynet's form.
    let danish = fixture.dir.path().join("anmeldelse.pdf");
    app.write_report(&request, Language::Danish, &danish, &|_| {}).expect("report");
    let text = pdf_text(&danish);
    assert!(text.contains("Anmeldelse af brud på") && text.contains("Datatilsynets blanket på virk.dk"), "{text}");
}

#[test]
fn an_unknown_breach_is_refused_before_the_dialog_and_writes_nothing() {
    use crate::commands::reports::ReportRequest;
    let fixture = Fixture::new();
    let app = fixture.created();
    let request = ReportRequest::BreachNotification { breach: "2026-404".into() };
    let error = app.report_suggestion(&request, Language::Danish).expect_err("unknown");
    assert_eq!(error.code, "record_not_found");
    assert_eq!(error.details.get("entity").map(String::as_str), Some("breach"));
    assert_eq!(error.details.get("id").map(String::as_str), Some("2026-404"));
    let dest = fixture.dir.path().join("anmeldelse.pdf");
    assert_eq!(code(app.write_report(&request, Language::Danish, &dest, &|_| {})), "record_not_found");
    assert!(!dest.exists());
}

#[test]
fn the_breach_log_holds_the_breaches_of_its_period_and_a_reversed_period_is_refused() {
    use crate::commands::reports::ReportRequest;
    let fixture = Fixture::new();
    let app = fixture.created();
    saved_breach(&app, "Fejlsendt e-mail i marts", "2026-03-10T09:00:00Z");
    saved_breach(&app, "Mistet USB-nøgle i maj", "2026-05-04T09:00:00Z");
    let day = |text: &str| Some(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day"));

    let march = ReportRequest::BreachLog { from: day("2026-03-01"), to: day("2026-03-31") };
    let (_, name) = app.report_suggestion(&march, Language::Danish).expect("suggestion");
    assert!(name.starts_with("Log over brud på persondatasikkerheden 20"), "{name}");
    let dest = fixture.dir.path().join("log.pdf");
    app.write_report(&march, Language::Danish, &dest, &|_| {}).expect("log");
    let text = pdf_text(&dest);
    assert!(text.contains("Log over brud på persondatasikkerheden"), "{text}");
    assert!(text.contains("01.03.2026 til 31.03.2026"), "the period: {text}");
    assert!(text.contains("Fejlsendt e-mail i marts"), "{text}");
    assert!(!text.contains("Mistet USB-nøgle i maj"), "a breach outside the period: {text}");

    // Without dates: every breach.
    let all = fixture.dir.path().join("all.pdf");
    app.write_report(&ReportRequest::BreachLog { from: None, to: None }, Language::English, &all, &|_| {})
        .expect("log");
    let text = pdf_text(&all);
    assert!(text.contains("Fejlsendt e-mail i marts") && text.contains("Mistet USB-nøgle i maj"), "{text}");

    let reversed = ReportRequest::BreachLog { from: day("2026-04-01"), to: day("2026-03-01") };
    let error = app.report_suggestion(&reversed, Language::Danish).expect_err("reversed");
    assert_eq!(error.code, "period_reversed");
    assert_eq!(error.details.get("from").map(String::as_str), Some("2026-04-01"));
    assert_eq!(error.details.get("to").map(String::as_str), Some("2026-03-01"));
    let dest = fixture.dir.path().join("reversed.pdf");
    assert_eq!(code(app.write_report(&reversed, Language::Danish, &dest, &|_| {})), "period_reversed");
    assert!(!dest.exists());
}

fn hosting() -> ropa_core::processor_agreements::Processor {
    let mut p = ropa_core::processor_agreements::Processor::new("", "Hosting A/S", "DK");
    p.services = vec!["Hosting".to_owned()];
    p
}

fn saved_processor(app: &AppState) -> String {
    app.save_processor(&hosting()).expect("save").id
}

/// A small file with `content` under `name` in the fixture's folder.
fn document(fixture: &Fixture, name: &str, content: &[u8]) -> std::path::PathBuf {
    let path = fixture.dir.path().join(name);
    std::fs::write(&path, content).expect("write document");
    path
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[test]
fn the_processors_overview_and_the_art30_record_show_the_processors() {
    use crate::commands::reports::ReportRequest;
    let fixture = Fixture::new();
    let app = fixture.created();
    let activity = app.save_activity(&Activity::draft("", "Webshop")).expect("save").id;
    let mut p = hosting();
    p.activities = vec![activity];
    app.save_processor(&p).expect("save processor");
    let overview = fixture.dir.path().join("databehandlere.pdf");
    app.write_report(&ReportRequest::Processors, Language::Danish, &overview, &|_| {}).expect("overview");
    // Table cells wrap: compare with the white space squashed.
    let text = pdf_text(&overview).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Oversigt over databehandlere"), "{text}");
    assert!(
        text.contains("Uden underskrevet databehandleraftale Hosting A/S – bruges af Webshop"),
        "what to act on names the processor and the activity using it: {text}"
    );
    let record = fixture.dir.path().join("fortegnelse.pdf");
    app.write_report(&ReportRequest::Register, Language::Danish, &record, &|_| {}).expect("record");
    let text = pdf_text(&record);
    assert!(text.contains("Webshop") && text.contains("Hosting A/S"), "the activity's processor: {text}");
}

#[test]
fn a_processor_with_errors_is_refused_at_its_field_and_nothing_is_saved() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let mut p = hosting();
    p.name = String::new();
    p.country = "Danmark".to_owned();
    let checked = app.check_processor(&p).expect("check");
    assert!(checked.iter().any(|i| i.path == "/name" && i.code == "processor.name_missing"), "{checked:?}");
    let error = app.save_processor(&p).expect_err("refused");
    assert_eq!(error.code, "invalid");
    assert!(error.issues.iter().any(|i| i.path == "/country" && i.code == "processor.country_invalid"));
    assert!(app.processors().expect("list").is_empty());
}

#[test]
fn a_saved_processor_is_listed_and_without_a_signed_agreement_it_is_a_gap() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let id = saved_processor(&app);
    assert!(!id.is_empty());
    assert_eq!(app.processor(&id).expect("read").name, "Hosting A/S");
    let deadlines = app.processor_deadlines_at(chrono::Utc::now()).expect("deadlines");
    assert_eq!(deadlines.len(), 1);
    assert_eq!(deadlines[0].kind.id(), "no_signed_agreement");
    assert_eq!(deadlines[0].processor_id, id);
    assert_eq!(code(app.processor("nobody")), "record_not_found");
}

#[test]
fn a_document_that_is_not_what_its_extension_says_is_refused_and_nothing_changes() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let id = saved_processor(&app);
    let before = app.processor(&id).expect("read");
    let fake = document(&fixture, "aftale.pdf", b"PK\x03\x04 not a pdf at all");
    let stages = std::cell::RefCell::new(Vec::new());
    let error = app.attach_agreement(&id, None, &fake, &|s| stages.borrow_mut().push(s)).expect_err("refused");
    assert_eq!(error.code, "document.wrong_type");
    assert_eq!(error.details.get("extension").map(String::as_str), Some("pdf"));
    assert_eq!(error.details.get("looks_like").map(String::as_str), Some("zip"));
    assert_eq!(*stages.borrow(), [crate::commands::processors::AttachStage::Checking]);
    assert_eq!(app.processor(&id).expect("read"), before);
}

#[test]
fn an_attached_document_is_stored_with_its_hash_and_extracts_to_the_same_bytes() {
    use crate::commands::processors::AttachStage;
    let fixture = Fixture::new();
    let app = fixture.created();
    let id = saved_processor(&app);
    let pdf = document(&fixture, "aftale.pdf", PDF);
    let stages = std::cell::RefCell::new(Vec::new());
    let doc = app.attach_agreement(&id, None, &pdf, &|s| stages.borrow_mut().push(s)).expect("attach");
    assert_eq!(*stages.borrow(), [AttachStage::Checking, AttachStage::Storing]);
    assert_eq!((doc.file_name.as_str(), doc.size), ("aftale.pdf", PDF.len() as u64));
    let stored = app.processor(&id).expect("read");
    assert_eq!(stored.current_agreement().and_then(|a| a.document.clone()), Some(doc));
    let extracted = app.extract_agreement_for_reading(&id, None).expect("extract");
    assert_eq!(std::fs::read(&extracted).expect("read extracted"), PDF);
    assert_eq!(extracted.file_name().and_then(|n| n.to_str()), Some("aftale.pdf"));
}

#[test]
fn the_temp_extract_is_deleted_on_lock() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let id = saved_processor(&app);
    let pdf = document(&fixture, "aftale.pdf", PDF);
    app.attach_agreement(&id, None, &pdf, &|_| {}).expect("attach");
    let extracted = app.extract_agreement_for_reading(&id, None).expect("extract");
    let folder = app.extract_dir().expect("dir");
    assert!(extracted.starts_with(&folder) && extracted.exists());
    app.lock();
    assert!(!extracted.exists(), "the extracted document outlives the lock");
    assert!(!folder.exists(), "the extract folder outlives the lock");
    assert_eq!(code(app.extract_agreement_for_reading(&id, None)), "locked");
}

#[test]
fn opening_a_version_without_a_document_says_so() {
    let fixture = Fixture::new();
    let app = fixture.created();
    let mut p = hosting();
    p.agreements.push(ropa_core::processor_agreements::Agreement {
        version: "1".to_owned(),
        current: true,
        signed_on: None,
        expires_on: None,
        term: String::new(),
        checklist: Default::default(),
        document: None,
    });
    let id = app.save_processor(&p).expect("save").id;
    let error = app.extract_agreement_for_reading(&id, Some("1")).expect_err("no document");
    assert_eq!(error.code, "document.no_document");
    assert_eq!(error.details.get("version").map(String::as_str), Some("1"));
}

fn supervised(app: &AppState) -> (String, String) {
    let mut p = hosting();
    p.supervisions.push(ropa_core::processor_agreements::Supervision {
        id: String::new(),
        method: ropa_core::processor_agreements::SupervisionMethod::Soc2,
        done_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        findings: String::new(),
        next_due: None,
        report: None,
    });
    let id = app.save_processor(&p).expect("save").id;
    let supervision = app.processor(&id).expect("read").supervisions[0].id.clone();
    (id, supervision)
}

#[test]
fn an_audit_report_is_attached_with_progress_and_opens_from_the_temp_folder() {
    use crate::commands::processors::AttachStage;
    let fixture = Fixture::new();
    let app = fixture.created();
    let (id, supervision) = supervised(&app);
    let before = app.processor(&id).expect("read");
    let fake = document(&fixture, "soc2.pdf", b"\xff\xd8\xff a jpeg");
    let error = app.attach_supervision_report(&id, &supervision, &fake, &|_| {}).expect_err("refused");
    assert_eq!(error.code, "document.wrong_type");
    assert_eq!(app.processor(&id).expect("read"), before);
    assert_eq!(code(app.extract_supervision_report_for_reading(&id, &supervision)), "document.no_report");

    let pdf = document(&fixture, "soc2.pdf", PDF);
    let stages = std::cell::RefCell::new(Vec::new());
    let doc = app.attach_supervision_report(&id, &supervision, &pdf, &|s| stages.borrow_mut().push(s)).expect("attach");
    assert_eq!(*stages.borrow(), [AttachStage::Checking, AttachStage::Storing]);
    assert_eq!(app.processor(&id).expect("read").supervisions[0].report, Some(doc));
    let extracted = app.extract_supervision_report_for_reading(&id, &supervision).expect("extract");
    assert_eq!(std::fs::read(&extracted).expect("read extracted"), PDF);
    assert!(extracted.starts_with(app.extract_dir().expect("dir")));
    app.lock();
    assert!(!extracted.exists(), "the extracted report outlives the lock");
    let error = app.attach_supervision_report(&id, "no-such", &pdf, &|_| {}).expect_err("locked");
    assert_eq!(error.code, "locked");
}

#[test]
fn an_edited_country_list_is_checked_by_name_and_used_by_the_open_register() {
    use ropa_core::country_lists::ListKind;
    let fixture = Fixture::new();
    let app = fixture.created();
    let shipped = app.country_lists();
    assert!(!shipped.adequacy.edited);
    let mut brazil = hosting();
    brazil.id = String::new();
    brazil.country = "BR".to_owned();
    let issues = app.check_processor(&brazil).expect("check");
    assert!(issues.iter().any(|i| i.path == "/mechanism"), "{issues:?}");

    let error =
        app.set_country_list(ListKind::Adequacy, "2026-09-01", vec!["CH".into(), "br".into()]).expect_err("lowercase");
    assert_eq!(
        (error.code.as_str(), error.details.get("code").map(String::as_str)),
        ("country_list.invalid_code", Some("br"))
    );
    let error = app.set_country_list(ListKind::Adequacy, "1.9.2026", vec!["CH".into()]).expect_err("date");
    assert_eq!(error.code, "country_list.date_invalid");
    assert_eq!(app.country_lists(), shipped, "nothing was written");

    let mut countries = shipped.adequacy.countries.clone();
    countries.push("BR".into());
    let lists = app.set_country_list(ListKind::Adequacy, "2026-09-01", countries).expect("set");
    assert!(lists.adequacy.edited && lists.adequacy.countries.contains(&"BR".to_owned()));
    let issues = app.check_processor(&brazil).expect("check");
    assert!(!issues.iter().any(|i| i.path == "/mechanism"), "the open register uses the edit: {issues:?}");
    // Another start of the app (or the CLI) reads the same file.
    assert_eq!(fixture.app().country_lists(), lists);

    let lists = app.reset_country_list(ListKind::Adequacy).expect("reset");
    assert_eq!(lists, shipped);
    assert!(app.check_processor(&brazil).expect("check").iter().any(|i| i.path == "/mechanism"));
}
