//! Processors and their data processing agreements (Art. 28): who processes personal data on
//! the organisation's behalf, for which activities and data categories, through which chain of
//! sub-processors and to which countries; the agreements (da databehandleraftale, nb
//! databehandleravtale) in their versions with the Art. 28(3) checklist; and the supervision
//! (da tilsyn, nb oppfølging) of each processor.
//!
//! A [`Processor`] is kept whole, like an activity. The signed document of an agreement is not
//! part of it: it lives in its own table inside the encrypted register and is streamed in and
//! out ([`crate::Register::attach_agreement`]); the processor carries only its
//! [`AgreementDocument`] description (name, type, size, SHA-256), which the store keeps.
//! The rules are in [`crate::validation::validate_processor`].

use crate::deadlines::add_months;
use crate::processing_register::Contact;
use crate::store::StoreError;
use crate::vocab::TransferMechanism;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::PathBuf;

/// Months between supervisions unless the processor sets its own, risk-based interval.
pub const DEFAULT_SUPERVISION_MONTHS: u32 = 12;

/// The largest document the register takes (SQLite's default limit on one value is 1 GB).
pub const MAX_DOCUMENT_BYTES: u64 = 512 * 1024 * 1024;

/// A processor (Art. 28): a company that processes personal data on the organisation's behalf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Processor {
    /// Stable id within the register.
    pub id: String,
    pub name: String,
    /// CVR number, organisasjonsnummer or a foreign registration number; `null` when unknown.
    #[serde(default)]
    pub business_id: Option<BusinessId>,
    /// Where the processor processes the data: ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The processor's contact point.
    #[serde(default)]
    pub contact: Contact,
    /// The services it provides (hosting, payroll, e-mail, …).
    #[serde(default)]
    pub services: Vec<String>,
    /// The processing activities it serves, by id.
    #[serde(default)]
    pub activities: Vec<String>,
    /// The data categories it receives, by id in the register's catalog.
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// The transfer mechanism when `country` is outside the EEA without an adequacy decision.
    #[serde(default)]
    pub mechanism: Option<TransferMechanism>,
    /// For the EU–US Data Privacy Framework: is the processor certified? `null` = not answered.
    #[serde(default)]
    pub dpf_certified: Option<bool>,
    /// The processor's sub-processors, each of which may have its own.
    #[serde(default)]
    pub sub_processors: Vec<SubProcessor>,
    /// The agreement in its versions; the one in force is marked `current`.
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    /// Supervisions done, in any order.
    #[serde(default)]
    pub supervisions: Vec<Supervision>,
    /// Months between supervisions, set by risk; `null` = 12.
    #[serde(default)]
    pub supervision_interval_months: Option<u32>,
}

/// Which register a business id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum BusinessIdScheme {
    /// Danish CVR number (check digit verified).
    Cvr,
    /// Norwegian organisasjonsnummer (check digit verified).
    Orgnr,
    /// Any other country's registration number (not checked).
    Foreign,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct BusinessId {
    pub scheme: BusinessIdScheme,
    pub value: String,
}

/// A sub-processor engaged by a processor (Art. 28(2) and (4)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SubProcessor {
    pub name: String,
    /// ISO 3166-1 alpha-2 country code of where it processes the data.
    pub country: String,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub mechanism: Option<TransferMechanism>,
    #[serde(default)]
    pub dpf_certified: Option<bool>,
    /// Its own sub-processors, further down the chain.
    #[serde(default)]
    pub sub_processors: Vec<SubProcessor>,
}

/// One version of the data processing agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// The version as the agreement names it ("2.1", "2026-03"); unique per processor.
    pub version: String,
    /// The version in force. At most one per processor.
    #[serde(default)]
    pub current: bool,
    /// The day it was signed; `null` while unsigned.
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    /// The last day of its term; `null` when it runs until terminated.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// The term in words (notice period, renewal).
    #[serde(default)]
    pub term: String,
    #[serde(default)]
    pub checklist: Art28Checklist,
    /// The signed document stored in the register; set by the store only.
    #[serde(default)]
    pub document: Option<AgreementDocument>,
}

/// The contents Art. 28(3) requires of an agreement, each point with a note (clause number,
/// reservations).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Art28Checklist {
    /// (a) processes only on documented instructions.
    pub instructions: ChecklistPoint,
    /// (b) persons authorised are bound to confidentiality.
    pub confidentiality: ChecklistPoint,
    /// (c) takes the Art. 32 security measures.
    pub security: ChecklistPoint,
    /// (d) the conditions for engaging sub-processors.
    pub sub_processors: ChecklistPoint,
    /// (e) assists with data subjects' rights.
    pub data_subject_rights: ChecklistPoint,
    /// (f) assists with Arts. 32–36.
    pub assistance: ChecklistPoint,
    /// (g) deletes or returns the data at the end.
    pub deletion_or_return: ChecklistPoint,
    /// (h) makes information available and allows audits.
    pub audits: ChecklistPoint,
}

