//! Benchmark of the recordings import: 100,000 synthetic calls from a `;`-separated call list
//! imported into the encrypted register and into plain SQLite with the same schema and code, in
//! the same run (rows per second and the ratio), then lookups by phone number (p50 and p99).
//! It prints figures; it asserts nothing. Run with
//! `cargo bench -p ropa-core --bench recordings`.

use ropa_core::call_import::{CallReader, Mapping};
use ropa_core::processing_register::Organisation;
use ropa_core::recordings::{CallImportOptions, RecordingPolicy};
use ropa_core::store::BenchOptions;
use ropa_core::vocab::{Country, Language};
use ropa_core::{ChainHeads, Passphrase, Register};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const CALLS: usize = 100_000;
/// Distinct phone numbers: each has about ten calls, as a customer with a history would.
const NUMBERS: usize = 10_000;
const LOOKUPS: usize = 2_000;

const PROFILE: &str = r#"
[columns]
call_id = "Opkalds-ID"
start = "Starttidspunkt"
direction = "Retning"
phone = "Telefonnummer"
customer_ref = "Kundenr"
consent_method = "Samtykke"
"#;

fn phone(i: usize) -> String {
    format!("2012{:04}", i % NUMBERS)
}

/// Writes the synthetic call list: a year of calls, some without consent.
fn write_calls(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(file, "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke").expect("write");
    for i in 0..CALLS {
        let day = 1 + (i / 400) % 28;
        let month = 1 + (i / 11_200) % 12;
        let minute = i % 60;
        let hour = 8 + (i / 60) % 9;
        let consent = if i % 7 == 0 { "" } else { "tastetryk" };
        writeln!(
            file,
            "C-{i:07};{day:02}-{month:02}-2026 {hour:02}:{minute:02};ind;{};K-{};{consent}",
            phone(i),
            i % NUMBERS
        )
        .expect("write");
    }
    file.flush().expect("flush");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Run {
    import: Duration,
    p50: Duration,
    p99: Duration,
}

fn run(dir: &Path, name: &str, calls: &Path, options: BenchOptions) -> Run {
    let organisation = Organisation::new("Benchmark ApS", Country::Denmark, Language::Danish);
    let pass = Passphrase::from("benchmark passphrase");
    let mut register =
        Register::create_with(&dir.join(name), &pass, &organisation, ChainHeads::disabled(), options).expect("create");
    register.add_recording_policy(&RecordingPolicy::inbound_customer_service("service", "Service")).expect("policy");
    let mapping = Mapping::from_toml(PROFILE).expect("profile");
    let reader = CallReader::new(std::fs::File::open(calls).expect("open"), mapping, Country::Denmark).expect("header");
    let start = Instant::now();
    let report = register.import_calls(reader, Some("service"), CallImportOptions::default()).expect("import");
    let import = start.elapsed();
    assert_eq!(report.imported as usize, CALLS, "{:?}", report.rejected.first());
    let mut samples: Vec<Duration> = (0..LOOKUPS)
        .map(|i| {
            let number = phone(i * 7919);
            let start = Instant::now();
            let found = register.find_calls(&number).expect("find");
            let took = start.elapsed();
            assert!(!found.is_empty());
            took
        })
        .collect();
    samples.sort();
    Run { import, p50: percentile(&samples, 0.5), p99: percentile(&samples, 0.99) }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let calls = dir.path().join("calls.csv");
    write_calls(&calls);
    let encrypted = run(dir.path(), "encrypted.ropa", &calls, BenchOptions::default());
    let plain = run(dir.path(), "plain.sqlite", &calls, BenchOptions { encrypted: false, ..BenchOptions::default() });
    let rate = |d: Duration| CALLS as f64 / d.as_secs_f64();
    println!("recordings import, {CALLS} calls in batches of 5,000 (synchronous=FULL, WAL):");
    for (label, r) in [("encrypted (SQLCipher)", &encrypted), ("plain SQLite", &plain)] {
        println!(
            "  {label:<22} import {:>7.2} s  {:>8.0} rows/s   find by phone ({LOOKUPS} lookups, ~10 calls each) p50 {:>6.0} µs  p99 {:>6.0} µs",
            r.import.as_secs_f64(),
            rate(r.import),
            r.p50.as_secs_f64() * 1e6,
            r.p99.as_secs_f64() * 1e6
        );
    }
    println!("  import time encrypted / plain: {:.2}", encrypted.import.as_secs_f64() / plain.import.as_secs_f64());
}
