//! The processors overview (Art. 28): at the top what a DPO must act on at the report's date —
//! processors without a signed agreement (and the activities using them), agreements ending
//! within 60 days, supervisions due or overdue, all from
//! [`ropa_core::register_deadlines::processor_deadlines`] — and a table of every processor; then
//! per processor its details, the activities and data categories it serves by name, the current
//! agreement with the Art. 28(3) checklist and the signed document's name, size and SHA-256
//! (never its content), earlier versions, the sub-processor chain with countries and transfer
//! mechanisms, and the supervisions with the next one due.

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table};
use crate::phrases::{Words, or_nothing};
use crate::record_of_processing::Lookup;
use ropa_core::deadlines::DeadlineStatus;
use ropa_core::processing_register::RegisterContent;
use ropa_core::processor_agreements::{
    Agreement, AgreementDocument, BusinessIdScheme, DEFAULT_SUPERVISION_MONTHS, Processor, SubProcessor,
    SupervisionMethod,
};
use ropa_core::register_deadlines::{ProcessorDeadline, ProcessorDeadlineKind, processor_deadlines};
use ropa_core::validation::CountryLists;
use ropa_core::vocab::{Language, TransferMechanism};

/// The processors overview as a document.
pub fn document(
    content: &RegisterContent,
    processors: &[Processor],
    lists: &CountryLists,
    meta: &ReportMeta,
) -> Document {
    let w = Words::new(meta.language);
    let organisation = &content.organisation;
    let lookup = Lookup::new(content);
    let today = meta.generated_at.date_naive();
    let deadlines = processor_deadlines(content, processors, meta.generated_at.to_utc());

    let mut blocks = vec![
        Block::Title { text: w.t("report.processors.title"), subtitle: w.t("report.processors.subtitle") },
        Block::heading(2, w.t("report.processors.organisation")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.about.heading")),
        Block::KeyValues({
            let mut rows = w.about(meta);
            rows.push((
                w.t("report.processors.count_label"),
                w.tp("report.processors.count", &[("count", processors.len().to_string())]),
            ));
            rows.push((
                w.t("report.processors.country_lists_label"),
                w.tp(
                    "report.processors.country_lists",
                    &[("eea", w.date(lists.eea.as_of)), ("adequacy", w.date(lists.adequacy.as_of))],
                ),
            ));
            rows
        }),
        Block::heading(2, w.tp("report.processors.status_heading", &[("date", w.date(today))])),
        Block::KeyValues(status(&w, content, &deadlines)),
        Block::heading(2, w.t("report.processors.summary")),
    ];
    if processors.is_empty() {
        blocks.push(Block::muted(w.t("report.processors.none")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.number"), 0.45),
                Column::new(w.t("report.column.processor"), 2.0).bold(),
                Column::new(w.t("report.column.country"), 0.6),
                Column::new(w.t("report.column.agreement"), 1.8),
                Column::new(w.t("report.column.next_supervision"), 1.3),
            ],
            rows: processors
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    vec![
                        (i + 1).to_string(),
                        or_nothing(&p.name),
                        or_nothing(&p.country),
                        agreement_cell(&w, p.current_agreement()),
                        match p.next_supervision_due() {
                            Some(_) => next_supervision(&w, deadlines_of(&deadlines, p), p),
                            None => w.t("report.processors.not_stated"),
                        },
                    ]
                })
                .collect(),
        }));
    }

    for (i, p) in processors.iter().enumerate() {
        blocks.extend(processor_blocks(&w, lists, content, &lookup, &deadlines, i + 1, p));
    }

    Document {
        title: w.t("report.processors.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.processors.pdf_subject", &[("name", organisation.name.clone())]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

/// The three things to act on, one row each; "Ingen" when there is nothing.
fn status(w: &Words, content: &RegisterContent, deadlines: &[ProcessorDeadline]) -> Vec<(String, String)> {
    let of = |kind: ProcessorDeadlineKind| deadlines.iter().filter(move |d| d.kind == kind);
    let activity_name = |id: &str| {
        content.activities.iter().find(|a| a.id == id).map(|a| or_nothing(&a.name)).unwrap_or_else(|| id.to_owned())
    };
    let unsigned: Vec<String> = of(ProcessorDeadlineKind::NoSignedAgreement)
        .map(|d| {
            let used_by: Vec<String> = of(ProcessorDeadlineKind::ActivityWithoutAgreement)
                .filter(|a| a.processor_id == d.processor_id)
                .filter_map(|a| a.activity_id.as_deref().map(activity_name))
                .collect();
            if used_by.is_empty() {
                or_nothing(&d.processor_name)
            } else {
                w.tp(
                    "report.processors.status.used_by",
                    &[("name", or_nothing(&d.processor_name)), ("activities", w.list(&used_by))],
                )
            }
        })
        .collect();
    let dated = |kind, due_key: &str, past_key: &str| -> Vec<String> {
        of(kind)
            .map(|d| {
                let key = if d.status == DeadlineStatus::Overdue { past_key } else { due_key };
                let when = w.tp(key, &[("date", w.date_or_nothing(d.due))]);
                format!("{} – {when}", or_nothing(&d.processor_name))
            })
            .collect()
    };
    let expiring = dated(
        ProcessorDeadlineKind::AgreementExpiry,
        "report.processors.status.expires_on",
        "report.processors.status.expired_on",
    );
    let supervision = dated(
        ProcessorDeadlineKind::Supervision,
        "report.processors.status.due_on",
        "report.processors.status.overdue_since",
    );
    let lines = |items: Vec<String>| {
        if items.is_empty() { w.t("report.processors.status.none") } else { items.join("\n") }
    };
    vec![
        (w.t("report.processors.status.unsigned"), lines(unsigned)),
        (w.t("report.processors.status.expiring"), lines(expiring)),
        (w.t("report.processors.status.supervision"), lines(supervision)),
    ]
}

/// "2.1 (underskrevet 1. marts 2026)", or "Ikke underskrevet".
fn agreement_cell(w: &Words, agreement: Option<&Agreement>) -> String {
    match agreement {
        None => w.t("report.processors.agreement.missing"),
        Some(a) => match a.signed_on {
            Some(signed) => w.tp(
                "report.processors.agreement.signed_version",
                &[("version", or_nothing(&a.version)), ("date", w.date(signed))],
            ),
            None => w.tp("report.processors.agreement.unsigned_version", &[("version", or_nothing(&a.version))]),
        },
    }
}

fn processor_blocks(
    w: &Words,
    lists: &CountryLists,
    content: &RegisterContent,
    lookup: &Lookup<'_>,
    deadlines: &[ProcessorDeadline],
    number: usize,
    p: &Processor,
) -> Vec<Block> {
    let mut blocks = vec![Block::Heading {
        level: 1,
        text: w.tp("report.processors.heading", &[("number", number.to_string()), ("name", or_nothing(&p.name))]),
        bookmark: true,
        new_page: true,
    }];
    let (id_label, id_value) = match &p.business_id {
        Some(id) => (business_id_label(w, id.scheme), or_nothing(&id.value)),
        None => (w.business_id_label(&p.country), w.t("report.processors.not_stated")),
    };
    let activities: Vec<String> = p
        .activities
        .iter()
        .map(|id| content.activities.iter().find(|a| &a.id == id).map(|a| or_nothing(&a.name)).unwrap_or(id.clone()))
        .collect();
    let categories: Vec<String> = lookup
        .in_catalog_order(p.data_categories.iter().map(String::as_str).collect())
        .iter()
        .map(|id| lookup.data_name(id))
        .collect();
    blocks.push(Block::KeyValues(vec![
        (w.t("report.organisation.name"), or_nothing(&p.name)),
        (id_label, id_value),
        (w.t("report.organisation.country"), or_nothing(&p.country)),
        (w.t("report.column.mechanism"), mechanism(w, lists, &p.country, p.mechanism, p.dpf_certified)),
        (w.t("report.organisation.contact"), w.contact(&p.contact)),
        (w.t("report.processors.services"), lines_or(w, &p.services)),
        (w.t("report.column.activities"), lines_or(w, &activities)),
        (w.t("report.processors.data_categories"), lines_or(w, &categories)),
    ]));

    blocks.push(Block::heading(2, w.t("report.processors.agreement.heading")));
    match p.current_agreement() {
        None => blocks.push(Block::muted(w.t("report.processors.agreement.none"))),
        Some(a) => {
            let expiry = deadlines
                .iter()
                .find(|d| d.processor_id == p.id && d.kind == ProcessorDeadlineKind::AgreementExpiry)
                .map(|d| d.status);
            let expires = match (a.expires_on, expiry) {
                (None, _) => w.t("report.processors.agreement.until_terminated"),
                (Some(date), Some(DeadlineStatus::Overdue)) => {
                    w.tp("report.processors.agreement.expired", &[("date", w.date(date))])
                }
                (Some(date), Some(_)) => w.tp("report.processors.agreement.expires_soon", &[("date", w.date(date))]),
                (Some(date), None) => w.date(date),
            };
            blocks.push(Block::KeyValues(vec![
                (w.t("report.processors.agreement.version"), or_nothing(&a.version)),
                (
                    w.t("report.processors.agreement.signed_on"),
                    a.signed_on.map(|d| w.date(d)).unwrap_or_else(|| w.t("report.processors.agreement.not_signed")),
                ),
                (w.t("report.processors.agreement.expires_on"), expires),
                (w.t("report.processors.agreement.term"), or_nothing(&a.term)),
                (w.t("report.processors.agreement.document"), document_text(w, a.document.as_ref())),
            ]));
            let covered = a.checklist.points().iter().filter(|(_, _, point)| point.covered).count();
            blocks.push(Block::heading(3, w.t("report.processors.checklist.heading")));
            blocks.push(Block::muted(w.tp("report.processors.checklist.summary", &[("covered", covered.to_string())])));
            blocks.push(Block::Table(Table {
                columns: vec![
                    Column::new(w.t("report.column.point"), 0.45),
                    Column::new(w.t("report.column.requirement"), 2.9).bold(),
                    Column::new(w.t("report.column.covered"), 0.9),
                    Column::new(w.t("report.column.note"), 1.6),
                ],
                rows: a
                    .checklist
                    .points()
                    .iter()
                    .map(|(letter, field, point)| {
                        vec![
                            format!("{letter})"),
                            w.t(&format!("report.processors.checklist.{field}")),
                            w.t(if point.covered {
                                "report.processors.checklist.yes"
                            } else {
                                "report.processors.checklist.no"
                            }),
                            or_nothing(&point.note),
                        ]
                    })
                    .collect(),
            }));
        }
    }
    let earlier: Vec<&Agreement> = p.agreements.iter().filter(|a| !a.current).collect();
    if !earlier.is_empty() {
        blocks.push(Block::heading(3, w.t("report.processors.earlier.heading")));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.version"), 0.8).bold(),
                Column::new(w.t("report.column.signed"), 1.2),
                Column::new(w.t("report.column.expires"), 1.2),
                Column::new(w.t("report.column.document"), 2.3),
            ],
            rows: earlier
                .iter()
                .map(|a| {
                    vec![
                        or_nothing(&a.version),
                        a.signed_on.map(|d| w.date(d)).unwrap_or_else(|| w.t("report.processors.agreement.not_signed")),
                        w.date_or_nothing(a.expires_on),
                        document_text(w, a.document.as_ref()),
                    ]
                })
                .collect(),
        }));
    }

    blocks.push(Block::heading(2, w.t("report.processors.sub.heading")));
    if p.sub_processors.is_empty() {
        blocks.push(Block::muted(w.t("report.processors.sub.none")));
    } else {
        let mut rows = Vec::new();
        sub_rows(w, lists, &p.sub_processors, "", 0, &mut rows);
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.number"), 0.55),
                Column::new(w.t("report.column.sub_processor"), 1.9).bold(),
                Column::new(w.t("report.column.country"), 0.55),
                Column::new(w.t("report.processors.services"), 1.3),
                Column::new(w.t("report.column.mechanism"), 1.7),
            ],
            rows,
        }));
    }

    blocks.push(Block::heading(2, w.t("report.processors.supervision.heading")));
    let months = p.supervision_interval_months.unwrap_or(DEFAULT_SUPERVISION_MONTHS);
    let period = w.tp("report.period.months", &[("count", months.to_string())]);
    let interval = if p.supervision_interval_months.is_some() {
        period
    } else {
        w.tp("report.processors.supervision.interval_default", &[("period", period)])
    };
    let next = next_supervision(w, deadlines_of(deadlines, p), p);
    let last = match p.last_supervision() {
        Some(s) => format!("{} – {}", w.date(s.done_on), w.vocab("supervision_method", method_id(s.method))),
        None => w.t("report.processors.supervision.none"),
    };
    blocks.push(Block::KeyValues(vec![
        (w.t("report.processors.supervision.interval"), interval),
        (w.t("report.processors.supervision.last"), last),
        (w.t("report.column.next_supervision"), next),
    ]));
    if !p.supervisions.is_empty() {
        let mut done: Vec<_> = p.supervisions.iter().collect();
        done.sort_by_key(|s| std::cmp::Reverse(s.done_on));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.date"), 1.0).bold(),
                Column::new(w.t("report.column.method"), 1.4),
                Column::new(w.t("report.column.findings"), 1.8),
                Column::new(w.t("report.column.audit_report"), 1.4),
                Column::new(w.t("report.column.next_set"), 1.0),
            ],
            rows: done
                .iter()
                .map(|s| {
                    vec![
                        w.date(s.done_on),
                        w.vocab("supervision_method", method_id(s.method)),
                        or_nothing(&s.findings),
                        report_text(w, s.report.as_ref()),
                        w.date_or_nothing(s.next_due),
                    ]
                })
                .collect(),
        }));
    }
    blocks
}

