//! How sure the ranking is: resampled from survey answers and participants'
//! ratings, seeded, and silent where every score was typed.

use waymark::edit::{Edit, apply};
use waymark::model::Rating;
use waymark_evidence::certainty::{NoCertainty, Options, certainty};
use waymark_evidence::survey::{Survey, SurveyOptions};

use crate::support::data;

fn claim() -> waymark::Map {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/home-insurance-claim.json");
    waymark::interchange::read(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn surveyed(csv: &str) -> waymark::Map {
    let map = claim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.csv");
    std::fs::write(&path, csv).unwrap();
    let s = Survey::read(&path, &map, &SurveyOptions::default()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    apply(&map, &Edit::Measure { measured: Box::new(s.as_edit(&map, day)) }).unwrap()
}

#[test]
fn typed_scores_have_nothing_to_resample() {
    assert_eq!(certainty(&claim(), &Options::default()).unwrap_err(), NoCertainty::NoSamples);
}

#[test]
fn answers_without_spread_leave_the_ranking_certain() {
    // Forty customers who all say the same: every resample is the map.
    let mut csv = String::from("Final payment received,Closing letter\n");
    for _ in 0..40 {
        csv.push_str("1,2\n");
    }
    let map = surveyed(&csv);
    let c = certainty(&map, &Options { resamples: 200, seed: 7 }).unwrap();
    let base = waymark::analysis::analyze(&map).unwrap();
    assert_eq!(c.steps.len(), base.weak_spots.len());
    for (s, w) in c.steps.iter().zip(&base.weak_spots) {
        assert_eq!(s.id, w.id);
        assert_eq!(s.rank_interval, [w.rank, w.rank], "{}", s.id);
        assert_eq!(s.p_first, if w.rank == 1 { 1.0 } else { 0.0 });
    }
    assert!(c.too_close.is_empty());
    assert_eq!(c.drawn, ["40 respondents of answers.csv"]);
}

#[test]
fn close_scores_are_too_close_to_order_and_the_seed_repeats_the_figures() {
    // The payment and the retold story, both about 2 with a wide spread and
    // only twelve answers each: their order is an accident of who answered.
    let mut csv = String::from("Final payment received,Adjuster's visit: the whole story told again\n");
    for (a, b) in [(1, 3), (3, 1), (2, 2), (1, 2), (3, 3), (2, 1), (1, 3), (3, 2), (2, 3), (2, 1), (3, 1), (1, 2)] {
        csv.push_str(&format!("{a},{b}\n"));
    }
    let map = surveyed(&csv);
    let options = Options { resamples: 500, seed: 42 };
    let c = certainty(&map, &options).unwrap();
    let ids = |p: &waymark::analysis::certainty::TooClose| [p.first.clone(), p.second.clone()];
    assert!(
        c.too_close.iter().any(|p| {
            let pair = ids(p);
            pair.contains(&"final_payment".to_owned()) && pair.contains(&"story_retold".to_owned())
        }),
        "{:#?}",
        c.too_close
    );
    let first = &c.steps[0];
    assert!(first.p_first > 0.2 && first.p_first < 0.9, "{first:?}");
    assert!(first.p_top3 >= first.p_first);
    // The same seed: the same figures; another seed: others.
    assert_eq!(certainty(&map, &options).unwrap(), c);
    assert_ne!(certainty(&map, &Options { seed: 43, ..options }).unwrap().steps, c.steps);
    let words = c.words(&waymark::analysis::analyze(&map).unwrap()).join(" ");
    assert!(words.contains("too close to order"), "{words}");
}

#[test]
fn participants_ratings_are_samples_when_the_score_follows_them() {
    let mut map = claim();
    map.workshop.participants = (0..4).map(|i| format!("P{i}")).collect();
    let step = map.steps.iter_mut().find(|s| s.id == "closing_letter").unwrap();
    step.ratings = [1.0, 5.0, 1.5, 4.5]
        .iter()
        .enumerate()
        .map(|(i, &score)| Rating { participant: format!("P{i}"), score })
        .collect();
    step.follows_ratings = true;
    step.score = step.rating_mean();
    let c = certainty(&map, &Options { resamples: 300, seed: 1 }).unwrap();
    assert_eq!(c.drawn, ["the participants' ratings of 1 step"]);
    // A typed score beside the same ratings is no sample.
    let mut typed = map.clone();
    typed.steps.iter_mut().find(|s| s.id == "closing_letter").unwrap().follows_ratings = false;
    assert_eq!(certainty(&typed, &Options::default()).unwrap_err(), NoCertainty::NoSamples);
}

#[test]
fn a_survey_applied_keeps_its_answers_and_nothing_personal() {
    let map = claim();
    let options = SurveyOptions { na: vec!["0".into()], ..SurveyOptions::default() };
    let s = Survey::read(&data("surveys/claim.csv"), &map, &options).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let after = apply(&map, &Edit::Measure { measured: Box::new(s.as_edit(&map, day)) }).unwrap();
    assert_eq!(after.answers.len(), 1);
    assert_eq!(after.answers[0].respondents.len(), 60);
    assert_eq!(after.answers[0].steps.len(), 8);
    let json = waymark::interchange::write(&after);
    for personal in ["Customer 01", "customer01@example.org", "Told my story"] {
        assert!(!json.contains(personal), "{personal}");
    }
    // Applying it again replaces the answers rather than adding a second set.
    let again = apply(&after, &Edit::Measure { measured: Box::new(s.as_edit(&after, day)) }).unwrap();
    assert_eq!((again.answers.len(), again.evidence.len()), (1, 1));
    assert!(certainty(&again, &Options { resamples: 50, seed: 3 }).is_ok());
}

#[test]
fn each_segment_ranks_its_own_weak_spots_and_says_where_they_differ() {
    let map = claim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.csv");
    // Phone customers suffer the payment, web customers the closing letter.
    let mut csv = String::from("Final payment received,Closing letter,Channel\n");
    for _ in 0..20 {
        csv.push_str("1,5,phone\n");
    }
    for _ in 0..10 {
        csv.push_str("5,1,web\n");
    }
    std::fs::write(&path, csv).unwrap();
    let options = SurveyOptions { segment: Some("Channel".into()), ..SurveyOptions::default() };
    let s = Survey::read(&path, &map, &options).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let map = apply(&map, &Edit::Measure { measured: Box::new(s.as_edit(&map, day)) }).unwrap();
    let base = waymark::analysis::analyze(&map).unwrap();
    let segments = waymark::analysis::segments::segment_spots(&map, &base);
    let summary: Vec<(&str, u32, &str)> =
        segments.iter().map(|s| (s.value.as_str(), s.respondents, s.weak_spots[0].as_str())).collect();
    assert_eq!(summary, [("phone", 20, "final_payment"), ("web", 10, "closing_letter")]);
    assert!(segments.iter().any(|s| s.differs));
    let words = segments[1].words(&map);
    assert!(words.starts_with("web (10 respondents): Closing letter"), "{words}");
}

/// A log's cases are samples: the measured shares are resampled from them,
/// and the map keeps nothing of a case but its entry and its measured flows.
#[test]
fn the_cases_of_a_measured_log_are_resampled_for_the_shares() {
    use waymark_evidence::bind::Binding;
    let mut map = crate::measure::claims_map();
    for (id, score) in [("report", 4.5), ("visit", 3.0), ("repairs", 2.6), ("cash", 2.5), ("letter", 3.6)] {
        map.steps.iter_mut().find(|s| s.id == id).unwrap().score = Some(score);
    }
    assert_eq!(certainty(&map, &Options::default()).unwrap_err(), NoCertainty::NoSamples);
    let log = crate::support::read(&data("logs/claims.xes.gz"));
    let binding = Binding::new(&log.activities, &map, None);
    let m = waymark_evidence::measure::measure(&map, &log, &binding, false);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let map = apply(&map, &Edit::Measure { measured: Box::new(m.as_edit(day)) }).unwrap();
    let kept = &map.cases[0];
    assert!(kept.cases.len() <= 240 && kept.cases.len() > 200, "{}", kept.cases.len());
    assert!(kept.flows.iter().any(|[a, b]| a == "visit" && b == "repairs"));
    let c = certainty(&map, &Options { resamples: 300, seed: 9 }).unwrap();
    assert_eq!(c.drawn, [format!("{} cases of claims.xes.gz", kept.cases.len())]);
    // Repairs and cash differ by 0.1 and their shares by chance: the ranking
    // between them moves from resample to resample.
    let repairs = c.of("repairs").unwrap();
    assert!(repairs.rank_interval[0] <= repairs.rank_interval[1]);
    let json = waymark::interchange::write(&map);
    assert!(!json.contains("claim-1") && !json.contains("time:timestamp"), "no case id or attribute kept");
}
