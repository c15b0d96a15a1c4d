//! The service blueprint as SVG: stage columns, department lanes either side of
//! the line of visibility, step cards with their scores, and the flows between.
//!
//! The output is deterministic (same map, same bytes) so snapshot tests can
//! guard it, and uses presentation attributes rather than CSS so it renders the
//! same in a webview under a strict content security policy, in resvg and in a
//! PDF. Every element a person might point at carries a `data-*` id, which lets
//! the window layer interaction on this very drawing.

use std::fmt::Write as _;

use std::collections::HashMap;

use crate::analysis::{Analysis, analyze, minutes};
use crate::layout::{Layout, Rect, layout, metrics::*, text_width, wrap_in};
use crate::model::{FlowKind, Map, SlaStatus, Step, Visibility};
use crate::render::escape::{attr, text};
use crate::render::fonts::Weight;
use crate::render::pieces::{Part, Piece};

const FONT: &str = "'DejaVu Sans', sans-serif";
/// Pain-point markers.
const PAIN: &str = "#d9480f";
const INK: &str = "#1f2933";
const MUTED: &str = "#5f6b7a";
const GRID: &str = "#d9dee5";
/// Score at or above target.
const GOOD: &str = "#2e7d32";
/// Below target by at most half a point.
const NEAR: &str = "#b7791f";
/// Further below target.
const POOR: &str = "#c62828";
const UNSCORED: &str = "#8a94a3";
/// A spread of ratings this wide (lowest to highest) marks a step the room
/// disagrees about: one person's 2 and another's 4 are different services.
const DISAGREEMENT: f64 = 1.5;
const REWORK: &str = "#c62828";

/// A finished drawing and its natural size.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// The SVG document.
    pub svg: String,
    /// Width in SVG units (CSS pixels at 100%).
    pub width: f64,
    /// Height in SVG units.
    pub height: f64,
    /// Where each replaceable element lies in `svg`, in order (see
    /// [`crate::render::pieces`]).
    pub pieces: Vec<Piece>,
}

/// What the drawing says beside the map itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawOptions {
    /// The date shown under the title (`2026-11-22`); the caller passes the
    /// clock in, so drawings are reproducible.
    pub date: Option<String>,
    /// Only draw cards and flows that meet this region (drawing units). A
    /// printed tile of a large map then carries its own part, not the whole.
    pub viewport: Option<Rect>,
}

/// Whether two boxes meet.
fn meets(a: &Rect, b: &Rect) -> bool {
    a.x <= b.right() && b.x <= a.right() && a.y <= b.bottom() && b.y <= a.bottom()
}

/// Draws `map` as a service blueprint, with its weak spots marked when the
/// map is valid enough to analyse.
#[must_use]
pub fn blueprint_svg(map: &Map) -> String {
    blueprint(map, analyze(map).ok().as_ref(), &DrawOptions::default()).svg
}

/// Draws `map` as a service blueprint and says how big the drawing is. With an
/// analysis, each weak-spot card gets a halo sized by its impact and its rank,
/// and the emotion curve is drawn above the lanes.
#[must_use]
pub fn blueprint(map: &Map, analysis: Option<&Analysis>, options: &DrawOptions) -> Drawing {
    let lay = layout(map);
    let mut s = String::with_capacity(4096 + map.steps.len() * 900);
    let (w, h) = (lay.width, lay.height);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="waymark-blueprint" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" font-family="{font}" role="img">"#,
        font = attr(FONT)
    );
    let _ = write!(s, "<title>{}</title>", text(&map.title));
    s.push_str(concat!(
        "<defs>",
        r##"<marker id="wm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6b7a"/></marker>"##,
        r##"<marker id="wm-arrow-rework" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker>"##,
        "</defs>"
    ));
    let _ = write!(s, r##"<rect x="0" y="0" width="{w:.0}" height="{h:.0}" fill="#ffffff"/>"##);
    title(&mut s, map, &lay, options);
    let mut pieces = Vec::with_capacity(map.steps.len() + 8);
    let mut group = |s: &mut String, class: &'static str, draw: &mut dyn FnMut(&mut String)| {
        let start = s.len();
        draw(s);
        pieces.push(Piece { part: Part::Group(class), range: start..s.len() });
    };
    group(&mut s, "emotion-curve", &mut |s| curve(s, map, &lay, analysis));
    group(&mut s, "stages", &mut |s| columns(s, map, &lay));
    group(&mut s, "lanes", &mut |s| lanes(s, map, &lay));
    let visible = |r: &Rect| options.viewport.as_ref().is_none_or(|v| meets(v, r));
    group(&mut s, "flows", &mut |s| flows(s, map, &lay, &visible));
    cards(&mut s, &mut pieces, map, &lay, analysis, &visible);
    let start = s.len();
    legend(&mut s, &lay);
    pieces.push(Piece { part: Part::Group("legend"), range: start..s.len() });
    s.push_str("</svg>");
    Drawing { svg: s, width: lay.width.round(), height: lay.height.round(), pieces }
}

