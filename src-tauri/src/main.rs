//! The Waymark desktop app. Everything lives in the library so tests can build
//! the same app on Tauri's mock runtime.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    waymark_app_lib::run();
}
