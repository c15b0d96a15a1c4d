//! Validation names the element and the field of every problem.

use serde_json::json;
use waymark::validate::{Severity, validate};

use crate::support::{map_of, samples, small_map_json};

fn problems(doc: &serde_json::Value) -> Vec<String> {
    validate(&map_of(doc)).problems.iter().map(ToString::to_string).collect()
}

fn has(problems: &[String], needle: &str) {
    assert!(problems.iter().any(|p| p.contains(needle)), "expected {needle:?} among {problems:#?}");
}

#[test]
fn the_samples_are_valid() {
    for (sample, map) in samples() {
        let report = validate(&map);
        assert!(report.is_valid(), "{}:\n{report}", sample.name);
    }
}

#[test]
fn duplicate_ids_are_named_with_the_first_use() {
    let mut doc = small_map_json();
    doc["steps"][3]["id"] = json!("a");
    let p = problems(&doc);
    has(&p, "steps[3].id: duplicate id \"a\", already used by steps[0]");
}

#[test]
fn dangling_references_name_field_and_element() {
    let mut doc = small_map_json();
    doc["steps"][2]["stage"] = json!("s9");
    doc["steps"][2]["department"] = json!("legal");
    let p = problems(&doc);
    has(&p, "steps[2].stage: unknown stage \"s9\" (step \"c\")");
    has(&p, "steps[2].department: unknown department \"legal\" (step \"c\")");
}

#[test]
fn values_out_of_range() {
    let mut doc = small_map_json();
    doc["settings"] = json!({ "end_weight": 1.5, "negativity": 0.5, "standard": 4.0 });
    doc["steps"][0]["target"] = json!(0.0);
    doc["steps"][0]["score"] = json!(3.25);
    doc["flows"][0]["share"] = json!(0.0);
    doc["pain_points"][0]["severity"] = json!(5);
    doc["flows"][2]["sla"]["actual_minutes"] = json!(-1);
    let p = problems(&doc);
    has(&p, "settings.end_weight: 1.5 is outside 0.0..1.0");
    has(&p, "settings.negativity: 0.5 is outside 1.0..5.0");
    has(&p, "steps[0].target: 0.0 is outside 1.0..5.0");
    has(&p, "steps[0].score: 3.25 has more than one decimal");
    has(&p, "flows[0].share: 0.0 is outside (0, 1]");
    has(&p, "pain_points[0].severity: 5 is outside 1..3");
    has(&p, "flows[2].sla.actual_minutes: -1.0 is not a non-negative number");
}

#[test]
fn outgoing_shares_must_sum_to_one() {
    let mut doc = small_map_json();
    doc["flows"][1]["share"] = json!(0.2);
    has(
        &problems(&doc),
        "steps[0]: outgoing shares sum to 0.900, less than 1: every customer takes exactly one way on, so they must sum to 1 (step \"a\")",
    );
    // Within 0.001 is fine.
    doc["flows"][1]["share"] = json!(0.3004);
    assert!(validate(&map_of(&doc)).is_valid());
    // Unspecified shares split the rest.
    doc["flows"][1].as_object_mut().unwrap().remove("share");
    assert!(validate(&map_of(&doc)).is_valid());
}

#[test]
fn a_cycle_of_forward_flows_names_its_steps() {
    let mut doc = small_map_json();
    doc["flows"].as_array_mut().unwrap().push(json!({ "from": "d", "to": "a" }));
    let p = problems(&doc);
    has(&p, "forward flows form a cycle: A → B → D → A");
    // The same flow marked as rework is fine.
    doc["flows"][4]["kind"] = json!("rework");
    assert!(validate(&map_of(&doc)).is_valid(), "{:?}", problems(&doc));
}

