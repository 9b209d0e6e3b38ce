//! Places a [`Document`] on A4 pages: wraps text by the font's glyph advances (breaking words
//! longer than a line, such as URLs), keeps headings with what follows, repeats a table's header
//! on every page it runs over and splits a row that is taller than a page, and adds the header
//! and the "page X of Y" footer once the number of pages is known.
//!
//! Coordinates here are in points from the page's top-left corner; [`crate::render`] turns them
//! into PDF coordinates. Every piece of text is placed inside the margins: wrapping and
//! truncation guarantee it, and the stress tests check it with `pdftotext -bbox`.

use crate::document::{Block, Column, Document, Table, TextStyle};
use crate::fonts::{Face, Fonts, Style};

/// A4 in points (what printpdf makes of 210 × 297 mm).
pub const PAGE_WIDTH: f32 = 595.2756;
pub const PAGE_HEIGHT: f32 = 841.8898;
/// 20 mm left and right.
pub const MARGIN_X: f32 = 56.69;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
/// Where the body starts and ends; the header and footer live outside.
const BODY_TOP: f32 = 72.0;
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 66.0;
const HEADER_BASELINE: f32 = 40.0;
const HEADER_RULE: f32 = 47.0;
const FOOTER_RULE: f32 = PAGE_HEIGHT - 52.0;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 40.0;

const TITLE_SIZE: f32 = 19.0;
const SUBTITLE_SIZE: f32 = 10.5;
const H1_SIZE: f32 = 14.0;
const H2_SIZE: f32 = 10.5;
const H3_SIZE: f32 = 9.5;
const BODY_SIZE: f32 = 9.0;
const SMALL_SIZE: f32 = 8.25;
const MARGINAL_SIZE: f32 = 7.25;
const LEADING: f32 = 1.32;

const CELL_PAD_X: f32 = 4.5;
const CELL_PAD_Y: f32 = 3.5;
const BULLET_INDENT: f32 = 12.0;
/// At least this many body lines must fit below a heading, or it moves to the next page.
const KEEP_WITH_NEXT_LINES: f32 = 3.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

pub const TEXT: Rgb = Rgb(0.12, 0.13, 0.15);
pub const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
pub const ACCENT: Rgb = Rgb(0.09, 0.24, 0.42);
pub const RULE: Rgb = Rgb(0.78, 0.80, 0.83);
pub const HEADER_FILL: Rgb = Rgb(0.90, 0.93, 0.96);

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        style: Style,
        color: Rgb,
        text: String,
    },
    /// A filled rectangle; `y` is its top edge.
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Rgb,
    },
    /// A horizontal line.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        thickness: f32,
        color: Rgb,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// The document on pages, with its bookmarks (title and 0-based page index, in reading order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub bookmarks: Vec<(String, usize)>,
}

/// Lays out the whole document, header and footer included.
pub fn lay_out(document: &Document, fonts: &Fonts) -> Laid {
    let mut layouter =
        Layouter { fonts, pages: vec![Page::default()], y: BODY_TOP, bookmarks: Vec::new(), keep_next: 0.0 };
    for (i, block) in document.blocks.iter().enumerate() {
        if matches!(block, Block::Heading { .. }) {
            layouter.keep_next = document.blocks.get(i + 1).map(|next| layouter.start_height(next)).unwrap_or(0.0);
        }
        layouter.block(block);
    }
    let mut laid = Laid { pages: layouter.pages, bookmarks: layouter.bookmarks };
    let total = laid.pages.len();
    for (index, page) in laid.pages.iter_mut().enumerate() {
        page_furniture(page, index + 1, total, document, fonts);
    }
    laid
}

fn line_height(size: f32) -> f32 {
    size * LEADING
}

struct Layouter<'f> {
    fonts: &'f Fonts,
    pages: Vec<Page>,
    /// Top of the next line on the current page.
    y: f32,
    bookmarks: Vec<(String, usize)>,
    /// The height the block after a heading needs to start (a table's header and first row),
    /// kept on the heading's page.
    keep_next: f32,
}

