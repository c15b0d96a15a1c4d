//! The committed JSON Schema describes the documents Waymark reads and writes.

use serde_json::{Value, json};

use crate::support::{licence_value, samples};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/waymark-1.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn every_sample_and_every_export_matches_the_schema() {
    let v = validator();
    for (sample, map) in samples() {
        for (what, text) in [("sample", sample.json.to_owned()), ("export", waymark::interchange::write(&map))] {
            let doc: Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{} {what}: {errors:#?}", sample.name);
        }
    }
}

#[test]
fn the_schema_refuses_what_import_refuses() {
    let v = validator();
    type Breaker = fn(&mut Value);
    let cases: [(&str, Breaker); 6] = [
        ("score out of range", |d| d["steps"][3]["score"] = json!(7.5)),
        ("wrong format", |d| d["format"] = json!("waymark/2")),
        ("missing title", |d| {
            d.as_object_mut().unwrap().remove("title");
        }),
        ("unknown field", |d| d["steps"][0]["scroe"] = json!(4)),
        ("bad visibility", |d| d["steps"][0]["visibility"] = json!("onstage")),
        ("share zero", |d| d["flows"][0]["share"] = json!(0)),
    ];
    for (what, break_it) in cases {
        let mut doc = licence_value();
        break_it(&mut doc);
        assert!(!v.is_valid(&doc), "the schema must refuse: {what}");
        assert!(waymark::interchange::read(&doc.to_string()).is_err(), "import must refuse: {what}");
    }
}

/// A map measured from a survey, its weights fitted and its answers kept,
/// exports a document the schema takes, and reads back equal.
#[test]
fn a_surveyed_and_calibrated_map_matches_the_schema() {
    use waymark::model::{Answer, CalibrationNote, EvidenceKind, EvidenceSource, SurveyAnswers, Surveyed, Visibility};
    let v = validator();
    let mut map = crate::support::map_of(&licence_value());
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    map.evidence.push(EvidenceSource {
        kind: EvidenceKind::Survey,
        file: "answers.csv".into(),
        sha256: "a".repeat(64),
        count: 2,
        span: None,
        read_on: day,
    });
    let front = map.steps.iter().position(|s| s.visibility == Visibility::Frontstage).unwrap();
    let step = &mut map.steps[front];
    step.surveyed =
        Some(Surveyed { n: 2, mean: 2.5, sd: 0.7, interval: Some([1.2, 3.8]), source: 0, workshop_score: step.score });
    step.score = Some(2.5);
    step.follows_ratings = false;
    step.ratings.clear();
    map.answers.push(SurveyAnswers {
        source: 0,
        steps: vec![map.steps[front].id.clone()],
        respondents: vec![
            Answer { ratings: vec![Some(2.0)], overall: Some(1.0), segment: Some("web".into()) },
            Answer { ratings: vec![None], overall: None, segment: None },
        ],
    });
    map.cases.push(waymark::model::KeptCases {
        source: 0,
        flows: vec![[map.flows[0].from.clone(), map.flows[0].to.clone()]],
        entries: vec![map.steps[0].id.clone()],
        cases: vec![
            waymark::model::KeptCase { entry: Some(0), flows: vec![0] },
            waymark::model::KeptCase { entry: None, flows: vec![] },
        ],
    });
    map.calibration = Some(CalibrationNote {
        file: "answers.csv".into(),
        sha256: "a".repeat(64),
        respondents: 40,
        metric: "auc".into(),
        fitted_cv: 0.8,
        average_only_cv: 0.79,
        version2_cv: 0.7,
        read_on: day,
    });
    let text = waymark::interchange::write(&map);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(waymark::interchange::read(&text).unwrap(), map);
}
