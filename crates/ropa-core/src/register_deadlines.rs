//! Every open deadline of a register in one list, soonest first: the breach log's notices and
//! reporter answers and the activities' reviews; and, in a list of their own
//! ([`processor_deadlines`]), the processors' agreements, supervisions and missing agreements. The arithmetic is [`crate::deadlines`]'; this
//! module only gathers the deadlines from the records that set them.

use crate::breach_log::BreachLog;
use crate::deadlines::{Deadline, DeadlineKind, DeadlineStatus, Due};
use crate::processing_register::RegisterContent;
use crate::processor_agreements::Processor;
use crate::vocab::ActivityStatus;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kind of record a deadline belongs to. The id is also the change log's entity name, so
/// its words are the catalog's `entity.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Breach,
    Activity,
}

impl RecordKind {
    pub fn id(self) -> &'static str {
        match self {
            RecordKind::Breach => "breach",
            RecordKind::Activity => "activity",
        }
    }
}

/// The record a deadline belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: String,
    /// The breach's title or the activity's name.
    pub title: String,
}

/// One open deadline with where it stands at the moment asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegisterDeadline {
    pub deadline: Deadline,
    pub record: RecordRef,
    /// The instant it runs out (the end of the due day in the organisation's zone for a date).
    pub expires_at: Option<DateTime<Utc>>,
    /// For a deadline in hours: the wall-clock time it is due in the organisation's zone.
    pub due_local: Option<NaiveDateTime>,
    pub status: DeadlineStatus,
    /// Seconds left; negative when overdue.
    pub seconds_left: Option<i64>,
}

/// Every deadline still running in the register at `now`, soonest first (then by kind and
/// record id, so the order is stable).
pub fn open_deadlines(content: &RegisterContent, log: &BreachLog, now: DateTime<Utc>) -> Vec<RegisterDeadline> {
    let country = content.organisation.country;
    let mut found: Vec<(Deadline, RecordRef)> = Vec::new();
    for breach in &log.breaches {
        for deadline in breach.open_deadlines(country, &log.settings) {
            let record = RecordRef { kind: RecordKind::Breach, id: breach.id.clone(), title: breach.title.clone() };
            found.push((deadline, record));
        }
    }
    for activity in content.activities.iter().filter(|a| a.status != ActivityStatus::Retired) {
        if let Some(due) = activity.review.due() {
            let deadline = Deadline { kind: DeadlineKind::ActivityReview, due: Due::On(due), country };
            let record =
                RecordRef { kind: RecordKind::Activity, id: activity.id.clone(), title: activity.name.clone() };
            found.push((deadline, record));
        }
    }
    let mut out: Vec<RegisterDeadline> = found
        .into_iter()
        .map(|(deadline, record)| RegisterDeadline {
            expires_at: deadline.expires_at(),
            due_local: deadline.due_local_time(),
            status: deadline.status(now),
            seconds_left: deadline.time_left(now).map(|t| t.num_seconds()),
            deadline,
            record,
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |d: &RegisterDeadline| (d.expires_at.is_none(), d.expires_at, d.deadline.kind, d.record.id.clone());
        key(a).cmp(&key(b))
    });
    out
}

/// Days before its end that an agreement's expiry is listed.
pub const AGREEMENT_EXPIRY_NOTICE_DAYS: u64 = 60;

/// What needs doing about a processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProcessorDeadlineKind {
    /// The current agreement's term ends within 60 days, or has ended.
    AgreementExpiry,
    /// The next supervision is due (within 90 days) or overdue.
    Supervision,
    /// The processor has no signed agreement in force.
    NoSignedAgreement,
    /// An activity uses the processor, which has no signed agreement in force.
    ActivityWithoutAgreement,
}

impl ProcessorDeadlineKind {
    /// The stable id, also the suffix of the catalog key `processor_deadline.<id>`.
    pub fn id(self) -> &'static str {
        match self {
            ProcessorDeadlineKind::AgreementExpiry => "agreement_expiry",
            ProcessorDeadlineKind::Supervision => "supervision",
            ProcessorDeadlineKind::NoSignedAgreement => "no_signed_agreement",
            ProcessorDeadlineKind::ActivityWithoutAgreement => "activity_without_agreement",
        }
    }
}

/// One thing to do about a processor: a dated deadline, or a gap that is due now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProcessorDeadline {
    pub kind: ProcessorDeadlineKind,
    pub processor_id: String,
    pub processor_name: String,
    /// For [`ProcessorDeadlineKind::ActivityWithoutAgreement`]: the activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// The day it is due; `null` for a gap, which is due already.
    pub due: Option<NaiveDate>,
    pub status: DeadlineStatus,
}

/// The processors' deadlines at `now`: agreements ending within 60 days (or ended), supervisions
/// due within 90 days or overdue, processors without a signed agreement in force, and each
/// activity (not retired) that uses such a processor. Soonest first; gaps, which are due
/// already, before dated deadlines, then by kind and ids.
pub fn processor_deadlines(
    content: &RegisterContent,
    processors: &[Processor],
    now: DateTime<Utc>,
) -> Vec<ProcessorDeadline> {
    let country = content.organisation.country;
    let today = crate::deadlines::local_date(now, country).unwrap_or_else(|| now.date_naive());
    let mut out = Vec::new();
    let dated = |kind: DeadlineKind, due: NaiveDate| Deadline { kind, due: Due::On(due), country }.status(now);
    for p in processors {
        let entry = |kind, activity_id: Option<String>, due: Option<NaiveDate>, status| ProcessorDeadline {
            kind,
            processor_id: p.id.clone(),
            processor_name: p.name.clone(),
            activity_id,
            due,
            status,
        };
        if let Some(expires) = p.current_agreement().and_then(|a| a.expires_on)
            && expires <= today + chrono::Days::new(AGREEMENT_EXPIRY_NOTICE_DAYS)
        {
            let status = dated(DeadlineKind::AgreementExpiry, expires);
            out.push(entry(ProcessorDeadlineKind::AgreementExpiry, None, Some(expires), status));
        }
        if let Some(due) = p.next_supervision_due() {
            let status = dated(DeadlineKind::ProcessorSupervision, due);
            if status != DeadlineStatus::Open {
                out.push(entry(ProcessorDeadlineKind::Supervision, None, Some(due), status));
            }
        }
        if !p.has_signed_agreement() {
            out.push(entry(ProcessorDeadlineKind::NoSignedAgreement, None, None, DeadlineStatus::Overdue));
            for activity in content.activities.iter().filter(|a| a.status != ActivityStatus::Retired) {
                if p.activities.contains(&activity.id) {
                    let id = Some(activity.id.clone());
                    out.push(entry(ProcessorDeadlineKind::ActivityWithoutAgreement, id, None, DeadlineStatus::Overdue));
                }
            }
        }
    }
    out.sort_by(|a, b| {
        let key = |d: &ProcessorDeadline| (d.due, d.kind, d.processor_id.clone(), d.activity_id.clone());
        key(a).cmp(&key(b))
    });
    out
}
