//! The tables at the back of the report: every weak spot, department
//! standing, compliance per handoff, and pain points grouped by owner. Long
//! tables continue on further pages with their header repeated.

use crate::analysis::{Analysis, percent};
use crate::model::{Index, Map, PainStatus};
use crate::render::fonts::Weight;
use crate::report::page::{PageSvg, ink};
use crate::report::{MARGIN, Page, ReportOptions};

const ROW_H: f64 = 17.0;
const FONT: f64 = 9.5;

/// A column: header, share of the table's width, right-aligned or not.
pub(super) struct Column(pub &'static str, pub f64, pub bool);

/// A row: plain cells, or a group heading spanning the table.
pub(super) enum Row {
    Cells(Vec<String>),
    Group(String),
}

pub fn pages(map: &Map, a: &Analysis, options: &ReportOptions) -> Vec<Page> {
    let index = Index::new(map);
    let mut out = Vec::new();
    out.extend(table(options, "All weak spots", &weak_spot_columns(), weak_spot_rows(&index, a)));
    out.extend(table(options, "Department standing", &department_columns(), department_rows(a)));
    out.extend(table(options, "Pain points by owner", &pain_columns(), pain_rows(map, &index)));
    out
}

fn weak_spot_columns() -> Vec<Column> {
    vec![
        Column("#", 0.03, true),
        Column("Step", 0.22, false),
        Column("Department", 0.13, false),
        Column("Owner", 0.11, false),
        Column("Score → target", 0.08, true),
        Column("Impact", 0.06, true),
        Column("Reach", 0.05, true),
        Column("Peak", 0.05, true),
        Column("End", 0.05, true),
        Column("Average-model rank", 0.07, true),
        Column("Upstream breaches", 0.15, false),
    ]
}

fn weak_spot_rows(index: &Index<'_>, a: &Analysis) -> Vec<Row> {
    a.weak_spots
        .iter()
        .map(|w| {
            let causes: Vec<String> =
                w.upstream_causes.iter().map(|c| format!("{} ({})", c.from_title, c.provider_name)).collect();
            Row::Cells(vec![
                w.rank.to_string(),
                w.title.clone(),
                index.department(&w.department).map_or_else(|| w.department.clone(), |d| d.name.clone()),
                w.owner.clone().unwrap_or_default(),
                format!("{:.1} → {:.1}", w.score, w.target),
                format!("+{:.3}", w.impact),
                percent(w.reach),
                percent(w.peak_share),
                percent(w.end_share),
                w.average_rank
                    .map_or_else(|| "–".to_owned(), |r| format!("#{r}{}", if w.model_dependent { " *" } else { "" })),
                if causes.is_empty() { "–".to_owned() } else { causes.join("; ") },
            ])
        })
        .collect()
}

fn department_columns() -> Vec<Column> {
    vec![
        Column("Department", 0.2, false),
        Column("Frontstage steps", 0.09, true),
        Column("Mean score", 0.08, true),
        Column("Weak-spot impact", 0.1, true),
        Column("SLA met / measured", 0.11, true),
        Column("Unmeasured", 0.08, true),
        Column("Compliance", 0.08, true),
        Column("Open pain points (votes)", 0.13, true),
        Column("Commitments open (overdue)", 0.13, true),
    ]
}

fn department_rows(a: &Analysis) -> Vec<Row> {
    a.departments
        .iter()
        .map(|d| {
            Row::Cells(vec![
                d.name.clone(),
                d.frontstage_steps.to_string(),
                d.mean_score.map_or_else(|| "–".to_owned(), |m| format!("{m:.2}")),
                format!("{:.3}", d.weak_spot_impact),
                format!("{} / {}", d.sla_met, d.sla_measured),
                d.sla_unmeasured.to_string(),
                d.sla_compliance.map_or_else(|| "–".to_owned(), percent),
                format!("{} ({})", d.open_pain_points, d.open_votes),
                match d.overdue_commitments {
                    Some(late) => format!("{} ({late})", d.open_commitments),
                    None => d.open_commitments.to_string(),
                },
            ])
        })
        .collect()
}

fn pain_columns() -> Vec<Column> {
    vec![
        Column("Pain point", 0.42, false),
        Column("Step", 0.24, false),
        Column("Severity", 0.08, true),
        Column("Votes", 0.08, true),
        Column("Status", 0.1, false),
    ]
}

fn pain_rows(map: &Map, index: &Index<'_>) -> Vec<Row> {
    let mut pains: Vec<_> = map.pain_points.iter().collect();
    pains.sort_by(|a, b| {
        a.owner
            .is_none()
            .cmp(&b.owner.is_none())
            .then_with(|| a.owner.cmp(&b.owner))
            .then_with(|| b.votes.cmp(&a.votes))
    });
    let mut rows = Vec::new();
    let mut current: Option<Option<&str>> = None;
    for p in pains {
        let owner = p.owner.as_deref();
        if current != Some(owner) {
            current = Some(owner);
            rows.push(Row::Group(owner.unwrap_or("No owner named").to_owned()));
        }
        rows.push(Row::Cells(vec![
            p.text.clone(),
            index.step(&p.step).map_or_else(|| p.step.clone(), |s| s.title.clone()),
            p.severity.map_or_else(|| "–".to_owned(), |s| s.to_string()),
            p.votes.to_string(),
            match p.status {
                PainStatus::Open => "open",
                PainStatus::Doing => "doing",
                PainStatus::Resolved => "resolved",
            }
            .to_owned(),
        ]));
    }
    rows
}

/// Cells written in capitals are bad news and printed in red.
fn is_alarm(cell: &str) -> bool {
    matches!(cell, "BREACHED" | "OVERDUE" | "CANNOT BE MET" | "MISSED IN PRACTICE")
}

/// Lays `rows` out under `title`, as many pages as it takes.
pub(super) fn table(options: &ReportOptions, title: &str, columns: &[Column], rows: Vec<Row>) -> Vec<Page> {
    let (w, h) = options.paper.size_pt();
    let width = w - 2.0 * MARGIN;
    let mut pages = Vec::new();
    let mut rows = rows.into_iter().peekable();
    let mut first = true;
    loop {
        let mut p = PageSvg::new(w, h);
        let heading = if first { title.to_owned() } else { format!("{title} (continued)") };
        p.text(MARGIN, MARGIN + 16.0, 16.0, Weight::Bold, ink::TEXT, width, &heading);
        let mut y = MARGIN + 44.0;
        let mut x = MARGIN;
        for Column(header, share, right) in columns {
            let cw = share * width;
            if *right {
                p.text_right(x + cw - 6.0, y, FONT, Weight::Bold, ink::MUTED, header);
            } else {
                p.text(x, y, FONT, Weight::Bold, ink::MUTED, cw - 6.0, header);
            }
            x += cw;
        }
        y += 6.0;
        p.rule(MARGIN, w - MARGIN, y);
        y += ROW_H - 3.0;
        if rows.peek().is_none() {
            p.text(MARGIN, y, FONT, Weight::Regular, ink::MUTED, width, "None.");
        }
        while y < h - MARGIN {
            let Some(row) = rows.next() else { break };
            match row {
                Row::Group(name) => {
                    p.text(MARGIN, y + 3.0, FONT + 1.0, Weight::Bold, ink::TEXT, width, &name);
                }
                Row::Cells(cells) => {
                    let mut x = MARGIN;
                    for (Column(_, share, right), cell) in columns.iter().zip(&cells) {
                        let cw = share * width;
                        let color = if is_alarm(cell) { ink::POOR } else { ink::TEXT };
                        if *right {
                            p.text_right(x + cw - 6.0, y, FONT, Weight::Regular, color, cell);
                        } else {
                            p.text(x, y, FONT, Weight::Regular, color, cw - 6.0, cell);
                        }
                        x += cw;
                    }
                }
            }
            p.rule(MARGIN, w - MARGIN, y + 5.0);
            y += ROW_H;
        }
        pages.push(Page { svg: p.finish(), width: w, height: h, bookmark: first.then(|| title.to_owned()) });
        first = false;
        if rows.peek().is_none() {
            return pages;
        }
    }
}
