//! Periodic reviews, internal agreements, the service charter and
//! commitments, as a team at its review meeting would check them.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use waymark::analysis::{PromiseVerdict, analyze, analyze_on};
use waymark::edit::Edit;
use waymark::model::{CommitmentStatus, PainStatus, SlaStatus};
use waymark::review::{self, Figures, Side};
use waymark::store::MapFile;

use crate::support::{samples, tempdir};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn licence() -> waymark::Map {
    samples()[0].1.clone()
}

#[test]
fn charter_promises_are_checked_against_the_handoffs_that_feed_them() {
    let a = analyze(&licence()).unwrap();
    let verdict = |id: &str| a.charter.iter().find(|c| c.id == id).unwrap();
    // Eyesight: the booth promises the customer 1 minute, but the test result
    // reaches IT on a 2-minute agreement.
    let eyes = verdict("ch_eyesight");
    assert_eq!(eyes.verdict, PromiseVerdict::CannotBeMet);
    assert_eq!(eyes.promised_minutes, Some(2.0));
    assert_eq!(eyes.handoffs.len(), 1);
    assert_eq!(eyes.handoffs[0].to_title, "Test result recorded on file");
    // Documents: 3 + 5 minutes along the records check fit in 10; one leg is unmeasured.
    let docs = verdict("ch_documents");
    assert_eq!(docs.verdict, PromiseVerdict::Achievable);
    assert_eq!(docs.promised_minutes, Some(8.0));
    assert_eq!(docs.actual_minutes, None);
    assert_eq!(docs.handoffs.len(), 2);
    // Photo: 2 promised fits 5 on paper, but the file took 9 minutes.
    let photo = verdict("ch_photo");
    assert_eq!(photo.verdict, PromiseVerdict::MissedInPractice);
    assert_eq!(photo.actual_minutes, Some(9.0));
    assert_eq!(verdict("ch_arrive").verdict, PromiseVerdict::Achievable);
}

#[test]
fn a_promise_without_agreements_or_time_says_so() {
    let mut map = licence();
    map.charter[0].within_minutes = None;
    // Payment has no agreement on any flow into it.
    map.charter[1].stage = "payment".into();
    let a = analyze(&map).unwrap();
    assert_eq!(a.charter[0].verdict, PromiseVerdict::NoTimeGiven);
    assert_eq!(a.charter[1].verdict, PromiseVerdict::NoAgreements);
    assert!(a.charter[1].handoffs.is_empty());
}

#[test]
fn agreements_are_listed_per_pair_of_departments_with_their_status() {
    let map = licence();
    let a = analyze(&map).unwrap();
    let total: usize = a.agreements.iter().map(|p| p.agreements.len()).sum();
    let handoffs_with_sla = map.flows.iter().filter(|f| f.sla.is_some() && map.is_handoff(f)).count();
    assert_eq!(total, handoffs_with_sla);
    let records_to_counter =
        a.agreements.iter().find(|p| p.provider == "records" && p.receiver == "counter").expect("records → counter");
    assert_eq!((records_to_counter.met, records_to_counter.breached), (0, 1));
    assert_eq!(records_to_counter.agreements[0].status, SlaStatus::Breached);
    for pair in &a.agreements {
        let counted = pair.met + pair.breached + pair.unmeasured;
        assert_eq!(counted as usize, pair.agreements.len(), "{} → {}", pair.provider, pair.receiver);
    }
}

#[test]
fn overdue_commitments_count_against_their_department_as_of_the_day_given() {
    let map = licence();
    let standing =
        |a: &waymark::analysis::Analysis, id: &str| a.departments.iter().find(|d| d.id == id).cloned().unwrap();
    let undated = analyze(&map).unwrap();
    assert_eq!(standing(&undated, "photo").overdue_commitments, None, "no day, no verdict on lateness");
    let before_due = analyze_on(&map, day("2026-10-29")).unwrap();
    assert_eq!(standing(&before_due, "photo").overdue_commitments, Some(0));
    let after_due = analyze_on(&map, day("2026-11-22")).unwrap();
    assert_eq!(standing(&after_due, "photo").overdue_commitments, Some(1));
    assert_eq!(standing(&after_due, "photo").open_commitments, 1);
    // Done on time or late, a done commitment is never overdue.
    assert_eq!(standing(&after_due, "desk").overdue_commitments, Some(0));
    assert_eq!(standing(&after_due, "desk").open_commitments, 0);
    // The window's review summary names the same overdue commitments.
    let summary = |d: &str| review::ReviewSummary::new(&map, Vec::new(), None, day(d)).overdue;
    assert!(summary("2026-10-29").is_empty());
    assert_eq!(summary("2026-11-22"), ["c_camera"]);
    assert_eq!(summary("2026-12-16"), ["c_camera", "c_record"]);
}