/// The map title, cut with an ellipsis to the drawing's width, and the date.
fn title(s: &mut String, map: &Map, lay: &Layout, options: &DrawOptions) {
    let room = lay.width - 2.0 * MARGIN;
    let line = wrap_in(&map.title, room, 22.0, 1, Weight::Bold).join("");
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="22" font-weight="700" fill="{INK}" class="map-title">{}</text>"#,
        MARGIN,
        MARGIN + 26.0,
        text(&line)
    );
    let mut sub = String::from("Service blueprint");
    if let Some(date) = &options.date {
        let _ = write!(sub, " · {date}");
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{MUTED}" class="map-date">{}</text>"#,
        MARGIN,
        MARGIN + 46.0,
        text(&sub)
    );
}

/// Score 1..5 to a y inside the curve band (5 at the top).
fn curve_y(band: &Rect, score: f64) -> f64 {
    let (top, bottom) = (band.y + 22.0, band.bottom() - 14.0);
    bottom - (score - 1.0) / 4.0 * (bottom - top)
}

/// The emotion curve: the reach-weighted score of each stage, joined stage to stage.
fn curve(s: &mut String, map: &Map, lay: &Layout, analysis: Option<&Analysis>) {
    let band = lay.curve;
    s.push_str(r#"<g class="emotion-curve">"#);
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" font-weight="700" fill="{INK}">Experience by stage</text><text x="{:.1}" y="{:.1}" font-size="10.5" fill="{MUTED}">reach-weighted score</text>"#,
        band.x,
        band.y + 16.0,
        band.x,
        band.y + 30.0
    );
    let left = lay.columns.first().map_or(band.x, |c| c.rect.x);
    for (score, label) in [(5.0, "5"), (3.0, "3"), (1.0, "1")] {
        let y = curve_y(&band, score);
        let dash = if (score - 3.0_f64).abs() < 1e-9 { r#" stroke-dasharray="4 4""# } else { "" };
        let _ = write!(
            s,
            r#"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID}"{dash}/><text x="{:.1}" y="{:.1}" font-size="10" fill="{MUTED}" text-anchor="end">{label}</text>"#,
            band.right(),
            left - 6.0,
            y + 3.5
        );
    }
    let Some(a) = analysis else {
        s.push_str("</g>");
        return;
    };
    let standard = map.settings.standard;
    let points: Vec<Option<(f64, f64, f64)>> = lay
        .columns
        .iter()
        .map(|c| a.emotion_curve.get(c.stage).copied().flatten().map(|v| (c.rect.cx(), curve_y(&band, v), v)))
        .collect();
    // Lines between neighbouring stages that both have a score.
    for pair in points.windows(2) {
        if let [Some((x1, y1, _)), Some((x2, y2, _))] = pair {
            let _ = write!(
                s,
                r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{INK}" stroke-width="2"/>"#
            );
        }
    }
    for (x, y, v) in points.into_iter().flatten() {
        let color = if v >= standard - 1e-9 {
            GOOD
        } else if v >= standard - 0.5 - 1e-9 {
            NEAR
        } else {
            POOR
        };
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{color}" stroke="#ffffff" stroke-width="1.5"/><text x="{x:.1}" y="{:.1}" font-size="11" font-weight="700" fill="{color}" text-anchor="middle" class="stage-score">{v:.1}</text>"##,
            y - 9.0
        );
    }
    s.push_str("</g>");
}

