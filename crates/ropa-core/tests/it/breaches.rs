//! The breach log on real encrypted registers: saving and listing breaches, the 72-hour clock
//! across summer time, late notices, outside reporters' working-day deadlines, the register-wide
//! deadline list, the timeline, and the upgrade of a schema-1 file.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use ropa_core::breach_log::*;
use ropa_core::deadlines::{DeadlineKind, DeadlineStatus, Due};
use ropa_core::register_deadlines::RecordKind;
use ropa_core::store::{Catalog, LATEST_VERSION, testing};
use ropa_core::vocab::*;
use ropa_core::{ChainHeads, Passphrase, Register, StoreError, interchange};
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

    /// A register holding the example register (without its breaches) for `country`.
    fn create(&self, name: &str, country: Country) -> Register {
        let mut content = fixture_content();
        content.organisation.country = country;
        if country == Country::Norway {
            content.organisation.business_id = "923609016".into();
            // The others rest on Danish provisions.
            content.activities.truncate(2);
        }
        let mut register =
            Register::create(&self.path(name), &Passphrase::from(PASS), &content.organisation, self.heads())
                .expect("create register");
        register.import(&content, false).expect("import");
        register
    }

    fn open(&self, name: &str) -> Register {
        Register::open(&self.path(name), &Passphrase::from(PASS), self.heads()).expect("open")
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("a valid time").with_timezone(&Utc)
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a valid local time")
}

/// A complete open breach assessed as a risk, not yet notified.
fn breach(title: &str, aware: DateTime<Utc>) -> Breach {
    Breach {
        nature: vec![BreachNature::Confidentiality],
        data_categories: vec!["contact".into()],
        subject_categories: vec!["webshop-customers".into()],
        approx_subjects: Some(12),
        consequences: "Andre kunder har set navn og adresse.".into(),
        risk: Some(RiskAssessment {
            level: RiskLevel::Risk,
            reasons: "Almindelige oplysninger.".into(),
            assessed_at: aware + TimeDelta::hours(1),
        }),
        measures_taken: "Skabelonen er rettet.".into(),
        activities: vec!["webshop-orders".into()],
        ..Breach::new(title, aware, BreachFinder::Staff)
    }
}

fn notice_deadlines(register: &Register, now: DateTime<Utc>) -> Vec<(String, Due)> {
    register
        .deadlines(now)
        .expect("deadlines")
        .into_iter()
        .filter(|d| d.deadline.kind == DeadlineKind::BreachNotification)
        .map(|d| (d.record.id, d.deadline.due))
        .collect()
}

#[test]
fn a_breach_found_on_friday_at_16_before_summer_time_is_due_on_monday_at_17() {
    // (country, awareness on the wall clock, notice due on the wall clock): 72 real hours, so
    // the wall clock moves 73 hours when summer time begins and 71 when it ends.
    let table = [
        (Country::Denmark, "2026-03-27 16:00", "2026-03-30 17:00", "2026-03-30T15:00:00Z"),
        (Country::Norway, "2026-03-27 16:00", "2026-03-30 17:00", "2026-03-30T15:00:00Z"),
        (Country::Denmark, "2026-10-23 16:00", "2026-10-26 15:00", "2026-10-26T14:00:00Z"),
        (Country::Denmark, "2026-06-05 16:00", "2026-06-08 16:00", "2026-06-08T14:00:00Z"),
    ];
    for (country, aware_local, due_local, due_utc) in table {
        let env = Env::new();
        let mut register = env.create("a.ropa", country);
        let aware = parse_time(aware_local, country).expect("a time");
        let (id, _) = register.save_breach(&breach("Mail til forkerte kunder", aware)).expect("save");
        let deadlines = register.deadlines(aware).expect("deadlines");
        let first = deadlines
            .iter()
            .find(|d| d.deadline.kind == DeadlineKind::BreachNotification)
            .expect("the notice deadline runs");
        assert_eq!((first.record.kind, first.record.id.as_str()), (RecordKind::Breach, id.as_str()));
        assert_eq!(first.deadline.due, Due::At(utc(due_utc)), "{country:?} {aware_local}");
        assert_eq!(first.due_local, Some(local(due_local)), "{country:?} {aware_local}");
        assert_eq!(first.seconds_left, Some(72 * 3600));
        assert_eq!(first.status, DeadlineStatus::Open);
        let summary = &register.breaches().expect("list")[0];
        assert_eq!(summary.notice_deadline.map(|d| d.due), Some(Due::At(utc(due_utc))));
    }
}

