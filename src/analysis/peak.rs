//! The peak order: which of two moments a customer remembers as the peak.
//!
//! A moment's intensity is how far its score lies from neutral (3), with bad
//! moments weighted by the map's negativity. The peak of a sequence is the most
//! intense score; on a tie the lower score wins. That makes "more peak-like" a
//! total order on score values, and the engine works with ranks in that order:
//! the peak of a path is the highest rank met along it, so combining a prefix
//! and a suffix is just `max`.

use std::cmp::Ordering;

/// Neutral score: neither pleased nor displeased.
pub const NEUTRAL: f64 = 3.0;

/// How intense a moment of score `s` is, under negativity weight `n`.
#[must_use]
pub fn intensity(s: f64, negativity: f64) -> f64 {
    if s >= NEUTRAL { s - NEUTRAL } else { (NEUTRAL - s) * negativity }
}

/// Compares two scores as peaks: `Greater` when `a` would be the peak over `b`.
#[must_use]
pub fn cmp_peak(a: f64, b: f64, negativity: f64) -> Ordering {
    intensity(a, negativity).total_cmp(&intensity(b, negativity)).then_with(|| b.total_cmp(&a))
}

/// The distinct scores of a map in ascending peak order. Rank 0 stands for "no
/// scored moment yet"; the score at index `i` has rank `i + 1`.
#[derive(Debug, Clone)]
pub struct Levels {
    scores: Vec<f64>,
    negativity: f64,
}

impl Levels {
    /// Levels for these scores (duplicates allowed).
    #[must_use]
    pub fn new(scores: impl IntoIterator<Item = f64>, negativity: f64) -> Self {
        let mut scores: Vec<f64> = scores.into_iter().collect();
        scores.sort_by(|a, b| cmp_peak(*a, *b, negativity));
        scores.dedup_by(|a, b| a.total_cmp(b) == Ordering::Equal);
        Self { scores, negativity }
    }

    /// Number of ranks, "none" included.
    #[must_use]
    pub fn ranks(&self) -> usize {
        self.scores.len() + 1
    }

    /// The rank of a score that is one of the levels.
    #[must_use]
    pub fn rank(&self, score: f64) -> Option<usize> {
        self.scores.binary_search_by(|probe| cmp_peak(*probe, score, self.negativity)).ok().map(|i| i + 1)
    }

    /// The score of rank `r >= 1`.
    #[must_use]
    pub fn score(&self, rank: usize) -> f64 {
        self.scores[rank - 1]
    }

    /// The peak of a moment of rank `r` (0 = none) and a moment of score `x`
    /// that need not be a level.
    #[must_use]
    pub fn peak_with(&self, rank: usize, x: f64) -> f64 {
        if rank > 0 && cmp_peak(self.score(rank), x, self.negativity) == Ordering::Greater {
            self.score(rank)
        } else {
            x
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_moment_outweighs_a_good_one_of_the_same_size() {
        assert_eq!(cmp_peak(2.0, 4.0, 2.25), Ordering::Greater);
        assert_eq!(cmp_peak(4.0, 2.0, 2.25), Ordering::Less);
    }

    #[test]
    fn on_equal_intensity_the_lower_score_is_the_peak() {
        // With negativity 1, 2.0 and 4.0 are equally intense.
        assert_eq!(cmp_peak(2.0, 4.0, 1.0), Ordering::Greater);
        let levels = Levels::new([4.0, 2.0, 3.0, 4.0], 1.0);
        assert_eq!(levels.ranks(), 4);
        assert_eq!(levels.rank(3.0), Some(1));
        assert_eq!(levels.rank(4.0), Some(2));
        assert_eq!(levels.rank(2.0), Some(3));
    }
}