/// A mark of the legend, drawn at `x` on the baseline `y`.
#[derive(Clone, Copy)]
enum Mark {
    Score(&'static str),
    Card { backstage: bool },
    Rework,
    Halo,
    Pain,
}

fn mark(m: Mark, x: f64, y: f64) -> String {
    match m {
        Mark::Score(color) => {
            format!(r#"<rect x="{x:.1}" y="{:.1}" width="20" height="12" rx="6" fill="{color}"/>"#, y - 10.0)
        }
        Mark::Card { backstage } => {
            let (fill, dash) = if backstage { ("#f3f4f6", r#" stroke-dasharray="4 3""#) } else { ("#ffffff", "") };
            format!(
                r#"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="3" fill="{fill}" stroke="{MUTED}" stroke-width="1.5"{dash}/>"#,
                y - 11.0
            )
        }
        Mark::Rework => format!(
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{REWORK}" stroke-width="1.6" stroke-dasharray="7 5"/>"#,
            y - 4.0,
            x + 20.0,
            y - 4.0
        ),
        Mark::Halo => format!(
            r#"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="5" fill="{POOR}" fill-opacity="0.16" stroke="{POOR}" stroke-opacity="0.55"/>"#,
            y - 11.0
        ),
        Mark::Pain => format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="20" height="14" rx="7" fill="{PAIN}"/><text x="{:.1}" y="{y:.1}" font-size="9" font-weight="700" fill="#ffffff" text-anchor="middle">3</text>"##,
            y - 11.0,
            x + 10.0
        ),
    }
}

/// What the marks mean, in a strip under the lanes.
fn legend(s: &mut String, lay: &Layout) {
    let r = lay.legend;
    let y = r.y + 22.0;
    let _ = write!(
        s,
        r#"<g class="legend"><text x="{:.1}" y="{y:.1}" font-size="12" font-weight="700" fill="{INK}">Legend</text>"#,
        r.x
    );
    let items = [
        (Mark::Score(GOOD), "meets target"),
        (Mark::Score(NEAR), "within 0.5 of target"),
        (Mark::Score(POOR), "further below"),
        (Mark::Score(UNSCORED), "not scored"),
        (Mark::Card { backstage: false }, "frontstage"),
        (Mark::Card { backstage: true }, "backstage"),
        (Mark::Rework, "rework: sent back"),
        (Mark::Halo, "weak spot (halo grows with impact)"),
        (Mark::Pain, "open pain points (votes)"),
    ];
    let mut x = r.x + 70.0;
    for (m, label) in items {
        s.push_str(&mark(m, x, y));
        let _ = write!(s, r#"<text x="{:.1}" y="{y:.1}" font-size="11" fill="{INK}">{}</text>"#, x + 26.0, text(label));
        x += 26.0 + text_width(label, 11.0) + 18.0;
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{MUTED}">Handoff agreements: <tspan fill="{GOOD}" font-weight="700">SLA actual / promised min</tspan> met · <tspan fill="{POOR}" font-weight="700">breached</tspan> · <tspan fill="{UNSCORED}" font-weight="700">SLA promised min</tspan> unmeasured. Arrow labels give the share of customers taking a branch. <tspan fill="{NEAR}" font-weight="700">1.5–3.0 ×3</tspan>: lowest and highest of three participants' ratings (bold where they differ by 1.5 or more).</text></g>"#,
        r.x + 70.0,
        y + 22.0
    );
}

fn columns(s: &mut String, map: &Map, lay: &Layout) {
    s.push_str(r#"<g class="stages">"#);
    for (i, c) in lay.columns.iter().enumerate() {
        let r = c.rect;
        let fill = if i % 2 == 0 { "#f7f9fb" } else { "#eef2f6" };
        // The window finds where a dragged card lands by these attributes.
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" data-stage-column="{}"/>"#,
            r.x,
            r.y,
            r.w,
            r.h,
            attr(&map.stages[c.stage].id)
        );
        let name = crate::layout::wrap(&map.stages[c.stage].name, r.w - 16.0, 13.0, 1).join("");
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="13" font-weight="700" fill="{INK}" text-anchor="middle" data-stage="{}">{}</text>"#,
            r.cx(),
            r.y + 27.0,
            attr(&map.stages[c.stage].id),
            text(&name)
        );
    }
    s.push_str("</g>");
}

fn lane_color(map: &Map, department: usize) -> String {
    map.departments[department]
        .color
        .as_deref()
        .filter(|c| crate::validate::is_hex_color(c))
        .unwrap_or(crate::model::lane_colour(department))
        .to_owned()
}

fn lanes(s: &mut String, map: &Map, lay: &Layout) {
    s.push_str(r#"<g class="lanes">"#);
    for lane in &lay.lanes {
        let r = lane.rect;
        let d = &map.departments[lane.department];
        let color = lane_color(map, lane.department);
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}" fill-opacity="0.07" stroke="{GRID}" data-lane="{}"/>"#,
            r.x,
            r.y,
            r.w,
            r.h,
            attr(&d.id)
        );
        let _ = write!(s, r#"<rect x="{:.1}" y="{:.1}" width="6" height="{:.1}" fill="{color}"/>"#, r.x, r.y, r.h);
        let name_lines = crate::layout::wrap(&d.name, LANE_HEADER_W - 30.0, 13.0, 3);
        for (k, line) in name_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "at most three lines")]
            let y = r.y + 30.0 + k as f64 * 17.0;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" font-size="13" font-weight="700" fill="{INK}">{}</text>"#,
                r.x + 16.0,
                text(line)
            );
        }
        let facing = match d.facing {
            crate::model::Facing::Customer => "customer-facing",
            crate::model::Facing::Internal => "internal",
        };
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{MUTED}" data-department="{}">{facing}</text>"#,
            r.x + 16.0,
            r.bottom() - 14.0,
            attr(&d.id)
        );
    }
    if let Some(y) = lay.visibility_y {
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="10 6" class="line-of-visibility"/>"#,
            MARGIN,
            lay.width - MARGIN
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" font-style="italic" fill="{MUTED}">line of visibility — customers see the lanes above</text>"#,
            MARGIN + 16.0,
            y - 4.0
        );
    }
    s.push_str("</g>");
}

