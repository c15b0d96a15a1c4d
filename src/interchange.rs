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
    /// A field is missing or of the wrong type.
    #[error("{path}: {message}")]
    Shape {
        /// Field path, e.g. `steps[3].score`.
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// Well formed, but the map breaks the rules of the format.
    #[error("the map is invalid:\n{0}")]
    Invalid(Report),
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
    from_value_with_path(value)
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
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ImportError::Shape {
            path: if path == "." { "(document)".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })
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
