//! The legend under the lanes: what every mark of the drawing means.
//!
//! Its entries flow into as many rows as the drawing's width needs, so a
//! narrow drawing (a small map, a dense layout) keeps its legend whole
//! instead of running it off the edge. The layout asks how many rows that
//! takes ([`rows`], [`height`]); the renderer draws them ([`draw`]).

use std::fmt::Write as _;

use super::blueprint::colors::{GOOD, INK, MUTED, NEAR, PAIN, POOR, REWORK, UNSCORED};
use crate::layout::Layout;
use crate::render::escape::text;
use crate::render::fonts::{self, Weight};

/// A mark of the legend.
#[derive(Clone, Copy)]
enum Mark {
    Score(&'static str),
    Card {
        backstage: bool,
    },
    Rework,
    Halo,
    Pain,
    /// A sample of a label as the drawing prints it.
    Sample {
        text: &'static str,
        color: &'static str,
    },
}

/// Every entry: its mark and what it means.
const ITEMS: [(Mark, &str); 14] = [
    (Mark::Score(GOOD), "meets target"),
    (Mark::Score(NEAR), "within 0.5 of target"),
    (Mark::Score(POOR), "further below"),
    (Mark::Score(UNSCORED), "not scored"),
    (Mark::Card { backstage: false }, "frontstage"),
    (Mark::Card { backstage: true }, "backstage"),
    (Mark::Rework, "rework: sent back"),
    (Mark::Halo, "weak spot (halo grows with its share)"),
    (Mark::Pain, "open pain points (votes)"),
    (Mark::Sample { text: "60%", color: MUTED }, "share of customers taking a branch"),
    (Mark::Sample { text: "SLA 4 / 5 min", color: GOOD }, "agreement met (actual / promised minutes)"),
    (Mark::Sample { text: "SLA 14 / 5 min", color: POOR }, "agreement breached"),
    (Mark::Sample { text: "SLA 5 min", color: UNSCORED }, "agreement not measured"),
    (Mark::Sample { text: "1.5–3.0 ×3", color: NEAR }, "lowest and highest of 3 ratings (bold: 1.5 or more apart)"),
];

/// Room for the word "Legend" before the first entry of the first row.
const INDENT: f64 = 70.0;
const ROW_H: f64 = 20.0;
const LABEL_SIZE: f64 = 11.0;
const SAMPLE_SIZE: f64 = 10.5;

fn mark_width(m: Mark) -> f64 {
    match m {
        Mark::Sample { text, .. } => fonts::text_width(text, SAMPLE_SIZE, Weight::Bold),
        _ => 20.0,
    }
}

fn item_width((m, label): (Mark, &str)) -> f64 {
    mark_width(m) + 6.0 + fonts::text_width(label, LABEL_SIZE, Weight::Regular) + 18.0
}

/// The entries laid out in rows no wider than `width`: each row lists the
/// entry's index and its x from the legend's left edge.
#[must_use]
pub fn rows(width: f64) -> Vec<Vec<(usize, f64)>> {
    let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    let mut x = INDENT;
    for (i, item) in ITEMS.iter().enumerate() {
        let w = item_width(*item);
        if x + w > width && rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
            x = INDENT;
        }
        if let Some(row) = rows.last_mut() {
            row.push((i, x));
        }
        x += w;
    }
    rows
}

/// The legend's height for `rows` rows.
#[must_use]
pub fn height(rows: usize) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "a legend has few rows")]
    let h = 12.0 + rows as f64 * ROW_H;
    h
}

fn mark(s: &mut String, m: Mark, x: f64, y: f64) {
    let _ = match m {
        Mark::Score(color) => {
            write!(s, r#"<rect x="{x:.1}" y="{:.1}" width="20" height="12" rx="6" fill="{color}"/>"#, y - 10.0)
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
        Mark::Sample { text: sample, color } => write!(
            s,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{SAMPLE_SIZE}" font-weight="700" fill="{color}">{}</text>"#,
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
