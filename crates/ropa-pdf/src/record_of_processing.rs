//! The record of processing activities as controller (Art. 30(1)): the organisation, a summary
//! table, then every activity in which the organisation is controller or joint controller with
//! every field of Art. 30(1)(b)–(g) — purposes, legal bases with their justification, data
//! subjects and data categories with their links to recipients, transfers, retention rules in
//! words, security measures, Art. 22 and the DPIA. Activities as processor belong to the
//! Art. 30(2) record ([`crate::processor_record`]).

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table, TextStyle};
use crate::phrases::{NOTHING, Words, or_nothing};
use crate::processors_overview;
use ropa_core::processing_register::{Activity, DataCategory, RegisterContent, Role};
use ropa_core::processor_agreements::{Processor, SubProcessor};
use ropa_core::validation::CountryLists;
use ropa_core::vocab::DataKind;
use std::collections::HashMap;

/// The register as a document.
pub fn document(
    content: &RegisterContent,
    processors: &[Processor],
    lists: &CountryLists,
    meta: &ReportMeta,
) -> Document {
    let w = Words::new(meta.language);
    let organisation = &content.organisation;
    let activities: Vec<&Activity> =
        content.activities.iter().filter(|a| !matches!(a.role, Role::Processor { .. })).collect();
    let as_processor = content.activities.len() - activities.len();
    let lookup = Lookup::new(content);

    let mut blocks = vec![
        Block::Title { text: w.t("report.register.title"), subtitle: w.t("report.register.subtitle") },
        Block::heading(2, w.t("report.register.organisation")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.about.heading")),
        Block::KeyValues({
            let mut rows = w.about(meta);
            rows.push((
                w.t("report.register.activity_count_label"),
                w.tp("report.register.activity_count", &[("count", activities.len().to_string())]),
            ));
            rows
        }),
    ];
    if as_processor > 0 {
        blocks.push(Block::muted(w.tp("report.register.processor_note", &[("count", as_processor.to_string())])));
    }
    blocks.push(Block::heading(2, w.t("report.register.general_security")));
    blocks.push(text_or_muted(&w, &organisation.security_measures, "report.not_described"));

    blocks.push(Block::heading(2, w.t("report.register.summary")));
    if activities.is_empty() {
        blocks.push(Block::muted(w.t("report.register.no_activities")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.number"), 0.45),
                Column::new(w.t("report.column.activity"), 2.6).bold(),
                Column::new(w.t("report.column.role"), 1.3),
                Column::new(w.t("report.column.status"), 0.9),
                Column::new(w.t("report.column.legal_bases"), 1.8),
                Column::new(w.t("report.column.next_review"), 1.1),
            ],
            rows: activities
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    vec![
                        (i + 1).to_string(),
                        or_nothing(&a.name),
                        w.vocab("role", a.role.id()),
                        w.vocab("status", a.status.id()),
                        lines_or_nothing(a.legal_bases.iter().map(|b| w.vocab("article", b.article.id())).collect()),
                        w.date_or_nothing(a.review.due()),
                    ]
                })
                .collect(),
        }));
    }

    for (i, activity) in activities.iter().enumerate() {
        blocks.extend(activity_blocks(&w, &lookup, processors, lists, i + 1, activity));
    }

    Document {
        title: w.t("report.register.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.register.pdf_subject", &[("name", organisation.name.clone())]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

/// The register's catalogs by id, with each entry's place in its catalog.
pub(crate) struct Lookup<'c> {
    data: HashMap<&'c str, &'c DataCategory>,
    subjects: HashMap<&'c str, &'c ropa_core::processing_register::SubjectCategory>,
    recipients: HashMap<&'c str, &'c ropa_core::processing_register::Recipient>,
    order: HashMap<&'c str, usize>,
}

impl<'c> Lookup<'c> {
    pub(crate) fn new(content: &'c RegisterContent) -> Self {
        let mut order = HashMap::new();
        let ids = content
            .data_categories
            .iter()
            .map(|c| c.id.as_str())
            .chain(content.subject_categories.iter().map(|c| c.id.as_str()))
            .chain(content.recipients.iter().map(|r| r.id.as_str()));
        for (i, id) in ids.enumerate() {
            order.entry(id).or_insert(i);
        }
        Lookup {
            data: content.data_categories.iter().map(|c| (c.id.as_str(), c)).collect(),
            subjects: content.subject_categories.iter().map(|c| (c.id.as_str(), c)).collect(),
            recipients: content.recipients.iter().map(|r| (r.id.as_str(), r)).collect(),
            order,
        }
    }

    /// Ids in the order of the register's catalogs (the order the user keeps them in), unknown
    /// ids last.
    pub(crate) fn in_catalog_order<'i>(&self, mut ids: Vec<&'i str>) -> Vec<&'i str> {
        ids.sort_by_key(|id| self.order.get(id).copied().unwrap_or(usize::MAX));
        ids
    }

    /// A data category of the register's catalog.
    pub(crate) fn data(&self, id: &str) -> Option<&'c DataCategory> {
        self.data.get(id).copied()
    }

    /// A data category's name, or its id when the register does not know it.
    pub(crate) fn data_name(&self, id: &str) -> String {
        self.data.get(id).map(|c| c.name.clone()).unwrap_or_else(|| id.to_owned())
    }

    pub(crate) fn subject_name(&self, w: &Words, id: &str) -> String {
        match self.subjects.get(id) {
            Some(s) if s.vulnerable => w.tp("report.subjects.vulnerable", &[("name", s.name.clone())]),
            Some(s) => s.name.clone(),
            None => id.to_owned(),
        }
    }

    pub(crate) fn recipient_name(&self, id: &str) -> String {
        self.recipients.get(id).map(|r| r.name.clone()).unwrap_or_else(|| id.to_owned())
    }
}

