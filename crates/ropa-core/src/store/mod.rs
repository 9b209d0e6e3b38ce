//! The register file: one SQLCipher-encrypted SQLite file per organisation.
//!
//! File format (version 1): SQLCipher 4 with a raw 256-bit key. The key is Argon2id of the
//! passphrase with the file's own 16-byte salt (the first 16 bytes of every SQLCipher file, the
//! only plaintext in it). WAL with `synchronous=FULL`, foreign keys, `secure_delete`, an in-memory
//! temp store and a 64 MiB page cache. Schema versions live in `PRAGMA user_version`
//! ([`migrations`]).
//!
//! Only one process may have a register open: [`Register`] holds an exclusive advisory lock
//! (`flock`) on the file for as long as it lives. Every write is one immediate transaction that
//! also appends one entry to the change log.

mod call_requests;
mod migrations;
mod processors;
mod recordings;
mod schema;

use crate::breach_log::{Breach, BreachLog, BreachSettings, BreachSummary};
use crate::chain_heads::{ChainHeads, RollbackWarning};
use crate::change_log::{self, ChainReport, Change, Entry, Head};
use crate::kdf;
use crate::processing_register::*;
use crate::secret::{Key, Passphrase};
use crate::validation::{self, Issue};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub use migrations::LATEST_VERSION;
pub use schema::Catalog;

/// The shortest passphrase a new register accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// SQLCipher's page size; a register file is always a whole number of pages.
const PAGE_SIZE: u64 = 4096;
/// Page cache in KiB. With SQLCipher every page read from disk is decrypted and checked; a
/// cache this size keeps a small business's whole register decrypted in memory. See the
/// benchmark (`cargo bench -p ropa-core`) for the measured difference.
pub const CACHE_KIB: i64 = 64 * 1024;

/// Why a register could not be created or opened. Each has a stable [`OpenError::code`].
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no register at {path}")]
    NotFound { path: PathBuf },
    #[error("a file already exists at {path}")]
    AlreadyExists { path: PathBuf },
    #[error("wrong passphrase, or the file is damaged")]
    WrongPassphraseOrDamaged,
    #[error("not a ropa register")]
    NotARegister,
    #[error(
        "the register was written by a newer version of ropa (schema {found}, this version reads up to {supported})"
    )]
    NewerVersion { found: i64, supported: i64 },
    #[error("this register is open in another window or process")]
    AlreadyOpen,
    #[error("the passphrase must have at least {min} characters")]
    PassphraseTooShort { min: usize },
    #[error("the organisation is not valid")]
    Invalid(Vec<Issue>),
    #[error("I/O error at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the register file is damaged: {0}")]
    Damaged(String),
}

impl OpenError {
    /// A stable code; the message catalog key is `error.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            OpenError::NotFound { .. } => "not_found",
            OpenError::AlreadyExists { .. } => "already_exists",
            OpenError::WrongPassphraseOrDamaged => "wrong_passphrase",
            OpenError::NotARegister => "not_a_register",
            OpenError::NewerVersion { .. } => "newer_version",
            OpenError::AlreadyOpen => "already_open",
            OpenError::PassphraseTooShort { .. } => "passphrase_too_short",
            OpenError::Invalid(_) => "invalid",
            OpenError::Io { .. } => "io",
            OpenError::Damaged(_) => "damaged",
        }
    }
}

/// Why a read or write on an open register failed. The stored data is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("validation failed")]
    Invalid(Vec<Issue>),
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },
    #[error("{entity} {id} is still used by an activity")]
    InUse { entity: &'static str, id: String },
    #[error("the register already holds records; importing would replace them")]
    NotEmpty,
    #[error("the change log is broken at entry {seq}; run verify")]
    ChainBroken { seq: i64 },
    #[error("the passphrase must have at least {min} characters")]
    PassphraseTooShort { min: usize },
    #[error("a file already exists at {path}")]
    AlreadyExists { path: PathBuf },
    #[error("I/O error at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the register file is damaged: {0}")]
    Damaged(String),
    #[error("database error: {0}")]
    Database(rusqlite::Error),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Invalid(_) => "invalid",
            StoreError::NotFound { .. } => "record_not_found",
            StoreError::InUse { .. } => "in_use",
            StoreError::NotEmpty => "not_empty",
            StoreError::ChainBroken { .. } => "chain_broken",
            StoreError::PassphraseTooShort { .. } => "passphrase_too_short",
            StoreError::AlreadyExists { .. } => "already_exists",
            StoreError::Io { .. } => "io",
            StoreError::Damaged(_) => "damaged",
            StoreError::Database(_) => "database",
        }
    }
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if is_damage(&e) { StoreError::Damaged(e.to_string()) } else { StoreError::Database(e) }
    }
}

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> Self {
        OpenError::Damaged(e.to_string())
    }
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        OpenError::Damaged(e.to_string())
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyReport {
    /// `PRAGMA integrity_check` problems; empty when the file is sound.
    pub integrity: Vec<String>,
    /// `PRAGMA cipher_integrity_check` problems (pages whose MAC fails); empty when sound.
    pub cipher_integrity: Vec<String>,
    pub chain: ChainReport,
    pub rollback: Option<RollbackWarning>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty()
            && self.cipher_integrity.is_empty()
            && self.chain.first_bad.is_none()
            && self.rollback.is_none()
    }
}

