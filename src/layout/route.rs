//! Connectors between cards, along the free channels of the layout, and a
//! place for each one's label on its own line.
//!
//! A straight line between two cards is drawn only when nothing stands
//! between them. Otherwise a connector leaves its card, turns into the
//! channel beside it, runs along the channels between lanes and stages (no
//! card crosses one: [`super::Layout::v_channels`], [`super::Layout::h_channels`])
//! and enters the other card from the side it faces. Rework, which sends the
//! customer back, leaves from below and loops under the cards.
//!
//! Connectors from one step share their first stretch and fork; connectors
//! into one step join before they reach it. Different steps' connectors in
//! one channel are set a few units apart, so two routes never read as one.
//! A label (a branch's share, an agreement's minutes) goes on a stretch that
//! is this connector's alone, where it covers no card and no other label.

use crate::tenth::Tenth;
use rustc_hash::FxHashMap as HashMap;

use super::{Layout, LayoutInputs, Rect};
use crate::graph::StepIx;
use crate::model::{FlowKind, Index, Map};

/// A connector: the corners of its path, and where its label goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The path from the source card's edge to the target card's edge.
    pub points: Vec<(f64, f64)>,
    /// The label's box, when the flow has a label.
    pub label: Option<Rect>,
}

impl Route {
    /// The box of the path, for deciding whether a tile of the map shows it.
    #[must_use]
    pub fn bounds(&self) -> Rect {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(x, y) in &self.points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
    }

    /// The path as SVG path data, with rounded corners.
    #[must_use]
    pub fn path_data(&self) -> String {
        use std::fmt::Write as _;
        let p = &self.points;
        let mut d = String::with_capacity(16 * p.len() + 16);
        let Some(&(x0, y0)) = p.first() else { return d };
        let _ = write!(d, "M{},{}", Tenth(x0), Tenth(y0));
        for i in 1..p.len() {
            let (x, y) = p[i];
            if let Some(&(nx, ny)) = p.get(i + 1) {
                // A corner: stop short of it, and curve round it.
                let (px, py) = p[i - 1];
                let r = CORNER.min(dist(p[i - 1], p[i]) / 2.0).min(dist(p[i], p[i + 1]) / 2.0);
                let (ax, ay) = toward((x, y), (px, py), r);
                let (bx, by) = toward((x, y), (nx, ny), r);
                let _ =
                    write!(d, " L{},{} Q{},{} {},{}", Tenth(ax), Tenth(ay), Tenth(x), Tenth(y), Tenth(bx), Tenth(by));
            } else {
                let _ = write!(d, " L{},{}", Tenth(x), Tenth(y));
            }
        }
        d
    }
}

/// Radius of a connector's corners.
const CORNER: f64 = 6.0;
/// How far apart the connectors of different steps run in one channel.
const SPREAD: f64 = 5.0;
/// A label spot's tests, by their place in its list: clear of the cards,
/// free of the labels placed so far, on a stretch no other connector shares.
const CLEAR: usize = 0;
const FREE: usize = 1;
const OWN: usize = 2;
/// All three, the one a spot fails most often first (as every list of
/// tests is asked). On 10,000 steps, 99% of the spots asked whether their
/// stretch is their own fail; asked last, after the cards (a million asks)
/// and the labels, most of those asks were for spots that then failed it.
const ALL_TESTS: [usize; 3] = [OWN, FREE, CLEAR];
/// The size of the buckets that find labels near a spot: a few labels wide,
/// since labels crowd where channels cross.
const LABEL_BUCKET: f64 = 64.0;

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).abs() + (a.1 - b.1).abs()
}

/// The point `d` from `from` toward `to` (along an axis-aligned segment).
fn toward(from: (f64, f64), to: (f64, f64), d: f64) -> (f64, f64) {
    let len = dist(from, to);
    if len <= 0.0 {
        return from;
    }
    (from.0 + (to.0 - from.0) * d / len, from.1 + (to.1 - from.1) * d / len)
}

/// A connector's stretch in a channel: from, to, its place across the
/// channel, and the steps it joins.
type Lane = (f64, f64, f64, StepIx, StepIx);

