//! Validation: every problem of a map at once, each naming the element and field.
//!
//! A workshop fixes a map faster when it sees all that is wrong in one list than
//! one error at a time, so validation never stops at the first problem. Each
//! problem carries the field path of the interchange format (`steps[3].score`),
//! which points into a JSON file as well as into the editor's lists, and the id
//! of the element, which is what people recognise.

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use crate::graph::{FlowGraph, ShareError, resolve_entry_shares, resolve_shares};
use crate::model::{FlowKind, Index, Map, Visibility};

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

impl Problem {
    /// The problem as the window says it to a room: the field and the element
    /// by name ("share of flow a → b: …"), without the interchange path
    /// (`flows[4].share`), which means something only to the JSON's author.
    #[must_use]
    pub fn in_words(&self) -> String {
        let field = match self.path.split_once("].") {
            Some((_, field)) => field,
            None if self.path.ends_with(']') => "",
            None => self.path.as_str(),
        };
        match (field.is_empty(), self.element.is_empty()) {
            (true, true) => self.message.clone(),
            (true, false) => format!("{}: {}", self.element, self.message),
            (false, true) => format!("{field}: {}", self.message),
            (false, false) => format!("{field} of {}: {}", self.element, self.message),
        }
    }
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
/// Longest review cadence, in weeks: ten years.
pub const MAX_REVIEW_WEEKS: u32 = 520;
/// The most customers a month a journey may give: a billion, beyond any
/// real service and far inside the sums a portfolio makes of it.
pub const MAX_VOLUME: u32 = 1_000_000_000;
/// Range of a pain point's severity.
pub const SEVERITY_RANGE: (u8, u8) = (1, 3);
/// Longest id, name, title, owner or channel, in characters: a label on a
/// card, not a document. Longer text is refused with a message rather than
/// drawn off the page.
pub const MAX_NAME_CHARS: usize = 300;
/// Longest free text (notes, descriptions, pain points), in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Checks everything the design documents require of a map.
#[must_use]
pub fn validate(map: &Map) -> Report {
    let index = Index::new(map);
    validate_with(map, &index, &FlowGraph::with_index(map, &index))
}

/// [`validate`] with the index and flow graph the caller already built.
#[must_use]
pub fn validate_with(map: &Map, index: &Index<'_>, graph: &FlowGraph) -> Report {
    let mut v = Validator { problems: Vec::new(), index, graph };
    v.settings(map);
    v.unique_ids(map);
    v.stages_and_departments(map);
    v.steps(map);
    v.flows(map);
    v.pain_points(map);
    v.workshop(map);
    v.charter(map);
    v.commitments(map);
    v.lengths(map);
    v.shape(map);
    let mut problems = v.problems;
    problems.sort_by_key(|p| p.severity);
    Report { problems }
}

struct Validator<'a> {
    problems: Vec<Problem>,
    index: &'a Index<'a>,
    graph: &'a FlowGraph,
}

/// Where a problem is: a list entry, named lazily. Paths and element names
/// are formatted only when there is a problem to report, so validating a
/// large, clean map allocates next to nothing.
#[derive(Clone, Copy)]
enum At<'m> {
    /// A top-level field of the map.
    Map,
    /// An entry with an id: `steps[3]`, step "photo".
    Named { list: &'static str, index: usize, kind: &'static str, id: &'m str },
    /// A flow, named by its ends.
    Flow { index: usize, from: &'m str, to: &'m str },
    /// A whole list: `steps`, with a description of the element.
    List { list: &'static str, element: &'static str },
}

impl At<'_> {
    fn path(self, field: &str) -> String {
        let base = match self {
            At::Map => return field.to_owned(),
            At::Named { list, index, .. } => format!("{list}[{index}]"),
            At::Flow { index, .. } => format!("flows[{index}]"),
            At::List { list, .. } => list.to_owned(),
        };
        if field.is_empty() { base } else { format!("{base}.{field}") }
    }

    fn element(self) -> String {
        match self {
            At::Map => String::new(),
            At::Named { kind, id, .. } => quoted(kind, id),
            At::Flow { from, to, .. } => format!("flow {from} → {to}"),
            At::List { element, .. } => element.to_owned(),
        }
    }
}

