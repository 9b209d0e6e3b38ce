//! Recorded phone calls (DOMAIN.md section 4): the list of calls a page at a time, the
//! recording policies, the import of a phone system's call list, the retention sweep, a
//! person's withdrawal of consent with its receipt, and an access extract. Each command calls
//! ropa-core (`Register`'s recordings functions, `call_import`, `AudioFolder`) and maps the
//! error; what a row may hold, what is due and which audio files may be deleted is core's.
//!
//! Files enter only through the native dialogs. The rejected rows of the last import are kept
//! in the private folder removed on lock until the person saves them where they choose.
//! Error details carry line numbers, column names and catalog words, never a cell's value.

use crate::commands::reports::SavedReport;
use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer;
use chrono::{DateTime, NaiveDate, Utc};
use ropa_core::call_import::{
    self, CallReader, ConsentMethod, Direction, Mapping, MappingError, RowError, RowProblem, Sniffed, SpreadsheetCsv,
    TextEncoding,
};
use ropa_core::deadlines::local_date;
use ropa_core::files::{self, Existing};
use ropa_core::i18n;
use ropa_core::recordings::{
    AudioCopy, AudioFolder, AudioOutcome, CallImportError, CallImportOptions, CallImportProgress, CallQuery,
    CallRequestError, CallStatus, DeletionReason, RecordedCall, RecordingBasis, RecordingPolicy, RecordingPurpose,
    StatusFilter, WithdrawalChannel, WithdrawalRequest, copy_extract_audio,
};
use ropa_core::vocab::Language;
use ropa_pdf::ReportMeta;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use tauri::State;
use tauri::ipc::Channel;

/// Rows a page of the list holds at most.
pub const MAX_PAGE: u32 = 500;
/// Rows the import preview shows.
pub const PREVIEW_ROWS: usize = 10;
/// Rejected rows an import summary lists (all of them go to the file).
pub const LISTED_REJECTS: usize = 100;
/// File name of the last import's rejected rows in the private folder.
const REJECTED_FILE: &str = "rejected-calls.csv";

/// Which calls the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, specta::Type)]
pub struct CallListQuery {
    /// A phone number (any form) or a customer reference; empty for all.
    pub search: String,
    pub status: StatusFilter,
    /// Only kept calls whose delete-by day has come (today on the organisation's clock).
    pub due: bool,
    /// Only kept calls whose policy needs consent they do not have.
    pub flagged: bool,
}

/// A call as the list shows it. A deleted call keeps no phone number or reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CallRowView {
    pub call_id: String,
    pub start: DateTime<Utc>,
    pub direction: Direction,
    /// E.164; empty for a deleted call.
    pub phone: String,
    pub customer_ref: Option<String>,
    pub policy_id: String,
    pub consent_method: Option<ConsentMethod>,
    pub delete_by: NaiveDate,
    /// When and why it was deleted; `null` while it is kept.
    pub deleted: Option<DeletionView>,
    /// Catalog key of the call's consent flag.
    pub flag: Option<String>,
    pub has_recording: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct DeletionView {
    pub at: DateTime<Utc>,
    pub reason: DeletionReason,
}

impl From<RecordedCall> for CallRowView {
    fn from(call: RecordedCall) -> Self {
        CallRowView {
            call_id: call.call_id,
            start: call.start,
            direction: call.direction,
            phone: call.phone,
            customer_ref: call.customer_ref,
            policy_id: call.policy_id,
            consent_method: call.consent_method,
            delete_by: call.delete_by,
            deleted: match call.status {
                CallStatus::Kept => None,
                CallStatus::Deleted { at, reason } => Some(DeletionView { at, reason }),
            },
            flag: call.flag.map(|f| f.code().to_owned()),
            has_recording: call.recording_ref.is_some(),
        }
    }
}

/// One page of the list, oldest call first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CallPageView {
    /// How many calls the query selects in all.
    pub total: u64,
    pub offset: u64,
    pub calls: Vec<CallRowView>,
}

/// The recordings' state for the overview and the sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RecordingsStatus {
    /// Today on the organisation's clock.
    pub today: NaiveDate,
    pub calls: u64,
    /// Kept calls whose delete-by day has come.
    pub due: u64,
    pub flagged: u64,
    pub policies: u32,
    pub audio_folder: Option<String>,
}

/// A recording policy as the editor holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PolicyForm {
    pub id: String,
    pub name: String,
    pub purpose: RecordingPurpose,
    pub basis: RecordingBasis,
    pub direction: Direction,
    pub retention_months: u32,
    pub processor_id: Option<String>,
}

