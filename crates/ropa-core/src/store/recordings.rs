//! The recording policies and recorded calls tables, and the import of a phone system's call
//! list. The import streams: rows are read one at a time from the [`CallReader`] and inserted
//! with a prepared statement, so memory stays constant whatever the file's size.
//!
//! Batches: each batch of rows is one change-log entry whose id summarises the counts (an
//! import run id, the batch number, how many rows were imported, already there and rejected),
//! never a phone number or a customer reference. Without `strict` each batch is its own
//! transaction; with `strict` the whole file is one transaction, rolled back at the first bad
//! row.

use super::{Register, StoreError, reject_errors};
use crate::call_import::{CallReader, CallRow, RowError, RowProblem, normalise_phone};
use crate::change_log::{self, Change};
use crate::recordings::*;
use crate::validation::{self, Issue};
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::collections::HashMap;

pub(super) fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A day as stored: `2026-03-01` (written directly: chrono's format strings cost more than the
/// rest of an imported row's conversions).
pub(super) fn day_text(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// A stored day (`2026-03-01`, as [`day_text`] writes it) read back, without format strings.
pub(super) fn parse_day(text: &str) -> Result<NaiveDate, StoreError> {
    let bad = || damaged("delete-by day");
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().map_err(|_| bad()));
    let (year, month, day) =
        (parts.next().ok_or_else(bad)??, parts.next().ok_or_else(bad)??, parts.next().ok_or_else(bad)??);
    NaiveDate::from_ymd_opt(i32::try_from(year).map_err(|_| bad())?, month, day).ok_or_else(bad)
}

pub(super) fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(format!("stored recorded call has an unreadable {what}"))
}

pub(super) fn parse_time(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| damaged("time"))
}

/// A policy's columns as stored: id, name, purpose, basis, direction, months, processor.
type PolicyColumns = (String, String, String, String, String, i64, Option<String>);

fn policy_from_row(r: &Row<'_>) -> rusqlite::Result<PolicyColumns> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn to_policy(
    (id, name, purpose, basis, direction, months, processor_id): PolicyColumns,
) -> Result<RecordingPolicy, StoreError> {
    let bad = || StoreError::Damaged("stored recording policy does not parse".to_owned());
    Ok(RecordingPolicy {
        id,
        name,
        purpose: RecordingPurpose::parse(&purpose).ok_or_else(bad)?,
        basis: RecordingBasis::parse(&basis).ok_or_else(bad)?,
        direction: parse_direction(&direction).ok_or_else(bad)?,
        retention_months: u32::try_from(months).map_err(|_| bad())?,
        processor_id,
    })
}

const POLICY_COLUMNS: &str = "id, name, purpose, basis, direction, retention_months, processor_id";

fn get_policies(conn: &Connection) -> Result<Vec<RecordingPolicy>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {POLICY_COLUMNS} FROM recording_policies ORDER BY id"))?;
    let rows = stmt.query_map([], policy_from_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(to_policy).collect()
}

const CALL_COLUMNS: &str =
    "c.call_id, c.start, c.direction, coalesce(c.phone, ''), c.customer_ref, c.agent, c.policy_id,
    c.consent_method, c.consent_at, c.consent_script, c.recording_ref, c.delete_by, c.status, d.at,
    d.reason, p.basis";

type CallColumns =
    ([String; 4], [Option<String>; 2], String, [Option<String>; 4], String, String, [Option<String>; 2], String);

