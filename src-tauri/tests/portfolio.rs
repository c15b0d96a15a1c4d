//! The portfolio screen's commands across the bridge, on the mock runtime.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use serde_json::json;
use waymark_app_lib::session::Session;

mod support;
use support::{app, invoke_with};

#[test]
fn only_a_journey_of_the_portfolio_read_opens() {
    let dir = tempfile::tempdir().unwrap();
    let journey = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let elsewhere = dir.path().join("not-chosen.waymark");
    waymark::store::MapFile::create(&elsewhere, &waymark::Map::new("Secret")).unwrap();
    let session = Session::default();
    session.remember_portfolio(vec![journey.clone()]);
    let (_app, window) = app(session);
    let err = invoke_with(&window, "open_portfolio_journey", json!({ "path": elsewhere })).unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("not a journey of the portfolio"), "{err}");
    let view = invoke_with(&window, "open_portfolio_journey", json!({ "path": journey })).unwrap();
    assert_eq!(view["title"], "Driver licence renewal");
}

#[test]
fn a_library_that_cannot_be_reached_is_said_in_words() {
    let (_app, window) = app(Session::default());
    let err = invoke_with(&window, "library_portfolio", json!({ "url": "/etc" })).unwrap_err();
    assert_eq!(err["code"], "invalid", "only a library's address is taken: folders come from the dialog");
    let err =
        invoke_with(&window, "library_portfolio", json!({ "url": "postgres://ann@127.0.0.1:1/journeys" })).unwrap_err();
    assert_eq!(err["code"], "portfolio");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("127.0.0.1"), "{message}");
}
