//! The VFS under real SQLite work: a sort too large for the page cache spills its runs to
//! temporary files, which are read here, while the sort is under way, through /proc/self/fd.

use rusqlite::{Connection, OpenFlags};

const MARKER: &str = "+4570121234-customer-";

/// Opens a database with `vfs`, temporary files on disk and a page cache too small for the sort.
fn open(path: &std::path::Path, vfs: &str) -> Connection {
    let conn = Connection::open_with_flags_and_vfs(path, OpenFlags::default(), vfs).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA temp_store = FILE;
         PRAGMA cache_size = -256;
         CREATE TABLE IF NOT EXISTS calls (phone TEXT NOT NULL);",
    )
    .expect("set up");
    conn
}

/// Fills the table with 40,000 rows (about 1.5 MB) that all carry the marker.
fn fill(conn: &Connection) {
    conn.execute_batch(&format!(
        "DELETE FROM calls;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
         INSERT INTO calls SELECT '{MARKER}' || printf('%08d', (i * 7919) % 40000) FROM n;"
    ))
    .expect("fill");
}

/// The contents of this process's open files that SQLite made as temporary files (their
/// names start with `etilqs_`; they are deleted while open).
#[cfg(target_os = "linux")]
fn temporary_files() -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd").expect("fds").flatten() {
        let Ok(target) = std::fs::read_link(entry.path()) else { continue };
        if target.to_string_lossy().contains("etilqs_")
            && let Ok(bytes) = std::fs::read(entry.path())
        {
            found.push(bytes);
        }
    }
    found
}

/// Sorts the table and, with the first row out (every run is on disk by then), returns the
/// temporary files; then checks the whole sort came out in order.
#[cfg(target_os = "linux")]
fn sort_and_look(conn: &Connection) -> Vec<Vec<u8>> {
    let mut stmt = conn.prepare("SELECT phone FROM calls ORDER BY phone DESC").expect("prepare");
    let mut rows = stmt.query([]).expect("query");
    let mut last: String = rows.next().expect("step").expect("a row").get(0).expect("text");
    let files = temporary_files();
    let mut count = 1;
    while let Some(row) = rows.next().expect("step") {
        let phone: String = row.get(0).expect("text");
        assert!(phone <= last, "sorted");
        last = phone;
        count += 1;
    }
    assert_eq!(count, 40_000);
    files
}

/// One test, so that no other test's temporary files are open while these are looked at.
#[cfg(target_os = "linux")]
#[test]
fn temporary_files_hold_no_plaintext() {
    let dir = tempfile::tempdir().expect("dir");
    let marker = MARKER.as_bytes();
    let holds_marker = |file: &Vec<u8>| file.windows(marker.len()).any(|w| w == marker);

    // The default VFS: the sort's runs are on disk in plaintext. This shows the look can see.
    let plain = open(&dir.path().join("plain.db"), "unix");
    fill(&plain);
    let files = sort_and_look(&plain);
    assert!(files.iter().any(holds_marker), "the default VFS's sort runs hold the plaintext");

    // This VFS: the same sort spills as much, and none of it is readable.
    let vfs = ropa_sealed_temp::register().expect("register");
    let before = ropa_sealed_temp::stats();
    let sealed = open(&dir.path().join("sealed.db"), vfs);
    fill(&sealed);
    let files = sort_and_look(&sealed);
    let spilled: usize = files.iter().map(Vec::len).sum();
    assert!(spilled > 1_000_000, "the sort spilled its runs to disk ({spilled} bytes)");
    assert!(!files.iter().any(holds_marker), "a temporary file holds plaintext");
    let after = ropa_sealed_temp::stats();
    assert!(after.files > before.files && after.bytes - before.bytes > 1_000_000, "{before:?} {after:?}");
}

/// Temporary tables, statement journals and index builds read back right, and the database
/// itself is an ordinary SQLite file, written as before.
#[test]
fn work_through_temporary_files_reads_back() {
    let dir = tempfile::tempdir().expect("dir");
    let vfs = ropa_sealed_temp::register().expect("register");
    assert_eq!(ropa_sealed_temp::register(), Ok(vfs), "a second registration is the first");
    let path = dir.path().join("work.db");
    let conn = open(&path, vfs);
    fill(&conn);
    conn.execute_batch(
        "CREATE INDEX calls_by_phone ON calls (phone);
         CREATE TEMP TABLE picked AS SELECT phone FROM calls WHERE phone LIKE '%1';
         CREATE TABLE kept (phone TEXT PRIMARY KEY);
         BEGIN;
         INSERT INTO kept SELECT phone FROM calls ORDER BY phone LIMIT 1000;",
    )
    .expect("work");
    // A statement that fails half-way is rolled back through its statement journal.
    let failed = conn.execute("INSERT INTO kept SELECT phone FROM calls ORDER BY phone LIMIT 2000", []);
    assert!(failed.is_err(), "the 1001st row repeats a key");
    conn.execute_batch("COMMIT;").expect("commit");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect("count");
    assert_eq!(count("SELECT count(*) FROM kept"), 1000);
    assert_eq!(count("SELECT count(*) FROM temp.picked"), 4000);
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
    assert_eq!(check, "ok");
    drop(conn);
    let again = Connection::open(&path).expect("open with the default VFS");
    let phones: i64 = again
        .query_row("SELECT count(*) FROM calls INDEXED BY calls_by_phone WHERE phone > ''", [], |r| r.get(0))
        .expect("count");
    assert_eq!(phones, 40_000);
}
