//! The app's commands on Tauri's mock runtime: what the window receives across
//! the bridge, with no display.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use tauri::Manager;
use waymark_app_lib::session::Session;

mod support;
use support::{app, generated_session, invoke, invoke_with, restore, sample_session, seeded};

#[test]
fn current_map_sends_the_sample_with_its_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["title"], "Driver licence renewal");
    assert_eq!(view["file_name"], "licence-renewal.waymark");
    assert_eq!(view["step_count"], 21);
    assert_eq!(view["drawing"]["kind"], "whole", "the window asked: the whole drawing");
    let svg = view["drawing"]["svg"].as_str().unwrap();
    assert_eq!(svg.matches("class=\"step-card ").count(), 21, "one card per step in the drawing");
}

#[test]
fn first_run_copies_the_sample_once_and_never_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let session = Session::default();
    session.open(&path).unwrap();
    let first = std::fs::read(&path).unwrap();
    let again = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    assert_eq!(again, path);
    assert_eq!(std::fs::read(&path).unwrap(), first, "a second start must not rewrite the user's copy");
}

#[test]
fn a_bad_file_leaves_the_open_map_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let junk = dir.path().join("junk.waymark");
    std::fs::write(&junk, b"this is not a map").unwrap();
    let err = session.open(&junk).unwrap_err();
    assert_eq!(waymark_app_lib::error::CommandError::from(err).code, waymark_app_lib::error::ErrorCode::NotAMap);
    let (_app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["title"], "Driver licence renewal", "the previous map stays open");
}

#[test]
fn with_nothing_open_the_window_gets_a_code_and_a_message() {
    let (_app, window) = app(Session::default());
    let err = invoke(&window, "current_map").unwrap_err();
    assert_eq!(err["code"], "no_map");
    assert!(err["message"].as_str().unwrap().contains("File › Open"), "{err}");
    // Asked what changed (a room's pulse, a library's edit) with no map
    // open, the session answers the same, and is not left locked.
    let session = std::sync::Arc::new(Session::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let asked = std::sync::Arc::clone(&session);
    std::thread::spawn(move || tx.send(asked.changed_view().err().map(|e| serde_json::to_value(e.code).unwrap())));
    let answer = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("an answer, not a session locked for good");
    assert_eq!(answer, Some(serde_json::json!("no_map")));
}

#[test]
fn a_start_up_failure_is_reported_to_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::default();
    let missing = dir.path().join("gone.waymark");
    session.set_startup_error(session.open(&missing).unwrap_err());
    let (_app, window) = app(session);
    let err = invoke(&window, "current_map").unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("gone.waymark"), "{err}");
}

#[test]
fn the_windows_first_ask_waits_for_the_map_the_launch_is_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let session = std::sync::Arc::new(Session::default());
    session.launching();
    let asking = std::thread::spawn({
        let session = session.clone();
        move || session.view()
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!asking.is_finished(), "the window is answered once the map is open, not told there is none");
    session.open_at_launch(&path).unwrap();
    let view = asking.join().unwrap().unwrap();
    assert_eq!(view.title, "Driver licence renewal");
}

#[test]
fn a_launch_that_cannot_open_its_map_tells_the_window_that_waited() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.waymark");
    let session = Session::default();
    session.launching();
    let (app, window) = app(session);
    let opening = std::thread::spawn({
        let app = app.handle().clone();
        move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            app.state::<Session>().open_at_launch(&missing).is_err()
        }
    });
    let err = invoke(&window, "current_map").unwrap_err();
    assert!(opening.join().unwrap());
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("gone.waymark"), "{err}");
}

