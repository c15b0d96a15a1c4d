//! The room from the window, on the mock runtime: opened on loopback for the
//! open map, a phone's action stored in the window's map, the facilitator's
//! controls, and nothing listening once closed.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use serde_json::{Value, json};
use tauri::Manager;
use waymark_app_lib::session::Session;

mod support;
use support::{app, invoke, invoke_with, sample_session};

fn post(url: &str, body: Value) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent.post(url).send_json(&body).unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap_or(Value::Null))
}

#[test]
fn a_room_opened_from_the_window_stores_a_phones_rating_in_the_open_map_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (app, window) = app(session);
    assert_eq!(invoke(&window, "room_status").unwrap(), Value::Null, "no room until one is opened");
    let room = invoke_with(&window, "open_room", json!({ "addr": "127.0.0.1" })).unwrap();
    let url = room["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(room["code"].as_str().unwrap().len(), 6);
    assert!(room["qr_svg"].as_str().unwrap().starts_with("<?xml") || room["qr_svg"].as_str().unwrap().contains("<svg"));

    let (status, _) = post(&format!("{url}api/join"), json!({ "voter": "window-test-1", "name": "Dana" }));
    assert_eq!(status, 200);
    let (status, body) =
        post(&format!("{url}api/rate"), json!({ "voter": "window-test-1", "step": "photo_line", "score": 5 }));
    assert_eq!(status, 200, "{body}");
    let map = app.state::<Session>().map().unwrap();
    let photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap();
    assert!(photo.ratings.iter().any(|r| r.participant == "Dana" && r.score == 5.0), "in the window's map");
    let status = invoke(&window, "room_status").unwrap();
    assert_eq!(status["seats"][0]["participant"], "Dana");

    // The facilitator closes rating: the phone is refused, nothing changes.
    let view = invoke_with(
        &window,
        "control_room",
        json!({ "control": { "kind": "activity", "activity": "rating", "open": false } }),
    )
    .unwrap();
    assert_eq!(view["rating"], false);
    let (status, _) = post(&format!("{url}api/rate"), json!({ "voter": "window-test-1", "step": "greet", "score": 2 }));
    assert_eq!(status, 409);
    // Removing Dana takes her rating too, and one undo brings it back.
    invoke_with(&window, "remove_room_participant", json!({ "name": "Dana" })).unwrap();
    let map = app.state::<Session>().map().unwrap();
    assert!(!map.workshop.participants.contains(&"Dana".to_owned()));
    invoke(&window, "undo").unwrap();
    assert!(app.state::<Session>().map().unwrap().workshop.participants.contains(&"Dana".to_owned()));

    let addr: std::net::SocketAddr = url.trim_start_matches("http://").split('/').next().unwrap().parse().unwrap();
    invoke(&window, "close_room").unwrap();
    assert_eq!(invoke(&window, "room_status").unwrap(), Value::Null);
    assert!(std::net::TcpStream::connect(addr).is_err(), "nothing listens once the room is closed");
}

#[test]
fn a_room_needs_an_address_of_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    let err = invoke_with(&window, "open_room", json!({ "addr": "not an address" })).unwrap_err();
    assert_eq!(err["code"], "room");
    let interfaces = invoke(&window, "room_interfaces").unwrap();
    assert!(
        interfaces.as_array().unwrap().iter().any(|i| i["addr"] == "127.0.0.1" && i["lan"] == false),
        "{interfaces}"
    );
}
