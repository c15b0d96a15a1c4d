//! A library's maps as a portfolio, and the one place that decides whether
//! a portfolio's source is a library or a folder.

use std::path::Path;

use crate::{Library, is_library_ref};
use waymark::portfolio::{Loaded, Names, Read, Skipped, SourceError, folder};

/// Reads a portfolio from what a user named: a library's `postgres://` URL,
/// else a folder.
///
/// # Errors
/// As [`library`] or [`folder`].
pub fn read(source: &str) -> Result<Read, SourceError> {
    if is_library_ref(source) { library(source) } else { folder(Path::new(source)) }
}

/// Reads every map of the library at `url`, in one snapshot.
///
/// # Errors
/// The library cannot be reached or is not a library.
pub fn library(url: &str) -> Result<Read, SourceError> {
    let mut library = Library::open(url)?;
    let place = library.place();
    let mut journeys = Vec::new();
    let mut skipped = Vec::new();
    for document in library.documents()? {
        match document.map {
            Ok(map) => {
                journeys.push(Loaded { source: document.id, file: None, map, last_review: document.last_review });
            }
            Err(reason) => skipped.push(Skipped { path: document.id, reason }),
        }
    }
    let names = Names::from_lines(&format!("the aliases of {place}"), library.aliases()?)?;
    Ok(Read { place, journeys, skipped, names })
}