#[test]
fn a_map_the_room_changed_is_drawn_afresh_or_sent_as_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (app, window) = app(session);
    let first = invoke(&window, "current_map").unwrap();
    let again = invoke(&window, "current_map").unwrap();
    assert_eq!(again["drawing"]["svg"], first["drawing"]["svg"], "nothing changed, the same drawing");
    // The room stores its edits without a view; the window asks afterwards.
    let vote = serde_json::from_value(serde_json::json!({ "kind": "vote", "id": "pp_camera", "delta": 2 })).unwrap();
    app.state::<Session>().apply_from_room(&vote).unwrap();
    let after = invoke(&window, "current_map").unwrap();
    assert_eq!(after["map"]["pain_points"][0]["votes"], 11);
    let svg = |view: &serde_json::Value| view["drawing"]["svg"].as_str().unwrap().to_owned();
    assert_eq!(
        photo_line_votes(&svg(&after)),
        photo_line_votes(&svg(&first)) + 2,
        "the drawing shows the room's votes"
    );

    // At the room's pulse the window asks for what changed: the card the
    // phones voted on, as a change to the drawing it has.
    app.state::<Session>().apply_from_room(&vote).unwrap();
    let changed = invoke(&window, "changed_map").unwrap();
    assert_eq!(changed["map"]["pain_points"][0]["votes"], 13);
    let drawing = &changed["drawing"];
    assert_eq!(drawing["kind"], "changes", "{drawing}");
    assert_eq!(drawing["base"], after["drawing"]["version"], "the changes apply to the drawing the window has");
    let parts = drawing["parts"].as_array().unwrap();
    let card = parts.iter().find(|p| p["set"] == "cards" && p["id"] == "photo_line").unwrap();
    assert_eq!(photo_line_votes(card["markup"].as_str().unwrap()), photo_line_votes(&svg(&first)) + 4);
}

/// The votes the photo line's card shows in a drawing.
fn photo_line_votes(svg: &str) -> u32 {
    let at = svg.find("class=\"step-card frontstage\" data-step=\"photo_line\"").unwrap();
    let rest = &svg[at..];
    let v = &rest[rest.find("data-votes=\"").unwrap() + 12..];
    v[..v.find('"').unwrap()].parse().unwrap()
}

#[test]
fn a_command_that_is_not_registered_is_refused() {
    let (_app, window) = app(Session::default());
    let err = invoke(&window, "delete_everything").unwrap_err();
    assert!(err.to_string().contains("not found"), "{err}");
}

#[test]
fn the_view_carries_the_analysis_with_the_photo_line_first() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    let analysis = &view["analysis"];
    assert_eq!(analysis["weak_spots"][0]["id"], "photo_line");
    assert!(analysis["remembered"].as_f64().unwrap() < analysis["average"].as_f64().unwrap());
    let svg = view["drawing"]["svg"].as_str().unwrap();
    assert!(svg.contains("data-weak-spot=\"photo_line\""), "the drawing marks the weak spot");
}

#[test]
fn new_weights_are_saved_and_the_figures_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let (_app, window) = app(session);
    let before = invoke(&window, "current_map").unwrap()["analysis"]["remembered"].as_f64().unwrap();
    let settings = serde_json::json!({ "settings": { "end_weight": 1.0, "negativity": 2.25, "standard": 4.0 } });
    let view = invoke_with(&window, "set_settings", settings).unwrap();
    let after = view["analysis"]["remembered"].as_f64().unwrap();
    assert!((after - before).abs() > 1e-6, "a different end weight gives a different remembered experience");
    assert_eq!(view["analysis"]["settings"]["end_weight"], 1.0);
    let stored = waymark::store::MapFile::open(&path).unwrap().load().unwrap();
    assert_eq!(stored.settings.end_weight, 1.0, "the change is in the file");
}

#[test]
fn weights_out_of_range_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let (_app, window) = app(session);
    let bytes = std::fs::read(&path).unwrap();
    let settings = serde_json::json!({ "settings": { "end_weight": 1.5, "negativity": 2.25, "standard": 4.0 } });
    let err = invoke_with(&window, "set_settings", settings).unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("settings.end_weight: 1.5 is outside 0.0..1.0"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is untouched");
    assert_eq!(invoke(&window, "current_map").unwrap()["settings"]["end_weight"], 0.5);
}

