//! The PDF report and the annotated drawing, checked as a manager's reader
//! would: text extracted with pdftotext, structure with qpdf and pdfinfo.
//! These tests need poppler-utils and qpdf (scripts/install-deps.sh installs them).

use std::path::Path;
use std::process::Command;

use serde_json::json;
use waymark::analysis::analyze;
use waymark::render::{DrawOptions, blueprint, png};
use waymark::report::{MIN_TEXT_PT, Paper, ReportOptions, pdf, plan_tiles};

use crate::support::{map_of, samples, small_map_json, tempdir};

fn options(paper: Paper) -> ReportOptions {
    ReportOptions { paper, date: "2026-11-22".into(), author: Some("Service design team".into()), review: None }
}

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (scripts/install-deps.sh installs it): {e}"));
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed (poppler-utils): {e}"));
    assert!(out.status.success());
    // pdftotext may break a long line; compare on words.
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_sample_report_holds_every_step_and_pain_point_as_text() {
    let dir = tempdir();
    for (sample, map) in samples() {
        let path = dir.path().join(format!("{}.pdf", sample.name));
        std::fs::write(&path, pdf(&map, &options(Paper::A3)).unwrap()).unwrap();
        let text = pdftotext(&path);
        for step in &map.steps {
            assert!(
                text.contains(&words(&step.title)),
                "{}: step title {:?} not found as text",
                sample.name,
                step.title
            );
        }
        for pain in &map.pain_points {
            assert!(text.contains(&words(&pain.text)), "{}: pain point {:?} not found as text", sample.name, pain.text);
        }
        let check = tool("qpdf", &["--check"], &path);
        assert!(check.contains("No syntax or stream encoding errors"), "{}: {check}", sample.name);
        let info = tool("pdfinfo", &[], &path);
        assert!(info.contains(&format!("Title:           {}", map.title)), "{info}");
        assert!(info.contains("Author:          Service design team"), "{info}");
        assert!(info.contains("CreationDate:    Sun Nov 22"), "{info}");
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("Page size:       1190.55 x 841.89 pts (A3)"), "{info}");
        let outline = tool("qpdf", &["--json", "--json-key=outlines"], &path);
        for section in
            ["Decision brief", "Annotated map", "All weak spots", "Department standing", "Pain points by owner"]
        {
            assert!(outline.contains(section), "{}: no bookmark {section:?}", sample.name);
        }
    }
}

#[test]
fn the_brief_names_the_top_weak_spot_its_owner_and_why() {
    let dir = tempdir();
    let (_, map) = samples().into_iter().next().unwrap();
    let path = dir.path().join("brief.pdf");
    std::fs::write(&path, pdf(&map, &options(Paper::A4)).unwrap()).unwrap();
    let out = Command::new("pdftotext").args(["-f", "1", "-l", "1"]).arg(&path).arg("-").output().unwrap();
    let page1 = words(&String::from_utf8_lossy(&out.stdout));
    for needle in [
        "Decision brief",
        "3.63",
        "4.02",
        "Photo line and camera",
        "Owner: Luis Herrera",
        "worst moment on 83% of visits",
        "2 breached",
        "Only one camera works",
    ] {
        assert!(page1.contains(needle), "page 1 lacks {needle:?}:\n{page1}");
    }
    let info = tool("pdfinfo", &[], &path);
    assert!(info.contains("(A4)"), "{info}");
}

#[test]
fn a_large_map_is_tiled_so_no_text_prints_below_six_points() {
    let (w, h) = Paper::A3.size_pt();
    let small = plan_tiles(800.0, 500.0, w - 72.0, h - 96.0);
    assert_eq!(small.len(), 1, "a small drawing fits one page");
    let tiles = plan_tiles(6000.0, 3000.0, w - 72.0, h - 96.0);
    assert!(tiles.len() > 1);
    for t in &tiles {
        assert!(t.scale * 10.0 >= MIN_TEXT_PT - 1e-9, "10-unit text prints at {} pt", t.scale * 10.0);
        assert!(t.x + t.w <= 6000.0 + 1e-6 && t.y + t.h <= 3000.0 + 1e-6, "tiles stay on the drawing");
    }
    // Every point of the drawing is on some tile.
    for (x, y) in [(0.0, 0.0), (5999.0, 2999.0), (3000.0, 1500.0), (5999.0, 0.0), (0.0, 2999.0)] {
        assert!(
            tiles.iter().any(|t| x >= t.x && x <= t.x + t.w && y >= t.y && y <= t.y + t.h),
            "({x}, {y}) is on no tile"
        );
    }
    // Neighbours overlap.
    let (a, b) = (&tiles[0], &tiles[1]);
    assert!(a.x + a.w > b.x, "columns overlap");
}

#[test]
fn hostile_text_is_escaped_renders_and_prints_as_text() {
    let mut doc = small_map_json();
    let title = format!("<script>alert('x')</script> & \"quotes\" שלום 👋 {}", "x".repeat(250));
    doc["title"] = json!(title);
    doc["steps"][0]["title"] = json!("<img src=x onerror=alert(1)> & co");
    doc["steps"][0]["notes"] = json!(format!("nul\u{0}bell\u{7}\u{202E}rtl{}", "n".repeat(10_000)));
    doc["steps"][1]["title"] = json!("ctrl\u{0}\u{1b}[31m\u{202E}gnp.exe");
    doc["steps"][2]["owner"] = json!("O'Brien \"the\" <b>boss</b>");
    doc["pain_points"][0]["text"] = json!("Slow & <unreadable> — עברית");
    let map = map_of(&doc);
    let analysis = analyze(&map).unwrap();
    let drawing = blueprint(&map, Some(&analysis), &DrawOptions { date: Some("2026-11-22".into()), viewport: None });
    let parsed = roxmltree::Document::parse(&drawing.svg).expect("the SVG parses as XML");
    assert!(!parsed.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("img") || n.has_tag_name("b")));
    let png_bytes = png(&drawing, 1.0).expect("the SVG renders");
    assert!(png_bytes.starts_with(b"\x89PNG"));
    let dir = tempdir();
    let path = dir.path().join("hostile.pdf");
    std::fs::write(&path, pdf(&map, &options(Paper::A3)).unwrap()).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("<img src=x onerror=alert(1)> & co"), "the markup prints as text");
    assert!(text.contains("Slow & <unreadable>"), "{text:.400}");
    // The 300-character title is cut, never overflows: the drawing's title line is one line.
    let title_line = parsed.descendants().find(|n| n.attribute("class") == Some("map-title")).unwrap().text().unwrap();
    assert!(title_line.ends_with('…') && title_line.chars().count() < 400, "{}", title_line.len());
}

#[test]
fn an_invalid_map_makes_no_report() {
    let mut doc = small_map_json();
    doc["steps"][0]["score"] = json!(9.0);
    let err = pdf(&map_of(&doc), &options(Paper::A3)).unwrap_err();
    assert!(err.to_string().contains("steps[0].score: 9.0 is outside"), "{err}");
}

#[test]
fn sample_drawings_match_their_snapshots() {
    for (sample, map) in samples() {
        let analysis = analyze(&map).unwrap();
        let drawing =
            blueprint(&map, Some(&analysis), &DrawOptions { date: Some("2026-11-22".into()), viewport: None });
        insta::assert_snapshot!(format!("blueprint-{}", sample.name), drawing.svg);
    }
}
