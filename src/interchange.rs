//! The JSON interchange format, `waymark/1`.
//!
//! A map travels between machines, tools and versions as one JSON document; the
//! app's own file is SQLite. Reading goes in three steps so that each failure
//! says precisely what is wrong: the JSON must parse, its `format` must be one this
//! version reads, and its fields must have the right shape (reported with the
//! field path, via `serde_path_to_error`). Whether the map then makes sense
//! (references, ranges, shares, cycles) is [`crate::validate`]'s job; [`read`]
//! runs it too and refuses a map with errors, so nothing invalid gets imported.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::edit::MapField;
use crate::model::Map;
use crate::validate::{Report, validate};

/// The format this version writes, and the newest it reads.
pub const FORMAT: &str = "waymark/1";
const FORMAT_PREFIX: &str = "waymark/";

/// Why a JSON document could not be read as a map.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON at all.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// JSON, but not a Waymark map of a version this app reads.
    #[error("format: {0}")]
    Format(String),
    /// Fields missing or of the wrong type: every one found, in document order.
    #[error("{}", shape_text(.0))]
    Shape(Vec<ShapeProblem>),
    /// Well formed, but the map breaks the rules of the format.
    #[error("the map is invalid:\n{0}")]
    Invalid(Report),
}

/// A field missing or of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeProblem {
    /// Field path, e.g. `steps[3].promised_minutes`.
    pub path: String,
    /// What is wrong there, in the reader's words.
    pub message: String,
}

fn shape_text(problems: &[ShapeProblem]) -> String {
    let line = |p: &ShapeProblem| format!("{}: {}", p.path, p.message);
    match problems {
        [one] => line(one),
        many => {
            let lines: Vec<String> = many.iter().map(line).collect();
            format!("{} problems:\n  {}", many.len(), lines.join("\n  "))
        }
    }
}

/// Reads a document and validates the map in it; refuses a map with errors.
pub fn read(text: &str) -> Result<Map, ImportError> {
    let map = read_unvalidated(text)?;
    let report = validate(&map);
    if report.is_valid() { Ok(map) } else { Err(ImportError::Invalid(report)) }
}

/// Reads a document without judging the map in it, so that `validate` can list
/// every problem of a JSON file as it does for a `.waymark` file.
pub fn read_unvalidated(text: &str) -> Result<Map, ImportError> {
    let mut value = parse(text)?;
    check_format(&mut value)?;
    infer_follows_ratings(&mut value);
    let mut map: Map = from_value_with_path(value)?;
    let steps = map.steps.clone();
    refer_by_title(&mut map, &steps);
    Ok(map)
}

/// Lets a document name a step by its exact title where an id is wanted
/// (a flow's ends, a pain point's step), when no step has that id and
/// exactly one of `steps` has that title: the reference becomes its id.
pub fn refer_by_title(map: &mut Map, steps: &[crate::model::Step]) {
    let known: rustc_hash::FxHashSet<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    let resolve = |r: &mut String| {
        if known.contains(r.as_str()) {
            return;
        }
        let mut titled = steps.iter().filter(|s| s.title == *r);
        if let (Some(only), None) = (titled.next(), titled.next()) {
            r.clone_from(&only.id);
        }
    };
    for flow in &mut map.flows {
        resolve(&mut flow.from);
        resolve(&mut flow.to);
    }
    for p in &mut map.pain_points {
        resolve(&mut p.step);
    }
}

/// Documents written before `follows_ratings` existed carry rated steps
/// without it; their writer took a score equal to the ratings' mean as
/// following them, so that is what such a step meant then. (This version
/// writes the field on every rated step, so the rule never applies to its
/// own documents.)
fn infer_follows_ratings(value: &mut Value) {
    let Some(steps) = value.get_mut("steps").and_then(Value::as_array_mut) else { return };
    for step in steps.iter_mut().filter_map(Value::as_object_mut) {
        if step.contains_key("follows_ratings") {
            continue;
        }
        let Some(scores) = step
            .get("ratings")
            .and_then(Value::as_array)
            .map(|rs| rs.iter().filter_map(|r| r.get("score").and_then(Value::as_f64)).collect::<Vec<f64>>())
        else {
            continue;
        };
        if scores.is_empty() {
            continue;
        }
        let rated = crate::model::Step::mean_of(scores.into_iter());
        let follows = step.get("score").and_then(Value::as_f64) == Some(rated);
        step.insert("follows_ratings".into(), Value::Bool(follows));
    }
}

