//! The window's menu bar. Items the window carries out are forwarded to it as
//! a [`MenuCommand`] event, so File › Open and the window's Open button run
//! the same code.

use tauri::menu::{MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{AppHandle, Runtime};
use tauri_specta::Event as _;

use crate::events::{MenuAction, MenuCommand};

const OPEN: &str = "open";
const EXPORT_PDF: &str = "export-pdf";
const IMPORT_CSV: &str = "import-csv";
const OPEN_LIBRARY: &str = "open-library";
const IMPORT_LOG: &str = "import-log";
const IMPORT_SURVEY: &str = "import-survey";
const ABOUT: &str = "about";

/// Builds the menu and routes its events.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let open = MenuItemBuilder::with_id(OPEN, "Open…").accelerator("CmdOrCtrl+O").build(app)?;
    let export = MenuItemBuilder::with_id(EXPORT_PDF, "Export PDF…").accelerator("CmdOrCtrl+E").build(app)?;
    let import = MenuItemBuilder::with_id(IMPORT_CSV, "Import steps (CSV, Excel, LibreOffice)…").build(app)?;
    let library = MenuItemBuilder::with_id(OPEN_LIBRARY, "Open from library…").build(app)?;
    let log = MenuItemBuilder::with_id(IMPORT_LOG, "Import event log…").build(app)?;
    let survey = MenuItemBuilder::with_id(IMPORT_SURVEY, "Import survey…").build(app)?;
    let quit = PredefinedMenuItem::quit(app, Some("Quit"))?;
    let file = SubmenuBuilder::new(app, "File")
        .item(&open)
        .item(&library)
        .item(&import)
        .item(&log)
        .item(&survey)
        .item(&export)
        .separator()
        .item(&quit)
        .build()?;
    let about = MenuItemBuilder::with_id(ABOUT, "About Waymark").build(app)?;
    let help = SubmenuBuilder::new(app, "Help").item(&about).build()?;
    let menu = MenuBuilder::new(app).item(&file).item(&help).build()?;
    app.set_menu(menu)?;
    app.on_menu_event(|app, event| {
        let action = match event.id().as_ref() {
            OPEN => MenuAction::Open,
            EXPORT_PDF => MenuAction::ExportPdf,
            IMPORT_CSV => MenuAction::ImportCsv,
            OPEN_LIBRARY => MenuAction::OpenLibrary,
            IMPORT_LOG => MenuAction::ImportLog,
            IMPORT_SURVEY => MenuAction::ImportSurvey,
            ABOUT => MenuAction::About,
            _ => return,
        };
        // If the window is gone there is nobody to act for.
        let _ = MenuCommand { action }.emit(app);
    });
    Ok(())
}
