//! Survey answers: what customers said of each step (`docs/evidence.md`,
//! "Survey responses").
//!
//! A survey export is read as a table ([`table`]); its columns bind to the
//! map's frontstage steps by a mapping file or by name; each bound answer is
//! read on the scale given (a numeric range or ordered labels), the
//! not-applicable answers left out, and rescaled onto 1..5. An overall
//! column feeds the calibration ([`crate::calibrate`]); a segment column
//! splits every figure. Only the bound answers, the overall and the segment
//! are read: names, e-mail addresses, identifiers and free text in other
//! columns are never looked at, let alone kept.

pub mod table;

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;
use waymark::Map;
use waymark::model::Visibility;

use crate::bind::{nearest, normal};
pub use table::{SurveyFormat, Table};

/// The scale answers are given on.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Numbers from `low` to `high` (1-5, 0-10...).
    Range {
        /// The lowest answer.
        low: f64,
        /// The highest answer.
        high: f64,
    },
    /// Words in order, worst first ("Very poor", ..., "Excellent").
    Labels(Vec<String>),
}

impl Scale {
    /// Reads `1-5`, `0-10`, `1..7`, or labels separated by commas, worst first.
    ///
    /// # Errors
    /// Anything else, in words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.contains(',') {
            let labels: Vec<String> = t.split(',').map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect();
            if labels.len() < 2 {
                return Err(format!("the scale \"{t}\" needs at least two labels, worst first"));
            }
            return Ok(Self::Labels(labels));
        }
        let bad = || {
            format!(
                "\"{t}\" is not a scale: give a range such as 1-5 or 0-10, or labels worst first such as \"Poor,Fair,Good\""
            )
        };
        let (a, b) = t.split_once("..").or_else(|| t.split_once('-')).ok_or_else(bad)?;
        let (low, high): (f64, f64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
        if !(low.is_finite() && high.is_finite() && low < high) {
            return Err(format!("the scale {t} must run from a lower number to a higher one"));
        }
        Ok(Self::Range { low, high })
    }

    /// The answer `text` on 1..5; `Err` with why when it is not on the scale.
    fn rescale(&self, text: &str) -> Result<f64, String> {
        match self {
            Self::Range { low, high } => {
                let x: f64 = text.parse().map_err(|_| {
                    format!("\"{text}\" is not a number on the scale {low}-{high} (for answers in words, give --scale with the labels in order, worst first)")
                })?;
                if !(x >= *low && x <= *high) {
                    return Err(format!("{text} is outside the scale {low}-{high}"));
                }
                Ok(1.0 + 4.0 * (x - low) / (high - low))
            }
            Self::Labels(labels) => {
                let t = normal(text);
                let i = labels
                    .iter()
                    .position(|l| normal(l) == t)
                    .ok_or_else(|| format!("\"{text}\" is none of the scale's labels ({})", labels.join(", ")))?;
                #[allow(clippy::cast_precision_loss, reason = "a handful of labels")]
                Ok(1.0 + 4.0 * i as f64 / (labels.len() - 1) as f64)
            }
        }
    }

    /// As given: "1-5" or the labels.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Range { low, high } => format!("{low}-{high}"),
            Self::Labels(l) => l.join(", "),
        }
    }
}

/// How to read a survey.
#[derive(Debug, Clone)]
pub struct SurveyOptions {
    /// The scale of the step columns.
    pub scale: Scale,
    /// Answers meaning "not applicable", left out (an empty cell always is).
    pub na: Vec<String>,
    /// The column with each respondent's overall outcome.
    pub overall: Option<String>,
    /// With a non-numeric overall column: the value that counts as positive.
    pub positive: Option<String>,
    /// A column to split every figure by.
    pub segment: Option<String>,
    /// Column → step pairs from a mapping file; by name when `None`.
    pub mapping: Option<Vec<(String, usize)>>,
    /// An XLSX sheet by name (the first when `None`).
    pub sheet: Option<String>,
}

impl Default for SurveyOptions {
    fn default() -> Self {
        Self {
            scale: Scale::Range { low: 1.0, high: 5.0 },
            na: Vec::new(),
            overall: None,
            positive: None,
            segment: None,
            mapping: None,
            sheet: None,
        }
    }
}

/// Why a survey cannot be used: what, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {what}", .at.as_ref().map(|a| format!(", {a}")).unwrap_or_default())]
pub struct SurveyError {
    /// The file's name.
    pub file: String,
    /// Where: "line 7, column Seat comfort", "column Gate location".
    pub at: Option<String>,
    /// What is wrong.
    pub what: String,
}

