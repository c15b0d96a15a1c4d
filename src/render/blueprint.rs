//! The service blueprint as SVG: stage columns, department lanes either side of
//! the line of visibility, step cards with their scores, and the flows between.
//!
//! The output is deterministic (same map, same bytes) so snapshot tests can
//! guard it, and uses presentation attributes rather than CSS so it renders the
//! same in a webview under a strict content security policy, in resvg and in a
//! PDF. Every element a person might point at carries a `data-*` id, which lets
//! the window layer interaction on this very drawing.

use crate::tenth::Tenth;
use std::fmt::Write as _;

use rustc_hash::FxHashMap as HashMap;

use crate::analysis::{Analysis, Band, analyze, duration};
use crate::fonts::Weight;
use crate::layout::route::Routing;
use crate::layout::{Layout, Rect, metrics::*, text_width, wrap_in};
use crate::model::{FlowKind, Map, SlaStatus, Step, Visibility};
use crate::render::escape::{attr, text};
use crate::render::pieces::{Part, Piece};

const FONT: &str = "'DejaVu Sans', sans-serif";

/// The drawing's colours, shared with its legend.
pub(super) mod colors {
    /// Pain-point markers.
    pub const PAIN: &str = "#d9480f";
    /// Text.
    pub const INK: &str = "#1f2933";
    /// Secondary text and connectors.
    pub const MUTED: &str = "#5f6b7a";
    /// Grid lines.
    pub const GRID: &str = "#d9dee5";
    /// Score at or above target.
    pub const GOOD: &str = "#2e7d32";
    /// Below target by at most half a point.
    pub const NEAR: &str = "#b7791f";
    /// Further below target.
    pub const POOR: &str = "#c62828";
    /// Not scored, not measured.
    pub const UNSCORED: &str = "#8a94a3";
    /// Rework connectors.
    pub const REWORK: &str = "#c62828";
}
use colors::*;

/// A spread of ratings this wide (lowest to highest) marks a step the room
/// disagrees about: one person's 2 and another's 4 are different services.
const DISAGREEMENT: f64 = 1.5;
/// Size of a connector's label.
const FLOW_LABEL: f64 = 10.5;

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
    /// Rank badges on the weak spots ranked this high or higher only (the
    /// window marks the places its list shows); `None` marks every one.
    pub ranks_shown: Option<u32>,
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
/// analysis, each weak-spot card gets a halo sized by its share of the gain and its rank,
/// and the emotion curve is drawn above the lanes.
#[must_use]
pub fn blueprint(map: &Map, analysis: Option<&Analysis>, options: &DrawOptions) -> Drawing {
    blueprint_with(map, analysis, options, &mut Routing::default())
}

/// [`blueprint`], reusing the connectors of the last drawing made with
/// `routing` when the edit since moved nothing they depend on (a window
/// redrawing its map after each edit keeps one).
#[must_use]
pub fn blueprint_with(map: &Map, analysis: Option<&Analysis>, options: &DrawOptions, routing: &mut Routing) -> Drawing {
    let lay = routing.layout(map);
    let mut s = String::with_capacity(4096 + map.steps.len() * 900);
    let (w, h) = (lay.width, lay.height);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="waymark-blueprint" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" font-family="{font}" role="img" aria-label="{label}">"#,
        font = attr(FONT),
        label = attr(&format!("Service blueprint: {}", map.title))
    );
    // No <title>: a browser shows it as a tooltip over every card.
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
    // Connector labels go over the cards' halos, so they read whole.
    let mut labels = (String::new(), Vec::new());
    flows(&mut s, &mut pieces, &mut labels, map, &lay, &visible, routing);
    cards(&mut s, &mut pieces, map, &lay, analysis, &visible, options.ranks_shown);
    let start = s.len();
    s.push_str(&labels.0);
    pieces.extend(labels.1.into_iter().map(|p| Piece { range: start + p.range.start..start + p.range.end, ..p }));
    let start = s.len();
    super::legend::draw(&mut s, &lay);
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
        let color = Band::of(v, standard).color();
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{color}" stroke="#ffffff" stroke-width="1.5"/><text x="{x:.1}" y="{:.1}" font-size="11" font-weight="700" fill="{color}" text-anchor="middle" class="stage-score">{v:.1}</text>"##,
            y - 9.0
        );
    }
    s.push_str("</g>");
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
        // One line sits in the middle of the heading band; two fill it.
        let first = if c.name_lines.len() > 1 { r.y + 19.0 } else { r.y + 27.0 };
        for (k, line) in c.name_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "at most two lines")]
            let y = first + k as f64 * 16.0;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" font-size="{HEADING_FONT}" font-weight="700" fill="{INK}" text-anchor="middle" data-stage="{}">{}</text>"#,
                r.cx(),
                attr(&map.stages[c.stage].id),
                text(line)
            );
        }
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
        for (k, line) in lane.name_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "at most three lines")]
            let y = r.y + 30.0 + k as f64 * 17.0;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" font-size="{HEADING_FONT}" font-weight="700" fill="{INK}">{}</text>"#,
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

