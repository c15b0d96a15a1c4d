//! The journey map: what a workshop draws on the wall, as plain data.
//!
//! These types carry the meanings of `docs/experience-model.md` and the field names of
//! the interchange format, so a map read from JSON or from a `.waymark` file is the
//! same value. They hold no invariants of their own: a `Map` may be invalid (a
//! dangling reference, shares that do not add up), and [`crate::validate`] says
//! what is wrong and where. Keeping the data dumb lets an editor hold a half-built
//! map and lets validation report every problem at once.

mod charter;
mod commitment;
mod evidence;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use charter::CharterPromise;
pub use commitment::{Commitment, CommitmentStatus};
pub use evidence::{
    Answer, CalibrationNote, Counted, EvidenceKind, EvidenceSource, KeptCase, KeptCases, MeasuredTimes, SurveyAnswers,
    Surveyed,
};

/// A whole service journey: the stages it passes through, the departments that
/// own its steps, the flows between steps and the pain points raised in workshops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// What the journey is, as the team names it ("Driver licence renewal").
    pub title: String,
    /// A sentence or two of context for readers of the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The weights the analysis rests on.
    #[serde(default)]
    pub settings: Settings,
    /// Stages in journey order: the columns of the blueprint.
    pub stages: Vec<Stage>,
    /// Departments: the swimlanes of the blueprint.
    pub departments: Vec<Department>,
    /// Every step, frontstage and backstage.
    pub steps: Vec<Step>,
    /// Directed flows between steps.
    pub flows: Vec<Flow>,
    /// Problems the workshop raised, with their votes.
    #[serde(default)]
    pub pain_points: Vec<PainPoint>,
    /// Who is in the room and how many dots each may place.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Workshop::is_empty", default)]
    pub workshop: Workshop,
    /// What the customer is promised, stage by stage.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub charter: Vec<CharterPromise>,
    /// Actions the workshops agreed on.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub commitments: Vec<Commitment>,
    /// How often the team reviews the map, in weeks; no cadence when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every_weeks: Option<u32>,
    /// How many customers take the journey in a month, when the team knows:
    /// it ranks this journey's weak spots against other journeys' in a
    /// portfolio (a weak step seen by 40,000 a month before one seen by 40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<u32>,
    /// The logs and surveys its measured figures came from; each measured
    /// figure names one by position.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub evidence: Vec<EvidenceSource>,
    /// Where the weights came from, when they were fitted to a survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationNote>,
    /// Survey answers kept for resampling, one entry per survey applied.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub answers: Vec<SurveyAnswers>,
    /// An event log's cases kept for resampling the measured shares.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cases: Vec<KeptCases>,
}

/// The people in a workshop: they rate steps and place dot votes under their
/// names, so the room can see where it disagrees and nobody votes twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Workshop {
    /// Participants by name, unique, in the order they joined.
    #[serde(default)]
    pub participants: Vec<String>,
    /// Dots each participant may place across all pain points; unlimited when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dot_budget: Option<u32>,
}

impl Workshop {
    /// True when nobody has joined and no budget is set; lets serde leave it out.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty() && self.dot_budget.is_none()
    }
}

/// One participant's score for a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// A name from the workshop's participants.
    pub participant: String,
    /// 1.0..=5.0 with one decimal.
    pub score: f64,
}

/// The dots one participant placed on a pain point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Dots {
    /// A name from the workshop's participants.
    pub participant: String,
    /// How many, at least 1.
    pub count: u32,
}

