//! What several test modules share: the passphrase of their registers, the example register
//! and a file hash to prove a file unchanged.

use ropa_core::interchange;
use ropa_core::processing_register::RegisterContent;
use sha2::{Digest, Sha256};
use std::path::Path;

pub const PASS: &str = "korrekt hest batteri";

/// The example register (tests/fixtures/register-da.json) without its breach log.
pub fn fixture_content() -> RegisterContent {
    let text = include_str!("../../../../tests/fixtures/register-da.json");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    interchange::parse(text, today).expect("fixture parses").0
}

pub fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read file")).to_vec()
}