/// One column of the file and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Its name (a Qualtrics export's tag, with the question text beside).
    pub name: String,
    /// The step it binds to, by index in the map; `None`: unbound, not read.
    #[serde(skip)]
    pub step: Option<usize>,
    /// Whether it is the overall or the segment column (read, not bound).
    #[serde(skip)]
    pub role: bool,
}

/// The outcome column's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// Two distinct values: scored by AUC.
    Binary,
    /// More: scored by Pearson's correlation.
    Numeric,
}

/// One respondent's bound answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// (bound column's position in [`Survey::bound`], rating on 1..5), in
    /// column order; not-applicable and empty answers left out.
    pub ratings: Vec<(u32, f64)>,
    /// The overall outcome (binary: 1 positive, 0 not).
    pub overall: Option<f64>,
    /// The segment's value.
    pub segment: Option<String>,
}

/// A survey read and bound to a map.
#[derive(Debug, Clone)]
pub struct Survey {
    /// The file's name.
    pub file: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// CSV or XLSX.
    pub format: SurveyFormat,
    /// Whether it was a Qualtrics export.
    pub qualtrics: bool,
    /// Every column, bound or not (the overall and segment columns are not bound).
    pub columns: Vec<Column>,
    /// The bound columns: (column index, step index), in column order.
    pub bound: Vec<(usize, usize)>,
    /// The outcome's kind, when an overall column was given.
    pub outcome: Option<OutcomeKind>,
    /// Every row with at least one bound answer or an outcome, in file order.
    pub respondents: Vec<Respondent>,
}

/// A step's figures from the answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFigures {
    /// The step's index in the map.
    #[serde(skip)]
    pub step: usize,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Answers counted.
    pub n: u32,
    /// Their mean, on 1..5.
    pub mean: f64,
    /// Their standard deviation (n − 1); 0 for one answer.
    pub sd: f64,
    /// The 95% t-interval of the mean; none below 2 answers.
    pub interval: Option<[f64; 2]>,
}

