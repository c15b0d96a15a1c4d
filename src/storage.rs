//! Where a map is kept, behind one interface: a `.waymark` file
//! ([`MapFile`]), or a map kept elsewhere by a store that implements
//! [`Storage`] from above this crate (the organisation's library, in
//! `waymark-library`). The window, the room and the CLI's editing commands
//! hold a `Box<dyn Storage>` and never learn which one it is: every edit is
//! stored before it is acknowledged, undo and redo take back this editor's
//! own edits, reviews are frozen inside the same store.
//!
//! What differs shows only as behaviour: a shared map may change under the
//! editor (others' edits arrive through [`Storage::refresh`], announced by
//! [`Storage::watch`]), and it may become unreachable for a while (then
//! [`Storage::read_only`] says so and changes are refused until it is back).
//!
//! This module names no store but the file: another store's failures reach
//! callers as [`StoreError::Other`], and its watch as an opaque
//! [`WatchGuard`].

use std::path::Path;

use chrono::NaiveDate;

use crate::edit::{Edit, EditError};
use crate::model::Map;
use crate::review::{Review, Snapshot};
use crate::store::{ApplyError, Archive, MapFile, ReadOnly, StoreError};

/// A map's store; see the module's description.
pub trait Storage: Send + std::fmt::Debug {
    /// Where the map is, for titles and messages: the file's path, or
    /// `user@host:port/database#map` (never a password).
    fn place(&self) -> String;
    /// A short name for the title bar: the file's name, or the map's id
    /// and that it is a library's.
    fn name(&self) -> String;
    /// The file, when the map is kept in one.
    fn file(&self) -> Option<&Path>;
    /// Why changes are refused now, when they are.
    fn read_only(&self) -> Option<ReadOnly>;
    /// The map as stored.
    ///
    /// # Errors
    /// The store cannot be read, or holds something damaged.
    fn load(&mut self) -> Result<Map, StoreError>;
    /// Applies `edit` to `current` (the map as last returned) and stores
    /// it with its undo record; returns the map as stored now, which for a
    /// library includes others' edits made meanwhile.
    ///
    /// # Errors
    /// The edit is refused (the store is unchanged), or it cannot be stored.
    fn apply(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError>;
    /// Like [`Storage::apply`], folded into this editor's last edit so one
    /// undo takes both back (a score typed as `3`, `.`, `5`).
    ///
    /// # Errors
    /// As [`Storage::apply`].
    fn amend(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError>;
    /// Applies several edits in order, each its own undo step: the room's
    /// bursts. Returns the map after them and each edit's outcome.
    ///
    /// # Errors
    /// When they cannot be stored; the store is as before.
    fn apply_all(&mut self, current: &Map, edits: &[Edit]) -> Result<(Map, Vec<Result<(), EditError>>), StoreError>;
    /// Takes back this editor's last edit; `None` when there is none.
    ///
    /// # Errors
    /// Refused when others' edits since then make it impossible (the
    /// message names them), or the store cannot be written.
    fn undo(&mut self, current: &Map) -> Result<Option<Map>, ApplyError>;
    /// Replays this editor's last undone edit; `None` when there is none.
    ///
    /// # Errors
    /// As [`Storage::undo`].
    fn redo(&mut self, current: &Map) -> Result<Option<Map>, ApplyError>;
    /// How many edits can be undone and redone.
    ///
    /// # Errors
    /// The store cannot be read.
    fn history_depth(&self) -> Result<(u32, u32), StoreError>;
    /// Every review, oldest first, without their maps.
    ///
    /// # Errors
    /// The store cannot be read, or holds a damaged review.
    fn reviews(&mut self) -> Result<Vec<Review>, StoreError>;
    /// The review numbered `seq`, with the map it froze.
    ///
    /// # Errors
    /// As [`Storage::reviews`].
    fn snapshot(&mut self, seq: u32) -> Result<Option<Snapshot>, StoreError>;
    /// Freezes the map as stored now, with its figures as of `on`.
    ///
    /// # Errors
    /// A bad name or date, a read-only map, or a failed write.
    fn take_review(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError>;
    /// Everything the store holds, as a `.waymark` file would hold it.
    ///
    /// # Errors
    /// The store cannot be read.
    fn archive(&mut self) -> Result<Archive, StoreError>;
    /// Reads what others stored since this editor last looked (and
    /// reconnects first when the store was unreachable): the newer map, or
    /// `None` when nothing changed. A file has no other editors.
    ///
    /// # Errors
    /// The store cannot be reached or read (it is then read-only until a
    /// later refresh succeeds).
    fn refresh(&mut self) -> Result<Option<Map>, StoreError> {
        Ok(None)
    }
    /// Calls `changed` (on a thread of its own) whenever the map may have
    /// changed elsewhere or its store became unreachable or reachable
    /// again, until the returned guard is dropped; the caller then calls
    /// [`Storage::refresh`]. `None` for a store nobody else changes.
    fn watch(&self, changed: Box<dyn Fn() + Send>) -> Option<WatchGuard> {
        let _ = changed;
        None
    }
}

/// Keeps a store's watch (see [`Storage::watch`]) running until dropped.
/// What it holds is the store's own business.
pub struct WatchGuard {
    /// Never read: only dropped, which is what stops the watch.
    _watch: Box<dyn Send>,
}

impl WatchGuard {
    /// A guard holding `watch`, which stops watching when dropped.
    #[must_use]
    pub fn new(watch: impl Send + 'static) -> Self {
        Self { _watch: Box::new(watch) }
    }
}

impl std::fmt::Debug for WatchGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchGuard").finish_non_exhaustive()
    }
}

/// A new `.waymark` file at `path` holding `map` and every review `store`
/// keeps, as "Save a copy as…" makes it: the team's history goes with the
/// map, the undo history starts empty. The file is refused if one is there.
/// When a library cannot give its reviews (it is unreachable, or the map was
/// deleted there) the copy holds the map alone: what the window shows is
/// never lost for want of the rest. The store says which it is: after the
/// failed read, it is read-only because it is unreachable or the map is gone.
///
/// # Errors
/// A file's reviews cannot be read, or the new file cannot be created.
pub fn copy_to(store: &mut dyn Storage, path: &Path, map: &Map) -> Result<MapFile, StoreError> {
    let mut archive = match store.archive() {
        Ok(archive) => archive,
        Err(_) if matches!(store.read_only(), Some(ReadOnly::LibraryUnreachable | ReadOnly::LibraryDeleted)) => {
            Archive::of(map.clone())
        }
        Err(e) => return Err(e),
    };
    archive.map = map.clone();
    archive.history.clear();
    MapFile::create_from(path, &archive)
}

impl Storage for MapFile {
    fn place(&self) -> String {
        self.path().display().to_string()
    }

