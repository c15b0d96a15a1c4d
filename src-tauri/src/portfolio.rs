//! The portfolio screen: every journey of a folder the person chose (in a
//! dialog from Rust, or named with `--portfolio` on the command line) or of
//! a library, read by the core, and one of those journeys opened.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use waymark::portfolio::{self, Portfolio, Read};

use crate::dto::MapView;
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// Asks for a folder and reads its portfolio. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_portfolio<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> Result<Option<Portfolio>, CommandError> {
    let dialog = app.dialog().file().set_title("Choose the folder of an organisation's maps");
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder())
        .await
        .map_err(|e| AppError::Shell(format!("the folder dialog failed: {e}")))?;
    let Some(folder) = picked else { return Ok(None) };
    let folder =
        folder.into_path().map_err(|e| AppError::Shell(format!("the chosen folder has no local path: {e}")))?;
    Ok(Some(read_folder(folder, &session).await?))
}

/// The portfolio of the folder or library named with `--portfolio` when the
/// app was started; `None` without one.
#[tauri::command]
#[specta::specta]
pub async fn launch_portfolio(session: State<'_, Session>) -> Result<Option<Portfolio>, CommandError> {
    let Some(source) = crate::startup::portfolio_arg() else { return Ok(None) };
    Ok(Some(summarise(&session, move || waymark_library::portfolio::read(&source)).await?))
}

/// The portfolio of the library at `url` (its password from `~/.pgpass` or
/// `PGPASSWORD`, never from the window).
#[tauri::command]
#[specta::specta]
pub async fn library_portfolio(url: String, session: State<'_, Session>) -> Result<Portfolio, CommandError> {
    if !waymark_library::is_library_ref(&url) {
        return Err(AppError::Invalid("a library's address starts with postgres:// or postgresql://".into()).into());
    }
    Ok(read_library(url, &session).await?)
}

/// Opens a journey of the portfolio on screen. Only a file of the last
/// portfolio read is accepted: the window never names a file the person did
/// not choose.
#[tauri::command]
#[specta::specta]
pub fn open_portfolio_journey<R: Runtime>(
    path: String,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    let view = session.open_portfolio_journey(Path::new(&path))?;
    crate::set_window_title(&window, &view);
    Ok(view)
}

async fn read_folder(folder: PathBuf, session: &Session) -> Result<Portfolio, AppError> {
    summarise(session, move || portfolio::folder(&folder)).await
}

async fn read_library(url: String, session: &Session) -> Result<Portfolio, AppError> {
    summarise(session, move || waymark_library::portfolio::library(&url)).await
}

/// Reads off the async runtime's threads (files or the network, then an
/// analysis per map), and remembers the journeys' files for opening.
async fn summarise(
    session: &Session,
    read: impl FnOnce() -> Result<Read, portfolio::SourceError> + Send + 'static,
) -> Result<Portfolio, AppError> {
    let today = crate::clock::today();
    let summary = tauri::async_runtime::spawn_blocking(move || read().map(|r| portfolio::portfolio(r, today)))
        .await
        .map_err(|e| AppError::Shell(format!("reading the portfolio failed: {e}")))?
        .map_err(|e| AppError::Portfolio(e.to_string()))?;
    session.remember_portfolio(summary.journeys.iter().filter_map(|j| j.file.as_ref().map(PathBuf::from)).collect());
    Ok(summary)
}
