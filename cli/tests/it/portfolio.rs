//! The portfolio: a folder (or library) of journeys read together. Its
//! figures must be exactly the sums of what `analyze --json` says of each
//! map, it must read maps without locking or changing them, and a file it
//! cannot use is listed with its reason while the rest are still reported.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use waymark::Map;
use waymark::edit::Edit;
use waymark::store::{MapFile, SCHEMA_VERSION};
use waymark_library::Library;

use crate::pg::Server;
use crate::support::{samples, small_map_json, tempdir};

const TODAY: &str = "2026-12-02";

fn waymark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).output().unwrap()
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn portfolio_json(source: &str) -> Value {
    json_of(&waymark(&["portfolio", source, "--json", "--date", TODAY]))
}

fn sample(name: &str) -> Map {
    samples().into_iter().find(|(s, _)| s.name == name).unwrap().1
}

/// A folder as an organisation keeps one: the three samples, one of them in
/// a subfolder and one as a JSON document, and a second licence office whose
/// team spelt two departments differently (" photo AND card station ", and
/// "IT" for "IT services", joined by the alias list).
fn organisation(dir: &Path) {
    std::fs::create_dir(dir.join("north")).unwrap();
    MapFile::create(&dir.join("licence.waymark"), &sample("licence-renewal")).unwrap();
    MapFile::create(&dir.join("north/tyres.waymark"), &sample("tyre-order-to-delivery")).unwrap();
    let it = waymark::interchange::write(&sample("it-service-desk"));
    std::fs::write(dir.join("it-desk.json"), it).unwrap();
    let mut second = sample("licence-renewal");
    second.title = "Licence renewal, north office".into();
    for d in &mut second.departments {
        if d.name == "Photo and card station" {
            d.name = " photo AND card station ".into();
        } else if d.name == "IT services" {
            d.name = "IT".into();
        }
    }
    MapFile::create(&dir.join("north/licence-north.waymark"), &second).unwrap();
    std::fs::write(dir.join("aliases.csv"), "# one department per line\nIT services, IT\n").unwrap();
}

/// The department's key as the portfolio matches it, with the alias above.
fn key(name: &str) -> String {
    let plain = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if plain == "it" { "it services".into() } else { plain }
}

