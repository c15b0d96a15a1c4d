//! The portfolio's tables as rows of text, with their column headers: one
//! wording for `waymark portfolio` and for the portfolio's PDF, so a figure
//! reads the same wherever it is printed.

use crate::analysis::percent;
use crate::portfolio::{DepartmentAcross, Journey, MatrixCell, PortfolioWeakSpot};

/// The journeys table's headers.
pub const JOURNEY_COLUMNS: [&str; 8] = [
    "Journey",
    "Steps",
    "Customers a month",
    "Remembered",
    "Average",
    "Worst weak spot",
    "Commitments open (overdue)",
    "Next review",
];

/// A journey's row under [`JOURNEY_COLUMNS`].
#[must_use]
pub fn journey_row(j: &Journey) -> Vec<String> {
    vec![
        format!("{} ({})", j.title, j.source),
        j.steps.to_string(),
        or_dash(j.volume),
        score(j.remembered),
        score(j.average),
        j.worst_weak_spot
            .as_ref()
            .map_or_else(|| "none".to_owned(), |w| format!("{} ({}, share +{:.2})", w.title, w.department, w.share)),
        format!("{} ({})", j.open_commitments, j.overdue_commitments),
        j.review.message.clone(),
    ]
}

/// The departments table's headers.
pub const DEPARTMENT_COLUMNS: [&str; 10] = [
    "Department",
    "Journeys",
    "Customer-facing steps",
    "Mean score",
    "Weak spots (share)",
    "Caused as provider",
    "Handoffs met / breached / unmeasured",
    "Compliance",
    "Open pain points (votes)",
    "Commitments open (overdue)",
];

/// A department's row under [`DEPARTMENT_COLUMNS`].
#[must_use]
pub fn department_row(d: &DepartmentAcross) -> Vec<String> {
    let name =
        if d.spellings.is_empty() { d.name.clone() } else { format!("{} (as {})", d.name, d.spellings.join(", ")) };
    vec![
        name,
        d.journeys.len().to_string(),
        d.frontstage_steps.to_string(),
        score(d.mean_score),
        format!("{} ({:.2})", d.weak_spots, d.weak_spot_share),
        if d.caused_share > 0.0 { format!("{:.2}", d.caused_share) } else { "–".to_owned() },
        format!("{} / {} / {}", d.sla_met, d.sla_breached, d.sla_unmeasured),
        d.sla_compliance.map_or_else(|| "–".to_owned(), percent),
        format!("{} ({})", d.open_pain_points, d.open_votes),
        format!("{} ({})", d.open_commitments, d.overdue_commitments),
    ]
}

/// The weak spots table's headers.
pub const WEAK_SPOT_COLUMNS: [&str; 8] =
    ["#", "Step", "Journey", "Department", "Share", "Alone", "Customers a month", "Customers × share"];

/// A weak spot's row under [`WEAK_SPOT_COLUMNS`]; without a volume, its
/// weight is the share itself and is not shown as customers.
#[must_use]
pub fn weak_spot_row(w: &PortfolioWeakSpot) -> Vec<String> {
    vec![
        w.rank.to_string(),
        w.title.clone(),
        w.journey_title.clone(),
        w.department.clone(),
        format!("{:.2}", w.share),
        format!("{:.2}", w.impact),
        or_dash(w.volume),
        w.volume.map_or_else(|| "–".to_owned(), |_| format!("{:.0}", w.weight)),
    ]
}

/// The internal service table's headers.
pub const MATRIX_COLUMNS: [&str; 6] =
    ["Provider", "Receiver", "Journeys", "Met / breached / unmeasured", "Promised (measured)", "Actual"];

/// A pair of departments' row under [`MATRIX_COLUMNS`].
#[must_use]
pub fn matrix_row(c: &MatrixCell) -> Vec<String> {
    let measured = c.met + c.breached > 0;
    let minutes = |m: f64| if measured { crate::analysis::duration(m) } else { "–".into() };
    vec![
        c.provider.clone(),
        c.receiver.clone(),
        c.journeys.len().to_string(),
        format!("{} / {} / {}", c.met, c.breached, c.unmeasured),
        minutes(c.measured_promised_minutes),
        minutes(c.actual_minutes),
    ]
}

fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2}"))
}

fn or_dash(x: Option<u32>) -> String {
    x.map_or_else(|| "–".to_owned(), |v| v.to_string())
}