/// Who runs where in each channel. A connector's stretches inside channels
/// take the place nearest the middle that no connector of other steps
/// already holds along the same stretch; connectors that share their source
/// (a fork) or their target (a join) may run together.
#[derive(Default)]
struct Lanes {
    /// (horizontal?, the channel's coordinate) → its stretches.
    taken: HashMap<(bool, i64), Vec<Lane>>,
}

impl Lanes {
    /// Places across a channel, nearest the middle first.
    const PLACES: [f64; 5] = [0.0, -SPREAD, SPREAD, -2.0 * SPREAD, 2.0 * SPREAD];

    fn place(&mut self, horizontal: bool, line: f64, (lo, hi): (f64, f64), from: StepIx, to: StepIx) -> f64 {
        let taken = self.taken.entry((horizontal, key(line))).or_default();
        let free = |d: f64| {
            !taken
                .iter()
                .any(|&(l, h, p, f, t)| (p - d).abs() < 0.5 && l < hi + 2.0 && lo < h + 2.0 && f != from && t != to)
        };
        let d = Self::PLACES.iter().copied().find(|&d| free(d)).unwrap_or(0.0);
        taken.push((lo, hi, d, from, to));
        d
    }

    /// Moves the stretches of a path that run in channels (all but the first
    /// and the last, which touch the cards) to their places.
    fn spread(&mut self, mut points: Vec<(f64, f64)>, from: StepIx, to: StepIx) -> Vec<(f64, f64)> {
        let n = points.len();
        for i in 1..n.saturating_sub(2) {
            let ((x0, y0), (x1, y1)) = (points[i], points[i + 1]);
            if (y0 - y1).abs() < 0.5 {
                let d = self.place(true, y0, (x0.min(x1), x0.max(x1)), from, to);
                points[i].1 += d;
                points[i + 1].1 += d;
            } else {
                let d = self.place(false, x0, (y0.min(y1), y0.max(y1)), from, to);
                points[i].0 += d;
                points[i + 1].0 += d;
            }
        }
        points
    }
}

/// A key for a coordinate, exact to half a unit.
fn key(v: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation, reason = "drawing coordinates are far below 2^62")]
    let k = (v * 2.0).round() as i64;
    k
}

/// Boxes in square buckets of a fixed size over the drawing, to find the
/// ones near a box quickly. The buckets are a dense grid (the drawing is
/// known and bounded) holding each box itself, not its place in a list: the
/// label tests of routing ask hundreds of thousands of times, and on 10,000
/// steps hashing the bucket's key and reaching each box by its place were
/// half of routing. Boxes and asks beyond the drawing go to its edge
/// buckets, which keeps every answer exact.
struct Buckets {
    size: f64,
    columns: usize,
    rows: usize,
    /// Row-major: each bucket's boxes, with their place in the order added.
    at: Vec<Vec<(Rect, u32)>>,
    added: u32,
}

impl Buckets {
    /// Buckets of at least `size` over a drawing of `width` × `height`:
    /// larger, so there are no more than about a million of them.
    fn new(size: f64, width: f64, height: f64) -> Self {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a count of buckets, at least one, and `as` saturates"
        )]
        let count = |extent: f64, size: f64| (extent / size).ceil().max(1.0) as usize;
        let mut size = size;
        while count(width, size).saturating_mul(count(height, size)) > 1 << 20 {
            size *= 2.0;
        }
        let (columns, rows) = (count(width, size), count(height, size));
        Self { size, columns, rows, at: vec![Vec::new(); columns * rows], added: 0 }
    }

    /// The buckets `r` meets: columns, then rows, both inclusive. `None`
    /// for a box of negative (or no number's) width or height, which meets
    /// nothing.
    fn span(&self, r: &Rect) -> Option<((usize, usize), (usize, usize))> {
        if !(r.w >= 0.0 && r.h >= 0.0) {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to the grid, and `as` saturates"
        )]
        let bucket = |v: f64, count: usize| ((v / self.size).floor().max(0.0) as usize).min(count - 1);
        let (x0, x1) = (bucket(r.x, self.columns), bucket(r.right(), self.columns));
        let (y0, y1) = (bucket(r.y, self.rows), bucket(r.bottom(), self.rows));
        (x0 <= x1 && y0 <= y1).then_some(((x0, x1), (y0, y1)))
    }

    fn insert(&mut self, r: Rect) {
        let Some(((x0, x1), (y0, y1))) = self.span(&r) else { return };
        for y in y0..=y1 {
            for x in x0..=x1 {
                self.at[y * self.columns + x].push((r, self.added));
            }
        }
        self.added += 1;
    }

    fn hits(&self, r: &Rect) -> bool {
        let Some(((x0, x1), (y0, y1))) = self.span(r) else { return false };
        (y0..=y1).any(|y| {
            self.at[y * self.columns + x0..=y * self.columns + x1].iter().any(|v| v.iter().any(|(b, _)| b.overlaps(r)))
        })
    }

    /// How much of `r` the boxes cover (overlaps counted once per box),
    /// summed column by column as the buckets go.
    fn covered(&self, r: &Rect) -> f64 {
        let Some(((x0, x1), (y0, y1))) = self.span(r) else { return 0.0 };
        let mut seen = Vec::new();
        let mut area = 0.0;
        for x in x0..=x1 {
            for (b, i) in (y0..=y1).flat_map(|y| &self.at[y * self.columns + x]) {
                if !seen.contains(i) {
                    seen.push(*i);
                    let w = r.right().min(b.right()) - r.x.max(b.x);
                    let h = r.bottom().min(b.bottom()) - r.y.max(b.y);
                    if w > 0.0 && h > 0.0 {
                        area += w * h;
                    }
                }
            }
        }
        area
    }
}