/// What a connector's label says: the branch's share (or "rework"), and the
/// agreement on the handoff with its status.
struct FlowLabel {
    share: Option<String>,
    sla: Option<(String, &'static str, &'static str)>,
}

impl FlowLabel {
    fn of(f: &crate::model::Flow, settings: &crate::model::Settings) -> Option<Self> {
        let rework = f.kind == FlowKind::Rework;
        // A share counted from a log says of how many.
        let mut share = f.share.filter(|&x| x < 1.0).map(|x| match f.measured {
            Some(c) => format!("{:.0}% of {}", x * 100.0, c.n),
            None => format!("{:.0}%", x * 100.0),
        });
        if rework {
            share = Some(share.map_or_else(|| "rework".to_owned(), |l| format!("rework {l}")));
        }
        let sla = f.sla.as_ref().map(|sla| {
            let (color, word) = match sla.status(settings) {
                SlaStatus::Met => (GOOD, "met"),
                SlaStatus::Breached => (POOR, "breached"),
                SlaStatus::Unmeasured => (UNSCORED, "unmeasured"),
            };
            let badge = match (&sla.measured, sla.actual_minutes) {
                (Some(m), _) if m.n > 0 => {
                    format!("SLA {:.0}% of {} ≤ {}", m.within_share() * 100.0, m.n, duration(sla.promised_minutes))
                }
                // Both under an hour and a half: "SLA 14 / 5 min"; else each in
                // the unit it reads best in: "SLA 2 days / 1 hour".
                (_, Some(act)) if act < 90.0 && sla.promised_minutes < 90.0 => {
                    format!("SLA {} / {}", crate::analysis::minutes(act), duration(sla.promised_minutes))
                }
                (_, Some(act)) => format!("SLA {} / {}", duration(act), duration(sla.promised_minutes)),
                (_, None) => format!("SLA {}", duration(sla.promised_minutes)),
            };
            (badge, color, word)
        });
        (share.is_some() || sla.is_some()).then_some(Self { share, sla })
    }

    fn widths(&self) -> (f64, f64) {
        let share = self.share.as_deref().map_or(0.0, |t| text_width(t, FLOW_LABEL));
        let sla = self.sla.as_ref().map_or(0.0, |(t, ..)| crate::fonts::text_width(t, FLOW_LABEL, Weight::Bold));
        (share, sla)
    }

    /// The label's box: both parts on one line, with a gap between.
    fn size(&self) -> (f64, f64) {
        let (a, b) = self.widths();
        let gap = if a > 0.0 && b > 0.0 { 6.0 } else { 0.0 };
        (a + gap + b + 6.0, FLOW_LABEL + 4.0)
    }
}

