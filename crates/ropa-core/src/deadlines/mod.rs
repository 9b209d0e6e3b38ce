//! Deadline arithmetic for breaches, data-subject requests, reviews, agreements and recordings:
//! [`Deadline`] is a due instant or due date with its status at a given moment. Pure functions,
//! no I/O and no clock: the caller passes "now".
//!
//! Two kinds of deadline, kept apart on purpose:
//! - **Real hours** ([`hours_after`], [`Due::At`]): the 72 hours after a breach became known are
//!   72 elapsed hours, counted on UTC and only shown in the organisation's zone
//!   ([`local_time`]), so the wall clock moves by 71 or 73 hours across a change of summer time.
//!   Weekends and holidays do not move them.
//! - **Calendar periods** ([`Period`], [`Due::On`]): counted in days, weeks, months or years by
//!   Regulation (EEC, Euratom) No 1182/71. [`Period::last_day`] counts alone (retention, reviews);
//!   [`Period::ends_on`] also moves a statutory deadline off a weekend or public holiday.
//!
//! Working days ([`Calendar`]) are Monday to Friday less the public holidays of Denmark or Norway
//! ([`public_holidays`], Easter computed) and, as a setting, the Danish customary days off.

mod holidays;
mod periods;

pub use holidays::{
    Calendar, Holiday, HolidayId, customary_days_off, easter_sunday, is_public_holiday, public_holidays,
};
pub use periods::{Period, add_months, add_years, end_of_day, hours_after, local_date, local_time, local_to_utc, zone};

use crate::vocab::Country;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a deadline is for. The id is its serialised form and the suffix of its catalog key
/// (`deadline.<id>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Art. 33(1): notify the supervisory authority within 72 hours of awareness.
    BreachNotification,
    /// Art. 12(3): answer a data subject's request within one month of receipt.
    DataSubjectRequest,
    /// Art. 12(3): the same, extended by two further months.
    DataSubjectRequestExtended,
    /// Acknowledge an outside reporter's message, within the organisation's own promised time.
    ReporterAcknowledgement,
    /// Give an outside reporter feedback, within the organisation's own promised time.
    ReporterFeedback,
    /// Review a processing activity.
    ActivityReview,
    /// Supervise a processor (tilsyn / oppfølging).
    ProcessorSupervision,
    /// A data processing agreement's term ends.
    AgreementExpiry,
    /// Delete a call recording when its retention period has run out.
    RecordingDeletion,
}

impl DeadlineKind {
    /// Every kind.
    pub const ALL: &'static [DeadlineKind] = &[
        DeadlineKind::BreachNotification,
        DeadlineKind::DataSubjectRequest,
        DeadlineKind::DataSubjectRequestExtended,
        DeadlineKind::ReporterAcknowledgement,
        DeadlineKind::ReporterFeedback,
        DeadlineKind::ActivityReview,
        DeadlineKind::ProcessorSupervision,
        DeadlineKind::AgreementExpiry,
        DeadlineKind::RecordingDeletion,
    ];

    /// The stable id, as serialised and used in catalog keys.
    pub fn id(self) -> &'static str {
        match self {
            DeadlineKind::BreachNotification => "breach_notification",
            DeadlineKind::DataSubjectRequest => "data_subject_request",
            DeadlineKind::DataSubjectRequestExtended => "data_subject_request_extended",
            DeadlineKind::ReporterAcknowledgement => "reporter_acknowledgement",
            DeadlineKind::ReporterFeedback => "reporter_feedback",
            DeadlineKind::ActivityReview => "activity_review",
            DeadlineKind::ProcessorSupervision => "processor_supervision",
            DeadlineKind::AgreementExpiry => "agreement_expiry",
            DeadlineKind::RecordingDeletion => "recording_deletion",
        }
    }

    /// How long before it runs out a deadline of this kind counts as [`DeadlineStatus::DueSoon`]:
    /// a third of the 72 hours for a breach, a week for requests and deletions, a day or three
    /// for the organisation's own short promises, and 90 days for yearly reviews, as the
    /// overview lists them.
    pub fn due_soon_within(self) -> TimeDelta {
        match self {
            DeadlineKind::BreachNotification => TimeDelta::hours(24),
            DeadlineKind::ReporterAcknowledgement => TimeDelta::days(1),
            DeadlineKind::ReporterFeedback => TimeDelta::days(3),
            DeadlineKind::DataSubjectRequest
            | DeadlineKind::DataSubjectRequestExtended
            | DeadlineKind::RecordingDeletion => TimeDelta::days(7),
            DeadlineKind::ActivityReview | DeadlineKind::ProcessorSupervision | DeadlineKind::AgreementExpiry => {
                TimeDelta::days(90)
            }
        }
    }
}

