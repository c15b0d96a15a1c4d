//! How sure the ranking is, on a 200-step map whose frontstage scores come
//! from a survey of 2,000 respondents: 1,000 resamples, each recomputing the
//! scores and ranking the weak spots (issue 23's target: under 1 s).

use criterion::{Criterion, criterion_group, criterion_main};
use waymark::model::{Answer, EvidenceKind, EvidenceSource, SurveyAnswers, Surveyed, Visibility};
use waymark_evidence::certainty::{Options, certainty};

/// The generated map, its frontstage scores replaced by a survey's means.
fn surveyed_map(steps: usize, respondents: usize) -> waymark::Map {
    let mut map = waymark::synthetic::layered(steps, 11);
    let front: Vec<usize> =
        (0..map.steps.len()).filter(|&s| map.steps[s].visibility == Visibility::Frontstage).collect();
    let mut seed = 0x5eed_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut answers = Vec::with_capacity(respondents);
    for _ in 0..respondents {
        let ratings = front
            .iter()
            .map(|&s| {
                if next() % 4 == 0 {
                    return None;
                }
                let typical = map.steps[s].score.unwrap_or(3.0);
                #[allow(clippy::cast_precision_loss, reason = "a small number")]
                let noise = (next() % 5) as f64 - 2.0;
                Some((typical + noise * 0.6).round().clamp(1.0, 5.0))
            })
            .collect();
        answers.push(Answer { ratings, overall: None, segment: None });
    }
    for (c, &s) in front.iter().enumerate() {
        let v: Vec<f64> = answers.iter().filter_map(|a| a.ratings[c]).collect();
        let (mean, sd, interval) = waymark_evidence::stats::mean_sd_interval(&v);
        let step = &mut map.steps[s];
        step.score = Some(((mean * 10.0).round() / 10.0).clamp(1.0, 5.0));
        step.follows_ratings = false;
        step.ratings.clear();
        step.surveyed = Some(Surveyed {
            n: u32::try_from(v.len()).unwrap_or(u32::MAX),
            mean,
            sd,
            interval,
            source: 0,
            workshop_score: None,
        });
    }
    map.evidence = vec![EvidenceSource {
        kind: EvidenceKind::Survey,
        file: "generated.csv".into(),
        sha256: "0".repeat(64),
        count: u32::try_from(respondents).unwrap_or(u32::MAX),
        span: None,
        read_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default(),
    }];
    map.answers = vec![SurveyAnswers {
        source: 0,
        steps: front.iter().map(|&s| map.steps[s].id.clone()).collect(),
        respondents: answers,
    }];
    map
}

fn bench(c: &mut Criterion) {
    let map = surveyed_map(200, 2000);
    let mut group = c.benchmark_group("certainty");
    group.sample_size(10);
    group.bench_function("200 steps, 2000 respondents, 1000 resamples", |b| {
        b.iter(|| certainty(&map, &Options { resamples: 1000, seed: 1 }).map(|c| c.steps.len()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
