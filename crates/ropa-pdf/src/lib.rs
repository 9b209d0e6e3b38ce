//! ropa-pdf turns report data into PDF bytes. It never opens a register: the caller (the CLI or
//! the app) reads a [`RegisterContent`] from ropa-core and hands it over together with a
//! [`ReportMeta`] — when the report was made, the register's change-log head and the language.
//!
//! Two steps, two kinds of module. A report module (`record_of_processing` for Art. 30(1),
//! `processor_record` for Art. 30(2)) builds a neutral [`document::Document`] of blocks —
//! headings, paragraphs, key–value blocks, tables — with every word taken from the shared
//! message catalog. Then [`layout`] places any document on A4 pages (text wrapped by the font's
//! glyph advances, tables that repeat their header and split rows that do not fit, a header and
//! a "page X of Y" footer on every page), and [`render`] writes those pages with printpdf,
//! embedding only the glyphs used (see [`fonts`]).
//!
//! The breach reports (`breach_notification` for one breach to the supervisory authority,
//! Art. 33; `breach_log` for a period, Art. 33(5)) take the breach log besides the register's
//! content. They are separate functions rather than [`Report`]s because they need more than the
//! content: the breach, or the log and a period. The processors (Art. 28) are not part of the
//! content either: [`processors_overview`] takes them as an argument, and the Art. 30(1) record
//! lists those serving each activity when given them ([`render_report_with_processors`]).
//!
//! Two reports are for a person whose phone calls were recorded: [`deletion_receipt`], the
//! receipt for a withdrawal of consent (which calls were deleted, when, and what became of each
//! audio file — no phone number), and [`access_extract`], everything kept about their calls
//! (Art. 15) with what became of each audio copy. Both take core's records of the request.

pub mod access_extract;
pub mod breach_log;
pub mod breach_notification;
pub mod deletion_receipt;
pub mod document;
pub mod fonts;
pub mod layout;
mod phrases;
pub mod processor_record;
pub mod processors_overview;
pub mod record_of_processing;
pub mod render;

use chrono::{DateTime, FixedOffset};
use ropa_core::breach_log::{Breach, BreachLog};
use ropa_core::change_log::Head;
use ropa_core::processing_register::RegisterContent;
use ropa_core::processor_agreements::Processor;
use ropa_core::validation::CountryLists;
use ropa_core::vocab::{Country, Language};

/// What a report says about itself: when it was made, which register state it shows, and in
/// which language.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    /// When the report was generated, in the offset it is to be shown in.
    pub generated_at: DateTime<FixedOffset>,
    /// The register's change-log head when the content was read; `None` for a register without
    /// entries (or content that did not come from a register file).
    pub chain_head: Option<Head>,
    pub language: Language,
}

impl ReportMeta {
    /// Meta for a report made now, shown on the organisation's clock (Europe/Copenhagen or
    /// Europe/Oslo), like every other time in the reports, whatever the computer's zone.
    pub fn now(country: Country, chain_head: Option<Head>, language: Language) -> Self {
        let generated_at = chrono::Utc::now().with_timezone(&ropa_core::deadlines::zone(country)).fixed_offset();
        ReportMeta { generated_at, chain_head, language }
    }
}

/// A finished PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Why a PDF could not be made. None of these depends on the report's content: every input
/// gives a PDF unless the bundled fonts are broken.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A bundled font could not be read.
    #[error("the bundled font {name} cannot be read")]
    Font { name: &'static str },
    /// Cutting a font down to the glyphs used failed.
    #[error("the font {name} could not be subset: {detail}")]
    Subset { name: &'static str, detail: String },
    /// The subset font could not be read back.
    #[error("the subset of font {name} cannot be read")]
    SubsetUnreadable { name: &'static str },
}

impl PdfError {
    /// A stable code for the message catalog (`error.pdf.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::Font { .. } => "font",
            PdfError::Subset { .. } => "subset",
            PdfError::SubsetUnreadable { .. } => "subset",
        }
    }

    /// The message parameter `detail` of `error.pdf.<code>`: the font's name and, for a
    /// subsetting failure, the font library's words.
    pub fn detail(&self) -> String {
        match self {
            PdfError::Font { name } | PdfError::SubsetUnreadable { name } => (*name).to_owned(),
            PdfError::Subset { name, detail } => format!("{name}: {detail}"),
        }
    }
}

/// The reports there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// The record of processing activities as controller (Art. 30(1)).
    Register,
    /// The record as processor (Art. 30(2)), per controller.
    ProcessorRecord,
}

