//! The `.waymark` file: one SQLite database holding one map.
//!
//! A workshop's map is hours of a dozen people's time, so the file is built to
//! lose nothing: every change is one transaction (a crash leaves the last
//! committed state), a new file is written beside its destination and renamed
//! into place (never half-written), and a file that is not a map of ours is
//! refused before SQLite touches it (left byte for byte as it was).
//!
//! A map is edited by one process at a time: a second Waymark opening a map
//! that is open elsewhere, or a map it may not write, gets it read-only, and
//! every change is refused with the reason instead of overwriting someone's
//! work or failing half-way.

mod access;
mod archive;
mod header;
mod lock;
mod migrations;
mod reviews;
mod rows;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use access::ReadOnly;
pub use archive::{Archive, HistoryEntry, StoredReview};
pub use header::APPLICATION_ID;
pub use migrations::LATEST as SCHEMA_VERSION;
pub use reviews::{Frozen, decode_review, freeze, review_follows, review_name, review_name_free};

use crate::edit::{self, Edit, EditError, Patch};
use crate::model::Map;
use header::Verdict;

/// Why an edit was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The edit was refused; the map and the file are unchanged.
    #[error(transparent)]
    Refused(#[from] EditError),
    /// The file could not be written; it holds the map as before the edit.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a `.waymark` file could not be opened, created or saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Nothing at that path.
    #[error("{}: no such file", .path.display())]
    NotFound {
        /// The path asked for.
        path: PathBuf,
    },
    /// The destination of a new file is taken.
    #[error("{}: a file is already there; choose another name or remove it first", .path.display())]
    Exists {
        /// The path asked for.
        path: PathBuf,
    },
    /// Not an SQLite database at all.
    #[error("{}: not a Waymark map: the file is not an SQLite database (its first bytes are not the SQLite header)", .path.display())]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },
    /// Cut short: fewer bytes than its header promises.
    #[error("{}: the file is truncated: it has {actual} bytes but its header says {expected}; it may be an incomplete copy", .path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Bytes the header promises.
        expected: u64,
        /// Bytes on disk.
        actual: u64,
    },
    /// Someone else's SQLite database.
    #[error("{}: not a Waymark map: it is an SQLite database of another application (application id {application_id:#010x})", .path.display())]
    Foreign {
        /// The file.
        path: PathBuf,
        /// The id it carries.
        application_id: u32,
    },
    /// Written by a newer Waymark.
    #[error("{}: the map was saved by {} (file schema version {found}; this version, {}, reads up to {supported}); update Waymark to open it", .path.display(), .by.as_ref().map_or_else(|| "a newer Waymark".to_owned(), |v| format!("Waymark {v}, newer than this one")), env!("CARGO_PKG_VERSION"))]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The release that wrote it, when the file says (schema 10 on).
        by: Option<String>,
        /// Its schema version.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// Ours by its header, but damaged inside.
    #[error("{}: the map file is damaged: {detail}", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite or the loader found.
        detail: String,
    },
    /// The file system refused.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The map is open read-only; nothing was written.
    #[error("{}: the change was not saved: {reason}", .path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// Why it is read-only.
        reason: ReadOnly,
    },
    /// The map is kept in another store, which could not be used (the
    /// organisation's library: unreachable, the map deleted, the password
    /// refused…); its own error, in its words. Nothing was changed there.
    /// The store's crate turns its errors into this one, and whoever knows
    /// that store can downcast it back.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
    /// SQLite refused a write (disk full, read-only, locked…). The transaction
    /// was rolled back, so the file holds the map as before.
    #[error("{}: could not save: {}", .path.display(), explain(.source))]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// SQLite's reason.
        #[source]
        source: rusqlite::Error,
    },
}

/// An open `.waymark` file.
#[derive(Debug)]
pub struct MapFile {
    conn: Connection,
    path: PathBuf,
    /// Why changes are refused, when they are.
    read_only: Option<ReadOnly>,
    /// This process's claim to edit the map, released after `conn` is closed
    /// (fields drop in order), so no other process starts writing while this
    /// connection could still be finishing.
    _lock: Option<lock::Lock>,
}

