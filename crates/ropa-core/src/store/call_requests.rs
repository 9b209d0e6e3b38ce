//! What is done with recorded calls after the import: a person's withdrawal of consent, the
//! retention sweep, and an access request. Each change is one change-log entry whose id holds
//! counts or a receipt number, never a phone number or customer reference.
//!
//! Audio files are deleted before the calls are marked deleted, and a call is marked only when
//! its audio is gone (deleted, already missing, or outside the folder and so the phone system's
//! to delete). A crash between the two leaves the call kept with its file missing; the next run
//! marks it with "missing". A file that cannot be deleted leaves its call kept and is reported.

use super::recordings::{FLAGGED, damaged, day_text, parse_day, parse_time, time_text};
use super::{Register, StoreError};
use crate::call_import::normalise_phone;
use crate::change_log::{self, Change};
use crate::recordings::*;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The meta key of the audio folder.
const AUDIO_FOLDER_KEY: &str = "recordings.audio_folder";

/// Rows per transaction in a sweep that deletes files.
const SWEEP_BATCH: usize = 5_000;

/// A sweep without files goes through the table in order, and builds the indices a deletion
/// takes calls out of afresh, when at least one call in this many is due; with fewer, it finds
/// them through the due index and takes each out of the indices.
const SCAN_WHEN_ONE_IN: i64 = 4;
/// The largest page cache such a sweep takes for its transaction, KiB: enough for the
/// register's pages and a quarter more (pages split as rows change), up to this.
const SWEEP_CACHE_MAX_KIB: i64 = 512 * 1024;
/// The indices a deletion takes a call out of.
const SWEEP_INDICES: &[&str] = &["recorded_calls_by_customer_ref", "recorded_calls_by_phone", "recorded_calls_due"];
/// Rowids per statement in such a sweep: the calls a statement marks are held in memory until
/// it ends, so this bounds that memory.
const SWEEP_RANGE: i64 = 50_000;

/// What a deleted call keeps: the columns that could identify the person are emptied.
const FORGET: &str = "phone = NULL, customer_ref = NULL, agent = NULL, consent_script = NULL, recording_ref = NULL";

/// Records a deletion (when, why) that calls are then marked with; its id.
fn new_deletion(tx: &Connection, at: DateTime<Utc>, reason: DeletionReason) -> rusqlite::Result<i64> {
    tx.execute("INSERT INTO call_deletions (at, reason) VALUES (?1, ?2)", params![time_text(at), reason.as_str()])?;
    Ok(tx.last_insert_rowid())
}

