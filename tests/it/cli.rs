//! The `waymark` command as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::support::{licence_value, tempdir};

fn waymark(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn sample_path() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/licence-renewal.json").to_owned()
}

#[test]
fn import_export_and_validate_a_sample() {
    let dir = tempdir();
    let out = waymark(&["import", &sample_path(), "-o", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let out = waymark(&["validate", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 error(s), 2 warning(s)"), "{}", text(&out));
    let out = waymark(&["export", "l.waymark", "--json", "back.json", "--svg", "map.svg"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let back = std::fs::read_to_string(dir.path().join("back.json")).unwrap();
    assert_eq!(back, std::fs::read_to_string(sample_path()).unwrap(), "the export is the sample, byte for byte");
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    // The title wraps on its card: "Photo line and" / "camera".
    assert!(svg.starts_with("<svg") && svg.contains(">Photo line and</text>"), "{svg:.400}");
}

#[test]
fn a_refused_import_creates_no_file_and_names_the_field() {
    let dir = tempdir();
    let mut doc = licence_value();
    doc["steps"][3]["score"] = json!(7.5);
    std::fs::write(dir.path().join("bad.json"), doc.to_string()).unwrap();
    let out = waymark(&["import", "bad.json", "-o", "bad.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("steps[3].score: 7.5 is outside 1.0..5.0"), "{}", text(&out));
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, vec![std::ffi::OsString::from("bad.json")], "no output, no temporary file");
}

#[test]
fn validate_exits_non_zero_on_errors_in_json_and_lists_them() {
    let dir = tempdir();
    let mut doc = licence_value();
    doc["flows"][0]["to"] = json!("nowhere");
    doc["steps"][0]["score"] = json!(0.5);
    std::fs::write(dir.path().join("bad.json"), doc.to_string()).unwrap();
    let out = waymark(&["validate", "bad.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("flows[0].to: unknown step \"nowhere\""), "{t}");
    assert!(t.contains("steps[0].score: 0.5 is outside 1.0..5.0"), "{t}");
}

#[test]
fn validate_explains_a_file_that_is_not_a_map() {
    let dir = tempdir();
    std::fs::write(dir.path().join("notes.waymark"), "just some text, not a database").unwrap();
    let out = waymark(&["validate", "notes.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("not an SQLite database"), "{}", text(&out));
}

#[test]
fn import_will_not_overwrite_an_existing_map() {
    let dir = tempdir();
    std::fs::write(dir.path().join("taken.waymark"), b"mine").unwrap();
    let out = waymark(&["import", &sample_path(), "-o", "taken.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("already there"), "{}", text(&out));
    assert_eq!(std::fs::read(dir.path().join("taken.waymark")).unwrap(), b"mine");
}

#[test]
fn a_csv_then_a_json_of_flows_and_agreements_make_one_map_without_an_export() {
    let dir = tempdir();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let csv = format!("{fixtures}/hotel-steps.csv");
    let more = format!("{fixtures}/hotel-more.json");
    let out = waymark(&["import", &csv, "-o", "hotel.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported \"Hotel overnight stay\" (18 steps)"),
        "the # line names the map: {}",
        text(&out)
    );
    let out = waymark(&["validate", "hotel.waymark"], dir.path());
    assert!(text(&out).contains("every step counts as a visit of its own"), "{}", text(&out));
    let out = waymark(&["import", &more, "--into", "hotel.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("added 18 flows, 5 agreements, 1 pain point, 1 charter promise"), "{}", text(&out));
    // The same map as the one written as one JSON document, lanes on their sides.
    let path = dir.path().join("hotel.waymark");
    let mut file = waymark::store::MapFile::open(&path).unwrap();
    let merged = file.load().unwrap();
    let whole = waymark::interchange::read(include_str!("../fixtures/hotel-stay.json")).unwrap();
    let a = waymark::analysis::analyze(&merged).unwrap();
    let b = waymark::analysis::analyze(&whole).unwrap();
    assert!((a.remembered.unwrap() - b.remembered.unwrap()).abs() < 1e-9);
    assert_eq!(a.agreements.len(), b.agreements.len());
    let kitchen = merged.departments.iter().find(|d| d.name == "Kitchen").unwrap();
    assert_eq!(kitchen.facing, waymark::model::Facing::Internal);
    // One edit: one undo takes all of it back.
    let undone = file.undo(&merged).unwrap().unwrap();
    assert!(undone.flows.is_empty() && undone.pain_points.is_empty() && undone.steps.len() == 18);
    // A document that contradicts the map is refused by name and changes nothing.
    let clash = dir.path().join("clash.json");
    std::fs::write(
        &clash,
        r#"{"format":"waymark/1","title":"x","stages":[],"departments":[],"steps":[{"id":"meal","title":"Another meal","stage":"evening","department":"fnb","visibility":"frontstage"}],"flows":[]}"#,
    )
    .unwrap();
    drop(file);
    let out = waymark(&["import", "clash.json", "--into", "hotel.waymark"], dir.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("step \"meal\" is on the map already and differs"), "{}", text(&out));
}
