//! Validation: every problem of a map at once, each naming the element and field.
//!
//! A workshop fixes a map faster when it sees all that is wrong in one list than
//! one error at a time, so validation never stops at the first problem. Each
//! problem carries the field path of the interchange format (`steps[3].score`),
//! which points into a JSON file as well as into the editor's lists, and the id
//! of the element, which is what people recognise.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::graph::{FlowGraph, ShareError, resolve_shares, step_index_by_id};
use crate::model::{FlowKind, Map, Visibility};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The map cannot be analysed or saved as it is.
    Error,
    /// Worth a look; the map still works.
    Warning,
}

/// One thing wrong with a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Field path in interchange terms, e.g. `steps[3].score`.
    pub path: String,
    /// The element as people know it, e.g. `step "photo"`.
    pub element: String,
    /// What is wrong, e.g. `7.5 is outside 1.0..5.0`.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if !self.element.is_empty() {
            write!(f, " ({})", self.element)?;
        }
        Ok(())
    }
}

/// Everything validation found, errors first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    /// Every problem, errors before warnings, otherwise in the order of the map.
    pub problems: Vec<Problem>,
}

impl Report {
    /// True when no problem is an error.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Warning)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            let tag = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(f, "{tag}: {p}")?;
        }
        Ok(())
    }
}

/// Lowest and highest score, target and standard.
pub const SCORE_RANGE: (f64, f64) = (1.0, 5.0);
/// Range of the end weight.
pub const END_WEIGHT_RANGE: (f64, f64) = (0.0, 1.0);
/// Range of the negativity weight.
pub const NEGATIVITY_RANGE: (f64, f64) = (1.0, 5.0);
/// Range of a pain point's severity.
pub const SEVERITY_RANGE: (u8, u8) = (1, 3);

/// Checks everything the design documents require of a map.
#[must_use]
pub fn validate(map: &Map) -> Report {
    let mut v = Validator { problems: Vec::new() };
    v.settings(map);
    v.unique_ids(map);
    v.stages_and_departments(map);
    v.steps(map);
    v.flows(map);
    v.pain_points(map);
    v.shape(map);
    let mut problems = v.problems;
    problems.sort_by_key(|p| p.severity);
    Report { problems }
}

struct Validator {
    problems: Vec<Problem>,
}

fn fmt_num(x: f64) -> String {
    format!("{x:?}")
}

fn quoted(kind: &str, id: &str) -> String {
    format!("{kind} \"{id}\"")
}

impl Validator {
    fn error(&mut self, path: String, element: String, message: String) {
        self.problems.push(Problem { severity: Severity::Error, path, element, message });
    }

    fn warning(&mut self, path: String, element: String, message: String) {
        self.problems.push(Problem { severity: Severity::Warning, path, element, message });
    }

    /// `value` must lie in `lo..=hi` and be a real number.
    fn range(&mut self, path: String, element: &str, value: f64, (lo, hi): (f64, f64)) {
        if !value.is_finite() || value < lo || value > hi {
            self.error(
                path,
                element.to_owned(),
                format!("{} is outside {}..{}", fmt_num(value), fmt_num(lo), fmt_num(hi)),
            );
        }
    }

