//! The one error shape that crosses the bridge: `{ code, message }`.
//!
//! Inside the shell, failures are an `AppError` enum (thiserror). At the
//! bridge they become a [`CommandError`] whose `code` is a small closed enum
//! mirrored into TypeScript, so the window branches on the code and shows the
//! message; it never parses text.

use std::path::PathBuf;

use serde::Serialize;
use waymark::store::StoreError;

/// What the window can do something about. Only codes the UI uses exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No map is open yet.
    NoMap,
    /// The chosen file does not exist (any more).
    NotFound,
    /// The file is not a Waymark map: random bytes, another program's
    /// database, a truncated copy.
    NotAMap,
    /// The map was saved by a newer Waymark.
    TooNew,
    /// The file is a Waymark map but damaged inside.
    Damaged,
    /// The system refused to read or write.
    Io,
    /// The map is open read-only (open in another Waymark window, or the
    /// file may not be written): the change was refused before anything was
    /// written. The window offers to save a copy elsewhere.
    ReadOnly,
    /// Writing an edit to the map's file failed (disk full, the system
    /// refused a write): the file and the map in the window are as before
    /// the edit, which is kept so that a copy saved elsewhere includes it.
    NotSaved,
    /// The window asked for a change the map does not allow (a value out of
    /// range); nothing was changed.
    Invalid,
    /// The workshop room could not open, or is not open.
    Room,
    /// A portfolio's folder or library could not be read.
    Portfolio,
    /// The library asks for a password, or refused the one given: the
    /// window asks for it (and keeps it for this session only).
    Password,
    /// The library could not be used (unreachable, not a library, no such
    /// map): the message says which.
    Library,
    /// The user stopped what was under way (an event log being read): the
    /// window closes what it showed for it, without an error.
    Cancelled,
}

/// A failure inside the shell.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing is open.
    #[error("no map is open; choose File › Open…")]
    NoMap,
    /// Opening or saving a `.waymark` file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A change was valid but writing it to the file failed (disk full, an
    /// I/O error); the file holds the map as before it. Not used for a
    /// read-only map, whose changes are refused before any write.
    #[error("{0}")]
    NotSaved(StoreError),
    /// Preparing the first-run sample failed.
    #[error("could not prepare the sample map in {}: {source}", .dir.display())]
    DataDir {
        /// The app's data directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Reading an import or writing an export failed; nothing was left at
    /// the destination.
    #[error("could not read or write {}: {source}", .path.display())]
    Export {
        /// Where the user asked to save.
        path: PathBuf,
        /// The system's reason (no permission, disk full, folder gone…).
        #[source]
        source: std::io::Error,
    },
    /// The map cannot be reported on (it has errors).
    #[error("{0}")]
    Report(String),
    /// A change was refused: it would make the map invalid.
    #[error("{0}")]
    Invalid(String),
    /// The shell itself failed (no data directory, no window).
    #[error("{0}")]
    Shell(String),
    /// The workshop room could not open, or is not open.
    #[error("{0}")]
    Room(String),
    /// A portfolio's folder or library could not be read (the folder is
    /// gone, its alias list is ambiguous, the library refused).
    #[error("{0}")]
    Portfolio(String),
    /// The user cancelled a read under way.
    #[error("cancelled")]
    Cancelled,
}

impl AppError {
    /// The code the window branches on.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NoMap => ErrorCode::NoMap,
            Self::Store(e) => match e {
                StoreError::NotFound { .. } => ErrorCode::NotFound,
                StoreError::NotSqlite { .. } | StoreError::Truncated { .. } | StoreError::Foreign { .. } => {
                    ErrorCode::NotAMap
                }
                StoreError::TooNew { .. } => ErrorCode::TooNew,
                StoreError::Corrupt { .. } => ErrorCode::Damaged,
                StoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
                StoreError::Exists { .. } | StoreError::Io { .. } | StoreError::Sqlite { .. } => ErrorCode::Io,
                StoreError::Other(e) => e.downcast_ref().map_or(ErrorCode::Library, library_code),
            },
            Self::NotSaved(_) => ErrorCode::NotSaved,
            Self::Invalid(_) | Self::Report(_) => ErrorCode::Invalid,
            Self::Export { .. } => ErrorCode::Io,
            Self::DataDir { .. } | Self::Shell(_) => ErrorCode::Io,
            Self::Room(_) => ErrorCode::Room,
            Self::Portfolio(_) => ErrorCode::Portfolio,
            Self::Cancelled => ErrorCode::Cancelled,
        }
    }
}

/// The code of a library's refusal.
fn library_code(e: &waymark_library::LibraryError) -> ErrorCode {
    use waymark_library::LibraryError;
    match e {
        LibraryError::PasswordNeeded { .. } | LibraryError::PasswordRefused { .. } => ErrorCode::Password,
        LibraryError::Denied { .. } => ErrorCode::ReadOnly,
        _ => ErrorCode::Library,
    }
}

impl From<waymark_library::LibraryError> for AppError {
    fn from(e: waymark_library::LibraryError) -> Self {
        Self::Store(e.into())
    }
}

/// The error as the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CommandError {
    /// What kind of failure, for the window to branch on.
    pub code: ErrorCode,
    /// What happened, in words for the user.
    pub message: String,
}

impl From<AppError> for CommandError {
    fn from(e: AppError) -> Self {
        Self::from(&e)
    }
}

impl From<&AppError> for CommandError {
    fn from(e: &AppError) -> Self {
        Self { code: e.code(), message: e.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_the_bridge_as_code_and_message() {
        let e = CommandError::from(AppError::Store(StoreError::NotSqlite { path: "/tmp/x.waymark".into() }));
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["code"], "not_a_map", "the UI matches on snake_case codes");
        assert!(
            json["message"]
                .as_str()
                .is_some_and(|m| m.contains("/tmp/x.waymark") && m.contains("not an SQLite database")),
            "the message names the file and the reason: {json}"
        );
        assert_eq!(json.as_object().map(serde_json::Map::len), Some(2), "exactly {{ code, message }}");
    }
}
