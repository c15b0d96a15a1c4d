//! The service charter: what the organisation promises its customers, stage by
//! stage. Internal agreements exist to keep these promises, so the analysis
//! checks each one against the handoffs that feed it.

use serde::{Deserialize, Serialize};

/// One external promise: what a customer may expect at a stage, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CharterPromise {
    /// Unique among the charter's promises.
    pub id: String,
    /// The stage the promise is made for.
    pub stage: String,
    /// The promise in the customer's words ("Your new card is printed while you wait").
    pub text: String,
    /// The time it is kept within, counted from the customer entering the
    /// stage; a promise of quality alone has none.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "super::minutes::serialize_some")]
    pub within_minutes: Option<f64>,
}