impl From<RecordingPolicy> for PolicyForm {
    fn from(p: RecordingPolicy) -> Self {
        PolicyForm {
            id: p.id,
            name: p.name,
            purpose: p.purpose,
            basis: p.basis,
            direction: p.direction,
            retention_months: p.retention_months,
            processor_id: p.processor_id,
        }
    }
}

impl From<PolicyForm> for RecordingPolicy {
    fn from(p: PolicyForm) -> Self {
        RecordingPolicy {
            id: p.id.trim().to_owned(),
            name: p.name.trim().to_owned(),
            purpose: p.purpose,
            basis: p.basis,
            direction: p.direction,
            retention_months: p.retention_months,
            processor_id: p.processor_id.filter(|id| !id.trim().is_empty()),
        }
    }
}

/// Which column holds which field (by the field's profile name: `call_id`, `start`, …), and
/// the phone system's extra words: a mapping profile as the wizard edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MappingForm {
    pub columns: BTreeMap<String, String>,
    pub words: WordsForm,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct WordsForm {
    pub inbound: Vec<String>,
    pub outbound: Vec<String>,
    pub keypress: Vec<String>,
    pub oral: Vec<String>,
    pub no_consent: Vec<String>,
}

/// A TOML string (JSON's escapes are TOML's for basic strings).
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

impl MappingForm {
    /// The profile as TOML, as `ropa recordings import --mapping` reads it. Columns left empty
    /// are left out.
    pub fn to_toml(&self) -> String {
        let mut text = String::from("[columns]\n");
        for (field, column) in &self.columns {
            if !column.trim().is_empty() {
                text.push_str(&format!("{field} = {}\n", toml_string(column.trim())));
            }
        }
        let words = [
            ("inbound", &self.words.inbound),
            ("outbound", &self.words.outbound),
            ("keypress", &self.words.keypress),
            ("oral", &self.words.oral),
            ("no_consent", &self.words.no_consent),
        ];
        let words: Vec<_> = words.into_iter().filter(|(_, w)| w.iter().any(|w| !w.trim().is_empty())).collect();
        if !words.is_empty() {
            text.push_str("\n[words]\n");
            for (name, list) in words {
                let list: Vec<String> =
                    list.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).map(toml_string).collect();
                text.push_str(&format!("{name} = [{}]\n", list.join(", ")));
            }
        }
        text
    }

    /// The profile as core reads it; a required field without a column is an error.
    pub fn mapping(&self) -> Result<Mapping, AppError> {
        Mapping::from_toml(&self.to_toml()).map_err(mapping_error)
    }
}

impl From<Mapping> for MappingForm {
    fn from(m: Mapping) -> Self {
        MappingForm {
            columns: m.columns.into_iter().map(|(f, c)| (f.name().to_owned(), c)).collect(),
            words: WordsForm {
                inbound: m.words.inbound,
                outbound: m.words.outbound,
                keypress: m.words.keypress,
                oral: m.words.oral,
                no_consent: m.words.no_consent,
            },
        }
    }
}

fn mapping_error(e: MappingError) -> AppError {
    match e {
        MappingError::Profile { detail } => AppError::new("calls.profile").with("path", "").with("detail", detail),
        MappingError::FieldUnmapped { field } => AppError::new("calls.field_unmapped").with("field", field),
        MappingError::ColumnMissing { field, column } => {
            AppError::new("calls.column_missing").with("field", field).with("column", column)
        }
        MappingError::ColumnTwice { column } => AppError::new("calls.column_twice").with("column", column),
    }
}

fn open_error(path: &Path, e: call_import::OpenError) -> AppError {
    match e {
        call_import::OpenError::Io(e) => AppError::new("read_file").with("path", path.display()).with("detail", e),
        call_import::OpenError::Empty => AppError::new("calls.empty").with("path", path.display()),
        call_import::OpenError::Header(detail) => {
            AppError::new("calls.header").with("path", path.display()).with("detail", detail)
        }
        call_import::OpenError::Mapping(e) => mapping_error(e),
    }
}

fn request_error(e: CallRequestError) -> AppError {
    match e {
        CallRequestError::Store(e) => AppError::from(e),
        other => AppError::new(other.code()),
    }
}