#[test]
fn exporting_writes_a_whole_pdf_and_remembers_it() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let out = dir.path().join("report.pdf");
    let exported = session.export_pdf(&out, waymark::report::Paper::A4, "2026-11-22".into()).unwrap();
    assert_eq!(exported.file_name, "report.pdf");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(exported.bytes, bytes.len() as f64);
    assert_eq!(session.last_export().as_deref(), Some(out.as_path()));
}

#[test]
fn an_export_to_a_folder_that_is_gone_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let gone = dir.path().join("no-such-folder").join("report.pdf");
    let err = session.export_pdf(&gone, waymark::report::Paper::A3, "2026-11-22".into()).unwrap_err();
    let err = waymark_app_lib::error::CommandError::from(err);
    assert_eq!(err.code, waymark_app_lib::error::ErrorCode::Io);
    assert!(err.message.contains("report.pdf"), "{}", err.message);
    assert!(!gone.exists() && !gone.parent().unwrap().exists(), "nothing is created");
    assert!(session.last_export().is_none());
}

#[test]
fn a_failed_export_leaves_an_existing_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    // The destination is a directory: the rename fails after the report is rendered.
    let target = dir.path().join("taken.pdf");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), b"mine").unwrap();
    assert!(session.export_pdf(&target, waymark::report::Paper::A3, "2026-11-22".into()).is_err());
    assert_eq!(std::fs::read(target.join("keep.txt")).unwrap(), b"mine");
    let strays: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(strays.is_empty(), "no temporary file is left behind: {strays:?}");
}

#[test]
fn an_edit_is_stored_at_once_and_undo_and_redo_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let (_app, window) = app(session);
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 2 } });
    let view = invoke_with(&window, "apply_edit", vote).unwrap();
    assert_eq!(view["map"]["pain_points"][0]["votes"], 11);
    assert_eq!((view["undo"].as_u64(), view["redo"].as_u64()), (Some(1), Some(0)));
    let stored = waymark::store::MapFile::open(&path).unwrap().load().unwrap();
    assert_eq!(stored.pain_points[0].votes, 11, "stored before the command returned");
    let view = invoke(&window, "undo").unwrap();
    assert_eq!(view["map"]["pain_points"][0]["votes"], 9);
    assert_eq!((view["undo"].as_u64(), view["redo"].as_u64()), (Some(0), Some(1)));
    let view = invoke(&window, "redo").unwrap();
    assert_eq!(view["map"]["pain_points"][0]["votes"], 11);
}

#[test]
fn an_amended_edit_is_undone_with_the_edit_it_refines() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let (_app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    // A step scored directly, not as the mean of participants' ratings.
    let unrated = |s: &&serde_json::Value| s["visibility"] == "frontstage" && s.get("ratings").is_none();
    let mut step = view["map"]["steps"].as_array().unwrap().iter().find(unrated).unwrap().clone();
    let id = step["id"].as_str().unwrap().to_owned();
    let before = step["score"].clone();
    step["score"] = serde_json::json!(3.0);
    let scored =
        invoke_with(&window, "apply_edit", serde_json::json!({ "edit": { "kind": "update_step", "step": step } }))
            .unwrap();
    step["score"] = serde_json::json!(3.5);
    let amended =
        invoke_with(&window, "amend_edit", serde_json::json!({ "edit": { "kind": "update_step", "step": step } }))
            .unwrap();
    let view = restore(&restore(&view, &scored), &amended);
    assert_eq!((view["undo"].as_u64(), view["redo"].as_u64()), (Some(1), Some(0)), "one undo step");
    let stored = waymark::store::MapFile::open(&path).unwrap().load().unwrap();
    assert_eq!(stored.steps.iter().find(|s| s.id == id).unwrap().score, Some(3.5));
    let view = restore(&view, &invoke(&window, "undo").unwrap());
    let score = &view["map"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == id.as_str()).unwrap()["score"];
    assert_eq!(score, &before, "one undo takes back both 3 and .5");
}