impl Survey {
    /// Reads the survey at `path` and binds it to `map`'s steps.
    ///
    /// # Errors
    /// The file cannot be read; a column named for the overall or the
    /// segment is missing; a column binds to a backstage step; an answer is
    /// off the scale; the overall has one value only, or two words and no
    /// `positive`; nothing binds. Each names the column or the line.
    pub fn read(path: &Path, map: &Map, options: &SurveyOptions) -> Result<Self, SurveyError> {
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let fail = |at: Option<String>, what: String| SurveyError { file: file.clone(), at, what };
        let table = table::read(path, options.sheet.as_deref()).map_err(|what| {
            // The CSV reader's messages start with the line.
            match what.split_once(": ") {
                Some((at, rest)) if at.starts_with("line ") => fail(Some(at.to_owned()), rest.to_owned()),
                _ => fail(None, what),
            }
        })?;
        let names_of = |j: usize| -> Vec<&str> {
            let mut out = vec![table.names[j].as_str()];
            if let Some(t) = table.texts.get(j).filter(|t| !t.is_empty()) {
                out.push(t.as_str());
            }
            out
        };
        let find = |name: &str, role: &str| -> Result<usize, SurveyError> {
            (0..table.names.len()).find(|&j| names_of(j).contains(&name)).ok_or_else(|| {
                let hint = nearest(name, table.names.iter().map(String::as_str))
                    .map(|n| format!(" (did you mean \"{n}\"?)"))
                    .unwrap_or_default();
                fail(None, format!("no column named \"{name}\" for the {role}{hint}"))
            })
        };
        let overall = options.overall.as_deref().map(|c| find(c, "overall outcome")).transpose()?;
        let segment = options.segment.as_deref().map(|c| find(c, "segment")).transpose()?;
        let columns = bind(&table, map, options, &[overall, segment]);
        let bound: Vec<(usize, usize)> =
            columns.iter().enumerate().filter_map(|(j, c)| c.step.map(|s| (j, s))).collect();
        for &(j, s) in &bound {
            let step = &map.steps[s];
            if step.visibility == Visibility::Backstage {
                return Err(fail(
                    Some(format!("column {}", table.names[j])),
                    format!(
                        "it binds to step \"{}\" ({}), which is backstage: customers rate perception points, the frontstage steps",
                        step.id, step.title
                    ),
                ));
            }
        }
        if bound.is_empty() {
            let frontstage: Vec<&str> =
                map.steps.iter().filter(|s| s.visibility == Visibility::Frontstage).map(|s| s.title.as_str()).collect();
            return Err(fail(
                None,
                format!(
                    "no column binds to a step of the map (by its title or id, or by a mapping file): the columns are {}; the frontstage steps are {}",
                    table.names.join(", "),
                    frontstage.join(", ")
                ),
            ));
        }
        let na: Vec<String> = options.na.iter().map(|a| normal(a)).collect();
        let cell = |row: &[String], j: usize| row.get(j).map_or("", |c| c.trim()).to_owned();
        let outcome = overall
            .map(|j| outcome_of(&table, j, options.positive.as_deref()))
            .transpose()
            .map_err(|(at, what)| fail(at, what))?;
        let mut respondents = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let mut ratings = Vec::new();
            for (b, &(j, _)) in bound.iter().enumerate() {
                let text = cell(row, j);
                if text.is_empty() || na.contains(&normal(&text)) {
                    continue;
                }
                let x = options
                    .scale
                    .rescale(&text)
                    .map_err(|what| fail(Some(format!("{}, column {}", table.place(i), table.names[j])), what))?;
                ratings.push((u32::try_from(b).unwrap_or(u32::MAX), x));
            }
            let overall = match (&outcome, overall) {
                (Some(o), Some(j)) => o.value(&cell(row, j)),
                _ => None,
            };
            let segment = segment.map(|j| cell(row, j)).filter(|s| !s.is_empty());
            if !ratings.is_empty() || overall.is_some() {
                respondents.push(Respondent { ratings, overall, segment });
            }
        }
        Ok(Self {
            file,
            sha256: table.sha256.clone(),
            format: table.format,
            qualtrics: table.qualtrics,
            columns,
            bound,
            outcome: outcome.map(|o| o.kind),
            respondents,
        })
    }

    /// Respondents with at least one bound answer.
    #[must_use]
    pub fn answering(&self) -> usize {
        self.respondents.iter().filter(|r| !r.ratings.is_empty()).count()
    }

    /// The segment values, in order of first appearance.
    #[must_use]
    pub fn segments(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.respondents {
            if let Some(s) = &r.segment
                && !out.contains(s)
            {
                out.push(s.clone());
            }
        }
        out
    }

    /// The figures of every bound step, in map order, over the respondents
    /// `keep` lets through.
    #[must_use]
    pub fn step_figures(&self, map: &Map, keep: impl Fn(&Respondent) -> bool) -> Vec<StepFigures> {
        let mut values: FxHashMap<usize, Vec<f64>> = FxHashMap::default();
        for r in self.respondents.iter().filter(|r| keep(r)) {
            for &(b, x) in &r.ratings {
                values.entry(self.bound[b as usize].1).or_default().push(x);
            }
        }
        let mut steps: Vec<usize> = self.bound.iter().map(|&(_, s)| s).collect();
        steps.sort_unstable();
        steps.dedup();
        steps
            .into_iter()
            .map(|s| {
                let v = values.get(&s).map_or(&[][..], Vec::as_slice);
                let (mean, sd, interval) = crate::stats::mean_sd_interval(v);
                StepFigures {
                    step: s,
                    id: map.steps[s].id.clone(),
                    title: map.steps[s].title.clone(),
                    n: u32::try_from(v.len()).unwrap_or(u32::MAX),
                    mean,
                    sd,
                    interval,
                }
            })
            .collect()
    }

    /// The columns bound to no step, by name.
    #[must_use]
    pub fn unbound(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.step.is_none() && !c.role)
            .map(|c| if c.name.is_empty() { "(unnamed)" } else { c.name.as_str() })
            .collect()
    }
}

/// Which column is which step: by the mapping's pairs when given, else by
/// the column's name, its question text, or (for "Question - Row") the row
/// part, equal to a step's title or id. `skip` holds the overall and segment
/// columns, which bind to nothing.
fn bind(table: &Table, map: &Map, options: &SurveyOptions, skip: &[Option<usize>]) -> Vec<Column> {
    let mut by_name: FxHashMap<String, usize> = FxHashMap::default();
    for (i, s) in map.steps.iter().enumerate() {
        by_name.entry(normal(&s.title)).or_insert(i);
    }
    for (i, s) in map.steps.iter().enumerate() {
        by_name.insert(normal(&s.id), i);
    }
    (0..table.names.len())
        .map(|j| {
            let mut names = vec![table.names[j].as_str()];
            if let Some(t) = table.texts.get(j).filter(|t| !t.is_empty()) {
                names.push(t);
            }
            let step = if skip.contains(&Some(j)) {
                None
            } else if let Some(pairs) = &options.mapping {
                pairs.iter().find(|(c, _)| names.contains(&c.as_str())).map(|(_, s)| *s)
            } else {
                let rows: Vec<&str> = names.iter().filter_map(|n| n.rsplit_once(" - ").map(|(_, r)| r)).collect();
                names.iter().chain(&rows).find_map(|n| by_name.get(&normal(n)).copied())
            };
            Column { name: table.names[j].clone(), step, role: skip.contains(&Some(j)) }
        })
        .collect()
}