impl Layouter<'_> {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = BODY_TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= BODY_TOP + 0.5
    }

    fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Starts a new page unless `height` still fits (or the page is empty anyway).
    fn ensure(&mut self, height: f32) {
        if height > self.remaining() && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y = (self.y + height).min(BODY_BOTTOM);
        }
    }

    /// One line of text whose box starts at the current `y`.
    fn text_line(&mut self, x: f32, text: &str, size: f32, style: Style, color: Rgb) {
        let face = self.fonts.face(style);
        let baseline = baseline_in_box(face, self.y, size);
        if !text.is_empty() {
            self.page().items.push(Item::Text { x, baseline, size, style, color, text: text.to_owned() });
        }
    }

    /// Wrapped lines, each moved to the next page when it does not fit.
    fn lines(&mut self, x: f32, width: f32, text: &str, size: f32, style: Style, color: Rgb) {
        let lh = line_height(size);
        let text = self.fonts.printable(text);
        for line in wrap(self.fonts.face(style), &text, size, width) {
            self.ensure(lh);
            self.text_line(x, &line, size, style, color);
            self.y += lh;
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Title { text, subtitle } => self.title(text, subtitle),
            Block::Heading { level, text, bookmark, new_page } => self.heading(*level, text, *bookmark, *new_page),
            Block::Paragraph { text, style } => {
                let (size, face, color) = match style {
                    TextStyle::Body => (BODY_SIZE, Style::Regular, TEXT),
                    TextStyle::Bold => (BODY_SIZE, Style::Bold, TEXT),
                    TextStyle::Muted => (SMALL_SIZE, Style::Regular, MUTED),
                };
                self.lines(MARGIN_X, CONTENT_WIDTH, text, size, face, color);
                self.space(5.0);
            }
            Block::Bullets(items) => self.bullets(items),
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Table(table) => self.table(table),
            Block::Space(height) => self.space(height.clamp(0.0, BODY_BOTTOM - BODY_TOP)),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
        }
    }

    fn title(&mut self, text: &str, subtitle: &str) {
        self.ensure(line_height(TITLE_SIZE) * 2.0);
        self.lines(MARGIN_X, CONTENT_WIDTH, text, TITLE_SIZE, Style::Bold, ACCENT);
        self.y += 2.0;
        self.lines(MARGIN_X, CONTENT_WIDTH, subtitle, SUBTITLE_SIZE, Style::Regular, MUTED);
        self.y += 6.0;
        let y = self.y;
        self.page().items.push(Item::Rule {
            x1: MARGIN_X,
            x2: MARGIN_X + CONTENT_WIDTH,
            y,
            thickness: 1.2,
            color: ACCENT,
        });
        self.y += 16.0;
    }

    fn heading(&mut self, level: u8, text: &str, bookmark: bool, new_page: bool) {
        let (size, color, before, after) = match level {
            0 | 1 => (H1_SIZE, ACCENT, 16.0, 8.0),
            2 => (H2_SIZE, ACCENT, 12.0, 4.0),
            _ => (H3_SIZE, TEXT, 8.0, 3.0),
        };
        if new_page && !self.at_top() {
            self.new_page();
        }
        self.space(before);
        let text = self.fonts.printable(text);
        let lines = wrap(self.fonts.face(Style::Bold), &text, size, CONTENT_WIDTH);
        let keep = (KEEP_WITH_NEXT_LINES * line_height(BODY_SIZE)).max(self.keep_next);
        let height = lines.len() as f32 * line_height(size) + after + keep;
        self.ensure(height);
        if bookmark {
            self.bookmarks.push((text.replace('\n', " "), self.pages.len().saturating_sub(1)));
        }
        for line in &lines {
            self.text_line(MARGIN_X, line, size, Style::Bold, color);
            self.y += line_height(size);
        }
        if level <= 1 {
            self.y += 2.0;
            let y = self.y;
            self.page().items.push(Item::Rule {
                x1: MARGIN_X,
                x2: MARGIN_X + CONTENT_WIDTH,
                y,
                thickness: 0.8,
                color: ACCENT,
            });
        }
        self.y += after;
    }

    fn bullets(&mut self, items: &[String]) {
        let lh = line_height(BODY_SIZE);
        for item in items {
            let text = self.fonts.printable(item);
            let lines = wrap(self.fonts.face(Style::Regular), &text, BODY_SIZE, CONTENT_WIDTH - BULLET_INDENT);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(lh);
                if i == 0 {
                    self.text_line(MARGIN_X + 2.0, "•", BODY_SIZE, Style::Regular, ACCENT);
                }
                self.text_line(MARGIN_X + BULLET_INDENT, line, BODY_SIZE, Style::Regular, TEXT);
                self.y += lh;
            }
            self.y += 1.5;
        }
        self.space(4.0);
    }

    fn key_values(&mut self, pairs: &[(String, String)]) {
        let columns = [Column::new("", 0.3).bold(), Column::new("", 0.7)];
        let rows: Vec<Vec<String>> = pairs.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
        self.grid(&columns, &rows, false);
        self.space(8.0);
    }

    fn table(&mut self, table: &Table) {
        self.grid(&table.columns, &table.rows, true);
        self.space(8.0);
    }

    /// A table: with `header`, a filled header row repeated on every page; without it, a
    /// key–value block (first column muted). Rows are moved to the next page whole when they
    /// fit on one page, and split line by line when they do not.
    fn grid(&mut self, columns: &[Column], rows: &[Vec<String>], header: bool) {
        if columns.is_empty() {
            return;
        }
        let size = SMALL_SIZE;
        let lh = line_height(size);
        let (styles, widths) = self.grid_columns(columns, rows, header);
        let wrap_cells = |cells: &mut dyn Iterator<Item = (&str, usize)>, bold: bool| -> Vec<Vec<String>> {
            cells
                .map(|(text, i)| {
                    let style = if bold { Style::Bold } else { styles[i].0 };
                    let width = (widths[i] - 2.0 * CELL_PAD_X).max(size);
                    wrap(self.fonts.face(style), &self.fonts.printable(text), size, width)
                })
                .collect()
        };
        let header_cells: Option<Vec<Vec<String>>> =
            header.then(|| wrap_cells(&mut columns.iter().enumerate().map(|(i, c)| (c.title.as_str(), i)), true));
        let header_height = header_cells.as_ref().map(|cells| cell_height(cells, lh)).unwrap_or(0.0);
        let page_room = BODY_BOTTOM - BODY_TOP - header_height;
        let mut header_due = true;

        for row in rows {
            let mut cells =
                wrap_cells(&mut (0..columns.len()).map(|i| (row.get(i).map(String::as_str).unwrap_or(""), i)), false);
            loop {
                let height = cell_height(&cells, lh);
                let head = if header_due { header_height } else { 0.0 };
                if height + head <= self.remaining() {
                    if header_due {
                        self.header_row(header_cells.as_deref(), &widths, size);
                        header_due = false;
                    }
                    self.row(&cells, &widths, &styles, size, header);
                    break;
                }
                if height <= page_room && !self.at_top() {
                    // It fits on a fresh page: move it there whole.
                    self.new_page();
                    header_due = true;
                    continue;
                }
                // Taller than a page: fill this page with as many lines as fit, go on after.
                let fit = self.lines_that_fit(header_due, header_height, lh);
                if fit < 2 && !self.at_top() {
                    self.new_page();
                    header_due = true;
                    continue;
                }
                if header_due {
                    self.header_row(header_cells.as_deref(), &widths, size);
                    header_due = false;
                }
                let (head, tail) = split_cells(&cells, fit.max(1));
                self.row(&head, &widths, &styles, size, header);
                if tail.iter().all(Vec::is_empty) {
                    break;
                }
                cells = tail;
                self.new_page();
                header_due = true;
            }
        }
    }

    /// The cells' styles and the columns' widths of a grid.
    fn grid_columns(&self, columns: &[Column], rows: &[Vec<String>], header: bool) -> (Vec<(Style, Rgb)>, Vec<f32>) {
        let size = SMALL_SIZE;
        let styles: Vec<(Style, Rgb)> = columns
            .iter()
            .map(|c| match (c.bold, header) {
                (true, true) => (Style::Bold, TEXT),
                (true, false) => (Style::Bold, MUTED),
                (false, _) => (Style::Regular, TEXT),
            })
            .collect();
        // Each column at least as wide as its widest word (within reason), so that titles and
        // ordinary words are not broken; the rest of the width goes by the columns' weights.
        let widest_word = |face: &Face, text: &str| -> f32 {
            text.split_whitespace().map(|word| face.width(word, size)).fold(0.0, f32::max)
        };
        let minimums: Vec<f32> = columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let face = self.fonts.face(styles[i].0);
                let title = if header { widest_word(self.fonts.face(Style::Bold), &column.title) } else { 0.0 };
                let cells =
                    rows.iter().filter_map(|row| row.get(i)).map(|cell| widest_word(face, cell)).fold(0.0, f32::max);
                (title.max(cells) + 2.0 * CELL_PAD_X + 0.5).min(CONTENT_WIDTH * 0.4)
            })
            .collect();
        let weights: Vec<f32> = columns.iter().map(|c| c.weight.max(0.01)).collect();
        let widths = column_widths(&weights, &minimums, CONTENT_WIDTH);
        (styles, widths)
    }

    /// The height a block needs on a page to start: a table's header and first row (or two of
    /// its lines when the row is taller than a page), a key-value block's first row; 0 for the
    /// rest, which the heading's usual lines cover.
    fn start_height(&self, block: &Block) -> f32 {
        let (kv_columns, kv_rows): (Vec<Column>, Vec<Vec<String>>);
        let (columns, rows, header): (&[Column], &[Vec<String>], bool) = match block {
            Block::Table(table) => (&table.columns, &table.rows, true),
            Block::KeyValues(pairs) => {
                kv_columns = vec![Column::new("", 0.3).bold(), Column::new("", 0.7)];
                kv_rows = pairs.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
                (&kv_columns, &kv_rows, false)
            }
            _ => return 0.0,
        };
        if columns.is_empty() {
            return 0.0;
        }
        let Some(first) = rows.first() else { return 0.0 };
        let size = SMALL_SIZE;
        let lh = line_height(size);
        let (styles, widths) = self.grid_columns(columns, rows, header);
        let wrapped = |texts: Vec<&str>, bold: bool| -> Vec<Vec<String>> {
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let style = if bold { Style::Bold } else { styles[i].0 };
                    let width = (widths[i] - 2.0 * CELL_PAD_X).max(size);
                    wrap(self.fonts.face(style), &self.fonts.printable(text), size, width)
                })
                .collect()
        };
        let header_height = if header {
            cell_height(&wrapped(columns.iter().map(|c| c.title.as_str()).collect(), true), lh)
        } else {
            0.0
        };
        let first_height = cell_height(
            &wrapped((0..columns.len()).map(|i| first.get(i).map(String::as_str).unwrap_or("")).collect(), false),
            lh,
        );
        let page_room = BODY_BOTTOM - BODY_TOP - header_height;
        header_height + if first_height <= page_room { first_height } else { 2.0 * lh + 2.0 * CELL_PAD_Y }
    }

    fn lines_that_fit(&self, header_due: bool, header_height: f32, lh: f32) -> usize {
        let room = self.remaining() - if header_due { header_height } else { 0.0 } - 2.0 * CELL_PAD_Y;
        if room <= 0.0 { 0 } else { (room / lh).floor() as usize }
    }

    fn header_row(&mut self, cells: Option<&[Vec<String>]>, widths: &[f32], size: f32) {
        let Some(cells) = cells else { return };
        let height = cell_height(cells, line_height(size));
        let y = self.y;
        self.page().items.push(Item::Fill { x: MARGIN_X, y, width: CONTENT_WIDTH, height, color: HEADER_FILL });
        let styles = vec![(Style::Bold, ACCENT); widths.len()];
        self.cells(cells, widths, &styles, size);
        self.y += height;
        let y = self.y;
        self.page().items.push(Item::Rule {
            x1: MARGIN_X,
            x2: MARGIN_X + CONTENT_WIDTH,
            y,
            thickness: 0.8,
            color: ACCENT,
        });
    }

    fn row(&mut self, cells: &[Vec<String>], widths: &[f32], styles: &[(Style, Rgb)], size: f32, ruled: bool) {
        let height = cell_height(cells, line_height(size));
        self.cells(cells, widths, styles, size);
        self.y += height;
        let y = self.y;
        let color = if ruled { RULE } else { Rgb(0.88, 0.89, 0.91) };
        self.page().items.push(Item::Rule { x1: MARGIN_X, x2: MARGIN_X + CONTENT_WIDTH, y, thickness: 0.4, color });
    }

    fn cells(&mut self, cells: &[Vec<String>], widths: &[f32], styles: &[(Style, Rgb)], size: f32) {
        let lh = line_height(size);
        let top = self.y;
        let mut x = MARGIN_X;
        for (i, lines) in cells.iter().enumerate() {
            let (style, color) = styles.get(i).copied().unwrap_or((Style::Regular, TEXT));
            for (n, line) in lines.iter().enumerate() {
                self.y = top + CELL_PAD_Y + n as f32 * lh;
                self.text_line(x + CELL_PAD_X, line, size, style, color);
            }
            x += widths.get(i).copied().unwrap_or(0.0);
        }
        self.y = top;
    }
}

