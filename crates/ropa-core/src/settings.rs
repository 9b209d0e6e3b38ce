//! The user's settings and recently opened registers, kept as JSON in the user's config folder
//! (`$ROPA_CONFIG_DIR`, else the platform's config folder) beside the chain heads. Nothing here
//! is inside a register: these belong to the person at this computer, not to an organisation.

use crate::vocab::Language;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// How many recent registers are remembered.
pub const RECENT_MAX: usize = 10;

/// The folder for settings and chain heads: `$ROPA_CONFIG_DIR`, else the platform's config
/// folder for ropa, else `None` (then nothing is remembered).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ROPA_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dk", "ropa", "ropa").map(|d| d.config_dir().to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Settings {
    /// The interface language; `None` follows the system.
    pub language: Option<Language>,
    /// Lock an open register after this many idle minutes; 0 never locks.
    pub auto_lock_minutes: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { language: None, auto_lock_minutes: 10 }
    }
}

/// A register opened before on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecentRegister {
    pub path: String,
    pub organisation: String,
    /// UTC, RFC 3339.
    pub opened_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    settings: Settings,
    recent: Vec<RecentRegister>,
}

/// The settings file. Every change is written at once, atomically.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    file: Option<PathBuf>,
}

impl SettingsStore {
    pub fn at(dir: impl AsRef<Path>) -> Self {
        SettingsStore { file: Some(dir.as_ref().join("settings.json")) }
    }

    pub fn user_default() -> Self {
        SettingsStore { file: config_dir().map(|d| d.join("settings.json")) }
    }

    /// The edited country lists, kept in the same folder.
    pub fn country_lists(&self) -> crate::country_lists::CountryListsStore {
        match self.file.as_ref().and_then(|f| f.parent()) {
            Some(dir) => crate::country_lists::CountryListsStore::at(dir),
            None => crate::country_lists::CountryListsStore::nowhere(),
        }
    }

    /// What is stored; a missing or unreadable file gives the defaults, never an error, so a
    /// damaged settings file cannot keep anyone from their register.
    fn load(&self) -> Stored {
        self.file
            .as_ref()
            .and_then(|f| fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn store(&self, stored: &Stored) -> io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_vec_pretty(stored).map_err(io::Error::other)?)?;
        File::open(&tmp)?.sync_all()?;
        fs::rename(&tmp, file)
    }

    pub fn settings(&self) -> Settings {
        self.load().settings
    }

    pub fn save_settings(&self, settings: &Settings) -> io::Result<()> {
        let mut stored = self.load();
        stored.settings = settings.clone();
        self.store(&stored)
    }

    /// Recently opened registers, newest first.
    pub fn recent(&self) -> Vec<RecentRegister> {
        self.load().recent
    }

    /// Puts `path` first in the recent list (once), keeping at most [`RECENT_MAX`].
    pub fn remember(&self, path: &Path, organisation: &str) -> io::Result<()> {
        let mut stored = self.load();
        let path = path.display().to_string();
        stored.recent.retain(|r| r.path != path);
        stored.recent.insert(
            0,
            RecentRegister {
                path,
                organisation: organisation.to_owned(),
                opened_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
        );
        stored.recent.truncate(RECENT_MAX);
        self.store(&stored)
    }

    pub fn forget(&self, path: &str) -> io::Result<()> {
        let mut stored = self.load();
        stored.recent.retain(|r| r.path != path);
        self.store(&stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_round_trip_and_survive_a_damaged_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::at(dir.path());
        assert_eq!(store.settings(), Settings::default());
        let settings = Settings { language: Some(Language::NorwegianBokmal), auto_lock_minutes: 5 };
        store.save_settings(&settings).expect("save");
        assert_eq!(store.settings(), settings);
        fs::write(dir.path().join("settings.json"), b"{ not json").expect("damage");
        assert_eq!(store.settings(), Settings::default());
    }

    #[test]
    fn recent_registers_are_newest_first_once_each_and_capped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::at(dir.path());
        for i in 0..12 {
            store.remember(Path::new(&format!("/r/{i}.ropa")), "Org").expect("remember");
        }
        store.remember(Path::new("/r/5.ropa"), "Org 5").expect("remember");
        let recent = store.recent();
        assert_eq!(recent.len(), RECENT_MAX);
        assert_eq!(recent[0].path, "/r/5.ropa");
        assert_eq!(recent[0].organisation, "Org 5");
        assert_eq!(recent.iter().filter(|r| r.path == "/r/5.ropa").count(), 1);
        assert_eq!(recent[1].path, "/r/11.ropa");
        store.forget("/r/5.ropa").expect("forget");
        assert_eq!(store.recent()[0].path, "/r/11.ropa");
        // Settings are kept apart from the recent list.
        assert_eq!(store.settings(), Settings::default());
    }
}