/// The map-wide weights of the experience model. They are shown wherever the
/// figures are shown, so a workshop can see what its numbers rest on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Weight of the last moment against the worst and best ones, in `0..=1`.
    pub end_weight: f64,
    /// How many times the worst moment weighs the best one, in `1..=5`.
    pub negativity: f64,
    /// The target score of a step that sets none, in `1..=5`.
    pub standard: f64,
    /// How much the journey's overall experience leans on its average moment
    /// rather than on what customers remember, in `0..=1` (version 3 of the
    /// model): overall = (1 − λ) × remembered + λ × average. 0, the default,
    /// is the remembered experience alone, as in version 2.
    // Left out of JSON at 0, so maps that never set it read and write as
    // before. `default` comes last so that specta marks the field optional.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub average_weight: f64,
    /// The share of an agreement's measured handoffs that must be within its
    /// promise for it to be met, when the agreement sets none (0.9).
    #[serde(skip_serializing_if = "is_default_agreement_share", default = "default_agreement_share")]
    pub agreement_share: f64,
}

fn default_agreement_share() -> f64 {
    Settings::DEFAULT_AGREEMENT_SHARE
}

#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
fn is_default_agreement_share(x: &f64) -> bool {
    (*x - Settings::DEFAULT_AGREEMENT_SHARE).abs() < 1e-12
}

/// True for 0: lets serde leave a default weight out.
#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Settings {
    /// Default end weight: the peaks and the end count equally.
    pub const DEFAULT_END_WEIGHT: f64 = 0.5;
    /// Default negativity: the loss-aversion ratio of Tversky & Kahneman (1992).
    pub const DEFAULT_NEGATIVITY: f64 = 2.25;
    /// Default service standard.
    pub const DEFAULT_STANDARD: f64 = 4.0;
    /// Default share of measured handoffs that must keep an agreement's promise.
    pub const DEFAULT_AGREEMENT_SHARE: f64 = 0.9;
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            end_weight: Self::DEFAULT_END_WEIGHT,
            negativity: Self::DEFAULT_NEGATIVITY,
            standard: Self::DEFAULT_STANDARD,
            average_weight: 0.0,
            agreement_share: Self::DEFAULT_AGREEMENT_SHARE,
        }
    }
}

/// A phase of the journey ("Arrive", "Photo and payment"): a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Unique among stages.
    pub id: String,
    /// Shown as the column heading.
    pub name: String,
}

/// Whether a department's lane sits above or below the line of visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Facing {
    /// Meets the customer: its lane is drawn above the line of visibility.
    Customer,
    /// Serves other departments: its lane is drawn below the line.
    Internal,
}

/// Lane colours for departments created without one, by position: lanes a
/// workshop types in should not all come out the same grey. New departments
/// are given theirs when added (so it stays when lanes are reordered or
/// deleted); a map read without colours is drawn with them by position.
pub const LANE_COLOURS: [&str; 8] =
    ["#2f6fdf", "#1f9d8a", "#8e5cd9", "#d98e1f", "#d9485f", "#4a5568", "#a0782c", "#3d8b37"];

/// The palette colour for the department at `position`.
#[must_use]
pub fn lane_colour(position: usize) -> &'static str {
    LANE_COLOURS[position % LANE_COLOURS.len()]
}

/// A team that owns steps: a swimlane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Unique among departments.
    pub id: String,
    /// Shown as the lane heading.
    pub name: String,
    /// Customer-facing or internal.
    pub facing: Facing,
    /// The lane's colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// Whether the customer sees a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// A perception point: the customer meets the service here and forms an opinion.
    Frontstage,
    /// Internal work the customer never sees.
    Backstage,
}

/// One moment of the service transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique among steps.
    pub id: String,
    /// What happens, in the customer's or the team's words.
    pub title: String,
    /// The stage (column) it belongs to.
    pub stage: String,
    /// The department (lane) that owns it.
    pub department: String,
    /// Frontstage (a perception point) or backstage.
    pub visibility: Visibility,
    /// The customer's perception, 1.0..=5.0 with one decimal; frontstage only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The score this step should reach; the map's standard when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// The named person accountable for the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How the customer meets it: in person, phone, portal…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Free text from the workshop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The fraction of customers who start here, for entry steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_share: Option<f64>,
    /// Each participant's score. The step's `score` is their mean only while
    /// `follows_ratings` says so; otherwise it is the score the room agreed.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub ratings: Vec<Rating>,
    /// The score is the ratings' mean and moves with them. Set when the first
    /// rating scores a step that had no score, or when the facilitator
    /// chooses the ratings' mean; a score typed (`false`, the default) is the
    /// room's agreed score, and no rating ever changes it.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub follows_ratings: bool,
    /// The entry share as a log counted it, when measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_measured: Option<Counted>,
    /// The score as a survey measured it, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surveyed: Option<Surveyed>,
}