/// The curve of a flow between two cards, and a point on it for a label.
fn flow_path(a: &Rect, b: &Rect) -> (String, (f64, f64), Rect) {
    let (p0, p1, p2, p3);
    if b.x >= a.right() {
        let dx = ((b.x - a.right()) / 2.0).max(24.0);
        p0 = (a.right(), a.cy());
        p1 = (a.right() + dx, a.cy());
        p2 = (b.x - dx, b.cy());
        p3 = (b.x, b.cy());
    } else if b.right() > a.x && b.x < a.right() {
        // Same column: straight down or up between lanes.
        let (from_y, to_y) = if b.y > a.y { (a.bottom(), b.y) } else { (a.y, b.bottom()) };
        let dy = (to_y - from_y) / 2.0;
        p0 = (a.cx(), from_y);
        p1 = (a.cx(), from_y + dy);
        p2 = (b.cx(), to_y - dy);
        p3 = (b.cx(), to_y);
    } else {
        // Backwards (rework): loop under both cards.
        let dip = 46.0;
        p0 = (a.cx(), a.bottom());
        p1 = (a.cx(), a.bottom() + dip);
        p2 = (b.cx(), b.bottom() + dip);
        p3 = (b.cx(), b.bottom());
    }
    let d =
        format!("M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1);
    let mid = (
        0.125 * p0.0 + 0.375 * p1.0 + 0.375 * p2.0 + 0.125 * p3.0,
        0.125 * p0.1 + 0.375 * p1.1 + 0.375 * p2.1 + 0.125 * p3.1,
    );
    // A cubic stays inside the box of its control points; pad for labels.
    let xs = [p0.0, p1.0, p2.0, p3.0];
    let ys = [p0.1, p1.1, p2.1, p3.1];
    let (x0, x1) =
        (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let (y0, y1) =
        (ys.iter().copied().fold(f64::INFINITY, f64::min), ys.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let pad = 60.0;
    (d, mid, Rect { x: x0 - pad, y: y0 - pad, w: x1 - x0 + 2.0 * pad, h: y1 - y0 + 2.0 * pad })
}

fn flows(s: &mut String, map: &Map, lay: &Layout, visible: &dyn Fn(&Rect) -> bool) {
    let index = crate::model::Index::new(map);
    s.push_str(r#"<g class="flows" fill="none">"#);
    for (i, f) in map.flows.iter().enumerate() {
        let (Some(a), Some(b)) = (index.step_ix(&f.from), index.step_ix(&f.to)) else { continue };
        let (Some(ca), Some(cb)) = (lay.card(a), lay.card(b)) else { continue };
        let (d, (mx, my), bounds) = flow_path(&ca.rect, &cb.rect);
        if !visible(&bounds) {
            continue;
        }
        let rework = f.kind == FlowKind::Rework;
        let (stroke, marker, dash, class) = if rework {
            (REWORK, "wm-arrow-rework", r#" stroke-dasharray="7 5""#, "flow rework")
        } else {
            (MUTED, "wm-arrow", "", "flow")
        };
        let _ = write!(
            s,
            r#"<path d="{d}" stroke="{stroke}" stroke-width="1.6"{dash} marker-end="url(#{marker})" class="{class}" data-flow="{i}"/>"#
        );
        let mut label = String::new();
        if let Some(share) = f.share.filter(|&x| x < 1.0) {
            let _ = write!(label, "{:.0}%", share * 100.0);
        }
        if rework {
            label = if label.is_empty() { "rework".into() } else { format!("rework {label}") };
        }
        // Labels sit mid-curve; a tile that shows only the curve's ends skips them.
        let label_box = Rect { x: mx - 80.0, y: my - 20.0, w: 160.0, h: 40.0 };
        let label_visible = visible(&label_box);
        if !label.is_empty() && label_visible {
            label_plate(s, mx, my - 5.0, text_width(&label, 11.0), 11.0);
            let _ = write!(
                s,
                r#"<text x="{mx:.1}" y="{:.1}" font-size="11" fill="{stroke}" text-anchor="middle">{}</text>"#,
                my - 5.0,
                text(&label)
            );
        }
        if let Some(sla) = f.sla.as_ref().filter(|_| label_visible) {
            let (color, word) = match sla.status() {
                SlaStatus::Met => (GOOD, "met"),
                SlaStatus::Breached => (POOR, "breached"),
                SlaStatus::Unmeasured => (UNSCORED, "unmeasured"),
            };
            let badge = match sla.actual_minutes {
                Some(act) => format!("SLA {} / {} min", minutes(act), minutes(sla.promised_minutes)),
                None => format!("SLA {} min", minutes(sla.promised_minutes)),
            };
            label_plate(s, mx, my + 13.0, crate::render::fonts::text_width(&badge, 10.5, Weight::Bold), 10.5);
            let _ = write!(
                s,
                r#"<text x="{mx:.1}" y="{:.1}" font-size="10.5" font-weight="700" fill="{color}" text-anchor="middle" class="sla {word}">{}</text>"#,
                my + 13.0,
                text(&badge)
            );
        }
    }
    s.push_str("</g>");
}

/// A white plate behind a label centred at `x` on baseline `y`, so it reads
/// over the lines it sits on. (A rectangle, not a text stroke: it prints the
/// same and costs a PDF writer far less.)
fn label_plate(s: &mut String, x: f64, y: f64, width: f64, size: f64) {
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="#ffffff" fill-opacity="0.9"/>"##,
        x - width / 2.0 - 3.0,
        y - size,
        width + 6.0,
        size + 4.0
    );
}

/// Colour of a score against its target.
fn score_color(step: &Step, map: &Map) -> &'static str {
    match step.score {
        None => UNSCORED,
        Some(score) => {
            let gap = step.target_or(&map.settings) - score;
            if gap <= 1e-9 {
                GOOD
            } else if gap <= 0.5 + 1e-9 {
                NEAR
            } else {
                POOR
            }
        }
    }
}

/// The halo around a weak spot: at least a thin ring, up to a wide one for the
/// weak spot that costs the remembered experience most.
const HALO_MIN: f64 = 5.0;
const HALO_MAX: f64 = 18.0;

fn halo(s: &mut String, r: Rect, id: &str, rank: u32, impact: f64, max_impact: f64) {
    let pad = HALO_MIN + (HALO_MAX - HALO_MIN) * (impact / max_impact).clamp(0.0, 1.0);
    let _ = write!(
        s,
        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="{POOR}" fill-opacity="0.16" stroke="{POOR}" stroke-opacity="0.55" stroke-width="1.5" class="halo" data-weak-spot="{}" data-rank="{rank}"/>"#,
        r.x - pad,
        r.y - pad,
        r.w + 2.0 * pad,
        r.h + 2.0 * pad,
        8.0 + pad,
        attr(id)
    );
}

/// A tag on the card's top edge: open pain points and their dot votes.
fn pain_marker(s: &mut String, r: Rect, count: u32, votes: u32) {
    let votes_word = if votes == 1 { "1 vote".to_owned() } else { format!("{votes} votes") };
    // Before the room has voted, the tag says a pain point is there, not "0 votes".
    let label = match (count, votes) {
        (1, 0) => "pain point".to_owned(),
        (_, 0) => format!("{count} pain points"),
        (1, _) => votes_word,
        _ => format!("{count} pain · {votes_word}"),
    };
    let w = text_width(&label, 10.0) + 14.0;
    let (x, y) = (r.right() - w - 8.0, r.y - 9.0);
    let _ = write!(
        s,
        r##"<g class="pain-marker" data-pain-count="{count}" data-votes="{votes}"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="17" rx="8.5" fill="{PAIN}" stroke="#ffffff" stroke-width="1.5"/><text x="{:.1}" y="{:.1}" font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle">{}</text></g>"##,
        x + w / 2.0,
        y + 12.5,
        text(&label)
    );
}

fn rank_badge(s: &mut String, r: Rect, rank: u32) {
    let _ = write!(
        s,
        r##"<circle cx="{:.1}" cy="{:.1}" r="11" fill="{POOR}" stroke="#ffffff" stroke-width="2" class="weak-spot-rank"/><text x="{:.1}" y="{:.1}" font-size="12" font-weight="700" fill="#ffffff" text-anchor="middle">{rank}</text>"##,
        r.x,
        r.y,
        r.x,
        r.y + 4.0
    );
}

/// The halos, then the cards; records the halo group and each card as a piece.
fn cards(
    s: &mut String,
    pieces: &mut Vec<Piece>,
    map: &Map,
    lay: &Layout,
    analysis: Option<&Analysis>,
    visible: &dyn Fn(&Rect) -> bool,
) {
    let weak: HashMap<&str, (u32, f64)> = analysis
        .map(|a| a.weak_spots.iter().map(|w| (w.id.as_str(), (w.rank, w.impact))).collect())
        .unwrap_or_default();
    let max_impact = weak.values().map(|&(_, i)| i).fold(0.0, f64::max);
    // Open pain points per step: how many, and their votes.
    let mut pain: HashMap<&str, (u32, u32)> = HashMap::new();
    for p in map.pain_points.iter().filter(|p| p.is_open()) {
        let entry = pain.entry(p.step.as_str()).or_default();
        entry.0 += 1;
        entry.1 += p.votes;
    }
    // Halos first, so no halo covers a neighbouring card.
    let start = s.len();
    s.push_str(r#"<g class="halos">"#);
    for card in lay.cards.iter().filter(|c| visible(&c.rect)) {
        let id = map.steps[card.step].id.as_str();
        if let Some(&(rank, impact)) = weak.get(id) {
            halo(s, card.rect, id, rank, impact, max_impact);
        }
    }
    s.push_str("</g>");
    pieces.push(Piece { part: Part::Group("halos"), range: start..s.len() });
    s.push_str(r#"<g class="cards">"#);
    for card in lay.cards.iter().filter(|c| visible(&c.rect)) {
        let step = &map.steps[card.step];
        let r = card.rect;
        let start = s.len();
        let dept = map.departments.iter().position(|d| d.id == step.department).unwrap_or(0);
        let color = lane_color(map, dept);
        let front = step.visibility == Visibility::Frontstage;
        let _ = write!(
            s,
            r#"<g class="step-card {vis}" data-step="{id}">"#,
            vis = if front { "frontstage" } else { "backstage" },
            id = attr(&step.id)
        );
        let (fill, dash) = if front { ("#ffffff", "") } else { ("#f3f4f6", r#" stroke-dasharray="5 4""#) };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="{fill}" stroke="{color}" stroke-width="2"{dash}/>"#,
            r.x, r.y, r.w, r.h
        );
        if front && step.score.is_some() {
            // A wash of the score's colour: the map reads as a heat map at a glance.
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="7" fill="{}" fill-opacity="0.10"/>"#,
                r.x + 1.0,
                r.y + 1.0,
                r.w - 2.0,
                r.h - 2.0,
                score_color(step, map)
            );
        }
        for (k, line) in card.title_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "at most three lines")]
            let y = r.y + 20.0 + k as f64 * 16.0;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" font-size="{TITLE_FONT}" fill="{INK}" class="step-title">{}</text>"#,
                r.x + 10.0,
                text(line)
            );
        }
        let base = r.bottom() - 10.0;
        let mut foot = Vec::new();
        if front {
            let color = score_color(step, map);
            let label = step.score.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"));
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="38" height="20" rx="10" fill="{color}"/><text x="{:.1}" y="{:.1}" font-size="12" font-weight="700" fill="#ffffff" text-anchor="middle" class="step-score">{label}</text>"##,
                r.right() - 46.0,
                base - 14.0,
                r.right() - 27.0,
                base
            );
            if step.score.is_none() {
                foot.push("not scored".to_owned());
            }
        } else {
            foot.push("backstage".to_owned());
        }
        if let Some(owner) = step.owner.as_deref().filter(|o| !o.trim().is_empty()) {
            foot.push(owner.to_owned());
        }
        let mut room = if front { r.w - 64.0 } else { r.w - 20.0 };
        let mut x = r.x + 10.0;
        if let Some((lo, hi)) = step.rating_spread() {
            // The room's range of ratings: wide ranges are where it disagrees.
            let label = format!("{lo:.1}–{hi:.1} ×{}", step.ratings.len());
            let (fill, weight) = if hi - lo >= DISAGREEMENT { (NEAR, "700") } else { (MUTED, "400") };
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{base:.1}" font-size="10.5" font-weight="{weight}" fill="{fill}" class="step-spread">{label}</text>"#
            );
            let used = text_width(&label, 10.5) + 8.0;
            x += used;
            room -= used;
        }
        if !foot.is_empty() && room > 20.0 {
            let line = wrap_in(&foot.join(" · "), room, 10.5, 1, Weight::Regular).join("");
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{base:.1}" font-size="10.5" fill="{MUTED}" class="step-owner">{}</text>"#,
                text(&line)
            );
        }
        if let Some(&(count, votes)) = pain.get(step.id.as_str()) {
            pain_marker(s, r, count, votes);
        }
        if let Some(&(rank, _)) = weak.get(step.id.as_str()) {
            rank_badge(s, r, rank);
        }
        s.push_str("</g>");
        pieces.push(Piece { part: Part::Step(step.id.clone()), range: start..s.len() });
    }
    s.push_str("</g>");
}
