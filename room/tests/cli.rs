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

/// The room's output, line by line, on a thread: a test waits for a line
/// with a timeout instead of blocking on a read.
struct Lines(std::sync::mpsc::Receiver<String>);

impl Lines {
    fn of(out: std::process::ChildStdout) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self(rx)
    }

    /// The first line starting with `prefix`, skipping others.
    fn until(&self, prefix: &str) -> String {
        loop {
            let line = self
                .0
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no line \"{prefix}…\""));
            if line.starts_with(prefix) {
                return line;
            }
        }
    }
}

fn start(
    path: &std::path::Path,
    state: &std::path::Path,
) -> (std::process::Child, std::io::BufWriter<std::process::ChildStdin>, Lines) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-room"))
        .arg(path)
        .args(["--bind", "127.0.0.1", "--keep-link"])
        .env("XDG_STATE_HOME", state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = std::io::BufWriter::new(child.stdin.take().unwrap());
    let lines = Lines::of(child.stdout.take().unwrap());
    (child, stdin, lines)
}

fn say(stdin: &mut std::io::BufWriter<std::process::ChildStdin>, line: &str) {
    use std::io::Write;
    writeln!(stdin, "{line}").unwrap();
    stdin.flush().unwrap();
}

#[test]
fn the_facilitator_sees_who_joins_and_runs_the_room_from_the_terminal_and_a_kept_link_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("room.waymark");
    let state = dir.path().join("state");
    let sample = waymark::samples::ALL.iter().find(|s| s.name == "licence-renewal").unwrap();
    drop(waymark::store::MapFile::create(&path, &waymark::interchange::read(sample.json).unwrap()).unwrap());
    let (mut child, mut stdin, lines) = start(&path, &state);
    let url = lines.until("room: ")["room: ".len()..].trim().to_owned();
    let code = lines.until("code: ");
    assert!(lines.until("  release NAME").contains("free a name"), "the commands are printed at the start");

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let post = |url: &str, path: &str, body: Value| {
        let mut r = agent.post(format!("{url}{path}")).send_json(&body).unwrap();
        (r.status().as_u16(), r.body_mut().read_json::<Value>().unwrap())
    };
    assert_eq!(post(&url, "api/join", json!({ "voter": "first-browser", "name": "Zoe" })).0, 200);
    assert_eq!(lines.until("joined: "), "joined: Zoe (1 in the room)");
    assert_eq!(post(&url, "api/done", json!({ "voter": "first-browser", "done": true })).0, 200);
    assert_eq!(lines.until("done: "), "done: Zoe (1 of 1 done)");

    say(&mut stdin, "close Voting");
    assert_eq!(lines.until("open now: "), "open now: rating, pain");
    let (status, body) =
        post(&url, "api/dot", json!({ "voter": "first-browser", "pain_point": "pp_camera", "delta": 1 }));
    assert_eq!(status, 409, "voting was closed from the terminal: {body}");
    say(&mut stdin, "dance");
    assert!(lines.until("\"dance\"").contains("not a command"));

    // Zoe opened the link in a second browser: the name is hers only once
    // the facilitator releases it.
    let (status, _) = post(&url, "api/join", json!({ "voter": "second-browser", "name": "zoe" }));
    assert_eq!(status, 409);
    say(&mut stdin, "release ZOE");
    assert!(lines.until("released: ").starts_with("released: Zoe"));
    let (status, body) = post(&url, "api/join", json!({ "voter": "second-browser", "name": "zoe" }));
    assert_eq!((status, body["participant"].as_str()), (200, Some("Zoe")), "{body}");
    assert_eq!(post(&url, "api/rate", json!({ "voter": "second-browser", "step": "photo_line", "score": 4 })).0, 200);
    let (status, _) = post(&url, "api/rate", json!({ "voter": "first-browser", "step": "photo_line", "score": 1 }));
    assert_eq!(status, 409, "the first browser no longer acts as Zoe");

    say(&mut stdin, "quit");
    assert!(lines.until("room closed").contains("every action is stored"));
    assert!(child.wait().unwrap().success());

    // Opened again with --keep-link: the same link and code, and the phone
    // that held Zoe still does, without joining again.
    let (mut child, mut stdin, lines) = start(&path, &state);
    assert_eq!(lines.until("room: ")["room: ".len()..].trim(), url);
    assert_eq!(lines.until("code: "), code);
    let (status, body) =
        post(&url, "api/rate", json!({ "voter": "second-browser", "step": "photo_line", "score": 4.5 }));
    assert_eq!(status, 200, "{body}");
    // Stopped by a signal while its standard input is still open (a
    // terminal no one types in): it closes all the same.
    say(&mut stdin, "who");
    assert_eq!(lines.until("1 in the room"), "1 in the room, 0 done: Zoe");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert!(lines.until("room closed").contains("every action is stored"));
    assert!(child.wait().unwrap().success());
    drop(stdin);
    let map = waymark::store::MapFile::open(&path).unwrap().load().unwrap();
    let photo = map.steps.iter().find(|s| s.id == "photo_line").unwrap();
    assert_eq!(photo.ratings.iter().filter(|r| r.participant == "Zoe").map(|r| r.score).collect::<Vec<_>>(), [4.5]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let kept = std::fs::read_dir(state.join("waymark/rooms")).unwrap().next().unwrap().unwrap().path();
        assert_eq!(std::fs::metadata(kept).unwrap().permissions().mode() & 0o077, 0, "the token is the user's alone");
    }
}