/// Applies edits to the file and returns the map afterwards.
fn edit(file: &mut MapFile, map: waymark::Map, edits: &[Edit]) -> waymark::Map {
    edits.iter().fold(map, |m, e| file.apply(&m, e).unwrap_or_else(|err| panic!("{e:?}: {err}")))
}

#[test]
fn a_review_freezes_the_map_and_the_next_one_shows_what_changed() {
    let dir = tempdir();
    let path = dir.path().join("licence.waymark");
    let map = licence();
    let mut file = MapFile::create(&path, &map).unwrap();
    let team = vec!["Amira".to_owned(), "Ben".to_owned()];
    let autumn = file.take_review("Autumn review", day("2026-10-01"), &team).unwrap();
    assert_eq!((autumn.seq, autumn.name.as_str(), autumn.participants.len()), (1, "Autumn review", 2));
    assert_eq!(autumn.figures, Figures::of(&map, day("2026-10-01")));

    // Between reviews: the camera is fixed, the records team now meets its
    // promise, the camera commitment is done, a step is added.
    let mut photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap().clone();
    photo.ratings.clear();
    photo.score = Some(3.8);
    let mut camera = map.pain_points.iter().find(|p| p.id == "pp_camera").unwrap().clone();
    camera.status = PainStatus::Resolved;
    let i = map.flows.iter().position(|f| f.from == "records_check" && f.to == "confirm_details").unwrap();
    let mut records = map.flows[i].clone();
    records.sla.as_mut().unwrap().actual_minutes = Some(4.0);
    let mut done = map.commitments[0].clone();
    done.status = CommitmentStatus::Done;
    let mut added = photo.clone();
    added.id = "photo_check".into();
    added.title = "Photo checked on screen".into();
    added.score = Some(4.0);
    let now = edit(
        &mut file,
        map.clone(),
        &[
            Edit::UpdateStep { step: photo },
            Edit::UpdatePainPoint { pain_point: camera },
            Edit::UpdateFlow { index: u32::try_from(i).unwrap(), flow: records },
            Edit::UpdateCommitment { commitment: done },
            Edit::AddStep { step: added },
        ],
    );

    let today = day("2026-11-22");
    let first = file.snapshot(1).unwrap().unwrap();
    assert_eq!(first.map, map, "the snapshot holds the map as it was, not as it is");
    let now_figures = Figures::of(&now, today);
    let c = review::compare(Side::of(&first), Side { label: "now", date: today, map: &now, figures: &now_figures });
    assert_eq!(c.steps_added.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["photo_check"]);
    assert!(c.steps_removed.is_empty());
    let rescored = c.rescored.iter().find(|r| r.id == "photo_line").unwrap();
    assert_eq!(rescored.after, Some(3.8));
    assert!(c.pain_resolved.iter().any(|p| p.id == "pp_camera" && !p.removed));
    assert!(c.pain_opened.is_empty());
    let moved = &c.agreements_moved;
    assert_eq!(moved.len(), 1);
    assert_eq!((moved[0].before, moved[0].after), (SlaStatus::Breached, SlaStatus::Met));
    assert_eq!(c.commitments_done.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["c_camera"]);
    assert!(c.commitments_overdue.is_empty(), "{:?}", c.commitments_overdue);
    let (before, after) = (c.remembered.before.unwrap(), c.remembered.after.unwrap());
    assert!(after > before, "fixing the photo line near the end lifts the remembered visit: {before} → {after}");
    assert!((c.remembered.delta.unwrap() - (after - before)).abs() < 1e-12);
    assert!(c.sla_compliance.after > c.sla_compliance.before);

    let winter = file.take_review("Winter review", day("2026-11-20"), &team).unwrap();
    assert_eq!(winter.seq, 2);
    let reviews = file.reviews().unwrap();
    assert_eq!(reviews.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Autumn review", "Winter review"]);
    let trend = review::trend(&reviews, Some((&now_figures, today)));
    assert_eq!(trend.len(), 3);
    assert_eq!(trend[0].remembered, reviews[0].figures.remembered);
    assert_eq!(trend[2].label, "now");

    // A review survives closing and reopening, with its figures as taken.
    drop(file);
    let file = MapFile::open(&path).unwrap();
    assert_eq!(file.reviews().unwrap(), reviews);
    assert_eq!(file.snapshot(1).unwrap().unwrap().map, map);
}

#[test]
fn a_snapshot_is_never_changed_or_deleted() {
    let dir = tempdir();
    let path = dir.path().join("licence.waymark");
    let mut file = MapFile::create(&path, &licence()).unwrap();
    file.take_review("First", day("2026-10-01"), &[]).unwrap();
    drop(file);
    // Even a program that writes to the file behind Waymark's back cannot
    // rewrite history: the schema refuses.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let update = conn.execute("UPDATE snapshot SET name = 'Rewritten'", []).unwrap_err();
    assert!(update.to_string().contains("never changed"), "{update}");
    let delete = conn.execute("DELETE FROM snapshot", []).unwrap_err();
    assert!(delete.to_string().contains("never deleted"), "{delete}");
    drop(conn);
    let file = MapFile::open(&path).unwrap();
    assert_eq!(file.reviews().unwrap()[0].name, "First");
}

#[test]
fn a_review_needs_a_name_and_a_writable_file() {
    let dir = tempdir();
    let path = dir.path().join("licence.waymark");
    let mut file = MapFile::create(&path, &licence()).unwrap();
    let err = file.take_review("  ", day("2026-10-01"), &[]).unwrap_err();
    assert!(err.to_string().contains("needs a name"), "{err}");
    let long = "x".repeat(301);
    let err = file.take_review(&long, day("2026-10-01"), &[]).unwrap_err();
    assert!(err.to_string().contains("the limit is 300"), "{err}");
    // A second window gets the map read-only and cannot add a review.
    let mut second = MapFile::open(&path).unwrap();
    assert!(second.read_only().is_some());
    let err = second.take_review("Sneaky", day("2026-10-01"), &[]).unwrap_err();
    assert!(err.to_string().contains("not saved"), "{err}");
    assert!(file.reviews().unwrap().is_empty());
}

#[test]
fn the_schedule_says_when_the_next_review_is_due_or_how_late_it_is() {
    let mut map = licence();
    assert_eq!(map.review_every_weeks, Some(6));
    let s = review::schedule(&map, Some(day("2026-10-01")), day("2026-11-22"));
    assert_eq!(s.next_due, Some(day("2026-11-12")));
    assert_eq!(s.overdue_days, 10);
    assert_eq!(s.message, "Review overdue by 10 days (it was due on 2026-11-12).");
    let s = review::schedule(&map, Some(day("2026-11-20")), day("2026-11-22"));
    assert_eq!(s.overdue_days, 0);
    assert_eq!(s.message, "Next review due on 2027-01-01, in 40 days.");
    let s = review::schedule(&map, None, day("2026-11-22"));
    assert_eq!(s.next_due, Some(day("2026-11-22")));
    assert!(s.message.starts_with("No review yet"), "{}", s.message);
    map.review_every_weeks = None;
    let s = review::schedule(&map, Some(day("2026-10-01")), day("2026-11-22"));
    assert_eq!((s.next_due, s.overdue_days), (None, 0));
}

#[test]
fn charter_and_commitment_edits_keep_references_whole() {
    let map = licence();
    // A stage with promises cannot be deleted without saying where they go.
    let mut m = map.clone();
    m.steps.retain(|s| s.stage != "eyesight");
    m.flows.retain(|f| m.steps.iter().any(|s| s.id == f.from) && m.steps.iter().any(|s| s.id == f.to));
    let err = waymark::edit::apply(&m, &Edit::DeleteStage { id: "eyesight".into(), move_steps_to: None });
    assert!(err.is_err_and(|e| e.to_string().contains("promise")));
    // Deleting a pain point takes it out of the commitments that named it.
    let after = waymark::edit::apply(&map, &Edit::DeletePainPoint { id: "pp_camera".into() }).unwrap();
    assert_eq!(after.commitments[0].links, ["photo_line"]);
    // A commitment naming nothing that exists is refused with where it is.
    let mut c = map.commitments[0].clone();
    c.id = "c_new".into();
    c.links = vec!["nowhere".into()];
    let err = waymark::edit::apply(&map, &Edit::AddCommitment { commitment: c }).unwrap_err();
    assert!(err.to_string().contains("links[0] of commitment \"c_new\""), "{err}");
    let err = waymark::edit::apply(&map, &Edit::SetReviewCadence { weeks: Some(0) }).unwrap_err();
    assert!(err.to_string().contains("review_every_weeks"), "{err}");
}

#[test]
fn undo_takes_back_a_commitment_change() {
    let dir = tempdir();
    let path = dir.path().join("licence.waymark");
    let map = licence();
    let mut file = MapFile::create(&path, &map).unwrap();
    let mut c = map.commitments[1].clone();
    c.status = CommitmentStatus::Done;
    let changed = file.apply(&map, &Edit::UpdateCommitment { commitment: c }).unwrap();
    assert_eq!(file.load().unwrap(), changed);
    let back = file.undo(&changed).unwrap().unwrap();
    assert_eq!(back, map);
    assert_eq!(file.load().unwrap(), map);
}

/// A file with reviews, written by schema version 4 (this version) and kept
/// as it was made: every later Waymark must open it with its reviews intact.
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/licence-with-reviews-schema-v4.waymark");

/// How the fixture was made, so it can be remade if it is ever lost
/// (`WAYMARK_UPDATE_FIXTURES=1 cargo test reviews_written_by_schema_v4`).
/// Never remake it once a later schema exists: the point is an old file.
fn make_fixture(path: &Path) {
    let map = licence();
    let mut file = MapFile::create(path, &map).unwrap();
    let team = ["Amira".to_owned(), "Ben".to_owned(), "Carla".to_owned()];
    file.take_review("Autumn review", day("2026-10-01"), &team).unwrap();
    let mut photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap().clone();
    photo.ratings.clear();
    photo.score = Some(3.8);
    let mut done = map.commitments[0].clone();
    done.status = CommitmentStatus::Done;
    edit(&mut file, map, &[Edit::UpdateStep { step: photo }, Edit::UpdateCommitment { commitment: done }]);
    file.take_review("Winter review", day("2026-11-20"), &team[..2]).unwrap();
}

#[test]
fn reviews_written_by_schema_v4_open_with_their_snapshots_intact() {
    if std::env::var_os("WAYMARK_UPDATE_FIXTURES").is_some() {
        let _ = std::fs::remove_file(FIXTURE);
        make_fixture(Path::new(FIXTURE));
    }
    let fixture = std::fs::read(FIXTURE).expect("the fixture is committed");
    assert_eq!(u32::from_be_bytes(fixture[60..64].try_into().unwrap()), 4, "the fixture is schema version 4");
    let dir = tempdir();
    let path = dir.path().join("old.waymark");
    std::fs::write(&path, &fixture).unwrap();

    let file = MapFile::open(&path).unwrap();
    let reviews = file.reviews().unwrap();
    let names: Vec<_> = reviews.iter().map(|r| (r.seq, r.name.as_str(), r.taken_on.to_string())).collect();
    assert_eq!(names, [(1, "Autumn review", "2026-10-01".into()), (2, "Winter review", "2026-11-20".into())]);
    assert_eq!(reviews[1].participants, ["Amira", "Ben"]);
    // The figures are the ones recorded on the day, not recomputed.
    let remembered: Vec<String> = reviews.iter().map(|r| format!("{:.2}", r.figures.remembered.unwrap())).collect();
    assert_eq!(remembered, ["3.41", "4.45"]);
    assert_eq!((reviews[0].figures.sla_met, reviews[0].figures.sla_measured), (2, 4));

    let first = file.snapshot(1).unwrap().unwrap();
    let second = file.snapshot(2).unwrap().unwrap();
    assert_eq!(first.map.steps.len(), 21);
    let c = review::compare(Side::of(&first), Side::of(&second));
    assert_eq!(c.rescored.len(), 1);
    assert_eq!(
        (c.rescored[0].id.as_str(), c.rescored[0].before, c.rescored[0].after),
        ("photo_line", Some(2.2), Some(3.8))
    );
    assert_eq!(c.commitments_done.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["c_camera"]);
    // Both reviews were taken under version 1 of the experience model: no note.
    assert_eq!((reviews[0].figures.model, c.model_note.as_ref()), (1, None));
    // The map as last saved opens too, with its charter and commitments.
    let map = file.load().unwrap();
    // Against today's figures (version 3), the comparison says the model
    // changed, what the review's own map comes to under version 3, and that
    // the weak spots changed their rule.
    let today = day("2026-11-22");
    let now = waymark::review::Figures::of(&map, today);
    let across = review::compare(Side::of(&second), Side { label: "now", date: today, map: &map, figures: &now });
    let note = across.model_note.clone().expect("the models differ");
    assert!(note.contains("version 1 on \"Winter review\", version 3 on \"now\""), "{note}");
    let recomputed = format!("{:.2}", analyze(&second.map).unwrap().remembered.unwrap());
    assert!(note.contains(&format!("\"Winter review\" would be remembered at {recomputed}.")), "{note}");
    assert!(
        note.ends_with(
            "now ranked by their share of what fixing every step would gain, no longer by what fixing each alone gains."
        ),
        "{note}"
    );
    assert!(waymark::review::text::comparison(&across).contains(&note));
    assert_eq!(map.charter.len(), 5);
    assert_eq!(map.commitments[0].status, CommitmentStatus::Done);
    drop(file);
    // Opening it (and any migration a later version runs) kept history closed.
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn.execute("UPDATE snapshot SET name = 'x' WHERE seq = 1", []).is_err());
}

