//! What a map keeps of the evidence it was measured from (`docs/evidence.md`):
//! where each measured figure came from and how many observations stand
//! behind it, so the card, the agreement and the report can say "62% of
//! 412" and a review can freeze the figure with its n. The records
//! themselves (the log's cases) are not kept here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A share counted from a log: `count` of `n` went this way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Counted {
    /// How many went this way (or started here).
    pub count: u32,
    /// Out of how many.
    pub n: u32,
    /// The evidence it came from: a position in [`super::Map::evidence`].
    pub source: u32,
}

/// An agreement's handoff times measured from a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct MeasuredTimes {
    /// Handoffs measured.
    pub n: u32,
    /// Of them, within the promise.
    pub within: u32,
    /// Their median, minutes: the actual time the map shows.
    pub median_minutes: f64,
    /// Their 90th percentile, minutes.
    pub p90_minutes: f64,
    /// Their mean, minutes.
    pub mean_minutes: f64,
    /// The evidence it came from: a position in [`super::Map::evidence`].
    pub source: u32,
}

impl MeasuredTimes {
    /// within / n.
    #[must_use]
    pub fn within_share(&self) -> f64 {
        if self.n > 0 { f64::from(self.within) / f64::from(self.n) } else { 0.0 }
    }

    /// The 95% adjusted-Wald interval of the share within the promise:
    /// p = (within + 1.92) / (n + 3.84), half-width 1.96 × √(p (1 − p) / (n + 3.84)),
    /// clipped to [0, 1].
    #[must_use]
    pub fn interval(&self) -> [f64; 2] {
        let (w, n) = (f64::from(self.within), f64::from(self.n));
        let p = (w + 1.92) / (n + 3.84);
        let half = 1.96 * (p * (1.0 - p) / (n + 3.84)).sqrt();
        [(p - half).max(0.0), (p + half).min(1.0)]
    }
}

/// Where measured figures came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct EvidenceSource {
    /// An event log or a survey.
    pub kind: EvidenceKind,
    /// The file's name.
    pub file: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Cases (a log) or respondents (a survey) it holds.
    pub count: u32,
    /// The first and last instant it records, UTC, for a log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[String; 2]>,
    /// The day it was read.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub read_on: NaiveDate,
}

/// The two kinds of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// An event log of cases.
    Log,
    /// Survey answers of customers.
    Survey,
}

/// A step's score as customers gave it in a survey: the step's score is its
/// mean rounded to one decimal, and these are the figures behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Surveyed {
    /// Answers counted (not-applicable ones left out).
    pub n: u32,
    /// Their mean on 1..5, unrounded.
    pub mean: f64,
    /// Their standard deviation (n − 1).
    pub sd: f64,
    /// The 95% t-interval of the mean; none below 2 answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
    /// The evidence it came from: a position in [`super::Map::evidence`].
    pub source: u32,
    /// The score the workshop had given the step before the survey, kept
    /// beside the measured one; `None` when it had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop_score: Option<f64>,
}

/// Where a map's weights came from when they were fitted to a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CalibrationNote {
    /// The survey's file name.
    pub file: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Respondents the fit counted.
    pub respondents: u32,
    /// `auc` or `pearson`.
    pub metric: String,
    /// Cross-validated score of the fitted weights.
    pub fitted_cv: f64,
    /// Cross-validated score of the average alone (λ = 1).
    pub average_only_cv: f64,
    /// Cross-validated score of version 2's defaults.
    pub version2_cv: f64,
    /// The day it was fitted.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub read_on: NaiveDate,
}

/// A survey's answers as the map keeps them, for resampling (how sure the
/// ranking is) and for reviews after reopening: per respondent, the bound
/// ratings and the overall and segment values, nothing else (no names,
/// addresses, identifiers or comments are ever read into it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    /// The evidence they came from: a position in [`super::Map::evidence`].
    pub source: u32,
    /// The step each rating column is, by id (two columns may be one step).
    pub steps: Vec<String>,
    /// One per respondent, in file order.
    pub respondents: Vec<Answer>,
}

/// One respondent's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Ratings on 1..5 in the order of [`SurveyAnswers::steps`]; `None`
    /// where she gave none or answered "not applicable".
    pub ratings: Vec<Option<f64>>,
    /// Her overall outcome (a binary one: 1 positive, 0 not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall: Option<f64>,
    /// Her segment's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
}

/// An event log's cases as the map keeps them, for resampling the measured
/// shares: per case, the step it started at and the measured flows it took,
/// as positions in two small tables. No case id, activity, time or person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct KeptCases {
    /// The evidence they came from: a position in [`super::Map::evidence`].
    pub source: u32,
    /// The flows measured, by their ends (from step id, to step id).
    pub flows: Vec<[String; 2]>,
    /// The entry steps measured, by id.
    pub entries: Vec<String>,
    /// One per case.
    pub cases: Vec<KeptCase>,
}

/// One case's path through the measured flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct KeptCase {
    /// The entry step it started at: a position in [`KeptCases::entries`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<u32>,
    /// The measured flows it took, in order: positions in [`KeptCases::flows`].
    pub flows: Vec<u32>,
}
