//! Pages to PDF with krilla: each page's SVG is drawn with its text kept as
//! real text in the embedded font, the document gets its title, author, date
//! and language, an outline of its sections, and a tag tree in which each page
//! is a figure with a text alternative.

use std::sync::Arc;

use krilla::Document;
use krilla::destination::XyzDestination;
use krilla::geom::{Point, Size};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::{ContentTag, Tag, TagGroup, TagTree};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;

use crate::analysis::{analyze, analyze_on};
use crate::model::Map;
use crate::render::fonts;
use crate::report::{ReportOptions, pages};
use crate::validate::Report;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The map has errors, so it has no analysis to report.
    #[error("the map is invalid, so there is no report to make:\n{0}")]
    Invalid(Report),
    /// A page drawing did not parse (a bug, reported rather than panicked).
    #[error("page {page} could not be drawn: {message}")]
    Page {
        /// 1-based page number.
        page: usize,
        /// What went wrong.
        message: String,
    },
    /// The PDF writer refused.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// The SVG parser's options: our fonts only, so output never depends on what
/// the machine has installed.
#[must_use]
pub fn svg_options() -> usvg::Options<'static> {
    let mut options = usvg::Options { font_family: fonts::FAMILY.to_owned(), ..usvg::Options::default() };
    let db = options.fontdb_mut();
    for data in [fonts::REGULAR, fonts::BOLD, fonts::OBLIQUE] {
        db.load_font_data(data.to_vec());
    }
    db.set_sans_serif_family(fonts::FAMILY);
    options.fontdb = Arc::new(options.fontdb.as_ref().clone());
    options
}

/// The whole report as PDF bytes.
pub fn pdf(map: &Map, options: &ReportOptions) -> Result<Vec<u8>, ReportError> {
    let analysis = match options.day() {
        Some(day) => analyze_on(map, day),
        None => analyze(map),
    }
    .map_err(ReportError::Invalid)?;
    let pages = pages(map, &analysis, options);
    let trees = parse_pages(&pages);
    let mut doc = Document::new();
    let mut outline = Outline::new();
    let mut tags = TagTree::new();
    for (i, (page, tree)) in pages.iter().zip(trees).enumerate() {
        let fail = |message: String| ReportError::Page { page: i + 1, message };
        let tree = tree.map_err(|e| fail(e.to_string()))?;
        #[allow(clippy::cast_possible_truncation, reason = "page sizes in points fit an f32")]
        let (w, h) = (page.width as f32, page.height as f32);
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| fail("empty page size".into()))?;
        let size = Size::from_wh(w, h).ok_or_else(|| fail("empty page size".into()))?;
        let mut pdf_page = doc.start_page_with(settings);
        let mut surface = pdf_page.surface();
        let id = surface.start_tagged(ContentTag::Other);
        surface.draw_svg(&tree, size, SvgSettings::default()).ok_or_else(|| fail("the drawing failed".into()))?;
        surface.end_tagged();
        surface.finish();
        pdf_page.finish();
        let alt = page.bookmark.clone().unwrap_or_else(|| format!("Page {}", i + 1));
        let mut figure = TagGroup::new(Tag::Figure(Some(format!("{alt}: {}", map.title))));
        figure.push(id);
        tags.push(figure);
        if let Some(title) = &page.bookmark {
            outline.push_child(OutlineNode::new(title.clone(), XyzDestination::new(i, Point::from_xy(0.0, 0.0))));
        }
    }
    doc.set_outline(outline);
    doc.set_tag_tree(tags);
    let mut metadata = Metadata::new()
        .title(map.title.clone())
        .description(format!("Waymark journey report: {}", map.title))
        .creator("Waymark".to_owned())
        .language("en".to_owned());
    if let Some(author) = &options.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    if let Some(date) = pdf_date(&options.date) {
        metadata = metadata.creation_date(date);
    }
    doc.set_metadata(metadata);
    doc.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// Parses the page drawings (text shaping is the costly part) on every core:
/// pages are independent, and the PDF writer then takes them in order.
fn parse_pages(pages: &[crate::report::Page]) -> Vec<Result<usvg::Tree, usvg::Error>> {
    let options = svg_options();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(pages.len().max(1));
    // Worker k parses pages k, k + workers, …: heavy map tiles come first,
    // so dealing them out round-robin keeps the workers even.
    let mut parsed: Vec<Option<Result<usvg::Tree, usvg::Error>>> = (0..pages.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|k| {
                let options = &options;
                scope.spawn(move || {
                    pages
                        .iter()
                        .enumerate()
                        .skip(k)
                        .step_by(workers)
                        .map(|(i, p)| (i, usvg::Tree::from_str(&p.svg, options)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (i, tree) in handle.join().unwrap_or_default() {
                parsed[i] = Some(tree);
            }
        }
    });
    parsed.into_iter().map(|t| t.unwrap_or(Err(usvg::Error::ElementsLimitReached))).collect()
}

/// `YYYY-MM-DD` to a PDF date; `None` when it is not one.
fn pdf_date(date: &str) -> Option<DateTime> {
    let mut parts = date.splitn(3, '-');
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| DateTime::new(y).month(m).day(d))
}
