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
    /// File › Import CSV…
    ImportCsv,
    /// File › Open from library…
    OpenLibrary,
    /// File › Import event log…
    ImportLog,
    /// File › Import survey…
    ImportSurvey,
}

/// Sent when the user picks a menu item that the window carries out (so the
/// menu and the window's own buttons share one code path).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct MenuCommand {
    /// Which item.
    pub action: MenuAction,
}
