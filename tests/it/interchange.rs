//! Reading `waymark/1` documents: each kind of bad input is refused with the
//! field path, as the format document promises.

use serde_json::json;
use waymark::interchange::{self, ImportError};

use crate::support::{licence_value, small_map_json};

fn refuse(text: &str) -> String {
    match interchange::read(text) {
        Ok(_) => panic!("must be refused: {text:.200}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_score_out_of_range_is_refused_with_its_path() {
    let mut doc = licence_value();
    doc["steps"][3]["score"] = json!(7.5);
    let msg = refuse(&doc.to_string());
    assert!(msg.contains("steps[3].score: 7.5 is outside 1.0..5.0"), "{msg}");
}

#[test]
fn malformed_json_gives_line_and_column() {
    let err = interchange::read("{\n  \"format\": \"waymark/1\",\n  \"title\": oops\n}").unwrap_err();
    assert!(matches!(err, ImportError::Syntax { line: 3, .. }), "{err}");
    assert!(err.to_string().contains("line 3"), "{err}");
}

#[test]
fn a_wrong_format_is_refused() {
    let mut doc = small_map_json();
    doc["format"] = json!("journeymap/3");
    assert!(refuse(&doc.to_string()).starts_with("format: \"journeymap/3\" is not a Waymark format"));
    doc["format"] = json!("waymark/2");
    assert!(refuse(&doc.to_string()).contains("newer Waymark"));
    doc.as_object_mut().unwrap().remove("format");
    assert!(refuse(&doc.to_string()).starts_with("format: missing"));
    assert!(refuse("[1, 2]").contains("not a JSON object"));
}

#[test]
fn an_unknown_reference_is_refused_with_its_path() {
    let mut doc = small_map_json();
    doc["flows"][2]["to"] = json!("ghost");
    let msg = refuse(&doc.to_string());
    assert!(msg.contains("flows[2].to: unknown step \"ghost\""), "{msg}");
}

#[test]
fn a_field_of_the_wrong_type_is_refused_with_its_path() {
    let mut doc = small_map_json();
    doc["steps"][1]["visibility"] = json!("onstage");
    let msg = refuse(&doc.to_string());
    assert!(msg.starts_with("steps[1].visibility: \"onstage\" is not one of `frontstage` or `backstage`"), "{msg}");
    let mut doc = small_map_json();
    doc["pain_points"][0]["votes"] = json!(-2);
    let msg = refuse(&doc.to_string());
    assert!(msg.starts_with("pain_points[0].votes:"), "{msg}");
}

#[test]
fn a_missing_required_field_is_named() {
    let mut doc = small_map_json();
    doc["steps"][0].as_object_mut().unwrap().remove("stage");
    let msg = refuse(&doc.to_string());
    assert_eq!(msg, "steps[0].stage: missing");
}

#[test]
fn a_misspelt_field_is_refused_rather_than_dropped() {
    let mut doc = small_map_json();
    doc["steps"][0]["scroe"] = json!(4.0);
    let msg = refuse(&doc.to_string());
    assert!(msg.starts_with("steps[0].scroe: \"scroe\" is not a field Waymark knows (expected one of `id`,"), "{msg}");
}

#[test]
fn every_shape_problem_is_listed_at_once_in_the_readers_words() {
    let mut doc = licence_value();
    doc["flows"][0]["sla"]["promised_minutes"] = json!("2 days");
    doc["steps"][2]["score"] = json!("good");
    doc["steps"][4].as_object_mut().unwrap().remove("department");
    doc["pain_points"][0]["severity"] = json!(true);
    doc["workshop"]["dot_budget"] = json!(-3);
    // Problems in one list keep their own items' paths.
    doc["steps"][5]["score"] = json!(2.5);
    doc["steps"][5]["entry_share"] = json!("half");
    doc["pain_points"][1]["severity"] = json!(2.5);
    let msg = refuse(&doc.to_string());
    assert_eq!(
        msg,
        "7 problems:
  steps[2].score: must be a number, not \"good\"
  steps[4].department: missing
  steps[5].entry_share: must be a number, not \"half\"
  flows[0].sla.promised_minutes: must be a number of minutes, not \"2 days\"
  pain_points[0].severity: must be a whole number, not true
  pain_points[1].severity: must be a whole number, not 2.5
  workshop.dot_budget: must be a whole number, not -3"
    );
    // A document missing its lists says so once, every list at a time.
    let (_, fields) = interchange::read_addition("{\"format\": \"waymark/1\"}").unwrap();
    assert!(fields.is_empty());
    let msg = refuse("{\"format\": \"waymark/1\", \"stages\": 3}");
    assert_eq!(
        msg,
        "5 problems:\n  stages: must be a list, not 3\n  title: missing\n  departments: missing\n  steps: missing\n  flows: missing"
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let mut doc = small_map_json();
    doc["steps"][0]["score"] = json!(9.0);
    doc["flows"][0]["share"] = json!(0.9);
    doc["pain_points"][0]["step"] = json!("nope");
    let msg = refuse(&doc.to_string());
    for needle in [
        "steps[0].score: 9.0 is outside",
        "steps[0]: outgoing shares sum to 1.200",
        "pain_points[0].step: unknown step \"nope\"",
    ] {
        assert!(msg.contains(needle), "missing {needle:?} in:\n{msg}");
    }
}

#[test]
fn optional_fields_and_defaults_round_trip() {
    let map = interchange::read(&small_map_json().to_string()).unwrap();
    assert_eq!(map.settings, waymark::model::Settings::default(), "settings default when absent");
    let again = interchange::read(&interchange::write(&map)).unwrap();
    assert_eq!(again, map);
}

/// A document from before `follows_ratings` keeps what its rated steps
/// meant then (a score equal to the ratings' mean followed them), and this
/// version writes the field on every rated step, so nothing is guessed again.
#[test]
fn rated_steps_of_older_documents_follow_their_ratings_only_when_the_score_was_their_mean() {
    let mut doc = small_map_json();
    doc["workshop"] = json!({ "participants": ["Ann", "Bo"] });
    let ratings = json!([{ "participant": "Ann", "score": 3.0 }, { "participant": "Bo", "score": 5.0 }]);
    doc["steps"][0]["ratings"] = ratings.clone();
    doc["steps"][0]["score"] = json!(4.0);
    doc["steps"][2]["ratings"] = ratings;
    doc["steps"][2]["score"] = json!(3.0);
    let map = interchange::read(&doc.to_string()).unwrap();
    assert!(map.steps[0].follows_ratings, "4.0 was the mean of 3 and 5");
    assert!(!map.steps[2].follows_ratings, "3.0 was typed beside them");
    let written: serde_json::Value = serde_json::from_str(&interchange::write(&map)).unwrap();
    assert_eq!(written["steps"][0]["follows_ratings"], json!(true));
    assert_eq!(written["steps"][2]["follows_ratings"], json!(false), "said even when false, on a rated step");
    assert!(written["steps"][1].get("follows_ratings").is_none(), "an unrated step does not say");
    assert_eq!(interchange::read(&interchange::write(&map)).unwrap(), map);
}

/// −0 is written as 0: "-0.0" reads as below zero to a person.
#[test]
fn negative_zero_is_written_as_zero() {
    let mut doc = serde_json::json!({ "a": -0.0, "b": [1.5, -0.0], "c": { "d": -2.0 } });
    waymark::interchange::no_negative_zero(&mut doc);
    assert_eq!(doc.to_string(), r#"{"a":0.0,"b":[1.5,0.0],"c":{"d":-2.0}}"#);
}

#[test]
fn a_step_may_be_named_by_its_unique_title_and_a_wrong_id_gets_the_nearest_suggested() {
    let mut doc = licence_value();
    let titled = |id: &str| doc["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["title"].clone();
    let (photo, fee) = (titled("photo_line"), titled("pay_fee"));
    doc["flows"][0]["to"] = photo;
    doc["pain_points"][0]["step"] = fee;
    let map = interchange::read(&doc.to_string()).unwrap();
    assert_eq!((map.flows[0].to.as_str(), map.pain_points[0].step.as_str()), ("photo_line", "pay_fee"));
    // A near-miss id is refused, with the id it most likely meant.
    let mut doc = licence_value();
    doc["flows"][0]["from"] = json!("phot_line");
    let msg = refuse(&doc.to_string());
    assert!(msg.contains("flows[0].from: unknown step \"phot_line\" (did you mean \"photo_line\"?)"), "{msg}");
}
