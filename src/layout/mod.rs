//! Where everything goes on the service blueprint.
//!
//! The blueprint convention: stages are columns in journey order; each
//! department is a swimlane; customer-facing lanes sit above the line of
//! visibility and internal lanes below it, so the drawing itself shows which
//! work the customer sees. Within a cell (one stage, one lane) steps stand left
//! to right, then top to bottom, in flow order. Layout is pure geometry,
//! separate from drawing, so the window can hit-test the same boxes the SVG
//! draws.
//!
//! The drawing is as dense as its cards allow: a lane is as tall as its
//! fullest cell, a stage as wide as its cards, a stage or lane with no cards
//! as small as its heading. How many cards stand side by side in a stage is
//! chosen so the whole drawing comes as close as it can to the shape of a
//! landscape page (and screen), which is what lets a map of forty steps print
//! on one A3 sheet. Between every two columns of cards and every two rows
//! runs a free channel; [`route`] draws the connectors along them, so no
//! connector passes under a card it does not connect.

pub mod legend;
pub mod route;

use rustc_hash::FxHashMap as HashMap;

use crate::fonts::{self, Weight};
use crate::graph::{FlowGraph, StepIx};
use crate::model::{Facing, Map};

/// Geometry constants of the blueprint, in SVG user units (1 unit = 1 px on screen).
pub mod metrics {
    /// Card width.
    pub const CARD_W: f64 = 156.0;
    /// Card height.
    pub const CARD_H: f64 = 84.0;
    /// Horizontal space between cards side by side in a cell: a channel for
    /// connectors, wide enough for a share label.
    pub const CARD_GAP: f64 = 30.0;
    /// Vertical space between rows of cards in a cell.
    pub const ROW_GAP: f64 = 26.0;
    /// Padding inside a cell on every side; two make the channel between
    /// neighbouring cells.
    pub const CELL_PAD: f64 = 15.0;
    /// Width of the lane headings on the left.
    pub const LANE_HEADER_W: f64 = 140.0;
    /// Height of the map title band.
    pub const TITLE_H: f64 = 56.0;
    /// Height of the emotion curve above the stage headings.
    pub const CURVE_H: f64 = 84.0;
    /// Height of the stage headings (two lines).
    pub const STAGE_HEADER_H: f64 = 44.0;
    /// Gap that holds the line of visibility.
    pub const VISIBILITY_GAP: f64 = 24.0;
    /// Card title size.
    pub const TITLE_FONT: f64 = 13.0;
    /// Lines of title a card shows before an ellipsis.
    pub const TITLE_LINES: usize = 3;
    /// Lines of a lane's name.
    pub const LANE_NAME_LINES: usize = 3;
    /// Lines of a stage's name.
    pub const STAGE_NAME_LINES: usize = 2;
    /// Size of lane and stage headings.
    pub const HEADING_FONT: f64 = 13.0;
    /// Outer margin.
    pub const MARGIN: f64 = 16.0;
    /// The shape the drawing aims for, width over height: a landscape page's
    /// printable area (A3 and A4 alike) and most screens.
    pub const TARGET_ASPECT: f64 = 1.5;
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
    /// Whether the two boxes overlap (touching edges do not).
    #[must_use]
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }
    /// The box grown by `d` on every side.
    #[must_use]
    pub fn grown(&self, d: f64) -> Rect {
        Rect { x: self.x - d, y: self.y - d, w: self.w + 2.0 * d, h: self.h + 2.0 * d }
    }
}

/// A stage column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Index in `Map::stages`.
    pub stage: usize,
    /// The column, heading included.
    pub rect: Rect,
    /// Cards side by side in each of its cells.
    pub card_columns: usize,
    /// Its name, wrapped to the column.
    pub name_lines: Vec<String>,
}