#[test]
fn an_edit_sends_only_the_changed_pieces_of_the_drawing_and_the_window_can_always_ask_for_all_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    let whole = invoke(&window, "current_map").unwrap();
    let version = whole["drawing"]["version"].as_u64().unwrap();
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 2 } });
    let view = invoke_with(&window, "apply_edit", vote).unwrap();
    let drawing = &view["drawing"];
    assert_eq!(drawing["kind"], "changes", "{drawing}");
    assert_eq!(drawing["base"].as_u64(), Some(version), "the changes apply to the drawing the window has");
    assert_eq!(drawing["version"].as_u64(), Some(version + 1));
    let parts = drawing["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1, "a vote redraws one card's pain marker: {parts:?}");
    assert_eq!(parts[0]["kind"], "item");
    assert_eq!(parts[0]["set"], "cards");
    assert_eq!(parts[0]["id"], "photo_line");
    let markup = parts[0]["markup"].as_str().unwrap();
    let votes = photo_line_votes;
    assert!(markup.starts_with("<g class=\"step-card "), "{markup}");
    assert_eq!(votes(markup), votes(whole["drawing"]["svg"].as_str().unwrap()) + 2, "the card shows two votes more");

    // Asked again (a reloaded window), the drawing comes whole, with the vote.
    let again = invoke(&window, "current_map").unwrap();
    assert_eq!(again["drawing"]["kind"], "whole");
    assert!(again["drawing"]["svg"].as_str().unwrap().contains(markup), "the whole drawing holds the new card");
    // A new step: its card is inserted (after another card, or first), and
    // deleting it removes that card.
    let step = serde_json::json!({ "edit": { "kind": "add_step", "step": {
        "id": "extra", "title": "Extra", "stage": "arrive", "department": "counter", "visibility": "backstage", "ratings": [] } } });
    let added = invoke_with(&window, "apply_edit", step).unwrap();
    assert_eq!(added["drawing"]["kind"], "changes", "{}", added["drawing"]);
    let parts = added["drawing"]["parts"].as_array().unwrap();
    assert!(parts.iter().any(|p| p["kind"] == "new_item" && p["set"] == "cards" && p["id"] == "extra"), "{parts:?}");
    let removed =
        invoke_with(&window, "apply_edit", serde_json::json!({ "edit": { "kind": "delete_step", "id": "extra" } }))
            .unwrap();
    let parts = removed["drawing"]["parts"].as_array().unwrap();
    assert!(
        parts.iter().any(|p| p["kind"] == "removed_item" && p["set"] == "cards" && p["id"] == "extra"),
        "{parts:?}"
    );
    // A new title is in the frame of the drawing: the whole drawing again.
    let title = serde_json::json!({ "edit": { "kind": "set_title", "title": "Renewals" } });
    assert_eq!(invoke_with(&window, "apply_edit", title).unwrap()["drawing"]["kind"], "whole");
}

