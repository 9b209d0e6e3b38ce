//! `ropa report …`: reads the register once, hands its content (and, for the breach reports, the
//! breach log) and change-log head to ropa-pdf, and writes the PDF atomically
//! (`ropa_core::files`), so that a failed or interrupted run never leaves half a report. An
//! existing file is replaced only with `--force`.

use crate::output::Failure;
use chrono::NaiveDate;
use ropa_core::change_log::Head;
use ropa_core::files::{self, Existing};
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::Language;
use ropa_pdf::breach_log::LogPeriod;
use ropa_pdf::{Pdf, ReportMeta};
use std::path::Path;

fn exists_failure(path: &Path) -> Failure {
    Failure::Message("error.out_exists", vec![("path", path.display().to_string())])
}

/// Fails when `path` exists and may not be replaced.
pub fn check_destination(path: &Path, force: bool) -> Result<(), Failure> {
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists_failure(path));
    }
    Ok(())
}

/// The report's meta: made now, in `language` or else the organisation's.
pub fn meta(content: &RegisterContent, chain_head: Option<Head>, language: Option<Language>) -> ReportMeta {
    let organisation = &content.organisation;
    ReportMeta::now(organisation.country, chain_head, language.unwrap_or(organisation.language))
}

/// The period of `--from` and `--to` (both days included).
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<LogPeriod, Failure> {
    let day = |text: Option<&str>| -> Result<Option<NaiveDate>, Failure> {
        text.map(|t| {
            NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map_err(|_| Failure::Message("error.date_invalid", vec![("value", t.to_owned())]))
        })
        .transpose()
    };
    let (from, to) = (day(from)?, day(to)?);
    LogPeriod::new(from, to).ok_or_else(|| {
        let text = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        Failure::Message("error.period_reversed", vec![("from", text(from)), ("to", text(to))])
    })
}

/// Writes the PDF to `dest`; returns the number of pages.
pub fn save(pdf: &Pdf, dest: &Path, force: bool) -> Result<usize, Failure> {
    let existing = if force { Existing::Replace } else { Existing::Keep };
    files::write_atomically(dest, &pdf.bytes, existing).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists_failure(dest),
        _ => Failure::write(dest, e),
    })?;
    Ok(pdf.pages)
}