#[test]
fn the_report_of_a_file_with_reviews_prints_what_changed_the_trend_the_charter_and_commitments() {
    let dir = tempdir();
    let path = dir.path().join("old.waymark");
    std::fs::copy(FIXTURE, &path).unwrap();
    let file = MapFile::open(&path).unwrap();
    let map = file.load().unwrap();
    // A step re-scored since the last review, for the page to report.
    let mut map = map;
    map.steps.iter_mut().find(|s| s.id == "sign_pad").unwrap().score = Some(2.5);
    let today = day("2026-11-22");
    let review = Some(file.review_summary(&map, today).unwrap());
    let options = waymark::report::ReportOptions {
        paper: waymark::report::Paper::A4,
        date: "2026-11-22".into(),
        author: None,
        review,
        certainty: None,
    };
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, waymark::report::pdf(&map, &options).unwrap()).unwrap();
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Since the last review",
        "From \"Winter review\" (2026-11-20) to now (2026-11-22)",
        "The experience model changed between these two",
        "Sign on the signature pad",
        "3.90 → 2.50",
        "Trend across reviews",
        "Autumn review",
        "Internal service agreements by department pair",
        "Driver records provides to Licensing counter: 0 met, 1 breached, 0 unmeasured",
        "Service charter",
        "CANNOT BE MET",
        "MISSED IN PRACTICE",
        "Commitments",
        "Records reply with the full record",
    ] {
        assert!(text.contains(expected), "the report should say {expected:?}");
    }
}

