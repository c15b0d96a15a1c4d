//! The organisation's library against a real PostgreSQL (a throwaway
//! server per test, see `pg.rs`): making one, moving maps in and out with
//! their history and reviews, and every refusal in words with nothing
//! changed. (The command line's `waymark library …`: `cli/tests/it/library.rs`.)

use waymark::edit::Edit;
use waymark::store::MapFile;
use waymark_library::{Initialized, Library, LibraryError};

use crate::fixtures::{another_user, library_with_licence, licence_file};
use crate::pg::{PASSWORD, Server};
use crate::support::tempdir;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

#[test]
fn a_map_goes_to_a_library_and_back_with_its_history_and_reviews() {
    let server = Server::start();
    let url = server.database("lib");
    let (_, outcome) = Library::init(&url).unwrap();
    assert_eq!(outcome, Initialized::Created);
    let (_, again) = Library::init(&url).unwrap();
    assert_eq!(again, Initialized::AlreadyThere, "init twice changes nothing");

    let dir = tempdir();
    let path = licence_file(dir.path());
    let archive = MapFile::open(&path).unwrap().archive().unwrap();
    assert_eq!((archive.history.len(), archive.reviews.len()), (3, 2));
    assert!(archive.history[2].undone, "the undone edit is the redo stack");

    let mut library = Library::open(&url).unwrap();
    library.push(&archive, "licence-renewal").unwrap();
    let listed = library.list(today()).unwrap();
    assert_eq!(listed.len(), 1);
    let entry = &listed[0];
    assert_eq!(entry.id, "licence-renewal");
    assert_eq!(entry.title, "Licence renewal, as mapped in the workshop");
    assert_eq!(entry.steps, 21);
    assert_eq!(entry.version, 3);
    assert_eq!(entry.last_editor, "waymark");
    // The sample reviews every 6 weeks; the last review was on 2026-11-20.
    assert_eq!(entry.next_review, chrono::NaiveDate::from_ymd_opt(2027, 1, 1));

    // Pulled into a new file: the same map, history and reviews, and undo
    // and redo work on it as on the original.
    let pulled = library.pull("licence-renewal").unwrap();
    assert_eq!(pulled, archive);
    let copy = dir.path().join("copy.waymark");
    let mut file = MapFile::create_from(&copy, &pulled).unwrap();
    assert_eq!(file.archive().unwrap(), archive);
    assert_eq!(file.reviews().unwrap(), MapFile::open(&path).unwrap().reviews().unwrap());
    let now = file.load().unwrap();
    let redone = file.redo(&now).unwrap().expect("the undone edit can be redone");
    assert_eq!(redone.steps[0].score, Some(3.0));

    // The id is taken now: refused, and the library keeps the first push.
    let mut other = archive.clone();
    other.map.title = "Another".into();
    let err = library.push(&other, "licence-renewal").unwrap_err();
    assert!(matches!(err, LibraryError::MapExists { .. }), "{err}");
    assert!(err.to_string().contains("already has a map \"licence-renewal\""), "{err}");
    assert_eq!(library.pull("licence-renewal").unwrap(), archive);

    // An edit made in the library ends the redo stack the push brought, as
    // a new edit in a file does: pulled again, nothing is left to redo.
    let mut editing = Library::open(&url).unwrap().edit("licence-renewal").unwrap();
    editing.apply(&Edit::SetTitle { title: "Edited in the library".into() }).unwrap();
    let pulled = Library::open(&url).unwrap().pull("licence-renewal").unwrap();
    assert_eq!(pulled.history.len(), 3, "two done edits from the file, one from the library");
    assert!(pulled.history.iter().all(|h| !h.undone));
    let again = dir.path().join("again.waymark");
    let mut file = MapFile::create_from(&again, &pulled).unwrap();
    let now = file.load().unwrap();
    assert_eq!(now.title, "Edited in the library");
    assert!(file.redo(&now).unwrap().is_none());
    let back = file.undo(&now).unwrap().unwrap();
    assert_eq!(back.title, "Licence renewal, as mapped in the workshop", "undo takes back the library's edit");
}

