//! The person's settings and recent registers, and what the UI needs at start.

use super::app_state;
use crate::commands::files::SessionInfo;
use crate::error::AppError;
use crate::state::AppState;
use ropa_core::i18n;
use ropa_core::settings::{RecentRegister, Settings};
use ropa_core::vocab::Language;
use serde::Serialize;
use tauri::State;

/// Everything the UI needs before the first screen.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub settings: Settings,
    pub recent: Vec<RecentRegister>,
    /// The language of the system, for when `settings.language` is not set.
    pub system_language: Language,
    /// The open register, when the UI was reloaded while one was open.
    pub unlocked: Option<SessionInfo>,
}

impl AppState {
    /// `unlocked` is [`AppState::session`], fetched apart as it may wait for a long operation.
    pub fn app_info(&self, unlocked: Option<SessionInfo>) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            settings: self.settings(),
            recent: self.settings_store().recent(),
            system_language: i18n::language_from_env(),
            unlocked,
        }
    }

    /// The language dialogs are shown in.
    pub fn language(&self) -> Language {
        self.settings().language.unwrap_or_else(i18n::language_from_env)
    }

    pub fn save_settings(&self, settings: Settings) -> Result<Settings, AppError> {
        self.settings_store().save_settings(&settings).map_err(|e| AppError::io(&e))?;
        self.set_settings(settings);
        Ok(self.settings())
    }

    pub fn forget_recent(&self, path: &str) -> Result<Vec<RecentRegister>, AppError> {
        self.settings_store().forget(path).map_err(|e| AppError::io(&e))?;
        Ok(self.settings_store().recent())
    }
}

/// Does not count as activity for the idle auto-lock.
#[tauri::command]
#[specta::specta]
pub async fn app_info(app: tauri::AppHandle) -> AppInfo {
    let state = app_state(&app);
    let unlocked = state.run_quietly(|s| Ok(s.session())).await.ok().flatten();
    state.app_info(unlocked)
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings, AppError> {
    state.run(move |s| s.save_settings(settings)).await
}

#[tauri::command]
#[specta::specta]
pub async fn forget_recent(state: State<'_, AppState>, path: String) -> Result<Vec<RecentRegister>, AppError> {
    state.run(move |s| s.forget_recent(&path)).await
}
