//! Which activity of a log is which step of a map.
//!
//! Each activity binds to at most one step: by a mapping file (`activity,step`,
//! one pair per line, a header optional), else by name: the step's id or
//! title equals the activity, ignoring letter case and runs of spaces. A
//! step with a bound activity is *logged*. Activities bound to no step are
//! reported with their counts, never silently lost.

use std::path::Path;

use rustc_hash::FxHashMap;
use waymark::Map;

/// Activity → step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// For each activity of the log (by number), the step (by index) it binds to.
    pub step_of: Vec<Option<usize>>,
    /// Whether a mapping file gave the pairs.
    pub from_mapping: bool,
    /// For each step, whether an activity binds to it.
    logged: Vec<bool>,
}

/// Why a mapping cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {what}")]
pub struct MappingError {
    /// The mapping file's name.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// What is wrong.
    pub what: String,
}

/// A name as compared: lower case, runs of white space as one space, trimmed.
#[must_use]
pub fn normal(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A mapping file's pairs, each checked against the map's steps.
///
/// # Errors
/// A line without two fields, or naming a step the map does not have
/// (nearest id suggested), or an activity mapped twice.
pub fn read_mapping(path: &Path, map: &Map) -> Result<Vec<(String, usize)>, MappingError> {
    read_pairs(path, map, "activity")
}

/// A mapping file of `what,step` pairs (`what` names the first field: an
/// activity of a log, a column of a survey), each checked against the map.
///
/// # Errors
/// As [`read_mapping`].
pub fn read_pairs(path: &Path, map: &Map, what: &str) -> Result<Vec<(String, usize)>, MappingError> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let fail = |line: u64, what: String| MappingError { file: file.clone(), line, what };
    let text = std::fs::read_to_string(path).map_err(|e| fail(0, e.to_string()))?;
    let steps: FxHashMap<String, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    let mut pairs: Vec<(String, usize)> = Vec::new();
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(',')) { b',' } else { b';' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 1;
        let record = record.map_err(|e| fail(line, e.to_string()))?;
        let fields: Vec<&str> = record.iter().map(str::trim).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let [activity, step] = fields[..] else {
            return Err(fail(line, format!("{} fields; each line is {what},step", fields.len())));
        };
        if line == 1 && activity.eq_ignore_ascii_case(what) && step.eq_ignore_ascii_case("step") {
            continue;
        }
        let Some(&s) = steps.get(step) else {
            let hint = nearest(step, map.steps.iter().map(|s| s.id.as_str()))
                .map(|n| format!(" (did you mean \"{n}\"?)"))
                .unwrap_or_default();
            return Err(fail(line, format!("the map has no step \"{step}\"{hint}")));
        };
        if pairs.iter().any(|(a, _)| a == activity) {
            return Err(fail(line, format!("{what} \"{activity}\" is mapped twice")));
        }
        pairs.push((activity.to_owned(), s));
    }
    Ok(pairs)
}

impl Binding {
    /// Binds `activities` to the steps of `map`, by `mapping` when given,
    /// else by name.
    #[must_use]
    pub fn new(activities: &[String], map: &Map, mapping: Option<&[(String, usize)]>) -> Self {
        let step_of: Vec<Option<usize>> = match mapping {
            Some(pairs) => {
                let by: FxHashMap<&str, usize> = pairs.iter().map(|(a, s)| (a.as_str(), *s)).collect();
                activities.iter().map(|a| by.get(a.as_str()).copied()).collect()
            }
            None => {
                let mut by: FxHashMap<String, usize> = FxHashMap::default();
                // Titles first, so an id equal to another step's title wins.
                for (i, s) in map.steps.iter().enumerate() {
                    by.entry(normal(&s.title)).or_insert(i);
                }
                for (i, s) in map.steps.iter().enumerate() {
                    by.insert(normal(&s.id), i);
                }
                activities.iter().map(|a| by.get(&normal(a)).copied()).collect()
            }
        };
        let mut logged = vec![false; map.steps.len()];
        for s in step_of.iter().flatten() {
            logged[*s] = true;
        }
        Self { step_of, from_mapping: mapping.is_some(), logged }
    }

    /// Whether step `v` has an activity bound to it.
    #[must_use]
    pub fn logged(&self, v: usize) -> bool {
        self.logged.get(v).copied().unwrap_or(false)
    }
}

/// The candidate closest to `wanted`, as the core suggests it.
pub use waymark::validate::nearest;
