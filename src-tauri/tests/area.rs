//! A large map is drawn by area: the window holds the cards and connectors
//! around what it shows, and scrolling brings the others as changes to the
//! drawing it has. Patched through scrolls, edits and the room's changes,
//! the window's drawing is the one a fresh view of the same area draws.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::{App, Manager, WebviewWindow};
use waymark_app_lib::dto::Area;
use waymark_app_lib::session::Session;

mod support;
use support::{app, generated_session, invoke, invoke_with, restore, seeded};

/// The window's drawing as the page holds it (`ui/src/lib/drawing.ts`):
/// each top-level group by its class, and each set's items in order.
#[derive(Debug, PartialEq)]
struct Held {
    version: u64,
    groups: BTreeMap<String, String>,
    sets: BTreeMap<String, Vec<(String, String)>>,
}

const SETS: [&str; 5] = ["flows", "halos", "cards", "ranks", "flow-labels"];

impl Held {
    fn whole(version: u64, svg: &str) -> Self {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let mut held = Held { version, groups: BTreeMap::new(), sets: BTreeMap::new() };
        for g in doc.root_element().children().filter(|n| n.has_tag_name("g")) {
            let class = g.attribute("class").unwrap_or_default().to_owned();
            if SETS.contains(&class.as_str()) {
                let items = g
                    .children()
                    .filter(roxmltree::Node::is_element)
                    .map(|n| {
                        let key = n.attribute("data-step").or_else(|| n.attribute("data-flow")).unwrap();
                        (key.to_owned(), svg[n.range()].to_owned())
                    })
                    .collect();
                held.sets.insert(class, items);
            } else {
                held.groups.insert(class, svg[g.range()].to_owned());
            }
        }
        held
    }

    /// Shows `drawing` as the page does: whole, or its changes applied to
    /// the drawing they name as their base, which must be this one.
    fn show(&mut self, drawing: &Value) {
        let version = drawing["version"].as_u64().unwrap();
        if drawing["kind"] == "whole" {
            *self = Held::whole(version, drawing["svg"].as_str().unwrap());
            return;
        }
        assert_eq!(drawing["base"].as_u64(), Some(self.version), "changes to the drawing the window has");
        for part in drawing["parts"].as_array().unwrap() {
            let text = |key: &str| part[key].as_str().unwrap().to_owned();
            match part["kind"].as_str().unwrap() {
                "group" => *self.groups.get_mut(&text("class")).unwrap() = text("markup"),
                kind => {
                    let set = self.sets.get_mut(&text("set")).unwrap();
                    let at = |id: &str| set.iter().position(|(i, _)| i == id);
                    match kind {
                        "item" => {
                            let i = at(&text("id")).unwrap();
                            set[i].1 = text("markup");
                        }
                        "new_item" => {
                            let i = part["after"].as_str().map_or(0, |a| at(a).unwrap() + 1);
                            set.insert(i, (text("id"), text("markup")));
                        }
                        "removed_item" => {
                            let i = at(&text("id")).unwrap();
                            set.remove(i);
                        }
                        other => panic!("a part of kind {other}"),
                    }
                }
            }
        }
        self.version = version;
    }

    fn cards(&self) -> Vec<&str> {
        self.sets["cards"].iter().map(|(id, _)| id.as_str()).collect()
    }
}

/// The window on a generated map of `steps` steps, kept in `dir`: the app,
/// its window, the first view it gets, and the drawing as it holds it.
fn opened(
    dir: &tempfile::TempDir,
    steps: usize,
    seed: u64,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>, Value, Held) {
    let (session, _) = generated_session(dir.path(), steps, seed);
    let (app, window) = app(session);
    let view = invoke(&window, "current_map").unwrap();
    let held = Held::whole(view["drawing"]["version"].as_u64().unwrap(), view["drawing"]["svg"].as_str().unwrap());
    (app, window, view, held)
}

fn port(x: f64, y: f64) -> Value {
    json!({ "port": { "x": x, "y": y, "width": 1500.0, "height": 900.0 } })
}

