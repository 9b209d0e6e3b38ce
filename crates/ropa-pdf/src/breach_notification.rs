//! The notification of one personal-data breach to the supervisory authority (Art. 33), laid out
//! in the order of the authority's form so that it can be typed in field by field and kept as the
//! record of what was reported: Danish in the order of Datatilsynet's form on virk.dk, Norwegian
//! in the order of the avviksmelding in Altinn, English in a neutral order close to the EDPB
//! template. The language picks the order as well as the words.
//!
//! Before the form comes the 72-hour deadline: when the organisation became aware, when the
//! notice was due, whether it went in time (and, when late, the reasons given), and every notice
//! with its time, phase, case number and what was new in it. After it, the breach's timeline.
//! Every time is shown on the organisation's wall clock (Europe/Copenhagen or Europe/Oslo).
//!
//! The field values are shared with the breach log ([`crate::breach_log`]).

use crate::ReportMeta;
use crate::document::{Block, Column, Document, Table};
use crate::phrases::{NOTHING, Words, or_nothing};
use crate::record_of_processing::{Lookup, kind_label};
use chrono::{DateTime, TimeDelta, Utc};
use ropa_core::breach_log::{Breach, SubjectNotification, TimelineEvent};
use ropa_core::deadlines;
use ropa_core::processing_register::RegisterContent;
use ropa_core::vocab::{Country, Language, NoticePhase, RiskLevel};

/// One answer about a breach; its label is `report.breach.field.<key>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The main cause from the closed list (the Altinn form's first question, «hovedårsak»).
    MainCause,
    Nature,
    Period,
    Aware,
    /// Awareness, who found it and how, in one answer (Altinn's "oppdaget").
    Discovered,
    HowDiscovered,
    /// Data subjects and records in one answer (Altinn's "antall berørte").
    NumberAffected,
    NumberSubjects,
    NumberRecords,
    WhatHappened,
    Cause,
    DataTypes,
    SubjectCategories,
    /// The relation to those affected.
    Relation,
    /// The relation with the categories of data subjects (Altinn asks for both in one).
    RelationWithCategories,
    DataLocation,
    Consequences,
    Risk,
    /// Measures taken and proposed in one answer (Altinn's "tiltak").
    Measures,
    MeasuresTaken,
    MeasuresProposed,
    SubjectsTold,
    Contact,
    Processors,
    Activities,
    Closed,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::MainCause => "report.breach.field.main_cause",
            Field::Nature => "report.breach.field.nature",
            Field::Period => "report.breach.field.period",
            Field::Aware => "report.breach.field.aware",
            Field::Discovered => "report.breach.field.discovered",
            Field::HowDiscovered => "report.breach.field.how_discovered",
            Field::NumberAffected => "report.breach.field.number_affected",
            Field::NumberSubjects => "report.breach.field.number_subjects",
            Field::NumberRecords => "report.breach.field.number_records",
            Field::WhatHappened => "report.breach.field.what_happened",
            Field::Cause => "report.breach.field.cause",
            Field::DataTypes => "report.breach.field.data_types",
            Field::SubjectCategories => "report.breach.field.subject_categories",
            Field::Relation | Field::RelationWithCategories => "report.breach.field.relation",
            Field::DataLocation => "report.breach.field.data_location",
            Field::Consequences => "report.breach.field.consequences",
            Field::Risk => "report.breach.field.risk",
            Field::Measures => "report.breach.field.measures",
            Field::MeasuresTaken => "report.breach.field.measures_taken",
            Field::MeasuresProposed => "report.breach.field.measures_proposed",
            Field::SubjectsTold => "report.breach.field.subjects_told",
            Field::Contact => "report.breach.field.contact",
            Field::Processors => "report.breach.field.processors",
            Field::Activities => "report.breach.field.activities",
            Field::Closed => "report.breach.field.closed",
        }
    }
}

/// A group of the form: its heading's key and its fields. The group
/// `report.breach.group.controller` also shows the organisation.
type Group = (&'static str, &'static [Field]);

