//! The breach log (Art. 33(5)): every personal-data breach with its facts, its effects and the
//! remedial action taken — notified or not — and the deadlines a breach sets running.
//!
//! A [`Breach`] is kept whole, like an activity. Its timeline ([`Breach::timeline`]) is not
//! stored separately but read off the facts (awareness, risk decision, notices, data subjects
//! told, reporter answered, closed), so the two cannot disagree. A breach is open until it is
//! closed; while it is open the rules that concern later stages are warnings (see
//! [`crate::validation::validate_breach`]), so the facts can be recorded as they become known.
//!
//! The log keeps every breach: there is no delete. A breach recorded by mistake is assessed as
//! "no risk" with the reason and closed, and the change log shows the whole history.

use crate::deadlines::{self, Calendar, Deadline, DeadlineKind, Due};
use crate::processing_register::Contact;
use crate::vocab::*;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The hours within which the supervisory authority is to be notified (Art. 33(1)).
pub const NOTICE_HOURS: u32 = 72;

/// The organisation's own promises to someone outside who reports a breach, in working days
/// (Monday–Friday less the country's public holidays). Kept once per register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct BreachSettings {
    /// Acknowledge receipt of an outside report within this many working days (default 2).
    pub acknowledge_within_working_days: u32,
    /// Give the reporter feedback within this many working days (default 10, two weeks).
    pub feedback_within_working_days: u32,
    /// Count the Danish customary days off (5 June, 24 and 31 December) as days off too.
    pub customary_days_off: bool,
}

impl Default for BreachSettings {
    fn default() -> Self {
        BreachSettings {
            acknowledge_within_working_days: 2,
            feedback_within_working_days: 10,
            customary_days_off: false,
        }
    }
}

/// The whole breach log: the settings and every breach, in the order they were first saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachLog {
    pub settings: BreachSettings,
    pub breaches: Vec<Breach>,
}

/// One personal-data breach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Breach {
    /// Stable id within the register; a new breach without one gets `<year>-<number>`.
    pub id: String,
    pub title: String,
    /// What happened, in plain words.
    #[serde(default)]
    pub description: String,
    /// When the breach began, as far as known.
    #[serde(default)]
    pub happened_from: Option<DateTime<Utc>>,
    /// When it ended; `null` while it lasts or when unknown.
    #[serde(default)]
    pub happened_to: Option<DateTime<Utc>>,
    /// When the organisation became aware of it: the 72 hours run from here.
    pub became_aware_at: DateTime<Utc>,
    pub discovery: Discovery,
    /// Confidentiality, integrity, availability: one or more.
    #[serde(default)]
    pub nature: Vec<BreachNature>,
    /// The main cause from a closed list (the Norwegian form's first question, «hovedårsak»);
    /// `null` when not chosen. Added after the breach log's first release: a register or an
    /// interchange file without it still loads (breaches are stored as JSON documents, so no
    /// migration was needed).
    #[serde(default)]
    pub main_cause: Option<BreachCause>,
    /// How it arose, in words (the Norwegian form's "how it arose").
    #[serde(default)]
    pub cause: String,
    /// Data categories concerned, by id in the register's catalog.
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// Categories of data subjects concerned, by id in the register's catalog.
    #[serde(default)]
    pub subject_categories: Vec<String>,
    /// Approximate number of data subjects concerned.
    #[serde(default)]
    pub approx_subjects: Option<u32>,
    /// Approximate number of personal-data records concerned.
    #[serde(default)]
    pub approx_records: Option<u32>,
    /// Likely consequences for the data subjects.
    #[serde(default)]
    pub consequences: String,
    /// The risk decision with its reasons; `null` until it is made.
    #[serde(default)]
    pub risk: Option<RiskAssessment>,
    #[serde(default)]
    pub measures_taken: String,
    #[serde(default)]
    pub measures_proposed: String,
    /// The DPO or other contact point where more information can be had.
    #[serde(default)]
    pub contact: Contact,
    /// Processors involved.
    #[serde(default)]
    pub processors: Vec<InvolvedProcessor>,
    /// Processing activities involved, by id.
    #[serde(default)]
    pub activities: Vec<String>,
    /// Where the data is now (the Norwegian form asks).
    #[serde(default)]
    pub data_location: String,
    /// The organisation's relation to those affected (customers, employees, …).
    #[serde(default)]
    pub relation_to_subjects: String,
    /// Notices to the supervisory authority, first the initial one, then supplements.
    #[serde(default)]
    pub notices: Vec<AuthorityNotice>,
    /// Why the first notice came later than 72 hours after awareness (Art. 33(1)).
    #[serde(default)]
    pub late_notice_reasons: String,
    /// Art. 34: the data subjects told, or the exception relied on; `null` until decided.
    #[serde(default)]
    pub data_subjects: Option<SubjectNotification>,
    /// When the breach was closed; `null` while it is open.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

