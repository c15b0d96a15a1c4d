//! A map measured against a log: shares, agreements, cases, segments.

use serde_json::json;
use waymark_evidence::bind::{Binding, read_mapping};
use waymark_evidence::measure::{AgreementStatus, TransitionKind, measure};
use waymark_evidence::stats::adjusted_wald;

use crate::support::{data, read};

/// The claims office's map as a workshop drew it: titles match the log's
/// activities, and the handoff from the contact centre to the adjusters
/// promises an hour.
pub fn claims_map() -> waymark::Map {
    let step = |id: &str, title: &str, dept: &str, front: bool| json!({ "id": id, "title": title, "stage": "s", "department": dept, "visibility": if front { "frontstage" } else { "backstage" } });
    let doc = json!({
        "format": "waymark/1", "title": "Claims",
        "stages": [{ "id": "s", "name": "All" }],
        "departments": [
            { "id": "contact", "name": "Contact centre", "facing": "customer" },
            { "id": "adjusters", "name": "Loss adjusters", "facing": "customer" },
            { "id": "claims", "name": "Claims handling", "facing": "customer" },
            { "id": "payments", "name": "Claims payments", "facing": "internal" }
        ],
        "steps": [
            step("report", "Report the leak", "contact", true),
            step("notes", "Call notes to adjuster", "contact", false),
            step("visit", "Adjuster visit", "adjusters", true),
            step("repairs", "Approve repairs", "claims", true),
            step("cash", "Approve cash settlement", "claims", true),
            step("pay", "Pay the claim", "payments", false),
            step("letter", "Send closing letter", "claims", true)
        ],
        "flows": [
            { "from": "report", "to": "notes" },
            { "from": "notes", "to": "visit", "sla": { "promised_minutes": 2880, "actual_minutes": 60 } },
            { "from": "visit", "to": "repairs", "share": 0.5 },
            { "from": "visit", "to": "cash", "share": 0.5 },
            { "from": "repairs", "to": "pay", "sla": { "promised_minutes": 10080 } },
            { "from": "cash", "to": "pay" },
            { "from": "pay", "to": "letter" },
            { "from": "letter", "to": "visit", "kind": "rework" }
        ]
    });
    waymark::interchange::read(&doc.to_string()).unwrap()
}

#[test]
fn shares_and_agreements_are_measured_with_their_n_and_interval() {
    let options = waymark_evidence::log::ReadOptions { segment: Some("channel".into()), ..Default::default() };
    let log = waymark_evidence::log::read(&data("logs/claims.xes.gz"), &options).unwrap();
    let map = claims_map();
    let binding = Binding::new(&log.activities, &map, None);
    let m = measure(&map, &log, &binding, true);
    assert_eq!((m.log.cases, m.log.time_basis), (240, "start"));

    // Visit → repairs or cash: the shares of what left the visit that way.
    let repairs = m.shares.iter().find(|s| s.to == "repairs").unwrap();
    let cash = m.shares.iter().find(|s| s.to == "cash").unwrap();
    assert_eq!(repairs.n, cash.n);
    assert_eq!(repairs.count + cash.count, repairs.n);
    assert!((repairs.share + cash.share - 1.0).abs() < 1e-12);
    assert!(repairs.share > 0.55 && repairs.share < 0.85, "about 70% repair: {repairs:?}");
    // The visit's successors include "Call customer back", which the map lacks:
    // it is reported unbound, and the visit's shares still count only its flows.
    let callback = m.unbound.iter().find(|u| u.activity == "Call customer back").unwrap();
    assert!(callback.count > 0);
    // Entry shares: every case starts at the report.
    assert_eq!(m.entry_shares.len(), 1);
    assert_eq!((m.entry_shares[0].step.as_str(), m.entry_shares[0].share), ("report", 1.0));

    // The handoff to the adjusters, promised in two days.
    let notes = m.agreements.iter().find(|a| a.from == "notes").unwrap();
    let visits = m.transitions.iter().find(|t| t.from == "notes" && t.to == "visit").unwrap();
    assert_eq!(notes.n, visits.count);
    assert_eq!(visits.kind, TransitionKind::Flow);
    let share = notes.within as f64 / notes.n as f64;
    assert_eq!(notes.within_share, Some(share));
    assert_eq!(notes.interval, Some(adjusted_wald(notes.within, notes.n)));
    assert_eq!(notes.target_share, 0.9, "the map's default");
    assert_eq!(notes.status, if share >= 0.9 { AgreementStatus::Met } else { AgreementStatus::Breached });
    assert_eq!(notes.median_minutes, Some(visits.median_minutes));
    // The payment's agreement: repairs → pay.
    let pay = m.agreements.iter().find(|a| a.from == "repairs").unwrap();
    assert!(pay.n > 0 && pay.status != AgreementStatus::Unmeasured);

    // Throughput and the deadline (30 days after the report).
    let t = m.cases.throughput.unwrap();
    assert_eq!(t.n, 240);
    assert!(t.median > 0.0 && t.p90 >= t.median);
    assert!(m.cases.deadline.is_none(), "no deadline attribute was asked for");

    // Segments: the channels' counts add up to the whole.
    let values: Vec<&str> = m.segments.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(values, ["Phone", "Web"], "the larger segment first");
    let by_segment: u64 = m.segments.iter().map(|s| s.measurement.log.cases).sum();
    assert_eq!(by_segment, 240, "segments partition the cases: {values:?}");
    let notes_by_segment: u64 =
        m.segments.iter().map(|s| s.measurement.agreements.iter().find(|a| a.from == "notes").unwrap().n).sum();
    assert_eq!(notes_by_segment, notes.n);
}