/// Widths in proportion to `weights`, except that no column gets less than its minimum while
/// the minimums fit; when they do not, the minimums are scaled down to fit.
fn column_widths(weights: &[f32], minimums: &[f32], total: f32) -> Vec<f32> {
    let minimum_sum: f32 = minimums.iter().sum();
    if minimum_sum >= total {
        return minimums.iter().map(|m| m * total / minimum_sum.max(f32::EPSILON)).collect();
    }
    let mut fixed = vec![false; weights.len()];
    loop {
        let fixed_width: f32 = minimums.iter().zip(&fixed).filter(|(_, f)| **f).map(|(m, _)| m).sum();
        let free_weight: f32 = weights.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(w, _)| w).sum();
        let share = |i: usize| (total - fixed_width) * weights[i] / free_weight.max(f32::EPSILON);
        let short: Vec<usize> = (0..weights.len()).filter(|i| !fixed[*i] && share(*i) < minimums[*i]).collect();
        if short.is_empty() {
            return (0..weights.len()).map(|i| if fixed[i] { minimums[i] } else { share(i) }).collect();
        }
        for i in short {
            fixed[i] = true;
        }
    }
}

fn cell_height(cells: &[Vec<String>], lh: f32) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    lines as f32 * lh + 2.0 * CELL_PAD_Y
}

