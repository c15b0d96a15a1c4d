//! What the legend under the lanes says, and where its entries stand.
//!
//! Its entries flow into as many rows as the drawing's width needs, so a
//! narrow drawing (a small map, a dense layout) keeps its legend whole
//! instead of running it off the edge. How many rows that takes is
//! geometry, decided here with the layout ([`rows`], [`height`]); how each
//! mark looks is the renderer's (`render/legend.rs`), which names each
//! [`Tone`]'s colour.

use crate::fonts::{self, Weight};

/// A mark of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A score band's swatch.
    Score(Tone),
    /// A step card.
    Card {
        /// Drawn as a backstage card (dashed).
        backstage: bool,
    },
    /// A rework connector.
    Rework,
    /// A weak spot's halo.
    Halo,
    /// A pain point's badge.
    Pain,
    /// A sample of a label as the drawing prints it.
    Sample {
        /// The label.
        text: &'static str,
        /// Its colour.
        tone: Tone,
    },
}

/// The colours a mark is drawn in, by what they mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// At or above target; an agreement met.
    Good,
    /// Below target by at most half a point.
    Near,
    /// Further below; an agreement breached.
    Poor,
    /// Not scored, not measured.
    Unscored,
    /// Secondary text.
    Muted,
}

/// Every entry: its mark and what it means.
pub const ITEMS: [(Mark, &str); 14] = [
    (Mark::Score(Tone::Good), "meets target"),
    (Mark::Score(Tone::Near), "within 0.5 of target"),
    (Mark::Score(Tone::Poor), "further below"),
    (Mark::Score(Tone::Unscored), "not scored"),
    (Mark::Card { backstage: false }, "frontstage"),
    (Mark::Card { backstage: true }, "backstage"),
    (Mark::Rework, "rework: sent back"),
    (Mark::Halo, "weak spot (halo grows with its share)"),
    (Mark::Pain, "open pain points (votes)"),
    (Mark::Sample { text: "60%", tone: Tone::Muted }, "share of customers taking a branch"),
    (Mark::Sample { text: "SLA 4 / 5 min", tone: Tone::Good }, "agreement met (actual / promised time)"),
    (Mark::Sample { text: "SLA 2 days / 1 hour", tone: Tone::Poor }, "agreement breached"),
    (Mark::Sample { text: "SLA 5 min", tone: Tone::Unscored }, "agreement not measured"),
    (
        Mark::Sample { text: "1.5–3.0 ×3", tone: Tone::Near },
        "lowest and highest of 3 ratings (bold: 1.5 or more apart)",
    ),
];

/// Room for the word "Legend" before the first entry of the first row.
pub const INDENT: f64 = 70.0;
/// The height of a row.
pub const ROW_H: f64 = 20.0;
/// The size of an entry's words.
pub const LABEL_SIZE: f64 = 11.0;
/// The size of a sample label.
pub const SAMPLE_SIZE: f64 = 10.5;

/// How wide `m` is drawn.
#[must_use]
pub fn mark_width(m: Mark) -> f64 {
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