impl Step {
    /// The mean of the participants' ratings, to one decimal as scores are
    /// kept; `None` when nobody rated the step.
    #[must_use]
    pub fn rating_mean(&self) -> Option<f64> {
        if self.ratings.is_empty() {
            return None;
        }
        Some(Self::mean_of(self.ratings.iter().map(|r| r.score)))
    }

    /// The mean of some ratings to one decimal, as a rated step's score is
    /// kept (`NaN` for none).
    #[must_use]
    pub fn mean_of(scores: impl ExactSizeIterator<Item = f64>) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "a room holds far fewer than 2^52 people")]
        let n = scores.len() as f64;
        let mean = scores.sum::<f64>() / n;
        (mean * 10.0).round() / 10.0
    }

    /// The ratings' mean when the step is rated and its score does not
    /// follow them: a score the facilitator agreed with the room and typed,
    /// which a rating does not replace until she chooses the mean.
    #[must_use]
    pub fn rating_apart(&self) -> Option<f64> {
        self.rating_mean().filter(|_| !self.follows_ratings)
    }

    /// Changes the ratings, and the score with them while it follows them
    /// (`follows_ratings`), or when the step has no score yet (then it starts
    /// following). A typed score is never changed here, whatever the ratings'
    /// mean happens to be; with the last rating gone the score stays where it was.
    pub fn rerate(&mut self, change: impl FnOnce(&mut Vec<Rating>)) {
        change(&mut self.ratings);
        if self.score.is_none() && !self.ratings.is_empty() {
            self.follows_ratings = true;
        }
        if self.follows_ratings {
            self.score = self.rating_mean().or(self.score);
        }
    }

    /// Lowest and highest rating: how far the room disagrees.
    #[must_use]
    pub fn rating_spread(&self) -> Option<(f64, f64)> {
        let mut scores = self.ratings.iter().map(|r| r.score);
        let first = scores.next()?;
        Some(scores.fold((first, first), |(lo, hi), s| (lo.min(s), hi.max(s))))
    }

    /// The score this step should reach: its own target, else the map's standard.
    #[must_use]
    pub fn target_or(&self, settings: &Settings) -> f64 {
        self.target.unwrap_or(settings.standard)
    }
}

/// Whether a flow is part of the journey or sends the customer back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum FlowKind {
    /// The customer moves on.
    #[default]
    Flow,
    /// The customer is sent back and repeats herself: a pain signal, not a path.
    Rework,
}

impl FlowKind {
    /// True for an ordinary forward flow; lets serde leave the default out.
    #[must_use]
    pub fn is_flow(&self) -> bool {
        *self == Self::Flow
    }
}

/// A directed edge from one step to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// The step customers leave.
    pub from: String,
    /// The step they reach.
    pub to: String,
    /// The fraction of the customers at `from` who go this way; unspecified
    /// shares split what the specified ones leave, equally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Forward flow or rework.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "FlowKind::is_flow", default)]
    pub kind: FlowKind,
    /// The internal service agreement this handoff carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Sla>,
    /// The share as a log counted it, when measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Counted>,
}

impl Flow {
    /// The share the analysis and validation read: the one given, or 0 for
    /// a flow a log measured and found no case taking (a share of 0 cannot
    /// be written, and "unspecified" would claim what the other branches
    /// leave, which is nothing).
    #[must_use]
    pub fn share_given(&self) -> Option<f64> {
        self.share.or_else(|| self.measured.filter(|m| m.count == 0 && m.n > 0).map(|_| 0.0))
    }
}

