//! Score levels ranked toward one extreme: the worst moment or the best.
//!
//! The remembered score of a path rests on its worst and its best moment
//! (`docs/experience-model.md`). Give each distinct score of the map a rank,
//! increasing toward the extreme in question (lower scores for the worst,
//! higher for the best); then the worst (or best) of a path is the highest
//! rank met along it, and that of a prefix followed by a suffix is the larger
//! of their two ranks. The engine keeps one such ranking for each extreme.

use std::cmp::Ordering;

/// Neutral score: neither pleased nor displeased. Below it a moment is bad.
pub const NEUTRAL: f64 = 3.0;

/// Which extreme a ranking runs toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extreme {
    /// Lower scores rank higher: the path's worst moment.
    Worst,
    /// Higher scores rank higher: the path's best moment.
    Best,
}

impl Extreme {
    /// `Greater` when `a` is further toward this extreme than `b`.
    #[must_use]
    pub fn cmp(self, a: f64, b: f64) -> Ordering {
        match self {
            Self::Worst => b.total_cmp(&a),
            Self::Best => a.total_cmp(&b),
        }
    }

    /// The more extreme of two scores.
    #[must_use]
    pub fn of(self, a: f64, b: f64) -> f64 {
        if self.cmp(a, b) == Ordering::Greater { a } else { b }
    }
}

/// The distinct scores of a map, ranked toward one extreme. Rank 0 stands for
/// "no scored moment yet"; the score at index `i` has rank `i + 1`.
#[derive(Debug, Clone)]
pub struct Levels {
    scores: Vec<f64>,
    extreme: Extreme,
}

impl Levels {
    /// Levels for these scores (duplicates allowed).
    #[must_use]
    pub fn new(scores: impl IntoIterator<Item = f64>, extreme: Extreme) -> Self {
        let mut scores: Vec<f64> = scores.into_iter().collect();
        scores.sort_by(|a, b| extreme.cmp(*a, *b));
        scores.dedup_by(|a, b| a.total_cmp(b) == Ordering::Equal);
        Self { scores, extreme }
    }

    /// Number of ranks, "none" included.
    #[must_use]
    pub fn ranks(&self) -> usize {
        self.scores.len() + 1
    }

    /// The rank of a score that is one of the levels.
    #[must_use]
    pub fn rank(&self, score: f64) -> Option<usize> {
        self.scores.binary_search_by(|probe| self.extreme.cmp(*probe, score)).ok().map(|i| i + 1)
    }

    /// The score of rank `r >= 1`.
    #[must_use]
    pub fn score(&self, rank: usize) -> f64 {
        self.scores[rank - 1]
    }

    /// The extreme of a moment of rank `r` (0 = none) and a moment of score
    /// `x` that need not be a level.
    #[must_use]
    pub fn extreme_with(&self, rank: usize, x: f64) -> f64 {
        if rank > 0 { self.extreme.of(self.score(rank), x) } else { x }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_ranks_low_scores_highest_and_the_best_high_ones() {
        let worst = Levels::new([4.0, 2.0, 3.0, 4.0], Extreme::Worst);
        assert_eq!(worst.ranks(), 4);
        assert_eq!((worst.rank(4.0), worst.rank(3.0), worst.rank(2.0)), (Some(1), Some(2), Some(3)));
        let best = Levels::new([4.0, 2.0, 3.0, 4.0], Extreme::Best);
        assert_eq!((best.rank(2.0), best.rank(3.0), best.rank(4.0)), (Some(1), Some(2), Some(3)));
        assert_eq!(best.rank(3.5), None);
    }

    #[test]
    fn an_extreme_combines_a_rank_with_a_new_score() {
        let worst = Levels::new([2.0, 4.0], Extreme::Worst);
        assert_eq!(worst.extreme_with(0, 4.5), 4.5);
        assert_eq!(worst.extreme_with(worst.rank(2.0).unwrap(), 4.5), 2.0);
        assert_eq!(worst.extreme_with(worst.rank(4.0).unwrap(), 1.5), 1.5);
        let best = Levels::new([2.0, 4.0], Extreme::Best);
        assert_eq!(best.extreme_with(best.rank(4.0).unwrap(), 4.5), 4.5);
        assert_eq!(best.extreme_with(best.rank(4.0).unwrap(), 1.5), 4.0);
    }
}