impl MapFile {
    /// Writes `map` to a new file at `path`, atomically: the file appears whole
    /// or not at all. Refuses to replace an existing file.
    pub fn create(path: &Path, map: &Map) -> Result<Self, StoreError> {
        Self::create_with(path, map, |_| Ok(()))
    }

    /// [`MapFile::create`], with `fill` run in the same first transaction
    /// (history and reviews brought from elsewhere), so the file appears
    /// with all of it or not at all.
    fn create_with(
        path: &Path,
        map: &Map,
        fill: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<Self, StoreError> {
        if path.exists() {
            return Err(StoreError::Exists { path: path.to_owned() });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let tmp = crate::atomic::temp_file_in(&dir).map_err(io)?;
        {
            let mut conn =
                Connection::open(tmp.path()).map_err(|source| StoreError::Sqlite { path: path.to_owned(), source })?;
            let sqlite = |source| StoreError::Sqlite { path: path.to_owned(), source };
            configure(&conn).map_err(sqlite)?;
            migrations::migrate(&mut conn).map_err(sqlite)?;
            let tx = conn.transaction().map_err(sqlite)?;
            rows::insert_all(&tx, map).map_err(sqlite)?;
            fill(&tx).map_err(sqlite)?;
            tx.commit().map_err(sqlite)?;
            conn.close().map_err(|(_, source)| sqlite(source))?;
        }
        // `persist_noclobber` fails rather than replace a file that appeared meanwhile.
        tmp.persist_noclobber(path).map_err(|e| io(e.error))?;
        sync_dir(&dir);
        Self::open(path)
    }

    /// Opens an existing map file for reading and saving. A file that is not a
    /// Waymark map, or is from a newer version, is refused with the reason and
    /// left untouched.
    ///
    /// A map already open in another Waymark process, or one this process may
    /// not write, opens read-only: [`MapFile::read_only`] says why, and every
    /// change is refused with [`StoreError::ReadOnly`] without touching the
    /// file. A read-only map from an older version is upgraded in memory only.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_as(path, true)
    }

    /// Reads the map and its reviews without taking the map for editing and
    /// without writing anything: no lock, no migration on disk (an older file
    /// is upgraded in memory). For listing maps, such as the home screen,
    /// which must not upgrade a file or make another window's open read-only.
    pub fn peek(path: &Path) -> Result<(Map, Vec<crate::review::Review>), StoreError> {
        let file = Self::open_as(path, false)?;
        Ok((file.load()?, file.reviews()?))
    }

    /// Opens for editing when `claim` (and this process may), else only to read.
    fn open_as(path: &Path, claim_it: bool) -> Result<Self, StoreError> {
        let owned = || path.to_owned();
        let verdict = header::inspect(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound { path: owned() },
            _ => StoreError::Io { path: owned(), source },
        })?;
        let found = match verdict {
            Verdict::NotSqlite => return Err(StoreError::NotSqlite { path: owned() }),
            Verdict::Truncated { expected, actual } => {
                return Err(StoreError::Truncated { path: owned(), expected, actual });
            }
            Verdict::Foreign { application_id } => return Err(StoreError::Foreign { path: owned(), application_id }),
            Verdict::Waymark { schema_version } => schema_version,
        };
        if found > SCHEMA_VERSION {
            let by = migrations::written_by(path, found);
            return Err(StoreError::TooNew { path: owned(), found, supported: SCHEMA_VERSION, by });
        }
        // Only reading: the reason is never shown, since the file is dropped
        // once read, but it keeps every write path refused.
        let (mut lock, mut read_only) = if claim_it { claim(path) } else { (None, Some(ReadOnly::FileNotWritable)) };
        let mode =
            if read_only.is_some() { OpenFlags::SQLITE_OPEN_READ_ONLY } else { OpenFlags::SQLITE_OPEN_READ_WRITE };
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt { path: owned(), detail: e.to_string() };
        let mut conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(corrupt)?;
        // Asked to open for writing, SQLite falls back to reading when the
        // system refuses (another user's file, a read-only mount). Such a map
        // is read-only here, and the lock goes to whoever may write it.
        if read_only.is_none() && conn.is_readonly(rusqlite::MAIN_DB).map_err(corrupt)? {
            read_only = Some(ReadOnly::FileNotWritable);
            lock = None;
        }
        configure(&conn).map_err(corrupt)?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(corrupt)?;
        if check != "ok" {
            return Err(StoreError::Corrupt { path: owned(), detail: check });
        }
        if found < SCHEMA_VERSION {
            let sqlite = |source| StoreError::Sqlite { path: owned(), source };
            if read_only.is_some() {
                conn = upgraded_copy(&conn).map_err(sqlite)?;
            } else {
                migrations::migrate(&mut conn).map_err(sqlite)?;
            }
        }
        let file = Self { conn, path: owned(), read_only, _lock: lock };
        // Loading once proves the rows make a map before anyone edits it.
        file.load()?;
        Ok(file)
    }

