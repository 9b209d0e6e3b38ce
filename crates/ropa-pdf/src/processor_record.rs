//! The record of processing activities as processor (Art. 30(2)): the organisation as processor
//! and its DPO (a), then, per controller it acts for, the controller's details (a), the
//! categories of processing carried out for it (b), transfers to third countries (c) and the
//! security measures (d), with the organisation's general description of its measures on the
//! first page.

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table};
use crate::phrases::{Words, or_nothing};
use crate::record_of_processing::{Lookup, bullets_or_muted, security, text_or_muted, transfers};
use ropa_core::processing_register::{Activity, ControllerRef, RegisterContent, Role};

/// The processor record as a document.
pub fn document(content: &RegisterContent, meta: &ReportMeta) -> Document {
    let w = Words::new(meta.language);
    let organisation = &content.organisation;
    let lookup = Lookup::new(content);
    let groups = by_controller(content);

    let mut blocks = vec![
        Block::Title { text: w.t("report.processor.title"), subtitle: w.t("report.processor.subtitle") },
        Block::heading(2, w.t("report.processor.organisation")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.about.heading")),
        Block::KeyValues({
            let mut rows = w.about(meta);
            rows.push((
                w.t("report.processor.controller_count_label"),
                w.tp("report.processor.controller_count", &[("count", groups.len().to_string())]),
            ));
            rows
        }),
        Block::heading(2, w.t("report.processor.general_security")),
        text_or_muted(&w, &organisation.security_measures, "report.not_described"),
        Block::heading(2, w.t("report.processor.summary")),
    ];
    if groups.is_empty() {
        blocks.push(Block::muted(w.t("report.processor.none")));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.column.number"), 0.45),
                Column::new(w.t("report.column.controller"), 2.0).bold(),
                Column::new(w.t("report.column.business_id"), 1.0),
                Column::new(w.t("report.column.activities"), 2.6),
            ],
            rows: groups
                .iter()
                .enumerate()
                .map(|(i, (controller, activities))| {
                    vec![
                        (i + 1).to_string(),
                        or_nothing(&controller.name),
                        or_nothing(&controller.business_id),
                        activities.iter().map(|(a, _)| or_nothing(&a.name)).collect::<Vec<_>>().join("\n"),
                    ]
                })
                .collect(),
        }));
    }

    for (i, (controller, activities)) in groups.iter().enumerate() {
        blocks.push(Block::Heading {
            level: 1,
            text: w.tp(
                "report.processor.controller_heading",
                &[("number", (i + 1).to_string()), ("name", or_nothing(&controller.name))],
            ),
            bookmark: true,
            new_page: true,
        });
        blocks.push(Block::heading(2, w.t("report.processor.controller")));
        blocks.push(Block::KeyValues(vec![
            (w.t("report.organisation.name"), or_nothing(&controller.name)),
            (w.business_id_label(&controller.country), or_nothing(&controller.business_id)),
            (w.t("report.organisation.country"), or_nothing(&controller.country)),
            (w.t("report.organisation.contact"), w.contact(&controller.contact)),
        ]));
        for (activity, processing_categories) in activities {
            blocks.push(Block::heading(2, or_nothing(&activity.name)));
            if !activity.description.trim().is_empty() {
                blocks.push(Block::paragraph(activity.description.trim()));
            }
            blocks.push(Block::heading(3, w.t("report.processor.processing_categories")));
            blocks.push(bullets_or_muted(&w, processing_categories, "report.not_stated"));
            let mut transfer_blocks = transfers(&w, &lookup, &activity.transfers, "report.processor.transfers");
            demote(&mut transfer_blocks);
            blocks.extend(transfer_blocks);
            let mut security_blocks = security(&w, activity, "report.processor.security");
            demote(&mut security_blocks);
            blocks.extend(security_blocks);
        }
    }

    Document {
        title: w.t("report.processor.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.processor.pdf_subject", &[("name", organisation.name.clone())]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

type Group<'c> = (&'c ControllerRef, Vec<(&'c Activity, &'c Vec<String>)>);

/// The activities as processor, grouped per controller (same name and business id), in the
/// order the controllers first appear.
fn by_controller(content: &RegisterContent) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for activity in &content.activities {
        let Role::Processor { controller, processing_categories } = &activity.role else { continue };
        let same = |c: &ControllerRef| {
            c.name.trim().eq_ignore_ascii_case(controller.name.trim())
                && c.business_id.trim() == controller.business_id.trim()
        };
        match groups.iter_mut().find(|(c, _)| same(c)) {
            Some((_, activities)) => activities.push((activity, processing_categories)),
            None => groups.push((controller, vec![(activity, processing_categories)])),
        }
    }
    groups
}

/// Section headings one level down, under an activity's heading.
fn demote(blocks: &mut [Block]) {
    for block in blocks {
        if let Block::Heading { level, .. } = block {
            *level += 1;
        }
    }
}
