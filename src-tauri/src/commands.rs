//! The commands the window may invoke. Each is a thin adapter: take the
//! arguments, call the session or the core, map the error. They are generic
//! over the runtime so the tests drive them on Tauri's mock runtime.

use tauri::{AppHandle, Manager, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use waymark::edit::Edit;
use waymark::model::Settings;

use crate::dto::{Area, DrawingView, Exported, MapView, PaperChoice};
use crate::error::{AppError, CommandError};
use crate::session::Session;

/// The map the window should show.
#[tauri::command]
#[specta::specta]
pub async fn current_map<R: Runtime>(app: AppHandle<R>) -> Result<MapView, CommandError> {
    // Off the main thread: at launch this waits for the map to open.
    with_session(&app, Session::view).await?
}

/// The map again after others changed it (phones in the room, another
/// window's edit in the library), with the drawing as the pieces that
/// changed since the drawing the window has, as after the window's own
/// edits.
#[tauri::command]
#[specta::specta]
pub async fn changed_map<R: Runtime>(app: AppHandle<R>) -> Result<MapView, CommandError> {
    with_session(&app, Session::changed_view).await?
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
    let dialog = app.dialog().file().set_title("Open a Waymark map").add_filter("Waymark map", &["waymark"]);
    let Some(path) = choose(dialog, &session, Choice::Open).await? else { return Ok(None) };
    let view = with_session(&app, move |s| s.open(&path)).await??;
    crate::set_window_title(&window, &view);
    Ok(Some(view))
}

/// Runs `f` with the session on a thread where blocking is allowed. An
/// async command must not touch the open map's store on the async
/// runtime's own threads: a library map talks to its server through a
/// blocking client, which may neither run nor be dropped there.
///
/// # Errors
/// When the thread could not be run.
pub(crate) async fn with_session<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    f: impl FnOnce(&Session) -> T + Send + 'static,
) -> Result<T, AppError> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<Session>()))
        .await
        .map_err(|e| AppError::Shell(format!("the command could not run: {e}")))
}

/// Changes the weights the analysis rests on (end weight, negativity,
/// standard) and returns the map with its figures recomputed (on a map
/// drawn by area, they follow: see `MapView::figures_follow`).
#[tauri::command]
#[specta::specta]
pub fn set_settings<R: Runtime>(
    settings: Settings,
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    let view = session.set_settings(settings)?;
    notify_rooms(&app);
    Ok(view)
}

/// Lists the open map's rankings whole (`true`) or their first places, from
/// now on while this map is open; returns the map.
#[tauri::command]
#[specta::specta]
pub fn show_whole_rankings(whole: bool, session: State<'_, Session>) -> Result<MapView, CommandError> {
    Ok(session.show_whole_rankings(whole)?)
}

/// The window shows `port` of the drawing now (scrolled, zoomed, resized).
/// On a large map drawn by area, the changes that bring what came into view;
/// `None` when the drawing the window has holds it.
#[tauri::command]
#[specta::specta]
pub fn show_area(port: Area, session: State<'_, Session>) -> Result<Option<DrawingView>, CommandError> {
    Ok(session.show_area(port)?)
}

/// Where step `id`'s card is in the drawing; `None` when there is no such step.
#[tauri::command]
#[specta::specta]
pub fn step_area(id: String, session: State<'_, Session>) -> Option<Area> {
    session.step_area(&id)
}

/// Asks where to save and writes the PDF report there. `None` when the dialog
/// was cancelled. On failure nothing is left at the chosen path.
#[tauri::command]
#[specta::specta]
pub async fn export_pdf<R: Runtime>(
    app: AppHandle<R>,
    paper: PaperChoice,
    session: State<'_, Session>,
) -> Result<Option<Exported>, CommandError> {
    let name = session.title().map_or_else(|| "journey".to_owned(), |t| safe_file_stem(&t));
    let dialog = app
        .dialog()
        .file()
        .set_title("Export the report as PDF")
        .add_filter("PDF", &["pdf"])
        .set_file_name(format!("{name}.pdf"));
    let Some(path) = choose(dialog, &session, Choice::Save).await? else { return Ok(None) };
    let date = crate::clock::today().format("%Y-%m-%d").to_string();
    // An async command runs on the runtime's threads, so the window stays
    // responsive (and shows its progress) while a large report renders.
    Ok(Some(session.export_pdf(&path, paper.into(), date)?))
}

/// Opens the last exported file in the system's viewer.
#[tauri::command]
#[specta::specta]
pub fn open_last_export<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>) -> Result<(), CommandError> {
    use tauri_plugin_opener::OpenerExt;
    let path = session.last_export().ok_or_else(|| AppError::Shell("there is no exported file to open".into()))?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| AppError::Shell(format!("the system viewer could not open {}: {e}", path.display())))?;
    Ok(())
}

/// Which dialog to show.
pub(crate) enum Choice {
    Open,
    Save,
}

/// Shows a file dialog (from Rust: the webview never names a path), starting
/// in the open map's folder, off the async runtime's threads since it
/// blocks. `None` when the user cancels.
pub(crate) async fn choose<R: Runtime>(
    dialog: tauri_plugin_dialog::FileDialogBuilder<R>,
    session: &Session,
    choice: Choice,
) -> Result<Option<std::path::PathBuf>, AppError> {
    let dialog = match session.path().as_deref().and_then(std::path::Path::parent) {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    };
    let picked = tauri::async_runtime::spawn_blocking(move || match choice {
        Choice::Open => dialog.blocking_pick_file(),
        Choice::Save => dialog.blocking_save_file(),
    })
    .await
    .map_err(|e| AppError::Shell(format!("the file dialog failed: {e}")))?;
    picked
        .map(|p| p.into_path().map_err(|e| AppError::Shell(format!("the chosen file has no local path: {e}"))))
        .transpose()
}

