//! The files a user points Waymark at: a map in either of its forms. Outputs
//! are written through [`crate::atomic`].

use std::path::{Path, PathBuf};

use crate::interchange::{self, ImportError};
use crate::model::Map;
use crate::store::{MapFile, StoreError};

/// Why a map could not be read from a file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The `.waymark` file could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The JSON file could not be read.
    #[error("{}: {source}", .path.display())]
    Import {
        /// The file.
        path: PathBuf,
        /// What was wrong in it.
        #[source]
        source: ImportError,
    },
    /// The file could not be read at all.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
}

/// True when `path` names an interchange document rather than a `.waymark` file.
#[must_use]
pub fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads the map in a `.json` or `.waymark` file without validating it, so the
/// caller can report every problem the map has.
pub fn load_unvalidated(path: &Path) -> Result<Map, LoadError> {
    if is_json(path) {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.to_owned(), source })?;
        interchange::read_unvalidated(&text).map_err(|source| LoadError::Import { path: path.to_owned(), source })
    } else {
        Ok(MapFile::open(path)?.load()?)
    }
}
