//! Everything the CLI prints: results on stdout, errors and warnings on stderr, all in the
//! user's language through the shared message catalog. Error lines name codes and ids, never
//! the personal data a register holds.

use chrono::{DateTime, Utc};
use ropa_core::breach_log::{Breach, BreachSettings, BreachSummary, TimelineEvent};
use ropa_core::chain_heads::RollbackWarning;
use ropa_core::change_log::{Break, Entry};
use ropa_core::deadlines::{self, Deadline, Due};
use ropa_core::i18n;
use ropa_core::interchange::ImportError;
use ropa_core::processing_register::ActivitySummary;
use ropa_core::processor_agreements::Processor;
use ropa_core::register_deadlines::{ProcessorDeadline, RegisterDeadline};
use ropa_core::store::VerifyReport;
use ropa_core::validation::Issue;
use ropa_core::vocab::Language;
use ropa_core::vocab::{Country, RiskLevel};
use ropa_core::{OpenError, StoreError};
use std::collections::BTreeMap;
use std::path::Path;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    Open(OpenError),
    Store(StoreError),
    Import(ImportError),
    Pdf(ropa_pdf::PdfError),
    /// A catalog key and its parameters.
    Message(&'static str, Vec<(&'static str, String)>),
    VerifyFailed,
}

impl Failure {
    pub fn read(path: &Path, e: std::io::Error) -> Self {
        Failure::Message("error.read_file", vec![("path", path.display().to_string()), ("detail", e.to_string())])
    }

    pub fn write(path: &Path, e: std::io::Error) -> Self {
        Failure::Message("error.write_file", vec![("path", path.display().to_string()), ("detail", e.to_string())])
    }
}

impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Self {
        Failure::Open(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

fn params(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

#[derive(Debug)]
pub struct Out {
    language: Language,
}

impl Out {
    pub fn new(language: Language) -> Self {
        Out { language }
    }

    pub fn text(&self, key: &str) -> String {
        i18n::t0(self.language, key)
    }

    /// The language messages are printed in.
    pub fn language(&self) -> Language {
        self.language
    }

    fn t(&self, key: &str, pairs: &[(&str, String)]) -> String {
        i18n::t(self.language, key, &params(pairs))
    }

    /// A catalog message with its parameters, as text.
    pub fn words(&self, key: &str, pairs: &[(&str, String)]) -> String {
        self.t(key, pairs)
    }

    /// A result line on stdout.
    pub fn say(&self, key: &str, pairs: &[(&str, String)]) {
        println!("{}", self.t(key, pairs));
    }

    /// A notice on stderr, beside a result: stdout stays the result alone.
    pub fn notice(&self, key: &str, pairs: &[(&str, String)]) {
        eprintln!("ropa: {}", self.t(key, pairs));
    }

    pub fn print(&self, text: &str) {
        print!("{text}");
    }

    pub fn json<T: serde::Serialize>(&self, value: &T) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("ropa: {e}"),
        }
    }

    fn issue_line(&self, issue: &Issue) -> String {
        let path = if issue.path.is_empty() { "/" } else { issue.path.as_str() };
        format!("  {path}: {}", i18n::issue_text(self.language, &issue.code, &issue.params))
    }

    pub fn issues_as_warnings(&self, issues: &[Issue]) {
        if issues.is_empty() {
            return;
        }
        eprintln!("{}", self.t("cli.warnings", &[("count", issues.len().to_string())]));
        for issue in issues {
            eprintln!("{}", self.issue_line(issue));
        }
    }

    pub fn rollback_warning(&self, warning: &RollbackWarning) {
        let line = match warning {
            RollbackWarning::Behind { file_seq, known_seq } => {
                self.t("rollback.behind", &[("file_seq", file_seq.to_string()), ("known_seq", known_seq.to_string())])
            }
            RollbackWarning::Diverged { seq } => self.t("rollback.diverged", &[("seq", seq.to_string())]),
        };
        eprintln!("ropa: {line}");
    }

    /// Prints a failure: one line saying what went wrong, then any details indented below.
    pub fn report(&self, failure: &Failure) {
        let (line, details): (String, Vec<String>) = match failure {
            Failure::Open(e) => (self.open_error(e), self.invalid_details(e)),
            Failure::Store(e) => {
                let details = match e {
                    StoreError::Invalid(issues) => issues.iter().map(|i| self.issue_line(i)).collect(),
                    _ => vec![],
                };
                (self.store_error(e), details)
            }
            Failure::Import(e) => (
                self.t("error.import_failed", &[("count", e.problems.len().to_string())]),
                e.problems
                    .iter()
                    .map(|p| {
                        let pointer = if p.pointer.is_empty() { "/" } else { p.pointer.as_str() };
                        let text = match p.code.strip_prefix("issue.") {
                            Some(code) => i18n::issue_text(self.language, code, &p.params),
                            None if p.code.contains('.') => i18n::t(self.language, &p.code, &p.params),
                            None => i18n::t(self.language, &format!("import.{}", p.code), &p.params),
                        };
                        format!("  {pointer}: {text}")
                    })
                    .collect(),
            ),
            Failure::Pdf(e) => (self.t(&format!("error.pdf.{}", e.code()), &[("detail", e.detail())]), vec![]),
            Failure::Message(key, pairs) => (self.t(key, pairs), vec![]),
            Failure::VerifyFailed => (self.text("error.verify_failed"), vec![]),
        };
        eprintln!("ropa: {line}");
        for detail in details {
            eprintln!("{detail}");
        }
    }

    fn invalid_details(&self, e: &OpenError) -> Vec<String> {
        match e {
            OpenError::Invalid(issues) => issues.iter().map(|i| self.issue_line(i)).collect(),
            _ => vec![],
        }
    }

    fn open_error(&self, e: &OpenError) -> String {
        let key = format!("error.{}", e.code());
        let pairs: Vec<(&str, String)> = match e {
            OpenError::NotFound { path } | OpenError::AlreadyExists { path } => {
                vec![("path", path.display().to_string())]
            }
            OpenError::Io { path, source } => {
                vec![("path", path.display().to_string()), ("detail", source.to_string())]
            }
            OpenError::NewerVersion { found, supported } => {
                vec![("found", found.to_string()), ("supported", supported.to_string())]
            }
            OpenError::PassphraseTooShort { min } => vec![("min", min.to_string())],
            _ => vec![],
        };
        self.t(&key, &pairs)
    }

    fn store_error(&self, e: &StoreError) -> String {
        let key = format!("error.{}", e.code());
        let pairs: Vec<(&str, String)> = match e {
            StoreError::NotFound { entity, id } | StoreError::InUse { entity, id } => {
                vec![("entity", self.text(&format!("entity.{entity}"))), ("id", id.clone())]
            }
            StoreError::ChainBroken { seq } => vec![("seq", seq.to_string())],
            StoreError::PassphraseTooShort { min } => vec![("min", min.to_string())],
            StoreError::AlreadyExists { path } => vec![("path", path.display().to_string())],
            StoreError::Io { path, source } => {
                vec![("path", path.display().to_string()), ("detail", source.to_string())]
            }
            StoreError::Database(err) => vec![("detail", err.to_string())],
            _ => vec![],
        };
        self.t(&key, &pairs)
    }

    fn date(&self, date: chrono::NaiveDate) -> String {
        i18n::format_date(self.language, date)
    }

    pub fn activity_table(&self, activities: &[ActivitySummary]) {
        if activities.is_empty() {
            println!("{}", self.text("cli.no_activities"));
            return;
        }
        let header: Vec<String> = ["id", "name", "status", "role", "legal_bases", "next_review"]
            .iter()
            .map(|c| self.text(&format!("cli.column.{c}")))
            .collect();
        let rows: Vec<Vec<String>> = activities
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.name.clone(),
                    self.text(&format!("vocab.status.{}", a.status.id())),
                    self.text(&format!("vocab.role.{}", a.role)),
                    a.legal_bases.iter().map(|b| b.id()).collect::<Vec<_>>().join(", "),
                    a.next_review.map(|d| self.date(d)).unwrap_or_default(),
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
    }

    /// An instant on the organisation's wall clock.
    fn time(&self, instant: DateTime<Utc>, country: Country) -> String {
        deadlines::local_time(instant, country)
            .map(|t| i18n::format_time(self.language, t))
            .unwrap_or_else(|| instant.to_rfc3339())
    }

    fn due(&self, deadline: &Deadline) -> String {
        match deadline.due {
            Due::At(instant) => self.time(instant, deadline.country),
            Due::On(date) => self.t("cli.end_of_day", &[("date", self.date(date))]),
        }
    }

    fn duration(&self, seconds: i64) -> String {
        self.t(
            "cli.duration",
            &[
                ("days", (seconds / 86_400).to_string()),
                ("hours", (seconds % 86_400 / 3_600).to_string()),
                ("minutes", (seconds % 3_600 / 60).to_string()),
            ],
        )
    }

    fn time_left(&self, seconds: Option<i64>) -> String {
        match seconds {
            None => String::new(),
            Some(s) if s < 0 => self.t("cli.overdue_by", &[("time", self.duration(-s))]),
            Some(s) => self.duration(s),
        }
    }

    fn zone_line(&self, country: Country) {
        println!("{}", self.t("cli.times_in_zone", &[("zone", deadlines::zone(country).to_string())]));
    }

    pub fn breach_table(&self, breaches: &[BreachSummary], country: Country) {
        if breaches.is_empty() {
            println!("{}", self.text("cli.no_breaches"));
            return;
        }
        let header: Vec<String> = ["id", "title", "aware", "risk", "state", "notice"]
            .iter()
            .map(|c| self.text(&format!("cli.column.{c}")))
            .collect();
        let rows: Vec<Vec<String>> = breaches
            .iter()
            .map(|b| {
                let notice = if b.notices > 0 {
                    self.text("cli.notice.sent")
                } else if let Some(deadline) = &b.notice_deadline {
                    self.t("cli.notice.due", &[("time", self.due(deadline))])
                } else if b.risk == Some(RiskLevel::NoRisk) {
                    self.text("cli.notice.not_required")
                } else {
                    String::new()
                };
                vec![
                    b.id.clone(),
                    b.title.clone(),
                    self.time(b.became_aware_at, country),
                    b.risk.map(|r| self.text(&format!("vocab.risk_level.{}", r.id()))).unwrap_or_default(),
                    self.text(if b.open { "cli.state.open" } else { "cli.state.closed" }),
                    notice,
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
        self.zone_line(country);
    }

    fn event_line(&self, event: &TimelineEvent, country: Country) -> String {
        let words = self.text(&format!("timeline.{}", event.id()));
        let detail = match event {
            TimelineEvent::Assessed { level, .. } => {
                format!(": {}", self.text(&format!("vocab.risk_level.{}", level.id())))
            }
            TimelineEvent::Notified { case_number, .. } if !case_number.is_empty() => format!(" ({case_number})"),
            TimelineEvent::Supplemented { case_number, new_information, .. } => {
                let case = if case_number.is_empty() { String::new() } else { format!(" ({case_number})") };
                let new = if new_information.is_empty() { String::new() } else { format!(": {new_information}") };
                format!("{case}{new}")
            }
            TimelineEvent::SubjectsTold { how, .. } if !how.is_empty() => format!(": {how}"),
            _ => String::new(),
        };
        format!("  {}  {words}{detail}", self.time(event.at(), country))
    }

    /// One breach: when it became known, when the notice is due, the risk, its timeline and
    /// the deadlines still running at `now`.
    pub fn breach(&self, breach: &Breach, country: Country, settings: &BreachSettings, now: DateTime<Utc>) {
        println!("{}", self.t("cli.show.breach", &[("id", breach.id.clone()), ("title", breach.title.clone())]));
        println!("{}", self.t("cli.show.aware", &[("time", self.time(breach.became_aware_at, country))]));
        if let Some(due) = breach.notice_due() {
            println!("{}", self.t("cli.show.notice_due", &[("time", self.time(due, country))]));
        }
        if let Some(level) = breach.risk_level() {
            let words = self.text(&format!("vocab.risk_level.{}", level.id()));
            println!("{}", self.t("cli.show.risk", &[("level", words)]));
        }
        println!("{}", self.text("cli.show.timeline"));
        for event in breach.timeline() {
            println!("{}", self.event_line(&event, country));
        }
        let open = breach.open_deadlines(country, settings);
        if !open.is_empty() {
            println!("{}", self.text("cli.show.deadlines"));
            for deadline in open {
                let left = deadline.time_left(now).map(|t| t.num_seconds());
                println!(
                    "  {}: {} ({})",
                    self.text(&format!("deadline.{}", deadline.kind.id())),
                    self.due(&deadline),
                    self.time_left(left)
                );
            }
        }
        self.zone_line(country);
    }

    pub fn deadline_table(&self, list: &[RegisterDeadline], country: Country) {
        if list.is_empty() {
            println!("{}", self.text("cli.no_deadlines"));
            return;
        }
        let header: Vec<String> = ["due", "left", "status", "deadline", "record"]
            .iter()
            .map(|c| self.text(&format!("cli.column.{c}")))
            .collect();
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|d| {
                let status = serde_json::to_value(d.status).ok().and_then(|v| v.as_str().map(str::to_owned));
                vec![
                    self.due(&d.deadline),
                    self.time_left(d.seconds_left),
                    status.map(|s| self.text(&format!("deadline_status.{s}"))).unwrap_or_default(),
                    self.text(&format!("deadline.{}", d.deadline.kind.id())),
                    format!(
                        "{} {}: {}",
                        self.text(&format!("entity.{}", d.record.kind.id())),
                        d.record.id,
                        d.record.title
                    ),
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
        self.zone_line(country);
    }

    /// Recorded calls: when (on the organisation's clock), which call, whom, on what policy and
    /// consent, until when the recording is kept, and why it is flagged.
    pub fn call_table(&self, calls: &[ropa_core::recordings::RecordedCall], country: Country) {
        use ropa_core::recordings::{CallStatus, consent_str, direction_str};
        if calls.is_empty() {
            println!("{}", self.text("cli.no_calls"));
            return;
        }
        let header: Vec<String> =
            ["start", "call", "direction", "phone", "customer", "policy", "consent", "delete_by", "flag"]
                .iter()
                .map(|c| self.text(&format!("cli.column.{c}")))
                .collect();
        let rows: Vec<Vec<String>> = calls
            .iter()
            .map(|c| {
                let start = deadlines::local_time(c.start, country)
                    .map(|t| i18n::format_time(self.language, t))
                    .unwrap_or_default();
                let delete_by = match c.status {
                    CallStatus::Kept => i18n::format_date(self.language, c.delete_by),
                    CallStatus::Deleted { reason, .. } => self.text(&format!("recordings.deleted.{}", reason.as_str())),
                };
                vec![
                    start,
                    c.call_id.clone(),
                    self.text(&format!("recordings.direction.{}", direction_str(c.direction))),
                    c.phone.clone(),
                    c.customer_ref.clone().unwrap_or_default(),
                    c.policy_id.clone(),
                    c.consent_method
                        .map(|m| self.text(&format!("recordings.consent.{}", consent_str(m))))
                        .unwrap_or_default(),
                    delete_by,
                    c.flag.map(|f| self.text(f.code())).unwrap_or_default(),
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
        self.zone_line(country);
    }

    pub fn processor_table(&self, processors: &[Processor]) {
        if processors.is_empty() {
            println!("{}", self.text("cli.no_processors"));
            return;
        }
        let header: Vec<String> = ["id", "name", "country", "agreement", "next_supervision"]
            .iter()
            .map(|c| self.text(&format!("cli.column.{c}")))
            .collect();
        let rows: Vec<Vec<String>> = processors
            .iter()
            .map(|p| {
                let agreement = match p.current_agreement() {
                    Some(a) if a.signed_on.is_some() => {
                        format!("{} ({})", a.version, a.signed_on.map(|d| self.date(d)).unwrap_or_default())
                    }
                    _ => self.text("cli.agreement.none"),
                };
                vec![
                    p.id.clone(),
                    p.name.clone(),
                    p.country.clone(),
                    agreement,
                    p.next_supervision_due().map(|d| self.date(d)).unwrap_or_default(),
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
    }

    pub fn processor_deadline_table(&self, list: &[ProcessorDeadline]) {
        if list.is_empty() {
            println!("{}", self.text("cli.no_deadlines"));
            return;
        }
        let header: Vec<String> =
            ["due", "status", "deadline", "record"].iter().map(|c| self.text(&format!("cli.column.{c}"))).collect();
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|d| {
                let status = serde_json::to_value(d.status).ok().and_then(|v| v.as_str().map(str::to_owned));
                let mut record = format!("{} {}: {}", self.text("entity.processor"), d.processor_id, d.processor_name);
                if let Some(activity) = &d.activity_id {
                    record.push_str(&format!(", {} {activity}", self.text("entity.activity")));
                }
                vec![
                    d.due.map(|due| self.date(due)).unwrap_or_default(),
                    status.map(|s| self.text(&format!("deadline_status.{s}"))).unwrap_or_default(),
                    self.text(&format!("processor_deadline.{}", d.kind.id())),
                    record,
                ]
            })
            .collect();
        print!("{}", table(&header, &rows));
    }

    pub fn verify_report(&self, report: &VerifyReport) {
        if report.integrity.is_empty() {
            println!("{}", self.text("cli.verify.integrity_ok"));
        } else {
            println!("{}", self.t("cli.verify.integrity_bad", &[("count", report.integrity.len().to_string())]));
            for line in &report.integrity {
                println!("  {line}");
            }
        }
        if report.cipher_integrity.is_empty() {
            println!("{}", self.text("cli.verify.cipher_ok"));
        } else {
            println!("{}", self.t("cli.verify.cipher_bad", &[("count", report.cipher_integrity.len().to_string())]));
            for line in &report.cipher_integrity {
                println!("  {line}");
            }
        }
        match report.chain.first_bad {
            None => println!("{}", self.t("cli.verify.chain_ok", &[("count", report.chain.entries.to_string())])),
            Some((seq, why)) => {
                let reason_key = match why {
                    Break::MacMismatch => "chain.mac-mismatch",
                    Break::Gap => "chain.gap",
                    Break::Unreadable => "chain.unreadable",
                };
                let reason = self.t(reason_key, &[("seq", seq.to_string())]);
                println!("{}", self.t("cli.verify.chain_bad", &[("seq", seq.to_string()), ("reason", reason)]));
            }
        }
        if let Some(warning) = &report.rollback {
            self.rollback_warning(warning);
        }
        if report.is_ok() {
            println!("{}", self.text("cli.verify.ok"));
        }
    }

    pub fn change_log(&self, entries: &[Entry]) {
        for e in entries {
            let entity = self.text(&format!("entity.{}", e.entity));
            println!("{:>6}  {}  {:<12}  {:<18} {} {}", e.seq, e.at, e.actor, e.action, entity, e.entity_id);
        }
    }
}

/// A plain text table with columns padded to their widest cell.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header);
    out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}
