//! `ropa recordings …`: recording policies, the import of a phone system's call list, the
//! recorded calls by what is due, what is flagged, or a phone number or customer reference, and
//! what is done with them: the retention sweep, a withdrawal of consent with its receipt, and an
//! access extract. What a policy may be saved with, how a row is read and which files may be
//! deleted is ropa-core's to decide; this module reads arguments, shows progress and prints.

use crate::output::{Failure, Out};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use ropa_core::Register;
use ropa_core::call_import::{self, CallReader, Mapping, MappingError, RowError, SpreadsheetCsv};
use ropa_core::recordings::*;
use ropa_core::vocab::Language;
use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum RecordingsCommand {
    /// Add a recording policy: why calls are recorded, on what legal basis, and how many months
    /// a recording is kept from the day of the call (default: 16 for inbound calls, 6 for
    /// outbound).
    PolicyAdd {
        file: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        purpose: PurposeArg,
        #[arg(long, value_enum)]
        basis: BasisArg,
        #[arg(long, value_enum)]
        direction: DirectionArg,
        #[arg(long)]
        months: Option<u32>,
        /// The processor that makes the recordings, by id.
        #[arg(long, value_name = "ID")]
        processor: Option<String>,
    },
    /// Import a phone system's call list (CSV; `;` or `,`; UTF-8 or Windows-1252). Calls already
    /// in the register are not imported again. Without --strict, bad rows are skipped and
    /// reported; with --strict, the first bad row stops the import and nothing of the file is
    /// kept.
    Import {
        file: PathBuf,
        /// The call list.
        calls: PathBuf,
        /// Which column holds what (TOML).
        #[arg(long, value_name = "TOML")]
        mapping: PathBuf,
        /// The policy of rows without a policy column or with it empty. A row in the other
        /// direction than its policy's is rejected: import a list of both directions once with
        /// each direction's policy.
        #[arg(long, value_name = "ID")]
        policy: Option<String>,
        #[arg(long)]
        strict: bool,
        /// Write the rejected rows here (CSV), with line number and reason.
        #[arg(long, value_name = "CSV")]
        rejected: Option<PathBuf>,
    },
    /// List the recorded calls, oldest first.
    List {
        file: PathBuf,
        /// Only kept calls whose delete-by day has come.
        #[arg(long)]
        due: bool,
        /// Only calls whose policy needs consent they do not have.
        #[arg(long)]
        flagged: bool,
    },
    /// Find the calls of a phone number (local or +45/+47 form) or a customer reference.
    Find {
        file: PathBuf,
        #[arg(value_name = "PHONE_OR_REFERENCE")]
        query: String,
    },
    /// Show or set the folder the phone system's audio files are in. Audio files are deleted
    /// (sweep, withdraw) and copied (access) only under it, never outside.
    AudioFolder {
        file: PathBuf,
        /// The folder to set; without it, the folder set is shown.
        folder: Option<PathBuf>,
        /// Set no folder: audio is then always the phone system's to delete.
        #[arg(long, conflicts_with = "folder")]
        clear: bool,
    },
    /// The retention sweep: how many recordings are past their delete-by day; with
    /// --mark-deleted, their audio files under the audio folder are deleted and the calls are
    /// marked deleted, keeping only the call id, times and reason.
    Sweep {
        file: PathBuf,
        /// Delete: without it, only the count is shown.
        #[arg(long)]
        mark_deleted: bool,
        /// Use this audio folder instead of the one set in the register.
        #[arg(long, value_name = "DIR")]
        audio_folder: Option<PathBuf>,
        /// Write one line per call handled (CSV: call id, delete-by day, audio).
        #[arg(long, value_name = "CSV")]
        report: Option<PathBuf>,
    },
    /// Record that a person withdrew consent: their calls recorded on consent (with --all,
    /// every call of theirs) are deleted at once, audio under the audio folder included, and a
    /// receipt is issued.
    Withdraw {
        file: PathBuf,
        #[arg(value_name = "PHONE_OR_REFERENCE")]
        subject: String,
        /// How the person withdrew consent.
        #[arg(long, value_enum)]
        channel: ChannelArg,
        /// When the person withdrew consent (default: now), on the organisation's clock.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Also delete the calls recorded on legitimate interest (an erasure request).
        #[arg(long)]
        all: bool,
        /// Use this audio folder instead of the one set in the register.
        #[arg(long, value_name = "DIR")]
        audio_folder: Option<PathBuf>,
        /// Write the deletion receipt (PDF) here.
        #[arg(long, value_name = "PDF")]
        receipt: Option<PathBuf>,
        /// Replace the file at --receipt if there is one.
        #[arg(long)]
        force: bool,
    },
    /// Write the deletion receipt of an earlier withdrawal again.
    Receipt {
        file: PathBuf,
        /// The receipt number (e.g. 2026-0001).
        id: String,
        #[arg(long, value_name = "PDF")]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// An access request: everything kept about a person's recorded calls, as a PDF in a new
    /// folder with copies of the audio files found under the audio folder.
    Access {
        file: PathBuf,
        #[arg(value_name = "PHONE_OR_REFERENCE")]
        subject: String,
        /// A folder to create (or an empty one) for the extract and the audio copies.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Use this audio folder instead of the one set in the register.
        #[arg(long, value_name = "DIR")]
        audio_folder: Option<PathBuf>,
    },
}

impl RecordingsCommand {
    pub fn file(&self) -> &Path {
        match self {
            RecordingsCommand::PolicyAdd { file, .. }
            | RecordingsCommand::Import { file, .. }
            | RecordingsCommand::List { file, .. }
            | RecordingsCommand::Find { file, .. }
            | RecordingsCommand::AudioFolder { file, .. }
            | RecordingsCommand::Sweep { file, .. }
            | RecordingsCommand::Withdraw { file, .. }
            | RecordingsCommand::Receipt { file, .. }
            | RecordingsCommand::Access { file, .. } => file,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PurposeArg {
    Documentation,
    Quality,
    Training,
    Other,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BasisArg {
    Consent,
    LegitimateInterest,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChannelArg {
    Phone,
    Email,
    Letter,
    InPerson,
    Web,
    Other,
}

impl From<ChannelArg> for WithdrawalChannel {
    fn from(arg: ChannelArg) -> Self {
        match arg {
            ChannelArg::Phone => WithdrawalChannel::Phone,
            ChannelArg::Email => WithdrawalChannel::Email,
            ChannelArg::Letter => WithdrawalChannel::Letter,
            ChannelArg::InPerson => WithdrawalChannel::InPerson,
            ChannelArg::Web => WithdrawalChannel::Web,
            ChannelArg::Other => WithdrawalChannel::Other,
        }
    }
}

/// A call-list or mapping problem in the catalog's words.
fn open_failure(calls: &Path, mapping: &Path, e: call_import::OpenError) -> Failure {
    match e {
        call_import::OpenError::Io(e) => Failure::read(calls, e),
        call_import::OpenError::Empty => {
            Failure::Message("error.calls.empty", vec![("path", calls.display().to_string())])
        }
        call_import::OpenError::Header(detail) => {
            Failure::Message("error.calls.header", vec![("path", calls.display().to_string()), ("detail", detail)])
        }
        call_import::OpenError::Mapping(e) => mapping_failure(mapping, e),
    }
}

fn mapping_failure(mapping: &Path, e: MappingError) -> Failure {
    match e {
        MappingError::Profile { detail } => {
            Failure::Message("error.calls.profile", vec![("path", mapping.display().to_string()), ("detail", detail)])
        }
        MappingError::FieldUnmapped { field } => {
            Failure::Message("error.calls.field_unmapped", vec![("field", field.to_owned())])
        }
        MappingError::ColumnMissing { field, column } => {
            Failure::Message("error.calls.column_missing", vec![("field", field.to_owned()), ("column", column)])
        }
        MappingError::ColumnTwice { column } => Failure::Message("error.calls.column_twice", vec![("column", column)]),
    }
}

fn import_failure(out: &Out, e: CallImportError) -> Failure {
    match e {
        CallImportError::Store(e) => Failure::Store(e),
        CallImportError::UnknownPolicy { id } => Failure::Message("error.recordings.unknown_policy", vec![("id", id)]),
        CallImportError::BatchSize => Failure::Message("error.recordings.batch_size", vec![]),
        CallImportError::Rejected(row) => {
            Failure::Message("error.recordings.strict", vec![("reason", row.words(out.language()))])
        }
    }
}

/// A spinner with the rows read and the rate, on stderr; hidden when stdout is not a terminal.
fn progress_bar(out: &Out) -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let template = format!("{{spinner}} {{pos}} {} ({{per_sec}}) {{msg}}", out.text("recordings.progress_rows"));
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn request_failure(e: CallRequestError) -> Failure {
    match e {
        CallRequestError::Store(e) => Failure::Store(e),
        CallRequestError::NoCalls => Failure::Message("error.recordings.no_calls", vec![]),
        CallRequestError::AudioFolder => Failure::Message("error.recordings.audio_folder", vec![]),
    }
}

/// The audio folder of a command: `--audio-folder`, else the register's, else none.
fn audio_folder(register: &Register, given: Option<PathBuf>) -> Result<Option<AudioFolder>, Failure> {
    let Some(path) = given.or(register.audio_folder()?) else { return Ok(None) };
    AudioFolder::new(&path).map(Some).map_err(|e| {
        Failure::Message(
            "error.recordings.audio_folder_missing",
            vec![("path", path.display().to_string()), ("detail", e.to_string())],
        )
    })
}

/// The words for what became of a call's audio.
fn audio_words(out: &Out, audio: Option<AudioOutcome>) -> String {
    match audio {
        Some(a) => out.text(&format!("recordings.audio.{}", a.as_str())),
        None => out.text("recordings.audio.no_reference"),
    }
}

/// Tells of calls whose audio file could not be deleted (they stay kept), on stderr; an error
/// when there were any, so that a script notices.
fn failures(out: &Out, failed: &[AudioFailure]) -> Result<(), Failure> {
    for f in failed {
        eprintln!(
            "  {}",
            out.words("cli.audio_not_deleted", &[("call", f.call_id.clone()), ("detail", f.error.clone())])
        );
    }
    match failed.len() {
        0 => Ok(()),
        n => Err(Failure::Message("error.recordings.audio_failed", vec![("count", n.to_string())])),
    }
}

/// Runs one `recordings` command on an open register; PDFs are in `language`, else the
/// organisation's.
pub fn run(
    out: &Out,
    mut register: Register,
    command: RecordingsCommand,
    language: Option<Language>,
) -> Result<(), Failure> {
    match command {
        RecordingsCommand::PolicyAdd { id, name, purpose, basis, direction, months, processor, .. } => {
            let preset = match direction {
                DirectionArg::Inbound => RecordingPolicy::inbound_customer_service(id, name),
                DirectionArg::Outbound => RecordingPolicy::outbound_sales(id, name),
            };
            let policy = RecordingPolicy {
                purpose: match purpose {
                    PurposeArg::Documentation => RecordingPurpose::Documentation,
                    PurposeArg::Quality => RecordingPurpose::Quality,
                    PurposeArg::Training => RecordingPurpose::Training,
                    PurposeArg::Other => RecordingPurpose::Other,
                },
                basis: match basis {
                    BasisArg::Consent => RecordingBasis::Consent,
                    BasisArg::LegitimateInterest => RecordingBasis::LegitimateInterest,
                },
                retention_months: months.unwrap_or(preset.retention_months),
                processor_id: processor,
                ..preset
            };
            let warnings = register.add_recording_policy(&policy)?;
            register.close()?;
            out.issues_as_warnings(&warnings);
            out.say(
                "cli.recording_policy_added",
                &[("id", policy.id), ("months", policy.retention_months.to_string())],
            );
        }
        RecordingsCommand::Import { calls, mapping, policy, strict, rejected, .. } => {
            let profile = std::fs::read_to_string(&mapping).map_err(|e| Failure::read(&mapping, e))?;
            let profile = Mapping::from_toml(&profile).map_err(|e| mapping_failure(&mapping, e))?;
            let source = File::open(&calls).map_err(|e| Failure::read(&calls, e))?;
            let country = register.organisation()?.country;
            let reader = CallReader::new(source, profile, country).map_err(|e| open_failure(&calls, &mapping, e))?;
            let bar = progress_bar(out);
            let indexing = out.text("recordings.progress_indexing");
            let mut on_progress = |p: CallImportProgress| {
                bar.set_position(p.read);
                if p.indexing {
                    bar.set_message(indexing.clone());
                }
            };
            let header = vec![out.text("recordings.rejected.line"), out.text("recordings.rejected.reason")];
            let mut rejected_file = rejected.as_deref().map(|path| SpreadsheetCsv::new(path, header));
            let mut on_rejected = |e: &RowError, cells: &[String]| {
                if let Some(file) = rejected_file.as_mut() {
                    file.line([e.line.to_string(), e.words(out.language())].into_iter().chain(cells.iter().cloned()));
                }
            };
            let options = CallImportOptions {
                strict,
                progress: Some(&mut on_progress),
                rejected: Some(&mut on_rejected),
                ..CallImportOptions::default()
            };
            let result = register.import_calls(reader, policy.as_deref(), options);
            bar.finish_and_clear();
            let report = result.map_err(|e| import_failure(out, e))?;
            register.close()?;
            out.say(
                "cli.calls_imported",
                &[
                    ("imported", report.imported.to_string()),
                    ("already", (report.already_there + report.repeated_in_file).to_string()),
                    ("rejected", report.rejected.len().to_string()),
                ],
            );
            if let (Some(file), Some(path)) = (rejected_file, rejected.as_ref()) {
                match file.finish() {
                    Ok(true) => out.say("cli.calls_rejected_written", &[("path", path.display().to_string())]),
                    Ok(false) => {}
                    Err(e) => return Err(Failure::write(path, e)),
                }
            }
            // Without a file for them, the reasons go to stderr (line and rule, no values).
            if rejected.is_none() {
                for e in &report.rejected {
                    eprintln!("  {}", e.words(out.language()));
                }
            }
        }
        RecordingsCommand::List { due, flagged, .. } => {
            let country = register.organisation()?.country;
            let today = ropa_core::deadlines::local_date(chrono::Utc::now(), country);
            let filter = CallFilter { due_on: if due { today } else { None }, flagged };
            let calls = register.recorded_calls(filter)?;
            register.close()?;
            out.call_table(&calls, country);
        }
        RecordingsCommand::Find { query, .. } => {
            let country = register.organisation()?.country;
            let calls = register.find_calls(&query)?;
            register.close()?;
            out.call_table(&calls, country);
        }
        RecordingsCommand::AudioFolder { folder, clear, .. } => {
            if folder.is_some() || clear {
                register.set_audio_folder(folder.as_deref()).map_err(request_failure)?;
            }
            let folder = register.audio_folder()?;
            register.close()?;
            match folder {
                Some(path) => out.say("cli.audio_folder", &[("path", path.display().to_string())]),
                None => out.say("cli.audio_folder_none", &[]),
            }
        }
        RecordingsCommand::Sweep { mark_deleted, audio_folder: given, report, .. } => {
            let country = register.organisation()?.country;
            let now = chrono::Utc::now();
            let Some(today) = ropa_core::deadlines::local_date(now, country) else {
                return Err(Failure::Message("error.internal", vec![]));
            };
            let due = register.due_call_count(today)?;
            if !mark_deleted {
                register.close()?;
                out.say("cli.sweep_due", &[("count", due.to_string())]);
                return Ok(());
            }
            let folder = audio_folder(&register, given)?;
            let mut lines = match report.as_deref() {
                Some(path) => {
                    let header = ["call", "delete_by", "audio"].map(|c| out.text(&format!("cli.column.{c}"))).to_vec();
                    let mut file = SpreadsheetCsv::new(path, header);
                    file.touch().map_err(|e| Failure::write(path, e))?;
                    Some(file)
                }
                None => None,
            };
            let bar = progress_bar(out);
            let mut on_call = |call: &SweptCall<'_>| {
                bar.inc(1);
                if let Some(file) = lines.as_mut() {
                    let audio = match call.audio {
                        Ok(audio) => audio_words(out, audio),
                        Err(f) => out.words(
                            "cli.audio_not_deleted",
                            &[("call", f.call_id.clone()), ("detail", f.error.clone())],
                        ),
                    };
                    file.line([call.call_id.to_owned(), call.delete_by.to_string(), audio]);
                }
            };
            let result = register.sweep_recordings(today, now, folder.as_ref(), &mut on_call);
            bar.finish_and_clear();
            let swept = result?;
            register.close()?;
            if let (Some(file), Some(path)) = (lines, report.as_ref()) {
                file.finish().map_err(|e| Failure::write(path, e))?;
            }
            out.say(
                "cli.swept",
                &[
                    ("marked", swept.marked.to_string()),
                    ("deleted", swept.audio_deleted.to_string()),
                    ("missing", swept.audio_missing.to_string()),
                    ("external", swept.audio_external.to_string()),
                ],
            );
            failures(out, &swept.failed)?;
        }
        RecordingsCommand::Withdraw { subject, channel, at, all, audio_folder: given, receipt, force, .. } => {
            if let Some(path) = &receipt {
                crate::report::check_destination(path, force)?;
            }
            let country = register.organisation()?.country;
            let now = chrono::Utc::now();
            let withdrawn_at = at.map(|t| crate::breaches::time(&t, country)).transpose()?.unwrap_or(now);
            let folder = audio_folder(&register, given)?;
            let request = WithdrawalRequest {
                phone_or_reference: subject,
                withdrawn_at,
                channel: channel.into(),
                all_calls: all,
            };
            let outcome = register.withdraw_consent(&request, now, folder.as_ref()).map_err(request_failure)?;
            let content = register.content()?;
            let chain_head = register.chain_head()?;
            register.close()?;
            match &outcome.receipt {
                Some(r) => {
                    out.say("cli.withdrawn", &[("count", r.calls.len().to_string()), ("id", r.id.clone())]);
                    for call in &r.calls {
                        println!("  {}  {}", call.call_id, audio_words(out, call.audio));
                    }
                }
                None => out.say("cli.withdrawn_none", &[]),
            }
            if outcome.kept_on_legitimate_interest > 0 {
                out.say("cli.withdraw_kept", &[("count", outcome.kept_on_legitimate_interest.to_string())]);
            }
            if let (Some(r), Some(path)) = (&outcome.receipt, &receipt) {
                let meta = crate::report::meta(&content, chain_head, language);
                let pdf = ropa_pdf::deletion_receipt(&content, r, &meta).map_err(Failure::Pdf)?;
                let pages = crate::report::save(&pdf, path, force)?;
                out.say("cli.report_written", &[("path", path.display().to_string()), ("count", pages.to_string())]);
            }
            failures(out, &outcome.failed)?;
        }
        RecordingsCommand::Receipt { id, out: path, force, .. } => {
            crate::report::check_destination(&path, force)?;
            let receipt = register.deletion_receipt(&id)?;
            let content = register.content()?;
            let chain_head = register.chain_head()?;
            register.close()?;
            let meta = crate::report::meta(&content, chain_head, language);
            let pdf = ropa_pdf::deletion_receipt(&content, &receipt, &meta).map_err(Failure::Pdf)?;
            let pages = crate::report::save(&pdf, &path, force)?;
            out.say("cli.report_written", &[("path", path.display().to_string()), ("count", pages.to_string())]);
        }
        RecordingsCommand::Access { subject, out: dir, audio_folder: given, .. } => {
            let folder = audio_folder(&register, given)?;
            let extract = register.access_extract(&subject).map_err(request_failure)?;
            let content = register.content()?;
            let chain_head = register.chain_head()?;
            register.close()?;
            match ropa_core::files::empty_folder(&dir) {
                Ok(true) => {}
                Ok(false) => {
                    return Err(Failure::Message("error.out_dir_not_empty", vec![("path", dir.display().to_string())]));
                }
                Err(e) => return Err(Failure::write(&dir, e)),
            }
            let audio = copy_extract_audio(folder.as_ref(), &extract, &dir).map_err(|e| Failure::write(&dir, e))?;
            let meta = crate::report::meta(&content, chain_head, language);
            let pdf = ropa_pdf::access_extract(&content, &extract, &audio, &meta).map_err(Failure::Pdf)?;
            let name = format!("{}.pdf", out.text("recordings.access.file_name"));
            crate::report::save(&pdf, &dir.join(name), false)?;
            let copied = audio.iter().filter(|a| matches!(a, Some(AudioCopy::Copied(_)))).count();
            out.say(
                "cli.access_written",
                &[
                    ("count", extract.calls.len().to_string()),
                    ("copied", copied.to_string()),
                    ("path", dir.display().to_string()),
                ],
            );
        }
    }
    Ok(())
}
