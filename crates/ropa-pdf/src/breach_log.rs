//! The breach log for a period (Art. 33(5)): every breach the organisation became aware of in
//! the period — notified or not — with its facts, the risk decision and its reasons, the notices
//! to the authority, the Art. 34 notice or the exception relied on, and the remedial action.
//! A summary table comes first; then each breach on its own page, with a bookmark.

use crate::ReportMeta;
use crate::breach_notification::{Ctx, Field};
use crate::document::{Block, Column, Document, Table};
use crate::phrases::NOTHING;
use chrono::NaiveDate;
use ropa_core::breach_log::{Breach, BreachLog, SubjectNotification};
use ropa_core::deadlines;
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::RiskLevel;

/// The days a breach log covers, both ends included, on the organisation's calendar. A breach
/// belongs to the period by the day the organisation became aware of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogPeriod {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl LogPeriod {
    /// The days from `from` to `to`; `None` when the period ends before it begins.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<Self> {
        match (from, to) {
            (Some(from), Some(to)) if to < from => None,
            _ => Some(LogPeriod { from, to }),
        }
    }

    /// Every breach in the log.
    pub fn all() -> Self {
        LogPeriod::default()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }
}

const FACTS: &[Field] = &[
    Field::WhatHappened,
    Field::Period,
    Field::HowDiscovered,
    Field::Nature,
    Field::MainCause,
    Field::Cause,
    Field::DataTypes,
    Field::SubjectCategories,
    Field::Relation,
    Field::NumberSubjects,
    Field::NumberRecords,
    Field::Consequences,
    Field::DataLocation,
];

const REMEDY: &[Field] = &[
    Field::MeasuresTaken,
    Field::MeasuresProposed,
    Field::Processors,
    Field::Activities,
    Field::Contact,
    Field::Closed,
];

/// The breaches of `log` in `period`, in the order the organisation became aware of them.
pub fn in_period<'l>(log: &'l BreachLog, period: &LogPeriod, content: &RegisterContent) -> Vec<&'l Breach> {
    let country = content.organisation.country;
    let mut breaches: Vec<&Breach> = log
        .breaches
        .iter()
        .filter(|b| deadlines::local_date(b.became_aware_at, country).is_some_and(|day| period.contains(day)))
        .collect();
    breaches.sort_by(|a, b| a.became_aware_at.cmp(&b.became_aware_at).then_with(|| a.id.cmp(&b.id)));
    breaches
}

