//! Each weak spot's share of the gain if every step met its target
//! (`docs/experience-model.md`, "Share of the gain"), exactly, without listing
//! paths or subsets of steps.
//!
//! The share is the Shapley value of the game whose players are the steps
//! below target and whose value for a set S is the overall experience with S
//! raised to target, minus it as it is. Shapley values are linear, and the
//! remembered experience is an expectation over paths of a sum of a worst
//! term, a best term and an end term, so a step's share is the expectation,
//! over the paths through it, of its share in each term's game on that path.
//! The end term is additive (only the path's last moment moves it), so its
//! share is the step's own gain as the end.
//!
//! The worst and the best term are integrals over a level y. On one path,
//! raising a set S lifts the worst moment above y exactly when every step
//! scoring below y is in S and can reach y: a unanimity game on R(y), the
//! steps below y, worth 1/|R(y)| to each of them. It lifts the best moment
//! above y (y above the path's best) when S holds any step whose target
//! exceeds y: each of those T(y) steps gets 1/|T(y)|. Between two consecutive
//! levels of the map's scores and targets the sets do not change, so a
//! step's share is a sum over those intervals of the interval's width times
//! the expected 1/|R| (or 1/|T|) over the paths through it that the interval
//! counts.
//!
//! That expectation is where paths would have to be listed, and where they
//! are not: with N_before and N_after the counts on the prefix and the suffix,
//! 1/(1 + N_before + N_after) is the integral over z in [0, 1] of
//! z^N_before × z^N_after. Prefix and suffix are independent given the step,
//! so the sum over paths of P × z^(N_before + N_after) is (prefix sum of P ×
//! z^N_before) × (suffix sum of P × z^N_after): one forward and one backward
//! pass over the flow graph, as for the path masses, but carrying z. The
//! integrand is a polynomial in z whose degree is at most the count on the
//! longest counted path, so Gauss–Legendre quadrature with half that many
//! nodes integrates it exactly. The cost is the map's size times the number
//! of levels times the number of nodes; the nodes are taken in small chunks,
//! so memory stays the map's size times the chunk.

use crate::graph::{FlowGraph, StepIx};

/// Quadrature nodes handled in one pair of passes.
const CHUNK: usize = 16;

/// Pieces of work (an interval of one term) done at once across the cores.
const BATCH: usize = 32;

/// The most a [`Memo`] keeps of the intervals' work (their roles, sharing
/// steps and results). The generated 10,000-step map of one-decimal scores
/// has 80 pieces of such work (40 intervals, two terms), some 6 MB by a
/// count of their parts; a map with thousands of distinct levels keeps its
/// first intervals up to this and does the rest again.
const MEMO_BYTES: usize = 64 << 20;

/// The most a share may leave out by taking fewer quadrature nodes than
/// its integrand's degree: far below what a double resolves in a share.
const TAIL: f64 = 1e-18;

/// What the share passes need to know of the map.
pub(super) struct Game<'a> {
    pub graph: &'a FlowGraph,
    pub order: &'a [StepIx],
    /// Share of customers starting at each step.
    pub entry: &'a [f64],
    /// Resolved share of each flow.
    pub share: &'a [f64],
    /// Each step's score when it is a scored perception point.
    pub score: &'a [Option<f64>],
    /// Each step's target (its own, else the map's standard).
    pub target: &'a [f64],
}

/// Per step, the sums over the paths through it of P × its share of the
/// worst-moment game and of the best-moment game on that path. Steps that are
/// not below their target get 0.
pub(super) struct PeakShares {
    pub worst: Vec<f64>,
    pub best: Vec<f64>,
}

impl Game<'_> {
    fn is_player(&self, v: StepIx) -> bool {
        self.score[v].is_some_and(|s| self.target[v] > s)
    }

    /// The worst moment's ceiling: how far raising can lift this step.
    fn ceiling(&self, v: StepIx) -> Option<f64> {
        self.score[v].map(|s| s.max(self.target[v]))
    }
}

/// The interval (low, high] of the level y, between two consecutive levels.
#[derive(Clone, Copy)]
struct Interval {
    low: f64,
    high: f64,
}

/// Which term's game an interval is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Term {
    Worst,
    Best,
}

/// What a step is to the paths through it on one interval of one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Paths through it do not count on this interval.
    Blocks,
    /// It neither blocks nor divides the share.
    Passes,
    /// The share is divided among it and the other such steps on the path.
    Divides,
}