/// A department lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Index in `Map::departments`.
    pub department: usize,
    /// The lane, heading included.
    pub rect: Rect,
    /// Its name, wrapped to the heading.
    pub name_lines: Vec<String>,
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
    /// The legend's rows: each entry an item of [`legend::ITEMS`] and its x.
    pub legend_rows: Vec<Vec<(usize, f64)>>,
    /// Cards of the steps that name a known stage and department, in map order.
    pub cards: Vec<Card>,
    /// The x of every free vertical channel (between stages and between cards
    /// side by side), ascending: no card crosses one.
    pub v_channels: Vec<f64>,
    /// The y of every free horizontal channel (between lanes and between rows
    /// of cards), ascending: no card crosses one.
    pub h_channels: Vec<f64>,
    /// For each step, the position of its card in `cards`.
    card_of: Vec<Option<usize>>,
}

impl Layout {
    /// The card of a step, if it was placed.
    #[must_use]
    pub fn card(&self, step: StepIx) -> Option<&Card> {
        self.card_of.get(step).copied().flatten().map(|i| &self.cards[i])
    }

    /// The lane a y lies in, when it lies in one.
    #[must_use]
    pub fn lane_at(&self, y: f64) -> Option<&Lane> {
        self.lanes.iter().find(|l| y >= l.rect.y && y < l.rect.bottom())
    }
}

/// How the cards of each cell stand: counts per (stage, lane) and the widths
/// and heights they lead to for a choice of cards side by side per stage.
struct Grid {
    /// `count[stage][lane]`.
    count: Vec<Vec<usize>>,
    /// `cells[stage][lane]`: the steps of each cell and the flows between them.
    cells: Vec<Vec<Cell>>,
    /// Height of each lane's heading.
    lane_min: Vec<f64>,
    /// Width of each empty stage (its heading).
    stage_min: Vec<f64>,
    /// Height outside the lanes: title, curve, headings, legend, margins.
    fixed_h: f64,
    /// Rows a cell takes, by (stage, lane, columns): the column choice asks
    /// again and again.
    rows_known: std::cell::RefCell<HashMap<(usize, usize, usize), usize>>,
}

/// The steps of one lane in one stage, in flow order, and the forward flows
/// between them, by position in that order.
#[derive(Debug, Default, Clone)]
struct Cell {
    /// Each step's predecessors within the cell (earlier positions only:
    /// the order is topological).
    before: Vec<Vec<usize>>,
}

impl Cell {
    /// Each step's (row, column) with `columns` cards side by side: in flow
    /// order, each in the lowest free row of a column no further left than
    /// any of its predecessors'. A flow within the cell points right, or
    /// straight down when the cell has no column further right: never left,
    /// so a lane's steps read as the journey runs, and parallel steps share
    /// the rows.
    fn place(&self, columns: usize) -> Vec<(usize, usize)> {
        let columns = columns.max(1);
        let mut next_free = vec![0usize; columns];
        let mut at: Vec<(usize, usize)> = Vec::with_capacity(self.before.len());
        for i in 0..self.before.len() {
            let earliest = self.before[i].iter().map(|&b| at[b].1).max().unwrap_or(0);
            let col = (earliest..columns).min_by_key(|&c| (next_free[c], c)).unwrap_or(earliest);
            at.push((next_free[col], col));
            next_free[col] += 1;
        }
        at
    }

    fn rows(&self, columns: usize) -> usize {
        self.place(columns).iter().map(|&(r, _)| r + 1).max().unwrap_or(0)
    }
}

impl Grid {
    fn most(&self, stage: usize) -> usize {
        self.count[stage].iter().copied().max().unwrap_or(0)
    }

    fn stage_w(&self, stage: usize, cols: usize) -> f64 {
        if self.most(stage) == 0 {
            return self.stage_min[stage];
        }
        #[allow(clippy::cast_precision_loss, reason = "a cell holds few columns")]
        let w = 2.0 * CELL_PAD + cols as f64 * CARD_W + (cols - 1) as f64 * CARD_GAP;
        w.max(self.stage_min[stage])
    }