impl Validator<'_> {
    fn error(&mut self, at: At<'_>, field: &str, message: String) {
        self.problems.push(Problem { severity: Severity::Error, path: at.path(field), element: at.element(), message });
    }

    fn warning(&mut self, at: At<'_>, field: &str, message: String) {
        self.problems.push(Problem {
            severity: Severity::Warning,
            path: at.path(field),
            element: at.element(),
            message,
        });
    }

    /// `value` must lie in `lo..=hi` and be a real number.
    fn range(&mut self, at: At<'_>, field: &str, value: f64, (lo, hi): (f64, f64)) {
        if !value.is_finite() || value < lo || value > hi {
            self.error(at, field, format!("{} is outside {}..{}", fmt_num(value), fmt_num(lo), fmt_num(hi)));
        }
    }

    fn non_empty(&mut self, at: At<'_>, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(at, field, "must not be empty".to_owned());
        }
    }

    /// A share lies in (0, 1].
    fn share(&mut self, at: At<'_>, field: &str, share: f64) {
        if !share.is_finite() || share <= 0.0 || share > 1.0 {
            self.error(
                at,
                field,
                format!(
                    "{} is outside (0, 1]: a share is the part of customers who go this way, at most 1 (100%)",
                    fmt_num(share)
                ),
            );
        }
    }

    fn settings(&mut self, map: &Map) {
        self.non_empty(At::Map, "title", &map.title);
        let s = &map.settings;
        self.range(At::Map, "settings.end_weight", s.end_weight, END_WEIGHT_RANGE);
        self.range(At::Map, "settings.negativity", s.negativity, NEGATIVITY_RANGE);
        self.range(At::Map, "settings.standard", s.standard, SCORE_RANGE);
        self.range(At::Map, "settings.average_weight", s.average_weight, END_WEIGHT_RANGE);
        self.share(At::Map, "settings.agreement_share", s.agreement_share);
    }

    fn unique_ids(&mut self, map: &Map) {
        let lists: [(&'static str, &'static str, Vec<&str>); 6] = [
            ("stages", "stage", map.stages.iter().map(|s| s.id.as_str()).collect()),
            ("departments", "department", map.departments.iter().map(|d| d.id.as_str()).collect()),
            ("steps", "step", map.steps.iter().map(|s| s.id.as_str()).collect()),
            ("pain_points", "pain point", map.pain_points.iter().map(|p| p.id.as_str()).collect()),
            ("charter", "promise", map.charter.iter().map(|p| p.id.as_str()).collect()),
            ("commitments", "commitment", map.commitments.iter().map(|c| c.id.as_str()).collect()),
        ];
        for (list, kind, ids) in lists {
            let mut first: FxHashMap<&str, usize> =
                FxHashMap::with_capacity_and_hasher(ids.len(), rustc_hash::FxBuildHasher);
            for (index, id) in ids.into_iter().enumerate() {
                let at = At::Named { list, index, kind, id };
                self.non_empty(at, "id", id);
                if let Some(&j) = first.get(id) {
                    self.error(at, "id", format!("duplicate id \"{id}\", already used by {list}[{j}]"));
                } else {
                    first.insert(id, index);
                }
            }
        }
    }

    fn stages_and_departments(&mut self, map: &Map) {
        for (index, s) in map.stages.iter().enumerate() {
            self.non_empty(At::Named { list: "stages", index, kind: "stage", id: &s.id }, "name", &s.name);
        }
        for (index, d) in map.departments.iter().enumerate() {
            let at = At::Named { list: "departments", index, kind: "department", id: &d.id };
            self.non_empty(at, "name", &d.name);
            if let Some(color) = &d.color
                && !is_hex_color(color)
            {
                self.error(at, "color", format!("\"{color}\" is not a colour of the form #rrggbb"));
            }
        }
    }

    fn steps(&mut self, map: &Map) {
        for (index, step) in map.steps.iter().enumerate() {
            let at = At::Named { list: "steps", index, kind: "step", id: &step.id };
            self.non_empty(at, "title", &step.title);
            if self.index.stage_ix(&step.stage).is_none() {
                self.error(at, "stage", format!("unknown stage \"{}\"", step.stage));
            }
            match self.index.department(&step.department) {
                None => self.error(at, "department", format!("unknown department \"{}\"", step.department)),
                // A moment the customer sees, drawn below the line of visibility.
                Some(d) if d.facing == crate::model::Facing::Internal && step.visibility == Visibility::Frontstage => {
                    self.warning(
                        at,
                        "department",
                        format!(
                            "a frontstage step in {}'s lane, which faces no customer: the blueprint draws it below the line of visibility; make the step backstage, or the department customer-facing",
                            d.name
                        ),
                    );
                }
                Some(_) => {}
            }
            if let Some(score) = step.score {
                self.range(at, "score", score, SCORE_RANGE);
                if score.is_finite() && ((score * 10.0).round() - score * 10.0).abs() > 1e-6 {
                    self.error(at, "score", format!("{} has more than one decimal", fmt_num(score)));
                }
                if step.visibility == Visibility::Backstage {
                    self.error(at, "score", "a backstage step has no score: the customer does not see it".to_owned());
                }
            } else if step.visibility == Visibility::Frontstage {
                self.warning(at, "score", "frontstage step has no score; it is left out of the analysis".to_owned());
            }
            if let Some(target) = step.target {
                self.range(at, "target", target, SCORE_RANGE);
            }
            self.ratings(map, at, step);
            if let Some(share) = step.entry_share {
                self.share(at, "entry_share", share);
            }
            if let Some(c) = &step.entry_measured {
                self.counted(map, at, "entry_measured", c);
            }
            if let Some(v) = &step.surveyed {
                self.source(map, at, "surveyed.source", v.source);
            }
        }
        for (index, a) in map.answers.iter().enumerate() {
            let at = At::Map;
            self.source(map, at, &format!("answers[{index}].source"), a.source);
            // A step deleted since keeps its column: resampling skips it.
            if let Some(r) = a.respondents.iter().position(|r| r.ratings.len() != a.steps.len()) {
                self.error(
                    at,
                    &format!("answers[{index}].respondents"),
                    format!(
                        "respondent {r} has {} ratings for {} steps",
                        a.respondents[r].ratings.len(),
                        a.steps.len()
                    ),
                );
            }
        }
    }

    fn flows(&mut self, map: &Map) {
        if map.steps.len() > 1 && !map.flows.iter().any(|f| f.kind == FlowKind::Flow) {
            self.warning(At::Map, "flows", NOT_CONNECTED.to_owned());
        }
        let mut seen: FxHashMap<(usize, usize, FlowKind), usize> =
            FxHashMap::with_capacity_and_hasher(map.flows.len(), rustc_hash::FxBuildHasher);
        for (index, flow) in map.flows.iter().enumerate() {
            let at = At::Flow { index, from: &flow.from, to: &flow.to };
            let (from, to) = self.graph.ends(index);
            for (field, id, ix) in [("from", &flow.from, from), ("to", &flow.to, to)] {
                if ix.is_none() {
                    self.error(at, field, format!("unknown step \"{id}\"{}", did_you_mean(id, map)));
                }
            }
            if let (Some(a), Some(b)) = (from, to) {
                if let Some(&j) = seen.get(&(a, b, flow.kind)) {
                    self.error(at, "", format!("duplicates flows[{j}]"));
                } else {
                    seen.insert((a, b, flow.kind), index);
                }
            }
            if let Some(share) = flow.share {
                self.share(at, "share", share);
            }
            if let Some(sla) = &flow.sla {
                for (field, minutes) in
                    [("sla.promised_minutes", Some(sla.promised_minutes)), ("sla.actual_minutes", sla.actual_minutes)]
                {
                    if let Some(m) = minutes
                        && (!m.is_finite() || m < 0.0)
                    {
                        self.error(at, field, format!("{} is not a non-negative number of minutes", fmt_num(m)));
                    }
                }
                if let Some(t) = sla.target_share {
                    self.share(at, "sla.target_share", t);
                }
                if let Some(m) = &sla.measured {
                    if m.within > m.n {
                        self.error(
                            at,
                            "sla.measured.within",
                            format!("{} of {} handoffs cannot be within the promise", m.within, m.n),
                        );
                    }
                    self.source(map, at, "sla.measured.source", m.source);
                }
            }
            if let Some(c) = &flow.measured {
                self.counted(map, at, "measured", c);
            }
        }
    }

    /// A count of n, from evidence the map lists.
    fn counted(&mut self, map: &Map, at: At<'_>, field: &str, c: &crate::model::Counted) {
        if c.count > c.n {
            self.error(at, &format!("{field}.count"), format!("{} is more than n = {}", c.count, c.n));
        }
        self.source(map, at, &format!("{field}.source"), c.source);
    }

    /// A measured figure names one of the map's evidence sources.
    fn source(&mut self, map: &Map, at: At<'_>, field: &str, source: u32) {
        if source as usize >= map.evidence.len() {
            self.error(at, field, format!("names evidence {source}, but the map lists {}", map.evidence.len()));
        }
    }

    fn pain_points(&mut self, map: &Map) {
        for (index, p) in map.pain_points.iter().enumerate() {
            let at = At::Named { list: "pain_points", index, kind: "pain point", id: &p.id };
            self.non_empty(at, "text", &p.text);
            if self.index.step(&p.step).is_none() {
                self.error(at, "step", format!("unknown step \"{}\"{}", p.step, did_you_mean(&p.step, map)));
            }
            if let Some(sev) = p.severity
                && !(SEVERITY_RANGE.0..=SEVERITY_RANGE.1).contains(&sev)
            {
                self.error(at, "severity", format!("{sev} is outside 1..3"));
            }
            if let Some(from) = &p.handoff_from
                && !map.flows.iter().any(|f| &f.from == from && f.to == p.step)
            {
                self.error(at, "handoff_from", format!("there is no flow from \"{from}\" to \"{}\"", p.step));
            }
            let mut named = 0_u64;
            for (j, d) in p.dots.iter().enumerate() {
                let field = format!("dots[{j}]");
                self.participant(map, at, &field, &d.participant);
                if d.count == 0 {
                    self.error(at, &format!("{field}.count"), "must be at least 1".to_owned());
                }
                if p.dots[..j].iter().any(|e| e.participant == d.participant) {
                    self.error(at, &field, format!("{} is listed twice", d.participant));
                }
                named += u64::from(d.count);
            }
            if named > u64::from(p.votes) {
                self.error(
                    at,
                    "votes",
                    format!(
                        "{} votes, but {named} dots are placed by name: the votes count every dot, so they must be at least {named}",
                        p.votes
                    ),
                );
            }
        }
    }

    /// Each rating comes from a participant, once. (A rated step's score may
    /// differ from the ratings' mean: a score the room agreed on; but a score
    /// said to follow the ratings is their mean.)
    fn ratings(&mut self, map: &Map, at: At<'_>, step: &crate::model::Step) {
        if step.ratings.is_empty() {
            return;
        }
        if let Some(mean) = step.rating_mean().filter(|&m| step.follows_ratings && step.score != Some(m)) {
            let score = step.score.map_or_else(|| "no score".to_owned(), |s| format!("{s:.1}"));
            self.error(
                at,
                "score",
                format!(
                    "{score} follows the ratings, whose mean is {mean:.1}: type the agreed score, or take the mean"
                ),
            );
        }
        if step.visibility == Visibility::Backstage {
            self.error(at, "ratings", "a backstage step is not rated: the customer does not see it".to_owned());
        }
        for (j, r) in step.ratings.iter().enumerate() {
            let field = format!("ratings[{j}]");
            self.participant(map, at, &field, &r.participant);
            self.range(at, &format!("{field}.score"), r.score, SCORE_RANGE);
            if step.ratings[..j].iter().any(|e| e.participant == r.participant) {
                self.error(at, &field, format!("{} rated the step twice", r.participant));
            }
        }
    }

    /// `name` must be one of the workshop's participants.
    fn participant(&mut self, map: &Map, at: At<'_>, field: &str, name: &str) {
        if !map.workshop.participants.iter().any(|p| p == name) {
            self.error(at, &format!("{field}.participant"), format!("\"{name}\" is not a participant"));
        }
    }

    /// Participants are named once, and nobody places more dots than the budget.
    fn workshop(&mut self, map: &Map) {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for (j, name) in map.workshop.participants.iter().enumerate() {
            let field = format!("workshop.participants[{j}]");
            self.non_empty(At::Map, &field, name);
            if !seen.insert(name) {
                self.error(At::Map, &field, format!("\"{name}\" is listed twice"));
            }
        }
        let Some(budget) = map.workshop.dot_budget else { return };
        for name in &map.workshop.participants {
            let placed = map.dots_placed(name);
            if placed > u64::from(budget) {
                self.error(
                    At::Map,
                    "workshop.dot_budget",
                    format!(
                        "{name} placed {placed} dots, more than the budget: each participant may place at most {budget}"
                    ),
                );
            }
        }
    }

    /// Each promise belongs to a stage and keeps a real time limit.
    fn charter(&mut self, map: &Map) {
        for (index, p) in map.charter.iter().enumerate() {
            let at = At::Named { list: "charter", index, kind: "promise", id: &p.id };
            self.non_empty(at, "text", &p.text);
            if self.index.stage_ix(&p.stage).is_none() {
                self.error(at, "stage", format!("unknown stage \"{}\"", p.stage));
            }
            if let Some(m) = p.within_minutes
                && !(m.is_finite() && m >= 0.0)
            {
                self.error(at, "within_minutes", format!("{} is not a non-negative number of minutes", fmt_num(m)));
            }
        }
        if let Some(weeks) = map.review_every_weeks
            && !(1..=MAX_REVIEW_WEEKS).contains(&weeks)
        {
            self.error(At::Map, "review_every_weeks", format!("{weeks} is outside 1..{MAX_REVIEW_WEEKS}"));
        }
        if let Some(volume) = map.volume
            && !(1..=MAX_VOLUME).contains(&volume)
        {
            self.error(At::Map, "volume", format!("{volume} customers a month is outside 1..{MAX_VOLUME}"));
        }
    }

    /// A commitment says what will be done, and what it names exists.
    fn commitments(&mut self, map: &Map) {
        let pain: FxHashSet<&str> = map.pain_points.iter().map(|p| p.id.as_str()).collect();
        for (index, c) in map.commitments.iter().enumerate() {
            let at = At::Named { list: "commitments", index, kind: "commitment", id: &c.id };
            self.non_empty(at, "action", &c.action);
            if let Some(d) = &c.department
                && self.index.department_ix(d).is_none()
            {
                self.error(at, "department", format!("unknown department \"{d}\""));
            }
            // The file keeps dates as YYYY-MM-DD text, which ends at year 9999.
            if let Some(due) = c.due
                && !(1..=9999).contains(&chrono::Datelike::year(&due))
            {
                self.error(at, "due", format!("{due} is outside the years 1..9999"));
            }
            for (j, link) in c.links.iter().enumerate() {
                if self.index.step_ix(link).is_none() && !pain.contains(link.as_str()) {
                    self.error(at, &format!("links[{j}]"), format!("\"{link}\" is neither a step nor a pain point"));
                }
            }
        }
    }

    /// Names stay labels and free text stays bounded, so a pasted document
    /// cannot make a card unreadable or a file unmanageable.
    fn lengths(&mut self, map: &Map) {
        let check = |v: &mut Self, at: At<'_>, field: &str, value: Option<&str>, max: usize| {
            if let Some(value) = value
                && value.len() > max
            {
                let n = value.chars().count();
                if n > max {
                    v.error(at, field, format!("is {n} characters long; the limit is {max}"));
                }
            }
        };
        check(self, At::Map, "title", Some(&map.title), MAX_NAME_CHARS);
        check(self, At::Map, "description", map.description.as_deref(), MAX_TEXT_CHARS);
        for (index, x) in map.stages.iter().enumerate() {
            let at = At::Named { list: "stages", index, kind: "stage", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "name", Some(&x.name), MAX_NAME_CHARS);
        }
        for (index, x) in map.departments.iter().enumerate() {
            let at = At::Named { list: "departments", index, kind: "department", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "name", Some(&x.name), MAX_NAME_CHARS);
        }
        for (index, x) in map.steps.iter().enumerate() {
            let at = At::Named { list: "steps", index, kind: "step", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "title", Some(&x.title), MAX_NAME_CHARS);
            check(self, at, "owner", x.owner.as_deref(), MAX_NAME_CHARS);
            check(self, at, "channel", x.channel.as_deref(), MAX_NAME_CHARS);
            check(self, at, "notes", x.notes.as_deref(), MAX_TEXT_CHARS);
        }
        for (index, x) in map.flows.iter().enumerate() {
            let at = At::Flow { index, from: &x.from, to: &x.to };
            let quality = x.sla.as_ref().and_then(|s| s.quality.as_deref());
            check(self, at, "sla.quality", quality, MAX_TEXT_CHARS);
        }
        for (index, x) in map.pain_points.iter().enumerate() {
            let at = At::Named { list: "pain_points", index, kind: "pain point", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "text", Some(&x.text), MAX_TEXT_CHARS);
            check(self, at, "owner", x.owner.as_deref(), MAX_NAME_CHARS);
        }
        for (j, name) in map.workshop.participants.iter().enumerate() {
            check(self, At::Map, &format!("workshop.participants[{j}]"), Some(name), MAX_NAME_CHARS);
        }
        for (index, x) in map.charter.iter().enumerate() {
            let at = At::Named { list: "charter", index, kind: "promise", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "text", Some(&x.text), MAX_TEXT_CHARS);
        }
        for (index, x) in map.commitments.iter().enumerate() {
            let at = At::Named { list: "commitments", index, kind: "commitment", id: &x.id };
            check(self, at, "id", Some(&x.id), MAX_NAME_CHARS);
            check(self, at, "action", Some(&x.action), MAX_TEXT_CHARS);
            check(self, at, "owner", x.owner.as_deref(), MAX_NAME_CHARS);
        }
    }

    /// Shares, cycles, entries and reachability: the journey's shape.
    fn shape(&mut self, map: &Map) {
        let graph = self.graph;
        let step_at = |index: usize| At::Named { list: "steps", index, kind: "step", id: &map.steps[index].id };
        let mut given: Vec<Option<f64>> = Vec::new();
        // Outgoing shares of each step, over its forward flows.
        for s in 0..map.steps.len() {
            if self.index.step_ix(&map.steps[s].id) != Some(s) {
                continue; // a duplicate id, reported above
            }
            given.clear();
            given.extend(graph.outgoing(s).iter().map(|&(f, _)| map.flows[f].share_given()));
            if let Err(e) = resolve_shares(&given) {
                self.error(step_at(s), "", share_message("outgoing shares", e));
            }
        }
        let entries = graph.entries();
        let mut is_entry = vec![false; map.steps.len()];
        for &e in &entries {
            is_entry[e] = true;
        }
        for (s, step) in map.steps.iter().enumerate() {
            if step.entry_share.is_some() && !is_entry[s] {
                self.error(
                    step_at(s),
                    "entry_share",
                    "entry_share is set but the step has incoming flows, so it is not an entry".to_owned(),
                );
            }
        }
        let entry_shares: Vec<Option<f64>> = entries.iter().map(|&s| map.steps[s].entry_share).collect();
        match resolve_entry_shares(&entry_shares) {
            Err(e) => {
                self.error(At::List { list: "steps", element: "entry steps" }, "", share_message("entry shares", e))
            }
            Ok(resolved) => {
                for (&s, share) in entries.iter().zip(resolved) {
                    if share <= 0.0 {
                        self.warning(
                            step_at(s),
                            "",
                            "no customer starts here: the given entry shares already sum to 1; connect the step or give it an entry share".to_owned(),
                        );
                    }
                }
            }
        }
        for cycle in graph.cycles() {
            // Titles, as the room knows the steps; the element names the first by id.
            let names: Vec<&str> = cycle.iter().map(|&s| map.steps[s].title.as_str()).collect();
            self.error(
                step_at(cycle[0]),
                "",
                format!(
                    "forward flows form a cycle: {} → {}; mark the flow that sends customers back as rework",
                    names.join(" → "),
                    names[0]
                ),
            );
        }
        // No separate check that every step is reachable from an entry:
        // entries are the steps without incoming forward flows, so only a
        // loop can cut a step off, and the loop is named above. Listing each
        // step it cuts off as well would bury the cause.
    }
}

