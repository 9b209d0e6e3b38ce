//! The tamper-evident change log. Every write to a register appends one entry in the same
//! transaction: who (the OS user name), when, which entity, which action. Entries form a chain:
//! each MAC is HMAC-SHA256 over the previous MAC and the entry's fields, keyed with a key derived
//! from the register key. Editing, reordering or removing an entry breaks the chain at that
//! entry; cutting off the newest entries is caught by comparing with the head kept outside the
//! file (see [`crate::chain_heads`]).
//!
//! The log holds ids, never personal data.

use crate::secret::Key;
use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{Connection, params};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Derives the chain key from the register key, so the log cannot be re-signed without it.
pub(crate) fn chain_key(register_key: &Key) -> Key {
    let mut mac = new_mac(register_key);
    mac.update(b"ropa change-log chain v1");
    let mut out = Key([0u8; 32]);
    out.0.copy_from_slice(&mac.finalize().into_bytes());
    out
}

fn new_mac(key: &Key) -> HmacSha256 {
    // HMAC accepts keys of any length; 32 bytes cannot fail.
    match HmacSha256::new_from_slice(key.bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// What a write did, as recorded in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The kind of record: `register`, `organisation`, `activity`, `data-category`, …
    pub entity: &'static str,
    /// The record's id (never a name or other personal data).
    pub entity_id: String,
    /// `create`, `update`, `delete`, `import`, `passphrase-change`, `backup`, …
    pub action: &'static str,
}

impl Change {
    pub fn new(entity: &'static str, entity_id: impl Into<String>, action: &'static str) -> Self {
        Change { entity, entity_id: entity_id.into(), action }
    }
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Entry {
    pub seq: i64,
    /// UTC, RFC 3339 with seconds.
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The chain MAC, hex.
    pub mac: String,
}

/// The newest entry of a chain: its number and MAC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Head {
    pub seq: i64,
    pub mac: String,
}

/// Why an entry does not fit the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum Break {
    /// The entry's content or MAC was changed, or entries were swapped.
    MacMismatch,
    /// Entries are missing before this one, or the numbering was changed.
    Gap,
    /// The log could not be read at all (the file is damaged).
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChainReport {
    pub entries: i64,
    /// The first entry that does not fit, and why.
    pub first_bad: Option<(i64, Break)>,
    pub head: Option<Head>,
}

fn compute(key: &Key, prev: &[u8], seq: i64, fields: [&str; 5]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(prev);
    mac.update(&seq.to_be_bytes());
    for field in fields {
        // Length-prefixed, so that moving bytes between fields changes the MAC.
        mac.update(&(field.len() as u64).to_be_bytes());
        mac.update(field.as_bytes());
    }
    mac.finalize().into_bytes().into()
}

/// The OS user who makes the change.
pub(crate) fn current_actor() -> String {
    let name = whoami::username();
    if name.is_empty() { "unknown".to_owned() } else { name }
}

/// Appends one entry; call inside the write's transaction.
pub(crate) fn append(conn: &Connection, key: &Key, change: &Change, at: DateTime<Utc>) -> rusqlite::Result<Head> {
    let prev: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT seq, mac FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    let (seq, prev_mac) = match prev {
        Some((seq, mac)) => (seq + 1, mac),
        None => (1, vec![0u8; 32]),
    };
    let at = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let actor = current_actor();
    let mac = compute(key, &prev_mac, seq, [&at, &actor, change.entity, &change.entity_id, change.action]);
    conn.execute(
        "INSERT INTO change_log (seq, at, actor, entity, entity_id, action, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, actor, change.entity, change.entity_id, change.action, &mac[..]],
    )?;
    Ok(Head { seq, mac: hex::encode(mac) })
}

struct Row {
    seq: i64,
    at: String,
    actor: String,
    entity: String,
    entity_id: String,
    action: String,
    mac: Vec<u8>,
}

fn rows(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(Row {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            mac: r.get(6)?,
        })
    })?;
    rows.collect()
}

const SELECT_ALL: &str = "SELECT seq, at, actor, entity, entity_id, action, mac FROM change_log ORDER BY rowid";

/// Checks the whole chain in storage order and names the first entry that does not fit.
pub(crate) fn verify(conn: &Connection, key: &Key) -> rusqlite::Result<ChainReport> {
    let rows = rows(conn, SELECT_ALL)?;
    let mut prev = vec![0u8; 32];
    let mut first_bad = None;
    for (i, row) in rows.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if row.seq != expected_seq {
            first_bad = Some((row.seq, Break::Gap));
            break;
        }
        let mac = compute(key, &prev, row.seq, [&row.at, &row.actor, &row.entity, &row.entity_id, &row.action]);
        if mac[..] != row.mac[..] {
            first_bad = Some((row.seq, Break::MacMismatch));
            break;
        }
        prev = row.mac.clone();
    }
    let head = rows.last().map(|r| Head { seq: r.seq, mac: hex::encode(&r.mac) });
    Ok(ChainReport { entries: rows.len() as i64, first_bad, head })
}

/// Recomputes every MAC with a new key (after a passphrase change). The caller has verified the
/// chain with the old key first, so no break is laundered.
pub(crate) fn resign(conn: &Connection, new_key: &Key) -> rusqlite::Result<()> {
    let rows = rows(conn, SELECT_ALL)?;
    let mut prev = vec![0u8; 32];
    for row in rows {
        let mac = compute(new_key, &prev, row.seq, [&row.at, &row.actor, &row.entity, &row.entity_id, &row.action]);
        conn.execute("UPDATE change_log SET mac = ?1 WHERE seq = ?2", params![&mac[..], row.seq])?;
        prev = mac.to_vec();
    }
    Ok(())
}

/// The newest entry's number and MAC.
pub(crate) fn head(conn: &Connection) -> rusqlite::Result<Option<Head>> {
    conn.query_row("SELECT seq, mac FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| {
        Ok(Head { seq: r.get(0)?, mac: hex::encode(r.get::<_, Vec<u8>>(1)?) })
    })
    .map(Some)
    .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
}

/// The MAC of entry `seq`, if it exists.
pub(crate) fn mac_at(conn: &Connection, seq: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT mac FROM change_log WHERE seq = ?1", [seq], |r| Ok(hex::encode(r.get::<_, Vec<u8>>(0)?)))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
}

/// The newest `limit` entries, newest first.
pub(crate) fn list(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn
        .prepare("SELECT seq, at, actor, entity, entity_id, action, mac FROM change_log ORDER BY seq DESC LIMIT ?1")?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            mac: hex::encode(r.get::<_, Vec<u8>>(6)?),
        })
    })?;
    rows.collect()
}