/// A call list picked in the open dialog: its columns and how it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CallListFile {
    pub path: String,
    pub file_name: String,
    pub columns: Vec<String>,
    /// `utf-8`, `utf-8-bom` or `windows-1252`.
    pub encoding: String,
    /// `;`, `,` or a tab.
    pub delimiter: String,
}

fn sniffed_words(sniffed: Sniffed) -> (String, String) {
    let encoding = match sniffed.encoding {
        TextEncoding::Utf8 => "utf-8",
        TextEncoding::Utf8WithBom => "utf-8-bom",
        TextEncoding::Windows1252 => "windows-1252",
    };
    (encoding.to_owned(), char::from(sniffed.delimiter).to_string())
}

/// Why a row cannot be imported: line, field and rule, never the cell's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RowErrorView {
    pub line: u64,
    /// The field's profile name.
    pub field: Option<String>,
    /// Catalog key (`import.row.…`).
    pub code: String,
    /// The CSV reader's words for an unreadable row.
    pub detail: Option<String>,
}

impl From<&RowError> for RowErrorView {
    fn from(e: &RowError) -> Self {
        RowErrorView {
            line: e.line,
            field: e.field.map(|f| f.name().to_owned()),
            code: e.problem.code().to_owned(),
            detail: match &e.problem {
                RowProblem::Unreadable { detail } => Some(detail.clone()),
                _ => None,
            },
        }
    }
}

/// A row as the import will read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PreviewCall {
    pub call_id: String,
    pub start: DateTime<Utc>,
    pub direction: Direction,
    /// E.164.
    pub phone: String,
    pub customer_ref: Option<String>,
    pub policy: Option<String>,
    pub consent_method: Option<ConsentMethod>,
    pub recording_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PreviewRow {
    pub line: u64,
    pub call: Option<PreviewCall>,
    pub error: Option<RowErrorView>,
}

/// How far an import has come; sent after each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportProgress {
    pub read: u64,
    pub imported: u64,
    pub already_there: u64,
    pub rejected: u64,
    /// Every row is read; the search indices are being built.
    pub indexing: bool,
}

