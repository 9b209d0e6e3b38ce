//! The report fonts — DejaVu Sans regular and bold from `assets/fonts/` (licence beside them) —
//! with the glyph advances the layout measures text by, and the subsetting that puts only the
//! glyphs a report uses into its PDF.
//!
//! Why subset here and not in printpdf: printpdf 0.12 subsets only with its `text_layout`
//! feature, which brings azul-layout, azul-core, azul-css and rust-fontconfig into the build.
//! Without it, printpdf embeds a font whole (about 390 KB compressed per face). allsorts, the
//! font library printpdf already depends on, can subset on its own: we cut each face down to the
//! glyphs the laid-out pages use (glyph 0 first, a Unicode cmap for the rest), and hand printpdf
//! the small font, which it then embeds whole. Advances do not change, so the layout measured
//! with the full face stays right.

use crate::PdfError;
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use printpdf::ParsedFont;
use std::collections::{BTreeSet, HashMap};

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Shown in place of a character the font has no glyph for.
const REPLACEMENT: char = '\u{FFFD}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
}

impl Style {
    fn name(self) -> &'static str {
        match self {
            Style::Regular => "DejaVuSans",
            Style::Bold => "DejaVuSans-Bold",
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => REGULAR_TTF,
            Style::Bold => BOLD_TTF,
        }
    }
}

/// One face: which characters it has, their glyphs and their advances in em.
#[derive(Debug)]
pub struct Face {
    style: Style,
    advances: HashMap<char, f32>,
    glyphs: HashMap<char, u16>,
    /// Advance of the replacement glyph, for characters the face lacks.
    fallback: f32,
    /// Ascent above the baseline, in em.
    pub ascent: f32,
    /// Descent below the baseline, in em (positive).
    pub descent: f32,
}

impl Face {
    fn load(style: Style) -> Result<Face, PdfError> {
        let font =
            ParsedFont::from_bytes(style.bytes(), 0, &mut Vec::new()).ok_or(PdfError::Font { name: style.name() })?;
        let units = f32::from(font.units_per_em.max(1));
        let glyphs: HashMap<char, u16> = font
            .codepoint_to_glyph
            .iter()
            .filter(|(_, gid)| **gid != 0)
            .filter_map(|(cp, gid)| Some((char::from_u32(*cp)?, *gid)))
            .collect();
        let advances: HashMap<char, f32> = glyphs
            .iter()
            .map(|(c, gid)| (*c, f32::from(font.glyph_widths.get(gid).copied().unwrap_or(0)) / units))
            .collect();
        let fallback = advances.get(&REPLACEMENT).or_else(|| advances.get(&'?')).copied().unwrap_or(0.6);
        Ok(Face {
            style,
            advances,
            glyphs,
            fallback,
            ascent: f32::from(font.font_metrics.ascent) / units,
            descent: -f32::from(font.font_metrics.descent) / units,
        })
    }

    pub fn style(&self) -> Style {
        self.style
    }

    pub fn has(&self, c: char) -> bool {
        self.advances.contains_key(&c)
    }

    /// The advance of one character at `size` points.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.advances.get(&c).copied().unwrap_or(self.fallback) * size
    }

    /// The width of a text at `size` points: the sum of its advances (the PDF is written
    /// without kerning, so this is exactly where a viewer puts the glyphs).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }
}

/// Both faces of the report font.
#[derive(Debug)]
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Fonts, PdfError> {
        Ok(Fonts { regular: Face::load(Style::Regular)?, bold: Face::load(Style::Bold)? })
    }

    pub fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    /// The text as it can be shown: tabs become spaces, other control characters go, and
    /// characters neither face has become the replacement character (so measuring and drawing
    /// agree, and nothing silently disappears).
    pub fn printable(&self, text: &str) -> String {
        text.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if c.is_control() => None,
                // Soft hyphens and zero-width marks have no advance and no glyph worth drawing.
                '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
                c if self.regular.has(c) && self.bold.has(c) => Some(c),
                _ => Some(if self.regular.has(REPLACEMENT) { REPLACEMENT } else { '?' }),
            })
            .collect()
    }
}

/// The face cut down to `chars`, ready to add to a printpdf document.
pub fn subset(face: &Face, chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
    let name = face.style.name();
    let error = |detail: String| PdfError::Subset { name, detail };
    let data = ReadScope::new(face.style.bytes()).read::<FontData<'_>>().map_err(|e| error(e.to_string()))?;
    let provider = data.table_provider(0).map_err(|e| error(e.to_string()))?;
    // Glyph 0 (.notdef) must come first; allsorts numbers the subset's glyphs in this order.
    let used: BTreeSet<u16> = chars.iter().filter_map(|c| face.glyphs.get(c).copied()).collect();
    let glyphs: Vec<u16> = std::iter::once(0).chain(used).collect();
    let bytes = allsorts::subset::subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| error(e.to_string()))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or(PdfError::SubsetUnreadable { name })
}
