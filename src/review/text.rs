//! A comparison and a review list in words, for the terminal.

use std::fmt::Write as _;

use super::{Change, Comparison, Review, Schedule};
use crate::model::SlaStatus;

/// One line per review: number, date, name, participants, figures.
#[must_use]
pub fn list(reviews: &[Review], schedule: &Schedule) -> String {
    let mut out = String::new();
    if reviews.is_empty() {
        out.push_str("No reviews yet.\n");
    }
    for r in reviews {
        let f = &r.figures;
        let _ = writeln!(
            out,
            "{:>3}  {}  {}  remembered {}, average {}, agreements met {}; {} participant(s)",
            r.seq,
            r.taken_on,
            r.name,
            score(f.remembered),
            score(f.average),
            percent(f.sla_compliance()),
            r.participants.len()
        );
    }
    let _ = writeln!(out, "{}", schedule.message);
    out
}

/// The comparison as a short report.
#[must_use]
pub fn comparison(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "From \"{}\" ({}) to \"{}\" ({})", c.before, c.before_date, c.after, c.after_date);
    let _ = writeln!(out, "  remembered experience  {}", change(&c.remembered, score));
    let _ = writeln!(out, "  average experience     {}", change(&c.average, score));
    let _ = writeln!(out, "  agreements met         {}", change(&c.sla_compliance, percent));
    let mut section = |title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title} ({})", lines.len());
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    };
    section("Steps added", c.steps_added.iter().map(|s| s.title.clone()).collect());
    section("Steps removed", c.steps_removed.iter().map(|s| s.title.clone()).collect());
    section(
        "Re-scored",
        c.rescored.iter().map(|r| format!("{}: {} → {}", r.title, score(r.before), score(r.after))).collect(),
    );
    section("Pain points opened", c.pain_opened.iter().map(|p| format!("{} (at {})", p.text, p.step_title)).collect());
    section(
        "Pain points resolved",
        c.pain_resolved
            .iter()
            .map(|p| {
                format!("{} (at {}){}", p.text, p.step_title, if p.removed { ", removed from the map" } else { "" })
            })
            .collect(),
    );
    section(
        "Agreements that moved",
        c.agreements_moved
            .iter()
            .map(|m| {
                format!(
                    "{} → {} ({} to {}): {} → {}",
                    m.from_title,
                    m.to_title,
                    m.provider_name,
                    m.receiver_name,
                    status(m.before),
                    status(m.after)
                )
            })
            .collect(),
    );
    section("Commitments done", c.commitments_done.iter().map(|x| x.action.clone()).collect());
    section(
        "Commitments overdue",
        c.commitments_overdue
            .iter()
            .map(|x| {
                let due = x.due.map(|d| format!(", due {d}")).unwrap_or_default();
                let owner = x.owner.as_ref().map(|o| format!(" ({o})")).unwrap_or_default();
                format!("{}{owner}{due}", x.action)
            })
            .collect(),
    );
    out
}

/// "3.9 → 4.2 (+0.3)".
#[must_use]
pub fn change(c: &Change, fmt: fn(Option<f64>) -> String) -> String {
    let delta = match c.delta {
        Some(d) if d.abs() < 0.0005 => " (no change)".to_owned(),
        Some(d) => {
            let d = fmt(Some(d.abs()));
            format!(" ({}{d})", if c.delta.is_some_and(|x| x > 0.0) { "+" } else { "−" })
        }
        None => String::new(),
    };
    format!("{} → {}{delta}", fmt(c.before), fmt(c.after))
}

/// A score to two decimals, or a dash.
#[must_use]
pub fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2}"))
}

/// A share as a whole percentage, or a dash.
#[must_use]
pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.0}%", x * 100.0))
}

/// "met", "breached", "unmeasured".
#[must_use]
pub fn status(s: SlaStatus) -> &'static str {
    match s {
        SlaStatus::Met => "met",
        SlaStatus::Breached => "breached",
        SlaStatus::Unmeasured => "unmeasured",
    }
}
