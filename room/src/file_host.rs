//! A room's map kept in a `.waymark` file with no window: what the
//! `waymark-room` command and the tests use. Each edit is one transaction of
//! the file, through the same path as the window's edits.

use std::path::Path;
use std::sync::Mutex;

use waymark::Map;
use waymark::edit::{Edit, EditError};
use waymark::store::{ApplyError, MapFile};

use crate::{Host, HostError};

/// The file and the map as last stored.
pub struct FileHost {
    inner: Mutex<(MapFile, Map)>,
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
        Ok(Self { inner: Mutex::new((file, map)) })
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
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl Host for FileHost {
    fn map(&self) -> Map {
        self.inner.lock().map(|g| g.1.clone()).unwrap_or_else(|_| Map::new("unavailable"))
    }

    fn apply(&self, edit: &Edit) -> Result<Map, HostError> {
        let mut guard = self.inner.lock().map_err(|_| HostError::NotStored("the map is busy".into()))?;
        let (file, map) = &mut *guard;
        match file.apply(map, edit) {
            Ok(next) => {
                *map = next.clone();
                Ok(next)
            }
            Err(ApplyError::Refused(EditError::Invalid(problems))) => Err(HostError::Refused(
                problems.iter().map(waymark::validate::Problem::in_words).collect::<Vec<_>>().join("; "),
            )),
            Err(ApplyError::Refused(other)) => Err(HostError::Refused(other.to_string())),
            Err(other) => Err(HostError::NotStored(other.to_string())),
        }
    }
}
