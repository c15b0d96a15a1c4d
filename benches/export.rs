//! Export: the PDF report of the largest sample and of a generated
//! 1,000-step map, and the SVG drawing alone. Run: `cargo bench --bench export`.
//! `scripts/bench-chromium-pdf.sh` prints the same drawing to PDF with headless
//! Chromium for comparison (see BENCHMARKS.md).

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use criterion::{Criterion, criterion_group, criterion_main};
use waymark::analysis::analyze;
use waymark::model::Map;
use waymark::render::{DrawOptions, blueprint};
use waymark::report::{Paper, ReportOptions, pdf};

fn largest_sample() -> Map {
    waymark::samples::ALL
        .iter()
        .filter_map(|s| waymark::interchange::read(s.json).ok())
        .max_by_key(|m| m.steps.len())
        .unwrap_or_else(|| Map::new("empty"))
}

fn export(c: &mut Criterion) {
    let options =
        ReportOptions { paper: Paper::A3, date: "2026-11-22".into(), author: None, review: None, certainty: None };
    let sample = largest_sample();
    let generated = waymark::synthetic::layered(1_000, 42);
    let mut group = c.benchmark_group("export");
    group.bench_function("pdf/largest-sample", |b| {
        b.iter(|| pdf(std::hint::black_box(&sample), &options).map(|p| p.len()))
    });
    group.bench_function("pdf/1000-steps", |b| {
        b.iter(|| pdf(std::hint::black_box(&generated), &options).map(|p| p.len()))
    });
    group.bench_function("svg/1000-steps", |b| {
        b.iter(|| {
            let a = analyze(&generated).ok();
            blueprint(std::hint::black_box(&generated), a.as_ref(), &DrawOptions::default()).svg.len()
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = export
}
criterion_main!(benches);
