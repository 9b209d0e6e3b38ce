//! Recorded phone calls and their consents (DOMAIN.md section 4). A [`RecordingPolicy`] says why
//! calls are recorded, on what legal basis and for how long; each [`RecordedCall`] is one call
//! from the phone system's list, with its consent and the day its recording must be deleted by.
//!
//! The rules: recording for quality or training needs consent, and consent is an active act (a
//! keypress on an inbound call, an oral "yes" on an outbound one); a call whose policy needs
//! consent but has none recorded is flagged ([`consent_flag`]). The delete-by day is the call's
//! date on the organisation's clock plus the policy's months, by the month arithmetic of
//! [`crate::deadlines::add_months`] (31 January + 1 month is 28/29 February).
//!
//! What the register does with them: a person's withdrawal of consent deletes their recordings
//! at once and gives a [`DeletionReceipt`]; the retention sweep marks every recording past its
//! delete-by day deleted; an access request gathers an [`AccessExtract`] of everything kept about
//! a person's calls. A deleted call keeps only what proves the deletion (call id, times, policy,
//! reason, what became of the audio), never the phone number, customer reference, agent or
//! recording reference. Audio files are touched only under the [`AudioFolder`] the user chose.

pub use crate::audio_folder::{AudioCopy, AudioFolder, AudioLocation, copy_extract_audio, delete_audio};
use crate::call_import::{ConsentMethod, Direction, RowError};
use crate::deadlines::{add_months, local_date};
use crate::vocab::Country;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why calls are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordingPurpose {
    /// Documenting what was agreed, where it cannot be documented otherwise.
    Documentation,
    Quality,
    Training,
    Other,
}

/// The legal basis of recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordingBasis {
    Consent,
    LegitimateInterest,
}

/// Stable text forms, as stored and as given on the command line.
macro_rules! text_forms {
    ($t:ty { $($variant:path => $text:literal),+ $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $($variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($variant),)+ _ => None }
            }
        }
    };
}

text_forms!(RecordingPurpose {
    RecordingPurpose::Documentation => "documentation",
    RecordingPurpose::Quality => "quality",
    RecordingPurpose::Training => "training",
    RecordingPurpose::Other => "other",
});

text_forms!(RecordingBasis {
    RecordingBasis::Consent => "consent",
    RecordingBasis::LegitimateInterest => "legitimate_interest",
});

/// The text form of a call direction: `inbound` or `outbound`.
pub fn direction_str(direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

pub fn parse_direction(text: &str) -> Option<Direction> {
    match text {
        "inbound" => Some(Direction::Inbound),
        "outbound" => Some(Direction::Outbound),
        _ => None,
    }
}

/// The text form of a consent method: `keypress`, `oral` or `none`.
pub fn consent_str(method: ConsentMethod) -> &'static str {
    match method {
        ConsentMethod::Keypress => "keypress",
        ConsentMethod::Oral => "oral",
        ConsentMethod::None => "none",
    }
}

pub fn parse_consent(text: &str) -> Option<ConsentMethod> {
    match text {
        "keypress" => Some(ConsentMethod::Keypress),
        "oral" => Some(ConsentMethod::Oral),
        "none" => Some(ConsentMethod::None),
        _ => None,
    }
}

/// How a kind of call is recorded and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingPolicy {
    pub id: String,
    pub name: String,
    pub purpose: RecordingPurpose,
    pub basis: RecordingBasis,
    pub direction: Direction,
    /// How long a recording is kept, in months from the day of the call.
    pub retention_months: u32,
    /// The processor (telephony provider) that makes the recordings, by id.
    pub processor_id: Option<String>,
}

impl RecordingPolicy {
    /// Inbound customer-service calls recorded for quality on consent, kept 16 months.
    pub fn inbound_customer_service(id: impl Into<String>, name: impl Into<String>) -> Self {
        RecordingPolicy {
            id: id.into(),
            name: name.into(),
            purpose: RecordingPurpose::Quality,
            basis: RecordingBasis::Consent,
            direction: Direction::Inbound,
            retention_months: 16,
            processor_id: None,
        }
    }

    /// Outbound sales calls recorded to document the agreement, kept 6 months.
    pub fn outbound_sales(id: impl Into<String>, name: impl Into<String>) -> Self {
        RecordingPolicy {
            id: id.into(),
            name: name.into(),
            purpose: RecordingPurpose::Documentation,
            basis: RecordingBasis::LegitimateInterest,
            direction: Direction::Outbound,
            retention_months: 6,
            processor_id: None,
        }
    }

    pub fn needs_consent(&self) -> bool {
        self.basis == RecordingBasis::Consent
    }
}

