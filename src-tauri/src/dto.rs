//! What the window receives: views shaped for drawing, not the core's types.

use serde::Serialize;
use waymark::Map;
use waymark::analysis::{AgreementPair, Analysis, MODEL_FORMULA, gain_line, notes};
use waymark::model::{Flow, PainPoint, Settings, Step};
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
    /// The blueprint drawing, made by the core: whole, or the pieces that
    /// changed since the drawing the window has.
    pub drawing: DrawingView,
    /// The drawing's natural width, for fitting it to the window.
    pub width: f64,
    /// The drawing's natural height.
    pub height: f64,
    /// The drawing holds only the cards and connectors in and around an
    /// area of the map (a map of more than [`DRAWN_WHOLE_UP_TO`] steps):
    /// the window tells the shell what it shows as it scrolls
    /// (`show_area`), and gets the pieces that come into view.
    pub drawn_by_area: bool,
    /// The figures (rankings, halos, rank badges, the curve) are still those
    /// of the map before this view's edit: on a map drawn by area the edit
    /// is answered without waiting for its analysis (some 150 ms on 10,000
    /// steps), and the window asks for the figures next (`changed_map`).
    pub figures_follow: bool,
    /// What the title bar shows: map title and file name.
    pub window_title: String,
    /// How many steps the map has.
    pub step_count: u32,
    /// Validation problems, errors first.
    pub problems: Vec<Problem>,
    /// The weights the figures rest on.
    pub settings: Settings,
    /// The formula they enter, in the core's words.
    pub model_formula: String,
    /// Rated steps whose score was agreed apart from their ratings: the
    /// window shows both and lets the facilitator take the ratings' mean.
    pub ratings_apart: Vec<RatingApart>,
    /// The analysis; `None` when the map has errors (see `problems`). Its
    /// two rankings hold the first [`RANKING_SHOWN`] places unless the
    /// window asked for them whole (see [`MapView::whole_rankings`]).
    pub analysis: Option<Analysis>,
    /// How many weak spots the analysis ranks in all.
    pub weak_spot_count: u32,
    /// How many steps the average model ranks in all.
    pub average_count: u32,
    /// How many places of each ranking come unless the window asks for all.
    pub first_places: u32,
    /// The window asked for the rankings whole.
    pub whole_rankings: bool,
    /// Plain-language notes on what the figures leave out.
    pub notes: Vec<String>,
    /// What fixing every weak spot would gain, in the core's words ("If
    /// every step met its target, customers would remember 4.28 instead of
    /// 3.63 (+0.66).").
    pub gain: Option<String>,
    /// Edits that can be undone.
    pub undo: u32,
    /// Undone edits that can be redone.
    pub redo: u32,
    /// Why changes to this map are refused, when they are: the window says so
    /// in a banner and offers to save a copy elsewhere. `None` when every
    /// change is saved.
    pub read_only: Option<ReadOnlyView>,
    /// The map itself, for the editor's forms.
    pub map: Map,
    /// Its reviews, the next one due, and what changed since the last.
    pub review: Option<ReviewSummary>,
    /// The trend across reviews, drawn by the core like the map.
    pub trend_svg: String,
    /// Today, as the figures were computed (`YYYY-MM-DD`).
    pub today: String,
    /// What this view leaves out because the view before it had it so:
    /// the window takes those from the view it has. `None` leaves out
    /// nothing (a view asked for whole).
    pub kept: Option<Kept>,
}

/// The parts of a view left out as unchanged since view `base` (the
/// version of that view's drawing). A score on a 10,000-step map changes
/// one step, and the flows, the pain points, the problems and the
/// agreements not at all: sent again, they were some 3 of its 4.3 MB.
#[derive(Debug, Clone, PartialEq, Default, Serialize, specta::Type)]
pub struct Kept {
    /// The view whose parts these are.
    pub base: u32,
    /// `map.steps` is left out and these are the steps that changed, by
    /// their place; the others are as they were. `None`: the steps are sent.
    pub steps: Option<Vec<ChangedStep>>,
    /// `map.flows` is left out.
    pub flows: bool,
    /// `map.pain_points` is left out.
    pub pain_points: bool,
    /// `problems` is left out.
    pub problems: bool,
    /// `analysis.agreements` is left out.
    pub agreements: bool,
}

