//! The annotated map on paper: the whole drawing on one landscape page when
//! its step titles still print at 6 pt or more, otherwise split into tiles
//! that overlap, each labelled with its place. A tile away from the map's
//! left edge repeats the lane names, and one away from its top the stage
//! headings, so every page reads on its own.
//!
//! The drawing is made once; every tile shows a region of it (see
//! [`Item::Map`]), so the PDF holds it once however many pages it takes.

use crate::fonts::Weight;
use crate::layout::Rect;
use crate::layout::metrics::{LANE_HEADER_W, MARGIN as DRAWING_MARGIN, STAGE_HEADER_H, TITLE_FONT};
use crate::layout::{Layout, layout};
use crate::model::Map;
use crate::report::page::{Item, Page, Role, ink, line};
use crate::report::{MARGIN, ReportOptions};

/// The smallest size a step title may print at, in points.
pub const MIN_TEXT_PT: f64 = 6.0;
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
/// printable area is `avail_w` × `avail_h` points: one page when the step
/// titles print at [`MIN_TEXT_PT`] or more, else tiles at that size.
#[must_use]
pub fn plan_tiles(width: f64, height: f64, avail_w: f64, avail_h: f64) -> Vec<Tile> {
    let fit = (avail_w / width).min(avail_h / height);
    let min_scale = MIN_TEXT_PT / TITLE_FONT;
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

/// Plans the pages of the drawing `lay` lays out, as [`plan_tiles`] does, but
/// cutting only where no card stands (the channels between rows, lanes and
/// card columns), so every card prints whole on one page, and with no more
/// overlap than the headings a page repeats: a page below the first shows
/// the stage headings over the strip the page above ended with, a page right
/// of the first the lane names likewise.
#[must_use]
pub fn plan_map_tiles(lay: &Layout, width: f64, height: f64, avail_w: f64, avail_h: f64) -> Vec<Tile> {
    let one = plan_tiles(width, height, avail_w, avail_h);
    if one.len() <= 1 {
        return one;
    }
    let scale = one[0].scale;
    let xs = spans(width, avail_w / scale, DRAWING_MARGIN + LANE_HEADER_W, &lay.v_channels);
    let ys = spans(height, avail_h / scale, STAGE_HEADER_H, &lay.h_channels);
    let (rows, cols) = (ys.len(), xs.len());
    let mut tiles = Vec::with_capacity(rows * cols);
    for (row, &(y, h)) in ys.iter().enumerate() {
        for (col, &(x, w)) in xs.iter().enumerate() {
            tiles.push(Tile { x, y, w, h, scale, row: row + 1, col: col + 1, rows, cols });
        }
    }
    tiles
}

/// The stretches (start, length) a drawing `total` long takes on pages
/// `page` long: each page ends at the last cut that fits on it, and the
/// next starts `head` before that cut, where its repeated heading goes.
fn spans(total: f64, page: f64, head: f64, cuts: &[f64]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let (mut start, mut shown) = (0.0_f64, 0.0_f64);
    loop {
        let end = start + page;
        if end >= total - 0.5 {
            out.push((start, total - start));
            return out;
        }
        let cut = cuts.iter().copied().filter(|&c| c > shown + 1.0 && c <= end).reduce(f64::max).unwrap_or(end);
        if cut <= shown + 1.0 {
            // A page too short for what it must repeat: plain pages, each
            // a page long, wherever they fall.
            let mut at = start;
            while at + page < total - 0.5 {
                out.push((at, page));
                at += page;
            }
            out.push((at, total - at));
            return out;
        }
        out.push((start, cut - start));
        shown = cut;
        start = (cut - head).max(0.0);
    }
}

/// The map pages of the report, for a drawing of `width` × `height` units.
pub fn map_pages(map: &Map, (width, height): (f64, f64), options: &ReportOptions) -> Vec<Page> {
    let (w, h) = options.paper.size_pt();
    let (avail_w, avail_h) = (w - 2.0 * MARGIN, h - 2.0 * MARGIN - LABEL_H);
    // Laid out again only when the map takes more than one page.
    let lay = (plan_tiles(width, height, avail_w, avail_h).len() > 1).then(|| layout(map));
    let tiles = match &lay {
        Some(lay) => plan_map_tiles(lay, width, height, avail_w, avail_h),
        None => plan_tiles(width, height, avail_w, avail_h),
    };
    let total = tiles.len();
    tiles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let label = if total == 1 {
                format!("{} · annotated map", map.title)
            } else {
                format!(
                    "{} · annotated map, part {} of {total} (row {} of {}, column {} of {})",
                    map.title,
                    i + 1,
                    t.row,
                    t.rows,
                    t.col,
                    t.cols
                )
            };
            let mut page = Page::new(w, h);
            if i == 0 {
                page.bookmarks.push(("Annotated map".to_owned(), 0.0));
            }
            page.block(
                Role::Heading(2),
                vec![line(MARGIN, MARGIN + 12.0, 11.0, Weight::Bold, ink::MUTED, w - 2.0 * MARGIN, &label)],
            );
            let dest = Rect { x: MARGIN, y: MARGIN + LABEL_H, w: t.w * t.scale, h: t.h * t.scale };
            let mut items = vec![Item::Map { dest, src: Rect { x: t.x, y: t.y, w: t.w, h: t.h } }];
            if let Some(lay) = &lay {
                items.extend(repeated_headings(lay, t, dest));
            }
            let alt = format!(
                "Service blueprint of {}: {} steps over {} stages and {} departments{}",
                map.title,
                map.steps.len(),
                map.stages.len(),
                map.departments.len(),
                if total > 1 { format!(", part {} of {total}", i + 1) } else { String::new() }
            );
            page.block(Role::Figure(alt), items);
            page
        })
        .collect()
}

/// Lane names along a tile's left edge when the tile starts right of them,
/// and stage headings along its top when it starts below them: regions of
/// the same drawing, on a white ground over the map.
fn repeated_headings(lay: &Layout, t: &Tile, dest: Rect) -> Vec<Item> {
    let mut items = Vec::new();
    let lanes_w = DRAWING_MARGIN + LANE_HEADER_W;
    if t.x > 0.0 {
        let src = Rect { x: 0.0, y: t.y, w: lanes_w, h: t.h };
        let to = Rect { x: dest.x, y: dest.y, w: lanes_w * t.scale, h: dest.h };
        items.push(Item::Rect { rect: to, fill: ink::WHITE, radius: 0.0 });
        items.push(Item::Map { dest: to, src });
    }
    if let Some(first) = lay.columns.first().filter(|_| t.y > 0.0) {
        let top = first.rect.y;
        let src = Rect { x: t.x, y: top, w: t.w, h: STAGE_HEADER_H };
        let to = Rect { x: dest.x, y: dest.y, w: dest.w, h: STAGE_HEADER_H * t.scale };
        items.push(Item::Rect { rect: to, fill: ink::WHITE, radius: 0.0 });
        items.push(Item::Map { dest: to, src });
    }
    items
}