#[test]
fn a_closed_loop_is_named_once_not_again_as_each_step_it_cuts_off() {
    let mut doc = small_map_json();
    // x ⇄ y: neither is an entry, nothing reaches them, because of the loop.
    doc["steps"].as_array_mut().unwrap().extend([
        json!({ "id": "x", "title": "X", "stage": "s1", "department": "back", "visibility": "backstage" }),
        json!({ "id": "y", "title": "Y", "stage": "s1", "department": "back", "visibility": "backstage" }),
    ]);
    doc["flows"].as_array_mut().unwrap().extend([json!({ "from": "x", "to": "y" }), json!({ "from": "y", "to": "x" })]);
    let p = problems(&doc);
    has(&p, "forward flows form a cycle: X → Y → X");
    assert!(!p.iter().any(|p| p.contains("not reachable")), "the loop is the cause; {p:#?}");
}

#[test]
fn an_unscored_frontstage_step_is_a_warning_not_an_error() {
    let mut doc = small_map_json();
    doc["steps"][2].as_object_mut().unwrap().remove("score");
    let report = validate(&map_of(&doc));
    assert!(report.is_valid(), "warnings do not make a map invalid");
    let warning = report.warnings().next().expect("one warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.path, "steps[2].score");
    assert_eq!(warning.element, "step \"c\"");
}

#[test]
fn a_backstage_step_with_a_score_is_an_error() {
    let mut doc = small_map_json();
    doc["steps"][1]["score"] = json!(3.0);
    has(&problems(&doc), "steps[1].score: a backstage step has no score");
}

#[test]
fn errors_come_before_warnings_and_all_are_reported() {
    let mut doc = small_map_json();
    doc["steps"][2].as_object_mut().unwrap().remove("score");
    doc["steps"][0]["score"] = json!(6.0);
    doc["flows"][3]["from"] = json!("zz");
    let report = validate(&map_of(&doc));
    let severities: Vec<Severity> = report.problems.iter().map(|p| p.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert!(report.errors().count() >= 2 && report.warnings().count() == 1, "{report}");
}

#[test]
fn entry_shares_split_and_must_sum_to_one() {
    let mut doc = small_map_json();
    doc["steps"][0]["entry_share"] = json!(0.5);
    has(&problems(&doc), "entry shares sum to 0.500, less than 1");
    doc["steps"][2]["entry_share"] = json!(0.5);
    has(&problems(&doc), "steps[2].entry_share: entry_share is set but the step has incoming flows");
}

#[test]
fn overlong_text_is_refused_with_its_length_and_the_limit() {
    let mut doc = small_map_json();
    doc["steps"][0]["title"] = json!("t".repeat(10_000));
    doc["steps"][0]["notes"] = json!("n".repeat(10_000));
    let report = validate(&map_of(&doc));
    let errors: Vec<String> = report.errors().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "a 10,000-character note is fine, a title is not: {errors:?}");
    assert!(errors[0].starts_with("steps[0].title: is 10000 characters long; the limit is 300"), "{errors:?}");
}

#[test]
fn a_value_that_must_agree_with_another_says_which_way() {
    let mut doc = small_map_json();
    doc["workshop"] = json!({ "participants": ["Ann", "Bo"] });
    doc["pain_points"][0]["votes"] = json!(0);
    doc["pain_points"][0]["dots"] = json!([{ "participant": "Ann", "count": 2 }, { "participant": "Bo", "count": 3 }]);
    let p = problems(&doc);
    has(&p, "0 votes, but 5 dots are placed by name: the votes count every dot, so they must be at least 5");
    let mut over = small_map_json();
    over["flows"][0]["share"] = json!(0.7);
    over["flows"][1]["share"] = json!(0.6);
    let p = problems(&over);
    assert!(
        p.iter().any(|m| m.contains("more than 1: every customer takes exactly one way on, so they must sum to 1")),
        "{p:#?}"
    );
}

#[test]
fn a_map_without_flows_is_a_warning_that_every_step_is_its_own_visit() {
    let mut doc = small_map_json();
    doc["flows"] = json!([]);
    let report = validate(&map_of(&doc));
    assert!(report.is_valid(), "a warning, not an error");
    let warning = report.warnings().find(|p| p.path == "flows").expect("the warning");
    assert!(warning.message.contains("every step counts as a visit of its own"), "{warning}");
    // One connected pair is enough to lift it.
    assert!(validate(&map_of(&small_map_json())).warnings().all(|p| p.path != "flows"));
}