/// The channels and cards a router needs to know.
struct Router<'a> {
    lay: &'a Layout,
    /// Card lefts by the top of their row, ascending.
    by_row: HashMap<i64, Vec<f64>>,
    /// Card tops by the left of their column, ascending.
    by_column: HashMap<i64, Vec<f64>>,
}

impl<'a> Router<'a> {
    fn new(lay: &'a Layout) -> Self {
        let mut by_row: HashMap<i64, Vec<f64>> = HashMap::default();
        let mut by_column: HashMap<i64, Vec<f64>> = HashMap::default();
        for c in &lay.cards {
            by_row.entry(key(c.rect.y)).or_default().push(c.rect.x);
            by_column.entry(key(c.rect.x)).or_default().push(c.rect.y);
        }
        for v in by_row.values_mut().chain(by_column.values_mut()) {
            v.sort_by(f64::total_cmp);
        }
        Self { lay, by_row, by_column }
    }

    /// Whether a card stands strictly between `lo` and `hi` in this sorted list.
    fn between(list: Option<&Vec<f64>>, lo: f64, hi: f64) -> bool {
        list.is_some_and(|v| {
            let from = v.partition_point(|&x| x <= lo + 0.5);
            v.get(from).is_some_and(|&x| x < hi - 0.5)
        })
    }

    fn right_of(&self, x: f64) -> f64 {
        let c = &self.lay.v_channels;
        c.get(c.partition_point(|&v| v <= x)).copied().unwrap_or(x + 16.0)
    }

    fn left_of(&self, x: f64) -> f64 {
        let c = &self.lay.v_channels;
        c.partition_point(|&v| v < x).checked_sub(1).map_or(x - 16.0, |i| c[i])
    }

    fn above(&self, y: f64) -> f64 {
        let c = &self.lay.h_channels;
        c.partition_point(|&v| v < y).checked_sub(1).map_or(y - 16.0, |i| c[i])
    }

    fn below(&self, y: f64) -> f64 {
        let c = &self.lay.h_channels;
        c.get(c.partition_point(|&v| v <= y)).copied().unwrap_or(y + 16.0)
    }