const CONTROLLER: &str = "report.breach.group.controller";

/// Datatilsynet's form on virk.dk: the controller and contact point, when it happened and when
/// the organisation became aware, the breach itself, the data and data subjects, consequences,
/// measures, the data subjects told, processors.
const FORM_DA: &[Group] = &[
    (CONTROLLER, &[Field::Contact]),
    ("report.breach.group.time", &[Field::Period, Field::Aware]),
    (
        "report.breach.group.breach",
        &[Field::Nature, Field::WhatHappened, Field::HowDiscovered, Field::MainCause, Field::Cause],
    ),
    (
        "report.breach.group.affected",
        &[Field::DataTypes, Field::SubjectCategories, Field::Relation, Field::NumberSubjects, Field::NumberRecords],
    ),
    ("report.breach.group.consequences", &[Field::Consequences, Field::Risk]),
    ("report.breach.group.measures", &[Field::MeasuresTaken, Field::MeasuresProposed, Field::DataLocation]),
    ("report.breach.group.subjects", &[Field::SubjectsTold]),
    ("report.breach.group.others", &[Field::Processors, Field::Activities]),
];

/// The avviksmelding in Altinn, question by question; what the log holds beyond it follows.
const FORM_NB: &[Group] = &[
    (CONTROLLER, &[]),
    (
        "report.breach.group.altinn",
        &[
            Field::MainCause,
            Field::Period,
            Field::Discovered,
            Field::NumberAffected,
            Field::WhatHappened,
            Field::Cause,
            Field::DataTypes,
            Field::RelationWithCategories,
            Field::DataLocation,
            Field::Consequences,
            Field::Measures,
            Field::SubjectsTold,
            Field::Contact,
        ],
    ),
    ("report.breach.section.log_extra", &[Field::Nature, Field::Risk, Field::Processors, Field::Activities]),
];

/// English: the same groups in the same order as the Danish form, which already follows the
/// sections of the EDPB notification template (who, when, what, whom, consequences, measures,
/// data subjects told).
const FORM_EN: &[Group] = FORM_DA;

/// The form's groups for the report's language.
pub(crate) fn form(language: Language) -> &'static [Group] {
    match language {
        Language::Danish => FORM_DA,
        Language::NorwegianBokmal => FORM_NB,
        Language::English => FORM_EN,
    }
}

/// What the breach reports need besides the words: the register's catalogs for names, the
/// organisation's country for its clock, and the moment of the report for deadlines still
/// running.
pub(crate) struct Ctx<'c> {
    pub w: Words,
    pub content: &'c RegisterContent,
    pub lookup: Lookup<'c>,
    pub country: Country,
    pub now: DateTime<Utc>,
}

/// Where a breach stands with the authority notice.
enum NoticeState {
    OnTime { at: DateTime<Utc>, after: TimeDelta },
    Late { at: DateTime<Utc>, after: TimeDelta, late: TimeDelta },
    NotRequired,
    Pending { due: DateTime<Utc> },
    Overdue { due: DateTime<Utc> },
}

impl<'c> Ctx<'c> {
    pub fn new(content: &'c RegisterContent, meta: &ReportMeta) -> Self {
        Ctx {
            w: Words::new(meta.language),
            content,
            lookup: Lookup::new(content),
            country: content.organisation.country,
            now: meta.generated_at.with_timezone(&Utc),
        }
    }

    /// An instant on the organisation's wall clock, in the language's format.
    pub fn time(&self, instant: DateTime<Utc>) -> String {
        self.w.time(instant, self.country)
    }

    /// "2 dage og 3 timer"; minutes only when there are some.
    pub fn duration(&self, delta: TimeDelta) -> String {
        let minutes = delta.num_minutes().max(0);
        let (days, hours, minutes) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
        let mut parts = Vec::new();
        for (count, key) in
            [(days, "report.period.days"), (hours, "report.breach.hours"), (minutes, "report.breach.minutes")]
        {
            if count > 0 {
                parts.push(self.w.tp(key, &[("count", count.to_string())]));
            }
        }
        if parts.is_empty() {
            parts.push(self.w.tp("report.breach.minutes", &[("count", "0".to_owned())]));
        }
        self.w.list(&parts)
    }

