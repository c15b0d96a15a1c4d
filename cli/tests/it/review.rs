//! `waymark review …`: listing, taking and comparing reviews.

use std::path::Path;
use std::process::Command;

use crate::support::tempdir;

fn waymark(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn the_cli_lists_adds_and_compares_reviews() {
    let dir = tempdir();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/samples/licence-renewal.json");
    let d = dir.path();
    assert!(waymark(&["import", sample, "-o", "l.waymark"], d).0);
    let (ok, out) = waymark(&["review", "list", "l.waymark", "--date", "2026-11-22"], d);
    assert!(ok, "{out}");
    assert!(out.contains("No reviews yet") && out.contains("the first is due now"), "{out}");
    let (ok, out) = waymark(&["review", "diff", "l.waymark"], d);
    assert!(!ok && out.contains("no reviews yet"), "{out}");
    let (ok, out) = waymark(&["review", "add", "l.waymark", "--name", "Autumn", "--date", "2026-10-01"], d);
    assert!(ok && out.contains("review 1 \"Autumn\" taken on 2026-10-01"), "{out}");
    let (ok, out) = waymark(&["review", "list", "l.waymark", "--date", "2026-11-22"], d);
    assert!(ok, "{out}");
    assert!(out.contains("2026-10-01  Autumn") && out.contains("3 participant(s)"), "{out}");
    assert!(out.contains("Review overdue by 10 days"), "{out}");
    let (ok, out) = waymark(&["review", "diff", "l.waymark", "--json", "--date", "2026-11-22"], d);
    assert!(ok, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["before"], "Autumn");
    assert_eq!(json["after"], "now");
    // The camera commitment fell due on 30 October and is not done.
    assert_eq!(json["commitments_overdue"][0]["id"], "c_camera");
    let (ok, out) = waymark(&["review", "diff", "l.waymark", "Autumn", "Nope"], d);
    assert!(!ok && out.contains("there is no review \"Nope\""), "{out}");
    let (ok, out) = waymark(&["review", "add", "l.waymark", "--name", "Bad day", "--date", "2026-13-01"], d);
    assert!(!ok && out.contains("--date"), "{out}");
}