/// A step that changed, at its place in `map.steps`.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ChangedStep {
    /// Its place.
    pub index: u32,
    /// The step as it is now.
    pub step: Step,
}

/// What the window was last sent of the parts a view may leave out, to
/// compare the next view with.
#[derive(Debug, Default)]
pub struct LastSent {
    steps: Vec<Step>,
    flows: Vec<Flow>,
    pain_points: Vec<PainPoint>,
    problems: Vec<Problem>,
    agreements: Option<Vec<AgreementPair>>,
}

impl MapView {
    /// Builds the view of `map` stored at `place` (its name for the title
    /// bar, and where it is in full), with its analysis (made as
    /// of `today`, so overdue commitments count) and the drawing (or its
    /// changes) made from them, and its reviews summarised. `report` is the
    /// map's validation, when the caller has it (the analysis makes one);
    /// else the map is validated here.
    #[must_use]
    #[allow(clippy::too_many_arguments, reason = "each is a part of the view the session already holds")]
    pub fn new(
        map: &Map,
        place: (&str, &str),
        report: Option<waymark::validate::Report>,
        (analysis, whole_rankings): (Option<&Analysis>, bool),
        drawing: DrawingView,
        size: (f64, f64),
        today: chrono::NaiveDate,
        reviews: Option<Reviews<'_>>,
    ) -> Self {
        let (file_name, path) = (place.0.to_owned(), place.1.to_owned());
        let review = reviews.map(|r| {
            let now = Figures::from_analysis(map, analysis, today);
            ReviewSummary::with_figures(map, now, r.reviews.to_vec(), r.last, today)
        });
        let trend_svg = review.as_ref().map(|r| waymark::render::trend_svg(&r.trend, 400.0, 260.0)).unwrap_or_default();
        Self {
            title: map.title.clone(),
            window_title: format!("{} — {file_name} — Waymark", map.title),
            file_name,
            path,
            drawing,
            width: size.0,
            height: size.1,
            drawn_by_area: false,
            figures_follow: false,
            step_count: count(map.steps.len()),
            problems: report.unwrap_or_else(|| validate(map)).problems,
            settings: map.settings,
            model_formula: MODEL_FORMULA.to_owned(),
            ratings_apart: map
                .steps
                .iter()
                .filter_map(|s| {
                    s.rating_apart().map(|mean| RatingApart { step: s.id.clone(), mean, count: count(s.ratings.len()) })
                })
                .collect(),
            notes: analysis.map(|a| notes(map, a)).unwrap_or_default(),
            gain: analysis.and_then(gain_line),
            weak_spot_count: analysis.map_or(0, |a| count(a.weak_spots.len())),
            average_count: analysis.map_or(0, |a| count(a.average_model.len())),
            first_places: count(RANKING_SHOWN),
            whole_rankings,
            // The window lists the weak spots that matter most and offers
            // the rest; a large map ranks hundreds, and sending them all made
            // every edit's answer three times as long (on 1,000 steps, 0.75
            // of its 1.1 MB). Everything computed from the whole ranking (the
            // gain, the notes, the review's figures) is computed above.
            analysis: analysis.map(|a| a.with_first((!whole_rankings).then_some(RANKING_SHOWN))),
            undo: 0,
            redo: 0,
            read_only: None,
            map: map.clone(),
            review,
            trend_svg,
            today: today.format("%Y-%m-%d").to_string(),
            kept: None,
        }
    }

