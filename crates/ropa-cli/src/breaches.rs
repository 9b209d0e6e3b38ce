//! `ropa breaches …` and `ropa deadlines`: the breach log (Art. 33(5)) and every open deadline.
//! Times on the command line are ISO 8601 with an offset or the organisation's wall-clock time,
//! read by ropa-core; what a breach may be saved with is ropa-core's validation, not decided here.

use crate::output::{Failure, Out};
use clap::{Subcommand, ValueEnum};
use ropa_core::Register;
use ropa_core::breach_log::{self, Breach, RiskAssessment, TimeError};
use ropa_core::vocab::{BreachCause, BreachFinder, Country, NoticePhase, RiskLevel};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum BreachesCommand {
    /// Record a new breach: from a JSON file (a breach as `breaches show --json` prints it; an
    /// id left out or empty is numbered <year>-<nnn>), or from --title, --aware and --found-by,
    /// to be completed later with `breaches update`.
    Add {
        file: PathBuf,
        /// The breach as JSON.
        #[arg(long, value_name = "JSON", conflicts_with_all = ["title", "aware", "reported"])]
        from: Option<PathBuf>,
        #[arg(long, required_unless_present = "from")]
        title: Option<String>,
        /// When the organisation became aware: the 72 hours run from here.
        #[arg(long, value_name = "TIME", required_unless_present = "from")]
        aware: Option<String>,
        /// Who found it.
        #[arg(long, value_enum, default_value = "staff")]
        found_by: FinderArg,
        /// When an outside reporter reported it (their acknowledgement and feedback are due from
        /// that day).
        #[arg(long, value_name = "TIME")]
        reported: Option<String>,
        /// The main cause, from a closed list (the Norwegian avviksmelding's first question).
        #[arg(long, value_name = "ID", value_parser = main_cause_parser())]
        main_cause: Option<BreachCause>,
    },
    /// Replace a breach with the one in a JSON file (matched by its id), or set the main cause
    /// of the breach ID.
    Update {
        file: PathBuf,
        /// The breach to change (without --from).
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        id: Option<String>,
        #[arg(long, value_name = "JSON")]
        from: Option<PathBuf>,
        /// The main cause, from a closed list (the Norwegian avviksmelding's first question).
        #[arg(long, value_name = "ID", value_parser = main_cause_parser(), required_unless_present = "from")]
        main_cause: Option<BreachCause>,
    },
    /// List the breaches with their risk and the notice to the authority.
    List {
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one breach: its timeline and open deadlines, or the whole record as JSON.
    Show {
        file: PathBuf,
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Record the risk decision with its reasons: no-risk (document only), risk (notify the
    /// authority) or high-risk (notify the data subjects too).
    Assess {
        file: PathBuf,
        id: String,
        #[arg(long, value_enum)]
        risk: RiskArg,
        #[arg(long, value_name = "TEXT")]
        reasons: String,
        /// When the decision was made.
        #[arg(long, value_name = "TIME")]
        at: String,
    },
    /// Record a notice to the supervisory authority (Datatilsynet). After 72 hours the reasons
    /// for the delay are required.
    Notify {
        file: PathBuf,
        id: String,
        /// When the notice was sent.
        #[arg(long, value_name = "TIME")]
        at: String,
        /// The authority's case number (journalnummer / saksnummer).
        #[arg(long = "case", value_name = "NUMBER")]
        case_number: String,
        /// Default: initial for the first notice, supplement after it.
        #[arg(long, value_enum)]
        phase: Option<PhaseArg>,
        /// What is new in a supplementary notice.
        #[arg(long, value_name = "TEXT", default_value = "")]
        new_information: String,
        /// Why the notice comes later than 72 hours after awareness.
        #[arg(long, value_name = "TEXT")]
        delay_reason: Option<String>,
    },
    /// Close a breach. A closed breach must be complete: its risk decision, notices and, for a
    /// high risk, the data subjects told or the Art. 34(3) exception.
    Close {
        file: PathBuf,
        id: String,
        #[arg(long, value_name = "TIME")]
        at: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FinderArg {
    Staff,
    Processor,
    OutsideReporter,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RiskArg {
    NoRisk,
    Risk,
    HighRisk,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PhaseArg {
    Initial,
    Supplement,
}

/// `--main-cause`: one of the ids of [`BreachCause`]; clap lists them when another is given.
fn main_cause_parser() -> impl clap::builder::TypedValueParser<Value = BreachCause> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(BreachCause::ALL.iter().map(|c| c.id()))
        .try_map(|id| BreachCause::from_id(&id).ok_or("not a main cause"))
}

pub(crate) fn time(text: &str, country: Country) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    breach_log::parse_time(text, country).map_err(|e| match e {
        TimeError::Invalid => Failure::Message("error.time_invalid", vec![("value", text.to_owned())]),
        TimeError::Skipped => Failure::Message(
            "error.time_skipped",
            vec![("value", text.to_owned()), ("zone", ropa_core::deadlines::zone(country).to_string())],
        ),
    })
}

/// Reads a breach from a JSON file; a missing id becomes empty, to be numbered by core.
fn read_breach(path: &Path) -> Result<Breach, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::read(path, e))?;
    let invalid = |detail: String| {
        Failure::Message("error.breach_json", vec![("path", path.display().to_string()), ("detail", detail)])
    };
    let mut value: Value = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.entry("id").or_insert_with(|| Value::String(String::new()));
    }
    serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
}

fn saved(out: &Out, key: &str, id: &str, warnings: &[ropa_core::validation::Issue]) {
    out.issues_as_warnings(warnings);
    out.say(key, &[("id", id.to_owned())]);
}

/// Runs one `breaches` command on an open register.
pub fn run(out: &Out, mut register: Register, command: BreachesCommand) -> Result<(), Failure> {
    let country = register.organisation()?.country;
    match command {
        BreachesCommand::Add { from: Some(path), main_cause, .. } => {
            let mut breach = read_breach(&path)?;
            breach.main_cause = main_cause.or(breach.main_cause);
            if !breach.id.trim().is_empty() && register.breach(&breach.id).is_ok() {
                return Err(Failure::Message("error.breach_exists", vec![("id", breach.id.clone())]));
            }
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_added", &id, &warnings);
        }
        BreachesCommand::Add { from: None, title, aware, found_by, reported, main_cause, .. } => {
            let aware = time(aware.as_deref().unwrap_or_default(), country)?;
            let by = match found_by {
                FinderArg::Staff => BreachFinder::Staff,
                FinderArg::Processor => BreachFinder::Processor,
                FinderArg::OutsideReporter => BreachFinder::OutsideReporter,
            };
            let mut breach = Breach::new(title.unwrap_or_default(), aware, by);
            breach.discovery.reported_at = reported.map(|r| time(&r, country)).transpose()?;
            breach.main_cause = main_cause;
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_added", &id, &warnings);
        }
        BreachesCommand::Update { id, from, main_cause, .. } => {
            let mut breach = match (from, id) {
                (Some(path), _) => {
                    let breach = read_breach(&path)?;
                    // Only an existing breach is replaced; a new one is added with `breaches add`.
                    register.breach(&breach.id)?;
                    breach
                }
                (None, id) => register.breach(id.as_deref().unwrap_or_default())?,
            };
            breach.main_cause = main_cause.or(breach.main_cause);
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_updated", &id, &warnings);
        }
        BreachesCommand::List { json, .. } => {
            let breaches = register.breaches()?;
            register.close()?;
            if json {
                out.json(&breaches);
            } else {
                out.breach_table(&breaches, country);
            }
        }
        BreachesCommand::Show { id, json, .. } => {
            let breach = register.breach(&id)?;
            let settings = register.breach_settings()?;
            let issues = register.check_breach(&breach)?;
            register.close()?;
            if json {
                out.json(&breach);
            } else {
                out.breach(&breach, country, &settings, chrono::Utc::now());
                out.issues_as_warnings(&issues);
            }
        }
        BreachesCommand::Assess { id, risk, reasons, at, .. } => {
            let assessed_at = time(&at, country)?;
            let mut breach = register.breach(&id)?;
            let level = match risk {
                RiskArg::NoRisk => RiskLevel::NoRisk,
                RiskArg::Risk => RiskLevel::Risk,
                RiskArg::HighRisk => RiskLevel::HighRisk,
            };
            breach.risk = Some(RiskAssessment { level, reasons, assessed_at });
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_assessed", &id, &warnings);
        }
        BreachesCommand::Notify { id, at, case_number, phase, new_information, delay_reason, .. } => {
            let at = time(&at, country)?;
            let mut breach = register.breach(&id)?;
            let phase = phase.map(|p| match p {
                PhaseArg::Initial => NoticePhase::Initial,
                PhaseArg::Supplement => NoticePhase::Supplement,
            });
            breach.record_notice(at, case_number, phase, new_information, delay_reason);
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_notified", &id, &warnings);
        }
        BreachesCommand::Close { id, at, .. } => {
            let at = time(&at, country)?;
            let mut breach = register.breach(&id)?;
            breach.closed_at = Some(at);
            let (id, warnings) = register.save_breach(&breach)?;
            register.close()?;
            saved(out, "cli.breach_closed", &id, &warnings);
        }
    }
    Ok(())
}

/// `ropa deadlines`: every open deadline, soonest first, then what is due about processors and
/// their agreements. `--json` gives the first list as before; the processors' own list is
/// `ropa processors deadlines --json` (the two have different shapes).
pub fn deadlines(out: &Out, register: Register, json: bool) -> Result<(), Failure> {
    let country = register.organisation()?.country;
    let now = chrono::Utc::now();
    let deadlines = register.deadlines(now)?;
    let processors = if json { Vec::new() } else { register.processor_deadlines(now)? };
    register.close()?;
    if json {
        out.json(&deadlines);
        return Ok(());
    }
    // "No open deadlines" only when there is nothing about processors either.
    if !deadlines.is_empty() || processors.is_empty() {
        out.deadline_table(&deadlines, country);
    }
    if !processors.is_empty() {
        if !deadlines.is_empty() {
            println!();
        }
        out.say("cli.deadlines.processors", &[]);
        out.processor_deadline_table(&processors);
    }
    Ok(())
}
