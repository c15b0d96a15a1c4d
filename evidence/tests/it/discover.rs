//! A first map from a log alone.

use waymark_evidence::bind::Binding;
use waymark_evidence::discover::{Discovery, DiscoveryError, discover};
use waymark_evidence::measure::{TransitionKind, measure};

use crate::support::{data, read, shared};

fn discovered(path: &std::path::Path, frontstage: &[&str]) {
    let log = read(path);
    let map = discover(
        &log,
        &Discovery { title: "Claims".into(), frontstage: frontstage.iter().map(|s| (*s).to_owned()).collect() },
    )
    .unwrap();
    let report = waymark::validate::validate(&map);
    assert!(report.is_valid(), "{}: the discovered map validates:\n{report}", path.display());
    let binding = Binding::new(&log.activities, &map, None);
    let m = measure(&map, &log, &binding, false);
    assert!(m.unbound.is_empty(), "every activity is a step");
    for t in &m.transitions {
        assert_ne!(t.kind, TransitionKind::Unmodelled, "{} → {} is drawn", t.from, t.to);
    }
    // Every observed pair of different activities is a flow of the map.
    let drawn = map.flows.len();
    let pairs = m.transitions.iter().filter(|t| t.kind != TransitionKind::Repeat).count();
    assert_eq!(drawn, pairs);
    // Stages follow the work: the first step's stage comes first.
    let first = m.transitions.iter().max_by_key(|t| t.count).unwrap();
    assert!(!map.stages.is_empty() && !first.from.is_empty());
}

#[test]
fn the_claims_log_makes_a_valid_map_that_reproduces_its_transitions() {
    discovered(
        &data("logs/claims.xes.gz"),
        &["Report the leak", "Adjuster visit", "Call customer back", "Send closing letter"],
    );
    discovered(&data("logs/claims-complete.csv"), &[]);
    let log = read(&data("logs/claims.xes.gz"));
    let map = discover(&log, &Discovery { title: "Claims".into(), frontstage: vec!["Adjuster visit".into()] }).unwrap();
    let visit = map.steps.iter().find(|s| s.title == "Adjuster visit").unwrap();
    assert_eq!(visit.visibility, waymark::model::Visibility::Frontstage);
    let lane = map.departments.iter().find(|d| d.id == visit.department).unwrap();
    assert_eq!((lane.name.as_str(), lane.facing), ("Loss adjusters", waymark::model::Facing::Customer));
    // The first stage holds the first work.
    assert_eq!(map.steps[0].title, "Report the leak");
    let err = discover(&log, &Discovery { title: "x".into(), frontstage: vec!["Photo booth".into()] }).unwrap_err();
    assert_eq!(err, DiscoveryError::UnknownActivity("Photo booth".into()));
}

#[test]
fn the_public_logs_make_valid_maps() {
    for name in ["08_receipt.xes.gz", "bpic2012.xes.gz", "running-example.xes"] {
        let Some(path) = shared(name) else { return };
        discovered(&path, &[]);
    }
}
