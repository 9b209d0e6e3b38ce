//! The person's settings and recent registers, and what the UI needs at start.

use super::app_state;
use crate::commands::files::SessionInfo;
use crate::error::AppError;
use crate::state::AppState;
use ropa_core::country_lists::{self, CountryList, CountryListSettings, CountryLists, ListKind};
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

    /// The EEA and adequacy lists in effect, each marked edited or shipped.
    pub fn country_lists(&self) -> CountryListSettings {
        self.settings_store().country_lists().settings()
    }

    /// Replaces one list with the person's edit (the day as typed, 2026-01-31, and the codes);
    /// a bad date or code is refused by name and nothing is written. The open register uses
    /// the new lists at once.
    pub fn set_country_list(
        &self,
        list: ListKind,
        as_of: &str,
        countries: Vec<String>,
    ) -> Result<CountryListSettings, AppError> {
        let as_of = country_lists::parse_as_of(as_of)?;
        let store = self.settings_store().country_lists();
        let lists = store.set(list, CountryList { as_of, countries })?;
        self.use_country_lists(lists);
        Ok(store.settings())
    }

    /// Puts one list back to the one shipped with ropa.
    pub fn reset_country_list(&self, list: ListKind) -> Result<CountryListSettings, AppError> {
        let store = self.settings_store().country_lists();
        let lists = store.reset(Some(list))?;
        self.use_country_lists(lists);
        Ok(store.settings())
    }

    fn use_country_lists(&self, lists: CountryLists) {
        // Locked: the lists are read again when a register opens.
        let _ = self.with_register(|r| {
            r.set_country_lists(lists);
            Ok(())
        });
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

/// The EEA and adequacy lists the transfer rules use, as the settings page shows them.
#[tauri::command]
#[specta::specta]
pub async fn country_lists(state: State<'_, AppState>) -> Result<CountryListSettings, AppError> {
    state.run(|s| Ok(s.country_lists())).await
}

/// Replaces one country list. `countries` are the codes as typed, each checked by core.
#[tauri::command]
#[specta::specta]
pub async fn set_country_list(
    state: State<'_, AppState>,
    list: ListKind,
    as_of: String,
    countries: Vec<String>,
) -> Result<CountryListSettings, AppError> {
    state.run(move |s| s.set_country_list(list, &as_of, countries)).await
}

/// Puts one country list back to the one shipped with ropa.
#[tauri::command]
#[specta::specta]
pub async fn reset_country_list(state: State<'_, AppState>, list: ListKind) -> Result<CountryListSettings, AppError> {
    state.run(move |s| s.reset_country_list(list)).await
}
