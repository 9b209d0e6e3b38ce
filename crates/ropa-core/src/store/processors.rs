//! The processors' tables and their agreements' signed documents. A document is streamed: on
//! attach the file is read in chunks into a blob of its size (incremental blob I/O) while its
//! SHA-256 is computed; on extract the blob is read in chunks into a temporary file beside the
//! destination, the hash checked, and only then moved into place. Neither holds the file whole
//! in memory.

use super::{Register, StoreError, reject_errors};
use crate::change_log::Change;
use crate::files::{self, Existing};
use crate::processor_agreements::*;
use crate::validation::{self, Issue};
use chrono::{DateTime, Utc};
use rusqlite::blob::ZeroBlob;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// Bytes moved per read or write while streaming a document.
const CHUNK: usize = 256 * 1024;

fn to_doc(p: &Processor) -> Result<String, StoreError> {
    serde_json::to_string(p).map_err(|e| StoreError::Damaged(e.to_string()))
}

fn from_doc(doc: &str) -> Result<Processor, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Damaged(format!("stored record does not parse: {e}")))
}

pub(super) fn get_processors(conn: &Connection) -> Result<Vec<Processor>, StoreError> {
    let mut stmt = conn.prepare("SELECT doc FROM processors ORDER BY position")?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    docs.iter().map(|d| from_doc(d)).collect()
}

fn get_processor(conn: &Connection, id: &str) -> Result<Option<Processor>, StoreError> {
    let doc: Option<String> =
        conn.query_row("SELECT doc FROM processors WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    doc.map(|d| from_doc(&d)).transpose()
}

pub(super) fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM processors", [], |r| r.get(0))
}