#[test]
fn an_edits_view_leaves_out_what_did_not_change_and_put_back_it_is_the_view_sent_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = generated_session(dir.path(), 300, 11);
    let (_app, window) = app(session);
    let mut have = invoke(&window, "current_map").unwrap();
    // A score: one step sent, and the flows, pain points, problems and
    // agreements left out.
    let mut step =
        have["map"]["steps"].as_array().unwrap().iter().find(|s| s["visibility"] == "frontstage").unwrap().clone();
    step["score"] = serde_json::json!(1.5);
    let scored =
        invoke_with(&window, "apply_edit", serde_json::json!({ "edit": { "kind": "update_step", "step": step } }))
            .unwrap();
    let kept = &scored["kept"];
    assert_eq!(kept["steps"].as_array().map(Vec::len), Some(1), "{kept}");
    assert_eq!(kept["steps"][0]["step"]["score"], 1.5);
    assert_eq!(
        (kept["flows"].as_bool(), kept["problems"].as_bool(), kept["agreements"].as_bool()),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(scored["map"]["steps"].as_array().map(Vec::len), Some(0));
    assert_eq!(scored["map"]["flows"].as_array().map(Vec::len), Some(0));
    have = restore(&have, &scored);
    // Random edits (seeded): scores set and cleared, steps added with a
    // flow and deleted, votes, titles, undo. Every few, the view as put
    // back is the view the window gets whole.
    let mut random = seeded(20_261_207);
    let mut left_out = 0;
    for i in 0..48 {
        let steps = have["map"]["steps"].as_array().unwrap().clone();
        let added: Vec<String> = steps
            .iter()
            .filter_map(|s| s["id"].as_str().filter(|id| id.starts_with("added_")).map(str::to_owned))
            .collect();
        let edit = match random(7) {
            0 => {
                let id = format!("added_{i}");
                let to = steps[random(steps.len())]["id"].clone();
                let stage = steps[0]["stage"].clone();
                let department = steps[0]["department"].clone();
                let step = serde_json::json!({ "edit": { "kind": "add_step", "step": {
                    "id": id, "title": format!("Added {i}"), "stage": stage, "department": department, "visibility": "frontstage", "score": 2.0 } } });
                have = restore(&have, &invoke_with(&window, "apply_edit", step).unwrap());
                serde_json::json!({ "kind": "add_flow", "flow": { "from": id, "to": to } })
            }
            1 if !added.is_empty() => serde_json::json!({ "kind": "delete_step", "id": added[random(added.len())] }),
            2 => match have["map"]["pain_points"].as_array().unwrap().first() {
                Some(p) => serde_json::json!({ "kind": "vote", "id": p["id"], "delta": 1 }),
                None => serde_json::json!({ "kind": "set_title", "title": format!("Title {i}") }),
            },
            3 => serde_json::json!({ "kind": "set_title", "title": format!("Title {i}") }),
            _ => {
                let front: Vec<_> = steps.iter().filter(|s| s["visibility"] == "frontstage").collect();
                let mut step = front[random(front.len())].clone();
                step["score"] = if random(4) == 0 {
                    serde_json::Value::Null
                } else {
                    serde_json::json!(1.0 + random(9) as f64 / 2.0)
                };
                serde_json::json!({ "kind": "update_step", "step": step })
            }
        };
        let view = if random(8) == 0 {
            invoke(&window, "undo").unwrap()
        } else {
            invoke_with(&window, "apply_edit", serde_json::json!({ "edit": edit })).unwrap()
        };
        if !view["kept"].is_null() {
            left_out += 1;
        }
        have = restore(&have, &view);
        if i % 8 == 7 {
            let whole = invoke(&window, "current_map").unwrap();
            assert!(whole["kept"].is_null(), "a view asked for whole leaves nothing out");
            let fields = |v: &serde_json::Value| {
                let mut v = v.clone();
                v.as_object_mut().unwrap().remove("drawing");
                v
            };
            assert_eq!(fields(&have), fields(&whole), "after edit {i}");
            have = whole;
        }
    }
    assert!(left_out > 30, "most edits left something out: {left_out} of 48");
}

