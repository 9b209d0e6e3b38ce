//! `ropa`, the command-line tool: everything the register holds, without a window. It is a thin
//! shell over ropa-core: it parses arguments, gets the passphrase, calls one core function and
//! prints the result (or the error) in the user's language.
//!
//! Exit codes: 0 success, 1 failure (a one-line message on stderr, details below it), 2 wrong
//! usage.

mod breaches;
mod output;
mod passphrase;
mod processors;
mod recordings;
mod report;
mod settings;

use clap::{Parser, Subcommand, ValueEnum};
use output::Out;
use ropa_core::interchange;
use ropa_core::processing_register::Organisation;
use ropa_core::vocab::{Country, Language};
use ropa_core::{ChainHeads, Register};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "ropa",
    version,
    about = "GDPR records (record of processing activities) in an encrypted register file"
)]
#[command(
    after_help = "The passphrase is read from ROPA_PASSPHRASE, from --passphrase-file, or asked for on the terminal; never from an argument."
)]
struct Cli {
    /// Language of messages and reports (da, nb, en). Default for messages: from LC_ALL /
    /// LC_MESSAGES / LANG, else Danish; for reports: the organisation's language.
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    /// Read the passphrase from this file (its first line).
    #[arg(long, global = true, value_name = "PATH")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Lang {
    Da,
    Nb,
    En,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Da => Language::Danish,
            Lang::Nb => Language::NorwegianBokmal,
            Lang::En => Language::English,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CountryArg {
    Dk,
    No,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new, empty register file.
    Init {
        /// Where to create the register (must not exist).
        file: PathBuf,
        /// The organisation's name.
        #[arg(long)]
        name: String,
        /// The organisation's country: dk or no.
        #[arg(long, value_enum)]
        country: CountryArg,
        /// CVR number (DK) or organisasjonsnummer (NO).
        #[arg(long, default_value = "")]
        business_id: String,
        /// Language of the register's reports. Default: Danish for DK, bokmål for NO.
        #[arg(long, value_enum)]
        language: Option<Lang>,
    },
    /// Import a register from interchange JSON (all or nothing).
    Import {
        file: PathBuf,
        /// The JSON file to read.
        #[arg(long, value_name = "JSON")]
        from: PathBuf,
        /// Replace what the register already holds.
        #[arg(long)]
        replace: bool,
    },
    /// Export the whole register as interchange JSON.
    Export {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Processing activities.
    Activities {
        #[command(subcommand)]
        command: ActivitiesCommand,
    },
    /// The breach log (Art. 33(5)): record, list, show, assess, notify Datatilsynet, close. Times are
    /// ISO 8601 with an offset (2026-03-27T16:00+01:00) or the organisation's wall-clock time
    /// (2026-03-27 16:00, Europe/Copenhagen or Europe/Oslo).
    Breaches {
        #[command(subcommand)]
        command: breaches::BreachesCommand,
    },
    /// Processors (Art. 28): list, show, add, update, and their deadlines.
    Processors {
        #[command(subcommand)]
        command: processors::ProcessorsCommand,
    },
    /// Data processing agreements: store the signed document in the register, or write it out.
    Agreements {
        #[command(subcommand)]
        command: processors::AgreementsCommand,
    },
    /// The audit reports of supervisions (da tilsyn, nb oppfølging): store one in the register,
    /// or write it out.
    Supervisions {
        #[command(subcommand)]
        command: processors::SupervisionsCommand,
    },
    /// Settings on this computer, shared with the app: the EEA and adequacy country lists.
    Settings {
        #[command(subcommand)]
        command: settings::SettingsCommand,
    },
    /// Recorded phone calls and their consents: recording policies, the import of a phone
    /// system's call list, and the calls that are due for deletion, flagged, or someone's.
    Recordings {
        #[command(subcommand)]
        command: recordings::RecordingsCommand,
    },
    /// Every open deadline in the register (breach notices, answers to outside reporters,
    /// reviews), soonest first, with the time left, in the organisation's time zone.
    Deadlines {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check the file's integrity, its encryption MACs and the change log's chain.
    Verify {
        file: PathBuf,
        /// Accept the file's change log as the known state on this computer (after restoring a
        /// backup on purpose).
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the change log, newest first.
    Log {
        file: PathBuf,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase. The new one comes from ROPA_NEW_PASSPHRASE,
    /// --new-passphrase-file, or is asked for twice on the terminal.
    Passphrase {
        file: PathBuf,
        #[arg(long, value_name = "PATH")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Write an encrypted backup that opens with the same passphrase.
    Backup {
        file: PathBuf,
        /// Where to write the backup (must not exist).
        dest: PathBuf,
    },
    /// Print the JSON Schema of the interchange format.
    Schema,
    /// Write a report as PDF, in the language given with --lang (default: the organisation's).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The record of processing activities as controller (Art. 30(1)).
    Register {
        file: PathBuf,
        #[command(flatten)]
        out: ReportOut,
    },
    /// The record of processing activities as processor (Art. 30(2)), per controller.
    ProcessorRecord {
        file: PathBuf,
        #[command(flatten)]
        out: ReportOut,
    },
    /// The processors overview (Art. 28): what needs doing (agreements missing or ending within
    /// 60 days, supervision due), then every processor with its agreement, the Art. 28(3)
    /// checklist, sub-processors and supervision.
    Processors {
        file: PathBuf,
        #[command(flatten)]
        out: ReportOut,
    },
    /// The notification of one breach to the supervisory authority (Art. 33), in the order of
    /// Datatilsynet's form (da: virk.dk, nb: the avviksmelding in Altinn), with the 72-hour
    /// deadline and every notice with its case number.
    Breach {
        file: PathBuf,
        /// The breach's id (see `ropa breaches list`).
        id: String,
        #[command(flatten)]
        out: ReportOut,
    },
    /// The breach log (Art. 33(5)) for a period: every breach, notified or not, with the risk
    /// decision and its reasons. A breach belongs to the day the organisation became aware of it.
    BreachLog {
        file: PathBuf,
        /// First day of the period (2026-01-01), in the organisation's time zone.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day of the period, included.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[command(flatten)]
        out: ReportOut,
    },
}

#[derive(Debug, clap::Args)]
struct ReportOut {
    /// Where to write the PDF.
    #[arg(long, value_name = "PDF")]
    out: PathBuf,
    /// Replace the file at --out if there is one.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Subcommand)]
enum ActivitiesCommand {
    /// List the processing activities.
    List {
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one activity as JSON.
    Show { file: PathBuf, id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let language = cli.lang.map(Language::from).unwrap_or_else(ropa_core::i18n::language_from_env);
    let out = Out::new(language);
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.report(&failure);
            ExitCode::FAILURE
        }
    }
}

fn open(out: &Out, cli_passphrase: &Option<PathBuf>, file: &std::path::Path) -> Result<Register, output::Failure> {
    let passphrase = passphrase::existing(out, cli_passphrase.as_deref())?;
    let mut register = Register::open(file, &passphrase, ChainHeads::user_default()).map_err(output::Failure::from)?;
    register.set_country_lists(ropa_core::country_lists::CountryListsStore::user_default().lists());
    if let Some(warning) = register.rollback_warning() {
        out.rollback_warning(warning);
    }
    Ok(register)
}

/// An Art. 30 report of the register in `file`, with the processors serving each activity.
fn art30_report(
    out: &Out,
    pf: &Option<PathBuf>,
    file: &std::path::Path,
    kind: ropa_pdf::Report,
    language: Option<Language>,
) -> Result<ropa_pdf::Pdf, output::Failure> {
    let register = open(out, pf, file)?;
    let content = register.content()?;
    let processors = register.processors()?;
    let chain_head = register.chain_head()?;
    let lists = register.country_lists().clone();
    register.close()?;
    let meta = report::meta(&content, chain_head, language);
    ropa_pdf::render_report_with_processors(kind, &content, &processors, &lists, &meta).map_err(output::Failure::Pdf)
}

fn run(cli: Cli, out: &Out) -> Result<(), output::Failure> {
    let pf = &cli.passphrase_file;
    let report_language = cli.lang.map(Language::from);
    match cli.command {
        Command::Init { file, name, country, business_id, language } => {
            let country = match country {
                CountryArg::Dk => Country::Denmark,
                CountryArg::No => Country::Norway,
            };
            let language = language.map(Language::from).unwrap_or(match country {
                Country::Denmark => Language::Danish,
                Country::Norway => Language::NorwegianBokmal,
            });
            let mut organisation = Organisation::new(name.clone(), country, language);
            organisation.business_id = business_id;
            let passphrase = passphrase::new(out, pf.as_deref(), "ROPA_PASSPHRASE")?;
            let register = Register::create(&file, &passphrase, &organisation, ChainHeads::user_default())?;
            register.close()?;
            out.say("cli.created", &[("path", file.display().to_string()), ("name", name)]);
        }
        Command::Import { file, from, replace } => {
            let text = std::fs::read_to_string(&from).map_err(|e| output::Failure::read(&from, e))?;
            let lists = ropa_core::country_lists::CountryListsStore::user_default().lists();
            let parsed = interchange::parse_register_with(&text, chrono::Utc::now().date_naive(), &lists)
                .map_err(output::Failure::Import)?;
            let mut register = open(out, pf, &file)?;
            let warnings = register
                .import_register(&parsed, &interchange::documents_dir(&from), replace)
                .map_err(processors::document_failure)?;
            register.close()?;
            out.issues_as_warnings(&warnings);
            out.say(
                "cli.imported",
                &[("count", parsed.content.activities.len().to_string()), ("path", file.display().to_string())],
            );
        }
        Command::Export { file, format: Format::Json, out: dest } => {
            let register = open(out, pf, &file)?;
            let processors = register.processors()?;
            let text = interchange::export_register(&register.content()?, &register.breach_log()?, &processors);
            let documents = interchange::document_count(&processors);
            // The format does not hold recordings yet: say so rather than leave them out unsaid.
            let (policies, calls) = (register.recording_policies()?.len(), register.recorded_call_count()?);
            if policies > 0 || calls > 0 {
                out.notice(
                    "cli.export_without_recordings",
                    &[("policies", policies.to_string()), ("calls", calls.to_string())],
                );
            }
            match dest {
                Some(dest) => {
                    // The documents first, so that the JSON never names a file not yet written.
                    if documents > 0 {
                        let dir = interchange::documents_dir(&dest);
                        let count = register.export_documents(&dir).map_err(processors::document_failure)?;
                        out.say(
                            "cli.documents_exported",
                            &[("count", count.to_string()), ("path", dir.display().to_string())],
                        );
                    }
                    register.close()?;
                    ropa_core::files::write_atomically(&dest, text.as_bytes(), ropa_core::files::Existing::Replace)
                        .map_err(|e| output::Failure::write(&dest, e))?;
                    out.say("cli.exported", &[("path", dest.display().to_string())]);
                }
                None if documents > 0 => {
                    register.close()?;
                    return Err(output::Failure::Message(
                        "error.documents_need_out",
                        vec![("count", documents.to_string())],
                    ));
                }
                None => {
                    register.close()?;
                    out.print(&text);
                }
            }
        }
        Command::Activities { command: ActivitiesCommand::List { file, json } } => {
            let register = open(out, pf, &file)?;
            let activities = register.activities()?;
            register.close()?;
            if json {
                out.json(&activities);
            } else {
                out.activity_table(&activities);
            }
        }
        Command::Activities { command: ActivitiesCommand::Show { file, id } } => {
            let register = open(out, pf, &file)?;
            let activity = register.activity(&id)?;
            register.close()?;
            out.json(&activity);
        }
        Command::Breaches { command } => {
            let file = match &command {
                breaches::BreachesCommand::Add { file, .. }
                | breaches::BreachesCommand::Update { file, .. }
                | breaches::BreachesCommand::List { file, .. }
                | breaches::BreachesCommand::Show { file, .. }
                | breaches::BreachesCommand::Assess { file, .. }
                | breaches::BreachesCommand::Notify { file, .. }
                | breaches::BreachesCommand::Close { file, .. } => file.clone(),
            };
            let register = open(out, pf, &file)?;
            breaches::run(out, register, command)?;
        }
        Command::Processors { command } => {
            let register = open(out, pf, command.file())?;
            processors::run(out, register, command)?;
        }
        Command::Agreements { command } => {
            let register = open(out, pf, command.file())?;
            processors::run_agreements(out, register, command)?;
        }
        Command::Supervisions { command } => {
            let register = open(out, pf, command.file())?;
            processors::run_supervisions(out, register, command)?;
        }
        Command::Settings { command } => settings::run(out, command)?,
        Command::Recordings { command } => {
            let register = open(out, pf, command.file())?;
            recordings::run(out, register, command, report_language)?;
        }
        Command::Deadlines { file, json } => {
            let register = open(out, pf, &file)?;
            breaches::deadlines(out, register, json)?;
        }
        Command::Verify { file, accept, json } => {
            let mut register = open(out, pf, &file)?;
            if accept {
                register.accept_current_head()?;
                out.say("cli.verify.accepted", &[]);
            }
            let report = register.verify()?;
            register.close()?;
            if json {
                out.json(&report);
            } else {
                out.verify_report(&report);
            }
            if !report.is_ok() {
                return Err(output::Failure::VerifyFailed);
            }
        }
        Command::Log { file, limit, json } => {
            let register = open(out, pf, &file)?;
            let entries = register.change_log(limit)?;
            register.close()?;
            if json {
                out.json(&entries);
            } else {
                out.change_log(&entries);
            }
        }
        Command::Passphrase { file, new_passphrase_file } => {
            let mut register = open(out, pf, &file)?;
            let new = passphrase::new(out, new_passphrase_file.as_deref(), "ROPA_NEW_PASSPHRASE")?;
            register.change_passphrase(&new)?;
            register.close()?;
            out.say("cli.passphrase_changed", &[]);
        }
        Command::Backup { file, dest } => {
            let mut register = open(out, pf, &file)?;
            register.backup(&dest)?;
            register.close()?;
            out.say("cli.backup_done", &[("path", dest.display().to_string())]);
        }
        Command::Schema => out.print(&interchange::schema_text()),
        Command::Report { command } => {
            let dest = match &command {
                ReportCommand::Register { out, .. }
                | ReportCommand::ProcessorRecord { out, .. }
                | ReportCommand::Processors { out, .. }
                | ReportCommand::Breach { out, .. }
                | ReportCommand::BreachLog { out, .. } => out,
            };
            let (dest, force) = (dest.out.clone(), dest.force);
            // Refuse before asking for the passphrase; the write refuses again if the file
            // appears meanwhile.
            report::check_destination(&dest, force)?;
            let pdf = match command {
                ReportCommand::Register { file, .. } => {
                    art30_report(out, pf, &file, ropa_pdf::Report::Register, report_language)?
                }
                ReportCommand::ProcessorRecord { file, .. } => {
                    art30_report(out, pf, &file, ropa_pdf::Report::ProcessorRecord, report_language)?
                }
                ReportCommand::Processors { file, .. } => {
                    let register = open(out, pf, &file)?;
                    let content = register.content()?;
                    let processors = register.processors()?;
                    let chain_head = register.chain_head()?;
                    let lists = register.country_lists().clone();
                    register.close()?;
                    let meta = report::meta(&content, chain_head, report_language);
                    ropa_pdf::processors_overview(&content, &processors, &lists, &meta).map_err(output::Failure::Pdf)?
                }
                ReportCommand::Breach { file, id, .. } => {
                    let register = open(out, pf, &file)?;
                    let content = register.content()?;
                    let breach = register.breach(&id)?;
                    let chain_head = register.chain_head()?;
                    register.close()?;
                    let meta = report::meta(&content, chain_head, report_language);
                    ropa_pdf::breach_notification(&content, &breach, &meta).map_err(output::Failure::Pdf)?
                }
                ReportCommand::BreachLog { file, from, to, .. } => {
                    let period = report::period(from.as_deref(), to.as_deref())?;
                    let register = open(out, pf, &file)?;
                    let content = register.content()?;
                    let log = register.breach_log()?;
                    let chain_head = register.chain_head()?;
                    register.close()?;
                    let meta = report::meta(&content, chain_head, report_language);
                    ropa_pdf::breach_log(&content, &log, &period, &meta).map_err(output::Failure::Pdf)?
                }
            };
            let pages = report::save(&pdf, &dest, force)?;
            out.say("cli.report_written", &[("path", dest.display().to_string()), ("count", pages.to_string())]);
        }
    }
    Ok(())
}
