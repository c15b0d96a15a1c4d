//! The commands the window may invoke. Each is a thin adapter: take the
//! arguments, call the session or the core, map the error. They are generic
//! over the runtime so the tests drive them on Tauri's mock runtime.

use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use waymark::model::Settings;

use crate::dto::MapView;
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// The map the window should show.
#[tauri::command]
#[specta::specta]
pub fn current_map(session: State<'_, Session>) -> Result<MapView, CommandError> {
    session.view()
}

/// Asks the user for a `.waymark` file and opens it. `None` when the dialog was
/// cancelled. On failure the previous map stays open.
#[tauri::command]
#[specta::specta]
pub async fn open_map<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<Option<MapView>, CommandError> {
    let mut dialog = app.dialog().file().set_title("Open a Waymark map").add_filter("Waymark map", &["waymark"]);
    if let Some(dir) = session.path().as_deref().and_then(std::path::Path::parent) {
        dialog = dialog.set_directory(dir);
    }
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| AppError::Shell(format!("the file dialog failed: {e}")))?;
    let Some(picked) = picked else { return Ok(None) };
    let path = picked.into_path().map_err(|e| AppError::Shell(format!("the chosen file has no local path: {e}")))?;
    let view = session.open(&path)?;
    crate::set_window_title(&window, &view);
    Ok(Some(view))
}

/// Changes the weights the analysis rests on (end weight, negativity,
/// standard) and returns the map with its figures recomputed.
#[tauri::command]
#[specta::specta]
pub fn set_settings(settings: Settings, session: State<'_, Session>) -> Result<MapView, CommandError> {
    Ok(session.set_settings(settings)?)
}