    pub fn zone_note(&self) -> String {
        self.w.zone_note(self.country)
    }

    /// "2026-001: Title"; the title alone for a breach not yet numbered.
    pub fn heading(&self, breach: &Breach) -> String {
        if breach.id.trim().is_empty() {
            return or_nothing(&breach.title);
        }
        self.w.tp("report.breach.heading", &[("id", breach.id.clone()), ("title", or_nothing(&breach.title))])
    }

    fn notice_state(&self, breach: &Breach) -> Option<NoticeState> {
        let due = breach.notice_due()?;
        Some(match breach.first_notice() {
            Some(first) => {
                let after = first.at.signed_duration_since(breach.became_aware_at);
                if first.at > due {
                    NoticeState::Late { at: first.at, after, late: first.at.signed_duration_since(due) }
                } else {
                    NoticeState::OnTime { at: first.at, after }
                }
            }
            None if !breach.needs_notice() => NoticeState::NotRequired,
            None if self.now > due => NoticeState::Overdue { due },
            None => NoticeState::Pending { due },
        })
    }

    /// The risk level, or "not assessed".
    pub fn risk_summary(&self, breach: &Breach) -> String {
        match breach.risk_level() {
            Some(level) => self.w.vocab("risk_level", level.id()),
            None => self.w.t("report.breach.summary.not_assessed"),
        }
    }

    /// Open, or closed on a day.
    pub fn status_summary(&self, breach: &Breach) -> String {
        match breach.closed_at {
            Some(at) => self.w.tp(
                "report.breach.summary.closed",
                &[("date", deadlines::local_date(at, self.country).map(|d| self.w.date(d)).unwrap_or_default())],
            ),
            None => self.w.t("report.breach.summary.open"),
        }
    }

    /// Awareness, the 72-hour deadline, whether and when the notice went, and the reasons for a
    /// delay.
    pub fn deadline_rows(&self, breach: &Breach) -> Vec<(String, String)> {
        let w = &self.w;
        let state = self.notice_state(breach);
        let mut rows = vec![(w.t("report.breach.deadline.aware"), self.time(breach.became_aware_at))];
        let due = match (&state, breach.notice_due()) {
            (Some(NoticeState::NotRequired), _) => w.t("report.breach.status.no_deadline"),
            (_, Some(due)) => self.time(due),
            (_, None) => NOTHING.to_owned(),
        };
        rows.push((w.t("report.breach.deadline.due"), due));
        let status = match &state {
            Some(NoticeState::OnTime { at, after }) => {
                w.tp("report.breach.status.on_time", &[("time", self.time(*at)), ("after", self.duration(*after))])
            }
            Some(NoticeState::Late { at, after, late }) => w.tp(
                "report.breach.status.late",
                &[("time", self.time(*at)), ("after", self.duration(*after)), ("late", self.duration(*late))],
            ),
            Some(NoticeState::NotRequired) => w.t("report.breach.status.not_required"),
            Some(NoticeState::Pending { due }) => w.tp("report.breach.status.pending", &[("time", self.time(*due))]),
            Some(NoticeState::Overdue { due }) => w.tp("report.breach.status.overdue", &[("time", self.time(*due))]),
            None => NOTHING.to_owned(),
        };
        rows.push((w.t("report.breach.deadline.status"), status));
        let late = matches!(state, Some(NoticeState::Late { .. } | NoticeState::Overdue { .. }));
        let reasons = breach.late_notice_reasons.trim();
        if late || !reasons.is_empty() {
            let text =
                if reasons.is_empty() { w.t("report.breach.deadline.reasons_missing") } else { reasons.to_owned() };
            rows.push((w.t("report.breach.deadline.late_reasons"), text));
        }
        rows
    }

