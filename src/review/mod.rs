//! Periodic reviews: a team comes back to its map every few weeks and asks
//! whether the service got better.
//!
//! A review freezes the whole map, with the analysis figures of that day, as a
//! [`Snapshot`] inside the same `.waymark` file (see [`crate::store`]). Two
//! snapshots, or a snapshot and the map as it is now, are compared by
//! [`compare`]; all snapshots in a row make the [`trend`]. Dates are
//! `chrono::NaiveDate` and "today" is always an argument, never read from the
//! clock here, so tests, the CLI (`--date`) and the app agree on the day.

mod compare;
mod schedule;
pub mod text;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::analysis::analyze_on;
use crate::model::Map;

pub use compare::{AgreementMove, Change, CommitmentRef, Comparison, PainRef, Rescore, StepRef, compare};
pub use schedule::{Schedule, next_due, schedule};

/// The figures a review records, as computed on the day it was taken.
///
/// Kept beside the map rather than recomputed, so that a later Waymark with a
/// refined analysis still shows what the team saw then. Every field has a
/// default so that later versions can add figures and still read these.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Figures {
    /// Remembered experience; `None` when nothing is scored or the map was invalid.
    pub remembered: Option<f64>,
    /// Average experience.
    pub average: Option<f64>,
    /// Agreements on handoffs that were met.
    pub sla_met: u32,
    /// Agreements with a measured time.
    pub sla_measured: u32,
    /// Agreements without one.
    pub sla_unmeasured: u32,
    /// Weak spots under the peak-end model.
    pub weak_spots: u32,
    /// Pain points not resolved.
    pub open_pain_points: u32,
    /// Commitments not done.
    pub open_commitments: u32,
    /// Commitments past due on that day.
    pub overdue_commitments: u32,
    /// False when the map had errors and could not be analysed.
    pub analysed: bool,
    /// The experience model the figures were computed with
    /// ([`crate::analysis::MODEL_VERSION`]); reviews recorded before the
    /// figures named it were taken under version 1.
    #[serde(default = "first_model")]
    pub model: u32,
}

fn first_model() -> u32 {
    1
}

impl Figures {
    /// The figures of `map` as of `today`.
    #[must_use]
    pub fn of(map: &Map, today: NaiveDate) -> Self {
        Self::from_analysis(map, analyze_on(map, today).ok().as_ref(), today)
    }

    /// The figures of `map` from its analysis (`None` when the map is
    /// invalid), for a caller that has already analysed it.
    #[must_use]
    pub fn from_analysis(map: &Map, analysis: Option<&crate::analysis::Analysis>, today: NaiveDate) -> Self {
        let mut f = Self {
            remembered: analysis.and_then(|a| a.remembered),
            average: analysis.and_then(|a| a.average),
            weak_spots: analysis.map_or(0, |a| count(a.weak_spots.len())),
            analysed: analysis.is_some(),
            model: crate::analysis::MODEL_VERSION,
            open_pain_points: count(map.pain_points.iter().filter(|p| p.is_open()).count()),
            open_commitments: count(map.commitments.iter().filter(|c| c.is_open()).count()),
            overdue_commitments: count(map.overdue_commitments(today).count()),
            ..Self::default()
        };
        // The analysis has already tallied each pair of departments.
        for pair in analysis.into_iter().flat_map(|a| &a.agreements) {
            f.sla_met += pair.met;
            f.sla_measured += pair.met + pair.breached;
            f.sla_unmeasured += pair.unmeasured;
        }
        f
    }

    /// Met over measured agreements; `None` when none is measured.
    #[must_use]
    pub fn sla_compliance(&self) -> Option<f64> {
        (self.sla_measured > 0).then(|| f64::from(self.sla_met) / f64::from(self.sla_measured))
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A review as listed: everything but the frozen map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Review {
    /// Its number in the file, 1 for the first review; never reused.
    pub seq: u32,
    /// What the team called it ("Q3 review").
    pub name: String,
    /// The day it was taken.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub taken_on: NaiveDate,
    /// Who took part.
    pub participants: Vec<String>,
    /// The figures of that day.
    pub figures: Figures,
}

/// A review with the map it froze.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The review.
    pub review: Review,
    /// The whole map as it was.
    pub map: Map,
}

/// One side of a comparison: a snapshot, or the map as it is today.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// "Q3 review" or "now".
    pub label: &'a str,
    /// The day of the snapshot, or today.
    pub date: NaiveDate,
    /// The map.
    pub map: &'a Map,
    /// Its figures on that day.
    pub figures: &'a Figures,
}

