//! Today's date, the one clock the shell reads. The core never reads a clock;
//! the shell passes this day in. `WAYMARK_TODAY=YYYY-MM-DD` fixes it, so the
//! end-to-end tests see the same overdue commitments and due reviews on any day.

use chrono::NaiveDate;

/// Today, or the day `WAYMARK_TODAY` names.
#[must_use]
pub fn today() -> NaiveDate {
    std::env::var("WAYMARK_TODAY")
        .ok()
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
