//! The trend chart: remembered and average experience, and the share of
//! internal agreements met, across every review. One drawing serves the
//! window and the PDF, like the map.

use std::fmt::Write as _;

use crate::fonts::FAMILY;
use crate::render::escape::{attr, text};
use crate::review::TrendPoint;

/// Colours of the three series, also used by the legend.
const REMEMBERED: &str = "#1d4ed8";
const AVERAGE: &str = "#6b7280";
const COMPLIANCE: &str = "#15803d";
const GRID: &str = "#d9dee5";
const INK: &str = "#1f2933";
const MUTED: &str = "#5f6b7a";

/// The chart as a standalone SVG of `width` × `height` units.
#[must_use]
pub fn trend_svg(points: &[TrendPoint], width: f64, height: f64) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="'{FAMILY}', sans-serif" role="img" aria-label="Trend across reviews"><rect width="100%" height="100%" fill="#ffffff"/>{}</svg>"##,
        trend_group(points, 0.0, 0.0, width, height)
    )
}

/// The chart as a group placed at (`x`, `y`), for a report page.
#[must_use]
pub fn trend_group(points: &[TrendPoint], x: f64, y: f64, width: f64, height: f64) -> String {
    let mut s = String::new();
    let _ = write!(s, r#"<g transform="translate({x:.2} {y:.2})" class="trend">"#);
    let (left, right, bottom) = (44.0, width - 52.0, height - 46.0);
    // Legend along the top, wrapping onto another row in a narrow chart.
    let (mut lx, mut ly) = (left, 12.0);
    for (label, color, dash) in [
        ("Remembered experience", REMEMBERED, ""),
        ("Average experience", AVERAGE, r#" stroke-dasharray="5 3""#),
        ("Agreements met (right axis)", COMPLIANCE, ""),
    ] {
        let w = 28.0 + crate::fonts::text_width(label, 11.0, crate::fonts::Weight::Regular);
        if lx > left && lx + w > right {
            lx = left;
            ly += 16.0;
        }
        let _ = write!(
            s,
            r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{color}" stroke-width="2.5"{dash}/><text x="{:.1}" y="{:.1}" font-size="11" fill="{INK}">{label}</text>"#,
            lx + 18.0,
            lx + 23.0,
            ly + 4.0
        );
        lx += w + 12.0;
    }
    let top = ly + 22.0;
    let score_y = |v: f64| bottom - (v - 1.0) / 4.0 * (bottom - top);
    let share_y = |v: f64| bottom - v * (bottom - top);
    for k in 1..=5 {
        let gy = score_y(f64::from(k));
        let _ = write!(
            s,
            r#"<line x1="{left:.1}" y1="{gy:.1}" x2="{right:.1}" y2="{gy:.1}" stroke="{GRID}" stroke-width="0.75"/><text x="{:.1}" y="{:.1}" font-size="10" fill="{MUTED}" text-anchor="end">{k}</text><text x="{:.1}" y="{:.1}" font-size="10" fill="{COMPLIANCE}">{}%</text>"#,
            left - 6.0,
            gy + 3.5,
            right + 6.0,
            gy + 3.5,
            (k - 1) * 25
        );
    }
    if points.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{MUTED}" text-anchor="middle">No reviews yet: start one to begin the trend.</text></g>"#,
            (left + right) / 2.0,
            (top + bottom) / 2.0
        );
        return s;
    }
    #[allow(clippy::cast_precision_loss, reason = "a handful of reviews")]
    let px = |i: usize| {
        if points.len() == 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (points.len() - 1) as f64
        }
    };
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="10" fill="{INK}" text-anchor="middle">{}</text><text x="{:.1}" y="{:.1}" font-size="9" fill="{MUTED}" text-anchor="middle">{}</text>"#,
            px(i),
            bottom + 16.0,
            text(&p.label),
            px(i),
            bottom + 29.0,
            p.date
        );
    }
    let series =
        |s: &mut String, values: Vec<Option<f64>>, color: &str, dash: &str, y: &dyn Fn(f64) -> f64, name: &str| {
            // A missing value breaks the line rather than pretending to a zero.
            let mut d = String::new();
            let mut pen_down = false;
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(v) => {
                        let _ = write!(d, "{}{:.1} {:.1} ", if pen_down { "L" } else { "M" }, px(i), y(*v));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            if !d.is_empty() {
                let _ = write!(
                    s,
                    r#"<path d="{}" fill="none" stroke="{color}" stroke-width="2.5"{dash} data-series="{}"/>"#,
                    d.trim_end(),
                    attr(name)
                );
            }
            for (i, v) in values.iter().enumerate() {
                if let Some(v) = v {
                    let _ = write!(s, r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{color}"/>"#, px(i), y(*v));
                }
            }
        };
    series(&mut s, points.iter().map(|p| p.remembered).collect(), REMEMBERED, "", &score_y, "remembered");
    series(
        &mut s,
        points.iter().map(|p| p.average).collect(),
        AVERAGE,
        r#" stroke-dasharray="5 3""#,
        &score_y,
        "average",
    );
    series(&mut s, points.iter().map(|p| p.sla_compliance).collect(), COMPLIANCE, "", &share_y, "compliance");
    s.push_str("</g>");
    s
}