    /// Leaves out the parts that are as `last` has them, when the window
    /// has view `base`, and makes `last` what this view says. With no
    /// `base` (a view sent whole) nothing is left out. Compared as values:
    /// a step's score, not its JSON.
    pub fn leave_out_unchanged(&mut self, last: &mut LastSent, base: Option<u32>) {
        let Some(base) = base else {
            *last = LastSent {
                steps: self.map.steps.clone(),
                flows: self.map.flows.clone(),
                pain_points: self.map.pain_points.clone(),
                problems: self.problems.clone(),
                agreements: self.analysis.as_ref().map(|a| a.agreements.clone()),
            };
            self.kept = None;
            return;
        };
        let agreements = match (&mut self.analysis, &mut last.agreements) {
            (Some(analysis), Some(sent)) => leave_out_if_same(&mut analysis.agreements, sent),
            (analysis, sent) => {
                *sent = analysis.as_ref().map(|a| a.agreements.clone());
                false
            }
        };
        let kept = Kept {
            base,
            steps: changed_steps(&mut self.map.steps, &mut last.steps),
            flows: leave_out_if_same(&mut self.map.flows, &mut last.flows),
            pain_points: leave_out_if_same(&mut self.map.pain_points, &mut last.pain_points),
            problems: leave_out_if_same(&mut self.problems, &mut last.problems),
            agreements,
        };
        let any = kept.steps.is_some() || kept.flows || kept.pain_points || kept.problems || kept.agreements;
        self.kept = any.then_some(kept);
    }
}

/// Empties `now` when it is what was `sent`, and says so; otherwise
/// remembers it as sent.
fn leave_out_if_same<T: PartialEq + Clone>(now: &mut Vec<T>, sent: &mut Vec<T>) -> bool {
    if now == sent {
        now.clear();
        true
    } else {
        sent.clone_from(now);
        false
    }
}

/// The steps that differ from those `sent`, when the steps are the same
/// ones in the same places and fewer than half of them changed: then `now`
/// is emptied. Otherwise `None`, and `now` is sent whole. Either way `sent`
/// becomes `now`.
fn changed_steps(now: &mut Vec<Step>, sent: &mut Vec<Step>) -> Option<Vec<ChangedStep>> {
    let same_places = now.len() == sent.len() && now.iter().zip(sent.iter()).all(|(a, b)| a.id == b.id);
    let changed: Vec<usize> =
        if same_places { (0..now.len()).filter(|&i| now[i] != sent[i]).collect() } else { Vec::new() };
    if !same_places || changed.len() * 2 > now.len() {
        sent.clone_from(now);
        return None;
    }
    let out = changed
        .into_iter()
        .map(|i| {
            sent[i].clone_from(&now[i]);
            ChangedStep { index: count(i), step: now[i].clone() }
        })
        .collect();
    now.clear();
    Some(out)
}

/// How many places of each ranking the window gets until it asks for all.
pub const RANKING_SHOWN: usize = 25;

/// A count for the window, which no map comes near overflowing.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A step whose score stands apart from its ratings.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RatingApart {
    /// The step's id.
    pub step: String,
    /// The ratings' mean, to one decimal.
    pub mean: f64,
    /// How many ratings.
    pub count: u32,
}

/// A file's reviews, for the view to summarise with the analysis it makes.
#[derive(Debug, Clone, Copy)]
pub struct Reviews<'a> {
    /// Every review, oldest first.
    pub reviews: &'a [Review],
    /// The last one with its map.
    pub last: Option<&'a Snapshot>,
}

/// Above this many steps a map is drawn by area, not whole. WebKit styles
/// and lays out some 30 µs of every element it holds: a 1,000-step drawing
/// has 13,000, a 10,000-step one 130,000, while a window shows a few
/// hundred cards at most. Drawn whole, 1,000 steps open in 0.7 s and take a
/// new step in 60 ms; drawn by area they opened in 0.56 s but a step added
/// far from the area took 130–410 ms, the window replacing the area drawn
/// (see BENCHMARKS.md). So up to here a map is drawn whole.
pub const DRAWN_WHOLE_UP_TO: usize = 1_500;

