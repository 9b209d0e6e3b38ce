-- Schema version 5: withdrawals of consent to recorded calls, and what became of the audio when a
-- recording was deleted (DOMAIN.md section 4). A withdrawal is one request from one person: when
-- it was made and through which channel; its id is the number on the deletion receipt. The calls
-- it covers point to it. audio_outcome says what happened to the audio when the call was marked
-- deleted: the file under the audio folder was deleted, was already missing, or lies outside the
-- folder (in the phone system) and must be deleted there. NULL while the call is kept, or when it
-- had no recording reference.

CREATE TABLE consent_withdrawals (
    id           TEXT PRIMARY KEY,
    withdrawn_at TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'letter', 'in_person', 'web', 'other')),
    recorded_at  TEXT NOT NULL
) STRICT;

ALTER TABLE recorded_calls ADD COLUMN withdrawal_id TEXT REFERENCES consent_withdrawals (id);
ALTER TABLE recorded_calls ADD COLUMN audio_outcome TEXT CHECK (audio_outcome IN ('deleted', 'missing', 'external'));
-- The recordings list pages through the calls by start time.
CREATE INDEX recorded_calls_by_start ON recorded_calls (start, call_id);
-- What is due is looked up among kept calls only: a partial index that a deletion leaves (one
-- entry removed) instead of moving the entry to a 'deleted' part, which made the sweep of many
-- calls twice as slow.
DROP INDEX recorded_calls_by_status_delete_by;
CREATE INDEX recorded_calls_due ON recorded_calls (delete_by) WHERE status = 'kept';
CREATE INDEX recorded_calls_by_withdrawal ON recorded_calls (withdrawal_id) WHERE withdrawal_id IS NOT NULL;
