//! The analysis engine against a brute-force oracle that lists every path, on
//! thousands of random small maps, and against the literature's checks.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::json;
use waymark::analysis::extremes::NEUTRAL;
use waymark::analysis::{Analysis, analyze, late_stages};
use waymark::graph::{FlowGraph, resolve_entry_shares, resolve_shares};
use waymark::model::{Department, Facing, Flow, FlowKind, Map, Settings, Stage, Step, Visibility};
use waymark::synthetic::Rng;

use crate::support::{map_of, samples, small_map_json};

const EPS: f64 = 1e-9;

/// Everything the model defines, computed the slow, obvious way: list every
/// path, and for each weak-spot candidate list them all again with its score
/// raised.
#[derive(Debug)]
struct Oracle {
    remembered: Option<f64>,
    average: Option<f64>,
    left_out: f64,
    impact: HashMap<String, f64>,
    reach: HashMap<String, f64>,
    peak_share: HashMap<String, f64>,
    end_share: HashMap<String, f64>,
    average_impact: HashMap<String, f64>,
    bad_end: HashMap<String, f64>,
    late_bad_peak: HashMap<String, f64>,
}

struct Path {
    p: f64,
    steps: Vec<usize>,
}

fn all_paths(map: &Map) -> Vec<Path> {
    let graph = FlowGraph::build(map);
    let entries = graph.entries();
    let entry_shares =
        resolve_entry_shares(&entries.iter().map(|&v| map.steps[v].entry_share).collect::<Vec<_>>()).unwrap();
    let mut out = Vec::new();
    fn walk(map: &Map, graph: &FlowGraph, v: usize, p: f64, prefix: &mut Vec<usize>, out: &mut Vec<Path>) {
        prefix.push(v);
        let next = graph.outgoing(v);
        if next.is_empty() {
            out.push(Path { p, steps: prefix.clone() });
        } else {
            let shares = resolve_shares(&next.iter().map(|&(f, _)| map.flows[f].share).collect::<Vec<_>>()).unwrap();
            for ((_, w), s) in next.iter().zip(shares) {
                walk(map, graph, *w, p * s, prefix, out);
            }
        }
        prefix.pop();
    }
    for (&e, s) in entries.iter().zip(entry_shares) {
        walk(map, &graph, e, s, &mut Vec::new(), &mut out);
    }
    out
}

fn score_of(map: &Map, v: usize, raised: Option<(usize, f64)>) -> Option<f64> {
    let step = &map.steps[v];
    if step.visibility != Visibility::Frontstage {
        return None;
    }
    match raised {
        Some((r, t)) if r == v => Some(t),
        _ => step.score,
    }
}

/// (worst, best, end) of a path's customer sequence, or None when it has no
/// scored step.
fn worst_best_end(map: &Map, path: &Path, raised: Option<(usize, f64)>) -> Option<(f64, f64, f64)> {
    let seq: Vec<f64> = path.steps.iter().filter_map(|&v| score_of(map, v, raised)).collect();
    let end = *seq.last()?;
    let worst = seq.iter().copied().fold(f64::INFINITY, f64::min);
    let best = seq.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((worst, best, end))
}

/// The contract's remembered score of one path, written out as it reads.
fn remembered_score(map: &Map, (worst, best, end): (f64, f64, f64)) -> f64 {
    let (w, n) = (map.settings.end_weight, map.settings.negativity);
    let peak = (n * worst + best) / (n + 1.0);
    (1.0 - w) * peak + w * end
}

fn remembered_sum(map: &Map, paths: &[Path], raised: Option<(usize, f64)>) -> (f64, f64) {
    let mut sum = 0.0;
    let mut counted = 0.0;
    for path in paths {
        if let Some(wbe) = worst_best_end(map, path, raised) {
            sum += path.p * remembered_score(map, wbe);
            counted += path.p;
        }
    }
    (sum, counted)
}

