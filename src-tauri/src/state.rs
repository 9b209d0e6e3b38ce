//! `AppState`, what the app keeps between commands: the open register (if any), the paths the
//! person picked in a file dialog during this run, the settings, and when the last command came.
//!
//! Commands reach the register only through [`AppState::with_register`], which answers `locked`
//! when none is open. Long work runs on a blocking thread through [`AppState::run`], so the
//! window stays responsive while Argon2id or a re-encryption runs.

use crate::error::AppError;
use ropa_core::settings::{Settings, SettingsStore};
use ropa_core::{ChainHeads, Register, StoreError};
use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Shared by all commands; cheap to clone (one `Arc`).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    register: Mutex<Option<Register>>,
    /// Paths returned by this run's file dialogs: the only new paths create/open accept.
    picked: Mutex<HashSet<String>>,
    last_command: Mutex<Instant>,
    settings: Mutex<Settings>,
    settings_store: SettingsStore,
    heads: ChainHeads,
    /// How many registers were opened in this run, and a signal for each: the deadline
    /// notices (`notify.rs`) look at a register right after it is unlocked.
    installed: (Mutex<u64>, Condvar),
    /// The private folder that signed agreements are extracted into to be opened; removed with
    /// everything in it when the register closes (locks).
    extracted: Mutex<Option<tempfile::TempDir>>,
}

/// A poisoned lock only means another command panicked; the data behind it is still whole
/// (every register write is one transaction), so it is used as it is.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    pub fn new(settings_store: SettingsStore, heads: ChainHeads) -> Self {
        let settings = settings_store.settings();
        AppState(Arc::new(Inner {
            register: Mutex::new(None),
            picked: Mutex::new(HashSet::new()),
            last_command: Mutex::new(Instant::now()),
            settings: Mutex::new(settings),
            settings_store,
            heads,
            installed: (Mutex::new(0), Condvar::new()),
            extracted: Mutex::new(None),
        }))
    }

    /// The person's settings and chain heads in the user's config folder (`ROPA_CONFIG_DIR`).
    pub fn user_default() -> Self {
        AppState::new(SettingsStore::user_default(), ChainHeads::user_default())
    }

    /// Runs `work` on a blocking thread and counts as activity for the idle auto-lock.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    {
        self.touch();
        self.run_quietly(work).await
    }

    /// Like [`AppState::run`], but does not count as activity: for status queries the UI may
    /// make without the person doing anything.
    pub async fn run_quietly<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    {
        let state = self.clone();
        tauri::async_runtime::spawn_blocking(move || work(&state)).await.map_err(|_| AppError::internal())?
    }

    /// Records that a command came now.
    pub fn touch(&self) {
        *lock(&self.0.last_command) = Instant::now();
    }

    /// Runs `f` on the open register, or answers `locked`.
    pub fn with_register<T>(&self, f: impl FnOnce(&mut Register) -> Result<T, StoreError>) -> Result<T, AppError> {
        let mut guard = lock(&self.0.register);
        let register = guard.as_mut().ok_or_else(AppError::locked)?;
        f(register).map_err(AppError::from)
    }

    /// Like [`AppState::with_register`] for work whose errors are already mapped.
    pub fn with_register_app<T>(&self, f: impl FnOnce(&mut Register) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut guard = lock(&self.0.register);
        let register = guard.as_mut().ok_or_else(AppError::locked)?;
        f(register)
    }

    pub fn is_unlocked(&self) -> bool {
        lock(&self.0.register).is_some()
    }

    /// Makes `register` the open one, closing any other first.
    pub fn install(&self, register: Register) {
        let previous = lock(&self.0.register).replace(register);
        if let Some(previous) = previous {
            let _ = previous.close();
        }
        let (count, signal) = &self.0.installed;
        *lock(count) += 1;
        signal.notify_all();
    }

    /// Waits until a register is opened after the `seen`-th one, or `timeout` passes. Returns
    /// how many were opened so far.
    pub fn wait_for_install(&self, seen: u64, timeout: Duration) -> u64 {
        let (count, signal) = &self.0.installed;
        let guard = lock(count);
        let (guard, _) =
            signal.wait_timeout_while(guard, timeout, |count| *count == seen).unwrap_or_else(PoisonError::into_inner);
        *guard
    }

    /// Closes the open register, if any, and removes the documents extracted from it.
    pub fn close_register(&self) {
        let previous = lock(&self.0.register).take();
        if let Some(previous) = previous {
            // Every write was committed; a failing close loses nothing, and dropping the
            // register releases its file lock.
            let _ = previous.close();
        }
        if let Some(dir) = lock(&self.0.extracted).take() {
            // A file a viewer still holds open on another system may resist; on Linux the
            // folder goes and the viewer keeps only its open handle.
            let _ = dir.close();
        }
    }

    /// The private folder (mode 0700) for documents extracted from the open register, created
    /// on first use and removed when the register closes.
    pub fn extract_dir(&self) -> std::io::Result<std::path::PathBuf> {
        let mut guard = lock(&self.0.extracted);
        if guard.is_none() {
            *guard = Some(tempfile::Builder::new().prefix("ropa-documents-").tempdir()?);
        }
        Ok(guard.as_ref().map(|d| d.path().to_owned()).unwrap_or_default())
    }

    /// Closes the open register, if any, and forgets this run's dialog paths. Idempotent.
    pub fn lock(&self) {
        self.close_register();
        lock(&self.0.picked).clear();
    }

    /// Locks the register when no command came for the idle time in the settings (0 = never).
    /// Returns whether it locked.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let minutes = lock(&self.0.settings).auto_lock_minutes;
        if minutes == 0 || !self.is_unlocked() {
            return false;
        }
        let last = *lock(&self.0.last_command);
        if now.saturating_duration_since(last) < Duration::from_secs(u64::from(minutes) * 60) {
            return false;
        }
        self.lock();
        true
    }

    /// Remembers a path the person picked in a file dialog.
    pub fn allow(&self, path: &str) {
        lock(&self.0.picked).insert(path.to_owned());
    }

    /// Whether `path` came from a dialog of this run or from the recent list.
    pub fn is_allowed(&self, path: &str) -> bool {
        lock(&self.0.picked).contains(path) || self.0.settings_store.recent().iter().any(|r| r.path == path)
    }

    pub fn settings(&self) -> Settings {
        lock(&self.0.settings).clone()
    }

    pub fn set_settings(&self, settings: Settings) {
        *lock(&self.0.settings) = settings;
    }

    pub fn settings_store(&self) -> &SettingsStore {
        &self.0.settings_store
    }

    pub fn heads(&self) -> ChainHeads {
        self.0.heads.clone()
    }
}
