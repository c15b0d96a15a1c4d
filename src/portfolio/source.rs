//! Where a portfolio's journeys come from: a folder of maps, read without
//! taking any map's lock or changing a file. (A library's maps are read by
//! `waymark-library`, into the same [`Read`].)

use std::path::Path;

use chrono::NaiveDate;

use crate::interchange;
use crate::model::Map;
use crate::portfolio::Skipped;
use crate::portfolio::names::{ALIASES_FILE, AliasError, Names};
use crate::store::MapFile;

/// A journey as read, before it is analysed.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it was found: its path inside the folder, or its library id.
    pub source: String,
    /// Its `.waymark` file, which the window can open.
    pub file: Option<std::path::PathBuf>,
    /// The map.
    pub map: Map,
    /// The day of its last review, if it has one.
    pub last_review: Option<NaiveDate>,
}

/// Every map a source holds, what was skipped and why, and the department
/// aliases it lists.
#[derive(Debug, Clone)]
pub struct Read {
    /// The folder or library, as the portfolio names it.
    pub place: String,
    /// The maps, in a stable order (by path, or by library id).
    pub journeys: Vec<Loaded>,
    /// What was not a map, or could not be read.
    pub skipped: Vec<Skipped>,
    /// How department names match.
    pub names: Names,
}

/// Why a source could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The folder is missing or unreadable.
    #[error("{path}: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The alias list is unreadable or ambiguous.
    #[error(transparent)]
    Aliases(#[from] AliasError),
    /// The store the maps are kept in refused (the organisation's library);
    /// its own error, in its words.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

/// Reads every `.waymark` file and waymark/1 `.json` document under `dir`,
/// at any depth. Files of other kinds are listed as skipped, so a user who
/// expected a map there learns why it is not counted; the SQLite and lock
/// files that sit beside an open map, hidden files and the alias list are
/// passed over in silence.
///
/// # Errors
/// The folder itself cannot be read, or its alias list is unusable.
pub fn folder(dir: &Path) -> Result<Read, SourceError> {
    // "." says nothing on a report's first page; the folder's full path
    // does, and walking it gives every journey's file its full path too.
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let dir = root.as_path();
    let place = dir.display().to_string();
    let meta = std::fs::metadata(dir).map_err(|source| SourceError::Folder { path: place.clone(), source })?;
    if !meta.is_dir() {
        let source = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder");
        return Err(SourceError::Folder { path: place, source });
    }
    let aliases = dir.join(ALIASES_FILE);
    let names = if aliases.is_file() { Names::from_csv(&aliases)? } else { Names::plain() };
    let mut journeys = Vec::new();
    let mut skipped = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| place.clone(), |p| relative(dir, p));
                skipped.push(Skipped {
                    path,
                    reason: format!(
                        "cannot be read: {}",
                        e.io_error().map_or_else(|| e.to_string(), ToString::to_string)
                    ),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.depth() == 1 && entry.file_name() == ALIASES_FILE {
            continue;
        }
        let path = entry.path();
        let source = relative(dir, path);
        let name = entry.file_name().to_string_lossy();
        if ["-wal", "-shm", "-journal"].iter().any(|s| name.ends_with(s)) {
            continue;
        }
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let read = match extension.as_deref() {
            Some("waymark") => MapFile::peek(path).map_err(|e| e.to_string()).map(|(map, reviews)| {
                let last_review = reviews.iter().map(|r| r.taken_on).max();
                (map, last_review)
            }),
            Some("json") => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot be read: {e}"))
                .and_then(|text| interchange::read_unvalidated(&text).map_err(|e| format!("not a Waymark map: {e}")))
                .map(|map| (map, None)),
            _ => Err("not a map: only .waymark files and waymark/1 .json documents are read".to_owned()),
        };
        match read {
            Ok((map, last_review)) => {
                let file = (extension.as_deref() == Some("waymark")).then(|| path.to_owned());
                journeys.push(Loaded { source, file, map, last_review });
            }
            Err(reason) => skipped.push(Skipped { path: source, reason }),
        }
    }
    Ok(Read { place, journeys, skipped, names })
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}