fn oracle(map: &Map) -> Oracle {
    let paths = all_paths(map);
    let total: f64 = paths.iter().map(|p| p.p).sum();
    let (sum, counted) = remembered_sum(map, &paths, None);
    let remembered = (counted > 0.0).then(|| sum / counted);
    let late = late_stages(map);
    let mut o = Oracle {
        remembered,
        average: None,
        left_out: if total > 0.0 { (total - counted) / total } else { 0.0 },
        impact: HashMap::new(),
        reach: HashMap::new(),
        peak_share: HashMap::new(),
        end_share: HashMap::new(),
        average_impact: HashMap::new(),
        bad_end: HashMap::new(),
        late_bad_peak: HashMap::new(),
    };
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&v| score_of(map, v, None).is_some()).collect();
    let mut reach_sum = 0.0;
    let mut weighted = 0.0;
    for &v in &scored {
        let s = score_of(map, v, None).unwrap();
        let through: Vec<&Path> = paths.iter().filter(|p| p.steps.contains(&v)).collect();
        let mass: f64 = through.iter().map(|p| p.p).sum();
        let reach = if counted > 0.0 { mass / counted } else { 0.0 };
        reach_sum += reach;
        weighted += reach * s;
        o.reach.insert(map.steps[v].id.clone(), reach);
        let (mut as_worst, mut as_end) = (0.0, 0.0);
        for p in &through {
            let (worst, _, _) = worst_best_end(map, p, None).unwrap();
            if worst == s {
                as_worst += p.p;
            }
            let last_scored = p.steps.iter().rev().find(|&&x| score_of(map, x, None).is_some());
            if last_scored == Some(&v) {
                as_end += p.p;
            }
        }
        o.peak_share.insert(map.steps[v].id.clone(), if mass > 0.0 { as_worst / mass } else { 0.0 });
        o.end_share.insert(map.steps[v].id.clone(), if mass > 0.0 { as_end / mass } else { 0.0 });
        let target = map.steps[v].target_or(&map.settings);
        if target > s && counted > 0.0 {
            let (raised, _) = remembered_sum(map, &paths, Some((v, target)));
            o.impact.insert(map.steps[v].id.clone(), (raised - sum) / counted);
        }
        if s < NEUTRAL && counted > 0.0 && as_end > 0.0 {
            o.bad_end.insert(map.steps[v].id.clone(), as_end / counted);
        }
    }
    o.average = (reach_sum > 0.0).then(|| weighted / reach_sum);
    for &v in &scored {
        let s = score_of(map, v, None).unwrap();
        let gap = map.steps[v].target_or(&map.settings) - s;
        if gap > 0.0 && reach_sum > 0.0 {
            o.average_impact.insert(map.steps[v].id.clone(), o.reach[&map.steps[v].id] * gap / reach_sum);
        }
    }
    // Late bad worst moments, charged to the last step on the path holding the worst score.
    for p in &paths {
        let Some((worst, _, _)) = worst_best_end(map, p, None) else { continue };
        if worst >= NEUTRAL {
            continue;
        }
        let holder = *p.steps.iter().rev().find(|&&x| score_of(map, x, None) == Some(worst)).unwrap();
        if late.contains(&map.steps[holder].stage) {
            *o.late_bad_peak.entry(map.steps[holder].id.clone()).or_default() += p.p / counted;
        }
    }
    o
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Checks every quantity of the engine against the oracle; returns what differs.
fn disagreements(map: &Map, a: &Analysis, o: &Oracle) -> Vec<String> {
    let mut bad = Vec::new();
    let mut check = |what: String, ok: bool| {
        if !ok {
            bad.push(what);
        }
    };
    check(format!("remembered {:?} vs {:?}", a.remembered, o.remembered), close_opt(a.remembered, o.remembered));
    check(format!("average {:?} vs {:?}", a.average, o.average), close_opt(a.average, o.average));
    check(format!("left_out {} vs {}", a.left_out, o.left_out), close(a.left_out, o.left_out));
    let oracle_weak: Vec<&String> = o.impact.iter().filter(|(_, i)| **i > 1e-12).map(|(id, _)| id).collect();
    check(
        format!("weak spot count {} vs {}", a.weak_spots.len(), oracle_weak.len()),
        a.weak_spots.len() == oracle_weak.len(),
    );
    for w in &a.weak_spots {
        let id = &w.id;
        check(
            format!("{id}: impact {} vs {:?}", w.impact, o.impact.get(id)),
            o.impact.get(id).is_some_and(|&x| close(x, w.impact)),
        );
        check(format!("{id}: reach"), close(w.reach, o.reach[id]));
        check(
            format!("{id}: peak_share {} vs {}", w.peak_share, o.peak_share[id]),
            close(w.peak_share, o.peak_share[id]),
        );
        check(format!("{id}: end_share {} vs {}", w.end_share, o.end_share[id]), close(w.end_share, o.end_share[id]));
    }
    for pair in a.weak_spots.windows(2) {
        check(
            format!("ranked by impact: {} before {}", pair[0].id, pair[1].id),
            pair[0].impact >= pair[1].impact - EPS,
        );
    }
    let oracle_avg: Vec<&String> = o.average_impact.iter().filter(|(_, i)| **i > 1e-12).map(|(id, _)| id).collect();
    check("average model count".to_owned(), a.average_model.len() == oracle_avg.len());
    for w in &a.average_model {
        check(format!("{}: average impact", w.id), o.average_impact.get(&w.id).is_some_and(|&x| close(x, w.impact)));
    }
    let adv = &a.sequence_advice;
    check(format!("bad_end {}", adv.bad_end), close(adv.bad_end, o.bad_end.values().sum()));
    for s in &adv.bad_end_steps {
        check(format!("{}: bad end share", s.id), o.bad_end.get(&s.id).is_some_and(|&x| close(x, s.share)));
    }
    check(
        format!("late_bad_peak {} vs {}", adv.late_bad_peak, o.late_bad_peak.values().sum::<f64>()),
        close(adv.late_bad_peak, o.late_bad_peak.values().sum()),
    );
    for s in &adv.late_bad_peak_steps {
        check(format!("{}: late bad peak share", s.id), o.late_bad_peak.get(&s.id).is_some_and(|&x| close(x, s.share)));
    }
    // Department standing: summed impact and reach-weighted mean.
    for d in &a.departments {
        let impact: f64 = a.weak_spots.iter().filter(|w| w.department == d.id).map(|w| w.impact).sum();
        check(format!("{}: department impact", d.id), close(d.weak_spot_impact, impact));
        let mut sum = 0.0;
        let mut weight = 0.0;
        for (v, step) in map.steps.iter().enumerate() {
            if step.department == d.id
                && let Some(s) = score_of(map, v, None)
            {
                sum += o.reach[&step.id] * s;
                weight += o.reach[&step.id];
            }
        }
        let expected = (weight > 0.0).then(|| sum / weight);
        check(format!("{}: mean score {:?} vs {expected:?}", d.id, d.mean_score), close_opt(d.mean_score, expected));
    }
    bad
}