/// Reads a document to add to a map (`import --into`): every list is
/// optional and so is the title, since the map has its own. Returns the
/// items as a map, and the map-wide fields the document carries, which the
/// map takes (a field left out of the document stays the map's).
pub fn read_addition(text: &str) -> Result<(Map, Vec<MapField>), ImportError> {
    let mut value = parse(text)?;
    check_format(&mut value)?;
    let fields = MapField::ALL.into_iter().filter(|f| carries(&value, f.path())).collect();
    if let Some(object) = value.as_object_mut() {
        object.entry("title").or_insert_with(|| Value::String(String::new()));
        for list in ["stages", "departments", "steps", "flows"] {
            object.entry(list).or_insert_with(|| Value::Array(Vec::new()));
        }
    }
    // Titles are resolved against the map as well as the document, by the
    // caller who has the map (see `refer_by_title`).
    Ok((from_value_with_path(value)?, fields))
}

/// Whether the document has a value at a dotted path (`settings.standard`).
fn carries(value: &Value, path: &str) -> bool {
    path.split('.').try_fold(value, |v, key| v.get(key)).is_some()
}

fn parse(text: &str) -> Result<Value, ImportError> {
    serde_json::from_str(text).map_err(|e| ImportError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    })
}

/// Takes `format` out of the document, refusing anything but `waymark/1`.
fn check_format(value: &mut Value) -> Result<(), ImportError> {
    let Some(object) = value.as_object_mut() else {
        return Err(ImportError::Format("the document is not a JSON object, so not a Waymark map".into()));
    };
    match object.remove("format") {
        None => {
            return Err(ImportError::Format(format!("missing; a Waymark map starts with \"format\": \"{FORMAT}\"")));
        }
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) if f.starts_with(FORMAT_PREFIX) => {
            return Err(ImportError::Format(format!(
                "\"{f}\" was written by a newer Waymark; this version reads \"{FORMAT}\""
            )));
        }
        Some(other) => {
            return Err(ImportError::Format(format!("{other} is not a Waymark format; expected \"{FORMAT}\"")));
        }
    }
    Ok(())
}

fn from_value_with_path<T: DeserializeOwned>(value: Value) -> Result<T, ImportError> {
    match serde_path_to_error::deserialize(&value) {
        Ok(t) => Ok(t),
        Err(first) => Err(ImportError::Shape(every_shape_problem::<T>(value, &first))),
    }
}

/// The most shape problems listed for one document.
const MOST_SHAPE_PROBLEMS: usize = 50;

