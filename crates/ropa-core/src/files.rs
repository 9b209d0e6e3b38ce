//! Writing whole files that people keep outside the register — reports, exports — so that a
//! failed or interrupted write never leaves half a file: the bytes go to a temporary file beside
//! the destination, are synced, and only then are moved into place.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What to do when the destination exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (the person confirmed, e.g. in a save dialog or with `--force`).
    Replace,
    /// Refuse with [`std::io::ErrorKind::AlreadyExists`], also when the file appears while
    /// the bytes are being written.
    Keep,
}

/// A temporary file beside the destination that is removed unless it was moved into place.
struct Temporary(Option<PathBuf>);

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Makes `dir` ready to receive files that must not mix with others: creates it if it is not
/// there; `Ok(false)` when it is there and not empty.
pub fn empty_folder(dir: &Path) -> std::io::Result<bool> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(std::fs::read_dir(dir)?.next().is_none()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `dest` all at once or not at all. Errors are the file system's, for the
/// caller to show with the destination path.
pub fn write_atomically(dest: &Path, bytes: &[u8], existing: Existing) -> std::io::Result<()> {
    write_atomically_with(dest, existing, |file| file.write_all(bytes))
}

/// [`write_atomically`] for content produced piece by piece: `fill` writes into the temporary
/// file; when it fails, nothing is moved into place.
pub fn write_atomically_with(
    dest: &Path,
    existing: Existing,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if existing == Existing::Keep && dest.symlink_metadata().is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    let dir = match dest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".to_owned());
    let temp_path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp_path)?;
    let temporary = Temporary(Some(temp_path.clone()));
    fill(&mut file)?;
    file.sync_all()?;
    drop(file);
    match existing {
        Existing::Replace => std::fs::rename(&temp_path, dest)?,
        // A hard link fails when the destination exists, so a file that appeared since the
        // check is not replaced. File systems without hard links (FAT on a USB stick) get a
        // second check and a rename.
        Existing::Keep => match std::fs::hard_link(&temp_path, dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) => {
                if dest.symlink_metadata().is_ok() {
                    return Err(std::io::ErrorKind::AlreadyExists.into());
                }
                std::fs::rename(&temp_path, dest)?;
            }
        },
    }
    drop(temporary);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_written_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dest = dir.path().join("report.pdf");
        write_atomically(&dest, b"%PDF-1.7 new", Existing::Keep).expect("write");
        assert_eq!(std::fs::read(&dest).expect("read"), b"%PDF-1.7 new");
        assert_eq!(names(dir.path()), ["report.pdf"]);
    }

    #[test]
    fn an_existing_file_is_kept_or_replaced_as_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dest = dir.path().join("report.pdf");
        std::fs::write(&dest, b"old").expect("write");
        let err = write_atomically(&dest, b"new", Existing::Keep).expect_err("must refuse");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&dest).expect("read"), b"old");
        write_atomically(&dest, b"new", Existing::Replace).expect("replace");
        assert_eq!(std::fs::read(&dest).expect("read"), b"new");
        assert_eq!(names(dir.path()), ["report.pdf"]);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dest = dir.path().join("missing-folder").join("report.pdf");
        assert!(write_atomically(&dest, b"x", Existing::Replace).is_err());
        assert!(names(dir.path()).is_empty());
    }
}