impl From<CallImportProgress> for ImportProgress {
    fn from(p: CallImportProgress) -> Self {
        ImportProgress {
            read: p.read,
            imported: p.imported,
            already_there: p.already_there,
            rejected: p.rejected,
            indexing: p.indexing,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportSummary {
    pub imported: u64,
    pub already_there: u64,
    pub repeated_in_file: u64,
    pub rejected: u64,
    /// The first rejected rows (up to 100).
    pub rejected_rows: Vec<RowErrorView>,
    /// Whether the rejected rows can be saved as CSV (`save_rejected_calls`).
    pub rejected_file: bool,
}

/// A call whose audio file could not be deleted (it stays kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AudioFailureView {
    pub call_id: String,
    /// The kind of the I/O error.
    pub error: String,
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SweepSummary {
    pub marked: u64,
    pub audio_deleted: u64,
    pub audio_missing: u64,
    pub audio_external: u64,
    pub failed: Vec<AudioFailureView>,
}

/// A withdrawal of consent as the DPO records it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
pub struct WithdrawalForm {
    /// Phone number (any form) or customer reference.
    pub subject: String,
    pub channel: WithdrawalChannel,
    /// When the person withdrew consent; `null` for now.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Also the calls recorded on legitimate interest (an erasure request).
    pub all_calls: bool,
}

/// What a withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct WithdrawalSummary {
    /// The receipt's number; `null` when no call could be deleted.
    pub receipt: Option<String>,
    pub deleted: u32,
    pub audio_deleted: u32,
    pub audio_external: u32,
    pub kept_on_legitimate_interest: u64,
    pub failed: Vec<AudioFailureView>,
}

/// An access extract written into a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AccessSummary {
    pub folder: String,
    pub pdf: String,
    pub calls: u32,
    /// Audio files copied into the folder.
    pub copied: u32,
    /// Calls whose audio is in the phone system (to be fetched there).
    pub external: u32,
    pub opened: bool,
}

fn failures(failed: &[ropa_core::recordings::AudioFailure]) -> Vec<AudioFailureView> {
    failed.iter().map(|f| AudioFailureView { call_id: f.call_id.clone(), error: f.error.clone() }).collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl AppState {
    /// Today on the organisation's clock.
    fn organisation_today(&self) -> Result<NaiveDate, AppError> {
        let country = self.with_register(|r| Ok(r.organisation()?.country))?;
        local_date(Utc::now(), country).ok_or_else(AppError::internal)
    }

    pub fn call_page(&self, query: &CallListQuery, offset: u64, limit: u32) -> Result<CallPageView, AppError> {
        let due_on = if query.due { Some(self.organisation_today()?) } else { None };
        let core = CallQuery { search: query.search.clone(), status: query.status, due_on, flagged: query.flagged };
        let page = self.with_register(|r| r.call_page(&core, offset, limit.min(MAX_PAGE)))?;
        Ok(CallPageView {
            total: page.total,
            offset: page.offset,
            calls: page.calls.into_iter().map(CallRowView::from).collect(),
        })
    }

    pub fn recordings_status(&self) -> Result<RecordingsStatus, AppError> {
        let today = self.organisation_today()?;
        self.with_register(|r| {
            Ok(RecordingsStatus {
                today,
                calls: r.recorded_call_count()?,
                due: r.due_call_count(today)?,
                flagged: r.flagged_call_count()?,
                policies: count(r.recording_policies()?.len()),
                audio_folder: r.audio_folder()?.as_deref().map(dialog::display),
            })
        })
    }

    pub fn recording_policies(&self) -> Result<Vec<PolicyForm>, AppError> {
        self.with_register(|r| Ok(r.recording_policies()?.into_iter().map(PolicyForm::from).collect()))
    }

    pub fn check_recording_policy(&self, policy: PolicyForm) -> Result<Vec<ropa_core::validation::Issue>, AppError> {
        self.with_register(|r| r.check_recording_policy(&policy.into()))
    }

    pub fn add_recording_policy(&self, policy: PolicyForm) -> Result<Vec<ropa_core::validation::Issue>, AppError> {
        self.with_register(|r| r.add_recording_policy(&policy.into()))
    }

    /// The header of a call list picked in a dialog.
    pub fn call_list_file(&self, path: &Path) -> Result<CallListFile, AppError> {
        let source =
            File::open(path).map_err(|e| AppError::new("read_file").with("path", path.display()).with("detail", e))?;
        let (sniffed, columns) = call_import::read_header(source).map_err(|e| open_error(path, e))?;
        let (encoding, delimiter) = sniffed_words(sniffed);
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(CallListFile { path: dialog::display(path), file_name, columns, encoding, delimiter })
    }

    /// A path the UI sends back must have come from this run's dialogs.
    fn picked(&self, path: &str) -> Result<PathBuf, AppError> {
        if self.is_allowed(path) { Ok(PathBuf::from(path)) } else { Err(AppError::not_allowed()) }
    }

    fn reader(&self, path: &Path, mapping: &MappingForm) -> Result<CallReader, AppError> {
        let mapping = mapping.mapping()?;
        let country = self.with_register(|r| Ok(r.organisation()?.country))?;
        let source =
            File::open(path).map_err(|e| AppError::new("read_file").with("path", path.display()).with("detail", e))?;
        CallReader::new(source, mapping, country).map_err(|e| open_error(path, e))
    }

    /// The first rows of the file as the import will read them, with their errors.
    pub fn preview_calls(&self, path: &str, mapping: &MappingForm) -> Result<Vec<PreviewRow>, AppError> {
        let path = self.picked(path)?;
        let reader = self.reader(&path, mapping)?;
        Ok(reader
            .take(PREVIEW_ROWS)
            .map(|row| match row {
                Ok(row) => PreviewRow {
                    line: row.line,
                    call: Some(PreviewCall {
                        call_id: row.call_id,
                        start: row.start,
                        direction: row.direction,
                        phone: row.phone,
                        customer_ref: row.customer_ref,
                        policy: row.policy,
                        consent_method: row.consent_method,
                        recording_ref: row.recording_ref,
                    }),
                    error: None,
                },
                Err(e) => PreviewRow { line: e.line, call: None, error: Some(RowErrorView::from(&e)) },
            })
            .collect())
    }

    /// Imports the file; rejected rows go to a CSV in the private folder, in `language`.
    pub fn import_calls(
        &self,
        path: &str,
        mapping: &MappingForm,
        default_policy: Option<&str>,
        strict: bool,
        language: Language,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportSummary, AppError> {
        let path = self.picked(path)?;
        let reader = self.reader(&path, mapping)?;
        let dir = self.extract_dir().map_err(|e| AppError::io(&e))?;
        let rejected_path = dir.join(REJECTED_FILE);
        let _ = std::fs::remove_file(&rejected_path);
        let header = ["recordings.rejected.line", "recordings.rejected.reason"].map(|k| i18n::t0(language, k)).to_vec();
        let mut file = SpreadsheetCsv::new(rejected_path, header);
        let mut on_progress = |p: CallImportProgress| progress(p.into());
        let mut on_rejected = |e: &RowError, cells: &[String]| {
            file.line([e.line.to_string(), e.words(language)].into_iter().chain(cells.iter().cloned()))
        };
        let result = self.with_register_app(|r| {
            let options = CallImportOptions {
                strict,
                progress: Some(&mut on_progress),
                rejected: Some(&mut on_rejected),
                ..CallImportOptions::default()
            };
            r.import_calls(reader, default_policy.filter(|p| !p.is_empty()), options).map_err(|e| match e {
                CallImportError::Store(e) => AppError::from(e),
                CallImportError::UnknownPolicy { id } => AppError::new("recordings.unknown_policy").with("id", id),
                CallImportError::BatchSize => AppError::new("recordings.batch_size"),
                CallImportError::Rejected(row) => {
                    AppError::new("recordings.strict").with("reason", row.words(language))
                }
            })
        });
        let report = result?;
        let rejected_file = file.finish().map_err(|e| AppError::io(&e))?;
        Ok(ImportSummary {
            imported: report.imported,
            already_there: report.already_there,
            repeated_in_file: report.repeated_in_file,
            rejected: report.rejected.len() as u64,
            rejected_rows: report.rejected.iter().take(LISTED_REJECTS).map(RowErrorView::from).collect(),
            rejected_file,
        })
    }

    /// Copies the last import's rejected rows to `dest`.
    pub fn write_rejected_calls(&self, dest: &Path) -> Result<(), AppError> {
        let source = self.extract_dir().map_err(|e| AppError::io(&e))?.join(REJECTED_FILE);
        let bytes = std::fs::read(&source).map_err(|_| AppError::new("recordings.no_rejected"))?;
        files::write_atomically(dest, &bytes, Existing::Replace).map_err(|e| AppError::write_file(dest, &e))
    }

    pub fn set_audio_folder(&self, folder: Option<&Path>) -> Result<(), AppError> {
        self.with_register_app(|r| r.set_audio_folder(folder).map_err(request_error))
    }

    fn audio_folder(&self) -> Result<Option<AudioFolder>, AppError> {
        let Some(path) = self.with_register(|r| r.audio_folder())? else { return Ok(None) };
        AudioFolder::new(&path).map(Some).map_err(|e| {
            AppError::new("recordings.audio_folder_missing").with("path", path.display()).with("detail", e)
        })
    }

    /// Marks the calls due today deleted and deletes their audio under the audio folder.
    pub fn sweep_recordings(&self, progress: &dyn Fn(u64)) -> Result<SweepSummary, AppError> {
        let today = self.organisation_today()?;
        let folder = self.audio_folder()?;
        let mut done = 0u64;
        let mut on_call = |_: &ropa_core::recordings::SweptCall<'_>| {
            done += 1;
            if done.is_multiple_of(500) {
                progress(done);
            }
        };
        let report = self.with_register(|r| r.sweep_recordings(today, Utc::now(), folder.as_ref(), &mut on_call))?;
        progress(done);
        Ok(SweepSummary {
            marked: report.marked,
            audio_deleted: report.audio_deleted,
            audio_missing: report.audio_missing,
            audio_external: report.audio_external,
            failed: failures(&report.failed),
        })
    }

    pub fn withdraw_consent(&self, form: WithdrawalForm) -> Result<WithdrawalSummary, AppError> {
        let folder = self.audio_folder()?;
        let now = Utc::now();
        let request = WithdrawalRequest {
            phone_or_reference: form.subject,
            withdrawn_at: form.withdrawn_at.unwrap_or(now),
            channel: form.channel,
            all_calls: form.all_calls,
        };
        let outcome =
            self.with_register_app(|r| r.withdraw_consent(&request, now, folder.as_ref()).map_err(request_error))?;
        let calls = outcome.receipt.as_ref().map(|r| r.calls.as_slice()).unwrap_or_default();
        let audio = |a: AudioOutcome| count(calls.iter().filter(|c| c.audio == Some(a)).count());
        Ok(WithdrawalSummary {
            receipt: outcome.receipt.as_ref().map(|r| r.id.clone()),
            deleted: count(calls.len()),
            audio_deleted: audio(AudioOutcome::Deleted),
            audio_external: audio(AudioOutcome::External),
            kept_on_legitimate_interest: outcome.kept_on_legitimate_interest,
            failed: failures(&outcome.failed),
        })
    }

    pub fn deletion_receipts(&self) -> Result<Vec<String>, AppError> {
        self.with_register(|r| r.deletion_receipts())
    }

    /// Writes the receipt `id` as PDF to `path`; returns the pages.
    pub fn write_deletion_receipt(&self, id: &str, language: Language, path: &Path) -> Result<u32, AppError> {
        let (receipt, content, head) =
            self.with_register(|r| Ok((r.deletion_receipt(id)?, r.content()?, r.chain_head()?)))?;
        let meta = ReportMeta::now(content.organisation.country, head, language);
        let pdf = ropa_pdf::deletion_receipt(&content, &receipt, &meta).map_err(pdf_error)?;
        files::write_atomically(path, &pdf.bytes, Existing::Replace).map_err(|e| AppError::write_file(path, &e))?;
        Ok(u32::try_from(pdf.pages).unwrap_or(u32::MAX))
    }

    /// Everything kept about a person's calls, written into the empty folder `dir`: the PDF and
    /// copies of the audio files found under the audio folder. Returns the summary and the
    /// PDF's path.
    pub fn write_access_extract(
        &self,
        subject: &str,
        language: Language,
        dir: &Path,
    ) -> Result<AccessSummary, AppError> {
        let folder = self.audio_folder()?;
        let (extract, content, head) = self.with_register_app(|r| {
            let extract = r.access_extract(subject).map_err(request_error)?;
            Ok((extract, r.content()?, r.chain_head()?))
        })?;
        if !files::empty_folder(dir).map_err(|e| AppError::write_file(dir, &e))? {
            return Err(AppError::new("out_dir_not_empty").with("path", dir.display()));
        }
        let audio = copy_extract_audio(folder.as_ref(), &extract, dir).map_err(|e| AppError::write_file(dir, &e))?;
        let meta = ReportMeta::now(content.organisation.country, head, language);
        let pdf = ropa_pdf::access_extract(&content, &extract, &audio, &meta).map_err(pdf_error)?;
        let pdf_path = dir.join(format!("{}.pdf", i18n::t0(language, "recordings.access.file_name")));
        files::write_atomically(&pdf_path, &pdf.bytes, Existing::Keep)
            .map_err(|e| AppError::write_file(&pdf_path, &e))?;
        Ok(AccessSummary {
            folder: dialog::display(dir),
            pdf: dialog::display(&pdf_path),
            calls: count(extract.calls.len()),
            copied: count(audio.iter().filter(|a| matches!(a, Some(AudioCopy::Copied(_)))).count()),
            external: count(audio.iter().filter(|a| matches!(a, Some(AudioCopy::External))).count()),
            opened: false,
        })
    }

    /// Where dialogs start: beside the register.
    fn register_folder(&self) -> Result<Option<PathBuf>, AppError> {
        self.with_register(|r| Ok(r.path().parent().map(Path::to_owned)))
    }
}

fn pdf_error(e: ropa_pdf::PdfError) -> AppError {
    AppError::new(&format!("pdf.{}", e.code())).with("detail", e.detail())
}

/// One page of the recordings list: `limit` calls (at most 500) from position `offset` of those
/// `query` selects, oldest first, and how many there are in all.
#[tauri::command]
#[specta::specta]
pub async fn call_page(
    state: State<'_, AppState>,
    query: CallListQuery,
    offset: u64,
    limit: u32,
) -> Result<CallPageView, AppError> {
    state.run(move |s| s.call_page(&query, offset, limit)).await
}

/// How many calls there are, are due for deletion today and are flagged; the audio folder.
#[tauri::command]
#[specta::specta]
pub async fn recordings_status(state: State<'_, AppState>) -> Result<RecordingsStatus, AppError> {
    state.run_quietly(|s| s.recordings_status()).await
}

#[tauri::command]
#[specta::specta]
pub async fn recording_policies(state: State<'_, AppState>) -> Result<Vec<PolicyForm>, AppError> {
    state.run(|s| s.recording_policies()).await
}

/// A new policy's issues without saving it (paths relative to the policy).
#[tauri::command]
#[specta::specta]
pub async fn check_recording_policy(
    state: State<'_, AppState>,
    policy: PolicyForm,
) -> Result<Vec<ropa_core::validation::Issue>, AppError> {
    state.run(move |s| s.check_recording_policy(policy)).await
}

/// Adds a policy; errors block it (`invalid` with the issues), warnings are returned.
#[tauri::command]
#[specta::specta]
pub async fn add_recording_policy(
    state: State<'_, AppState>,
    policy: PolicyForm,
) -> Result<Vec<ropa_core::validation::Issue>, AppError> {
    state.run(move |s| s.add_recording_policy(policy)).await
}

/// Asks for a call list (CSV) in the open dialog and reads its header. `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_call_list(
    window: tauri::Window,
    state: State<'_, AppState>,
) -> Result<Option<CallListFile>, AppError> {
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask { title: "dialog.call_list", save: false, file_name: None, directory, filter: Filter::Csv };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    state.allow(&dialog::display(&path));
    state.run(move |s| s.call_list_file(&path)).await.map(Some)
}

/// The first ten rows of the picked call list as the import will read them with `mapping`.
#[tauri::command]
#[specta::specta]
pub async fn preview_calls(
    state: State<'_, AppState>,
    path: String,
    mapping: MappingForm,
) -> Result<Vec<PreviewRow>, AppError> {
    state.run(move |s| s.preview_calls(&path, &mapping)).await
}

/// Asks for a mapping profile (TOML) in the open dialog and reads it. `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn load_mapping_profile(
    window: tauri::Window,
    state: State<'_, AppState>,
) -> Result<Option<MappingForm>, AppError> {
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask { title: "dialog.load_mapping", save: false, file_name: None, directory, filter: Filter::Toml };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| AppError::new("read_file").with("path", path.display()).with("detail", e))?;
    let mapping = Mapping::from_toml(&text).map_err(|e| match e {
        MappingError::Profile { detail } => {
            AppError::new("calls.profile").with("path", path.display()).with("detail", detail)
        }
        other => mapping_error(other),
    })?;
    Ok(Some(mapping.into()))
}

