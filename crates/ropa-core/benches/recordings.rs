//! Benchmark of the recorded calls: 1,000,000 synthetic calls (or `ROPA_BENCH_CALLS`) from a
//! `;`-separated call list imported into the encrypted register and into plain SQLite with the
//! same schema and code, in the same run: rows per second and the ratio, the peak resident
//! memory of the import above what the process held before it (each mode in a process of its
//! own), lookups by phone number (p50 and p99), and the retention sweep of every call with its
//! peak memory. It prints figures; it asserts nothing. Run with
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

const LOOKUPS: usize = 2_000;

/// How many calls: `ROPA_BENCH_CALLS`, else a million.
fn call_total() -> usize {
    std::env::var("ROPA_BENCH_CALLS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000)
}

/// Distinct phone numbers: each has about ten calls, as a customer with a history would.
fn numbers() -> usize {
    (call_total() / 10).max(1)
}

/// A field of /proc/self/status in KiB (VmRSS, VmHWM); 0 where there is none.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(0)
}

/// Starts a new peak: VmHWM is set back to the current VmRSS.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const PROFILE: &str = r#"
[columns]
call_id = "Opkalds-ID"
start = "Starttidspunkt"
direction = "Retning"
phone = "Telefonnummer"
customer_ref = "Kundenr"
consent_method = "Samtykke"
"#;

/// Danish mobile numbers from 2012 0000 upwards (valid by the numbering plan).
fn phone(i: usize) -> String {
    let n = i % numbers();
    format!("{}{:04}", 2012 + n / 10_000, n % 10_000)
}

