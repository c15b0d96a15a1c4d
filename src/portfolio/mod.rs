//! The portfolio: every journey of an organisation read together, and each
//! department's standing as an internal provider across them. One map says
//! which weak spot colours one journey; a department such as IT or records
//! serves many journeys and often fails them in the same way, which only
//! shows when the journeys are added up.
//!
//! Every figure here is a sum (or a weighted mean) of the per-map analyses,
//! so the portfolio never disagrees with `analyze` of one of its maps.

mod cells;
mod names;
mod source;
mod text;

pub use text::text_table;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::{Analysis, analyze_on};
use crate::model::{Map, SlaStatus};
use crate::review::{Schedule, schedule};

pub use cells::{
    DEPARTMENT_COLUMNS, JOURNEY_COLUMNS, MATRIX_COLUMNS, WEAK_SPOT_COLUMNS, department_row, journey_row, matrix_row,
    weak_spot_row,
};
pub use names::{ALIASES_FILE, AliasError, Names, csv_lines};
pub use source::{Loaded, Read, SourceError, folder};

/// Every journey of a folder or library, compared, and the departments across them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Portfolio {
    /// The folder or library read.
    pub place: String,
    /// The day the figures are counted from (overdue reviews and commitments).
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub today: NaiveDate,
    /// Each journey, overdue reviews first, then by the day the next is due.
    pub journeys: Vec<Journey>,
    /// Each department, matched by name across journeys, the largest summed
    /// share of the gain (owned and caused) first.
    pub departments: Vec<DepartmentAcross>,
    /// Every journey's weak spots in one ranking: by customers per month ×
    /// share for journeys with a volume, then by share for those without.
    pub weak_spots: Vec<PortfolioWeakSpot>,
    /// Provider × receiver: the agreements between each pair of departments
    /// across all journeys, the most breached first.
    pub matrix: Vec<MatrixCell>,
    /// Every breached agreement of every journey, the largest overrun first:
    /// what a department's row opens onto.
    pub breached: Vec<BreachedHandoff>,
    /// What was found but not counted, and why.
    pub skipped: Vec<Skipped>,
}

impl Portfolio {
    /// What the portfolio is called on a title page: the folder's own name
    /// or the library's database, not the whole path or address.
    #[must_use]
    pub fn name(&self) -> &str {
        let place = self.place.trim_end_matches(['/', '\\']);
        let tail = place.rsplit(['/', '\\']).next().unwrap_or(place);
        // A library's address ends in its database, perhaps with options.
        let tail = tail.split('?').next().unwrap_or(tail);
        if tail.is_empty() { &self.place } else { tail }
    }

    /// Whether the weak spots are ranked by customers × share: some
    /// journey gives its volume.
    #[must_use]
    pub fn ranked_by_volume(&self) -> bool {
        self.weak_spots.iter().any(|w| w.volume.is_some())
    }
}

/// One journey of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Journey {
    /// Where it is: its path inside the folder, or its library id.
    pub source: String,
    /// Its `.waymark` file's full path, when it is one (the window opens it).
    pub file: Option<String>,
    /// Its title.
    pub title: String,
    /// How many steps it has.
    pub steps: u32,
    /// Customers per month, when the map says.
    pub volume: Option<u32>,
    /// Its remembered experience.
    pub remembered: Option<f64>,
    /// Its average experience.
    pub average: Option<f64>,
    /// The weak spot that matters most in it.
    pub worst_weak_spot: Option<JourneySpot>,
    /// When its next review is due.
    pub review: Schedule,
    /// Commitments not done.
    pub open_commitments: u32,
    /// Of those, the ones past their due date.
    pub overdue_commitments: u32,
}

/// A journey's worst weak spot, as the journeys table names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JourneySpot {
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// The owning department's name.
    pub department: String,
    /// Its share of its journey's gain if every step met its target.
    pub share: f64,
    /// Overall experience gained by raising it alone to target.
    pub impact: f64,
}

