-- Schema version 7: the recorded calls table made again, with the same columns, rows and rowids.
-- - Its checks list the allowed values with OR instead of IN: SQLite builds a lookup table for
--   an IN list of three or more values on every insert, which cost an imported call more than
--   the rest of its row. They allow what they allowed before.
-- - A deleted call's phone number is NULL instead of empty, and the phone index leaves NULL
--   out: deleting a call only takes its entry out. A kept call must still have a number.
-- - The index by policy goes: only the rare deletion of a policy looked calls up by it, and a
--   scan serves that.
-- - import_run is kept for the calls that have one but is no longer written: a call inserted by
--   the running import is told by its rowid, above the largest before the import.

CREATE TABLE recorded_calls_7 (
    call_id        TEXT NOT NULL UNIQUE,
    start          TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction = 'inbound' OR direction = 'outbound'),
    phone          TEXT CHECK (phone IS NOT NULL OR status = 'deleted'),
    customer_ref   TEXT,
    agent          TEXT,
    policy_id      TEXT NOT NULL REFERENCES recording_policies (id) ON DELETE RESTRICT,
    consent_method TEXT CHECK (consent_method = 'keypress' OR consent_method = 'oral' OR consent_method = 'none'),
    consent_at     TEXT,
    consent_script TEXT,
    recording_ref  TEXT,
    delete_by      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'kept' CHECK (status = 'kept' OR status = 'deleted'),
    deleted_at     TEXT,
    deleted_reason TEXT CHECK (
        deleted_reason = 'retention_expired' OR deleted_reason = 'consent_withdrawn' OR deleted_reason = 'request'
    ),
    import_run     TEXT,
    withdrawal_id  TEXT REFERENCES consent_withdrawals (id),
    audio_outcome  TEXT CHECK (audio_outcome = 'deleted' OR audio_outcome = 'missing' OR audio_outcome = 'external')
) STRICT;

INSERT INTO recorded_calls_7 (rowid, call_id, start, direction, phone, customer_ref, agent, policy_id,
        consent_method, consent_at, consent_script, recording_ref, delete_by, status, deleted_at,
        deleted_reason, import_run, withdrawal_id, audio_outcome)
    SELECT rowid, call_id, start, direction, nullif(phone, ''), customer_ref, agent, policy_id,
        consent_method, consent_at, consent_script, recording_ref, delete_by, status, deleted_at,
        deleted_reason, import_run, withdrawal_id, audio_outcome
    FROM recorded_calls ORDER BY rowid;

DROP TABLE recorded_calls;
ALTER TABLE recorded_calls_7 RENAME TO recorded_calls;

-- A deleted call's phone number is NULL (it was '') and out of the index: deleting a call only
-- takes its entry out, and a search for a number (`phone = ?`) still uses the index.
CREATE INDEX recorded_calls_by_phone ON recorded_calls (phone) WHERE phone IS NOT NULL;
CREATE INDEX recorded_calls_by_customer_ref ON recorded_calls (customer_ref) WHERE customer_ref IS NOT NULL;
-- The recordings list pages through the calls by start time.
CREATE INDEX recorded_calls_by_start ON recorded_calls (start, call_id);
-- What is due is looked up among kept calls only.
CREATE INDEX recorded_calls_due ON recorded_calls (delete_by) WHERE status = 'kept';
CREATE INDEX recorded_calls_by_withdrawal ON recorded_calls (withdrawal_id) WHERE withdrawal_id IS NOT NULL;
