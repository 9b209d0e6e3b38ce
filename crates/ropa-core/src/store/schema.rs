//! Reading and writing the register's tables. Only the store calls these, inside its
//! transactions.

use super::StoreError;
use crate::breach_log::{Breach, BreachLog, BreachSettings};
use crate::processing_register::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub(super) const FORMAT: &str = "ropa-register";

/// The register-wide lists that activities refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalog {
    DataCategories,
    SubjectCategories,
    Recipients,
}

impl Catalog {
    fn table(self) -> &'static str {
        match self {
            Catalog::DataCategories => "data_categories",
            Catalog::SubjectCategories => "subject_categories",
            Catalog::Recipients => "recipients",
        }
    }

    pub(super) fn entity(self) -> &'static str {
        match self {
            Catalog::DataCategories => "data-category",
            Catalog::SubjectCategories => "subject-category",
            Catalog::Recipients => "recipient",
        }
    }
}

fn to_doc<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Damaged(e.to_string()))
}

fn from_doc<T: DeserializeOwned>(doc: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Damaged(format!("stored record does not parse: {e}")))
}

pub(super) fn is_register(conn: &Connection) -> rusqlite::Result<bool> {
    let has_meta: bool =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", [], |r| r.get(0))?;
    if !has_meta {
        return Ok(false);
    }
    let format: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0)).optional()?;
    Ok(format.as_deref() == Some(FORMAT))
}

pub(super) fn init_meta(conn: &Connection, register_id: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO meta (key, value) VALUES ('format', ?1)", [FORMAT])?;
    conn.execute("INSERT INTO meta (key, value) VALUES ('register_id', ?1)", [register_id])?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('created_at', ?1)",
        [chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
    )?;
    Ok(())
}

pub(super) fn register_id(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT value FROM meta WHERE key = 'register_id'", [], |r| r.get(0))
}

pub(super) fn put_organisation(conn: &Connection, org: &Organisation) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO organisation (id, doc) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        [to_doc(org)?],
    )?;
    Ok(())
}

pub(super) fn get_organisation(conn: &Connection) -> Result<Organisation, StoreError> {
    let doc: String = conn.query_row("SELECT doc FROM organisation WHERE id = 1", [], |r| r.get(0))?;
    from_doc(&doc)
}

fn next_position(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT coalesce(max(position), 0) + 1 FROM {table}"), [], |r| r.get(0))
}

pub(super) fn put_catalog<T: Serialize>(
    conn: &Connection,
    catalog: Catalog,
    id: &str,
    value: &T,
) -> Result<(), StoreError> {
    let table = catalog.table();
    let doc = to_doc(value)?;
    let kind = serde_json::to_value(value)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
        .unwrap_or_default();
    let position = next_position(conn, table)?;
    let sql = match catalog {
        Catalog::SubjectCategories => format!(
            "INSERT INTO {table} (id, position, doc) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc"
        ),
        _ => format!(
            "INSERT INTO {table} (id, position, doc, kind) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, kind = excluded.kind"
        ),
    };
    match catalog {
        Catalog::SubjectCategories => conn.execute(&sql, params![id, position, doc])?,
        _ => conn.execute(&sql, params![id, position, doc, kind])?,
    };
    Ok(())
}

pub(super) fn delete_catalog(conn: &Connection, catalog: Catalog, id: &str) -> Result<(), StoreError> {
    match conn.execute(&format!("DELETE FROM {} WHERE id = ?1", catalog.table()), [id]) {
        Ok(0) => Err(StoreError::NotFound { entity: catalog.entity(), id: id.to_owned() }),
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Err(StoreError::InUse { entity: catalog.entity(), id: id.to_owned() })
        }
        Err(e) => Err(e.into()),
    }
}

fn get_catalog<T: DeserializeOwned>(conn: &Connection, catalog: Catalog) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT doc FROM {} ORDER BY position", catalog.table()))?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    docs.iter().map(|d| from_doc(d)).collect()
}

pub(super) fn put_activity(conn: &Connection, activity: &Activity) -> Result<(), StoreError> {
    let position = next_position(conn, "activities")?;
    conn.execute(
        "INSERT INTO activities (id, position, name, status, role, next_review, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,
             role = excluded.role, next_review = excluded.next_review, doc = excluded.doc",
        params![
            activity.id,
            position,
            activity.name,
            activity.status.id(),
            activity.role.id(),
            activity.review.due().map(|d| d.to_string()),
            to_doc(activity)?,
        ],
    )?;
    for table in ["activity_data_categories", "activity_subject_categories", "activity_recipients"] {
        conn.execute(&format!("DELETE FROM {table} WHERE activity_id = ?1"), [&activity.id])?;
    }
    let links: [(&str, &str, Vec<&str>); 3] = [
        ("activity_data_categories", "data_category_id", activity.data_category_ids()),
        ("activity_subject_categories", "subject_category_id", activity.subject_category_ids()),
        ("activity_recipients", "recipient_id", activity.recipient_ids()),
    ];
    for (table, column, ids) in links {
        let mut stmt = conn.prepare(&format!("INSERT INTO {table} (activity_id, {column}) VALUES (?1, ?2)"))?;
        for id in ids {
            stmt.execute([&activity.id, id])?;
        }
    }
    Ok(())
}