/// Asks where to save the mapping profile (TOML) and writes it. `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_mapping_profile(
    window: tauri::Window,
    state: State<'_, AppState>,
    mapping: MappingForm,
) -> Result<Option<String>, AppError> {
    mapping.mapping()?;
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask {
        title: "dialog.save_mapping",
        save: true,
        file_name: Some("mapping.toml".to_owned()),
        directory,
        filter: Filter::Toml,
    };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let path = dialog::with_given_extension(path, "toml");
    files::write_atomically(&path, mapping.to_toml().as_bytes(), Existing::Replace)
        .map_err(|e| AppError::write_file(&path, &e))?;
    Ok(Some(dialog::display(&path)))
}

/// Imports the picked call list with `mapping`; rows without a policy get `default_policy`.
/// `progress` hears the counts after each batch. With `strict`, the first bad row stops it and
/// nothing of the file is kept.
#[tauri::command]
#[specta::specta]
pub async fn import_calls(
    state: State<'_, AppState>,
    path: String,
    mapping: MappingForm,
    default_policy: Option<String>,
    strict: bool,
    language: Language,
    progress: Channel<ImportProgress>,
) -> Result<ImportSummary, AppError> {
    let send = move |p: ImportProgress| {
        // A closed channel only means the window stopped listening; the import goes on.
        let _ = progress.send(p);
    };
    state.run(move |s| s.import_calls(&path, &mapping, default_policy.as_deref(), strict, language, &send)).await
}