#[test]
fn what_is_not_a_library_is_refused_in_words_and_left_alone() {
    let mut server = Server::start();
    let empty = server.database("empty");
    let err = Library::open(&empty).err().unwrap();
    assert!(err.to_string().contains("is not a Waymark library; make it one with `waymark library init URL`"), "{err}");

    // Someone else's database: not made a library, its table untouched.
    let theirs = server.database("theirs");
    let mut client = postgres::Client::connect(&theirs, postgres::NoTls).unwrap();
    client.batch_execute("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)").unwrap();
    let err = Library::init(&theirs).err().unwrap();
    assert!(matches!(err, LibraryError::Occupied { .. }), "{err}");
    let tables: i64 =
        client.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[]).unwrap().get(0);
    assert_eq!(tables, 1, "nothing was added to their database");

    // A library from a newer Waymark.
    let newer = server.database("newer");
    Library::init(&newer).unwrap();
    let mut client = postgres::Client::connect(&newer, postgres::NoTls).unwrap();
    client.batch_execute("UPDATE waymark_library SET schema_version = 99").unwrap();
    let err = Library::open(&newer).err().unwrap();
    assert!(
        err.to_string().contains(&format!(
            "made by a newer Waymark (library schema version 99; this version reads up to {})",
            waymark_library::LIBRARY_SCHEMA_VERSION
        )),
        "{err}"
    );
    assert!(matches!(Library::init(&newer).err().unwrap(), LibraryError::TooNew { .. }));

    // No such map; no such database; a wrong password, and none at all.
    let lib = server.database("lib");
    let mut library = Library::init(&lib).unwrap().0;
    let err = library.pull("nothing-here").unwrap_err();
    assert!(err.to_string().contains("has no map \"nothing-here\""), "{err}");
    let err = Library::open(&server.url("nonexistent")).err().unwrap();
    assert!(matches!(err, LibraryError::NoDatabase { .. }), "{err}");
    let wrong = lib.replace(PASSWORD, "not-the-password");
    let err = Library::open(&wrong).err().unwrap();
    assert!(matches!(err, LibraryError::PasswordRefused { .. }), "{err}");
    assert!(!err.to_string().contains("not-the-password"), "the password is never in a message: {err}");
    let none = lib.replace(&format!(":{PASSWORD}"), "");
    if std::env::var_os("PGPASSWORD").is_none() {
        let err = Library::open(&none).err().unwrap();
        assert!(matches!(err, LibraryError::PasswordNeeded { .. }), "{err}");
    }

    // The server gone: unreachable, in words.
    let port = server.port;
    server.stop();
    let err = Library::open(&lib).err().unwrap();
    assert!(matches!(err, LibraryError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{port}/lib cannot be reached")), "{err}");
}

#[test]
fn eight_writers_at_once_lose_nothing_and_store_nothing_twice() {
    const WRITERS: usize = 8;
    const EDITS: usize = 200;
    let server = Server::start();
    let (url, start) = library_with_licence(&server);
    std::thread::scope(|scope| {
        for w in 0..WRITERS {
            let url = &url;
            scope.spawn(move || {
                let mut editing = Library::open(url).unwrap().edit("licence").unwrap();
                for i in 0..EDITS {
                    editing.apply(&Edit::AddParticipant { name: format!("writer {w} #{i}") }).unwrap();
                }
            });
        }
    });
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let versions: Vec<i64> = client
        .query("SELECT version FROM edit WHERE map_id = 'licence' ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let all = i64::try_from(WRITERS * EDITS).unwrap();
    assert_eq!(versions, (1..=all).collect::<Vec<_>>(), "every edit once, versions without gaps");
    let now = Library::open(&url).unwrap().edit("licence").unwrap();
    assert_eq!(now.version(), all);
    let names = &now.map().workshop.participants;
    assert_eq!(names.len(), start.workshop.participants.len() + WRITERS * EDITS);
    for w in 0..WRITERS {
        for i in 0..EDITS {
            let name = format!("writer {w} #{i}");
            assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{name} exactly once");
        }
    }
    // The map is the log replayed on the map as pushed.
    let mut replayed = start;
    for row in client.query("SELECT patch FROM edit WHERE map_id = 'licence' ORDER BY version", &[]).unwrap() {
        let patch: waymark::edit::Patch = serde_json::from_str(row.get(0)).unwrap();
        replayed = patch.apply(&replayed, true).expect("each patch fits the map before it");
    }
    assert_eq!(&replayed, now.map());
}

#[test]
fn an_editor_behind_reapplies_what_still_fits_and_is_told_who_changed_what_otherwise() {
    let server = Server::start();
    let (url, map) = library_with_licence(&server);
    let bo_url = another_user(&url, "bo", "SELECT, INSERT, UPDATE, DELETE");
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut ann = Library::open(&url).unwrap().edit("licence").unwrap();
    let mut bo = Library::open(&bo_url).unwrap().edit("licence").unwrap();
    let pain = map.pain_points[0].clone();
    let step = map.steps.iter().find(|s| s.score.is_some() && s.id != pain.step).unwrap().clone();

    // Bo deletes a pain point; Ann, who has not seen that, scores a step:
    // her edit still holds and is stored on top of Bo's.
    bo.apply(&Edit::DeletePainPoint { id: pain.id.clone() }).unwrap();
    let mut scored = step.clone();
    scored.score = Some(1.5);
    let after = ann.apply(&Edit::UpdateStep { step: scored.clone() }).unwrap();
    assert!(after.pain_points.iter().all(|p| p.id != pain.id), "Ann's map now has Bo's deletion");
    assert_eq!(after.steps.iter().find(|s| s.id == step.id).unwrap().score, Some(1.5));
    assert_eq!(ann.version(), 2);

    // Bo, now behind, deletes another pain point (it holds); then Ann,
    // behind in turn, changes that one: it was there on her map and is gone
    // on the newer one, so she is refused, told it was Bo's doing.
    let other = map.pain_points[1].clone();
    bo.apply(&Edit::DeletePainPoint { id: other.id.clone() }).unwrap();
    let mut gone = other.clone();
    gone.text = "Edited after it was deleted".into();
    let err = ann.apply(&Edit::UpdatePainPoint { pain_point: gone }).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, waymark_library::EditRefused::Conflict { .. }), "{text}");
    assert!(text.contains("the map was changed by bo: "), "{text}");
    assert!(ann.map().pain_points.iter().all(|p| p.id != other.id), "Ann caught up");
    // An edit that is wrong whatever others did is refused as such.
    let mut bo_behind = Library::open(&bo_url).unwrap().edit("licence").unwrap();
    ann.apply(&Edit::SetTitle { title: "Ann was here".into() }).unwrap();
    let mut bad = step.clone();
    bad.score = Some(9.0);
    let err = bo_behind.apply(&Edit::UpdateStep { step: bad }).unwrap_err();
    assert!(matches!(err, waymark_library::EditRefused::Invalid(_)), "{err}");
    let versions: i64 = admin.query_one("SELECT count(*) FROM edit WHERE map_id = 'licence'", &[]).unwrap().get(0);
    assert_eq!(versions, 4, "the refused edits stored nothing");
}

#[test]
fn a_library_of_the_first_schema_is_brought_up_to_date_on_opening() {
    let server = Server::start();
    let url = server.database("old");
    Library::init(&url).unwrap();
    // What the first version made: no alias table, schema version 1.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute("DROP TABLE department_alias; UPDATE waymark_library SET schema_version = 1").unwrap();
    let mut library = Library::open(&url).unwrap();
    assert!(library.aliases().unwrap().is_empty());
    library.set_aliases(&[vec!["IT services".into(), "IT".into()]]).unwrap();
    let version: i32 = client.query_one("SELECT schema_version FROM waymark_library", &[]).unwrap().get(0);
    assert_eq!(u32::try_from(version).unwrap(), waymark_library::LIBRARY_SCHEMA_VERSION);
    assert_eq!(library.aliases().unwrap(), vec![(1, vec!["IT services".to_owned(), "IT".to_owned()])]);
}