impl Term {
    /// Each step's role on the interval `y`.
    fn roles(self, game: &Game<'_>, y: Interval, roles: &mut [Role]) {
        for (u, role) in roles.iter_mut().enumerate() {
            *role = match game.score[u] {
                None => Role::Passes,
                Some(s) => {
                    let (counts, divides) = match self {
                        // Every step below y must be raised and reach y: a step
                        // whose ceiling is below y keeps the worst below y.
                        Term::Worst => (game.ceiling(u).is_some_and(|c| c >= y.high), s <= y.low),
                        // The path's best must be below y, and then any step
                        // whose target exceeds y lifts it.
                        Term::Best => (s <= y.low, game.is_player(u) && game.target[u] >= y.high),
                    };
                    match (counts, divides) {
                        (false, _) => Role::Blocks,
                        (true, false) => Role::Passes,
                        (true, true) => Role::Divides,
                    }
                }
            };
        }
    }
}

/// One interval of one term's game, with the steps that share it.
struct Task {
    term: Term,
    y: Interval,
    sharing: Vec<StepIx>,
}

impl Task {
    fn key(&self) -> TaskKey {
        (self.term, self.y.low.to_bits(), self.y.high.to_bits())
    }
}

/// An interval of a term's game, by its ends' bits.
type TaskKey = (Term, u64, u64);

/// The passes' work on one interval of one term, and everything it rests
/// on beside the journey: each step's role and the steps sharing it (both
/// left empty when there is no memo to keep them in).
#[derive(Debug)]
struct Done {
    roles: Vec<Role>,
    sharing: Vec<StepIx>,
    /// Width × the integral for each sharing step, one row per chunk of
    /// quadrature nodes, as [`Passes::integrate`] gives them.
    rows: Vec<Vec<f64>>,
}

impl Done {
    /// About how much memory it holds.
    fn bytes(&self) -> usize {
        let rows: usize = self.rows.iter().map(|row| row.len() * size_of::<f64>()).sum();
        self.roles.len() * size_of::<Role>() + self.sharing.len() * size_of::<StepIx>() + rows
    }
}

/// The share passes of the last analysis, kept for the next analysis of the
/// same map so that it redoes only the intervals an edit changed.
///
/// An interval's work depends on the journey (the order, the flows and their
/// shares, the entry shares), the interval's ends, each step's role on it and
/// the steps that share it; nothing else. So work whose inputs are all the
/// same, bit for bit, is taken as it is, and the figures are exactly those of
/// an analysis from scratch. A score moved from 2.1 to 3.4 changes the roles
/// only on the intervals between the two (and the intervals themselves where
/// a level comes or goes with it); a changed flow or share changes the
/// journey, and everything is done again.
#[derive(Debug, Default)]
pub struct Memo {
    journey: Option<JourneyKey>,
    done: rustc_hash::FxHashMap<TaskKey, std::sync::Arc<Done>>,
    /// Of the last analysis: intervals taken from the one before, and in all.
    reused: (usize, usize),
}

impl Memo {
    /// How many of the last analysis's intervals were taken from the one
    /// before, and how many it had in all.
    pub fn reused(&self) -> (usize, usize) {
        self.reused
    }
}

/// The journey the passes walk, exactly.
#[derive(Debug, PartialEq, Eq)]
struct JourneyKey {
    order: Vec<StepIx>,
    /// Each step's flows out, in order, and where each step's list ends.
    outgoing: Vec<(usize, StepIx)>,
    ends: Vec<usize>,
    entry: Vec<u64>,
    share: Vec<u64>,
}

impl JourneyKey {
    fn of(game: &Game<'_>) -> Self {
        let n = game.score.len();
        let mut outgoing = Vec::new();
        let mut ends = Vec::with_capacity(n);
        for v in 0..n {
            outgoing.extend_from_slice(game.graph.outgoing(v));
            ends.push(outgoing.len());
        }
        Self {
            order: game.order.to_vec(),
            outgoing,
            ends,
            entry: game.entry.iter().map(|x| x.to_bits()).collect(),
            share: game.share.iter().map(|x| x.to_bits()).collect(),
        }
    }
}