impl Art28Checklist {
    /// The points with their letter in Art. 28(3) and their field name.
    pub fn points(&self) -> [(&'static str, &'static str, &ChecklistPoint); 8] {
        [
            ("a", "instructions", &self.instructions),
            ("b", "confidentiality", &self.confidentiality),
            ("c", "security", &self.security),
            ("d", "sub_processors", &self.sub_processors),
            ("e", "data_subject_rights", &self.data_subject_rights),
            ("f", "assistance", &self.assistance),
            ("g", "deletion_or_return", &self.deletion_or_return),
            ("h", "audits", &self.audits),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ChecklistPoint {
    /// The agreement covers the point.
    pub covered: bool,
    pub note: String,
}

/// The signed document of an agreement version, as stored in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct AgreementDocument {
    /// The file's name when it was attached.
    pub file_name: String,
    pub kind: DocumentKind,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// The file types a signed agreement may have, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Pdf,
    Docx,
    Odt,
    Png,
    Jpeg,
}

impl DocumentKind {
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Docx => "docx",
            DocumentKind::Odt => "odt",
            DocumentKind::Png => "png",
            DocumentKind::Jpeg => "jpeg",
        }
    }

    /// The kind a file name's extension promises.
    pub fn from_extension(ext: &str) -> Option<DocumentKind> {
        match ext.to_ascii_lowercase().as_str() {
            "pdf" => Some(DocumentKind::Pdf),
            "docx" => Some(DocumentKind::Docx),
            "odt" => Some(DocumentKind::Odt),
            "png" => Some(DocumentKind::Png),
            "jpg" | "jpeg" => Some(DocumentKind::Jpeg),
            _ => None,
        }
    }

    /// Whether `head` (the file's first bytes) is what this kind starts with. DOCX and ODT are
    /// both zip files; telling them apart would need the zip's directory, so both accept a zip.
    pub fn matches(self, head: &[u8]) -> bool {
        match self {
            DocumentKind::Pdf => head.starts_with(b"%PDF-"),
            DocumentKind::Docx | DocumentKind::Odt => head.starts_with(b"PK\x03\x04"),
            DocumentKind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
            DocumentKind::Jpeg => head.starts_with(b"\xff\xd8\xff"),
        }
    }
}

/// What a file's first bytes look like, for the message when they do not fit its extension.
pub fn sniff(head: &[u8]) -> &'static str {
    if head.starts_with(b"%PDF-") {
        "pdf"
    } else if head.starts_with(b"PK\x03\x04") {
        "zip"
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if head.starts_with(b"\xff\xd8\xff") {
        "jpeg"
    } else if head.starts_with(b"GIF8") {
        "gif"
    } else if head.is_empty() {
        "empty"
    } else if head.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) {
        "text"
    } else {
        "unknown"
    }
}

/// How a supervision was carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum SupervisionMethod {
    /// An ISAE 3000 assurance report.
    Isae3000,
    /// An ISAE 3402 assurance report.
    Isae3402,
    /// A SOC 2 report.
    Soc2,
    /// A written questionnaire answered by the processor.
    Questionnaire,
    /// An audit on site.
    OnSite,
}

/// One supervision of a processor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    /// Stable id within the processor; an empty one gets a new id when the processor is saved.
    #[serde(default)]
    pub id: String,
    pub method: SupervisionMethod,
    /// The day it was done.
    pub done_on: NaiveDate,
    #[serde(default)]
    pub findings: String,
    /// When the next is due, when set by hand instead of the interval.
    #[serde(default)]
    pub next_due: Option<NaiveDate>,
    /// The audit report (ISAE 3000/3402 or SOC 2 report, answered questionnaire, audit notes),
    /// stored in the register like a signed agreement; its description is the store's.
    #[serde(default)]
    pub report: Option<AgreementDocument>,
}

impl Processor {
    pub fn new(id: impl Into<String>, name: impl Into<String>, country: impl Into<String>) -> Self {
        Processor {
            id: id.into(),
            name: name.into(),
            business_id: None,
            country: country.into(),
            contact: Contact::default(),
            services: Vec::new(),
            activities: Vec::new(),
            data_categories: Vec::new(),
            mechanism: None,
            dpf_certified: None,
            sub_processors: Vec::new(),
            agreements: Vec::new(),
            supervisions: Vec::new(),
            supervision_interval_months: None,
        }
    }

