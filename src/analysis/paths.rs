//! Path mass by peak, without listing paths.
//!
//! A map of a few hundred steps with branches has more entry-to-exit paths than
//! could ever be listed, yet every quantity of the model is a sum over paths.
//! Each path splits at any step v into a prefix (entry to v) and a suffix (v to
//! exit) whose probabilities multiply, and whose peaks combine by `max` in the
//! peak order (see [`super::peak`]). So one forward pass over the acyclic flow
//! graph gives, for every step, the mass of prefixes arriving there by
//! peak-so-far, and one backward pass gives the mass of suffixes leaving it by
//! suffix peak. Both are linear in the size of the map times the number of
//! distinct scores.

use crate::graph::{FlowGraph, StepIx};

/// Per-step prefix and suffix mass, by peak rank (0 = no scored moment).
#[derive(Debug)]
pub struct PathMass {
    ranks: usize,
    /// `into[v * ranks + r]`: mass of prefixes from an entry up to, not
    /// including, `v`, whose peak has rank `r`.
    into: Vec<f64>,
    /// `after[v * ranks + r]`: mass of suffixes from after `v` to an exit,
    /// whose peak has rank `r`.
    after: Vec<f64>,
    /// Mass of whole paths by peak rank.
    paths: Vec<f64>,
}

impl PathMass {
    /// Runs both passes. `rank[v]` is the peak rank of step v's score, or
    /// `None` for a step that is not a scored perception point. `entry[v]` is
    /// the share of customers starting at v; `share[f]` the resolved share of
    /// flow f. `order` is a topological order of `graph`.
    #[must_use]
    pub fn compute(
        graph: &FlowGraph,
        order: &[StepIx],
        ranks: usize,
        rank: &[Option<usize>],
        entry: &[f64],
        share: &[f64],
    ) -> Self {
        let n = graph.len();
        let mut into = vec![0.0; n * ranks];
        let mut after = vec![0.0; n * ranks];
        let mut paths = vec![0.0; ranks];
        let mut through = vec![0.0; ranks];

        for &v in order {
            let row = v * ranks;
            into[row] += entry[v];
            lift(&into[row..row + ranks], rank[v], &mut through);
            let out = graph.outgoing(v);
            if out.is_empty() {
                for (p, t) in paths.iter_mut().zip(&through) {
                    *p += t;
                }
            }
            for &(f, w) in out {
                let s = share[f];
                let dst = w * ranks;
                for (d, t) in into[dst..dst + ranks].iter_mut().zip(&through) {
                    *d += s * t;
                }
            }
        }

        for &v in order.iter().rev() {
            let row = v * ranks;
            let out = graph.outgoing(v);
            if out.is_empty() {
                after[row] = 1.0;
                continue;
            }
            for &(f, w) in out {
                let s = share[f];
                let src = w * ranks;
                lift(&after[src..src + ranks], rank[w], &mut through);
                for (d, t) in after[row..row + ranks].iter_mut().zip(&through) {
                    *d += s * t;
                }
            }
        }
        Self { ranks, into, after, paths }
    }

    /// Number of ranks, "none" included.
    #[must_use]
    pub fn ranks(&self) -> usize {
        self.ranks
    }

    /// Prefix mass arriving at `v`, by rank.
    #[must_use]
    pub fn into(&self, v: StepIx) -> &[f64] {
        &self.into[v * self.ranks..(v + 1) * self.ranks]
    }

    /// Suffix mass leaving `v`, by rank.
    #[must_use]
    pub fn after(&self, v: StepIx) -> &[f64] {
        &self.after[v * self.ranks..(v + 1) * self.ranks]
    }

    /// Whole-path mass by peak rank.
    #[must_use]
    pub fn paths(&self) -> &[f64] {
        &self.paths
    }
}

/// Passes a distribution over peak ranks through a step: a scored step of rank
/// `r` moves all mass below `r` up to `r`. Writes into `out`.
fn lift(dist: &[f64], rank: Option<usize>, out: &mut [f64]) {
    out.copy_from_slice(dist);
    if let Some(r) = rank {
        let below: f64 = out[..r].iter().sum();
        out[..r].iter_mut().for_each(|x| *x = 0.0);
        out[r] += below;
    }
}
