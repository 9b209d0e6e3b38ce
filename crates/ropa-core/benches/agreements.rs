//! Benchmark of a signed agreement's document in the register: the process's peak resident
//! memory (VmHWM) while a 50 MB document is attached and while it is extracted again, against
//! the goal of well under the file's size + 100 MB. It prints figures; it asserts nothing.
//! Run with `cargo bench -p ropa-core --bench agreements` (Linux: reads /proc/self/status).

use ropa_core::files::Existing;
use ropa_core::interchange;
use ropa_core::processor_agreements::{AttachOptions, Processor};
use ropa_core::{ChainHeads, Passphrase, Register};
use std::io::Write;
use std::time::Instant;

const SIZE: usize = 50 * 1024 * 1024;

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak to the current resident size (Linux 4.0 and later).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = include_str!("../../../tests/fixtures/register-da.json");
    let content =
        interchange::parse(text, chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")).expect("fixture").0;
    let pass = Passphrase::from("benchmark passphrase");
    let path = dir.path().join("agreements.ropa");
    let mut register = Register::create(&path, &pass, &content.organisation, ChainHeads::disabled()).expect("create");
    register.import(&content, false).expect("import");
    register.save_processor(&Processor::new("host", "Host", "DE")).expect("processor");
    register.close().expect("close");

    let doc = dir.path().join("aftale.pdf");
    let mut file = std::fs::File::create(&doc).expect("create");
    file.write_all(b"%PDF-1.7\n").expect("write");
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let mut left = SIZE - 9;
    while left > 0 {
        let n = left.min(chunk.len());
        file.write_all(&chunk[..n]).expect("write");
        left -= n;
    }
    drop(file);

    let mut register = Register::open(&path, &pass, ChainHeads::disabled()).expect("open");
    let reset = reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let document = register.attach_agreement("host", &doc, &AttachOptions::default()).expect("attach");
    let attach_time = start.elapsed();
    let attach_peak = status_kib("VmHWM:");
    register.close().expect("close");

    let register = Register::open(&path, &pass, ChainHeads::disabled()).expect("open");
    reset_peak();
    let before_extract = status_kib("VmRSS:");
    let start = Instant::now();
    register.extract_agreement("host", None, &dir.path().join("ud.pdf"), Existing::Keep).expect("extract");
    let extract_time = start.elapsed();
    let extract_peak = status_kib("VmHWM:");
    register.close().expect("close");

    println!("agreement document: {} MiB ({} bytes), SHA-256 {}", SIZE / (1024 * 1024), document.size, document.sha256);
    if !reset {
        println!("(could not reset the peak through /proc/self/clear_refs: peaks include set-up)");
    }
    println!("attach:  peak RSS {} (RSS before {}), {:.2} s", mib(attach_peak), mib(before), attach_time.as_secs_f64());
    println!(
        "extract: peak RSS {} (RSS before {}), {:.2} s",
        mib(extract_peak),
        mib(before_extract),
        extract_time.as_secs_f64()
    );
    println!("goal: well under file size + 100 MB = {:.0} MiB", (SIZE as f64) / 1048576.0 + 100.0e6 / 1048576.0);
}
