//! The interchange format: a whole register as one versioned JSON document, for export,
//! import, and a plain-text backup when the user asks for one. Its JSON Schema
//! (`schema/register.v1.schema.json`) is generated from these types; a test fails when the
//! committed file is stale.
//!
//! Export is canonical (fixed field order, two-space indent, final newline), so export →
//! import → export gives identical bytes. Import is all-or-nothing and reports every problem it
//! finds with the JSON pointer of the value concerned.

use crate::breach_log::{Breach, BreachLog, BreachSettings};
use crate::processing_register::*;
use crate::processor_agreements::{AgreementDocument, Processor};
use crate::validation::{self, CountryLists, Issue, Severity};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The interchange format's version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum FormatTag {
    #[serde(rename = "ropa-register")]
    RopaRegister,
}

/// A register as exchanged. Same content as [`RegisterContent`] plus a format tag and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
#[schemars(title = "ropa register", description = "A whole ropa register (record of processing activities).")]
pub struct Interchange {
    pub format: FormatTag,
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub organisation: Organisation,
    #[serde(default)]
    pub data_categories: Vec<DataCategory>,
    #[serde(default)]
    pub subject_categories: Vec<SubjectCategory>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// The organisation's promises to outside reporters of breaches (defaults when missing).
    #[serde(default)]
    pub breach_settings: BreachSettings,
    /// The breach log (Art. 33(5)); files from before the breach log have none.
    #[serde(default)]
    pub breaches: Vec<Breach>,
    /// Processors and their agreements (Art. 28); files from before processors have none. The
    /// signed documents and the supervisions' audit reports are not inside the JSON: each lies
    /// in the folder beside the file that is named like it with `.documents` in place of
    /// `.json` (`register.json` → `register.documents/`), as `<sha256>.<kind>` (`3f…9a.pdf`),
    /// and its agreement's `document` or its supervision's `report` gives its size and
    /// SHA-256, which an import checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub processors: Vec<Processor>,
}

impl From<RegisterContent> for Interchange {
    fn from(c: RegisterContent) -> Self {
        Interchange::new(c, BreachLog::default())
    }
}

impl Interchange {
    /// The document for a register's content and breach log.
    pub fn new(c: RegisterContent, log: BreachLog) -> Self {
        Interchange {
            format: FormatTag::RopaRegister,
            version: VERSION,
            organisation: c.organisation,
            data_categories: c.data_categories,
            subject_categories: c.subject_categories,
            recipients: c.recipients,
            activities: c.activities,
            breach_settings: log.settings,
            breaches: log.breaches,
            processors: Vec::new(),
        }
    }

    /// The breach log the document holds.
    pub fn breach_log(&self) -> BreachLog {
        BreachLog { settings: self.breach_settings, breaches: self.breaches.clone() }
    }
}

impl From<Interchange> for RegisterContent {
    fn from(i: Interchange) -> Self {
        RegisterContent {
            organisation: i.organisation,
            data_categories: i.data_categories,
            subject_categories: i.subject_categories,
            recipients: i.recipients,
            activities: i.activities,
        }
    }
}

/// One problem in an imported document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    /// JSON pointer to the value (`""` is the whole document).
    pub pointer: String,
    /// Catalog key suffix: `import.<code>` for format problems, `issue.<code>` for rule issues.
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// An English description for logs and tools; people see the catalog text.
    pub detail: String,
}

impl Problem {
    fn new(pointer: impl Into<String>, code: &str, detail: impl Into<String>) -> Self {
        Problem { pointer: pointer.into(), code: code.to_owned(), params: BTreeMap::new(), detail: detail.into() }
    }

    fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.insert(key.to_owned(), value.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{pointer}: {}", self.detail)
    }
}

/// Why a document could not be imported; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the document has {} problem(s)", problems.len())]
pub struct ImportError {
    pub problems: Vec<Problem>,
}

/// The JSON Schema of the interchange format.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Interchange)).unwrap_or_default()
}

/// The schema as committed in `schema/`: pretty JSON with a final newline.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a register's processing register as canonical interchange JSON, with an empty breach
/// log; [`export_all`] writes the breach log too.
pub fn export(content: &RegisterContent) -> String {
    export_all(content, &BreachLog::default())
}

