//! The annotated map on paper: the whole drawing on one landscape page when
//! its smallest text still prints at 6 pt or more, otherwise split into tiles
//! that overlap, each labelled with its place.

use std::fmt::Write as _;

use crate::analysis::Analysis;
use crate::layout::Rect;
use crate::model::Map;
use crate::render::escape::text;
use crate::render::fonts::FAMILY;
use crate::render::{DrawOptions, blueprint};
use crate::report::page::ink;
use crate::report::{MARGIN, Page, ReportOptions};

/// The smallest text a printed map may have, in points.
pub const MIN_TEXT_PT: f64 = 6.0;
/// The smallest text size in the drawing, in drawing units.
pub const SMALLEST_DRAWING_TEXT: f64 = 10.0;
/// How much neighbouring tiles share, in points on paper.
const OVERLAP_PT: f64 = 36.0;
/// Room for the page label above the map.
const LABEL_H: f64 = 24.0;

/// A region of the drawing printed on one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tile {
    /// Left of the region, drawing units.
    pub x: f64,
    /// Top of the region, drawing units.
    pub y: f64,
    /// Width, drawing units.
    pub w: f64,
    /// Height, drawing units.
    pub h: f64,
    /// Points per drawing unit.
    pub scale: f64,
    /// 1-based row.
    pub row: usize,
    /// 1-based column.
    pub col: usize,
    /// Rows in all.
    pub rows: usize,
    /// Columns in all.
    pub cols: usize,
}

/// Plans the pages for a drawing of `width` × `height` units on a page whose
/// printable area is `avail_w` × `avail_h` points.
#[must_use]
pub fn plan_tiles(width: f64, height: f64, avail_w: f64, avail_h: f64) -> Vec<Tile> {
    let fit = (avail_w / width).min(avail_h / height);
    let min_scale = MIN_TEXT_PT / SMALLEST_DRAWING_TEXT;
    if fit >= min_scale {
        return vec![Tile { x: 0.0, y: 0.0, w: width, h: height, scale: fit, row: 1, col: 1, rows: 1, cols: 1 }];
    }
    let scale = min_scale;
    let (tile_w, tile_h) = (avail_w / scale, avail_h / scale);
    let overlap = OVERLAP_PT / scale;
    let count = |total: f64, tile: f64| -> usize {
        if total <= tile {
            1
        } else {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a positive page count")]
            let n = ((total - overlap) / (tile - overlap)).ceil() as usize;
            n.max(1)
        }
    };
    let (cols, rows) = (count(width, tile_w), count(height, tile_h));
    let mut tiles = Vec::with_capacity(cols * rows);
    for row in 0..rows {
        for col in 0..cols {
            #[allow(clippy::cast_precision_loss, reason = "few tiles")]
            let (x, y) = (col as f64 * (tile_w - overlap), row as f64 * (tile_h - overlap));
            tiles.push(Tile {
                x: x.min((width - tile_w).max(0.0)),
                y: y.min((height - tile_h).max(0.0)),
                w: tile_w.min(width),
                h: tile_h.min(height),
                scale,
                row: row + 1,
                col: col + 1,
                rows,
                cols,
            });
        }
    }
    tiles
}

/// The map pages of the report.
pub fn map_pages(map: &Map, analysis: &Analysis, options: &ReportOptions) -> Vec<Page> {
    let full = blueprint(map, Some(analysis), &DrawOptions { date: Some(options.date.clone()), viewport: None });
    let (w, h) = options.paper.size_pt();
    let (avail_w, avail_h) = (w - 2.0 * MARGIN, h - 2.0 * MARGIN - LABEL_H);
    let tiles = plan_tiles(full.width, full.height, avail_w, avail_h);
    let total = tiles.len();
    tiles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // Each tile draws only what it shows, so a map on 100 pages is not
            // 100 copies of the whole drawing.
            let drawing = if total == 1 {
                full.svg.clone()
            } else {
                let viewport = Rect { x: t.x, y: t.y, w: t.w, h: t.h };
                blueprint(map, Some(analysis), &DrawOptions { date: Some(options.date.clone()), viewport: Some(viewport) }).svg
            };
            // The drawing's inner markup, without its own <svg …> tag, to nest it.
            let inner = drawing.find('>').map_or("", |i| &drawing[i + 1..]);
            let inner = inner.strip_suffix("</svg>").unwrap_or(inner);
            let label = if total == 1 {
                "Annotated map".to_owned()
            } else {
                format!("Annotated map · part {} of {total} (row {} of {}, column {} of {})", i + 1, t.row, t.rows, t.col, t.cols)
            };
            let mut svg = String::with_capacity(inner.len() + 512);
            let _ = write!(
                svg,
                r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.2} {h:.2}" width="{w:.2}" height="{h:.2}" font-family="'{FAMILY}', sans-serif"><rect width="100%" height="100%" fill="#ffffff"/><text x="{MARGIN:.2}" y="{:.2}" font-size="11" font-weight="700" fill="{}">{}</text>"##,
                MARGIN + 12.0,
                ink::MUTED,
                text(&label)
            );
            let _ = write!(
                svg,
                r#"<svg x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" viewBox="{:.2} {:.2} {:.2} {:.2}" font-family="'{FAMILY}', sans-serif">{inner}</svg></svg>"#,
                MARGIN,
                MARGIN + LABEL_H,
                t.w * t.scale,
                t.h * t.scale,
                t.x,
                t.y,
                t.w,
                t.h
            );
            Page { svg, width: w, height: h, bookmark: (i == 0).then(|| "Annotated map".to_owned()) }
        })
        .collect()
}
