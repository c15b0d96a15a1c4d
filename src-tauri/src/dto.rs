//! What the window receives: views shaped for drawing, not the core's types.

use serde::Serialize;
use waymark::Map;
use waymark::validate::{Problem, validate};

/// An open map, ready to show.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MapView {
    /// The map's title.
    pub title: String,
    /// The file's name, for the title bar.
    pub file_name: String,
    /// The full path, for tooltips.
    pub path: String,
    /// The blueprint drawing, made by the core.
    pub svg: String,
    /// How many steps the map has.
    pub step_count: u32,
    /// Validation problems, errors first.
    pub problems: Vec<Problem>,
}

impl MapView {
    /// Builds the view of `map` stored at `path`.
    #[must_use]
    pub fn new(map: &Map, path: &std::path::Path) -> Self {
        Self {
            title: map.title.clone(),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: path.display().to_string(),
            svg: waymark::render::blueprint_svg(map),
            step_count: u32::try_from(map.steps.len()).unwrap_or(u32::MAX),
            problems: validate(map).problems,
        }
    }

    /// The window title: map title and file name.
    #[must_use]
    pub fn window_title(&self) -> String {
        format!("{} — {} — Waymark", self.title, self.file_name)
    }
}