/// Writes the synthetic call list: a year of calls, some without consent.
fn write_calls(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(file, "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke").expect("write");
    for i in 0..call_total() {
        let day = 1 + (i / 7) % 28;
        let month = 1 + (i / 196) % 12;
        let minute = i % 60;
        let hour = 8 + (i / 60) % 9;
        let consent = if i % 7 == 0 { "" } else { "tastetryk" };
        writeln!(
            file,
            "C-{i:07};{day:02}-{month:02}-2026 {hour:02}:{minute:02};ind;{};K-{};{consent}",
            phone(i),
            i % numbers()
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
    /// Of which building the search indices at the end.
    indexing: Duration,
    /// Peak resident memory during the import above the resident memory before it, KiB.
    peak_kib: u64,
    p50: Duration,
    p99: Duration,
    /// A page of 100 calls of the app's list, with the total.
    page_p50: Duration,
    page_p99: Duration,
    sweep: Duration,
    swept: u64,
    /// Peak resident memory during the sweep above the resident memory before it, KiB.
    sweep_peak_kib: u64,
    /// Bytes the import wrote to SQLite's temporary files (the index builds' sort runs), all
    /// encrypted by `ropa_sealed_temp`.
    temp_bytes: u64,
}

fn run(dir: &Path, name: &str, calls: &Path, options: BenchOptions) -> Run {
    let organisation = Organisation::new("Benchmark ApS", Country::Denmark, Language::Danish);
    let pass = Passphrase::from("benchmark passphrase");
    let mut register =
        Register::create_with(&dir.join(name), &pass, &organisation, ChainHeads::disabled(), options).expect("create");
    register.add_recording_policy(&RecordingPolicy::inbound_customer_service("service", "Service")).expect("policy");
    let mapping = Mapping::from_toml(PROFILE).expect("profile");
    let reader = CallReader::new(std::fs::File::open(calls).expect("open"), mapping, Country::Denmark).expect("header");
    let before = status_kib("VmRSS");
    let sealed_before = ropa_sealed_temp::stats().bytes;
    reset_peak();
    let start = Instant::now();
    let mut indexing_from = None;
    let mut on_progress = |p: ropa_core::recordings::CallImportProgress| {
        if p.indexing && indexing_from.is_none() {
            indexing_from = Some(start.elapsed());
        }
    };
    let options = CallImportOptions { progress: Some(&mut on_progress), ..CallImportOptions::default() };
    let report = register.import_calls(reader, Some("service"), options).expect("import");
    let import = start.elapsed();
    let indexing = indexing_from.map_or(Duration::ZERO, |from| import - from);
    let peak_kib = status_kib("VmHWM").saturating_sub(before);
    let temp_bytes = ropa_sealed_temp::stats().bytes - sealed_before;
    assert_eq!(report.imported as usize, call_total(), "{:?}", report.rejected.first());
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
    // Pages of 100 of the app's list, anywhere from the start to the end.
    let total = call_total() as u64;
    let mut pages: Vec<Duration> = (0..200u64)
        .map(|i| {
            let query = ropa_core::recordings::CallQuery::default();
            let offset = (i * 7_919 * 100) % total;
            let start = Instant::now();
            let page = register.call_page(&query, offset, 100).expect("page");
            let took = start.elapsed();
            assert_eq!(page.total, total);
            took
        })
        .collect();
    pages.sort();
    // Every call is past its delete-by day in 2030.
    let today = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("date");
    let before = status_kib("VmRSS");
    reset_peak();
    let start = Instant::now();
    let swept = register.sweep_recordings(today, chrono::Utc::now(), None, &mut |_| {}).expect("sweep");
    let sweep = start.elapsed();
    let sweep_peak_kib = status_kib("VmHWM").saturating_sub(before);
    Run {
        import,
        indexing,
        peak_kib,
        p50: percentile(&samples, 0.5),
        p99: percentile(&samples, 0.99),
        page_p50: percentile(&pages, 0.5),
        page_p99: percentile(&pages, 0.99),
        sweep,
        swept: swept.marked,
        sweep_peak_kib,
        temp_bytes,
    }
}

/// Runs one mode in a process of its own, so that each peak RSS is that mode's alone.
fn child(mode: &str, dir: &Path, calls_csv: &Path) -> Run {
    let output = std::process::Command::new(std::env::current_exe().expect("bench binary"))
        .env("ROPA_BENCH_CHILD", mode)
        .env("ROPA_BENCH_DIR", dir)
        .env("ROPA_BENCH_CSV", calls_csv)
        .output()
        .expect("run the bench child");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("RESULT ")).expect("result line");
    let v: Vec<u64> = line.split(' ').map(|x| x.parse().expect("number")).collect();
    let d = Duration::from_nanos;
    Run {
        import: d(v[0]),
        indexing: d(v[1]),
        peak_kib: v[2],
        p50: d(v[3]),
        p99: d(v[4]),
        page_p50: d(v[5]),
        page_p99: d(v[6]),
        sweep: d(v[7]),
        swept: v[8],
        sweep_peak_kib: v[9],
        temp_bytes: v[10],
    }
}

fn main() {
    if let Ok(mode) = std::env::var("ROPA_BENCH_CHILD") {
        let dir = std::path::PathBuf::from(std::env::var_os("ROPA_BENCH_DIR").expect("dir"));
        let csv = std::path::PathBuf::from(std::env::var_os("ROPA_BENCH_CSV").expect("csv"));
        let options = BenchOptions { encrypted: mode == "encrypted", ..BenchOptions::default() };
        let r = run(&dir, &format!("{mode}.ropa"), &csv, options);
        let ns = |d: Duration| d.as_nanos().to_string();
        println!(
            "RESULT {} {} {} {} {} {} {} {} {} {} {}",
            ns(r.import),
            ns(r.indexing),
            r.peak_kib,
            ns(r.p50),
            ns(r.p99),
            ns(r.page_p50),
            ns(r.page_p99),
            ns(r.sweep),
            r.swept,
            r.sweep_peak_kib,
            r.temp_bytes
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let calls_csv = dir.path().join("calls.csv");
    write_calls(&calls_csv);
    let n = call_total();
    let encrypted = child("encrypted", dir.path(), &calls_csv);
    let plain = child("plain", dir.path(), &calls_csv);
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "recorded calls, {n} calls from {} numbers, import in batches of 5,000 (synchronous=FULL, WAL):",
        numbers()
    );
    for (label, r) in [("encrypted (SQLCipher)", &encrypted), ("plain SQLite", &plain)] {
        println!("  {label}:");
        println!(
            "    import  {:>7.2} s  {:>8.0} rows/s  (of which building the search indices {:.2} s)  peak RSS +{:.1} MiB",
            r.import.as_secs_f64(),
            rate(r.import),
            r.indexing.as_secs_f64(),
            r.peak_kib as f64 / 1024.0
        );
        println!(
            "    the index builds' sort runs written to encrypted temporary files: {:.1} MiB",
            r.temp_bytes as f64 / (1024.0 * 1024.0)
        );
        println!(
            "    find by phone ({LOOKUPS} lookups, ~10 calls each)  p50 {:>6.0} µs  p99 {:>6.0} µs",
            r.p50.as_secs_f64() * 1e6,
            r.p99.as_secs_f64() * 1e6
        );
        println!(
            "    list page of 100 with the total (200 pages anywhere in the list)  p50 {:>6.1} ms  p99 {:>6.1} ms",
            r.page_p50.as_secs_f64() * 1e3,
            r.page_p99.as_secs_f64() * 1e3
        );
        println!(
            "    sweep of {} calls  {:>6.2} s  peak RSS +{:.1} MiB",
            r.swept,
            r.sweep.as_secs_f64(),
            r.sweep_peak_kib as f64 / 1024.0
        );
    }
    println!("  import rows/s encrypted / plain: {:.2}", rate(encrypted.import) / rate(plain.import));
}
