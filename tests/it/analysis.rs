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
/// raised. The shares come twice: from each path's own game, its subsets of
/// steps listed (Shapley is linear, so the journey's share is their P-weighted
/// mean), and, on maps with few steps below target, from every subset of the
/// whole map's steps, which is Shapley's definition itself.
#[derive(Debug)]
struct Oracle {
    remembered: Option<f64>,
    average: Option<f64>,
    overall: Option<f64>,
    left_out: f64,
    /// O with every step below target raised, minus O.
    gain: f64,
    impact: HashMap<String, f64>,
    /// By each path's game.
    share: HashMap<String, f64>,
    /// By every subset of the map's steps below target, when there are few.
    subset_share: Option<HashMap<String, f64>>,
    reach: HashMap<String, f64>,
    peak_share: HashMap<String, f64>,
    end_share: HashMap<String, f64>,
    average_impact: HashMap<String, f64>,
    bad_end: HashMap<String, f64>,
    late_bad_peak: HashMap<String, f64>,
}

/// The most steps below target for which every subset is listed.
const SUBSET_ORACLE_PLAYERS: usize = 8;

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

/// A step's score, or its target when it is one of the `raised` and below it.
fn score_of(map: &Map, v: usize, raised: &[usize]) -> Option<f64> {
    let step = &map.steps[v];
    if step.visibility != Visibility::Frontstage {
        return None;
    }
    let s = step.score?;
    Some(if raised.contains(&v) { s.max(step.target_or(&map.settings)) } else { s })
}

/// Scored frontstage steps below their target: the players of the fixing game.
fn below_target(map: &Map, steps: impl IntoIterator<Item = usize>) -> Vec<usize> {
    steps
        .into_iter()
        .filter(|&v| score_of(map, v, &[]).is_some_and(|s| s < map.steps[v].target_or(&map.settings)))
        .collect()
}

/// (worst, best, end) of a path's customer sequence, or None when it has no
/// scored step.
fn worst_best_end(map: &Map, path: &Path, raised: &[usize]) -> Option<(f64, f64, f64)> {
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

fn remembered_sum(map: &Map, paths: &[Path], raised: &[usize]) -> (f64, f64) {
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

/// The overall experience, (1 − λ) × remembered + λ × average, with `raised` raised.
fn overall_of(map: &Map, paths: &[Path], raised: &[usize]) -> Option<f64> {
    let (sum, counted) = remembered_sum(map, paths, raised);
    if counted <= 0.0 {
        return None;
    }
    let (mut weighted, mut reach_sum) = (0.0, 0.0);
    for v in 0..map.steps.len() {
        let Some(s) = score_of(map, v, raised) else { continue };
        let reach: f64 = paths.iter().filter(|p| p.steps.contains(&v)).map(|p| p.p).sum::<f64>() / counted;
        weighted += reach * s;
        reach_sum += reach;
    }
    let lambda = map.settings.average_weight;
    Some((1.0 - lambda) * sum / counted + lambda * weighted / reach_sum)
}

/// Shapley values of `players` in the game `value`, by listing every subset.
fn shapley(players: &[usize], value: &dyn Fn(&[usize]) -> f64) -> HashMap<usize, f64> {
    let k = players.len();
    let factorial = |n: usize| (1..=n).map(|x| x as f64).product::<f64>();
    let values: Vec<f64> = (0..1usize << k)
        .map(|mask| {
            value(&players.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, &v)| v).collect::<Vec<_>>())
        })
        .collect();
    let mut out = HashMap::new();
    for (i, &v) in players.iter().enumerate() {
        let mut phi = 0.0;
        for mask in 0..1usize << k {
            if mask >> i & 1 == 1 {
                continue;
            }
            let size = mask.count_ones() as usize;
            let weight = factorial(size) * factorial(k - size - 1) / factorial(k);
            phi += weight * (values[mask | 1 << i] - values[mask]);
        }
        out.insert(v, phi);
    }
    out
}

