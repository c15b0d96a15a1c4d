//! The command line editing library maps (`URL#MAP` wherever it takes a
//! map), and a connection service file naming the library.

use std::path::Path;

use waymark_library::Library;

use crate::fixtures::library_with_licence;
use crate::pg::{PASSWORD, Server};
use crate::support::tempdir;

/// The library's map as stored now, read afresh.
fn stored(url: &str) -> (waymark::Map, i64) {
    let editing = Library::open(url).unwrap().edit("licence").unwrap();
    (editing.map().clone(), editing.version())
}

#[test]
fn the_command_line_edits_library_maps() {
    let server = Server::start();
    let (url, _) = library_with_licence(&server);
    let dir = tempdir();
    let map_ref = format!("{url}#licence");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir.path()).output().unwrap()
    };
    let out = run(&["review", "add", &map_ref, "--name", "From the CLI", "--date", "2026-11-30"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains("review 1 \"From the CLI\"") && !text.contains(PASSWORD), "{text}");
    let addition = dir.path().join("more.json");
    let mut extra = waymark::Map::new("Extra");
    extra.workshop.participants = vec!["From the CLI".into()];
    std::fs::write(&addition, waymark::interchange::write(&extra)).unwrap();
    let out = run(&["import", addition.to_str().unwrap(), "--into", &map_ref]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    let (now, version) = stored(&url);
    assert_eq!(version, 1, "one edit in the log");
    assert!(now.workshop.participants.iter().any(|p| p == "From the CLI"), "{:?}", now.workshop.participants);
    let out = run(&["review", "list", &map_ref]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("From the CLI"));
    let out = run(&["library", "delete", &url, "licence"]);
    assert!(out.status.success());
    let out = run(&["review", "add", &map_ref, "--name", "Gone"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no map \"licence\""));
}

#[test]
fn a_connection_service_file_gives_the_library_and_its_password() {
    let server = Server::start();
    let (url, _) = library_with_licence(&server);
    assert!(url.ends_with("/lib"));
    let dir = tempdir();
    let services = dir.path().join("services.conf");
    std::fs::write(
        &services,
        format!(
            "# the team's library\n[team]\nhost=127.0.0.1\nport={}\ndbname=lib\nuser=waymark\npassword={PASSWORD}\n",
            server.port
        ),
    )
    .unwrap();
    let list = |service_file: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
            .args(["library", "list", "postgres://?service=team"])
            .env("PGSERVICEFILE", service_file)
            .env("HOME", dir.path())
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .output()
            .unwrap()
    };
    let out = list(&services);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains("licence") && !text.contains(PASSWORD), "{text}");
    let out = list(&dir.path().join("none.conf"));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("no connection service \"team\""), "{text}");
}