/// When a deadline falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// At an instant: deadlines in hours. Show it with [`local_time`].
    At(DateTime<Utc>),
    /// By the end of a day in the organisation's zone: deadlines in calendar units.
    On(NaiveDate),
}

/// Where a deadline stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// More time left than the kind's [`DeadlineKind::due_soon_within`].
    Open,
    /// Not yet run out, but within the kind's warning time.
    DueSoon,
    /// Run out.
    Overdue,
}

/// A deadline of the organisation: what it is for, when it is due, and the country whose zone
/// and holidays it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: Due,
    pub country: Country,
}

impl Deadline {
    /// Art. 33(1): 72 real hours after the organisation became aware of a breach. `None` only
    /// outside chrono's range.
    pub fn breach_notification(aware_at: DateTime<Utc>, country: Country) -> Option<Deadline> {
        let due = hours_after(aware_at, 72)?;
        Some(Deadline { kind: DeadlineKind::BreachNotification, due: Due::At(due), country })
    }

    /// Art. 12(3): one month from the day a data subject's request was received, or, when the
    /// person was told of the extension within that month, three months from that day (the
    /// one month plus the two further months); either moved off a weekend or public holiday by
    /// [`Period::ends_on`]. `None` only outside chrono's range.
    pub fn data_subject_request(received: NaiveDate, country: Country, extended: bool) -> Option<Deadline> {
        let (kind, months) = if extended {
            (DeadlineKind::DataSubjectRequestExtended, 3)
        } else {
            (DeadlineKind::DataSubjectRequest, 1)
        };
        let due = Period::Months(months).ends_on(received, country)?;
        Some(Deadline { kind, due: Due::On(due), country })
    }

    /// The instant the deadline runs out: the due instant, or the end of the due day in the
    /// organisation's zone. `None` when that lies past the end of chrono's range.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self.due {
            Due::At(instant) => Some(instant),
            Due::On(date) => end_of_day(date, self.country),
        }
    }

    /// The wall-clock time an [`Due::At`] deadline is due in the organisation's zone. `None` for
    /// a [`Due::On`] deadline, which runs to the end of its day.
    pub fn due_local_time(&self) -> Option<NaiveDateTime> {
        match self.due {
            Due::At(instant) => local_time(instant, self.country),
            Due::On(_) => None,
        }
    }

    /// The time left at `now`; negative once the deadline has run out. `None` when the deadline
    /// lies past the end of chrono's range.
    pub fn time_left(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        Some(self.expires_at()?.signed_duration_since(now))
    }

    /// Where the deadline stands at `now`. Exactly at the expiry instant it is still
    /// [`DeadlineStatus::DueSoon`]; a deadline past the end of chrono's range is open.
    pub fn status(&self, now: DateTime<Utc>) -> DeadlineStatus {
        match self.time_left(now) {
            Some(left) if left < TimeDelta::zero() => DeadlineStatus::Overdue,
            Some(left) if left <= self.kind.due_soon_within() => DeadlineStatus::DueSoon,
            _ => DeadlineStatus::Open,
        }
    }
}
