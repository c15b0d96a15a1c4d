//! The legend under the lanes, drawn: what every mark of the drawing means.
//!
//! What it says and where each entry stands is the layout's
//! (`layout/legend.rs`: the rows follow the drawing's width); this draws each
//! entry's mark in the drawing's colours, and its words ([`draw`]).

use std::fmt::Write as _;

use super::blueprint::colors::{GOOD, INK, MUTED, NEAR, PAIN, POOR, REWORK, UNSCORED};
use crate::layout::Layout;
use crate::layout::legend::{ITEMS, LABEL_SIZE, Mark, ROW_H, SAMPLE_SIZE, Tone, mark_width};
use crate::render::escape::text;

/// A tone's colour.
fn color(tone: Tone) -> &'static str {
    match tone {
        Tone::Good => GOOD,
        Tone::Near => NEAR,
        Tone::Poor => POOR,
        Tone::Unscored => UNSCORED,
        Tone::Muted => MUTED,
    }
}

fn mark(s: &mut String, m: Mark, x: f64, y: f64) {
    let _ = match m {
        Mark::Score(tone) => {
            let fill = color(tone);
            write!(s, r#"<rect x="{x:.1}" y="{:.1}" width="20" height="12" rx="6" fill="{fill}"/>"#, y - 10.0)
        }
        Mark::Card { backstage } => {
            let (fill, dash) = if backstage { ("#f3f4f6", r#" stroke-dasharray="4 3""#) } else { ("#ffffff", "") };
            write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="3" fill="{fill}" stroke="{MUTED}" stroke-width="1.5"{dash}/>"#,
                y - 11.0
            )
        }
        Mark::Rework => write!(
            s,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{REWORK}" stroke-width="1.6" stroke-dasharray="7 5"/>"#,
            y - 4.0,
            x + 20.0,
            y - 4.0
        ),
        Mark::Halo => write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="5" fill="{POOR}" fill-opacity="0.16" stroke="{POOR}" stroke-opacity="0.55"/>"#,
            y - 11.0
        ),
        Mark::Pain => write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="7" fill="{PAIN}"/><text x="{:.1}" y="{y:.1}" font-size="9" font-weight="700" fill="#ffffff" text-anchor="middle">3</text>"##,
            y - 11.0,
            x + 10.0
        ),
        Mark::Sample { text: sample, tone } => write!(
            s,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{SAMPLE_SIZE}" font-weight="700" fill="{}">{}</text>"#,
            color(tone),
            text(sample)
        ),
    };
}

/// Draws the legend in its band.
pub fn draw(s: &mut String, lay: &Layout) {
    let r = lay.legend;
    let _ = write!(
        s,
        r#"<g class="legend"><text x="{:.1}" y="{:.1}" font-size="12" font-weight="700" fill="{INK}">Legend</text>"#,
        r.x,
        r.y + ROW_H
    );
    for (k, row) in lay.legend_rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "a legend has few rows")]
        let y = r.y + ROW_H * (k + 1) as f64;
        for &(i, dx) in row {
            let Some(&(m, label)) = ITEMS.get(i) else { continue };
            let x = r.x + dx;
            mark(s, m, x, y);
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" font-size="{LABEL_SIZE}" fill="{INK}">{}</text>"#,
                x + mark_width(m) + 6.0,
                text(label)
            );
        }
    }
    s.push_str("</g>");
}