fn activity_blocks(
    w: &Words,
    lookup: &Lookup<'_>,
    processors: &[Processor],
    lists: &CountryLists,
    number: usize,
    a: &Activity,
) -> Vec<Block> {
    let mut blocks = vec![Block::Heading {
        level: 1,
        text: w.tp("report.activity.heading", &[("number", number.to_string()), ("name", or_nothing(&a.name))]),
        bookmark: true,
        new_page: true,
    }];
    blocks.push(Block::KeyValues(vec![
        (w.t("report.activity.status"), w.vocab("status", a.status.id())),
        (w.t("report.activity.role"), w.vocab("role", a.role.id())),
        (w.t("report.activity.owner"), or_nothing(&a.owner)),
        (w.t("report.activity.description"), or_nothing(&a.description)),
    ]));

    blocks.push(Block::heading(2, w.t("report.activity.purposes")));
    blocks.push(bullets_or_muted(w, &a.purposes, "report.not_stated"));

    if let Role::JointController { parties } = &a.role {
        blocks.push(Block::heading(2, w.t("report.activity.joint_controllers")));
        if parties.is_empty() {
            blocks.push(Block::muted(w.t("report.not_stated")));
        } else {
            blocks.push(Block::Table(Table {
                columns: vec![
                    Column::new(w.t("report.column.name"), 1.4).bold(),
                    Column::new(w.t("report.column.business_id"), 0.9),
                    Column::new(w.t("report.column.contact"), 1.5),
                    Column::new(w.t("report.column.responsibilities"), 2.2),
                ],
                rows: parties
                    .iter()
                    .map(|p| {
                        vec![
                            or_nothing(&p.name),
                            or_nothing(&p.business_id),
                            w.contact(&p.contact),
                            or_nothing(&p.responsibilities),
                        ]
                    })
                    .collect(),
            }));
        }
    }

    blocks.extend(legal_bases(w, a));
    blocks.extend(categories(w, lookup, a));
    blocks.extend(recipients(w, lookup, a));
    if !processors.is_empty() {
        blocks.extend(activity_processors(w, processors, lists, a));
    }
    blocks.extend(sources(w, a));
    blocks.extend(transfers(w, lookup, &a.transfers, "report.activity.transfers"));
    blocks.extend(retention(w, lookup, a));
    blocks.extend(security(w, a, "report.activity.security"));

    blocks.push(Block::heading(2, w.t("report.activity.automated_decision")));
    blocks.push(match a.automated_decision.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Block::paragraph(text),
        _ => Block::muted(w.t("report.activity.no_automated_decision")),
    });

    blocks.push(Block::heading(2, w.t("report.activity.dpia")));
    let mut dpia = vec![(w.t("report.dpia.status"), w.vocab("dpia_status", a.dpia.status.id()))];
    dpia.push((
        w.t("report.dpia.triggers"),
        lines_or_nothing(a.dpia.triggers.iter().map(|t| w.vocab("dpia_trigger", t.id())).collect()),
    ));
    if a.dpia.done_on.is_some() || !a.dpia.reference.trim().is_empty() {
        dpia.push((w.t("report.dpia.done_on"), w.date_or_nothing(a.dpia.done_on)));
        dpia.push((w.t("report.dpia.reference"), or_nothing(&a.dpia.reference)));
    }
    blocks.push(Block::KeyValues(dpia));

    blocks.push(Block::heading(2, w.t("report.activity.review")));
    blocks.push(Block::KeyValues(vec![
        (w.t("report.review.last"), w.date_or_nothing(a.review.last_reviewed)),
        (w.t("report.review.next"), w.date_or_nothing(a.review.due())),
    ]));
    blocks
}

