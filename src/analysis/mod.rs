//! Which weak spots colour the end-to-end experience, and why.
//!
//! This implements the experience model, version 3 (`docs/experience-model.md`)
//! exactly: customers remember a visit by its worst and its best moment and by
//! its last one (peak-end rule), the worst weighing n times the best
//! (negativity), and a journey is a probability-weighted set of paths; the
//! overall experience may lean on the average moment too (the average weight
//! λ). Every quantity is a sum over paths; [`paths::PathMass`] computes those
//! sums by dynamic programming, never by listing paths, so the analysis stays
//! linear in the size of the map and can run on every edit. Weak spots are
//! ranked by their share of the gain if every step met its target (the
//! Shapley value of fixing them), which [`shares`] computes exactly by the
//! same kind of passes.
//!
//! Conventions the model leaves open are fixed here and documented in
//! `docs/experience-model.md`: `reach` is a share of the counted visits; the
//! "last fifth of stages" is the last ⌈n/5⌉ stages; a path's late bad worst
//! moment is charged to the last step on it that holds the worst score.

mod agreements;
mod band;
mod causes;
pub mod certainty;
mod charter;
pub mod extremes;
mod paths;
pub mod segments;
mod shares;
mod standing;
mod summary;

use serde::Serialize;

use crate::graph::{FlowGraph, StepIx, resolve_entry_shares, resolve_shares};
use crate::model::{Index, Map, Settings, SlaStatus, Visibility};
use crate::validate::{Report, validate_with};

pub use band::Band;
pub use summary::{
    MODEL_FORMULA, agreement_said, breached_handoffs, duration, gain_line, minutes, model_line, notes, percent,
    promises_at_risk, signed, summary,
};

use extremes::{Extreme, Levels};
use paths::PathMass;
pub use shares::Memo;

/// The version of the experience model this engine implements. Review figures
/// record it, so a comparison across a change of model says so.
pub const MODEL_VERSION: u32 = 3;

/// Impacts at or below this are treated as none: float noise, not a weak spot.
pub const IMPACT_EPSILON: f64 = 1e-12;
/// Impacts are ranked in steps of this size, so that closer ones tie (then
/// reach, then title decide).
pub const TIE_EPSILON: f64 = 1e-9;
/// Two models' ranks of a step that differ by this much or more mark it.
pub const RANK_DIFFERENCE: usize = 2;

/// The whole analysis of a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Analysis {
    /// The P-weighted mean remembered score; `None` when no path has a scored step.
    pub remembered: Option<f64>,
    /// The reach-weighted mean score; `None` when no step is scored.
    pub average: Option<f64>,
    /// The overall experience, (1 − λ) × remembered + λ × average, with λ
    /// the map's average weight (the remembered experience when λ = 0).
    pub overall: Option<f64>,
    /// What the overall experience would gain if every step below its
    /// target met it (G): the weak spots' shares add up to it.
    pub gain_if_all_met: f64,
    /// The overall experience if every step met its target.
    pub overall_if_all_met: Option<f64>,
    /// The remembered experience's band against the map's standard, for
    /// colouring it as cards are coloured.
    pub remembered_band: Option<Band>,
    /// Weak spots under the peak-end model, ranked by their share of the gain.
    pub weak_spots: Vec<WeakSpot>,
    /// The ranking under the average model, beside it.
    pub average_model: Vec<AverageWeakSpot>,
    /// Finish strong, get the bad over early.
    pub sequence_advice: SequenceAdvice,
    /// Each department's standing.
    pub departments: Vec<DepartmentStanding>,
    /// The internal service agreements, per pair of departments.
    pub agreements: Vec<AgreementPair>,
    /// The service charter, each promise checked against its agreements.
    pub charter: Vec<PromiseCheck>,
    /// The probability mass of paths with no scored step, left out of every figure.
    pub left_out: f64,
    /// The settings the figures rest on.
    pub settings: Settings,
    /// The emotion curve: per stage, in journey order, the reach-weighted mean
    /// score of its scored steps (`None` for a stage with none). Drawn above
    /// the lanes; not part of the JSON contract.
    #[serde(skip)]
    pub emotion_curve: Vec<Option<f64>>,
}

