//! The recorded-calls commands on a real encrypted register: a small call list imported
//! through the mapping form, the list a page at a time, the sweep, a withdrawal with its receipt
//! and an access extract into a folder.

use crate::commands::recordings::{CallListQuery, MappingForm, PolicyForm, WithdrawalForm};
use crate::state::AppState;
use ropa_core::ChainHeads;
use ropa_core::call_import::Direction;
use ropa_core::processing_register::Organisation;
use ropa_core::recordings::{RecordingBasis, RecordingPurpose, StatusFilter, WithdrawalChannel};
use ropa_core::settings::SettingsStore;
use ropa_core::vocab::{Country, Language};
use std::path::Path;
use tempfile::TempDir;

const PASSPHRASE: &str = "korrekt hest batteri";

/// Two inbound calls of one customer in 2024 (long past their delete-by day), one of another in
/// 2099 (not due), and a row whose phone number is not one.
const CALLS: &str = "Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Lydfil\r\n\
                     A-1;01-03-2024 09:15;Indgående;33 12 34 56;K-17;Tastetryk;a-1.wav\r\n\
                     A-2;02-03-2024 10:00;Indgående;+45 33 12 34 56;K-17;;\r\n\
                     B-1;01-11-2099 12:00;Indgående;20 12 34 56;K-20;;b-1.wav\r\n\
                     C-1;01-03-2024 09:15;Indgående;12;;;\r\n";

fn open(dir: &TempDir) -> AppState {
    let config = dir.path().join("config");
    let app = AppState::new(SettingsStore::at(&config), ChainHeads::at(&config));
    let path = dir.path().join("register.ropa").display().to_string();
    app.allow(&path);
    let org = Organisation::new("Jensen Tømrer ApS", Country::Denmark, Language::Danish);
    app.create_register(&path, PASSPHRASE.into(), PASSPHRASE.into(), &org).expect("create");
    app
}

fn mapping() -> MappingForm {
    let mut form = MappingForm::default();
    for (field, column) in [
        ("call_id", "Opkalds-ID"),
        ("start", "Starttidspunkt"),
        ("direction", "Retning"),
        ("phone", "Telefonnummer"),
        ("customer_ref", "Kundenr"),
        ("consent_method", "Samtykke"),
        ("recording_ref", "Lydfil"),
    ] {
        form.columns.insert(field.to_owned(), column.to_owned());
    }
    form
}

fn policy(id: &str, direction: Direction) -> PolicyForm {
    let (purpose, basis, months) = match direction {
        Direction::Inbound => (RecordingPurpose::Quality, RecordingBasis::Consent, 16),
        Direction::Outbound => (RecordingPurpose::Documentation, RecordingBasis::LegitimateInterest, 6),
    };
    PolicyForm {
        id: id.to_owned(),
        name: format!("Politik {id}"),
        purpose,
        basis,
        direction,
        retention_months: months,
        processor_id: None,
    }
}

/// A register with the policy `kunde` and the call list imported (three calls, one rejected).
fn imported(dir: &TempDir) -> AppState {
    let app = open(dir);
    app.add_recording_policy(policy("kunde", Direction::Inbound)).expect("policy");
    let csv = dir.path().join("opkald.csv");
    std::fs::write(&csv, CALLS).expect("write csv");
    let path = csv.display().to_string();
    app.allow(&path);
    let summary = app.import_calls(&path, &mapping(), Some("kunde"), false, Language::Danish, &|_| {}).expect("import");
    assert_eq!((summary.imported, summary.rejected), (3, 1));
    app
}

#[test]
fn a_policy_is_checked_at_its_fields_and_a_duplicate_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(&dir);
    let mut bad = policy("", Direction::Inbound);
    bad.basis = RecordingBasis::LegitimateInterest;
    bad.processor_id = Some("nobody".to_owned());
    let issues = app.check_recording_policy(bad).expect("check");
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["/id", "/basis", "/processor_id"]);
    app.add_recording_policy(policy("kunde", Direction::Inbound)).expect("add");
    let again = app.add_recording_policy(policy("kunde", Direction::Inbound)).expect_err("duplicate");
    assert_eq!(again.code, "invalid");
    assert_eq!(again.issues[0].code, "recording_policy.id_duplicate");
    assert_eq!(app.recording_policies().expect("list").len(), 1);
}