/// An internal service agreement on a handoff: what one department promises the
/// next, and what it delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// The promised time, in minutes.
    #[serde(serialize_with = "minutes::serialize")]
    pub promised_minutes: f64,
    /// The measured time, in minutes; unmeasured when absent.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "minutes::serialize_some")]
    pub actual_minutes: Option<f64>,
    /// The quality the receiving department expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// The share of handoffs that must be within the promise, when measured
    /// from a log; the map's `agreement_share` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_share: Option<f64>,
    /// The handoff times a log measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<MeasuredTimes>,
}

/// Whether an agreement was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SlaStatus {
    /// Actual time within the promise.
    Met,
    /// Actual time over the promise.
    Breached,
    /// No actual time measured yet.
    Unmeasured,
}

impl Sla {
    /// Measured from a log: met when the share of handoffs within the promise
    /// reaches the target share (its own, else the map's). Typed: met when
    /// actual <= promised, breached when over, unmeasured without an actual.
    #[must_use]
    pub fn status(&self, settings: &Settings) -> SlaStatus {
        if let Some(m) = self.measured.as_ref().filter(|m| m.n > 0) {
            return if m.within_share() >= self.target(settings) { SlaStatus::Met } else { SlaStatus::Breached };
        }
        match self.actual_minutes {
            None => SlaStatus::Unmeasured,
            Some(actual) if actual <= self.promised_minutes => SlaStatus::Met,
            Some(_) => SlaStatus::Breached,
        }
    }

    /// The share of measured handoffs that must keep the promise.
    #[must_use]
    pub fn target(&self, settings: &Settings) -> f64 {
        self.target_share.unwrap_or(settings.agreement_share)
    }

    /// The actual time shown: the measured median, else the typed time.
    #[must_use]
    pub fn actual(&self) -> Option<f64> {
        self.measured.as_ref().filter(|m| m.n > 0).map(|m| m.median_minutes).or(self.actual_minutes)
    }
}

/// Where a pain point stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum PainStatus {
    /// Raised, nobody working on it yet.
    #[default]
    Open,
    /// Someone is working on it.
    Doing,
    /// Fixed.
    Resolved,
}

/// A problem the workshop raised at a step, with the dot votes it drew.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct PainPoint {
    /// Unique among pain points.
    pub id: String,
    /// The step where it hurts.
    pub step: String,
    /// What hurts.
    pub text: String,
    /// 1 (irritation) to 3 (loses the customer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    /// Dot votes from the workshop, in all.
    #[serde(default)]
    pub votes: u32,
    /// The votes placed under a participant's name, counted in `votes`; the
    /// rest were placed without a name.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dots: Vec<Dots>,
    /// For a pain point on a handoff: the step the customer comes from, so
    /// the flow `handoff_from` → `step` is where it hurts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_from: Option<String>,
    /// The named person who took it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Open, doing or resolved.
    #[serde(default)]
    pub status: PainStatus,
}

impl PainPoint {
    /// Not resolved: it still hurts, and counts on cards, in standing and in reviews.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.status != PainStatus::Resolved
    }
}

impl Map {
    /// An empty map with default settings, as a facilitator starts one.
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: None,
            settings: Settings::default(),
            stages: Vec::new(),
            departments: Vec::new(),
            steps: Vec::new(),
            flows: Vec::new(),
            pain_points: Vec::new(),
            workshop: Workshop::default(),
            charter: Vec::new(),
            commitments: Vec::new(),
            review_every_weeks: None,
            volume: None,
            evidence: Vec::new(),
            calibration: None,
            answers: Vec::new(),
            cases: Vec::new(),
        }
    }

    /// The step with this id, if any. A linear scan: code that looks ids up
    /// in a loop builds an [`Index`] once instead.
    #[must_use]
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The department with this id, if any (a linear scan, like [`Map::step`]).
    #[must_use]
    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// True when the flow joins steps of two different departments.
    #[must_use]
    pub fn is_handoff(&self, flow: &Flow) -> bool {
        match (self.step(&flow.from), self.step(&flow.to)) {
            (Some(a), Some(b)) => a.department != b.department,
            _ => false,
        }
    }

    /// The commitments past due and not done as of `today`.
    pub fn overdue_commitments(&self, today: chrono::NaiveDate) -> impl Iterator<Item = &Commitment> {
        self.commitments.iter().filter(move |c| c.is_overdue(today))
    }

    /// How many dots `participant` has placed across all pain points: what
    /// the dot budget is measured against.
    #[must_use]
    pub fn dots_placed(&self, participant: &str) -> u64 {
        self.pain_points
            .iter()
            .flat_map(|p| &p.dots)
            .filter(|d| d.participant == participant)
            .map(|d| u64::from(d.count))
            .sum()
    }
}