/// The day by which the recording of a call that started at `start` must be deleted: the call's
/// date on `country`'s clock plus `months` months. `None` outside chrono's range.
pub fn delete_by(start: DateTime<Utc>, months: u32, country: Country) -> Option<NaiveDate> {
    add_months(local_date(start, country)?, months)
}

/// Why a recording was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DeletionReason {
    RetentionExpired,
    ConsentWithdrawn,
    Request,
}

text_forms!(DeletionReason {
    DeletionReason::RetentionExpired => "retention_expired",
    DeletionReason::ConsentWithdrawn => "consent_withdrawn",
    DeletionReason::Request => "request",
});

/// Through which channel a person withdrew consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalChannel {
    Phone,
    Email,
    Letter,
    InPerson,
    Web,
    Other,
}

text_forms!(WithdrawalChannel {
    WithdrawalChannel::Phone => "phone",
    WithdrawalChannel::Email => "email",
    WithdrawalChannel::Letter => "letter",
    WithdrawalChannel::InPerson => "in_person",
    WithdrawalChannel::Web => "web",
    WithdrawalChannel::Other => "other",
});

/// What became of a recording's audio when the call was marked deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AudioOutcome {
    /// The file under the audio folder was deleted.
    Deleted,
    /// The reference points under the audio folder, but no file was there.
    Missing,
    /// The reference is not a file under the audio folder (an id in the phone system, a path
    /// elsewhere, or no audio folder is set): the audio must be deleted in the phone system.
    External,
}

text_forms!(AudioOutcome {
    AudioOutcome::Deleted => "deleted",
    AudioOutcome::Missing => "missing",
    AudioOutcome::External => "external",
});

/// Whether the recording is still kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Kept,
    Deleted { at: DateTime<Utc>, reason: DeletionReason },
}

/// Why a call needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentFlag {
    /// The policy needs consent and the phone system's list has no consent for the call.
    NoConsent,
    /// The policy needs consent and the caller did not give it by an active act.
    NotActive,
}

impl ConsentFlag {
    /// Catalog key of the flag.
    pub fn code(self) -> &'static str {
        match self {
            ConsentFlag::NoConsent => "recordings.flag.no_consent",
            ConsentFlag::NotActive => "recordings.flag.not_active",
        }
    }
}

/// The flag a call gets under a policy: consent is needed and was not given by a keypress or
/// an oral "yes".
pub fn consent_flag(basis: RecordingBasis, method: Option<ConsentMethod>) -> Option<ConsentFlag> {
    match (basis, method) {
        (RecordingBasis::LegitimateInterest, _) => None,
        (RecordingBasis::Consent, Some(ConsentMethod::Keypress | ConsentMethod::Oral)) => None,
        (RecordingBasis::Consent, Some(ConsentMethod::None)) => Some(ConsentFlag::NotActive),
        (RecordingBasis::Consent, None) => Some(ConsentFlag::NoConsent),
    }
}

/// One recorded call as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCall {
    /// The phone system's id of the call; unique in the register.
    pub call_id: String,
    pub start: DateTime<Utc>,
    pub direction: Direction,
    /// E.164.
    pub phone: String,
    pub customer_ref: Option<String>,
    pub agent: Option<String>,
    pub policy_id: String,
    pub consent_method: Option<ConsentMethod>,
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_script: Option<String>,
    pub recording_ref: Option<String>,
    pub delete_by: NaiveDate,
    pub status: CallStatus,
    /// Set when the policy needs consent the call does not have.
    pub flag: Option<ConsentFlag>,
}

/// Which calls [`crate::Register::recorded_calls`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// Only kept calls whose delete-by day is on or before this day.
    pub due_on: Option<NaiveDate>,
    /// Only flagged calls.
    pub flagged: bool,
}

/// Which calls a page of the recordings list shows ([`crate::Register::call_page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallQuery {
    /// A phone number (any form the organisation's numbering plan reads) or a customer
    /// reference; empty for all.
    pub search: String,
    pub status: StatusFilter,
    /// Only kept calls whose delete-by day is on or before this day.
    pub due_on: Option<NaiveDate>,
    /// Only flagged calls.
    pub flagged: bool,
}

/// Kept, deleted or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    All,
    Kept,
    Deleted,
}

/// One page of the recordings list, oldest call first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPage {
    /// How many calls the query selects in all.
    pub total: u64,
    /// The position of the page's first call among them.
    pub offset: u64,
    pub calls: Vec<RecordedCall>,
}