impl Report {
    /// Catalog key of the report's title, also used to name its file.
    pub fn title_key(self) -> &'static str {
        match self {
            Report::Register => "report.register.title",
            Report::ProcessorRecord => "report.processor.title",
        }
    }
}

/// Renders `report` without the register's processors: the Art. 30(1) record then has no
/// processors under its activities. [`render_report_with_processors`] includes them.
pub fn render_report(report: Report, content: &RegisterContent, meta: &ReportMeta) -> Result<Pdf, PdfError> {
    render_report_with_processors(report, content, &[], CountryLists::shipped(), meta)
}

/// Renders `report`; the Art. 30(1) record lists, under each activity's recipients, the
/// `processors` serving it, judged by the EEA and adequacy `lists` in effect.
pub fn render_report_with_processors(
    report: Report,
    content: &RegisterContent,
    processors: &[Processor],
    lists: &CountryLists,
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    match report {
        Report::Register => record_of_processing_with_processors(content, processors, lists, meta),
        Report::ProcessorRecord => processor_record(content, meta),
    }
}

/// The record of processing activities as controller (Art. 30(1)), without processors.
pub fn record_of_processing(content: &RegisterContent, meta: &ReportMeta) -> Result<Pdf, PdfError> {
    record_of_processing_with_processors(content, &[], CountryLists::shipped(), meta)
}

/// The record of processing activities as controller (Art. 30(1)) with, per activity, the
/// processors serving it (by the activity ids they list) and their sub-processors outside the
/// EEA. With no processors the record is the same as [`record_of_processing`]'s.
pub fn record_of_processing_with_processors(
    content: &RegisterContent,
    processors: &[Processor],
    lists: &CountryLists,
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    render::render(&record_of_processing::document(content, processors, lists, meta))
}

/// The processors overview (Art. 28): what needs doing at the report's date, then every
/// processor with its agreement, Art. 28(3) checklist, sub-processors and supervision.
/// The deadlines are core's processor deadlines at `meta.generated_at`; whether a country is in
/// the EEA or has an adequacy decision is read from `lists` (the ones in effect), whose dates
/// the report states.
pub fn processors_overview(
    content: &RegisterContent,
    processors: &[Processor],
    lists: &CountryLists,
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    render::render(&processors_overview::document(content, processors, lists, meta))
}

/// The record of processing activities as processor (Art. 30(2)), grouped per controller.
pub fn processor_record(content: &RegisterContent, meta: &ReportMeta) -> Result<Pdf, PdfError> {
    render::render(&processor_record::document(content, meta))
}

/// The notification of one breach to the supervisory authority (Art. 33), in the order of the
/// authority's form for the report's language. `content` gives the organisation and the names of
/// the catalog entries and activities the breach refers to.
pub fn breach_notification(content: &RegisterContent, breach: &Breach, meta: &ReportMeta) -> Result<Pdf, PdfError> {
    render::render(&breach_notification::document(content, breach, meta))
}

/// The breach log (Art. 33(5)) for the breaches the organisation became aware of in `period`.
pub fn breach_log(
    content: &RegisterContent,
    log: &BreachLog,
    period: &breach_log::LogPeriod,
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    render::render(&breach_log::document(content, log, period, meta))
}

/// The receipt for a person's withdrawal of consent to recorded calls.
pub fn deletion_receipt(
    content: &RegisterContent,
    receipt: &ropa_core::recordings::DeletionReceipt,
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    render::render(&deletion_receipt::document(content, receipt, meta))
}

/// Everything kept about a person's recorded calls (Art. 15), with what became of each audio copy:
/// `audio[i]` belongs to `extract.calls[i]`; `None` when the call has no recording reference.
pub fn access_extract(
    content: &RegisterContent,
    extract: &ropa_core::recordings::AccessExtract,
    audio: &[Option<ropa_core::recordings::AudioCopy>],
    meta: &ReportMeta,
) -> Result<Pdf, PdfError> {
    render::render(&access_extract::document(content, extract, audio, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_made_now_is_dated_on_the_organisations_clock_whatever_the_computers_zone() {
        for country in [Country::Denmark, Country::Norway] {
            let meta = ReportMeta::now(country, None, Language::Danish);
            // CET or CEST, never the UTC of a server or CI machine.
            let offset = meta.generated_at.offset().local_minus_utc();
            assert!(offset == 3600 || offset == 7200, "{country:?}: {offset}");
        }
    }
}
