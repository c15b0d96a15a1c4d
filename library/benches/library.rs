//! The library on a throwaway PostgreSQL on loopback (Debian's package, as
//! the tests start it): an edit of a 500-step map (lock the row, append to
//! the log, replace the map, commit), opening a 500-step map for editing,
//! and pushing a 10,000-step map. The server syncs every commit to disk. Run: `cargo bench --bench library`.

#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark program")]

#[path = "../tests/it/pg.rs"]
#[allow(dead_code, reason = "shared with the tests, which use all of it")]
mod pg;

use criterion::{Criterion, criterion_group, criterion_main};
use waymark::edit::Edit;
use waymark::storage::Storage;
use waymark::store::Archive;
use waymark_library::Library;

fn library(c: &mut Criterion) {
    let server = pg::Server::start_durable();
    let url = server.database("bench");
    let (mut lib, _) = Library::init(&url).unwrap();
    let map = waymark::synthetic::layered(500, 42);
    lib.push(&Archive::of(map.clone()), "five-hundred").unwrap();
    let mut editing = Library::open(&url).unwrap().edit("five-hundred").unwrap();
    let scored: Vec<usize> = (0..map.steps.len()).filter(|&i| map.steps[i].score.is_some()).collect();
    let mut n = 0usize;
    // The n-th edit: another score of another step, so each one stores something.
    let rescore = move |editing: &waymark_library::Editing, n: usize| {
        let mut step = editing.map().steps[scored[n % scored.len()]].clone();
        #[allow(clippy::cast_precision_loss, reason = "a small counter")]
        let score = 1.0 + (n % 41) as f64 / 10.0;
        step.score = Some(score);
        Edit::UpdateStep { step }
    };
    c.bench_function("library/500-steps: score a step (one edit, stored)", |b| {
        b.iter(|| {
            n += 1;
            editing.apply(&rescore(&editing, n)).unwrap().steps.len()
        });
    });
    // Another window's edit as this one sees it: the commit, the NOTIFY
    // reaching this window's listener, and the catch-up that reads it.
    let mut watching: Box<dyn Storage> = Box::new(Library::open(&url).unwrap().edit("five-hundred").unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let _watch = watching.watch(Box::new(move || {
        let _ = tx.send(());
    }));
    std::thread::sleep(std::time::Duration::from_millis(500));
    c.bench_function("library/500-steps: another's edit seen by a second window", |b| {
        b.iter(|| {
            n += 1;
            editing.apply(&rescore(&editing, n)).unwrap();
            rx.recv().unwrap();
            while rx.try_recv().is_ok() {}
            watching.refresh().unwrap()
        });
    });
    c.bench_function("library/500-steps: open for editing", |b| {
        b.iter(|| Library::open(&url).unwrap().edit("five-hundred").unwrap().version());
    });
    let big = Archive::of(waymark::synthetic::layered(10_000, 42));
    let mut k = 0usize;
    let mut group = c.benchmark_group("library/10000-steps");
    group.sample_size(10);
    group.bench_function("push", |b| {
        b.iter(|| {
            k += 1;
            lib.push(&big, &format!("big-{k}")).unwrap();
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = library
}
criterion_main!(benches);
