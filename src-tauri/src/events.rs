//! Events the shell sends the window.

use serde::{Deserialize, Serialize};

/// A menu item the window should act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MenuAction {
    /// File › Open…
    Open,
    /// File › Export PDF…
    ExportPdf,
    /// File › Import steps (CSV, Excel, LibreOffice)…
    ImportCsv,
    /// File › Open from library…
    OpenLibrary,
    /// File › Import event log…
    ImportLog,
    /// File › Import survey…
    ImportSurvey,
    /// Help › About Waymark
    About,
}

/// Sent when the user picks a menu item that the window carries out (so the
/// menu and the window's own buttons share one code path).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct MenuCommand {
    /// Which item.
    pub action: MenuAction,
}

/// Sent when Waymark was launched again on a map (a double-click in the file
/// manager while the window is open): the shell has already opened that map
/// in this window, as it opens the map named at start-up, or says why not.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct OpenedByLaunch {
    /// Why the map could not be opened; the window keeps the map it had.
    pub error: Option<crate::error::CommandError>,
}

/// What the window's About says: the release and the commit it was built from.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct About {
    /// The release, e.g. "0.1.0".
    pub version: String,
    /// The source commit (12 hex digits), or "unknown".
    pub commit: String,
}
