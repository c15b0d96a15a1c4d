//! The map the window has open. Opening replaces it only on success, so a bad
//! file chosen in a dialog leaves the previous map in place.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use waymark::Map;
use waymark::edit::Edit;
use waymark::model::Settings;
use waymark::store::ApplyError;
use waymark::store::MapFile;

use waymark::recent::{RecentMap, RecentMaps};
use waymark::review::{self, Comparison, Figures, Review, ReviewSummary, Side, Snapshot};

use crate::clock;
use crate::dto::{Exported, MapView, Reviews};
use crate::error::{AppError, CommandError};
use waymark::report::{Paper, ReportOptions};

/// An open file and the map read from it.
#[derive(Debug)]
pub struct OpenMap {
    /// The file; every edit is saved through it.
    pub file: MapFile,
    /// The map as last loaded or saved.
    pub map: Map,
    /// The file's reviews, oldest first, read once on opening: snapshots
    /// never change, so only taking a new one refreshes them.
    pub reviews: Vec<Review>,
    /// The last review with its map, for "since the last review".
    pub last: Option<Snapshot>,
}

impl OpenMap {
    /// Reads `file`'s map and reviews.
    fn read(file: MapFile) -> Result<Self, AppError> {
        let map = file.load()?;
        let reviews = file.reviews()?;
        let last = match reviews.last() {
            Some(r) => file.snapshot(r.seq)?,
            None => None,
        };
        Ok(Self { file, map, reviews, last })
    }
}

/// The app's state: at most one open map, and the error that kept the map
/// given at start-up from opening, to show once the window asks.
#[derive(Debug, Default)]
pub struct Session {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    open: Option<OpenMap>,
    startup_error: Option<CommandError>,
    /// The last file exported, which the window may ask to open.
    last_export: Option<PathBuf>,
    /// Maps opened lately, for the home screen.
    recent: RecentMaps,
    /// Where that list is kept; `None` in tests that do not keep one.
    recent_store: Option<PathBuf>,
}

impl Inner {
    /// Puts `path` at the top of the recent maps. The list is a convenience:
    /// failing to save it must not fail opening the map.
    fn remember(&mut self, path: &Path) {
        if let Some(store) = &self.recent_store {
            let _ = self.recent.remember(path, store);
        }
    }
}

impl Session {
    /// Opens `path` and makes it the current map. On failure the current map
    /// stays as it was.
    pub fn open(&self, path: &Path) -> Result<MapView, AppError> {
        let open = OpenMap::read(MapFile::open(path)?)?;
        let view = view_of(&open);
        let mut inner = self.lock();
        inner.open = Some(open);
        inner.remember(path);
        Ok(view)
    }

    /// Opens a map from the recent list; any other path is refused.
    pub fn open_recent(&self, path: &Path) -> Result<MapView, AppError> {
        if !self.lock().recent.contains(path) {
            return Err(AppError::Invalid(format!("{} is not on the list of recent maps", path.display())));
        }
        self.open(path)
    }

    /// Keeps the list of recent maps in `store` (the app's config folder).
    pub fn keep_recent_in(&self, store: PathBuf) {
        let mut inner = self.lock();
        inner.recent = RecentMaps::load(&store);
        inner.recent_store = Some(store);
    }

    /// The recent maps, each summarised as of today.
    pub fn recent_maps(&self) -> Vec<RecentMap> {
        let paths = self.lock().recent.paths().to_vec();
        let today = clock::today();
        paths.iter().map(|p| waymark::recent::summarize(p, today)).collect()
    }