/// A map title made safe as a file name: letters, digits, spaces and dashes.
fn safe_file_stem(title: &str) -> String {
    let stem: String =
        title.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '-' }).take(80).collect();
    let stem = stem.trim().to_owned();
    if stem.is_empty() { "journey".to_owned() } else { stem }
}

/// Applies one edit (add a step, score it, vote…) and returns the map with its
/// figures recomputed (on a map drawn by area, they follow: see
/// `MapView::figures_follow`). Every edit is stored at once, in its own
/// transaction.
#[tauri::command]
#[specta::specta]
pub fn apply_edit<R: Runtime>(
    edit: Edit,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    Ok(titled(&window, session.apply(&edit)?))
}

/// The window's title bar follows the map's title through renames, undo and
/// redo; and an open room's phones hear that the map changed.
fn titled<R: Runtime>(window: &WebviewWindow<R>, view: MapView) -> MapView {
    crate::set_window_title(window, &view);
    notify_rooms(window);
    view
}

/// An open room's phones hear that the map changed (and read it anew).
pub(crate) fn notify_rooms<R: Runtime, M: Manager<R>>(app: &M) {
    if let Some(rooms) = app.try_state::<crate::room::Rooms>() {
        rooms.notify();
    }
}

/// Applies an edit that refines the last one (a score typed as 3, then .5),
/// so a single undo takes both back.
#[tauri::command]
#[specta::specta]
pub fn amend_edit<R: Runtime>(
    edit: Edit,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<MapView, CommandError> {
    Ok(titled(&window, session.amend(&edit)?))
}

/// Takes back the last edit.
#[tauri::command]
#[specta::specta]
pub fn undo<R: Runtime>(window: WebviewWindow<R>, session: State<'_, Session>) -> Result<MapView, CommandError> {
    Ok(titled(&window, session.step_history(false)?))
}

/// Replays the last undone edit.
#[tauri::command]
#[specta::specta]
pub fn redo<R: Runtime>(window: WebviewWindow<R>, session: State<'_, Session>) -> Result<MapView, CommandError> {
    Ok(titled(&window, session.step_history(true)?))
}

/// Asks for a CSV of steps and adds them (with any new stages and
/// departments) to the open map as one edit. A bad row is reported by its
/// line and nothing is added. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_csv<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> Result<Option<MapView>, CommandError> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Import steps from a spreadsheet")
        .add_filter("Spreadsheet (CSV, Excel, LibreOffice)", &["csv", "xlsx", "xls", "ods"]);
    let Some(path) = choose(dialog, &session, Choice::Open).await? else { return Ok(None) };
    let view = with_session(&app, move |s| s.import_csv(&path)).await??;
    notify_rooms(&app);
    Ok(Some(view))
}

/// Presentation mode for a projector: the window goes full screen, or back.
#[tauri::command]
#[specta::specta]
pub fn set_fullscreen<R: Runtime>(on: bool, window: WebviewWindow<R>) -> Result<(), CommandError> {
    window.set_fullscreen(on).map_err(|e| AppError::Shell(format!("could not change full screen: {e}")))?;
    Ok(())
}

/// Asks where to create a new map and opens it: empty, or a copy of a
/// built-in sample as a template. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn new_map<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    template: Option<String>,
    session: State<'_, Session>,
) -> Result<Option<MapView>, CommandError> {
    let map = match template.as_deref() {
        None | Some("") => waymark::Map::new("Untitled journey"),
        Some(name) => {
            let sample = waymark::samples::ALL
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| AppError::Invalid(format!("there is no sample called \"{name}\"")))?;
            waymark::interchange::read(sample.json)
                .map_err(|e| AppError::Shell(format!("the sample is invalid: {e}")))?
        }
    };
    let dialog = app
        .dialog()
        .file()
        .set_title("Create a new Waymark map")
        .add_filter("Waymark map", &["waymark"])
        .set_file_name(format!("{}.waymark", safe_file_stem(&map.title)));
    let Some(path) = choose(dialog, &session, Choice::Save).await? else { return Ok(None) };
    let path = with_waymark_extension(path);
    waymark::store::MapFile::create(&path, &map).map_err(AppError::from)?;
    let view = with_session(&app, move |s| s.open(&path)).await??;
    crate::set_window_title(&window, &view);
    Ok(Some(view))
}

/// Asks where to save a copy of the open map, writes it there (with an edit
/// that could not be stored, if any) and continues editing the copy. The way
/// out of a read-only map or a failing disk. `None` when the dialog was
/// cancelled; on failure the map stays open as it was.
#[tauri::command]
#[specta::specta]
pub async fn save_copy<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    session: State<'_, Session>,
) -> Result<Option<MapView>, CommandError> {
    let name = session.title().map_or_else(|| "journey".to_owned(), |t| safe_file_stem(&t));
    let dialog = app
        .dialog()
        .file()
        .set_title("Save a copy of the map")
        .add_filter("Waymark map", &["waymark"])
        .set_file_name(format!("{name} (copy).waymark"));
    let Some(path) = choose(dialog, &session, Choice::Save).await? else { return Ok(None) };
    let path = with_waymark_extension(path);
    let view = with_session(&app, move |s| s.save_copy(&path)).await??;
    crate::set_window_title(&window, &view);
    Ok(Some(view))
}

/// A chosen path with `.waymark` added when the user typed no extension.
fn with_waymark_extension(mut path: std::path::PathBuf) -> std::path::PathBuf {
    if path.extension().is_none() {
        path.set_extension("waymark");
    }
    path
}
