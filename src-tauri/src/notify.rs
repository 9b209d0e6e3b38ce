//! Desktop notifications for the open register's deadlines: while a register is unlocked, the
//! app looks at its deadlines right after the unlock and then every minute, and shows one
//! notification for each deadline that runs out within 24 hours (or has run out already) and
//! was not notified before.
//!
//! "Before" outlives the run and the lock: the deadlines notified are kept in `notified.json`
//! in the config folder beside the settings, keyed by the register's id, the record, the
//! deadline's kind and the instant it runs out, so a deadline that moves is a new one. The file
//! is not part of the register (it is this computer's memory, not the organisation's record).
//! Entries whose deadline ran out more than 30 days ago are dropped, and such old deadlines are
//! not notified either, so the file stays small and the two rules agree.
//!
//! A notification names the deadline's kind, the record's kind and its id, and the due time on
//! the organisation's clock; never the record's title or other text typed about people.
//!
//! With the `e2e` feature nothing is shown: each notification is appended as a JSON line to the
//! file named by `ROPA_E2E_NOTIFIED`, and `ROPA_E2E_NOTIFY_SECONDS` sets the interval.

use crate::state::AppState;
use chrono::{DateTime, TimeDelta, Utc};
use ropa_core::deadlines::{DeadlineKind, Due};
use ropa_core::files::{Existing, write_atomically};
use ropa_core::i18n;
use ropa_core::register_deadlines::{RecordKind, RegisterDeadline};
use ropa_core::vocab::Language;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A deadline is notified once it runs out within this time.
pub const WITHIN: TimeDelta = TimeDelta::hours(24);

/// Deadlines that ran out longer ago than this are neither notified nor remembered.
pub const FORGET_AFTER: TimeDelta = TimeDelta::days(30);

/// How often an unlocked register's deadlines are looked at.
const INTERVAL: Duration = Duration::from_secs(60);

/// One deadline that was notified: which register, which record, which deadline, and the
/// instant it runs out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Notified {
    /// The register's random id (kept by backups, so a backup's deadlines count as notified).
    pub register: String,
    pub record_kind: RecordKind,
    pub record: String,
    pub kind: DeadlineKind,
    pub due: DateTime<Utc>,
}

impl Notified {
    /// The key of `deadline` in `register`; `None` when it runs out past chrono's range.
    pub fn of(register: &str, deadline: &RegisterDeadline) -> Option<Notified> {
        Some(Notified {
            register: register.to_owned(),
            record_kind: deadline.record.kind,
            record: deadline.record.id.clone(),
            kind: deadline.deadline.kind,
            due: deadline.expires_at?,
        })
    }
}

/// The deadlines of `register` to notify at `now`: those running out within [`WITHIN`], or
/// run out less than [`FORGET_AFTER`] ago, that are not in `notified`. In the order given.
pub fn to_notify<'a>(
    register: &str,
    deadlines: &'a [RegisterDeadline],
    notified: &BTreeSet<Notified>,
    now: DateTime<Utc>,
) -> Vec<(&'a RegisterDeadline, Notified)> {
    deadlines
        .iter()
        .filter_map(|deadline| Some((deadline, Notified::of(register, deadline)?)))
        .filter(|(_, key)| key.due - now <= WITHIN && now - key.due <= FORGET_AFTER)
        .filter(|(_, key)| !notified.contains(key))
        .collect()
}

/// Drops the entries whose deadline ran out more than [`FORGET_AFTER`] before `now`.
pub fn forget_old(notified: &mut BTreeSet<Notified>, now: DateTime<Utc>) {
    notified.retain(|key| now - key.due <= FORGET_AFTER);
}

/// The notified deadlines, as JSON in the config folder.
#[derive(Debug, Clone)]
pub struct NotifiedStore {
    file: Option<PathBuf>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    notified: BTreeSet<Notified>,
}

impl NotifiedStore {
    pub fn at(dir: impl AsRef<Path>) -> Self {
        NotifiedStore { file: Some(dir.as_ref().join("notified.json")) }
    }

    /// In the user's config folder (`ROPA_CONFIG_DIR`); without one nothing is remembered.
    pub fn user_default() -> Self {
        ropa_core::settings::config_dir().map_or(NotifiedStore { file: None }, NotifiedStore::at)
    }

    /// What is stored. A missing or damaged file is empty: the worst that follows is a
    /// deadline notified a second time.
    pub fn load(&self) -> BTreeSet<Notified> {
        self.file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .map(|stored| stored.notified)
            .unwrap_or_default()
    }

