//! The last chain head seen for each register, kept outside the register file (in the user's
//! config folder), so that a register replaced by an older copy of itself is noticed: its chain
//! is then behind the head seen before, or has a different entry at that position.
//!
//! The record holds register ids and keyed MACs only, no names, paths or personal data.

use crate::change_log::Head;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// Where chain heads are kept. `disabled()` keeps none (used for backups being checked).
#[derive(Debug, Clone)]
pub struct ChainHeads {
    file: Option<PathBuf>,
}

/// What was found when a register's chain was compared with the head seen before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RollbackWarning {
    /// The file's chain ends before the head seen earlier: it is an older copy.
    Behind { file_seq: i64, known_seq: i64 },
    /// The file has another entry where the known head was: its history was rewritten.
    Diverged { seq: i64 },
}

impl ChainHeads {
    /// Heads kept in `dir/chain-heads.json`.
    pub fn at(dir: impl AsRef<Path>) -> Self {
        ChainHeads { file: Some(dir.as_ref().join("chain-heads.json")) }
    }

    /// The user's config folder (see [`crate::settings::config_dir`]).
    pub fn user_default() -> Self {
        match crate::settings::config_dir() {
            Some(dir) => Self::at(dir),
            None => Self::disabled(),
        }
    }

    pub fn disabled() -> Self {
        ChainHeads { file: None }
    }

    fn read_all(file: &Path) -> io::Result<BTreeMap<String, Head>> {
        match fs::read(file) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(e),
        }
    }

    pub fn get(&self, register_id: &str) -> io::Result<Option<Head>> {
        let Some(file) = &self.file else { return Ok(None) };
        Ok(Self::read_all(file)?.remove(register_id))
    }

    /// Records `head` for the register, replacing the file atomically under a lock so that two
    /// processes with different registers do not lose each other's heads.
    pub fn set(&self, register_id: &str, head: &Head) -> io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        let dir = file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let lock = File::create(dir.join("chain-heads.lock"))?;
        lock.lock()?;
        let mut all = Self::read_all(file)?;
        all.insert(register_id.to_owned(), head.clone());
        let tmp = file.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_vec_pretty(&all).map_err(io::Error::other)?)?;
        File::open(&tmp)?.sync_all()?;
        fs::rename(&tmp, file)?;
        lock.unlock()
    }
}