    fn rows(&self, lane: usize, cols: &[usize]) -> usize {
        (0..self.count.len())
            .map(|st| {
                if self.count[st][lane] <= 1 {
                    return self.count[st][lane];
                }
                let key = (st, lane, cols[st]);
                if let Some(&rows) = self.rows_known.borrow().get(&key) {
                    return rows;
                }
                let rows = self.cells[st][lane].rows(cols[st]);
                self.rows_known.borrow_mut().insert(key, rows);
                rows
            })
            .max()
            .unwrap_or(0)
    }

    fn lane_h(&self, lane: usize, rows: usize) -> f64 {
        if rows == 0 {
            return self.lane_min[lane];
        }
        #[allow(clippy::cast_precision_loss, reason = "a cell holds few rows")]
        let h = 2.0 * CELL_PAD + rows as f64 * CARD_H + (rows - 1) as f64 * ROW_GAP;
        h.max(self.lane_min[lane])
    }

    /// Width and height of the whole drawing for this choice.
    fn size(&self, cols: &[usize], extra_h: f64) -> (f64, f64) {
        let w: f64 = (0..cols.len()).map(|st| self.stage_w(st, cols[st])).sum();
        let lanes = self.lane_min.len();
        let h: f64 = (0..lanes).map(|l| self.lane_h(l, self.rows(l, cols))).sum();
        (2.0 * MARGIN + LANE_HEADER_W + w, self.fixed_h + extra_h + h)
    }

    /// Cards side by side per stage, chosen so the drawing fits a page of
    /// [`TARGET_ASPECT`] at the largest scale: from one card per stage and
    /// from two, it widens or narrows one stage at a time while that helps,
    /// and keeps the better of the two ends. A stage never gets more than its
    /// fullest cell holds.
    fn choose_columns(&self, extra_h: f64) -> Vec<usize> {
        let stages = self.count.len();
        // Fit on a page of the target shape, up to a common factor.
        let fit = |cols: &[usize]| {
            let (w, h) = self.size(cols, extra_h);
            (TARGET_ASPECT / w).min(1.0 / h)
        };
        let climb = |mut cols: Vec<usize>| {
            let mut best = fit(&cols);
            loop {
                let mut choice: Option<(usize, usize, f64)> = None;
                for st in 0..stages {
                    let here = cols[st];
                    for next in [here + 1, here.saturating_sub(1)] {
                        if next == 0 || next > self.most(st).max(1) || next == here {
                            continue;
                        }
                        cols[st] = next;
                        let f = fit(&cols);
                        cols[st] = here;
                        if f > best * (1.0 + 1e-9) && choice.is_none_or(|(.., g)| f > g) {
                            choice = Some((st, next, f));
                        }
                    }
                }
                let Some((st, next, f)) = choice else { return (best, cols) };
                cols[st] = next;
                best = f;
            }
        };
        let one = climb(vec![1; stages]);
        let two = climb((0..stages).map(|st| self.most(st).clamp(1, 2)).collect());
        if two.0 > one.0 * (1.0 + 1e-9) { two.1 } else { one.1 }
    }
}

/// Everything [`layout`] reads of a map: the stages' and departments' ids
/// and names, which departments face the customer, each step's id, stage,
/// department and title, and each flow's ends and kind. A score, a share or
/// a note changes none of it, so the layout of the drawing before stands
/// (see [`route::Routing::layout`]).
#[derive(Debug)]
pub(crate) struct LayoutInputs {
    stages: Vec<(String, String)>,
    departments: Vec<(String, String, Facing)>,
    steps: Vec<(String, String, String, String)>,
    flows: Vec<(String, String, crate::model::FlowKind)>,
}

impl LayoutInputs {
    pub(crate) fn of(map: &Map) -> Self {
        Self {
            stages: map.stages.iter().map(|s| (s.id.clone(), s.name.clone())).collect(),
            departments: map.departments.iter().map(|d| (d.id.clone(), d.name.clone(), d.facing)).collect(),
            steps: map
                .steps
                .iter()
                .map(|s| (s.id.clone(), s.stage.clone(), s.department.clone(), s.title.clone()))
                .collect(),
            flows: map.flows.iter().map(|f| (f.from.clone(), f.to.clone(), f.kind)).collect(),
        }
    }

