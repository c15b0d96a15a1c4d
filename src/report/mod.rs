//! The PDF report a manager forwards: a decision brief, the annotated map as
//! vector graphics, and tables.
//!
//! Every page is an SVG drawn by the core (the map page is the very drawing the
//! window shows) and placed into the PDF by krilla with its text kept as text,
//! in the embedded DejaVu Sans. `pdftotext` therefore finds every step title
//! and pain point, and what a facilitator sees is what the manager prints.

mod brief;
mod map_text;
pub mod page;
mod pdf;
mod portfolio;
mod review_pages;
mod tables;
mod tiles;

pub use pdf::{ReportError, pdf};
pub use portfolio::portfolio_pdf;
pub use tiles::{MIN_TEXT_PT, Tile, plan_map_tiles, plan_tiles};

use crate::analysis::Analysis;
use crate::model::Map;
use crate::review::ReviewSummary;

/// Paper for the report, always landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// 420 × 297 mm.
    #[default]
    A3,
    /// 297 × 210 mm.
    A4,
}

impl Paper {
    /// Width and height in points, landscape.
    #[must_use]
    pub fn size_pt(self) -> (f64, f64) {
        let mm = 72.0 / 25.4;
        match self {
            Paper::A3 => (420.0 * mm, 297.0 * mm),
            Paper::A4 => (297.0 * mm, 210.0 * mm),
        }
    }
}

/// What the caller decides about a report: paper, date (the clock is passed
/// in), author, and what the map's file says about its reviews.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Paper size.
    pub paper: Paper,
    /// The report's date, `YYYY-MM-DD`.
    pub date: String,
    /// Who produced it, for the document's metadata.
    pub author: Option<String>,
    /// The reviews kept in the map's file, for the "Since the last review"
    /// and trend pages; `None` for a map read from JSON, which has none.
    pub review: Option<ReviewSummary>,
    /// How sure the ranking is, when the map's scores rest on samples
    /// (computed by the evidence crate's resampling); `None`: not said.
    pub certainty: Option<crate::analysis::certainty::Certainty>,
}

impl ReportOptions {
    /// The report's date as a day, for what is overdue; `None` when the
    /// date is not `YYYY-MM-DD`.
    #[must_use]
    pub fn day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").ok()
    }
}

/// Margin around every page, in points.
pub const MARGIN: f64 = 36.0;

pub use page::Page;

/// The report before it is written: its pages, and the one map drawing the
/// map pages show regions of.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every page, in order.
    pub pages: Vec<Page>,
    /// The annotated map, drawn once; a portfolio's report has none.
    pub map: Option<crate::render::Drawing>,
}

/// Every page of the report, in order: the brief, the map, what changed since
/// the last review (when there are reviews), then the findings, each only
/// when it has something to say.
#[must_use]
pub fn report(map: &Map, analysis: &Analysis, options: &ReportOptions) -> Report {
    let drawing = crate::render::blueprint(
        map,
        Some(analysis),
        &crate::render::DrawOptions { date: Some(options.date.clone()), ..crate::render::DrawOptions::default() },
    );
    let mut pages = vec![brief::page(map, analysis, options)];
    pages.extend(tiles::map_pages(map, (drawing.width, drawing.height), options));
    let index = crate::model::Index::new(map);
    let mut flow = tables::Flow::new(options);
    review_pages::review(&mut flow, options);
    for section in [tables::weak_spots(&index, analysis), tables::departments(analysis)].into_iter().flatten() {
        flow.section(section);
    }
    review_pages::internal_service(&mut flow, map, analysis, options);
    if let Some(section) = tables::pain_points(map, &index) {
        flow.section(section);
    }
    pages.extend(flow.finish());
    Report { pages, map: Some(drawing) }
}