/// The sweep of many due calls: the indices a deletion takes calls out of are dropped, the
/// table is gone through a range of rowids at a time, and the indices are built again with
/// what is left, all in the caller's transaction.
fn sweep_ranges(
    tx: &Connection,
    due: &str,
    deletion: i64,
    last: i64,
    report: &mut dyn FnMut(&SweptCall<'_>),
) -> Result<SweepReport, StoreError> {
    super::recordings::drop_call_indices(tx, SWEEP_INDICES)?;
    let mut out = SweepReport::default();
    for after in (0..last).step_by(SWEEP_RANGE as usize) {
        let part = mark_due(tx, due, deletion, Some((after, after + SWEEP_RANGE)), report)?;
        out.marked += part.marked;
        out.audio_external += part.audio_external;
    }
    super::recordings::build_call_indices(tx, None)?;
    Ok(out)
}

/// Marks the kept calls due by `due` with `deletion` (audio the phone system's), those with a
/// rowid in `range` (after, up to) when one is given, and tells `report` of each. The calls are
/// read first and then marked by one `UPDATE` with the same conditions in the same transaction,
/// which must mark as many.
fn mark_due(
    tx: &Connection,
    due: &str,
    deletion: i64,
    range: Option<(i64, i64)>,
    report: &mut dyn FnMut(&SweptCall<'_>),
) -> Result<SweepReport, StoreError> {
    // Without a range, the due index finds the calls; with one, the table is read in order.
    // Parameters: ?1 the deletion (the UPDATE's only), ?2 the day, ?3 and ?4 the range.
    let (table, due_calls, values): (_, _, Vec<&dyn ToSql>) = match &range {
        Some((after, upto)) => (
            "recorded_calls NOT INDEXED",
            "rowid > ?3 AND rowid <= ?4 AND status = 'kept' AND delete_by <= ?2",
            vec![&deletion, &due, after, upto],
        ),
        None => ("recorded_calls", "status = 'kept' AND delete_by <= ?2", vec![&deletion, &due]),
    };
    let mut out = SweepReport::default();
    {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT call_id, delete_by, recording_ref IS NOT NULL FROM {table} WHERE {due_calls}"
        ))?;
        let mut rows = stmt.query(values.as_slice())?;
        while let Some(row) = rows.next()? {
            let call_id = row.get_ref(0)?.as_str().map_err(|_| damaged("call id"))?;
            let delete_by = parse_day(row.get_ref(1)?.as_str().map_err(|_| damaged("delete-by day"))?)?;
            let has_audio: bool = row.get(2)?;
            let audio = has_audio.then_some(AudioOutcome::External);
            out.audio_external += u64::from(has_audio);
            out.marked += 1;
            report(&SweptCall { call_id, delete_by, audio: Ok(audio) });
        }
    }
    let marked = tx
        .prepare_cached(&format!(
            "UPDATE OR FAIL {table} SET status = 'deleted', deletion = ?1,
                 audio_outcome = CASE WHEN recording_ref IS NULL THEN NULL ELSE 'external' END, {FORGET}
             WHERE {due_calls}"
        ))?
        .execute(values.as_slice())?;
    // Both statements see the same calls in one write transaction; a difference would mean the
    // report and the register disagree, so the transaction is given up.
    if u64::try_from(marked).ok() != Some(out.marked) {
        return Err(StoreError::Damaged(format!("the sweep read {} due calls and marked {marked}", out.marked)));
    }
    Ok(out)
}

fn audio_text(outcome: Option<AudioOutcome>) -> Option<&'static str> {
    outcome.map(AudioOutcome::as_str)
}

/// A due call's columns for the sweep: rowid, call id, delete-by day, recording reference.
type DueRow = (i64, String, String, Option<String>);