#[test]
fn each_departments_figures_are_the_sums_of_every_maps_analysis() {
    let dir = tempdir();
    organisation(dir.path());
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    let journeys = portfolio["journeys"].as_array().unwrap();
    assert_eq!(journeys.len(), 4, "{portfolio:#}");
    assert!(portfolio["skipped"].as_array().unwrap().is_empty(), "the alias list is not a skipped map");

    // What analyze --json says of each map, summed by department name.
    let mut expected: BTreeMap<String, [f64; 11]> = BTreeMap::new();
    let mut journeys_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut weak_spots = 0;
    let mut pairs: BTreeMap<(String, String), [u64; 3]> = BTreeMap::new();
    for source in ["licence.waymark", "north/tyres.waymark", "it-desk.json", "north/licence-north.waymark"] {
        let analysis = json_of(&waymark(&["analyze", dir.path().join(source).to_str().unwrap(), "--json"]));
        for d in analysis["departments"].as_array().unwrap() {
            let row = expected.entry(key(d["name"].as_str().unwrap())).or_default();
            let n = |field: &str| d[field].as_f64().unwrap();
            let measured = n("sla_measured");
            let mean = d["mean_score"].as_f64();
            let reach = n("scored_reach");
            for (slot, value) in row.iter_mut().zip([
                n("frontstage_steps"),
                n("weak_spot_share"),
                n("caused_share"),
                n("sla_met"),
                measured - n("sla_met"),
                n("sla_unmeasured"),
                n("open_pain_points"),
                n("open_votes"),
                n("open_commitments"),
                mean.map_or(0.0, |m| m * reach),
                if mean.is_some() { reach } else { 0.0 },
            ]) {
                *slot += value;
            }
            *journeys_of.entry(key(d["name"].as_str().unwrap())).or_default() += 1;
        }
        weak_spots += analysis["weak_spots"].as_array().unwrap().len();
        for p in analysis["agreements"].as_array().unwrap() {
            let cell = pairs
                .entry((key(p["provider_name"].as_str().unwrap()), key(p["receiver_name"].as_str().unwrap())))
                .or_default();
            for (slot, field) in cell.iter_mut().zip(["met", "breached", "unmeasured"]) {
                *slot += p[field].as_u64().unwrap();
            }
        }
    }

    let departments = portfolio["departments"].as_array().unwrap();
    assert_eq!(departments.len(), expected.len(), "one row per department, spellings joined");
    for d in departments {
        let name = d["name"].as_str().unwrap();
        let want = expected[&key(name)];
        let got = |field: &str| d[field].as_f64().unwrap();
        let fields = [
            "frontstage_steps",
            "weak_spot_share",
            "caused_share",
            "sla_met",
            "sla_breached",
            "sla_unmeasured",
            "open_pain_points",
            "open_votes",
            "open_commitments",
        ];
        for (field, want) in fields.iter().zip(want) {
            assert!((got(field) - want).abs() < 1e-9, "{name}: {field} is {} but the maps sum to {want}", got(field));
        }
        match d["mean_score"].as_f64() {
            Some(mean) => assert!((mean - want[9] / want[10]).abs() < 1e-9, "{name}: mean {mean}"),
            None => assert!(want[10] == 0.0, "{name} has scored steps but no mean"),
        }
        assert_eq!(d["journeys"].as_array().unwrap().len(), journeys_of[&key(name)], "{name}");
    }
    let photo = departments.iter().find(|d| d["name"] == "Photo and card station").unwrap();
    assert_eq!(photo["journeys"].as_array().unwrap().len(), 2, "matched trimmed and case-insensitively");
    assert_eq!(photo["spellings"], serde_json::json!(["Photo and card station", "photo AND card station"]));
    let it = departments.iter().find(|d| d["name"] == "IT services").unwrap();
    assert_eq!(it["journeys"].as_array().unwrap().len(), 2, "joined through the alias list: {it:#}");

    // Every weak spot of every map, once; and the matrix is the maps' agreements summed.
    assert_eq!(portfolio["weak_spots"].as_array().unwrap().len(), weak_spots);
    let matrix = portfolio["matrix"].as_array().unwrap();
    assert_eq!(matrix.len(), pairs.len());
    for cell in matrix {
        let pair = (key(cell["provider"].as_str().unwrap()), key(cell["receiver"].as_str().unwrap()));
        let got = ["met", "breached", "unmeasured"].map(|f| cell[f].as_u64().unwrap());
        assert_eq!(got, pairs[&pair], "{pair:?}");
    }
    let breached: u64 = pairs.values().map(|c| c[1]).sum();
    assert_eq!(portfolio["breached"].as_array().unwrap().len() as u64, breached, "every breached handoff, once");
    // A department is named one way throughout, as its row is.
    let rows: Vec<&str> = departments.iter().map(|d| d["name"].as_str().unwrap()).collect();
    for w in portfolio["weak_spots"].as_array().unwrap() {
        assert!(rows.contains(&w["department"].as_str().unwrap()), "{w}");
    }
    for cell in matrix {
        assert!(
            rows.contains(&cell["provider"].as_str().unwrap()) && rows.contains(&cell["receiver"].as_str().unwrap()),
            "{cell}"
        );
    }
    // The worst internal relationship is one look away: first, and breached in both licence offices.
    assert_eq!(matrix[0]["breached"].as_u64().unwrap(), pairs.values().map(|c| c[1]).max().unwrap());
}

#[test]
fn journeys_are_compared_with_their_worst_weak_spot_and_overdue_reviews_first() {
    let dir = tempdir();
    organisation(dir.path());
    // The first licence office held its last review in the summer: with a
    // six-week cadence it is long overdue; the other one has never been
    // reviewed, so its first review is due today.
    let mut file = MapFile::open(&dir.path().join("licence.waymark")).unwrap();
    file.take_review("Summer review", chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), &[]).unwrap();
    drop(file);
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    let journeys = portfolio["journeys"].as_array().unwrap();
    assert_eq!(journeys[0]["source"], "licence.waymark", "{portfolio:#}");
    assert!(journeys[0]["review"]["overdue_days"].as_u64().unwrap() > 100);
    assert_eq!(journeys[1]["source"], "north/licence-north.waymark");
    let analysis = json_of(&waymark(&["analyze", dir.path().join("licence.waymark").to_str().unwrap(), "--json"]));
    let licence = &journeys[0];
    assert_eq!(licence["remembered"], analysis["remembered"]);
    assert_eq!(licence["average"], analysis["average"]);
    assert_eq!(licence["worst_weak_spot"]["title"], analysis["weak_spots"][0]["title"]);
    assert_eq!(licence["worst_weak_spot"]["department"], "Photo and card station");
    let map = sample("licence-renewal");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    assert_eq!(licence["open_commitments"], map.commitments.iter().filter(|c| c.is_open()).count());
    assert_eq!(licence["overdue_commitments"], map.overdue_commitments(today).count());

    let text = waymark(&["portfolio", dir.path().to_str().unwrap(), "--date", TODAY]);
    let text = String::from_utf8(text.stdout).unwrap();
    for title in
        ["Driver licence renewal", "Licence renewal, north office", "Tyre order to delivery", "Review overdue by"]
    {
        assert!(text.contains(title), "{title} missing from:\n{text}");
    }
}