    /// The corners of a connector from card `a` (of step `sa`) to card `b`.
    fn route(&self, a: &Rect, b: &Rect) -> Vec<(f64, f64)> {
        let eps = 0.5;
        if b.x > a.x + eps {
            // Onward, to a card further right.
            if (a.y - b.y).abs() < eps && !Self::between(self.by_row.get(&key(a.y)), a.x, b.x) {
                return vec![(a.right(), a.cy()), (b.x, b.cy())];
            }
            let (c1, c2) = (self.right_of(a.right()), self.left_of(b.x));
            if (c1 - c2).abs() < eps {
                let x = c1;
                return vec![(a.right(), a.cy()), (x, a.cy()), (x, b.cy()), (b.x, b.cy())];
            }
            let yh = if b.cy() < a.cy() - eps { self.below(b.bottom()) } else { self.above(b.y) };
            let (x1, x2) = (c1, c2);
            return vec![(a.right(), a.cy()), (x1, a.cy()), (x1, yh), (x2, yh), (x2, b.cy()), (b.x, b.cy())];
        }
        if (b.x - a.x).abs() <= eps {
            // The same column of cards: straight up or down when nothing is in the way.
            let column = self.by_column.get(&key(a.x));
            if b.y > a.y && !Self::between(column, a.y, b.y) {
                return vec![(a.cx(), a.bottom()), (b.cx(), b.y)];
            }
            if b.y < a.y && !Self::between(column, b.y, a.y) {
                return vec![(a.cx(), a.y), (b.cx(), b.bottom())];
            }
            // Round by the channel on the left, so the connector still
            // enters its card from the left, as onward connectors do.
            let x = self.left_of(a.x);
            return vec![(a.x, a.cy()), (x, a.cy()), (x, b.cy()), (b.x, b.cy())];
        }
        // Back, to a card further left: under the cards.
        let (ca, cb) = (self.below(a.bottom()), self.below(b.bottom()));
        if (ca - cb).abs() < eps {
            let y = ca;
            return vec![(a.cx(), a.bottom()), (a.cx(), y), (b.cx(), y), (b.cx(), b.bottom())];
        }
        let (ya, yb) = (ca, cb);
        let x = self.left_of(a.x);
        vec![(a.cx(), a.bottom()), (a.cx(), ya), (x, ya), (x, yb), (b.cx(), yb), (b.cx(), b.bottom())]
    }
}

/// A stretch of a connector along a line: from, to, and the flow's index.
type Stretch = (f64, f64, usize);

/// The stretches of every connector, by line, to tell whether a point of one
/// connector lies on another.
#[derive(Default)]
struct Stretches {
    /// (horizontal?, the line's coordinate) → its stretches.
    on: HashMap<(bool, i64), Vec<Stretch>>,
}

impl Stretches {
    fn add(&mut self, flow: usize, points: &[(f64, f64)]) {
        for w in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if (y0 - y1).abs() < 0.5 {
                self.on.entry((true, key(y0))).or_default().push((x0.min(x1), x0.max(x1), flow));
            } else {
                self.on.entry((false, key(x0))).or_default().push((y0.min(y1), y0.max(y1), flow));
            }
        }
    }

    /// Whether a connector other than `flow` passes through this point along this line.
    fn shared(&self, flow: usize, horizontal: bool, line: f64, at: f64) -> bool {
        self.on
            .get(&(horizontal, key(line)))
            .is_some_and(|v| v.iter().any(|&(lo, hi, f)| f != flow && lo - 1.0 <= at && at <= hi + 1.0))
    }
}

/// Where a label of `size` could go on a connector, best first.
fn candidates(points: &[(f64, f64)], lay: &Layout) -> Vec<(f64, f64, bool, f64)> {
    let mut out = Vec::new();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if (y0 - y1).abs() < 0.5 {
            if (x1 - x0).abs() < 1.0 {
                continue;
            }
            for t in [0.5, 0.3, 0.7, 0.15, 0.85] {
                out.push((x0 + (x1 - x0) * t, y0, true, y0));
            }
        } else {
            let (lo, hi) = (y0.min(y1), y0.max(y1));
            // Where the stretch crosses a channel across: room on both sides.
            for &y in lay.h_channels.iter().filter(|&&y| y > lo + 1.0 && y < hi - 1.0) {
                out.push((x0, y, false, x0));
            }
            out.push((x0, (lo + hi) / 2.0, false, x0));
        }
    }
    out
}

/// Connectors kept from one drawing of a map to the next. Routing is most of
/// a drawing's time (21 of 38 ms on a 1,000-step map, 620 of 680 ms on
/// 10,000), yet most edits (a score, a note, a vote) move no card and change
/// no label's size: [`Routing::routes`] then hands back the last routes
/// instead of routing again. What routing reads is compared whole (the layout,
/// the steps' ids, each flow's ends and kind, each label's size), so a reused
/// route is always the one routing would make. The layout is kept the same
/// way, compared with what it was made of ([`super::LayoutInputs`]).
#[derive(Debug, Default)]
pub struct Routing {
    /// The last layout and what it was made of: a drawing after an edit
    /// that moved nothing takes it as it is (on 1,000 steps the layout was
    /// two fifths of such a drawing).
    laid: Option<(LayoutInputs, std::sync::Arc<Layout>)>,
    laid_out: usize,
    last: Option<(RouteInputs, Vec<Option<Route>>)>,
    /// Each route's SVG path data, written the first time a drawing shows
    /// it and kept with the route: on 10,000 steps, writing 25,000 paths
    /// again was a fifth of a drawing whose routes were reused.
    paths: Vec<std::sync::OnceLock<String>>,
    routed: usize,
}

