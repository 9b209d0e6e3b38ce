//! Processors and their data processing agreements (Art. 28). Each command calls one
//! `Register` function of ropa-core and maps its error; the rules, the document checks and the
//! deadline arithmetic stay in core.
//!
//! A signed document, or a supervision's audit report, enters only through the native open
//! dialog and is streamed into the register by core, which refuses a file whose content is not
//! what its extension says. To be read it is extracted into a private temporary folder that is
//! removed when the register closes (locks), and opened in the desktop's program for it. Both
//! kinds go through the same steps here ([`AppState::attach_document`],
//! [`AppState::extract_for_reading`]).

use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer;
use ropa_core::files::Existing;
use ropa_core::processor_agreements::{AgreementDocument, AttachOptions, DocumentError, Processor, check_document};
use ropa_core::register_deadlines::ProcessorDeadline;
use ropa_core::validation::Issue;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::State;
use tauri::ipc::Channel;

/// A saved processor: its id (a new one gets a UUID) and the warnings that did not block it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SavedProcessor {
    pub id: String,
    pub issues: Vec<Issue>,
}

/// How far an attach has come; sent to the UI as each step starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum AttachStage {
    /// Its type is checked against its extension (first bytes only).
    Checking,
    /// It is streamed into the register.
    Storing,
}

/// A document extracted to be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct OpenedDocument {
    /// Where it was extracted (inside the temporary folder removed on lock).
    pub path: String,
    /// Whether the desktop's program for it could be started.
    pub opened: bool,
}

impl AppState {
    pub fn processors(&self) -> Result<Vec<Processor>, AppError> {
        self.with_register(|r| r.processors())
    }

    pub fn processor(&self, id: &str) -> Result<Processor, AppError> {
        self.with_register(|r| r.processor(id))
    }

    pub fn check_processor(&self, processor: &Processor) -> Result<Vec<Issue>, AppError> {
        self.with_register(|r| r.check_processor(processor))
    }

    pub fn save_processor(&self, processor: &Processor) -> Result<SavedProcessor, AppError> {
        let (id, issues) = self.with_register(|r| r.save_processor(processor))?;
        Ok(SavedProcessor { id, issues })
    }

    /// The processors' deadlines and gaps at `now`, soonest first.
    pub fn processor_deadlines_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<ProcessorDeadline>, AppError> {
        self.with_register(|r| r.processor_deadlines(now))
    }

    /// Checks the file at `path` (from the open dialog), then stores it with `store`, telling
    /// `progress` each step.
    fn attach_document(
        &self,
        path: &Path,
        progress: &dyn Fn(AttachStage),
        store: impl FnOnce(&mut ropa_core::Register) -> Result<AgreementDocument, DocumentError>,
    ) -> Result<AgreementDocument, AppError> {
        progress(AttachStage::Checking);
        check_document(path)?;
        progress(AttachStage::Storing);
        self.with_register_app(|r| store(r).map_err(AppError::from))
    }

    /// Stores the file at `path` (from the open dialog) as the signed document of the agreement
    /// `version` (default: the current one, or a new version "1"). `progress` hears each step.
    pub fn attach_agreement(
        &self,
        processor_id: &str,
        version: Option<String>,
        path: &Path,
        progress: &dyn Fn(AttachStage),
    ) -> Result<AgreementDocument, AppError> {
        let options = AttachOptions { version, ..AttachOptions::default() };
        self.attach_document(path, progress, |r| r.attach_agreement(processor_id, path, &options))
    }

    /// Stores the file at `path` (from the open dialog) as the audit report of the processor's
    /// supervision `supervision_id`. `progress` hears each step.
    pub fn attach_supervision_report(
        &self,
        processor_id: &str,
        supervision_id: &str,
        path: &Path,
        progress: &dyn Fn(AttachStage),
    ) -> Result<AgreementDocument, AppError> {
        self.attach_document(path, progress, |r| r.attach_supervision_report(processor_id, supervision_id, path))
    }

    /// Extracts a document described by `find` (from the processor) with `extract` into the
    /// temporary folder that is removed on lock, and returns its path.
    fn extract_for_reading(
        &self,
        processor_id: &str,
        find: impl FnOnce(&Processor) -> Option<AgreementDocument>,
        extract: impl FnOnce(&ropa_core::Register, &Path) -> Result<AgreementDocument, DocumentError>,
    ) -> Result<PathBuf, AppError> {
        let dir = self.extract_dir().map_err(|e| AppError::io(&e))?;
        self.with_register_app(|r| {
            let document = find(&r.processor(processor_id)?);
            // One sub-folder per content, so two documents with the same file name do not meet.
            let folder = dir.join(document.as_ref().map(|d| &d.sha256[..16.min(d.sha256.len())]).unwrap_or("none"));
            std::fs::create_dir_all(&folder).map_err(|e| AppError::io(&e))?;
            let name = document
                .as_ref()
                .and_then(|d| Path::new(&d.file_name).file_name().map(|n| n.to_owned()))
                .unwrap_or_else(|| "document".into());
            let dest = folder.join(name);
            extract(r, &dest)?;
            Ok(dest)
        })
    }

    /// Extracts the signed document of the agreement `version` (default: the current one) into
    /// the temporary folder that is removed on lock, and returns its path.
    pub fn extract_agreement_for_reading(
        &self,
        processor_id: &str,
        version: Option<&str>,
    ) -> Result<PathBuf, AppError> {
        self.extract_for_reading(
            processor_id,
            |p| {
                match version {
                    Some(v) => p.agreement(v),
                    None => p.current_agreement(),
                }
                .and_then(|a| a.document.clone())
            },
            |r, dest| r.extract_agreement(processor_id, version, dest, Existing::Replace),
        )
    }

