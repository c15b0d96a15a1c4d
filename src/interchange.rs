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
    let mut value: Value = serde_json::from_str(text).map_err(|e| ImportError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    })?;
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
    from_value_with_path(value)
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
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    text.push('\n');
    text
}