/// Everything [`routes`] reads.
#[derive(Debug)]
struct RouteInputs {
    layout: Layout,
    steps: Vec<String>,
    flows: Vec<(String, String, FlowKind)>,
    labels: Vec<Option<(f64, f64)>>,
}

impl RouteInputs {
    fn of(map: &Map, lay: &Layout, labels: &[Option<(f64, f64)>]) -> Self {
        Self {
            layout: lay.clone(),
            steps: map.steps.iter().map(|s| s.id.clone()).collect(),
            flows: map.flows.iter().map(|f| (f.from.clone(), f.to.clone(), f.kind)).collect(),
            labels: labels.to_vec(),
        }
    }

    /// Whether routing `map` on `lay` would read the same, compared in place
    /// (no copy of the map's ids is made for a drawing that reuses its routes).
    fn same(&self, map: &Map, lay: &Layout, labels: &[Option<(f64, f64)>]) -> bool {
        self.layout == *lay
            && self.labels == labels
            && self.steps.len() == map.steps.len()
            && self.steps.iter().zip(&map.steps).all(|(id, s)| *id == s.id)
            && self.flows.len() == map.flows.len()
            && self
                .flows
                .iter()
                .zip(&map.flows)
                .all(|((from, to, kind), f)| *from == f.from && *to == f.to && *kind == f.kind)
    }
}

impl Routing {
    /// The layout of `map`: the last one when [`super::layout`] would read
    /// the same of it.
    pub fn layout(&mut self, map: &Map) -> std::sync::Arc<Layout> {
        match &self.laid {
            Some((inputs, lay)) if inputs.same(map) => std::sync::Arc::clone(lay),
            _ => {
                let lay = std::sync::Arc::new(super::layout(map));
                self.laid = Some((LayoutInputs::of(map), std::sync::Arc::clone(&lay)));
                self.laid_out += 1;
                lay
            }
        }
    }

    /// How many times the map was laid out rather than its layout reused.
    #[must_use]
    pub fn laid_out(&self) -> usize {
        self.laid_out
    }

    /// The routes of `map`'s flows on `lay`, with labels of `labels` sizes
    /// (one per flow): the last ones when routing would read the same.
    pub fn routes(&mut self, map: &Map, lay: &Layout, labels: &[Option<(f64, f64)>]) -> &[Option<Route>] {
        self.routes_and_paths(map, lay, labels).0
    }

    /// [`Routing::routes`], with a place for each route's path data beside
    /// it: [`Route::path_data`], once, by `OnceLock::get_or_init`.
    pub fn routes_and_paths(
        &mut self,
        map: &Map,
        lay: &Layout,
        labels: &[Option<(f64, f64)>],
    ) -> (&[Option<Route>], &[std::sync::OnceLock<String>]) {
        if !self.last.as_ref().is_some_and(|(inputs, _)| inputs.same(map, lay, labels)) {
            let routes = routes(map, lay, &|i| labels.get(i).copied().flatten());
            self.paths = routes.iter().map(|_| std::sync::OnceLock::new()).collect();
            self.last = Some((RouteInputs::of(map, lay, labels), routes));
            self.routed += 1;
        }
        (self.last.as_ref().map_or(&[], |(_, routes)| routes), &self.paths)
    }

    /// How many times the connectors were routed rather than reused.
    #[must_use]
    pub fn routed(&self) -> usize {
        self.routed
    }
}

