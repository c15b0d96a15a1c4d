//! Pages to PDF with krilla. Text is written as text in the embedded DejaVu
//! Sans (subset once for the whole document), each block under the tag of
//! its role, so the document has a structure a screen reader follows:
//! headings, paragraphs, tables with header cells, figures with a text
//! alternative, decoration marked as such. The map is drawn once, as a
//! graphic every map page shows a region of. The document gets its title,
//! author, date, language and an outline of its sections.
//!
//! The PDF is version 1.5. krilla writes `/MarkInfo << /Suspects false >>`
//! for 1.6 and 1.7; poppler (`pdfinfo`, `pdftotext`) reports any `Suspects`
//! that is not `true` as "Suspects object is wrong type (boolean)", though
//! `false` is what the PDF reference asks for. The fault is poppler's; 1.5
//! has everything the report uses and no such entry.

use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::configure::{ConfigurationBuilder, PdfVersion};
use krilla::destination::XyzDestination;
use krilla::geom::{Path, PathBuilder, Point, Size, Transform};
use krilla::graphic::Graphic;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Node as TagNode, SpanTag, TableHeaderScope, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;

use crate::analysis::{analyze, analyze_on};
use crate::fonts::{self, Weight};
use crate::layout::Rect;
use crate::model::Map;
use crate::report::page::{Item, Node, Role, RowKind, Run, TableRow};
use crate::report::{Report, ReportOptions, map_text, report};
use crate::validate::Report as Problems;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The map has errors, so it has no analysis to report.
    #[error("the map is invalid, so there is no report to make:\n{0}")]
    Invalid(Problems),
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

/// What every page draws with: the fonts, the parser's options, the map.
struct Ink {
    regular: Font,
    bold: Font,
    svg: usvg::Options<'static>,
    map: Option<Graphic>,
}

fn color(hex: &str) -> rgb::Color {
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    rgb::Color::new(byte(1), byte(3), byte(5))
}

fn fill(hex: &str) -> Fill {
    Fill { paint: color(hex).into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

#[allow(clippy::cast_possible_truncation, reason = "page coordinates in points fit an f32")]
fn f(x: f64) -> f32 {
    x as f32
}

fn rect_path(r: &Rect, radius: f64) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let k = radius.min(r.w / 2.0).min(r.h / 2.0);
    if k <= 0.0 {
        pb.push_rect(krilla::geom::Rect::from_xywh(f(r.x), f(r.y), f(r.w), f(r.h))?);
    } else {
        let (x0, y0, x1, y1) = (r.x, r.y, r.right(), r.bottom());
        pb.move_to(f(x0 + k), f(y0));
        pb.line_to(f(x1 - k), f(y0));
        pb.quad_to(f(x1), f(y0), f(x1), f(y0 + k));
        pb.line_to(f(x1), f(y1 - k));
        pb.quad_to(f(x1), f(y1), f(x1 - k), f(y1));
        pb.line_to(f(x0 + k), f(y1));
        pb.quad_to(f(x0), f(y1), f(x0), f(y1 - k));
        pb.line_to(f(x0), f(y0 + k));
        pb.quad_to(f(x0), f(y0), f(x0 + k), f(y0));
        pb.close();
    }
    pb.finish()
}

/// Draws one item; text and pictures are tagged content (their identifiers
/// go into `tag`), rules and backgrounds are artifacts.
fn draw(surface: &mut Surface<'_>, ink: &Ink, item: &Item, tag: &mut Vec<TagNode>) -> Result<(), String> {
    match item {
        Item::Text(run) => {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            text(surface, ink, run);
            surface.end_tagged();
            tag.push(id.into());
        }
        Item::Rect { rect, fill: hex, radius } => {
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
            if let Some(path) = rect_path(rect, *radius) {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(hex)));
                surface.draw_path(&path);
            }
            surface.end_tagged();
        }
        Item::Rule { x1, x2, y } => {
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
            let mut pb = PathBuilder::new();
            pb.move_to(f(*x1), f(*y));
            pb.line_to(f(*x2), f(*y));
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(crate::report::page::ink::RULE).into(),
                    width: 0.75,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
            surface.end_tagged();
        }
        Item::Drawing { rect, svg } => {
            let tree = usvg::Tree::from_str(svg, &ink.svg).map_err(|e| e.to_string())?;
            let size = Size::from_wh(f(rect.w), f(rect.h)).ok_or("an empty drawing")?;
            let id = surface.start_tagged(ContentTag::Other);
            surface.push_transform(&Transform::from_translate(f(rect.x), f(rect.y)));
            let drawn = surface.draw_svg(&tree, size, SvgSettings::default());
            surface.pop();
            surface.end_tagged();
            drawn.ok_or("the drawing failed")?;
            tag.push(id.into());
        }
        Item::Map { dest, src } => {
            let graphic = ink.map.clone().ok_or("the map was not drawn")?;
            let id = surface.start_tagged(ContentTag::Other);
            if let Some(clip) = rect_path(dest, 0.0) {
                surface.push_clip_path(&clip, &FillRule::NonZero);
                let scale = dest.w / src.w.max(1e-9);
                surface.push_transform(&Transform::from_row(
                    f(scale),
                    0.0,
                    0.0,
                    f(scale),
                    f(dest.x - src.x * scale),
                    f(dest.y - src.y * scale),
                ));
                surface.draw_graphic(graphic);
                surface.pop();
                surface.pop();
            }
            surface.end_tagged();
            tag.push(id.into());
        }
    }
    Ok(())
}

