//! Full analysis (validation included) of generated maps of 500, 1,000 and
//! 10,000 steps where every step forks 2–3 ways, so paths vastly outnumber
//! anything listable. Run: `cargo bench --bench analysis`. (100,000 steps
//! takes about 40 s since version 3's shares: see BENCHMARKS.md.)

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use waymark::analysis::analyze;
use waymark::synthetic::layered;

fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    for steps in [500, 1_000, 10_000] {
        let map = layered(steps, 42);
        group.bench_with_input(BenchmarkId::from_parameter(steps), &map, |b, map| {
            b.iter(|| analyze(std::hint::black_box(map)).map(|a| a.remembered));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = analysis
}
criterion_main!(benches);
