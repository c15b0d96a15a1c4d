//! When the next review is due.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::Map;

/// The map's review rhythm as of a day, with a sentence saying where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Schedule {
    /// Weeks between reviews, when the map sets a cadence.
    pub every_weeks: Option<u32>,
    /// The day of the last review.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub last_review: Option<NaiveDate>,
    /// The day the next review is due: the last review plus the cadence, or
    /// today when a cadence is set and no review was taken yet.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub next_due: Option<NaiveDate>,
    /// Days past the due day; 0 when it is not overdue.
    pub overdue_days: u32,
    /// Where the map stands, in a sentence for the window, the CLI and the report.
    pub message: String,
}

/// The schedule of `map` whose last review was `last_review`, as of `today`.
#[must_use]
pub fn schedule(map: &Map, last_review: Option<NaiveDate>, today: NaiveDate) -> Schedule {
    let every_weeks = map.review_every_weeks;
    let next_due = next_due(every_weeks, last_review, today);
    let days = next_due.map_or(0, |due| (today - due).num_days());
    let overdue_days = u32::try_from(days.max(0)).unwrap_or(u32::MAX);
    let message = match (every_weeks, last_review, next_due) {
        (None, None, _) => "No review yet, and no review cadence set.".to_owned(),
        (None, Some(last), _) => format!("Last reviewed on {last}; no review cadence set."),
        (Some(w), None, _) => format!("No review yet: the first is due now, then every {w} weeks."),
        (Some(_), Some(_), Some(due)) if days > 0 => {
            format!("Review overdue by {} (it was due on {due}).", plural(days, "day"))
        }
        (Some(_), Some(_), Some(due)) if days == 0 => format!("Review due today ({due})."),
        (Some(_), Some(_), Some(due)) => format!("Next review due on {due}, in {}.", plural(-days, "day")),
        (Some(_), Some(last), None) => format!("Last reviewed on {last}; the next date is out of range."),
    };
    Schedule { every_weeks, last_review, next_due, overdue_days, message }
}

/// The day the next review is due with a cadence of `every_weeks` and the
/// last review on `last_review`: the last plus the cadence, today when a
/// cadence is set and no review was taken yet, none without a cadence.
#[must_use]
pub fn next_due(every_weeks: Option<u32>, last_review: Option<NaiveDate>, today: NaiveDate) -> Option<NaiveDate> {
    match (every_weeks, last_review) {
        (Some(w), Some(last)) => last.checked_add_days(Days::new(u64::from(w) * 7)),
        (Some(_), None) => Some(today),
        (None, _) => None,
    }
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
