//! Editing library maps through the core's one storage interface, as the
//! window, the room and the CLI do: undo of one's own edits, hearing of
//! others' edits, reviews, and the faults (the server stopping mid-run, a
//! map deleted by someone else, a user who may only read), each in words
//! with nothing half-written. (The command line's editing of library maps:
//! `cli/tests/it/library_editing.rs`.)

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use waymark::edit::Edit;
use waymark::storage::{self, Storage};
use waymark::store::ReadOnly;
use waymark_library::Library;

use crate::fixtures::{another_user, library_with_licence};
use crate::pg::Server;
use crate::support::tempdir;

/// A second user of the library, `bo`, with every right on its tables.
fn bo_url(url: &str) -> String {
    another_user(url, "bo", "SELECT, INSERT, UPDATE, DELETE")
}

fn open(url: &str) -> Box<dyn Storage> {
    waymark_library::open(Path::new(&format!("{url}#licence"))).unwrap()
}

/// The library's map as stored now, read afresh.
fn stored(url: &str) -> (waymark::Map, i64) {
    let editing = Library::open(url).unwrap().edit("licence").unwrap();
    (editing.map().clone(), editing.version())
}

fn participant(name: &str) -> Edit {
    Edit::AddParticipant { name: name.to_owned() }
}

#[test]
fn undo_takes_back_ones_own_last_edit_and_leaves_anothers() {
    let server = Server::start();
    let (url, map) = library_with_licence(&server);
    let bo = bo_url(&url);
    let mut ann = open(&url);
    let mut bob = open(&bo);
    let mut ann_map = ann.load().unwrap();
    let mut bob_map = bob.load().unwrap();

    ann_map = ann.apply(&ann_map, &Edit::SetTitle { title: "Ann's title".into() }).unwrap();
    bob_map = bob.apply(&bob_map, &participant("Bo's guest")).unwrap();
    assert_eq!(bob_map.title, "Ann's title", "Bo's edit went on top of Ann's");
    assert_eq!(ann.history_depth().unwrap(), (1, 0));

    // Ann's undo takes back her title, not Bo's later participant.
    ann_map = ann.undo(&ann_map).unwrap().expect("Ann has an edit to undo");
    assert_eq!(ann_map.title, map.title);
    assert!(ann_map.workshop.participants.iter().any(|p| p == "Bo's guest"), "Bo's edit stays");
    assert_eq!(ann.history_depth().unwrap(), (0, 1));
    assert_eq!(stored(&url).0, ann_map, "the undo is stored in the library");

    // Bo's undo takes back his; Ann's redo brings her title back.
    bob_map = bob.undo(&bob_map).unwrap().unwrap();
    assert!(bob_map.workshop.participants.iter().all(|p| p != "Bo's guest"));
    assert_eq!(bob_map.title, map.title);
    ann_map = ann.redo(&ann_map).unwrap().unwrap();
    assert_eq!(ann_map.title, "Ann's title");
    assert!(ann_map.workshop.participants.iter().all(|p| p != "Bo's guest"), "Ann saw Bo's undo");
    assert!(bob.undo(&bob_map).unwrap().is_none(), "Bo has nothing left to undo");

    // Others' later edits of the same step stay when Ann takes hers back:
    // Bo's score of the step she renamed is kept.
    let step = map.steps.iter().find(|s| s.score.is_some()).unwrap().clone();
    let mut renamed = step.clone();
    renamed.title = "Renamed by Ann".into();
    ann_map = ann.apply(&ann_map, &Edit::UpdateStep { step: renamed.clone() }).unwrap();
    let mut rescored = renamed.clone();
    rescored.score = Some(1.0);
    bob_map = bob.apply(&bob_map, &Edit::UpdateStep { step: rescored }).unwrap();
    ann_map = ann.undo(&ann_map).unwrap().unwrap();
    let back = ann_map.steps.iter().find(|s| s.id == step.id).unwrap();
    assert_eq!((back.title.as_str(), back.score), (step.title.as_str(), Some(1.0)), "her title back, his score kept");
    ann_map = ann.redo(&ann_map).unwrap().unwrap();

    // An undo of what someone else changed since is refused, naming them.
    let mut retitled = renamed;
    retitled.title = "Renamed by Bo".into();
    retitled.score = Some(1.0);
    bob.apply(&bob_map, &Edit::UpdateStep { step: retitled }).unwrap();
    let (before, version) = stored(&url);
    let err = ann.undo(&ann_map).unwrap_err().to_string();
    assert!(err.contains("cannot be undone") && err.contains("bo: Change step"), "{err}");
    assert_eq!(stored(&url), (before, version), "the refused undo stored nothing");
    assert_eq!(ann.history_depth().unwrap().0, 2, "it can still be tried again later");
}

