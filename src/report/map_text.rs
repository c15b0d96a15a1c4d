//! The map drawing's text, lifted out for the PDF writer.
//!
//! An SVG parser lays out every `<text>` by shaping it, and shaping parses
//! the font's tables again each time: on a 1,000-step map that was most of
//! the report's time. The drawing's text is plain (one line per element,
//! its position, size, weight, colour and anchor written on the element,
//! no transforms), so the writer takes the text elements out, lets the
//! parser draw the shapes, and writes the text itself with the glyph runs
//! the layout measured. It is the same drawing, read two ways.

use crate::fonts::Weight;
use crate::report::page::{Anchor, Run};

/// Colours the drawing's text uses, as static strings for [`Run`].
const PALETTE: [&str; 12] = [
    "#1f2933", "#5f6b7a", "#ffffff", "#2e7d32", "#b7791f", "#c62828", "#8a94a3", "#d9480f", "#1d4ed8", "#6b7280",
    "#15803d", "#000000",
];

fn palette(fill: &str) -> &'static str {
    PALETTE.iter().find(|c| c.eq_ignore_ascii_case(fill)).copied().unwrap_or(PALETTE[0])
}

/// The drawing without its text elements, and the lines of text they held.
/// A drawing that does not parse is returned whole, with no lines, for the
/// SVG parser to report.
#[must_use]
pub fn lift(svg: &str) -> (String, Vec<Run>) {
    let Ok(doc) = roxmltree::Document::parse(svg) else { return (svg.to_owned(), Vec::new()) };
    let mut runs = Vec::new();
    let mut cut = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let num = |name: &str| node.attribute(name).and_then(|v| v.parse::<f64>().ok());
        let (Some(x), Some(y)) = (num("x"), num("y")) else { continue };
        let text: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
        cut.push(node.range());
        if text.trim().is_empty() {
            continue;
        }
        runs.push(Run {
            x,
            y,
            size: num("font-size").unwrap_or(12.0),
            weight: match node.attribute("font-weight") {
                Some("700" | "bold") => Weight::Bold,
                _ => Weight::Regular,
            },
            color: palette(node.attribute("fill").unwrap_or("#1f2933")),
            anchor: match node.attribute("text-anchor") {
                Some("middle") => Anchor::Middle,
                Some("end") => Anchor::End,
                _ => Anchor::Start,
            },
            text,
        });
    }
    let mut shapes = String::with_capacity(svg.len());
    let mut at = 0;
    for r in cut {
        if r.start >= at {
            shapes.push_str(&svg[at..r.start]);
            at = r.end;
        }
    }
    shapes.push_str(&svg[at..]);
    (shapes, runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_out_with_its_place_and_style_and_the_rest_stays() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg"><rect x="1" y="1" width="2" height="2"/><text x="10" y="20" font-size="13" font-weight="700" fill="#c62828" text-anchor="middle">A &amp; B</text><g><text x="1" y="2">c</text></g></svg>"##;
        let (shapes, runs) = lift(svg);
        assert_eq!(
            shapes,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect x="1" y="1" width="2" height="2"/><g></g></svg>"#
        );
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].text.as_str(), runs[0].size, runs[0].weight), ("A & B", 13.0, Weight::Bold));
        assert_eq!((runs[0].color, runs[0].anchor), ("#c62828", Anchor::Middle));
        assert_eq!((runs[1].x, runs[1].y, runs[1].color), (1.0, 2.0, "#1f2933"));
    }
}