fn put_processor(conn: &Connection, p: &Processor) -> Result<(), StoreError> {
    let position: i64 = conn.query_row("SELECT coalesce(max(position), 0) + 1 FROM processors", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO processors (id, position, name, country, doc) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country, doc = excluded.doc",
        params![p.id, position, p.name, p.country, to_doc(p)?],
    )?;
    for table in ["processor_activities", "processor_data_categories"] {
        conn.execute(&format!("DELETE FROM {table} WHERE processor_id = ?1"), [&p.id])?;
    }
    let sorted = |ids: &[String]| {
        let mut ids: Vec<String> = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    for (table, column, ids) in [
        ("processor_activities", "activity_id", sorted(&p.activities)),
        ("processor_data_categories", "data_category_id", sorted(&p.data_categories)),
    ] {
        let mut stmt = conn.prepare(&format!("INSERT INTO {table} (processor_id, {column}) VALUES (?1, ?2)"))?;
        for id in ids {
            stmt.execute([&p.id, &id])?;
        }
    }
    // A version removed from the processor takes its document with it.
    let mut stmt = conn.prepare("SELECT version FROM agreement_documents WHERE processor_id = ?1")?;
    let stored: Vec<String> = stmt.query_map([&p.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for version in stored.iter().filter(|v| p.agreement(v).is_none()) {
        conn.execute("DELETE FROM agreement_documents WHERE processor_id = ?1 AND version = ?2", [&p.id, version])?;
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Streams the file at `path` (of `size` bytes) into the document of a processor's agreement
/// version, replacing one it had, and returns its SHA-256. The file may not change meanwhile.
fn stream_in(
    tx: &rusqlite::Transaction<'_>,
    processor_id: &str,
    version: &str,
    path: &Path,
    size: u64,
) -> Result<String, DocumentError> {
    let io = |source| DocumentError::Io { path: path.to_owned(), source };
    let blob_len = i32::try_from(size).map_err(|_| DocumentError::TooLarge { max: MAX_DOCUMENT_BYTES })?;
    tx.execute("DELETE FROM agreement_documents WHERE processor_id = ?1 AND version = ?2", [processor_id, version])
        .map_err(StoreError::from)?;
    tx.execute(
        "INSERT INTO agreement_documents (processor_id, version, content) VALUES (?1, ?2, ?3)",
        params![processor_id, version, ZeroBlob(blob_len)],
    )
    .map_err(StoreError::from)?;
    let rowid = tx.last_insert_rowid();
    let mut blob = tx.blob_open("main", "agreement_documents", "content", rowid, false).map_err(StoreError::from)?;
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut written: u64 = 0;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        written += n as u64;
        if written > size {
            return Err(DocumentError::Changed);
        }
        hasher.update(&buf[..n]);
        blob.write_all(&buf[..n]).map_err(|e| StoreError::Damaged(e.to_string()))?;
    }
    if written != size {
        return Err(DocumentError::Changed);
    }
    blob.close().map_err(StoreError::from)?;
    Ok(hex(&hasher.finalize()))
}

impl Register {
    /// Every processor, in the order first saved.
    pub fn processors(&self) -> Result<Vec<Processor>, StoreError> {
        get_processors(&self.conn)
    }

    pub fn processor(&self, id: &str) -> Result<Processor, StoreError> {
        get_processor(&self.conn, id)?.ok_or_else(|| StoreError::NotFound { entity: "processor", id: id.to_owned() })
    }

    /// Checks a processor against the register without saving it. Paths are relative to it.
    pub fn check_processor(&self, processor: &Processor) -> Result<Vec<Issue>, StoreError> {
        Ok(validation::validate_processor(&self.content()?, processor, ""))
    }

    /// Creates or updates a processor (an empty id gets a new one). Errors block the save;
    /// warnings are returned with the saved processor's id. The documents' descriptions are
    /// the store's: those given are replaced by what is stored for the same version, and a
    /// version left out is removed with its document.
    pub fn save_processor(&mut self, processor: &Processor) -> Result<(String, Vec<Issue>), StoreError> {
        let mut processor = processor.clone();
        if processor.id.trim().is_empty() {
            processor.id = uuid::Uuid::new_v4().to_string();
        }
        let stored = get_processor(&self.conn, &processor.id)?;
        for agreement in &mut processor.agreements {
            agreement.document =
                stored.as_ref().and_then(|s| s.agreement(&agreement.version)).and_then(|a| a.document.clone());
        }
        let issues = validation::validate_processor(&self.content()?, &processor, "");
        reject_errors(&issues)?;
        let action = if stored.is_some() { "update" } else { "create" };
        let id = processor.id.clone();
        self.write(Change::new("processor", &id, action), |tx| put_processor(tx, &processor))?;
        Ok((id, issues))
    }

    /// Adds or replaces several processors at once, all or nothing: every one is checked first
    /// (issue paths are `/processors/<index>/…`, an id given twice is an error), then all are
    /// written in one transaction with one change-log entry naming their ids. An empty id gets
    /// a new one. As with [`Register::save_processor`], the documents' descriptions are the
    /// store's. Returns the ids in order and the warnings.
    pub fn import_processors(&mut self, processors: &[Processor]) -> Result<(Vec<String>, Vec<Issue>), StoreError> {
        let mut list = processors.to_vec();
        for processor in &mut list {
            if processor.id.trim().is_empty() {
                processor.id = uuid::Uuid::new_v4().to_string();
            }
            let stored = get_processor(&self.conn, &processor.id)?;
            for agreement in &mut processor.agreements {
                agreement.document =
                    stored.as_ref().and_then(|s| s.agreement(&agreement.version)).and_then(|a| a.document.clone());
            }
        }
        let issues = validation::validate_processors(&self.content()?, &list);
        reject_errors(&issues)?;
        let ids: Vec<String> = list.iter().map(|p| p.id.clone()).collect();
        self.write(Change::new("processor", ids.join(", "), "import"), |tx| {
            list.iter().try_for_each(|p| put_processor(tx, p))
        })?;
        Ok((ids, issues))
    }

    /// Stores the file at `path` as the signed document of an agreement version of the
    /// processor, replacing a document that version had. The file's type must match its
    /// extension (checked by its first bytes). The version is created (and made current) when
    /// the processor does not have it; `signed_on` and `expires_on` are set when given.
    /// One transaction: on any error the register is unchanged.
    pub fn attach_agreement(
        &mut self,
        processor_id: &str,
        path: &Path,
        options: &AttachOptions,
    ) -> Result<AgreementDocument, DocumentError> {
        let (kind, size) = check_document(path)?;
        let mut processor = self.processor(processor_id)?;
        let version = options
            .version
            .clone()
            .or_else(|| processor.current_agreement().map(|a| a.version.clone()))
            .unwrap_or_else(|| "1".to_owned());
        if processor.agreement(&version).is_none() {
            for a in &mut processor.agreements {
                a.current = false;
            }
            processor.agreements.push(Agreement {
                version: version.clone(),
                current: true,
                signed_on: None,
                expires_on: None,
                term: String::new(),
                checklist: Art28Checklist::default(),
                document: None,
            });
        }
        let Some(agreement) = processor.agreements.iter_mut().find(|a| a.version == version) else {
            return Err(DocumentError::NoVersion { version });
        };
        if options.signed_on.is_some() {
            agreement.signed_on = options.signed_on;
        }
        if options.expires_on.is_some() {
            agreement.expires_on = options.expires_on;
        }
        let issues = validation::validate_processor(&self.content()?, &processor, "");
        reject_errors(&issues)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let change = Change::new("agreement", format!("{processor_id}/{version}"), "attach");
        let document = self.write_with(change, |tx| {
            let sha256 = stream_in(tx, processor_id, &version, path, size)?;
            let document = AgreementDocument { file_name, kind, size, sha256 };
            if let Some(a) = processor.agreements.iter_mut().find(|a| a.version == version) {
                a.document = Some(document.clone());
            }
            put_processor(tx, &processor)?;
            Ok::<_, DocumentError>(document)
        })?;
        Ok(document)
    }

    /// Writes the signed document of an agreement version (default: the current one) to
    /// `dest`, streamed, and checks it against the recorded SHA-256 before moving it into
    /// place: a document that does not match is never written.
    pub fn extract_agreement(
        &self,
        processor_id: &str,
        version: Option<&str>,
        dest: &Path,
        existing: Existing,
    ) -> Result<AgreementDocument, DocumentError> {
        let processor = self.processor(processor_id)?;
        let agreement = match version {
            Some(v) => processor.agreement(v),
            None => processor.current_agreement(),
        }
        .ok_or_else(|| DocumentError::NoVersion { version: version.unwrap_or_default().to_owned() })?;
        let document = agreement
            .document
            .clone()
            .ok_or_else(|| DocumentError::NoDocument { version: agreement.version.clone() })?;
        let rowid: Option<i64> = self
            .conn
            .query_row(
                "SELECT rowid FROM agreement_documents WHERE processor_id = ?1 AND version = ?2",
                [processor_id, agreement.version.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?;
        let rowid = rowid.ok_or_else(|| DocumentError::NoDocument { version: agreement.version.clone() })?;
        let mut blob =
            self.conn.blob_open("main", "agreement_documents", "content", rowid, true).map_err(StoreError::from)?;
        files::write_atomically_with(dest, existing, |file| {
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = blob.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                file.write_all(&buf[..n])?;
            }
            if hex(&hasher.finalize()) != document.sha256 {
                return Err(std::io::Error::other(HashMismatch));
            }
            Ok(())
        })
        .map_err(|source| {
            if source.get_ref().is_some_and(|e| e.is::<HashMismatch>()) {
                DocumentError::HashMismatch
            } else {
                DocumentError::Io { path: dest.to_owned(), source }
            }
        })?;
        Ok(document)
    }

    /// Writes every stored agreement document into `dir` (created when missing) under its
    /// interchange name ([`crate::interchange::document_file_name`]), each checked against its
    /// SHA-256. Returns how many were written.
    pub fn export_documents(&self, dir: &Path) -> Result<usize, DocumentError> {
        let mut count = 0;
        for processor in self.processors()? {
            for agreement in &processor.agreements {
                let Some(document) = &agreement.document else { continue };
                if count == 0 {
                    std::fs::create_dir_all(dir)
                        .map_err(|source| DocumentError::Io { path: dir.to_owned(), source })?;
                }
                let dest = dir.join(crate::interchange::document_file_name(document));
                self.extract_agreement(&processor.id, Some(&agreement.version), &dest, Existing::Replace)?;
                count += 1;
            }
        }
        Ok(count)
    }

    /// Replaces the register's content, breach log and processors with `parsed` in one
    /// transaction, streaming each agreement document from `documents` (the folder beside the
    /// interchange file) and checking its size, type and SHA-256. Refuses when the register
    /// already holds records, unless `replace` is set. On any error the register is unchanged.
    pub fn import_register(
        &mut self,
        parsed: &crate::interchange::Parsed,
        documents: &Path,
        replace: bool,
    ) -> Result<Vec<Issue>, DocumentError> {
        let mut issues = validation::validate_content(&parsed.content, super::today());
        issues.extend(validation::validate_breach_log(&parsed.content, &parsed.log));
        issues.extend(validation::validate_processors(&parsed.content, &parsed.processors));
        reject_errors(&issues)?;
        // Every document is found and looks right before anything is written.
        let mut files = Vec::new();
        for processor in &parsed.processors {
            for agreement in &processor.agreements {
                let Some(document) = &agreement.document else { continue };
                let path = documents.join(crate::interchange::document_file_name(document));
                let (kind, size) = check_document(&path)?;
                if kind != document.kind || size != document.size {
                    return Err(DocumentError::ImportMismatch { path });
                }
                files.push((processor.id.as_str(), agreement.version.as_str(), path, document));
            }
        }
        let id = self.register_id.clone();
        self.write_with(Change::new("register", id, "import"), |tx| {
            if !replace && !super::schema::is_empty(tx).map_err(StoreError::from)? {
                return Err(StoreError::NotEmpty.into());
            }
            tx.execute("DELETE FROM processors", []).map_err(StoreError::from)?;
            super::schema::replace_content(tx, &parsed.content, &parsed.log)?;
            for processor in &parsed.processors {
                put_processor(tx, processor)?;
            }
            for (processor_id, version, path, document) in &files {
                let sha256 = stream_in(tx, processor_id, version, path, document.size)?;
                if sha256 != document.sha256 {
                    return Err(DocumentError::ImportMismatch { path: path.clone() });
                }
            }
            Ok::<_, DocumentError>(())
        })?;
        Ok(issues)
    }

    /// The processors' deadlines and gaps at `now`: see
    /// [`crate::register_deadlines::processor_deadlines`].
    pub fn processor_deadlines(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::register_deadlines::ProcessorDeadline>, StoreError> {
        Ok(crate::register_deadlines::processor_deadlines(&self.content()?, &self.processors()?, now))
    }
}

/// The marker inside the I/O error when an extracted document does not match its hash.
#[derive(Debug)]
struct HashMismatch;

impl std::fmt::Display for HashMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the document does not match its recorded SHA-256")
    }
}

impl std::error::Error for HashMismatch {}
