//! What can go wrong with a library, in the words its user needs: which
//! library, what happened, and what to do. The server's own message is kept
//! where it helps whoever has to dig further.

use postgres::error::SqlState;

use waymark::portfolio::SourceError;
use waymark::store::{ApplyError, StoreError};

/// Why a library could not be used. Nothing in the library was changed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The URL is not one a library can be reached at.
    #[error("{detail}")]
    BadAddress {
        /// What is wrong with it.
        detail: String,
    },
    /// No server answered.
    #[error("the library at {place} cannot be reached: {detail}; is the server running, and is the address right?")]
    Unreachable {
        /// The library, without its password.
        place: String,
        /// The system's reason.
        detail: String,
    },
    /// The server asked for a password and none was given.
    #[error(
        "the library at {place} needs a password for user \"{user}\": put it in ~/.pgpass (host:port:database:user:password, mode 0600) or PGPASSWORD"
    )]
    PasswordNeeded {
        /// The library.
        place: String,
        /// The user name.
        user: String,
    },
    /// The password (or the user) was refused.
    #[error("the library at {place} refused user \"{user}\": wrong password or no such user")]
    PasswordRefused {
        /// The library.
        place: String,
        /// The user name.
        user: String,
    },
    /// The server has no such database.
    #[error("{place}: no such database on the server; create it first (createdb) and then `waymark library init`")]
    NoDatabase {
        /// The library.
        place: String,
    },
    /// A database, but not a library.
    #[error("{place} is not a Waymark library; make it one with `waymark library init URL`")]
    NotALibrary {
        /// The database.
        place: String,
    },
    /// A database holding someone else's tables: Waymark does not mix its
    /// own into them.
    #[error("{place} already holds tables that are not Waymark's; make an empty database the library instead")]
    Occupied {
        /// The database.
        place: String,
    },
    /// Made by a newer Waymark.
    #[error(
        "the library at {place} was made by a newer Waymark (library schema version {found}; this version reads up to {supported}); update Waymark to use it"
    )]
    TooNew {
        /// The library.
        place: String,
        /// Its schema version.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// No map by that id.
    #[error("the library at {place} has no map \"{id}\" (`waymark library list` shows its maps)")]
    NoSuchMap {
        /// The library.
        place: String,
        /// The id asked for.
        id: String,
    },
    /// The map this window or command was editing is gone: someone
    /// deleted it from the library meanwhile.
    #[error(
        "the map \"{id}\" was deleted from the library at {place} by someone else; nothing was stored (save a copy to keep it)"
    )]
    Deleted {
        /// The library.
        place: String,
        /// The map's id.
        id: String,
    },
    /// The id is taken.
    #[error("the library at {place} already has a map \"{id}\"; push it under another id with --id")]
    MapExists {
        /// The library.
        place: String,
        /// The id.
        id: String,
    },
    /// Not a valid map id.
    #[error("\"{id}\" is not a map id: {why}")]
    BadMapId {
        /// The id given.
        id: String,
        /// Why not.
        why: &'static str,
    },
    /// The user may not do this.
    #[error("the library at {place} does not let this user do that: {detail}")]
    Denied {
        /// The library.
        place: String,
        /// The server's message.
        detail: String,
    },
    /// What the library holds does not read back.
    #[error("the library at {place} holds something damaged: {detail}")]
    Damaged {
        /// The library.
        place: String,
        /// What.
        detail: String,
    },
    /// The server refused for another reason; the transaction was rolled back.
    #[error("the library at {place} refused: {detail}; nothing was changed")]
    Server {
        /// The library.
        place: String,
        /// The server's message.
        detail: String,
    },
}

/// A library's failure where a store's is expected: the core's
/// [`StoreError::Other`], which the shell downcasts back to a
/// [`LibraryError`] to choose its code.
impl From<LibraryError> for StoreError {
    fn from(e: LibraryError) -> Self {
        Self::Other(Box::new(e))
    }
}

impl From<LibraryError> for ApplyError {
    fn from(e: LibraryError) -> Self {
        Self::Store(e.into())
    }
}

/// A library a portfolio was to be read from, refusing.
impl From<LibraryError> for SourceError {
    fn from(e: LibraryError) -> Self {
        Self::Other(Box::new(e))
    }
}

/// The server's error, classified.
pub fn from_postgres(place: &str, e: &postgres::Error) -> LibraryError {
    let place = place.to_owned();
    if let Some(db) = e.as_db_error() {
        let detail = db.message().to_owned();
        let code = db.code();
        return if *code == SqlState::INVALID_CATALOG_NAME {
            LibraryError::NoDatabase { place }
        } else if [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW].contains(code) {
            // The server is stopping or starting: as good as unreachable, and
            // worth trying again shortly.
            LibraryError::Unreachable { place, detail }
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            LibraryError::Denied { place, detail }
        } else {
            LibraryError::Server { place, detail }
        };
    }
    let detail = e.to_string();
    if e.is_closed() || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()) {
        return LibraryError::Unreachable { place, detail: io_reason(e).unwrap_or(detail) };
    }
    LibraryError::Server { place, detail }
}

/// The error and its sources, in one line.
fn chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The operating system's reason, when the error is one.
fn io_reason(e: &postgres::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.to_string());
        }
        source = s.source();
    }
    None
}

/// An error while connecting, classified: the password and the user are
/// the usual reasons, and the server says which.
pub fn from_connect(place: &str, user: &str, e: &postgres::Error) -> LibraryError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        // 28000 is also "no pg_hba.conf entry": no password would help,
        // so it keeps the server's words (below).
        if *code == SqlState::INVALID_PASSWORD {
            return LibraryError::PasswordRefused { place: place.to_owned(), user: user.to_owned() };
        }
    }
    if chain(e).contains("password missing") {
        return LibraryError::PasswordNeeded { place: place.to_owned(), user: user.to_owned() };
    }
    match from_postgres(place, e) {
        LibraryError::Server { place, .. } => LibraryError::Unreachable { place, detail: chain(e) },
        other => other,
    }
}
