//! Register files: pick one in a dialog, create or open it, lock it, and what is open now.
//!
//! Create and open accept only paths from this run's dialogs or the recent list, so a script
//! in the web view cannot make the app read or write any other file.

use super::app_state;
use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use ropa_core::chain_heads::RollbackWarning;
use ropa_core::processing_register::Organisation;
use ropa_core::{Passphrase, Register, StoreError};
use serde::Serialize;
use std::path::Path;
use tauri::State;

/// The open register as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SessionInfo {
    pub path: String,
    pub file_name: String,
    pub organisation: Organisation,
    /// Set while the file's change log is behind, or differs from, the one seen before here.
    pub rollback_warning: Option<RollbackWarning>,
}

impl SessionInfo {
    fn of(register: &Register) -> Result<SessionInfo, StoreError> {
        let path = register.path();
        Ok(SessionInfo {
            path: dialog::display(path),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            organisation: register.organisation()?,
            rollback_warning: register.rollback_warning().cloned(),
        })
    }
}

impl AppState {
    pub fn create_register(
        &self,
        path: &str,
        passphrase: Passphrase,
        repeat: Passphrase,
        organisation: &Organisation,
    ) -> Result<SessionInfo, AppError> {
        self.check_allowed(path)?;
        if passphrase.expose() != repeat.expose() {
            return Err(AppError::passphrase_mismatch());
        }
        // A register open in this process holds the file lock; close it first.
        self.close_register();
        let register = Register::create(Path::new(path), &passphrase, organisation, self.heads())?;
        self.opened(register)
    }

    pub fn open_register(&self, path: &str, passphrase: Passphrase) -> Result<SessionInfo, AppError> {
        self.check_allowed(path)?;
        self.close_register();
        let register = Register::open(Path::new(path), &passphrase, self.heads())?;
        self.opened(register)
    }

    /// What is open now, if anything.
    pub fn session(&self) -> Option<SessionInfo> {
        self.with_register(|r| SessionInfo::of(r)).ok()
    }

    fn check_allowed(&self, path: &str) -> Result<(), AppError> {
        if self.is_allowed(path) { Ok(()) } else { Err(AppError::not_allowed()) }
    }

    fn opened(&self, mut register: Register) -> Result<SessionInfo, AppError> {
        // The rules use the person's country lists, as the CLI does.
        register.set_country_lists(self.settings_store().country_lists().lists());
        let info = SessionInfo::of(&register)?;
        // The recent list is a convenience: failing to update it must not fail the open.
        let _ = self.settings_store().remember(register.path(), &info.organisation.name);
        self.install(register);
        Ok(info)
    }
}

/// Asks where to save a new register. The answer (with `.ropa` added when missing) becomes a
/// path `create_register` accepts; `null` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_new_register(window: tauri::Window, suggested_name: String) -> Option<String> {
    let state = app_state(&window);
    state.touch();
    let file_name = dialog::with_extension(suggested_name.into()).display().to_string();
    let ask = Ask {
        title: "dialog.new_register",
        save: true,
        file_name: Some(file_name),
        directory: None,
        filter: Filter::Register,
    };
    let path = dialog::ask(&window, state.language(), ask).await.map(dialog::with_extension)?;
    let path = dialog::display(&path);
    state.allow(&path);
    Some(path)
}

/// Asks which register to open; `null` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_existing_register(window: tauri::Window) -> Option<String> {
    let state = app_state(&window);
    state.touch();
    let ask =
        Ask { title: "dialog.open_register", save: false, file_name: None, directory: None, filter: Filter::Register };
    let path = dialog::display(&dialog::ask(&window, state.language(), ask).await?);
    state.allow(&path);
    Some(path)
}

#[tauri::command]
#[specta::specta]
pub async fn create_register(
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
    repeat: String,
    organisation: Organisation,
) -> Result<SessionInfo, AppError> {
    let (passphrase, repeat) = (Passphrase::new(passphrase), Passphrase::new(repeat));
    state.run(move |s| s.create_register(&path, passphrase, repeat, &organisation)).await
}

#[tauri::command]
#[specta::specta]
pub async fn open_register(
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
) -> Result<SessionInfo, AppError> {
    let passphrase = Passphrase::new(passphrase);
    state.run(move |s| s.open_register(&path, passphrase)).await
}

/// Closes the register and forgets this run's dialog paths. Idempotent.
#[tauri::command]
#[specta::specta]
pub async fn lock(app: tauri::AppHandle) {
    let state = app_state(&app);
    // Closing checkpoints the WAL: off the main thread like every other file work.
    let _ = state
        .run_quietly(|s| {
            s.lock();
            Ok(())
        })
        .await;
}

/// What is open now. Does not count as activity for the idle auto-lock.
#[tauri::command]
#[specta::specta]
pub async fn session(app: tauri::AppHandle) -> Option<SessionInfo> {
    app_state(&app).run_quietly(|s| Ok(s.session())).await.ok().flatten()
}