    /// The path the file was opened at.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the map is open read-only; `None` when changes are saved.
    #[must_use]
    pub fn read_only(&self) -> Option<ReadOnly> {
        self.read_only
    }

    /// Refuses a change to a read-only map before anything is written.
    fn writable(&self) -> Result<(), StoreError> {
        match self.read_only {
            Some(reason) => Err(StoreError::ReadOnly { path: self.path.clone(), reason }),
            None => Ok(()),
        }
    }

    /// Reads the map.
    pub fn load(&self) -> Result<Map, StoreError> {
        rows::load(&self.conn).map_err(|e| StoreError::Corrupt { path: self.path.clone(), detail: e.to_string() })
    }

    /// Applies `edit` to `current` (the map as last loaded or returned) and
    /// stores the result and its undo record in one transaction. A refused
    /// edit changes nothing; a new edit clears the redo stack.
    pub fn apply(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        self.record(current, edit, false)
    }

    /// Applies `edit` like [`MapFile::apply`], but folds it into the last
    /// edit's undo record, so one undo takes both back. A score typed on the
    /// keys as `3`, `.`, `5` is stored at `3` the moment the `3` is pressed,
    /// and the room expects Ctrl+Z to take back "3.5", not leave "3". With no
    /// edit to fold into (none yet, or the last action was an undo) it is a
    /// plain apply.
    pub fn amend(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        self.record(current, edit, true)
    }

    fn record(&mut self, current: &Map, edit: &Edit, fold: bool) -> Result<Map, ApplyError> {
        self.writable()?;
        let next = edit::apply(current, edit)?;
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let corrupt = |detail: String| StoreError::Corrupt { path: path.clone(), detail };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let last = if fold { last_done(&tx, current, &path)? } else { None };
        let patch = Patch::between(last.as_ref().map_or(current, |(_, before)| before), &next);
        if last.is_none() && patch.is_empty() {
            // Nothing changed, and nothing to fold into: nothing to store.
            return Ok(next);
        }
        let json = serde_json::to_string(&patch).map_err(|e| corrupt(format!("could not record the edit: {e}")))?;
        match (&last, patch.is_empty()) {
            (None, _) => {
                tx.execute("DELETE FROM history WHERE undone = 1", []).map_err(sqlite)?;
                tx.execute("INSERT INTO history (label, patch) VALUES (?1, ?2)", rusqlite::params![edit.label(), json])
                    .map_err(sqlite)?;
            }
            // The two edits cancel out (3, then back to what it was): no undo step is left.
            (Some((seq, _)), true) => {
                tx.execute("DELETE FROM history WHERE seq = ?1", [seq]).map_err(sqlite)?;
            }
            (Some((seq, _)), false) => {
                tx.execute(
                    "UPDATE history SET label = ?1, patch = ?2 WHERE seq = ?3",
                    rusqlite::params![edit.label(), json, seq],
                )
                .map_err(sqlite)?;
            }
        }
        rows::write_changes(&tx, current, &next).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        Ok(next)
    }