impl Register {
    /// The folder audio files are deleted from and copied from, when one is set.
    pub fn audio_folder(&self) -> Result<Option<PathBuf>, StoreError> {
        let value: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [AUDIO_FOLDER_KEY], |r| r.get(0))
            .optional()?;
        Ok(value.map(PathBuf::from))
    }

    /// Sets (or with `None` clears) the audio folder. It must be an existing folder; it is kept
    /// by its canonical path.
    pub fn set_audio_folder(&mut self, folder: Option<&Path>) -> Result<(), CallRequestError> {
        let canonical = folder
            .map(|f| AudioFolder::new(f).map(|f| f.path().to_string_lossy().into_owned()))
            .transpose()
            .map_err(|_| CallRequestError::AudioFolder)?;
        self.write(Change::new("recordings-settings", "audio-folder", "update"), |tx| {
            match &canonical {
                Some(path) => tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                    params![AUDIO_FOLDER_KEY, path],
                )?,
                None => tx.execute("DELETE FROM meta WHERE key = ?1", [AUDIO_FOLDER_KEY])?,
            };
            Ok(())
        })?;
        Ok(())
    }

    /// How many kept calls are due for deletion on `today` (delete-by on or before it).
    pub fn due_call_count(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM recorded_calls WHERE status = 'kept' AND delete_by <= ?1",
            [day_text(today)],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// How many kept calls are flagged (consent needed and not given by an active act).
    pub fn flagged_call_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM recorded_calls c JOIN recording_policies p ON p.id = c.policy_id WHERE {FLAGGED}"
            ),
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// Marks every kept call due on `today` deleted (reason: retention expired), at `now`.
    ///
    /// Without `audio`, every recording reference is taken as the phone system's to delete
    /// (outcome "external") and the calls are marked in one transaction. With `audio`, the
    /// calls go in batches: the batch's files under the folder are deleted first, then its
    /// calls are marked in one transaction. `report` is told of each call handled.
    pub fn sweep_recordings(
        &mut self,
        today: NaiveDate,
        now: DateTime<Utc>,
        audio: Option<&AudioFolder>,
        report: &mut dyn FnMut(&SweptCall<'_>),
    ) -> Result<SweepReport, StoreError> {
        match audio {
            None => self.sweep_without_files(today, now, report),
            Some(folder) => self.sweep_with_files(today, now, folder, report),
        }
    }

    fn sweep_without_files(
        &mut self,
        today: NaiveDate,
        now: DateTime<Utc>,
        report: &mut dyn FnMut(&SweptCall<'_>),
    ) -> Result<SweepReport, StoreError> {
        let due = day_text(today);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (due_count, calls, last): (i64, i64, i64) = tx.query_row(
            "SELECT (SELECT count(*) FROM recorded_calls WHERE status = 'kept' AND delete_by <= ?1),
                    (SELECT count(*) FROM recorded_calls), (SELECT coalesce(max(rowid), 0) FROM recorded_calls)",
            [&due],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // Few due calls are found through the due index. When many are, the table is gone
        // through in order instead, a range of rowids at a time: found through the index, they
        // lie all over the table and each page would be read and written many times.
        if due_count == 0 {
            return Ok(SweepReport::default());
        }
        let scan = due_count.saturating_mul(SCAN_WHEN_ONE_IN) >= calls;
        // The sweep is one deletion; should it mark no call after all, the transaction is not kept.
        let deletion = new_deletion(&tx, now, DeletionReason::RetentionExpired)?;
        let out = if scan {
            // Nearly every page of the table changes, and the indices are built again from it:
            // with the register's pages held in memory until the commit, each is decrypted
            // once and encrypted once, instead of again each time the cache spills it.
            let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            let pages: i64 = tx.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let kib = (pages.saturating_mul(super::PAGE_SIZE as i64 / 1024) * 5 / 4).clamp(0, SWEEP_CACHE_MAX_KIB);
            if kib > cache.saturating_neg() {
                tx.execute_batch(&format!("PRAGMA cache_size = -{kib};"))?;
            }
            let marked = sweep_ranges(&tx, &due, deletion, last, report);
            // A smaller cache_size lets go of the pages above it.
            tx.execute_batch(&format!("PRAGMA cache_size = {cache};"))?;
            marked?
        } else {
            mark_due(&tx, &due, deletion, None, report)?
        };
        if out.marked == 0 {
            return Ok(out);
        }
        let marked = out.marked;
        let change = Change::new("recorded-calls", format!("sweep {due}: {marked} marked deleted"), "delete");
        let head = change_log::append(&tx, &self.chain_key, &change, now)?;
        tx.commit()?;
        self.record_head(&head);
        Ok(SweepReport { batches: 1, ..out })
    }

    fn sweep_with_files(
        &mut self,
        today: NaiveDate,
        now: DateTime<Utc>,
        folder: &AudioFolder,
        report: &mut dyn FnMut(&SweptCall<'_>),
    ) -> Result<SweepReport, StoreError> {
        let due = day_text(today);
        let mut out = SweepReport::default();
        let mut after = 0i64;
        loop {
            let rows: Vec<DueRow> = {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid, call_id, delete_by, recording_ref FROM recorded_calls
                     WHERE status = 'kept' AND delete_by <= ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3",
                )?;
                stmt.query_map(params![due, after, SWEEP_BATCH as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<_, _>>()?
            };
            let Some(last) = rows.last() else { break };
            after = last.0;
            // The files first, outside the transaction; then the calls whose audio is gone.
            let mut done = Vec::with_capacity(rows.len());
            for (rowid, call_id, delete_by, reference) in &rows {
                let delete_by = parse_day(delete_by)?;
                let outcome = delete_audio(Some(folder), call_id, reference.as_deref());
                match &outcome {
                    Ok(audio) => {
                        match audio {
                            Some(AudioOutcome::Deleted) => out.audio_deleted += 1,
                            Some(AudioOutcome::Missing) => out.audio_missing += 1,
                            Some(AudioOutcome::External) => out.audio_external += 1,
                            None => {}
                        }
                        report(&SweptCall { call_id, delete_by, audio: Ok(*audio) });
                        done.push((*rowid, *audio));
                    }
                    Err(failure) => {
                        report(&SweptCall { call_id, delete_by, audio: Err(failure) });
                        out.failed.push(failure.clone());
                    }
                }
            }
            if done.is_empty() {
                continue;
            }
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let deletion = new_deletion(&tx, now, DeletionReason::RetentionExpired)?;
                let mut stmt = tx.prepare_cached(&format!(
                    "UPDATE recorded_calls SET status = 'deleted', deletion = ?1, audio_outcome = ?2, {FORGET}
                     WHERE rowid = ?3"
                ))?;
                for (rowid, audio) in &done {
                    stmt.execute(params![deletion, audio_text(*audio), rowid])?;
                }
            }
            out.batches += 1;
            let change = Change::new(
                "recorded-calls",
                format!("sweep {due} #{}: {} marked deleted", out.batches, done.len()),
                "delete",
            );
            let head = change_log::append(&tx, &self.chain_key, &change, now)?;
            tx.commit()?;
            self.record_head(&head);
            out.marked += done.len() as u64;
        }
        Ok(out)
    }

    /// Records a person's withdrawal of consent and deletes their calls at once: those recorded
    /// on consent, or all of them with [`WithdrawalRequest::all_calls`] (reason "request" for
    /// those on legitimate interest). Audio under `audio` is deleted first. The receipt's
    /// number is the next of the year the withdrawal is recorded in.
    pub fn withdraw_consent(
        &mut self,
        request: &WithdrawalRequest,
        now: DateTime<Utc>,
        audio: Option<&AudioFolder>,
    ) -> Result<WithdrawalOutcome, CallRequestError> {
        let calls = self.find_calls(&request.phone_or_reference)?;
        let policies: HashMap<String, RecordingPolicy> =
            self.recording_policies()?.into_iter().map(|p| (p.id.clone(), p)).collect();
        let kept: Vec<&RecordedCall> = calls.iter().filter(|c| c.status == CallStatus::Kept).collect();
        if kept.is_empty() {
            return Err(CallRequestError::NoCalls);
        }
        let on_consent = |c: &RecordedCall| policies.get(&c.policy_id).is_some_and(RecordingPolicy::needs_consent);
        let (covered, left): (Vec<&RecordedCall>, Vec<&RecordedCall>) =
            kept.into_iter().partition(|c| request.all_calls || on_consent(c));
        let mut outcome =
            WithdrawalOutcome { receipt: None, kept_on_legitimate_interest: left.len() as u64, failed: Vec::new() };
        if covered.is_empty() {
            return Ok(outcome);
        }
        let mut done = Vec::with_capacity(covered.len());
        for call in covered {
            let result = delete_audio(audio, &call.call_id, call.recording_ref.as_deref());
            match result {
                Ok(audio) => {
                    let reason =
                        if on_consent(call) { DeletionReason::ConsentWithdrawn } else { DeletionReason::Request };
                    done.push((call.call_id.clone(), reason, audio));
                }
                Err(failure) => outcome.failed.push(failure),
            }
        }
        if done.is_empty() {
            return Ok(outcome);
        }
        let id = next_receipt_id(&self.conn, now.year())?;
        self.write(Change::new("consent-withdrawal", &id, "create"), |tx| {
            tx.execute(
                "INSERT INTO consent_withdrawals (id, withdrawn_at, channel, recorded_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, time_text(request.withdrawn_at), request.channel.as_str(), time_text(now)],
            )?;
            // One deletion for each reason the withdrawal has (consent withdrawn, or a request
            // for calls on legitimate interest).
            let mut deletions: Vec<(DeletionReason, i64)> = Vec::with_capacity(2);
            let mut stmt = tx.prepare(&format!(
                "UPDATE recorded_calls SET status = 'deleted', deletion = ?1, audio_outcome = ?2, withdrawal_id = ?3,
                     {FORGET}
                 WHERE call_id = ?4 AND status = 'kept'"
            ))?;
            for (call_id, reason, audio) in &done {
                let deletion = match deletions.iter().find(|(r, _)| r == reason) {
                    Some((_, deletion)) => *deletion,
                    None => {
                        let deletion = new_deletion(tx, now, *reason)?;
                        deletions.push((*reason, deletion));
                        deletion
                    }
                };
                stmt.execute(params![deletion, audio_text(*audio), id, call_id])?;
            }
            Ok(())
        })?;
        outcome.receipt = Some(self.deletion_receipt(&id)?);
        Ok(outcome)
    }

    /// The receipt of a withdrawal, as it was issued.
    pub fn deletion_receipt(&self, id: &str) -> Result<DeletionReceipt, StoreError> {
        let head: Option<(String, String, String)> = self
            .conn
            .query_row("SELECT withdrawn_at, channel, recorded_at FROM consent_withdrawals WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((withdrawn_at, channel, recorded_at)) = head else {
            return Err(StoreError::NotFound { entity: "deletion-receipt", id: id.to_owned() });
        };
        Ok(DeletionReceipt {
            id: id.to_owned(),
            withdrawn_at: parse_time(&withdrawn_at)?,
            channel: WithdrawalChannel::parse(&channel).ok_or_else(|| damaged("withdrawal channel"))?,
            recorded_at: parse_time(&recorded_at)?,
            calls: deleted_calls(&self.conn, id)?,
        })
    }

    /// The receipt numbers of every withdrawal, oldest first.
    pub fn deletion_receipts(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id FROM consent_withdrawals ORDER BY recorded_at, id")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Everything kept about the recorded calls of a phone number or customer reference. Deleted
    /// calls keep nothing that finds them, so only kept calls appear.
    pub fn access_extract(&self, phone_or_reference: &str) -> Result<AccessExtract, CallRequestError> {
        let country = self.organisation()?.country;
        let reference = phone_or_reference.trim();
        let subject = normalise_phone(reference, country).unwrap_or_else(|_| reference.to_owned());
        let calls: Vec<RecordedCall> =
            self.find_calls(reference)?.into_iter().filter(|c| c.status == CallStatus::Kept).collect();
        if calls.is_empty() {
            return Err(CallRequestError::NoCalls);
        }
        let policies: HashMap<String, RecordingPolicy> =
            self.recording_policies()?.into_iter().map(|p| (p.id.clone(), p)).collect();
        let processors: HashMap<String, String> =
            self.processors()?.into_iter().map(|p| (p.id.clone(), p.name.clone())).collect();
        let calls = calls
            .into_iter()
            .map(|call| {
                let policy = policies.get(&call.policy_id).cloned().ok_or_else(|| damaged("policy"))?;
                let processor_name = policy.processor_id.as_ref().and_then(|id| processors.get(id)).cloned();
                Ok(AccessCall { call, policy, processor_name })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(AccessExtract { subject, calls })
    }
}

/// The next receipt number of `year`: `YYYY-NNNN`.
fn next_receipt_id(conn: &Connection, year: i32) -> Result<String, StoreError> {
    let count: i64 =
        conn.query_row("SELECT count(*) FROM consent_withdrawals WHERE id LIKE ?1", [format!("{year}-%")], |r| {
            r.get(0)
        })?;
    Ok(format!("{year}-{:04}", count + 1))
}

fn deleted_calls(conn: &Connection, withdrawal: &str) -> Result<Vec<DeletedCall>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT c.call_id, c.start, c.direction, p.name, d.reason, c.audio_outcome
         FROM recorded_calls c JOIN recording_policies p ON p.id = c.policy_id
         LEFT JOIN call_deletions d ON d.id = c.deletion
         WHERE c.withdrawal_id = ?1 ORDER BY c.start, c.call_id",
    )?;
    let rows = stmt.query_map([withdrawal], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut calls = Vec::new();
    for row in rows {
        let (call_id, start, direction, policy_name, reason, audio) = row?;
        calls.push(DeletedCall {
            call_id,
            start: parse_time(&start)?,
            direction: parse_direction(&direction).ok_or_else(|| damaged("direction"))?,
            policy_name,
            reason: reason.as_deref().and_then(DeletionReason::parse).ok_or_else(|| damaged("deletion reason"))?,
            audio: audio.map(|a| AudioOutcome::parse(&a).ok_or_else(|| damaged("audio outcome"))).transpose()?,
        });
    }
    Ok(calls)
}