/// The shares of the worst and best terms; see the module's description.
///
/// Each interval of each term is worked out on its own, so they run on all
/// the cores (on 10,000 steps the passes are most of the analysis); their
/// parts are then added in the intervals' order, so the figures are the
/// same to the last bit whatever the number of cores. With a [`Memo`] of
/// the analysis before, intervals whose work would be the same are taken
/// from it.
pub(super) fn peak_shares(game: &Game<'_>, memo: Option<&mut Memo>) -> PeakShares {
    use rayon::prelude::*;

    let n = game.score.len();
    let mut out = PeakShares { worst: vec![0.0; n], best: vec![0.0; n] };
    let players: Vec<StepIx> = (0..n).filter(|&v| game.is_player(v)).collect();
    if players.is_empty() {
        if let Some(memo) = memo {
            *memo = Memo::default();
        }
        return out;
    }
    let mut levels: Vec<f64> = game.score.iter().flatten().copied().collect();
    levels.extend(players.iter().map(|&v| game.target[v]));
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    // The work before is of use only on the same journey.
    let journey = memo.as_ref().map(|_| JourneyKey::of(game));
    let before = match &memo {
        Some(memo) if memo.journey == journey => Some(&memo.done),
        _ => None,
    };
    let mut kept = memo.is_some().then(rustc_hash::FxHashMap::default);
    let keep = kept.is_some();
    let mut kept_bytes = 0;
    let (mut reused, mut all) = (0, 0);
    // A batch of intervals at a time: enough to keep every core busy, and
    // few enough that their sharing steps and rows in memory stay small on
    // maps with thousands of levels (survey means rarely repeat).
    for pairs in levels.windows(2).collect::<Vec<_>>().chunks(BATCH / 2) {
        let mut batch = Vec::with_capacity(BATCH);
        for pair in pairs {
            let y = Interval { low: pair[0], high: pair[1] };
            // The steps that share this interval: below target, scoring at or
            // below its low end and with a target at or above its high end.
            let sharing: Vec<StepIx> = players
                .iter()
                .copied()
                .filter(|&v| game.score[v].is_some_and(|s| s <= y.low) && game.target[v] >= y.high)
                .collect();
            if sharing.is_empty() {
                continue;
            }
            batch.push(Task { term: Term::Worst, y, sharing: sharing.clone() });
            batch.push(Task { term: Term::Best, y, sharing });
        }
        all += batch.len();
        // Buffers per rayon job, not per task: on 10,000 steps the passes'
        // rows are 2.5 MB.
        let parts: Vec<(std::sync::Arc<Done>, bool)> = batch
            .par_iter()
            .map_init(
                || (Quadrature::default(), Passes::new(n), vec![Role::Passes; n]),
                |(nodes, passes, roles), task| {
                    task.term.roles(game, task.y, roles);
                    let same = before
                        .and_then(|done| done.get(&task.key()))
                        .filter(|done| done.roles == *roles && done.sharing == task.sharing);
                    if let Some(done) = same {
                        return (std::sync::Arc::clone(done), true);
                    }
                    // The integrand's degree is the count on a path less the step
                    // itself; fewer nodes do when long paths are too rare to matter.
                    let exact = longest_count(game, roles).div_ceil(2).max(1);
                    let q =
                        if exact > CHUNK { exact.min(passes.nodes_needed(game, roles, &task.sharing)) } else { exact };
                    let (z, w) = nodes.get(q);
                    let rows = passes.integrate(game, roles, (z, w), &task.sharing, task.y.high - task.y.low);
                    // Without a memo to keep them in, they are not copied.
                    let roles = if keep { roles.clone() } else { Vec::new() };
                    let sharing = if keep { task.sharing.clone() } else { Vec::new() };
                    (std::sync::Arc::new(Done { roles, sharing, rows }), false)
                },
            )
            .collect();
        for (task, (done, was_kept)) in batch.iter().zip(parts) {
            let into = match task.term {
                Term::Worst => &mut out.worst,
                Term::Best => &mut out.best,
            };
            for row in &done.rows {
                for (&v, share) in task.sharing.iter().zip(row) {
                    into[v] += share;
                }
            }
            reused += usize::from(was_kept);
            // The memo keeps what fits its budget; the rest is done again.
            if let Some(kept) = &mut kept {
                kept_bytes += done.bytes();
                if kept_bytes <= MEMO_BYTES {
                    kept.insert(task.key(), done);
                }
            }
        }
    }
    if let (Some(memo), Some(done)) = (memo, kept) {
        *memo = Memo { journey, reused: (reused, all), done };
    }
    out
}