#[test]
fn with_volumes_a_weak_spot_seen_by_many_comes_before_a_worse_one_seen_by_few() {
    let dir = tempdir();
    let mut busy = sample("tyre-order-to-delivery");
    busy.volume = Some(40_000);
    let mut quiet = sample("licence-renewal");
    quiet.volume = Some(40);
    MapFile::create(&dir.path().join("busy.waymark"), &busy).unwrap();
    MapFile::create(&dir.path().join("quiet.waymark"), &quiet).unwrap();
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    let spots = portfolio["weak_spots"].as_array().unwrap();
    let first = &spots[0];
    assert_eq!(first["journey"], "busy.waymark", "{portfolio:#}");
    let quiet_top = spots.iter().find(|s| s["journey"] == "quiet.waymark").unwrap();
    assert!(
        quiet_top["share"].as_f64().unwrap() > first["share"].as_f64().unwrap(),
        "the quiet journey's weak spot is worse in itself, and still comes after"
    );
    let weight = first["weight"].as_f64().unwrap();
    assert!((weight - 40_000.0 * first["share"].as_f64().unwrap()).abs() < 1e-6);
    assert!(portfolio["journeys"].as_array().unwrap().iter().all(|j| j["volume"].as_u64().is_some()));

    // The volume is kept by the file, and setting it is an undoable edit.
    let path = dir.path().join("quiet.waymark");
    let mut file = MapFile::open(&path).unwrap();
    let map = file.load().unwrap();
    assert_eq!(map.volume, Some(40));
    let map = file.apply(&map, &Edit::SetVolume { volume: Some(1_200) }).unwrap();
    drop(file);
    let mut file = MapFile::open(&path).unwrap();
    assert_eq!(file.load().unwrap().volume, Some(1_200));
    assert_eq!(file.undo(&map).unwrap().unwrap().volume, Some(40));
}

