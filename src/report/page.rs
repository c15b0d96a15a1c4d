//! A report page as SVG, in points. Report pages are drawn the same way as
//! the map (SVG from the core, text measured with the embedded font), so one
//! renderer serves the window, the PNG and every page of the PDF.

use std::fmt::Write as _;

use crate::layout::wrap_in;
use crate::render::escape::text;
use crate::render::fonts::{FAMILY, Weight};

/// Ink colours shared by the report pages.
pub mod ink {
    /// Body text.
    pub const TEXT: &str = "#1f2933";
    /// Secondary text.
    pub const MUTED: &str = "#5f6b7a";
    /// Rules and grid lines.
    pub const RULE: &str = "#d9dee5";
    /// Bad news.
    pub const POOR: &str = "#c62828";
}

/// One page being drawn: an SVG canvas of `width` × `height` points.
#[derive(Debug)]
pub struct PageSvg {
    body: String,
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
}

impl PageSvg {
    /// A blank page.
    #[must_use]
    pub fn new(width: f64, height: f64) -> Self {
        Self { body: String::new(), width, height }
    }

    /// One line of text, cut with an ellipsis to `max_width`.
    #[allow(clippy::too_many_arguments, reason = "a text run has this many properties")]
    pub fn text(&mut self, x: f64, y: f64, size: f64, weight: Weight, color: &str, max_width: f64, content: &str) {
        let line = wrap_in(content, max_width, size, 1, weight).join("");
        self.raw_text(x, y, size, weight, color, "start", &line);
    }

    /// Text ending at `x` (numbers in table columns).
    pub fn text_right(&mut self, x: f64, y: f64, size: f64, weight: Weight, color: &str, content: &str) {
        self.raw_text(x, y, size, weight, color, "end", content);
    }

    #[allow(clippy::too_many_arguments, reason = "a text run has this many properties")]
    fn raw_text(&mut self, x: f64, y: f64, size: f64, weight: Weight, color: &str, anchor: &str, content: &str) {
        let bold = if weight == Weight::Bold { r#" font-weight="700""# } else { "" };
        let _ = write!(
            self.body,
            r#"<text x="{x:.2}" y="{y:.2}" font-size="{size}"{bold} fill="{color}" text-anchor="{anchor}">{}</text>"#,
            text(content)
        );
    }

    /// Wrapped text; returns the height used.
    #[allow(clippy::too_many_arguments, reason = "a text block has this many properties")]
    pub fn paragraph(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        weight: Weight,
        color: &str,
        max_width: f64,
        max_lines: usize,
        content: &str,
    ) -> f64 {
        let lines = wrap_in(content, max_width, size, max_lines, weight);
        let leading = size * 1.3;
        for (i, line) in lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "few lines")]
            self.raw_text(x, y + i as f64 * leading, size, weight, color, "start", line);
        }
        #[allow(clippy::cast_precision_loss, reason = "few lines")]
        let used = lines.len() as f64 * leading;
        used
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, radius: f64) {
        let _ = write!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" rx="{radius:.1}" fill="{fill}"/>"#
        );
    }

    /// A horizontal rule.
    pub fn rule(&mut self, x1: f64, x2: f64, y: f64) {
        let _ = write!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y:.2}" x2="{x2:.2}" y2="{y:.2}" stroke="{}" stroke-width="0.75"/>"#,
            ink::RULE
        );
    }

    /// Markup drawn elsewhere in the core (a chart), already escaped.
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// The finished SVG document.
    #[must_use]
    pub fn finish(self) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.2} {h:.2}" width="{w:.2}" height="{h:.2}" font-family="'{FAMILY}', sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>{}</svg>"##,
            self.body,
            w = self.width,
            h = self.height
        )
    }
}
