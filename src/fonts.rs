//! The typeface every drawing uses, embedded, and text measured with it.
//!
//! Wrapping a step title is a layout decision; if it were made with guessed
//! widths, the PDF (which embeds this font) and the window could wrap the same
//! title differently, or let it spill over its card. So the drawing names
//! DejaVu Sans, the window loads these same files, the PDF embeds them, and
//! layout measures with their real advances.

use std::sync::OnceLock;

use ttf_parser::Face;

/// The family name the SVG asks for.
pub const FAMILY: &str = "DejaVu Sans";
/// DejaVu Sans, regular.
pub const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// DejaVu Sans, oblique.
pub const OBLIQUE: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Oblique.ttf");

/// Regular or bold: the two weights the drawing uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Headings and figures.
    Bold,
}

struct Faces {
    regular: Option<Face<'static>>,
    bold: Option<Face<'static>>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces { regular: Face::parse(REGULAR, 0).ok(), bold: Face::parse(BOLD, 0).ok() })
}

fn face(weight: Weight) -> Option<&'static Face<'static>> {
    let faces = faces();
    match weight {
        Weight::Regular => faces.regular.as_ref(),
        Weight::Bold => faces.bold.as_ref().or(faces.regular.as_ref()),
    }
}

/// A character's glyph and its advance in ems. Characters the font lacks
/// (emoji, some scripts) get no glyph and one em, as most fallback fonts
/// draw them; control and joining characters take no room.
fn glyph(face: &Face<'_>, c: char) -> (Option<u16>, f64) {
    let per_em = f64::from(face.units_per_em());
    match face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g).map(|a| (g, a))) {
        Some((g, advance)) => (Some(g.0), f64::from(advance) / per_em),
        None if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{FE0F}') => {
            (None, 0.0)
        }
        None => (None, 1.0),
    }
}

/// The advances of the ASCII characters in `weight`, looked up once: layout
/// measures every title, label and foot line of a map on every drawing, and
/// looking each character up in the font's tables was a tenth of drawing a
/// 1,000-step map.
fn ascii_advances(weight: Weight) -> Option<&'static [f64; 128]> {
    static TABLES: OnceLock<[Option<[f64; 128]>; 2]> = OnceLock::new();
    let table = |weight| {
        let face = face(weight)?;
        Some(std::array::from_fn(|i| glyph(face, char::from(u8::try_from(i).unwrap_or(0))).1))
    };
    let tables = TABLES.get_or_init(|| [table(Weight::Regular), table(Weight::Bold)]);
    tables[usize::from(weight == Weight::Bold)].as_ref()
}

/// Width of `text` set at `size` in the given weight.
#[must_use]
pub fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    let (Some(face), Some(ascii)) = (face(weight), ascii_advances(weight)) else {
        // The embedded font always parses; this is only a guard.
        #[allow(clippy::cast_precision_loss, reason = "a title has few characters")]
        return text.chars().count() as f64 * size * 0.6;
    };
    text.chars().map(|c| ascii.get(c as usize).copied().unwrap_or_else(|| glyph(face, c).1)).sum::<f64>() * size
}

/// The glyphs that set `text` in the given weight, one per character, with
/// their advances in ems and the bytes of `text` each stands for: exactly
/// the advances [`text_width`] measures, so what is written into a PDF
/// lines up with what layout planned. (No kerning: the layout measures none.)
#[must_use]
pub fn glyphs(text: &str, weight: Weight) -> Vec<(u16, f64, std::ops::Range<usize>)> {
    let Some(face) = face(weight) else { return Vec::new() };
    text.char_indices()
        .map(|(i, c)| {
            let (g, advance) = glyph(face, c);
            (g.unwrap_or(0), advance, i..i + c.len_utf8())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of ASCII advances is the font's own, character for character.
    #[test]
    fn the_ascii_table_measures_as_the_font_does() {
        for weight in [Weight::Regular, Weight::Bold] {
            let face = face(weight).unwrap_or_else(|| panic!("the embedded font parses"));
            for c in (0..=255u8).map(char::from) {
                let text = c.to_string();
                assert_eq!(text_width(&text, 10.0, weight).to_bits(), (glyph(face, c).1 * 10.0).to_bits(), "{c:?}");
            }
        }
    }

    #[test]
    fn measures_with_the_real_font() {
        let narrow = text_width("iiii", 10.0, Weight::Regular);
        let wide = text_width("MMMM", 10.0, Weight::Regular);
        assert!(wide > 2.5 * narrow, "{wide} vs {narrow}");
        assert!(text_width("Photo", 13.0, Weight::Bold) > text_width("Photo", 13.0, Weight::Regular));
    }
}