fn legal_bases(w: &Words, a: &Activity) -> Vec<Block> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for basis in &a.legal_bases {
        let mut text = vec![or_nothing(&basis.justification)];
        if !basis.law.trim().is_empty() {
            text.push(w.tp("report.legal_basis.law", &[("law", basis.law.trim().to_owned())]));
        }
        if !basis.withdrawal.trim().is_empty() {
            text.push(w.tp("report.legal_basis.withdrawal", &[("text", basis.withdrawal.trim().to_owned())]));
        }
        rows.push(vec![w.vocab("art6", basis.article.id()), text.join("\n")]);
    }
    for condition in &a.special_conditions {
        rows.push(vec![w.vocab("art9", condition.article.id()), or_nothing(&condition.justification)]);
    }
    for national in &a.national_provisions {
        rows.push(vec![w.vocab("provision", national.provision.id()), or_nothing(&national.justification)]);
    }
    let mut blocks = vec![Block::heading(2, w.t("report.activity.legal_bases"))];
    if rows.is_empty() {
        blocks.push(Block::muted(w.t("report.not_stated")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.basis"), 1.45).bold(),
                Column::new(w.t("report.column.justification"), 2.55),
            ],
            rows,
        }));
    }
    blocks
}

/// "Almindelige personoplysninger", or "Særlige kategorier (følsomme oplysninger): Helbred".
pub(crate) fn kind_label(w: &Words, category: &DataCategory) -> String {
    let kind = w.vocab("data_kind", category.kind.id());
    match (category.kind, category.special_category) {
        (DataKind::Special, Some(special)) => {
            format!("{kind}:\n{}", w.vocab("special_category", special.id()))
        }
        _ => kind,
    }
}

fn categories(w: &Words, lookup: &Lookup<'_>, a: &Activity) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t("report.activity.categories"))];
    let data_ids = lookup.in_catalog_order(a.data_category_ids());
    if data_ids.is_empty() && a.data_flows.is_empty() {
        blocks.push(Block::muted(w.t("report.not_stated")));
        return blocks;
    }
    let subjects: Vec<String> =
        lookup.in_catalog_order(a.subject_category_ids()).iter().map(|id| lookup.subject_name(w, id)).collect();
    blocks.push(Block::KeyValues(vec![(w.t("report.activity.subject_categories"), lines_or_nothing(subjects))]));

    let known: Vec<&DataCategory> = data_ids.iter().filter_map(|id| lookup.data.get(id).copied()).collect();
    let with_description = known.iter().any(|c| !c.description.trim().is_empty());
    let mut columns =
        vec![Column::new(w.t("report.column.data_category"), 1.6).bold(), Column::new(w.t("report.column.kind"), 1.6)];
    if with_description {
        columns.push(Column::new(w.t("report.column.description"), 1.8));
    }
    let rows = data_ids
        .iter()
        .map(|id| match lookup.data.get(id) {
            Some(c) => {
                let mut row = vec![or_nothing(&c.name), kind_label(w, c)];
                if with_description {
                    row.push(or_nothing(&c.description));
                }
                row
            }
            None => {
                let mut row = vec![(*id).to_owned(), NOTHING.to_owned()];
                if with_description {
                    row.push(NOTHING.to_owned());
                }
                row
            }
        })
        .collect();
    blocks.push(Block::Table(Table { columns, rows }));

    if !a.data_flows.is_empty() {
        blocks.push(Block::heading(3, w.t("report.activity.flows")));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.data_category"), 1.5).bold(),
                Column::new(w.t("report.column.data_subjects"), 1.2),
                Column::new(w.t("report.column.recipients"), 1.5),
            ],
            rows: a
                .data_flows
                .iter()
                .map(|f| {
                    let recipients: Vec<String> = f.recipients.iter().map(|r| lookup.recipient_name(r)).collect();
                    vec![
                        lookup.data_name(&f.data_category),
                        lookup.subject_name(w, &f.subject_category),
                        if recipients.is_empty() { w.t("report.flow.no_recipients") } else { recipients.join("\n") },
                    ]
                })
                .collect(),
        }));
    }
    blocks
}

