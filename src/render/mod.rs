//! Drawing a map. One renderer serves every surface: the window shows the SVG
//! made here, and exports embed the same drawing, so what a facilitator sees is
//! what a manager circulates.

mod blueprint;
pub mod escape;
pub mod legend;
mod overview;
pub mod pieces;
mod trend;

use std::sync::Arc;

use resvg::usvg;

use crate::fonts;

pub use crate::layout::route::Routing;
pub use blueprint::{DrawOptions, Drawing, blueprint, blueprint_svg, blueprint_with};
pub use overview::overview_svg;
pub use trend::{trend_group, trend_svg};

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

/// Rasterises a drawing at `scale` pixels per unit, for slides.
///
/// # Errors
/// When the drawing does not parse or is too large to rasterise.
pub fn png(drawing: &Drawing, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(&drawing.svg, &svg_options())
        .map_err(|e| PngError(format!("the drawing did not parse: {e}")))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| PngError("empty drawing".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| PngError(format!("{}×{} pixels is too large", size.width(), size.height())))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PngError(e.to_string()))
}

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
#[error("PNG export: {0}")]
pub struct PngError(String);
