//! `waymark library …` and library maps wherever the command line reads a
//! map, against a real PostgreSQL (a throwaway server per test, see the
//! library's `tests/it/pg.rs`).

use std::path::Path;
use std::process::{Command, Output};

use waymark::store::MapFile;

use crate::fixtures::licence_file;
use crate::pg::{PASSWORD, Server};
use crate::support::tempdir;

fn waymark(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).env_remove("PGPASSWORD").output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn the_command_line_inits_pushes_lists_pulls_and_reads_library_maps() {
    let server = Server::start();
    let url = server.database("lib");
    let dir = tempdir();
    let file = licence_file(dir.path());
    let file = file.to_str().unwrap();

    let out = waymark(&["library", "init", &url], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("now a Waymark library"), "{}", text(&out));
    assert!(!text(&out).contains(PASSWORD), "the password is never printed");

    let out = waymark(&["library", "push", file, "--to", &url], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("as licence-renewal-as-mapped-in-the-workshop (21 steps, 3 edits of history, 2 reviews)"),
        "{}",
        text(&out)
    );

    let out = waymark(&["library", "list", &url, "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["id"], "licence-renewal-as-mapped-in-the-workshop");
    assert_eq!(listed[0]["steps"], 21);
    assert!(listed[0]["last_edit"].is_string() && listed[0]["next_review"].is_string(), "{listed}");

    let out = waymark(&["library", "list", &url], dir.path());
    assert!(text(&out).contains("Licence renewal, as mapped in the workshop"), "{}", text(&out));

    let out = waymark(
        &["library", "pull", &url, "licence-renewal-as-mapped-in-the-workshop", "-o", "back.waymark"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let back = MapFile::open(&dir.path().join("back.waymark")).unwrap();
    assert_eq!(back.archive().unwrap(), MapFile::open(Path::new(file)).unwrap().archive().unwrap());

    // A library map reads wherever a map is read.
    let map_ref = format!("{url}#licence-renewal-as-mapped-in-the-workshop");
    let from_library = waymark(&["analyze", &map_ref, "--json"], dir.path());
    let from_file = waymark(&["analyze", file, "--json"], dir.path());
    assert!(from_library.status.success(), "{}", text(&from_library));
    assert_eq!(from_library.stdout, from_file.stdout, "the same analysis from the library as from the file");
    let out = waymark(&["review", "list", &map_ref, "--date", "2026-12-02"], dir.path());
    assert!(text(&out).contains("Winter review"), "{}", text(&out));
    let out = waymark(&["export", &map_ref, "--pdf", "r.pdf", "--date", "2026-12-02"], dir.path());
    assert!(out.status.success() && dir.path().join("r.pdf").exists(), "{}", text(&out));

    // Refusals: a taken id, a missing map, a review dated before the last.
    let out = waymark(&["library", "push", file, "--to", &url], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("push it under another id with --id"), "{}", text(&out));
    let out = waymark(&["analyze", &format!("{url}#no-such-map")], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("has no map \"no-such-map\""), "{}", text(&out));
    let out = waymark(&["review", "add", &map_ref, "--name", "x", "--date", "2026-01-01"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("would come before the last review"), "{}", text(&out));
    assert!(!text(&out).contains(PASSWORD));
}
