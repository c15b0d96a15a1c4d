//! Which map the app opens when it starts.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event as _;
use waymark::store::MapFile;
use waymark::{interchange, samples};

use crate::error::AppError;
use crate::events::{About, OpenedByLaunch};
use crate::session::Session;

/// The file named on the command line, else the licence-renewal sample in the
/// app's data directory, created there from the built-in copy on first run so
/// the shipped original is never written. `None` when the window opens on a
/// portfolio (`--portfolio DIR`) and no map is named: the portfolio alone,
/// so nothing typed lands in the sample.
pub fn initial_path<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, AppError> {
    if let Some(path) = map_arg(std::env::args_os().skip(1)) {
        return Ok(Some(path));
    }
    if portfolio_arg().is_some() {
        return Ok(None);
    }
    let dir = app.path().app_data_dir().map_err(|e| AppError::Shell(format!("no data directory: {e}")))?;
    first_run_sample(&dir).map(Some)
}

/// The map named among a launch's arguments (the program's name left out):
/// the first that is not an option, nor the folder after `--portfolio`.
pub fn map_arg(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        if arg == PORTFOLIO {
            rest.next();
        } else if !arg.to_string_lossy().starts_with('-') {
            return Some(PathBuf::from(arg));
        }
    }
    None
}

/// Waymark was launched again while this window runs (the single-instance
/// plugin hands over that launch's arguments and working directory): the
/// window comes to the front and, when a map was named, opens it as the map
/// named at start-up is opened, so two processes never hold one file. The
/// window hears of it by [`OpenedByLaunch`].
pub fn another_launch<R: Runtime>(app: &AppHandle<R>, argv: &[String], cwd: &str) {
    let window = app.get_webview_window("main");
    if let Some(window) = &window {
        // A window that cannot be raised is still the one that opens the map.
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    let Some(path) = map_arg(argv.iter().skip(1).map(OsString::from)) else { return };
    let path = Path::new(cwd).join(path);
    let error = match app.state::<Session>().open(&path) {
        Ok(view) => {
            if let Some(window) = &window {
                crate::set_window_title(window, &view);
            }
            None
        }
        Err(e) => Some(e.into()),
    };
    // Without a window there is nobody to tell.
    let _ = OpenedByLaunch { error }.emit(app);
}

/// The release and the commit this build comes from, for Help › About.
#[tauri::command]
#[specta::specta]
#[must_use]
pub fn about() -> About {
    About { version: waymark_build_info::VERSION.to_owned(), commit: waymark_build_info::COMMIT.to_owned() }
}

/// The option that opens the portfolio screen on a folder or library.
const PORTFOLIO: &str = "--portfolio";

/// The folder or library named with `--portfolio DIR|URL`, if any: the
/// window opens on its portfolio.
#[must_use]
pub fn portfolio_arg() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == PORTFOLIO {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix("--portfolio=") {
            return Some(value.to_owned());
        }
    }
    None
}

/// The sample's path in `dir`, created from the built-in JSON if missing.
pub fn first_run_sample(dir: &std::path::Path) -> Result<PathBuf, AppError> {
    let path = dir.join(format!("{}.waymark", samples::LICENCE_RENEWAL.name));
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|source| AppError::DataDir { dir: dir.to_owned(), source })?;
        let map = interchange::read(samples::LICENCE_RENEWAL.json)
            .map_err(|e| AppError::Shell(format!("the built-in sample is invalid: {e}")))?;
        MapFile::create(&path, &map)?;
    }
    Ok(path)
}