impl Analysis {
    /// A copy with each ranking cut to its first `places` (`None`: whole).
    /// On 10,000 steps a whole copy took some 10 ms, most of it the
    /// thousands of weak spots of which a window lists the first few.
    #[must_use]
    pub fn with_first(&self, places: Option<usize>) -> Analysis {
        let cut = |len: usize| places.map_or(len, |p| p.min(len));
        Analysis {
            remembered: self.remembered,
            average: self.average,
            overall: self.overall,
            gain_if_all_met: self.gain_if_all_met,
            overall_if_all_met: self.overall_if_all_met,
            remembered_band: self.remembered_band,
            weak_spots: self.weak_spots[..cut(self.weak_spots.len())].to_vec(),
            average_model: self.average_model[..cut(self.average_model.len())].to_vec(),
            sequence_advice: self.sequence_advice.clone(),
            departments: self.departments.clone(),
            agreements: self.agreements.clone(),
            charter: self.charter.clone(),
            left_out: self.left_out,
            settings: self.settings,
            emotion_curve: self.emotion_curve.clone(),
        }
    }
}

/// A frontstage step below its target, with its share of what fixing every
/// such step would gain.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeakSpot {
    /// 1 for the weak spot that matters most.
    pub rank: u32,
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// Owning department id.
    pub department: String,
    /// The step's named owner.
    pub owner: Option<String>,
    /// Its score.
    pub score: f64,
    /// Its target (own, else the map's standard).
    pub target: f64,
    /// Its share of the gain if every step met its target (the Shapley
    /// value of the fixing game): the ranking's figure.
    pub share: f64,
    /// Overall experience gained by raising it alone to target.
    pub impact: f64,
    /// The step whose worse moment hides this one's when it is fixed alone,
    /// when its share is much larger than its impact alone.
    pub masked_by: Option<Masking>,
    /// Share of the counted visits that pass through it.
    pub reach: f64,
    /// Share of its visits on which its score is the worst moment (ties
    /// included). The name is the contract's.
    pub peak_share: f64,
    /// Share of its visits on which it is the last scored moment.
    pub end_share: f64,
    /// Breached handoffs on the backstage-only routes into it.
    pub upstream_causes: Vec<UpstreamCause>,
    /// Its rank under the average model, if it is a weak spot there.
    pub average_rank: Option<u32>,
    /// True when the two models rank it far apart: the conclusion rests on the model.
    pub model_dependent: bool,
    /// Why it matters, in plain words.
    pub why: Vec<String>,
}

/// Another weak spot that hides this one: while it stays as it is, fixing
/// this one alone gains little; fixing both gains more than the two alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Masking {
    /// The masking step's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its score.
    pub score: f64,
    /// The overall experience gained by fixing both.
    pub both: f64,
}

/// A breached internal service agreement that reached the customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpstreamCause {
    /// Index of the flow in the map's flows.
    pub flow: u32,
    /// The step handing off.
    pub from: String,
    /// Its title.
    pub from_title: String,
    /// The step receiving.
    pub to: String,
    /// The providing department id.
    pub provider: String,
    /// The providing department's name.
    pub provider_name: String,
    /// The receiving department id.
    pub receiver: String,
    /// Promised minutes.
    pub promised_minutes: f64,
    /// Measured minutes (the median, when measured from a log).
    pub actual_minutes: f64,
    /// How it was kept, in words, with its n and interval when measured
    /// from a log ("42% of 240 within 1 hour (36–48%)…").
    pub said: String,
}

/// A step's place in the ranking under the average model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AverageWeakSpot {
    /// 1 for the first.
    pub rank: u32,
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// reach × (target − score) / summed reach.
    pub impact: f64,
    /// Share of the counted visits through it.
    pub reach: f64,
    /// Its rank under the peak-end model, if it is a weak spot there.
    pub peak_end_rank: Option<u32>,
    /// True when the two models rank it far apart.
    pub model_dependent: bool,
}

/// Where the journey's bad moments fall.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SequenceAdvice {
    /// Share of the counted visits that end on a bad moment (below 3).
    pub bad_end: f64,
    /// The steps those visits end on, largest share first.
    pub bad_end_steps: Vec<StepShare>,
    /// Share of the counted visits whose worst moment is bad and in the late stages.
    pub late_bad_peak: f64,
    /// The steps holding those worst moments, largest share first.
    pub late_bad_peak_steps: Vec<StepShare>,
    /// The stages counted as late: the last fifth, at least the last one.
    pub late_stages: Vec<String>,
}

/// A step and a share of the counted visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepShare {
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// Share of the counted visits.
    pub share: f64,
}

