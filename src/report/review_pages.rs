//! The report's sections on internal service and periodic review: what
//! changed since the last review and the trend across reviews (when the map
//! has reviews), agreements per pair of departments, the service charter and
//! commitments (when the map has any).

use crate::analysis::{Analysis, PromiseVerdict, minutes};
use crate::fonts::Weight;
use crate::layout::Rect;
use crate::model::{CommitmentStatus, Index, Map};
use crate::render::trend_svg;
use crate::report::page::{Item, Page, Role, ink};
use crate::report::tables::{Column, Flow, Row, Section};
use crate::report::{MARGIN, ReportOptions};
use crate::review::text::{change, percent, score, sections, status};
use crate::review::{Comparison, ReviewSummary};

/// What changed and the trend, when the map's file has reviews.
pub(super) fn review(flow: &mut Flow, options: &ReportOptions) {
    let Some(review) = options.review.as_ref().filter(|r| !r.reviews.is_empty()) else { return };
    if let Some(c) = &review.since_last {
        flow.section(Section {
            title: "Since the last review".into(),
            intro: Some(review.schedule.message.clone()),
            columns: vec![Column("What", 0.4, false), Column("Change", 0.6, false)],
            rows: comparison_rows(c),
        });
    }
    flow.push_page(trend(options, review));
}

/// Agreements, charter and commitments: each only when the map has some.
pub(super) fn internal_service(flow: &mut Flow, map: &Map, a: &Analysis, options: &ReportOptions) {
    if !a.agreements.is_empty() {
        flow.section(Section {
            title: "Internal service agreements by department pair".into(),
            intro: Some("An agreement is charged to the department of the step that hands off (the provider).".into()),
            columns: agreement_columns(),
            rows: agreement_rows(a),
        });
    }
    if !map.charter.is_empty() {
        flow.section(Section {
            title: "Service charter".into(),
            intro: None,
            columns: charter_columns(),
            rows: charter_rows(a),
        });
    }
    if !map.commitments.is_empty() {
        flow.section(Section {
            title: "Commitments".into(),
            intro: None,
            columns: commitment_columns(),
            rows: commitment_rows(map, options),
        });
    }
}

fn agreement_columns() -> Vec<Column> {
    vec![
        Column("From step", 0.22, false),
        Column("To step", 0.22, false),
        Column("Promised min", 0.08, true),
        Column("Actual min", 0.08, true),
        Column("Status", 0.1, false),
        Column("Quality expected", 0.3, false),
    ]
}

fn agreement_rows(a: &Analysis) -> Vec<Row> {
    let mut rows = Vec::new();
    for pair in &a.agreements {
        rows.push(Row::Group(format!(
            "{} provides to {}: {} met, {} breached, {} unmeasured",
            pair.provider_name, pair.receiver_name, pair.met, pair.breached, pair.unmeasured
        )));
        for g in &pair.agreements {
            rows.push(Row::Cells(vec![
                g.from_title.clone(),
                g.to_title.clone(),
                minutes(g.promised_minutes),
                g.actual_minutes.map_or_else(|| "–".to_owned(), minutes),
                match g.status {
                    crate::model::SlaStatus::Breached => "BREACHED".to_owned(),
                    other => status(other).to_owned(),
                },
                g.quality.clone().unwrap_or_default(),
            ]));
        }
    }
    rows
}

fn charter_columns() -> Vec<Column> {
    vec![
        Column("Stage", 0.12, false),
        Column("Promise to the customer", 0.28, false),
        Column("Within min", 0.08, true),
        Column("Agreements allow", 0.1, true),
        Column("Measured", 0.08, true),
        Column("Verdict", 0.14, false),
        Column("Handoffs it rests on", 0.2, false),
    ]
}

fn charter_rows(a: &Analysis) -> Vec<Row> {
    a.charter
        .iter()
        .map(|c| {
            let mins = |m: Option<f64>| m.map_or_else(|| "–".to_owned(), minutes);
            Row::Cells(vec![
                c.stage_name.clone(),
                c.text.clone(),
                mins(c.within_minutes),
                mins(c.promised_minutes),
                mins(c.actual_minutes),
                verdict(c.verdict).to_owned(),
                c.handoffs.iter().map(|h| format!("{} → {}", h.from_title, h.to_title)).collect::<Vec<_>>().join("; "),
            ])
        })
        .collect()
}

