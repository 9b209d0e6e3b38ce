//! `ropa report …`: reads the register once, hands its content and change-log head to ropa-pdf,
//! and writes the PDF atomically — to a temporary file beside the destination, then moved into
//! place — so that a failed or interrupted run never leaves half a report. An existing file is
//! replaced only with `--force`.

use crate::output::Failure;
use ropa_core::change_log::Head;
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::Language;
use ropa_pdf::ReportMeta;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Art. 30(1).
    Register,
    /// Art. 30(2).
    ProcessorRecord,
}

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
    kind: Kind,
    content: &RegisterContent,
    chain_head: Option<Head>,
    language: Option<Language>,
    dest: &Path,
    force: bool,
) -> Result<usize, Failure> {
    let meta = ReportMeta {
        generated_at: chrono::Local::now().fixed_offset(),
        chain_head,
        language: language.unwrap_or(content.organisation.language),
    };
    let pdf = match kind {
        Kind::Register => ropa_pdf::record_of_processing(content, &meta),
        Kind::ProcessorRecord => ropa_pdf::processor_record(content, &meta),
    }
    .map_err(Failure::Pdf)?;
    write_atomically(dest, &pdf.bytes, force)?;
    Ok(pdf.pages)
}

/// A temporary file beside `dest` that is removed unless it was moved into place.
struct Temporary(Option<PathBuf>);

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn write_atomically(dest: &Path, bytes: &[u8], force: bool) -> Result<(), Failure> {
    let write_failure = |e: std::io::Error| Failure::write(dest, e);
    let dir = match dest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".to_owned());
    let temp_path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp_path).map_err(write_failure)?;
    let temporary = Temporary(Some(temp_path.clone()));
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(write_failure)?;
    drop(file);
    if force {
        std::fs::rename(&temp_path, dest).map_err(write_failure)?;
    } else {
        // A hard link fails when the destination exists, so a file that appeared since the
        // check is not replaced. File systems without hard links (FAT on a USB stick) get a
        // second check and a rename.
        match std::fs::hard_link(&temp_path, dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists_failure(dest)),
            Err(_) => {
                check_destination(dest, false)?;
                std::fs::rename(&temp_path, dest).map_err(write_failure)?;
            }
        }
    }
    drop(temporary);
    Ok(())
}
