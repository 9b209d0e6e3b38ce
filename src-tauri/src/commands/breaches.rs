//! The breach log (Art. 33(5)) and the register's open deadlines. Each command calls one
//! `Register` function of ropa-core and maps its error; the rules, the timeline and the
//! deadline arithmetic stay in core.

use crate::error::AppError;
use crate::state::AppState;
use ropa_core::breach_log::{Breach, BreachSummary};
use ropa_core::register_deadlines::RegisterDeadline;
use ropa_core::validation::Issue;
use serde::Serialize;
use tauri::State;

/// A saved breach: its id (a new breach gets `<year>-<nnn>`) and the warnings that did not
/// block it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SavedBreach {
    pub id: String,
    pub issues: Vec<Issue>,
}

impl AppState {
    pub fn breaches(&self) -> Result<Vec<BreachSummary>, AppError> {
        self.with_register(|r| r.breaches())
    }

    pub fn breach(&self, id: &str) -> Result<Breach, AppError> {
        self.with_register(|r| r.breach(id))
    }

    pub fn check_breach(&self, breach: &Breach) -> Result<Vec<Issue>, AppError> {
        self.with_register(|r| r.check_breach(breach))
    }

    pub fn save_breach(&self, breach: &Breach) -> Result<SavedBreach, AppError> {
        let (id, issues) = self.with_register(|r| r.save_breach(breach))?;
        Ok(SavedBreach { id, issues })
    }

    /// Every deadline still running in the register at `now`, soonest first.
    pub fn deadlines_at(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<RegisterDeadline>, AppError> {
        self.with_register(|r| r.deadlines(now))
    }
}

/// Every breach in the log, in the order first saved, with its running notice deadline.
#[tauri::command]
#[specta::specta]
pub async fn breaches(state: State<'_, AppState>) -> Result<Vec<BreachSummary>, AppError> {
    state.run(|s| s.breaches()).await
}

#[tauri::command]
#[specta::specta]
pub async fn breach(state: State<'_, AppState>, id: String) -> Result<Breach, AppError> {
    state.run(move |s| s.breach(&id)).await
}

/// The breach's issues without saving (paths relative to the breach).
#[tauri::command]
#[specta::specta]
pub async fn check_breach(state: State<'_, AppState>, breach: Breach) -> Result<Vec<Issue>, AppError> {
    state.run(move |s| s.check_breach(&breach)).await
}

/// Creates or updates a breach; errors block the save (`invalid` with the issues). There is no
/// delete: the log keeps every breach.
#[tauri::command]
#[specta::specta]
pub async fn save_breach(state: State<'_, AppState>, breach: Breach) -> Result<SavedBreach, AppError> {
    state.run(move |s| s.save_breach(&breach)).await
}

/// Every open deadline of the register now (breach notices, reporter answers, reviews), soonest
/// first.
#[tauri::command]
#[specta::specta]
pub async fn deadlines(state: State<'_, AppState>) -> Result<Vec<RegisterDeadline>, AppError> {
    state.run(|s| s.deadlines_at(chrono::Utc::now())).await
}
