//! Which weights describe these customers: the experience model fitted to a
//! survey's overall outcome (`docs/experience-model.md`, "Calibration").
//!
//! Each respondent who rated a frontstage step and gave an outcome counts.
//! Her ratings, taken in journey order, give her mean, worst, best and last
//! moment; the composite (1 − λ) × [(1 − w) × (n × worst + best) / (n + 1) +
//! w × end] + λ × mean is scored against the outcome by AUC (two values) or
//! Pearson's correlation (more), over the grid of λ, w and n, and
//! cross-validated over five folds dealt by index.
//!
//! Respondents with the same (mean, worst, best, end) have the same
//! composite everywhere on the grid, so the work is done once per distinct
//! tuple, with per-fold counts: a grid point costs one sort of the distinct
//! composites, however many respondents there are.

use rustc_hash::FxHashMap;
use serde::Serialize;
use waymark::Map;
use waymark::graph::FlowGraph;

use crate::survey::{OutcomeKind, Respondent, Survey};

/// λ's grid: 0, 0.1, ..., 1.
const LAMBDAS: [f64; 11] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
/// w's grid: 0, 0.1, ..., 1.
const END_WEIGHTS: [f64; 11] = LAMBDAS;
/// n's grid.
const NEGATIVITIES: [f64; 10] = [1.0, 1.5, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0];
/// Folds of the cross-validation.
const FOLDS: usize = 5;
/// Fewer respondents than this: too little to fit.
pub const MIN_RESPONDENTS: usize = 30;
/// A binary outcome with fewer of either value than this: too little.
pub const MIN_EACH_VALUE: usize = 5;

/// A point of the grid: the three weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    /// λ, the average weight.
    pub average_weight: f64,
    /// w, the end weight.
    pub end_weight: f64,
    /// n, the negativity.
    pub negativity: f64,
}

impl Weights {
    /// Version 2's defaults: λ = 0, w = 0.5, n = 2.25.
    pub const VERSION2: Self = Self { average_weight: 0.0, end_weight: 0.5, negativity: 2.25 };
    /// The average alone: λ = 1 (w and n then play no part).
    pub const AVERAGE_ONLY: Self = Self { average_weight: 1.0, end_weight: 0.0, negativity: 1.0 };
}

/// A model and its cross-validated score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored {
    /// The weights (the fit on all respondents, for the fitted model).
    #[serde(flatten)]
    pub weights: Weights,
    /// The mean of the five folds' scores, each fold scored by the model fitted
    /// on the other four (fixed models: by themselves).
    pub cv: f64,
    /// The score on all respondents.
    pub score: f64,
}

/// The calibration of a map's model to a survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Respondents that count.
    pub respondents: usize,
    /// `auc` or `pearson`.
    pub metric: &'static str,
    /// The grid's best weights, fitted on all respondents.
    pub fitted: Scored,
    /// λ = 1.
    pub average_only: Scored,
    /// Version 2's defaults.
    pub version2: Scored,
    /// Whether the fit's λ is 1, so that w and n make no difference.
    pub weights_irrelevant: bool,
}

impl Calibration {
    /// The fit in words: which moments the overall rating follows, on how
    /// many respondents, and how each model scores; then the weights.
    #[must_use]
    pub fn sentence(&self) -> String {
        let f = self.fitted.weights;
        let metric = if self.metric == "auc" { "AUC" } else { "correlation" };
        let leaning = if f.average_weight >= 0.5 {
            "Your customers' overall rating follows their average moment more than their worst"
        } else {
            "Your customers' overall rating follows their worst moments and the end more than their average"
        };
        let mut s = format!(
            "{leaning}; fitted on {} respondents, {metric} {:.2} against {:.2} for the default model and {:.2} for the average alone (cross-validated).",
            thousands(self.respondents),
            self.fitted.cv,
            self.version2.cv,
            self.average_only.cv
        );
        s.push_str(&format!(
            "\nFitted weights: average weight λ = {}, end weight w = {}, negativity n = {}",
            f.average_weight, f.end_weight, f.negativity
        ));
        if self.weights_irrelevant {
            s.push_str(" (with λ = 1 the end weight and negativity make no difference)");
        }
        s.push('.');
        s
    }
}

/// 25976 as 25,976.
#[must_use]
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Why no weights are offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TooLittle {
    /// No overall column was read.
    #[error("no overall outcome: give --overall COLUMN to calibrate")]
    NoOutcome,
    /// Fewer than [`MIN_RESPONDENTS`] count.
    #[error(
        "too little to fit: {0} respondents rated a step and gave an outcome; at least {MIN_RESPONDENTS} are needed"
    )]
    Respondents(usize),
    /// A binary outcome with too few of one value.
    #[error(
        "too little to fit: {positive} positive and {negative} other outcomes; at least {MIN_EACH_VALUE} of each are needed"
    )]
    OneSided {
        /// Positive outcomes.
        positive: usize,
        /// The rest.
        negative: usize,
    },
}

