//! Where everything goes on the service blueprint.
//!
//! The blueprint convention: stages are columns in journey order; each
//! department is a swimlane; customer-facing lanes sit above the line of
//! visibility and internal lanes below it, so the drawing itself shows which
//! work the customer sees. Within a cell (one stage, one lane) steps stand left
//! to right in flow order. Layout is pure geometry, separate from drawing, so the
//! window can hit-test the same boxes the SVG draws.

use std::collections::HashMap;

use crate::graph::{FlowGraph, StepIx};
use crate::model::{Facing, Map};
use crate::render::fonts::{self, Weight};

/// Geometry constants of the blueprint, in SVG user units (1 unit = 1 px on screen).
pub mod metrics {
    /// Card width.
    pub const CARD_W: f64 = 168.0;
    /// Card height.
    pub const CARD_H: f64 = 84.0;
    /// Horizontal space between cards in a cell.
    pub const CARD_GAP: f64 = 36.0;
    /// Padding inside a cell.
    pub const CELL_PAD: f64 = 22.0;
    /// Width of the lane headings on the left.
    pub const LANE_HEADER_W: f64 = 190.0;
    /// Height of the map title band.
    pub const TITLE_H: f64 = 56.0;
    /// Height of the emotion curve above the stage headings.
    pub const CURVE_H: f64 = 150.0;
    /// Height of the legend below the lanes.
    pub const LEGEND_H: f64 = 64.0;
    /// Height of the stage headings.
    pub const STAGE_HEADER_H: f64 = 44.0;
    /// Height of a lane with one row of cards; each further row adds a card
    /// and a gap.
    pub const LANE_H: f64 = CARD_H + 2.0 * CELL_PAD + 8.0;
    /// Vertical space between rows of cards in a cell.
    pub const ROW_GAP: f64 = 28.0;
    /// Cards side by side in a cell before a new row starts: keeps a busy
    /// stage from stretching the map sideways.
    pub const CELL_COLUMNS: usize = 2;
    /// Gap that holds the line of visibility.
    pub const VISIBILITY_GAP: f64 = 28.0;
    /// Card title size.
    pub const TITLE_FONT: f64 = 13.0;
    /// Lines of title a card shows before an ellipsis.
    pub const TITLE_LINES: usize = 3;
    /// Outer margin.
    pub const MARGIN: f64 = 16.0;
}
use metrics::*;

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Horizontal centre.
    #[must_use]
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    /// Vertical centre.
    #[must_use]
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    /// Right edge.
    #[must_use]
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    /// Bottom edge.
    #[must_use]
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// A stage column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Index in `Map::stages`.
    pub stage: usize,
    /// The column, heading included.
    pub rect: Rect,
}

/// A department lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Index in `Map::departments`.
    pub department: usize,
    /// The lane, heading included.
    pub rect: Rect,
}

/// A step card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Index in `Map::steps`.
    pub step: StepIx,
    /// The card.
    pub rect: Rect,
    /// The title, wrapped and cut to fit the card.
    pub title_lines: Vec<String>,
}

/// The laid-out blueprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Stage columns, in journey order.
    pub columns: Vec<Column>,
    /// Lanes, customer-facing first.
    pub lanes: Vec<Lane>,
    /// The y of the line of visibility, when there are lanes on both sides.
    pub visibility_y: Option<f64>,
    /// The band of the emotion curve, across the stage columns.
    pub curve: Rect,
    /// The legend's band under the lanes.
    pub legend: Rect,
    /// Cards of the steps that name a known stage and department, in map order.
    pub cards: Vec<Card>,
    /// For each step, the position of its card in `cards`.
    card_of: Vec<Option<usize>>,
}

impl Layout {
    /// The card of a step, if it was placed.
    #[must_use]
    pub fn card(&self, step: StepIx) -> Option<&Card> {
        self.card_of.get(step).copied().flatten().map(|i| &self.cards[i])
    }
}