/// Draws a block's (or a cell's) items in order, each run of lines of text
/// as one tagged span: one marked-content sequence per paragraph rather than
/// per line keeps the structure tree small on a long table.
fn draw_all(surface: &mut Surface<'_>, ink: &Ink, items: &[Item], tag: &mut Vec<TagNode>) -> Result<(), String> {
    let mut rest = items;
    while let Some(first) = rest.first() {
        let lines = rest.iter().take_while(|i| matches!(i, Item::Text(_))).count();
        if lines == 0 {
            draw(surface, ink, first, tag)?;
            rest = &rest[1..];
            continue;
        }
        let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
        for item in &rest[..lines] {
            if let Item::Text(run) = item {
                text(surface, ink, run);
            }
        }
        surface.end_tagged();
        tag.push(id.into());
        rest = &rest[lines..];
    }
    Ok(())
}

fn text(surface: &mut Surface<'_>, ink: &Ink, run: &Run) {
    let font = match run.weight {
        Weight::Regular => ink.regular.clone(),
        Weight::Bold => ink.bold.clone(),
    };
    surface.set_stroke(None);
    surface.set_fill(Some(fill(run.color)));
    // Our own glyph runs rather than krilla's shaper, which parses the font
    // again for every line: the same advances layout measured, much faster.
    let glyphs: Vec<KrillaGlyph> = fonts::glyphs(&run.text, run.weight)
        .into_iter()
        .map(|(id, advance, range)| KrillaGlyph {
            glyph_id: GlyphId::new(u32::from(id)),
            text_range: range,
            x_advance: f(advance),
            x_offset: 0.0,
            y_offset: 0.0,
            y_advance: 0.0,
            location: None,
        })
        .collect();
    surface.draw_glyphs(Point::from_xy(f(run.left()), f(run.y)), &glyphs, font, &run.text, f(run.size), false);
}

/// The text a heading says, for its tag's title.
fn said(items: &[Item]) -> String {
    items
        .iter()
        .filter_map(|i| if let Item::Text(r) = i { Some(r.text.as_str()) } else { None })
        .collect::<Vec<_>>()
        .join(" ")
}

fn block_tag(role: &Role, items: &[Item]) -> Option<TagKind> {
    match role {
        Role::Heading(level) => {
            Some(Tag::Hn(NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN), Some(said(items))).into())
        }
        Role::Paragraph => Some(Tag::P.into()),
        Role::Figure(alt) => Some(Tag::Figure(Some(alt.clone())).into()),
        Role::Artifact => None,
    }
}

fn table(surface: &mut Surface<'_>, ink: &Ink, rows: &[TableRow]) -> Result<TagGroup, String> {
    let mut table = TagGroup::new(Tag::Table);
    for row in rows {
        let mut tr = TagGroup::new(Tag::TR);
        for cell in &row.cells {
            let mut ids = Vec::new();
            draw_all(surface, ink, cell, &mut ids)?;
            let kind: TagKind = match row.kind {
                RowKind::Header => Tag::TH(TableHeaderScope::Column).into(),
                RowKind::Group => Tag::TH(TableHeaderScope::Row).into(),
                RowKind::Body => Tag::TD.into(),
            };
            tr.push(TagGroup::with_children(kind, ids));
        }
        table.push(tr);
    }
    Ok(table)
}

/// The whole report as PDF bytes.
pub fn pdf(map: &Map, options: &ReportOptions) -> Result<Vec<u8>, ReportError> {
    let analysis = match options.day() {
        Some(day) => analyze_on(map, day),
        None => analyze(map),
    }
    .map_err(ReportError::Invalid)?;
    let report = report(map, &analysis, options);
    let about = About {
        title: map.title.clone(),
        description: format!("Waymark journey report: {}", map.title),
        author: options.author.clone(),
        date: options.date.clone(),
    };
    write(&report, &about)
}