    /// Every notice to the authority, in time order, with what is new in it.
    pub fn notices_block(&self, breach: &Breach) -> Block {
        let w = &self.w;
        if breach.notices.is_empty() {
            return Block::muted(w.t("report.breach.notices.none"));
        }
        let mut notices: Vec<_> = breach.notices.iter().collect();
        notices.sort_by_key(|n| n.at);
        Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.breach.column.time"), 1.1),
                Column::new(w.t("report.breach.column.phase"), 1.0).bold(),
                Column::new(w.t("report.breach.column.case_number"), 1.0),
                Column::new(w.t("report.breach.column.new_information"), 2.2),
            ],
            rows: notices
                .iter()
                .map(|n| {
                    let new = match (n.phase, n.new_information.trim()) {
                        (NoticePhase::Initial, "") => w.t("report.breach.notices.first"),
                        (_, text) => or_nothing(text),
                    };
                    vec![self.time(n.at), w.vocab("notice_phase", n.phase.id()), or_nothing(&n.case_number), new]
                })
                .collect(),
        })
    }

    /// The breach's events in time order.
    pub fn timeline_block(&self, breach: &Breach) -> Block {
        let w = &self.w;
        Block::Table(Table {
            columns: vec![
                Column::new(w.t("report.breach.column.time"), 1.1),
                Column::new(w.t("report.breach.column.event"), 2.0).bold(),
                Column::new(w.t("report.breach.column.details"), 2.2),
            ],
            rows: breach
                .timeline()
                .iter()
                .map(|event| {
                    let details = match event {
                        TimelineEvent::Assessed { level, .. } => w.vocab("risk_level", level.id()),
                        TimelineEvent::Notified { case_number, .. } => or_nothing(case_number),
                        TimelineEvent::Supplemented { case_number, new_information, .. } => {
                            [case_number.trim(), new_information.trim()]
                                .into_iter()
                                .filter(|s| !s.is_empty())
                                .collect::<Vec<_>>()
                                .join("\n")
                        }
                        TimelineEvent::SubjectsTold { how, .. } => how.trim().to_owned(),
                        _ => String::new(),
                    };
                    vec![self.time(event.at()), w.t(&format!("timeline.{}", event.id())), details]
                })
                .collect(),
        })
    }

    /// The fields as label–value rows.
    pub fn rows(&self, breach: &Breach, fields: &[Field]) -> Vec<(String, String)> {
        fields.iter().map(|f| (self.w.t(f.key()), self.value(breach, *f))).collect()
    }

    fn lines_or(&self, lines: Vec<String>, none_key: &str) -> String {
        let lines: Vec<String> = lines.into_iter().filter(|l| !l.trim().is_empty()).collect();
        if lines.is_empty() { self.w.t(none_key) } else { lines.join("\n") }
    }

    fn approx(&self, key: &str, count: Option<u32>) -> Option<String> {
        count.map(|c| self.w.tp(key, &[("count", c.to_string())]))
    }

    /// One field's answer.
    pub fn value(&self, b: &Breach, field: Field) -> String {
        let w = &self.w;
        match field {
            Field::MainCause => match b.main_cause {
                Some(cause) => w.vocab("breach_cause", cause.id()),
                None => w.t("report.not_stated"),
            },
            Field::Nature => {
                self.lines_or(b.nature.iter().map(|n| w.vocab("breach_nature", n.id())).collect(), "report.not_stated")
            }
            Field::Period => match (b.happened_from, b.happened_to) {
                (Some(from), Some(to)) => {
                    w.tp("report.breach.period.from_to", &[("from", self.time(from)), ("to", self.time(to))])
                }
                (Some(from), None) => w.tp("report.breach.period.from", &[("from", self.time(from))]),
                (None, Some(to)) => w.tp("report.breach.period.to", &[("to", self.time(to))]),
                (None, None) => w.t("report.not_stated"),
            },
            Field::Aware => self.time(b.became_aware_at),
            Field::Discovered => {
                let mut lines = vec![self.time(b.became_aware_at)];
                lines.push(self.value(b, Field::HowDiscovered));
                lines.join("\n")
            }
            Field::HowDiscovered => {
                let mut lines =
                    vec![w.tp("report.breach.found_by", &[("finder", w.vocab("breach_finder", b.discovery.by.id()))])];
                if let Some(at) = b.discovery.reported_at {
                    lines.push(w.tp("report.breach.reported_at", &[("time", self.time(at))]));
                }
                if !b.discovery.how.trim().is_empty() {
                    lines.push(b.discovery.how.trim().to_owned());
                }
                lines.join("\n")
            }
            Field::NumberAffected => {
                let parts: Vec<String> = [
                    self.approx("report.breach.approx_subjects", b.approx_subjects),
                    self.approx("report.breach.approx_records", b.approx_records),
                ]
                .into_iter()
                .flatten()
                .collect();
                if parts.is_empty() { w.t("report.breach.unknown_number") } else { parts.join("; ") }
            }
            Field::NumberSubjects => {
                b.approx_subjects.map(|n| n.to_string()).unwrap_or(w.t("report.breach.unknown_number"))
            }
            Field::NumberRecords => {
                b.approx_records.map(|n| n.to_string()).unwrap_or(w.t("report.breach.unknown_number"))
            }
            Field::WhatHappened => text_or(w, &b.description),
            Field::Cause => text_or(w, &b.cause),
            Field::DataTypes => {
                let ids = self.lookup.in_catalog_order(b.data_categories.iter().map(String::as_str).collect());
                self.lines_or(
                    ids.iter()
                        .map(|id| match self.lookup.data(id) {
                            Some(c) => format!("{} ({})", or_nothing(&c.name), kind_label(w, c).replace(":\n", ": ")),
                            None => (*id).to_owned(),
                        })
                        .collect(),
                    "report.not_stated",
                )
            }
            Field::SubjectCategories => self.subject_names(b),
            Field::Relation => text_or(w, &b.relation_to_subjects),
            Field::RelationWithCategories => {
                let mut lines = Vec::new();
                if !b.relation_to_subjects.trim().is_empty() {
                    lines.push(b.relation_to_subjects.trim().to_owned());
                }
                if !b.subject_categories.is_empty() {
                    lines.push(self.subject_names(b).replace('\n', ", "));
                }
                self.lines_or(lines, "report.not_stated")
            }
            Field::DataLocation => text_or(w, &b.data_location),
            Field::Consequences => text_or(w, &b.consequences),
            Field::Risk => match &b.risk {
                Some(risk) => w.tp(
                    "report.breach.risk.value",
                    &[
                        ("level", w.vocab("risk_level", risk.level.id())),
                        ("reasons", or_nothing(&risk.reasons)),
                        ("time", self.time(risk.assessed_at)),
                    ],
                ),
                None => w.t("report.breach.risk.none"),
            },
            Field::Measures => {
                let mut lines = Vec::new();
                for (key, text) in [
                    ("report.breach.field.measures_taken", &b.measures_taken),
                    ("report.breach.field.measures_proposed", &b.measures_proposed),
                ] {
                    if !text.trim().is_empty() {
                        lines.push(format!("{}: {}", w.t(key), text.trim()));
                    }
                }
                self.lines_or(lines, "report.not_stated")
            }
            Field::MeasuresTaken => text_or(w, &b.measures_taken),
            Field::MeasuresProposed => text_or(w, &b.measures_proposed),
            Field::SubjectsTold => match &b.data_subjects {
                Some(SubjectNotification::Told { at, how }) => {
                    w.tp("report.breach.subjects.told", &[("time", self.time(*at)), ("how", or_nothing(how))])
                }
                Some(SubjectNotification::Exception { exception, explanation }) => {
                    let mut text =
                        w.tp("report.breach.subjects.exception", &[("exception", w.vocab("art34", exception.id()))]);
                    if !explanation.trim().is_empty() {
                        text.push('\n');
                        text.push_str(explanation.trim());
                    }
                    text
                }
                None => match b.risk_level() {
                    Some(RiskLevel::HighRisk) => w.t("report.breach.subjects.pending"),
                    Some(level) => {
                        w.tp("report.breach.subjects.not_required", &[("level", w.vocab("risk_level", level.id()))])
                    }
                    None => w.t("report.breach.subjects.undecided"),
                },
            },
            Field::Contact => {
                let contact =
                    if [&b.contact.name, &b.contact.email, &b.contact.phone].iter().all(|s| s.trim().is_empty()) {
                        &self.content.organisation.contact
                    } else {
                        &b.contact
                    };
                let mut text = w.contact(contact);
                if let Some(dpo) = &self.content.organisation.dpo {
                    text.push_str(&format!(
                        "\n{}: {}",
                        w.t("report.breach.field.dpo"),
                        w.contact(dpo).replace('\n', ", ")
                    ));
                }
                text
            }
            Field::Processors => {
                self.lines_or(b.processors.iter().map(|p| p.name.trim().to_owned()).collect(), "report.breach.none")
            }
            Field::Activities => self.lines_or(
                b.activities
                    .iter()
                    .map(|id| {
                        self.content
                            .activities
                            .iter()
                            .find(|a| &a.id == id)
                            .map(|a| or_nothing(&a.name))
                            .unwrap_or_else(|| id.clone())
                    })
                    .collect(),
                "report.breach.none",
            ),
            Field::Closed => match b.closed_at {
                Some(at) => self.time(at),
                None => w.t("report.breach.summary.open"),
            },
        }
    }

    fn subject_names(&self, b: &Breach) -> String {
        let ids = self.lookup.in_catalog_order(b.subject_categories.iter().map(String::as_str).collect());
        self.lines_or(ids.iter().map(|id| self.lookup.subject_name(&self.w, id)).collect(), "report.not_stated")
    }
}