/// The largest number of dividing steps on a path that counts: the degree
/// bound for the quadrature.
fn longest_count(game: &Game<'_>, roles: &[Role]) -> usize {
    let mut longest: Vec<Option<usize>> = vec![None; roles.len()];
    let mut most = 0;
    for &v in game.order {
        if roles[v] == Role::Blocks {
            continue;
        }
        let arrived = (game.entry[v] > 0.0).then_some(0);
        let before = game.graph.incoming(v).iter().filter_map(|&(_, u)| longest[u]).max().max(arrived);
        longest[v] = before.map(|c| c + usize::from(roles[v] == Role::Divides));
        most = most.max(longest[v].unwrap_or(0));
    }
    most
}

/// One row of the passes: a value per quadrature node of the chunk.
type Row = [f64; CHUNK];

/// Reused buffers for the forward and backward passes.
struct Passes {
    before: Vec<Row>,
    after: Vec<Row>,
}

impl Passes {
    fn new(n: usize) -> Self {
        Self { before: vec![[0.0; CHUNK]; n], after: vec![[0.0; CHUNK]; n] }
    }

    /// One forward and one backward pass carrying z for each of `zs` (at
    /// most [`CHUNK`]): `before[v]` is the sum over prefixes arriving at v
    /// (entry share excluded) of P × z^(dividing steps), `after[v]` the same
    /// over suffixes leaving v; v itself is in neither.
    fn sweep(&mut self, game: &Game<'_>, roles: &[Role], zs: &[f64]) {
        let c = zs.len();
        let mut ones: Row = [1.0; CHUNK];
        ones[c..].iter_mut().for_each(|x| *x = 0.0);
        let mut powers: Row = [0.0; CHUNK];
        powers[..c].copy_from_slice(zs);
        let factor = |u: StepIx| match roles[u] {
            Role::Blocks => None,
            Role::Passes => Some(&ones),
            Role::Divides => Some(&powers),
        };
        self.before.iter_mut().for_each(|row| *row = [0.0; CHUNK]);
        for &v in game.order {
            let Some(g) = factor(v) else { continue };
            let entry = game.entry[v];
            let here = &self.before[v];
            let carried: Row = std::array::from_fn(|k| (here[k] + entry) * g[k]);
            for &(f, to) in game.graph.outgoing(v) {
                let s = game.share[f];
                let dst = &mut self.before[to];
                for k in 0..CHUNK {
                    dst[k] += s * carried[k];
                }
            }
        }
        for &v in game.order.iter().rev() {
            let out = game.graph.outgoing(v);
            if out.is_empty() {
                self.after[v] = ones;
                continue;
            }
            let mut sum: Row = [0.0; CHUNK];
            for &(f, to) in out {
                let Some(g) = factor(to) else { continue };
                let s = game.share[f];
                let src = &self.after[to];
                for k in 0..CHUNK {
                    sum[k] += s * g[k] * src[k];
                }
            }
            self.after[v] = sum;
        }
    }

    /// The sum over the paths through `v` of P × z^(dividing steps other
    /// than v), for the `k`-th node of the last sweep.
    fn through(&self, game: &Game<'_>, v: StepIx, k: usize) -> f64 {
        (self.before[v][k] + game.entry[v]) * self.after[v][k]
    }

    /// How many quadrature nodes leave out less than [`TAIL`] of any sharing
    /// step's integral: the nodes integrate z^N exactly up to N = 2q − 1, and
    /// the mass of paths with more dividing steps than that is at most
    /// E[r^N] / r^(2q) for any r ≥ 1 (Chernoff's bound), E[r^N] from one
    /// sweep at r. On long paths this is far fewer nodes than the degree.
    fn nodes_needed(&mut self, game: &Game<'_>, roles: &[Role], sharing: &[StepIx]) -> usize {
        const R: [f64; 2] = [1.5, 2.0];
        self.sweep(game, roles, &R);
        R.iter()
            .enumerate()
            .map(|(k, r)| {
                let most = sharing.iter().map(|&v| self.through(game, v, k)).fold(0.0, f64::max);
                if !most.is_finite() {
                    return usize::MAX;
                }
                // most × r^(−2q) ≤ TAIL
                let q = ((most.ln() - TAIL.ln()) / (2.0 * r.ln())).ceil();
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "positive and small")]
                let q = q.max(1.0) as usize;
                q
            })
            .min()
            .unwrap_or(usize::MAX)
    }

    /// Width × ∫ (prefix sum × suffix sum) dz for each sharing step, the
    /// integral by the quadrature `(z, w)` in chunks of nodes: one row per
    /// chunk, each in the order of `sharing`.
    fn integrate(
        &mut self,
        game: &Game<'_>,
        roles: &[Role],
        (z, w): (&[f64], &[f64]),
        sharing: &[StepIx],
        width: f64,
    ) -> Vec<Vec<f64>> {
        let mut rows = Vec::new();
        for (zs, ws) in z.chunks(CHUNK).zip(w.chunks(CHUNK)) {
            self.sweep(game, roles, zs);
            let row = sharing.iter().map(|&v| {
                let integral: f64 = ws.iter().enumerate().map(|(k, w)| w * self.through(game, v, k)).sum();
                width * integral
            });
            rows.push(row.collect());
        }
        rows
    }
}

