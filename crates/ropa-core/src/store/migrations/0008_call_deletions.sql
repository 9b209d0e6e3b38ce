-- Schema version 8: a deletion is recorded once, in call_deletions (when and why), and each call
-- it deleted points at it, instead of every call holding the time and the reason as text.
-- - A retention sweep is one deletion (one per batch when it deletes audio files), a withdrawal
--   is one. A call keeps its deletion's id: a deleted call's row no longer grows when its
--   number and reference are emptied, so a sweep of many calls rewrites each page in place
--   instead of splitting it.
-- - The calls table is made again, with the same rows and rowids; deleted_at and
--   deleted_reason give way to deletion. A deleted call without a time or a reason (none is
--   written so) would keep no deletion rather than an invented one.
-- - deletion has no REFERENCES: the foreign-key check on every call a sweep marks cost a sweep
--   of a million calls a sixth of its time. A deletion is written in the transaction that
--   marks its calls and never removed, and `verify` checks that every one pointed at exists.

CREATE TABLE call_deletions (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (
        reason = 'retention_expired' OR reason = 'consent_withdrawn' OR reason = 'request'
    )
) STRICT;

INSERT INTO call_deletions (at, reason)
    SELECT deleted_at, deleted_reason FROM recorded_calls
    WHERE status = 'deleted' AND deleted_at IS NOT NULL AND deleted_reason IS NOT NULL
    GROUP BY deleted_at, deleted_reason ORDER BY deleted_at, deleted_reason;

CREATE TABLE recorded_calls_8 (
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
    deletion       INTEGER CHECK (deletion IS NULL OR status = 'deleted'),
    import_run     TEXT,
    withdrawal_id  TEXT REFERENCES consent_withdrawals (id),
    audio_outcome  TEXT CHECK (audio_outcome = 'deleted' OR audio_outcome = 'missing' OR audio_outcome = 'external')
) STRICT;

INSERT INTO recorded_calls_8 (rowid, call_id, start, direction, phone, customer_ref, agent, policy_id,
        consent_method, consent_at, consent_script, recording_ref, delete_by, status, deletion,
        import_run, withdrawal_id, audio_outcome)
    SELECT c.rowid, c.call_id, c.start, c.direction, c.phone, c.customer_ref, c.agent, c.policy_id,
        c.consent_method, c.consent_at, c.consent_script, c.recording_ref, c.delete_by, c.status, d.id,
        c.import_run, c.withdrawal_id, c.audio_outcome
    FROM recorded_calls c
    LEFT JOIN call_deletions d ON c.status = 'deleted' AND d.at = c.deleted_at AND d.reason = c.deleted_reason
    ORDER BY c.rowid;

DROP TABLE recorded_calls;
ALTER TABLE recorded_calls_8 RENAME TO recorded_calls;

CREATE INDEX recorded_calls_by_phone ON recorded_calls (phone) WHERE phone IS NOT NULL;
CREATE INDEX recorded_calls_by_customer_ref ON recorded_calls (customer_ref) WHERE customer_ref IS NOT NULL;
CREATE INDEX recorded_calls_by_start ON recorded_calls (start, call_id);
CREATE INDEX recorded_calls_due ON recorded_calls (delete_by) WHERE status = 'kept';
CREATE INDEX recorded_calls_by_withdrawal ON recorded_calls (withdrawal_id) WHERE withdrawal_id IS NOT NULL;
