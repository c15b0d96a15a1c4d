//! `waymark log`, `measure` and `import --log` as a user runs them, on the
//! made-up claims log the evidence crate ships.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support::tempdir;

fn waymark(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn claims_log() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../evidence/tests/data/logs/claims.xes.gz").to_owned()
}

/// The claims office's map as typed in a workshop: the adjuster's visit
/// promised within two days of the call notes, actual "1 hour" from memory.
fn write_map(dir: &Path) {
    let step = |id: &str, title: &str, dept: &str| json!({ "id": id, "title": title, "stage": "s", "department": dept, "visibility": "frontstage", "score": 3.5 });
    let doc = json!({
        "format": "waymark/1", "title": "Claims",
        "stages": [{ "id": "s", "name": "All" }],
        "departments": [
            { "id": "contact", "name": "Contact centre", "facing": "customer" },
            { "id": "adjusters", "name": "Loss adjusters", "facing": "customer" },
            { "id": "claims", "name": "Claims handling", "facing": "customer" }
        ],
        "steps": [
            step("report", "Report the leak", "contact"),
            { "id": "notes", "title": "Call notes to adjuster", "stage": "s", "department": "contact", "visibility": "backstage" },
            step("visit", "Adjuster visit", "adjusters"),
            step("repairs", "Approve repairs", "claims"),
            step("cash", "Approve cash settlement", "claims")
        ],
        "flows": [
            { "from": "report", "to": "notes" },
            { "from": "notes", "to": "visit", "sla": { "promised_minutes": 60, "actual_minutes": 45 } },
            { "from": "visit", "to": "repairs", "share": 0.5 },
            { "from": "visit", "to": "cash", "share": 0.5 }
        ]
    });
    std::fs::write(dir.join("claims.json"), doc.to_string()).unwrap();
    let out = waymark(&["import", "claims.json", "-o", "claims.waymark"], dir);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_log_is_summarised_then_measured_and_applied_as_one_edit() {
    let dir = tempdir();
    let out = waymark(&["log", &claims_log(), "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary["cases"].as_u64(), summary["time_basis"].as_str()), (Some(240), Some("start")));
    assert_eq!(summary["offsets"].as_array().unwrap().len(), 2, "+01:00 and +02:00");

    write_map(dir.path());
    let out = waymark(&["measure", "claims.waymark", &claims_log(), "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["log", "transitions", "shares", "agreements", "cases", "unbound"] {
        assert!(m.get(key).is_some(), "{key} in {m:#}");
    }
    assert_eq!(m["log"]["cases"], 240);
    let agreement = &m["agreements"][0];
    assert_eq!((agreement["from"].as_str(), agreement["to"].as_str()), (Some("notes"), Some("visit")));
    let (n, within) = (agreement["n"].as_u64().unwrap(), agreement["within"].as_u64().unwrap());
    assert!(n > 200 && within < n / 2, "the call notes rarely reach the adjuster within the hour: {agreement}");
    assert_eq!(agreement["status"], "breached", "the workshop's 45 minutes said met; the log says otherwise");
    let interval = agreement["interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() < agreement["within_share"].as_f64().unwrap());
    let unbound: Vec<&str> = m["unbound"].as_array().unwrap().iter().map(|u| u["activity"].as_str().unwrap()).collect();
    assert!(unbound.contains(&"Pay the claim"), "{unbound:?}");
    let before = std::fs::read(dir.path().join("claims.waymark")).unwrap();

    // Before --apply the map is unchanged; with it, one edit.
    assert_eq!(std::fs::read(dir.path().join("claims.waymark")).unwrap(), before);
    let out = waymark(&["measure", "claims.waymark", &claims_log(), "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Measure from claims.xes.gz (240 cases) (one edit: undo takes it back)"),
        "{}",
        text(&out)
    );
    let mut file = waymark::store::MapFile::open(&dir.path().join("claims.waymark")).unwrap();
    let map = file.load().unwrap();
    assert_eq!(file.history_depth().unwrap(), (1, 0));
    let source = &map.evidence[0];
    assert_eq!((source.file.as_str(), source.count, source.sha256.len()), ("claims.xes.gz", 240, 64));
    let sla = map.flows[1].sla.as_ref().unwrap();
    let measured = sla.measured.as_ref().unwrap();
    assert_eq!((u64::from(measured.n), u64::from(measured.within)), (n, within));
    assert_eq!(sla.status(&map.settings), waymark::model::SlaStatus::Breached);
    let repairs = &map.flows[2];
    let counted = repairs.measured.unwrap();
    assert!((repairs.share.unwrap() - counted.count as f64 / counted.n as f64).abs() < 1e-12);
    // The analysis counts the measured compliance: the breach reaches the visit.
    let a = waymark::analysis::analyze(&map).unwrap();
    let visit = a.weak_spots.iter().find(|w| w.id == "visit").unwrap();
    assert!(visit.upstream_causes.iter().any(|c| c.from == "notes"), "{visit:#?}");
    let undone = file.undo(&map).unwrap().unwrap();
    assert!(undone.evidence.is_empty() && undone.flows[1].sla.as_ref().unwrap().measured.is_none());
}

#[test]
fn a_log_of_another_process_and_a_bad_mapping_are_refused_and_change_nothing() {
    let dir = tempdir();
    write_map(dir.path());
    let before = std::fs::read(dir.path().join("claims.waymark")).unwrap();
    std::fs::write(
        dir.path().join("other.csv"),
        "case,activity,timestamp\n1,Bake bread,2025-01-01 08:00\n1,Sell bread,2025-01-01 09:00\n",
    )
    .unwrap();
    let out = waymark(&["measure", "claims.waymark", "other.csv", "--apply"], dir.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("no activity of the log is a step of"), "{}", text(&out));
    std::fs::write(dir.path().join("map.csv"), "Adjuster visit,vist\n").unwrap();
    let out = waymark(&["measure", "claims.waymark", &claims_log(), "--mapping", "map.csv", "--apply"], dir.path());
    assert!(!out.status.success());
    assert!(
        text(&out).contains("map.csv, line 1: the map has no step \"vist\" (did you mean \"visit\"?)"),
        "{}",
        text(&out)
    );
    std::fs::write(
        dir.path().join("broken.xes"),
        "<log><trace><event><date key=\"time:timestamp\" value=\"x\"/></event></trace></log>",
    )
    .unwrap();
    let out = waymark(&["measure", "claims.waymark", "broken.xes", "--apply"], dir.path());
    assert!(!out.status.success());
    assert!(
        text(&out).contains("broken.xes, line 1, <date key=\"time:timestamp\">: \"x\" is not a date and time"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read(dir.path().join("claims.waymark")).unwrap(), before, "the map is unchanged");
}

#[test]
fn import_log_makes_a_first_map() {
    let dir = tempdir();
    let out = waymark(
        &["import", &claims_log(), "--log", "-o", "made.waymark", "--frontstage", "Report the leak,Adjuster visit"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let map = waymark::store::MapFile::open(&dir.path().join("made.waymark")).unwrap().load().unwrap();
    assert_eq!(map.title, "claims");
    assert_eq!(map.steps.iter().filter(|s| s.visibility == waymark::model::Visibility::Frontstage).count(), 2);
    assert!(waymark::validate::validate(&map).is_valid());
    let out =
        waymark(&["import", &claims_log(), "--log", "-o", "x.waymark", "--frontstage", "Photo booth"], dir.path());
    assert!(!out.status.success() && text(&out).contains("\"Photo booth\""), "{}", text(&out));
    assert!(!dir.path().join("x.waymark").exists());
}

/// A review freezes the measured figures with their n; a later measurement
/// from another log is compared with them, and the diff says whether the
/// change in compliance is larger than its intervals.
#[test]
fn review_diff_says_whether_a_change_in_compliance_is_beyond_the_noise() {
    let dir = tempdir();
    write_map(dir.path());
    let out = waymark(&["measure", "claims.waymark", &claims_log(), "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let out = waymark(&["review", "add", "claims.waymark", "--name", "Spring", "--date", "2026-03-01"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    // The same cases, timed completion to completion: the handoffs look longer.
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/../evidence/tests/data/logs/claims-complete.csv");
    let out = waymark(&["measure", "claims.waymark", csv, "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let map = waymark::store::MapFile::open(&dir.path().join("claims.waymark")).unwrap().load().unwrap();
    assert_eq!(map.evidence.len(), 1, "the first log's figures were all replaced, so only the second is listed");
    let out = waymark(&["review", "diff", "claims.waymark", "Spring", "--date", "2026-06-01"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("Compliance measured from logs"), "{said}");
    let line = said.lines().find(|l| l.contains("within the promise (")).unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("of 240") || line.contains(" of "), "{line}");
    assert!(line.ends_with("larger than the intervals") || line.ends_with("within the noise"), "{line}");
}
