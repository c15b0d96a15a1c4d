//! The shell grants the least that works: with the app's real capabilities
//! (not the mock's empty ones), every command the window uses is allowed and
//! anything else, an app command missing from the capability or a plugin
//! command such as the dialog's or the opener's, is refused before it runs.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use serde_json::Value;
use tauri::test::{MockRuntime, mock_builder};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use waymark_app_lib::session::Session;

mod support;
use support::invoke;

/// A command that exists in this test only: registered with the invoke
/// handler like the app's, but granted by no capability.
#[tauri::command]
fn not_in_the_capability() -> String {
    "it ran".into()
}

fn app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let handler = waymark_app_lib::app_bindings!(MockRuntime).invoke_handler();
    let app = mock_builder()
        .manage(Session::default())
        .invoke_handler(move |invoke| {
            if invoke.message.command() == "not_in_the_capability" {
                let f: fn(tauri::ipc::Invoke<MockRuntime>) -> bool = tauri::generate_handler![not_in_the_capability];
                return f(invoke);
            }
            handler(invoke)
        })
        .build(tauri::generate_context!("tauri.conf.json", test = true))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, window)
}

fn refused(window: &WebviewWindow<MockRuntime>, cmd: &str) -> String {
    match invoke(window, cmd) {
        Ok(v) => panic!("{cmd} must be refused, but it answered {v}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_windows_commands_are_allowed() {
    let (_app, window) = app();
    // Nothing is open, so the command itself answers with its own error: it ran.
    let err = invoke(&window, "current_map").unwrap_err();
    assert_eq!(err["code"], "no_map", "{err}");
}

#[test]
fn an_app_command_outside_the_capability_is_refused() {
    let (_app, window) = app();
    let msg = refused(&window, "not_in_the_capability");
    assert!(msg.contains("not allowed"), "{msg}");
    assert!(!msg.contains("it ran"));
}

#[test]
fn plugin_commands_the_window_does_not_need_are_refused() {
    let (_app, window) = app();
    for cmd in [
        "plugin:dialog|open",
        "plugin:dialog|save",
        "plugin:opener|open_path",
        "plugin:event|emit",
        "plugin:window|close",
    ] {
        let msg = refused(&window, cmd);
        assert!(msg.contains("not allowed"), "{cmd}: {msg}");
    }
}

#[test]
fn every_registered_command_is_granted_and_nothing_else() {
    // A command registered for the window but missing from the capability
    // would be refused at run time; one granted but not registered is a
    // permission nobody needs. Compare the two lists.
    let ts = waymark_app_lib::bindings::typescript().unwrap();
    let mut registered: Vec<String> = ts
        .lines()
        .filter_map(|line| line.split("TAURI_INVOKE(\"").nth(1))
        .map(|rest| format!("allow-{}", rest.split('"').next().unwrap().replace('_', "-")))
        .collect();
    registered.sort();
    let capability: Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .filter(|p| p.starts_with("allow-"))
        .collect();
    granted.sort();
    assert!(registered.len() >= 12, "the bindings list the commands: {registered:?}");
    assert_eq!(granted, registered);
    let others: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| !p.starts_with("allow-"))
        .collect();
    assert_eq!(others, ["core:event:allow-listen", "core:event:allow-unlisten"], "no plugin permissions");
}
