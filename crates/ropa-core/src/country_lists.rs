//! The two country lists the transfer rules need — the EEA, and the third countries with an
//! adequacy decision (Art. 45(3)) — each with the day it is correct "as of". ropa ships both
//! (`assets/data/eea.json`, `assets/data/adequacy.json`); the person may edit either when the
//! Commission decides something new, and the edited lists are kept in `country-lists.json` in
//! the user's config folder beside the settings, so the CLI and the app use the same. A list
//! not edited (or reset) is the shipped one.
//!
//! The lists are passed to the rules as a value ([`CountryLists`], in
//! [`crate::validation::Context`] and the processors' checks), never read from a global, so
//! that what a check used is always what the caller gave it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One list of ISO 3166-1 alpha-2 country codes and the day it is correct as of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CountryList {
    pub as_of: NaiveDate,
    pub countries: Vec<String>,
}

impl CountryList {
    pub fn contains(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c == code)
    }
}

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// The EEA: EU 27 + Iceland, Liechtenstein, Norway.
    Eea,
    /// Third countries with an adequacy decision (the US through the DPF is a mechanism).
    Adequacy,
}

impl ListKind {
    pub fn id(self) -> &'static str {
        match self {
            ListKind::Eea => "eea",
            ListKind::Adequacy => "adequacy",
        }
    }
}

/// Both lists as the rules use them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryLists {
    pub eea: CountryList,
    pub adequacy: CountryList,
}

impl Default for CountryLists {
    /// The shipped lists.
    fn default() -> Self {
        CountryLists::shipped().clone()
    }
}

fn parse_shipped(json: &str) -> CountryList {
    serde_json::from_str(json).unwrap_or(CountryList { as_of: NaiveDate::MIN, countries: Vec::new() })
}

impl CountryLists {
    /// The lists shipped with this build.
    pub fn shipped() -> &'static CountryLists {
        static CELL: OnceLock<CountryLists> = OnceLock::new();
        CELL.get_or_init(|| CountryLists {
            eea: parse_shipped(include_str!("../../../assets/data/eea.json")),
            adequacy: parse_shipped(include_str!("../../../assets/data/adequacy.json")),
        })
    }
}

/// One list as the settings show it: in effect, and whether it is the person's edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CountryListSetting {
    pub as_of: NaiveDate,
    pub countries: Vec<String>,
    /// `false`: the list shipped with ropa.
    pub edited: bool,
}

/// Both lists as the settings show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CountryListSettings {
    pub eea: CountryListSetting,
    pub adequacy: CountryListSetting,
}

/// Why an edited list was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CountryListError {
    #[error("{code:?} is not an ISO 3166-1 alpha-2 code (two capital letters)")]
    InvalidCode { code: String },
    #[error("{code} is in the list twice")]
    DuplicateCode { code: String },
    #[error("{value:?} is not a date (2026-01-31)")]
    DateInvalid { value: String },
    #[error("there is no config folder to keep the lists in")]
    NoConfigFolder,
    #[error("I/O error at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl CountryListError {
    /// A stable code; the catalog key is `error.country_list.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            CountryListError::InvalidCode { .. } => "invalid_code",
            CountryListError::DuplicateCode { .. } => "duplicate_code",
            CountryListError::DateInvalid { .. } => "date_invalid",
            CountryListError::NoConfigFolder => "no_config_folder",
            CountryListError::Io { .. } => "io",
        }
    }
}

/// Checks a list's codes: each two capital letters A–Z, none twice. The first bad one is named.
pub fn check_codes(countries: &[String]) -> Result<(), CountryListError> {
    let mut seen = std::collections::HashSet::new();
    for code in countries {
        if !crate::validation::is_country_code(code) {
            return Err(CountryListError::InvalidCode { code: code.clone() });
        }
        if !seen.insert(code.as_str()) {
            return Err(CountryListError::DuplicateCode { code: code.clone() });
        }
    }
    Ok(())
}

/// Reads a list's "as of" day as the person typed it (2026-01-31).
pub fn parse_as_of(text: &str) -> Result<NaiveDate, CountryListError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| CountryListError::DateInvalid { value: text.to_owned() })
}

/// Splits the codes as the person typed them: separated by commas, spaces or new lines; empty
/// pieces are dropped. Nothing is corrected: a lowercase code stays as typed and is refused.
pub fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What the file holds: the edited lists only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    #[serde(skip_serializing_if = "Option::is_none")]
    eea: Option<CountryList>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adequacy: Option<CountryList>,
}

impl Stored {
    fn slot(&mut self, kind: ListKind) -> &mut Option<CountryList> {
        match kind {
            ListKind::Eea => &mut self.eea,
            ListKind::Adequacy => &mut self.adequacy,
        }
    }
}

/// The file of edited lists, `country-lists.json`. Every change is written at once, atomically.
#[derive(Debug, Clone)]
pub struct CountryListsStore {
    file: Option<PathBuf>,
}

impl CountryListsStore {
    pub fn at(dir: impl AsRef<Path>) -> Self {
        CountryListsStore { file: Some(dir.as_ref().join("country-lists.json")) }
    }

    /// Without a folder: the shipped lists, and nothing can be saved.
    pub fn nowhere() -> Self {
        CountryListsStore { file: None }
    }

    /// In the user's config folder ([`crate::settings::config_dir`]).
    pub fn user_default() -> Self {
        CountryListsStore { file: crate::settings::config_dir().map(|d| d.join("country-lists.json")) }
    }

