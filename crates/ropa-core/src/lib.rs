//! ropa-core holds everything ropa knows about GDPR records and how they are kept: the domain
//! types of the processing register and the breach log, the rules that validate them, the
//! deadlines they set running, the encrypted register file ([`Register`]) with its
//! tamper-evident change log, and the JSON interchange format.
//!
//! This crate knows nothing about windows, PDFs or terminals. Errors are typed enums with stable
//! codes; the message catalog in `assets/i18n/` turns them into words for a person.

pub mod audio_folder;
pub mod breach_log;
pub mod call_import;
pub mod chain_heads;
pub mod change_log;
pub mod country_lists;
pub mod deadlines;
pub mod files;
pub mod i18n;
pub mod interchange;
pub mod kdf;
pub mod processing_register;
pub mod processor_agreements;
pub mod recordings;
pub mod register_deadlines;
pub mod secret;
pub mod settings;
pub mod store;
pub mod validation;
pub mod vocab;

pub use chain_heads::ChainHeads;
pub use secret::Passphrase;
pub use store::{OpenError, Register, StoreError};
