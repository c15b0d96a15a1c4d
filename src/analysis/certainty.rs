//! How sure the ranking is (`docs/experience-model.md`, "How sure the
//! ranking is"): the figures a resampling gives each weak spot, and their
//! words. The resampling itself draws on survey answers and participants'
//! ratings and lives with the evidence (`waymark-evidence`); the core keeps
//! what the window, the report and `analyze` show.

use serde::Serialize;

use super::Analysis;

/// The certainty of a map's ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Certainty {
    /// Resamples drawn.
    pub resamples: u32,
    /// The seed they were drawn with: the same seed gives the same figures.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub seed: u64,
    /// What was drawn, in words ("25,976 survey respondents").
    pub drawn: Vec<String>,
    /// Per weak spot of the map's own ranking, in its order.
    pub steps: Vec<RankCertainty>,
    /// Weak spots whose order flips in at least 20% of resamples.
    pub too_close: Vec<TooClose>,
}

/// One weak spot's rank across the resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RankCertainty {
    /// The step.
    pub id: String,
    /// The share of resamples in which it is weak spot 1.
    pub p_first: f64,
    /// The share in which it is among the first three.
    pub p_top3: f64,
    /// Its rank's 5th and 95th percentiles (nearest rank, outward); a
    /// resample in which it is no weak spot ranks it one past the last.
    pub rank_interval: [u32; 2],
}

/// Two weak spots too close to order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TooClose {
    /// The one ranked higher on the map's own figures.
    pub first: String,
    /// The one ranked lower.
    pub second: String,
    /// The share of resamples in which their order flips.
    pub flips: f64,
}

impl Certainty {
    /// A weak spot's certainty, when it has one.
    #[must_use]
    pub fn of(&self, id: &str) -> Option<&RankCertainty> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The ranking's certainty in sentences: the first weak spot's share of
    /// resamples, and the pairs too close to order, by title.
    #[must_use]
    pub fn words(&self, analysis: &Analysis) -> Vec<String> {
        let title = |id: &str| {
            analysis.weak_spots.iter().find(|w| w.id == id).map_or_else(|| id.to_owned(), |w| w.title.clone())
        };
        let mut out = Vec::new();
        if let Some(first) = self.steps.first() {
            out.push(format!(
                "{} is first in {} of {} resamples ({}).",
                title(&first.id),
                percent(first.p_first),
                self.resamples,
                self.drawn.join(", ")
            ));
        }
        for pair in &self.too_close {
            out.push(format!(
                "{} and {} are too close to order: they swap places in {} of resamples.",
                title(&pair.first),
                title(&pair.second),
                percent(pair.flips)
            ));
        }
        out
    }

    /// A weak spot's certainty in a few words: "first in 97% of resamples",
    /// "in the first three in 64%".
    #[must_use]
    pub fn short(&self, id: &str) -> Option<String> {
        let c = self.of(id)?;
        let [lo, hi] = c.rank_interval;
        let ranks = if lo == hi { format!("rank {lo}") } else { format!("ranks {lo}–{hi}") };
        Some(format!("first in {}, top three in {} of resamples; {ranks}", percent(c.p_first), percent(c.p_top3)))
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}
