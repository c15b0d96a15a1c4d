//! What the window receives: views shaped for drawing, not the core's types.

use serde::Serialize;
use waymark::Map;
use waymark::analysis::{Analysis, analyze_on, notes};
use waymark::model::Settings;
use waymark::review::{Figures, Review, ReviewSummary, Snapshot};
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
    /// The drawing's natural width, for fitting it to the window.
    pub width: f64,
    /// The drawing's natural height.
    pub height: f64,
    /// What the title bar shows: map title and file name.
    pub window_title: String,
    /// How many steps the map has.
    pub step_count: u32,
    /// Validation problems, errors first.
    pub problems: Vec<Problem>,
    /// The weights the figures rest on.
    pub settings: Settings,
    /// The analysis; `None` when the map has errors (see `problems`).
    pub analysis: Option<Analysis>,
    /// Plain-language notes on what the figures leave out.
    pub notes: Vec<String>,
    /// Edits that can be undone.
    pub undo: u32,
    /// Undone edits that can be redone.
    pub redo: u32,
    /// The map itself, for the editor's forms.
    pub map: Map,
    /// Its reviews, the next one due, and what changed since the last.
    pub review: Option<ReviewSummary>,
    /// The trend across reviews, drawn by the core like the map.
    pub trend_svg: String,
    /// Today, as the figures were computed (`YYYY-MM-DD`).
    pub today: String,
}

impl MapView {
    /// Builds the view of `map` stored at `path`, with overdue commitments
    /// counted as of `today`.
    #[must_use]
    pub fn new(map: &Map, path: &std::path::Path, today: chrono::NaiveDate, reviews: Option<Reviews<'_>>) -> Self {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let analysis = analyze_on(map, today).ok();
        let review = reviews.map(|r| {
            let now = Figures::from_analysis(map, analysis.as_ref(), today);
            ReviewSummary::with_figures(map, now, r.reviews.to_vec(), r.last, today)
        });
        let trend_svg = review.as_ref().map(|r| waymark::render::trend_svg(&r.trend, 400.0, 260.0)).unwrap_or_default();
        let drawing = waymark::render::blueprint(map, analysis.as_ref(), &waymark::render::DrawOptions::default());
        Self {
            title: map.title.clone(),
            window_title: format!("{} — {file_name} — Waymark", map.title),
            file_name,
            path: path.display().to_string(),
            svg: drawing.svg,
            width: drawing.width,
            height: drawing.height,
            step_count: u32::try_from(map.steps.len()).unwrap_or(u32::MAX),
            problems: validate(map).problems,
            settings: map.settings,
            notes: analysis.as_ref().map(|a| notes(map, a)).unwrap_or_default(),
            analysis,
            undo: 0,
            redo: 0,
            map: map.clone(),
            review,
            trend_svg,
            today: today.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A file's reviews, for the view to summarise with the analysis it makes.
#[derive(Debug, Clone, Copy)]
pub struct Reviews<'a> {
    /// Every review, oldest first.
    pub reviews: &'a [Review],
    /// The last one with its map.
    pub last: Option<&'a Snapshot>,
}

/// Paper for a PDF export, as the window offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum PaperChoice {
    /// A3 landscape, the default: a map reads well on it.
    A3,
    /// A4 landscape.
    A4,
}

impl From<PaperChoice> for waymark::report::Paper {
    fn from(p: PaperChoice) -> Self {
        match p {
            PaperChoice::A3 => Self::A3,
            PaperChoice::A4 => Self::A4,
        }
    }
}

/// A finished export.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Exported {
    /// The file's name, to show.
    pub file_name: String,
    /// Where it was written.
    pub path: String,
    /// Its size in bytes (f64 for TypeScript; exact below 2^53).
    pub bytes: f64,
}