/// Every shape problem of a document, not only the first serde meets: each
/// one found is noted, the offending field taken out of a copy (or, for a
/// missing field, the item that lacks it), and the copy read again.
fn every_shape_problem<T: DeserializeOwned>(
    mut value: Value,
    first: &serde_path_to_error::Error<serde_json::Error>,
) -> Vec<ShapeProblem> {
    let mut problems = Vec::new();
    let mut next = Some((first.path().clone(), first.inner().to_string()));
    // Each round takes something out or puts a missing field in; the bound
    // is for a document no round makes progress on.
    let mut rounds = 0;
    while let Some((path, raw)) = next.take() {
        rounds += 1;
        if rounds > 4 * MOST_SHAPE_PROBLEMS {
            break;
        }
        let segments: Vec<Segment> = path.iter().filter_map(Segment::of).collect();
        let missing = raw.strip_prefix("missing field `").and_then(|r| r.split('`').next()).map(str::to_owned);
        let unknown = raw.strip_prefix("unknown field `").and_then(|r| r.split('`').next()).map(str::to_owned);
        let (at, message) = match (&missing, &unknown) {
            (Some(field), _) => (joined(&path.to_string(), field), "missing".to_owned()),
            (_, Some(field)) => {
                // serde's path already ends at the unknown field.
                let known = raw.split_once(", expected ").map_or(String::new(), |(_, k)| format!(" (expected {k})"));
                (path.to_string(), format!("\"{field}\" is not a field Waymark knows{known}"))
            }
            _ => (path.to_string(), in_words(&path.to_string(), &raw)),
        };
        let at = if at == "." || at.is_empty() { "(document)".to_owned() } else { at };
        // A field already reported as wrong and taken out now reads as
        // missing: the same problem, not a second one.
        let already = missing.is_some() && problems.iter().any(|p: &ShapeProblem| p.path == at);
        if !already {
            problems.push(ShapeProblem { path: at, message });
        }
        if problems.len() >= MOST_SHAPE_PROBLEMS {
            break;
        }
        // A missing field gets a stand-in where it belongs, so no item moves
        // and later problems keep their paths; failing that, its item goes.
        let repaired = match &missing {
            Some(field) => fill::<T>(&mut value, &segments, field) || drop_item(&mut value, &segments),
            None => drop_field(&mut value, &segments),
        };
        if !repaired {
            break;
        }
        if let Err(e) = serde_path_to_error::deserialize::<_, T>(&value) {
            next = Some((e.path().clone(), e.inner().to_string()));
        }
    }
    problems
}

/// A step of a path into a document.
enum Segment {
    Index(usize),
    Key(String),
}

impl Segment {
    fn of(s: &serde_path_to_error::Segment) -> Option<Self> {
        match s {
            serde_path_to_error::Segment::Seq { index } => Some(Self::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Self::Key(key.clone())),
            _ => None,
        }
    }
}

fn joined(path: &str, field: &str) -> String {
    if path == "." || path.is_empty() { field.to_owned() } else { format!("{path}.{field}") }
}

fn at_mut<'v>(value: &'v mut Value, segments: &[Segment]) -> Option<&'v mut Value> {
    segments.iter().try_fold(value, |v, s| match s {
        Segment::Index(i) => v.get_mut(*i),
        Segment::Key(k) => v.get_mut(k.as_str()),
    })
}

