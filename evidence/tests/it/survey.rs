//! Survey exports read, bound and scored; the calibration against an
//! independent implementation (scripts/survey-reference.py, pandas and
//! SciPy) on the public airline survey.

use serde_json::Value;
use waymark_evidence::calibrate::calibrate;
use waymark_evidence::survey::{Scale, StepFigures, Survey, SurveyOptions};

use crate::support::{data, shared_in};

fn map_of(fixture: &str) -> waymark::Map {
    let path = format!("{}/../tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    waymark::interchange::read(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn figures(s: &Survey, map: &waymark::Map) -> Vec<(String, u32, String, String)> {
    s.step_figures(map, |_| true)
        .into_iter()
        .map(|f: StepFigures| (f.id, f.n, format!("{:.9}", f.mean), format!("{:.9?}", f.interval)))
        .collect()
}

#[test]
fn the_same_answers_read_alike_from_csv_xlsx_qualtrics_and_google_forms() {
    let map = map_of("home-insurance-claim.json");
    let numbers = SurveyOptions { na: vec!["0".into()], ..SurveyOptions::default() };
    let csv = Survey::read(&data("surveys/claim.csv"), &map, &numbers).unwrap();
    assert_eq!(csv.answering(), 60);
    let expected = figures(&csv, &map);
    assert_eq!(expected.len(), 8, "every frontstage step but the cash offer has a column");
    let xlsx = Survey::read(&data("surveys/claim.xlsx"), &map, &numbers).unwrap();
    assert_eq!(figures(&xlsx, &map), expected);
    let qualtrics = Survey::read(&data("surveys/claim-qualtrics.csv"), &map, &numbers).unwrap();
    assert!(qualtrics.qualtrics);
    assert_eq!(figures(&qualtrics, &map), expected);
    let words = SurveyOptions {
        scale: Scale::parse("Very poor, Poor, Fair, Good, Excellent").unwrap(),
        na: vec!["Not applicable".into()],
        ..SurveyOptions::default()
    };
    let forms = Survey::read(&data("surveys/claim-forms.csv"), &map, &words).unwrap();
    assert_eq!(figures(&forms, &map), expected);
    // A 0-10 scale rescales onto 1..5: 10 is 5, 0 is 1, 5 is 3.
    assert_eq!(Scale::parse("0-10").unwrap(), Scale::Range { low: 0.0, high: 10.0 });
}

#[test]
fn an_outcome_in_words_needs_its_positive_value_and_too_little_is_said() {
    let map = map_of("home-insurance-claim.json");
    let mut options =
        SurveyOptions { na: vec!["0".into()], overall: Some("Would recommend".into()), ..SurveyOptions::default() };
    let err = Survey::read(&data("surveys/claim.csv"), &map, &options).unwrap_err().to_string();
    assert!(err.contains("say which is positive with --positive"), "{err}");
    options.positive = Some("yes".into());
    let s = Survey::read(&data("surveys/claim.csv"), &map, &options).unwrap();
    let c = calibrate(&s, &map, |_| true).unwrap();
    assert_eq!((c.respondents, c.metric), (60, "auc"));
    // A numeric outcome is scored by Pearson's correlation.
    options.overall = Some("Overall (1-10)".into());
    options.positive = None;
    let s = Survey::read(&data("surveys/claim.csv"), &map, &options).unwrap();
    let c = calibrate(&s, &map, |_| true).unwrap();
    assert_eq!(c.metric, "pearson");
    assert!(c.fitted.score > 0.5, "{c:?}");
    // Too few respondents: no weights, and why.
    let some = calibrate(&s, &map, |r| r.segment.is_none() && r.ratings.len() == 8 && r.overall.unwrap_or(0.0) > 7.0);
    assert!(some.unwrap_err().to_string().contains("too little to fit"));
}

/// Every figure of the contract against scripts/survey-reference.py, run
/// once on the public survey and committed.
#[test]
fn the_airline_survey_agrees_with_the_independent_reference() {
    let Some(path) = shared_in("surveys", "airline-passenger-satisfaction-test.csv") else { return };
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(data("surveys/airline-reference.json")).unwrap()).unwrap();
    let map = map_of("airline-flight.json");
    let options = SurveyOptions {
        na: vec!["0".into()],
        overall: Some("satisfaction".into()),
        positive: Some("satisfied".into()),
        ..SurveyOptions::default()
    };
    let s = Survey::read(&path, &map, &options).unwrap();
    assert_eq!(s.sha256, reference["sha256"].as_str().unwrap(), "the reference was computed from this very file");
    assert_eq!(s.answering() as u64, reference["respondents"].as_u64().unwrap());
    let close =
        |a: f64, b: &Value, what: &str| assert!((a - b.as_f64().unwrap()).abs() < 1e-9, "{what}: {a} against {b}");
    let ours = s.step_figures(&map, |_| true);
    for r in reference["steps"].as_array().unwrap() {
        let f = ours.iter().find(|f| f.id == r["id"].as_str().unwrap()).unwrap();
        assert_eq!(u64::from(f.n), r["n"].as_u64().unwrap(), "{}", f.id);
        close(f.mean, &r["mean"], "mean");
        close(f.sd, &r["sd"], "sd");
        let [lo, hi] = f.interval.unwrap();
        close(lo, &r["interval"][0], "interval");
        close(hi, &r["interval"][1], "interval");
    }
    let c = calibrate(&s, &map, |_| true).unwrap();
    let rc = &reference["calibration"];
    assert_eq!(c.respondents as u64, rc["respondents"].as_u64().unwrap());
    close(c.fitted.weights.average_weight, &rc["fitted"]["average_weight"], "λ");
    close(c.fitted.weights.end_weight, &rc["fitted"]["end_weight"], "w");
    close(c.fitted.weights.negativity, &rc["fitted"]["negativity"], "n");
    for (ours, theirs, what) in [
        (c.fitted.cv, &rc["fitted"]["cv"], "fitted cv"),
        (c.fitted.score, &rc["fitted"]["score"], "fitted score"),
        (c.average_only.cv, &rc["average_only"]["cv"], "average cv"),
        (c.average_only.score, &rc["average_only"]["score"], "average score"),
        (c.version2.cv, &rc["version2"]["cv"], "version 2 cv"),
        (c.version2.score, &rc["version2"]["score"], "version 2 score"),
    ] {
        close(ours, theirs, what);
    }
    assert!(c.fitted.cv >= c.average_only.cv - 0.005);
}