fn deadlines_of<'d>(deadlines: &'d [ProcessorDeadline], p: &Processor) -> Vec<&'d ProcessorDeadline> {
    deadlines.iter().filter(|d| d.processor_id == p.id).collect()
}

/// The next supervision's date, marked when it is due soon or overdue.
fn next_supervision(w: &Words, deadlines: Vec<&ProcessorDeadline>, p: &Processor) -> String {
    let status = deadlines.iter().find(|d| d.kind == ProcessorDeadlineKind::Supervision).map(|d| d.status);
    match (p.next_supervision_due(), status) {
        (None, _) => w.t("report.processors.supervision.next_unknown"),
        (Some(date), Some(DeadlineStatus::Overdue)) => {
            w.tp("report.processors.supervision.overdue", &[("date", w.date(date))])
        }
        (Some(date), Some(_)) => w.tp("report.processors.supervision.due_soon", &[("date", w.date(date))]),
        (Some(date), None) => w.date(date),
    }
}

/// The sub-processors depth first, numbered "1", "1.1", "1.1.1" with a mark per level below
/// the first, so the chain reads as a tree.
fn sub_rows(
    w: &Words,
    lists: &CountryLists,
    subs: &[SubProcessor],
    prefix: &str,
    depth: usize,
    rows: &mut Vec<Vec<String>>,
) {
    for (i, s) in subs.iter().enumerate() {
        let number = if prefix.is_empty() { (i + 1).to_string() } else { format!("{prefix}.{}", i + 1) };
        let name =
            if depth == 0 { or_nothing(&s.name) } else { format!("{} {}", "↳".repeat(depth), or_nothing(&s.name)) };
        rows.push(vec![
            number.clone(),
            name,
            or_nothing(&s.country),
            lines_or(w, &s.services),
            mechanism(w, lists, &s.country, s.mechanism, s.dpf_certified),
        ]);
        sub_rows(w, lists, &s.sub_processors, &number, depth + 1, rows);
    }
}