fn recipients(w: &Words, lookup: &Lookup<'_>, a: &Activity) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t("report.activity.recipients"))];
    let ids = lookup.in_catalog_order(a.recipient_ids());
    if ids.is_empty() {
        blocks.push(Block::muted(w.t("report.activity.no_recipients")));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.column.recipient"), 2.0).bold(),
            Column::new(w.t("report.column.recipient_kind"), 1.6),
            Column::new(w.t("report.column.country"), 0.6),
        ],
        rows: ids
            .iter()
            .map(|id| match lookup.recipients.get(id) {
                Some(r) => vec![
                    or_nothing(&r.name),
                    w.vocab("recipient_kind", r.kind.id()),
                    r.country.as_deref().map(or_nothing).unwrap_or_else(|| NOTHING.to_owned()),
                ],
                None => vec![(*id).to_owned(), NOTHING.to_owned(), NOTHING.to_owned()],
            })
            .collect(),
    }));
    blocks
}

/// The processors serving the activity (Art. 28), with the ground for their country and their
/// sub-processors anywhere down the chain that process the data outside the EEA. Shown only for
/// a register that has processors.
fn activity_processors(w: &Words, processors: &[Processor], lists: &CountryLists, a: &Activity) -> Vec<Block> {
    let mut blocks = vec![Block::heading(3, w.t("report.activity.processors"))];
    let serving: Vec<&Processor> = processors.iter().filter(|p| p.activities.contains(&a.id)).collect();
    if serving.is_empty() {
        blocks.push(Block::muted(w.t("report.activity.no_processors")));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.column.processor"), 1.5).bold(),
            Column::new(w.t("report.column.country"), 0.6),
            Column::new(w.t("report.column.mechanism"), 1.5),
            Column::new(w.t("report.column.sub_outside_eea"), 1.8),
        ],
        rows: serving
            .iter()
            .map(|p| {
                let mut outside = Vec::new();
                outside_eea(w, lists, &p.sub_processors, &mut outside);
                vec![
                    or_nothing(&p.name),
                    or_nothing(&p.country),
                    processors_overview::mechanism(w, lists, &p.country, p.mechanism, p.dpf_certified),
                    if outside.is_empty() { w.t("report.processors.status.none") } else { outside.join("\n") },
                ]
            })
            .collect(),
    }));
    blocks
}

/// "• CloudCo Inc (US): EU-US Data Privacy Framework (art. 45)" for each sub-processor outside
/// the EEA, anywhere down the chain; a DPF recipient known not to be certified says so.
fn outside_eea(w: &Words, lists: &CountryLists, subs: &[SubProcessor], out: &mut Vec<String>) {
    for s in subs {
        if !processors_overview::in_eea(lists, &s.country) {
            let certified = if s.dpf_certified == Some(false) { Some(false) } else { None };
            let ground =
                processors_overview::mechanism(w, lists, &s.country, s.mechanism, certified).replace('\n', "; ");
            out.push(format!("• {} ({}): {ground}", or_nothing(&s.name), or_nothing(&s.country)));
        }
        outside_eea(w, lists, &s.sub_processors, out);
    }
}

fn sources(w: &Words, a: &Activity) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t("report.activity.sources"))];
    if a.sources.is_empty() {
        blocks.push(Block::muted(w.t("report.activity.no_sources")));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.column.source"), 1.4).bold(),
            Column::new(w.t("report.column.description"), 2.6),
        ],
        rows: a.sources.iter().map(|s| vec![w.vocab("source_kind", s.kind.id()), or_nothing(&s.description)]).collect(),
    }));
    blocks
}