#[test]
fn recording_the_notice_stops_the_clock() {
    let env = Env::new();
    let mut register = env.create("a.ropa", Country::Denmark);
    let aware = utc("2026-03-27T15:00:00Z");
    let (id, warnings) = register.save_breach(&breach("Mail til forkerte kunder", aware)).expect("save");
    assert_eq!(id, "2026-001");
    assert!(warnings.iter().any(|i| i.code == "breach.notice_missing"), "{warnings:?}");
    let now = aware + TimeDelta::hours(60);
    assert_eq!(notice_deadlines(&register, now).len(), 1);
    assert_eq!(register.deadlines(now).expect("deadlines")[0].status, DeadlineStatus::DueSoon);

    let mut saved = register.breach(&id).expect("breach");
    saved.record_notice(aware + TimeDelta::hours(50), "2026-431-0001", None, "", None);
    register.save_breach(&saved).expect("a notice in time needs no reasons");
    assert_eq!(notice_deadlines(&register, now), vec![]);
    assert_eq!(register.breaches().expect("list")[0].notice_deadline, None);
    assert_eq!(register.breach(&id).expect("breach").notices[0].phase, NoticePhase::Initial);
    let entry = &register.change_log(1).expect("log")[0];
    assert_eq!(
        (entry.entity.as_str(), entry.entity_id.as_str(), entry.action.as_str()),
        ("breach", "2026-001", "update")
    );

    // A breach assessed as no risk has no notice deadline but stays in the log.
    let mut none = breach("Krypteret USB-nøgle tabt", aware);
    none.risk = Some(RiskAssessment {
        level: RiskLevel::NoRisk,
        reasons: "Krypteret.".into(),
        assessed_at: aware + TimeDelta::hours(1),
    });
    let (second, _) = register.save_breach(&none).expect("save");
    assert_eq!(second, "2026-002");
    assert_eq!(notice_deadlines(&register, now), vec![]);
    assert_eq!(register.breaches().expect("list").len(), 2);
}

#[test]
fn a_notice_after_72_hours_is_refused_without_reasons_and_the_file_is_unchanged() {
    let env = Env::new();
    let mut register = env.create("a.ropa", Country::Denmark);
    let aware = utc("2026-03-27T15:00:00Z");
    let (id, _) = register.save_breach(&breach("Mail til forkerte kunder", aware)).expect("save");
    register.close().expect("close");
    let before = hash(&env.path("a.ropa"));

    let mut register = env.open("a.ropa");
    let mut late = register.breach(&id).expect("breach");
    late.record_notice(aware + TimeDelta::hours(73), "2026-431-0001", None, "", None);
    let Err(StoreError::Invalid(issues)) = register.save_breach(&late) else { panic!("a late notice without reasons") };
    let found: Vec<(&str, &str)> = issues.iter().map(|i| (i.path.as_str(), i.code.as_str())).collect();
    assert_eq!(found, vec![("/late_notice_reasons", "breach.notice_late_reasons_missing")]);
    assert_eq!(issues[0].params["hours"], "73");
    register.close().expect("close");
    assert_eq!(hash(&env.path("a.ropa")), before, "a refused write leaves the file as it was");

    let mut register = env.open("a.ropa");
    let mut late = register.breach(&id).expect("breach");
    late.record_notice(
        aware + TimeDelta::hours(73),
        "2026-431-0001",
        None,
        "",
        Some("Omfanget skulle afklares med leverandøren.".into()),
    );
    register.save_breach(&late).expect("with reasons the late notice is accepted");
    assert_eq!(register.breach(&id).expect("breach").late_notice_reasons, "Omfanget skulle afklares med leverandøren.");
}

