//! The system refusing a write in the middle of an edit: the edit is refused
//! with a message that says so, and the file keeps the map as it was.
//!
//! The child runs under a file-size limit (`ulimit -f`), so the system refuses
//! its writes past that size, as it would on a failing or full disk, at
//! whatever point of the commit SQLite reaches it. `SIGXFSZ` is ignored so the
//! write fails with an error (EFBIG, which SQLite reports as a disk I/O error)
//! instead of killing the process. A full disk proper (SQLITE_FULL) is tested
//! beside the connection, in `src/store/tests.rs`.

use std::io::Write as _;
use std::path::Path;

use waymark::edit::Edit;
use waymark::store::MapFile;

const LIMITED_FILE: &str = "WAYMARK_LIMITED_FILE";

#[test]
#[ignore = "the child process of `a_write_the_system_refuses_mid_edit_keeps_the_map_as_it_was`, which runs it"]
fn child() {
    let Some(path) = std::env::var_os(LIMITED_FILE) else { return };
    let mut file = MapFile::open(Path::new(&path)).unwrap();
    let map = file.load().unwrap();
    // 2.6 MB of notes over 140 new steps: each note within the 20,000-character limit.
    let steps = (0..140)
        .map(|i| {
            let mut step = map.steps[0].clone();
            step.id = format!("big{i}");
            step.visibility = waymark::model::Visibility::Backstage;
            step.score = None;
            step.ratings.clear();
            step.entry_share = None;
            step.notes = Some("a long story ".repeat(1_450));
            step
        })
        .collect();
    let edit = Edit::AddSteps { stages: Vec::new(), departments: Vec::new(), steps };
    let outcome = match file.apply(&map, &edit) {
        Ok(_) => "stored".to_owned(),
        Err(e) => format!("error: {e}"),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{outcome}").unwrap();
    out.flush().unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_the_system_refuses_mid_edit_keeps_the_map_as_it_was() {
    use rusqlite::{Connection, OpenFlags};

    use crate::child::Helper;
    use crate::support::{samples, tempdir};

    let dir = tempdir();
    let path = dir.path().join("limited.waymark");
    let map = samples()[0].1.clone();
    drop(MapFile::create(&path, &map).unwrap());
    // 400 blocks is 200 KiB in 512-byte blocks (dash) or 400 KiB (bash): room
    // for the 48 KiB map and its journal, none for the 2.6 MB edit.
    let wrapper = ["sh", "-c", "trap '' XFSZ; ulimit -f 400 && exec \"$@\"", "sh"];
    let helper = Helper::start_through(&wrapper, "write_failure::child", LIMITED_FILE, path.as_os_str());
    let (lines, status) = helper.finish();
    assert!(status.success(), "the child must report, not crash: {status} {lines:?}");
    let outcome = lines.iter().find(|l| l.starts_with("error: ") || *l == "stored").unwrap();
    assert!(
        outcome.contains("could not save: the system could not write to the disk; nothing was changed")
            || outcome.contains("could not save: the disk is full; nothing was changed"),
        "{outcome}"
    );

    let file = MapFile::open(&path).unwrap();
    assert_eq!(file.load().unwrap(), map, "the map as before the edit");
    assert_eq!(file.history_depth().unwrap(), (0, 0));
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}