    /// Replaces what is stored, atomically.
    pub fn save(&self, notified: &BTreeSet<Notified>) -> std::io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let stored = Stored { notified: notified.clone() };
        let bytes = serde_json::to_vec_pretty(&stored).map_err(std::io::Error::other)?;
        write_atomically(file, &bytes, Existing::Replace)
    }
}

/// The title and body of the notification of `deadline` at `now`, in `language`.
pub fn message(language: Language, deadline: &RegisterDeadline, now: DateTime<Utc>) -> (String, String) {
    let left = deadline.expires_at.map(|at| at - now);
    let overdue = left.is_some_and(|left| left < TimeDelta::zero());
    let title = i18n::t0(language, if overdue { "notify.title.overdue" } else { "notify.title.due_soon" });
    let due = match (deadline.deadline.due, deadline.due_local) {
        (Due::At(_), Some(local)) => i18n::format_time(language, local),
        (Due::On(date), _) => i18n::format_date(language, date),
        (Due::At(at), None) => at.to_rfc3339(),
    };
    let params = BTreeMap::from([
        ("deadline".to_owned(), i18n::t0(language, &format!("deadline.{}", deadline.deadline.kind.id()))),
        ("record".to_owned(), i18n::t0(language, &format!("notify.record.{}", deadline.record.kind.id()))),
        ("id".to_owned(), deadline.record.id.clone()),
        ("due".to_owned(), due),
        ("left".to_owned(), left.map(|left| time_left(language, left)).unwrap_or_default()),
    ]);
    (title, i18n::t(language, "notify.body", &params))
}

/// "om 5 t", "om 40 min", "3 t over fristen", "2 dage over fristen": whole units, rounded down.
fn time_left(language: Language, left: TimeDelta) -> String {
    let (prefix, span) = if left < TimeDelta::zero() { ("notify.overdue", -left) } else { ("notify.left", left) };
    let (unit, count) = if span >= TimeDelta::days(2) && prefix == "notify.overdue" {
        ("days", span.num_days())
    } else if span >= TimeDelta::hours(1) {
        ("hours", span.num_hours())
    } else {
        ("minutes", span.num_minutes())
    };
    i18n::t(language, &format!("{prefix}.{unit}"), &BTreeMap::from([("count".to_owned(), count.to_string())]))
}

/// Shows a notification on the desktop.
pub trait Notifier {
    /// Hands one notification to the desktop. An error means it was not handed over; its text
    /// carries no part of the notification.
    fn show(&self, title: &str, body: &str) -> Result<(), String>;
}

/// The official Tauri notification plugin. On Linux it sends over D-Bus on a background task,
/// so a desktop without a notification daemon is not reported as an error here.
#[cfg(not(feature = "e2e"))]
#[derive(Debug)]
pub struct Desktop(tauri::AppHandle);

#[cfg(not(feature = "e2e"))]
impl Notifier for Desktop {
    fn show(&self, title: &str, body: &str) -> Result<(), String> {
        use tauri_plugin_notification::NotificationExt;
        self.0.notification().builder().title(title).body(body).show().map_err(|e| e.to_string())
    }
}

/// The e2e build's notifications: one JSON line `{"title", "body"}` each, appended to a file.
#[cfg(any(test, feature = "e2e"))]
#[derive(Debug)]
pub struct Recorded(pub Option<PathBuf>);

#[cfg(any(test, feature = "e2e"))]
impl Notifier for Recorded {
    fn show(&self, title: &str, body: &str) -> Result<(), String> {
        use std::io::Write;
        let file = self.0.as_ref().ok_or("no file to record notifications in")?;
        let line = serde_json::json!({ "title": title, "body": body }).to_string();
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| writeln!(f, "{line}"))
            .map_err(|e| e.kind().to_string())
    }
}

#[cfg(not(feature = "e2e"))]
fn notifier(app: &tauri::AppHandle) -> Box<dyn Notifier + Send> {
    Box::new(Desktop(app.clone()))
}

#[cfg(feature = "e2e")]
fn notifier(_app: &tauri::AppHandle) -> Box<dyn Notifier + Send> {
    Box::new(Recorded(std::env::var_os("ROPA_E2E_NOTIFIED").map(PathBuf::from)))
}

#[cfg(not(feature = "e2e"))]
fn interval() -> Duration {
    INTERVAL
}