#[test]
fn the_header_preview_and_import_read_the_file_as_core_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(&dir);
    app.add_recording_policy(policy("kunde", Direction::Inbound)).expect("policy");
    let csv = dir.path().join("opkald.csv");
    std::fs::write(&csv, CALLS).expect("write csv");
    let path = csv.display().to_string();
    let file = app.call_list_file(&csv).expect("header");
    assert_eq!(file.columns[0], "Opkalds-ID");
    assert_eq!((file.encoding.as_str(), file.delimiter.as_str()), ("utf-8", ";"));
    assert_eq!(app.preview_calls(&path, &mapping()).expect_err("not picked").code, "not_allowed");
    app.allow(&path);
    let rows = app.preview_calls(&path, &mapping()).expect("preview");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].call.as_ref().map(|c| c.phone.as_str()), Some("+4533123456"));
    let error = rows[3].error.as_ref().expect("row error");
    assert_eq!((error.line, error.field.as_deref(), error.code.as_str()), (5, Some("phone"), "import.row.phone"));
    let mut missing = mapping();
    missing.columns.insert("agent".to_owned(), "Medarbejder".to_owned());
    assert_eq!(app.preview_calls(&path, &missing).expect_err("no column").code, "calls.column_missing");

    let seen = std::cell::RefCell::new(Vec::new());
    let summary = app
        .import_calls(&path, &mapping(), Some("kunde"), false, Language::Danish, &|p| seen.borrow_mut().push(p))
        .expect("import");
    assert_eq!((summary.imported, summary.already_there, summary.rejected), (3, 0, 1));
    assert_eq!(summary.rejected_rows[0].line, 5);
    assert!(summary.rejected_file);
    assert_eq!(seen.borrow().last().map(|p| p.read), Some(4));
    let rejected = dir.path().join("afviste.csv");
    app.write_rejected_calls(&rejected).expect("rejected rows");
    let text = std::fs::read_to_string(&rejected).expect("read rejected");
    assert!(text.starts_with("\u{FEFF}\"Linje\";\"Årsag\""), "{text}");
    assert!(text.contains("\"5\";\"Linje 5: phone er ikke et gyldigt telefonnummer.\";\"C-1\""), "{text}");
    let again = app.import_calls(&path, &mapping(), Some("kunde"), true, Language::Danish, &|_| {});
    assert_eq!(again.expect_err("strict").code, "recordings.strict");
}

#[test]
fn pages_filters_and_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = imported(&dir);
    let all = CallListQuery::default();
    let page = app.call_page(&all, 1, 1).expect("page");
    assert_eq!((page.total, page.offset, page.calls.len()), (3, 1, 1));
    assert_eq!(page.calls[0].call_id, "A-2");
    assert_eq!(page.calls[0].flag.as_deref(), Some("recordings.flag.not_active"));
    let search = CallListQuery { search: "33123456".to_owned(), ..CallListQuery::default() };
    assert_eq!(app.call_page(&search, 0, 100).expect("search").total, 2);
    let reference = CallListQuery { search: "K-20".to_owned(), ..CallListQuery::default() };
    assert_eq!(app.call_page(&reference, 0, 100).expect("reference").calls[0].call_id, "B-1");
    let due = CallListQuery { due: true, ..CallListQuery::default() };
    assert_eq!(app.call_page(&due, 0, 100).expect("due").total, 2);
    let flagged = CallListQuery { flagged: true, ..CallListQuery::default() };
    assert_eq!(app.call_page(&flagged, 0, 100).expect("flagged").total, 2, "B-1 has no consent either");
    let status = app.recordings_status().expect("status");
    assert_eq!((status.calls, status.due, status.flagged, status.policies), (3, 2, 2, 1));
}