/// A department's standing, as a provider to the customer and to other departments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DepartmentStanding {
    /// Department id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Frontstage steps it owns.
    pub frontstage_steps: u32,
    /// Reach-weighted mean score of its scored frontstage steps.
    pub mean_score: Option<f64>,
    /// The summed reach of those steps: the weight behind `mean_score`, so
    /// that means of several journeys can be combined.
    pub scored_reach: f64,
    /// Summed share of the gain of its weak spots.
    pub weak_spot_share: f64,
    /// The share it causes as a provider: each weak spot whose upstream
    /// causes include a breached handoff it provides passes its share on,
    /// split equally among the departments providing those handoffs.
    pub caused_share: f64,
    /// Handoffs it provides whose agreement was met.
    pub sla_met: u32,
    /// Handoffs it provides with a measured time.
    pub sla_measured: u32,
    /// Handoffs it provides with an agreement but no measurement.
    pub sla_unmeasured: u32,
    /// met / measured, `None` when nothing is measured.
    pub sla_compliance: Option<f64>,
    /// Its pain points not yet resolved.
    pub open_pain_points: u32,
    /// Their dot votes.
    pub open_votes: u32,
    /// Commitments it answers for that are not done.
    pub open_commitments: u32,
    /// Of those, the ones past their due date; `None` when the analysis was
    /// made without a date ([`analyze`] rather than [`analyze_on`]).
    pub overdue_commitments: Option<u32>,
}

/// The agreements one department gives another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgreementPair {
    /// The providing department's id.
    pub provider: String,
    /// Its name.
    pub provider_name: String,
    /// The receiving department's id.
    pub receiver: String,
    /// Its name.
    pub receiver_name: String,
    /// Agreements kept.
    pub met: u32,
    /// Agreements broken.
    pub breached: u32,
    /// Agreements without a measured time.
    pub unmeasured: u32,
    /// Each agreement, in flow order.
    pub agreements: Vec<Agreement>,
}

/// One internal service agreement on a handoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agreement {
    /// The flow's index in the map.
    pub flow: u32,
    /// The providing step.
    pub from: String,
    /// Its title.
    pub from_title: String,
    /// The receiving step.
    pub to: String,
    /// Its title.
    pub to_title: String,
    /// Promised time, minutes.
    pub promised_minutes: f64,
    /// Measured time, minutes (the median, when measured from a log).
    pub actual_minutes: Option<f64>,
    /// The quality expected.
    pub quality: Option<String>,
    /// Met, breached or unmeasured.
    pub status: SlaStatus,
    /// The handoffs a log measured, when it did.
    pub measured: Option<MeasuredAgreement>,
    /// The figures in words, with their n and interval when measured, or
    /// said to be the workshop's ("2 days against 1 hour promised").
    pub said: String,
}

/// An agreement's compliance as a log measured it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeasuredAgreement {
    /// Handoffs measured.
    pub n: u32,
    /// Of them, within the promise.
    pub within: u32,
    /// within / n.
    pub within_share: f64,
    /// Its 95% adjusted-Wald interval.
    pub interval: [f64; 2],
    /// The share that must be within the promise.
    pub target_share: f64,
    /// Median minutes.
    pub median_minutes: f64,
    /// 90th percentile, minutes.
    pub p90_minutes: f64,
}

/// A charter promise checked against the agreements that feed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PromiseCheck {
    /// The promise's id.
    pub id: String,
    /// Its stage's id.
    pub stage: String,
    /// Its stage's name.
    pub stage_name: String,
    /// The promise.
    pub text: String,
    /// The time promised to the customer.
    pub within_minutes: Option<f64>,
    /// The minutes the agreements allow along the slowest route into and
    /// through the stage; `None` when no agreement feeds it.
    pub promised_minutes: Option<f64>,
    /// The measured minutes along that route, when every handoff on it is measured.
    pub actual_minutes: Option<f64>,
    /// The agreements on that route, in order.
    pub handoffs: Vec<ChainLink>,
    /// Whether the promise can be kept.
    pub verdict: PromiseVerdict,
}

/// One agreement on the route a promise depends on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChainLink {
    /// The flow's index in the map.
    pub flow: u32,
    /// The providing step's title.
    pub from_title: String,
    /// The receiving step's title.
    pub to_title: String,
    /// Promised time, minutes.
    pub promised_minutes: f64,
    /// Measured time, minutes.
    pub actual_minutes: Option<f64>,
}

/// What the check of a promise found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PromiseVerdict {
    /// The agreements' promised times fit inside the promise, and so do the measured ones.
    Achievable,
    /// The agreements promise more time than the charter gives the customer.
    CannotBeMet,
    /// The agreements fit on paper, but the measured times exceed the promise.
    MissedInPractice,
    /// No agreement feeds the stage, so nothing internal backs the promise.
    NoAgreements,
    /// A promise of quality, with no time to check.
    NoTimeGiven,
}

/// Below this, a share that exceeds the impact alone does not say "masked".
const MASKED_MARGIN: f64 = 0.005;

/// Per-step figures the rest of the analysis is built from.
struct StepFigures {
    /// Mass of all paths through the step.
    mass: f64,
    /// For scored steps: the change in Σ P·R from raising the score to target.
    raise_gain: f64,
    /// For scored steps: mass of paths through it where its score is the worst.
    worst_mass: f64,
    /// Mass of paths through it where it is the last scored moment.
    end_mass: f64,
    /// For scored steps: mass of paths where it is the last step holding the worst score.
    last_worst_mass: f64,
}

