//! Transitions against PM4Py's directly-follows graph and performance DFG,
//! computed once by `scripts/pm4py-reference.py` and kept as JSON.

use serde_json::Value;
use waymark_evidence::bind::Binding;
use waymark_evidence::discover::{Discovery, discover};
use waymark_evidence::measure::measure;

use crate::support::{data, read, shared};

/// Compares the log's own transitions (every activity a step of a map made
/// from it) with the reference; returns what differs.
fn differences(log_path: &std::path::Path, reference: &str) -> Vec<String> {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(data(&format!("pm4py/{reference}.json"))).unwrap()).unwrap();
    let log = read(log_path);
    assert_eq!(log.sha256, reference["sha256"].as_str().unwrap(), "the reference was computed from this very file");
    let map = discover(&log, &Discovery { title: "t".into(), frontstage: Vec::new() }).unwrap();
    let binding = Binding::new(&log.activities, &map, None);
    let m = measure(&map, &log, &binding, false);
    assert_eq!(m.log.time_basis, reference["time_basis"].as_str().unwrap());
    let edges = reference["edges"].as_array().unwrap();
    let mut bad = Vec::new();
    if m.transitions.len() != edges.len() {
        bad.push(format!("{} transitions, PM4Py has {}", m.transitions.len(), edges.len()));
    }
    for e in edges {
        let (from, to) = (e["from"].as_str().unwrap(), e["to"].as_str().unwrap());
        let Some(t) = m.transitions.iter().find(|t| t.from_title == from && t.to_title == to) else {
            bad.push(format!("{from} → {to}: missing"));
            continue;
        };
        let count = e["count"].as_u64().unwrap();
        let (mean, median) = (e["mean_minutes"].as_f64().unwrap(), e["median_minutes"].as_f64().unwrap());
        if t.count != count || (t.mean_minutes - mean).abs() > 1e-6 || (t.median_minutes - median).abs() > 1e-6 {
            bad.push(format!(
                "{from} → {to}: {} / mean {} / median {} against PM4Py's {count} / {mean} / {median}",
                t.count, t.mean_minutes, t.median_minutes
            ));
        }
    }
    bad
}

#[test]
fn the_made_up_claims_log_agrees_with_pm4py_start_to_complete_and_complete_only() {
    for (file, reference) in [("logs/claims.xes.gz", "claims"), ("logs/claims-complete.csv", "claims-complete")] {
        let bad = differences(&data(file), reference);
        assert!(bad.is_empty(), "{file}: {bad:#?}");
    }
}

#[test]
fn the_public_logs_agree_with_pm4py() {
    for (file, reference) in
        [("08_receipt.xes.gz", "receipt"), ("running-example.xes", "running-example"), ("reviewing.xes", "reviewing")]
    {
        let Some(path) = shared(file) else { return };
        let bad = differences(&path, reference);
        assert!(bad.is_empty(), "{file}: {bad:#?}");
    }
}