/// What the document's metadata says of it.
pub(super) struct About {
    /// Its title.
    pub title: String,
    /// A sentence on what it is.
    pub description: String,
    /// Who made it.
    pub author: Option<String>,
    /// Its day, `YYYY-MM-DD`.
    pub date: String,
}

/// Writes the pages of a report (a journey's, or a portfolio's, which has
/// no map drawing) as PDF bytes.
pub(super) fn write(report: &Report, about: &About) -> Result<Vec<u8>, ReportError> {
    let configuration = ConfigurationBuilder::new()
        .with_version(PdfVersion::Pdf15)
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    let mut doc = Document::new_with(SerializeSettings { configuration, ..SerializeSettings::default() });
    let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or_else(|| ReportError::Pdf("the font".into()));
    let mut ink =
        Ink { regular: font(fonts::REGULAR)?, bold: font(fonts::BOLD)?, svg: crate::render::svg_options(), map: None };
    // The map's shapes go to the SVG parser (on two cores); its text we write.
    let parts: Vec<(String, Vec<Run>)> = match &report.map {
        Some(drawing) => std::thread::scope(|scope| {
            let handles: Vec<_> =
                drawing.split(2).into_iter().map(|d| scope.spawn(move || map_text::lift(&d))).collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        }),
        None => Vec::new(),
    };
    let map_runs: Vec<Run> = parts.iter().flat_map(|(_, runs)| runs.iter().cloned()).collect();
    let shapes: Vec<String> = parts.into_iter().map(|(svg, _)| svg).collect();
    let map_trees =
        parse_in_parallel(&shapes, &ink.svg).map_err(|e| ReportError::Page { page: 2, message: e.to_string() })?;
    let mut outline = Outline::new();
    let mut tags = TagTree::new();
    for (i, page) in report.pages.iter().enumerate() {
        let fail = |message: String| ReportError::Page { page: i + 1, message };
        let settings =
            PageSettings::from_wh(f(page.width), f(page.height)).ok_or_else(|| fail("empty page size".into()))?;
        let mut pdf_page = doc.start_page_with(settings);
        let mut surface = pdf_page.surface();
        if let (None, Some(drawing)) = (&ink.map, &report.map) {
            // The map once, as a graphic the map pages share.
            let size = Size::from_wh(f(drawing.width), f(drawing.height)).ok_or_else(|| fail("empty map".into()))?;
            let mut builder = surface.stream_builder();
            let mut sub = builder.surface();
            let drawn = map_trees.iter().try_for_each(|tree| sub.draw_svg(tree, size, SvgSettings::default()));
            for run in &map_runs {
                text(&mut sub, &ink, run);
            }
            sub.finish();
            let stream = builder.finish();
            drawn.ok_or_else(|| fail("the map could not be drawn".into()))?;
            ink.map = Some(Graphic::new(stream, false));
        }
        for node in &page.nodes {
            match node {
                Node::Block(block) => {
                    let mut ids = Vec::new();
                    draw_all(&mut surface, &ink, &block.items, &mut ids).map_err(fail)?;
                    if let Some(kind) = block_tag(&block.role, &block.items) {
                        tags.push(TagGroup::with_children(kind, ids));
                    }
                }
                Node::Table(rows) => tags.push(table(&mut surface, &ink, rows).map_err(fail)?),
            }
        }
        surface.finish();
        pdf_page.finish();
        for (title, y) in &page.bookmarks {
            outline.push_child(OutlineNode::new(title.clone(), XyzDestination::new(i, Point::from_xy(0.0, f(*y)))));
        }
    }
    doc.set_outline(outline);
    doc.set_tag_tree(tags);
    let mut metadata = Metadata::new()
        .title(about.title.clone())
        .description(about.description.clone())
        .creator("Waymark".to_owned())
        .language("en".to_owned());
    if let Some(author) = &about.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    if let Some(date) = pdf_date(&about.date) {
        metadata = metadata.creation_date(date);
    }
    doc.set_metadata(metadata);
    doc.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// Parses drawings on separate cores (text layout is the costly part of a
/// large map), in order.
fn parse_in_parallel(docs: &[String], options: &usvg::Options<'static>) -> Result<Vec<usvg::Tree>, usvg::Error> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = docs.iter().map(|d| scope.spawn(move || usvg::Tree::from_str(d, options))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(Err(usvg::Error::ElementsLimitReached))).collect()
    })
}

/// `YYYY-MM-DD` to a PDF date; `None` when it is not one.
fn pdf_date(date: &str) -> Option<DateTime> {
    let mut parts = date.splitn(3, '-');
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| DateTime::new(y).month(m).day(d))
}