#[test]
fn an_outside_reporter_is_answered_within_working_days_around_easter() {
    let env = Env::new();
    let mut register = env.create("a.ropa", Country::Denmark);
    // Reported on Wednesday 1 April 2026: Maundy Thursday, Good Friday and Easter Monday follow.
    let reported = utc("2026-04-01T09:00:00Z");
    let mut b = breach("Kunde fik andens faktura", reported + TimeDelta::hours(1));
    b.discovery = Discovery { reported_at: Some(reported), ..Discovery::by(BreachFinder::OutsideReporter) };
    let (id, _) = register.save_breach(&b).expect("save");
    let reporter = |register: &Register| -> Vec<(DeadlineKind, Due)> {
        register
            .deadlines(reported)
            .expect("deadlines")
            .into_iter()
            .filter(|d| d.record.id == id && d.deadline.kind != DeadlineKind::BreachNotification)
            .map(|d| (d.deadline.kind, d.deadline.due))
            .collect()
    };
    let date = |s: &str| Due::On(s.parse().expect("date"));
    // 2 working days: Tue 7 and Wed 8 April; 10: 7–10, 13–17 and 20 April.
    assert_eq!(
        reporter(&register),
        vec![
            (DeadlineKind::ReporterAcknowledgement, date("2026-04-08")),
            (DeadlineKind::ReporterFeedback, date("2026-04-20"))
        ]
    );
    register
        .save_breach_settings(&BreachSettings {
            acknowledge_within_working_days: 1,
            feedback_within_working_days: 5,
            customary_days_off: false,
        })
        .expect("settings");
    assert_eq!(
        reporter(&register),
        vec![
            (DeadlineKind::ReporterAcknowledgement, date("2026-04-07")),
            (DeadlineKind::ReporterFeedback, date("2026-04-13"))
        ]
    );
    let mut answered = register.breach(&id).expect("breach");
    answered.discovery.acknowledged_at = Some(utc("2026-04-07T08:00:00Z"));
    register.save_breach(&answered).expect("save");
    assert_eq!(reporter(&register), vec![(DeadlineKind::ReporterFeedback, date("2026-04-13"))]);
}

#[test]
fn the_register_deadlines_are_listed_soonest_first() {
    let env = Env::new();
    let mut register = env.create("a.ropa", Country::Denmark);
    let now = utc("2026-06-01T10:00:00Z");
    // An overdue notice, a notice due in 62 hours, a reporter's acknowledgement and feedback,
    // then the activities' reviews (all later in the example register).
    register.save_breach(&breach("Frisk", now - TimeDelta::hours(10))).expect("save");
    register.save_breach(&breach("Gammel", now - TimeDelta::hours(80))).expect("save");
    let mut reported = breach("Anmeldt", now - TimeDelta::hours(1));
    reported.risk.as_mut().expect("risk").level = RiskLevel::NoRisk;
    reported.discovery =
        Discovery { reported_at: Some(now - TimeDelta::hours(2)), ..Discovery::by(BreachFinder::OutsideReporter) };
    register.save_breach(&reported).expect("save");
    let mut closed = breach("Lukket", now - TimeDelta::hours(1));
    closed.risk.as_mut().expect("risk").level = RiskLevel::NoRisk;
    closed.closed_at = Some(now);
    register.save_breach(&closed).expect("save");

    let list = register.deadlines(now).expect("deadlines");
    let got: Vec<(DeadlineKind, &str, DeadlineStatus)> =
        list.iter().take(5).map(|d| (d.deadline.kind, d.record.title.as_str(), d.status)).collect();
    assert_eq!(
        got,
        vec![
            (DeadlineKind::BreachNotification, "Gammel", DeadlineStatus::Overdue),
            // By the end of Wednesday 3 June (22:00 UTC), two hours before the 72 hours of "Frisk".
            (DeadlineKind::ReporterAcknowledgement, "Anmeldt", DeadlineStatus::Open),
            (DeadlineKind::BreachNotification, "Frisk", DeadlineStatus::Open),
            (DeadlineKind::ReporterFeedback, "Anmeldt", DeadlineStatus::Open),
            (DeadlineKind::ActivityReview, "Personaleadministration og løn", DeadlineStatus::Open),
        ]
    );
    assert_eq!(list[0].seconds_left, Some(-8 * 3600));
    let expiries: Vec<_> = list.iter().map(|d| d.expires_at).collect();
    let mut sorted = expiries.clone();
    sorted.sort();
    assert_eq!(expiries, sorted, "soonest first");
    let reviews = list.iter().filter(|d| d.record.kind == RecordKind::Activity).count();
    assert_eq!(reviews, 6, "one review per activity");
    assert!(list.iter().all(|d| d.record.title != "Lukket"), "a closed no-risk breach has no deadline");
}