fn call_from_row(r: &Row<'_>) -> rusqlite::Result<CallColumns> {
    Ok((
        [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
        [r.get(4)?, r.get(5)?],
        r.get(6)?,
        [r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?],
        r.get(11)?,
        r.get(12)?,
        [r.get(13)?, r.get(14)?],
        r.get(15)?,
    ))
}

fn to_call(columns: CallColumns) -> Result<RecordedCall, StoreError> {
    let (
        [call_id, start, direction, phone],
        [customer_ref, agent],
        policy_id,
        consent,
        delete_by,
        status,
        deleted,
        basis,
    ) = columns;
    let [consent_method, consent_at, consent_script, recording_ref] = consent;
    let consent_method =
        consent_method.map(|m| parse_consent(&m).ok_or_else(|| damaged("consent method"))).transpose()?;
    let basis = RecordingBasis::parse(&basis).ok_or_else(|| damaged("policy basis"))?;
    let status = match (status.as_str(), deleted) {
        ("kept", _) => CallStatus::Kept,
        ("deleted", [Some(at), Some(reason)]) => CallStatus::Deleted {
            at: parse_time(&at)?,
            reason: DeletionReason::parse(&reason).ok_or_else(|| damaged("deletion reason"))?,
        },
        _ => return Err(damaged("status")),
    };
    Ok(RecordedCall {
        call_id,
        start: parse_time(&start)?,
        direction: parse_direction(&direction).ok_or_else(|| damaged("direction"))?,
        phone,
        customer_ref,
        agent,
        policy_id,
        consent_method,
        consent_at: consent_at.map(|t| parse_time(&t)).transpose()?,
        consent_script,
        recording_ref,
        delete_by: parse_day(&delete_by)?,
        status,
        flag: if status == CallStatus::Kept { consent_flag(basis, consent_method) } else { None },
    })
}

/// The SQL condition of a flagged call, on `c` (the call) and `p` (its policy): kept, and its
/// policy needs consent the call does not have. A deleted call is never flagged.
pub(super) const FLAGGED: &str =
    "c.status = 'kept' AND p.basis = 'consent' AND (c.consent_method IS NULL OR c.consent_method = 'none')";

fn query_calls(
    conn: &Connection,
    condition: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<RecordedCall>, StoreError> {
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM recorded_calls c JOIN recording_policies p ON p.id = c.policy_id
         LEFT JOIN call_deletions d ON d.id = c.deletion
         WHERE {condition} ORDER BY c.start, c.call_id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(args, call_from_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(to_call).collect()
}

/// Where a row stands after an attempt to insert it.
enum Outcome {
    Imported,
    AlreadyThere,
    RepeatedInFile,
}

/// What a batch counted.
#[derive(Default)]
struct Counts {
    read: u64,
    imported: u64,
    already_there: u64,
    repeated_in_file: u64,
    rejected: u64,
}

struct Importer<'a> {
    policies: HashMap<String, RecordingPolicy>,
    default_policy: Option<&'a str>,
    country: crate::vocab::Country,
    run: String,
    /// Rows read after which the search indices are dropped, to be built at the end.
    bulk_at: u64,
    /// The largest rowid before the import: a call with a larger one came from this import
    /// (rowids only grow, calls are never removed, and the register's lock keeps other writers
    /// out).
    rowid_before: i64,
}

/// The meta key under which a large import keeps the definitions of the call indices it
/// dropped, until they are built again: at the import's end, or on the next open after a crash.
const DROPPED_INDICES_KEY: &str = "recordings.dropped_indices";

/// The indices of the calls table an import adds to, but the call id's own (which keeps the
/// import idempotent). The withdrawals' index stays: an imported call has no withdrawal.
pub(super) const IMPORT_INDICES: &[&str] =
    &["recorded_calls_by_customer_ref", "recorded_calls_by_phone", "recorded_calls_by_start", "recorded_calls_due"];

/// Drops the `names` indices of the calls table and stores their definitions, in the caller's
/// transaction, to be built by [`build_call_indices`].
pub(super) fn drop_call_indices(tx: &Connection, names: &[&str]) -> Result<(), StoreError> {
    let indices: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'recorded_calls' AND sql IS NOT NULL ORDER BY name",
        )?;
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .filter(|index| index.as_ref().map_or(true, |(name, _)| names.contains(&name.as_str())))
            .collect::<Result<_, _>>()?
    };
    let script: String = indices.iter().map(|(_, sql)| format!("{sql};\n")).collect();
    tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![DROPPED_INDICES_KEY, script])?;
    for (name, _) in &indices {
        let drop = format!("DROP INDEX \"{}\";", name.replace('"', "\"\""));
        if WITHOUT_PERSONAL_DATA.contains(&name.as_str()) {
            // Its freed pages need not be overwritten: nothing in them identifies a person.
            tx.execute_batch("PRAGMA secure_delete = OFF;")?;
            let dropped = tx.execute_batch(&drop);
            tx.execute_batch("PRAGMA secure_delete = ON;")?;
            dropped?;
        } else {
            tx.execute_batch(&drop)?;
        }
    }
    Ok(())
}

