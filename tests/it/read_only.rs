//! A map open in another Waymark, or one that may not be written, opens
//! read-only: it shows the map, refuses every change with the reason, and
//! leaves the file byte for byte as it was.

use std::io::Read as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use waymark::Map;
use waymark::edit::Edit;
use waymark::store::{ApplyError, MapFile, ReadOnly, StoreError};

use crate::child::Helper;
use crate::support::{licence_as_schema_v1, map_of, small_map_json, tempdir};

/// The file the holder child opens, in its environment.
const HOLD_FILE: &str = "WAYMARK_HOLD_FILE";

/// Opens the file and keeps it open until its stdin closes (the parent is
/// done, or died).
#[test]
#[ignore = "the child process of the read-only tests, which run it"]
fn holder() {
    let Some(path) = std::env::var_os(HOLD_FILE) else { return };
    let file = MapFile::open(Path::new(&path)).unwrap();
    assert_eq!(file.read_only(), None, "the first opener edits");
    let mut out = std::io::stdout().lock();
    writeln!(out, "open").unwrap();
    out.flush().unwrap();
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
}

fn new_map_file(dir: &Path) -> (PathBuf, Map) {
    let path = dir.join("shared.waymark");
    let map = map_of(&small_map_json());
    drop(MapFile::create(&path, &map).unwrap());
    (path, map)
}

/// Tries every kind of change on a read-only file and checks each is refused
/// for `reason` with `words` in the message, and that the file did not change.
fn assert_refuses_changes(file: &mut MapFile, map: &Map, reason: ReadOnly, words: &str) {
    let path = file.path().to_owned();
    let before = std::fs::read(&path).unwrap();
    let check = |err: &StoreError| {
        assert!(matches!(err, StoreError::ReadOnly { reason: r, .. } if *r == reason), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(words), "{message}");
        assert!(message.contains(&path.display().to_string()), "the message names the file: {message}");
    };
    match file.apply(map, &Edit::SetTitle { title: "changed here".into() }).unwrap_err() {
        ApplyError::Store(err) => check(&err),
        other @ ApplyError::Refused(_) => panic!("refused as an edit, not for being read-only: {other}"),
    }
    check(&file.undo(map).unwrap_err());
    check(&file.redo(map).unwrap_err());
    check(&file.save(map).unwrap_err());
    assert_eq!(std::fs::read(&path).unwrap(), before, "a read-only map's file must not change");
    let beside: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-journal"))
        .collect();
    assert!(beside.is_empty(), "no journal may be started: {beside:?}");
    assert_eq!(file.load().unwrap(), *map, "the map is still shown");
}

#[test]
fn a_map_open_in_another_process_opens_read_only_and_refuses_changes() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    let mut holder = Helper::start("read_only::holder", HOLD_FILE, path.as_os_str());
    holder.wait_for("open");

    let mut second = MapFile::open(&path).unwrap();
    assert_eq!(second.read_only(), Some(ReadOnly::OpenElsewhere));
    assert_eq!(second.load().unwrap(), map);
    assert_refuses_changes(
        &mut second,
        &map,
        ReadOnly::OpenElsewhere,
        "another Waymark window has this map open; it is open read-only",
    );
    drop(second);

    // The other window closes the map: the next open edits again.
    drop(holder.stdin());
    let (_, status) = holder.finish();
    assert!(status.success(), "the holder must have run and exited cleanly: {status}");
    let mut file = MapFile::open(&path).unwrap();
    assert_eq!(file.read_only(), None);
    file.apply(&map, &Edit::SetTitle { title: "mine now".into() }).unwrap();
}

#[test]
fn a_window_that_was_killed_leaves_the_map_editable() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    let mut holder = Helper::start("read_only::holder", HOLD_FILE, path.as_os_str());
    holder.wait_for("open");
    assert_eq!(MapFile::open(&path).unwrap().read_only(), Some(ReadOnly::OpenElsewhere));
    let _ = holder.kill();
    let mut file = MapFile::open(&path).unwrap();
    assert_eq!(file.read_only(), None, "the system drops a dead process's lock");
    file.apply(&map, &Edit::SetTitle { title: "after the crash".into() }).unwrap();
}

#[test]
fn a_second_open_in_the_same_process_is_read_only_too() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    let mut first = MapFile::open(&path).unwrap();
    let second = MapFile::open(&path).unwrap();
    assert_eq!((first.read_only(), second.read_only()), (None, Some(ReadOnly::OpenElsewhere)));
    let map = first.apply(&map, &Edit::SetTitle { title: "edited by the first".into() }).unwrap();
    assert_eq!(second.load().unwrap(), map, "the read-only one reads what the editor stored");
    drop(second);
    drop(first);
    assert_eq!(MapFile::open(&path).unwrap().read_only(), None);
}

#[test]
fn closing_a_map_leaves_nothing_beside_it() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    let mut file = MapFile::open(&path).unwrap();
    let during = std::fs::read_dir(dir.path()).unwrap().count();
    file.apply(&map, &Edit::SetTitle { title: "x".into() }).unwrap();
    drop(file);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [path.file_name().unwrap()], "only the map remains (there were {during} files while open)");
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// Root may write any file, so these judge by permission bits, not by a write
// that would succeed: the tests hold as root too (CI runs as root).
#[cfg(unix)]
#[test]
fn a_file_without_write_permission_opens_read_only() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    chmod(&path, 0o444);
    let mut file = MapFile::open(&path).unwrap();
    assert_eq!(file.read_only(), Some(ReadOnly::FileNotWritable));
    assert_refuses_changes(&mut file, &map, ReadOnly::FileNotWritable, "the file is read-only");
    drop(file);
    chmod(&path, 0o644);
    assert_eq!(MapFile::open(&path).unwrap().read_only(), None);
}

#[cfg(unix)]
#[test]
fn a_map_in_a_folder_without_write_permission_opens_read_only() {
    let dir = tempdir();
    let (path, map) = new_map_file(dir.path());
    chmod(dir.path(), 0o555);
    let opened = MapFile::open(&path);
    chmod(dir.path(), 0o755);
    let mut file = opened.unwrap();
    assert_eq!(file.read_only(), Some(ReadOnly::FileNotWritable));
    chmod(dir.path(), 0o555);
    assert_refuses_changes(&mut file, &map, ReadOnly::FileNotWritable, "the file is read-only");
    chmod(dir.path(), 0o755);
}

#[cfg(unix)]
#[test]
fn a_read_only_map_from_schema_version_1_is_upgraded_in_memory_only() {
    let dir = tempdir();
    let path = dir.path().join("old.waymark");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/licence-renewal-schema-v1.waymark"), &path)
        .unwrap();
    chmod(&path, 0o444);
    let before = std::fs::read(&path).unwrap();
    let mut file = MapFile::open(&path).unwrap();
    assert_eq!(file.read_only(), Some(ReadOnly::FileNotWritable));
    let map = file.load().unwrap();
    assert_eq!(map, licence_as_schema_v1());
    assert_eq!(file.history_depth().unwrap(), (0, 0));
    assert_refuses_changes(&mut file, &map, ReadOnly::FileNotWritable, "the file is read-only");
    assert_eq!(std::fs::read(&path).unwrap(), before, "still version 1 on disk");
}