/// Gauss–Legendre rules on [0, 1], computed once per size.
#[derive(Default)]
struct Quadrature {
    rules: Vec<(usize, Vec<f64>, Vec<f64>)>,
}

impl Quadrature {
    /// The `q`-node rule: exact for polynomials of degree up to 2q − 1.
    fn get(&mut self, q: usize) -> (&[f64], &[f64]) {
        let i = match self.rules.iter().position(|(size, _, _)| *size == q) {
            Some(i) => i,
            None => {
                let (z, w) = gauss_legendre(q);
                self.rules.push((q, z, w));
                self.rules.len() - 1
            }
        };
        let (_, z, w) = &self.rules[i];
        (z, w)
    }
}

/// The nodes and weights of the `q`-point Gauss–Legendre rule, mapped from
/// [−1, 1] onto [0, 1]. Each node is a root of the Legendre polynomial P_q,
/// found by Newton's method from the usual cosine estimate; P_q and its
/// derivative come from the three-term recurrence.
fn gauss_legendre(q: usize) -> (Vec<f64>, Vec<f64>) {
    let mut z = vec![0.0; q];
    let mut w = vec![0.0; q];
    #[allow(clippy::cast_precision_loss, reason = "q is at most a few thousand")]
    let qf = q as f64;
    for i in 0..q.div_ceil(2) {
        #[allow(clippy::cast_precision_loss, reason = "i < q")]
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (qf + 0.5)).cos();
        let mut derivative = 1.0;
        for _ in 0..100 {
            let (p, dp) = legendre(q, x);
            derivative = dp;
            let step = p / dp;
            x -= step;
            if step.abs() <= 1e-15 {
                break;
            }
        }
        let (_, dp) = legendre(q, x);
        if dp.is_finite() {
            derivative = dp;
        }
        let weight = 2.0 / ((1.0 - x * x) * derivative * derivative);
        // x and −x are both roots, with the same weight; halve for [0, 1].
        z[i] = (1.0 - x) / 2.0;
        z[q - 1 - i] = (1.0 + x) / 2.0;
        w[i] = weight / 2.0;
        w[q - 1 - i] = weight / 2.0;
    }
    (z, w)
}

/// P_q(x) and P_q'(x).
fn legendre(q: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=q {
        #[allow(clippy::cast_precision_loss, reason = "k <= q")]
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    let p = if q == 0 { 1.0 } else { p1 };
    let p_prev = if q == 0 { 0.0 } else { p0 };
    #[allow(clippy::cast_precision_loss, reason = "q is small")]
    let dp = q as f64 * (x * p - p_prev) / (x * x - 1.0);
    (p, dp)
}

#[cfg(test)]
mod tests {
    use super::gauss_legendre;

    #[test]
    fn the_rule_integrates_polynomials_up_to_its_degree_exactly() {
        for q in [1, 2, 3, 7, 16, 40, 151] {
            let (z, w) = gauss_legendre(q);
            for k in 0..2 * q {
                #[allow(clippy::cast_precision_loss, reason = "small")]
                let exact = 1.0 / (k as f64 + 1.0);
                let rule: f64 = z.iter().zip(&w).map(|(z, w)| w * z.powi(i32::try_from(k).unwrap_or(0))).sum();
                assert!((rule - exact).abs() < 1e-13, "q = {q}, z^{k}: {rule} vs {exact}");
            }
        }
    }
}