#[test]
fn reviews_follow_one_another_and_compare_forwards() {
    let dir = tempdir();
    let mut file = MapFile::create(&dir.path().join("l.waymark"), &licence()).unwrap();
    file.take_review("Winter", day("2026-11-20"), &[]).unwrap();
    let err = file.take_review("Backdated", day("2026-10-01"), &[]).unwrap_err();
    assert!(err.to_string().contains("would come before the last review, dated 2026-11-20"), "{err}");
    file.take_review("Same day", day("2026-11-20"), &[]).unwrap();
    // Asked the wrong way round, a comparison still reads from the earlier day.
    let first = file.snapshot(1).unwrap().unwrap();
    let now = licence();
    let figures = Figures::of(&now, day("2026-12-01"));
    let later = Side { label: "now", date: day("2026-12-01"), map: &now, figures: &figures };
    let c = review::compare(later, Side::of(&first));
    assert_eq!((c.before.as_str(), c.after.as_str()), ("Winter", "now"));
}

#[test]
fn a_link_stays_while_a_step_or_pain_point_still_answers_to_it() {
    let mut map = licence();
    // A pain point whose id is also a step's.
    map.pain_points[1].id = "sign_pad".into();
    map.commitments[1].links = vec!["sign_pad".into()];
    let after = waymark::edit::apply(&map, &Edit::DeletePainPoint { id: "sign_pad".into() }).unwrap();
    assert_eq!(after.commitments[1].links, ["sign_pad"], "the step sign_pad is still there");
    let mut c = map.commitments[0].clone();
    c.due = NaiveDate::from_ymd_opt(10_000, 1, 1);
    let err = waymark::edit::apply(&map, &Edit::UpdateCommitment { commitment: c }).unwrap_err();
    assert!(err.to_string().contains("outside the years 1..9999"), "{err}");
}