/// A random small acyclic map: several entries and exits, random shares (some
/// unspecified), unscored and backstage steps, rework flows, tied scores,
/// extreme weights.
fn random_map(seed: u64) -> Map {
    let mut rng = Rng::new(seed);
    let n = 1 + rng.below(9);
    let stages = 1 + rng.below(6);
    let depts = 1 + rng.below(3);
    let mut map = Map::new(format!("random {seed}"));
    map.settings = Settings {
        end_weight: [0.0, 1.0, 0.5, rng.unit()][rng.below(4)],
        negativity: [1.0, 5.0, 2.25, 1.0 + 4.0 * rng.unit()][rng.below(4)],
        standard: [1.0, 5.0, 4.0, rng.score()][rng.below(4)],
    };
    map.stages = (0..stages).map(|i| Stage { id: format!("st{i}"), name: format!("S{i}") }).collect();
    map.departments = (0..depts)
        .map(|i| Department {
            id: format!("d{i}"),
            name: format!("D{i}"),
            facing: if i == 0 { Facing::Customer } else { Facing::Internal },
            color: None,
        })
        .collect();
    // A small palette makes tied scores common.
    let palette = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, rng.score()];
    for i in 0..n {
        let front = rng.chance(0.75);
        map.steps.push(Step {
            id: format!("v{i}"),
            title: format!("Step {}", rng.below(4)), // tied titles too
            stage: format!("st{}", (i * stages / n).min(stages - 1)),
            department: format!("d{}", rng.below(depts)),
            visibility: if front { Visibility::Frontstage } else { Visibility::Backstage },
            score: (front && rng.chance(0.8)).then(|| palette[rng.below(palette.len())]),
            target: rng.chance(0.3).then(|| palette[rng.below(palette.len())]),
            owner: None,
            channel: None,
            notes: None,
            entry_share: None,
            ratings: Vec::new(),
            follows_ratings: false,
        });
    }
    for i in 0..n {
        let mut targets: Vec<usize> = (i + 1..n).filter(|_| rng.chance(0.35)).collect();
        targets.truncate(3);
        let k = targets.len();
        let mut weights: Vec<f64> = (0..k).map(|_| 0.05 + rng.unit()).collect();
        let sum: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|x| *x /= sum);
        let unspecified = rng.chance(0.3);
        for (j, &t) in targets.iter().enumerate() {
            // Leave some shares out: unspecified ones split the remainder equally.
            let share = if unspecified && j + 1 == k {
                None
            } else if unspecified {
                Some(weights[j])
            } else if j + 1 == k {
                Some(1.0 - weights[..j].iter().sum::<f64>())
            } else {
                Some(weights[j])
            };
            map.flows.push(Flow {
                from: format!("v{i}"),
                to: format!("v{t}"),
                share: share.map(|s| s.clamp(1e-6, 1.0)),
                kind: FlowKind::Flow,
                sla: None,
            });
        }
        if i > 0 && rng.chance(0.15) {
            map.flows.push(Flow {
                from: format!("v{i}"),
                to: format!("v{}", rng.below(i)),
                share: None,
                kind: FlowKind::Rework,
                sla: None,
            });
        }
    }
    // Entry shares: equal by default, given outright sometimes.
    let entries = FlowGraph::build(&map).entries();
    if entries.len() > 1 && rng.chance(0.4) {
        let mut weights: Vec<f64> = entries.iter().map(|_| 0.1 + rng.unit()).collect();
        let sum: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|x| *x /= sum);
        for (&e, w) in entries.iter().zip(weights) {
            map.steps[e].entry_share = Some(w);
        }
    }
    map
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_agrees_with_listing_every_path(seed in any::<u64>()) {
        let map = random_map(seed);
        let report = waymark::validate::validate(&map);
        prop_assume!(report.is_valid());
        let a = analyze(&map).unwrap();
        let o = oracle(&map);
        let bad = disagreements(&map, &a, &o);
        prop_assert!(bad.is_empty(), "seed {seed}: {bad:#?}\n{}", waymark::interchange::write(&map));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The contract's third literature check: with any end weight below 1, a
    /// step below its target that is the strict worst moment of a counted
    /// path is a weak spot, however good that path's best moment is.
    #[test]
    fn a_good_moment_never_hides_a_bad_one(seed in any::<u64>(), w in 0.0..0.999f64) {
        let mut map = random_map(seed);
        map.settings.end_weight = w;
        prop_assume!(waymark::validate::validate(&map).is_valid());
        let a = analyze(&map).unwrap();
        for path in all_paths(&map) {
            let seq: Vec<(usize, f64)> =
                path.steps.iter().filter_map(|&v| score_of(&map, v, None).map(|s| (v, s))).collect();
            let Some(&(v, worst)) = seq.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else { continue };
            let strict = seq.iter().filter(|&&(_, s)| s == worst).count() == 1;
            if path.p > 0.0 && strict && worst < map.steps[v].target_or(&map.settings) {
                let id = &map.steps[v].id;
                prop_assert!(
                    a.weak_spots.iter().any(|s| &s.id == id && s.impact > 0.0),
                    "seed {seed}, w {w}: {id} ({worst}) is the strict worst of a path yet no weak spot"
                );
            }
        }
    }
}