    /// Whether [`layout`] would read the same of `map`, compared in place.
    pub(crate) fn same(&self, map: &Map) -> bool {
        self.stages.len() == map.stages.len()
            && self.stages.iter().zip(&map.stages).all(|((id, name), s)| *id == s.id && *name == s.name)
            && self.departments.len() == map.departments.len()
            && self
                .departments
                .iter()
                .zip(&map.departments)
                .all(|((id, name, facing), d)| *id == d.id && *name == d.name && *facing == d.facing)
            && self.steps.len() == map.steps.len()
            && self.steps.iter().zip(&map.steps).all(|((id, stage, department, title), s)| {
                *id == s.id && *stage == s.stage && *department == s.department && *title == s.title
            })
            && self.flows.len() == map.flows.len()
            && self
                .flows
                .iter()
                .zip(&map.flows)
                .all(|((from, to, kind), f)| *from == f.from && *to == f.to && *kind == f.kind)
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
    let mut cells: HashMap<(usize, usize), Vec<StepIx>> = HashMap::default();
    let mut count = vec![vec![0; lane_order.len()]; map.stages.len()];
    for s in order {
        let step = &map.steps[s];
        if let (Some(&st), Some(&d)) = (stage_ix.get(step.stage.as_str()), dept_ix.get(step.department.as_str())) {
            cells.entry((st, lane_of[&d])).or_default().push(s);
            count[st][lane_of[&d]] += 1;
        }
    }

    let lane_names: Vec<Vec<String>> = lane_order
        .iter()
        .map(|&d| wrap_in(&map.departments[d].name, LANE_HEADER_W - 30.0, HEADING_FONT, LANE_NAME_LINES, Weight::Bold))
        .collect();
    #[allow(clippy::cast_precision_loss, reason = "at most three lines")]
    let lane_min = lane_names.iter().map(|n| 46.0 + 17.0 * n.len().max(1) as f64).collect();
    let stage_min = map
        .stages
        .iter()
        .map(|s| (fonts::text_width(&s.name, HEADING_FONT, Weight::Bold).min(150.0) + 24.0).max(96.0))
        .collect();
    let customer_lanes = lane_order.iter().filter(|&&d| map.departments[d].facing == Facing::Customer).count();
    let has_both = customer_lanes > 0 && customer_lanes < lane_order.len();
    let cell_of: HashMap<usize, (usize, usize, usize)> = cells
        .iter()
        .flat_map(|(&(st, lane), steps)| steps.iter().enumerate().map(move |(k, &s)| (s, (st, lane, k))))
        .collect();
    let step_ix: HashMap<&str, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).rev().collect();
    let mut before: HashMap<(usize, usize), Vec<Vec<usize>>> =
        cells.iter().map(|(&key, steps)| (key, vec![Vec::new(); steps.len()])).collect();
    for flow in map.flows.iter().filter(|f| f.kind == crate::model::FlowKind::Flow) {
        let (Some(a), Some(b)) = (step_ix.get(flow.from.as_str()), step_ix.get(flow.to.as_str())) else { continue };
        if let (Some(&(st, lane, i)), Some(&(st2, lane2, j))) = (cell_of.get(a), cell_of.get(b))
            && (st, lane) == (st2, lane2)
            && i < j
            && let Some(list) = before.get_mut(&(st, lane))
        {
            list[j].push(i);
        }
    }
    let grid_cells: Vec<Vec<Cell>> = (0..map.stages.len())
        .map(|st| {
            (0..lane_order.len()).map(|lane| Cell { before: before.remove(&(st, lane)).unwrap_or_default() }).collect()
        })
        .collect();
    let grid = Grid {
        rows_known: std::cell::RefCell::default(),
        cells: grid_cells,
        count,
        lane_min,
        stage_min,
        fixed_h: 2.0 * MARGIN + TITLE_H + CURVE_H + STAGE_HEADER_H + if has_both { VISIBILITY_GAP } else { 0.0 },
    };
    // The legend's height depends on the width, which the choice decides;
    // two rows is what most maps get, and the choice is not sensitive to it.
    let cols = grid.choose_columns(12.0 + legend::height(2));

