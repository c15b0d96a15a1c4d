//! A room's map kept in a `.waymark` file with no window: what the
//! `waymark-room` command and the tests use. Each edit is one transaction of
//! the file, through the same path as the window's edits.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use waymark::Map;
use waymark::edit::{Edit, EditError};
use waymark::store::{ApplyError, MapFile};

use crate::{Host, HostError};

/// The file and the map as last stored. The map is also kept as a snapshot
/// behind its own lock, so reading it never waits for a commit in progress.
pub struct FileHost {
    inner: Mutex<(MapFile, Map)>,
    snapshot: RwLock<Arc<Map>>,
}

impl FileHost {
    /// Opens `path` for the room; refuses a file this process may not change.
    ///
    /// # Errors
    /// When the file does not open, is not a map, or is read-only here.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let file = MapFile::open(path)?;
        if let Some(why) = file.read_only() {
            anyhow::bail!("{}: {why}; a room needs a map it can change", path.display());
        }
        let map = file.load()?;
        Ok(Self { snapshot: RwLock::new(Arc::new(map.clone())), inner: Mutex::new((file, map)) })
    }

    fn publish(&self, map: &Map) {
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(map.clone());
        }
    }

    /// Undoes the last edit (any one's), as the window's Undo does.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn undo(&self) -> anyhow::Result<bool> {
        let mut guard = self.inner.lock().map_err(|_| anyhow::anyhow!("the map is busy"))?;
        let (file, map) = &mut *guard;
        match file.undo(map)? {
            Some(back) => {
                *map = back;
                self.publish(map);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl Host for FileHost {
    fn map(&self) -> Arc<Map> {
        self.snapshot.read().map(|s| Arc::clone(&s)).unwrap_or_else(|_| Arc::new(Map::new("unavailable")))
    }

    fn apply(&self, edit: &Edit) -> Result<(), HostError> {
        let mut guard = self.inner.lock().map_err(|_| HostError::NotStored("the map is busy".into()))?;
        let (file, map) = &mut *guard;
        match file.apply(map, edit) {
            Ok(next) => {
                self.publish(&next);
                *map = next;
                Ok(())
            }
            Err(ApplyError::Refused(e)) => Err(refusal(&e)),
            Err(other) => Err(HostError::NotStored(other.to_string())),
        }
    }

    fn apply_all(&self, edits: &[Edit]) -> Vec<Result<(), HostError>> {
        let Ok(mut guard) = self.inner.lock() else {
            return edits.iter().map(|_| Err(HostError::NotStored("the map is busy".into()))).collect();
        };
        let (file, map) = &mut *guard;
        match file.apply_all(map, edits) {
            Ok((next, outcomes)) => {
                self.publish(&next);
                *map = next;
                outcomes.into_iter().map(|o| o.map_err(|e| refusal(&e))).collect()
            }
            Err(e) => edits.iter().map(|_| Err(HostError::NotStored(e.to_string()))).collect(),
        }
    }
}

/// The core's refusal in words.
pub(crate) fn refusal(e: &EditError) -> HostError {
    match e {
        EditError::Invalid(problems) => {
            HostError::Refused(problems.iter().map(waymark::validate::Problem::in_words).collect::<Vec<_>>().join("; "))
        }
        other => HostError::Refused(other.to_string()),
    }
}
