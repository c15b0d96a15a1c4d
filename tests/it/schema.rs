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