/// The call indices whose entries hold no personal data: the delete-by day and the rowid.
const WITHOUT_PERSONAL_DATA: &[&str] = &["recorded_calls_due"];

/// Builds the call indices [`drop_call_indices`] dropped, if any, in the caller's transaction.
/// True when there were some.
///
/// The sort behind each index keeps a run as large as the page cache in memory, and writes the
/// runs to temporary files, which `ropa_sealed_temp` encrypts. With `cache_kib` the cache is
/// made that small for the build, so that the cache and the run together stay within what an
/// import itself holds, however many calls there are; without, the connection's cache is kept
/// (a sweep holds the register's pages in it until its commit).
pub(super) fn build_call_indices(tx: &Connection, cache_kib: Option<i64>) -> rusqlite::Result<bool> {
    let script: Option<String> =
        tx.query_row("SELECT value FROM meta WHERE key = ?1", [DROPPED_INDICES_KEY], |r| r.get(0)).optional()?;
    let Some(script) = script else { return Ok(false) };
    let before: Option<i64> = match cache_kib {
        Some(kib) => {
            let cache = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            tx.execute_batch(&format!("PRAGMA cache_size = -{kib};"))?;
            Some(cache)
        }
        None => None,
    };
    let built = tx.execute_batch(&script);
    if let Some(cache) = before {
        tx.execute_batch(&format!("PRAGMA cache_size = {cache};"))?;
    }
    built?;
    tx.execute("DELETE FROM meta WHERE key = ?1", [DROPPED_INDICES_KEY])?;
    Ok(true)
}

/// The page cache while the indices are built, KiB.
pub(super) const BUILD_CACHE_KIB: i64 = 8 * 1024;

/// Tells the progress callback the counts so far, and whether the indices are being built.
fn report_progress(options: &mut CallImportOptions<'_>, total: &Counts, indexing: bool) {
    if let Some(progress) = options.progress.as_mut() {
        progress(CallImportProgress {
            read: total.read,
            imported: total.imported,
            already_there: total.already_there,
            rejected: total.rejected,
            indexing,
        });
    }
}

impl Importer<'_> {
    /// Checks a read row against the register's policies and inserts it.
    fn insert(&self, conn: &Connection, row: &CallRow) -> Result<Result<Outcome, RowError>, StoreError> {
        let reject = |field, problem| Ok(Err(RowError { line: row.line, field: Some(field), problem }));
        let field = crate::call_import::CallField::Policy;
        let Some(policy_id) = row.policy.as_deref().or(self.default_policy) else {
            return reject(field, RowProblem::NoPolicy);
        };
        let Some(policy) = self.policies.get(policy_id) else {
            return reject(field, RowProblem::UnknownPolicy);
        };
        // A call in the other direction than its policy's is not inserted; one already there (a
        // re-run of the file with the other direction's policy) is still told as such.
        if policy.direction != row.direction {
            return match self.repeated(conn, &row.call_id)? {
                Some(outcome) => Ok(Ok(outcome)),
                None => reject(crate::call_import::CallField::Direction, RowProblem::PolicyDirection),
            };
        }
        let Some(delete_by) = delete_by(row.start, policy.retention_months, self.country) else {
            return reject(crate::call_import::CallField::Start, RowProblem::TimeFormat);
        };
        let mut stmt = conn.prepare_cached(
            "INSERT INTO recorded_calls (call_id, start, direction, phone, customer_ref, agent, policy_id,
                 consent_method, consent_at, consent_script, recording_ref, delete_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (call_id) DO NOTHING",
        )?;
        let inserted = stmt.execute(params![
            row.call_id,
            time_text(row.start),
            direction_str(row.direction),
            row.phone,
            row.customer_ref,
            row.agent,
            policy.id,
            row.consent_method.map(consent_str),
            row.consent_at.map(time_text),
            row.consent_script,
            row.recording_ref,
            day_text(delete_by),
        ])?;
        if inserted == 1 {
            return Ok(Ok(Outcome::Imported));
        }
        let outcome = self.repeated(conn, &row.call_id)?;
        Ok(Ok(outcome.ok_or_else(|| StoreError::Damaged("an imported call id is neither new nor held".into()))?))
    }

    /// Whether a call id is held already: from before the import, or from earlier in its file
    /// (a rowid above the largest before it).
    fn repeated(&self, conn: &Connection, call_id: &str) -> Result<Option<Outcome>, StoreError> {
        let mut stmt = conn.prepare_cached("SELECT rowid FROM recorded_calls WHERE call_id = ?1")?;
        let rowid: Option<i64> = stmt.query_row([call_id], |r| r.get(0)).optional()?;
        Ok(rowid.map(|rowid| if rowid > self.rowid_before { Outcome::RepeatedInFile } else { Outcome::AlreadyThere }))
    }
}