#[test]
fn tab_separated_answers_bind_by_a_mapping_file_and_a_question_row() {
    let map = map_of("home-insurance-claim.json");
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("answers.tsv");
    std::fs::write(&tsv, "Q7\tHow was it? - Closing letter\tName\n2\t4\tAnn\n4\t5\tBo\n").unwrap();
    let mapping = dir.path().join("mapping.csv");
    std::fs::write(&mapping, "column,step\nQ7,final_payment\n").unwrap();
    // By name alone, only the "Question - Row" header binds.
    let s = Survey::read(&tsv, &map, &SurveyOptions::default()).unwrap();
    let f = s.step_figures(&map, |_| true);
    assert_eq!(f.iter().map(|f| (f.id.as_str(), f.n)).collect::<Vec<_>>(), [("closing_letter", 2)]);
    assert_eq!(s.unbound(), ["Q7", "Name"]);
    // A mapping file binds what it names, and only that.
    let pairs = waymark_evidence::bind::read_pairs(&mapping, &map, "column").unwrap();
    let s = Survey::read(&tsv, &map, &SurveyOptions { mapping: Some(pairs), ..SurveyOptions::default() }).unwrap();
    let f = s.step_figures(&map, |_| true);
    assert_eq!(f.iter().map(|f| (f.id.as_str(), f.mean)).collect::<Vec<_>>(), [("final_payment", 3.0)]);
    // A mapping naming a step the map lacks is refused by line.
    std::fs::write(&mapping, "Q7,final_paymnet\n").unwrap();
    let err = waymark_evidence::bind::read_pairs(&mapping, &map, "column").unwrap_err().to_string();
    assert!(
        err.contains("mapping.csv, line 1: the map has no step \"final_paymnet\" (did you mean \"final_payment\"?)"),
        "{err}"
    );
}
