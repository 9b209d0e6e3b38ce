//! The folder where the phone system puts its audio files, as the user chose it. A recording
//! reference is a file under it when it reads as a path (absolute, with a folder separator, or
//! with a file extension such as `.wav`) and, taken as a path (relative ones from the folder),
//! leads into the folder after `..` and symbolic links are resolved. Anything else is
//! [`AudioLocation::Outside`]: an id in the phone system (`PBX-77`) or a path elsewhere, which
//! the phone system itself must handle. Nothing outside the folder is ever deleted or read.

use crate::recordings::{AccessExtract, AudioFailure, AudioOutcome};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// An existing folder, held by its canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFolder {
    root: PathBuf,
}

/// Where a recording reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioLocation {
    /// A path under the folder (the file may be missing).
    Inside(PathBuf),
    /// Not a path under the folder.
    Outside,
}

/// What became of one audio file copied for an access request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioCopy {
    /// Copied to this path.
    Copied(PathBuf),
    /// The reference leads under the folder, but no file is there.
    Missing,
    /// The audio is not under the folder: it must be fetched from the phone system.
    External,
}

impl AudioFolder {
    /// The folder at `path`, which must exist and be a folder.
    pub fn new(path: &Path) -> io::Result<Self> {
        let root = path.canonicalize()?;
        if !root.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
        }
        Ok(AudioFolder { root })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Where `reference` leads.
    pub fn locate(&self, reference: &str) -> AudioLocation {
        let reference = reference.trim();
        if reference.is_empty() {
            return AudioLocation::Outside;
        }
        let given = Path::new(reference);
        if !reads_as_path(given, reference) {
            return AudioLocation::Outside;
        }
        let joined = if given.is_absolute() { given.to_owned() } else { self.root.join(given) };
        let resolved = match joined.canonicalize() {
            Ok(path) => path,
            // A file that is not there: judge the path by its text, `..` taken away. If a
            // folder on the way is a link out of the folder, nothing is there to delete anyway.
            Err(_) => match lexical(&joined) {
                Some(path) => path,
                None => return AudioLocation::Outside,
            },
        };
        if resolved != self.root && resolved.starts_with(&self.root) && !resolved.is_dir() {
            AudioLocation::Inside(resolved)
        } else {
            AudioLocation::Outside
        }
    }

    /// Deletes the audio `reference` leads to when it is a file under the folder. An I/O error
    /// other than "not found" is returned as a failure for `call_id`, and the file is left.
    pub fn delete(&self, call_id: &str, reference: &str) -> Result<AudioOutcome, AudioFailure> {
        match self.locate(reference) {
            AudioLocation::Outside => Ok(AudioOutcome::External),
            AudioLocation::Inside(path) => match fs::remove_file(&path) {
                Ok(()) => Ok(AudioOutcome::Deleted),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(AudioOutcome::Missing),
                Err(e) => Err(AudioFailure { call_id: call_id.to_owned(), error: e.kind().to_string() }),
            },
        }
    }

    /// Copies the audio `reference` leads to into `dest_dir`, named by the call id (made safe
    /// for a file name) with the file's own extension. Never overwrites a file.
    pub fn copy(&self, call_id: &str, reference: &str, dest_dir: &Path) -> io::Result<AudioCopy> {
        let AudioLocation::Inside(path) = self.locate(reference) else {
            return Ok(AudioCopy::External);
        };
        if !path.is_file() {
            return Ok(AudioCopy::Missing);
        }
        let mut name = safe_file_name(call_id);
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            name.push('.');
            name.push_str(&safe_file_name(ext));
        }
        let target = dest_dir.join(name);
        let mut source = fs::File::open(&path)?;
        let mut out = fs::OpenOptions::new().write(true).create_new(true).open(&target)?;
        io::copy(&mut source, &mut out)?;
        out.sync_all()?;
        Ok(AudioCopy::Copied(target))
    }
}

/// Whether a reference is a file path rather than an id: absolute, with a separator, or with an
/// extension that has a letter (`a.wav`, not `REC.123`).
fn reads_as_path(path: &Path, text: &str) -> bool {
    path.is_absolute()
        || text.contains(['/', '\\'])
        || path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()) && e.chars().any(|c| c.is_ascii_alphabetic())
        })
}

/// What to do with a call's audio, whether or not a folder is set: `None` when the call has no
/// recording reference; without a folder every reference is the phone system's ("external").
pub fn delete_audio(
    folder: Option<&AudioFolder>,
    call_id: &str,
    reference: Option<&str>,
) -> Result<Option<AudioOutcome>, AudioFailure> {
    match (reference, folder) {
        (None, _) => Ok(None),
        (Some(_), None) => Ok(Some(AudioOutcome::External)),
        (Some(reference), Some(folder)) => folder.delete(call_id, reference).map(Some),
    }
}

/// Copies the audio of every call of an access extract into `dest_dir`: one entry per call, in
/// order, `None` for a call without a recording reference, "external" for every reference when
/// no folder is set.
pub fn copy_extract_audio(
    folder: Option<&AudioFolder>,
    extract: &AccessExtract,
    dest_dir: &Path,
) -> io::Result<Vec<Option<AudioCopy>>> {
    extract
        .calls
        .iter()
        .map(|c| match (c.call.recording_ref.as_deref(), folder) {
            (None, _) => Ok(None),
            (Some(_), None) => Ok(Some(AudioCopy::External)),
            (Some(reference), Some(folder)) => folder.copy(&c.call.call_id, reference, dest_dir).map(Some),
        })
        .collect()
}

/// `path` with `.` and `..` taken away by their text; `None` if `..` climbs above the root.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// A call id as a file name: letters, digits, `-`, `_` and `.` kept, anything else `_`.
fn safe_file_name(text: &str) -> String {
    let name: String =
        text.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    match name.trim_start_matches('.') {
        "" => "call".to_owned(),
        rest => rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_under_the_folder_are_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("audio");
        fs::create_dir_all(root.join("2026")).expect("folders");
        fs::write(root.join("2026/a.wav"), b"RIFF").expect("file");
        fs::write(dir.path().join("outside.wav"), b"RIFF").expect("file");
        let folder = AudioFolder::new(&root).expect("folder");
        let inside = |r: &str| matches!(folder.locate(r), AudioLocation::Inside(_));
        assert!(inside("2026/a.wav"));
        assert!(inside(&root.join("2026/a.wav").to_string_lossy()));
        assert!(inside("2026/not-there.wav"), "a missing file under the folder is still inside");
        assert!(!inside("../outside.wav"));
        assert!(!inside("2026/../../outside.wav"));
        assert!(!inside(&dir.path().join("outside.wav").to_string_lossy()));
        assert!(!inside("2026"), "a folder is not a recording");
        assert!(!inside(""));
        assert!(!inside("PBX-REC-991"), "an id in the phone system");
        assert!(!inside("REC.123"), "an id with a dot");
        assert!(inside("loose.wav"), "a file name with an extension");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.wav"), root.join("link.wav")).expect("link");
            assert!(!inside("link.wav"), "a link out of the folder is followed");
        }
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_file_name("K-1"), "K-1");
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name(".."), "call");
    }
}