#[cfg(feature = "e2e")]
fn interval() -> Duration {
    std::env::var("ROPA_E2E_NOTIFY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(INTERVAL)
}

/// Looks at the open register's deadlines at `now` once, notifies what [`to_notify`] gives,
/// and remembers what was handed to the desktop. Returns how many were notified; 0 when no
/// register is open. Does not count as activity for the idle auto-lock.
pub fn check(state: &AppState, store: &NotifiedStore, notifier: &dyn Notifier, now: DateTime<Utc>) -> usize {
    let found = state.with_register(|r| Ok((r.id().to_owned(), r.deadlines(now)?)));
    let (register, deadlines) = match found {
        Ok(found) => found,
        Err(e) if e.code == "locked" => return 0,
        Err(e) => {
            eprintln!("ropa: deadline notices: could not read the deadlines ({})", e.code);
            return 0;
        }
    };
    let mut notified = store.load();
    let before = notified.clone();
    let language = state.language();
    let mut shown = 0;
    for (deadline, key) in to_notify(&register, &deadlines, &notified, now) {
        let (title, body) = message(language, deadline, now);
        match notifier.show(&title, &body) {
            Ok(()) => {
                notified.insert(key);
                shown += 1;
            }
            // Not remembered, so the next look tries again.
            Err(e) => eprintln!("ropa: deadline notice not shown: {e}"),
        }
    }
    forget_old(&mut notified, now);
    if notified != before
        && let Err(e) = store.save(&notified)
    {
        eprintln!("ropa: could not remember the notified deadlines: {}", e.kind());
    }
    shown
}

/// Starts the thread that looks at the open register's deadlines right after each unlock and
/// then every minute. The app runs on without notifications if the thread cannot start.
pub fn start(app: &tauri::AppHandle, state: AppState) {
    let notifier = notifier(app);
    let store = NotifiedStore::user_default();
    let interval = interval();
    let started = std::thread::Builder::new().name("deadline-notices".into()).spawn(move || {
        let mut seen = 0;
        loop {
            seen = state.wait_for_install(seen, interval);
            check(&state, &store, notifier.as_ref(), Utc::now());
        }
    });
    if let Err(e) = started {
        eprintln!("ropa: deadline notices are off: {}", e.kind());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ropa_core::deadlines::Deadline;
    use ropa_core::register_deadlines::RecordRef;
    use ropa_core::vocab::Country;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid time")
    }

    /// A deadline as core lists it, for a record with a title that must never be shown.
    fn listed(kind: DeadlineKind, record: &str, due: Due, now: DateTime<Utc>) -> RegisterDeadline {
        let deadline = Deadline { kind, due, country: Country::Denmark };
        RegisterDeadline {
            expires_at: deadline.expires_at(),
            due_local: deadline.due_local_time(),
            status: deadline.status(now),
            seconds_left: deadline.time_left(now).map(|t| t.num_seconds()),
            deadline,
            record: RecordRef {
                kind: if kind == DeadlineKind::ActivityReview { RecordKind::Activity } else { RecordKind::Breach },
                id: record.to_owned(),
                title: "Mette Hansens kundeliste".to_owned(),
            },
        }
    }

    fn breach_due(record: &str, due: DateTime<Utc>, now: DateTime<Utc>) -> RegisterDeadline {
        listed(DeadlineKind::BreachNotification, record, Due::At(due), now)
    }

    fn ids(found: &[(&RegisterDeadline, Notified)]) -> Vec<String> {
        found.iter().map(|(d, _)| d.record.id.clone()).collect()
    }

    const NOW: (i32, u32, u32, u32, u32) = (2026, 12, 3, 10, 0);

    fn now() -> DateTime<Utc> {
        at(NOW.0, NOW.1, NOW.2, NOW.3, NOW.4)
    }

    #[test]
    fn deadlines_within_24_hours_or_overdue_are_notified_and_later_ones_not() {
        let now = now();
        let deadlines = [
            breach_due("2026-001", now + TimeDelta::hours(5), now),
            breach_due("2026-002", now + TimeDelta::hours(24), now),
            breach_due("2026-003", now + TimeDelta::hours(24) + TimeDelta::seconds(1), now),
            breach_due("2026-004", now - TimeDelta::hours(2), now),
            breach_due("2026-005", now - TimeDelta::days(30), now),
            breach_due("2026-006", now - TimeDelta::days(30) - TimeDelta::seconds(1), now),
            breach_due("2026-007", now + TimeDelta::days(3), now),
        ];
        let found = to_notify("reg-a", &deadlines, &BTreeSet::new(), now);
        assert_eq!(ids(&found), ["2026-001", "2026-002", "2026-004", "2026-005"]);
        assert_eq!(found[0].1.due, now + TimeDelta::hours(5));
        assert_eq!(found[0].1.register, "reg-a");
    }

    #[test]
    fn a_review_due_tomorrow_runs_to_the_end_of_the_day_on_the_organisations_clock() {
        // Due 4 December: runs out at midnight in Copenhagen, 23:00 UTC.
        let review =
            |now| listed(DeadlineKind::ActivityReview, "nyhedsbrev", Due::On(at(2026, 12, 4, 0, 0).date_naive()), now);
        let early = at(2026, 12, 3, 22, 59);
        assert!(to_notify("reg-a", &[review(early)], &BTreeSet::new(), early).is_empty());
        let late = at(2026, 12, 3, 23, 0);
        let listed = [review(late)];
        let found = to_notify("reg-a", &listed, &BTreeSet::new(), late);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.due, at(2026, 12, 4, 23, 0));
        assert_eq!(found[0].1.record_kind, RecordKind::Activity);
    }

    #[test]
    fn a_deadline_is_notified_once_per_register_and_again_when_it_moves() {
        let now = now();
        let deadline = breach_due("2026-001", now + TimeDelta::hours(5), now);
        let first = to_notify("reg-a", std::slice::from_ref(&deadline), &BTreeSet::new(), now);
        let notified: BTreeSet<Notified> = first.into_iter().map(|(_, key)| key).collect();
        assert!(to_notify("reg-a", std::slice::from_ref(&deadline), &notified, now).is_empty());
        let later = now + TimeDelta::hours(4);
        assert!(
            to_notify("reg-a", &[breach_due("2026-001", now + TimeDelta::hours(5), later)], &notified, later)
                .is_empty()
        );
        // The same record and kind with another due instant (a new phase) is a new deadline.
        let moved = breach_due("2026-001", now + TimeDelta::hours(6), now);
        assert_eq!(ids(&to_notify("reg-a", &[moved], &notified, now)), ["2026-001"]);
        // Another kind of deadline of the same record, and the same deadline in another register.
        let other_kind =
            listed(DeadlineKind::ReporterAcknowledgement, "2026-001", Due::At(now + TimeDelta::hours(5)), now);
        assert_eq!(ids(&to_notify("reg-a", &[other_kind], &notified, now)), ["2026-001"]);
        assert_eq!(ids(&to_notify("reg-b", &[deadline], &notified, now)), ["2026-001"]);
    }

    #[test]
    fn old_entries_are_forgotten_after_30_days() {
        let now = now();
        let key = |record: &str, due| Notified {
            register: "reg-a".into(),
            record_kind: RecordKind::Breach,
            record: record.into(),
            kind: DeadlineKind::BreachNotification,
            due,
        };
        let mut notified = BTreeSet::from([
            key("old", now - TimeDelta::days(30) - TimeDelta::seconds(1)),
            key("edge", now - TimeDelta::days(30)),
            key("soon", now + TimeDelta::hours(3)),
        ]);
        forget_old(&mut notified, now);
        let left: Vec<&str> = notified.iter().map(|k| k.record.as_str()).collect();
        assert_eq!(left, ["edge", "soon"]);
    }

    #[test]
    fn the_message_names_the_deadline_and_the_record_id_on_the_organisations_clock_and_no_title() {
        let now = now();
        // 15:00 UTC is 16:00 in Copenhagen in December.
        let deadline = breach_due("2026-007", at(2026, 12, 3, 15, 0), now);
        let (title, body) = message(Language::Danish, &deadline, now);
        assert_eq!(title, i18n::t0(Language::Danish, "notify.title.due_soon"));
        assert!(body.contains("Datatilsynet"), "{body}");
        assert!(body.contains("2026-007"), "{body}");
        assert!(body.contains("03.12.2026 kl. 16.00"), "{body}");
        assert!(body.contains("om 5 t"), "{body}");
        assert!(!body.contains("Mette") && !title.contains("Mette"), "{body}");

        let (title, body) = message(Language::English, &deadline, at(2026, 12, 3, 17, 30));
        assert_eq!(title, i18n::t0(Language::English, "notify.title.overdue"));
        assert!(body.contains("2 h overdue"), "{body}");
        let (_, body) = message(Language::NorwegianBokmal, &deadline, at(2026, 12, 3, 14, 20));
        assert!(body.contains("om 40 min"), "{body}");
        let (_, body) = message(Language::Danish, &deadline, at(2026, 12, 6, 15, 0));
        assert!(body.contains("3 dage over fristen"), "{body}");
    }

    #[test]
    fn the_notified_deadlines_survive_a_restart_and_a_damaged_file_is_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config");
        let store = NotifiedStore::at(&config);
        assert!(store.load().is_empty());
        let now = now();
        let deadline = breach_due("2026-001", now + TimeDelta::hours(5), now);
        let notified: BTreeSet<Notified> = to_notify("reg-a", std::slice::from_ref(&deadline), &BTreeSet::new(), now)
            .into_iter()
            .map(|(_, k)| k)
            .collect();
        store.save(&notified).expect("save");
        let again = NotifiedStore::at(&config);
        assert_eq!(again.load(), notified);
        assert!(to_notify("reg-a", &[deadline], &again.load(), now).is_empty());
        let names: Vec<String> = std::fs::read_dir(&config)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["notified.json"]);
        std::fs::write(config.join("notified.json"), b"{ not json").expect("damage");
        assert!(again.load().is_empty());
    }

    /// Records what it is asked to show, or refuses everything.
    struct Fake {
        shown: std::cell::RefCell<Vec<(String, String)>>,
        fails: bool,
    }

    impl Fake {
        fn new(fails: bool) -> Self {
            Fake { shown: Default::default(), fails }
        }
    }

    impl Notifier for Fake {
        fn show(&self, title: &str, body: &str) -> Result<(), String> {
            if self.fails {
                return Err("no notification daemon".into());
            }
            self.shown.borrow_mut().push((title.to_owned(), body.to_owned()));
            Ok(())
        }
    }

    #[test]
    fn the_e2e_recorder_appends_one_json_line_per_notice_and_fails_without_a_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("notified.jsonl");
        let recorded = Recorded(Some(file.clone()));
        recorded.show("Frist", "brud 2026-001").expect("record");
        recorded.show("Frist", "brud 2026-002").expect("record");
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&file)
            .expect("read")
            .lines()
            .map(|line| serde_json::from_str(line).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1], serde_json::json!({ "title": "Frist", "body": "brud 2026-002" }));
        assert!(Recorded(None).show("Frist", "brud").is_err());
        assert!(Recorded(Some(dir.path().join("missing").join("x.jsonl"))).show("Frist", "brud").is_err());
    }

    #[test]
    fn a_real_register_notifies_a_breach_found_60_hours_ago_once_across_restarts_and_retries_a_failure() {
        use ropa_core::breach_log::Breach;
        use ropa_core::processing_register::Organisation;
        use ropa_core::settings::SettingsStore;
        use ropa_core::vocab::BreachFinder;
        use ropa_core::{ChainHeads, Passphrase};

        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config");
        let app_in = |config: &Path| AppState::new(SettingsStore::at(config), ChainHeads::at(config));
        let store = NotifiedStore::at(&config);
        let app = app_in(&config);
        let path = dir.path().join("register.ropa").display().to_string();
        let pass = "korrekt hest batteri";
        app.allow(&path);
        let organisation = Organisation::new("Jensen Tømrer ApS", Country::Denmark, Language::Danish);
        app.create_register(&path, pass.into(), pass.into(), &organisation).expect("create");
        let now = Utc::now();
        let saved = app
            .save_breach(&Breach::new("Mette Hansens kundeliste", now - TimeDelta::hours(60), BreachFinder::Staff))
            .expect("save");

        // Not handed to the desktop: nothing is remembered, and the next look tries again.
        let failing = Fake::new(true);
        assert_eq!(check(&app, &store, &failing, now), 0);
        assert!(store.load().is_empty());

        let fake = Fake::new(false);
        assert_eq!(check(&app, &store, &fake, now), 1);
        assert_eq!(check(&app, &store, &fake, now + TimeDelta::minutes(1)), 0);
        let shown = fake.shown.borrow().clone();
        assert_eq!(shown.len(), 1);
        assert!(shown[0].1.contains(&saved.id), "{:?}", shown[0]);
        assert!(!shown[0].1.contains("Mette"), "{:?}", shown[0]);

        // Locked: nothing to look at. After a restart and an unlock, still notified.
        app.lock();
        assert_eq!(check(&app, &store, &fake, now), 0);
        let restarted = app_in(&config);
        restarted.allow(&path);
        restarted.open_register(&path, Passphrase::from(pass)).expect("unlock");
        assert_eq!(check(&restarted, &store, &fake, now + TimeDelta::minutes(2)), 0);
        assert_eq!(fake.shown.borrow().len(), 1);
    }
}
