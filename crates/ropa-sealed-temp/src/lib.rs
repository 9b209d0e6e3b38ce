//! A SQLite VFS that keeps SQLite's temporary files encrypted.
//!
//! SQLCipher encrypts the database, its journal and its write-ahead log, but not the temporary
//! files SQLite writes beside them: the runs of a sort too large for memory (an index built
//! over a million calls, say), statement journals, temporary tables. Kept in memory instead
//! (`temp_store = MEMORY`), they take as much memory as the work is large. This VFS lets them
//! go to disk (`temp_store = FILE`), encrypted: each temporary file gets a random ChaCha20 key
//! of its own, which exists only in this process's memory and is dropped when SQLite closes
//! the file (and SQLite deletes the file). What reaches the disk cannot be read without it.
//!
//! Every other file, the register and its log among them, and every other method go to the
//! platform's default VFS unchanged; SQLCipher encrypts those as before. [`seal`] holds how a
//! file is encrypted and is safe code; [`vfs`] is the foreign-function glue.
//!
//! ```
//! let vfs = ropa_sealed_temp::register().expect("register the VFS");
//! let dir = tempfile::tempdir().unwrap();
//! let flags = rusqlite::OpenFlags::default();
//! let conn = rusqlite::Connection::open_with_flags_and_vfs(dir.path().join("a.db"), flags, vfs).unwrap();
//! conn.execute_batch("PRAGMA temp_store = FILE;").unwrap();
//! ```

#![allow(unsafe_code)]

mod seal;
mod vfs;

use std::sync::OnceLock;
use std::sync::atomic::Ordering;

/// Registers the VFS (once per process; later calls return the same answer) and returns its
/// name, for `Connection::open_with_flags_and_vfs`. It is not made the default VFS.
pub fn register() -> Result<&'static str, Error> {
    static REGISTERED: OnceLock<Result<(), i32>> = OnceLock::new();
    match REGISTERED.get_or_init(vfs::register) {
        Ok(()) => Ok(name()),
        Err(code) => Err(Error { code: *code }),
    }
}

/// The VFS's name.
pub fn name() -> &'static str {
    match vfs::NAME.to_str() {
        Ok(name) => name,
        Err(_) => unreachable!("the name is ASCII"),
    }
}

/// The VFS could not be registered; `code` is SQLite's result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the encrypting VFS for temporary files could not be registered (SQLite code {code})")]
pub struct Error {
    pub code: i32,
}

/// What went through the VFS's encryption in this process so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Temporary files opened.
    pub files: u64,
    /// Bytes SQLite wrote to them.
    pub bytes: u64,
}

/// The counts so far; they only grow.
pub fn stats() -> Stats {
    Stats { files: vfs::FILES_SEALED.load(Ordering::Relaxed), bytes: vfs::BYTES_SEALED.load(Ordering::Relaxed) }
}
