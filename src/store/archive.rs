//! A map file's whole content as data: the map, its edit history (the undo
//! and redo stacks) and its reviews, as they are stored. It is how a map
//! moves between a `.waymark` file and a library without losing anything:
//! history patches and review snapshots travel as the JSON they were
//! recorded in, never decoded and re-encoded on the way.

use std::path::Path;

use rusqlite::params;

use super::{MapFile, StoreError};
use crate::model::Map;

/// Everything a map file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Archive {
    /// The map as it is now.
    pub map: Map,
    /// Every edit, oldest first; the undone ones (the redo stack) last.
    pub history: Vec<HistoryEntry>,
    /// Every review, oldest first.
    pub reviews: Vec<StoredReview>,
}

/// One edit in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// What the edit was, in words ("Rate \"photo\" 2").
    pub label: String,
    /// The edit's `Patch`, as JSON.
    pub patch: String,
    /// Whether it has been undone (and may be redone).
    pub undone: bool,
}

/// One review as stored: its figures and its map stay the JSON they were
/// frozen as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReview {
    /// Its number, 1 for the first.
    pub seq: u32,
    /// What the team called it.
    pub name: String,
    /// The day, as `YYYY-MM-DD`.
    pub taken_on: String,
    /// Who took part, as a JSON array of names.
    pub participants: String,
    /// The map of that day, as an interchange document.
    pub map: String,
    /// The figures of that day, as JSON.
    pub figures: String,
}

impl Archive {
    /// A map with no history and no reviews.
    #[must_use]
    pub fn of(map: Map) -> Self {
        Self { map, history: Vec::new(), reviews: Vec::new() }
    }
}

impl MapFile {
    /// Everything this file holds.
    pub fn archive(&self) -> Result<Archive, StoreError> {
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt { path: self.path.clone(), detail: e.to_string() };
        // One read transaction: a window holding the file may commit an edit
        // meanwhile, and the map, its history and its reviews must agree.
        let tx = self.conn.unchecked_transaction().map_err(corrupt)?;
        let map = self.load()?;
        let mut st = self.conn.prepare("SELECT label, patch, undone FROM history ORDER BY seq").map_err(corrupt)?;
        let history = st
            .query_map([], |r| Ok(HistoryEntry { label: r.get(0)?, patch: r.get(1)?, undone: r.get(2)? }))
            .map_err(corrupt)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt)?;
        let mut st = self
            .conn
            .prepare("SELECT seq, name, taken_on, participants, map, figures FROM snapshot ORDER BY seq")
            .map_err(corrupt)?;
        let reviews = st
            .query_map([], |r| {
                Ok(StoredReview {
                    seq: r.get(0)?,
                    name: r.get(1)?,
                    taken_on: r.get(2)?,
                    participants: r.get(3)?,
                    map: r.get(4)?,
                    figures: r.get(5)?,
                })
            })
            .map_err(corrupt)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt)?;
        drop(st);
        tx.finish().map_err(corrupt)?;
        Ok(Archive { map, history, reviews })
    }

    /// A new file at `path` holding all of `archive`, written whole or not at
    /// all (as [`MapFile::create`]). Refuses to replace an existing file.
    pub fn create_from(path: &Path, archive: &Archive) -> Result<Self, StoreError> {
        Self::create_with(path, &archive.map, |tx| {
            let mut st = tx.prepare("INSERT INTO history (label, patch, undone) VALUES (?1, ?2, ?3)")?;
            for h in &archive.history {
                st.execute(params![h.label, h.patch, h.undone])?;
            }
            let mut st = tx.prepare(
                "INSERT INTO snapshot (seq, name, taken_on, participants, map, figures) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for r in &archive.reviews {
                st.execute(params![r.seq, r.name, r.taken_on, r.participants, r.map, r.figures])?;
            }
            Ok(())
        })
    }
}