#[test]
fn a_large_maps_rankings_come_in_their_first_places_until_the_window_asks_for_all() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = generated_session(dir.path(), 300, 7);
    let whole = waymark::analysis::analyze(&waymark::store::MapFile::open(&path).unwrap().load().unwrap()).unwrap();
    assert!(whole.weak_spots.len() > 25 && whole.average_model.len() > 25, "the map ranks more than a page");
    let (_app, window) = app(session);
    let ids = |list: &serde_json::Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap().to_owned()).collect()
    };
    let first = |list: &[String]| list[..25].to_vec();
    let view = invoke(&window, "current_map").unwrap();
    let spots: Vec<String> = whole.weak_spots.iter().map(|w| w.id.clone()).collect();
    let average: Vec<String> = whole.average_model.iter().map(|w| w.id.clone()).collect();
    assert_eq!(ids(&view["analysis"]["weak_spots"]), first(&spots), "the first 25 weak spots, in rank order");
    assert_eq!(ids(&view["analysis"]["average_model"]), first(&average));
    assert_eq!(view["weak_spot_count"].as_u64(), Some(spots.len() as u64), "and how many there are in all");
    assert_eq!(view["average_count"].as_u64(), Some(average.len() as u64));
    assert_eq!((view["first_places"].as_u64(), view["whole_rankings"].as_bool()), (Some(25), Some(false)));
    // The map marks the places the list shows: 25 rank badges, the first 25.
    let badges = |svg: &str| svg.matches(r#"<g class="rank" "#).count();
    let svg = view["drawing"]["svg"].as_str().unwrap();
    assert_eq!(badges(svg), 25);
    assert!(svg.contains(r#"data-rank="25""#) && !svg.contains(r#"data-rank="26""#));

    let all = invoke_with(&window, "show_whole_rankings", serde_json::json!({ "whole": true })).unwrap();
    assert_eq!(ids(&all["analysis"]["weak_spots"]), spots, "asked, the window gets every weak spot");
    assert_eq!(ids(&all["analysis"]["average_model"]), average);
    assert_eq!(all["drawing"]["kind"], "changes", "and the drawing it has stays");
    let new_badges = all["drawing"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "new_item" && p["set"] == "ranks")
        .count();
    assert_eq!(new_badges, spots.len() - 25, "with a badge on every weak spot");
    assert_eq!(all["whole_rankings"].as_bool(), Some(true));
    // An edit keeps what the window asked for; asking for the first places again gives them.
    let all = restore(&view, &all);
    let step = &all["map"]["steps"][0];
    let mut renamed = step.clone();
    renamed["title"] = "Renamed".into();
    let edited =
        invoke_with(&window, "apply_edit", serde_json::json!({ "edit": { "kind": "update_step", "step": renamed } }))
            .unwrap();
    assert_eq!(edited["analysis"]["weak_spots"].as_array().unwrap().len(), spots.len());
    let again = invoke_with(&window, "show_whole_rankings", serde_json::json!({ "whole": false })).unwrap();
    assert_eq!(again["analysis"]["weak_spots"].as_array().unwrap().len(), 25);
}

#[test]
fn a_copy_saved_of_a_map_shown_with_its_whole_ranking_badges_its_first_places_again() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = generated_session(dir.path(), 300, 7);
    let badges = |view: &waymark_app_lib::dto::MapView| match &view.drawing {
        waymark_app_lib::dto::DrawingView::Whole { svg, .. } => svg.matches(r#"<g class="rank" "#).count(),
        other => panic!("a whole drawing: {other:?}"),
    };
    session.show_whole_rankings(true).unwrap();
    let all = session.view().unwrap();
    assert!(badges(&all) > 25, "every weak spot badged");
    // The copy is another open map: its rankings come in their first
    // places, and its drawing, the same map on the same day, badges those.
    let copy = session.save_copy(&dir.path().join("copy.waymark")).unwrap();
    assert!(!copy.whole_rankings);
    assert_eq!(badges(&copy), 25);
}

#[test]
fn an_invalid_edit_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    let cycle =
        serde_json::json!({ "edit": { "kind": "add_flow", "flow": { "from": "temp_licence", "to": "book_online" } } });
    let err = invoke_with(&window, "apply_edit", cycle).unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("forward flows form a cycle"), "{err}");
    assert_eq!(invoke(&window, "current_map").unwrap()["undo"], 0, "nothing was stored");
}

#[test]
fn a_csv_adds_its_steps_as_one_undoable_edit_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let good = dir.path().join("steps.csv");
    std::fs::write(&good, "title,stage,department,score\nSecond camera queue,photo,photo,2.5\nExit survey,Leave and receive card,Front desk and floor hosts,4.1\n").unwrap();
    let view = session.import_csv(&good).unwrap();
    assert_eq!(view.step_count, 23);
    assert_eq!(view.undo, 1, "one edit");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "title,stage,department,score\nOk,photo,photo,3.0\nBroken,photo,photo,9\n").unwrap();
    let err = waymark_app_lib::error::CommandError::from(session.import_csv(&bad).unwrap_err());
    assert_eq!(err.code, waymark_app_lib::error::ErrorCode::Invalid);
    assert!(err.message.contains("line 3") && err.message.contains("nothing was imported"), "{}", err.message);
    assert_eq!(session.view().unwrap().step_count, 23, "nothing from the bad file");
    assert_eq!(session.step_history(false).unwrap().step_count, 21, "one undo takes the import back");
}

