//! Maps kept in an organisation's library (PostgreSQL), as the window opens
//! them: the library's maps listed, one opened for editing, and others'
//! edits of it followed while it is open (each arrives as [`MapChanged`]).
//!
//! Recent libraries are remembered by URL, never with a password. A
//! password the server asks for comes from `PGPASSWORD`, `~/.pgpass` or a
//! service file; failing those the window asks, and it is kept in memory
//! for this session only.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State, WebviewWindow};
use tauri_specta::Event as _;
use waymark_library::{Address, Library, without_password};

use crate::clock;
use crate::dto::MapView;
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// How many libraries the window remembers.
const KEEP: usize = 8;

/// The libraries the window knows of in this session.
#[derive(Debug, Default)]
pub struct Libraries {
    inner: Mutex<Known>,
}

#[derive(Debug, Default)]
struct Known {
    /// Passwords typed in this session, by URL (without password).
    passwords: HashMap<String, String>,
    /// Recent libraries' URLs, newest first.
    recent: Vec<String>,
    /// Where that list is kept; `None` in tests that keep none.
    store: Option<PathBuf>,
}

impl Libraries {
    /// Keeps the list of recent libraries in `store` (the app's config folder).
    pub fn keep_recent_in(&self, store: PathBuf) {
        let mut known = self.lock();
        known.recent = std::fs::read_to_string(&store)
            .ok()
            .and_then(|t| serde_json::from_str::<Vec<String>>(&t).ok())
            .unwrap_or_default();
        known.store = Some(store);
    }

    /// The library at `url`, reached with `password` when one is given (and
    /// then kept for the session), else with one given earlier in this
    /// session, else as the environment, `.pgpass` or a service file say.
    fn address(&self, url: &str, password: Option<String>) -> Result<Address, AppError> {
        let address = Address::parse(url)?;
        let key = without_password(url);
        let mut known = self.lock();
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            known.passwords.insert(key, password.clone());
            return Ok(address.with_password(&password));
        }
        match known.passwords.get(&key) {
            Some(password) if !address.has_password() => Ok(address.with_password(password)),
            _ => Ok(address),
        }
    }

    /// Puts `url` (without any password) at the top of the recent libraries.
    /// A list that cannot be saved must not fail opening the map.
    fn remember(&self, url: &str) {
        let mut known = self.lock();
        let url = without_password(url);
        known.recent.retain(|u| *u != url);
        known.recent.insert(0, url);
        known.recent.truncate(KEEP);
        if let (Some(store), Ok(json)) = (&known.store, serde_json::to_string_pretty(&known.recent)) {
            let _ = waymark::atomic::write_atomically(store, json.as_bytes());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Known> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One map of a library, as the window lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LibraryMapView {
    /// Its id (what `URL#MAP` names).
    pub id: String,
    /// Its title.
    pub title: String,
    /// How many steps.
    pub steps: u32,
    /// When it was last changed (UTC, `YYYY-MM-DD HH:MM`).
    pub last_edit: String,
    /// Who changed it last.
    pub last_editor: String,
    /// When its next review is due.
    pub next_review: Option<String>,
}

/// Sent when the open map changed elsewhere (another window's edit reached
/// the library), or its library became unreachable or reachable again: the
/// window fetches the map again.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct MapChanged {}

/// The libraries opened lately, newest first (URLs, never passwords).
#[tauri::command]
#[specta::specta]
pub fn recent_libraries(libraries: State<'_, Libraries>) -> Vec<String> {
    libraries.lock().recent.clone()
}

/// The maps of the library at `url`. A `password` is kept for this session.
/// Async, as opening a map is: reaching a server may take seconds, and the
/// window must not freeze meanwhile (the blocking client runs off the async
/// runtime's threads).
#[tauri::command]
#[specta::specta]
pub async fn library_maps<R: Runtime>(
    url: String,
    password: Option<String>,
    app: AppHandle<R>,
) -> Result<Vec<LibraryMapView>, CommandError> {
    let handle = app.clone();
    let maps = tauri::async_runtime::spawn_blocking(move || -> Result<_, AppError> {
        let libraries = handle.state::<Libraries>();
        let mut library = Library::open_at(libraries.address(&url, password)?)?;
        let maps = library.list(clock::today())?;
        libraries.remember(&url);
        Ok(maps)
    })
    .await
    .map_err(|e| AppError::Shell(format!("the library could not be read: {e}")))??;
    Ok(maps
        .into_iter()
        .map(|m| LibraryMapView {
            id: m.id,
            title: m.title,
            steps: m.steps,
            last_edit: m.last_edit.format("%Y-%m-%d %H:%M").to_string(),
            last_editor: m.last_editor,
            next_review: m.next_review.map(|d| d.to_string()),
        })
        .collect())
}

/// Opens the map `map` of the library at `url` for editing, and follows
/// others' edits of it while it is open.
#[tauri::command]
#[specta::specta]
pub async fn open_library_map<R: Runtime>(
    url: String,
    map: String,
    password: Option<String>,
    app: AppHandle<R>,
    window: WebviewWindow<R>,
) -> Result<MapView, CommandError> {
    let handle = app.clone();
    let view = crate::commands::with_session(&app, move |session| -> Result<MapView, AppError> {
        let libraries = handle.state::<Libraries>();
        let editing = Library::open_at(libraries.address(&url, password)?)?.edit(&map)?;
        let changed = handle.clone();
        let changed = Box::new(move || {
            if changed.state::<Session>().refresh() {
                let _ = MapChanged {}.emit(&changed);
            }
        });
        let view = session.open_store(Box::new(editing), changed)?;
        libraries.remember(&url);
        Ok(view)
    })
    .await??;
    crate::set_window_title(&window, &view);
    Ok(view)
}