/// Analyses a valid map; an invalid one is refused with its validation report.
pub fn analyze(map: &Map) -> Result<Analysis, Report> {
    analyze_remembering(map, None)
}

fn analyze_remembering(map: &Map, memo: Option<&mut Memo>) -> Result<Analysis, Report> {
    let (report, analysis) = analyze_reporting(map, memo);
    analysis.ok_or(report)
}

/// The map's validation report, and its analysis when it is valid.
fn analyze_reporting(map: &Map, memo: Option<&mut Memo>) -> (Report, Option<Analysis>) {
    let index = Index::new(map);
    let graph = FlowGraph::with_index(map, &index);
    let report = validate_with(map, &index, &graph);
    let analysis = report.is_valid().then(|| analyze_valid(map, &index, &graph, memo));
    (report, analysis)
}

/// [`analyze`], with each department's overdue commitments counted as of
/// `today`. The clock is an argument so that tests and snapshots fix the day.
pub fn analyze_on(map: &Map, today: chrono::NaiveDate) -> Result<Analysis, Report> {
    let mut analysis = analyze(map)?;
    standing::count_overdue(map, today, &mut analysis.departments);
    Ok(analysis)
}

/// [`analyze_on`] for a map being edited: `memo` keeps the costliest work
/// (the shares' passes) from one analysis to the next, and an edit that
/// leaves an interval's inputs as they were takes its work from there. The
/// figures are the same, to the bit, as [`analyze_on`]'s; only the time
/// differs. A memo is for one map: any memo gives the right figures, but
/// one from another map saves nothing.
pub fn analyze_on_with(map: &Map, today: chrono::NaiveDate, memo: &mut Memo) -> Result<Analysis, Report> {
    let (report, analysis) = analyze_on_reporting(map, today, memo);
    analysis.ok_or(report)
}

/// [`analyze_on_with`], with the map's validation report whether or not the
/// map is valid: a caller that shows the map's problems beside its figures
/// (the window) need not validate it again.
pub fn analyze_on_reporting(map: &Map, today: chrono::NaiveDate, memo: &mut Memo) -> (Report, Option<Analysis>) {
    let (report, mut analysis) = analyze_reporting(map, Some(memo));
    if let Some(analysis) = &mut analysis {
        standing::count_overdue(map, today, &mut analysis.departments);
    }
    (report, analysis)
}

/// The score of a step if it is a scored perception point.
fn scored(map: &Map, v: StepIx) -> Option<f64> {
    let step = &map.steps[v];
    match step.visibility {
        Visibility::Frontstage => step.score,
        Visibility::Backstage => None,
    }
}

/// The flows as customers take them: the order to walk the graph in, the
/// share starting at each step and the resolved share of each flow.
struct Journey<'a> {
    graph: &'a FlowGraph,
    order: Vec<StepIx>,
    entry: Vec<f64>,
    share: Vec<f64>,
}

impl<'a> Journey<'a> {
    fn new(map: &Map, graph: &'a FlowGraph) -> Self {
        let n = map.steps.len();
        let mut share = vec![0.0; map.flows.len()];
        for v in 0..n {
            let out = graph.outgoing(v);
            if let [(f, _)] = out {
                // The common case, without allocating: one way on.
                share[*f] = map.flows[*f].share.unwrap_or(1.0);
                continue;
            }
            let given: Vec<Option<f64>> = out.iter().map(|&(f, _)| map.flows[f].share_given()).collect();
            for (&(f, _), s) in out.iter().zip(resolve_shares(&given).unwrap_or_default()) {
                share[f] = s;
            }
        }
        let mut entry = vec![0.0; n];
        let entries = graph.entries();
        let given: Vec<Option<f64>> = entries.iter().map(|&v| map.steps[v].entry_share).collect();
        for (&v, s) in entries.iter().zip(resolve_entry_shares(&given).unwrap_or_default()) {
            entry[v] = s;
        }
        Self { graph, order: graph.topological_order().unwrap_or_default(), entry, share }
    }
}

/// The path masses of one set of scores, toward the worst and the best
/// moment, and the figures every other one is built from.
struct Masses {
    worst: Ranked,
    best: Ranked,
    worst_mass: PathMass,
    best_mass: PathMass,
    /// Summed P of every path.
    total: f64,
    /// Summed P of the paths with a scored step.
    counted: f64,
}