    /// Applies several edits in order, each with its own undo record, and
    /// commits them together: what a workshop room does with the actions
    /// phones send at the same moment, so a burst costs one commit (and one
    /// write of the rows it changed) instead of one per action. Each edit is
    /// validated on its own against the map the earlier ones left; a refused
    /// one changes nothing and the others still apply.
    ///
    /// Returns the map after the batch and each edit's outcome; when the
    /// batch cannot be stored, the error, and the file is as before.
    ///
    /// # Errors
    /// When the file may not be written or the commit fails.
    pub fn apply_all(
        &mut self,
        current: &Map,
        edits: &[Edit],
    ) -> Result<(Map, Vec<Result<(), EditError>>), StoreError> {
        self.writable()?;
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let mut map = current.clone();
        let mut outcomes = Vec::with_capacity(edits.len());
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let mut wrote = false;
        for edit in edits {
            let next = match edit::apply(&map, edit) {
                Ok(next) => next,
                Err(e) => {
                    outcomes.push(Err(e));
                    continue;
                }
            };
            let patch = Patch::between(&map, &next);
            if !patch.is_empty() {
                let json = serde_json::to_string(&patch).map_err(|e| StoreError::Corrupt {
                    path: path.clone(),
                    detail: format!("could not record the edit: {e}"),
                })?;
                if !wrote {
                    tx.execute("DELETE FROM history WHERE undone = 1", []).map_err(sqlite)?;
                }
                tx.execute("INSERT INTO history (label, patch) VALUES (?1, ?2)", rusqlite::params![edit.label(), json])
                    .map_err(sqlite)?;
                wrote = true;
            }
            map = next;
            outcomes.push(Ok(()));
        }
        if wrote {
            rows::write_changes(&tx, current, &map).map_err(sqlite)?;
            tx.commit().map_err(sqlite)?;
        }
        Ok((map, outcomes))
    }

    /// Takes back the last edit not yet undone; `None` when there is none.
    pub fn undo(&mut self, current: &Map) -> Result<Option<Map>, StoreError> {
        self.step_history(current, false)
    }

    /// Replays the last undone edit; `None` when there is none.
    pub fn redo(&mut self, current: &Map) -> Result<Option<Map>, StoreError> {
        self.step_history(current, true)
    }

    /// How many edits can be undone and redone.
    pub fn history_depth(&self) -> Result<(u32, u32), StoreError> {
        self.conn
            .query_row("SELECT COALESCE(SUM(undone = 0), 0), COALESCE(SUM(undone = 1), 0) FROM history", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|source| StoreError::Sqlite { path: self.path.clone(), source })
    }

    fn step_history(&mut self, current: &Map, forward: bool) -> Result<Option<Map>, StoreError> {
        self.writable()?;
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let query = if forward {
            "SELECT seq, patch FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1"
        } else {
            "SELECT seq, patch FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1"
        };
        let Some((seq, next)) = replay(&tx, query, current, forward, &path)? else { return Ok(None) };
        tx.execute("UPDATE history SET undone = ?1 WHERE seq = ?2", rusqlite::params![i64::from(!forward), seq])
            .map_err(sqlite)?;
        rows::write_changes(&tx, current, &next).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        Ok(Some(next))
    }