#[test]
fn a_watcher_hears_of_anothers_edit_within_a_second() {
    let server = Server::start();
    let (url, _) = library_with_licence(&server);
    let mut ann = open(&url);
    let ann_map = ann.load().unwrap();
    let (tx, rx) = mpsc::channel();
    let watch = ann.watch(Box::new(move || {
        let _ = tx.send(Instant::now());
    }));
    assert!(watch.is_some(), "a library map can change elsewhere");
    // Let the listener connect before the edit is made.
    std::thread::sleep(Duration::from_millis(500));
    let mut bob = open(&url);
    let bob_map = bob.load().unwrap();
    let sent = Instant::now();
    bob.apply(&bob_map, &Edit::SetTitle { title: "Changed elsewhere".into() }).unwrap();
    let heard = rx.recv_timeout(Duration::from_secs(1)).expect("the change is announced within a second");
    assert!(heard.duration_since(sent) < Duration::from_secs(1));
    let newer = ann.refresh().unwrap().expect("the refresh reads the edit");
    assert_eq!(newer.title, "Changed elsewhere");
    assert_ne!(newer, ann_map);
    assert!(ann.refresh().unwrap().is_none(), "nothing more to read");
    // A file has nobody else to hear from.
    let dir = tempdir();
    let file = waymark::store::MapFile::create(&dir.path().join("m.waymark"), &waymark::Map::new("m")).unwrap();
    assert!(Storage::watch(&file, Box::new(|| {})).is_none());
}

#[test]
fn the_server_stopping_mid_run_leaves_the_map_at_the_last_acknowledged_edit() {
    let mut server = Server::start();
    let (url, map) = library_with_licence(&server);
    let mut ann = open(&url);
    let (tx, rx) = mpsc::channel();
    let _watch = ann.watch(Box::new(move || {
        let _ = tx.send(());
    }));
    std::thread::sleep(Duration::from_millis(300));
    let port = server.port;
    let (acked, failed, ann) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut current = ann.load().unwrap();
            let mut acked = Vec::new();
            for i in 0.. {
                let name = format!("guest {i}");
                match ann.apply(&current, &participant(&name)) {
                    Ok(next) => {
                        current = next;
                        acked.push(name);
                    }
                    Err(e) => return (acked, (name, e.to_string()), ann),
                }
            }
            unreachable!()
        });
        std::thread::sleep(Duration::from_millis(400));
        server.stop();
        writer.join().unwrap()
    });
    assert!(acked.len() > 5, "edits were stored before the stop ({} of them)", acked.len());
    assert!(failed.1.contains("cannot be reached"), "said in words: {}", failed.1);
    let mut ann = ann;
    assert_eq!(ann.read_only(), Some(ReadOnly::LibraryUnreachable), "the window shows why edits are refused");
    let err = ann.apply(&map, &participant("while down")).unwrap_err().to_string();
    assert!(err.contains("cannot be reached"), "{err}");
    // The listener noticed too, so the window is told without an edit.
    while rx.try_recv().is_ok() {}
    server.run(port);
    rx.recv_timeout(Duration::from_secs(5)).expect("the listener reconnects by itself and says so");
    let back = ann.refresh().unwrap().expect("the first refresh after the outage reads the map");
    assert_eq!(ann.read_only(), None, "editable again");

    let (now, version) = stored(&url);
    assert_eq!(back, now);
    let names = &now.workshop.participants;
    for name in &acked {
        assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}, acknowledged, is there once");
    }
    // The one edit whose answer was lost may have been committed: then it
    // is in the log once, like any other, and nothing else is.
    let extra: Vec<&String> = names.iter().filter(|n| n.starts_with("guest ") && !acked.contains(n)).collect();
    assert!(extra.is_empty() || extra == [&failed.0], "only the unanswered edit may be there: {extra:?}");
    assert!(names.iter().all(|n| n != "while down"), "the refused edit is not");
    let expected = i64::try_from(acked.len() + extra.len()).unwrap();
    assert_eq!(version, expected, "one log entry per stored edit");
    // And the map is the log replayed.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut replayed = map;
    for row in client.query("SELECT patch FROM edit WHERE map_id = 'licence' ORDER BY version", &[]).unwrap() {
        let patch: waymark::edit::Patch = serde_json::from_str(row.get(0)).unwrap();
        replayed = patch.apply(&replayed, true).unwrap();
    }
    assert_eq!(replayed, now);
    // Editing goes on.
    let after = ann.apply(&back, &participant("after the outage")).unwrap();
    assert!(after.workshop.participants.iter().any(|p| p == "after the outage"));
}