#[test]
fn the_timeline_is_in_time_order_whatever_order_the_facts_were_entered() {
    let aware = utc("2026-03-27T15:00:00Z");
    let h = TimeDelta::hours;
    let mut b = breach("Mail til forkerte kunder", aware);
    b.closed_at = Some(aware + h(200));
    b.data_subjects = Some(SubjectNotification::Told { at: aware + h(30), how: "Brev.".into() });
    b.record_notice(aware + h(20), "J-1", None, "", None);
    b.record_notice(aware + h(90), "J-1", None, "Alle modtagere har slettet mailen.", None);
    b.discovery.by = BreachFinder::OutsideReporter;
    b.discovery.reported_at = Some(aware);
    b.discovery.feedback_at = Some(aware + h(100));
    b.discovery.acknowledged_at = Some(aware + h(18));
    let ids: Vec<&str> = b.timeline().iter().map(TimelineEvent::id).collect();
    assert_eq!(
        ids,
        vec![
            "reported",
            "found",
            "assessed",
            "reporter_acknowledged",
            "notified",
            "subjects_told",
            "supplemented",
            "reporter_answered",
            "closed"
        ]
    );
    assert_eq!(b.notices[1].phase, NoticePhase::Supplement, "later notices are supplements");
    let times: Vec<_> = b.timeline().iter().map(TimelineEvent::at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_schema_one_fixture_is_upgraded_and_keeps_breaches_with_their_links() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema1.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 1");
    let mut register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open the fixture");
    assert_eq!(register.breach_log().expect("log"), BreachLog::default(), "no breaches, default settings");

    let mut b = breach("Lønseddel sendt forkert", utc("2026-06-01T08:00:00Z"));
    b.data_categories = vec!["cpr".into()];
    b.subject_categories = vec!["employees".into()];
    b.activities = vec!["payroll".into()];
    let (id, _) = register.save_breach(&b).expect("save a breach in the upgraded file");
    let in_use = register.delete_catalog_entry(Catalog::DataCategories, "cpr").expect_err("in use by the breach");
    assert!(matches!(in_use, StoreError::InUse { .. }), "{in_use:?}");
    // Art. 33(5): the activity a breach concerns cannot be deleted from under it.
    let in_use = register.delete_activity("payroll").expect_err("in use by the breach");
    assert!(matches!(in_use, StoreError::InUse { entity: "activity", .. }), "{in_use:?}");
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");

    let register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("reopen");
    assert_eq!(register.breach(&id).expect("breach").title, "Lønseddel sendt forkert");
    register.close().expect("close");
    let raw = testing::open_raw(&env.path("old.ropa"), &pass).expect("raw");
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, LATEST_VERSION);
}

#[test]
fn the_schema_two_fixture_opens_with_its_breach_log() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register-schema2.ropa");
    std::fs::copy(&fixture, env.path("old.ropa")).expect("copy");
    let pass = Passphrase::from("fixture passphrase 2");
    let register = Register::open(&env.path("old.ropa"), &pass, env.heads()).expect("open the fixture");
    let text = include_str!("../../../../tests/fixtures/register-da.json");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (content, mut log, _) = interchange::parse_all(text, today).expect("fixture parses");
    // The file was written before breaches had a main cause: its breaches load without one.
    assert!(log.breaches.iter().all(|b| b.main_cause.is_some()), "the example names main causes");
    for breach in &mut log.breaches {
        breach.main_cause = None;
    }
    assert_eq!(register.content().expect("content"), content);
    assert_eq!(register.breach_log().expect("log"), log);
    assert!(register.verify().expect("verify").is_ok());
    register.close().expect("close");
    let raw = testing::open_raw(&env.path("old.ropa"), &pass).expect("raw");
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, LATEST_VERSION);
}

