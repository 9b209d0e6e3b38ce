//! The receipt a person gets when they withdraw consent to recorded calls (or ask for their
//! recordings to be erased): who sends it, the receipt's number, when and how consent was
//! withdrawn, when the register deleted the recordings, and a table of the calls deleted with
//! what became of each audio file. It names no phone number, customer reference or agent —
//! the register no longer has them — only what documents the deletion (Art. 5(2)).
//!
//! Where the audio lives in the phone system rather than in the audio folder, the register
//! cannot delete it itself; the receipt says so, and that the organisation deletes it there.

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table};
use crate::phrases::Words;
use ropa_core::processing_register::RegisterContent;
use ropa_core::recordings::{AudioOutcome, DeletionReceipt, direction_str};

/// The receipt as a document.
pub fn document(content: &RegisterContent, receipt: &DeletionReceipt, meta: &ReportMeta) -> Document {
    let w = Words::new(meta.language);
    let organisation = &content.organisation;
    let country = organisation.country;
    let name = organisation.name.trim().to_owned();

    let mut about = vec![
        (w.t("report.receipt.number"), receipt.id.clone()),
        (w.t("report.receipt.withdrawn_at"), w.time(receipt.withdrawn_at, country)),
        (w.t("report.receipt.channel_label"), w.t(&format!("report.receipt.channel.{}", receipt.channel.as_str()))),
        (w.t("report.receipt.recorded_at"), w.time(receipt.recorded_at, country)),
        (
            w.t("report.receipt.count_label"),
            w.tp("report.receipt.count", &[("count", receipt.calls.len().to_string())]),
        ),
    ];
    about.extend(w.about(meta).into_iter().take(1));
    about.push((w.t("report.breach.times_label"), w.zone_note(country)));

    let mut blocks = vec![
        Block::Title { text: w.t("report.receipt.title"), subtitle: w.t("report.receipt.subtitle") },
        Block::heading(2, w.t("report.receipt.sender")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.receipt.heading")),
        Block::KeyValues(about),
        Block::heading(2, w.t("report.receipt.calls")),
    ];
    if receipt.calls.is_empty() {
        blocks.push(Block::muted(w.t("report.receipt.no_calls")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.receipt.column.call"), 0.65).bold(),
                Column::new(w.t("report.receipt.column.time"), 1.3),
                Column::new(w.t("report.receipt.column.direction"), 0.75),
                Column::new(w.t("report.receipt.column.policy"), 1.2),
                Column::new(w.t("report.receipt.column.reason"), 1.1),
                Column::new(w.t("report.receipt.column.audio"), 1.3),
            ],
            rows: receipt
                .calls
                .iter()
                .map(|call| {
                    let reason = w.t(&format!("report.receipt.reason.{}", call.reason.as_str()));
                    vec![
                        call.call_id.clone(),
                        w.time(call.start, country),
                        w.t(&format!("recordings.direction.{}", direction_str(call.direction))),
                        crate::phrases::or_nothing(&call.policy_name),
                        reason,
                        w.t(&format!("report.receipt.audio.{}", audio_id(call.audio))),
                    ]
                })
                .collect(),
        }));
        if receipt.calls.iter().any(|c| c.audio == Some(AudioOutcome::External)) {
            blocks.push(Block::muted(w.tp("report.receipt.external_note", &[("name", name.clone())])));
        }
    }
    blocks.push(Block::heading(2, w.t("report.receipt.kept_heading")));
    blocks.push(Block::paragraph(w.tp("report.receipt.kept", &[("name", name.clone())])));

    Document {
        title: w.t("report.receipt.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.receipt.pdf_subject", &[("id", receipt.id.clone()), ("name", name)]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

/// The catalog id of what became of a call's audio; `none` when it had no recording reference.
fn audio_id(audio: Option<AudioOutcome>) -> &'static str {
    audio.map_or("none", AudioOutcome::as_str)
}
