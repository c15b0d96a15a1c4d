//! The Waymark desktop shell: a Tauri 2 window over the `waymark` core.
//!
//! The shell holds no business logic. It opens files through the core's store,
//! asks the core for the drawing, and passes both to the window; the commands
//! it exposes are listed in [`bindings::builder`], and their TypeScript
//! wrappers are generated from these types.
//!
//! This crate (`waymark-app`) is the top of the workspace and the only one
//! that knows Tauri: it stands on the core, the library (a library map, its
//! errors' codes) and the room, and nothing may depend on it.

#![forbid(unsafe_code)]

pub mod bindings;
pub mod clock;
pub mod commands;
mod compositing;
pub mod dto;
pub mod error;
pub mod events;
pub mod evidence;
pub mod library;
mod menu;
pub mod portfolio;
pub mod reviews;
pub mod room;
pub mod session;
pub mod startup;
pub mod survey;

use tauri::{Manager, Runtime, WebviewWindow};

use crate::dto::MapView;
use crate::session::Session;

/// Shows the map's title and file name in the title bar.
pub(crate) fn set_window_title<R: Runtime>(window: &WebviewWindow<R>, view: &MapView) {
    // A title that cannot be set is cosmetic; the window shows the title too.
    let _ = window.set_title(&view.window_title);
}

/// Starts the app: opens the map named on the command line, else the
/// licence-renewal sample (copied into the data directory on first run).
///
/// # Panics
/// When the window system cannot start at all; there is nothing to show then.
#[allow(clippy::expect_used, reason = "without a window system there is no app to report to")]
pub fn run() {
    let specta = bindings::builder();
    tauri::Builder::default()
        // First, so a second launch hands its file over before anything starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| startup::another_launch(app, &argv, &cwd)))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(Session::default())
        .manage(room::Rooms::default())
        .manage(library::Libraries::default())
        .manage(evidence::LogImports::default())
        .manage(survey::SurveyImports::default())
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            menu::install(app.handle())?;
            if let Some(window) = app.get_webview_window("main") {
                compositing::choose(&window);
                fit_to_screen(&window);
            }
            let session = app.state::<Session>();
            if let Ok(dir) = app.path().app_config_dir() {
                session.keep_recent_in(dir.join("recent-maps.json"));
                app.state::<library::Libraries>().keep_recent_in(dir.join("recent-libraries.json"));
            }
            match startup::initial_path(app.handle()) {
                Ok(None) => {}
                // Opened beside the page loading, not before it: this hook
                // holds up the window until it returns.
                Ok(Some(path)) => {
                    session.launching();
                    let app = app.handle().clone();
                    std::thread::spawn(move || {
                        if let Ok(view) = app.state::<Session>().open_at_launch(&path)
                            && let Some(window) = app.get_webview_window("main")
                        {
                            set_window_title(&window, &view);
                        }
                    });
                }
                Err(e) => session.set_startup_error(e),
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the window system could not start");
}

/// Shrinks the window to the screen it opens on when its default size does
/// not fit there (1400 × 900 on a 1366 × 768 laptop), keeping it whole:
/// within the monitor's work area, panels and docks left out.
fn fit_to_screen<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    let (Ok(Some(monitor)), Ok(outer), Ok(inner)) =
        (window.current_monitor(), window.outer_size(), window.inner_size())
    else {
        return;
    };
    let area = *monitor.work_area();
    // Before the window is first shown it has no frame yet: its outer size
    // reads as nothing.
    let outer = if outer.width < inner.width || outer.height < inner.height { inner } else { outer };
    if outer.width <= area.size.width && outer.height <= area.size.height {
        return;
    }
    // The frame around the page (title bar, borders) stays as it is.
    let frame = (outer.width.saturating_sub(inner.width), outer.height.saturating_sub(inner.height));
    let fitted = tauri::PhysicalSize::new(
        outer.width.min(area.size.width).saturating_sub(frame.0),
        outer.height.min(area.size.height).saturating_sub(frame.1),
    );
    let _ = window.set_size(fitted);
    let _ = window.set_position(area.position);
}