/// What a progress callback is told after each batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallImportProgress {
    /// Rows read so far (bad ones included).
    pub read: u64,
    pub imported: u64,
    pub already_there: u64,
    pub rejected: u64,
    /// Every row is read and the search indices are being built (a large import's last step).
    pub indexing: bool,
}

/// How [`crate::Register::import_calls`] works.
///
/// Without `strict`, each batch of `batch_size` rows is one transaction with one change-log
/// entry, committed as it is done; a bad row is reported and the rest imported. With `strict`,
/// the whole file is one transaction (still one change-log entry per batch) and the first bad
/// row rolls all of it back: nothing of the file is kept, and the register is as it was.
///
/// A large import (`bulk_after` rows read, and at least an eighth of the calls the register
/// held before) drops the calls' search indices, goes on inserting into the table and its call
/// id index alone, and builds the indices again at the end: one sorted build instead of a
/// scattered insert per row and index. The dropped indices' definitions are stored with the
/// drop, so a crash or kill before the end leaves them to be built when the register is next
/// opened.
pub struct CallImportOptions<'a> {
    pub strict: bool,
    pub batch_size: usize,
    pub bulk_after: u64,
    /// Called after each batch with the counts so far.
    pub progress: Option<&'a mut dyn FnMut(CallImportProgress)>,
    /// Called for each rejected row with the row's cells as they are in the file (empty when
    /// the row could not be read as CSV), for a file of rejected rows.
    pub rejected: Option<&'a mut RejectedSink<'a>>,
}

impl Default for CallImportOptions<'_> {
    fn default() -> Self {
        CallImportOptions {
            strict: false,
            batch_size: DEFAULT_BATCH,
            bulk_after: BULK_AFTER,
            progress: None,
            rejected: None,
        }
    }
}

impl std::fmt::Debug for CallImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallImportOptions").field("strict", &self.strict).field("batch_size", &self.batch_size).finish()
    }
}

/// What is told of each rejected row: the error and the row's cells.
pub type RejectedSink<'a> = dyn FnMut(&RowError, &[String]) + 'a;

/// Rows per transaction by default.
pub const DEFAULT_BATCH: usize = 5_000;

/// Rows after which an import is large enough to build the search indices afresh at its end.
pub const BULK_AFTER: u64 = 50_000;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallImportReport {
    pub imported: u64,
    /// Rows whose call id the register already had before this import.
    pub already_there: u64,
    /// Rows whose call id came earlier in the same file; the first one is kept.
    pub repeated_in_file: u64,
    /// The bad rows, in file order, with line numbers (no cell values).
    pub rejected: Vec<RowError>,
    /// Change-log entries written (one per batch).
    pub batches: u64,
}

/// Why an import of calls did not run, or (with `strict`) was rolled back.
#[derive(Debug, thiserror::Error)]
pub enum CallImportError {
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    /// The default policy given is not in the register.
    #[error("no recording policy with id {id}")]
    UnknownPolicy { id: String },
    #[error("the batch size must be at least 1")]
    BatchSize,
    /// With `strict`: the first bad row; nothing of the file was kept.
    #[error("line {}: {}", .0.line, .0.problem.code())]
    Rejected(RowError),
}

/// A person's withdrawal of consent, as the DPO records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalRequest {
    /// The person's phone number (any form [`crate::call_import::normalise_phone`] reads) or
    /// customer reference.
    pub phone_or_reference: String,
    /// When the person withdrew consent.
    pub withdrawn_at: DateTime<Utc>,
    pub channel: WithdrawalChannel,
    /// Also delete the person's calls recorded on legitimate interest (an erasure request);
    /// without it only the calls recorded on consent are deleted.
    pub all_calls: bool,
}

/// A call as a deletion receipt shows it: nothing that identifies the person. It was deleted
/// when the withdrawal was recorded ([`DeletionReceipt::recorded_at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedCall {
    pub call_id: String,
    pub start: DateTime<Utc>,
    pub direction: Direction,
    pub policy_name: String,
    pub reason: DeletionReason,
    /// `None` when the call had no recording reference.
    pub audio: Option<AudioOutcome>,
}

/// The receipt for a withdrawal of consent: which calls were deleted, when and how. It can be
/// printed again at any time and says the same; its id is `YYYY-NNNN` (year of recording,
/// running number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionReceipt {
    pub id: String,
    pub withdrawn_at: DateTime<Utc>,
    pub channel: WithdrawalChannel,
    /// When the register recorded the withdrawal and deleted the calls.
    pub recorded_at: DateTime<Utc>,
    pub calls: Vec<DeletedCall>,
}

