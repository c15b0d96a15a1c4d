//! A portfolio of 50 generated journeys of 100 steps each, as `.waymark`
//! files in a folder: read every file (without locks), analyse each map and
//! sum the departments, journeys, weak spots and matrix.
//! Run: `cargo bench --bench portfolio`.

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use criterion::{Criterion, criterion_group, criterion_main};
use waymark::portfolio::{folder, portfolio};
use waymark::store::MapFile;

fn read_and_summarise(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    for i in 0..50u64 {
        let mut map = waymark::synthetic::layered(100, i);
        map.title = format!("Journey {i}");
        map.volume = Some(u32::try_from(100 + i * 731).unwrap_or(1));
        let path = dir.path().join(format!("journey-{i:02}.waymark"));
        MapFile::create(&path, &map).unwrap_or_else(|e| panic!("create: {e}"));
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
    c.bench_function("portfolio/50 maps × 100 steps: read the folder and summarise", |b| {
        b.iter(|| {
            let read = folder(dir.path()).unwrap_or_else(|e| panic!("read: {e}"));
            let summary = portfolio(read, today);
            assert_eq!(summary.journeys.len(), 50);
            summary.departments.len()
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = read_and_summarise
}
criterion_main!(benches);