/// A part of the drawing, in its own units (the drawing's `viewBox`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, Serialize, specta::Type)]
pub struct Area {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl From<Area> for waymark::layout::Rect {
    fn from(a: Area) -> Self {
        Self { x: a.x, y: a.y, w: a.width.max(0.0), h: a.height.max(0.0) }
    }
}

impl From<waymark::layout::Rect> for Area {
    fn from(r: waymark::layout::Rect) -> Self {
        Self { x: r.x, y: r.y, width: r.w, height: r.h }
    }
}

/// The drawing as the window receives it. A 10,000-step drawing is some
/// 14 MB; sending and re-inserting all of it after each edit took the window
/// over ten seconds, while an edit usually changes a card or two and what the
/// analysis draws. Each drawing has a version; a change list names the
/// version it applies to, and a window that does not have that one asks for
/// the whole drawing again (`current_map`).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DrawingView {
    /// The whole SVG: a map just opened, a new layout, or asked for.
    Whole {
        /// This drawing's version.
        version: u32,
        /// The SVG document.
        svg: String,
    },
    /// The elements that differ from drawing `base`, to apply in order; the
    /// rest is the same.
    Changes {
        /// This drawing's version.
        version: u32,
        /// The version these changes apply to.
        base: u32,
        /// Items removed, then elements replaced or inserted in drawing order.
        parts: Vec<ChangedPart>,
    },
}

/// One element of the drawing to replace, insert or remove; markup is one
/// element, made by the core like the rest of the drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangedPart {
    /// A top-level group of the SVG, found by its class (`flows`, `lanes`…).
    Group {
        /// Its `class`.
        class: String,
        /// Its new markup.
        markup: String,
    },
    /// A step's element in a set of them (its card in `cards`, its halo in
    /// `halos`, its rank badge in `ranks`): a child of the top-level group of
    /// that class, found by its `data-step`.
    Item {
        /// The class of the group that holds it.
        set: String,
        /// The step id.
        id: String,
        /// Its new markup.
        markup: String,
    },
    /// An element not drawn before, to insert in its set right after the
    /// element of the step `after` (first in the set when `None`).
    NewItem {
        /// The class of the group that holds it.
        set: String,
        /// The step id.
        id: String,
        /// Its markup.
        markup: String,
        /// The step whose element it follows.
        after: Option<String>,
    },
    /// An element no longer drawn.
    RemovedItem {
        /// The class of the group that held it.
        set: String,
        /// The step id.
        id: String,
    },
}

/// Why a map is open read-only, as the window shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnlyReason {
    /// Another Waymark window (another process) has the map open for editing.
    OpenElsewhere,
    /// The file or its folder may not be written.
    FileNotWritable,
    /// The library lets this user read its maps, not change them.
    LibraryNotWritable,
    /// The library cannot be reached now; Waymark reconnects by itself.
    LibraryUnreachable,
    /// Someone deleted the map from the library.
    LibraryDeleted,
}

/// The read-only state of a map: the reason to branch on, and the core's
/// words for it, so the banner says what every refusal says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ReadOnlyView {
    /// Why.
    pub reason: ReadOnlyReason,
    /// The reason in words for the user.
    pub message: String,
}

impl From<waymark::store::ReadOnly> for ReadOnlyView {
    fn from(r: waymark::store::ReadOnly) -> Self {
        let reason = match r {
            waymark::store::ReadOnly::OpenElsewhere => ReadOnlyReason::OpenElsewhere,
            waymark::store::ReadOnly::FileNotWritable => ReadOnlyReason::FileNotWritable,
            waymark::store::ReadOnly::LibraryNotWritable => ReadOnlyReason::LibraryNotWritable,
            waymark::store::ReadOnly::LibraryUnreachable => ReadOnlyReason::LibraryUnreachable,
            waymark::store::ReadOnly::LibraryDeleted => ReadOnlyReason::LibraryDeleted,
        };
        Self { reason, message: r.to_string() }
    }
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
