//! Schema migrations, append-only. Each entry is one schema version (`PRAGMA user_version`);
//! `rusqlite_migration` applies the missing ones in one transaction. Never edit a released
//! migration: add a new one, and a fixture file plus a test that upgrades it.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    // 1: the processing register and the change log.
    M::up(include_str!("migrations/0001_processing_register.sql")),
    // 2: the breach log and its settings.
    M::up(include_str!("migrations/0002_breach_log.sql")),
    // 3: processors, their agreements and the signed documents.
    M::up(include_str!("migrations/0003_processors.sql")),
    // 4: recording policies and recorded calls.
    M::up(include_str!("migrations/0004_recorded_calls.sql")),
    // 5: withdrawals of consent, and what became of a deleted recording's audio.
    M::up(include_str!("migrations/0005_call_withdrawals.sql")),
    // 6: the audit reports of supervisions.
    M::up(include_str!("migrations/0006_supervision_documents.sql")),
    // 7: the recorded calls table with checks that cost an insert less, and no index by policy.
    M::up(include_str!("migrations/0007_recorded_calls_checks.sql")),
    // 8: a deletion recorded once (when, why), and each call it deleted pointing at it.
    M::up(include_str!("migrations/0008_call_deletions.sql")),
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn apply(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    Migrations::from_slice(MIGRATIONS).to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err,
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(rusqlite_migration::Migrations::from_slice(super::MIGRATIONS).validate().is_ok());
    }
}