/// Takes the field at `segments` out of the document.
fn drop_field(value: &mut Value, segments: &[Segment]) -> bool {
    let Some((last, parent)) = segments.split_last() else { return false };
    match (at_mut(value, parent), last) {
        (Some(Value::Object(o)), Segment::Key(k)) => o.remove(k).is_some(),
        (Some(Value::Array(a)), Segment::Index(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// Takes out the list item that holds `segments` (the innermost one), or, at
/// the top, gives up: a document missing `title` has no item to drop.
fn drop_item(value: &mut Value, segments: &[Segment]) -> bool {
    match segments.iter().rposition(|s| matches!(s, Segment::Index(_))) {
        Some(i) => drop_field(value, &segments[..=i]),
        None => false,
    }
}

/// Gives a missing field a stand-in of whichever shape the reader takes, so
/// the fields after it are read too.
fn fill<T: DeserializeOwned>(value: &mut Value, segments: &[Segment], field: &str) -> bool {
    let stand_ins = [
        Value::Array(Vec::new()),
        Value::String(String::new()),
        Value::Object(serde_json::Map::new()),
        Value::from(1),
        Value::Bool(false),
    ];
    let target = joined(&segments_text(segments), field);
    for stand_in in stand_ins {
        let Some(Value::Object(object)) = at_mut(value, segments) else { return false };
        object.insert(field.to_owned(), stand_in);
        let still = serde_path_to_error::deserialize::<_, T>(&*value).err().is_some_and(|e| {
            let p = e.path().to_string();
            p == target || p.starts_with(&format!("{target}[")) || p.starts_with(&format!("{target}."))
        });
        if !still {
            return true;
        }
    }
    false
}

fn segments_text(segments: &[Segment]) -> String {
    let mut text = String::new();
    for s in segments {
        match s {
            Segment::Index(i) => {
                use std::fmt::Write as _;
                let _ = write!(text, "[{i}]");
            }
            Segment::Key(k) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(k);
            }
        }
    }
    text
}

/// serde's "invalid type: string \"2 days\", expected f64" as a reader says it:
/// "must be a number of minutes, not \"2 days\"".
fn in_words(path: &str, raw: &str) -> String {
    let Some(rest) = raw.strip_prefix("invalid type: ").or_else(|| raw.strip_prefix("invalid value: ")) else {
        if let Some(rest) = raw.strip_prefix("unknown variant `")
            && let Some((variant, expected)) = rest.split_once("`, expected ")
        {
            return format!("\"{variant}\" is not one of {}", expected.trim_start_matches("one of "));
        }
        return raw.to_owned();
    };
    let Some((got, expected)) = rest.split_once(", expected ") else { return raw.to_owned() };
    let got = match got {
        "null" => "null".to_owned(),
        "sequence" => "a list".to_owned(),
        "map" => "an object".to_owned(),
        // `string "2 days"`, `integer `5``, `floating point `2.5``, `boolean `true``.
        other => match other.strip_prefix("string ") {
            Some(quoted) => quoted.to_owned(),
            None => match (other.find('`'), other.rfind('`')) {
                (Some(a), Some(b)) if b > a => other[a + 1..b].to_owned(),
                _ => other.to_owned(),
            },
        },
    };
    let field = path.rsplit('.').next().unwrap_or(path);
    let number = |what: &str| {
        if field.ends_with("_minutes") {
            format!("a {what} of minutes")
        } else if field.ends_with("_weeks") {
            format!("a {what} of weeks")
        } else {
            format!("a {what}")
        }
    };
    let wanted = match expected {
        "f64" | "f32" => number("number"),
        "u8" | "u16" | "u32" | "u64" | "usize" => number("whole number"),
        "i8" | "i16" | "i32" | "i64" | "isize" => number("whole number"),
        "a boolean" => "true or false".to_owned(),
        "a string" => "text".to_owned(),
        "a sequence" => "a list".to_owned(),
        e if e.starts_with("struct ") || e == "a map" => "an object".to_owned(),
        e => e.to_owned(),
    };
    format!("must be {wanted}, not {got}")
}

/// serde_json appends " at line L column C" to its messages; the error already
/// carries those numbers.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Writes a map as a pretty-printed `waymark/1` document, `format` first.
#[must_use]
pub fn write(map: &Map) -> String {
    let mut out = serde_json::Map::new();
    out.insert("format".into(), Value::String(FORMAT.into()));
    // A map always serialises to an object; anything else would be a bug in the
    // derives, and an empty object then still names the format.
    if let Ok(Value::Object(fields)) = serde_json::to_value(map) {
        out.extend(fields);
    }
    // A rated step says whether its score follows the ratings either way,
    // so a reader never has to guess (see `infer_follows_ratings`).
    if let Some(steps) = out.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps.iter_mut().filter_map(Value::as_object_mut) {
            if step.contains_key("ratings") && !step.contains_key("follows_ratings") {
                step.insert("follows_ratings".into(), Value::Bool(false));
            }
        }
    }
    let mut doc = Value::Object(out);
    no_negative_zero(&mut doc);
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes −0 as 0 throughout `value`: "-0.0" in a document or a report's
/// JSON reads as a figure below zero to anyone but a machine.
pub fn no_negative_zero(value: &mut Value) {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) => {
            *n = serde_json::Number::from_f64(0.0).unwrap_or_else(|| 0.into());
        }
        Value::Array(items) => items.iter_mut().for_each(no_negative_zero),
        Value::Object(fields) => fields.values_mut().for_each(no_negative_zero),
        _ => {}
    }
}