impl Register {
    /// Every recording policy, by id.
    pub fn recording_policies(&self) -> Result<Vec<RecordingPolicy>, StoreError> {
        get_policies(&self.conn)
    }

    pub fn recording_policy(&self, id: &str) -> Result<RecordingPolicy, StoreError> {
        let row = self
            .conn
            .query_row(&format!("SELECT {POLICY_COLUMNS} FROM recording_policies WHERE id = ?1"), [id], policy_from_row)
            .optional()?;
        row.map(to_policy)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound { entity: "recording-policy", id: id.to_owned() })
    }

    /// Checks a new recording policy against the register without saving it.
    pub fn check_recording_policy(&self, policy: &RecordingPolicy) -> Result<Vec<Issue>, StoreError> {
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM recording_policies WHERE id = ?1)",
            [&policy.id],
            |r| r.get(0),
        )?;
        Ok(validation::validate_recording_policy(policy, &self.processors()?, taken, ""))
    }

    /// Adds a recording policy. Errors (an id already used, a processor not in the register,
    /// quality or training on another basis than consent, …) block it; warnings are returned.
    pub fn add_recording_policy(&mut self, policy: &RecordingPolicy) -> Result<Vec<Issue>, StoreError> {
        let issues = self.check_recording_policy(policy)?;
        reject_errors(&issues)?;
        self.write(Change::new("recording-policy", &policy.id, "create"), |tx| {
            tx.execute(
                &format!("INSERT INTO recording_policies ({POLICY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![
                    policy.id,
                    policy.name,
                    policy.purpose.as_str(),
                    policy.basis.as_str(),
                    direction_str(policy.direction),
                    policy.retention_months,
                    policy.processor_id,
                ],
            )?;
            Ok(())
        })?;
        Ok(issues)
    }

    /// Imports the calls `reader` streams (see [`CallImportOptions`] for batches and `strict`).
    /// A row without a policy column (or with it empty) gets `default_policy`. A call id the
    /// register already has is not imported again, whether it came from an earlier import or
    /// earlier in the same file; a re-run of the same file imports only what is missing.
    pub fn import_calls(
        &mut self,
        reader: CallReader,
        default_policy: Option<&str>,
        mut options: CallImportOptions<'_>,
    ) -> Result<CallImportReport, CallImportError> {
        if options.batch_size == 0 {
            return Err(CallImportError::BatchSize);
        }
        let policies: HashMap<String, RecordingPolicy> =
            self.recording_policies()?.into_iter().map(|p| (p.id.clone(), p)).collect();
        if let Some(id) = default_policy
            && !policies.contains_key(id)
        {
            return Err(CallImportError::UnknownPolicy { id: id.to_owned() });
        }
        let (held, rowid_before): (i64, i64) = self
            .conn
            .query_row("SELECT count(*), coalesce(max(rowid), 0) FROM recorded_calls", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(StoreError::from)?;
        let importer = Importer {
            policies,
            default_policy,
            country: reader.country(),
            run: uuid::Uuid::new_v4().simple().to_string(),
            bulk_at: options.bulk_after.max(held.unsigned_abs() / 8),
            rowid_before,
        };
        let mut report = CallImportReport::default();
        let mut bulk = false;
        let result = self.import_batches(&importer, reader, &mut options, &mut report, &mut bulk);
        if bulk && !options.strict {
            // The indices are built again whatever became of the rows; should that fail too,
            // the next open builds them.
            let built = self.build_dropped_indices(&mut options, &report);
            result?;
            built?;
        } else {
            result?;
        }
        Ok(report)
    }

    /// The import's batches. With `strict`, one transaction around them all, in which a large
    /// import also drops and builds its indices; without, one per batch (the indices are then
    /// the caller's to build). `bulk` tells whether the indices were dropped.
    fn import_batches(
        &mut self,
        importer: &Importer<'_>,
        mut rows: CallReader,
        options: &mut CallImportOptions<'_>,
        report: &mut CallImportReport,
        bulk: &mut bool,
    ) -> Result<(), CallImportError> {
        let mut total = Counts::default();
        let mut heads = Vec::new();
        // A dropped transaction rolls back.
        let mut outer = if options.strict {
            Some(Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(StoreError::from)?)
        } else {
            None
        };
        let mut batch_no = 0u64;
        loop {
            let mut inner = match outer {
                Some(_) => None,
                None => Some(
                    Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(StoreError::from)?,
                ),
            };
            let tx: &Connection = match (&outer, &inner) {
                (Some(tx), _) | (None, Some(tx)) => tx,
                (None, None) => unreachable!("one of the two transactions is open"),
            };
            if !*bulk && total.read >= importer.bulk_at {
                drop_call_indices(tx, IMPORT_INDICES)?;
                *bulk = true;
            }
            let mut batch = Counts::default();
            let mut exhausted = true;
            while let Some(item) = rows.next() {
                batch.read += 1;
                let outcome = match item {
                    Ok(row) => importer.insert(tx, &row)?,
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(Outcome::Imported) => batch.imported += 1,
                    Ok(Outcome::AlreadyThere) => batch.already_there += 1,
                    Ok(Outcome::RepeatedInFile) => batch.repeated_in_file += 1,
                    Err(e) => {
                        if options.strict {
                            // Dropping the transaction rolls back the whole file.
                            return Err(CallImportError::Rejected(e));
                        }
                        batch.rejected += 1;
                        if let Some(sink) = options.rejected.as_mut() {
                            sink(&e, &rows.current_cells());
                        }
                        report.rejected.push(e);
                    }
                }
                if batch.read as usize >= options.batch_size {
                    exhausted = false;
                    break;
                }
            }
            if batch.read > 0 {
                batch_no += 1;
                let summary = format!(
                    "{}#{batch_no}: {} imported, {} already there, {} repeated, {} rejected",
                    importer.run, batch.imported, batch.already_there, batch.repeated_in_file, batch.rejected
                );
                let head = change_log::append(
                    tx,
                    &self.chain_key,
                    &Change::new("recorded-calls", summary, "import"),
                    Utc::now(),
                )
                .map_err(StoreError::from)?;
                if let Some(tx) = inner.take() {
                    tx.commit().map_err(StoreError::from)?;
                }
                heads.push(head);
                total.read += batch.read;
                total.imported += batch.imported;
                total.already_there += batch.already_there;
                total.repeated_in_file += batch.repeated_in_file;
                total.rejected += batch.rejected;
                report_progress(options, &total, false);
            } else if let Some(tx) = inner.take() {
                // Nothing was read, but the indices may have been dropped in it.
                tx.commit().map_err(StoreError::from)?;
            }
            drop(inner);
            if exhausted {
                break;
            }
        }
        if let Some(tx) = outer.take() {
            if *bulk {
                report_progress(options, &total, true);
                build_call_indices(&tx, Some(BUILD_CACHE_KIB)).map_err(StoreError::from)?;
            }
            tx.commit().map_err(StoreError::from)?;
        }
        if let Some(head) = heads.last() {
            self.record_head(head);
        }
        report.imported = total.imported;
        report.already_there = total.already_there;
        report.repeated_in_file = total.repeated_in_file;
        report.batches = batch_no;
        Ok(())
    }

    /// Builds the indices a large import without `strict` dropped, in a transaction of its own.
    fn build_dropped_indices(
        &mut self,
        options: &mut CallImportOptions<'_>,
        report: &CallImportReport,
    ) -> Result<(), StoreError> {
        let rejected = report.rejected.len() as u64;
        let counts = Counts {
            read: report.imported + report.already_there + report.repeated_in_file + rejected,
            imported: report.imported,
            already_there: report.already_there,
            repeated_in_file: report.repeated_in_file,
            rejected,
        };
        report_progress(options, &counts, true);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        build_call_indices(&tx, Some(BUILD_CACHE_KIB))?;
        tx.commit()?;
        Ok(())
    }

    /// The recorded calls `filter` selects, oldest first.
    pub fn recorded_calls(&self, filter: CallFilter) -> Result<Vec<RecordedCall>, StoreError> {
        let query = CallQuery { due_on: filter.due_on, flagged: filter.flagged, ..CallQuery::default() };
        self.calls_where(&query)
    }

    /// The calls with this phone number (in any form [`normalise_phone`] reads, on the
    /// organisation's numbering plan) or this customer reference, oldest first.
    pub fn find_calls(&self, phone_or_reference: &str) -> Result<Vec<RecordedCall>, StoreError> {
        self.calls_where(&CallQuery { search: phone_or_reference.to_owned(), ..CallQuery::default() })
    }

    /// Every call `query` selects, oldest first.
    fn calls_where(&self, query: &CallQuery) -> Result<Vec<RecordedCall>, StoreError> {
        let (condition, args) = self.condition(query)?;
        let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        query_calls(&self.conn, &condition, &params)
    }

    /// The SQL condition (on `c`, the call, and `p`, its policy) of the calls `query` selects,
    /// and its arguments. A search is a phone number when the organisation's numbering plan
    /// reads it as one (then it also matches a customer reference written the same way).
    fn condition(&self, query: &CallQuery) -> Result<(String, Vec<Box<dyn rusqlite::ToSql>>), StoreError> {
        let mut conditions: Vec<&str> = Vec::new();
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let search = query.search.trim();
        if !search.is_empty() {
            let country = self.organisation()?.country;
            match normalise_phone(search, country) {
                Ok(phone) => {
                    conditions.push("(c.phone = ? OR c.customer_ref = ?)");
                    args.push(Box::new(phone));
                }
                Err(_) => conditions.push("c.customer_ref = ?"),
            }
            args.push(Box::new(search.to_owned()));
        }
        match query.status {
            StatusFilter::All => {}
            StatusFilter::Kept => conditions.push("c.status = 'kept'"),
            StatusFilter::Deleted => conditions.push("c.status = 'deleted'"),
        }
        if let Some(day) = query.due_on {
            conditions.push("c.status = 'kept' AND c.delete_by <= ?");
            args.push(Box::new(day_text(day)));
        }
        if query.flagged {
            conditions.push(FLAGGED);
        }
        let condition = if conditions.is_empty() { "1 = 1".to_owned() } else { conditions.join(" AND ") };
        Ok((condition, args))
    }

    /// One page of the calls `query` selects, ordered by start time and call id: `limit` calls
    /// from position `offset`, and how many there are in all. The page's rows are found through
    /// the (start, call id) index alone and then read by rowid, so a page deep in a million
    /// calls costs a walk over index entries, not over whole rows.
    pub fn call_page(&self, query: &CallQuery, offset: u64, limit: u32) -> Result<CallPage, StoreError> {
        let (condition, args) = self.condition(query)?;
        // The policy is needed only to tell flagged calls; without it, the count and the walk
        // to the page stay on the calls' indices.
        let from = if query.flagged {
            "recorded_calls c JOIN recording_policies p ON p.id = c.policy_id"
        } else {
            "recorded_calls c"
        };
        let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let total: i64 =
            self.conn.query_row(&format!("SELECT count(*) FROM {from} WHERE {condition}"), params.as_slice(), |r| {
                r.get(0)
            })?;
        let mut page_params = params.clone();
        let (limit, offset_i) = (i64::from(limit), i64::try_from(offset).unwrap_or(i64::MAX));
        page_params.push(&limit);
        page_params.push(&offset_i);
        let calls = query_calls(
            &self.conn,
            &format!(
                "c.rowid IN (SELECT c.rowid FROM {from} WHERE {condition} ORDER BY c.start, c.call_id LIMIT ? OFFSET ?)"
            ),
            &page_params,
        )?;
        Ok(CallPage { total: u64::try_from(total).unwrap_or_default(), offset, calls })
    }

    /// How many recorded calls the register holds.
    pub fn recorded_call_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM recorded_calls", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }
}
