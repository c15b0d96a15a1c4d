//! The `waymark` command as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::support::{licence_value, tempdir};

fn waymark(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn sample_path() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/samples/licence-renewal.json").to_owned()
}

#[test]
fn import_export_and_validate_a_sample() {
    let dir = tempdir();
    let out = waymark(&["import", &sample_path(), "-o", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let out = waymark(&["validate", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 error(s), 3 warning(s)"), "{}", text(&out));
    // The card posted to the customer is drawn in an internal lane, below the line.
    assert!(
        text(&out).contains("a frontstage step in Card production's lane, which faces no customer"),
        "{}",
        text(&out)
    );
    let out = waymark(&["export", "l.waymark", "--json", "back.json", "--svg", "map.svg"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let back = std::fs::read_to_string(dir.path().join("back.json")).unwrap();
    assert_eq!(back, std::fs::read_to_string(sample_path()).unwrap(), "the export is the sample, byte for byte");
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    // The title wraps on its card: "Photo line and" / "camera".
    assert!(svg.starts_with("<svg") && svg.contains(">Photo line and</text>"), "{svg:.400}");
}

#[test]
fn a_refused_import_creates_no_file_and_names_the_field() {
    let dir = tempdir();
    let mut doc = licence_value();
    doc["steps"][3]["score"] = json!(7.5);
    std::fs::write(dir.path().join("bad.json"), doc.to_string()).unwrap();
    let out = waymark(&["import", "bad.json", "-o", "bad.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("steps[3].score: 7.5 is outside 1.0..5.0"), "{}", text(&out));
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, vec![std::ffi::OsString::from("bad.json")], "no output, no temporary file");
}

#[test]
fn validate_exits_non_zero_on_errors_in_json_and_lists_them() {
    let dir = tempdir();
    let mut doc = licence_value();
    doc["flows"][0]["to"] = json!("nowhere");
    doc["steps"][0]["score"] = json!(0.5);
    std::fs::write(dir.path().join("bad.json"), doc.to_string()).unwrap();
    let out = waymark(&["validate", "bad.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("flows[0].to: unknown step \"nowhere\""), "{t}");
    assert!(t.contains("steps[0].score: 0.5 is outside 1.0..5.0"), "{t}");
}

#[test]
fn validate_explains_a_file_that_is_not_a_map() {
    let dir = tempdir();
    std::fs::write(dir.path().join("notes.waymark"), "just some text, not a database").unwrap();
    let out = waymark(&["validate", "notes.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("not an SQLite database"), "{}", text(&out));
}

#[test]
fn import_will_not_overwrite_an_existing_map() {
    let dir = tempdir();
    std::fs::write(dir.path().join("taken.waymark"), b"mine").unwrap();
    let out = waymark(&["import", &sample_path(), "-o", "taken.waymark"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("already there"), "{}", text(&out));
    assert_eq!(std::fs::read(dir.path().join("taken.waymark")).unwrap(), b"mine");
}

#[test]
fn a_csv_then_a_json_of_flows_and_agreements_make_one_map_without_an_export() {
    let dir = tempdir();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let csv = format!("{fixtures}/hotel-steps.csv");
    let more = format!("{fixtures}/hotel-more.json");
    let out = waymark(&["import", &csv, "-o", "hotel.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported \"Hotel overnight stay\" (18 steps)"),
        "the # line names the map: {}",
        text(&out)
    );
    let out = waymark(&["validate", "hotel.waymark"], dir.path());
    assert!(text(&out).contains("every step counts as a visit of its own"), "{}", text(&out));
    let out = waymark(&["import", &more, "--into", "hotel.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("added 18 flows, 5 agreements, 1 pain point, 1 charter promise"), "{}", text(&out));
    // The same map as the one written as one JSON document, lanes on their sides.
    let path = dir.path().join("hotel.waymark");
    let mut file = waymark::store::MapFile::open(&path).unwrap();
    let merged = file.load().unwrap();
    let whole = waymark::interchange::read(include_str!("../../../tests/fixtures/hotel-stay.json")).unwrap();
    let a = waymark::analysis::analyze(&merged).unwrap();
    let b = waymark::analysis::analyze(&whole).unwrap();
    assert!((a.remembered.unwrap() - b.remembered.unwrap()).abs() < 1e-9);
    assert_eq!(a.agreements.len(), b.agreements.len());
    let kitchen = merged.departments.iter().find(|d| d.name == "Kitchen").unwrap();
    assert_eq!(kitchen.facing, waymark::model::Facing::Internal);
    // One edit: one undo takes all of it back.
    let undone = file.undo(&merged).unwrap().unwrap();
    assert!(undone.flows.is_empty() && undone.pain_points.is_empty() && undone.steps.len() == 18);
    // A document that contradicts the map is refused by name and changes nothing.
    let clash = dir.path().join("clash.json");
    std::fs::write(
        &clash,
        r#"{"format":"waymark/1","title":"x","stages":[],"departments":[],"steps":[{"id":"meal","title":"Another meal","stage":"evening","department":"fnb","visibility":"frontstage"}],"flows":[]}"#,
    )
    .unwrap();
    drop(file);
    let out = waymark(&["import", "clash.json", "--into", "hotel.waymark"], dir.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("step \"meal\" is on the map already and differs"), "{}", text(&out));
}

/// Regression (a claims workshop): `import --into` dropped the customers a
/// month, the review cadence and the dot budget without a word, so the room
/// ran with unlimited dots. Every setting the document carries is taken and
/// said; those it leaves out stay the map's.
#[test]
fn import_into_takes_the_documents_settings_and_set_changes_them_one_edit_each() {
    let dir = tempdir();
    let out = waymark(&["import", &sample_path(), "-o", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let before = waymark::store::MapFile::open(&dir.path().join("l.waymark")).unwrap().load().unwrap();
    // A partial document: no title, no lists but one, and settings.
    std::fs::write(
        dir.path().join("more.json"),
        r#"{"format":"waymark/1","volume":40000,"review_every_weeks":8,"workshop":{"dot_budget":3},
            "settings":{"negativity":3},
            "pain_points":[{"id":"queue_long","step":"wait_call","text":"Queue too long","severity":2,"votes":0}]}"#,
    )
    .unwrap();
    let out = waymark(&["import", "more.json", "--into", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    for part in [
        "1 pain point",
        "customers a month: 40000 (was unknown)",
        "the review cadence: every 8 weeks (was every 6 weeks)",
        "the dot budget: 3 dots each (was 5 dots each)",
        "the negativity weight: 3 (was 2.25)",
    ] {
        assert!(said.contains(part), "the summary names {part:?}: {said}");
    }
    let path = dir.path().join("l.waymark");
    let file = waymark::store::MapFile::open(&path).unwrap();
    let map = file.load().unwrap();
    assert_eq!((map.volume, map.review_every_weeks, map.workshop.dot_budget), (Some(40000), Some(8), Some(3)));
    assert_eq!(map.settings.negativity, 3.0);
    assert_eq!(map.settings.end_weight, before.settings.end_weight, "a setting the document leaves out stays");
    assert_eq!(map.title, before.title);
    assert_eq!(file.history_depth().unwrap(), (1, 0), "one edit");
    drop(file);

    // The same document again adds nothing, and says so without an undo step.
    let out = waymark(&["import", "more.json", "--into", "l.waymark"], dir.path());
    assert!(text(&out).contains("nothing new") && !text(&out).contains("undo"), "{}", text(&out));

    // `set`: one edit per setting.
    let out = waymark(
        &["set", "l.waymark", "--volume", "none", "--dot-budget", "4", "--end-weight", "0.4", "--review-every", "8"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut file = waymark::store::MapFile::open(&path).unwrap();
    let map = file.load().unwrap();
    assert_eq!((map.volume, map.workshop.dot_budget, map.settings.end_weight), (None, Some(4), 0.4));
    assert_eq!(file.history_depth().unwrap(), (4, 0), "three changes, three edits (the cadence was already 8)");
    let map = file.undo(&map).unwrap().unwrap();
    assert_eq!(
        (map.workshop.dot_budget, map.volume),
        (Some(3), None),
        "the last edit, the dot budget, is undone alone"
    );
    drop(file);
    let out = waymark(&["set", "l.waymark", "--volume", "lots"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("\"lots\" is not a whole number"), "{}", text(&out));
    let out = waymark(&["set", "l.waymark", "--standard", "7"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("7.0 is outside 1.0..5.0"), "{}", text(&out));
}

/// Regression: `export --json /dev/stdout` as root renamed a file over the
/// `/dev/stdout` link, and `--json -` made a file named `-`.
#[test]
fn outputs_go_to_standard_output_through_links_and_into_pipes_without_replacing_them() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempdir();
    let out = waymark(&["import", &sample_path(), "-o", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let sample = std::fs::read_to_string(sample_path()).unwrap();

    let out = waymark(&["export", "l.waymark", "--json", "-"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), sample, "the document, and nothing else, on standard output");
    assert!(!dir.path().join("-").exists(), "no file named -");
    let out = waymark(&["export", "l.waymark", "--svg", "-", "--json", "map.json"], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<svg"), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote map.json"), "{}", text(&out));
    let out = waymark(&["export", "l.waymark", "--svg", "-", "--json", "-"], dir.path());
    assert!(!out.status.success() && text(&out).contains("only one output"), "{}", text(&out));
    let out = waymark(&["import", &sample_path(), "-o", "-"], dir.path());
    assert!(!out.status.success() && text(&out).contains("cannot go to standard output"), "{}", text(&out));

    // A link is followed: its target is written and the link stays a link.
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::os::unix::fs::symlink("shared/real.json", dir.path().join("link.json")).unwrap();
    let out = waymark(&["export", "l.waymark", "--json", "link.json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::symlink_metadata(dir.path().join("link.json")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dir.path().join("shared/real.json")).unwrap(), sample);

    // A pipe is written into, not replaced.
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = waymark(&["export", "l.waymark", "--json", "pipe"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    assert_eq!(reader.join().unwrap(), sample);

    // A folder is refused in words.
    let out = waymark(&["export", "l.waymark", "--json", "shared"], dir.path());
    assert!(!out.status.success() && text(&out).contains("is a folder"), "{}", text(&out));
}

#[test]
fn steps_lists_every_id_beside_its_title() {
    let dir = tempdir();
    let out = waymark(&["steps", &sample_path()], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("photo_line") && t.contains("Photo line and camera (Photo and signature · Photo and card station)"),
        "{t}"
    );
    let out = waymark(&["steps", &sample_path(), "--json"], dir.path());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 21);
    assert_eq!(rows[0]["visibility"], "frontstage");
}

/// `waymark steps MAP | head -1`: the reader goes away, the command stops quietly.
#[test]
fn a_closed_pipe_stops_the_output_quietly() {
    let dir = tempdir();
    let out = waymark(&["generate", "--steps", "5000", "--output", "big.json"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["steps", "big.json"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    drop(out);
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

/// `analyze` says what the PDF brief says of handoffs and promises.
#[test]
fn analyze_and_the_brief_name_the_same_breaches_and_promises_at_risk() {
    let dir = tempdir();
    let out = waymark(&["analyze", &sample_path()], dir.path());
    let t = text(&out);
    let breach =
        "IT services: Applicant file sent to photo station → Photo line and camera: 9 min against 2 min promised";
    let promise =
        "Photo and signature: “Your photo is taken within 5 minutes of paying” (within 5 min) missed in practice";
    assert!(t.contains(breach) && t.contains(promise), "{t}");
    let out = waymark(&["export", &sample_path(), "--pdf", "brief.pdf"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let pdf = Command::new("pdftotext").arg(dir.path().join("brief.pdf")).arg("-").output().expect("pdftotext");
    let brief = String::from_utf8_lossy(&pdf.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for line in [breach, promise] {
        let words = line.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(brief.contains(&words), "the brief lacks: {words}\n{brief}");
    }
}

#[test]
fn a_map_being_edited_elsewhere_is_refused_in_a_command_lines_words() {
    let dir = tempdir();
    let out = waymark(&["import", &sample_path(), "-o", "l.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    // This test holds the map open for editing, as a window would.
    let editor = waymark::store::MapFile::open(&dir.path().join("l.waymark")).unwrap();
    assert!(editor.read_only().is_none());
    let out = waymark(&["set", "l.waymark", "--dot-budget", "4"], dir.path());
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains("l.waymark: not changed: a Waymark window or another command is editing this map; close it"),
        "{said}"
    );
    assert!(!said.contains("read-only") && said.matches("l.waymark").count() == 1, "{said}");
    drop(editor);
}

/// The workshop's spreadsheet as it was saved, from Excel or LibreOffice,
/// imports as its CSV does; a bad row is named by its row in the sheet.
#[test]
fn steps_import_from_an_excel_or_libreoffice_workbook_as_from_their_csv() {
    let dir = tempdir();
    let fixture = |name: &str| format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let out = waymark(&["import", &fixture("hotel-steps.csv"), "-o", "csv.waymark"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let from_csv = waymark::store::MapFile::open(&dir.path().join("csv.waymark")).unwrap().load().unwrap();
    for (file, sheet) in [("hotel-steps.xlsx", None), ("hotel-steps.ods", Some("Steps"))] {
        let target = format!("{file}.waymark");
        let fixture_path = fixture(file);
        let mut args = vec!["import", fixture_path.as_str(), "-o", &target];
        if let Some(s) = sheet {
            args.extend(["--sheet", s]);
        }
        let out = waymark(&args, dir.path());
        assert!(out.status.success(), "{file}: {}", text(&out));
        let map = waymark::store::MapFile::open(&dir.path().join(&target)).unwrap().load().unwrap();
        assert_eq!(map, from_csv, "{file} imports as the CSV does");
    }
    // The .ods's first sheet is the notes: no header there, said by row.
    let out = waymark(&["import", &fixture("hotel-steps.ods"), "-o", "notes.waymark"], dir.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("sheet \"Notes\": row 1: no \"title\" column"), "{}", text(&out));
    let out = waymark(&["import", &fixture("hotel-steps.xlsx"), "--sheet", "Nope", "-o", "x.waymark"], dir.path());
    assert!(text(&out).contains("no sheet named \"Nope\"; the sheets are Steps"), "{}", text(&out));
    assert!(!dir.path().join("notes.waymark").exists() && !dir.path().join("x.waymark").exists());
}

/// `--version` names the release and the commit of the checkout it was built
/// from, so a bug report says exactly which build; the room's says the same.
#[test]
fn the_version_names_the_release_and_the_commit() {
    let dir = tempdir();
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout)[..12].to_owned());
    let commit = std::env::var("WAYMARK_COMMIT").ok().or(head).unwrap_or_else(|| "unknown".to_owned());
    let out = waymark(&["--version"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out).trim(), format!("waymark {} (commit {commit})", env!("CARGO_PKG_VERSION")));
}

/// The manual page and the completions come from the same definitions as
/// `--help`: every command is in both, with its options.
#[test]
fn the_manual_and_the_completions_cover_every_command() {
    let dir = tempdir();
    let page = waymark(&["manual"], dir.path());
    assert!(page.status.success(), "{}", text(&page));
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH waymark 1"), "a roff page: {}", &page[..200]);
    let bash = String::from_utf8(waymark(&["completions", "bash"], dir.path()).stdout).unwrap();
    let zsh = String::from_utf8(waymark(&["completions", "zsh"], dir.path()).stdout).unwrap();
    for command in ["import", "export", "analyze", "measure", "survey", "portfolio", "completions"] {
        assert!(page.contains(&format!("waymark {command}")), "the manual has no section for {command}");
        assert!(bash.contains(command) && zsh.contains(&format!("'{command}:")), "completion lacks {command}");
    }
    for nested in ["waymark review diff", "waymark library push"] {
        assert!(page.contains(nested), "the manual has no section for {nested}");
    }
    assert!(page.contains("\\-\\-sheet") && page.contains("NAME"), "options with their values");
    assert!(!page.contains("waymark manual"), "the hidden command is not in the manual");
    assert!(bash.contains("--sheet") && zsh.contains("--sheet"), "completion knows the options");
    let out = waymark(&["completions", "fish"], dir.path());
    assert_eq!(out.status.code(), Some(2), "fish is not offered: {}", text(&out));
}
