//! Reports: the Art. 30 records as PDF (ropa-pdf), saved where the person chooses in the native
//! save dialog and then opened in the system's PDF viewer.

use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer;
use ropa_core::files::{self, Existing};
use ropa_core::vocab::Language;
use ropa_pdf::{Report, ReportMeta};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::State;
use tauri::ipc::Channel;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// The record of processing activities as controller (Art. 30(1)).
    Register,
    /// The record as processor (Art. 30(2)), per controller.
    ProcessorRecord,
}

impl From<ReportKind> for Report {
    fn from(kind: ReportKind) -> Report {
        match kind {
            ReportKind::Register => Report::Register,
            ReportKind::ProcessorRecord => Report::ProcessorRecord,
        }
    }
}

/// How far an export has come; sent to the UI as each step starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ReportStage {
    Reading,
    Rendering,
    Writing,
    Opening,
}

/// A report written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SavedReport {
    /// Where it was written, as the person chose it.
    pub path: String,
    pub pages: u32,
    /// Whether the system's viewer was started for it (false when not asked or when no viewer
    /// could be started; the file is written either way).
    pub opened: bool,
}

impl AppState {
    /// Where the save dialog starts (beside the register) and the name it suggests: the
    /// report's title in its language and today's date.
    fn report_suggestion(&self, kind: ReportKind, language: Language) -> Result<(Option<PathBuf>, String), AppError> {
        self.with_register(|r| {
            let title = ropa_core::i18n::messages(language).get(Report::from(kind).title_key()).cloned();
            let title = title.unwrap_or_else(|| "report".to_owned());
            let today = chrono::Local::now().date_naive();
            Ok((r.path().parent().map(Path::to_owned), format!("{title} {today}.pdf")))
        })
    }

    /// Renders the report from the register as it is now.
    pub fn render_report(
        &self,
        kind: ReportKind,
        language: Language,
        progress: &dyn Fn(ReportStage),
    ) -> Result<ropa_pdf::Pdf, AppError> {
        progress(ReportStage::Reading);
        let (content, head) = self.with_register(|r| Ok((r.content()?, r.chain_head()?)))?;
        progress(ReportStage::Rendering);
        let meta = ReportMeta::now(content.organisation.country, head, language);
        ropa_pdf::render_report(kind.into(), &content, &meta)
            .map_err(|e| AppError::new(&format!("pdf.{}", e.code())).with("detail", e.detail()))
    }

    /// Renders the report and writes it to `path`, which came from the save dialog (which has
    /// asked before replacing a file). Returns the number of pages.
    pub fn write_report(
        &self,
        kind: ReportKind,
        language: Language,
        path: &Path,
        progress: &dyn Fn(ReportStage),
    ) -> Result<u32, AppError> {
        let pdf = self.render_report(kind, language, progress)?;
        progress(ReportStage::Writing);
        files::write_atomically(path, &pdf.bytes, Existing::Replace).map_err(|e| AppError::write_file(path, &e))?;
        Ok(u32::try_from(pdf.pages).unwrap_or(u32::MAX))
    }
}

/// Asks where to save the report, writes it there and, when `open` is true, opens it in the
/// system's PDF viewer. `null` when the person cancelled. `progress` hears each step.
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    window: tauri::Window,
    state: State<'_, AppState>,
    kind: ReportKind,
    language: Language,
    open: bool,
    progress: Channel<ReportStage>,
) -> Result<Option<SavedReport>, AppError> {
    let (directory, file_name) = state.run(move |s| s.report_suggestion(kind, language)).await?;
    let ask =
        Ask { title: "dialog.save_report", save: true, file_name: Some(file_name), directory, filter: Filter::Pdf };
    let Some(path) = dialog::ask(&window, state.language(), ask).await else {
        return Ok(None);
    };
    let path = dialog::with_given_extension(path, "pdf");
    let send = {
        let progress = progress.clone();
        move |stage: ReportStage| {
            // A closed channel only means the window stopped listening; the export goes on.
            let _ = progress.send(stage);
        }
    };
    let written = path.clone();
    let pages = state.run(move |s| s.write_report(kind, language, &written, &send)).await?;
    let opened = open && {
        let _ = progress.send(ReportStage::Opening);
        viewer::open(&path)
    };
    Ok(Some(SavedReport { path: dialog::display(&path), pages, opened }))
}
