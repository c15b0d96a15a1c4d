//! `waymark-room FILE.waymark`: hosts a room with no window, prints its URL
//! and code, and on SIGTERM closes with every acknowledged action in the file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

#[test]
fn the_command_line_host_serves_until_sigterm_and_keeps_every_action() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("room.waymark");
    let sample = waymark::samples::ALL.iter().find(|s| s.name == "licence-renewal").unwrap();
    drop(waymark::store::MapFile::create(&path, &waymark::interchange::read(sample.json).unwrap()).unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-room"))
        .arg(&path)
        .args(["--bind", "127.0.0.1", "--activities", "rating,voting"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let url = line.strip_prefix("room: ").unwrap().trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/r/"), "{line}");
    line.clear();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("code: ") && line.trim().len() == "code: ".len() + 6, "{line}");

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let post = |path: &str, body: Value| {
        let mut r = agent.post(format!("{url}{path}")).send_json(&body).unwrap();
        (r.status().as_u16(), r.body_mut().read_json::<Value>().unwrap())
    };
    assert_eq!(post("api/join", json!({ "voter": "cli-voter-1", "name": "Zoe" })).0, 200);
    assert_eq!(post("api/rate", json!({ "voter": "cli-voter-1", "step": "photo_line", "score": 3.5 })).0, 200);
    let (status, body) = post("api/pain", json!({ "voter": "cli-voter-1", "step": "photo_line", "text": "x" }));
    assert_eq!(status, 409, "adding pain points was not opened: {body}");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean close: {status}");
    let map = waymark::store::MapFile::open(&path).unwrap().load().unwrap();
    let photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap();
    assert!(photo.ratings.iter().any(|r| r.participant == "Zoe" && r.score == 3.5));
}
