//! A room's map kept with no window: what the `waymark-room` command and
//! the tests use. The map is a `.waymark` file or a library map (`URL#MAP`),
//! behind the core's one storage interface; each edit is stored through the
//! same path as the window's edits. A library map may also change under
//! the room (another window's edits): the room follows them.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, Weak};

use waymark::Map;
use waymark::edit::{Edit, EditError};
use waymark::storage::Storage;
use waymark::store::ApplyError;

use crate::{Host, HostError};

/// The store and the map as last stored. The map is also kept as a snapshot
/// behind its own lock, so reading it never waits for a commit in progress.
pub struct StoreHost {
    inner: Mutex<(Box<dyn Storage>, Map)>,
    snapshot: RwLock<Arc<Map>>,
    /// Hears of others' edits of a library map while the room runs.
    watch: Mutex<Option<waymark::storage::WatchGuard>>,
}

impl StoreHost {
    /// Opens `path` (a file, or `URL#MAP`) for the room; refuses a map this
    /// process may not change.
    ///
    /// # Errors
    /// When the map does not open, or is read-only here.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let mut store = waymark_library::open(path)?;
        if let Some(why) = store.read_only() {
            anyhow::bail!("{}: {why}; a room needs a map it can change", store.place());
        }
        let map = store.load()?;
        Ok(Self {
            snapshot: RwLock::new(Arc::new(map.clone())),
            inner: Mutex::new((store, map)),
            watch: Mutex::new(None),
        })
    }

    /// Where the map is kept, for messages (never with a password).
    #[must_use]
    pub fn place(&self) -> String {
        self.inner.lock().map(|g| g.0.place()).unwrap_or_default()
    }

    /// Follows others' edits of the map, when others can edit it: phones
    /// then see them at their next request.
    pub fn follow(self: &Arc<Self>) {
        let host: Weak<Self> = Arc::downgrade(self);
        let Ok(guard) = self.inner.lock() else { return };
        let watch = guard.0.watch(Box::new(move || {
            if let Some(host) = host.upgrade() {
                host.refresh();
            }
        }));
        drop(guard);
        if let Ok(mut slot) = self.watch.lock() {
            *slot = watch;
        }
    }

    /// Reads others' edits, if any, into the snapshot phones see.
    fn refresh(&self) {
        let Ok(mut guard) = self.inner.lock() else { return };
        let (store, map) = &mut *guard;
        if let Ok(Some(newer)) = store.refresh() {
            self.publish(&newer);
            *map = newer;
        }
    }

    fn publish(&self, map: &Map) {
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(map.clone());
        }
    }

    /// Undoes the last edit (any one's), as the window's Undo does.
    ///
    /// # Errors
    /// When the map cannot be written.
    pub fn undo(&self) -> anyhow::Result<bool> {
        let mut guard = self.inner.lock().map_err(|_| anyhow::anyhow!("the map is busy"))?;
        let (store, map) = &mut *guard;
        match store.undo(map)? {
            Some(back) => {
                *map = back;
                self.publish(map);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl Host for StoreHost {
    fn map(&self) -> Arc<Map> {
        self.snapshot.read().map(|s| Arc::clone(&s)).unwrap_or_else(|_| Arc::new(Map::new("unavailable")))
    }

    fn apply(&self, edit: &Edit) -> Result<(), HostError> {
        let mut guard = self.inner.lock().map_err(|_| HostError::NotStored("the map is busy".into()))?;
        let (store, map) = &mut *guard;
        match store.apply(map, edit) {
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
        let (store, map) = &mut *guard;
        match store.apply_all(map, edits) {
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