impl<'a> Side<'a> {
    /// A snapshot as one side.
    #[must_use]
    pub fn of(snapshot: &'a Snapshot) -> Self {
        Self {
            label: &snapshot.review.name,
            date: snapshot.review.taken_on,
            map: &snapshot.map,
            figures: &snapshot.review.figures,
        }
    }
}

/// Everything the window and the report say about reviews, as of a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewSummary {
    /// Every review, oldest first.
    pub reviews: Vec<Review>,
    /// When the next one is due.
    pub schedule: Schedule,
    /// From the last review to now; `None` before the first review.
    pub since_last: Option<Comparison>,
    /// Each review's figures, then today's.
    pub trend: Vec<TrendPoint>,
    /// Today's figures.
    pub now: Figures,
    /// The ids of the commitments past due and not done today, so the window
    /// flags what the report and the CLI flag without its own idea of "late".
    pub overdue: Vec<String>,
}

impl ReviewSummary {
    /// The summary of `map` with its `reviews`, whose last one is `last`
    /// (already loaded by the caller), as of `today`.
    #[must_use]
    pub fn new(map: &Map, reviews: Vec<Review>, last: Option<&Snapshot>, today: NaiveDate) -> Self {
        Self::with_figures(map, Figures::of(map, today), reviews, last, today)
    }

    /// [`ReviewSummary::new`] with today's figures already computed (from the
    /// analysis the caller made anyway), so an edit is analysed once.
    #[must_use]
    pub fn with_figures(
        map: &Map,
        now: Figures,
        reviews: Vec<Review>,
        last: Option<&Snapshot>,
        today: NaiveDate,
    ) -> Self {
        let here = Side { label: "now", date: today, map, figures: &now };
        let since_last = last.map(|s| compare(Side::of(s), here));
        Self {
            schedule: schedule(map, reviews.last().map(|r| r.taken_on), today),
            // Today alone is no trend: the chart waits for the first review.
            trend: if reviews.is_empty() { Vec::new() } else { trend(&reviews, Some((&now, today))) },
            since_last,
            reviews,
            now,
            overdue: map.overdue_commitments(today).map(|c| c.id.clone()).collect(),
        }
    }
}

/// The review a user means by `key`: its number, or its name (the latest
/// review of that name).
#[must_use]
pub fn find(reviews: &[Review], key: &str) -> Option<u32> {
    if let Ok(seq) = key.parse::<u32>()
        && reviews.iter().any(|r| r.seq == seq)
    {
        return Some(seq);
    }
    reviews.iter().rev().find(|r| r.name == key).map(|r| r.seq)
}

/// One point of the trend: a review's figures, or today's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrendPoint {
    /// The review's name, or "now".
    pub label: String,
    /// Its day.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: NaiveDate,
    /// Remembered experience.
    pub remembered: Option<f64>,
    /// Average experience.
    pub average: Option<f64>,
    /// Met over measured agreements.
    pub sla_compliance: Option<f64>,
}

/// The figures of every review in order, then today's: what the trend chart draws.
#[must_use]
pub fn trend(reviews: &[Review], now: Option<(&Figures, NaiveDate)>) -> Vec<TrendPoint> {
    let point = |label: &str, date, f: &Figures| TrendPoint {
        label: label.to_owned(),
        date,
        remembered: f.remembered,
        average: f.average,
        sla_compliance: f.sla_compliance(),
    };
    reviews
        .iter()
        .map(|r| point(&r.name, r.taken_on, &r.figures))
        .chain(now.map(|(f, date)| point("now", date, f)))
        .collect()
}