#[test]
fn maps_are_read_without_their_locks_and_left_as_they_were() {
    let dir = tempdir();
    organisation(dir.path());
    let path = dir.path().join("licence.waymark");
    // A facilitator has the map open for editing.
    let held = MapFile::open(&path).unwrap();
    assert!(held.read_only().is_none());
    let before = std::fs::read(&path).unwrap();
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    assert!(portfolio["journeys"].as_array().unwrap().iter().any(|j| j["source"] == "licence.waymark"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is not changed");
    assert!(held.read_only().is_none(), "the editor keeps the map");
    drop(held);
    // An older file is read as it is, not upgraded on disk.
    let old = dir.path().join("old.waymark");
    std::fs::copy("../tests/fixtures/licence-with-reviews-schema-v4.waymark", &old).unwrap();
    let bytes = std::fs::read(&old).unwrap();
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    assert!(portfolio["journeys"].as_array().unwrap().iter().any(|j| j["source"] == "old.waymark"));
    assert_eq!(std::fs::read(&old).unwrap(), bytes, "not migrated on disk");
}

#[test]
fn files_it_cannot_use_are_listed_with_their_reasons_and_the_rest_reported() {
    let dir = tempdir();
    let d = dir.path();
    MapFile::create(&d.join("good.waymark"), &sample("licence-renewal")).unwrap();
    // Another program's SQLite database, a damaged file, one from a newer
    // Waymark, a map that is not valid, a JSON file that is not a map, a
    // text file, and an unreadable file.
    let foreign = rusqlite::Connection::open(d.join("invoices.waymark")).unwrap();
    foreign.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY);").unwrap();
    drop(foreign);
    std::fs::write(d.join("damaged.waymark"), b"SQLite format 3\0 and then nothing of use").unwrap();
    let newer = d.join("newer.waymark");
    MapFile::create(&newer, &sample("licence-renewal")).unwrap();
    let mut bytes = std::fs::read(&newer).unwrap();
    bytes[60..64].copy_from_slice(&(SCHEMA_VERSION + 1).to_be_bytes());
    std::fs::write(&newer, bytes).unwrap();
    let mut invalid = small_map_json();
    invalid["steps"][0]["score"] = serde_json::json!(9.0);
    std::fs::write(d.join("invalid.json"), invalid.to_string()).unwrap();
    std::fs::write(d.join("package.json"), r#"{"name": "not-a-map"}"#).unwrap();
    std::fs::write(d.join("notes.txt"), "minutes of the workshop").unwrap();

    let portfolio = portfolio_json(d.to_str().unwrap());
    assert_eq!(portfolio["journeys"].as_array().unwrap().len(), 1, "{portfolio:#}");
    let reasons: BTreeMap<&str, &str> = portfolio["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    let expect = [
        ("invoices.waymark", "another application"),
        ("damaged.waymark", "truncated"),
        ("newer.waymark", "newer Waymark"),
        ("invalid.json", "the map is invalid (1 error): score"),
        ("package.json", "not a Waymark map"),
        ("notes.txt", "not a map"),
    ];
    assert_eq!(reasons.len(), expect.len(), "{reasons:#?}");
    for (path, words) in expect {
        assert!(reasons[path].contains(words), "{path}: {}", reasons[path]);
    }
    let text = String::from_utf8(waymark(&["portfolio", d.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("Not counted (6):") && text.contains("newer.waymark: "), "{text}");
}

#[test]
fn an_empty_folder_says_so_and_a_missing_one_is_an_error() {
    let dir = tempdir();
    let out = waymark(&["portfolio", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0 journeys") && text.contains("No maps here"), "{text}");

    let missing = dir.path().join("nowhere");
    let out = waymark(&["portfolio", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nowhere") && err.contains("No such file"), "{err}");

    std::fs::write(dir.path().join("aliases.csv"), "IT, Helpdesk\nFacilities, helpdesk\n").unwrap();
    let out = waymark(&["portfolio", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("aliases.csv, line 2") && err.contains("already an alias of \"IT\""), "{err}");
}

#[test]
fn a_librarys_maps_make_a_portfolio_too() {
    let server = Server::start();
    let url = server.database("org");
    Library::init(&url).unwrap();
    let mut library = Library::open(&url).unwrap();
    for name in ["licence-renewal", "it-service-desk", "licence-north"] {
        let dir = tempdir();
        let path = dir.path().join("m.waymark");
        let mut map = sample(if name == "licence-north" { "licence-renewal" } else { name });
        if name == "licence-north" {
            map.departments.iter_mut().filter(|d| d.name == "IT services").for_each(|d| d.name = "IT".into());
        }
        MapFile::create(&path, &map).unwrap();
        library.push(&MapFile::open(&path).unwrap().archive().unwrap(), name).unwrap();
    }
    // The library keeps its own alias list: set from a CSV, printed back.
    let dir = tempdir();
    let aliases = dir.path().join("aliases.csv");
    std::fs::write(&aliases, "# IT under both names\n\"IT services\", IT\n").unwrap();
    let out = waymark(&["library", "aliases", &url, aliases.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = waymark(&["library", "aliases", &url]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "IT services,IT\n");
    std::fs::write(&aliases, "IT, Helpdesk\nFacilities, helpdesk\n").unwrap();
    let out = waymark(&["library", "aliases", &url, aliases.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "an ambiguous list is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let out = waymark(&["library", "aliases", &url]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "IT services,IT\n", "and the stored list kept");

    let portfolio = portfolio_json(&url);
    let it = portfolio["departments"].as_array().unwrap().iter().find(|d| d["name"] == "IT services").unwrap();
    assert_eq!(it["journeys"].as_array().unwrap().len(), 2, "joined through the library's aliases: {it:#}");
    let sources: Vec<&str> =
        portfolio["journeys"].as_array().unwrap().iter().map(|j| j["source"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), 3);
    assert!(sources.contains(&"licence-renewal") && sources.contains(&"it-service-desk"), "{sources:?}");
    assert!(!portfolio["place"].as_str().unwrap().contains(crate::pg::PASSWORD), "the password is not shown");
}

fn pdftotext(args: &[&str], pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(args).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_portfolio_pdf_summarises_on_page_one_and_names_every_department_and_journey() {
    let dir = tempdir();
    organisation(dir.path());
    std::fs::write(dir.path().join("notes.txt"), "minutes").unwrap();
    let out_dir = tempdir();
    let pdf = out_dir.path().join("portfolio.pdf");
    let out = waymark(&["portfolio", dir.path().to_str().unwrap(), "--pdf", pdf.to_str().unwrap(), "--date", TODAY]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info_text = String::from_utf8_lossy(&info.stdout).to_string() + &String::from_utf8_lossy(&info.stderr);
    assert!(info.status.success() && !info_text.contains("Syntax Error"), "{info_text}");

    let first = pdftotext(&["-f", "1", "-l", "1", "-layout"], &pdf);
    for words in [
        "Portfolio:",
        "4 journeys",
        "Worst departments",
        "Worst weak spots",
        "Worst internal relationships",
        "Photo and card station",
    ] {
        assert!(first.contains(words), "page 1 lacks {words}:\n{first}");
    }
    // pdftotext joins a wrapped cell's lines with a space or a line break.
    let all = pdftotext(&["-raw"], &pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    let portfolio = portfolio_json(dir.path().to_str().unwrap());
    for d in portfolio["departments"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap();
        assert!(all.contains(name), "department {name} missing from the PDF");
    }
    for j in portfolio["journeys"].as_array().unwrap() {
        let title = j["title"].as_str().unwrap();
        assert!(all.contains(title), "journey {title} missing from the PDF");
    }
    assert!(all.contains("notes.txt") && all.contains("not a map"), "the skipped file and its reason are listed");
}
