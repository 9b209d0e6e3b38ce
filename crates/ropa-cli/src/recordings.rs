//! `ropa recordings …`: recording policies, the import of a phone system's call list, and the
//! recorded calls by what is due, what is flagged, or a phone number or customer reference. What
//! a policy may be saved with and how a row is read is ropa-core's to decide; this module reads
//! arguments, shows progress and prints.

use crate::output::{Failure, Out};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use ropa_core::Register;
use ropa_core::call_import::{self, CallReader, Mapping, MappingError, RowError, formula_safe};
use ropa_core::recordings::*;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
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
        /// The policy of rows without a policy column or with it empty.
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
}

impl RecordingsCommand {
    pub fn file(&self) -> &Path {
        match self {
            RecordingsCommand::PolicyAdd { file, .. }
            | RecordingsCommand::Import { file, .. }
            | RecordingsCommand::List { file, .. }
            | RecordingsCommand::Find { file, .. } => file,
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

/// Why a row was rejected, in words: line, field and rule, never the cell's value.
fn reason(out: &Out, e: &RowError) -> String {
    let detail = match &e.problem {
        call_import::RowProblem::Unreadable { detail } => detail.clone(),
        _ => String::new(),
    };
    out.words(
        e.problem.code(),
        &[
            ("line", e.line.to_string()),
            ("field", e.field.map(|f| f.name().to_owned()).unwrap_or_default()),
            ("detail", detail),
        ],
    )
}

/// One CSV line, `;`-separated as Danish and Norwegian spreadsheets expect, every cell quoted
/// and passed through [`formula_safe`].
fn csv_line(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> =
        cells.into_iter().map(|c| format!("\"{}\"", formula_safe(&c).replace('"', "\"\""))).collect();
    format!("{}\r\n", cells.join(";"))
}

/// The file of rejected rows, created at the first one (UTF-8 with a byte-order mark, so that
/// a spreadsheet reads it as such).
struct RejectedFile<'a> {
    path: &'a Path,
    writer: Option<BufWriter<File>>,
    error: Option<std::io::Error>,
}

impl RejectedFile<'_> {
    fn write(&mut self, out: &Out, e: &RowError, cells: &[String]) {
        if self.error.is_some() {
            return;
        }
        let result = (|| {
            if self.writer.is_none() {
                let mut writer = BufWriter::new(File::create(self.path)?);
                writer.write_all(b"\xEF\xBB\xBF")?;
                let header = [out.text("recordings.rejected.line"), out.text("recordings.rejected.reason")];
                writer.write_all(csv_line(header).as_bytes())?;
                self.writer = Some(writer);
            }
            let row = [e.line.to_string(), reason(out, e)].into_iter().chain(cells.iter().cloned());
            match self.writer.as_mut() {
                Some(writer) => writer.write_all(csv_line(row).as_bytes()),
                None => Ok(()),
            }
        })();
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    fn finish(self) -> Result<bool, std::io::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.writer {
            Some(mut writer) => {
                writer.flush()?;
                writer.get_ref().sync_all()?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

fn import_failure(out: &Out, e: CallImportError) -> Failure {
    match e {
        CallImportError::Store(e) => Failure::Store(e),
        CallImportError::UnknownPolicy { id } => Failure::Message("error.recordings.unknown_policy", vec![("id", id)]),
        CallImportError::BatchSize => Failure::Message("error.recordings.batch_size", vec![]),
        CallImportError::Rejected(row) => {
            Failure::Message("error.recordings.strict", vec![("reason", reason(out, &row))])
        }
    }
}

/// A spinner with the rows read and the rate, on stderr; hidden when stdout is not a terminal.
fn progress_bar(out: &Out) -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let template = format!("{{spinner}} {{pos}} {} ({{per_sec}})", out.text("recordings.progress_rows"));
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Runs one `recordings` command on an open register.
pub fn run(out: &Out, mut register: Register, command: RecordingsCommand) -> Result<(), Failure> {
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
            let mut on_progress = |p: CallImportProgress| bar.set_position(p.read);
            let mut rejected_file = rejected.as_deref().map(|path| RejectedFile { path, writer: None, error: None });
            let mut on_rejected = |e: &RowError, cells: &[String]| {
                if let Some(file) = rejected_file.as_mut() {
                    file.write(out, e, cells);
                }
            };
            let options = CallImportOptions {
                strict,
                batch_size: DEFAULT_BATCH,
                progress: Some(&mut on_progress),
                rejected: Some(&mut on_rejected),
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
                    eprintln!("  {}", reason(out, e));
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
    }
    Ok(())
}