#[test]
fn a_large_map_is_drawn_around_what_the_window_shows_and_scrolling_brings_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, view, mut held) = opened(&dir, 2_000, 5);
    assert_eq!(view["drawn_by_area"], true);
    let first = held.cards().len();
    assert!(first > 20 && first < 1_000, "some of the 2,000 cards: {first}");
    // It opens where the window opens a map: at its worst spot.
    let worst = view["analysis"]["weak_spots"][0]["id"].as_str().unwrap();
    assert!(held.cards().contains(&worst), "{worst} in {:?}", held.cards());

    // A scroll within what is held asks for nothing.
    let at = invoke_with(&window, "step_area", json!({ "id": worst })).unwrap();
    let (x, y) = (at["x"].as_f64().unwrap(), at["y"].as_f64().unwrap());
    assert_eq!(invoke_with(&window, "show_area", port(x - 700.0, y - 400.0)).unwrap(), Value::Null);

    // A card far away: where it is, then the cards around it come.
    let far = view["map"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .find(|id| !held.cards().contains(id))
        .unwrap()
        .to_owned();
    let at = invoke_with(&window, "step_area", json!({ "id": far })).unwrap();
    // Scrolled there a fifth of a window at a time, the area drawn follows as
    // changes to the drawing the window has: cards come and go.
    let (x, y) = (x - 700.0, y - 400.0);
    let (to_x, to_y) = (at["x"].as_f64().unwrap() - 700.0, at["y"].as_f64().unwrap() - 400.0);
    let hops = ((to_x - x).abs() / 300.0).max((to_y - y).abs() / 180.0).ceil().max(1.0);
    let mut sent_as_changes = 0;
    for hop in 1..=hops as usize {
        let t = hop as f64 / hops;
        let drawing = invoke_with(&window, "show_area", port(x + (to_x - x) * t, y + (to_y - y) * t)).unwrap();
        if drawing.is_null() {
            continue;
        }
        if drawing["kind"] == "changes" {
            let parts = drawing["parts"].as_array().unwrap();
            assert!(parts.iter().any(|p| p["kind"] == "new_item" && p["set"] == "cards"), "cards come");
            assert!(parts.iter().any(|p| p["kind"] == "removed_item" && p["set"] == "cards"), "cards go");
            sent_as_changes += 1;
        }
        held.show(&drawing);
    }
    assert!(sent_as_changes > 0, "over {hops} hops");
    assert!(held.cards().contains(&far.as_str()), "{far} came into view");
    assert!(!held.cards().contains(&worst), "and the cards far from it went");
    let fresh = invoke(&window, "current_map").unwrap();
    assert_eq!(held, Held::whole(held.version, fresh["drawing"]["svg"].as_str().unwrap()), "as drawn afresh");
    assert_eq!(invoke_with(&window, "step_area", json!({ "id": "no_such_step" })).unwrap(), Value::Null);
}

