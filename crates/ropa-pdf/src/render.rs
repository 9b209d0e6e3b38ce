//! Writes laid-out pages as a PDF with printpdf's operation list: one text object per page, the
//! two font faces subset to the glyphs used, the document's metadata (title, author, subject,
//! creation date) and an outline with a bookmark per heading that asks for one.

use crate::document::Document;
use crate::fonts::{self, Fonts, Style};
use crate::layout::{self, Item, Laid, PAGE_HEIGHT, Rgb};
use crate::{Pdf, PdfError};
use chrono::{Datelike, Timelike, Utc};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rect, TextItem, TextMatrix,
};
use std::collections::{BTreeMap, BTreeSet};

/// Lays out and writes the document.
pub fn render(document: &Document) -> Result<Pdf, PdfError> {
    let fonts = Fonts::load()?;
    let laid = layout::lay_out(document, &fonts);
    write(document, &laid, &fonts)
}

fn write(document: &Document, laid: &Laid, fonts: &Fonts) -> Result<Pdf, PdfError> {
    let mut pdf = PdfDocument::new(&document.title);
    set_metadata(&mut pdf, document);

    let mut used: BTreeMap<Style, BTreeSet<char>> = BTreeMap::new();
    for item in laid.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { style, text, .. } = item {
            used.entry(*style).or_default().extend(text.chars());
        }
    }
    let mut font_ids: BTreeMap<Style, FontId> = BTreeMap::new();
    for (style, chars) in &used {
        let subset = fonts::subset(fonts.face(*style), chars)?;
        font_ids.insert(*style, pdf.add_font(&subset));
    }

    let pages: Vec<PdfPage> =
        laid.pages.iter().map(|page| PdfPage::new(Mm(210.0), Mm(297.0), page_ops(&page.items, &font_ids))).collect();
    let page_count = pages.len();
    for (title, page) in &laid.bookmarks {
        pdf.add_bookmark(title, page + 1);
    }
    let options = PdfSaveOptions { optimize: true, subset_fonts: false, ..PdfSaveOptions::default() };
    let bytes = pdf.with_pages(pages).save(&options, &mut Vec::new());
    Ok(Pdf { bytes, pages: page_count })
}

fn set_metadata(pdf: &mut PdfDocument, document: &Document) {
    // printpdf writes the date as UTC ("+00'00'") whatever offset it is given.
    let utc = document.created.with_timezone(&Utc);
    let date = printpdf::DateTime::new_in_offset(
        printpdf::Date {
            year: utc.year(),
            month: u8::try_from(utc.month()).unwrap_or(1),
            day: u8::try_from(utc.day()).unwrap_or(1),
        },
        printpdf::Time {
            hour: u8::try_from(utc.hour()).unwrap_or(0),
            minute: u8::try_from(utc.minute()).unwrap_or(0),
            second: u8::try_from(utc.second()).unwrap_or(0),
            millisecond: 0,
        },
        printpdf::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    );
    let info = &mut pdf.metadata.info;
    info.document_title = document.title.clone();
    info.author = document.author.clone();
    info.subject = document.subject.clone();
    info.creator = "ropa".to_owned();
    info.producer = format!("ropa {} (printpdf)", env!("CARGO_PKG_VERSION"));
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
}

fn color(rgb: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb { r: rgb.0, g: rgb.1, b: rgb.2, icc_profile: None })
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point { x: Pt(x), y: Pt(PAGE_HEIGHT - y_from_top) }
}

/// The operations of one page: fills and rules first (they lie under the text), then all text
/// in one text object, setting font and colour only when they change.
fn page_ops(items: &[Item], font_ids: &BTreeMap<Style, FontId>) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 3);
    for item in items {
        match item {
            Item::Fill { x, y, width, height, color: c } => {
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_HEIGHT - y - height),
                        width: Pt(*width),
                        height: Pt(*height),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Item::Rule { x1, x2, y, thickness, color: c } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: point(*x1, *y), bezier: false },
                            LinePoint { p: point(*x2, *y), bezier: false },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Text { .. } => {}
        }
    }
    ops.push(Op::StartTextSection);
    let mut current_font: Option<(Style, f32)> = None;
    let mut current_color: Option<Rgb> = None;
    for item in items {
        let Item::Text { x, baseline, size, style, color: c, text } = item else { continue };
        let Some(font_id) = font_ids.get(style) else { continue };
        if current_font != Some((*style, *size)) {
            ops.push(Op::SetFont { font: PdfFontHandle::External(font_id.clone()), size: Pt(*size) });
            current_font = Some((*style, *size));
        }
        if current_color != Some(*c) {
            ops.push(Op::SetFillColor { col: color(*c) });
            current_color = Some(*c);
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_HEIGHT - baseline)) });
        ops.push(Op::ShowText { items: vec![TextItem::Text(text.clone())] });
    }
    ops.push(Op::EndTextSection);
    ops
}
