//! Every open deadline of a register in one list, soonest first: the breach log's notices and
//! reporter answers and the activities' reviews. The arithmetic is [`crate::deadlines`]'; this
//! module only gathers the deadlines from the records that set them.

use crate::breach_log::BreachLog;
use crate::deadlines::{Deadline, DeadlineKind, DeadlineStatus, Due};
use crate::processing_register::RegisterContent;
use crate::vocab::ActivityStatus;
use chrono::{DateTime, NaiveDateTime, Utc};
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
