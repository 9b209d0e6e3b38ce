//! `ropa report …`: reads the register once, hands its content and change-log head to ropa-pdf,
//! and writes the PDF atomically (`ropa_core::files`), so that a failed or interrupted run never
//! leaves half a report. An existing file is replaced only with `--force`.

use crate::output::Failure;
use ropa_core::change_log::Head;
use ropa_core::files::{self, Existing};
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::Language;
use ropa_pdf::{Report, ReportMeta};
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

/// Renders the report and writes it to `dest`; returns the number of pages.
pub fn write(
    kind: Report,
    content: &RegisterContent,
    chain_head: Option<Head>,
    language: Option<Language>,
    dest: &Path,
    force: bool,
) -> Result<usize, Failure> {
    let meta = ReportMeta::now(chain_head, language.unwrap_or(content.organisation.language));
    let pdf = ropa_pdf::render_report(kind, content, &meta).map_err(Failure::Pdf)?;
    let existing = if force { Existing::Replace } else { Existing::Keep };
    files::write_atomically(dest, &pdf.bytes, existing).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists_failure(dest),
        _ => Failure::write(dest, e),
    })?;
    Ok(pdf.pages)
}