/// Asks where to save the last import's rejected rows (CSV) and writes them there.
#[tauri::command]
#[specta::specta]
pub async fn save_rejected_calls(
    window: tauri::Window,
    state: State<'_, AppState>,
) -> Result<Option<String>, AppError> {
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask {
        title: "dialog.save_rejected",
        save: true,
        file_name: Some(format!("{}.csv", i18n::t0(state.language(), "ui.recordings.import.rejected_file"))),
        directory,
        filter: Filter::Csv,
    };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let path = dialog::with_given_extension(path, "csv");
    let written = path.clone();
    state.run(move |s| s.write_rejected_calls(&written)).await?;
    Ok(Some(dialog::display(&path)))
}

/// Asks for the folder the phone system's audio files are in and sets it. `null` when
/// cancelled; the folder set otherwise.
#[tauri::command]
#[specta::specta]
pub async fn choose_audio_folder(
    window: tauri::Window,
    state: State<'_, AppState>,
) -> Result<Option<String>, AppError> {
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask { title: "dialog.audio_folder", save: false, file_name: None, directory, filter: Filter::Folder };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let set = path.clone();
    state.run(move |s| s.set_audio_folder(Some(&set))).await?;
    Ok(Some(dialog::display(&path)))
}

/// Sets no audio folder: audio is then always the phone system's to delete.
#[tauri::command]
#[specta::specta]
pub async fn clear_audio_folder(state: State<'_, AppState>) -> Result<(), AppError> {
    state.run(|s| s.set_audio_folder(None)).await
}