/// A respondent reduced to what the composite needs.
#[derive(Debug, Clone, Copy)]
struct Moments {
    mean: f64,
    worst: f64,
    best: f64,
    end: f64,
}

impl Moments {
    fn composite(&self, w: Weights) -> f64 {
        let n = w.negativity;
        let remembered = (1.0 - w.end_weight) * (n * self.worst + self.best) / (n + 1.0) + w.end_weight * self.end;
        (1.0 - w.average_weight) * remembered + w.average_weight * self.mean
    }
}

/// Each bound column's place in the journey: stages in order; within a
/// stage, a topological order of the forward flows, ties in map order; two
/// columns of one step in column order.
fn journey_rank(survey: &Survey, map: &Map) -> Vec<usize> {
    let graph = FlowGraph::build(map);
    let order = graph.stable_topological_order().unwrap_or_else(|| (0..map.steps.len()).collect());
    let mut topo = vec![0usize; map.steps.len()];
    for (i, &s) in order.iter().enumerate() {
        topo[s] = i;
    }
    let stage_of = |s: usize| map.stages.iter().position(|st| st.id == map.steps[s].stage).unwrap_or(usize::MAX);
    let mut keyed: Vec<(usize, usize, usize, usize)> =
        survey.bound.iter().enumerate().map(|(b, &(j, s))| (stage_of(s), topo[s], j, b)).collect();
    keyed.sort_unstable();
    let mut rank = vec![0; survey.bound.len()];
    for (r, k) in keyed.iter().enumerate() {
        rank[k.3] = r;
    }
    rank
}

fn moments(r: &Respondent, rank: &[usize]) -> Option<Moments> {
    if r.ratings.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss, reason = "a handful of ratings")]
    let mean = r.ratings.iter().map(|(_, x)| x).sum::<f64>() / r.ratings.len() as f64;
    let worst = r.ratings.iter().map(|(_, x)| *x).fold(f64::INFINITY, f64::min);
    let best = r.ratings.iter().map(|(_, x)| *x).fold(f64::NEG_INFINITY, f64::max);
    let end = r.ratings.iter().max_by_key(|(b, _)| rank[*b as usize]).map_or(mean, |(_, x)| *x);
    Some(Moments { mean, worst, best, end })
}

/// Respondents with the same moments, with what each fold holds of them.
struct Group {
    moments: Moments,
    /// Per fold: (count, sum of outcomes, sum of squared outcomes).
    folds: [(f64, f64, f64); FOLDS],
}

/// Fits the model to the survey's respondents that count.
///
/// # Errors
/// No outcome, or too little to fit.
pub fn calibrate(survey: &Survey, map: &Map, keep: impl Fn(&Respondent) -> bool) -> Result<Calibration, TooLittle> {
    let kind = survey.outcome.ok_or(TooLittle::NoOutcome)?;
    let rank = journey_rank(survey, map);
    let counting: Vec<(Moments, f64)> =
        survey.respondents.iter().filter(|r| keep(r)).filter_map(|r| Some((moments(r, &rank)?, r.overall?))).collect();
    if counting.len() < MIN_RESPONDENTS {
        return Err(TooLittle::Respondents(counting.len()));
    }
    if kind == OutcomeKind::Binary {
        let positive = counting.iter().filter(|(_, y)| *y > 0.5).count();
        let negative = counting.len() - positive;
        if positive < MIN_EACH_VALUE || negative < MIN_EACH_VALUE {
            return Err(TooLittle::OneSided { positive, negative });
        }
    }
    // Group by exact moments (bit patterns), with per-fold sums.
    let mut index: FxHashMap<[u64; 4], usize> = FxHashMap::default();
    let mut groups: Vec<Group> = Vec::new();
    for (i, (m, y)) in counting.iter().enumerate() {
        let key = [m.mean.to_bits(), m.worst.to_bits(), m.best.to_bits(), m.end.to_bits()];
        let g = *index.entry(key).or_insert_with(|| {
            groups.push(Group { moments: *m, folds: [(0.0, 0.0, 0.0); FOLDS] });
            groups.len() - 1
        });
        let f = &mut groups[g].folds[i % FOLDS];
        f.0 += 1.0;
        f.1 += y;
        f.2 += y * y;
    }
    let scorer = Scorer { kind, groups };
    // Every fold's training set and test set, and the whole.
    let all = [true; FOLDS];
    let train: Vec<[bool; FOLDS]> = (0..FOLDS).map(|f| std::array::from_fn(|g| g != f)).collect();
    let test: Vec<[bool; FOLDS]> = (0..FOLDS).map(|f| std::array::from_fn(|g| g == f)).collect();
    let mut sets: Vec<[bool; FOLDS]> = vec![all];
    sets.extend(&train);
    sets.extend(&test);
    // Per set: the best criterion and its point; per point, the test scores.
    let mut best: Vec<(f64, Weights, [f64; FOLDS])> =
        vec![(f64::NEG_INFINITY, Weights::VERSION2, [0.0; FOLDS]); 1 + FOLDS];
    for &average_weight in &LAMBDAS {
        for &end_weight in &END_WEIGHTS {
            for &negativity in &NEGATIVITIES {
                let w = Weights { average_weight, end_weight, negativity };
                let scores = scorer.scores(w, &sets);
                let tests: [f64; FOLDS] = std::array::from_fn(|f| scores[1 + FOLDS + f]);
                for (k, b) in best.iter_mut().enumerate() {
                    if scores[k] > b.0 + 1e-12 {
                        *b = (scores[k], w, tests);
                    }
                }
            }
        }
    }
    let fixed = |w: Weights| {
        let scores = scorer.scores(w, &sets);
        Scored { weights: w, cv: mean_defined((0..FOLDS).map(|f| scores[1 + FOLDS + f])), score: scores[0] }
    };
    // Fold f is scored by the model fitted on the other four.
    let cv = mean_defined((0..FOLDS).map(|f| best[1 + f].2[f]));
    let fitted = Scored { weights: best[0].1, cv, score: best[0].0 };
    Ok(Calibration {
        respondents: counting.len(),
        metric: match kind {
            OutcomeKind::Binary => "auc",
            OutcomeKind::Numeric => "pearson",
        },
        weights_irrelevant: fitted.weights.average_weight >= 1.0,
        fitted,
        average_only: fixed(Weights::AVERAGE_ONLY),
        version2: fixed(Weights::VERSION2),
    })
}