/// The first `n` lines of every cell, and the rest.
fn split_cells(cells: &[Vec<String>], n: usize) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    cells
        .iter()
        .map(|lines| {
            let at = n.min(lines.len());
            (lines[..at].to_vec(), lines[at..].to_vec())
        })
        .unzip()
}

/// The baseline of a line whose box (height `size × LEADING`) starts at `top`.
fn baseline_in_box(face: &Face, top: f32, size: f32) -> f32 {
    let glyph_height = (face.ascent + face.descent) * size;
    top + (line_height(size) - glyph_height) / 2.0 + face.ascent * size
}

/// Header and footer of one page.
fn page_furniture(page: &mut Page, number: usize, total: usize, document: &Document, fonts: &Fonts) {
    let size = MARGINAL_SIZE;
    let right_edge = MARGIN_X + CONTENT_WIDTH;
    let regular = &fonts.regular;
    let bold = &fonts.bold;

    let right = fonts.printable(&document.header.right).replace('\n', " ");
    let right = truncate(regular, &right, size, CONTENT_WIDTH / 2.0);
    let right_width = regular.width(&right, size);
    let left = fonts.printable(&document.header.left).replace('\n', " ");
    let left = truncate(bold, &left, size, CONTENT_WIDTH - right_width - 16.0);
    page.items.push(Item::Text {
        x: MARGIN_X,
        baseline: HEADER_BASELINE,
        size,
        style: Style::Bold,
        color: MUTED,
        text: left,
    });
    page.items.push(Item::Text {
        x: right_edge - right_width,
        baseline: HEADER_BASELINE,
        size,
        style: Style::Regular,
        color: MUTED,
        text: right,
    });
    page.items.push(Item::Rule { x1: MARGIN_X, x2: right_edge, y: HEADER_RULE, thickness: 0.5, color: RULE });

    let page_text =
        document.footer.page_template.replace("{page}", &number.to_string()).replace("{pages}", &total.to_string());
    let page_text = truncate(regular, &fonts.printable(&page_text), size, CONTENT_WIDTH / 3.0);
    let page_width = regular.width(&page_text, size);
    page.items.push(Item::Rule { x1: MARGIN_X, x2: right_edge, y: FOOTER_RULE, thickness: 0.5, color: RULE });
    page.items.push(Item::Text {
        x: right_edge - page_width,
        baseline: FOOTER_BASELINE,
        size,
        style: Style::Regular,
        color: MUTED,
        text: page_text,
    });
    let left_width = CONTENT_WIDTH - page_width - 16.0;
    let footer = fonts.printable(&document.footer.left);
    let mut lines = wrap(regular, &footer, size, left_width);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(truncate(regular, &rest, size, left_width));
    }
    for (i, line) in lines.into_iter().enumerate() {
        let baseline = FOOTER_BASELINE + i as f32 * line_height(size);
        page.items.push(Item::Text { x: MARGIN_X, baseline, size, style: Style::Regular, color: MUTED, text: line });
    }
}