/// How a breach was found, and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    pub by: BreachFinder,
    /// How it was found.
    #[serde(default)]
    pub how: String,
    /// An outside reporter: when they reported it (their acknowledgement and feedback deadlines
    /// run from this day).
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
    /// When the reporter got an acknowledgement of receipt.
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When the reporter got feedback.
    #[serde(default)]
    pub feedback_at: Option<DateTime<Utc>>,
}

impl Discovery {
    pub fn by(by: BreachFinder) -> Self {
        Discovery { by, how: String::new(), reported_at: None, acknowledged_at: None, feedback_at: None }
    }
}

/// The risk decision of Art. 33(1) and 34(1), which always carries its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    pub level: RiskLevel,
    #[serde(default)]
    pub reasons: String,
    /// When the decision was made.
    pub assessed_at: DateTime<Utc>,
}

/// A processor involved in a breach. Free text for now; `id` is kept for a processor register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct InvolvedProcessor {
    pub name: String,
    /// The processor's id in a future processor register; not checked yet.
    #[serde(default)]
    pub id: Option<String>,
}

/// One notice to the supervisory authority (Datatilsynet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct AuthorityNotice {
    /// When it was sent.
    pub at: DateTime<Utc>,
    pub phase: NoticePhase,
    /// The authority's case number (journalnummer / saksnummer).
    #[serde(default)]
    pub case_number: String,
    /// What is new in this notice (for supplements).
    #[serde(default)]
    pub new_information: String,
}

/// Art. 34: the data subjects were told, or an Art. 34(3) exception is relied on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SubjectNotification {
    /// Told, when and how (letter, e-mail, …).
    Told {
        at: DateTime<Utc>,
        #[serde(default)]
        how: String,
    },
    /// Not told, relying on Art. 34(3)(a), (b) or (c); for (c), describe the public notice.
    Exception {
        exception: Art34Exception,
        #[serde(default)]
        explanation: String,
    },
}

/// One event of a breach's timeline, read off its facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    /// An outside reporter reported the breach.
    Reported {
        at: DateTime<Utc>,
    },
    /// The organisation became aware: the 72 hours start.
    Found {
        at: DateTime<Utc>,
    },
    Assessed {
        at: DateTime<Utc>,
        level: RiskLevel,
    },
    /// The first notice to the authority.
    Notified {
        at: DateTime<Utc>,
        case_number: String,
    },
    /// A later notice, with what is new in it.
    Supplemented {
        at: DateTime<Utc>,
        case_number: String,
        new_information: String,
    },
    SubjectsTold {
        at: DateTime<Utc>,
        how: String,
    },
    ReporterAcknowledged {
        at: DateTime<Utc>,
    },
    ReporterAnswered {
        at: DateTime<Utc>,
    },
    Closed {
        at: DateTime<Utc>,
    },
}

impl TimelineEvent {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEvent::Reported { at }
            | TimelineEvent::Found { at }
            | TimelineEvent::Assessed { at, .. }
            | TimelineEvent::Notified { at, .. }
            | TimelineEvent::Supplemented { at, .. }
            | TimelineEvent::SubjectsTold { at, .. }
            | TimelineEvent::ReporterAcknowledged { at }
            | TimelineEvent::ReporterAnswered { at }
            | TimelineEvent::Closed { at } => *at,
        }
    }

    /// The stable id of the event's kind; the catalog key is `timeline.<id>`.
    pub fn id(&self) -> &'static str {
        match self {
            TimelineEvent::Reported { .. } => "reported",
            TimelineEvent::Found { .. } => "found",
            TimelineEvent::Assessed { .. } => "assessed",
            TimelineEvent::Notified { .. } => "notified",
            TimelineEvent::Supplemented { .. } => "supplemented",
            TimelineEvent::SubjectsTold { .. } => "subjects_told",
            TimelineEvent::ReporterAcknowledged { .. } => "reporter_acknowledged",
            TimelineEvent::ReporterAnswered { .. } => "reporter_answered",
            TimelineEvent::Closed { .. } => "closed",
        }
    }
}

