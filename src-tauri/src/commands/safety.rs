//! Keeping the register safe: the change log, verification, accepting a restored file's
//! history, passphrase change and backup.

use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use ropa_core::Passphrase;
use ropa_core::change_log::Entry;
use ropa_core::store::VerifyReport;
use std::path::Path;
use tauri::State;

impl AppState {
    pub fn change_log(&self, limit: u32) -> Result<Vec<Entry>, AppError> {
        self.with_register(|r| r.change_log(i64::from(limit)))
    }

    pub fn verify(&self) -> Result<VerifyReport, AppError> {
        self.with_register(|r| r.verify())
    }

    pub fn accept_current_head(&self) -> Result<(), AppError> {
        self.with_register(|r| r.accept_current_head())
    }

    pub fn change_passphrase(&self, current: Passphrase, new: Passphrase, repeat: Passphrase) -> Result<(), AppError> {
        self.with_register_app(|r| {
            if !r.check_passphrase(&current) {
                return Err(AppError::new("wrong_passphrase"));
            }
            if new.expose() != repeat.expose() {
                return Err(AppError::passphrase_mismatch());
            }
            Ok(r.change_passphrase(&new)?)
        })
    }

    /// Writes a backup to `path`, which came from the backup dialog.
    pub fn backup_to(&self, path: &Path) -> Result<(), AppError> {
        self.with_register(|r| r.backup(path))
    }

    /// Where the backup dialog starts and the name it suggests: beside the register, named
    /// after it and today's date.
    fn backup_suggestion(&self) -> Result<(Option<std::path::PathBuf>, String), AppError> {
        self.with_register(|r| {
            let path = r.path();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let today = chrono::Local::now().date_naive();
            Ok((path.parent().map(Path::to_owned), format!("{stem}-backup-{today}.{}", dialog::EXTENSION)))
        })
    }
}

/// The newest `limit` change-log entries, newest first.
#[tauri::command]
#[specta::specta]
pub async fn change_log(state: State<'_, AppState>, limit: u32) -> Result<Vec<Entry>, AppError> {
    state.run(move |s| s.change_log(limit)).await
}

#[tauri::command]
#[specta::specta]
pub async fn verify(state: State<'_, AppState>) -> Result<VerifyReport, AppError> {
    state.run(|s| s.verify()).await
}

/// Accepts the file's change log as the known one, after a deliberate restore.
#[tauri::command]
#[specta::specta]
pub async fn accept_current_head(state: State<'_, AppState>) -> Result<(), AppError> {
    state.run(|s| s.accept_current_head()).await
}

#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    new_passphrase: String,
    repeat: String,
) -> Result<(), AppError> {
    // `new` would be the natural name, but it is a reserved word in the generated TypeScript.
    let (current, new, repeat) = (Passphrase::new(current), Passphrase::new(new_passphrase), Passphrase::new(repeat));
    state.run(move |s| s.change_passphrase(current, new, repeat)).await
}

/// Asks where to write a backup and writes it there; `null` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn backup(window: tauri::Window, state: State<'_, AppState>) -> Result<Option<String>, AppError> {
    let (directory, file_name) = state.run(|s| s.backup_suggestion()).await?;
    let ask =
        Ask { title: "dialog.backup", save: true, file_name: Some(file_name), directory, filter: Filter::Register };
    let Some(path) = dialog::ask(&window, state.language(), ask).await.map(dialog::with_extension) else {
        return Ok(None);
    };
    let shown = dialog::display(&path);
    state.run(move |s| s.backup_to(&path)).await?;
    Ok(Some(shown))
}