impl Masses {
    fn new(journey: &Journey<'_>, scores: &[Option<f64>]) -> Self {
        let worst = Ranked::new(scores, Extreme::Worst);
        let best = Ranked::new(scores, Extreme::Best);
        let (graph, order, entry, share) = (journey.graph, &journey.order, &journey.entry, &journey.share);
        let worst_mass = PathMass::compute(graph, order, worst.levels.ranks(), &worst.rank, entry, share);
        let best_mass = PathMass::compute(graph, order, best.levels.ranks(), &best.rank, entry, share);
        let total: f64 = worst_mass.paths().iter().sum();
        let counted = total - worst_mass.paths()[0];
        Self { worst, best, worst_mass, best_mass, total, counted }
    }

    /// Mass of the paths through `v`.
    fn through(&self, v: StepIx) -> f64 {
        self.worst_mass.arriving(v).iter().sum::<f64>() * self.worst_mass.after(v).iter().sum::<f64>()
    }

    /// Mass of the paths on which scored `v` is the last scored moment.
    fn end_mass(&self, v: StepIx) -> f64 {
        self.worst_mass.arriving(v).iter().sum::<f64>() * self.worst_mass.after(v)[0]
    }

    /// The remembered experience: Σ P × R over the counted paths, over their mass.
    fn remembered(&self, scores: &[Option<f64>], weights: &Weights) -> Option<f64> {
        (self.counted > 0.0).then(|| {
            let end_sum: f64 = scores.iter().enumerate().filter_map(|(v, s)| s.map(|s| s * self.end_mass(v))).sum();
            (weights.worst * self.worst.path_sum(&self.worst_mass)
                + weights.best * self.best.path_sum(&self.best_mass)
                + weights.end * end_sum)
                / self.counted
        })
    }

    /// The reach-weighted mean score.
    fn average(&self, scores: &[Option<f64>]) -> Option<f64> {
        let (mut sum, mut weight) = (0.0, 0.0);
        for (v, s) in scores.iter().enumerate() {
            if let Some(s) = s {
                let m = self.through(v);
                sum += m * s;
                weight += m;
            }
        }
        (weight > 0.0 && self.counted > 0.0).then(|| sum / weight)
    }
}

/// (1 − λ) × remembered + λ × average.
fn overall(remembered: Option<f64>, average: Option<f64>, lambda: f64) -> Option<f64> {
    Some((1.0 - lambda) * remembered? + lambda * average?)
}

