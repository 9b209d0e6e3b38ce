//! The processors' tables, their agreements' signed documents and their supervisions' audit
//! reports. A document of either kind is streamed the same way ([`stream_in`], [`stream_out`]):
//! on attach the file is read in chunks into a blob of its size (incremental blob I/O) while its
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
    // A version or supervision removed from the processor takes its document with it.
    prune(conn, AGREEMENT, &p.id, |version| p.agreement(version).is_some())?;
    prune(conn, SUPERVISION, &p.id, |id| p.supervision(id).is_some())
}

/// Deletes the documents in `slot` of the processor whose key is no longer `kept`.
fn prune(conn: &Connection, slot: Slot, processor_id: &str, kept: impl Fn(&str) -> bool) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {} FROM {} WHERE processor_id = ?1", slot.key_column, slot.table))?;
    let stored: Vec<String> = stmt.query_map([processor_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for key in stored.iter().filter(|k| !kept(k)) {
        conn.execute(
            &format!("DELETE FROM {} WHERE processor_id = ?1 AND {} = ?2", slot.table, slot.key_column),
            [processor_id, key],
        )?;
    }
    Ok(())
}

/// The table a document lives in, and the column that names it within its processor.
#[derive(Debug, Clone, Copy)]
struct Slot {
    table: &'static str,
    key_column: &'static str,
}

/// An agreement version's signed document.
const AGREEMENT: Slot = Slot { table: "agreement_documents", key_column: "version" };
/// A supervision's audit report.
const SUPERVISION: Slot = Slot { table: "supervision_documents", key_column: "supervision_id" };

/// Keeps the documents' descriptions the store has for `processor` (by agreement version and
/// supervision id), whatever the caller sent, and gives new supervisions their ids.
fn keep_stored_documents(processor: &mut Processor, stored: Option<&Processor>) {
    processor.assign_supervision_ids();
    for agreement in &mut processor.agreements {
        agreement.document = stored.and_then(|s| s.agreement(&agreement.version)).and_then(|a| a.document.clone());
    }
    for supervision in &mut processor.supervisions {
        supervision.report = stored.and_then(|s| s.supervision(&supervision.id)).and_then(|s| s.report.clone());
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Streams the file at `path` (of `size` bytes) into the document `key` of a processor in
/// `slot` (an agreement version or a supervision), replacing one it had, and returns its
/// SHA-256. The file may not change meanwhile.
fn stream_in(
    tx: &rusqlite::Transaction<'_>,
    slot: Slot,
    processor_id: &str,
    key: &str,
    path: &Path,
    size: u64,
) -> Result<String, DocumentError> {
    let io = |source| DocumentError::Io { path: path.to_owned(), source };
    let blob_len = i32::try_from(size).map_err(|_| DocumentError::TooLarge { max: MAX_DOCUMENT_BYTES })?;
    tx.execute(
        &format!("DELETE FROM {} WHERE processor_id = ?1 AND {} = ?2", slot.table, slot.key_column),
        [processor_id, key],
    )
    .map_err(StoreError::from)?;
    tx.execute(
        &format!("INSERT INTO {} (processor_id, {}, content) VALUES (?1, ?2, ?3)", slot.table, slot.key_column),
        params![processor_id, key, ZeroBlob(blob_len)],
    )
    .map_err(StoreError::from)?;
    let rowid = tx.last_insert_rowid();
    let mut blob = tx.blob_open("main", slot.table, "content", rowid, false).map_err(StoreError::from)?;
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

/// Writes the document `key` of a processor in `slot` to `dest`, streamed, and checks it
/// against `document`'s SHA-256 before moving it into place. `Ok(false)` when there is no such
/// row.
fn stream_out(
    conn: &Connection,
    slot: Slot,
    processor_id: &str,
    key: &str,
    document: &AgreementDocument,
    dest: &Path,
    existing: Existing,
) -> Result<bool, DocumentError> {
    let rowid: Option<i64> = conn
        .query_row(
            &format!("SELECT rowid FROM {} WHERE processor_id = ?1 AND {} = ?2", slot.table, slot.key_column),
            [processor_id, key],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::from)?;
    let Some(rowid) = rowid else { return Ok(false) };
    let mut blob = conn.blob_open("main", slot.table, "content", rowid, true).map_err(StoreError::from)?;
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
    Ok(true)
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
        Ok(validation::validate_processor(&self.content()?, processor, "", &self.country_lists))
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
        keep_stored_documents(&mut processor, stored.as_ref());
        let issues = validation::validate_processor(&self.content()?, &processor, "", &self.country_lists);
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
            keep_stored_documents(processor, stored.as_ref());
        }
        let issues = validation::validate_processors(&self.content()?, &list, &self.country_lists);
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
        let issues = validation::validate_processor(&self.content()?, &processor, "", &self.country_lists);
        reject_errors(&issues)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let change = Change::new("agreement", format!("{processor_id}/{version}"), "attach");
        let document = self.write_with(change, |tx| {
            let sha256 = stream_in(tx, AGREEMENT, processor_id, &version, path, size)?;
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
        if !stream_out(&self.conn, AGREEMENT, processor_id, &agreement.version, &document, dest, existing)? {
            return Err(DocumentError::NoDocument { version: agreement.version.clone() });
        }
        Ok(document)
    }

    /// Stores the file at `path` as the audit report of a processor's supervision, replacing a
    /// report it had. The file's type must match its extension, as for a signed agreement.
    /// One transaction: on any error the register is unchanged.
    pub fn attach_supervision_report(
        &mut self,
        processor_id: &str,
        supervision_id: &str,
        path: &Path,
    ) -> Result<AgreementDocument, DocumentError> {
        let (kind, size) = check_document(path)?;
        let mut processor = self.processor(processor_id)?;
        if processor.supervision(supervision_id).is_none() {
            return Err(DocumentError::NoSupervision { id: supervision_id.to_owned() });
        }
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let change = Change::new("supervision", format!("{processor_id}/{supervision_id}"), "attach");
        let document = self.write_with(change, |tx| {
            let sha256 = stream_in(tx, SUPERVISION, processor_id, supervision_id, path, size)?;
            let document = AgreementDocument { file_name, kind, size, sha256 };
            if let Some(s) = processor.supervisions.iter_mut().find(|s| s.id == supervision_id) {
                s.report = Some(document.clone());
            }
            put_processor(tx, &processor)?;
            Ok::<_, DocumentError>(document)
        })?;
        Ok(document)
    }

    /// Writes the audit report of a processor's supervision to `dest`, streamed and checked
    /// against its SHA-256 like [`Register::extract_agreement`].
    pub fn extract_supervision_report(
        &self,
        processor_id: &str,
        supervision_id: &str,
        dest: &Path,
        existing: Existing,
    ) -> Result<AgreementDocument, DocumentError> {
        let processor = self.processor(processor_id)?;
        let supervision = processor
            .supervision(supervision_id)
            .ok_or_else(|| DocumentError::NoSupervision { id: supervision_id.to_owned() })?;
        let no_report = || DocumentError::NoReport { id: supervision_id.to_owned() };
        let document = supervision.report.clone().ok_or_else(no_report)?;
        if !stream_out(&self.conn, SUPERVISION, processor_id, supervision_id, &document, dest, existing)? {
            return Err(no_report());
        }
        Ok(document)
    }

    /// Writes every stored agreement document and supervision report into `dir` (created when
    /// missing) under its interchange name ([`crate::interchange::document_file_name`]), each
    /// checked against its SHA-256. Returns how many were written.
    pub fn export_documents(&self, dir: &Path) -> Result<usize, DocumentError> {
        let mut count = 0;
        for processor in self.processors()? {
            for (slot, key, document) in documents_of(&processor) {
                if count == 0 {
                    std::fs::create_dir_all(dir)
                        .map_err(|source| DocumentError::Io { path: dir.to_owned(), source })?;
                }
                let dest = dir.join(crate::interchange::document_file_name(document));
                if !stream_out(&self.conn, slot, &processor.id, key, document, &dest, Existing::Replace)? {
                    return Err(DocumentError::NoDocument { version: key.to_owned() });
                }
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
        let mut issues = validation::validate_content(&parsed.content, super::today(), &self.country_lists);
        issues.extend(validation::validate_breach_log(&parsed.content, &parsed.log));
        issues.extend(validation::validate_processors(&parsed.content, &parsed.processors, &self.country_lists));
        reject_errors(&issues)?;
        let mut processors = parsed.processors.clone();
        processors.iter_mut().for_each(Processor::assign_supervision_ids);
        // Every document is found and looks right before anything is written.
        let mut files = Vec::new();
        for processor in &processors {
            for (slot, key, document) in documents_of(processor) {
                let path = documents.join(crate::interchange::document_file_name(document));
                let (kind, size) = check_document(&path)?;
                if kind != document.kind || size != document.size {
                    return Err(DocumentError::ImportMismatch { path });
                }
                files.push((slot, processor.id.as_str(), key, path, document));
            }
        }
        let id = self.register_id.clone();
        self.write_with(Change::new("register", id, "import"), |tx| {
            if !replace && !super::schema::is_empty(tx).map_err(StoreError::from)? {
                return Err(StoreError::NotEmpty.into());
            }
            tx.execute("DELETE FROM processors", []).map_err(StoreError::from)?;
            super::schema::replace_content(tx, &parsed.content, &parsed.log)?;
            for processor in &processors {
                put_processor(tx, processor)?;
            }
            for (slot, processor_id, key, path, document) in &files {
                let sha256 = stream_in(tx, *slot, processor_id, key, path, document.size)?;
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

/// Every document a processor describes: its agreements' and its supervisions', with the slot
/// and key each is stored under.
fn documents_of(processor: &Processor) -> impl Iterator<Item = (Slot, &str, &AgreementDocument)> {
    let agreements =
        processor.agreements.iter().filter_map(|a| a.document.as_ref().map(|d| (AGREEMENT, a.version.as_str(), d)));
    let reports =
        processor.supervisions.iter().filter_map(|s| s.report.as_ref().map(|d| (SUPERVISION, s.id.as_str(), d)));
    agreements.chain(reports)
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