/// A call whose audio file could not be deleted: it stays kept, and the file is left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFailure {
    pub call_id: String,
    /// The kind of the I/O error (no path, no personal data).
    pub error: String,
}

/// What a withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalOutcome {
    /// `None` when no call could be deleted (every audio file failed).
    pub receipt: Option<DeletionReceipt>,
    /// The person's kept calls recorded on legitimate interest, left as they are (without
    /// [`WithdrawalRequest::all_calls`]).
    pub kept_on_legitimate_interest: u64,
    /// Calls not deleted because their audio file could not be deleted; a new withdrawal
    /// covers them once the file can be deleted.
    pub failed: Vec<AudioFailure>,
}

/// One call the sweep handled, as it is reported (no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweptCall<'a> {
    pub call_id: &'a str,
    pub delete_by: NaiveDate,
    /// `Ok(None)` when the call had no recording reference; `Err` when its audio file could
    /// not be deleted (then the call stays kept).
    pub audio: Result<Option<AudioOutcome>, &'a AudioFailure>,
}

/// What a retention sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Calls marked deleted.
    pub marked: u64,
    pub audio_deleted: u64,
    pub audio_missing: u64,
    pub audio_external: u64,
    pub failed: Vec<AudioFailure>,
    /// Change-log entries written (one per batch).
    pub batches: u64,
}

/// One call in an access extract, with the policy it was recorded under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessCall {
    pub call: RecordedCall,
    pub policy: RecordingPolicy,
    /// The processor that records, by name, when the policy names one.
    pub processor_name: Option<String>,
}

/// Everything the register keeps about a person's recorded calls (Art. 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessExtract {
    /// The phone number in E.164, or the customer reference, the request was made for.
    pub subject: String,
    pub calls: Vec<AccessCall>,
}

/// Why a withdrawal, sweep or access request could not be done.
#[derive(Debug, thiserror::Error)]
pub enum CallRequestError {
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    /// No kept call has that phone number or customer reference.
    #[error("no recorded calls kept for this phone number or customer reference")]
    NoCalls,
    /// The audio folder is not an existing folder.
    #[error("the audio folder is not an existing folder")]
    AudioFolder,
}

impl CallRequestError {
    /// Catalog key (under `error.`).
    pub fn code(&self) -> &'static str {
        match self {
            CallRequestError::Store(e) => e.code(),
            CallRequestError::NoCalls => "recordings.no_calls",
            CallRequestError::AudioFolder => "recordings.audio_folder",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn delete_by_counts_months_from_the_local_day_of_the_call() {
        let utc = |y, m, d, h, mi| Utc.with_ymd_and_hms(y, m, d, h, mi, 0).single().expect("valid");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        let cases = [
            // 31 January + 1 month is the last day of February.
            (utc(2026, 1, 31, 10, 0), 1, Country::Denmark, day(2026, 2, 28)),
            (utc(2028, 1, 31, 10, 0), 1, Country::Denmark, day(2028, 2, 29)),
            (utc(2026, 1, 15, 10, 0), 16, Country::Norway, day(2027, 5, 15)),
            // 23:30 UTC on 31 March is 01:30 on 1 April in Copenhagen (summer time).
            (utc(2026, 3, 31, 23, 30), 6, Country::Denmark, day(2026, 10, 1)),
            // 23:30 UTC on 31 December is already 1 January in Oslo (winter time).
            (utc(2026, 12, 31, 23, 30), 16, Country::Norway, day(2028, 5, 1)),
        ];
        for (start, months, country, expected) in cases {
            assert_eq!(delete_by(start, months, country), Some(expected), "{start} + {months}");
        }
    }

    #[test]
    fn only_an_active_act_is_consent() {
        use RecordingBasis::*;
        let cases = [
            (Consent, Some(ConsentMethod::Keypress), None),
            (Consent, Some(ConsentMethod::Oral), None),
            (Consent, Some(ConsentMethod::None), Some(ConsentFlag::NotActive)),
            (Consent, None, Some(ConsentFlag::NoConsent)),
            (LegitimateInterest, None, None),
            (LegitimateInterest, Some(ConsentMethod::None), None),
        ];
        for (basis, method, expected) in cases {
            assert_eq!(consent_flag(basis, method), expected, "{basis:?} {method:?}");
        }
    }

    #[test]
    fn presets() {
        assert_eq!(RecordingPolicy::inbound_customer_service("a", "A").retention_months, 16);
        assert_eq!(RecordingPolicy::outbound_sales("b", "B").retention_months, 6);
        for text in ["documentation", "quality", "training", "other"] {
            assert_eq!(RecordingPurpose::parse(text).map(RecordingPurpose::as_str), Some(text));
        }
    }
}