    fn name(&self) -> String {
        self.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    fn file(&self) -> Option<&Path> {
        Some(self.path())
    }

    fn read_only(&self) -> Option<ReadOnly> {
        MapFile::read_only(self)
    }

    fn load(&mut self) -> Result<Map, StoreError> {
        MapFile::load(self)
    }

    fn apply(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        MapFile::apply(self, current, edit)
    }

    fn amend(&mut self, current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        MapFile::amend(self, current, edit)
    }

    fn apply_all(&mut self, current: &Map, edits: &[Edit]) -> Result<(Map, Vec<Result<(), EditError>>), StoreError> {
        MapFile::apply_all(self, current, edits)
    }

    fn undo(&mut self, current: &Map) -> Result<Option<Map>, ApplyError> {
        Ok(MapFile::undo(self, current)?)
    }

    fn redo(&mut self, current: &Map) -> Result<Option<Map>, ApplyError> {
        Ok(MapFile::redo(self, current)?)
    }

    fn history_depth(&self) -> Result<(u32, u32), StoreError> {
        MapFile::history_depth(self)
    }

    fn reviews(&mut self) -> Result<Vec<Review>, StoreError> {
        MapFile::reviews(self)
    }

    fn snapshot(&mut self, seq: u32) -> Result<Option<Snapshot>, StoreError> {
        MapFile::snapshot(self, seq)
    }

    fn take_review(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError> {
        MapFile::take_review(self, name, on, participants)
    }

    fn archive(&mut self) -> Result<Archive, StoreError> {
        MapFile::archive(self)
    }
}