#[test]
fn hotel_stay_the_cold_meal_is_not_masked_by_the_warm_greeting() {
    // The newcomer's hotel map: a 4.6 greeting on every stay, a 2.5 room-service
    // meal on 40% of them. Under version 1 the greeting was the peak of every
    // path and the meal no weak spot at all.
    let map = waymark::interchange::read(include_str!("../fixtures/hotel-stay.json")).unwrap();
    let a = analyze(&map).unwrap();
    let first = &a.weak_spots[0];
    assert_eq!(first.id, "meal", "{:#?}", a.weak_spots);
    assert!((first.reach - 0.4).abs() < EPS && (first.peak_share - 1.0).abs() < EPS, "{first:#?}");
    assert_eq!(first.why[0], "worst moment on 40% of visits");
    assert!(first.upstream_causes.iter().any(|c| c.from == "cook"), "the kitchen's late handoff is a cause");
    // The stay is remembered lower with the meal in it than without it.
    let mut raised = map.clone();
    let meal = raised.steps.iter_mut().find(|s| s.id == "meal").unwrap();
    meal.score = Some(4.0);
    let better = analyze(&raised).unwrap().remembered.unwrap();
    assert!((better - a.remembered.unwrap() - first.impact).abs() < EPS);
}

#[test]
fn random_maps_are_mostly_valid_so_the_property_test_tests_something() {
    let valid = (0..1000u64).filter(|&s| waymark::validate::validate(&random_map(s)).is_valid()).count();
    assert!(valid > 950, "only {valid} of 1000 random maps are valid");
}