pub(super) fn get_activity(conn: &Connection, id: &str) -> Result<Option<Activity>, StoreError> {
    let doc: Option<String> =
        conn.query_row("SELECT doc FROM activities WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    doc.map(|d| from_doc(&d)).transpose()
}

pub(super) fn get_activities(conn: &Connection) -> Result<Vec<Activity>, StoreError> {
    let mut stmt = conn.prepare("SELECT doc FROM activities ORDER BY position")?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    docs.iter().map(|d| from_doc(d)).collect()
}

/// The register without its activities: what validating one activity needs.
pub(super) fn get_context(conn: &Connection) -> Result<RegisterContent, StoreError> {
    Ok(RegisterContent {
        organisation: get_organisation(conn)?,
        data_categories: get_catalog(conn, Catalog::DataCategories)?,
        subject_categories: get_catalog(conn, Catalog::SubjectCategories)?,
        recipients: get_catalog(conn, Catalog::Recipients)?,
        activities: Vec::new(),
    })
}

pub(super) fn activity_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM activities WHERE id = ?1)", [id], |r| r.get(0))
}

pub(super) fn get_content(conn: &Connection) -> Result<RegisterContent, StoreError> {
    Ok(RegisterContent { activities: get_activities(conn)?, ..get_context(conn)? })
}

pub(super) fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM activities) + (SELECT count(*) FROM data_categories)
              + (SELECT count(*) FROM subject_categories) + (SELECT count(*) FROM recipients)
              + (SELECT count(*) FROM breaches) + (SELECT count(*) FROM processors)",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n == 0)
}

pub(super) fn replace_content(conn: &Connection, content: &RegisterContent, log: &BreachLog) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM breaches; DELETE FROM breach_settings; DELETE FROM activities; DELETE FROM data_categories;
         DELETE FROM subject_categories; DELETE FROM recipients;",
    )?;
    put_organisation(conn, &content.organisation)?;
    for c in &content.data_categories {
        put_catalog(conn, Catalog::DataCategories, &c.id, c)?;
    }
    for c in &content.subject_categories {
        put_catalog(conn, Catalog::SubjectCategories, &c.id, c)?;
    }
    for r in &content.recipients {
        put_catalog(conn, Catalog::Recipients, &r.id, r)?;
    }
    for a in &content.activities {
        put_activity(conn, a)?;
    }
    put_breach_settings(conn, &log.settings)?;
    for b in &log.breaches {
        put_breach(conn, b)?;
    }
    Ok(())
}

pub(super) fn put_breach_settings(conn: &Connection, settings: &BreachSettings) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO breach_settings (id, doc) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        [to_doc(settings)?],
    )?;
    Ok(())
}

/// The settings as saved, or the defaults when none were.
pub(super) fn get_breach_settings(conn: &Connection) -> Result<BreachSettings, StoreError> {
    let doc: Option<String> =
        conn.query_row("SELECT doc FROM breach_settings WHERE id = 1", [], |r| r.get(0)).optional()?;
    doc.map_or(Ok(BreachSettings::default()), |d| from_doc(&d))
}

fn sorted_ids(ids: &[String]) -> Vec<&str> {
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub(super) fn put_breach(conn: &Connection, breach: &Breach) -> Result<(), StoreError> {
    let position = next_position(conn, "breaches")?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    conn.execute(
        "INSERT INTO breaches (id, position, title, became_aware_at, risk, closed_at, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, became_aware_at = excluded.became_aware_at,
             risk = excluded.risk, closed_at = excluded.closed_at, doc = excluded.doc",
        params![
            breach.id,
            position,
            breach.title,
            time(breach.became_aware_at),
            breach.risk_level().map(|r| r.id()),
            breach.closed_at.map(time),
            to_doc(breach)?,
        ],
    )?;
    for table in ["breach_data_categories", "breach_subject_categories", "breach_activities"] {
        conn.execute(&format!("DELETE FROM {table} WHERE breach_id = ?1"), [&breach.id])?;
    }
    let links: [(&str, &str, Vec<&str>); 3] = [
        ("breach_data_categories", "data_category_id", sorted_ids(&breach.data_categories)),
        ("breach_subject_categories", "subject_category_id", sorted_ids(&breach.subject_categories)),
        ("breach_activities", "activity_id", sorted_ids(&breach.activities)),
    ];
    for (table, column, ids) in links {
        let mut stmt = conn.prepare(&format!("INSERT INTO {table} (breach_id, {column}) VALUES (?1, ?2)"))?;
        for id in ids {
            stmt.execute([&breach.id, id])?;
        }
    }
    Ok(())
}

pub(super) fn get_breach(conn: &Connection, id: &str) -> Result<Option<Breach>, StoreError> {
    let doc: Option<String> =
        conn.query_row("SELECT doc FROM breaches WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    doc.map(|d| from_doc(&d)).transpose()
}

pub(super) fn breach_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM breaches WHERE id = ?1)", [id], |r| r.get(0))
}

pub(super) fn breach_ids(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM breaches")?;
    let ids = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

pub(super) fn get_breach_log(conn: &Connection) -> Result<BreachLog, StoreError> {
    let mut stmt = conn.prepare("SELECT doc FROM breaches ORDER BY position")?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    let breaches = docs.iter().map(|d| from_doc(d)).collect::<Result<_, _>>()?;
    Ok(BreachLog { settings: get_breach_settings(conn)?, breaches })
}