#[test]
fn the_deadline_attribute_gives_the_share_of_cases_on_time() {
    let options = waymark_evidence::log::ReadOptions { deadline: Some("deadline".into()), ..Default::default() };
    let log = waymark_evidence::log::read(&data("logs/claims.xes.gz"), &options).unwrap();
    let map = claims_map();
    let m = measure(&map, &log, &Binding::new(&log.activities, &map, None), false);
    let d = m.cases.deadline.unwrap();
    assert_eq!(d.cases, 240);
    assert!(d.on_time > 0 && d.on_time < 240, "{d:?}");
}

#[test]
fn a_mapping_file_binds_by_its_pairs_and_names_a_missing_step() {
    let log = read(&data("logs/claims-complete.csv"));
    let map = claims_map();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("map.csv");
    std::fs::write(&good, "activity,step\nAdjuster visit,visit\nPay the claim,pay\n").unwrap();
    let pairs = read_mapping(&good, &map).unwrap();
    let binding = Binding::new(&log.activities, &map, Some(&pairs));
    let m = measure(&map, &log, &binding, false);
    assert!(m.unbound.iter().any(|u| u.activity == "Report the leak"), "only the mapped activities bind");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Adjuster visit,visit\nPay the claim,payment\n").unwrap();
    let err = read_mapping(&bad, &map).unwrap_err().to_string();
    assert_eq!(err, "bad.csv, line 2: the map has no step \"payment\" (did you mean \"pay\"?)");
}

/// A branch the log never took is measured as 0 of n: the edit is taken and
/// the analysis reads it as nobody going that way (a share of 0 cannot be
/// written; "unspecified" would have left nothing to split).
#[test]
fn a_branch_no_case_took_is_measured_as_none_going_that_way() {
    let map = claims_map();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repairs-only.csv");
    let mut csv = String::from("case,activity,timestamp\n");
    for c in 0..20 {
        for (i, a) in [
            "Report the leak",
            "Call notes to adjuster",
            "Adjuster visit",
            "Approve repairs",
            "Pay the claim",
            "Send closing letter",
        ]
        .iter()
        .enumerate()
        {
            csv.push_str(&format!("{c},{a},2025-03-{:02} {:02}:00\n", 1 + c % 28, 8 + i));
        }
    }
    // One case settled in cash from the start: the step is in the log, but
    // no case reaches it from the adjuster's visit.
    csv.push_str("x,Approve cash settlement,2025-04-01 08:00\nx,Pay the claim,2025-04-01 09:00\n");
    std::fs::write(&path, csv).unwrap();
    let log = read(&path);
    let binding = Binding::new(&log.activities, &map, None);
    let m = measure(&map, &log, &binding, false);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let after = waymark::edit::apply(&map, &waymark::edit::Edit::Measure { measured: Box::new(m.as_edit(day)) })
        .expect("a branch never taken is no reason to refuse the measurement");
    let cash = after.flows.iter().find(|f| f.to == "cash").unwrap();
    assert_eq!((cash.share, cash.measured.map(|c| (c.count, c.n))), (None, Some((0, 20))));
    let repairs = after.flows.iter().find(|f| f.to == "repairs").unwrap();
    assert_eq!(repairs.share, Some(1.0));
    assert!(waymark::analysis::analyze(&after).is_ok());
}