    /// Replaces the stored map with `map` in one transaction: afterwards the
    /// file holds either the old map or the new one, never a mix.
    pub fn save(&mut self, map: &Map) -> Result<(), StoreError> {
        self.writable()?;
        let sqlite = |source| StoreError::Sqlite { path: self.path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        rows::delete_all(&tx).map_err(sqlite)?;
        rows::insert_all(&tx, map).map_err(sqlite)?;
        tx.commit().map_err(sqlite)
    }
}

/// Decides how `path` is opened: with this process's lock, or read-only and why.
///
/// When the file system offers no locking at all, the map opens writable
/// without a lock, as before locks existed: refusing to edit maps on such a
/// share would be worse than not noticing a second window there.
fn claim(path: &Path) -> (Option<lock::Lock>, Option<ReadOnly>) {
    if access::not_writable(path) {
        return (None, Some(ReadOnly::FileNotWritable));
    }
    match lock::claim(path) {
        Ok(lock::Claim::Held(held)) => (Some(held), None),
        Ok(lock::Claim::Elsewhere) => (None, Some(ReadOnly::OpenElsewhere)),
        Err(e) if access::refused(&e) => (None, Some(ReadOnly::FileNotWritable)),
        Err(_) => (None, None),
    }
}

/// An in-memory copy of a read-only file brought up to the current schema, so
/// that a map from an older version can be shown without writing to it.
fn upgraded_copy(conn: &Connection) -> rusqlite::Result<Connection> {
    let mut copy = Connection::open_in_memory()?;
    rusqlite::backup::Backup::new(conn, &mut copy)?.run_to_completion(256, std::time::Duration::ZERO, None)?;
    configure(&copy)?;
    migrations::migrate(&mut copy)?;
    Ok(copy)
}

/// SQLite's reason for a failed write, in the words a user needs: what went
/// wrong and that the map is safe (the transaction was rolled back, or will be
/// from the journal when the file is next opened). SQLite's own message stays
/// in brackets for whoever has to dig further.
fn explain(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let (Some(code), rusqlite::Error::SqliteFailure(failure, _)) = (e.sqlite_error_code(), e) else {
        return e.to_string();
    };
    let reason = match code {
        ErrorCode::DiskFull => "the disk is full",
        ErrorCode::ReadOnly if failure.extended_code == rusqlite::ffi::SQLITE_READONLY_DBMOVED => {
            "the file was moved or deleted while open"
        }
        ErrorCode::ReadOnly => "the file is read-only",
        ErrorCode::CannotOpen => "a file could not be created beside the map (is its folder read-only?)",
        ErrorCode::SystemIoFailure => "the system could not write to the disk",
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "another program is using the file",
        _ => return e.to_string(),
    };
    format!("{reason}; nothing was changed (SQLite: {e})")
}

/// Connection settings every Waymark connection uses: references enforced, and
/// a commit reaches the disk before it is reported done.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(2))
}

/// Makes a rename durable. Best effort: some file systems refuse to sync a
/// directory, and the data itself is already on disk.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The last edit still done, as its history row and the map before it, when
/// nothing has been undone since: what an amendment folds into.
fn last_done(tx: &rusqlite::Transaction<'_>, current: &Map, path: &Path) -> Result<Option<(i64, Map)>, StoreError> {
    let query = "SELECT seq, patch FROM history WHERE undone = 0
                   AND NOT EXISTS (SELECT 1 FROM history WHERE undone = 1)
                 ORDER BY seq DESC LIMIT 1";
    replay(tx, query, current, false, path)
}

/// The history row `query` selects (`seq`, `patch`), and `current` with its
/// patch applied forwards (redo) or backwards (undo, or the map before an
/// edit an amendment folds into); `None` when there is no such row.
fn replay(
    tx: &rusqlite::Transaction<'_>,
    query: &str,
    current: &Map,
    forward: bool,
    path: &Path,
) -> Result<Option<(i64, Map)>, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt { path: path.to_owned(), detail };
    let (seq, json): (i64, String) = match tx.query_row(query, [], |r| Ok((r.get(0)?, r.get(1)?))) {
        Ok(row) => row,
        Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
        Err(source) => return Err(StoreError::Sqlite { path: path.to_owned(), source }),
    };
    let patch: Patch = serde_json::from_str(&json).map_err(|e| corrupt(format!("history entry {seq}: {e}")))?;
    let map = patch
        .apply(current, forward)
        .ok_or_else(|| corrupt(format!("history entry {seq} does not match the map; undo is unavailable")))?;
    Ok(Some((seq, map)))
}

#[cfg(test)]
mod tests;