#[test]
fn listing_a_map_on_the_home_screen_writes_nothing_and_leaves_it_editable() {
    let dir = tempdir();
    let path = dir.path().join("old.waymark");
    // An older file: listing it must not upgrade it on disk.
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/licence-renewal-schema-v1.waymark"), &path)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let summary = waymark::recent::summarize(&path, day("2026-11-22"));
    assert_eq!(summary.title.as_deref(), Some("Driver licence renewal"), "{:?}", summary.problem);
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is byte for byte as it was");
    // While a window edits it, listing it takes nothing from that window.
    let path = dir.path().join("new.waymark");
    let mut file = MapFile::create(&path, &licence()).unwrap();
    let listed = waymark::recent::summarize(&path, day("2026-11-22"));
    assert_eq!(listed.overdue.len(), 1, "the camera commitment");
    assert!(file.read_only().is_none());
    file.take_review("Still editable", day("2026-11-22"), &[]).unwrap();
}

#[test]
fn a_copy_saved_elsewhere_keeps_the_reviews() {
    let dir = tempdir();
    let path = dir.path().join("old.waymark");
    std::fs::copy(FIXTURE, &path).unwrap();
    let file = MapFile::open(&path).unwrap();
    // Another window, say, holds it: the copy is made from the read-only one.
    let second = MapFile::open(&path).unwrap();
    assert!(second.read_only().is_some());
    let mut map = second.load().unwrap();
    map.title = "Copy".into();
    let copy = second.copy_to(&dir.path().join("copy.waymark"), &map).unwrap();
    assert_eq!(copy.reviews().unwrap(), file.reviews().unwrap());
    assert_eq!(copy.snapshot(2).unwrap(), file.snapshot(2).unwrap());
    assert_eq!(copy.load().unwrap().title, "Copy");
    assert!(copy.read_only().is_none());
    let err = second.copy_to(&dir.path().join("copy.waymark"), &map).unwrap_err();
    assert!(err.to_string().contains("already there"), "{err}");
}

/// Two reviews of one name would leave `review diff NAME` to guess.
#[test]
fn a_review_name_already_taken_is_refused() {
    let dir = tempdir();
    let path = dir.path().join("licence.waymark");
    let mut file = MapFile::create(&path, &licence()).unwrap();
    file.take_review("Spring review", day("2026-10-01"), &[]).unwrap();
    let err = file.take_review(" spring REVIEW ", day("2026-10-02"), &[]).unwrap_err().to_string();
    assert!(err.contains("a review named \"spring REVIEW\" is already there"), "{err}");
    assert_eq!(file.reviews().unwrap().len(), 1);
    file.take_review("Spring review (2)", day("2026-10-02"), &[]).unwrap();
    assert_eq!(file.reviews().unwrap().len(), 2);
}