/// A department across every journey it appears in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DepartmentAcross {
    /// Its name (the alias list's, else as first written).
    pub name: String,
    /// Every spelling the maps use for it, when they differ.
    pub spellings: Vec<String>,
    /// The journeys it appears in (their sources).
    pub journeys: Vec<String>,
    /// Customer-facing steps it owns, in all journeys.
    pub frontstage_steps: u32,
    /// Reach-weighted mean score of its scored customer-facing steps, each
    /// journey weighted by its volume when every journey has one.
    pub mean_score: Option<f64>,
    /// Summed share of the gain of the weak spots it owns, over journeys.
    pub weak_spot_share: f64,
    /// Summed share it causes as a provider of breached handoffs behind
    /// other departments' weak spots, over journeys.
    pub caused_share: f64,
    /// How many weak spots it owns.
    pub weak_spots: u32,
    /// Handoffs it provides whose agreement was met.
    pub sla_met: u32,
    /// Handoffs it provides whose agreement was breached.
    pub sla_breached: u32,
    /// Handoffs it provides with an agreement but no measurement.
    pub sla_unmeasured: u32,
    /// met / (met + breached); `None` when nothing is measured.
    pub sla_compliance: Option<f64>,
    /// Its pain points not yet resolved.
    pub open_pain_points: u32,
    /// Their dot votes.
    pub open_votes: u32,
    /// Commitments it answers for that are not done.
    pub open_commitments: u32,
    /// Of those, the ones past their due date.
    pub overdue_commitments: u32,
}

/// A weak spot of one journey in the organisation's ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PortfolioWeakSpot {
    /// 1 for the one that matters most.
    pub rank: u32,
    /// The journey's source.
    pub journey: String,
    /// The journey's title.
    pub journey_title: String,
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// The owning department's name.
    pub department: String,
    /// Its share of its own journey's gain if every step met its target.
    pub share: f64,
    /// Its impact alone in its own journey.
    pub impact: f64,
    /// The journey's customers per month, when known.
    pub volume: Option<u32>,
    /// What it is ranked by: volume × share, or the share alone without a volume.
    pub weight: f64,
}

/// The agreements one department gives another, across all journeys.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MatrixCell {
    /// The providing department's name.
    pub provider: String,
    /// The receiving department's name.
    pub receiver: String,
    /// The journeys holding these agreements.
    pub journeys: Vec<String>,
    /// Agreements kept.
    pub met: u32,
    /// Agreements broken.
    pub breached: u32,
    /// Agreements without a measured time.
    pub unmeasured: u32,
    /// Minutes promised, over every agreement.
    pub promised_minutes: f64,
    /// Minutes promised, over the measured agreements only.
    pub measured_promised_minutes: f64,
    /// Minutes taken, over the measured agreements.
    pub actual_minutes: f64,
}

/// One breached internal service agreement, in its journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachedHandoff {
    /// The journey's source.
    pub journey: String,
    /// The journey's title.
    pub journey_title: String,
    /// The providing department's name.
    pub provider: String,
    /// The receiving department's name.
    pub receiver: String,
    /// The step handing off.
    pub from_title: String,
    /// The step receiving.
    pub to_title: String,
    /// Minutes promised.
    pub promised_minutes: f64,
    /// Minutes taken.
    pub actual_minutes: f64,
}

/// A file or map that was found but not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Skipped {
    /// Its path inside the folder, or its library id.
    pub path: String,
    /// Why it was not counted.
    pub reason: String,
}

