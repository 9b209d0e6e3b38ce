//! `ropa processors …`, `ropa agreements …` and `ropa supervisions …`: processors (Art. 28),
//! their agreements and the signed documents kept inside the register, and the audit reports of
//! their supervisions. What a processor may be saved with, and whether a
//! file is the type its name says, is ropa-core's to decide; this module only reads arguments and
//! prints.

use crate::output::{Failure, Out};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use ropa_core::Register;
use ropa_core::files::Existing;
use ropa_core::processor_agreements::{AttachOptions, BusinessId, BusinessIdScheme, DocumentError, Processor};
use ropa_core::vocab::TransferMechanism;
use serde_json::Value;
use std::path::{Path, PathBuf};

// Parsed once per run; the size of the `add` flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum ProcessorsCommand {
    /// List the processors with their agreement and next supervision.
    List {
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one processor as JSON, with its open issues on stderr.
    Show { file: PathBuf, id: String },
    /// Add a processor: from a JSON file (a processor as `processors show` prints it; an id
    /// left out gets a new one), or from the flags, to be completed later with `processors update`.
    Add {
        file: PathBuf,
        /// The processor as JSON.
        #[arg(long, value_name = "JSON", conflicts_with_all = ["name", "country"])]
        from: Option<PathBuf>,
        /// The id (default: a new one).
        #[arg(long)]
        id: Option<String>,
        #[arg(long, required_unless_present = "from")]
        name: Option<String>,
        /// Where it processes the data: ISO 3166-1 alpha-2 code (DK, IE, US).
        #[arg(long, value_name = "CODE", required_unless_present = "from")]
        country: Option<String>,
        /// Danish CVR number.
        #[arg(long, conflicts_with_all = ["orgnr", "foreign_id"])]
        cvr: Option<String>,
        /// Norwegian organisasjonsnummer.
        #[arg(long, conflicts_with = "foreign_id")]
        orgnr: Option<String>,
        /// Another country's registration number.
        #[arg(long, value_name = "ID")]
        foreign_id: Option<String>,
        /// A service it provides (repeat for several).
        #[arg(long = "service", value_name = "TEXT")]
        services: Vec<String>,
        /// An activity it serves, by id (repeat for several).
        #[arg(long = "activity", value_name = "ID")]
        activities: Vec<String>,
        /// A data category it receives, by id (repeat for several).
        #[arg(long = "data-category", value_name = "ID")]
        data_categories: Vec<String>,
        /// The transfer mechanism, outside the EEA without an adequacy decision.
        #[arg(long, value_enum)]
        mechanism: Option<MechanismArg>,
        /// For the EU–US Data Privacy Framework: whether the processor is certified.
        #[arg(long, value_name = "BOOL")]
        dpf_certified: Option<bool>,
    },
    /// Replace a processor with the one in a JSON file (matched by its id). The stored
    /// documents stay with their versions; a version left out is removed with its document.
    Update {
        file: PathBuf,
        #[arg(long, value_name = "JSON")]
        from: PathBuf,
    },
    /// Add or replace several processors from a JSON file: a list of processors, or an object
    /// with `processors` as in the interchange format. All or nothing: one processor with an
    /// error and none is saved.
    Import {
        file: PathBuf,
        /// The JSON file.
        processors: PathBuf,
    },
    /// Supervision and agreement deadlines, and processors and activities without a signed
    /// agreement, soonest first.
    Deadlines {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgreementsCommand {
    /// Store a signed agreement (pdf, docx, odt, png or jpg) in the register. Without
    /// --version it belongs to the current version (or version 1 for the first agreement); a
    /// new version becomes the current one.
    Attach {
        file: PathBuf,
        /// The processor's id.
        processor: String,
        /// The signed document.
        document: PathBuf,
        /// The day it was signed (2026-01-31).
        #[arg(long, value_name = "DATE")]
        signed: Option<String>,
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// The last day of its term.
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
    },
    /// Write a stored agreement's document to a file, after checking its SHA-256.
    Extract {
        file: PathBuf,
        processor: String,
        /// Default: the current version.
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Replace the file at --out if there is one.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SupervisionsCommand {
    /// Store the audit report of a supervision (pdf, docx, odt, png or jpg) in the register,
    /// replacing one it had. The supervision is named by its id (see `processors show`).
    Attach {
        file: PathBuf,
        /// The processor's id.
        processor: String,
        /// The supervision's id.
        supervision: String,
        /// The audit report.
        document: PathBuf,
    },
    /// Write a supervision's stored audit report to a file, after checking its SHA-256.
    Extract {
        file: PathBuf,
        processor: String,
        supervision: String,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Replace the file at --out if there is one.
        #[arg(long)]
        force: bool,
    },
}

impl SupervisionsCommand {
    pub fn file(&self) -> &Path {
        match self {
            SupervisionsCommand::Attach { file, .. } | SupervisionsCommand::Extract { file, .. } => file,
        }
    }
}

impl ProcessorsCommand {
    pub fn file(&self) -> &Path {
        match self {
            ProcessorsCommand::List { file, .. }
            | ProcessorsCommand::Show { file, .. }
            | ProcessorsCommand::Add { file, .. }
            | ProcessorsCommand::Update { file, .. }
            | ProcessorsCommand::Import { file, .. }
            | ProcessorsCommand::Deadlines { file, .. } => file,
        }
    }
}

impl AgreementsCommand {
    pub fn file(&self) -> &Path {
        match self {
            AgreementsCommand::Attach { file, .. } | AgreementsCommand::Extract { file, .. } => file,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MechanismArg {
    Adequacy,
    Scc,
    Bcr,
    EuUsDpf,
    Art49,
}

impl From<MechanismArg> for TransferMechanism {
    fn from(m: MechanismArg) -> Self {
        match m {
            MechanismArg::Adequacy => TransferMechanism::Adequacy,
            MechanismArg::Scc => TransferMechanism::StandardContractualClauses,
            MechanismArg::Bcr => TransferMechanism::BindingCorporateRules,
            MechanismArg::EuUsDpf => TransferMechanism::DataPrivacyFramework,
            MechanismArg::Art49 => TransferMechanism::Derogation,
        }
    }
}

fn date(text: Option<String>) -> Result<Option<NaiveDate>, Failure> {
    text.map(|t| {
        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map_err(|_| Failure::Message("error.date_invalid", vec![("value", t.clone())]))
    })
    .transpose()
}

/// Reads a processor from a JSON file; a missing id becomes empty, to be given one by core.
fn read_processor(path: &Path) -> Result<Processor, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::read(path, e))?;
    let invalid = |detail: String| {
        Failure::Message("error.processor_json", vec![("path", path.display().to_string()), ("detail", detail)])
    };
    let mut value: Value = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.entry("id").or_insert_with(|| Value::String(String::new()));
    }
    serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// The processors of a JSON file: a list, or an object with `processors` (so that the issues'
/// pointers, `/processors/<i>/…`, point into the file as it is for the interchange format).
fn read_processors(path: &Path) -> Result<Vec<Processor>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::read(path, e))?;
    let invalid = |detail: String| {
        Failure::Message("error.processor_json", vec![("path", path.display().to_string()), ("detail", detail)])
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let mut list = match value {
        Value::Array(list) => list,
        Value::Object(mut object) => match object.remove("processors") {
            Some(Value::Array(list)) => list,
            _ => return Err(invalid("expected a list of processors, or an object with `processors`".to_owned())),
        },
        _ => return Err(invalid("expected a list of processors, or an object with `processors`".to_owned())),
    };
    for (i, item) in list.iter_mut().enumerate() {
        let Some(object) = item.as_object_mut() else {
            return Err(invalid(format!("/processors/{i}: not an object")));
        };
        object.entry("id").or_insert_with(|| Value::String(String::new()));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, item)| serde_json::from_value(item).map_err(|e| invalid(format!("/processors/{i}: {e}"))))
        .collect()
}

/// A document error in the catalog's words.
pub fn document_failure(e: DocumentError) -> Failure {
    match e {
        DocumentError::Store(e) => Failure::Store(e),
        DocumentError::UnsupportedExtension { extension } => {
            Failure::Message("error.document.unsupported_extension", vec![("extension", extension)])
        }
        DocumentError::WrongType { extension, looks_like } => Failure::Message(
            "error.document.wrong_type",
            vec![("extension", extension), ("looks_like", looks_like.to_owned())],
        ),
        DocumentError::Empty => Failure::Message("error.document.empty", vec![]),
        DocumentError::TooLarge { max } => Failure::Message("error.document.too_large", vec![("max", max.to_string())]),
        DocumentError::Changed => Failure::Message("error.document.changed", vec![]),
        DocumentError::NoDocument { version } => {
            Failure::Message("error.document.no_document", vec![("version", version)])
        }
        DocumentError::NoVersion { version } => {
            Failure::Message("error.document.no_version", vec![("version", version)])
        }
        DocumentError::NoSupervision { id } => Failure::Message("error.document.no_supervision", vec![("id", id)]),
        DocumentError::NoReport { id } => Failure::Message("error.document.no_report", vec![("id", id)]),
        DocumentError::HashMismatch => Failure::Message("error.document.hash_mismatch", vec![]),
        DocumentError::ImportMismatch { path } => {
            Failure::Message("error.document.import_mismatch", vec![("path", path.display().to_string())])
        }
        DocumentError::Io { path, source } => Failure::Message(
            "error.document.io",
            vec![("path", path.display().to_string()), ("detail", source.to_string())],
        ),
    }
}

/// Runs one `processors` command on an open register.
pub fn run(out: &Out, mut register: Register, command: ProcessorsCommand) -> Result<(), Failure> {
    match command {
        ProcessorsCommand::List { json, .. } => {
            let processors = register.processors()?;
            register.close()?;
            if json {
                out.json(&processors);
            } else {
                out.processor_table(&processors);
            }
        }
        ProcessorsCommand::Show { id, .. } => {
            let processor = register.processor(&id)?;
            let issues = register.check_processor(&processor)?;
            register.close()?;
            out.json(&processor);
            out.issues_as_warnings(&issues);
        }
        ProcessorsCommand::Add { from: Some(path), .. } => {
            let processor = read_processor(&path)?;
            add(out, register, processor)?;
        }
        ProcessorsCommand::Add {
            from: None,
            id,
            name,
            country,
            cvr,
            orgnr,
            foreign_id,
            services,
            activities,
            data_categories,
            mechanism,
            dpf_certified,
            ..
        } => {
            let mut processor =
                Processor::new(id.unwrap_or_default(), name.unwrap_or_default(), country.unwrap_or_default());
            processor.business_id = match (cvr, orgnr, foreign_id) {
                (Some(value), _, _) => Some(BusinessId { scheme: BusinessIdScheme::Cvr, value }),
                (_, Some(value), _) => Some(BusinessId { scheme: BusinessIdScheme::Orgnr, value }),
                (_, _, Some(value)) => Some(BusinessId { scheme: BusinessIdScheme::Foreign, value }),
                _ => None,
            };
            processor.services = services;
            processor.activities = activities;
            processor.data_categories = data_categories;
            processor.mechanism = mechanism.map(TransferMechanism::from);
            processor.dpf_certified = dpf_certified;
            add(out, register, processor)?;
        }
        ProcessorsCommand::Update { from, .. } => {
            let processor = read_processor(&from)?;
            // Only an existing processor is replaced; a new one is added with `processors add`.
            register.processor(&processor.id)?;
            let (id, warnings) = register.save_processor(&processor)?;
            register.close()?;
            out.issues_as_warnings(&warnings);
            out.say("cli.processor_updated", &[("id", id)]);
        }
        ProcessorsCommand::Import { processors, .. } => {
            let list = read_processors(&processors)?;
            let (ids, warnings) = register.import_processors(&list)?;
            register.close()?;
            out.issues_as_warnings(&warnings);
            out.say("cli.processors_imported", &[("count", ids.len().to_string())]);
        }
        ProcessorsCommand::Deadlines { json, .. } => {
            let list = register.processor_deadlines(chrono::Utc::now())?;
            register.close()?;
            if json {
                out.json(&list);
            } else {
                out.processor_deadline_table(&list);
            }
        }
    }
    Ok(())
}

fn add(out: &Out, mut register: Register, processor: Processor) -> Result<(), Failure> {
    if !processor.id.trim().is_empty() && register.processor(&processor.id).is_ok() {
        return Err(Failure::Message("error.processor_exists", vec![("id", processor.id.clone())]));
    }
    let (id, warnings) = register.save_processor(&processor)?;
    register.close()?;
    out.issues_as_warnings(&warnings);
    out.say("cli.processor_added", &[("id", id)]);
    Ok(())
}

/// Runs one `supervisions` command on an open register.
pub fn run_supervisions(out: &Out, mut register: Register, command: SupervisionsCommand) -> Result<(), Failure> {
    match command {
        SupervisionsCommand::Attach { processor, supervision, document, .. } => {
            let stored =
                register.attach_supervision_report(&processor, &supervision, &document).map_err(document_failure)?;
            register.close()?;
            out.say(
                "cli.supervision_report_attached",
                &[
                    ("supervision", supervision),
                    ("id", processor),
                    ("size", stored.size.to_string()),
                    ("sha256", stored.sha256),
                ],
            );
        }
        SupervisionsCommand::Extract { processor, supervision, out: dest, force, .. } => {
            crate::report::check_destination(&dest, force)?;
            let existing = if force { Existing::Replace } else { Existing::Keep };
            let document = register
                .extract_supervision_report(&processor, &supervision, &dest, existing)
                .map_err(document_failure)?;
            register.close()?;
            out.say(
                "cli.supervision_report_extracted",
                &[("path", dest.display().to_string()), ("sha256", document.sha256)],
            );
        }
    }
    Ok(())
}

/// Runs one `agreements` command on an open register.
pub fn run_agreements(out: &Out, mut register: Register, command: AgreementsCommand) -> Result<(), Failure> {
    match command {
        AgreementsCommand::Attach { processor, document, signed, version, expires, .. } => {
            let options =
                AttachOptions { version: version.clone(), signed_on: date(signed)?, expires_on: date(expires)? };
            let stored = register.attach_agreement(&processor, &document, &options).map_err(document_failure)?;
            let current = register.processor(&processor)?;
            // Without --version the document went to the current version (or a first one).
            let version =
                version.or_else(|| current.current_agreement().map(|a| a.version.clone())).unwrap_or_default();
            let issues = register.check_processor(&current)?;
            register.close()?;
            out.issues_as_warnings(&issues);
            out.say(
                "cli.agreement_attached",
                &[
                    ("version", version),
                    ("id", processor),
                    ("size", stored.size.to_string()),
                    ("sha256", stored.sha256),
                ],
            );
        }
        AgreementsCommand::Extract { processor, version, out: dest, force, .. } => {
            crate::report::check_destination(&dest, force)?;
            let existing = if force { Existing::Replace } else { Existing::Keep };
            let document = register
                .extract_agreement(&processor, version.as_deref(), &dest, existing)
                .map_err(document_failure)?;
            register.close()?;
            out.say("cli.agreement_extracted", &[("path", dest.display().to_string()), ("sha256", document.sha256)]);
        }
    }
    Ok(())
}