/// The connectors into `s`, and their labels into `out` as a group of their
/// own (with their pieces, placed in `out`). Each connector and each label
/// is an item of its set, keyed by the flow's place in the map, so a window
/// showing part of a large map takes in and out only those that come into
/// view or leave it, and an edit that moves a card replaces only the
/// connectors it moved.
fn flows(
    s: &mut String,
    pieces: &mut Vec<Piece>,
    (out, out_pieces): &mut (String, Vec<Piece>),
    map: &Map,
    lay: &Layout,
    visible: &dyn Fn(&Rect) -> bool,
    routing: &mut Routing,
) {
    let labels: Vec<Option<FlowLabel>> = map.flows.iter().map(|f| FlowLabel::of(f, &map.settings)).collect();
    let sizes: Vec<Option<(f64, f64)>> = labels.iter().map(|l| l.as_ref().map(FlowLabel::size)).collect();
    let (routes, paths) = routing.routes_and_paths(map, lay, &sizes);
    s.push_str(r#"<g class="flows" fill="none">"#);
    out.push_str(r#"<g class="flow-labels" pointer-events="none">"#);
    for (i, (f, route)) in map.flows.iter().zip(routes).enumerate() {
        let Some(route) = route else { continue };
        if !visible(&route.bounds().grown(8.0)) {
            continue;
        }
        let rework = f.kind == FlowKind::Rework;
        let (stroke, marker, dash, class) = if rework {
            (REWORK, "wm-arrow-rework", r#" stroke-dasharray="7 5""#, "flow rework")
        } else {
            (MUTED, "wm-arrow", "", "flow")
        };
        let start = s.len();
        // Its own fill, not only its group's: a PDF writer takes the items
        // without the groups that hold them (`Drawing::split`).
        let _ = write!(
            s,
            r#"<path d="{}" fill="none" stroke="{stroke}" stroke-width="1.6"{dash} marker-end="url(#{marker})" class="{class}" data-flow="{i}"/>"#,
            paths[i].get_or_init(|| route.path_data())
        );
        pieces.push(Piece { part: Part::Item { set: "flows", step: i.to_string() }, range: start..s.len() });
        let (Some(label), Some(at)) = (&labels[i], route.label) else { continue };
        // A tile that shows only the connector's ends skips its label.
        if !visible(&at) {
            continue;
        }
        let start = out.len();
        let _ = write!(out, r#"<g data-flow="{i}">"#);
        label_plate(out, &at, i);
        let baseline = at.bottom() - 4.0;
        let (share_w, _) = label.widths();
        let mut x = at.x + 3.0;
        if let Some(share) = &label.share {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="{FLOW_LABEL}" fill="{stroke}" class="share">{}</text>"#,
                Tenth(x),
                Tenth(baseline),
                text(share)
            );
            x += share_w + 6.0;
        }
        if let Some((badge, color, word)) = &label.sla {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="{FLOW_LABEL}" font-weight="700" fill="{color}" class="sla {word}">{}</text>"#,
                Tenth(x),
                Tenth(baseline),
                text(badge)
            );
        }
        out.push_str("</g>");
        out_pieces
            .push(Piece { part: Part::Item { set: "flow-labels", step: i.to_string() }, range: start..out.len() });
    }
    s.push_str("</g>");
    out.push_str("</g>");
}

/// A white plate behind a label, so it reads over the lines it sits on. (A
/// rectangle, not a text stroke: it prints the same and costs a PDF writer
/// far less.)
fn label_plate(s: &mut String, r: &Rect, flow: usize) {
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.92" data-flow="{flow}"/>"##,
        Tenth(r.x),
        Tenth(r.y),
        Tenth(r.w),
        Tenth(r.h)
    );
}

/// Colour of a score against its target.
fn score_color(step: &Step, map: &Map) -> &'static str {
    step.score.map_or(UNSCORED, |score| Band::of(score, step.target_or(&map.settings)).color())
}

/// The halo around a weak spot: at least a thin ring, up to a wide one for the
/// weak spot that costs the remembered experience most.
const HALO_MIN: f64 = 5.0;
const HALO_MAX: f64 = 13.0;

