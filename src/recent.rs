//! The maps a person opened lately, for the home screen: each with its next
//! review and its overdue commitments, so a team lead sees at a glance what
//! is due.
//!
//! The list is a small JSON file the app keeps in its configuration folder. It
//! is a convenience, never a source of truth: a missing or damaged list is an
//! empty one, and a map that moved or broke is listed with the reason.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::review::{CommitmentRef, Schedule, schedule};
use crate::store::MapFile;

/// How many maps the list remembers.
pub const KEEP: usize = 12;

/// The recent maps, most recent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentMaps {
    paths: Vec<PathBuf>,
}

impl RecentMaps {
    /// Reads the list at `store`; a missing or unreadable list is empty.
    #[must_use]
    pub fn load(store: &Path) -> Self {
        let paths = std::fs::read(store).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        Self { paths }
    }

    /// Puts `map` at the top (once) and writes the list to `store`, whole or not at all.
    pub fn remember(&mut self, map: &Path, store: &Path) -> std::io::Result<()> {
        let map = std::path::absolute(map)?;
        self.paths.retain(|p| p != &map);
        self.paths.insert(0, map);
        self.paths.truncate(KEEP);
        if let Some(dir) = store.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.paths).map_err(std::io::Error::other)?;
        crate::atomic::write_atomically(store, &json)
    }

    /// The paths, most recent first.
    #[must_use]
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// True when `map` is on the list: the app opens a path from the window
    /// only if the person chose it in a dialog before.
    #[must_use]
    pub fn contains(&self, map: &Path) -> bool {
        self.paths.iter().any(|p| p == map)
    }
}

/// One map on the home screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecentMap {
    /// Where it is.
    pub path: String,
    /// Its file name.
    pub file_name: String,
    /// Its title; `None` when it could not be read.
    pub title: Option<String>,
    /// When its next review is due.
    pub schedule: Option<Schedule>,
    /// Commitments past due.
    pub overdue: Vec<CommitmentRef>,
    /// Why it could not be read (moved, deleted, damaged).
    pub problem: Option<String>,
}

/// What the home screen shows for the map at `path`, as of `today`.
#[must_use]
pub fn summarize(path: &Path, today: NaiveDate) -> RecentMap {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = RecentMap {
        path: path.display().to_string(),
        file_name,
        title: None,
        schedule: None,
        overdue: Vec::new(),
        problem: None,
    };
    match MapFile::peek(path) {
        Ok((map, reviews)) => {
            let last = reviews.last().map(|r| r.taken_on);
            out.schedule = Some(schedule(&map, last, today));
            out.overdue = map.overdue_commitments(today).map(CommitmentRef::of).collect();
            out.title = Some(map.title);
        }
        Err(e) => out.problem = Some(e.to_string()),
    }
    out
}
