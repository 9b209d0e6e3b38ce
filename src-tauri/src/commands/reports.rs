//! Reports: the Art. 30 records, the processors overview (Art. 28), the notification of one
//! breach (Art. 33) and the breach log for a period (Art. 33(5)) as PDF (ropa-pdf), saved where the person chooses in the native
//! save dialog and then opened in the system's PDF viewer. Every report takes the same path:
//! a [`ReportRequest`] says which one, the rest does not care.

use crate::dialog::{self, Ask, Filter};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer;
use chrono::NaiveDate;
use ropa_core::breach_log::{Breach, BreachLog};
use ropa_core::files::{self, Existing};
use ropa_core::processor_agreements::Processor;
use ropa_core::vocab::Language;
use ropa_pdf::breach_log::LogPeriod;
use ropa_pdf::{Report, ReportMeta};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::State;
use tauri::ipc::Channel;

/// Which report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReportRequest {
    /// The record of processing activities as controller (Art. 30(1)).
    Register,
    /// The record as processor (Art. 30(2)), per controller.
    ProcessorRecord,
    /// The processors and their agreements (Art. 28): what needs doing, then each processor.
    Processors,
    /// The notification of one breach to the supervisory authority (Art. 33), by its id.
    BreachNotification { breach: String },
    /// The breach log (Art. 33(5)) for the breaches the organisation became aware of from
    /// `from` to `to` (days on its calendar, both included; `null` leaves that end open).
    BreachLog { from: Option<NaiveDate>, to: Option<NaiveDate> },
}

impl ReportRequest {
    /// Catalog key of the report's title, also used to name its file.
    fn title_key(&self) -> &'static str {
        match self {
            ReportRequest::Register => Report::Register.title_key(),
            ReportRequest::ProcessorRecord => Report::ProcessorRecord.title_key(),
            ReportRequest::Processors => "report.processors.title",
            ReportRequest::BreachNotification { .. } => "report.breach.notification.title",
            ReportRequest::BreachLog { .. } => "report.breach.log.title",
        }
    }

    /// The log's period; `period_reversed` when it ends before it begins.
    fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<LogPeriod, AppError> {
        LogPeriod::new(from, to).ok_or_else(|| {
            let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            AppError::new("period_reversed").with("from", day(from)).with("to", day(to))
        })
    }
}

/// What a report is made of besides the register's content, as read from the register.
enum Subject {
    /// An Art. 30 record; the controller's record lists the processors serving each activity.
    Art30(Report, Vec<Processor>),
    Processors(Vec<Processor>),
    Breach(Box<Breach>),
    Log(BreachLog, LogPeriod),
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
    /// report's title in its language, the breach's id for a notification, and today's date.
    /// Fails before any dialog for a breach that does not exist or a reversed period.
    pub fn report_suggestion(
        &self,
        request: &ReportRequest,
        language: Language,
    ) -> Result<(Option<PathBuf>, String), AppError> {
        if let ReportRequest::BreachLog { from, to } = request {
            ReportRequest::period(*from, *to)?;
        }
        self.with_register(|r| {
            let title = ropa_core::i18n::messages(language).get(request.title_key()).cloned();
            let mut name = title.unwrap_or_else(|| "report".to_owned());
            if let ReportRequest::BreachNotification { breach } = request {
                name = format!("{name} {}", r.breach(breach)?.id);
            }
            let today = chrono::Local::now().date_naive();
            Ok((r.path().parent().map(Path::to_owned), format!("{name} {today}.pdf")))
        })
    }

    /// Renders the report from the register as it is now.
    pub fn render_report(
        &self,
        request: &ReportRequest,
        language: Language,
        progress: &dyn Fn(ReportStage),
    ) -> Result<ropa_pdf::Pdf, AppError> {
        progress(ReportStage::Reading);
        let period = match request {
            ReportRequest::BreachLog { from, to } => ReportRequest::period(*from, *to)?,
            _ => LogPeriod::all(),
        };
        let (content, head, subject, lists) = self.with_register(|r| {
            let subject = match request {
                ReportRequest::Register => Subject::Art30(Report::Register, r.processors()?),
                ReportRequest::ProcessorRecord => Subject::Art30(Report::ProcessorRecord, Vec::new()),
                ReportRequest::Processors => Subject::Processors(r.processors()?),
                ReportRequest::BreachNotification { breach } => Subject::Breach(Box::new(r.breach(breach)?)),
                ReportRequest::BreachLog { .. } => Subject::Log(r.breach_log()?, period),
            };
            Ok((r.content()?, r.chain_head()?, subject, r.country_lists().clone()))
        })?;
        progress(ReportStage::Rendering);
        let meta = ReportMeta::now(content.organisation.country, head, language);
        let pdf = match subject {
            Subject::Art30(report, processors) => {
                ropa_pdf::render_report_with_processors(report, &content, &processors, &lists, &meta)
            }
            Subject::Processors(processors) => ropa_pdf::processors_overview(&content, &processors, &lists, &meta),
            Subject::Breach(breach) => ropa_pdf::breach_notification(&content, &breach, &meta),
            Subject::Log(log, period) => ropa_pdf::breach_log(&content, &log, &period, &meta),
        };
        pdf.map_err(|e| AppError::new(&format!("pdf.{}", e.code())).with("detail", e.detail()))
    }

    /// Renders the report and writes it to `path`, which came from the save dialog (which has
    /// asked before replacing a file). Returns the number of pages.
    pub fn write_report(
        &self,
        request: &ReportRequest,
        language: Language,
        path: &Path,
        progress: &dyn Fn(ReportStage),
    ) -> Result<u32, AppError> {
        let pdf = self.render_report(request, language, progress)?;
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
    report: ReportRequest,
    language: Language,
    open: bool,
    progress: Channel<ReportStage>,
) -> Result<Option<SavedReport>, AppError> {
    let request = report.clone();
    let (directory, file_name) = state.run(move |s| s.report_suggestion(&request, language)).await?;
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
    let pages = state.run(move |s| s.write_report(&report, language, &written, &send)).await?;
    let opened = open && {
        let _ = progress.send(ReportStage::Opening);
        viewer::open(&path)
    };
    Ok(Some(SavedReport { path: dialog::display(&path), pages, opened }))
}