/// Every flow's connector (`None` for a flow whose steps have no card), with
/// its label placed when `label_size(flow)` gives it one.
#[must_use]
pub fn routes(map: &Map, lay: &Layout, label_size: &dyn Fn(usize) -> Option<(f64, f64)>) -> Vec<Option<Route>> {
    let index = Index::new(map);
    let router = Router::new(lay);
    let mut lanes = Lanes::default();
    let mut stretches = Stretches::default();
    let mut out: Vec<Option<Route>> = map
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (a, b) = (index.step_ix(&f.from)?, index.step_ix(&f.to)?);
            let (ca, cb) = (lay.card(a)?, lay.card(b)?);
            let points = if f.kind == FlowKind::Rework && cb.rect.x >= ca.rect.x - 0.5 {
                // Rework drawn forward still reads as "back": under the cards.
                let (ya, yb) = (router.below(ca.rect.bottom()), router.below(cb.rect.bottom()));
                let x = router.right_of(ca.rect.right());
                vec![
                    (ca.rect.cx(), ca.rect.bottom()),
                    (ca.rect.cx(), ya),
                    (x, ya),
                    (x, yb),
                    (cb.rect.cx(), yb),
                    (cb.rect.cx(), cb.rect.bottom()),
                ]
            } else {
                router.route(&ca.rect, &cb.rect)
            };
            let points = lanes.spread(points, a, b);
            stretches.add(i, &points);
            Some(Route { points, label: None })
        })
        .collect();

    let mut cards = Buckets::new(256.0, lay.width, lay.height);
    for c in &lay.cards {
        cards.insert(c.rect.grown(2.0));
    }
    let mut labels = Buckets::new(LABEL_BUCKET, lay.width, lay.height);
    for (i, route) in out.iter_mut().enumerate() {
        let (Some(route), Some((w, h))) = (route.as_mut(), label_size(i)) else { continue };
        let boxed = |&(x, y, ..): &(f64, f64, bool, f64)| Rect { x: x - w / 2.0, y: y - h / 2.0, w, h };
        let clear = |c: &(f64, f64, bool, f64)| !cards.hits(&boxed(c));
        let free = |c: &(f64, f64, bool, f64)| !labels.hits(&boxed(c));
        let own = |st: &Stretches, c: &(f64, f64, bool, f64)| {
            let &(x, y, horizontal, line) = c;
            !st.shared(i, horizontal, line, if horizontal { x } else { y })
        };
        let mut spots = candidates(&route.points, lay);
        // Each spot's tests, worked out once and only when asked: the
        // choice below asks the same ones up to five times.
        let tested = |spots: &[(f64, f64, bool, f64)]| -> Vec<[std::cell::OnceCell<bool>; 3]> {
            spots.iter().map(|_| Default::default()).collect()
        };
        let mut tests = tested(&spots);
        type Tests = [[std::cell::OnceCell<bool>; 3]];
        let test = |st: &Stretches, tests: &Tests, spots: &[(f64, f64, bool, f64)], k: usize, which: usize| {
            *tests[k][which].get_or_init(|| match which {
                CLEAR => clear(&spots[k]),
                FREE => free(&spots[k]),
                _ => own(st, &spots[k]),
            })
        };
        // A straight connector between neighbouring cards has no room for a
        // label: it would cover a card, or sit where it reads as another
        // flow's. Such a flow runs under the cards instead, along the
        // channel below their row, where its label has room of its own.
        if !(0..spots.len()).any(|k| ALL_TESTS.iter().all(|&w| test(&stretches, &tests, &spots, k, w)))
            && let [(x0, y0), (x1, y1)] = route.points[..]
            && (y0 - y1).abs() < 0.5
            && x1 > x0
            && let (Some(a), Some(b)) = (index.step_ix(&map.flows[i].from), index.step_ix(&map.flows[i].to))
            && let (Some(ca), Some(cb)) = (lay.card(a), lay.card(b))
        {
            let y = router.below(ca.rect.bottom().max(cb.rect.bottom()));
            // Set apart from other connectors in that channel, as every
            // route is, and known as this flow's stretch from now on.
            let under = lanes.spread(
                vec![
                    (ca.rect.cx(), ca.rect.bottom()),
                    (ca.rect.cx(), y),
                    (cb.rect.cx(), y),
                    (cb.rect.cx(), cb.rect.bottom()),
                ],
                a,
                b,
            );
            let under_spots = candidates(&under, lay);
            if under_spots.iter().any(|c| clear(c) && free(c)) {
                stretches.add(i, &under);
                route.points = under;
                spots = under_spots;
                // Whether a spot is this flow's own changed with it.
                tests = tested(&spots);
            }
        }
        let ok = |k: usize, which: &[usize]| which.iter().all(|&w| test(&stretches, &tests, &spots, k, w));
        // Best: clear of cards and labels, on this connector's own stretch.
        // Failing that, the spot that covers the least of the cards.
        let pick = (0..spots.len())
            .find(|&k| ok(k, &ALL_TESTS))
            .or_else(|| (0..spots.len()).find(|&k| ok(k, &[FREE, CLEAR])))
            .or_else(|| (0..spots.len()).find(|&k| ok(k, &[OWN, CLEAR])))
            .or_else(|| (0..spots.len()).find(|&k| ok(k, &[CLEAR])))
            .map(|k| &spots[k])
            .or_else(|| spots.iter().min_by(|a, b| cards.covered(&boxed(a)).total_cmp(&cards.covered(&boxed(b)))));
        if let Some(c) = pick {
            let r = boxed(c);
            labels.insert(r);
            route.label = Some(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    #[test]
    fn boxes_beyond_the_drawing_are_found_exactly() {
        // A drawing of 200 × 100 in buckets of 64: boxes left of it, above
        // it and past its far corner go to its edge buckets.
        let mut b = Buckets::new(64.0, 200.0, 100.0);
        b.insert(at(-500.0, 10.0, 100.0, 20.0));
        b.insert(at(1_000.0, 1_000.0, 50.0, 50.0));
        b.insert(at(70.0, -90.0, 10.0, 10.0));
        assert!(b.hits(&at(-450.0, 20.0, 5.0, 5.0)));
        assert!(b.hits(&at(1_040.0, 1_040.0, 100.0, 100.0)));
        assert!(b.hits(&at(75.0, -85.0, 1.0, 1.0)));
        // In the same edge buckets, but touching none of them.
        assert!(!b.hits(&at(-300.0, 20.0, 5.0, 5.0)));
        assert!(!b.hits(&at(900.0, 900.0, 50.0, 50.0)));
        assert!(!b.hits(&at(75.0, -70.0, 1.0, 1.0)));
        // Touching edges do not overlap.
        assert!(!b.hits(&at(-400.0, 10.0, 10.0, 10.0)));
    }

    #[test]
    fn a_box_over_many_buckets_covers_once() {
        let mut b = Buckets::new(64.0, 1_000.0, 1_000.0);
        b.insert(at(0.0, 0.0, 300.0, 300.0));
        b.insert(at(250.0, 250.0, 100.0, 100.0));
        // 200 × 200 inside the first box, 50 × 50 of it inside the second.
        let covered = b.covered(&at(100.0, 100.0, 200.0, 200.0));
        assert!((covered - (200.0 * 200.0 + 50.0 * 50.0)).abs() < 1e-9, "covered {covered}");
    }

    #[test]
    fn a_box_of_no_size_or_a_negative_one_meets_nothing_and_never_panics() {
        let mut b = Buckets::new(64.0, 300.0, 100.0);
        b.insert(at(0.0, 0.0, 300.0, 100.0));
        b.insert(at(-100.0, 0.0, -100.0, 10.0));
        for r in [at(200.0, 0.0, f64::NAN, 1.0), at(200.0, 0.0, -150.0, 1.0)] {
            assert!(!b.hits(&r), "{r:?}");
            assert!(b.covered(&r).abs() < f64::EPSILON, "{r:?}");
        }
        // A box with no right edge (−∞ + ∞): asked, without a panic.
        let _ = b.covered(&at(f64::NEG_INFINITY, 0.0, f64::INFINITY, 1.0));
        assert!(!b.hits(&at(f64::NEG_INFINITY, 0.0, f64::INFINITY, 1.0)));
        assert!(b.hits(&at(10.0, 10.0, 0.0, 0.0)));
        // A thin drawing too.
        let thin = Buckets::new(64.0, 1.0e8, 10.0);
        assert!(thin.columns * thin.rows <= 1 << 20);
    }

    #[test]
    fn a_huge_drawing_gets_larger_buckets_not_more() {
        let mut b = Buckets::new(64.0, 1.0e6, 1.0e6);
        assert!(b.columns * b.rows <= 1 << 20, "{} × {}", b.columns, b.rows);
        b.insert(at(999_000.0, 999_000.0, 10.0, 10.0));
        assert!(b.hits(&at(999_005.0, 999_005.0, 1.0, 1.0)));
    }
}