/// A verdict in the words of the report; bad news in capitals (printed red).
pub fn verdict(v: PromiseVerdict) -> &'static str {
    match v {
        PromiseVerdict::Achievable => "can be kept",
        PromiseVerdict::CannotBeMet => "CANNOT BE MET",
        PromiseVerdict::MissedInPractice => "MISSED IN PRACTICE",
        PromiseVerdict::NoAgreements => "no agreement behind it",
        PromiseVerdict::NoTimeGiven => "no time promised",
    }
}

fn commitment_columns() -> Vec<Column> {
    vec![
        Column("Commitment", 0.36, false),
        Column("Owner", 0.12, false),
        Column("Department", 0.12, false),
        Column("Due", 0.09, false),
        Column("Status", 0.09, false),
        Column("For", 0.22, false),
    ]
}

fn commitment_rows(map: &Map, options: &ReportOptions) -> Vec<Row> {
    let index = Index::new(map);
    let day = options.day();
    map.commitments
        .iter()
        .map(|c| {
            let for_what: Vec<String> = c
                .links
                .iter()
                .map(|l| {
                    index.step(l).map(|s| s.title.clone()).unwrap_or_else(|| {
                        map.pain_points.iter().find(|p| &p.id == l).map_or_else(|| l.clone(), |p| p.text.clone())
                    })
                })
                .collect();
            let state = if day.is_some_and(|d| c.is_overdue(d)) {
                "OVERDUE"
            } else {
                match c.status {
                    CommitmentStatus::Open => "open",
                    CommitmentStatus::Doing => "doing",
                    CommitmentStatus::Done => "done",
                }
            };
            Row::Cells(vec![
                c.action.clone(),
                c.owner.clone().unwrap_or_default(),
                c.department
                    .as_deref()
                    .map(|d| index.department(d).map_or_else(|| d.to_owned(), |x| x.name.clone()))
                    .unwrap_or_default(),
                c.due.map(|d| d.to_string()).unwrap_or_default(),
                state.to_owned(),
                for_what.join("; "),
            ])
        })
        .collect()
}

fn comparison_rows(c: &Comparison) -> Vec<Row> {
    let mut rows = vec![
        Row::Group(format!("From \"{}\" ({}) to {} ({})", c.before, c.before_date, c.after, c.after_date)),
        Row::Cells(vec!["Remembered experience".into(), change(&c.remembered, score)]),
        Row::Cells(vec!["Average experience".into(), change(&c.average, score)]),
        Row::Cells(vec!["Internal agreements met".into(), change(&c.sla_compliance, percent)]),
    ];
    if let Some(note) = &c.model_note {
        rows.insert(1, Row::Cells(vec!["Model changed".into(), note.clone()]));
    }
    let sections = sections(c);
    if sections.is_empty() {
        rows.push(Row::Cells(vec![
            "Nothing else changed".into(),
            "no step, pain point, agreement or commitment moved".into(),
        ]));
    }
    for section in sections {
        rows.push(Row::Group(format!("{} ({})", section.title, section.entries.len())));
        rows.extend(section.entries.into_iter().map(|(what, how)| Row::Cells(vec![what, how])));
    }
    rows
}

fn trend(options: &ReportOptions, review: &ReviewSummary) -> Page {
    let (w, h) = options.paper.size_pt();
    let mut p = Page::new(w, h);
    let title = "Trend across reviews";
    p.heading(2, MARGIN, MARGIN + 16.0, 16.0, w - 2.0 * MARGIN, title);
    p.bookmarks.push((title.to_owned(), 0.0));
    p.text(MARGIN, MARGIN + 36.0, 10.0, Weight::Regular, ink::MUTED, w - 2.0 * MARGIN, &review.schedule.message);
    let rect = Rect { x: MARGIN, y: MARGIN + 56.0, w: w - 2.0 * MARGIN, h: h - 2.0 * MARGIN - 56.0 };
    let alt = format!(
        "Remembered and average experience and agreements met across {} reviews and today",
        review.reviews.len()
    );
    p.block(Role::Figure(alt), vec![Item::Drawing { rect, svg: trend_svg(&review.trend, rect.w, rect.h) }]);
    p
}
