//! The neutral document model: what a report says, in blocks, without positions or fonts. Report
//! modules build a [`Document`]; [`crate::layout`] decides where everything goes.
//!
//! All text here is final, translated text. Line breaks inside a text (`\n`) are kept; any other
//! wrapping is the layout's business.

use chrono::{DateTime, FixedOffset};

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The PDF's title (metadata) — also shown by viewers in the window title.
    pub title: String,
    /// The PDF's author (metadata): the organisation.
    pub author: String,
    /// The PDF's subject (metadata).
    pub subject: String,
    /// The PDF's creation date (metadata).
    pub created: DateTime<FixedOffset>,
    /// Shown at the top of every page.
    pub header: PageHeader,
    /// Shown at the bottom of every page.
    pub footer: PageFooter,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageHeader {
    /// Left, in bold: the organisation's name.
    pub left: String,
    /// Right: its business id with its label ("CVR-nr. 24256790").
    pub right: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFooter {
    /// Left: when the report was made and from which register state.
    pub left: String,
    /// Right: a template with `{page}` and `{pages}`, filled in per page ("Side {page} af
    /// {pages}").
    pub page_template: String,
}

/// One block of content, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The report's title with a line below it in a smaller size.
    Title {
        text: String,
        subtitle: String,
    },
    /// A heading. Level 1 starts a new page when `new_page` is set and adds a bookmark when
    /// `bookmark` is set; levels 2 and 3 are section headings. A heading is never left alone at
    /// the bottom of a page.
    Heading {
        level: u8,
        text: String,
        bookmark: bool,
        new_page: bool,
    },
    /// Running text.
    Paragraph {
        text: String,
        style: TextStyle,
    },
    /// A list with a bullet before each item.
    Bullets(Vec<String>),
    /// Labels and their values, two columns.
    KeyValues(Vec<(String, String)>),
    Table(Table),
    /// Vertical space, in points.
    Space(f32),
    PageBreak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    Body,
    /// Smaller and grey: notes, explanations, "none" lines.
    Muted,
    Bold,
}

/// A table whose header row repeats on every page it runs over.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// The column's share of the width, relative to the other columns' weights.
    pub weight: f32,
    /// Cells of this column in bold (a row's label).
    pub bold: bool,
}

impl Column {
    pub fn new(title: impl Into<String>, weight: f32) -> Self {
        Column { title: title.into(), weight, bold: false }
    }

    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
}

impl Block {
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading { level, text: text.into(), bookmark: false, new_page: false }
    }

    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph { text: text.into(), style: TextStyle::Body }
    }

    pub fn muted(text: impl Into<String>) -> Self {
        Block::Paragraph { text: text.into(), style: TextStyle::Muted }
    }
}
