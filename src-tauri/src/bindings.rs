//! The typed bridge. Every command and event the window uses is registered
//! here; `ui/src/lib/bindings.ts` is generated from this list and the Rust
//! types, and the test below fails when the committed file is stale.
//! Regenerate with `WAYMARK_UPDATE_BINDINGS=1 cargo test -p waymark-app bindings`.

use tauri_specta::Builder;

/// The one list of commands and events, instantiated for a concrete runtime:
/// the real one in the app, the mock one in tests. (`collect_commands!` cannot
/// take a generic parameter, hence a macro rather than a generic function.)
#[macro_export]
macro_rules! app_bindings {
    ($runtime:ty) => {
        tauri_specta::Builder::<$runtime>::new()
            .commands(tauri_specta::collect_commands![
                $crate::commands::current_map::<$runtime>,
                $crate::commands::changed_map::<$runtime>,
                $crate::commands::open_map::<$runtime>,
                $crate::commands::new_map::<$runtime>,
                $crate::commands::set_settings::<$runtime>,
                $crate::commands::show_whole_rankings,
                $crate::commands::show_area,
                $crate::commands::step_area,
                $crate::commands::export_pdf::<$runtime>,
                $crate::commands::open_last_export::<$runtime>,
                $crate::commands::apply_edit::<$runtime>,
                $crate::commands::amend_edit::<$runtime>,
                $crate::commands::import_csv::<$runtime>,
                $crate::commands::set_fullscreen::<$runtime>,
                $crate::commands::undo::<$runtime>,
                $crate::commands::redo::<$runtime>,
                $crate::reviews::take_review,
                $crate::reviews::compare_reviews,
                $crate::reviews::recent_maps,
                $crate::reviews::open_recent::<$runtime>,
                $crate::commands::save_copy::<$runtime>,
                $crate::room::room_interfaces,
                $crate::room::open_room::<$runtime>,
                $crate::room::close_room::<$runtime>,
                $crate::room::room_status,
                $crate::room::control_room,
                $crate::room::remove_room_participant::<$runtime>,
                $crate::room::settle_pain_point::<$runtime>,
                $crate::portfolio::choose_portfolio::<$runtime>,
                $crate::portfolio::launch_portfolio,
                $crate::portfolio::library_portfolio,
                $crate::portfolio::open_portfolio_journey::<$runtime>,
                $crate::library::recent_libraries,
                $crate::library::library_maps::<$runtime>,
                $crate::library::open_library_map::<$runtime>,
                $crate::evidence::preview_log::<$runtime>,
                $crate::evidence::cancel_log,
                $crate::evidence::apply_log::<$runtime>,
                $crate::survey::choose_survey::<$runtime>,
                $crate::survey::preview_survey,
                $crate::survey::apply_survey::<$runtime>,
                $crate::survey::apply_weights::<$runtime>,
                $crate::survey::ranking_certainty,
                $crate::startup::about,
            ])
            .events(tauri_specta::collect_events![
                $crate::events::MenuCommand,
                $crate::room::RoomPulse,
                $crate::library::MapChanged,
                $crate::evidence::LogProgress,
                $crate::events::OpenedByLaunch
            ])
    };
}

/// The commands and events of the app, for the invoke handler and the bindings.
#[must_use]
pub fn builder() -> Builder<tauri::Wry> {
    app_bindings!(tauri::Wry)
}

/// The TypeScript the bindings file should hold.
///
/// # Errors
/// When a type cannot be expressed in TypeScript (a 64-bit integer, say).
pub fn typescript() -> Result<String, specta_typescript::ExportError> {
    builder().export_str(
        specta_typescript::Typescript::default()
            .header("// @ts-nocheck -- generated code; its unused imports are not ours to fix.\n// Generated from the Rust types by tauri-specta. Do not edit: run\n// WAYMARK_UPDATE_BINDINGS=1 cargo test -p waymark-app bindings\n"),
    )
}

/// Where the generated file lives.
#[must_use]
pub fn bindings_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_fresh() {
        let generated = match typescript() {
            Ok(ts) => ts,
            Err(e) => panic!("the bridge types must export to TypeScript: {e}"),
        };
        let path = bindings_path();
        if std::env::var_os("WAYMARK_UPDATE_BINDINGS").is_some()
            && let Err(e) = std::fs::write(&path, &generated)
        {
            panic!("could not write {}: {e}", path.display());
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: run WAYMARK_UPDATE_BINDINGS=1 cargo test -p waymark-app bindings and commit it",
            path.display()
        );
    }
}
