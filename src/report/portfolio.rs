//! The portfolio's PDF, in the report's style: a one-page summary (the worst
//! departments, the worst weak spots by customers × impact, overdue reviews,
//! the worst internal relationships), then the full tables. It has no map
//! drawing; every page is text and tables, tagged as the journey report's.

use crate::analysis::percent;
use crate::portfolio::{DepartmentAcross, Journey, MatrixCell, Portfolio, PortfolioWeakSpot};
use crate::report::pdf::{About, write};
use crate::report::tables::{Column, Flow, Row, Section};
use crate::report::{Paper, Report, ReportError, ReportOptions};

/// Rows of each summary table.
const SUMMARY_ROWS: usize = 5;

/// The portfolio as PDF bytes, on `paper`, dated `date` (`YYYY-MM-DD`).
///
/// # Errors
/// The PDF writer refused (a bug, reported rather than panicked).
pub fn portfolio_pdf(p: &Portfolio, paper: Paper, author: Option<String>) -> Result<Vec<u8>, ReportError> {
    let date = p.today.format("%Y-%m-%d").to_string();
    let options = ReportOptions { paper, date: date.clone(), author: author.clone(), review: None };
    let mut flow = Flow::new(&options);
    flow.title(&format!("Portfolio: {}", p.place), &overview(p));
    let by_volume = p.weak_spots.iter().any(|w| w.volume.is_some());
    let mut worst: Vec<&DepartmentAcross> =
        p.departments.iter().filter(|d| d.weak_spot_impact > 0.0 || d.sla_breached > 0).collect();
    worst.truncate(SUMMARY_ROWS);
    if !worst.is_empty() {
        flow.section(departments(
            "Worst departments",
            Some("The largest summed weak-spot impact first, then the most breached handoffs."),
            worst.into_iter(),
        ));
    }
    if !p.weak_spots.is_empty() {
        let intro = if by_volume {
            "Ranked by customers per month × impact: a weak step of a busy journey before a worse one of a quiet journey."
        } else {
            "Ranked by impact: no journey says how many customers take it a month."
        };
        flow.section(weak_spots("Worst weak spots", intro, p.weak_spots.iter().take(SUMMARY_ROWS)));
    }
    let overdue: Vec<&Journey> = p.journeys.iter().filter(|j| j.review.overdue_days > 0).collect();
    if !overdue.is_empty() {
        flow.section(reviews("Overdue reviews", overdue.into_iter()));
    }
    let breached: Vec<&MatrixCell> = p.matrix.iter().filter(|c| c.breached > 0).take(SUMMARY_ROWS).collect();
    if !breached.is_empty() {
        flow.section(matrix("Worst internal relationships", None, breached.into_iter()));
    }
    flow.break_page();
    if !p.journeys.is_empty() {
        flow.section(journeys(&p.journeys));
        flow.section(departments(
            "Departments across journeys",
            Some("Matched by name across journeys; each figure is the sum of the journeys' own analyses."),
            p.departments.iter(),
        ));
        if !p.weak_spots.is_empty() {
            let title = if by_volume {
                "The organisation's weak spots, by customers × impact"
            } else {
                "The organisation's weak spots, by impact"
            };
            flow.section(weak_spots(title, "Every weak spot of every journey.", p.weak_spots.iter()));
        }
        if !p.matrix.is_empty() {
            flow.section(matrix(
                "Internal service matrix",
                Some("Each pair of departments, provider first, with the agreements between them in every journey; the most breached first."),
                p.matrix.iter(),
            ));
        }
    }
    if !p.skipped.is_empty() {
        flow.section(Section {
            title: "Not counted".into(),
            intro: Some("Found in the portfolio but not read as a journey, with the reason.".into()),
            columns: vec![Column("File or map", 0.35, false), Column("Why", 0.65, false)],
            rows: p.skipped.iter().map(|s| Row::Cells(vec![s.path.clone(), s.reason.clone()])).collect(),
        });
    }
    let report = Report { pages: flow.finish(), map: None };
    let about = About {
        title: format!("Portfolio: {}", p.place),
        description: format!("Waymark portfolio of {} journeys", p.journeys.len()),
        author,
        date,
    };
    write(&report, &about)
}

/// The summary's opening paragraph.
fn overview(p: &Portfolio) -> String {
    let breached: u32 = p.matrix.iter().map(|c| c.breached).sum();
    let overdue = p.journeys.iter().filter(|j| j.review.overdue_days > 0).count();
    let mut text = format!(
        "{} as of {}: {} across {}, {} and {} breached internal service agreement{}.",
        count(p.journeys.len(), "journey"),
        p.today,
        count(p.weak_spots.len(), "weak spot"),
        count(p.departments.len(), "department"),
        if overdue == 0 { "no review overdue".to_owned() } else { format!("{} overdue", count(overdue, "review")) },
        breached,
        if breached == 1 { "" } else { "s" },
    );
    if p.journeys.is_empty() {
        text = format!("No journey could be read as of {}.", p.today);
    }
    if !p.skipped.is_empty() {
        text.push_str(&format!(" {} not counted (listed at the end).", count(p.skipped.len(), "file")));
    }
    text
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2}"))
}