/// The portfolio of what `read` found, as of `today`. A map that is not
/// valid is not analysed; it joins the skipped ones with its first problem.
#[must_use]
pub fn portfolio(read: Read, today: NaiveDate) -> Portfolio {
    let Read { place, journeys: loaded, mut skipped, names } = read;
    let mut analysed: Vec<(Loaded, Analysis)> = Vec::with_capacity(loaded.len());
    for l in loaded {
        match analyze_on(&l.map, today) {
            Ok(a) => analysed.push((l, a)),
            Err(report) => {
                let errors: Vec<_> = report.errors().collect();
                let first = errors.first().map_or_else(String::new, |p| format!(": {}", p.in_words()));
                let reason = format!("the map is invalid ({} error{}){first}", errors.len(), plural(errors.len()));
                skipped.push(Skipped { path: l.source, reason });
            }
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let all_have_volume = analysed.iter().all(|(l, _)| l.map.volume.is_some());
    let mut portfolio = Portfolio {
        place,
        today,
        journeys: journeys(&analysed, today),
        departments: departments(&analysed, &names, all_have_volume),
        weak_spots: weak_spots(&analysed, &names),
        matrix: matrix(&analysed, &names),
        breached: breached(&analysed, &names),
        skipped,
    };
    one_spelling(&mut portfolio, &names);
    portfolio
}

/// Names every department as the departments table does, wherever it
/// appears: "claims " in one map and "Claims" in another are one row there,
/// so they are one name in the weak spots, the matrix and the journeys too.
fn one_spelling(p: &mut Portfolio, names: &Names) {
    let shown: HashMap<String, String> = p.departments.iter().map(|d| (names.key(&d.name), d.name.clone())).collect();
    let name = |n: &mut String| {
        if let Some(s) = shown.get(&names.key(n)) {
            n.clone_from(s);
        }
    };
    for w in &mut p.weak_spots {
        name(&mut w.department);
    }
    for j in &mut p.journeys {
        if let Some(w) = &mut j.worst_weak_spot {
            name(&mut w.department);
        }
    }
    for c in &mut p.matrix {
        name(&mut c.provider);
        name(&mut c.receiver);
    }
    for b in &mut p.breached {
        name(&mut b.provider);
        name(&mut b.receiver);
    }
}

fn journeys(analysed: &[(Loaded, Analysis)], today: NaiveDate) -> Vec<Journey> {
    let mut rows: Vec<Journey> = analysed
        .iter()
        .map(|(l, a)| {
            let map = &l.map;
            let open = map.commitments.iter().filter(|c| c.is_open()).count();
            Journey {
                source: l.source.clone(),
                file: l.file.as_ref().map(|f| f.display().to_string()),
                title: map.title.clone(),
                steps: count(map.steps.len()),
                volume: map.volume,
                remembered: a.remembered,
                average: a.average,
                worst_weak_spot: a.weak_spots.first().map(|w| JourneySpot {
                    id: w.id.clone(),
                    title: w.title.clone(),
                    department: department_name(map, &w.department),
                    share: w.share,
                    impact: w.impact,
                }),
                review: schedule(map, l.last_review, today),
                open_commitments: count(open),
                overdue_commitments: count(map.overdue_commitments(today).count()),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.review
            .overdue_days
            .cmp(&a.review.overdue_days)
            .then_with(|| match (a.review.next_due, b.review.next_due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
            .then_with(|| a.source.cmp(&b.source))
    });
    rows
}

/// Rows keyed by department, in the order departments are first met.
struct ByDepartment<T> {
    keys: HashMap<String, usize>,
    rows: Vec<T>,
}

impl<T> ByDepartment<T> {
    fn new() -> Self {
        Self { keys: HashMap::new(), rows: Vec::new() }
    }

    fn row(&mut self, key: String, new: impl FnOnce() -> T) -> &mut T {
        let i = *self.keys.entry(key).or_insert_with(|| {
            self.rows.push(new());
            self.rows.len() - 1
        });
        &mut self.rows[i]
    }
}

fn departments(analysed: &[(Loaded, Analysis)], names: &Names, by_volume: bool) -> Vec<DepartmentAcross> {
    // Per department: the sum of score × weight and of weight behind its mean.
    let mut table: ByDepartment<(DepartmentAcross, f64, f64)> = ByDepartment::new();
    for (l, a) in analysed {
        let volume = if by_volume { l.map.volume.map_or(1.0, f64::from) } else { 1.0 };
        for s in &a.departments {
            let (row, sum, weight) =
                table.row(names.key(&s.name), || (empty_department(names.display(&s.name)), 0.0, 0.0));
            let spelling = s.name.trim().to_owned();
            if !row.spellings.contains(&spelling) {
                row.spellings.push(spelling);
            }
            if !row.journeys.contains(&l.source) {
                row.journeys.push(l.source.clone());
            }
            row.frontstage_steps += s.frontstage_steps;
            if let Some(mean) = s.mean_score {
                *sum += mean * s.scored_reach * volume;
                *weight += s.scored_reach * volume;
            }
            row.weak_spot_share += s.weak_spot_share;
            row.caused_share += s.caused_share;
            row.sla_met += s.sla_met;
            row.sla_breached += s.sla_measured - s.sla_met;
            row.sla_unmeasured += s.sla_unmeasured;
            row.open_pain_points += s.open_pain_points;
            row.open_votes += s.open_votes;
            row.open_commitments += s.open_commitments;
            row.overdue_commitments += s.overdue_commitments.unwrap_or(0);
        }
        for w in &a.weak_spots {
            let name = department_name(&l.map, &w.department);
            table.row(names.key(&name), || (empty_department(names.display(&name)), 0.0, 0.0)).0.weak_spots += 1;
        }
    }
    let mut rows: Vec<DepartmentAcross> = table
        .rows
        .into_iter()
        .map(|(mut row, sum, weight)| {
            row.mean_score = (weight > 0.0).then(|| sum / weight);
            let measured = row.sla_met + row.sla_breached;
            row.sla_compliance = (measured > 0).then(|| f64::from(row.sla_met) / f64::from(measured));
            if row.spellings.len() == 1 && row.spellings[0] == row.name {
                row.spellings.clear();
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.weak_spot_share + b.caused_share)
            .total_cmp(&(a.weak_spot_share + a.caused_share))
            .then_with(|| b.sla_breached.cmp(&a.sla_breached))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    rows
}

fn empty_department(name: String) -> DepartmentAcross {
    DepartmentAcross {
        name,
        spellings: Vec::new(),
        journeys: Vec::new(),
        frontstage_steps: 0,
        mean_score: None,
        weak_spot_share: 0.0,
        caused_share: 0.0,
        weak_spots: 0,
        sla_met: 0,
        sla_breached: 0,
        sla_unmeasured: 0,
        sla_compliance: None,
        open_pain_points: 0,
        open_votes: 0,
        open_commitments: 0,
        overdue_commitments: 0,
    }
}

fn weak_spots(analysed: &[(Loaded, Analysis)], names: &Names) -> Vec<PortfolioWeakSpot> {
    let mut spots: Vec<PortfolioWeakSpot> = analysed
        .iter()
        .flat_map(|(l, a)| {
            a.weak_spots.iter().map(move |w| PortfolioWeakSpot {
                rank: 0,
                journey: l.source.clone(),
                journey_title: l.map.title.clone(),
                id: w.id.clone(),
                title: w.title.clone(),
                department: names.display(&department_name(&l.map, &w.department)),
                share: w.share,
                impact: w.impact,
                volume: l.map.volume,
                weight: l.map.volume.map_or(w.share, |v| f64::from(v) * w.share),
            })
        })
        .collect();
    // Journeys with a volume first: their weight is in customers, the
    // others' in score points, and the two cannot be compared.
    spots.sort_by(|a, b| {
        b.volume
            .is_some()
            .cmp(&a.volume.is_some())
            .then_with(|| b.weight.total_cmp(&a.weight))
            .then_with(|| a.journey.cmp(&b.journey))
            .then_with(|| a.title.cmp(&b.title))
    });
    for (rank, s) in (1..).zip(&mut spots) {
        s.rank = rank;
    }
    spots
}

fn matrix(analysed: &[(Loaded, Analysis)], names: &Names) -> Vec<MatrixCell> {
    let mut table: ByDepartment<MatrixCell> = ByDepartment::new();
    for (l, a) in analysed {
        for pair in &a.agreements {
            let key = format!("{}\u{0}{}", names.key(&pair.provider_name), names.key(&pair.receiver_name));
            let cell = table.row(key, || MatrixCell {
                provider: names.display(&pair.provider_name),
                receiver: names.display(&pair.receiver_name),
                journeys: Vec::new(),
                met: 0,
                breached: 0,
                unmeasured: 0,
                promised_minutes: 0.0,
                measured_promised_minutes: 0.0,
                actual_minutes: 0.0,
            });
            if !cell.journeys.contains(&l.source) {
                cell.journeys.push(l.source.clone());
            }
            cell.met += pair.met;
            cell.breached += pair.breached;
            cell.unmeasured += pair.unmeasured;
            for agreement in &pair.agreements {
                cell.promised_minutes += agreement.promised_minutes;
                if let (Some(actual), false) = (agreement.actual_minutes, agreement.status == SlaStatus::Unmeasured) {
                    cell.measured_promised_minutes += agreement.promised_minutes;
                    cell.actual_minutes += actual;
                }
            }
        }
    }
    let mut cells = table.rows;
    let overrun = |c: &MatrixCell| c.actual_minutes - c.measured_promised_minutes;
    cells.sort_by(|a, b| {
        b.breached
            .cmp(&a.breached)
            .then_with(|| overrun(b).total_cmp(&overrun(a)))
            .then_with(|| a.provider.to_lowercase().cmp(&b.provider.to_lowercase()))
            .then_with(|| a.receiver.to_lowercase().cmp(&b.receiver.to_lowercase()))
    });
    cells
}

fn breached(analysed: &[(Loaded, Analysis)], names: &Names) -> Vec<BreachedHandoff> {
    let mut rows: Vec<BreachedHandoff> = analysed
        .iter()
        .flat_map(|(l, a)| {
            a.agreements.iter().flat_map(move |pair| {
                pair.agreements.iter().filter(|x| x.status == SlaStatus::Breached).map(move |x| BreachedHandoff {
                    journey: l.source.clone(),
                    journey_title: l.map.title.clone(),
                    provider: names.display(&pair.provider_name),
                    receiver: names.display(&pair.receiver_name),
                    from_title: x.from_title.clone(),
                    to_title: x.to_title.clone(),
                    promised_minutes: x.promised_minutes,
                    actual_minutes: x.actual_minutes.unwrap_or(x.promised_minutes),
                })
            })
        })
        .collect();
    let overrun = |b: &BreachedHandoff| b.actual_minutes - b.promised_minutes;
    rows.sort_by(|a, b| overrun(b).total_cmp(&overrun(a)).then_with(|| a.journey.cmp(&b.journey)));
    rows
}

fn department_name(map: &Map, id: &str) -> String {
    map.departments.iter().find(|d| d.id == id).map_or_else(|| id.to_owned(), |d| d.name.clone())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
