//! Commands for periodic reviews and the home screen. Like every command they
//! only adapt: the core takes snapshots, compares them and summarises maps.

use tauri::{Runtime, State, WebviewWindow};
use waymark::recent::RecentMap;
use waymark::review::Comparison;

use crate::dto::MapView;
use crate::error::CommandError;
use crate::session::Session;

/// Freezes the open map as a review named `name`, taken today with
/// `participants`. The snapshot is never changed afterwards.
#[tauri::command]
#[specta::specta]
pub fn take_review(
    name: String,
    participants: Vec<String>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    Ok(session.take_review(&name, &participants)?)
}

/// What changed from review `before` to review `after`, or to now when
/// `after` is `None`.
#[tauri::command]
#[specta::specta]
pub fn compare_reviews(
    before: u32,
    after: Option<u32>,
    session: State<'_, Session>,
) -> Result<Comparison, CommandError> {
    Ok(session.compare(before, after)?)
}

/// The maps opened lately, each with its next review and overdue commitments.
#[tauri::command]
#[specta::specta]
pub fn recent_maps(session: State<'_, Session>) -> Vec<RecentMap> {
    session.recent_maps()
}

/// Opens a map from the home screen. Only a path already on the recent list
/// is accepted: the window never names a file the person did not choose.
#[tauri::command]
#[specta::specta]
pub fn open_recent<R: Runtime>(
    path: String,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    let view = session.open_recent(std::path::Path::new(&path))?;
    crate::set_window_title(&window, &view);
    Ok(view)
}
