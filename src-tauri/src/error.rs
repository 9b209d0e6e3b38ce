//! `AppError`, the one error shape that crosses IPC: a stable code the UI translates
//! (`error.<code>`), message parameters, and validation issues.
//!
//! The mapping from core's typed errors keeps only ids, numbers and paths. Free-text causes
//! from the database or JSON layer are dropped on purpose: they may quote stored values,
//! which can be personal data.

use ropa_core::country_lists::CountryListError;
use ropa_core::processor_agreements::DocumentError;
use ropa_core::validation::Issue;
use ropa_core::{OpenError, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    /// Stable code; the UI shows the catalog key `error.<code>`.
    pub code: String,
    /// Message parameters: ids, numbers and paths only, never personal data from a register.
    pub details: BTreeMap<String, String>,
    /// Validation issues when `code` is `invalid` (paths are JSON pointers).
    pub issues: Vec<Issue>,
}

impl AppError {
    pub fn new(code: &str) -> Self {
        AppError { code: code.to_owned(), details: BTreeMap::new(), issues: Vec::new() }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.details.insert(key.to_owned(), value.to_string());
        self
    }

    fn with_path(self, path: &Path) -> Self {
        self.with("path", path.display())
    }

    /// No register is open (never opened, locked by the user, or locked after idle time).
    pub fn locked() -> Self {
        AppError::new("locked")
    }

    /// A path that did not come from a file dialog of this run or from the recent list.
    pub fn not_allowed() -> Self {
        AppError::new("not_allowed")
    }

    pub fn passphrase_mismatch() -> Self {
        AppError::new("passphrase_mismatch")
    }

    /// A command failed in a way that is a bug (it panicked); nothing was changed by it after
    /// the point of failure, as every write is one transaction.
    pub fn internal() -> Self {
        AppError::new("internal")
    }

    /// A failure of the settings file or another file outside the register. The OS error
    /// text names no register content.
    pub fn io(error: &io::Error) -> Self {
        AppError::new("io").with("detail", error)
    }

    /// A file outside the register (a report, say) could not be written.
    pub fn write_file(path: &Path, error: &io::Error) -> Self {
        AppError::new("write_file").with_path(path).with("detail", error)
    }

    fn invalid(issues: Vec<Issue>) -> Self {
        AppError { issues, ..AppError::new("invalid") }
    }
}

impl From<OpenError> for AppError {
    fn from(error: OpenError) -> Self {
        let base = AppError::new(error.code());
        match error {
            OpenError::NotFound { path } | OpenError::AlreadyExists { path } => base.with_path(&path),
            OpenError::NewerVersion { found, supported } => base.with("found", found).with("supported", supported),
            OpenError::PassphraseTooShort { min } => base.with("min", min),
            OpenError::Invalid(issues) => AppError::invalid(issues),
            OpenError::Io { path, source } => base.with_path(&path).with("detail", source),
            // SQLCipher cannot tell these apart, and a damaged file's message may quote content.
            OpenError::WrongPassphraseOrDamaged
            | OpenError::NotARegister
            | OpenError::AlreadyOpen
            | OpenError::Damaged(_) => base,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        let base = AppError::new(error.code());
        match error {
            StoreError::Invalid(issues) => AppError::invalid(issues),
            StoreError::NotFound { entity, id } | StoreError::InUse { entity, id } => {
                base.with("entity", entity).with("id", id)
            }
            StoreError::ChainBroken { seq } => base.with("seq", seq),
            StoreError::PassphraseTooShort { min } => base.with("min", min),
            StoreError::AlreadyExists { path } => base.with_path(&path),
            StoreError::Io { path, source } => base.with_path(&path).with("detail", source),
            // Database and decoding messages may quote stored values: the code is enough.
            StoreError::NotEmpty | StoreError::Damaged(_) | StoreError::Database(_) => base,
        }
    }
}

impl From<CountryListError> for AppError {
    /// The catalog key is `error.country_list.<code>`, with the code or value that is wrong.
    fn from(error: CountryListError) -> Self {
        let base = AppError::new(&format!("country_list.{}", error.code()));
        match error {
            CountryListError::InvalidCode { code } | CountryListError::DuplicateCode { code } => {
                base.with("code", code)
            }
            CountryListError::DateInvalid { value } => base.with("value", value),
            CountryListError::NoConfigFolder => base,
            CountryListError::Io { path, source } => base.with_path(&path).with("detail", source),
        }
    }
}

impl From<DocumentError> for AppError {
    /// The catalog key is `error.document.<code>`; a store error keeps its own code.
    fn from(error: DocumentError) -> Self {
        let base = AppError::new(&format!("document.{}", error.code()));
        match error {
            DocumentError::Store(e) => AppError::from(e),
            DocumentError::UnsupportedExtension { extension } => base.with("extension", extension),
            DocumentError::WrongType { extension, looks_like } => {
                base.with("extension", extension).with("looks_like", looks_like)
            }
            DocumentError::TooLarge { max } => base.with("max", max),
            DocumentError::NoDocument { version } | DocumentError::NoVersion { version } => {
                base.with("version", version)
            }
            DocumentError::NoSupervision { id } | DocumentError::NoReport { id } => base.with("id", id),
            DocumentError::ImportMismatch { path } => base.with_path(&path),
            DocumentError::Io { path, source } => base.with_path(&path).with("detail", source),
            DocumentError::Empty | DocumentError::Changed | DocumentError::HashMismatch => base,
        }
    }
}