/// Tuning knobs for the benchmark, which compares with plain SQLite in the same run.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    pub encrypted: bool,
    pub cache_kib: i64,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions { encrypted: true, cache_kib: CACHE_KIB }
    }
}

/// An open, unlocked register. Dropping it closes the file and releases the lock.
#[derive(Debug)]
pub struct Register {
    conn: Connection,
    /// Held for the advisory lock; released when dropped, after `conn`.
    lock: File,
    path: PathBuf,
    key: Key,
    salt: [u8; kdf::SALT_LEN],
    chain_key: Key,
    register_id: String,
    heads: ChainHeads,
    rollback: Option<RollbackWarning>,
    /// The EEA and adequacy lists the rules use: the shipped ones unless the shell sets the
    /// person's ([`Register::set_country_lists`]).
    country_lists: validation::CountryLists,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OpenError + '_ {
    move |source| OpenError::Io { path: path.to_owned(), source }
}

/// Takes the exclusive lock that keeps a second process out.
fn lock_file(file: &File) -> Result<(), OpenError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(OpenError::AlreadyOpen),
        Err(std::fs::TryLockError::Error(e)) => Err(OpenError::Io { path: PathBuf::new(), source: e }),
    }
}

fn key_spec(key: &Key, salt: &[u8; kdf::SALT_LEN]) -> Zeroizing<String> {
    // SQLCipher's raw key form with an explicit salt: x'<64 hex key><32 hex salt>'.
    Zeroizing::new(format!("x'{}{}'", hex::encode(key.bytes()), hex::encode(salt)))
}

/// Flags for the register's own connection. `CREATE` lets `ATTACH` make backup and re-key
/// files; the register file itself always exists before it is opened.
const FLAGS: OpenFlags =
    OpenFlags::SQLITE_OPEN_READ_WRITE.union(OpenFlags::SQLITE_OPEN_CREATE).union(OpenFlags::SQLITE_OPEN_NO_MUTEX);

/// The MAC each page of a register carries. SQLCipher 4's default, which registers written
/// before 2 December 2026 have, is HMAC-SHA512; new registers, backups and re-encrypted
/// registers get HMAC-SHA256, which processors with SHA extensions compute two to three times
/// faster, and which is as sound a page MAC. The file does not say which it has: an open tries
/// the newer first (a wrong MAC fails on page 1 like a wrong key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMac {
    Sha256,
    Sha512,
}

impl PageMac {
    /// The one new registers, backups and re-keyed registers get.
    pub const NEW: PageMac = PageMac::Sha256;
    /// In the order an open tries them.
    const ALL: [PageMac; 2] = [PageMac::Sha256, PageMac::Sha512];

    fn algorithm(self) -> &'static str {
        match self {
            PageMac::Sha256 => "HMAC_SHA256",
            PageMac::Sha512 => "HMAC_SHA512",
        }
    }
}

/// A register file's key, salt and page MAC.
type Keying<'a> = (&'a Key, &'a [u8; kdf::SALT_LEN], PageMac);

/// Opens a connection and gives SQLCipher the key and the page MAC; nothing is read yet.
fn connect(path: &Path, key: Option<Keying<'_>>, flags: OpenFlags) -> Result<Connection, OpenError> {
    let io = |e: String| OpenError::Io { path: path.to_owned(), source: io::Error::other(e) };
    // Through the VFS that encrypts SQLite's temporary files, which SQLCipher leaves plain.
    let vfs = ropa_sealed_temp::register().map_err(|e| io(e.to_string()))?;
    let conn = Connection::open_with_flags_and_vfs(path, flags, vfs).map_err(|e| io(e.to_string()))?;
    if let Some((key, salt, mac)) = key {
        // Quiet SQLCipher before keying, so a wrong key does not print to stderr.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        let sql = Zeroizing::new(format!("PRAGMA key = \"{}\";", key_spec(key, salt).as_str()));
        conn.execute_batch(&sql)?;
        conn.execute_batch(&format!("PRAGMA cipher_hmac_algorithm = {};", mac.algorithm()))?;
    }
    Ok(conn)
}

/// Connects with each page MAC in turn until page 1 reads: the connection and its MAC, or
/// `WrongPassphraseOrDamaged` when none reads it.
fn connect_any(
    path: &Path,
    key: &Key,
    salt: &[u8; kdf::SALT_LEN],
    flags: OpenFlags,
) -> Result<(Connection, PageMac), OpenError> {
    for mac in PageMac::ALL {
        let conn = connect(path, Some((key, salt, mac)), flags)?;
        if reads_page_one(&conn)? {
            return Ok((conn, mac));
        }
    }
    Err(OpenError::WrongPassphraseOrDamaged)
}

/// Whether the first page reads: SQLCipher cannot decrypt it with a wrong key or page MAC.
fn reads_page_one(conn: &Connection) -> Result<bool, OpenError> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(true),
        Err(e) if is_damage(&e) => Ok(false),
        Err(e) => Err(OpenError::Damaged(e.to_string())),
    }
}

