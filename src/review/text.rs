//! A comparison and a review list in words, for the terminal.

use std::fmt::Write as _;

use super::{Change, CommitmentRef, Comparison, Review, Schedule};
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

/// One list of a comparison: its title and, per entry, what and how.
pub struct Section {
    /// "Re-scored".
    pub title: &'static str,
    /// ("Photo line and camera", "2.20 → 3.80").
    pub entries: Vec<(String, String)>,
}

/// The lists of a comparison that have entries, in the order a review reads
/// them; shared by the CLI and the report so both say the same thing.
#[must_use]
pub fn sections(c: &Comparison) -> Vec<Section> {
    let plain = |s: &String| (s.clone(), String::new());
    let all = [
        ("Steps added", c.steps_added.iter().map(|s| plain(&s.title)).collect()),
        ("Steps removed", c.steps_removed.iter().map(|s| plain(&s.title)).collect()),
        (
            "Re-scored",
            c.rescored.iter().map(|r| (r.title.clone(), format!("{} → {}", score(r.before), score(r.after)))).collect(),
        ),
        (
            "Pain points opened",
            c.pain_opened.iter().map(|p| (p.text.clone(), format!("at {}", p.step_title))).collect(),
        ),
        (
            "Pain points resolved",
            c.pain_resolved
                .iter()
                .map(|p| {
                    let removed = if p.removed { ", removed from the map" } else { "" };
                    (p.text.clone(), format!("at {}{removed}", p.step_title))
                })
                .collect(),
        ),
        (
            "Agreements that moved",
            c.agreements_moved
                .iter()
                .map(|m| {
                    (
                        format!("{} → {}", m.from_title, m.to_title),
                        format!(
                            "{} to {}: {} → {}",
                            m.provider_name,
                            m.receiver_name,
                            status(m.before),
                            status(m.after)
                        ),
                    )
                })
                .collect(),
        ),
        (
            "Compliance measured from logs",
            c.compliance_changed
                .iter()
                .map(|m| {
                    let pct = crate::analysis::percent;
                    (
                        format!("{} → {}", m.from_title, m.to_title),
                        format!(
                            "{} of {} → {} of {} within the promise ({}–{} then, {}–{} now): {}",
                            pct(m.before),
                            m.before_n,
                            pct(m.after),
                            m.after_n,
                            pct(m.before_interval[0]),
                            pct(m.before_interval[1]),
                            pct(m.after_interval[0]),
                            pct(m.after_interval[1]),
                            if m.beyond_noise { "larger than the intervals" } else { "within the noise" }
                        ),
                    )
                })
                .collect(),
        ),
        ("Commitments done", c.commitments_done.iter().map(|x| (x.action.clone(), owner_due(x))).collect()),
        ("Commitments overdue", c.commitments_overdue.iter().map(|x| (x.action.clone(), owner_due(x))).collect()),
    ];
    all.into_iter()
        .filter(|(_, entries): &(_, Vec<_>)| !entries.is_empty())
        .map(|(title, entries)| Section { title, entries })
        .collect()
}

/// "Marta Silva, due 2026-10-30".
fn owner_due(c: &CommitmentRef) -> String {
    let due = c.due.map(|d| format!("due {d}"));
    [c.owner.clone(), due].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// The comparison as a short report.
#[must_use]
pub fn comparison(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "From \"{}\" ({}) to \"{}\" ({})", c.before, c.before_date, c.after, c.after_date);
    if let Some(note) = &c.model_note {
        let _ = writeln!(out, "  Note: {note}");
    }
    let _ = writeln!(out, "  remembered experience  {}", change(&c.remembered, score));
    let _ = writeln!(out, "  average experience     {}", change(&c.average, score));
    let _ = writeln!(out, "  agreements met         {}", change(&c.sla_compliance, percent));
    for section in sections(c) {
        let _ = writeln!(out, "{} ({})", section.title, section.entries.len());
        for (what, how) in section.entries {
            if how.is_empty() {
                let _ = writeln!(out, "  {what}");
            } else {
                let _ = writeln!(out, "  {what}: {how}");
            }
        }
    }
    out
}

/// "3.41 → 4.45 (+1.04)", with `fmt` one of [`score`] or [`percent`].
///
/// Both show a figure to hundredths (a score to two decimals, a share as a
/// whole percentage), and the change given is the one between the figures as
/// shown: a reader who subtracts 3.41 from 4.45 must get what is printed,
/// even when the unrounded values (3.414 and 4.446) differ by 1.03.
#[must_use]
pub fn change(c: &Change, fmt: fn(Option<f64>) -> String) -> String {
    let shown = c.before.zip(c.after).map(|(b, a)| hundredths(a) - hundredths(b));
    let delta = match shown {
        Some(d) if d.abs() < 0.005 => " (no change)".to_owned(),
        Some(d) => format!(" ({}{})", if d > 0.0 { "+" } else { "−" }, fmt(Some(d.abs()))),
        None => String::new(),
    };
    format!("{} → {}{delta}", fmt(c.before), fmt(c.after))
}

/// `x` rounded to hundredths, halves away from zero. Rust's `{:.2}` rounds
/// an exact half to even (3.125 → "3.12") and JavaScript's `toFixed` does
/// not, so every figure is rounded here first, as the window rounds it, and
/// the CLI, the report and the window print the same digits.
fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A score to two decimals, or a dash.
#[must_use]
pub fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.2}", hundredths(x)))
}

/// A share as a whole percentage, or a dash.
#[must_use]
pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.0}%", hundredths(x) * 100.0))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn of(before: f64, after: f64) -> Change {
        Change { before: Some(before), after: Some(after), delta: Some(after - before) }
    }

    #[test]
    fn a_change_is_the_difference_of_the_figures_as_shown() {
        assert_eq!(change(&of(3.414, 4.446), score), "3.41 → 4.45 (+1.04)");
        assert_eq!(change(&of(4.446, 3.414), score), "4.45 → 3.41 (−1.04)");
        assert_eq!(change(&of(3.601, 3.604), score), "3.60 → 3.60 (no change)");
        assert_eq!(change(&of(0.504, 0.756), percent), "50% → 76% (+26%)");
        // An exact half rounds up, as in the window, for the figure and the change alike.
        assert_eq!(change(&of(3.0, 3.125), score), "3.00 → 3.13 (+0.13)");
        assert_eq!(change(&of(0.0, 0.125), percent), "0% → 13% (+13%)");
        let none = Change { before: None, after: Some(0.5), delta: None };
        assert_eq!(change(&none, percent), "– → 50%");
    }
}
