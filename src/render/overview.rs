//! The journey at a glance: one column per stage, the emotion curve across
//! them, and under each stage its weak spots by rank and title. Small enough
//! for the lower half of the report's first page, readable at its size (the
//! whole blueprint would print there too small to read).

use std::fmt::Write as _;

use crate::analysis::{Analysis, Band};
use crate::fonts::{FAMILY, Weight};
use crate::layout::wrap_in;
use crate::model::{Index, Map, Visibility};
use crate::render::escape::text;

const INK: &str = "#1f2933";
const MUTED: &str = "#5f6b7a";
const GRID: &str = "#d9dee5";
const POOR: &str = "#c62828";

/// The overview as a standalone SVG of `width` × `height` units (points, on
/// the report's page).
#[must_use]
pub fn overview_svg(map: &Map, a: &Analysis, width: f64, height: f64) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.2} {height:.2}" width="{width:.2}" height="{height:.2}" font-family="'{FAMILY}', sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let stages = map.stages.len().max(1);
    let left = 28.0;
    #[allow(clippy::cast_precision_loss, reason = "few stages")]
    let col_w = (width - left) / stages as f64;
    // Curve band: the top part; weak spots listed under it.
    let (names_h, band_top, band_bottom) = (30.0, 60.0, (height * 0.45).max(100.0));
    let y_of = |score: f64| band_bottom - (score - 1.0) / 4.0 * (band_bottom - band_top);
    for (score, label) in [(5.0, "5"), (3.0, "3"), (1.0, "1")] {
        let y = y_of(score);
        let dash = if label == "3" { r#" stroke-dasharray="3 3""# } else { "" };
        let _ = write!(
            s,
            r#"<line x1="{left:.1}" y1="{y:.1}" x2="{width:.1}" y2="{y:.1}" stroke="{GRID}"{dash}/><text x="{:.1}" y="{:.1}" font-size="8" fill="{MUTED}" text-anchor="end">{label}</text>"#,
            left - 5.0,
            y + 3.0
        );
    }
    let index = Index::new(map);
    let mut points = Vec::with_capacity(stages);
    for (i, stage) in map.stages.iter().enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "few stages")]
        let x0 = left + i as f64 * col_w;
        let cx = x0 + col_w / 2.0;
        if i % 2 == 1 {
            let _ = write!(s, r##"<rect x="{x0:.1}" y="0" width="{col_w:.1}" height="{height:.1}" fill="#f4f6f8"/>"##);
        }
        for (k, line) in wrap_in(&stage.name, col_w - 8.0, 9.5, 2, Weight::Bold).iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "two lines")]
            let y = 11.0 + k as f64 * 12.0;
            let _ = write!(
                s,
                r#"<text x="{cx:.1}" y="{y:.1}" font-size="9.5" font-weight="700" fill="{INK}" text-anchor="middle">{}</text>"#,
                text(line)
            );
        }
        let steps = map.steps.iter().filter(|st| st.stage == stage.id).count();
        let front =
            map.steps.iter().filter(|st| st.stage == stage.id && st.visibility == Visibility::Frontstage).count();
        let _ = write!(
            s,
            r#"<text x="{cx:.1}" y="{:.1}" font-size="8" fill="{MUTED}" text-anchor="middle">{steps} step{}, {front} seen</text>"#,
            names_h + 6.0,
            if steps == 1 { "" } else { "s" }
        );
        let value = a.emotion_curve.get(i).copied().flatten();
        points.push(value.map(|v| (cx, y_of(v), v)));
        // The stage's weak spots, most costly first.
        let mut y = band_bottom + 26.0;
        for spot in a.weak_spots.iter().filter(|w| index.step(&w.id).is_some_and(|st| st.stage == stage.id)) {
            if y > height - 12.0 {
                break;
            }
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="7" fill="{POOR}"/><text x="{:.1}" y="{:.1}" font-size="8.5" font-weight="700" fill="#ffffff" text-anchor="middle">{}</text>"##,
                x0 + 12.0,
                y - 3.0,
                x0 + 12.0,
                y,
                spot.rank
            );
            let lines = wrap_in(&spot.title, col_w - 30.0, 8.5, 2, Weight::Regular);
            for (k, line) in lines.iter().enumerate() {
                #[allow(clippy::cast_precision_loss, reason = "two lines")]
                let ly = y + k as f64 * 10.5;
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{ly:.1}" font-size="8.5" fill="{INK}">{}</text>"#,
                    x0 + 24.0,
                    text(line)
                );
            }
            #[allow(clippy::cast_precision_loss, reason = "two lines")]
            let used = lines.len().max(1) as f64 * 10.5;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" font-size="7.5" fill="{MUTED}">{:.1} → {:.1}, share +{:.2}</text>"#,
                x0 + 24.0,
                y + used,
                spot.score,
                spot.target,
                spot.share
            );
            y += used + 18.0;
        }
    }
    for pair in points.windows(2) {
        if let [Some((x1, y1, _)), Some((x2, y2, _))] = pair {
            let _ = write!(
                s,
                r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{INK}" stroke-width="1.5"/>"#
            );
        }
    }
    for (x, y, v) in points.into_iter().flatten() {
        let color = Band::of(v, map.settings.standard).color();
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{color}" stroke="#ffffff"/><text x="{x:.1}" y="{:.1}" font-size="9" font-weight="700" fill="{color}" text-anchor="middle">{v:.1}</text>"##,
            y - 7.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{left:.1}" y="{:.1}" font-size="8" fill="{MUTED}">Reach-weighted score by stage; below it, each stage's weak spots by rank (score → target, gain in remembered experience).</text>"#,
        band_bottom + 12.0
    );
    s.push_str("</svg>");
    s
}