fn analyze_valid(map: &Map, index: &Index<'_>, graph: &FlowGraph, memo: Option<&mut Memo>) -> Analysis {
    let settings = map.settings;
    let lambda = settings.average_weight;
    let n = map.steps.len();
    let journey = Journey::new(map, graph);
    let scores: Vec<Option<f64>> = (0..n).map(|v| scored(map, v)).collect();
    let targets: Vec<f64> = map.steps.iter().map(|s| s.target_or(&settings)).collect();
    let weights = Weights::of(&settings);
    let masses = Masses::new(&journey, &scores);
    let Masses { ref worst, ref best, ref worst_mass, ref best_mass, total, counted } = masses;
    let left_out = if total > 0.0 { worst_mass.paths()[0] / total } else { 0.0 };

    let mut scratch = Scratch::new(worst.levels.ranks());
    let figures: Vec<StepFigures> =
        (0..n).map(|v| step_figures(map, v, &weights, (worst, worst_mass), (best, best_mass), &mut scratch)).collect();

    let remembered = masses.remembered(&scores, &weights);
    let average = masses.average(&scores);
    let reach = |v: StepIx| if counted > 0.0 { figures[v].mass / counted } else { 0.0 };
    let scored_steps: Vec<StepIx> = (0..n).filter(|&v| scores[v].is_some()).collect();
    let reach_sum: f64 = scored_steps.iter().map(|&v| reach(v)).sum();

    // The average model's impact of raising each step: additive, so it is
    // also each step's share of the average term.
    let average_impact = |v: StepIx| match scores[v] {
        Some(s) if targets[v] > s && reach_sum > 0.0 => reach(v) * (targets[v] - s) / reach_sum,
        _ => 0.0,
    };
    // Each step's share of the gain if all met their targets.
    let peaks = shares::peak_shares(
        &shares::Game {
            graph,
            order: &journey.order,
            entry: &journey.entry,
            share: &journey.share,
            score: &scores,
            target: &targets,
        },
        memo,
    );
    let share_of = |v: StepIx| -> f64 {
        let Some(s) = scores[v].filter(|&s| targets[v] > s && counted > 0.0) else { return 0.0 };
        let remembered = (weights.worst * peaks.worst[v]
            + weights.best * peaks.best[v]
            + weights.end * (targets[v] - s) * figures[v].end_mass)
            / counted;
        (1.0 - lambda) * remembered + lambda * average_impact(v)
    };
    let impact_of = |v: StepIx| -> f64 {
        let remembered = if counted > 0.0 { figures[v].raise_gain / counted } else { 0.0 };
        (1.0 - lambda) * remembered + lambda * average_impact(v)
    };
    let share: Vec<f64> = (0..n).map(share_of).collect();
    let gain_if_all_met: f64 = share.iter().sum();

    // Weak spots, ranked by share.
    let mut weak: Vec<(StepIx, f64)> =
        scored_steps.iter().map(|&v| (v, share[v])).filter(|&(_, share)| share > IMPACT_EPSILON).collect();
    sort_ranked(map, &mut weak, &reach);
    // Average-model weak spots.
    let mut avg: Vec<(StepIx, f64)> =
        scored_steps.iter().map(|&v| (v, average_impact(v))).filter(|&(_, impact)| impact > IMPACT_EPSILON).collect();
    sort_ranked(map, &mut avg, &reach);

    // Each step's place in each ranking, looked up once per spot rather than
    // searched for: thousands of weak spots on a large map.
    let places = |list: &[(StepIx, f64)]| {
        let mut place = vec![None; n];
        for (i, &(v, _)) in list.iter().enumerate() {
            place[v] = Some(i + 1);
        }
        place
    };
    let (weak_place, avg_place) = (places(&weak), places(&avg));
    let differs = |a: Option<usize>, b: Option<usize>| match (a, b) {
        (Some(a), Some(b)) => a.abs_diff(b) >= RANK_DIFFERENCE,
        _ => true,
    };
    let fixing = Fixing { journey: &journey, scores: &scores, targets: &targets, weights: &weights, lambda };
    let now = overall(remembered, average, lambda);

    let mut upstream = causes::Upstream::new(map, index, graph);
    let mut weak_spots: Vec<WeakSpot> = weak
        .iter()
        .enumerate()
        .map(|(i, &(v, share))| {
            let step = &map.steps[v];
            let through = figures[v].mass;
            let avg_rank = avg_place[v];
            WeakSpot {
                rank: to_u32(i + 1),
                id: step.id.clone(),
                title: step.title.clone(),
                department: step.department.clone(),
                owner: step.owner.clone(),
                score: scores[v].unwrap_or_default(),
                target: targets[v],
                share,
                impact: impact_of(v),
                masked_by: None,
                reach: reach(v),
                peak_share: ratio(figures[v].worst_mass, through),
                end_share: ratio(figures[v].end_mass, through),
                upstream_causes: upstream.of(v),
                average_rank: avg_rank.map(to_u32),
                model_dependent: differs(Some(i + 1), avg_rank),
                why: Vec::new(),
            }
        })
        .collect();
    if let Some(now) = now {
        masking(&fixing, now, &weak, &mut weak_spots, impact_of, map);
    }
    for spot in &mut weak_spots {
        spot.why = summary::why(spot);
    }
    let average_model: Vec<AverageWeakSpot> = avg
        .iter()
        .enumerate()
        .map(|(i, &(v, impact))| {
            let pe_rank = weak_place[v];
            AverageWeakSpot {
                rank: to_u32(i + 1),
                id: map.steps[v].id.clone(),
                title: map.steps[v].title.clone(),
                impact,
                reach: reach(v),
                peak_end_rank: pe_rank.map(to_u32),
                model_dependent: differs(Some(i + 1), pe_rank),
            }
        })
        .collect();

    let mut by_stage = vec![(0.0, 0.0); map.stages.len()];
    for &v in &scored_steps {
        if let (Some(st), Some(s)) = (index.stage_ix(&map.steps[v].stage), scores[v]) {
            by_stage[st].0 += reach(v) * s;
            by_stage[st].1 += reach(v);
        }
    }
    let emotion_curve = by_stage.into_iter().map(|(sum, weight)| (weight > 0.0).then(|| sum / weight)).collect();
    let sequence_advice = sequence_advice(map, &figures, counted);
    let departments = standing::standings(map, index, &weak_spots, &|v| reach(v), &scored_steps);
    Analysis {
        remembered_band: remembered.map(|r| Band::of(r, settings.standard)),
        remembered,
        average,
        overall: now,
        gain_if_all_met,
        overall_if_all_met: now.map(|o| o + gain_if_all_met),
        weak_spots,
        average_model,
        sequence_advice,
        departments,
        agreements: agreements::pairs(map, index),
        charter: charter::check(map, index, graph),
        left_out,
        settings,
        emotion_curve,
    }
}

/// The overall experience with some steps raised to their targets.
struct Fixing<'a> {
    journey: &'a Journey<'a>,
    scores: &'a [Option<f64>],
    targets: &'a [f64],
    weights: &'a Weights,
    lambda: f64,
}