/// The settings every connection gets once the key has proved right.
fn configure(conn: &Connection, cache_kib: i64) -> rusqlite::Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    debug_assert_eq!(mode, "wal");
    // Temporary files (a large sort's runs) go to disk, where the VFS `connect` opens with
    // encrypts them, rather than into memory, which would grow with the sort.
    conn.execute_batch(&format!(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = FILE;
         PRAGMA cache_size = -{cache_kib};"
    ))
}

/// Reads the salt and rules out files that cannot be registers, without decrypting anything.
fn sniff(path: &Path) -> Result<[u8; kdf::SALT_LEN], OpenError> {
    let mut file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => OpenError::NotFound { path: path.to_owned() },
        _ => OpenError::Io { path: path.to_owned(), source: e },
    })?;
    let len = file.metadata().map_err(io_err(path))?.len();
    if len == 0 || !len.is_multiple_of(PAGE_SIZE) {
        return Err(OpenError::NotARegister);
    }
    let mut salt = [0u8; kdf::SALT_LEN];
    file.read_exact(&mut salt).map_err(io_err(path))?;
    if &salt == b"SQLite format 3\0" {
        // A plain, unencrypted SQLite database.
        return Err(OpenError::NotARegister);
    }
    Ok(salt)
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl Register {
    /// Creates a new register at `path` (which must not exist) for `organisation`.
    pub fn create(
        path: &Path,
        passphrase: &Passphrase,
        organisation: &Organisation,
        heads: ChainHeads,
    ) -> Result<Register, OpenError> {
        Self::create_with(path, passphrase, organisation, heads, BenchOptions::default())
    }

    #[doc(hidden)]
    pub fn create_with(
        path: &Path,
        passphrase: &Passphrase,
        organisation: &Organisation,
        heads: ChainHeads,
        options: BenchOptions,
    ) -> Result<Register, OpenError> {
        if passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(OpenError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
        }
        let issues: Vec<Issue> = validation::validate_organisation(organisation, "/organisation")
            .into_iter()
            .filter(Issue::is_error)
            .collect();
        if !issues.is_empty() {
            return Err(OpenError::Invalid(issues));
        }
        let lock = OpenOptions::new().read(true).write(true).create_new(true).open(path).map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                OpenError::AlreadyExists { path: path.to_owned() }
            } else {
                OpenError::Io { path: path.to_owned(), source: e }
            }
        })?;
        let result = (|| {
            lock_file(&lock)?;
            let salt = kdf::new_salt()
                .map_err(|e| OpenError::Io { path: path.to_owned(), source: io::Error::other(e.to_string()) })?;
            let key = kdf::derive_key(passphrase, &salt).map_err(|e| OpenError::Damaged(e.to_string()))?;
            let mut conn = connect(path, options.encrypted.then_some((&key, &salt, PageMac::NEW)), FLAGS)?;
            configure(&conn, options.cache_kib)?;
            migrations::apply(&mut conn)?;
            let register_id = uuid::Uuid::new_v4().to_string();
            let chain_key = change_log::chain_key(&key);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            schema::init_meta(&tx, &register_id)?;
            schema::put_organisation(&tx, organisation)?;
            let head =
                change_log::append(&tx, &chain_key, &Change::new("register", &register_id, "create"), Utc::now())?;
            tx.commit()?;
            let _ = heads.set(&register_id, &head);
            Ok(Register {
                conn,
                lock,
                path: path.to_owned(),
                key,
                salt,
                chain_key,
                register_id,
                heads,
                rollback: None,
                country_lists: Default::default(),
            })
        })();
        if result.is_err() {
            // Leave nothing behind: a half-created register is no register.
            for suffix in ["", "-wal", "-shm"] {
                let _ = fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        result
    }

    /// Opens and unlocks the register at `path`.
    pub fn open(path: &Path, passphrase: &Passphrase, heads: ChainHeads) -> Result<Register, OpenError> {
        Self::open_with(path, passphrase, heads, BenchOptions::default())
    }

    #[doc(hidden)]
    pub fn open_with(
        path: &Path,
        passphrase: &Passphrase,
        heads: ChainHeads,
        options: BenchOptions,
    ) -> Result<Register, OpenError> {
        let salt = if options.encrypted { sniff(path)? } else { [0u8; kdf::SALT_LEN] };
        let lock = OpenOptions::new().read(true).write(true).open(path).map_err(io_err(path))?;
        lock_file(&lock)?;
        let key = kdf::derive_key(passphrase, &salt).map_err(|e| OpenError::Damaged(e.to_string()))?;
        Self::open_keyed(path, lock, key, salt, heads, options)
    }

    fn open_keyed(
        path: &Path,
        lock: File,
        key: Key,
        salt: [u8; kdf::SALT_LEN],
        heads: ChainHeads,
        options: BenchOptions,
    ) -> Result<Register, OpenError> {
        // The first read proves the key and the page MAC.
        let mut conn = if options.encrypted {
            connect_any(path, &key, &salt, FLAGS)?.0
        } else {
            let conn = connect(path, None, FLAGS)?;
            if !reads_page_one(&conn)? {
                return Err(OpenError::WrongPassphraseOrDamaged);
            }
            conn
        };
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > LATEST_VERSION {
            return Err(OpenError::NewerVersion { found: version, supported: LATEST_VERSION });
        }
        if !schema::is_register(&conn)? {
            return Err(OpenError::NotARegister);
        }
        configure(&conn, options.cache_kib)?;
        // A large import that was stopped before its end left its indices to be built, on the
        // schema it dropped them from: before any migration.
        {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if recordings::build_call_indices(&tx, Some(recordings::BUILD_CACHE_KIB))? {
                tx.commit()?;
            }
        }
        migrations::apply(&mut conn)?;
        let register_id = schema::register_id(&conn)?;
        let chain_key = change_log::chain_key(&key);
        let mut register = Register {
            conn,
            lock,
            path: path.to_owned(),
            key,
            salt,
            chain_key,
            register_id,
            heads,
            rollback: None,
            country_lists: Default::default(),
        };
        register.rollback = register.check_head().map_err(|e| OpenError::Io { path: path.to_owned(), source: e })?;
        Ok(register)
    }

    /// Compares the file's chain with the head seen before; records the head when all is well.
    fn check_head(&self) -> io::Result<Option<RollbackWarning>> {
        let file_head = change_log::head(&self.conn).map_err(io::Error::other)?;
        let known = self.heads.get(&self.register_id)?;
        let file_seq = file_head.as_ref().map_or(0, |h| h.seq);
        if let Some(known) = known {
            if file_seq < known.seq {
                return Ok(Some(RollbackWarning::Behind { file_seq, known_seq: known.seq }));
            }
            let mac = change_log::mac_at(&self.conn, known.seq).map_err(io::Error::other)?;
            if mac.as_deref() != Some(known.mac.as_str()) {
                return Ok(Some(RollbackWarning::Diverged { seq: known.seq }));
            }
        }
        if let Some(head) = file_head {
            self.heads.set(&self.register_id, &head)?;
        }
        Ok(None)
    }

    /// Set when the file's change log is behind, or differs from, the one seen before on this
    /// computer: the file may have been replaced by an older copy.
    pub fn rollback_warning(&self) -> Option<&RollbackWarning> {
        self.rollback.as_ref()
    }

    /// The EEA and adequacy lists the rules use for this register.
    pub fn country_lists(&self) -> &validation::CountryLists {
        &self.country_lists
    }

    /// Sets the EEA and adequacy lists the rules use (the person's, from
    /// [`crate::country_lists::CountryListsStore`]); until then they are the shipped ones.
    pub fn set_country_lists(&mut self, lists: validation::CountryLists) {
        self.country_lists = lists;
    }

    /// Accepts the file's current chain as the known head (after a deliberate restore).
    pub fn accept_current_head(&mut self) -> Result<(), StoreError> {
        if let Some(head) = change_log::head(&self.conn)? {
            self.heads
                .set(&self.register_id, &head)
                .map_err(|source| StoreError::Io { path: PathBuf::from("chain-heads.json"), source })?;
        }
        self.rollback = None;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The register's id: random, made at creation, kept by backups.
    pub fn id(&self) -> &str {
        &self.register_id
    }

    /// Runs `f` in one immediate transaction and appends `change` to the change log in it.
    fn write<T>(
        &mut self,
        change: Change,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_with(change, f)
    }

    /// [`Register::write`] for work whose errors are wider than the store's.
    fn write_with<T, E: From<StoreError>>(
        &mut self,
        change: Change,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&tx)?;
        let head = change_log::append(&tx, &self.chain_key, &change, Utc::now()).map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        self.record_head(&head);
        Ok(out)
    }

    fn record_head(&self, head: &Head) {
        // While a rollback warning stands, the known head is kept until the user accepts.
        if self.rollback.is_none() {
            // Failing to record the head must not fail the write that already committed.
            let _ = self.heads.set(&self.register_id, head);
        }
    }

    // --- reads ------------------------------------------------------------------------------

    pub fn organisation(&self) -> Result<Organisation, StoreError> {
        schema::get_organisation(&self.conn)
    }

    /// The whole register content, in the order records were first saved.
    pub fn content(&self) -> Result<RegisterContent, StoreError> {
        schema::get_content(&self.conn)
    }

    /// Every activity, summarised with its issue counts and the flags a list filters on.
    pub fn activities(&self) -> Result<Vec<ActivitySummary>, StoreError> {
        self.activities_on(today())
    }

    #[doc(hidden)]
    pub fn activities_on(&self, today: NaiveDate) -> Result<Vec<ActivitySummary>, StoreError> {
        let content = self.content()?;
        let ctx = validation::Context::of(&content, today, &self.country_lists);
        let special =
            |id: &str| content.data_categories.iter().any(|c| c.id == id && c.kind == crate::vocab::DataKind::Special);
        Ok(content
            .activities
            .iter()
            .map(|a| ActivitySummary::new(a, today, &validation::validate_activity(&ctx, a, ""), special))
            .collect())
    }

    /// Checks an activity against the register without saving it (for live feedback while
    /// editing). Paths are relative to the activity.
    pub fn check_activity(&self, activity: &Activity) -> Result<Vec<Issue>, StoreError> {
        let context = schema::get_context(&self.conn)?;
        Ok(validation::validate_activity(
            &validation::Context::of(&context, today(), &self.country_lists),
            activity,
            "",
        ))
    }

    /// The register at a glance, as of `today`.
    pub fn overview(&self, today: NaiveDate) -> Result<Overview, StoreError> {
        let content = self.content()?;
        let summaries = self.activities_on(today)?;
        let ctx = validation::Context::of(&content, today, &self.country_lists);
        let mut register_issues = validation::validate_organisation(&content.organisation, "/organisation");
        let catalogs_only = RegisterContent { activities: Vec::new(), ..content.clone() };
        register_issues.extend(
            validation::validate_content(&catalogs_only, today, &self.country_lists)
                .into_iter()
                .filter(|i| !i.path.starts_with("/organisation")),
        );
        let activity_issues = content
            .activities
            .iter()
            .filter_map(|a| {
                let issues = validation::validate_activity(&ctx, a, "");
                (!issues.is_empty()).then(|| ActivityIssues {
                    activity_id: a.id.clone(),
                    activity_name: a.name.clone(),
                    issues,
                })
            })
            .collect();
        let horizon = today + chrono::Days::new(90);
        let mut reviews: Vec<ReviewDue> = summaries
            .iter()
            .filter(|s| s.status != crate::vocab::ActivityStatus::Retired)
            .filter_map(|s| {
                s.next_review.filter(|d| *d <= horizon).map(|due| ReviewDue {
                    activity_id: s.id.clone(),
                    activity_name: s.name.clone(),
                    due,
                    overdue: due < today,
                })
            })
            .collect();
        reviews.sort_by_key(|r| r.due);
        let count = |f: &dyn Fn(&ActivitySummary) -> bool| summaries.iter().filter(|s| f(s)).count();
        use crate::vocab::ActivityStatus as S;
        Ok(Overview {
            activities: summaries.len(),
            active: count(&|s| s.status == S::Active),
            drafts: count(&|s| s.status == S::Draft),
            retired: count(&|s| s.status == S::Retired),
            as_processor: count(&|s| s.role == "processor"),
            with_special_categories: count(&|s| s.special_categories),
            with_transfers: count(&|s| s.transfers),
            register_issues,
            activity_issues,
            reviews,
        })
    }

    /// Whether `passphrase` is this register's passphrase (to confirm a person before a
    /// passphrase change). Compares derived keys in constant time.
    pub fn check_passphrase(&self, passphrase: &Passphrase) -> bool {
        match kdf::derive_key(passphrase, &self.salt) {
            Ok(key) => {
                let a = key.bytes();
                let b = self.key.bytes();
                a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
            }
            Err(_) => false,
        }
    }

    pub fn activity(&self, id: &str) -> Result<Activity, StoreError> {
        schema::get_activity(&self.conn, id)?
            .ok_or_else(|| StoreError::NotFound { entity: "activity", id: id.to_owned() })
    }

    /// Every issue in the register as it stands (errors and warnings), for overviews.
    pub fn issues(&self) -> Result<Vec<Issue>, StoreError> {
        Ok(validation::validate_content(&self.content()?, today(), &self.country_lists))
    }

    /// The change log's newest entry (number and MAC): ties a printed report to the register
    /// state it was made from.
    pub fn chain_head(&self) -> Result<Option<Head>, StoreError> {
        Ok(change_log::head(&self.conn)?)
    }

    /// The newest `limit` change-log entries, newest first.
    pub fn change_log(&self, limit: i64) -> Result<Vec<Entry>, StoreError> {
        Ok(change_log::list(&self.conn, limit)?)
    }

    // --- writes -----------------------------------------------------------------------------

    pub fn save_organisation(&mut self, organisation: &Organisation) -> Result<Vec<Issue>, StoreError> {
        let issues = validation::validate_organisation(organisation, "");
        reject_errors(&issues)?;
        self.write(Change::new("organisation", "1", "update"), |tx| schema::put_organisation(tx, organisation))?;
        Ok(issues)
    }

    /// Creates or updates an activity (an empty id gets a new one). Errors block the save;
    /// warnings are returned with the saved activity's id.
    pub fn save_activity(&mut self, activity: &Activity) -> Result<(String, Vec<Issue>), StoreError> {
        let mut activity = activity.clone();
        if activity.id.trim().is_empty() {
            activity.id = uuid::Uuid::new_v4().to_string();
        }
        // Only the organisation and the catalogs are needed to check one activity.
        let context = schema::get_context(&self.conn)?;
        let ctx = validation::Context::of(&context, today(), &self.country_lists);
        let issues = validation::validate_activity(&ctx, &activity, "");
        reject_errors(&issues)?;
        let action = if schema::activity_exists(&self.conn, &activity.id)? { "update" } else { "create" };
        let id = activity.id.clone();
        self.write(Change::new("activity", &id, action), |tx| schema::put_activity(tx, &activity))?;
        Ok((id, issues))
    }

    /// Deletes an activity that no breach refers to.
    pub fn delete_activity(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(Change::new("activity", id, "delete"), |tx| {
            match tx.execute("DELETE FROM activities WHERE id = ?1", [id]) {
                Ok(0) => Err(StoreError::NotFound { entity: "activity", id: id.to_owned() }),
                Ok(_) => Ok(()),
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                    Err(StoreError::InUse { entity: "activity", id: id.to_owned() })
                }
                Err(e) => Err(e.into()),
            }
        })
    }

    pub fn save_data_category(&mut self, category: &DataCategory) -> Result<(), StoreError> {
        let mut issues = validation::validate_data_category(category, "");
        if category.id.trim().is_empty() || category.name.trim().is_empty() {
            issues.push(missing_issue(category.id.trim().is_empty()));
        }
        reject_errors(&issues)?;
        self.write(Change::new("data-category", &category.id, "save"), |tx| {
            schema::put_catalog(tx, schema::Catalog::DataCategories, &category.id, category)
        })
    }

    pub fn save_subject_category(&mut self, category: &SubjectCategory) -> Result<(), StoreError> {
        if category.id.trim().is_empty() || category.name.trim().is_empty() {
            return Err(StoreError::Invalid(vec![missing_issue(category.id.trim().is_empty())]));
        }
        self.write(Change::new("subject-category", &category.id, "save"), |tx| {
            schema::put_catalog(tx, schema::Catalog::SubjectCategories, &category.id, category)
        })
    }

    pub fn save_recipient(&mut self, recipient: &Recipient) -> Result<(), StoreError> {
        if recipient.id.trim().is_empty() || recipient.name.trim().is_empty() {
            return Err(StoreError::Invalid(vec![missing_issue(recipient.id.trim().is_empty())]));
        }
        let issues = validation::validate_recipient(recipient, "");
        reject_errors(&issues)?;
        self.write(Change::new("recipient", &recipient.id, "save"), |tx| {
            schema::put_catalog(tx, schema::Catalog::Recipients, &recipient.id, recipient)
        })
    }

    /// Deletes a data category, subject category or recipient that no activity uses.
    pub fn delete_catalog_entry(&mut self, catalog: schema::Catalog, id: &str) -> Result<(), StoreError> {
        self.write(Change::new(catalog.entity(), id, "delete"), |tx| schema::delete_catalog(tx, catalog, id))
    }

    /// Replaces the register's content with `content` in one transaction, after validating it
    /// whole. Refuses when the register already holds records, unless `replace` is set.
    /// The processing register alone: with `replace`, an existing breach log is replaced by an
    /// empty one. [`Register::import_all`] imports a breach log too.
    pub fn import(&mut self, content: &RegisterContent, replace: bool) -> Result<Vec<Issue>, StoreError> {
        self.import_all(content, &BreachLog::default(), replace)
    }

    /// Replaces the register's content and breach log in one transaction, after validating both
    /// whole. Refuses when the register already holds records, unless `replace` is set.
    pub fn import_all(
        &mut self,
        content: &RegisterContent,
        log: &BreachLog,
        replace: bool,
    ) -> Result<Vec<Issue>, StoreError> {
        let mut issues = validation::validate_content(content, today(), &self.country_lists);
        issues.extend(validation::validate_breach_log(content, log));
        reject_errors(&issues)?;
        let id = self.register_id.clone();
        self.write(Change::new("register", id, "import"), |tx| {
            if !replace && !schema::is_empty(tx)? {
                return Err(StoreError::NotEmpty);
            }
            // Replacing would lose the processors, which only `import_register` carries.
            if processors::count(tx)? > 0 {
                return Err(StoreError::NotEmpty);
            }
            schema::replace_content(tx, content, log)
        })?;
        Ok(issues)
    }

    // --- the breach log -----------------------------------------------------------------------

    /// The breach log: settings and every breach, in the order first saved.
    pub fn breach_log(&self) -> Result<BreachLog, StoreError> {
        schema::get_breach_log(&self.conn)
    }

    /// Every breach, summarised with its notice deadline and issue counts.
    pub fn breaches(&self) -> Result<Vec<BreachSummary>, StoreError> {
        let content = self.content()?;
        let log = self.breach_log()?;
        let country = content.organisation.country;
        Ok(log
            .breaches
            .iter()
            .map(|b| BreachSummary::new(b, country, &log.settings, &validation::validate_breach(&content, b, "")))
            .collect())
    }

    pub fn breach(&self, id: &str) -> Result<Breach, StoreError> {
        schema::get_breach(&self.conn, id)?.ok_or_else(|| StoreError::NotFound { entity: "breach", id: id.to_owned() })
    }

    /// Checks a breach against the register without saving it. Paths are relative to the breach.
    pub fn check_breach(&self, breach: &Breach) -> Result<Vec<Issue>, StoreError> {
        Ok(validation::validate_breach(&self.content()?, breach, ""))
    }

    /// Creates or updates a breach (an empty id gets the next `<year>-<nnn>` of the year the
    /// organisation became aware of it). Errors block the save; warnings are returned with
    /// the saved breach's id. There is no delete: the log keeps every breach (Art. 33(5)).
    pub fn save_breach(&mut self, breach: &Breach) -> Result<(String, Vec<Issue>), StoreError> {
        let content = self.content()?;
        let mut breach = breach.clone();
        if breach.id.trim().is_empty() {
            let year = crate::deadlines::local_date(breach.became_aware_at, content.organisation.country)
                .map_or(2000, |d| chrono::Datelike::year(&d));
            let existing = schema::breach_ids(&self.conn)?;
            breach.id = crate::breach_log::next_id(year, existing.iter().map(String::as_str));
        }
        let issues = validation::validate_breach(&content, &breach, "");
        reject_errors(&issues)?;
        let action = if schema::breach_exists(&self.conn, &breach.id)? { "update" } else { "create" };
        let id = breach.id.clone();
        self.write(Change::new("breach", &id, action), |tx| schema::put_breach(tx, &breach))?;
        Ok((id, issues))
    }

    pub fn breach_settings(&self) -> Result<BreachSettings, StoreError> {
        schema::get_breach_settings(&self.conn)
    }

    pub fn save_breach_settings(&mut self, settings: &BreachSettings) -> Result<(), StoreError> {
        self.write(Change::new("breach-settings", "1", "update"), |tx| schema::put_breach_settings(tx, settings))
    }

    /// Every deadline still running in the register at `now`, soonest first.
    pub fn deadlines(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::register_deadlines::RegisterDeadline>, StoreError> {
        Ok(crate::register_deadlines::open_deadlines(&self.content()?, &self.breach_log()?, now))
    }

    // --- whole-file operations ---------------------------------------------------------------

    /// Checks SQLite's integrity, SQLCipher's page MACs and the change-log chain.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let cipher_integrity =
            pragma_rows(&self.conn, "PRAGMA cipher_integrity_check").unwrap_or_else(|e| vec![e.to_string()]);
        // On a damaged file these checks may fail outright; the failure is then the finding.
        let mut integrity: Vec<String> = match pragma_rows(&self.conn, "PRAGMA integrity_check") {
            Ok(rows) => rows.into_iter().filter(|r| r != "ok").collect(),
            Err(e) => vec![e.to_string()],
        };
        // A call's deletion has no foreign key (its check cost every call a sweep marks): the
        // deletions it points at are checked here.
        match self.conn.query_row(
            "SELECT count(*) FROM recorded_calls c
             WHERE c.deletion IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_deletions d WHERE d.id = c.deletion)",
            [],
            |r| r.get::<_, i64>(0),
        ) {
            Ok(0) => {}
            Ok(n) => integrity.push(format!("recorded_calls: {n} deleted calls point at a deletion not recorded")),
            Err(e) => integrity.push(e.to_string()),
        }
        let chain = change_log::verify(&self.conn, &self.chain_key).unwrap_or(ChainReport {
            entries: 0,
            first_bad: Some((0, change_log::Break::Unreadable)),
            head: None,
        });
        Ok(VerifyReport { integrity, cipher_integrity, chain, rollback: self.rollback.clone() })
    }

    /// Writes an encrypted copy to `dest` (which must not exist). It opens with the same
    /// passphrase. The backup is recorded in the change log first, so the copy carries it.
    pub fn backup(&mut self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::AlreadyExists { path: dest.to_owned() });
        }
        let id = self.register_id.clone();
        self.write(Change::new("register", id, "backup"), |_| Ok(()))?;
        let tmp = temp_beside(dest);
        let result = self.export_to(&tmp, &self.key.clone(), &self.salt.clone()).and_then(|()| {
            sync_file(&tmp)?;
            fs::rename(&tmp, dest).map_err(|source| StoreError::Io { path: dest.to_owned(), source })?;
            sync_dir(dest)
        });
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Copies the whole database into a new encrypted file with the given key and salt.
    fn export_to(&self, dest: &Path, key: &Key, salt: &[u8; kdf::SALT_LEN]) -> Result<(), StoreError> {
        let spec = key_spec(key, salt);
        let dest_str = dest.to_string_lossy();
        self.conn.execute("ATTACH DATABASE ?1 AS copy KEY ?2", [dest_str.as_ref(), spec.as_str()])?;
        let result = (|| {
            self.conn.execute_batch(&format!("PRAGMA copy.cipher_hmac_algorithm = {};", PageMac::NEW.algorithm()))?;
            self.conn.query_row("SELECT sqlcipher_export('copy')", [], |_| Ok(()))?;
            self.conn.execute_batch(&format!("PRAGMA copy.user_version = {LATEST_VERSION};"))?;
            Ok(())
        })();
        self.conn.execute("DETACH DATABASE copy", [])?;
        result
    }

    /// Changes the passphrase. The register is re-encrypted into a new file with a new salt and
    /// key, the change log re-signed with the new key (after checking it with the old one), and
    /// the new file moved over the old one. Until that move the old file is untouched.
    pub fn change_passphrase(&mut self, new_passphrase: &Passphrase) -> Result<(), StoreError> {
        if new_passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(StoreError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
        }
        let report = change_log::verify(&self.conn, &self.chain_key)?;
        if let Some((seq, _)) = report.first_bad {
            return Err(StoreError::ChainBroken { seq });
        }
        let salt = kdf::new_salt()
            .map_err(|e| StoreError::Io { path: self.path.clone(), source: io::Error::other(e.to_string()) })?;
        let key = kdf::derive_key(new_passphrase, &salt).map_err(|e| StoreError::Damaged(e.to_string()))?;
        let tmp = temp_beside(&self.path);
        let prepared = (|| {
            self.export_to(&tmp, &key, &salt)?;
            let mut copy = connect(&tmp, Some((&key, &salt, PageMac::NEW)), OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|e| StoreError::Damaged(e.to_string()))?;
            configure(&copy, CACHE_KIB)?;
            let new_chain_key = change_log::chain_key(&key);
            let tx = copy.transaction_with_behavior(TransactionBehavior::Immediate)?;
            change_log::resign(&tx, &new_chain_key)?;
            let head = change_log::append(
                &tx,
                &new_chain_key,
                &Change::new("register", &self.register_id, "passphrase-change"),
                Utc::now(),
            )?;
            tx.commit()?;
            copy.close().map_err(|(_, e)| StoreError::from(e))?;
            sync_file(&tmp)?;
            let new_lock = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&tmp)
                .map_err(|source| StoreError::Io { path: tmp.clone(), source })?;
            new_lock.try_lock().map_err(|_| StoreError::Io {
                path: tmp.clone(),
                source: io::Error::other("could not lock the re-encrypted file"),
            })?;
            Ok((new_lock, key, salt, new_chain_key, head))
        })();
        let (new_lock, key, salt, chain_key, head) = match prepared {
            Ok(parts) => parts,
            Err(e) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = fs::remove_file(format!("{}{suffix}", tmp.display()));
                }
                return Err(e);
            }
        };
        // Swap: close the old connection (checkpointing its WAL), move the new file in place.
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| StoreError::from(e))?;
        fs::rename(&tmp, &self.path).map_err(|source| StoreError::Io { path: self.path.clone(), source })?;
        sync_dir(&self.path)?;
        self.lock = new_lock;
        self.conn = connect(&self.path, Some((&key, &salt, PageMac::NEW)), FLAGS)
            .map_err(|e| StoreError::Damaged(e.to_string()))?;
        configure(&self.conn, CACHE_KIB)?;
        self.key = key;
        self.salt = salt;
        self.chain_key = chain_key;
        self.record_head(&head);
        Ok(())
    }

    /// Closes the register, checkpointing the WAL so no `-wal`/`-shm` files remain.
    pub fn close(self) -> Result<(), StoreError> {
        let Register { conn, lock, .. } = self;
        conn.close().map_err(|(_, e)| StoreError::from(e))?;
        drop(lock);
        Ok(())
    }
}

