//! The PDF report and the annotated drawing, checked as a manager's reader
//! would: text extracted with pdftotext, structure with qpdf and pdfinfo.
//! These tests need poppler-utils and qpdf (scripts/install-deps.sh installs them).

use std::path::Path;
use std::process::Command;

use serde_json::json;
use waymark::analysis::analyze;
use waymark::layout::metrics::TITLE_FONT;
use waymark::render::{DrawOptions, blueprint, png};
use waymark::report::{MIN_TEXT_PT, Paper, ReportOptions, pdf, plan_tiles};

use crate::support::{map_of, samples, small_map_json, tempdir};

fn options(paper: Paper) -> ReportOptions {
    ReportOptions {
        paper,
        date: "2026-11-22".into(),
        author: Some("Service design team".into()),
        review: None,
        certainty: None,
    }
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
fn a_large_map_is_tiled_so_no_title_prints_below_six_points() {
    let (w, h) = Paper::A3.size_pt();
    let small = plan_tiles(800.0, 500.0, w - 72.0, h - 96.0);
    assert_eq!(small.len(), 1, "a small drawing fits one page");
    let tiles = plan_tiles(6000.0, 3000.0, w - 72.0, h - 96.0);
    assert!(tiles.len() > 1);
    for t in &tiles {
        assert!(t.scale * TITLE_FONT >= MIN_TEXT_PT - 1e-9, "titles print at {} pt", t.scale * TITLE_FONT);
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

/// A word pdftotext found, with its box in points.
#[derive(Debug)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Every word of page `page` with its box (`pdftotext -bbox`); the box's
/// height is the font size.
fn boxed_words(file: &Path, page: usize) -> Vec<Word> {
    let p = page.to_string();
    let out = Command::new("pdftotext").args(["-bbox", "-f", &p, "-l", &p]).arg(file).arg("-").output().unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8_lossy(&out.stdout);
    let attr = |line: &str, name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).unwrap();
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    xml.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| Word {
            text: l
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
            x0: attr(l, "xMin"),
            y0: attr(l, "yMin"),
            x1: attr(l, "xMax"),
            y1: attr(l, "yMax"),
        })
        .collect()
}

fn page_count(file: &Path) -> usize {
    let info = tool("pdfinfo", &[], file);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn every_sample_prints_its_whole_map_on_one_page_with_every_title_at_six_points_or_more() {
    let dir = tempdir();
    for paper in [Paper::A3] {
        for (sample, map) in samples() {
            let path = dir.path().join(format!("{}.pdf", sample.name));
            std::fs::write(&path, pdf(&map, &options(paper)).unwrap()).unwrap();
            let text = pdftotext(&path);
            assert!(text.contains(&format!("{} · annotated map", map.title)), "{}: {text:.300}", sample.name);
            assert!(!text.contains("annotated map, part"), "{}: the map is tiled", sample.name);
            // Page 2 is the map; every word of every title is there at 6 pt or more.
            let on_map = boxed_words(&path, 2);
            for step in &map.steps {
                for word in step.title.split_whitespace() {
                    assert!(
                        on_map.iter().any(|w| w.text == word && w.y1 - w.y0 >= MIN_TEXT_PT - 1e-6),
                        "{}: {word:?} of {:?} is not on the map at 6 pt or more",
                        sample.name,
                        step.title
                    );
                }
            }
            let pages = page_count(&path);
            assert!(pages <= 6, "{}: {pages} pages without reviews", sample.name);
            for absent in ["Since the last review", "Trend across reviews"] {
                assert!(!text.contains(absent), "{}: an empty {absent:?} section", sample.name);
            }
        }
    }
}

#[test]
fn a_map_of_forty_steps_over_eight_stages_and_eight_lanes_fits_one_a3_page() {
    let stages: Vec<_> = (0..8).map(|i| json!({ "id": format!("s{i}"), "name": format!("Stage {}", i + 1) })).collect();
    let departments: Vec<_> = (0..8)
        .map(|i| json!({ "id": format!("d{i}"), "name": format!("Department {}", i + 1), "facing": if i < 4 { "customer" } else { "internal" } }))
        .collect();
    let steps: Vec<_> = (0..40)
        .map(|i| {
            let d = (i * 3) % 8;
            json!({
                "id": format!("v{i}"), "title": format!("Step number {i} of the journey"),
                "stage": format!("s{}", i / 5), "department": format!("d{d}"),
                "visibility": if d < 4 { "frontstage" } else { "backstage" },
                "score": if d < 4 { json!(2.0 + f64::from(i % 30) / 10.0) } else { json!(null) }
            })
        })
        .map(|mut v| {
            if v["score"].is_null() {
                v.as_object_mut().unwrap().remove("score");
            }
            v
        })
        .collect();
    let flows: Vec<_> = (1..40).map(|i| json!({ "from": format!("v{}", i - 1), "to": format!("v{i}") })).collect();
    let map = map_of(&json!({
        "format": "waymark/1", "title": "Forty steps",
        "stages": stages, "departments": departments, "steps": steps, "flows": flows
    }));
    let drawing = blueprint(&map, analyze(&map).ok().as_ref(), &DrawOptions::default());
    let (w, h) = Paper::A3.size_pt();
    let tiles = plan_tiles(drawing.width, drawing.height, w - 72.0, h - 96.0);
    assert_eq!(tiles.len(), 1, "{} × {} units do not fit one page", drawing.width, drawing.height);
    assert!(tiles[0].scale * TITLE_FONT >= MIN_TEXT_PT);
    let dir = tempdir();
    let path = dir.path().join("forty.pdf");
    std::fs::write(&path, pdf(&map, &options(Paper::A3)).unwrap()).unwrap();
    assert!(!pdftotext(&path).contains("annotated map, part"));
}

#[test]
fn no_text_on_any_page_overlaps_other_text() {
    let dir = tempdir();
    for (sample, map) in samples() {
        for paper in [Paper::A3, Paper::A4] {
            let path = dir.path().join(format!("{}.pdf", sample.name));
            std::fs::write(&path, pdf(&map, &options(paper)).unwrap()).unwrap();
            let map_pages = pdftotext(&path).matches("annotated map").count();
            for page in (1..=page_count(&path)).filter(|&p| p == 1 || p > 1 + map_pages) {
                let words = boxed_words(&path, page);
                for (i, a) in words.iter().enumerate() {
                    for b in &words[i + 1..] {
                        let (dx, dy) = (a.x1.min(b.x1) - a.x0.max(b.x0), a.y1.min(b.y1) - a.y0.max(b.y0));
                        assert!(
                            dx <= 0.5 || dy <= 0.5,
                            "{} ({paper:?}) page {page}: {:?} overlaps {:?}",
                            sample.name,
                            a.text,
                            b.text
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_pdf_is_well_formed_and_tagged_with_headings_paragraphs_tables_and_figures() {
    let dir = tempdir();
    let (_, map) = samples().into_iter().next().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf(&map, &options(Paper::A3)).unwrap()).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!said.contains("Syntax Error"), "{said}");
    let tree = tool("pdfinfo", &["-struct-text"], &path);
    for tag in [
        "H1 \"Driver licence renewal\"",
        "H2 \"All weak spots\"",
        "P (block)",
        "Table (block)",
        "TR",
        "TH",
        "TD",
        "Figure",
    ] {
        assert!(tree.contains(tag), "no {tag} in the tag tree:\n{tree:.2000}");
    }
    // The table's cells are read in order: a header, then the first weak spot.
    let weak = tree.find("H2 \"All weak spots\"").unwrap();
    let after = &tree[weak..];
    assert!(after.find("\"Step\"").unwrap() < after.find("\"Photo line and camera\"").unwrap());
}

#[test]
fn the_remembered_figure_is_coloured_by_its_band_as_in_the_window() {
    use waymark::analysis::Band;
    use waymark::report::page::{Item, Node};
    for (sample, map) in samples() {
        let a = analyze(&map).unwrap();
        let report = waymark::report::report(&map, &a, &options(Paper::A3));
        let figure = format!("{:.2}", a.remembered.unwrap());
        let colour = report.pages[0]
            .nodes
            .iter()
            .filter_map(|n| if let Node::Block(b) = n { Some(&b.items) } else { None })
            .flatten()
            .find_map(|i| match i {
                Item::Text(run) if run.text == figure && run.size > 30.0 => Some(run.color),
                _ => None,
            })
            .unwrap();
        assert_eq!(colour, Band::of(a.remembered.unwrap(), map.settings.standard).color(), "{}", sample.name);
    }
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
    let drawing =
        blueprint(&map, Some(&analysis), &DrawOptions { date: Some("2026-11-22".into()), ..DrawOptions::default() });
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
        let drawing = blueprint(
            &map,
            Some(&analysis),
            &DrawOptions { date: Some("2026-11-22".into()), ..DrawOptions::default() },
        );
        insta::assert_snapshot!(format!("blueprint-{}", sample.name), drawing.svg);
    }
}

/// A map too large for one A4 page takes pages cut between cards: every
/// card prints whole on some page, below its repeated headings, and
/// neighbouring pages share no more than the strip a repeated heading covers.
#[test]
fn on_a4_a_large_map_is_cut_between_cards_with_the_least_overlap() {
    use waymark::layout::metrics::{LANE_HEADER_W, MARGIN, STAGE_HEADER_H};
    for steps in [60, 150] {
        large_map_tiles(&waymark::synthetic::layered(steps, 7), MARGIN + LANE_HEADER_W, STAGE_HEADER_H);
    }
}

fn large_map_tiles(map: &waymark::Map, lanes_w: f64, head_h: f64) {
    let lay = waymark::layout::layout(map);
    let (w, h) = Paper::A4.size_pt();
    let (aw, ah) = (w - 72.0, h - 96.0);
    let old = plan_tiles(lay.width, lay.height, aw, ah);
    let tiles = waymark::report::plan_map_tiles(&lay, lay.width, lay.height, aw, ah);
    assert!(tiles.len() > 1 && tiles.len() <= old.len(), "{} pages, {} before", tiles.len(), old.len());
    for card in &lay.cards {
        let r = card.rect;
        let whole = tiles.iter().any(|t| {
            let (left, top) = (if t.x > 0.0 { t.x + lanes_w } else { 0.0 }, if t.y > 0.0 { t.y + head_h } else { 0.0 });
            r.x >= left - 0.5 && r.y >= top - 0.5 && r.x + r.w <= t.x + t.w + 0.5 && r.y + r.h <= t.y + t.h + 0.5
        });
        assert!(whole, "{} is cut on every page", map.steps[card.step].id);
    }
    for a in &tiles {
        for b in &tiles {
            if b.row == a.row + 1 && b.col == a.col {
                assert!(a.y + a.h - b.y <= head_h + 0.5, "rows overlap by {}", a.y + a.h - b.y);
            }
            if b.col == a.col + 1 && b.row == a.row {
                assert!(a.x + a.w - b.x <= lanes_w + 0.5, "columns overlap by {}", a.x + a.w - b.x);
            }
        }
    }
}

/// A long owner's name and a long charter promise print whole, wrapped,
/// on A4: never cut short with an ellipsis.
#[test]
fn long_owners_and_charter_promises_wrap_instead_of_being_cut() {
    let mut map = samples().into_iter().find(|(s, _)| s.name == "licence-renewal").unwrap().1;
    let owner =
        "Luis Herrera, deputy manager of the photo and card station at the central office, for the regional director";
    map.steps.iter_mut().find(|s| s.id == "photo_line").unwrap().owner = Some(owner.into());
    let promise = "Every visitor who arrives before four in the afternoon with a complete form, a valid old licence and the fee leaves the office with a temporary paper licence in hand, whatever the queue at the photo station, the state of the camera or the records system, and is told at the door how long the wait will be";
    map.charter[0].text = promise.into();
    let dir = tempdir();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, pdf(&map, &options(Paper::A4)).unwrap()).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("for the regional director"), "the owner is cut: {text:.3000}");
    assert!(text.contains("how long the wait will be"), "the promise is cut");
}
