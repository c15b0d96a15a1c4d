//! The command path of one workshop edit on a 500-step map: apply the edit,
//! store it with its undo record in one transaction, re-analyse, redraw.
//! Then analysing again after a score, from scratch and with the memo of
//! the analysis before, and storing a step added and undone on a 1,000-step
//! file. Run: `cargo bench --bench edit`.

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use criterion::{Criterion, criterion_group, criterion_main};
use waymark::analysis::analyze;
use waymark::edit::Edit;
use waymark::render::{DrawOptions, Routing, blueprint, blueprint_with};
use waymark::store::MapFile;

fn edit(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("bench.waymark");
    let mut map = waymark::synthetic::layered(500, 42);
    let mut file = MapFile::create(&path, &map).unwrap_or_else(|e| panic!("create: {e}"));
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
    let mut n = 0usize;
    // The next scored step gets a new score, as a plain edit or an amendment.
    let mut score_next = |amend: bool| {
        n += 1;
        let mut step = map.steps[scored[n % scored.len()]].clone();
        step.score = Some(1.0 + (n % 41) as f64 / 10.0);
        let edit = Edit::UpdateStep { step };
        map = if amend { file.amend(&map, &edit) } else { file.apply(&map, &edit) }
            .unwrap_or_else(|e| panic!("edit: {e}"));
        let analysis = analyze(&map).ok();
        blueprint(&map, analysis.as_ref(), &DrawOptions::default()).svg.len()
    };
    c.bench_function("edit/500-steps: score a step, store, analyse, draw", |b| b.iter(|| score_next(false)));
    // The decimal typed after a score key: folded into the edit just stored.
    c.bench_function("edit/500-steps: refine the score just typed (amend), analyse, draw", |b| {
        b.iter(|| score_next(true));
    });
}