    /// Takes a review of the open map, today.
    pub fn take_review(&self, name: &str, participants: &[String]) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let review = match open.file.take_review(name, clock::today(), participants) {
            Ok(review) => review,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => return Err(e.into()),
        };
        open.last = open.file.snapshot(review.seq)?;
        open.reviews.push(review);
        Ok(view_of(open))
    }

    /// Compares review `before` with review `after`, or with now.
    pub fn compare(&self, before: u32, after: Option<u32>) -> Result<Comparison, AppError> {
        let inner = self.lock();
        let open = inner.open.as_ref().ok_or(AppError::NoMap)?;
        let load = |seq: u32| {
            open.file.snapshot(seq)?.ok_or_else(|| AppError::Invalid(format!("there is no review number {seq}")))
        };
        let first = load(before)?;
        let today = clock::today();
        let now = Figures::of(&open.map, today);
        let second = after.map(load).transpose()?;
        let later = match &second {
            Some(s) => Side::of(s),
            None => Side { label: "now", date: today, map: &open.map, figures: &now },
        };
        Ok(review::compare(Side::of(&first), later))
    }

    /// The view of the current map.
    pub fn view(&self) -> Result<MapView, CommandError> {
        let inner = self.lock();
        match (&inner.open, &inner.startup_error) {
            (Some(open), _) => Ok(view_of(open)),
            (None, Some(error)) => Err(error.clone()),
            (None, None) => Err(AppError::NoMap.into()),
        }
    }

    /// Changes the analysis weights and saves them in one transaction. A value
    /// out of range is refused and nothing changes.
    pub fn set_settings(&self, settings: Settings) -> Result<MapView, AppError> {
        self.apply(&Edit::SetSettings { settings })
    }

    /// Applies an edit and stores it, with its undo record, in one
    /// transaction. A refused edit changes nothing.
    pub fn apply(&self, edit: &Edit) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        open.map = match open.file.apply(&open.map, edit) {
            Ok(map) => map,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => return Err(e.into()),
        };
        Ok(view_of(open))
    }

    /// Adds the steps of a CSV file to the open map as one edit.
    pub fn import_csv(&self, path: &Path) -> Result<MapView, AppError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| AppError::Export { path: path.to_owned(), source })?;
        let edit = {
            let inner = self.lock();
            let open = inner.open.as_ref().ok_or(AppError::NoMap)?;
            waymark::csv_import::read(&text, &open.map)
                .map_err(|e| AppError::Invalid(format!("{}: {e}; nothing was imported", path.display())))?
        };
        self.apply(&edit)
    }

    /// Takes back the last edit (`redo = false`) or replays the last undone one.
    pub fn step_history(&self, redo: bool) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let next = if redo { open.file.redo(&open.map)? } else { open.file.undo(&open.map)? };
        if let Some(map) = next {
            open.map = map;
        }
        Ok(view_of(open))
    }

    /// Writes the PDF report of the current map to `path`, whole or not at all
    /// (a temporary file beside it, then a rename).
    pub fn export_pdf(&self, path: &Path, paper: Paper, date: String) -> Result<Exported, AppError> {
        let map = self.lock().open.as_ref().map(|o| o.map.clone()).ok_or(AppError::NoMap)?;
        let review = self.lock().open.as_ref().map(|o| summary(o, clock::today()));
        let bytes = waymark::report::pdf(&map, &ReportOptions { paper, date, author: None, review })
            .map_err(|e| AppError::Report(e.to_string()))?;
        waymark::files::write_atomically(path, &bytes)
            .map_err(|source| AppError::Export { path: path.to_owned(), source })?;
        self.lock().last_export = Some(path.to_owned());
        Ok(Exported {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: path.display().to_string(),
            #[allow(clippy::cast_precision_loss, reason = "a report is far below 2^53 bytes")]
            bytes: bytes.len() as f64,
        })
    }

    /// The last file exported, if it still exists.
    pub fn last_export(&self) -> Option<PathBuf> {
        self.lock().last_export.clone().filter(|p| p.exists())
    }

    /// The current map's title, for naming exports.
    pub fn title(&self) -> Option<String> {
        self.lock().open.as_ref().map(|o| o.map.title.clone())
    }

    /// Remembers why the start-up map did not open.
    pub fn set_startup_error(&self, error: AppError) {
        self.lock().startup_error = Some(error.into());
    }

    /// The path of the current map, if any.
    pub fn path(&self) -> Option<PathBuf> {
        self.lock().open.as_ref().map(|o| o.file.path().to_owned())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-changed
        // (fields are replaced whole), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The reviews of an open map as of `today`.
fn summary(open: &OpenMap, today: chrono::NaiveDate) -> ReviewSummary {
    ReviewSummary::new(&open.map, open.reviews.clone(), open.last.as_ref(), today)
}

/// The view of an open map, with how far undo and redo can go.
fn view_of(open: &OpenMap) -> MapView {
    let (undo, redo) = open.file.history_depth().unwrap_or((0, 0));
    let today = clock::today();
    let reviews = Reviews { reviews: &open.reviews, last: open.last.as_ref() };
    let mut view = MapView::new(&open.map, open.file.path(), today, Some(reviews));
    view.undo = undo;
    view.redo = redo;
    view
}
