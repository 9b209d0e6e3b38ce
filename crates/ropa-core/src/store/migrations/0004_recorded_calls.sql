-- Schema version 4: recorded phone calls and their consents (DOMAIN.md section 4).
-- A recording policy says why, on what basis and for how long calls are recorded; its processor
-- is checked when the policy is saved (no foreign key, so that replacing the processors on an
-- interchange import is not blocked). A recorded call is one row per call id from the phone
-- system. Times are UTC, RFC 3339 with seconds (`2026-03-01T08:15:00Z`); delete_by is the
-- local day (`2026-03-01`). import_run tells a call id repeated within one import from one
-- already in the register before it.

CREATE TABLE recording_policies (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    purpose          TEXT NOT NULL CHECK (purpose IN ('documentation', 'quality', 'training', 'other')),
    basis            TEXT NOT NULL CHECK (basis IN ('consent', 'legitimate_interest')),
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    retention_months INTEGER NOT NULL CHECK (retention_months > 0),
    processor_id     TEXT
) STRICT;

CREATE TABLE recorded_calls (
    call_id        TEXT NOT NULL UNIQUE,
    start          TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    phone          TEXT NOT NULL,
    customer_ref   TEXT,
    agent          TEXT,
    policy_id      TEXT NOT NULL REFERENCES recording_policies (id) ON DELETE RESTRICT,
    consent_method TEXT CHECK (consent_method IN ('keypress', 'oral', 'none')),
    consent_at     TEXT,
    consent_script TEXT,
    recording_ref  TEXT,
    delete_by      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'kept' CHECK (status IN ('kept', 'deleted')),
    deleted_at     TEXT,
    deleted_reason TEXT CHECK (deleted_reason IN ('retention_expired', 'consent_withdrawn', 'request')),
    import_run     TEXT
) STRICT;
CREATE INDEX recorded_calls_by_phone ON recorded_calls (phone);
CREATE INDEX recorded_calls_by_customer_ref ON recorded_calls (customer_ref) WHERE customer_ref IS NOT NULL;
CREATE INDEX recorded_calls_by_status_delete_by ON recorded_calls (status, delete_by);
CREATE INDEX recorded_calls_by_policy ON recorded_calls (policy_id);
