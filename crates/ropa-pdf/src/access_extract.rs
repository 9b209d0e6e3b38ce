//! The access extract for a person's recorded calls (Art. 15): the organisation, whom the
//! request was for and when the extract was made; then each recording policy the person's calls
//! fall under — purpose, legal basis, how long recordings are kept, the processor that records —
//! and a table of the calls with what the register keeps about each one and what became of its
//! audio copy; last, the person's rights.
//!
//! The policies come once, above the calls, so that an extract of a few hundred calls stays a
//! table of a few pages rather than a page per call. Every value a user typed (policy names,
//! agents, customer references, consent scripts) is shown as it is.

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table};
use crate::phrases::{NOTHING, Words, or_nothing};
use ropa_core::processing_register::{Period, RegisterContent};
use ropa_core::recordings::{
    AccessCall, AccessExtract, AudioCopy, RecordedCall, RecordingBasis, RecordingPolicy, consent_str, direction_str,
};

/// The extract as a document; `audio[i]` is what became of the audio of `extract.calls[i]`.
pub fn document(
    content: &RegisterContent,
    extract: &AccessExtract,
    audio: &[Option<AudioCopy>],
    meta: &ReportMeta,
) -> Document {
    let w = Words::new(meta.language);
    let organisation = &content.organisation;
    let country = organisation.country;
    let name = organisation.name.trim().to_owned();

    let mut about = vec![(w.t("report.access.subject"), or_nothing(&extract.subject))];
    about.extend(w.about(meta).into_iter().take(1));
    about.push((
        w.t("report.access.count_label"),
        w.tp("report.access.count", &[("count", extract.calls.len().to_string())]),
    ));
    about.push((w.t("report.breach.times_label"), w.zone_note(country)));

    let mut blocks = vec![
        Block::Title { text: w.t("report.access.title"), subtitle: w.t("report.access.subtitle") },
        Block::heading(2, w.t("report.access.controller")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.access.request")),
        Block::KeyValues(about),
    ];

    // The policies, in the order their first call comes.
    let mut policies: Vec<&AccessCall> = Vec::new();
    for call in &extract.calls {
        if !policies.iter().any(|p| p.policy.id == call.policy.id) {
            policies.push(call);
        }
    }
    blocks.push(Block::Heading { level: 1, text: w.t("report.access.policies"), bookmark: true, new_page: false });
    blocks.push(Block::muted(w.t("report.access.policies_note")));
    for call in &policies {
        blocks.push(Block::heading(3, or_nothing(&call.policy.name)));
        blocks.push(Block::KeyValues(policy_rows(&w, &call.policy, call.processor_name.as_deref())));
    }

    blocks.push(Block::Heading { level: 1, text: w.t("report.access.calls"), bookmark: true, new_page: false });
    if extract.calls.is_empty() {
        blocks.push(Block::muted(w.t("report.access.no_calls")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.access.column.call"), 1.15),
                Column::new(w.t("report.access.column.person"), 1.3),
                Column::new(w.t("report.access.column.policy"), 1.0),
                Column::new(w.t("report.access.column.consent"), 1.2),
                Column::new(w.t("report.access.column.audio"), 0.95),
            ],
            rows: extract
                .calls
                .iter()
                .enumerate()
                .map(|(i, call)| call_row(&w, country, &call.call, &call.policy, audio.get(i).and_then(Option::as_ref)))
                .collect(),
        }));
        if audio.iter().any(|a| matches!(a, Some(AudioCopy::External))) {
            blocks.push(Block::muted(w.tp("report.access.external_note", &[("name", name.clone())])));
        }
    }

    blocks.push(Block::Heading {
        level: 1,
        text: w.t("report.access.rights_heading"),
        bookmark: true,
        new_page: false,
    });
    blocks.push(Block::Bullets(vec![
        w.t("report.access.rights.withdraw"),
        w.t("report.access.rights.erasure"),
        w.t(&format!("report.access.rights.complaint.{}", country.id())),
    ]));

    Document {
        title: w.t("report.access.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.access.pdf_subject", &[("name", name)]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

/// Why, on what basis, how long and by whom the calls of a policy are recorded.
fn policy_rows(w: &Words, policy: &RecordingPolicy, processor: Option<&str>) -> Vec<(String, String)> {
    let basis = match policy.basis {
        RecordingBasis::Consent => "vocab.art6.6-1-a",
        RecordingBasis::LegitimateInterest => "vocab.art6.6-1-f",
    };
    let period = Period { years: 0, months: policy.retention_months, days: 0 };
    vec![
        (w.t("report.access.purpose_label"), w.t(&format!("report.access.purpose.{}", policy.purpose.as_str()))),
        (w.t("report.access.basis"), w.t(basis)),
        (w.t("report.access.retention"), w.tp("report.access.retention_value", &[("period", w.period(&period))])),
        (w.t("report.access.processor"), processor.map(or_nothing).unwrap_or_else(|| w.t("report.not_stated"))),
    ]
}

fn call_row(
    w: &Words,
    country: ropa_core::vocab::Country,
    call: &RecordedCall,
    policy: &RecordingPolicy,
    audio: Option<&AudioCopy>,
) -> Vec<String> {
    let call_cell = [
        call.call_id.clone(),
        w.time(call.start, country),
        w.t(&format!("recordings.direction.{}", direction_str(call.direction))),
    ]
    .join("\n");
    let mut person = vec![or_nothing(&call.phone)];
    if let Some(reference) = call.customer_ref.as_deref().filter(|r| !r.trim().is_empty()) {
        person.push(w.tp("report.access.customer_ref", &[("ref", reference.trim().to_owned())]));
    }
    if let Some(agent) = call.agent.as_deref().filter(|a| !a.trim().is_empty()) {
        person.push(w.tp("report.access.agent", &[("agent", agent.trim().to_owned())]));
    }
    let policy_cell =
        [or_nothing(&policy.name), w.tp("report.access.delete_by", &[("date", w.date(call.delete_by))])].join("\n");
    let mut consent = Vec::new();
    if let Some(method) = call.consent_method {
        consent.push(w.t(&format!("recordings.consent.{}", consent_str(method))));
    }
    if let Some(at) = call.consent_at {
        consent.push(w.time(at, country));
    }
    if let Some(script) = call.consent_script.as_deref().filter(|s| !s.trim().is_empty()) {
        consent.push(w.tp("report.access.consent_script", &[("script", script.trim().to_owned())]));
    }
    if consent.is_empty() {
        consent.push(NOTHING.to_owned());
    }
    let audio = match (audio, call.recording_ref.as_deref().filter(|r| !r.trim().is_empty())) {
        (Some(AudioCopy::Copied(path)), _) => w.tp(
            "report.access.audio.copied",
            &[("file", path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default())],
        ),
        (Some(AudioCopy::Missing), _) => w.t("report.access.audio.missing"),
        (Some(AudioCopy::External), _) => w.t("report.access.audio.external"),
        (None, None) => w.t("report.access.audio.none"),
        // A reference whose audio was not looked for: it is in the phone system's keeping.
        (None, Some(_)) => w.t("report.access.audio.external"),
    };
    vec![call_cell, person.join("\n"), policy_cell, consent.join("\n"), audio]
}