#[test]
fn the_sweep_deletes_what_is_due_and_its_audio_under_the_folder_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = imported(&dir);
    let audio = dir.path().join("lyd");
    std::fs::create_dir(&audio).expect("audio dir");
    std::fs::write(audio.join("a-1.wav"), b"RIFF").expect("audio");
    std::fs::write(audio.join("b-1.wav"), b"RIFF").expect("audio");
    app.set_audio_folder(Some(&audio)).expect("audio folder");
    let seen = std::cell::Cell::new(0);
    let summary = app.sweep_recordings(&|n| seen.set(n)).expect("sweep");
    assert_eq!((summary.marked, summary.audio_deleted, summary.audio_missing, summary.audio_external), (2, 1, 0, 0));
    assert_eq!(seen.get(), 2);
    assert!(!audio.join("a-1.wav").exists());
    assert!(audio.join("b-1.wav").exists(), "not due");
    let deleted = CallListQuery { status: StatusFilter::Deleted, ..CallListQuery::default() };
    let page = app.call_page(&deleted, 0, 100).expect("deleted");
    assert_eq!(page.total, 2);
    assert!(page.calls.iter().all(|c| c.phone.is_empty() && c.customer_ref.is_none() && c.deleted.is_some()));
    assert_eq!(app.recordings_status().expect("status").due, 0);
}

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_withdrawal_deletes_the_calls_and_its_receipt_prints_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = imported(&dir);
    let form = WithdrawalForm {
        subject: "33 12 34 56".to_owned(),
        channel: WithdrawalChannel::Email,
        withdrawn_at: None,
        all_calls: false,
    };
    let summary = app.withdraw_consent(form.clone()).expect("withdraw");
    assert_eq!(summary.deleted, 2);
    assert_eq!(summary.audio_external, 1, "no audio folder: the phone system deletes it");
    let id = summary.receipt.expect("receipt");
    assert_eq!(app.deletion_receipts().expect("receipts"), std::slice::from_ref(&id));
    assert_eq!(app.withdraw_consent(form).expect_err("nothing left").code, "recordings.no_calls");
    let pdf = dir.path().join("kvittering.pdf");
    let pages = app.write_deletion_receipt(&id, Language::Danish, &pdf).expect("receipt pdf");
    assert!(pages >= 1);
    let text = pdf_text(&pdf);
    assert!(text.contains(&id) && text.contains("A-1") && text.contains("A-2"), "{text}");
    assert!(!text.contains("33 12 34 56") && !text.contains("+4533123456"), "no phone number on a receipt");
}

#[test]
fn an_access_extract_goes_into_an_empty_folder_with_the_audio() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = imported(&dir);
    let audio = dir.path().join("lyd");
    std::fs::create_dir(&audio).expect("audio dir");
    std::fs::write(audio.join("b-1.wav"), b"RIFF").expect("audio");
    app.set_audio_folder(Some(&audio)).expect("audio folder");
    let out = dir.path().join("indsigt");
    std::fs::create_dir(&out).expect("out dir");
    std::fs::write(out.join("other.txt"), b"x").expect("other");
    let refused = app.write_access_extract("K-20", Language::Danish, &out).expect_err("not empty");
    assert_eq!(refused.code, "out_dir_not_empty");
    std::fs::remove_file(out.join("other.txt")).expect("remove");
    let summary = app.write_access_extract("K-20", Language::Danish, &out).expect("access");
    assert_eq!((summary.calls, summary.copied), (1, 1));
    assert!(Path::new(&summary.pdf).exists());
    assert!(pdf_text(Path::new(&summary.pdf)).contains("B-1"));
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 2, "the PDF and the audio copy");
    assert_eq!(
        app.write_access_extract("nobody", Language::Danish, &out).expect_err("none").code,
        "recordings.no_calls"
    );
}