#[test]
fn patched_through_scrolls_edits_and_the_rooms_changes_the_drawing_is_the_one_drawn_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let (app, window, mut have, mut held) = opened(&dir, 1_600, 9);
    let (width, height) = (have["width"].as_f64().unwrap(), have["height"].as_f64().unwrap());
    let mut random = seeded(20_261_207);
    let (mut moved, mut compared) = (0, 0);
    for i in 0..40 {
        let steps = have["map"]["steps"].as_array().unwrap().clone();
        match random(5) {
            0 | 1 => {
                let (x, y) = (random(width as usize) as f64, random(height as usize) as f64);
                let drawing = invoke_with(&window, "show_area", port(x, y)).unwrap();
                if !drawing.is_null() {
                    moved += 1;
                    held.show(&drawing);
                    have["drawing"] = drawing;
                }
            }
            2 => {
                // A phone's vote: the room stores it without a view, and the
                // window asks for what changed at the room's pulse.
                let step = steps[random(steps.len())]["id"].as_str().unwrap().to_owned();
                let point = json!({ "kind": "add_pain_point", "pain_point": {
                    "id": format!("pp_{i}"), "step": step, "text": "Waited", "votes": 1 } });
                let session = app.state::<Session>();
                session.apply_from_room(&serde_json::from_value(point).unwrap()).unwrap();
                let stale = invoke_with(&window, "show_area", port(width / 2.0, height / 2.0)).unwrap();
                assert!(stale.is_null(), "no area is drawn from figures the room has outdated");
                let view = invoke(&window, "changed_map").unwrap();
                held.show(&view["drawing"]);
                have = restore(&have, &view);
            }
            _ => {
                let front: Vec<_> = steps.iter().filter(|s| s["visibility"] == "frontstage").collect();
                let mut step = front[random(front.len())].clone();
                step["score"] = json!(1.0 + random(9) as f64 / 2.0);
                let edit = json!({ "edit": { "kind": "update_step", "step": step } });
                let view = invoke_with(&window, "apply_edit", edit).unwrap();
                held.show(&view["drawing"]);
                have = restore(&have, &view);
                // The figures follow the edit's answer, and the page asks for them.
                assert_eq!(view["figures_follow"], true);
                let view = invoke(&window, "changed_map").unwrap();
                assert_eq!(view["figures_follow"], false);
                held.show(&view["drawing"]);
                have = restore(&have, &view);
            }
        }
        if i % 5 == 4 {
            let fresh = invoke(&window, "current_map").unwrap();
            let version = fresh["drawing"]["version"].as_u64().unwrap();
            assert_eq!(held, Held::whole(held.version, fresh["drawing"]["svg"].as_str().unwrap()), "after step {i}");
            held.version = version;
            have = fresh;
            compared += 1;
        }
    }
    assert!(moved >= 5 && compared == 8, "{moved} areas drawn anew");
}

#[test]
fn an_edit_on_a_large_map_is_answered_before_its_analysis_and_the_figures_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, have, mut held) = opened(&dir, 2_000, 5);
    let have = &have;
    let ranked = |view: &Value| -> Vec<String> {
        let spots = view["analysis"]["weak_spots"].as_array().unwrap();
        spots.iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
    };
    let before = ranked(have);
    // The worst spot raised to its target: it is a weak spot no more.
    let worst = &have["analysis"]["weak_spots"][0];
    let id = worst["id"].as_str().unwrap();
    let mut step = have["map"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    step["score"] = worst["target"].clone();
    let view = invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "update_step", "step": step } })).unwrap();
    // The answer stores and draws the edit, with the figures of the map before.
    assert_eq!(view["figures_follow"], true);
    assert_eq!(view["undo"], 1);
    let full = restore(have, &view);
    let scored = full["map"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap();
    assert_eq!(scored["score"], worst["target"], "the step as scored");
    assert_eq!(ranked(&view), before, "the rankings before the edit");
    held.show(&view["drawing"]);
    // The figures that follow are those of the map as it is, drawn too.
    let follow = invoke(&window, "changed_map").unwrap();
    assert_eq!(follow["figures_follow"], false);
    assert!(!ranked(&follow).contains(&id.to_owned()), "{id} is no weak spot now");
    held.show(&follow["drawing"]);
    let fresh = invoke(&window, "current_map").unwrap();
    assert_eq!(ranked(&follow), ranked(&fresh));
    assert_eq!(held, Held::whole(held.version, fresh["drawing"]["svg"].as_str().unwrap()), "as drawn afresh");
}