/// How an overall column's text becomes a number.
struct Outcome {
    kind: OutcomeKind,
    /// For a binary outcome: the positive value (normalised).
    positive: Option<String>,
}

impl Outcome {
    fn value(&self, text: &str) -> Option<f64> {
        if text.is_empty() {
            return None;
        }
        match &self.positive {
            Some(p) => Some(if normal(text) == *p { 1.0 } else { 0.0 }),
            None => text.parse().ok(),
        }
    }
}

/// Reads the overall column once to learn its kind: numbers, or two values
/// of which `positive` names one.
fn outcome_of(table: &Table, j: usize, positive: Option<&str>) -> Result<Outcome, (Option<String>, String)> {
    let column = &table.names[j];
    let mut distinct: Vec<String> = Vec::new();
    let mut all_numbers = true;
    for row in &table.rows {
        let t = row.get(j).map_or("", |c| c.trim());
        if t.is_empty() {
            continue;
        }
        all_numbers &= t.parse::<f64>().is_ok_and(f64::is_finite);
        let n = normal(t);
        if !distinct.contains(&n) {
            distinct.push(n);
            if distinct.len() > 2 && !all_numbers {
                break;
            }
        }
    }
    let at = Some(format!("column {column}"));
    if distinct.len() < 2 {
        return Err((at, format!("the overall outcome has {} value only: nothing to learn from", distinct.len())));
    }
    if let Some(p) = positive {
        let p = normal(p);
        if !distinct.contains(&p) {
            return Err((
                at,
                format!("no answer is \"{p}\", the value --positive names; it has {}", distinct.join(", ")),
            ));
        }
        if distinct.len() > 2 {
            return Err((at, "--positive is for an outcome of two values; this one has more".into()));
        }
        return Ok(Outcome { kind: OutcomeKind::Binary, positive: Some(p) });
    }
    if !all_numbers {
        return Err((
            at,
            if distinct.len() == 2 {
                format!(
                    "the outcome is \"{}\" or \"{}\": say which is positive with --positive",
                    distinct[0], distinct[1]
                )
            } else {
                "the overall outcome must be numbers, or two values with --positive naming one".into()
            },
        ));
    }
    let kind = if distinct.len() == 2 { OutcomeKind::Binary } else { OutcomeKind::Numeric };
    // Numbers with two values: the larger is positive.
    let positive = (kind == OutcomeKind::Binary).then(|| {
        let (a, b): (f64, f64) = (distinct[0].parse().unwrap_or(0.0), distinct[1].parse().unwrap_or(0.0));
        if a > b { distinct[0].clone() } else { distinct[1].clone() }
    });
    Ok(Outcome { kind, positive })
}

impl Survey {
    /// The step scores as one edit: each bound step's mean (over every
    /// respondent) with its n, sd and interval, and the survey as the source.
    #[must_use]
    pub fn as_edit(&self, map: &Map, day: chrono::NaiveDate) -> waymark::edit::Measured {
        use waymark::edit::{Measured, StepScore};
        use waymark::model::{Answer, EvidenceKind, EvidenceSource, SurveyAnswers};
        let scores = self
            .step_figures(map, |_| true)
            .into_iter()
            .map(|f| StepScore { step: f.id, n: f.n, mean: f.mean, sd: f.sd, interval: f.interval })
            .collect();
        Measured {
            source: EvidenceSource {
                kind: EvidenceKind::Survey,
                file: self.file.clone(),
                sha256: self.sha256.clone(),
                count: u32::try_from(self.answering()).unwrap_or(u32::MAX),
                span: None,
                read_on: day,
            },
            shares: Vec::new(),
            entries: Vec::new(),
            agreements: Vec::new(),
            scores,
            answers: Some(SurveyAnswers {
                source: 0,
                steps: self.bound.iter().map(|&(_, s)| map.steps[s].id.clone()).collect(),
                respondents: self
                    .respondents
                    .iter()
                    .map(|r| {
                        let mut ratings = vec![None; self.bound.len()];
                        for &(b, x) in &r.ratings {
                            ratings[b as usize] = Some(x);
                        }
                        Answer { ratings, overall: r.overall, segment: r.segment.clone() }
                    })
                    .collect(),
            }),
            cases: None,
        }
    }
}