/// The mean of the scores that are defined (a fold with one outcome value
/// has no AUC).
fn mean_defined(scores: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = scores.filter(|s| s.is_finite()).fold((0.0, 0.0), |(s, n), x| (s + x, n + 1.0));
    if n > 0.0 { sum / n } else { f64::NAN }
}

struct Scorer {
    kind: OutcomeKind,
    groups: Vec<Group>,
}

impl Scorer {
    /// The criterion at `w` for each set of folds.
    fn scores(&self, w: Weights, sets: &[[bool; FOLDS]]) -> Vec<f64> {
        let composite: Vec<f64> = self.groups.iter().map(|g| g.moments.composite(w)).collect();
        match self.kind {
            OutcomeKind::Binary => {
                let mut order: Vec<usize> = (0..self.groups.len()).collect();
                order.sort_unstable_by(|&a, &b| composite[a].total_cmp(&composite[b]));
                sets.iter().map(|set| self.auc(&order, &composite, set)).collect()
            }
            OutcomeKind::Numeric => sets.iter().map(|set| self.pearson(&composite, set)).collect(),
        }
    }

    /// The Mann–Whitney AUC: over pairs of a positive and a negative
    /// respondent, the share where the positive has the larger composite,
    /// ties (composites within 1e-9) counting one half.
    fn auc(&self, order: &[usize], composite: &[f64], set: &[bool; FOLDS]) -> f64 {
        let counts = |g: usize| {
            self.groups[g].folds.iter().zip(set).filter(|(_, on)| **on).fold((0.0, 0.0), |(p, n), (f, _)| {
                // f.1 is the number of positives (outcomes are 0 or 1).
                (p + f.1, n + f.0 - f.1)
            })
        };
        let (mut below_negatives, mut wins, mut positives, mut negatives) = (0.0, 0.0, 0.0, 0.0);
        let mut i = 0;
        while i < order.len() {
            // A run of tied composites.
            let mut j = i + 1;
            while j < order.len() && composite[order[j]] - composite[order[j - 1]] <= 1e-9 {
                j += 1;
            }
            let (mut p, mut n) = (0.0, 0.0);
            for &g in &order[i..j] {
                let (gp, gn) = counts(g);
                p += gp;
                n += gn;
            }
            wins += p * (below_negatives + 0.5 * n);
            below_negatives += n;
            positives += p;
            negatives += n;
            i = j;
        }
        if positives == 0.0 || negatives == 0.0 { f64::NAN } else { wins / (positives * negatives) }
    }

    /// Pearson's correlation of composite and outcome.
    fn pearson(&self, composite: &[f64], set: &[bool; FOLDS]) -> f64 {
        let (mut n, mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for (g, &x) in self.groups.iter().zip(composite) {
            for (f, _) in g.folds.iter().zip(set).filter(|(_, on)| **on) {
                n += f.0;
                sx += f.0 * x;
                sxx += f.0 * x * x;
                sy += f.1;
                syy += f.2;
                sxy += x * f.1;
            }
        }
        let cov = sxy - sx * sy / n;
        let vx = sxx - sx * sx / n;
        let vy = syy - sy * sy / n;
        if n < 2.0 || vx <= 0.0 || vy <= 0.0 { f64::NAN } else { cov / (vx * vy).sqrt() }
    }
}