impl Fixing<'_> {
    fn overall_with(&self, raised: &[StepIx]) -> Option<f64> {
        let mut scores = self.scores.to_vec();
        for &v in raised {
            scores[v] = scores[v].map(|s| s.max(self.targets[v]));
        }
        let masses = Masses::new(self.journey, &scores);
        overall(masses.remembered(&scores, self.weights), masses.average(&scores), self.lambda)
    }
}

/// How many weak spots, from the top, are checked for a masking step; and
/// how many candidates each. Each check is one more pass over the map.
const MASKED_CHECKED: usize = 5;
const MASKING_CANDIDATES: usize = 2;

/// Names the step that masks a weak spot whose share is much larger than its
/// impact alone: of the weak spots scoring below it, the highest ranked
/// whose fixing together with it gains more than the two alone.
fn masking(
    fixing: &Fixing<'_>,
    now: f64,
    ranked: &[(StepIx, f64)],
    spots: &mut [WeakSpot],
    impact_of: impl Fn(StepIx) -> f64,
    map: &Map,
) {
    for (i, &(v, share)) in ranked.iter().enumerate().take(MASKED_CHECKED) {
        let alone = impact_of(v);
        if share < 2.0 * alone || share - alone < MASKED_MARGIN {
            continue;
        }
        let Some(s) = fixing.scores[v] else { continue };
        let candidates =
            ranked.iter().filter(|&&(u, _)| u != v && fixing.scores[u].is_some_and(|x| x < s)).take(MASKING_CANDIDATES);
        for &(u, _) in candidates {
            let Some(both) = fixing.overall_with(&[u, v]).map(|o| o - now) else { continue };
            if both - alone - impact_of(u) > MASKED_MARGIN {
                spots[i].masked_by = Some(Masking {
                    id: map.steps[u].id.clone(),
                    title: map.steps[u].title.clone(),
                    score: fixing.scores[u].unwrap_or_default(),
                    both,
                });
                break;
            }
        }
    }
}

/// The three terms of a path's remembered score, R = (1 − w) × (n × worst +
/// best) / (n + 1) + w × end, as one weight each: R is their weighted sum.
struct Weights {
    worst: f64,
    best: f64,
    end: f64,
}

impl Weights {
    fn of(settings: &Settings) -> Self {
        let (w, n) = (settings.end_weight, settings.negativity);
        let peak = (1.0 - w) / (n + 1.0);
        Self { worst: peak * n, best: peak, end: w }
    }
}

/// One extreme's ranking of the map's scores, and each step's rank in it.
struct Ranked {
    levels: Levels,
    rank: Vec<Option<usize>>,
}

impl Ranked {
    fn new(scores: &[Option<f64>], extreme: Extreme) -> Self {
        let levels = Levels::new(scores.iter().flatten().copied(), extreme);
        let rank = scores.iter().map(|s| s.and_then(|s| levels.rank(s))).collect();
        Self { levels, rank }
    }

    /// Σ over whole counted paths of P × their extreme; `mass` was computed
    /// with this ranking.
    fn path_sum(&self, mass: &PathMass) -> f64 {
        mass.paths().iter().enumerate().skip(1).map(|(r, m)| m * self.levels.score(r)).sum()
    }
}

/// Buffers reused across steps, so the per-step figures allocate nothing.
struct Scratch {
    into_upto: Vec<f64>,
    after_upto: Vec<f64>,
}

impl Scratch {
    fn new(ranks: usize) -> Self {
        Self { into_upto: vec![0.0; ranks], after_upto: vec![0.0; ranks] }
    }

    /// Fills the cumulative prefix and suffix mass up to each rank.
    fn accumulate(&mut self, into: &[f64], after: &[f64]) {
        let (mut a, mut b) = (0.0, 0.0);
        for k in 0..into.len() {
            a += into[k];
            b += after[k];
            self.into_upto[k] = a;
            self.after_upto[k] = b;
        }
    }

    /// Σ over the paths through a step of P × their extreme, when the step's
    /// score is `x`; [`Self::accumulate`] must have run on the step's masses.
    fn extreme_sum(&self, levels: &Levels, into: &[f64], after: &[f64], x: f64) -> f64 {
        let (into_upto, after_upto) = (&self.into_upto, &self.after_upto);
        (0..into.len())
            .map(|k| {
                // Pairs whose more extreme side, prefix or suffix, has rank exactly k.
                let exactly = into[k] * after_upto[k] + if k > 0 { into_upto[k - 1] * after[k] } else { 0.0 };
                exactly * levels.extreme_with(k, x)
            })
            .sum()
    }
}

