//! Writes that fail inside SQLite: the map stays as it was and the message
//! says why in words. These need the connection itself (to cap its size or
//! forbid writes), so they live beside it rather than in `tests/it`.

use super::*;
use crate::interchange;
use crate::samples::LICENCE_RENEWAL;

fn sample_file(dir: &Path) -> (MapFile, Map) {
    let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
    let file = MapFile::create(&dir.join("m.waymark"), &map).unwrap();
    (file, map)
}

/// An edit that needs far more room than the file has.
fn big_edit(map: &Map) -> Edit {
    let mut pain_point = map.pain_points[0].clone();
    pain_point.id = "big".into();
    pain_point.dots.clear(); // the sample's dots are already within the budget
    pain_point.text = "a long story ".repeat(1_500); // under the 20,000-character limit
    Edit::AddPainPoint { pain_point }
}

#[test]
fn a_full_disk_refuses_the_edit_and_keeps_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let (mut file, map) = sample_file(dir.path());
    let pages: u32 = file.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    // SQLite answers SQLITE_FULL once the file would outgrow this, as when the disk fills.
    file.conn.pragma_update(None, "max_page_count", pages).unwrap();
    let err = file.apply(&map, &big_edit(&map)).unwrap_err();
    let ApplyError::Store(err @ StoreError::Sqlite { .. }) = err else { panic!("{err:?}") };
    let message = err.to_string();
    assert!(message.contains("could not save: the disk is full; nothing was changed"), "{message}");
    assert!(message.contains("m.waymark"), "{message}");
    assert_eq!(file.load().unwrap(), map);
    assert_eq!(file.history_depth().unwrap(), (0, 0), "no history row for an edit not stored");
    let path = file.path().to_owned();
    drop(file);
    assert_eq!(MapFile::open(&path).unwrap().load().unwrap(), map);
}

#[test]
fn a_connection_that_may_not_write_says_the_file_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut file, map) = sample_file(dir.path());
    file.conn.pragma_update(None, "query_only", true).unwrap();
    let err = file.save(&map).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Sqlite { .. }), "{err:?}");
    assert!(message.contains("could not save: the file is read-only; nothing was changed"), "{message}");
    assert_eq!(file.load().unwrap(), map);
}

#[test]
fn other_failures_keep_sqlite_s_own_words() {
    let err = rusqlite::Error::QueryReturnedNoRows;
    assert_eq!(explain(&err), err.to_string());
}
