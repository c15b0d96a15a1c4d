//! Path mass by worst (or best) moment, without listing paths.
//!
//! A map of a few hundred steps with branches has more entry-to-exit paths than
//! could ever be listed, yet every quantity of the model is a sum over paths.
//! Each path splits at any step v into a prefix (entry to v) and a suffix (v to
//! exit) whose probabilities multiply, and whose extremes combine by `max` of
//! their ranks (see [`super::extremes`]). So one forward pass over the acyclic
//! flow graph gives, for every step, the mass of prefixes arriving there by
//! extreme-so-far, and one backward pass gives the mass of suffixes leaving it
//! by their extreme. Both are linear in the size of the map times the number
//! of distinct scores. The engine runs them once ranked toward the worst
//! moment and once toward the best.

use crate::graph::{FlowGraph, StepIx};

/// Per-step prefix and suffix mass, by extreme rank (0 = no scored moment).
#[derive(Debug)]
pub struct PathMass {
    ranks: usize,
    /// `into[v * ranks + r]`: mass of prefixes from an entry up to, not
    /// including, `v`, whose extreme has rank `r`.
    into: Vec<f64>,
    /// `after[v * ranks + r]`: mass of suffixes from after `v` to an exit,
    /// whose extreme has rank `r`.
    after: Vec<f64>,
    /// Mass of whole paths by extreme rank.
    paths: Vec<f64>,
}

impl PathMass {
    /// Runs both passes. `rank[v]` is the rank of step v's score, or
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

    /// Prefix mass arriving at `v`, by rank.
    #[must_use]
    pub fn arriving(&self, v: StepIx) -> &[f64] {
        &self.into[v * self.ranks..(v + 1) * self.ranks]
    }

    /// Suffix mass leaving `v`, by rank.
    #[must_use]
    pub fn after(&self, v: StepIx) -> &[f64] {
        &self.after[v * self.ranks..(v + 1) * self.ranks]
    }

    /// Whole-path mass by extreme rank.
    #[must_use]
    pub fn paths(&self) -> &[f64] {
        &self.paths
    }
}

/// Passes a distribution over extreme ranks through a step: a scored step of rank
/// `r` moves all mass below `r` up to `r`. Writes into `out`.
fn lift(dist: &[f64], rank: Option<usize>, out: &mut [f64]) {
    out.copy_from_slice(dist);
    if let Some(r) = rank {
        let below: f64 = out[..r].iter().sum();
        out[..r].iter_mut().for_each(|x| *x = 0.0);
        out[r] += below;
    }
}
