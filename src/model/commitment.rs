//! Commitments: the actions a workshop agrees on, so the next review can ask
//! whether they were done.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An action agreed in a workshop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// Unique among commitments.
    pub id: String,
    /// What will be done.
    pub action: String,
    /// The named person who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The department that answers for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// When it is due, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub due: Option<NaiveDate>,
    /// The steps and pain points it is meant to improve, by id.
    // Left out of JSON when empty. `default` comes last so that specta marks
    // the field optional (`skip_serializing_if` alone would make it required).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub links: Vec<String>,
    /// Open, doing or done.
    #[serde(default)]
    pub status: CommitmentStatus,
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum CommitmentStatus {
    /// Agreed, not started.
    #[default]
    Open,
    /// Under way.
    Doing,
    /// Done.
    Done,
}

impl Commitment {
    /// Not done yet: still owed, whether or not it is late.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.status != CommitmentStatus::Done
    }

    /// Past its due date and not done, as of `today`. The clock is passed in
    /// so that a test, a snapshot or a comparison can fix the day.
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due.is_some_and(|due| due < today)
    }
}
