//! What the test binaries share: calling a command as the window does.

use serde_json::Value;
use tauri::WebviewWindow;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindowBuilder};
use waymark_app_lib::session::Session;

/// Invokes `cmd` with no arguments, from the app's own origin.
#[allow(dead_code, reason = "each test binary compiles this module; not all use both functions")]
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    invoke_with(window, cmd, Value::Object(serde_json::Map::new()))
}

/// Invokes `cmd` with `args` as its JSON body, from the app's own origin.
#[allow(dead_code, reason = "each test binary compiles this module; not all use both functions")]
pub fn invoke_with(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid URL"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}

/// The app on the mock runtime with `session`, and its main window.
#[allow(dead_code, reason = "each test binary compiles this module; not all use every function")]
pub fn app(session: Session) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let bindings = waymark_app_lib::app_bindings!(MockRuntime);
    let app = mock_builder()
        .manage(session)
        .manage(waymark_app_lib::room::Rooms::default())
        .manage(waymark_app_lib::library::Libraries::default())
        .manage(waymark_app_lib::evidence::LogImports::default())
        .invoke_handler(bindings.invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    // Events go out as in the app (the library's map-changed).
    bindings.mount_events(&app);
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, window)
}

/// A session with the licence sample open, copied into `dir` first.
#[allow(dead_code, reason = "each test binary compiles this module; not all use every function")]
pub fn sample_session(dir: &std::path::Path) -> (Session, std::path::PathBuf) {
    let path = waymark_app_lib::startup::first_run_sample(dir).unwrap();
    let session = Session::default();
    session.open(&path).unwrap();
    (session, path)
}

/// A session with `waymark::synthetic::layered(steps, seed)` open, stored
/// in `dir` first.
#[allow(dead_code, reason = "each test binary compiles this module; not all use every function")]
pub fn generated_session(dir: &std::path::Path, steps: usize, seed: u64) -> (Session, std::path::PathBuf) {
    let path = dir.join("large.waymark");
    waymark::store::MapFile::create(&path, &waymark::synthetic::layered(steps, seed)).unwrap();
    let session = Session::default();
    session.open(&path).unwrap();
    (session, path)
}

/// The view `next` whole: the parts it left out as unchanged (`kept`)
/// taken from `have`, the view before it, as the window does.
#[allow(dead_code, reason = "each test binary compiles this module; not all use every function")]
pub fn restore(have: &Value, next: &Value) -> Value {
    let mut out = next.clone();
    let kept = &next["kept"];
    if kept.is_null() {
        return out;
    }
    assert_eq!(kept["base"], have["drawing"]["version"], "the parts were left out of the view the window has");
    if let Some(changed) = kept["steps"].as_array() {
        let mut steps = have["map"]["steps"].as_array().expect("the steps").clone();
        for c in changed {
            steps[usize::try_from(c["index"].as_u64().expect("an index")).expect("a place")] = c["step"].clone();
        }
        out["map"]["steps"] = Value::Array(steps);
    }
    for (flag, path) in [
        ("flows", &["map", "flows"][..]),
        ("pain_points", &["map", "pain_points"]),
        ("problems", &["problems"]),
        ("agreements", &["analysis", "agreements"]),
    ] {
        if kept[flag] == true {
            let from = path.iter().fold(have, |v, k| &v[*k]).clone();
            let mut to = &mut out;
            for k in path {
                to = &mut to[*k];
            }
            *to = from;
        }
    }
    out["kept"] = Value::Null;
    out
}

/// Numbers below `n`, the same run for the same seed (a linear
/// congruential generator), so a failing run of random edits repeats.
#[allow(dead_code, reason = "each test binary compiles this module; not all use every function")]
pub fn seeded(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % n
    }
}