#[test]
fn the_engine_agrees_with_the_oracle_on_every_sample() {
    for (sample, map) in samples() {
        let bad = disagreements(&map, &analyze(&map).unwrap(), &oracle(&map));
        assert!(bad.is_empty(), "{}: {bad:#?}", sample.name);
    }
}

/// A one-path journey with these scores, all frontstage.
fn one_path(scores: &[f64]) -> Map {
    let steps: Vec<_> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| json!({ "id": format!("m{i}"), "title": format!("Moment {i}"), "stage": "s", "department": "d", "visibility": "frontstage", "score": s }))
        .collect();
    let flows: Vec<_> =
        (1..scores.len()).map(|i| json!({ "from": format!("m{}", i - 1), "to": format!("m{i}") })).collect();
    map_of(&json!({
        "format": "waymark/1", "title": "one path",
        "stages": [{ "id": "s", "name": "S" }],
        "departments": [{ "id": "d", "name": "D", "facing": "customer" }],
        "steps": steps, "flows": flows
    }))
}

#[test]
fn cold_water_the_longer_trial_is_remembered_as_better() {
    // Kahneman et al. 1993: 60 s at 14 °C, versus the same followed by 30 s slightly less cold.
    let short = analyze(&one_path(&[1.5])).unwrap().remembered.unwrap();
    let long = analyze(&one_path(&[1.5, 2.0])).unwrap().remembered.unwrap();
    assert!(long > short, "the longer trial holds more discomfort yet ends better: {long} vs {short}");
    // Defaults w = 0.5, n = 2.25: the long trial's peak term is (2.25 × 1.5 + 2.0) / 3.25.
    let expected_long = 0.5 * (2.25 * 1.5 + 2.0) / 3.25 + 0.5 * 2.0;
    assert!((short - 1.5).abs() < EPS && (long - expected_long).abs() < EPS, "{short}, {long}");
    assert_eq!(format!("{short:.2} {long:.2}"), "1.50 1.83");
}