fn halo(s: &mut String, r: Rect, id: &str, impact: f64, max_impact: f64) {
    let pad = HALO_MIN + (HALO_MAX - HALO_MIN) * (impact / max_impact).clamp(0.0, 1.0);
    let _ = write!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{POOR}" fill-opacity="0.16" stroke="{POOR}" stroke-opacity="0.55" stroke-width="1.5" class="halo" data-step="{id}" data-weak-spot="{id}"/>"#,
        Tenth(r.x - pad),
        Tenth(r.y - pad),
        Tenth(r.w + 2.0 * pad),
        Tenth(r.h + 2.0 * pad),
        Tenth(8.0 + pad),
        id = attr(id)
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

fn rank_badge(s: &mut String, r: Rect, id: &str, rank: u32) {
    let _ = write!(
        s,
        r##"<g class="rank" data-step="{id}" data-rank="{rank}"><circle cx="{}" cy="{}" r="11" fill="{POOR}" stroke="#ffffff" stroke-width="2" class="weak-spot-rank"/><text x="{}" y="{}" font-size="12" font-weight="700" fill="#ffffff" text-anchor="middle">{rank}</text></g>"##,
        Tenth(r.x),
        Tenth(r.y),
        Tenth(r.x),
        Tenth(r.y + 4.0),
        id = attr(id)
    );
}

/// The halos, the cards, then the weak spots' rank badges over them, each a
/// set of one element per step; records every element as a piece.
fn cards(
    s: &mut String,
    pieces: &mut Vec<Piece>,
    map: &Map,
    lay: &Layout,
    analysis: Option<&Analysis>,
    visible: &dyn Fn(&Rect) -> bool,
    ranks_shown: Option<u32>,
) {
    let weak: HashMap<&str, (u32, f64)> =
        analysis.map(|a| a.weak_spots.iter().map(|w| (w.id.as_str(), (w.rank, w.share))).collect()).unwrap_or_default();
    let max_impact = weak.values().map(|&(_, i)| i).fold(0.0, f64::max);
    // Open pain points per step: how many, and their votes.
    let mut pain: HashMap<&str, (u32, u32)> = HashMap::default();
    for p in map.pain_points.iter().filter(|p| p.is_open()) {
        let entry = pain.entry(p.step.as_str()).or_default();
        entry.0 += 1;
        entry.1 += p.votes;
    }
    let item = |s: &String, pieces: &mut Vec<Piece>, set: &'static str, step: &str, start: usize| {
        pieces.push(Piece { part: Part::Item { set, step: step.to_owned() }, range: start..s.len() });
    };
    // Halos first, so no halo covers a neighbouring card.
    s.push_str(r#"<g class="halos">"#);
    for card in lay.cards.iter().filter(|c| visible(&c.rect)) {
        let id = map.steps[card.step].id.as_str();
        if let Some(&(_, impact)) = weak.get(id) {
            let start = s.len();
            halo(s, card.rect, id, impact, max_impact);
            item(s, pieces, "halos", id, start);
        }
    }
    s.push_str("</g>");
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
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="{color}" stroke-width="2"{dash}/>"#,
            Tenth(r.x),
            Tenth(r.y),
            Tenth(r.w),
            Tenth(r.h)
        );
        if front && step.score.is_some() {
            // A wash of the score's colour: the map reads as a heat map at a glance.
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="7" fill="{}" fill-opacity="0.10"/>"#,
                Tenth(r.x + 1.0),
                Tenth(r.y + 1.0),
                Tenth(r.w - 2.0),
                Tenth(r.h - 2.0),
                score_color(step, map)
            );
        }
        for (k, line) in card.title_lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "at most three lines")]
            let y = r.y + 20.0 + k as f64 * 16.0;
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-size="{TITLE_FONT}" fill="{INK}" class="step-title">{}</text>"#,
                Tenth(r.x + 10.0),
                Tenth(y),
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
                r##"<rect x="{}" y="{}" width="38" height="20" rx="10" fill="{color}"/><text x="{}" y="{}" font-size="12" font-weight="700" fill="#ffffff" text-anchor="middle" class="step-score">{label}</text>"##,
                Tenth(r.right() - 46.0),
                Tenth(base - 14.0),
                Tenth(r.right() - 27.0),
                Tenth(base)
            );
            if step.score.is_none() {
                foot.push("not scored".to_owned());
            }
        } else {
            foot.push("backstage".to_owned());
        }
        // A score from a survey says how many answered and its 95% interval
        // (a t-interval is symmetric: ± its half-width fits a card's foot).
        if let Some(v) = step.surveyed.as_ref().filter(|_| front) {
            foot.push(match v.interval {
                Some([lo, hi]) => format!("n={} ±{:.2}", v.n, (hi - lo) / 2.0),
                None => format!("n={}", v.n),
            });
        }
        if let Some(owner) = step.owner.as_deref().filter(|o| !o.trim().is_empty()) {
            foot.push(owner.to_owned());
        }
        let mut room = if front { r.w - 64.0 } else { r.w - 20.0 };
        let mut x = r.x + 10.0;
        if let Some((lo, hi)) = step.rating_spread() {
            // The room's range of ratings: wide ranges are where it disagrees.
            // A score agreed apart from the ratings shows them beside it.
            let n = step.ratings.len();
            let (label, fill, weight) = match step.rating_apart() {
                Some(mean) => (format!("{n} rating{}: {mean:.1}", if n == 1 { "" } else { "s" }), NEAR, "700"),
                None if hi - lo >= DISAGREEMENT => (format!("{lo:.1}–{hi:.1} ×{n}"), NEAR, "700"),
                None => (format!("{lo:.1}–{hi:.1} ×{n}"), MUTED, "400"),
            };
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-size="10.5" font-weight="{weight}" fill="{fill}" class="step-spread">{}</text>"#,
                Tenth(x),
                Tenth(base),
                text(&label)
            );
            let used = text_width(&label, 10.5) + 8.0;
            x += used;
            room -= used;
        }
        if !foot.is_empty() && room > 20.0 {
            let line = wrap_in(&foot.join(" · "), room, 10.5, 1, Weight::Regular).join("");
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-size="10.5" fill="{MUTED}" class="step-owner">{}</text>"#,
                Tenth(x),
                Tenth(base),
                text(&line)
            );
        }
        if let Some(&(count, votes)) = pain.get(step.id.as_str()) {
            pain_marker(s, r, count, votes);
        }
        s.push_str("</g>");
        item(s, pieces, "cards", &step.id, start);
    }
    s.push_str("</g>");
    // Over the cards; clicks go through to the card under a badge.
    s.push_str(r#"<g class="ranks" pointer-events="none">"#);
    for card in lay.cards.iter().filter(|c| visible(&c.rect)) {
        let id = map.steps[card.step].id.as_str();
        if let Some(&(rank, _)) = weak.get(id)
            && ranks_shown.is_none_or(|n| rank <= n)
        {
            let start = s.len();
            rank_badge(s, card.rect, id, rank);
            item(s, pieces, "ranks", id, start);
        }
    }
    s.push_str("</g>");
}
