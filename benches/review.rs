//! Reviews on a 10,000-step map: taking one (freeze the map and its figures in
//! the file), and the summary the window recomputes after every edit (today's
//! figures, the comparison with the last review, the trend).
//! Run: `cargo bench --bench review`.

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use waymark::review::{Figures, ReviewSummary};
use waymark::store::MapFile;

fn review(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("bench.waymark");
    let map = waymark::synthetic::layered(10_000, 42);
    let mut file = MapFile::create(&path, &map).unwrap_or_else(|e| panic!("create: {e}"));
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut group = c.benchmark_group("review/10000-steps");
    group.sample_size(10);
    group.bench_function("take a review", |b| {
        b.iter(|| file.take_review("Bench", day, &[]).unwrap_or_else(|e| panic!("review: {e}")).seq);
    });
    let reviews = file.reviews().unwrap_or_else(|e| panic!("reviews: {e}"));
    let last = reviews.last().and_then(|r| file.snapshot(r.seq).ok().flatten());
    group.bench_function("summary from scratch (analysis, since the last review, trend)", |b| {
        b.iter(|| ReviewSummary::new(&map, reviews.clone(), last.as_ref(), day).trend.len());
    });
    // What the window adds to an edit: it analyses the map anyway.
    let now = Figures::of(&map, day);
    group.bench_function("summary on top of the view's analysis", |b| {
        b.iter(|| ReviewSummary::with_figures(&map, now.clone(), reviews.clone(), last.as_ref(), day).trend.len());
    });
    group.bench_function("read the last snapshot back", |b| {
        b.iter(|| file.snapshot(1).unwrap_or_else(|e| panic!("snapshot: {e}")).map(|s| s.map.steps.len()));
    });
    group.finish();
}

criterion_group!(benches, review);
criterion_main!(benches);
