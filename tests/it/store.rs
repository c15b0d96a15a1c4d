//! The `.waymark` file: round trips, integrity, and refusing what is not ours
//! without touching it.

use std::path::Path;

use rusqlite::Connection;
use waymark::interchange;
use waymark::store::{APPLICATION_ID, MapFile, SCHEMA_VERSION, StoreError};

use crate::support::{map_of, samples, small_map_json, tempdir};

fn integrity(path: &Path) -> String {
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[test]
fn every_sample_survives_json_to_waymark_to_json_unchanged() {
    let dir = tempdir();
    for (sample, map) in samples() {
        let path = dir.path().join(format!("{}.waymark", sample.name));
        let file = MapFile::create(&path, &map).unwrap();
        let back = file.load().unwrap();
        assert_eq!(back, map, "{}: the stored map must equal the imported one", sample.name);
        assert_eq!(
            interchange::write(&back),
            sample.json,
            "{}: exporting must reproduce the sample byte for byte",
            sample.name
        );
        assert_eq!(integrity(&path), "ok", "{}: integrity_check", sample.name);
    }
}

#[test]
fn a_file_is_stamped_with_the_application_id_and_schema_version() {
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    MapFile::create(&path, &map_of(&small_map_json())).unwrap();
    let conn = Connection::open(&path).unwrap();
    let app: u32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn saving_replaces_the_map_and_survives_reopening() {
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    let mut map = map_of(&small_map_json());
    let mut file = MapFile::create(&path, &map).unwrap();
    map.title = "Renamed in the workshop".into();
    map.steps[2].score = Some(3.1);
    map.pain_points[0].votes = 7;
    file.save(&map).unwrap();
    drop(file);
    let reopened = MapFile::open(&path).unwrap().load().unwrap();
    assert_eq!(reopened, map);
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn a_failed_save_leaves_the_previous_map() {
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    let map = map_of(&small_map_json());
    let mut file = MapFile::create(&path, &map).unwrap();
    let mut broken = map.clone();
    broken.title = "half-applied".into();
    broken.flows[0].to = "nowhere".into(); // violates a foreign key mid-transaction
    let err = file.save(&broken).unwrap_err();
    assert!(matches!(err, StoreError::Sqlite { .. }), "{err}");
    assert_eq!(file.load().unwrap(), map, "the transaction must roll back whole");
}

#[test]
fn create_refuses_to_overwrite_and_leaves_no_temporary_file() {
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    std::fs::write(&path, b"precious").unwrap();
    let err = MapFile::create(&path, &map_of(&small_map_json())).unwrap_err();
    assert!(matches!(err, StoreError::Exists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no stray files: {names:?}");
}

/// Opens `bytes` written to a file and returns the error, checking the file is
/// byte for byte what it was and that nothing was created beside it.
fn refuse(bytes: &[u8]) -> StoreError {
    let dir = tempdir();
    let path = dir.path().join("x.waymark");
    std::fs::write(&path, bytes).unwrap();
    let err = MapFile::open(&path).unwrap_err();
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "a refused file must be left untouched");
    let count = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(count, 1, "nothing may be created beside a refused file");
    err
}

#[test]
fn random_bytes_are_not_a_database() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let err = refuse(&bytes);
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
}

#[test]
fn an_unrelated_sqlite_database_is_named_as_such() {
    let dir = tempdir();
    let other = dir.path().join("other.db");
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);",
    )
    .unwrap();
    drop(conn);
    let err = refuse(&std::fs::read(&other).unwrap());
    assert!(matches!(err, StoreError::Foreign { application_id: 0, .. }), "{err}");
    assert!(err.to_string().contains("another application"), "{err}");
}

fn waymark_bytes() -> Vec<u8> {
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    MapFile::create(&path, &map_of(&small_map_json())).unwrap();
    std::fs::read(&path).unwrap()
}

#[test]
fn a_truncated_file_is_named_as_such() {
    let bytes = waymark_bytes();
    for cut in [bytes.len() / 2, 120, 50, 10] {
        let err = refuse(&bytes[..cut]);
        assert!(matches!(err, StoreError::Truncated { .. }), "cut at {cut}: {err}");
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}

#[test]
fn a_file_from_a_newer_schema_is_refused_with_both_versions() {
    let mut bytes = waymark_bytes();
    bytes[60..64].copy_from_slice(&(SCHEMA_VERSION + 1).to_be_bytes());
    let err = refuse(&bytes);
    assert!(
        matches!(err, StoreError::TooNew { found, supported, .. } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("newer Waymark"), "{err}");
}

/// A file says which release wrote its schema, so an older release that
/// cannot read it names the version to install; the file is not touched.
#[test]
fn a_newer_file_names_the_release_that_wrote_it() {
    let dir = tempdir();
    // A name SQLite's URIs would misread unescaped.
    let path = dir.path().join("claims #2 ?100%.waymark");
    drop(MapFile::create(&path, &map_of(&small_map_json())).unwrap());
    let conn = Connection::open(&path).unwrap();
    let release: String = conn
        .query_row("SELECT release FROM written_by WHERE schema_version = ?1", [SCHEMA_VERSION], |r| r.get(0))
        .unwrap();
    assert_eq!(release, env!("CARGO_PKG_VERSION"), "this release signs the schema it made");
    conn.execute_batch(&format!(
        "INSERT INTO written_by VALUES ({next}, '0.7.2'); PRAGMA user_version = {next};",
        next = SCHEMA_VERSION + 1
    ))
    .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = MapFile::open(&path).err().unwrap();
    assert!(matches!(&err, StoreError::TooNew { by: Some(v), .. } if v == "0.7.2"), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("saved by Waymark 0.7.2, newer than this one"), "{message}");
    assert!(message.contains(&format!("this version, {},", env!("CARGO_PKG_VERSION"))), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the refused file is as it was");
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside.len(), 1, "nothing written beside it: {beside:?}");
}

#[test]
fn damage_inside_a_waymark_file_is_reported_not_panicked() {
    let mut bytes = waymark_bytes();
    // Scribble over the second page (a table's b-tree) but keep the header.
    for b in &mut bytes[4096..4096 + 200] {
        *b = 0xA5;
    }
    let err = refuse(&bytes);
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
}

#[test]
fn a_missing_file_says_so() {
    let dir = tempdir();
    let err = MapFile::open(&dir.path().join("gone.waymark")).unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

/// A map or report is shared with colleagues: it gets the permissions any new
/// file gets (0666 less the umask), not the owner-only ones of a scratch file.
#[cfg(unix)]
#[test]
fn new_maps_and_exports_get_the_permissions_of_any_new_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempdir();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, b"x").unwrap();
    let map = map_of(&small_map_json());
    let file = dir.path().join("m.waymark");
    MapFile::create(&file, &map).unwrap();
    let json = dir.path().join("m.json");
    waymark::atomic::write_atomically(&json, b"{}").unwrap();
    assert_eq!(mode(&file), mode(&plain), "the map");
    assert_eq!(mode(&json), mode(&plain), "an export");
    // Written again over a file the user made private, it stays private.
    std::fs::set_permissions(&json, std::fs::Permissions::from_mode(0o600)).unwrap();
    waymark::atomic::write_atomically(&json, b"{ }").unwrap();
    assert_eq!(mode(&json), 0o600, "a replaced export keeps its permissions");
}

#[test]
fn a_burst_stored_together_is_each_its_own_edit_and_a_refused_one_changes_nothing() {
    use waymark::edit::Edit;
    let dir = tempdir();
    let path = dir.path().join("m.waymark");
    let mut map = map_of(&small_map_json());
    map.workshop.participants = vec!["Ann".into(), "Bo".into(), "Cy".into()];
    let mut file = MapFile::create(&path, &map).unwrap();
    let rate = |who: &str, score: f64| Edit::Rate { step: "a".into(), participant: who.into(), score: Some(score) };
    let (after, outcomes) = file.apply_all(&map, &[rate("Ann", 2.0), rate("Bo", 7.0), rate("Cy", 3.5)]).unwrap();
    assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{outcomes:?}");
    assert!(outcomes[1].is_err(), "a score of 7 is refused");
    let ratings = |m: &waymark::Map| -> Vec<(String, f64)> {
        m.steps[0].ratings.iter().map(|r| (r.participant.clone(), r.score)).collect()
    };
    assert_eq!(ratings(&after), [("Ann".to_owned(), 2.0), ("Cy".to_owned(), 3.5)]);
    drop(file);
    // Both are in the file, and each is its own undo step.
    let mut file = MapFile::open(&path).unwrap();
    let stored = file.load().unwrap();
    assert_eq!(stored, after);
    let back = file.undo(&stored).unwrap().unwrap();
    assert_eq!(ratings(&back), [("Ann".to_owned(), 2.0)]);
    let back = file.undo(&back).unwrap().unwrap();
    assert!(back.steps[0].ratings.is_empty());
    assert_eq!(back, map);
}
