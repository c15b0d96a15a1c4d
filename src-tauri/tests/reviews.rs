//! Reviews and the home screen across the bridge, on the mock runtime.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use serde_json::json;
use waymark_app_lib::session::Session;

mod support;
use support::{app, invoke, invoke_with, restore, sample_session};

#[test]
fn a_review_taken_in_the_window_is_listed_and_compared_with_now() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let (_app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["review"]["reviews"], json!([]));
    assert!(view["review"]["schedule"]["message"].as_str().unwrap().starts_with("No review yet"));
    assert!(view["trend_svg"].as_str().unwrap().contains("No reviews yet"));

    let err = invoke_with(&window, "take_review", json!({ "name": " ", "participants": [] })).unwrap_err();
    assert_eq!(err["code"], "invalid");
    let taken =
        invoke_with(&window, "take_review", json!({ "name": "Spring review", "participants": ["Amira", "Ben"] }))
            .unwrap();
    // What the view left out as unchanged, from the view before it.
    let view = restore(&view, &taken);
    let reviews = view["review"]["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["name"], "Spring review");
    assert_eq!(reviews[0]["participants"], json!(["Amira", "Ben"]));
    assert_eq!(reviews[0]["taken_on"], view["today"]);
    assert_eq!(view["review"]["since_last"]["before"], "Spring review");
    assert_eq!(view["review"]["trend"].as_array().unwrap().len(), 2, "the review, then now");
    assert_eq!(view["trend_svg"].as_str().unwrap().matches("data-series=").count(), 3);

    // An edit after the review shows up in the comparison with now.
    let mut step = view["map"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == "sign_pad").unwrap().clone();
    step["score"] = json!(2.0);
    invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "update_step", "step": step } })).unwrap();
    let c = invoke_with(&window, "compare_reviews", json!({ "before": 1, "after": null })).unwrap();
    assert_eq!(c["after"], "now");
    assert_eq!(c["rescored"][0]["id"], "sign_pad");
    assert_eq!(c["rescored"][0]["after"], 2.0);
    let err = invoke_with(&window, "compare_reviews", json!({ "before": 7, "after": null })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("no review number 7"), "{err}");

    // The review is in the file, not only in the window.
    drop(window);
    drop(_app);
    let file = waymark::store::MapFile::open(&path).unwrap();
    assert_eq!(file.reviews().unwrap()[0].name, "Spring review");
}

#[test]
fn the_home_screen_lists_recent_maps_and_opens_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::default();
    session.keep_recent_in(dir.path().join("config/recent-maps.json"));
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    session.open(&path).unwrap();
    let (_app, window) = app(session);
    let recent = invoke(&window, "recent_maps").unwrap();
    let recent = recent.as_array().unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0]["title"], "Driver licence renewal");
    // The sample's camera commitment fell due on 30 October 2026 and is not done.
    let today = chrono::Local::now().date_naive();
    let due = chrono::NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
    assert_eq!(recent[0]["overdue"].as_array().unwrap().len(), usize::from(today > due));
    assert!(recent[0]["schedule"]["message"].is_string());

    let view = invoke_with(&window, "open_recent", json!({ "path": recent[0]["path"] })).unwrap();
    assert_eq!(view["title"], "Driver licence renewal");
    let elsewhere = dir.path().join("not-chosen.waymark");
    waymark::store::MapFile::create(&elsewhere, &waymark::Map::new("Secret")).unwrap();
    let err = invoke_with(&window, "open_recent", json!({ "path": elsewhere })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("not on the list of recent maps"), "{err}");
    assert_eq!(invoke(&window, "current_map").unwrap()["title"], "Driver licence renewal");
}