fn oracle(map: &Map) -> Oracle {
    let paths = all_paths(map);
    let total: f64 = paths.iter().map(|p| p.p).sum();
    let (sum, counted) = remembered_sum(map, &paths, &[]);
    let remembered = (counted > 0.0).then(|| sum / counted);
    let overall = overall_of(map, &paths, &[]);
    let late = late_stages(map);
    let lambda = map.settings.average_weight;
    let mut o = Oracle {
        remembered,
        average: None,
        overall,
        left_out: if total > 0.0 { (total - counted) / total } else { 0.0 },
        gain: 0.0,
        impact: HashMap::new(),
        share: HashMap::new(),
        subset_share: None,
        reach: HashMap::new(),
        peak_share: HashMap::new(),
        end_share: HashMap::new(),
        average_impact: HashMap::new(),
        bad_end: HashMap::new(),
        late_bad_peak: HashMap::new(),
    };
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&v| score_of(map, v, &[]).is_some()).collect();
    let mut reach_sum = 0.0;
    let mut weighted = 0.0;
    for &v in &scored {
        let s = score_of(map, v, &[]).unwrap();
        let through: Vec<&Path> = paths.iter().filter(|p| p.steps.contains(&v)).collect();
        let mass: f64 = through.iter().map(|p| p.p).sum();
        let reach = if counted > 0.0 { mass / counted } else { 0.0 };
        reach_sum += reach;
        weighted += reach * s;
        o.reach.insert(map.steps[v].id.clone(), reach);
        let (mut as_worst, mut as_end) = (0.0, 0.0);
        for p in &through {
            let (worst, _, _) = worst_best_end(map, p, &[]).unwrap();
            if worst == s {
                as_worst += p.p;
            }
            let last_scored = p.steps.iter().rev().find(|&&x| score_of(map, x, &[]).is_some());
            if last_scored == Some(&v) {
                as_end += p.p;
            }
        }
        o.peak_share.insert(map.steps[v].id.clone(), if mass > 0.0 { as_worst / mass } else { 0.0 });
        o.end_share.insert(map.steps[v].id.clone(), if mass > 0.0 { as_end / mass } else { 0.0 });
        let target = map.steps[v].target_or(&map.settings);
        if let (true, Some(now), Some(raised)) = (target > s, overall, overall_of(map, &paths, &[v])) {
            o.impact.insert(map.steps[v].id.clone(), raised - now);
        }
        if s < NEUTRAL && counted > 0.0 && as_end > 0.0 {
            o.bad_end.insert(map.steps[v].id.clone(), as_end / counted);
        }
    }
    o.average = (reach_sum > 0.0).then(|| weighted / reach_sum);
    for &v in &scored {
        let s = score_of(map, v, &[]).unwrap();
        let gap = map.steps[v].target_or(&map.settings) - s;
        if gap > 0.0 && reach_sum > 0.0 {
            o.average_impact.insert(map.steps[v].id.clone(), o.reach[&map.steps[v].id] * gap / reach_sum);
        }
    }
    // Shares, path by path: each path's own game, its subsets listed.
    let players = below_target(map, 0..map.steps.len());
    if let Some(now) = overall {
        o.gain = overall_of(map, &paths, &players).unwrap() - now;
        for &v in &players {
            o.share.insert(
                map.steps[v].id.clone(),
                lambda * o.average_impact.get(&map.steps[v].id).copied().unwrap_or(0.0),
            );
        }
        for path in &paths {
            let Some(before) = worst_best_end(map, path, &[]) else { continue };
            let here = below_target(map, path.steps.iter().copied());
            let r0 = remembered_score(map, before);
            let game = |raised: &[usize]| remembered_score(map, worst_best_end(map, path, raised).unwrap()) - r0;
            for (v, phi) in shapley(&here, &game) {
                *o.share.get_mut(&map.steps[v].id).unwrap() += (1.0 - lambda) * path.p * phi / counted;
            }
        }
        // And on small maps, Shapley's definition over the whole map.
        if players.len() <= SUBSET_ORACLE_PLAYERS {
            let game = |raised: &[usize]| overall_of(map, &paths, raised).unwrap() - now;
            o.subset_share =
                Some(shapley(&players, &game).into_iter().map(|(v, phi)| (map.steps[v].id.clone(), phi)).collect());
        }
    }
    // Late bad worst moments, charged to the last step on the path holding the worst score.
    for p in &paths {
        let Some((worst, _, _)) = worst_best_end(map, p, &[]) else { continue };
        if worst >= NEUTRAL {
            continue;
        }
        let holder = *p.steps.iter().rev().find(|&&x| score_of(map, x, &[]) == Some(worst)).unwrap();
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
    check(format!("overall {:?} vs {:?}", a.overall, o.overall), close_opt(a.overall, o.overall));
    check(format!("left_out {} vs {}", a.left_out, o.left_out), close(a.left_out, o.left_out));
    check(format!("gain_if_all_met {} vs {}", a.gain_if_all_met, o.gain), close(a.gain_if_all_met, o.gain));
    check(
        format!("overall_if_all_met {:?}", a.overall_if_all_met),
        close_opt(a.overall_if_all_met, o.overall.map(|x| x + o.gain)),
    );
    let shares: f64 = a.weak_spots.iter().map(|w| w.share).sum();
    check(format!("the shares add up to G: {shares} vs {}", o.gain), close(shares, o.gain));
    let oracle_weak: Vec<&String> = o.share.iter().filter(|(_, x)| **x > 1e-12).map(|(id, _)| id).collect();
    check(
        format!("weak spot count {} vs {}", a.weak_spots.len(), oracle_weak.len()),
        a.weak_spots.len() == oracle_weak.len(),
    );
    for w in &a.weak_spots {
        let id = &w.id;
        check(
            format!("{id}: share {} vs {:?} by paths", w.share, o.share.get(id)),
            o.share.get(id).is_some_and(|&x| close(x, w.share)),
        );
        if let Some(by_subsets) = &o.subset_share {
            check(
                format!("{id}: share {} vs {:?} by subsets", w.share, by_subsets.get(id)),
                by_subsets.get(id).is_some_and(|&x| close(x, w.share)),
            );
        }
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
            format!("ranked by share: {} ({}) before {} ({})", pair[0].id, pair[0].share, pair[1].id, pair[1].share),
            pair[0].share >= pair[1].share - EPS,
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
    // Department standing: summed share and reach-weighted mean.
    for d in &a.departments {
        let share: f64 = a.weak_spots.iter().filter(|w| w.department == d.id).map(|w| w.share).sum();
        check(format!("{}: department share", d.id), close(d.weak_spot_share, share));
        let mut sum = 0.0;
        let mut weight = 0.0;
        for (v, step) in map.steps.iter().enumerate() {
            if step.department == d.id
                && let Some(s) = score_of(map, v, &[])
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
        average_weight: [0.0, 1.0, 0.3, rng.unit()][rng.below(4)],
        agreement_share: 0.9,
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
            entry_measured: None,
            surveyed: None,
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
                measured: None,
            });
        }
        if i > 0 && rng.chance(0.15) {
            map.flows.push(Flow {
                from: format!("v{i}"),
                to: format!("v{}", rng.below(i)),
                share: None,
                kind: FlowKind::Rework,
                sla: None,
                measured: None,
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
                path.steps.iter().filter_map(|&v| score_of(&map, v, &[]).map(|s| (v, s))).collect();
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

/// The shares' intervals are worked out on all the cores; the figures must
/// not depend on how many there are, to the last bit (a review compares
/// them, and a report made on another machine must say the same).
#[test]
fn the_figures_are_the_same_on_one_core_and_on_many() {
    for (steps, seed) in [(200, 1), (1000, 42)] {
        let map = waymark::synthetic::layered(steps, seed);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| analyze(&map).unwrap())
        };
        let one = on(1);
        assert!(!one.weak_spots.is_empty(), "{steps} steps: the generated map has weak spots");
        for threads in [2, 3, 8] {
            let many = on(threads);
            for (a, b) in one.weak_spots.iter().zip(&many.weak_spots) {
                assert_eq!((&a.id, a.share.to_bits()), (&b.id, b.share.to_bits()), "{steps} steps, {threads} threads");
            }
            assert_eq!(one, many, "{steps} steps, {threads} threads");
        }
    }
}

/// The window analyses each edit with the memo of the analysis before
/// (`analyze_on_with`). Whatever the edits (scores moved, cleared or set,
/// targets, the standard, a step turned backstage, entry shares, a flow's
/// share, a flow moved or removed), its figures must be those of an analysis
/// from scratch, and most of a score's intervals must be taken from the memo
/// rather than redone.
#[test]
fn an_analysis_from_the_memo_of_the_one_before_is_the_analysis_from_scratch() {
    use waymark::analysis::{Memo, analyze_on, analyze_on_with};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let mut map = waymark::synthetic::layered(300, 5);
    let mut rng = Rng::new(11);
    let mut memo = Memo::default();
    let (mut reused_on_scores, mut intervals_on_scores) = (0, 0);
    let mut kinds_kept = [0; 12];
    for round in 0..160 {
        let before = map.clone();
        let v = rng.below(map.steps.len());
        let what = rng.below(12);
        match what {
            0..=4 => map.steps[v].score = Some(rng.score()),
            5 => map.steps[v].score = None,
            6 => map.steps[v].target = Some(rng.score()),
            7 => map.settings.standard = rng.score(),
            8 => {
                map.steps[v].visibility = match map.steps[v].visibility {
                    Visibility::Frontstage => Visibility::Backstage,
                    Visibility::Backstage => Visibility::Frontstage,
                }
            }
            10 => {
                // An entry takes a new share of the customers: the steps
                // with an entry share, the first of them changed.
                if let Some(first) = map.steps.iter().position(|s| s.entry_share.is_some()) {
                    map.steps[first].entry_share = Some(0.1 + 0.8 * rng.unit());
                    for step in map.steps.iter_mut().skip(first + 1).filter(|s| s.entry_share.is_some()) {
                        step.entry_share = None;
                    }
                } else {
                    map.steps[v].entry_share = Some(0.5);
                }
            }
            11 => {
                // A flow now leaves from, or goes to, another step (refused
                // when that makes a loop or a duplicate).
                let f = rng.below(map.flows.len());
                let other = map.steps[v].id.clone();
                if rng.chance(0.5) {
                    map.flows[f].from = other;
                } else {
                    map.flows[f].to = other;
                }
            }
            _ => {
                // A fork's first flow takes a new share (the others take
                // the rest), or the map's last flow goes.
                let from = map.flows[rng.below(map.flows.len())].from.clone();
                let fork: Vec<usize> = (0..map.flows.len()).filter(|&f| map.flows[f].from == from).collect();
                if fork.len() > 1 {
                    map.flows[fork[0]].share = Some(0.1 + 0.8 * rng.unit());
                    for &f in &fork[1..] {
                        map.flows[f].share = None;
                    }
                } else {
                    map.flows.pop();
                }
            }
        }
        let fresh = analyze_on(&map, today);
        let kept = analyze_on_with(&map, today, &mut memo);
        match (&fresh, &kept) {
            (Ok(a), Ok(b)) => {
                for (x, y) in a.weak_spots.iter().zip(&b.weak_spots) {
                    assert_eq!((&x.id, x.share.to_bits()), (&y.id, y.share.to_bits()), "round {round}, edit {what}");
                }
                assert_eq!(a, b, "round {round}, edit {what}");
            }
            (Err(a), Err(b)) => {
                // An edit the map refuses (a score on a step turned backstage,
                // a step left without flows) is not kept, as in the window.
                assert_eq!(a.to_string(), b.to_string(), "round {round}");
                map = before;
                continue;
            }
            _ => panic!("round {round}, edit {what}: one analysis refused the map and the other did not"),
        }
        kinds_kept[what] += 1;
        let (reused, of) = memo.reused();
        if what <= 4 {
            reused_on_scores += reused;
            intervals_on_scores += of;
        }
    }
    assert!(kinds_kept.iter().all(|&n| n > 0), "every kind of edit was kept at least once: {kinds_kept:?}");
    assert!(
        reused_on_scores * 2 > intervals_on_scores,
        "a moved score redoes most intervals: {reused_on_scores} of {intervals_on_scores} reused"
    );
}

/// On long paths the quadrature takes fewer nodes than the integrand's
/// degree (the rest is bounded below 1e-18). A one-path journey of 80 low
/// moments against its closed form, and a long branching map whose shares
/// must add up to the gain the raised map shows.
#[test]
fn shares_stay_exact_on_paths_too_long_to_integrate_by_degree() {
    // One path: a step's part of the worst term is the integral from its
    // score up to the lowest ceiling of 1 / (steps scoring below y); of the
    // best term, from the path's best up to its target of 1 / (steps whose
    // target exceeds y).
    let scores: Vec<f64> =
        (0..80).map(|i| [1.5, 2.0, 2.5, 3.0, 3.5, 4.5][i % 6] + if i % 7 == 0 { 0.2 } else { 0.0 }).collect();
    let map = one_path(&scores);
    let a = analyze(&map).unwrap();
    let (w, n) = (map.settings.end_weight, map.settings.negativity);
    let target = map.settings.standard;
    let ceiling = scores.iter().map(|&s| s.max(target)).fold(f64::INFINITY, f64::min);
    let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let integral = |from: f64, to: f64, count: &dyn Fn(f64) -> usize| {
        let mut cuts: Vec<f64> =
            scores.iter().copied().chain([from, to, target]).filter(|&y| y >= from && y <= to).collect();
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        cuts.windows(2).map(|c| (c[1] - c[0]) / count((c[0] + c[1]) / 2.0) as f64).sum::<f64>()
    };
    for (i, &s) in scores.iter().enumerate() {
        let id = format!("m{i}");
        let spot = a.weak_spots.iter().find(|x| x.id == id);
        if s >= target {
            assert!(spot.is_none(), "{id} meets its target");
            continue;
        }
        let worst = integral(s, ceiling, &|y| scores.iter().filter(|&&x| x < y).count());
        let best_part = integral(best, target, &|y| scores.iter().filter(|&&x| x < target && target > y).count());
        let end = if i + 1 == scores.len() { target - s } else { 0.0 };
        let expected = (1.0 - w) * (n * worst + best_part) / (n + 1.0) + w * end;
        let got = spot.map_or(0.0, |x| x.share);
        assert!((got - expected).abs() < EPS, "{id} ({s}): share {got} vs {expected}");
    }

    // A long branching map: every share sums to what raising them all gains.
    let mut map = waymark::synthetic::layered(3000, 3);
    map.settings.average_weight = 0.25;
    let a = analyze(&map).unwrap();
    let mut raised = map.clone();
    for step in &mut raised.steps {
        if let Some(s) = step.score {
            step.score = Some(s.max(step.target_or(&map.settings)));
        }
    }
    let all_met = analyze(&raised).unwrap().overall.unwrap();
    let shares: f64 = a.weak_spots.iter().map(|w| w.share).sum();
    assert!((all_met - a.overall.unwrap() - a.gain_if_all_met).abs() < EPS, "G is what the raised map gains");
    assert!((shares - a.gain_if_all_met).abs() < EPS, "the shares add up to G: {shares} vs {}", a.gain_if_all_met);
}

/// The claims office (issue 27): with a 2.0 payment and a 2.3 retold story
/// on every visit, fixing the story alone gains nothing, yet it is the
/// second thing to fix. The ranking by share says so, names the payment that
/// masks it, and charges the contact centre whose late call notes made the
/// customer tell the story again.
#[test]
fn a_claim_the_retold_story_is_not_hidden_by_the_worse_payment() {
    let map = waymark::interchange::read(include_str!("../fixtures/home-insurance-claim.json")).unwrap();
    let a = analyze(&map).unwrap();
    let ranked: Vec<&str> = a.weak_spots.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ranked[..3], ["final_payment", "story_retold", "closing_letter"], "{:#?}", a.weak_spots);
    let story = &a.weak_spots[1];
    assert!(story.impact.abs() < EPS, "fixing the story alone gains nothing: the payment is still the worst");
    assert!(story.share > 0.2, "{story:#?}");
    let masked = story.masked_by.as_ref().expect("the payment masks the story");
    assert_eq!(masked.id, "final_payment");
    assert!(masked.both > story.share, "fixing both gains more than the story's share: {masked:?}");
    assert!(
        story.why[0].starts_with(
            "2.3, masked by “Final payment received” at 2.0: fixing it alone gains +0.00, fixing both gains +0.5"
        ),
        "{:?}",
        story.why
    );
    assert!(
        story
            .why
            .iter()
            .any(|r| r == "Call notes passed to the adjuster (Contact centre) took 2 days against 60 min promised"),
        "{:?}",
        story.why
    );
    // Under the old question the letter, as the last moment, came before the story.
    let letter = &a.weak_spots[2];
    assert!(letter.impact > story.impact + 0.1 && letter.share < story.share);
    // The gain if all met, and the shares adding up to it.
    assert_eq!(
        format!("{:.2} → {:.2} (+{:.2})", a.overall.unwrap(), a.overall_if_all_met.unwrap(), a.gain_if_all_met),
        "3.27 → 4.11 (+0.84)"
    );
    // The contact centre scores well where the customer meets it, and carries the story's share.
    let contact = a.departments.iter().find(|d| d.id == "contact").unwrap();
    assert_eq!(contact.mean_score, Some(4.7));
    assert!((contact.caused_share - story.share).abs() < EPS, "{contact:#?}");
    let payments = a.departments.iter().find(|d| d.id == "finance").unwrap();
    assert!((payments.caused_share - a.weak_spots[0].share).abs() < EPS, "the late payment run carries the payment's");
}

/// The window writes durations with its own function (ui/src/lib/format.ts);
/// both are held to the same table.
#[test]
fn durations_read_as_the_shared_table_says() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/durations.json")).unwrap();
    let table: serde_json::Value = serde_json::from_str(&text).unwrap();
    for case in table["cases"].as_array().unwrap() {
        assert_eq!(waymark::analysis::duration(case[0].as_f64().unwrap()), case[1].as_str().unwrap(), "{case}");
    }
}