/// The retention sweep: every kept call past its delete-by day is marked deleted and its audio
/// file under the audio folder deleted. `progress` hears how many calls were handled.
#[tauri::command]
#[specta::specta]
pub async fn sweep_recordings(state: State<'_, AppState>, progress: Channel<u64>) -> Result<SweepSummary, AppError> {
    let send = move |n: u64| {
        let _ = progress.send(n);
    };
    state.run(move |s| s.sweep_recordings(&send)).await
}

/// Records a withdrawal of consent: the person's calls recorded on consent (with `all_calls`,
/// all of theirs) are deleted at once and a receipt is issued.
#[tauri::command]
#[specta::specta]
pub async fn withdraw_consent(state: State<'_, AppState>, form: WithdrawalForm) -> Result<WithdrawalSummary, AppError> {
    state.run(move |s| s.withdraw_consent(form)).await
}

/// The numbers of every deletion receipt, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn deletion_receipts(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state.run(|s| s.deletion_receipts()).await
}

/// Asks where to save the deletion receipt `id` (PDF), writes it and, when `open`, opens it.
#[tauri::command]
#[specta::specta]
pub async fn save_deletion_receipt(
    window: tauri::Window,
    state: State<'_, AppState>,
    id: String,
    language: Language,
    open: bool,
) -> Result<Option<SavedReport>, AppError> {
    let directory = state.run(|s| s.register_folder()).await?;
    let title = i18n::t0(language, "report.receipt.title");
    let ask = Ask {
        title: "dialog.save_report",
        save: true,
        file_name: Some(format!("{title} {id}.pdf")),
        directory,
        filter: Filter::Pdf,
    };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let path = dialog::with_given_extension(path, "pdf");
    let written = path.clone();
    let pages = state.run(move |s| s.write_deletion_receipt(&id, language, &written)).await?;
    let opened = open && viewer::open(&path);
    Ok(Some(SavedReport { path: dialog::display(&path), pages, opened }))
}