impl Breach {
    /// A new open breach with nothing but its title, the moment of awareness and its finder.
    pub fn new(title: impl Into<String>, became_aware_at: DateTime<Utc>, found_by: BreachFinder) -> Self {
        Breach {
            id: String::new(),
            title: title.into(),
            description: String::new(),
            happened_from: None,
            happened_to: None,
            became_aware_at,
            discovery: Discovery::by(found_by),
            nature: Vec::new(),
            main_cause: None,
            cause: String::new(),
            data_categories: Vec::new(),
            subject_categories: Vec::new(),
            approx_subjects: None,
            approx_records: None,
            consequences: String::new(),
            risk: None,
            measures_taken: String::new(),
            measures_proposed: String::new(),
            contact: Contact::default(),
            processors: Vec::new(),
            activities: Vec::new(),
            data_location: String::new(),
            relation_to_subjects: String::new(),
            notices: Vec::new(),
            late_notice_reasons: String::new(),
            data_subjects: None,
            closed_at: None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    pub fn risk_level(&self) -> Option<RiskLevel> {
        self.risk.as_ref().map(|r| r.level)
    }

    /// Whether the authority must be notified: unless the breach is assessed as unlikely to
    /// result in a risk. Until the decision is made, it must be assumed.
    pub fn needs_notice(&self) -> bool {
        self.risk_level() != Some(RiskLevel::NoRisk)
    }

    /// The earliest notice to the authority.
    pub fn first_notice(&self) -> Option<&AuthorityNotice> {
        self.notices.iter().min_by_key(|n| n.at)
    }

    /// The instant the 72 hours after awareness end. `None` only outside chrono's range.
    pub fn notice_due(&self) -> Option<DateTime<Utc>> {
        deadlines::hours_after(self.became_aware_at, NOTICE_HOURS)
    }

    /// How long after awareness the first notice went, when it was later than 72 hours.
    pub fn notice_delay(&self) -> Option<TimeDelta> {
        let first = self.first_notice()?;
        (first.at > self.notice_due()?).then(|| first.at.signed_duration_since(self.became_aware_at))
    }

    /// Records a notice to the authority. Without `phase`, the first notice is the initial one
    /// and later ones are supplements. `delay_reasons`, when given, replaces the reasons for a
    /// late notice. Validation decides whether the result may be saved.
    pub fn record_notice(
        &mut self,
        at: DateTime<Utc>,
        case_number: impl Into<String>,
        phase: Option<NoticePhase>,
        new_information: impl Into<String>,
        delay_reasons: Option<String>,
    ) {
        let phase =
            phase.unwrap_or(if self.notices.is_empty() { NoticePhase::Initial } else { NoticePhase::Supplement });
        self.notices.push(AuthorityNotice {
            at,
            phase,
            case_number: case_number.into(),
            new_information: new_information.into(),
        });
        if let Some(reasons) = delay_reasons {
            self.late_notice_reasons = reasons;
        }
    }

    /// Every event of the breach in time order; events at the same instant keep the order of
    /// the life of a breach (reported, found, assessed, notified, …, closed).
    pub fn timeline(&self) -> Vec<TimelineEvent> {
        let mut events = Vec::new();
        if let Some(at) = self.discovery.reported_at {
            events.push(TimelineEvent::Reported { at });
        }
        events.push(TimelineEvent::Found { at: self.became_aware_at });
        if let Some(risk) = &self.risk {
            events.push(TimelineEvent::Assessed { at: risk.assessed_at, level: risk.level });
        }
        for notice in &self.notices {
            events.push(match notice.phase {
                NoticePhase::Initial => {
                    TimelineEvent::Notified { at: notice.at, case_number: notice.case_number.clone() }
                }
                NoticePhase::Supplement => TimelineEvent::Supplemented {
                    at: notice.at,
                    case_number: notice.case_number.clone(),
                    new_information: notice.new_information.clone(),
                },
            });
        }
        if let Some(SubjectNotification::Told { at, how }) = &self.data_subjects {
            events.push(TimelineEvent::SubjectsTold { at: *at, how: how.clone() });
        }
        if let Some(at) = self.discovery.acknowledged_at {
            events.push(TimelineEvent::ReporterAcknowledged { at });
        }
        if let Some(at) = self.discovery.feedback_at {
            events.push(TimelineEvent::ReporterAnswered { at });
        }
        if let Some(at) = self.closed_at {
            events.push(TimelineEvent::Closed { at });
        }
        // A stable sort keeps same-instant events in the order pushed.
        events.sort_by_key(TimelineEvent::at);
        events
    }

    /// The breach's deadlines still running: the authority notice until one is recorded (none
    /// when assessed as no risk), and an outside reporter's acknowledgement and feedback until
    /// given. Closing a breach does not answer its reporter.
    pub fn open_deadlines(&self, country: Country, settings: &BreachSettings) -> Vec<Deadline> {
        let mut out = Vec::new();
        if self.needs_notice()
            && self.notices.is_empty()
            && self.is_open()
            && let Some(deadline) = Deadline::breach_notification(self.became_aware_at, country)
        {
            out.push(deadline);
        }
        if self.discovery.by == BreachFinder::OutsideReporter
            && let Some(reported_at) = self.discovery.reported_at
            && let Some(reported_on) = deadlines::local_date(reported_at, country)
        {
            let calendar = Calendar { country, customary_days_off: settings.customary_days_off };
            let promises = [
                (
                    DeadlineKind::ReporterAcknowledgement,
                    settings.acknowledge_within_working_days,
                    self.discovery.acknowledged_at,
                ),
                (DeadlineKind::ReporterFeedback, settings.feedback_within_working_days, self.discovery.feedback_at),
            ];
            for (kind, days, done) in promises {
                if done.is_none()
                    && let Some(due) = calendar.add_working_days(reported_on, days)
                {
                    out.push(Deadline { kind, due: Due::On(due), country });
                }
            }
        }
        out
    }
}

/// A register's next breach id for a breach that became known in `year`: `<year>-<nnn>`, one
/// more than the highest number of that year among `existing`.
pub fn next_id<'a>(year: i32, existing: impl IntoIterator<Item = &'a str>) -> String {
    let prefix = format!("{year}-");
    let highest = existing
        .into_iter()
        .filter_map(|id| id.strip_prefix(&prefix).and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", highest + 1)
}

/// What a list of breaches shows, with the facts computed here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachSummary {
    pub id: String,
    pub title: String,
    pub became_aware_at: DateTime<Utc>,
    pub open: bool,
    pub risk: Option<RiskLevel>,
    /// The number of notices to the authority.
    pub notices: usize,
    /// The authority notice deadline while it runs.
    pub notice_deadline: Option<Deadline>,
    pub errors: usize,
    pub warnings: usize,
}

impl BreachSummary {
    pub fn new(
        breach: &Breach,
        country: Country,
        settings: &BreachSettings,
        issues: &[crate::validation::Issue],
    ) -> Self {
        BreachSummary {
            id: breach.id.clone(),
            title: breach.title.clone(),
            became_aware_at: breach.became_aware_at,
            open: breach.is_open(),
            risk: breach.risk_level(),
            notices: breach.notices.len(),
            notice_deadline: breach
                .open_deadlines(country, settings)
                .into_iter()
                .find(|d| d.kind == DeadlineKind::BreachNotification),
            errors: issues.iter().filter(|i| i.is_error()).count(),
            warnings: issues.iter().filter(|i| !i.is_error()).count(),
        }
    }
}

/// Why a time given by a person could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("not a time: use 2026-03-27T16:00:00+01:00 or 2026-03-27 16:00")]
    Invalid,
    #[error("the clocks skip this time when summer time begins")]
    Skipped,
}

impl TimeError {
    /// A stable code; the catalog key is `error.<code>`.
    pub fn code(self) -> &'static str {
        match self {
            TimeError::Invalid => "time_invalid",
            TimeError::Skipped => "time_skipped",
        }
    }
}

/// Reads a time given by a person: ISO 8601 / RFC 3339 with an offset (`2026-03-27T16:00+01:00`,
/// `…Z`), or a wall-clock time in the organisation's zone (`2026-03-27 16:00`, seconds and a `T`
/// allowed). In the hour that occurs twice in autumn the earlier (summer-time) instant is taken,
/// as [`deadlines::local_to_utc`] does; a time the clocks skip in spring is refused.
pub fn parse_time(text: &str, country: Country) -> Result<DateTime<Utc>, TimeError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let local = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or(TimeError::Invalid)?;
    deadlines::local_to_utc(local, country).ok_or(TimeError::Skipped)
}