/// The text cut to `width` with an ellipsis when it is wider.
pub fn truncate(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_owned();
    }
    let ellipsis = '…';
    let mut room = width - face.char_width(ellipsis, size);
    let mut out = String::new();
    for c in text.chars() {
        room -= face.char_width(c, size);
        if room < 0.0 {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push(ellipsis);
    out
}

/// Characters after which a word longer than a line may be broken.
const BREAK_AFTER: &[char] = &['/', '-', '.', '_', '?', '&', '=', ',', ';', ':', '@', '#', ')', '–'];

/// Splits `text` into lines no wider than `width`: at spaces, at the text's own line breaks,
/// and inside words that are wider than a line (after a `/`, `-`, `.`… where there is one).
pub fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let space = face.char_width(' ', size);
    let mut lines = Vec::new();
    for hard_line in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in hard_line.split_whitespace() {
            let word_width = face.width(word, size);
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= width {
                line = word.to_owned();
                line_width = word_width;
            } else {
                let mut pieces = break_word(face, word, size, width);
                let last = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                line_width = face.width(&last, size);
                line = last;
            }
        }
        lines.push(line);
    }
    // A text's trailing line breaks add nothing.
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Pieces of a word that is wider than `width`, each no wider than `width` (but at least one
/// character, so that even an absurdly narrow column makes progress).
fn break_word(face: &Face, word: &str, size: f32, width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece: Vec<char> = Vec::new();
    for c in word.chars() {
        piece.push(c);
        while piece.len() > 1 && piece.iter().map(|p| face.char_width(*p, size)).sum::<f32>() > width {
            // Break before `c`, or after a separator in the latter two thirds of the piece.
            let full = piece.len() - 1;
            let cut = piece[..full]
                .iter()
                .rposition(|p| BREAK_AFTER.contains(p))
                .map(|i| i + 1)
                .filter(|at| *at * 3 >= full)
                .unwrap_or(full);
            let rest = piece.split_off(cut);
            pieces.push(piece.iter().collect());
            piece = rest;
        }
    }
    if !piece.is_empty() {
        pieces.push(piece.iter().collect());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{PageFooter, PageHeader, Table};

    fn page_texts(laid: &Laid) -> Vec<Vec<String>> {
        laid.pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_heading_before_a_table_moves_with_its_header_and_first_row() {
        let fonts = Fonts::load().expect("fonts");
        // Fill the first page by one more line each time, so that the heading lands at every
        // height near the bottom at least once.
        for filler in 25..45 {
            let mut blocks: Vec<Block> = (0..filler).map(|i| Block::paragraph(format!("Linje {i}"))).collect();
            blocks.push(Block::heading(2, "Overskriften"));
            blocks.push(Block::Table(Table {
                columns: vec![Column::new("Kolonne", 1.0), Column::new("Anden", 1.0)],
                rows: vec![vec!["første\nanden\ntredje\nfjerde\nfemte".to_owned(), "x".to_owned()]; 3],
            }));
            let document = Document {
                title: String::new(),
                author: String::new(),
                subject: String::new(),
                created: chrono::DateTime::parse_from_rfc3339("2026-11-22T14:03:00+01:00").expect("time"),
                header: PageHeader::default(),
                footer: PageFooter::default(),
                blocks,
            };
            let pages = page_texts(&lay_out(&document, &fonts));
            let heading_page = pages.iter().position(|p| p.iter().any(|t| t == "Overskriften")).expect("heading");
            let page = &pages[heading_page];
            for text in ["Kolonne", "første", "femte"] {
                assert!(page.iter().any(|t| t == text), "{filler} lines: {text:?} is not on the heading's page");
            }
        }
    }
}