/// Ids to positions, built once for code that resolves references in a loop
/// (validation, analysis, drawing), so that a 100,000-step map costs a hash
/// lookup per reference rather than a scan. For duplicate ids the first wins.
#[derive(Debug, Clone)]
pub struct Index<'a> {
    map: &'a Map,
    stages: FxHashMap<&'a str, usize>,
    departments: FxHashMap<&'a str, usize>,
    steps: FxHashMap<&'a str, usize>,
}

/// Positions by id. FxHash rather than SipHash: ids come from the user's own
/// file, so hash flooding is not a threat, and lookups are the hot path of
/// validating a large map.
fn first_positions<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> FxHashMap<&'a str, usize> {
    let mut out = FxHashMap::with_capacity_and_hasher(items.len(), rustc_hash::FxBuildHasher);
    for (i, item) in items.iter().enumerate() {
        out.entry(id(item)).or_insert(i);
    }
    out
}

impl<'a> Index<'a> {
    /// Indexes `map`.
    #[must_use]
    pub fn new(map: &'a Map) -> Self {
        Self {
            map,
            stages: first_positions(&map.stages, |s| s.id.as_str()),
            departments: first_positions(&map.departments, |d| d.id.as_str()),
            steps: first_positions(&map.steps, |s| s.id.as_str()),
        }
    }

    /// Position of the step with this id.
    #[must_use]
    pub fn step_ix(&self, id: &str) -> Option<usize> {
        self.steps.get(id).copied()
    }

    /// The step with this id.
    #[must_use]
    pub fn step(&self, id: &str) -> Option<&'a Step> {
        self.step_ix(id).map(|i| &self.map.steps[i])
    }

    /// Position of the department with this id.
    #[must_use]
    pub fn department_ix(&self, id: &str) -> Option<usize> {
        self.departments.get(id).copied()
    }

    /// The department with this id.
    #[must_use]
    pub fn department(&self, id: &str) -> Option<&'a Department> {
        self.department_ix(id).map(|i| &self.map.departments[i])
    }

    /// Position of the stage with this id.
    #[must_use]
    pub fn stage_ix(&self, id: &str) -> Option<usize> {
        self.stages.get(id).copied()
    }

    /// True when the flow joins steps of two different departments.
    #[must_use]
    pub fn is_handoff(&self, flow: &Flow) -> bool {
        match (self.step(&flow.from), self.step(&flow.to)) {
            (Some(a), Some(b)) => a.department != b.department,
            _ => false,
        }
    }
}

/// Minutes are written as people write them: `14`, not `14.0`, so an exported
/// map reads like the one imported.
pub(crate) mod minutes {
    use serde::Serializer;

    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53

    #[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's serialize_with signature")]
    pub fn serialize<S: Serializer>(m: &f64, s: S) -> Result<S::Ok, S::Error> {
        if m.fract() == 0.0 && m.abs() < EXACT_INTEGERS {
            #[allow(clippy::cast_possible_truncation, reason = "a whole number below 2^53 is exact in i64")]
            return s.serialize_i64(*m as i64);
        }
        s.serialize_f64(*m)
    }

    #[allow(clippy::ref_option, reason = "serde's serialize_with signature")]
    pub fn serialize_some<S: Serializer>(m: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => serialize(m, s),
            None => s.serialize_none(),
        }
    }
}
