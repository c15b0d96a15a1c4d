//! Generates the Tauri context (config, capabilities, icons) at compile time.
//!
//! The app manifest names every command the window may call. With it, Tauri
//! refuses any app command that a capability does not grant, instead of
//! allowing all of them, so `capabilities/default.json` is the whole list of
//! what the webview can reach.

/// Keep in step with `app_bindings!` in `src/bindings.rs`; the ACL test in
/// `tests/acl.rs` fails when a registered command is missing here or in the capability.
const COMMANDS: &[&str] = &[
    "current_map",
    "changed_map",
    "open_map",
    "new_map",
    "set_settings",
    "show_whole_rankings",
    "show_area",
    "step_area",
    "export_pdf",
    "open_last_export",
    "apply_edit",
    "amend_edit",
    "import_csv",
    "set_fullscreen",
    "undo",
    "redo",
    "take_review",
    "compare_reviews",
    "recent_maps",
    "open_recent",
    "save_copy",
    "room_interfaces",
    "open_room",
    "close_room",
    "room_status",
    "control_room",
    "remove_room_participant",
    "settle_pain_point",
    "choose_portfolio",
    "launch_portfolio",
    "library_portfolio",
    "open_portfolio_journey",
    "recent_libraries",
    "library_maps",
    "open_library_map",
    "preview_log",
    "cancel_log",
    "apply_log",
    "choose_survey",
    "preview_survey",
    "apply_survey",
    "apply_weights",
    "ranking_certainty",
    "about",
];

fn main() {
    // The built UI is embedded in the binary: rebuild when it changes, or a
    // new UI build would ship inside an old binary.
    println!("cargo:rerun-if-changed=../ui/dist");
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
