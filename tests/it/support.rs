//! Shared fixtures: the samples, a small valid map, and JSON surgery.

use serde_json::Value;
use waymark::Map;
use waymark::interchange;
use waymark::samples::{ALL, Sample};

/// Every shipped sample with its parsed map.
pub fn samples() -> Vec<(Sample, Map)> {
    ALL.iter()
        .map(|s| match interchange::read(s.json) {
            Ok(map) => (*s, map),
            Err(e) => panic!("sample {} must import: {e}", s.name),
        })
        .collect()
}

/// The licence-renewal sample as the schema-version-1 fixture holds it: the
/// sample has since gained a workshop (schema version 3) and a charter,
/// commitments and a review cadence (version 4), which are left out.
pub fn licence_as_schema_v1() -> Map {
    let mut map = samples()[0].1.clone();
    map.workshop = Default::default();
    map.charter.clear();
    map.commitments.clear();
    map.review_every_weeks = None;
    map.steps.iter_mut().for_each(|s| {
        s.ratings.clear();
        s.follows_ratings = false;
    });
    for p in &mut map.pain_points {
        p.dots.clear();
        p.handoff_from = None;
    }
    map
}

/// The licence-renewal sample as a JSON value, for tests that break it on purpose.
pub fn licence_value() -> Value {
    match serde_json::from_str(waymark::samples::LICENCE_RENEWAL.json) {
        Ok(v) => v,
        Err(e) => panic!("sample is JSON: {e}"),
    }
}

/// A small valid map: a → b (70%) / c (30%) → d, two departments.
pub fn small_map_json() -> Value {
    serde_json::json!({
        "format": "waymark/1",
        "title": "Small",
        "stages": [{ "id": "s1", "name": "One" }, { "id": "s2", "name": "Two" }],
        "departments": [
            { "id": "front", "name": "Front", "facing": "customer" },
            { "id": "back", "name": "Back", "facing": "internal" }
        ],
        "steps": [
            { "id": "a", "title": "A", "stage": "s1", "department": "front", "visibility": "frontstage", "score": 4.0 },
            { "id": "b", "title": "B", "stage": "s1", "department": "back", "visibility": "backstage" },
            { "id": "c", "title": "C", "stage": "s2", "department": "front", "visibility": "frontstage", "score": 2.5 },
            { "id": "d", "title": "D", "stage": "s2", "department": "front", "visibility": "frontstage", "score": 4.5 }
        ],
        "flows": [
            { "from": "a", "to": "b", "share": 0.7 },
            { "from": "a", "to": "c", "share": 0.3 },
            { "from": "b", "to": "d", "sla": { "promised_minutes": 5, "actual_minutes": 9 } },
            { "from": "c", "to": "d" }
        ],
        "pain_points": [{ "id": "p1", "step": "c", "text": "Slow", "severity": 2, "votes": 3 }]
    })
}

/// Parses a JSON value as a map, unvalidated.
pub fn map_of(value: &Value) -> Map {
    match interchange::read_unvalidated(&value.to_string()) {
        Ok(map) => map,
        Err(e) => panic!("fixture must have the right shape: {e}"),
    }
}

/// A temporary directory that lives as long as the test.
pub fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("temp dir: {e}"),
    }
}