fn journeys(rows: &[Journey]) -> Section {
    Section {
        title: "Journeys".into(),
        intro: Some("Overdue reviews first, then by the day the next review is due.".into()),
        columns: vec![
            Column("Journey", 0.2, false),
            Column("Steps", 0.05, true),
            Column("Customers a month", 0.08, true),
            Column("Remembered", 0.07, true),
            Column("Average", 0.06, true),
            Column("Worst weak spot", 0.22, false),
            Column("Commitments open (overdue)", 0.1, true),
            Column("Next review", 0.22, false),
        ],
        rows: rows
            .iter()
            .map(|j| {
                Row::Cells(vec![
                    format!("{} ({})", j.title, j.source),
                    j.steps.to_string(),
                    j.volume.map_or_else(|| "–".to_owned(), |v| v.to_string()),
                    score(j.remembered),
                    score(j.average),
                    j.worst_weak_spot.as_ref().map_or_else(
                        || "none".to_owned(),
                        |w| format!("{} ({}; +{:.2})", w.title, w.department, w.impact),
                    ),
                    format!("{} ({})", j.open_commitments, j.overdue_commitments),
                    j.review.message.clone(),
                ])
            })
            .collect(),
    }
}

fn departments<'a>(title: &str, intro: Option<&str>, rows: impl Iterator<Item = &'a DepartmentAcross>) -> Section {
    Section {
        title: title.into(),
        intro: intro.map(str::to_owned),
        columns: vec![
            Column("Department", 0.2, false),
            Column("Journeys", 0.07, true),
            Column("Customer-facing steps", 0.09, true),
            Column("Mean score", 0.07, true),
            Column("Weak spots (impact)", 0.1, true),
            Column("Handoffs met / breached / unmeasured", 0.14, true),
            Column("Compliance", 0.08, true),
            Column("Open pain points (votes)", 0.12, true),
            Column("Commitments open (overdue)", 0.13, true),
        ],
        rows: rows
            .map(|d| {
                let name = if d.spellings.is_empty() {
                    d.name.clone()
                } else {
                    format!("{} (as {})", d.name, d.spellings.join(", "))
                };
                Row::Cells(vec![
                    name,
                    d.journeys.len().to_string(),
                    d.frontstage_steps.to_string(),
                    score(d.mean_score),
                    format!("{} ({:.2})", d.weak_spots, d.weak_spot_impact),
                    format!("{} / {} / {}", d.sla_met, d.sla_breached, d.sla_unmeasured),
                    d.sla_compliance.map_or_else(|| "–".to_owned(), percent),
                    format!("{} ({})", d.open_pain_points, d.open_votes),
                    format!("{} ({})", d.open_commitments, d.overdue_commitments),
                ])
            })
            .collect(),
    }
}

fn weak_spots<'a>(title: &str, intro: &str, rows: impl Iterator<Item = &'a PortfolioWeakSpot>) -> Section {
    Section {
        title: title.into(),
        intro: Some(intro.into()),
        columns: vec![
            Column("#", 0.04, true),
            Column("Step", 0.24, false),
            Column("Journey", 0.24, false),
            Column("Department", 0.18, false),
            Column("Impact", 0.08, true),
            Column("Customers a month", 0.1, true),
            Column("Customers × impact", 0.12, true),
        ],
        rows: rows
            .map(|w| {
                Row::Cells(vec![
                    w.rank.to_string(),
                    w.title.clone(),
                    w.journey_title.clone(),
                    w.department.clone(),
                    format!("{:.2}", w.impact),
                    w.volume.map_or_else(|| "–".to_owned(), |v| v.to_string()),
                    w.volume.map_or_else(|| "–".to_owned(), |_| format!("{:.0}", w.weight)),
                ])
            })
            .collect(),
    }
}

fn reviews<'a>(title: &str, rows: impl Iterator<Item = &'a Journey>) -> Section {
    Section {
        title: title.into(),
        intro: None,
        columns: vec![
            Column("Journey", 0.4, false),
            Column("Days overdue", 0.12, true),
            Column("Where it stands", 0.48, false),
        ],
        rows: rows
            .map(|j| {
                Row::Cells(vec![
                    format!("{} ({})", j.title, j.source),
                    j.review.overdue_days.to_string(),
                    j.review.message.clone(),
                ])
            })
            .collect(),
    }
}

fn matrix<'a>(title: &str, intro: Option<&str>, rows: impl Iterator<Item = &'a MatrixCell>) -> Section {
    Section {
        title: title.into(),
        intro: intro.map(str::to_owned),
        columns: vec![
            Column("Provider", 0.22, false),
            Column("Receiver", 0.22, false),
            Column("Journeys", 0.08, true),
            Column("Met / breached / unmeasured", 0.16, true),
            Column("Promised (measured), min", 0.16, true),
            Column("Actual, min", 0.16, true),
        ],
        rows: rows
            .map(|c| {
                let measured = c.met + c.breached > 0;
                Row::Cells(vec![
                    c.provider.clone(),
                    c.receiver.clone(),
                    c.journeys.len().to_string(),
                    format!("{} / {} / {}", c.met, c.breached, c.unmeasured),
                    if measured { format!("{:.0}", c.measured_promised_minutes) } else { "–".into() },
                    if measured { format!("{:.0}", c.actual_minutes) } else { "–".into() },
                ])
            })
            .collect(),
    }
}