/// Redrawing a 1,000-step map after a score, as the window does: afresh, and
/// keeping the connectors of the drawing before (nothing moved, so routing
/// is skipped).
fn redraw(c: &mut Criterion) {
    let mut map = waymark::synthetic::layered(1000, 42);
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
    let mut n = 0usize;
    let mut rescore = |map: &mut waymark::model::Map| {
        n += 1;
        map.steps[scored[n % scored.len()]].score = Some(1.0 + (n % 41) as f64 / 10.0);
        analyze(map).ok()
    };
    let options = DrawOptions::default();
    let mut group = c.benchmark_group("redraw/1000-steps after a score");
    group.bench_function("drawn afresh", |b| {
        b.iter(|| {
            let analysis = rescore(&mut map);
            blueprint(&map, analysis.as_ref(), &options).svg.len()
        });
    });
    let mut routing = Routing::default();
    group.bench_function("connectors kept", |b| {
        b.iter(|| {
            let analysis = rescore(&mut map);
            blueprint_with(&map, analysis.as_ref(), &options, &mut routing).svg.len()
        });
    });
    group.finish();

    // 10,000 steps, the analysis untimed: only the drawing, as the window
    // redraws after a score, its connectors kept.
    let mut map = waymark::synthetic::layered(10_000, 42);
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
    let mut n = 0usize;
    let mut routing = Routing::default();
    let mut group = c.benchmark_group("redraw/10000-steps after a score, analysis untimed");
    group.sample_size(10);
    group.bench_function("connectors kept", |b| {
        b.iter_batched_ref(
            || {
                n += 1;
                map.steps[scored[n % scored.len()]].score = Some(1.0 + (n % 41) as f64 / 10.0);
                let analysis = analyze(&map).ok();
                (map.clone(), analysis)
            },
            |(map, analysis)| blueprint_with(map, analysis.as_ref(), &options, &mut routing).svg.len(),
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();

    // A step added to 10,000 steps, drawn as the window draws a map that
    // large: an area around the new card (a window's view and one more on
    // every side). The layout moved, so the map is laid out and its
    // connectors routed again; the analysis is untimed.
    let base = waymark::synthetic::layered(10_000, 42);
    let mut routing = Routing::default();
    let mut n = 0usize;
    let mut group = c.benchmark_group("redraw/10000-steps after a step added, analysis untimed");
    group.sample_size(10);
    group.bench_function("an area", |b| {
        b.iter_batched_ref(
            || {
                n += 1;
                let mut map = base.clone();
                let mut step = map.steps[n % 50].clone();
                step.id = format!("one_more_step_{n}");
                step.title = "One more step".to_owned();
                map.steps.push(step);
                let analysis = analyze(&map).ok();
                (map, analysis)
            },
            |(map, analysis)| {
                let area = waymark::layout::Rect { x: 0.0, y: 0.0, w: 5_700.0, h: 3_600.0 };
                let options = DrawOptions { viewport: Some(area), ..DrawOptions::default() };
                blueprint_with(map, analysis.as_ref(), &options, &mut routing).svg.len()
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// Analysing a map again after a score, as the window does: from scratch,
/// and with the memo of the analysis before (`analyze_on_with`), which takes
/// the shares' intervals the score left as they were.
fn reanalyse(c: &mut Criterion) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
    for steps in [1_000, 10_000] {
        let mut map = waymark::synthetic::layered(steps, 42);
        let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
        let mut n = 0usize;
        // Scores move as a workshop moves them: the next scored step takes
        // one of the scores a facilitator types, 1.0 to 5.0.
        let mut rescore = move |map: &mut waymark::model::Map| {
            n += 1;
            map.steps[scored[(n * 7) % scored.len()]].score = Some(1.0 + (n % 9) as f64 / 2.0);
        };
        let mut group = c.benchmark_group(format!("reanalyse/{steps}-steps after a score"));
        group.sample_size(10);
        group.bench_function("from scratch", |b| {
            b.iter(|| {
                rescore(&mut map);
                waymark::analysis::analyze_on(&map, today).map(|a| a.remembered)
            });
        });
        let mut memo = waymark::analysis::Memo::default();
        group.bench_function("with the memo", |b| {
            b.iter(|| {
                rescore(&mut map);
                waymark::analysis::analyze_on_with(&map, today, &mut memo).map(|a| a.remembered)
            });
        });
        group.finish();
    }
}

/// Storing a step added to a 1,000-step file, and its undo: the edit and
/// its undo record in one transaction, as the window's quick entry does.
/// Until 2026-12-07 a step added or taken away rewrote every table.
fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("bench.waymark");
    let mut map = waymark::synthetic::layered(1_000, 42);
    let mut file = MapFile::create(&path, &map).unwrap_or_else(|e| panic!("create: {e}"));
    let mut step = map.steps[0].clone();
    step.id = "one_more_step".to_owned();
    step.title = "One more step".to_owned();
    let add = Edit::AddStep { step };
    c.bench_function("store/1000-steps: a step added, then undone", |b| {
        b.iter(|| {
            map = file.apply(&map, &add).unwrap_or_else(|e| panic!("add: {e}"));
            map = file.undo(&map).unwrap_or_else(|e| panic!("undo: {e}")).unwrap_or_else(|| panic!("nothing to undo"));
            map.steps.len()
        });
    });

    // A score on 10,000 steps: the edit checked against the map's rules
    // and stored, nothing else.
    let path = dir.path().join("bench-10000.waymark");
    let mut map = waymark::synthetic::layered(10_000, 42);
    let mut file = MapFile::create(&path, &map).unwrap_or_else(|e| panic!("create: {e}"));
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
    let mut n = 0usize;
    let mut group = c.benchmark_group("store/10000-steps");
    group.sample_size(20);
    group.bench_function("a score", |b| {
        b.iter(|| {
            n += 1;
            let mut step = map.steps[scored[n % scored.len()]].clone();
            step.score = Some(1.0 + (n % 41) as f64 / 10.0);
            map = file.apply(&map, &Edit::UpdateStep { step }).unwrap_or_else(|e| panic!("edit: {e}"));
            map.steps.len()
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = edit, redraw, reanalyse, store
}
criterion_main!(benches);