/// A step's figures. Prefix and suffix are independent given the step, and R
/// is a weighted sum of worst, best and end, so each term comes from its own
/// extreme's masses: raising the step's score changes the worst, the best and
/// the end of the paths through it separately.
fn step_figures(
    map: &Map,
    v: StepIx,
    weights: &Weights,
    (worst, worst_mass): (&Ranked, &PathMass),
    (best, best_mass): (&Ranked, &PathMass),
    scratch: &mut Scratch,
) -> StepFigures {
    let into = worst_mass.arriving(v);
    let after = worst_mass.after(v);
    let into_total: f64 = into.iter().sum();
    let after_total: f64 = after.iter().sum();
    let through = into_total * after_total;
    // Suffixes with no scored step: on those, v (if scored) is the end.
    let rank = worst.rank[v];
    let end_mass = if rank.is_some() { into_total * after[0] } else { 0.0 };
    let (Some(r), Some(s)) = (rank, scored(map, v)) else {
        return StepFigures { mass: through, raise_gain: 0.0, worst_mass: 0.0, end_mass, last_worst_mass: 0.0 };
    };
    let target = map.steps[v].target_or(&map.settings);
    let mut raise_gain = 0.0;
    if target > s {
        scratch.accumulate(best_mass.arriving(v), best_mass.after(v));
        let best_gain = scratch.extreme_sum(&best.levels, best_mass.arriving(v), best_mass.after(v), target)
            - scratch.extreme_sum(&best.levels, best_mass.arriving(v), best_mass.after(v), s);
        raise_gain = weights.best * best_gain + weights.end * end_mass * (target - s);
    }
    scratch.accumulate(into, after);
    if target > s {
        let worst_gain = scratch.extreme_sum(&worst.levels, into, after, target)
            - scratch.extreme_sum(&worst.levels, into, after, s);
        raise_gain += weights.worst * worst_gain;
    }
    let Scratch { into_upto, after_upto } = scratch;
    StepFigures {
        mass: through,
        raise_gain,
        // No side is worse than v: v's score is the worst (ties included).
        worst_mass: into_upto[r] * after_upto[r],
        end_mass,
        // And nothing after v is as bad: v is the last to hold the worst.
        last_worst_mass: into_upto[r] * after_upto[r - 1],
    }
}

fn sequence_advice(map: &Map, figures: &[StepFigures], counted: f64) -> SequenceAdvice {
    let late = late_stages(map);
    let mut bad_end_steps = Vec::new();
    let mut late_bad_peak_steps = Vec::new();
    for (v, step) in map.steps.iter().enumerate() {
        let Some(s) = scored(map, v) else { continue };
        if s >= extremes::NEUTRAL || counted <= 0.0 {
            continue;
        }
        let end = figures[v].end_mass / counted;
        if end > IMPACT_EPSILON {
            bad_end_steps.push(StepShare { id: step.id.clone(), title: step.title.clone(), share: end });
        }
        let late_peak = figures[v].last_worst_mass / counted;
        if late.contains(&step.stage) && late_peak > IMPACT_EPSILON {
            late_bad_peak_steps.push(StepShare { id: step.id.clone(), title: step.title.clone(), share: late_peak });
        }
    }
    let by_share = |a: &StepShare, b: &StepShare| b.share.total_cmp(&a.share).then_with(|| a.title.cmp(&b.title));
    bad_end_steps.sort_by(by_share);
    late_bad_peak_steps.sort_by(by_share);
    SequenceAdvice {
        bad_end: bad_end_steps.iter().map(|s| s.share).sum(),
        bad_end_steps,
        late_bad_peak: late_bad_peak_steps.iter().map(|s| s.share).sum(),
        late_bad_peak_steps,
        late_stages: late,
    }
}

/// The last fifth of the stages, rounded up, and at least the last stage.
#[must_use]
pub fn late_stages(map: &Map) -> Vec<String> {
    let n = map.stages.len();
    let k = n.div_ceil(5).max(1).min(n);
    map.stages[n - k..].iter().map(|s| s.id.clone()).collect()
}

/// Ranks by impact, then larger reach, then title. Impacts are compared in
/// steps of [`TIE_EPSILON`] so that float noise cannot break a real tie, and
/// the comparison stays a total order.
fn sort_ranked(map: &Map, list: &mut [(StepIx, f64)], reach: &dyn Fn(StepIx) -> f64) {
    #[allow(clippy::cast_possible_truncation, reason = "impacts lie within ±4; the quotient fits an i64")]
    let bucket = |impact: f64| (impact / TIE_EPSILON).round() as i64;
    list.sort_by(|&(a, ia), &(b, ib)| {
        bucket(ib)
            .cmp(&bucket(ia))
            .then_with(|| reach(b).total_cmp(&reach(a)))
            .then_with(|| map.steps[a].title.cmp(&map.steps[b].title))
            .then_with(|| a.cmp(&b))
    });
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}
