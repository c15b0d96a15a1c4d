//! The map the window has open. Opening replaces it only on success, so a bad
//! file chosen in a dialog leaves the previous map in place.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use waymark::Map;
use waymark::edit::Edit;
use waymark::model::Settings;
use waymark::store::ApplyError;
use waymark::store::MapFile;

use crate::dto::{Exported, MapView};
use crate::error::{AppError, CommandError};
use waymark::report::{Paper, ReportOptions};

/// An open file and the map read from it.
#[derive(Debug)]
pub struct OpenMap {
    /// The file; every edit is saved through it.
    pub file: MapFile,
    /// The map as last loaded or saved.
    pub map: Map,
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
}

impl Session {
    /// Opens `path` and makes it the current map. On failure the current map
    /// stays as it was.
    pub fn open(&self, path: &Path) -> Result<MapView, AppError> {
        let file = MapFile::open(path)?;
        let map = file.load()?;
        let open = OpenMap { file, map };
        let view = view_of(&open);
        self.lock().open = Some(open);
        Ok(view)
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
        let bytes = waymark::report::pdf(&map, &ReportOptions { paper, date, author: None, review: None })
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

/// The view of an open map, with how far undo and redo can go.
fn view_of(open: &OpenMap) -> MapView {
    let (undo, redo) = open.file.history_depth().unwrap_or((0, 0));
    let mut view = MapView::new(&open.map, open.file.path());
    view.undo = undo;
    view.redo = redo;
    view
}