/// Lays out `map` as a service blueprint.
#[must_use]
pub fn layout(map: &Map) -> Layout {
    let stage_ix: HashMap<&str, usize> = map.stages.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).rev().collect();
    let dept_ix: HashMap<&str, usize> =
        map.departments.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).rev().collect();

    // Lanes: customer-facing departments first, each group in map order.
    let mut lane_order: Vec<usize> = (0..map.departments.len()).collect();
    lane_order.sort_by_key(|&d| (map.departments[d].facing == Facing::Internal, d));
    let lane_of: HashMap<usize, usize> = lane_order.iter().enumerate().map(|(lane, &d)| (d, lane)).collect();

    // Steps in flow order, so that within a cell they read left to right; map
    // order when the forward flows loop (an invalid map still draws).
    let order = FlowGraph::build(map).stable_topological_order().unwrap_or_else(|| (0..map.steps.len()).collect());
    let mut cells: HashMap<(usize, usize), Vec<StepIx>> = HashMap::new();
    for s in order {
        let step = &map.steps[s];
        if let (Some(&st), Some(&d)) = (stage_ix.get(step.stage.as_str()), dept_ix.get(step.department.as_str())) {
            cells.entry((st, lane_of[&d])).or_default().push(s);
        }
    }

    // Column widths: room for the fullest cell of the stage.
    let mut columns = Vec::with_capacity(map.stages.len());
    let mut x = MARGIN + LANE_HEADER_W;
    let top = MARGIN + TITLE_H + CURVE_H;
    for st in 0..map.stages.len() {
        let most = (0..lane_order.len())
            .map(|lane| cells.get(&(st, lane)).map_or(0, Vec::len))
            .max()
            .unwrap_or(0)
            .clamp(1, CELL_COLUMNS);
        #[allow(clippy::cast_precision_loss, reason = "a cell holds few cards")]
        let w = 2.0 * CELL_PAD + most as f64 * CARD_W + (most - 1) as f64 * CARD_GAP;
        columns.push(Column { stage: st, rect: Rect { x, y: top, w, h: 0.0 } });
        x += w;
    }
    let width = x + MARGIN;

    let customer_lanes = lane_order.iter().filter(|&&d| map.departments[d].facing == Facing::Customer).count();
    let has_both = customer_lanes > 0 && customer_lanes < lane_order.len();
    let mut lanes = Vec::with_capacity(lane_order.len());
    let mut y = top + STAGE_HEADER_H;
    let mut visibility_y = None;
    for (lane, &d) in lane_order.iter().enumerate() {
        if has_both && lane == customer_lanes {
            visibility_y = Some(y + VISIBILITY_GAP / 2.0);
            y += VISIBILITY_GAP;
        }
        let rows = (0..map.stages.len())
            .map(|st| cells.get(&(st, lane)).map_or(0, Vec::len).div_ceil(CELL_COLUMNS))
            .max()
            .unwrap_or(0)
            .max(1);
        #[allow(clippy::cast_precision_loss, reason = "a cell holds few rows")]
        let h = LANE_H + (rows - 1) as f64 * (CARD_H + ROW_GAP);
        lanes.push(Lane { department: d, rect: Rect { x: MARGIN, y, w: width - 2.0 * MARGIN, h } });
        y += h;
    }
    let legend = Rect { x: MARGIN, y: y + 12.0, w: width - 2.0 * MARGIN, h: LEGEND_H };
    let height = legend.bottom() + MARGIN;
    let curve = Rect { x: MARGIN, y: MARGIN + TITLE_H, w: width - 2.0 * MARGIN, h: CURVE_H };
    for c in &mut columns {
        c.rect.h = y - top;
    }

    let mut cards = Vec::with_capacity(map.steps.len());
    for ((st, lane), steps) in &cells {
        let col = &columns[*st].rect;
        let row = &lanes[*lane].rect;
        for (k, &s) in steps.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "a cell holds few cards")]
            let (cx, cy) = (
                col.x + CELL_PAD + (k % CELL_COLUMNS) as f64 * (CARD_W + CARD_GAP),
                row.y + (LANE_H - CARD_H) / 2.0 + (k / CELL_COLUMNS) as f64 * (CARD_H + ROW_GAP),
            );
            let rect = Rect { x: cx, y: cy, w: CARD_W, h: CARD_H };
            let title_lines = wrap(&map.steps[s].title, CARD_W - 20.0, TITLE_FONT, TITLE_LINES);
            cards.push(Card { step: s, rect, title_lines });
        }
    }
    cards.sort_by_key(|c| c.step);
    let mut card_of = vec![None; map.steps.len()];
    for (i, c) in cards.iter().enumerate() {
        card_of[c.step] = Some(i);
    }
    Layout { width, height, columns, lanes, visibility_y, curve, legend, cards, card_of }
}

/// Width of `text` at `font_size` in the drawing's regular face.
#[must_use]
pub fn text_width(text: &str, font_size: f64) -> f64 {
    fonts::text_width(text, font_size, Weight::Regular)
}

/// Wraps `text` into at most `max_lines` lines no wider than `max_width`,
/// breaking at spaces where it can and inside words where it must; the last
/// line ends in an ellipsis when text was left out.
#[must_use]
pub fn wrap(text: &str, max_width: f64, font_size: f64, max_lines: usize) -> Vec<String> {
    wrap_in(text, max_width, font_size, max_lines, Weight::Regular)
}

/// [`wrap`] in a given weight.
#[must_use]
pub fn wrap_in(text: &str, max_width: f64, font_size: f64, max_lines: usize, weight: Weight) -> Vec<String> {
    let text_width = |t: &str, size: f64| fonts::text_width(t, size, weight);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut truncated = false;
    'words: for word in words {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if text_width(&candidate, font_size) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            if lines.len() == max_lines {
                truncated = true;
                break;
            }
        }
        // The word alone may still be too wide: break it by characters.
        for c in word.chars() {
            line.push(c);
            if text_width(&line, font_size) > max_width {
                line.pop();
                lines.push(std::mem::take(&mut line));
                if lines.len() == max_lines {
                    truncated = true;
                    break 'words;
                }
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        if lines.len() < max_lines {
            lines.push(line);
        } else {
            truncated = true;
        }
    }
    if truncated && let Some(last) = lines.last_mut() {
        while !last.is_empty() && text_width(&format!("{last}…"), font_size) > max_width {
            last.pop();
        }
        *last = format!("{}…", last.trim_end());
    }
    lines
}