/// The breach log as a document.
pub fn document(content: &RegisterContent, log: &BreachLog, period: &LogPeriod, meta: &ReportMeta) -> Document {
    let ctx = Ctx::new(content, meta);
    let w = &ctx.w;
    let organisation = &content.organisation;
    let breaches = in_period(log, period, content);
    let notified = breaches.iter().filter(|b| !b.notices.is_empty()).count();

    let period_text = match (period.from, period.to) {
        (Some(from), Some(to)) => {
            w.tp("report.breach.log.period.from_to", &[("from", w.date(from)), ("to", w.date(to))])
        }
        (Some(from), None) => w.tp("report.breach.log.period.from", &[("from", w.date(from))]),
        (None, Some(to)) => w.tp("report.breach.log.period.to", &[("to", w.date(to))]),
        (None, None) => w.t("report.breach.log.period.all"),
    };
    let mut about = vec![(w.t("report.breach.log.period_label"), period_text)];
    about.extend(w.about(meta));
    about.push((
        w.t("report.breach.log.count_label"),
        w.tp("report.breach.log.count", &[("count", breaches.len().to_string()), ("notified", notified.to_string())]),
    ));
    about.push((w.t("report.breach.times_label"), ctx.zone_note()));

    let mut blocks = vec![
        Block::Title { text: w.t("report.breach.log.title"), subtitle: w.t("report.breach.log.subtitle") },
        Block::heading(2, w.t("report.breach.group.controller")),
        Block::KeyValues(w.organisation(organisation)),
        Block::heading(2, w.t("report.about.heading")),
        Block::KeyValues(about),
        Block::muted(w.t("report.breach.log.period_note")),
        Block::heading(2, w.t("report.breach.log.summary")),
    ];
    if breaches.is_empty() {
        blocks.push(Block::muted(w.t("report.breach.log.none")));
    } else {
        blocks.push(summary(&ctx, &breaches));
    }

    for breach in &breaches {
        blocks.push(Block::Heading { level: 1, text: ctx.heading(breach), bookmark: true, new_page: true });
        blocks.push(Block::heading(2, w.t("report.breach.log.facts")));
        blocks.push(Block::KeyValues(ctx.rows(breach, FACTS)));
        blocks.push(Block::heading(2, w.t("report.breach.log.decision")));
        let mut decision = ctx.rows(breach, &[Field::Risk]);
        decision.extend(ctx.deadline_rows(breach));
        decision.extend(ctx.rows(breach, &[Field::SubjectsTold]));
        blocks.push(Block::KeyValues(decision));
        blocks.push(Block::heading(3, w.t("report.breach.notices.heading")));
        blocks.push(ctx.notices_block(breach));
        blocks.push(Block::heading(2, w.t("report.breach.log.remedy")));
        blocks.push(Block::KeyValues(ctx.rows(breach, REMEDY)));
        blocks.push(Block::heading(3, w.t("report.breach.section.timeline")));
        blocks.push(ctx.timeline_block(breach));
    }

    Document {
        title: w.t("report.breach.log.title"),
        author: organisation.name.clone(),
        subject: w.tp("report.breach.log.pdf_subject", &[("name", organisation.name.clone())]),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}

/// One row per breach: when it became known, the risk decision, the notice, the data subjects,
/// open or closed.
fn summary(ctx: &Ctx<'_>, breaches: &[&Breach]) -> Block {
    let w = &ctx.w;
    Block::Table(Table {
        columns: vec![
            Column::new(w.t("report.breach.column.id"), 0.75),
            Column::new(w.t("report.breach.column.breach"), 2.0).bold(),
            Column::new(w.t("report.breach.column.aware"), 1.05),
            Column::new(w.t("report.breach.column.risk"), 1.2),
            Column::new(w.t("report.breach.column.notice"), 1.3),
            Column::new(w.t("report.breach.column.subjects"), 1.1),
            Column::new(w.t("report.breach.column.status"), 0.85),
        ],
        rows: breaches
            .iter()
            .map(|b| {
                let risk = ctx.risk_summary(b);
                let notice = match b.first_notice() {
                    Some(first) => {
                        let late = b.notice_due().is_some_and(|due| first.at > due);
                        let mut cases: Vec<&str> = Vec::new();
                        for n in &b.notices {
                            let case = n.case_number.trim();
                            if !case.is_empty() && !cases.contains(&case) {
                                cases.push(case);
                            }
                        }
                        w.tp(
                            if late { "report.breach.summary.notified_late" } else { "report.breach.summary.notified" },
                            &[("time", ctx.time(first.at)), ("case", cases.join("\n"))],
                        )
                    }
                    None if !b.needs_notice() => w.t("report.breach.summary.not_required"),
                    None => w.t("report.breach.summary.not_notified"),
                };
                let subjects = match (&b.data_subjects, b.risk_level()) {
                    (Some(SubjectNotification::Told { at, .. }), _) => {
                        format!("{}\n{}", w.t("report.breach.summary.told"), ctx.time(*at))
                    }
                    (Some(SubjectNotification::Exception { exception, .. }), _) => w.tp(
                        "report.breach.summary.exception",
                        &[("letter", exception.id().rsplit('-').next().unwrap_or_default().to_owned())],
                    ),
                    (None, Some(RiskLevel::HighRisk)) => w.t("report.breach.summary.pending"),
                    (None, Some(_)) => w.t("report.breach.summary.not_required_subjects"),
                    (None, None) => NOTHING.to_owned(),
                };
                let status = ctx.status_summary(b);
                vec![
                    b.id.clone(),
                    crate::phrases::or_nothing(&b.title),
                    ctx.time(b.became_aware_at),
                    risk,
                    notice,
                    subjects,
                    status,
                ]
            })
            .collect(),
    })
}