#[test]
fn a_breach_with_errors_is_refused_and_an_unfinished_one_is_saved() {
    let env = Env::new();
    let mut register = env.create("a.ropa", Country::Denmark);
    let aware = utc("2025-12-30T10:00:00Z");
    let mut bad = breach("Forkert aktivitet", aware);
    bad.activities = vec!["no-such-activity".into()];
    let Err(StoreError::Invalid(issues)) = register.save_breach(&bad) else { panic!("unknown activity") };
    assert_eq!(issues[0].code, "breach.unknown_activity");
    assert_eq!(register.breaches().expect("list"), vec![]);

    let (id, warnings) =
        register.save_breach(&Breach::new("Netop opdaget", aware, BreachFinder::Staff)).expect("a draft is saved");
    assert_eq!(id, "2025-001", "numbered by the year of awareness");
    assert!(warnings.iter().all(|i| !i.is_error()) && !warnings.is_empty());
    let summary = &register.breaches().expect("list")[0];
    assert!(summary.open && summary.errors == 0 && summary.warnings == warnings.len());
}

#[test]
fn times_are_read_with_an_offset_or_on_the_organisations_wall_clock() {
    let dk = Country::Denmark;
    let no = Country::Norway;
    let table: &[(&str, Country, Result<&str, TimeError>)] = &[
        ("2026-03-27T16:00:00+01:00", dk, Ok("2026-03-27T15:00:00Z")),
        ("2026-03-27T16:00+01:00", dk, Ok("2026-03-27T15:00:00Z")),
        ("2026-03-27T15:00:00Z", no, Ok("2026-03-27T15:00:00Z")),
        ("2026-03-27 16:00", dk, Ok("2026-03-27T15:00:00Z")),
        ("2026-07-01 16:00", no, Ok("2026-07-01T14:00:00Z")),
        ("2026-07-01T16:00:30", dk, Ok("2026-07-01T14:00:30Z")),
        // The hour the clocks skip when summer time begins.
        ("2026-03-29 02:30", dk, Err(TimeError::Skipped)),
        ("2026-03-29 02:30", no, Err(TimeError::Skipped)),
        ("2026-03-29 03:00", dk, Ok("2026-03-29T01:00:00Z")),
        // The hour that occurs twice when it ends: the earlier, summer-time one.
        ("2026-10-25 02:30", dk, Ok("2026-10-25T00:30:00Z")),
        ("2026-10-25 02:30+01:00", dk, Ok("2026-10-25T01:30:00Z")),
        ("27.03.2026 16:00", dk, Err(TimeError::Invalid)),
        ("2026-02-30 16:00", dk, Err(TimeError::Invalid)),
        ("", dk, Err(TimeError::Invalid)),
    ];
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(text, country, want)| {
            let want = want.map(utc);
            let got = parse_time(text, *country);
            (got != want).then(|| format!("{text} ({country:?}): expected {want:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_main_cause_round_trips_by_its_id_and_json_without_it_still_loads() {
    let mut b = breach("Mail til forkert kunde", utc("2026-03-27T15:00:00Z"));
    for cause in BreachCause::ALL {
        b.main_cause = Some(*cause);
        let json = serde_json::to_value(&b).expect("serialise");
        assert_eq!(json["main_cause"], cause.id());
        assert_eq!(serde_json::from_value::<Breach>(json).expect("deserialise"), b);
    }
    // A breach written before the field existed (an older register or interchange file).
    let mut old = serde_json::to_value(&b).expect("serialise");
    old.as_object_mut().expect("object").remove("main_cause");
    assert_eq!(serde_json::from_value::<Breach>(old.clone()).expect("old breach").main_cause, None);
    // An id outside the list is refused.
    old["main_cause"] = "typo".into();
    assert!(serde_json::from_value::<Breach>(old).is_err());

    // An interchange file without it imports, every breach without a main cause.
    let text = include_str!("../../../../tests/fixtures/register-da.json");
    let mut file: serde_json::Value = serde_json::from_str(text).expect("fixture json");
    for breach in file["breaches"].as_array_mut().expect("breaches") {
        breach.as_object_mut().expect("breach").remove("main_cause");
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (_, log, _) = interchange::parse_all(&file.to_string(), today).expect("an older file parses");
    assert!(log.breaches.iter().all(|b| b.main_cause.is_none()));
}