    /// The edited lists. A missing file has none; a damaged file, or a list in it with a bad
    /// code, counts as not edited, so that a damaged file cannot keep anyone from their
    /// register (the shipped list is then used, and the settings show it as such).
    fn load(&self) -> Stored {
        let mut stored: Stored = self
            .file
            .as_ref()
            .and_then(|f| fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        for kind in [ListKind::Eea, ListKind::Adequacy] {
            let slot = stored.slot(kind);
            if slot.as_ref().is_some_and(|list| check_codes(&list.countries).is_err()) {
                *slot = None;
            }
        }
        stored
    }

    fn store(&self, stored: &Stored) -> Result<(), CountryListError> {
        let Some(file) = &self.file else { return Err(CountryListError::NoConfigFolder) };
        let io = |source| CountryListError::Io { path: file.clone(), source };
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let mut bytes = serde_json::to_vec_pretty(stored).map_err(|e| io(io::Error::other(e)))?;
        bytes.push(b'\n');
        // A temporary file of its own beside the destination: the CLI and the app may write at once.
        crate::files::write_atomically(file, &bytes, crate::files::Existing::Replace).map_err(io)
    }

    /// The lists in effect: each edited one, else the shipped one.
    pub fn lists(&self) -> CountryLists {
        let stored = self.load();
        let shipped = CountryLists::shipped();
        CountryLists {
            eea: stored.eea.unwrap_or_else(|| shipped.eea.clone()),
            adequacy: stored.adequacy.unwrap_or_else(|| shipped.adequacy.clone()),
        }
    }

    /// The lists in effect, each marked edited or shipped.
    pub fn settings(&self) -> CountryListSettings {
        let stored = self.load();
        let shipped = CountryLists::shipped();
        let setting = |edited: Option<CountryList>, shipped: &CountryList| {
            let is_edited = edited.is_some();
            let list = edited.unwrap_or_else(|| shipped.clone());
            CountryListSetting { as_of: list.as_of, countries: list.countries, edited: is_edited }
        };
        CountryListSettings {
            eea: setting(stored.eea, &shipped.eea),
            adequacy: setting(stored.adequacy, &shipped.adequacy),
        }
    }

    /// Replaces one list with the person's edit. The codes are checked first: on a bad one
    /// nothing is written. Returns the lists now in effect.
    pub fn set(&self, kind: ListKind, list: CountryList) -> Result<CountryLists, CountryListError> {
        check_codes(&list.countries)?;
        let mut stored = self.load();
        *stored.slot(kind) = Some(list);
        self.store(&stored)?;
        Ok(self.lists())
    }

    /// Puts one list (or, with `None`, both) back to the shipped one.
    pub fn reset(&self, kind: Option<ListKind>) -> Result<CountryLists, CountryListError> {
        let mut stored = self.load();
        match kind {
            Some(kind) => *stored.slot(kind) = None,
            None => stored = Stored::default(),
        }
        self.store(&stored)?;
        Ok(self.lists())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn the_shipped_lists_are_in_effect_until_one_is_edited_and_again_after_a_reset() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = CountryListsStore::at(dir.path());
        assert_eq!(&store.lists(), CountryLists::shipped());
        assert!(store.lists().eea.contains("NO"));
        assert!(!store.settings().adequacy.edited);

        let edited = CountryList { as_of: date(2026, 9, 1), countries: codes(&["CH", "GB", "BR"]) };
        let lists = store.set(ListKind::Adequacy, edited.clone()).expect("set");
        assert_eq!(lists.adequacy, edited);
        assert_eq!(lists.eea, CountryLists::shipped().eea);
        // Another store on the same folder (the other shell) reads the same.
        let again = CountryListsStore::at(dir.path());
        assert_eq!(again.lists().adequacy, edited);
        assert!(again.settings().adequacy.edited);
        assert!(!again.settings().eea.edited);
        assert!(!dir.path().join("country-lists.json.tmp").exists());

        let lists = store.reset(Some(ListKind::Adequacy)).expect("reset");
        assert_eq!(&lists, CountryLists::shipped());
        assert!(!store.settings().adequacy.edited);
    }

    #[test]
    fn a_bad_code_is_refused_by_name_and_nothing_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = CountryListsStore::at(dir.path());
        let first = CountryList { as_of: date(2026, 1, 1), countries: codes(&["CH"]) };
        store.set(ListKind::Adequacy, first.clone()).expect("set");
        let before = fs::read(dir.path().join("country-lists.json")).expect("read");
        for (countries, code, expected) in [
            (codes(&["CH", "gb"]), "gb", "invalid_code"),
            (codes(&["CH", "GBR"]), "GBR", "invalid_code"),
            (codes(&["C1"]), "C1", "invalid_code"),
            (codes(&["", "CH"]), "", "invalid_code"),
            (codes(&["CH", "JP", "CH"]), "CH", "duplicate_code"),
        ] {
            let err =
                store.set(ListKind::Adequacy, CountryList { as_of: date(2026, 2, 1), countries }).expect_err("refused");
            assert_eq!(err.code(), expected);
            match err {
                CountryListError::InvalidCode { code: named } | CountryListError::DuplicateCode { code: named } => {
                    assert_eq!(named, code)
                }
                other => panic!("unexpected {other}"),
            }
            assert_eq!(fs::read(dir.path().join("country-lists.json")).expect("read"), before);
        }
        assert_eq!(store.lists().adequacy, first);
    }

    #[test]
    fn a_damaged_file_gives_the_shipped_lists() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("country-lists.json"), b"{ not json").expect("damage");
        assert_eq!(&CountryListsStore::at(dir.path()).lists(), CountryLists::shipped());
        fs::write(dir.path().join("country-lists.json"), br#"{"eea": {"as_of": "2026-01-01", "countries": ["dk"]}}"#)
            .expect("write");
        assert_eq!(&CountryListsStore::at(dir.path()).lists(), CountryLists::shipped());
    }
}