    fn non_empty(&mut self, path: String, element: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(path, element.to_owned(), "must not be empty".to_owned());
        }
    }

    fn settings(&mut self, map: &Map) {
        self.non_empty("title".into(), "", &map.title);
        let s = &map.settings;
        self.range("settings.end_weight".into(), "", s.end_weight, END_WEIGHT_RANGE);
        self.range("settings.negativity".into(), "", s.negativity, NEGATIVITY_RANGE);
        self.range("settings.standard".into(), "", s.standard, SCORE_RANGE);
    }

    fn unique_ids(&mut self, map: &Map) {
        let lists: [(&str, &str, Vec<&str>); 4] = [
            ("stages", "stage", map.stages.iter().map(|s| s.id.as_str()).collect()),
            ("departments", "department", map.departments.iter().map(|d| d.id.as_str()).collect()),
            ("steps", "step", map.steps.iter().map(|s| s.id.as_str()).collect()),
            ("pain_points", "pain point", map.pain_points.iter().map(|p| p.id.as_str()).collect()),
        ];
        for (list, kind, ids) in lists {
            let mut first: HashMap<&str, usize> = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                self.non_empty(format!("{list}[{i}].id"), &quoted(kind, id), id);
                if let Some(&j) = first.get(id) {
                    self.error(
                        format!("{list}[{i}].id"),
                        quoted(kind, id),
                        format!("duplicate id \"{id}\", already used by {list}[{j}]"),
                    );
                } else {
                    first.insert(id, i);
                }
            }
        }
    }

    fn stages_and_departments(&mut self, map: &Map) {
        for (i, s) in map.stages.iter().enumerate() {
            self.non_empty(format!("stages[{i}].name"), &quoted("stage", &s.id), &s.name);
        }
        for (i, d) in map.departments.iter().enumerate() {
            let el = quoted("department", &d.id);
            self.non_empty(format!("departments[{i}].name"), &el, &d.name);
            if let Some(color) = &d.color
                && !is_hex_color(color)
            {
                self.error(
                    format!("departments[{i}].color"),
                    el,
                    format!("\"{color}\" is not a colour of the form #rrggbb"),
                );
            }
        }
    }

    fn steps(&mut self, map: &Map) {
        for (i, step) in map.steps.iter().enumerate() {
            let el = quoted("step", &step.id);
            self.non_empty(format!("steps[{i}].title"), &el, &step.title);
            if !map.stages.iter().any(|s| s.id == step.stage) {
                self.error(format!("steps[{i}].stage"), el.clone(), format!("unknown stage \"{}\"", step.stage));
            }
            if map.department(&step.department).is_none() {
                self.error(
                    format!("steps[{i}].department"),
                    el.clone(),
                    format!("unknown department \"{}\"", step.department),
                );
            }
            if let Some(score) = step.score {
                self.range(format!("steps[{i}].score"), &el, score, SCORE_RANGE);
                if score.is_finite() && ((score * 10.0).round() - score * 10.0).abs() > 1e-6 {
                    self.error(
                        format!("steps[{i}].score"),
                        el.clone(),
                        format!("{} has more than one decimal", fmt_num(score)),
                    );
                }
                if step.visibility == Visibility::Backstage {
                    self.error(
                        format!("steps[{i}].score"),
                        el.clone(),
                        "a backstage step has no score: the customer does not see it".to_owned(),
                    );
                }
            } else if step.visibility == Visibility::Frontstage {
                self.warning(
                    format!("steps[{i}].score"),
                    el.clone(),
                    "frontstage step has no score; it is left out of the analysis".to_owned(),
                );
            }
            if let Some(target) = step.target {
                self.range(format!("steps[{i}].target"), &el, target, SCORE_RANGE);
            }
            if let Some(share) = step.entry_share {
                self.share(format!("steps[{i}].entry_share"), &el, share);
            }
        }
    }

    /// A share lies in (0, 1].
    fn share(&mut self, path: String, element: &str, share: f64) {
        if !share.is_finite() || share <= 0.0 || share > 1.0 {
            self.error(path, element.to_owned(), format!("{} is outside (0, 1]", fmt_num(share)));
        }
    }

    fn flows(&mut self, map: &Map) {
        let mut seen: HashMap<(&str, &str, FlowKind), usize> = HashMap::new();
        for (i, flow) in map.flows.iter().enumerate() {
            let el = format!("flow {} → {}", flow.from, flow.to);
            for (field, id) in [("from", &flow.from), ("to", &flow.to)] {
                if map.step(id).is_none() {
                    self.error(format!("flows[{i}].{field}"), el.clone(), format!("unknown step \"{id}\""));
                }
            }
            if let Some(&j) = seen.get(&(flow.from.as_str(), flow.to.as_str(), flow.kind)) {
                self.error(format!("flows[{i}]"), el.clone(), format!("duplicates flows[{j}]"));
            } else {
                seen.insert((flow.from.as_str(), flow.to.as_str(), flow.kind), i);
            }
            if let Some(share) = flow.share {
                self.share(format!("flows[{i}].share"), &el, share);
            }
            if let Some(sla) = &flow.sla {
                for (field, minutes) in
                    [("promised_minutes", Some(sla.promised_minutes)), ("actual_minutes", sla.actual_minutes)]
                {
                    if let Some(m) = minutes
                        && (!m.is_finite() || m < 0.0)
                    {
                        self.error(
                            format!("flows[{i}].sla.{field}"),
                            el.clone(),
                            format!("{} is not a non-negative number of minutes", fmt_num(m)),
                        );
                    }
                }
            }
        }
    }

    fn pain_points(&mut self, map: &Map) {
        for (i, p) in map.pain_points.iter().enumerate() {
            let el = quoted("pain point", &p.id);
            self.non_empty(format!("pain_points[{i}].text"), &el, &p.text);
            if map.step(&p.step).is_none() {
                self.error(format!("pain_points[{i}].step"), el.clone(), format!("unknown step \"{}\"", p.step));
            }
            if let Some(sev) = p.severity
                && !(SEVERITY_RANGE.0..=SEVERITY_RANGE.1).contains(&sev)
            {
                self.error(format!("pain_points[{i}].severity"), el, format!("{sev} is outside 1..3"));
            }
        }
    }

    /// Shares, cycles, entries and reachability: the journey's shape.
    fn shape(&mut self, map: &Map) {
        let graph = FlowGraph::build(map);
        let by_id = step_index_by_id(map);
        // Outgoing shares of each step, over its forward flows.
        for (s, step) in map.steps.iter().enumerate() {
            if by_id.get(step.id.as_str()) != Some(&s) {
                continue; // a duplicate id, reported above
            }
            let out = graph.outgoing(s);
            let shares: Vec<Option<f64>> = out.iter().map(|&(f, _)| map.flows[f].share).collect();
            if let Err(e) = resolve_shares(&shares) {
                self.error(format!("steps[{s}]"), quoted("step", &step.id), share_message("outgoing shares", e));
            }
        }
        let entries = graph.entries();
        for (s, step) in map.steps.iter().enumerate() {
            if step.entry_share.is_some() && !entries.contains(&s) {
                self.error(
                    format!("steps[{s}].entry_share"),
                    quoted("step", &step.id),
                    "entry_share is set but the step has incoming flows, so it is not an entry".to_owned(),
                );
            }
        }
        let entry_shares: Vec<Option<f64>> = entries.iter().map(|&s| map.steps[s].entry_share).collect();
        if let Err(e) = resolve_shares(&entry_shares) {
            self.error("steps".into(), "entry steps".into(), share_message("entry shares", e));
        }
        for cycle in graph.cycles() {
            let names: Vec<&str> = cycle.iter().map(|&s| map.steps[s].id.as_str()).collect();
            let first = cycle[0];
            self.error(
                format!("steps[{first}]"),
                quoted("step", &map.steps[first].id),
                format!(
                    "forward flows form a cycle: {} → {}; mark the flow that sends customers back as rework",
                    names.join(" → "),
                    names[0]
                ),
            );
        }
        for (s, reached) in graph.reachable_from_entries().into_iter().enumerate() {
            if !reached {
                self.error(
                    format!("steps[{s}]"),
                    quoted("step", &map.steps[s].id),
                    "not reachable from any entry step".to_owned(),
                );
            }
        }
    }
}

fn share_message(what: &str, e: ShareError) -> String {
    match e {
        ShareError::Over(sum) => format!("{what} sum to {sum:.3}, more than 1"),
        ShareError::Under(sum) => format!("{what} sum to {sum:.3}, not 1"),
        ShareError::NothingLeft(sum) => {
            format!("{what} given sum to {sum:.3}, leaving nothing for the flows without a share")
        }
    }
}

/// True for `#rrggbb`.
#[must_use]
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}