/// The warning for a map whose steps are not yet connected.
pub const NOT_CONNECTED: &str = "no step is connected to another yet, so every step counts as a visit of its own (a customer who meets only that step): connect the steps in the order customers meet them";

fn fmt_num(x: f64) -> String {
    format!("{x:?}")
}

fn quoted(kind: &str, id: &str) -> String {
    format!("{kind} \"{id}\"")
}

fn share_message(what: &str, e: ShareError) -> String {
    match e {
        ShareError::Over(sum) => {
            format!(
                "{what} sum to {sum:.3}, more than 1: every customer takes exactly one way on, so they must sum to 1"
            )
        }
        ShareError::Under(sum) => {
            format!(
                "{what} sum to {sum:.3}, less than 1: every customer takes exactly one way on, so they must sum to 1"
            )
        }
        ShareError::NothingLeft(sum) => {
            format!(
                "{what} given sum to {sum:.3}, leaving nothing for the flows without a share: the given ones must sum to less than 1"
            )
        }
    }
}

/// True for `#rrggbb`.
#[must_use]
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The candidate closest to `wanted` by edit distance, when close enough to
/// be a likely typo.
#[must_use]
pub fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let w = wanted.to_lowercase();
    let close = |c: &str| {
        let c = c.to_lowercase();
        let d = levenshtein(&w, &c);
        // A typo, or one name the start of the other ("payment" for "pay").
        let prefix = c.len() >= 3 && w.len() >= 3 && (w.starts_with(&c) || c.starts_with(&w));
        (d <= (w.chars().count() / 3).max(2) || prefix).then_some(d)
    };
    candidates.filter_map(|c| close(c).map(|d| (d, c))).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// " (did you mean \"final_payment_received\"?)" for a step id that is not
/// the map's, when one is close; else nothing.
fn did_you_mean(id: &str, map: &Map) -> String {
    nearest(id, map.steps.iter().map(|s| s.id.as_str()))
        .map(|n| format!(" (did you mean \"{n}\"?)"))
        .unwrap_or_default()
}