/// Whether `country` is in the EEA by the list in effect.
pub(crate) fn in_eea(lists: &CountryLists, country: &str) -> bool {
    lists.eea.contains(&country.trim().to_ascii_uppercase())
}

/// The ground for data in `country`: within the EEA, an adequacy decision, the mechanism given
/// (with the DPF certification), or "not stated" for a third country without one.
pub(crate) fn mechanism(
    w: &Words,
    lists: &CountryLists,
    country: &str,
    mechanism: Option<TransferMechanism>,
    dpf_certified: Option<bool>,
) -> String {
    let code = country.trim().to_ascii_uppercase();
    if code.is_empty() {
        return w.t("report.processors.not_stated");
    }
    if in_eea(lists, &code) {
        return w.t("report.processors.in_eea");
    }
    let mut lines = vec![match mechanism {
        Some(m) => w.vocab("transfer_mechanism", m.id()),
        None if lists.adequacy.contains(&code) => w.vocab("transfer_mechanism", TransferMechanism::Adequacy.id()),
        None => w.t("report.processors.mechanism_missing"),
    }];
    match dpf_certified {
        Some(true) => lines.push(w.t("report.transfer.dpf_certified")),
        Some(false) => lines.push(w.t("report.transfer.dpf_not_certified")),
        None => {}
    }
    lines.join("\n")
}