fn missing_issue(id_missing: bool) -> Issue {
    let (path, code) = if id_missing { ("/id", "catalog.id_missing") } else { ("/name", "catalog.name_missing") };
    Issue {
        path: path.to_owned(),
        code: code.to_owned(),
        severity: validation::Severity::Error,
        params: Default::default(),
    }
}

fn reject_errors(issues: &[Issue]) -> Result<(), StoreError> {
    let errors: Vec<Issue> = issues.iter().filter(|i| i.is_error()).cloned().collect();
    if errors.is_empty() { Ok(()) } else { Err(StoreError::Invalid(errors)) }
}

fn pragma_rows(conn: &Connection, sql: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()))
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    File::open(path).and_then(|f| f.sync_all()).map_err(|source| StoreError::Io { path: path.to_owned(), source })
}

fn sync_dir(path: &Path) -> Result<(), StoreError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir).and_then(|f| f.sync_all()).map_err(|source| StoreError::Io { path: dir.to_owned(), source })
}

/// Raw access for tests that must damage or tamper with a real register file.
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// A keyed connection to the file with no lock, no checks and no change log.
    pub fn open_raw(path: &Path, passphrase: &Passphrase) -> Result<Connection, OpenError> {
        raw_with_mac(path, passphrase).map(|(conn, _)| conn)
    }

    /// The page MAC of the register at `path`.
    pub fn page_mac(path: &Path, passphrase: &Passphrase) -> Result<PageMac, OpenError> {
        raw_with_mac(path, passphrase).map(|(_, mac)| mac)
    }

    fn raw_with_mac(path: &Path, passphrase: &Passphrase) -> Result<(Connection, PageMac), OpenError> {
        let salt = sniff(path)?;
        let key = kdf::derive_key(passphrase, &salt).map_err(|e| OpenError::Damaged(e.to_string()))?;
        connect_any(path, &key, &salt, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Sets the connection's page cache, KiB, as a smaller machine's setting would.
    pub fn set_cache_kib(register: &Register, kib: i64) {
        register.conn.execute_batch(&format!("PRAGMA cache_size = -{kib};")).expect("cache_size");
    }

    /// The connection settings in force, as `(pragma, value)` pairs.
    pub fn settings(register: &Register) -> Vec<(String, String)> {
        ["journal_mode", "synchronous", "foreign_keys", "secure_delete", "cache_size", "temp_store"]
            .iter()
            .map(|name| {
                let value = register
                    .conn
                    .query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
                    .map(|v| match v {
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Text(t) => t,
                        other => format!("{other:?}"),
                    })
                    .unwrap_or_default();
                ((*name).to_owned(), value)
            })
            .collect()
    }
}