fn text_or(w: &Words, text: &str) -> String {
    if text.trim().is_empty() { w.t("report.not_stated") } else { text.trim().to_owned() }
}

/// The notification as a document.
pub fn document(content: &RegisterContent, breach: &Breach, meta: &ReportMeta) -> Document {
    let ctx = Ctx::new(content, meta);
    let w = &ctx.w;
    let organisation = &content.organisation;

    let mut about = vec![
        (w.t("report.breach.label"), ctx.heading(breach)),
        (w.t("report.breach.column.risk"), ctx.risk_summary(breach)),
        (w.t("report.breach.column.status"), ctx.status_summary(breach)),
    ];
    about.extend(w.about(meta));
    about.push((w.t("report.breach.times_label"), ctx.zone_note()));

    let mut blocks = vec![
        Block::Title {
            text: w.t("report.breach.notification.title"),
            subtitle: w.t("report.breach.notification.subtitle"),
        },
        Block::KeyValues(about),
        Block::Heading { level: 1, text: w.t("report.breach.section.deadline"), bookmark: true, new_page: false },
        Block::KeyValues(ctx.deadline_rows(breach)),
        Block::heading(3, w.t("report.breach.notices.heading")),
        ctx.notices_block(breach),
        Block::Heading { level: 1, text: w.t("report.breach.section.form"), bookmark: true, new_page: false },
    ];
    for (heading, fields) in form(meta.language) {
        let mut rows = Vec::new();
        if *heading == CONTROLLER {
            rows.extend(w.organisation(organisation));
        }
        rows.extend(ctx.rows(breach, fields));
        blocks.push(Block::heading(2, w.t(heading)));
        blocks.push(Block::KeyValues(rows));
    }
    blocks.push(Block::Heading {
        level: 1,
        text: w.t("report.breach.section.timeline"),
        bookmark: true,
        new_page: false,
    });
    blocks.push(ctx.timeline_block(breach));

    Document {
        title: w.t("report.breach.notification.title"),
        author: organisation.name.clone(),
        subject: w.tp(
            "report.breach.notification.pdf_subject",
            &[("id", breach.id.clone()), ("name", organisation.name.clone())],
        ),
        created: meta.generated_at,
        header: w.header(organisation),
        footer: w.footer(meta),
        blocks,
    }
}