#[test]
fn a_step_added_out_of_view_comes_with_the_edit_as_the_window_scrolls_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, have, mut held) = opened(&dir, 2_000, 5);
    // Added beside a card the window does not hold.
    let steps = have["map"]["steps"].as_array().unwrap();
    let beside = steps.iter().find(|s| !held.cards().contains(&s["id"].as_str().unwrap())).unwrap();
    let step = json!({ "id": "one_more", "title": "One more", "stage": beside["stage"],
        "department": beside["department"], "visibility": "frontstage", "score": 3.0 });
    let view = invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "add_step", "step": step } })).unwrap();
    held.show(&view["drawing"]);
    assert!(held.cards().contains(&"one_more"), "the new card is in the drawing the edit sent");
    assert_eq!(view["figures_follow"], true);
    held.show(&invoke(&window, "changed_map").unwrap()["drawing"]);
    // The window, scrolled there, needs nothing more.
    let at = invoke_with(&window, "step_area", json!({ "id": "one_more" })).unwrap();
    let (x, y) = (at["x"].as_f64().unwrap(), at["y"].as_f64().unwrap());
    assert_eq!(invoke_with(&window, "show_area", port(x - 700.0, y - 400.0)).unwrap(), Value::Null);
    let fresh = invoke(&window, "current_map").unwrap();
    assert_eq!(held, Held::whole(held.version, fresh["drawing"]["svg"].as_str().unwrap()), "as drawn afresh");
}

#[test]
fn a_burst_of_phone_edits_all_refused_leaves_the_window_scrolling() {
    let dir = tempfile::tempdir().unwrap();
    let (app, window, have, _) = opened(&dir, 1_600, 9);
    let (width, height) = (have["width"].as_f64().unwrap(), have["height"].as_f64().unwrap());
    // A vote on a pain point that is not there: refused, nothing stored,
    // and so no view follows from the room.
    let vote = serde_json::from_value(json!({ "kind": "vote", "id": "no_such_point", "delta": 1 })).unwrap();
    let outcomes = app.state::<Session>().apply_all_from_room(&[vote]);
    assert!(outcomes[0].is_err());
    let far = invoke_with(&window, "show_area", port(width - 1_500.0, height - 900.0)).unwrap();
    assert!(!far.is_null(), "the far corner is still drawn when scrolled to");
}

#[test]
fn a_map_shrunk_to_be_drawn_whole_comes_with_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, have, _) = opened(&dir, 1_501, 3);
    assert_eq!(have["drawn_by_area"], true);
    let last = have["map"]["steps"].as_array().unwrap().last().unwrap()["id"].clone();
    let view = invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "delete_step", "id": last } })).unwrap();
    assert_eq!(view["drawn_by_area"], false);
    assert_eq!(view["figures_follow"], false, "1,500 steps are drawn whole, with their figures");
    let fresh = invoke(&window, "current_map").unwrap();
    assert_eq!(view["analysis"]["weak_spots"], fresh["analysis"]["weak_spots"]);
    // Undone: drawn by area again, and analysed at once, since the view
    // before kept no figures to stand in.
    let undone = invoke(&window, "undo").unwrap();
    assert_eq!((&undone["drawn_by_area"], &undone["figures_follow"]), (&json!(true), &json!(false)));
}

#[test]
fn a_map_of_a_thousand_steps_is_drawn_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (app, window, view, held) = opened(&dir, 1_000, 11);
    assert_eq!(view["drawn_by_area"], false);
    assert_eq!(held.cards().len(), 1_000);
    // Its edits come with their figures.
    let mut step =
        view["map"]["steps"].as_array().unwrap().iter().find(|s| s["visibility"] == "frontstage").unwrap().clone();
    step["score"] = json!(4.5);
    let edited =
        invoke_with(&window, "apply_edit", json!({ "edit": { "kind": "update_step", "step": step } })).unwrap();
    assert_eq!(edited["figures_follow"], false);
    assert_eq!(invoke_with(&window, "show_area", port(5_000.0, 3_000.0)).unwrap(), Value::Null);
    // What is not a place on the map is refused, saying what it was.
    let err = invoke_with(&window, "show_area", json!({ "port": { "x": 0, "y": 0, "width": null, "height": 1 } }))
        .unwrap_err();
    assert!(err.to_string().contains("show_area") && err.to_string().contains("null"), "{err}");
    let nowhere = Area { x: f64::NAN, y: 0.0, width: 10.0, height: 10.0 };
    let err = app.state::<Session>().show_area(nowhere).unwrap_err().to_string();
    assert!(err.contains("not a place on the map") && err.contains("NaN"), "{err}");
}