#[test]
fn a_map_deleted_by_someone_else_is_said_in_words_and_nothing_is_stored() {
    let server = Server::start();
    let (url, _) = library_with_licence(&server);
    let mut ann = open(&url);
    let current = ann.load().unwrap();
    Library::open(&url).unwrap().delete("licence").unwrap();
    let err = ann.apply(&current, &participant("too late")).unwrap_err().to_string();
    assert!(err.contains("\"licence\" was deleted from the library") && err.contains("save a copy"), "{err}");
    assert_eq!(ann.read_only(), Some(ReadOnly::LibraryDeleted));
    assert!(ann.refresh().is_err(), "a refresh says so too");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let maps: i64 = client.query_one("SELECT count(*) FROM map", &[]).unwrap().get(0);
    let edits: i64 = client.query_one("SELECT count(*) FROM edit", &[]).unwrap().get(0);
    assert_eq!((maps, edits), (0, 0), "nothing was stored");
    // What the window shows can still be saved as a file.
    let dir = tempdir();
    let kept = storage::copy_to(&mut *ann, &dir.path().join("kept.waymark"), &current).unwrap();
    assert_eq!(kept.load().unwrap(), current, "the map as the window had it is kept");
}

#[test]
fn a_user_who_may_only_read_gets_the_map_read_only() {
    let server = Server::start();
    let (url, map) = library_with_licence(&server);
    let reader = another_user(&url, "reader", "SELECT");
    let mut store = open(&reader);
    assert_eq!(store.read_only(), Some(ReadOnly::LibraryNotWritable));
    assert_eq!(store.load().unwrap(), map, "the map reads");
    let err = store.apply(&map, &participant("reader")).unwrap_err().to_string();
    assert!(err.contains("read this map but not change it"), "{err}");
    assert_eq!(stored(&url).1, 0, "nothing was stored");
}

#[test]
fn reviews_are_taken_in_the_library_and_read_back() {
    let server = Server::start();
    let (url, map) = library_with_licence(&server);
    let mut ann = open(&url);
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let taken = ann.take_review("Autumn review", day(20), &["Ann".into()]).unwrap();
    assert_eq!((taken.seq, taken.name.as_str()), (1, "Autumn review"));
    let err = ann.take_review("Earlier", day(1), &[]).unwrap_err().to_string();
    assert!(err.contains("would come before the last review"), "{err}");
    assert!(ann.take_review("  ", day(25), &[]).is_err(), "a review needs a name");
    let err = ann.take_review("autumn Review", day(25), &[]).unwrap_err().to_string();
    assert!(err.contains("a review named \"autumn Review\" is already there"), "{err}");
    let reviews = ann.reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].participants, ["Ann"]);
    let snapshot = ann.snapshot(1).unwrap().unwrap();
    assert_eq!(snapshot.map, map);
    assert!(ann.snapshot(2).unwrap().is_none());
    // A file pulled from the library has it too.
    let archive = Library::open(&url).unwrap().pull("licence").unwrap();
    assert_eq!(archive.reviews.len(), 1);
}

#[test]
fn a_refused_edit_still_shows_the_others_edits_it_caught_up_with() {
    let server = Server::start();
    let (url, map) = library_with_licence(&server);
    let mut ann = open(&url);
    let mut bob = open(&url);
    let ann_map = ann.load().unwrap();
    let bob_map = bob.load().unwrap();
    let pain = map.pain_points[0].clone();
    bob.apply(&bob_map, &Edit::DeletePainPoint { id: pain.id.clone() }).unwrap();
    // Ann edits the pain point Bo just deleted: refused, naming Bo's edit.
    let mut edited = pain;
    edited.text = "Edited after it was deleted".into();
    let err = ann.apply(&ann_map, &Edit::UpdatePainPoint { pain_point: edited }).unwrap_err().to_string();
    assert!(err.contains("meanwhile the map was changed by waymark: Delete pain point"), "{err}");
    // The refusal caught Ann's store up; the window, still showing the old
    // map, gets the newer one at the next refresh (the notification's).
    let newer = ann.refresh().unwrap().expect("the map the window has not seen yet");
    assert_eq!(newer.pain_points.len(), map.pain_points.len() - 1);
    assert!(ann.refresh().unwrap().is_none());
}
