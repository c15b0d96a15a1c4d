//! Which map the app opens when it starts.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use waymark::store::MapFile;
use waymark::{interchange, samples};

use crate::error::AppError;

/// The file named on the command line, else the licence-renewal sample in the
/// app's data directory, created there from the built-in copy on first run so
/// the shipped original is never written. `None` when the window opens on a
/// portfolio (`--portfolio DIR`) and no map is named: the portfolio alone,
/// so nothing typed lands in the sample.
pub fn initial_path<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, AppError> {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == PORTFOLIO {
            rest.next();
        } else if !arg.to_string_lossy().starts_with('-') {
            return Ok(Some(PathBuf::from(arg)));
        }
    }
    if portfolio_arg().is_some() {
        return Ok(None);
    }
    let dir = app.path().app_data_dir().map_err(|e| AppError::Shell(format!("no data directory: {e}")))?;
    first_run_sample(&dir).map(Some)
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