/// File › Import steps takes the workshop's workbook as it is: its first
/// sheet, added as its CSV would be.
#[test]
fn a_workbooks_first_sheet_adds_its_steps_as_the_csv_does() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hotel.waymark");
    drop(waymark::store::MapFile::create(&path, &waymark::Map::new("Hotel")).unwrap());
    let session = waymark_app_lib::session::Session::default();
    session.open(&path).unwrap();
    let before = session.view().unwrap().step_count;
    let from_csv = session.import_csv(&fixtures.join("hotel-steps.csv")).unwrap().step_count;
    session.step_history(false).unwrap();
    let view = session.import_csv(&fixtures.join("hotel-steps.xlsx")).unwrap();
    assert!(from_csv > before);
    assert_eq!(view.step_count, from_csv, "the .xlsx adds what the CSV adds");
    assert_eq!(view.undo, 1, "one edit");
}

/// A map held by "another window": a second `MapFile` in this process finds
/// the lock taken just as another Waymark process would (the lock is per open
/// file, not per process).
fn held_elsewhere(path: &std::path::Path) -> waymark::store::MapFile {
    let other = waymark::store::MapFile::open(path).unwrap();
    assert_eq!(other.read_only(), None, "the other window edits the map");
    other
}

#[test]
fn a_map_open_in_another_window_says_so_and_refuses_edits_with_the_read_only_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let _other = held_elsewhere(&path);
    let session = Session::default();
    session.open(&path).unwrap();
    let (_app, window) = app(session);
    let bytes = std::fs::read(&path).unwrap();

    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["read_only"]["reason"], "open_elsewhere");
    assert_eq!(view["read_only"]["message"], "another Waymark window has this map open; it is open read-only");

    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 2 } });
    let err = invoke_with(&window, "apply_edit", vote).unwrap_err();
    assert_eq!(err["code"], "read_only");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("the change was not saved: another Waymark window has this map open"), "{message}");
    assert_eq!(invoke(&window, "undo").unwrap_err()["code"], "read_only");

    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["map"]["pain_points"][0]["votes"], 9, "the map in the window is as it was");
    assert_eq!(view["title"], "Driver licence renewal");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is untouched");
}

#[test]
fn an_editable_map_has_no_read_only_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = sample_session(dir.path());
    let (_app, window) = app(session);
    assert_eq!(invoke(&window, "current_map").unwrap()["read_only"], serde_json::Value::Null);
}

#[test]
fn a_write_that_fails_keeps_the_map_and_the_edit_and_a_copy_saved_elsewhere_has_both() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 2 } });
    let (_app, window) = app(session);
    invoke_with(&window, "apply_edit", vote.clone()).unwrap();
    // The file is moved away while open: SQLite refuses to write to it (even
    // as root, unlike a permission bit), as it would to a failing disk.
    let moved = dir.path().join("moved-away.waymark");
    std::fs::rename(&path, &moved).unwrap();
    let err = invoke_with(&window, "apply_edit", vote).unwrap_err();
    assert_eq!(err["code"], "not_saved");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("could not save: the file was moved or deleted while open; nothing was changed"),
        "{message}"
    );
    let view = invoke(&window, "current_map").unwrap();
    assert_eq!(view["map"]["pain_points"][0]["votes"], 11, "the map as last stored, still in the window");
    assert_eq!(view["undo"], 1);
    let stored = waymark::store::MapFile::open(&moved).unwrap().load().unwrap();
    assert_eq!(stored.pain_points[0].votes, 11, "the file keeps the map as before the failed edit");

    let session = window.state::<Session>();
    let rescue = dir.path().join("rescued.waymark");
    let view = session.save_copy(&rescue).unwrap();
    assert_eq!(view.map.pain_points[0].votes, 13, "the copy has the edit whose write failed");
    assert_eq!((view.read_only, view.undo), (None, 0), "a writable copy with a history of its own");
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": -1 } });
    assert_eq!(invoke_with(&window, "apply_edit", vote).unwrap()["map"]["pain_points"][0]["votes"], 12);
    // The window moves on to another map and lets go of the copy.
    session.open(&moved).unwrap();
    let copy = waymark::store::MapFile::open(&rescue).unwrap();
    assert_eq!(copy.read_only(), None, "the copy reopens writable");
    assert_eq!(copy.load().unwrap().pain_points[0].votes, 12);
}