    /// Extracts the audit report of the supervision `supervision_id` into the temporary folder
    /// that is removed on lock, and returns its path.
    pub fn extract_supervision_report_for_reading(
        &self,
        processor_id: &str,
        supervision_id: &str,
    ) -> Result<PathBuf, AppError> {
        self.extract_for_reading(
            processor_id,
            |p| p.supervision(supervision_id).and_then(|s| s.report.clone()),
            |r, dest| r.extract_supervision_report(processor_id, supervision_id, dest, Existing::Replace),
        )
    }
}

/// Every processor, in the order first saved.
#[tauri::command]
#[specta::specta]
pub async fn processors(state: State<'_, AppState>) -> Result<Vec<Processor>, AppError> {
    state.run(|s| s.processors()).await
}

#[tauri::command]
#[specta::specta]
pub async fn processor(state: State<'_, AppState>, id: String) -> Result<Processor, AppError> {
    state.run(move |s| s.processor(&id)).await
}

/// The processor's issues without saving (paths relative to the processor).
#[tauri::command]
#[specta::specta]
pub async fn check_processor(state: State<'_, AppState>, processor: Processor) -> Result<Vec<Issue>, AppError> {
    state.run(move |s| s.check_processor(&processor)).await
}

/// Creates or updates a processor; errors block the save (`invalid` with the issues). The
/// documents' descriptions are the store's: a version left out loses its document.
#[tauri::command]
#[specta::specta]
pub async fn save_processor(state: State<'_, AppState>, processor: Processor) -> Result<SavedProcessor, AppError> {
    state.run(move |s| s.save_processor(&processor)).await
}

/// The processors' deadlines and gaps now: agreements ending within 60 days, supervisions due
/// within 90 days or overdue, processors without a signed agreement and the activities using
/// them.
#[tauri::command]
#[specta::specta]
pub async fn processor_deadlines(state: State<'_, AppState>) -> Result<Vec<ProcessorDeadline>, AppError> {
    state.run(|s| s.processor_deadlines_at(chrono::Utc::now())).await
}

/// Asks for the signed document in the open dialog and stores it in the register as the
/// agreement `version`'s (default: the current one). `null` when the person cancelled. A file
/// whose content is not what its extension says is refused (`document.wrong_type`).
#[tauri::command]
#[specta::specta]
pub async fn attach_agreement(
    window: tauri::Window,
    state: State<'_, AppState>,
    processor_id: String,
    version: Option<String>,
    progress: Channel<AttachStage>,
) -> Result<Option<AgreementDocument>, AppError> {
    let directory = state.run(|s| s.with_register(|r| Ok(r.path().parent().map(Path::to_owned)))).await?;
    let ask =
        Ask { title: "dialog.attach_agreement", save: false, file_name: None, directory, filter: Filter::Document };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let send = move |stage: AttachStage| {
        // A closed channel only means the window stopped listening; the attach goes on.
        let _ = progress.send(stage);
    };
    let document = state.run(move |s| s.attach_agreement(&processor_id, version, &path, &send)).await?;
    Ok(Some(document))
}

/// Extracts the agreement `version`'s signed document (default: the current one) into a
/// temporary folder that is removed when the register locks, and opens it in the desktop's
/// program for it.
#[tauri::command]
#[specta::specta]
pub async fn open_agreement(
    state: State<'_, AppState>,
    processor_id: String,
    version: Option<String>,
) -> Result<OpenedDocument, AppError> {
    let path = state.run(move |s| s.extract_agreement_for_reading(&processor_id, version.as_deref())).await?;
    let opened = viewer::open(&path);
    Ok(OpenedDocument { path: dialog::display(&path), opened })
}

/// Asks for a supervision's audit report in the open dialog and stores it in the register,
/// replacing one it had. `null` when the person cancelled. A file whose content is not what its
/// extension says is refused (`document.wrong_type`).
#[tauri::command]
#[specta::specta]
pub async fn attach_supervision_report(
    window: tauri::Window,
    state: State<'_, AppState>,
    processor_id: String,
    supervision_id: String,
    progress: Channel<AttachStage>,
) -> Result<Option<AgreementDocument>, AppError> {
    let directory = state.run(|s| s.with_register(|r| Ok(r.path().parent().map(Path::to_owned)))).await?;
    let ask = Ask {
        title: "dialog.attach_supervision_report",
        save: false,
        file_name: None,
        directory,
        filter: Filter::Document,
    };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let send = move |stage: AttachStage| {
        let _ = progress.send(stage);
    };
    let document =
        state.run(move |s| s.attach_supervision_report(&processor_id, &supervision_id, &path, &send)).await?;
    Ok(Some(document))
}

/// Extracts a supervision's audit report into the temporary folder that is removed when the
/// register locks, and opens it in the desktop's program for it.
#[tauri::command]
#[specta::specta]
pub async fn open_supervision_report(
    state: State<'_, AppState>,
    processor_id: String,
    supervision_id: String,
) -> Result<OpenedDocument, AppError> {
    let path = state.run(move |s| s.extract_supervision_report_for_reading(&processor_id, &supervision_id)).await?;
    let opened = viewer::open(&path);
    Ok(OpenedDocument { path: dialog::display(&path), opened })
}