    /// The version marked current, if any.
    pub fn current_agreement(&self) -> Option<&Agreement> {
        self.agreements.iter().find(|a| a.current)
    }

    pub fn agreement(&self, version: &str) -> Option<&Agreement> {
        self.agreements.iter().find(|a| a.version == version)
    }

    /// Whether the version in force is signed.
    pub fn has_signed_agreement(&self) -> bool {
        self.current_agreement().is_some_and(|a| a.signed_on.is_some())
    }

    pub fn supervision(&self, id: &str) -> Option<&Supervision> {
        self.supervisions.iter().find(|s| s.id == id)
    }

    /// Gives every supervision without an id a new one.
    pub fn assign_supervision_ids(&mut self) {
        for supervision in self.supervisions.iter_mut().filter(|s| s.id.trim().is_empty()) {
            supervision.id = uuid::Uuid::new_v4().to_string();
        }
    }

    /// The latest supervision done.
    pub fn last_supervision(&self) -> Option<&Supervision> {
        self.supervisions.iter().max_by_key(|s| s.done_on)
    }

    /// When the next supervision is due: the date set on the last one, else the interval
    /// (default 12 months) after it counted by Regulation 1182/71; without any supervision, the
    /// interval after the current agreement was signed. `None` when neither exists.
    pub fn next_supervision_due(&self) -> Option<NaiveDate> {
        let months = self.supervision_interval_months.unwrap_or(DEFAULT_SUPERVISION_MONTHS);
        match self.last_supervision() {
            Some(last) => last.next_due.or_else(|| add_months(last.done_on, months)),
            None => self.current_agreement().and_then(|a| a.signed_on).and_then(|d| add_months(d, months)),
        }
    }
}

/// The facts given when a document is attached: which version, and its dates when the version
/// is new or they change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachOptions {
    /// The version the document belongs to; default: the current version, or "1" when the
    /// processor has no agreement yet.
    pub version: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

/// Why a document could not be attached or extracted. The register is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the file's extension {extension:?} is not one of pdf, docx, odt, png, jpg")]
    UnsupportedExtension { extension: String },
    #[error("the file is named .{extension} but its content looks like {looks_like}")]
    WrongType { extension: String, looks_like: &'static str },
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the file changed while it was read")]
    Changed,
    #[error("version {version} of the agreement has no document")]
    NoDocument { version: String },
    #[error("the agreement has no version {version}")]
    NoVersion { version: String },
    #[error("the processor has no supervision {id}")]
    NoSupervision { id: String },
    #[error("supervision {id} has no audit report")]
    NoReport { id: String },
    #[error("the stored document does not match its recorded SHA-256")]
    HashMismatch,
    #[error("the document {path} does not match the size or SHA-256 recorded for it")]
    ImportMismatch { path: PathBuf },
    #[error("I/O error at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl DocumentError {
    /// A stable code; the catalog key is `error.document.<code>` (a store error has its own).
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Store(e) => e.code(),
            DocumentError::UnsupportedExtension { .. } => "unsupported_extension",
            DocumentError::WrongType { .. } => "wrong_type",
            DocumentError::Empty => "empty",
            DocumentError::TooLarge { .. } => "too_large",
            DocumentError::Changed => "changed",
            DocumentError::NoDocument { .. } => "no_document",
            DocumentError::NoVersion { .. } => "no_version",
            DocumentError::NoSupervision { .. } => "no_supervision",
            DocumentError::NoReport { .. } => "no_report",
            DocumentError::HashMismatch => "hash_mismatch",
            DocumentError::ImportMismatch { .. } => "import_mismatch",
            DocumentError::Io { .. } => "io",
        }
    }
}

/// Checks a file's type against its extension by its first bytes, without reading the rest.
/// Returns the kind and the file's size.
pub fn check_document(path: &std::path::Path) -> Result<(DocumentKind, u64), DocumentError> {
    let io = |source| DocumentError::Io { path: path.to_owned(), source };
    let extension = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    let kind = DocumentKind::from_extension(&extension)
        .ok_or_else(|| DocumentError::UnsupportedExtension { extension: extension.clone() })?;
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size == 0 {
        return Err(DocumentError::Empty);
    }
    if size > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge { max: MAX_DOCUMENT_BYTES });
    }
    let mut head = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut head).map_err(io)?;
    if !kind.matches(&head) {
        return Err(DocumentError::WrongType { extension, looks_like: sniff(&head) });
    }
    Ok((kind, size))
}
