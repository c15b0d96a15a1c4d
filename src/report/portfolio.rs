//! The portfolio's PDF, in the report's style: a one-page summary (the worst
//! departments, the worst weak spots by customers × share, overdue reviews,
//! the worst internal relationships), then the full tables. It has no map
//! drawing; every page is text and tables, tagged as the journey report's.

use crate::portfolio::{
    DEPARTMENT_COLUMNS, DepartmentAcross, JOURNEY_COLUMNS, Journey, MATRIX_COLUMNS, MatrixCell, Portfolio,
    PortfolioWeakSpot, WEAK_SPOT_COLUMNS, department_row, journey_row, matrix_row, weak_spot_row,
};
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
    let options = ReportOptions { paper, date: date.clone(), author: author.clone(), review: None, certainty: None };
    let mut flow = Flow::new(&options);
    flow.title(&format!("Portfolio: {}", p.name()), &format!("{} ({})", overview(p), p.place));
    let by_volume = p.ranked_by_volume();
    let mut worst: Vec<&DepartmentAcross> =
        p.departments.iter().filter(|d| d.weak_spot_share + d.caused_share > 0.0 || d.sla_breached > 0).collect();
    worst.truncate(SUMMARY_ROWS);
    if !worst.is_empty() {
        flow.section(departments(
            "Worst departments",
            Some("The largest share of the gain first (owned and caused as a provider), then the most breached handoffs."),
            worst.into_iter(),
        ));
    }
    if !p.weak_spots.is_empty() {
        let intro = if by_volume {
            "Ranked by customers per month × share of the gain: a weak step of a busy journey before a worse one of a quiet journey."
        } else {
            "Ranked by share of the gain: no journey says how many customers take it a month."
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
                "The organisation's weak spots, by customers × share"
            } else {
                "The organisation's weak spots, by share of the gain"
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
        title: format!("Portfolio: {}", p.name()),
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

/// A section of one of the portfolio's tables: the shared headers and rows
/// (`portfolio::cells`), laid out with each column's share of the width and
/// alignment.
fn table(
    title: &str,
    intro: Option<&str>,
    headers: &[&'static str],
    layout: &[(f64, bool)],
    rows: impl Iterator<Item = Vec<String>>,
) -> Section {
    Section {
        title: title.into(),
        intro: intro.map(str::to_owned),
        columns: headers.iter().zip(layout).map(|(&h, &(share, right))| Column(h, share, right)).collect(),
        rows: rows.map(Row::Cells).collect(),
    }
}

fn journeys(rows: &[Journey]) -> Section {
    const LAYOUT: [(f64, bool); 8] = [
        (0.2, false),
        (0.05, true),
        (0.08, true),
        (0.07, true),
        (0.06, true),
        (0.22, false),
        (0.1, true),
        (0.22, false),
    ];
    let intro = "Overdue reviews first, then by the day the next review is due.";
    table("Journeys", Some(intro), &JOURNEY_COLUMNS, &LAYOUT, rows.iter().map(journey_row))
}

fn departments<'a>(title: &str, intro: Option<&str>, rows: impl Iterator<Item = &'a DepartmentAcross>) -> Section {
    const LAYOUT: [(f64, bool); 9] = [
        (0.2, false),
        (0.07, true),
        (0.09, true),
        (0.07, true),
        (0.1, true),
        (0.14, true),
        (0.08, true),
        (0.12, true),
        (0.13, true),
    ];
    table(title, intro, &DEPARTMENT_COLUMNS, &LAYOUT, rows.map(department_row))
}

fn weak_spots<'a>(title: &str, intro: &str, rows: impl Iterator<Item = &'a PortfolioWeakSpot>) -> Section {
    const LAYOUT: [(f64, bool); 7] =
        [(0.04, true), (0.24, false), (0.24, false), (0.18, false), (0.08, true), (0.1, true), (0.12, true)];
    table(title, Some(intro), &WEAK_SPOT_COLUMNS, &LAYOUT, rows.map(weak_spot_row))
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
    const LAYOUT: [(f64, bool); 6] =
        [(0.22, false), (0.22, false), (0.08, true), (0.16, true), (0.16, true), (0.16, true)];
    table(title, intro, &MATRIX_COLUMNS, &LAYOUT, rows.map(matrix_row))
}