/// An access request: asks for an empty folder and writes into it the PDF of everything kept
/// about the person's calls and copies of their audio files; then opens the PDF.
#[tauri::command]
#[specta::specta]
pub async fn access_request(
    window: tauri::Window,
    state: State<'_, AppState>,
    subject: String,
    language: Language,
) -> Result<Option<AccessSummary>, AppError> {
    // Refuses before the dialog when there is nothing to extract.
    let probe = subject.clone();
    state.run(move |s| s.with_register_app(|r| r.access_extract(&probe).map(|_| ()).map_err(request_error))).await?;
    let directory = state.run(|s| s.register_folder()).await?;
    let ask = Ask { title: "dialog.access_folder", save: false, file_name: None, directory, filter: Filter::Folder };
    let Some(dir) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let mut summary = state.run(move |s| s.write_access_extract(&subject, language, &dir)).await?;
    summary.opened = viewer::open(Path::new(&summary.pdf));
    Ok(Some(summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ropa_core::call_import::CallField;

    #[test]
    fn a_mapping_form_round_trips_through_toml() {
        let mut form = MappingForm::default();
        for (field, column) in
            [("call_id", "Opkalds-ID"), ("start", "Start \"tid\""), ("direction", "Retning"), ("phone", "Tlf")]
        {
            form.columns.insert(field.to_owned(), column.to_owned());
        }
        form.columns.insert("agent".to_owned(), " ".to_owned());
        form.words.inbound = vec!["Indgående".to_owned(), String::new()];
        let mapping = form.mapping().expect("mapping");
        assert_eq!(mapping.columns.get(&CallField::Start).map(String::as_str), Some("Start \"tid\""));
        assert!(!mapping.columns.contains_key(&CallField::Agent), "an empty column is left out");
        let back = MappingForm::from(mapping);
        assert_eq!(back.words.inbound, ["Indgående"]);
        assert_eq!(back.columns.len(), 4);
        form.columns.remove("phone");
        assert_eq!(form.mapping().expect_err("incomplete").code, "calls.field_unmapped");
    }
}