    let mut columns = Vec::with_capacity(map.stages.len());
    let mut x = MARGIN + LANE_HEADER_W;
    let top = MARGIN + TITLE_H + CURVE_H;
    for (st, &per_row) in cols.iter().enumerate() {
        let w = grid.stage_w(st, per_row);
        let name_lines = wrap_in(&map.stages[st].name, w - 16.0, HEADING_FONT, STAGE_NAME_LINES, Weight::Bold);
        columns.push(Column { stage: st, rect: Rect { x, y: top, w, h: 0.0 }, card_columns: per_row, name_lines });
        x += w;
    }
    let width = x + MARGIN;

    let mut lanes = Vec::with_capacity(lane_order.len());
    let mut y = top + STAGE_HEADER_H;
    let mut visibility_y = None;
    let mut h_channels = vec![y];
    for (lane, &d) in lane_order.iter().enumerate() {
        if has_both && lane == customer_lanes {
            visibility_y = Some(y + VISIBILITY_GAP / 2.0);
            y += VISIBILITY_GAP;
            h_channels.push(y);
        }
        let rows = grid.rows(lane, &cols);
        let h = grid.lane_h(lane, rows);
        for r in 1..rows {
            #[allow(clippy::cast_precision_loss, reason = "a cell holds few rows")]
            h_channels.push(y + CELL_PAD + r as f64 * (CARD_H + ROW_GAP) - ROW_GAP / 2.0);
        }
        lanes.push(Lane {
            department: d,
            rect: Rect { x: MARGIN, y, w: width - 2.0 * MARGIN, h },
            name_lines: lane_names[lane].clone(),
        });
        y += h;
        h_channels.push(y);
    }
    h_channels.dedup();
    let legend_rows = legend::rows(width - 2.0 * MARGIN);
    let legend = Rect { x: MARGIN, y: y + 12.0, w: width - 2.0 * MARGIN, h: legend::height(legend_rows.len()) };
    let height = legend.bottom() + MARGIN;
    let curve = Rect { x: MARGIN, y: MARGIN + TITLE_H, w: width - 2.0 * MARGIN, h: CURVE_H };
    let mut v_channels = Vec::with_capacity(columns.len() * 2 + 1);
    for c in &mut columns {
        c.rect.h = y - top;
        v_channels.push(c.rect.x);
        for k in 1..c.card_columns {
            #[allow(clippy::cast_precision_loss, reason = "a cell holds few columns")]
            v_channels.push(c.rect.x + CELL_PAD + k as f64 * (CARD_W + CARD_GAP) - CARD_GAP / 2.0);
        }
    }
    v_channels.push(x);

    let mut cards = Vec::with_capacity(map.steps.len());
    for ((st, lane), steps) in &cells {
        let col = &columns[*st];
        let row = &lanes[*lane].rect;
        let places = grid.cells[*st][*lane].place(col.card_columns);
        for (&s, &(r, c)) in steps.iter().zip(&places) {
            #[allow(clippy::cast_precision_loss, reason = "a cell holds few cards")]
            let (cx, cy) = (
                col.rect.x + CELL_PAD + c as f64 * (CARD_W + CARD_GAP),
                row.y + CELL_PAD + r as f64 * (CARD_H + ROW_GAP),
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
    Layout {
        width,
        height,
        columns,
        lanes,
        visibility_y,
        curve,
        legend,
        legend_rows,
        cards,
        v_channels,
        h_channels,
        card_of,
    }
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
