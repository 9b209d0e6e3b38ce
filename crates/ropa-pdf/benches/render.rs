//! Benchmark of the Art. 30(1) report: a register of 200 activities (the fixture's activities
//! repeated) to PDF bytes — time, pages, size, and the process's peak RSS (VmHWM). It prints
//! figures; it asserts nothing. Run with `cargo bench -p ropa-pdf`.

use chrono::DateTime;
use ropa_core::change_log::Head;
use ropa_core::interchange;
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::Language;
use ropa_pdf::ReportMeta;
use std::time::{Duration, Instant};

const ACTIVITIES: usize = 200;
const RUNS: usize = 5;

fn many(n: usize) -> RegisterContent {
    let text = include_str!("../../../tests/fixtures/register-da.json");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let mut content = interchange::parse(text, today).expect("fixture").0;
    let templates: Vec<_> = content.activities.iter().filter(|a| a.role.id() != "processor").cloned().collect();
    content.activities = (0..n)
        .map(|i| {
            let mut a = templates[i % templates.len()].clone();
            a.id = format!("activity-{i:03}");
            a.name = format!("{} {}", a.name, i + 1);
            a
        })
        .collect();
    content
}

/// Peak resident set size of this process so far, in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let content = many(ACTIVITIES);
    let meta = ReportMeta {
        generated_at: DateTime::parse_from_rfc3339("2026-11-22T14:03:00+01:00").expect("time"),
        chain_head: Some(Head { seq: 1234, mac: "ab".repeat(32) }),
        language: Language::Danish,
    };
    let before = peak_rss_mib();
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let pdf = ropa_pdf::record_of_processing(&content, &meta).expect("render");
        times.push(start.elapsed());
        last = Some(pdf);
    }
    times.sort();
    let Some(pdf) = last else { return };
    let mib = |v: Option<f64>| v.map(|v| format!("{v:.1} MiB")).unwrap_or_else(|| "unknown".to_owned());
    println!("ropa-pdf: record of processing activities, {ACTIVITIES} activities, {RUNS} runs");
    println!(
        "  time to PDF   median {:.3} s, fastest {:.3} s, slowest {:.3} s",
        times[RUNS / 2].as_secs_f64(),
        times[0].as_secs_f64(),
        times[RUNS - 1].as_secs_f64()
    );
    println!("  pages         {}", pdf.pages);
    println!("  size          {:.0} KiB", pdf.bytes.len() as f64 / 1024.0);
    println!("  peak RSS      {} (before rendering: {})", mib(peak_rss_mib()), mib(before));
}
