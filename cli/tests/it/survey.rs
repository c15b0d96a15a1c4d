//! `waymark survey` as a user runs it, on the made-up claim surveys the
//! evidence crate ships (scripts/make-test-surveys.py) and, where
//! ../shared/data is present, the public airline passenger survey.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::tempdir;

fn waymark(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn data(name: &str) -> String {
    format!("{}/../evidence/tests/data/surveys/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn claim_map(dir: &Path) {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/home-insurance-claim.json");
    let out = waymark(&["import", fixture, "-o", "claim.waymark"], dir);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn applying_a_survey_sets_scores_keeps_the_workshops_and_stores_no_personal_data() {
    let dir = tempdir();
    claim_map(dir.path());
    let before = std::fs::read(dir.path().join("claim.waymark")).unwrap();
    let out = waymark(&["survey", "claim.waymark", &data("claim.csv"), "--na", "0", "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["respondents"], 60);
    let payment = report["steps"].as_array().unwrap().iter().find(|s| s["id"] == "final_payment").unwrap();
    assert_eq!(payment["n"], 57);
    let unbound: Vec<&str> = report["unbound"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(unbound.contains(&"E-mail") && unbound.contains(&"Comments"), "{unbound:?}");
    // Without --apply the map is untouched.
    assert_eq!(std::fs::read(dir.path().join("claim.waymark")).unwrap(), before);

    let out = waymark(&["survey", "claim.waymark", &data("claim.csv"), "--na", "0", "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Measure from claim.csv (60 respondents) (one edit: undo takes it back)"),
        "{}",
        text(&out)
    );
    let file = waymark::store::MapFile::open(&dir.path().join("claim.waymark")).unwrap();
    let map = file.load().unwrap();
    assert_eq!(file.history_depth().unwrap(), (1, 0));
    let step = map.step("final_payment").unwrap();
    let surveyed = step.surveyed.as_ref().unwrap();
    let mean = payment["mean"].as_f64().unwrap();
    assert_eq!(step.score, Some((mean * 10.0).round() / 10.0));
    assert_eq!((surveyed.n, surveyed.workshop_score), (57, Some(2.0)));
    assert_eq!(map.evidence[0].kind, waymark::model::EvidenceKind::Survey);
    // Nothing of a respondent's name, address, id or comment is in the file.
    drop(file);
    let bytes = std::fs::read(dir.path().join("claim.waymark")).unwrap();
    let haystack = String::from_utf8_lossy(&bytes);
    for personal in ["Customer 01", "customer01@example.org", "R_02731c9452", "Told my story twice", "0612345678"] {
        assert!(!haystack.contains(personal), "the map file holds \"{personal}\"");
    }
    let mut file = waymark::store::MapFile::open(&dir.path().join("claim.waymark")).unwrap();
    let undone = file.undo(&map).unwrap().unwrap();
    assert_eq!(undone.step("final_payment").unwrap().score, Some(2.0));
    assert!(undone.evidence.is_empty() && undone.step("final_payment").unwrap().surveyed.is_none());
}

#[test]
fn bad_surveys_are_refused_by_column_or_line_and_the_map_is_unchanged() {
    let dir = tempdir();
    claim_map(dir.path());
    let before = std::fs::read(dir.path().join("claim.waymark")).unwrap();
    let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
    write("off.csv", "Closing letter,Final payment received\n4,3\n7,2\n");
    write("backstage.csv", "Closing letter,Call notes passed to the adjuster\n4,3\n");
    write("nothing.csv", "Colour,Size\nred,3\n");
    write("one.csv", "Closing letter,Happy\n4,yes\n3,yes\n");
    for (args, expected) in [
        (vec!["off.csv", "--apply"], "off.csv, line 3, column Closing letter: 7 is outside the scale 1-5"),
        (vec!["backstage.csv", "--apply"], "column Call notes passed to the adjuster: it binds to step \"call_notes\""),
        (vec!["nothing.csv", "--apply"], "no column binds to a step of the map"),
        (vec!["one.csv", "--overall", "Happy", "--apply"], "column Happy: the overall outcome has 1 value only"),
        (vec!["missing.csv", "--apply"], "missing.csv"),
        (vec!["off.csv", "--scale", "5-1"], "--scale: the scale 5-1 must run from a lower number to a higher one"),
    ] {
        let mut all = vec!["survey", "claim.waymark"];
        all.extend(args);
        let out = waymark(&all, dir.path());
        assert!(!out.status.success(), "{all:?} must be refused");
        assert!(text(&out).contains(expected), "{all:?}: {}", text(&out));
        assert!(!text(&out).contains("panicked"));
        assert_eq!(std::fs::read(dir.path().join("claim.waymark")).unwrap(), before, "{all:?} changed the map");
    }
}

/// The public airline survey on a flight whose steps are its items: the fit
/// does at least as well as the average alone, and --apply-weights stores
/// the fitted weights with where they came from, as one edit.
#[test]
fn the_airline_survey_calibrates_the_model_and_the_weights_apply_as_one_edit() {
    let file =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/surveys/airline-passenger-satisfaction-test.csv");
    let survey = match std::env::var("WAYMARK_SHARED_DATA") {
        Ok(d) => format!("{d}/surveys/airline-passenger-satisfaction-test.csv"),
        Err(_) => file.to_owned(),
    };
    if !Path::new(&survey).exists() {
        eprintln!("no airline survey at {survey}: skipped");
        return;
    }
    let dir = tempdir();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/airline-flight.json");
    assert!(waymark(&["import", fixture, "-o", "flight.waymark"], dir.path()).status.success());
    let args =
        ["survey", "flight.waymark", &survey, "--na", "0", "--overall", "satisfaction", "--positive", "satisfied"];
    let out = waymark(&[&args[..], &["--json"]].concat(), dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &report["calibration"];
    assert_eq!(c["respondents"], 25_976);
    assert_eq!(c["metric"], "auc");
    let (fitted, average) = (c["fitted"]["cv"].as_f64().unwrap(), c["average_only"]["cv"].as_f64().unwrap());
    assert!(fitted >= average - 0.005, "fitted {fitted} against the average alone {average}");
    assert!(c["version2"]["cv"].as_f64().unwrap() < 0.72);
    let out = waymark(&[&args[..], &["--apply-weights"]].concat(), dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("with λ = 1 the end weight and negativity make no difference"), "{}", text(&out));
    let file = waymark::store::MapFile::open(&dir.path().join("flight.waymark")).unwrap();
    let map = file.load().unwrap();
    assert_eq!(file.history_depth().unwrap(), (1, 0));
    assert!((map.settings.average_weight - c["fitted"]["average_weight"].as_f64().unwrap()).abs() < 1e-12);
    let note = map.calibration.as_ref().unwrap();
    assert_eq!((note.respondents, note.metric.as_str()), (25_976, "auc"));
}

#[test]
fn analyze_says_how_sure_the_ranking_is_only_where_scores_rest_on_samples() {
    let dir = tempdir();
    claim_map(dir.path());
    // Typed scores: the analysis as ever, and why there is no certainty.
    let out = waymark(&["analyze", "claim.waymark", "--certainty", "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(a["no_certainty"].as_str().unwrap().starts_with("nothing to resample"), "{a}");
    assert!(a["weak_spots"][0].get("p_first").is_none(), "no made-up certainty");

    let out = waymark(&["survey", "claim.waymark", &data("claim.csv"), "--na", "0", "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let run = |seed: &str| {
        let out = waymark(
            &["analyze", "claim.waymark", "--certainty", "--resamples", "300", "--seed", seed, "--json"],
            dir.path(),
        );
        assert!(out.status.success(), "{}", text(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let a = run("5");
    assert_eq!(a["certainty"]["resamples"], 300);
    assert_eq!(a["certainty"]["drawn"][0], "60 respondents of claim.csv");
    let first = &a["weak_spots"][0];
    let p = first["p_first"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p) && first["p_top3"].as_f64().unwrap() >= p, "{first}");
    assert!(first["rank_interval"][0].as_u64().unwrap() >= 1);
    assert_eq!(run("5"), a, "the same seed gives the same figures");
    let out = waymark(&["analyze", "claim.waymark", "--certainty", "--resamples", "300"], dir.path());
    assert!(text(&out).contains("How sure the ranking is (300 resamples, seed 1)"), "{}", text(&out));
    assert!(text(&out).contains("of resamples"), "{}", text(&out));
}

#[test]
fn the_scores_and_the_weights_undo_one_after_the_other() {
    let dir = tempdir();
    claim_map(dir.path());
    let args = [
        "survey",
        "claim.waymark",
        &data("claim.csv"),
        "--na",
        "0",
        "--overall",
        "Would recommend",
        "--positive",
        "yes",
    ];
    let out = waymark(&[&args[..], &["--apply", "--apply-weights"]].concat(), dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let mut file = waymark::store::MapFile::open(&dir.path().join("claim.waymark")).unwrap();
    let map = file.load().unwrap();
    assert_eq!(file.history_depth().unwrap(), (2, 0));
    let unweighted = file.undo(&map).unwrap().unwrap();
    assert!(unweighted.calibration.is_none());
    let workshop = file.undo(&unweighted).unwrap().unwrap();
    assert!(workshop.answers.is_empty() && workshop.steps.iter().all(|s| s.surveyed.is_none()));
}

#[test]
fn a_survey_applied_reads_back_as_it_was_written() {
    let dir = tempdir();
    claim_map(dir.path());
    let path = dir.path().join("claim.waymark");
    let mut file = waymark::store::MapFile::open(&path).unwrap();
    let map = file.load().unwrap();
    let options = waymark_evidence::survey::SurveyOptions {
        na: vec!["0".into()],
        overall: Some("Would recommend".into()),
        positive: Some("yes".into()),
        ..Default::default()
    };
    let s = waymark_evidence::survey::Survey::read(std::path::Path::new(&data("claim.csv")), &map, &options).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let edit = waymark::edit::Edit::Measure { measured: Box::new(s.as_edit(&map, day)) };
    let applied = file.apply(&map, &edit).unwrap();
    let reread = file.load().unwrap();
    assert_eq!(reread.answers, applied.answers);
    assert_eq!(reread.steps, applied.steps);
    assert_eq!(reread, applied);
}

#[test]
fn the_pdf_brief_says_how_sure_the_ranking_is_once_scores_rest_on_a_survey() {
    let dir = tempdir();
    claim_map(dir.path());
    let brief = |dir: &Path| {
        let out = waymark(&["export", "claim.waymark", "--pdf", "brief.pdf"], dir);
        assert!(out.status.success(), "{}", text(&out));
        let pdf = Command::new("pdftotext").arg(dir.join("brief.pdf")).arg("-").output().expect("pdftotext");
        String::from_utf8_lossy(&pdf.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(!brief(dir.path()).contains("resamples"), "typed scores: no made-up certainty");
    let out = waymark(&["survey", "claim.waymark", &data("claim.csv"), "--na", "0", "--apply"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let words = brief(dir.path());
    assert!(words.contains("of 1000 resamples (60 respondents of claim.csv)"), "{words}");
}