fn business_id_label(w: &Words, scheme: BusinessIdScheme) -> String {
    match scheme {
        BusinessIdScheme::Cvr => w.t("report.business_id.DK"),
        BusinessIdScheme::Orgnr => w.t("report.business_id.NO"),
        BusinessIdScheme::Foreign => w.t("report.business_id.other"),
    }
}

/// The document's name, type and size, and its SHA-256 on a line of its own.
fn document_text(w: &Words, document: Option<&AgreementDocument>) -> String {
    match document {
        None => w.t("report.processors.agreement.no_document"),
        Some(d) => format!(
            "{} ({}, {})\nSHA-256: {}",
            or_nothing(&d.file_name),
            d.kind.id().to_ascii_uppercase(),
            size(w.language, d.size),
            d.sha256
        ),
    }
}

/// An audit report by its name and the start of its SHA-256 (the whole hash is in the
/// register and the interchange), or "none attached".
fn report_text(w: &Words, report: Option<&AgreementDocument>) -> String {
    match report {
        None => w.t("report.processors.supervision.no_report"),
        Some(d) => format!("{}\nSHA-256: {}…", or_nothing(&d.file_name), d.sha256.get(..12).unwrap_or(&d.sha256)),
    }
}

/// "2,9 MB" (decimal comma in Danish and Norwegian), "512 byte" under a kilobyte.
fn size(language: Language, bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    let text = if language == Language::English { text } else { text.replace('.', ",") };
    format!("{text} {}", UNITS[unit])
}

fn method_id(method: SupervisionMethod) -> &'static str {
    match method {
        SupervisionMethod::Isae3000 => "isae3000",
        SupervisionMethod::Isae3402 => "isae3402",
        SupervisionMethod::Soc2 => "soc2",
        SupervisionMethod::Questionnaire => "questionnaire",
        SupervisionMethod::OnSite => "on-site",
    }
}

fn lines_or(w: &Words, items: &[String]) -> String {
    let items: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if items.is_empty() { w.t("report.processors.not_stated") } else { items.join("\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_short_with_the_languages_decimal_mark() {
        assert_eq!(size(Language::Danish, 512), "512 B");
        assert_eq!(size(Language::Danish, 3_000_009), "2,9 MB");
        assert_eq!(size(Language::English, 3_000_009), "2.9 MB");
        assert_eq!(size(Language::NorwegianBokmal, 1536), "1,5 KB");
    }
}