/// Writes a whole register — content and breach log — as canonical interchange JSON.
pub fn export_all(content: &RegisterContent, log: &BreachLog) -> String {
    let doc = Interchange::new(content.clone(), log.clone());
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a whole register — content, breach log and processors — as canonical interchange
/// JSON. The processors' documents are written apart ([`crate::Register::export_documents`]).
pub fn export_register(content: &RegisterContent, log: &BreachLog, processors: &[Processor]) -> String {
    let mut doc = Interchange::new(content.clone(), log.clone());
    doc.processors = processors.to_vec();
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The folder beside an interchange file that holds its documents: `register.json` →
/// `register.documents`.
pub fn documents_dir(json: &Path) -> PathBuf {
    json.with_extension("documents")
}

/// How many documents of `processors` an export writes beside the JSON: the agreements' signed
/// documents and the supervisions' audit reports.
pub fn document_count(processors: &[Processor]) -> usize {
    processors
        .iter()
        .map(|p| {
            p.agreements.iter().filter(|a| a.document.is_some()).count()
                + p.supervisions.iter().filter(|s| s.report.is_some()).count()
        })
        .sum()
}

/// A document's file name in [`documents_dir`]: its SHA-256 and its kind (`<sha256>.pdf`).
pub fn document_file_name(document: &AgreementDocument) -> String {
    format!("{}.{}", document.sha256, document.kind.id())
}

/// A whole register as read from an interchange document.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub content: RegisterContent,
    pub log: BreachLog,
    pub processors: Vec<Processor>,
    /// Warnings of the rules; errors make the parse fail.
    pub warnings: Vec<Issue>,
}

/// Parses and checks an interchange document like [`parse_all`], and returns the processors
/// too, checked against the register, with the shipped country lists.
pub fn parse_register(text: &str, today: NaiveDate) -> Result<Parsed, ImportError> {
    parse_register_with(text, today, CountryLists::shipped())
}

/// [`parse_register`] with the EEA and adequacy lists in effect (the person's).
pub fn parse_register_with(text: &str, today: NaiveDate, lists: &CountryLists) -> Result<Parsed, ImportError> {
    let doc = parse_document(text)?;
    let processors = doc.processors.clone();
    let log = doc.breach_log();
    let content = RegisterContent::from(doc);
    let mut issues = validation::validate_content(&content, today, lists);
    issues.extend(validation::validate_breach_log(&content, &log));
    issues.extend(validation::validate_processors(&content, &processors, lists));
    reject(&issues)?;
    Ok(Parsed { content, log, processors, warnings: issues })
}

/// Parses and checks an interchange document like [`parse_all`], and returns the processing
/// register alone (the breach log is checked, not returned).
pub fn parse(text: &str, today: NaiveDate) -> Result<(RegisterContent, Vec<Issue>), ImportError> {
    parse_all(text, today).map(|(content, _, warnings)| (content, warnings))
}

/// Parses and checks an interchange document: its syntax, its shape against the schema (every
/// problem, not just the first), then the rules of the register and of the breach log. Returns
/// the content, the breach log and the warnings, or every problem found. Processors in the
/// document are not returned (nor checked): [`parse_register`] reads them. The transfer rules
/// use the shipped country lists.
pub fn parse_all(text: &str, today: NaiveDate) -> Result<(RegisterContent, BreachLog, Vec<Issue>), ImportError> {
    let doc = parse_document(text)?;
    let log = doc.breach_log();
    let content = RegisterContent::from(doc);
    let mut issues = validation::validate_content(&content, today, CountryLists::shipped());
    issues.extend(validation::validate_breach_log(&content, &log));
    reject(&issues)?;
    Ok((content, log, issues))
}

/// Every error among `issues` as a problem, or nothing.
fn reject(issues: &[Issue]) -> Result<(), ImportError> {
    let errors: Vec<Problem> = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| Problem {
            pointer: i.path.clone(),
            code: format!("issue.{}", i.code),
            params: i.params.clone(),
            detail: i.code.clone(),
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(ImportError { problems: errors }) }
}

/// The document's syntax, version and shape.
fn parse_document(text: &str) -> Result<Interchange, ImportError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError {
        problems: vec![
            Problem::new("", "syntax", format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()))
                .with("line", e.line().to_string())
                .with("column", e.column().to_string()),
        ],
    })?;
    if let Some(version) = value.get("version").and_then(|v| v.as_u64())
        && version > u64::from(VERSION)
    {
        return Err(ImportError {
            problems: vec![
                Problem::new("/version", "newer_version", format!("format version {version} is newer than {VERSION}"))
                    .with("found", version.to_string())
                    .with("supported", VERSION.to_string()),
            ],
        });
    }
    let problems = shape_problems(&value);
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    serde_json::from_value(value).map_err(|e| ImportError {
        problems: vec![Problem::new("", "invalid", e.to_string()).with("detail", e.to_string())],
    })
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static CELL: std::sync::OnceLock<Option<jsonschema::Validator>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| jsonschema::validator_for(&schema()).ok()).as_ref()
}

fn shape_problems(value: &serde_json::Value) -> Vec<Problem> {
    use jsonschema::error::ValidationErrorKind as Kind;
    let Some(validator) = validator() else {
        return vec![Problem::new("", "invalid", "the interchange schema could not be compiled")];
    };
    let mut problems: Vec<Problem> = validator
        .iter_errors(value)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            let instance = error.instance().to_string();
            match error.kind() {
                Kind::Enum { .. } | Kind::Constant { .. } => {
                    Problem::new(pointer, "import.unknown_value", format!("unknown value {instance}"))
                        .with("value", instance)
                }
                Kind::OneOfNotValid { .. } | Kind::AnyOf { .. } if error.instance().is_string() => {
                    Problem::new(pointer, "import.unknown_value", format!("unknown value {instance}"))
                        .with("value", instance)
                }
                Kind::Required { property } => {
                    let field = property.as_str().map(str::to_owned).unwrap_or_else(|| property.to_string());
                    Problem::new(pointer, "import.missing_field", format!("missing field \"{field}\""))
                        .with("field", field)
                }
                Kind::AdditionalProperties { unexpected } => {
                    let fields = unexpected.join(", ");
                    Problem::new(pointer, "import.unknown_field", format!("unknown field \"{fields}\""))
                        .with("field", fields)
                }
                Kind::Type { .. } => {
                    let detail = error.to_string();
                    Problem::new(pointer, "import.wrong_type", detail.clone()).with("detail", detail)
                }
                _ => {
                    let detail = error.to_string();
                    Problem::new(pointer, "import.invalid", detail.clone()).with("detail", detail)
                }
            }
        })
        .collect();
    // Tagged unions (`role`) report one error per branch; keep one per pointer and code.
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.pointer.clone(), p.code.clone(), p.detail.clone())));
    problems
}
