//! Benchmark of the register file: unlock time, and inserting 10,000 processing activities into
//! the encrypted register and into plain SQLite with the same schema and code, in the same run.
//! It prints figures; it asserts nothing. Run with `cargo bench -p ropa-core`.

use ropa_core::interchange;
use ropa_core::processing_register::RegisterContent;
use ropa_core::store::{BenchOptions, CACHE_KIB};
use ropa_core::{ChainHeads, Passphrase, Register};
use std::path::Path;
use std::time::{Duration, Instant};

const ACTIVITIES: usize = 10_000;
const SINGLE_SAVES: usize = 300;

fn fixture() -> RegisterContent {
    let text = include_str!("../../../tests/fixtures/register-da.json");
    interchange::parse(text, chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")).expect("fixture").0
}

/// The fixture's activities repeated, with fresh ids, up to `n`.
fn many(n: usize) -> RegisterContent {
    let mut content = fixture();
    let templates = content.activities.clone();
    content.activities = (0..n)
        .map(|i| {
            let mut a = templates[i % templates.len()].clone();
            a.id = format!("activity-{i:05}");
            a.name = format!("{} {i}", a.name);
            a
        })
        .collect();
    content
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

struct Run {
    import: Duration,
    saves: Duration,
    read_all: Duration,
    read_warm: Duration,
}

fn run(dir: &Path, name: &str, options: BenchOptions) -> Run {
    let path = dir.join(name);
    let content = many(ACTIVITIES);
    let pass = Passphrase::from("benchmark passphrase");
    let mut register =
        Register::create_with(&path, &pass, &content.organisation, ChainHeads::disabled(), options).expect("create");
    let start = Instant::now();
    register.import(&content, false).expect("import");
    let import = start.elapsed();

    // Single saves: each its own transaction with fsync (synchronous=FULL), as the app does.
    let template = content.activities[0].clone();
    let start = Instant::now();
    for i in 0..SINGLE_SAVES {
        let mut a = template.clone();
        a.id = format!("single-{i}");
        register.save_activity(&a).expect("save");
    }
    let saves = start.elapsed();
    register.close().expect("close");

    let register = Register::open_with(&path, &pass, ChainHeads::disabled(), options).expect("open");
    let start = Instant::now();
    let all = register.content().expect("content");
    let read_all = start.elapsed();
    assert_eq!(all.activities.len(), ACTIVITIES + SINGLE_SAVES);
    // Again, with whatever the page cache kept: this is where its size shows.
    let read_warm = median(
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let _ = register.activities().expect("list");
                start.elapsed()
            })
            .collect(),
    );
    Run { import, saves, read_all, read_warm }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pass = Passphrase::from("benchmark passphrase");
    let org = fixture().organisation;

    // Unlock: Argon2id key derivation plus opening and checking the file.
    let path = dir.path().join("unlock.ropa");
    Register::create(&path, &pass, &org, ChainHeads::disabled()).expect("create").close().expect("close");
    let unlock = median(
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let r = Register::open(&path, &pass, ChainHeads::disabled()).expect("open");
                let elapsed = start.elapsed();
                r.close().expect("close");
                elapsed
            })
            .collect(),
    );
    let kdf = median(
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let _ = ropa_core::kdf::derive_key(&pass, &[1u8; 16]).expect("kdf");
                start.elapsed()
            })
            .collect(),
    );

    let encrypted = run(dir.path(), "encrypted.ropa", BenchOptions { encrypted: true, cache_kib: CACHE_KIB });
    let small_cache = run(dir.path(), "small-cache.ropa", BenchOptions { encrypted: true, cache_kib: 2_000 });
    let plain = run(dir.path(), "plain.sqlite", BenchOptions { encrypted: false, cache_kib: CACHE_KIB });

    println!("ropa register benchmark ({ACTIVITIES} activities; {SINGLE_SAVES} single saves)");
    println!(
        "unlock (Argon2id {} MiB, t={}, median of 5): {}   of which key derivation: {}",
        ropa_core::kdf::MEMORY_KIB / 1024,
        ropa_core::kdf::ITERATIONS,
        secs(unlock),
        secs(kdf)
    );
    println!(
        "{:<34} {:>12} {:>17} {:>14} {:>14}",
        "", "import 10k", "single save (avg)", "read all, cold", "list, warm"
    );
    for (name, r) in [
        ("encrypted, 64 MiB cache (default)", &encrypted),
        ("encrypted, 2 MB cache", &small_cache),
        ("plain SQLite, same schema", &plain),
    ] {
        println!(
            "{name:<34} {:>12} {:>14.2} ms {:>14} {:>14}",
            secs(r.import),
            r.saves.as_secs_f64() * 1000.0 / SINGLE_SAVES as f64,
            secs(r.read_all),
            secs(r.read_warm)
        );
    }
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
    println!(
        "throughput encrypted / plain: import {:.2}, single saves {:.2}, cold read {:.2}, warm list {:.2} \
         (1.00 = as fast as plain)",
        ratio(encrypted.import, plain.import),
        ratio(encrypted.saves, plain.saves),
        ratio(encrypted.read_all, plain.read_all),
        ratio(encrypted.read_warm, plain.read_warm)
    );
}