/// Transfers to third countries with their mechanism; shared with the Art. 30(2) record.
pub(crate) fn transfers(
    w: &Words,
    lookup: &Lookup<'_>,
    transfers: &[ropa_core::processing_register::Transfer],
    heading: &str,
) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t(heading))];
    if transfers.is_empty() {
        blocks.push(Block::muted(w.t("report.activity.no_transfers")));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.column.country"), 0.6).bold(),
            Column::new(w.t("report.column.recipient"), 1.3),
            Column::new(w.t("report.column.mechanism"), 1.5),
            Column::new(w.t("report.column.safeguards"), 1.6),
        ],
        rows: transfers
            .iter()
            .map(|t| {
                let mut mechanism = vec![match t.mechanism {
                    Some(m) => w.vocab("transfer_mechanism", m.id()),
                    None => w.t("report.not_stated"),
                }];
                if let Some(derogation) = t.derogation {
                    mechanism.push(w.vocab("art49", derogation.id()));
                }
                match t.dpf_certified {
                    Some(true) => mechanism.push(w.t("report.transfer.dpf_certified")),
                    Some(false) => mechanism.push(w.t("report.transfer.dpf_not_certified")),
                    None => {}
                }
                let mut safeguards = Vec::new();
                if !t.safeguards.trim().is_empty() {
                    safeguards.push(t.safeguards.trim().to_owned());
                }
                safeguards.push(w.t(if t.tia_done {
                    "report.transfer.tia_done"
                } else {
                    "report.transfer.tia_not_done"
                }));
                vec![
                    or_nothing(&t.country),
                    t.recipient.as_deref().map(|r| lookup.recipient_name(r)).unwrap_or_else(|| NOTHING.to_owned()),
                    mechanism.join("\n"),
                    safeguards.join("\n"),
                ]
            })
            .collect(),
    }));
    blocks
}

fn retention(w: &Words, lookup: &Lookup<'_>, a: &Activity) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t("report.activity.retention"))];
    if a.retention.is_empty() {
        blocks.push(Block::muted(w.t("report.not_stated")));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.column.data_categories"), 1.5).bold(),
            Column::new(w.t("report.column.deadline"), 1.5),
            Column::new(w.t("report.column.note"), 1.5),
        ],
        rows: a
            .retention
            .iter()
            .map(|r| {
                let categories = if r.data_categories.is_empty() {
                    w.t("report.retention.all_categories")
                } else {
                    r.data_categories.iter().map(|id| lookup.data_name(id)).collect::<Vec<_>>().join("\n")
                };
                vec![categories, w.retention(r), or_nothing(&r.description)]
            })
            .collect(),
    }));
    blocks
}

/// The activity's own security measures; shared with the Art. 30(2) record.
pub(crate) fn security(w: &Words, a: &Activity, heading: &str) -> Vec<Block> {
    let mut blocks = vec![Block::heading(2, w.t(heading))];
    let measures: Vec<String> = a.security.measures.iter().map(|m| w.vocab("security_measure", m.id())).collect();
    if measures.is_empty() && a.security.notes.trim().is_empty() {
        blocks.push(Block::muted(w.t("report.security.only_general")));
        return blocks;
    }
    if !measures.is_empty() {
        blocks.push(Block::Bullets(measures));
    }
    if !a.security.notes.trim().is_empty() {
        blocks.push(Block::paragraph(a.security.notes.trim()));
    }
    blocks.push(Block::muted(w.t("report.security.general_reference")));
    blocks
}

pub(crate) fn bullets_or_muted(w: &Words, items: &[String], none_key: &str) -> Block {
    let items: Vec<String> = items.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    if items.is_empty() { Block::muted(w.t(none_key)) } else { Block::Bullets(items) }
}

pub(crate) fn text_or_muted(w: &Words, text: &str, none_key: &str) -> Block {
    if text.trim().is_empty() {
        Block::muted(w.t(none_key))
    } else {
        Block::Paragraph { text: text.trim().to_owned(), style: TextStyle::Body }
    }
}

fn lines_or_nothing(items: Vec<String>) -> String {
    if items.is_empty() { NOTHING.to_owned() } else { items.join("\n") }
}