#[test]
fn licence_office_the_photo_line_ranks_first() {
    let (_, map) = samples().into_iter().find(|(s, _)| s.name == "licence-renewal").unwrap();
    let a = analyze(&map).unwrap();
    let first = &a.weak_spots[0];
    assert_eq!(first.id, "photo_line", "{:#?}", a.weak_spots);
    assert!(first.peak_share.max(first.end_share) >= 0.5, "large peak or end share: {first:#?}");
    assert!(
        a.remembered.unwrap() < a.average.unwrap() - 0.3,
        "one late weak pocket pulls the remembered visit well below the average"
    );
    assert!(
        first.upstream_causes.iter().any(|c| c.from == "photo_handover"),
        "the late file from IT is an upstream cause"
    );
    assert!(first.why.iter().any(|w| w.starts_with("worst moment on")), "{:?}", first.why);
    assert!(a.sequence_advice.late_bad_peak_steps.iter().any(|s| s.id == "photo_line"), "{:?}", a.sequence_advice);
}

#[test]
fn edge_cases_answer_sensibly_without_nan() {
    let mut cases: Vec<(&str, Map)> = Vec::new();
    let mut unscored = small_map_json();
    for s in unscored["steps"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("score");
    }
    cases.push(("no scored step", map_of(&unscored)));
    let mut all_good = small_map_json();
    for s in all_good["steps"].as_array_mut().unwrap() {
        if s["visibility"] == "frontstage" {
            s["score"] = json!(5.0);
        }
    }
    cases.push(("every score meets its target", map_of(&all_good)));
    cases.push(("one entry and no flows", one_path(&[3.3])));
    cases.push(("empty map", Map::new("empty")));
    let mut one_unscored = small_map_json();
    one_unscored["steps"][2].as_object_mut().unwrap().remove("score");
    cases.push(("one unscored step", map_of(&one_unscored)));
    for (what, map) in cases {
        let a = analyze(&map).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("NaN") && !json.contains("null,\"average\":NaN"), "{what}: {json}");
        for x in [a.left_out].into_iter().chain(a.remembered).chain(a.average) {
            assert!(x.is_finite(), "{what}: {x}");
        }
        let notes = waymark::analysis::notes(&map, &a);
        match what {
            "no scored step" => assert!(
                a.remembered.is_none() && notes.iter().any(|n| n.contains("No perception point is scored")),
                "{notes:?}"
            ),
            "every score meets its target" => {
                assert!(a.weak_spots.is_empty() && notes.iter().any(|n| n.contains("meets its target")), "{notes:?}")
            }
            "one entry and no flows" => assert!((a.remembered.unwrap() - 3.3).abs() < EPS),
            "empty map" => assert!(notes.iter().any(|n| n.contains("no steps"))),
            "one unscored step" => {
                assert!(notes.iter().any(|n| n.contains("1 frontstage step is not scored")), "{notes:?}")
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn an_invalid_map_is_not_analysed_and_the_error_lists_its_problems() {
    let mut doc = small_map_json();
    doc["steps"][0]["score"] = json!(9.0);
    doc["flows"][0]["to"] = json!("ghost");
    let report = analyze(&map_of(&doc)).unwrap_err();
    let text = report.to_string();
    assert!(text.contains("steps[0].score: 9.0 is outside") && text.contains("flows[0].to: unknown step"), "{text}");
}

#[test]
fn generated_maps_are_valid_and_analyse() {
    for steps in [1, 12, 13, 200, 1000] {
        let map = waymark::synthetic::layered(steps, 7);
        let report = waymark::validate::validate(&map);
        assert!(report.is_valid(), "{steps} steps:\n{report}");
        let a = analyze(&map).unwrap();
        assert!(a.remembered.is_some_and(f64::is_finite));
    }
}
