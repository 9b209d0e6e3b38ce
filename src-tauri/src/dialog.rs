//! Native file dialogs (rfd, GTK 3), the only way a file path enters the app. Always async and
//! parented to the asking window.
//!
//! With the `e2e` feature the dialogs are not shown: each answer is the next line of the file
//! named by `ROPA_E2E_DIALOG` (consumed in order; an empty line or no line means "cancelled").
//! Release builds never contain that code.

use ropa_core::vocab::Language;
use std::path::{Path, PathBuf};

/// What to ask for.
#[derive(Debug, Clone)]
// The scripted e2e answers ignore what was asked.
#[cfg_attr(feature = "e2e", allow(dead_code))]
pub struct Ask {
    /// Catalog key of the dialog title; no title when the catalog lacks it.
    pub title: &'static str,
    pub save: bool,
    /// Suggested file name (save dialogs).
    pub file_name: Option<String>,
    pub directory: Option<PathBuf>,
    /// The kind of file: a filter name and its extensions.
    pub filter: Filter,
}

/// Which files a dialog shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Registers (and their backups): `.ropa`.
    Register,
    /// PDF reports.
    Pdf,
    /// Signed documents: the types the register takes for an agreement.
    Document,
    /// A phone system's call list: `.csv` (and `.txt`, which some export).
    Csv,
    /// A mapping profile for the call-list import: `.toml`.
    Toml,
    /// A folder, not a file (the audio folder, an access extract's folder).
    Folder,
}

impl Filter {
    #[cfg_attr(feature = "e2e", allow(dead_code))]
    fn name_and_extensions(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Filter::Register => ("ropa", &[EXTENSION]),
            Filter::Pdf => ("PDF", &["pdf"]),
            Filter::Document => ("PDF, DOCX, ODT, PNG, JPEG", &["pdf", "docx", "odt", "png", "jpg", "jpeg"]),
            Filter::Csv => ("CSV", &["csv", "txt"]),
            Filter::Toml => ("TOML", &["toml"]),
            Filter::Folder => ("", &[]),
        }
    }
}

/// Extension of register files (and of backups, which are registers too).
pub const EXTENSION: &str = "ropa";

/// `path` with `.ropa` added when it has another or no extension.
pub fn with_extension(path: PathBuf) -> PathBuf {
    with_given_extension(path, EXTENSION)
}

/// `path` with `.<extension>` added when it has another or no extension (compared without
/// regard to case).
pub fn with_given_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        return path;
    }
    let mut text = path.into_os_string();
    text.push(".");
    text.push(extension);
    PathBuf::from(text)
}

/// The path as the UI and the recent list see it.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(not(feature = "e2e"))]
pub async fn ask(window: &tauri::Window, language: Language, ask: Ask) -> Option<PathBuf> {
    let (name, extensions) = ask.filter.name_and_extensions();
    let mut dialog = rfd::AsyncFileDialog::new().set_parent(window);
    if !extensions.is_empty() {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(title) = ropa_core::i18n::messages(language).get(ask.title) {
        dialog = dialog.set_title(title);
    }
    if let Some(directory) = &ask.directory {
        dialog = dialog.set_directory(directory);
    }
    if ask.filter == Filter::Folder {
        dialog.pick_folder().await.map(|f| f.path().to_owned())
    } else if ask.save {
        if let Some(name) = ask.file_name {
            dialog = dialog.set_file_name(name);
        }
        dialog.save_file().await.map(|f| f.path().to_owned())
    } else {
        dialog.pick_file().await.map(|f| f.path().to_owned())
    }
}

#[cfg(feature = "e2e")]
pub async fn ask(_window: &tauri::Window, _language: Language, _ask: Ask) -> Option<PathBuf> {
    scripted_answer(Path::new(&std::env::var_os("ROPA_E2E_DIALOG")?))
}

/// Takes the first line of `file` as the answer and leaves the rest for the next dialog.
#[cfg(feature = "e2e")]
fn scripted_answer(file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    let answer = lines.next()?.trim().to_owned();
    let rest: String = lines.map(|l| format!("{l}\n")).collect();
    std::fs::write(file, rest).ok()?;
    (!answer.is_empty()).then(|| PathBuf::from(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ropa_extension_is_added_once() {
        assert_eq!(with_extension("/a/b".into()), PathBuf::from("/a/b.ropa"));
        assert_eq!(with_extension("/a/b.ropa".into()), PathBuf::from("/a/b.ropa"));
        assert_eq!(with_extension("/a/b.txt".into()), PathBuf::from("/a/b.txt.ropa"));
        assert_eq!(with_given_extension("/a/b.PDF".into(), "pdf"), PathBuf::from("/a/b.PDF"));
        assert_eq!(with_given_extension("/a/b".into(), "pdf"), PathBuf::from("/a/b.pdf"));
    }

    #[cfg(feature = "e2e")]
    #[test]
    fn scripted_answers_are_consumed_in_order_and_an_empty_line_cancels() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("answers.txt");
        std::fs::write(&file, "/a/one.ropa\n\n/a/two.ropa\n").expect("write");
        assert_eq!(scripted_answer(&file), Some(PathBuf::from("/a/one.ropa")));
        assert_eq!(scripted_answer(&file), None);
        assert_eq!(scripted_answer(&file), Some(PathBuf::from("/a/two.ropa")));
        assert_eq!(scripted_answer(&file), None);
    }
}