#[test]
fn saving_a_copy_of_a_read_only_map_continues_in_a_writable_file_that_reopens_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let other = held_elsewhere(&path);
    let expected = other.load().unwrap();
    let session = Session::default();
    session.open(&path).unwrap();
    let copy = dir.path().join("my copy.waymark");

    let view = session.save_copy(&copy).unwrap();
    assert_eq!(view.file_name, "my copy.waymark");
    assert_eq!(view.read_only, None, "the copy is this window's to edit");
    assert_eq!(view.map, expected, "the same map");
    let (_app, window) = app(session);
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 1 } });
    let edited = invoke_with(&window, "apply_edit", vote).unwrap();
    assert_eq!(edited["map"]["pain_points"][0]["votes"], 10, "edits are stored in the copy");
    assert_eq!(edited["path"], copy.display().to_string());
    assert_eq!(edited["read_only"], serde_json::Value::Null);
    assert_eq!(other.load().unwrap(), expected, "the original is as the other window left it");

    // The window moves on; the copy reopens, writable, with the edit.
    let session = window.state::<Session>();
    let elsewhere = dir.path().join("elsewhere.waymark");
    drop(waymark::store::MapFile::create(&elsewhere, &expected).unwrap());
    session.open(&elsewhere).unwrap();
    let reopened = waymark::store::MapFile::open(&copy).unwrap();
    assert_eq!(reopened.read_only(), None);
    let mut map = expected;
    map.pain_points[0].votes = 10;
    assert_eq!(reopened.load().unwrap(), map);

    let refused = waymark_app_lib::error::CommandError::from(session.save_copy(&copy).unwrap_err());
    assert_eq!(refused.code, waymark_app_lib::error::ErrorCode::Io, "a copy never replaces an existing file");
    assert!(refused.message.contains("a file is already there"), "{}", refused.message);
    assert_eq!(reopened.load().unwrap(), map, "and leaves it as it was");
}

#[test]
fn reopening_the_map_the_window_edits_keeps_it_editable() {
    let dir = tempfile::tempdir().unwrap();
    let (session, path) = sample_session(dir.path());
    // The same file, spelt another way.
    let again = dir.path().join(".").join(path.file_name().unwrap());
    let view = session.open(&again).unwrap();
    assert_eq!(view.read_only, None, "its own lock does not make it read-only");
    let view = session.open(&path).unwrap();
    assert_eq!(view.read_only, None);
    let (_app, window) = app(session);
    let vote = serde_json::json!({ "edit": { "kind": "vote", "id": "pp_camera", "delta": 1 } });
    assert_eq!(invoke_with(&window, "apply_edit", vote).unwrap()["map"]["pain_points"][0]["votes"], 10);
}

#[test]
fn reopening_a_read_only_map_after_the_other_window_closed_it_makes_it_editable() {
    let dir = tempfile::tempdir().unwrap();
    let path = waymark_app_lib::startup::first_run_sample(dir.path()).unwrap();
    let other = held_elsewhere(&path);
    let session = Session::default();
    assert!(session.open(&path).unwrap().read_only.is_some());
    assert!(session.open(&path).unwrap().read_only.is_some(), "still held elsewhere");
    drop(other);
    assert_eq!(session.open(&path).unwrap().read_only, None);
    assert!(session.apply(&waymark::edit::Edit::SetTitle { title: "mine now".into() }).is_ok());
}
