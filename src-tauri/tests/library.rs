//! A library map in the window, on the mock runtime against a real
//! PostgreSQL: listed and opened (the password asked for when the server
//! wants one), another editor's edit arriving within a second, undo taking
//! back the window's own edit, and the server going away and coming back.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tauri::Listener as _;
use waymark::edit::Edit;
use waymark_app_lib::session::Session;
use waymark_library::Library;

mod support;
use support::{app, invoke, invoke_with};

#[path = "../../library/tests/it/pg.rs"]
#[allow(dead_code, reason = "shared with the library's tests; not every helper is used here")]
mod pg;

fn participants(view: &Value) -> Vec<String> {
    serde_json::from_value(view["map"]["workshop"]["participants"].clone()).unwrap_or_default()
}

#[test]
fn a_library_map_in_the_window_follows_anothers_edits_and_the_servers_outage() {
    let mut server = pg::Server::start();
    let url = server.database("lib");
    let (mut library, _) = Library::init(&url).unwrap();
    let map = waymark::interchange::read(waymark::samples::LICENCE_RENEWAL.json).unwrap();
    library.push(&waymark::store::Archive::of(map.clone()), "licence").unwrap();

    let (app, window) = app(Session::default());
    let (tx, rx) = mpsc::channel();
    app.listen_any("map-changed", move |_| {
        let _ = tx.send(Instant::now());
    });

    // Without its password the server refuses, and the window is told to ask.
    let bare = url.replace(&format!(":{}@", pg::PASSWORD), "@");
    let err = invoke_with(&window, "library_maps", json!({ "url": bare, "password": null })).unwrap_err();
    assert_eq!(err["code"], "password", "{err}");
    let maps = invoke_with(&window, "library_maps", json!({ "url": bare, "password": pg::PASSWORD })).unwrap();
    assert_eq!(maps[0]["id"], "licence");
    let recent = invoke(&window, "recent_libraries").unwrap();
    assert_eq!(recent, json!([bare]), "remembered by URL, never with the password");

    // The password given stays for the session: opening needs it no more.
    let view =
        invoke_with(&window, "open_library_map", json!({ "url": bare, "map": "licence", "password": null })).unwrap();
    assert_eq!(view["title"], map.title);
    assert!(view["path"].as_str().unwrap().ends_with("/lib#licence"), "{}", view["path"]);
    assert!(!view.to_string().contains(pg::PASSWORD));
    assert_eq!(view["read_only"], Value::Null);

    // The window's own edit, then another editor's: the window hears of it.
    let mine = invoke_with(
        &window,
        "apply_edit",
        json!({ "edit": { "kind": "add_participant", "name": "Ann in the window" } }),
    )
    .unwrap();
    assert!(participants(&mine).contains(&"Ann in the window".to_owned()));
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    let mut elsewhere = Library::open(&url).unwrap().edit("licence").unwrap();
    let sent = Instant::now();
    elsewhere.apply(&Edit::AddParticipant { name: "Bo elsewhere".into() }).unwrap();
    let heard = rx.recv_timeout(Duration::from_secs(1)).expect("the window is told within a second");
    assert!(heard.duration_since(sent) < Duration::from_secs(1));
    let now = invoke(&window, "current_map").unwrap();
    assert!(participants(&now).contains(&"Bo elsewhere".to_owned()), "{:?}", participants(&now));

    // Undo takes back the window's own edit, not Bo's.
    let undone = invoke(&window, "undo").unwrap();
    let names = participants(&undone);
    assert!(
        !names.contains(&"Ann in the window".to_owned()) && names.contains(&"Bo elsewhere".to_owned()),
        "{names:?}"
    );

    // The server stops: the window is told, shows why, and refuses edits.
    while rx.try_recv().is_ok() {}
    let port = server.port;
    server.stop();
    // The library is checked every 2 s, with 2 s to answer; on a loaded
    // two-core CI machine the first check after the stop can miss, so the
    // window is told within a few checks.
    rx.recv_timeout(Duration::from_secs(15)).expect("the window is told the library went away");
    let down = invoke(&window, "current_map").unwrap();
    assert_eq!(down["read_only"]["reason"], "library_unreachable", "{}", down["read_only"]);
    let err = invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "set_title", "title": "While down" } }))
        .unwrap_err();
    assert_eq!(err["code"], "not_saved", "{err}");
    assert!(err["message"].as_str().unwrap().contains("cannot be reached"), "{err}");

    // It comes back: the window reconnects by itself and may edit again.
    server.run(port);
    let start = Instant::now();
    loop {
        let _ = rx.recv_timeout(Duration::from_secs(1));
        if invoke(&window, "current_map").unwrap()["read_only"] == Value::Null {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the window reconnects within seconds");
    }
    let after =
        invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "set_title", "title": "After the outage" } }))
            .unwrap();
    assert_eq!(after["title"], "After the outage");
    let (stored, _) = {
        let e = Library::open(&url).unwrap().edit("licence").unwrap();
        (e.map().clone(), e.version())
    };
    assert_eq!(stored.title, "After the outage");
    assert!(stored.workshop.participants.iter().all(|p| p != "Ann in the window"));
}
