//! The blueprint drawing: well-formed, complete, escaped.

use serde_json::json;
use waymark::render::blueprint_svg;

use crate::support::{map_of, samples, small_map_json};

fn parse(svg: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(svg) {
        Ok(d) => d,
        Err(e) => panic!("the SVG must be well-formed XML: {e}"),
    }
}

#[test]
fn every_step_of_every_sample_gets_one_card() {
    for (sample, map) in samples() {
        let svg = blueprint_svg(&map);
        let doc = parse(&svg);
        let cards: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("step-card")))
            .filter_map(|n| n.attribute("data-step"))
            .collect();
        let ids: Vec<&str> = map.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(cards.len(), ids.len(), "{}", sample.name);
        for id in ids {
            assert!(cards.contains(&id), "{}: no card for {id}", sample.name);
        }
        let dashed = doc.descendants().filter(|n| n.attribute("class") == Some("flow rework")).count();
        let reworks = map.flows.iter().filter(|f| f.kind == waymark::model::FlowKind::Rework).count();
        assert_eq!(dashed, reworks, "{}: rework flows are drawn dashed", sample.name);
    }
}

#[test]
fn customer_facing_lanes_sit_above_the_line_of_visibility() {
    let map = &samples()[0].1;
    let lay = waymark::layout::layout(map);
    let line = lay.visibility_y.expect("the licence map has lanes on both sides");
    for lane in &lay.lanes {
        let facing = map.departments[lane.department].facing;
        let above = lane.rect.bottom() <= line;
        assert_eq!(above, facing == waymark::model::Facing::Customer, "{}", map.departments[lane.department].name);
    }
}

#[test]
fn user_text_is_escaped_and_long_titles_are_cut() {
    let mut doc = small_map_json();
    doc["title"] = json!("<script>alert('x')</script> & \"quotes\"");
    doc["steps"][0]["title"] = json!(format!("שלום 👋🏽 {}", "very long title ".repeat(125)));
    doc["steps"][2]["id"] = json!("c\"><img src=x onerror=alert(1)>");
    doc["flows"][1]["to"] = doc["steps"][2]["id"].clone();
    doc["flows"][3]["from"] = doc["steps"][2]["id"].clone();
    doc["pain_points"][0]["step"] = doc["steps"][2]["id"].clone();
    doc["departments"][0]["name"] = json!("Front\u{0}desk\u{7}");
    let svg = blueprint_svg(&map_of(&doc));
    let parsed = parse(&svg);
    assert!(
        !parsed.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("img")),
        "markup in user text became elements"
    );
    let title = parsed.descendants().find(|n| n.attribute("class") == Some("map-title")).unwrap();
    assert_eq!(title.text(), Some("<script>alert('x')</script> & \"quotes\""));
    let card_lines: Vec<&str> = parsed
        .descendants()
        .find(|n| n.attribute("data-step") == doc["steps"][0]["id"].as_str())
        .unwrap()
        .descendants()
        .filter(|n| n.attribute("class") == Some("step-title"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(card_lines.len(), 3, "a 2,000-character title is cut to three lines");
    assert!(card_lines[2].ends_with('…'), "{card_lines:?}");
}

#[test]
fn the_drawing_is_deterministic() {
    let map = &samples()[1].1;
    assert_eq!(blueprint_svg(map), blueprint_svg(map));
}

#[test]
fn steps_added_one_after_another_in_one_cell_stand_in_the_order_they_were_added() {
    let mut doc = small_map_json();
    doc["flows"] = json!([]);
    doc["pain_points"] = json!([]);
    for s in doc["steps"].as_array_mut().unwrap() {
        s["stage"] = json!("s1");
        s["department"] = json!("front");
        s.as_object_mut().unwrap().remove("entry_share");
    }
    let map = map_of(&doc);
    let lay = waymark::layout::layout(&map);
    let mut cards: Vec<_> = lay.cards.iter().map(|c| (c.rect.x, c.rect.y, map.steps[c.step].id.as_str())).collect();
    // A cell reads like a page: row by row, left to right.
    cards.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    let ids: Vec<&str> = cards.iter().map(|c| c.2).collect();
    let in_map: Vec<&str> = map.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, in_map, "unconnected steps read in map order");

    // Connected, flow order wins: d → a puts d first.
    let mut doc = doc;
    doc["flows"] = json!([{ "from": "d", "to": "a" }]);
    let map = map_of(&doc);
    let lay = waymark::layout::layout(&map);
    let x = |id: &str| lay.cards.iter().find(|c| map.steps[c.step].id == id).unwrap().rect.x;
    assert!(x("d") < x("a"), "a flow reads left to right");
}

#[test]
fn lanes_without_a_colour_get_distinct_ones_and_an_unvoted_pain_point_says_so() {
    let mut doc = small_map_json();
    for d in doc["departments"].as_array_mut().unwrap() {
        d.as_object_mut().unwrap().remove("color");
    }
    doc["pain_points"][0]["votes"] = json!(0);
    let svg = blueprint_svg(&map_of(&doc));
    let doc_svg = parse(&svg);
    let fills: Vec<&str> = doc_svg
        .descendants()
        .filter(|n| n.attribute("data-lane").is_some())
        .map(|n| n.attribute("fill").unwrap())
        .collect();
    assert!(fills.len() >= 2, "{fills:?}");
    let distinct: std::collections::HashSet<_> = fills.iter().collect();
    assert_eq!(distinct.len(), fills.len(), "each lane its own colour: {fills:?}");
    let marker = doc_svg.descendants().find(|n| n.attribute("class") == Some("pain-marker")).unwrap();
    let label: String = marker.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap()).collect();
    assert_eq!(label, "pain point", "not \"0 votes\"");
}

/// A score from a survey says on its card how many answered and its interval.
#[test]
fn a_surveyed_card_says_its_n_and_interval() {
    let mut map = map_of(&small_map_json());
    let step = map.steps.iter_mut().find(|s| s.visibility == waymark::model::Visibility::Frontstage).unwrap();
    step.surveyed = Some(waymark::model::Surveyed {
        n: 412,
        mean: 3.1,
        sd: 1.0,
        interval: Some([2.95, 3.25]),
        source: 0,
        workshop_score: step.score,
    });
    let svg = blueprint_svg(&map);
    let doc = parse(&svg);
    let lines: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("step-owner"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    assert!(lines.iter().any(|l| l.starts_with("n=412 ±0.15")), "{lines:?}");
}

/// Agreements read in the units people use: two days against an hour, not
/// 2880 / 60 min.
#[test]
fn an_agreement_label_reads_in_hours_and_days() {
    let mut map = map_of(&small_map_json());
    let flow = map.flows.iter_mut().next().unwrap();
    flow.sla = Some(waymark::model::Sla {
        promised_minutes: 60.0,
        actual_minutes: Some(2880.0),
        quality: None,
        target_share: None,
        measured: None,
    });
    let svg = blueprint_svg(&map);
    assert!(svg.contains("SLA 2 days / 60 min"), "{}", &svg[..svg.len().min(400)]);
    assert!(!svg.contains("2880"));
}

/// Every map the tests know, samples and fixtures: the layout's promises
/// hold for each.
fn every_known_map() -> Vec<(String, waymark::Map)> {
    let mut maps: Vec<(String, waymark::Map)> = samples().into_iter().map(|(s, m)| (s.name.to_owned(), m)).collect();
    for fixture in ["home-insurance-claim", "hotel-stay", "airline-flight"] {
        let path = format!("{}/tests/fixtures/{fixture}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        maps.push((fixture.to_owned(), waymark::interchange::read(&text).unwrap()));
    }
    maps
}

/// Within a lane and a stage, steps stand in flow order: a forward flow
/// between two cards of one cell points right, or straight down, never left,
/// however many cards the cell holds (it wrapped them into rows, so a check
/// stood left of the request before it).
#[test]
fn within_a_lane_and_stage_a_flow_never_points_backwards() {
    let mut doc = small_map_json();
    doc["pain_points"] = json!([]);
    for s in doc["steps"].as_array_mut().unwrap() {
        s["stage"] = json!("s1");
        s["department"] = json!("front");
        s["visibility"] = json!("frontstage");
        s.as_object_mut().unwrap().remove("entry_share");
    }
    let ids: Vec<String> =
        doc["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    doc["flows"] = json!(ids.windows(2).map(|w| json!({ "from": w[0], "to": w[1] })).collect::<Vec<_>>());
    doc["steps"][0]["entry_share"] = json!(1.0);
    let chain = ("a chain of one cell".to_owned(), map_of(&doc));
    for (name, map) in std::iter::once(chain).chain(every_known_map()) {
        let lay = waymark::layout::layout(&map);
        let index = waymark::model::Index::new(&map);
        for flow in map.flows.iter().filter(|f| f.kind == waymark::model::FlowKind::Flow) {
            let (a, b) = (index.step_ix(&flow.from).unwrap(), index.step_ix(&flow.to).unwrap());
            let (sa, sb) = (&map.steps[a], &map.steps[b]);
            if (sa.stage.as_str(), sa.department.as_str()) != (sb.stage.as_str(), sb.department.as_str()) {
                continue;
            }
            let (ca, cb) = (lay.card(a).unwrap(), lay.card(b).unwrap());
            let onward = cb.rect.x > ca.rect.x || (cb.rect.x == ca.rect.x && cb.rect.y > ca.rect.y);
            assert!(onward, "{name}: {} → {} points backwards", flow.from, flow.to);
        }
    }
}

/// Every flow label sits on its own connector, clear of every card and of
/// every other label: read from the drawing itself.
#[test]
fn flow_labels_sit_on_their_own_flow_and_cover_no_card_and_no_label() {
    type Box4 = (f64, f64, f64, f64);
    let num = |n: roxmltree::Node<'_, '_>, a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let meets = |a: &Box4, b: &Box4| a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3;
    let mut labels_seen = 0;
    for (name, map) in every_known_map() {
        let svg = blueprint_svg(&map);
        let doc = parse(&svg);
        let group = |class: &str| doc.descendants().find(|n| n.attribute("class") == Some(class)).unwrap();
        let plates: Vec<(usize, Box4)> = group("flow-labels")
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| {
                (
                    n.attribute("data-flow").unwrap().parse().unwrap(),
                    (num(n, "x"), num(n, "y"), num(n, "width"), num(n, "height")),
                )
            })
            .collect();
        let cards: Vec<(&str, Box4)> = doc
            .descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("step-card")))
            .map(|n| {
                let r = n.children().find(|c| c.has_tag_name("rect")).unwrap();
                (n.attribute("data-step").unwrap(), (num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height")))
            })
            .collect();
        // A connector's corners, from its path data (M, L and the corners of Q).
        let corners = |flow: usize| -> Vec<(f64, f64)> {
            let path = group("flows").children().find(|n| n.attribute("data-flow") == Some(&flow.to_string())).unwrap();
            let d = path.attribute("d").unwrap();
            let mut points = Vec::new();
            for part in d.split(['M', 'L', 'Q']).map(str::trim).filter(|p| !p.is_empty()) {
                let pairs: Vec<(f64, f64)> = part
                    .split(' ')
                    .filter_map(|xy| xy.split_once(','))
                    .map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap()))
                    .collect();
                // "Q corner end": the corner is the first pair.
                points.push(pairs[0]);
                if pairs.len() > 1 {
                    points.push(pairs[1]);
                }
            }
            points
        };
        for (flow, plate) in &plates {
            labels_seen += 1;
            let f = &map.flows[*flow];
            let (cx, cy) = (plate.0 + plate.2 / 2.0, plate.1 + plate.3 / 2.0);
            let within = |v: f64, a: f64, b: f64| v >= a.min(b) - 0.6 && v <= a.max(b) + 0.6;
            let on_own = corners(*flow).windows(2).any(|w| within(cx, w[0].0, w[1].0) && within(cy, w[0].1, w[1].1));
            assert!(on_own, "{name}: the label of {} → {} is off its connector", f.from, f.to);
            for (step, card) in &cards {
                assert!(!meets(plate, card), "{name}: the label of {} → {} covers the card {step}", f.from, f.to);
            }
            for (other, b) in &plates {
                assert!(other == flow || !meets(plate, b), "{name}: the labels of flows {flow} and {other} overlap");
            }
        }
    }
    assert!(labels_seen > 20, "the maps have labels to check: {labels_seen}");
}

/// A window keeps its layout and connectors from one drawing to the next
/// (`Routing`): after every edit of a run (scores, titles, cards moved to
/// another stage or department, stages and departments renamed, a
/// department turned to face the customer, flows turned to rework, branch
/// shares, steps removed) the drawing it makes is the one a fresh drawing
/// makes, and the edits that move nothing reuse the layout and the routes.
#[test]
fn a_drawing_that_reuses_its_connectors_is_the_fresh_drawing() {
    use waymark::analysis::analyze;
    use waymark::render::{DrawOptions, Routing, blueprint, blueprint_with};

    let mut map = waymark::synthetic::layered(120, 7);
    let mut routing = Routing::default();
    let options = DrawOptions::default();
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0) % n
    };
    let mut scores_only = (0, 0, 0);
    for round in 0..60 {
        let kind = if round < 10 { 0 } else { next(9) };
        match kind {
            0 => {
                let i = next(map.steps.len());
                map.steps[i].score = Some(1.0 + f64::from(u8::try_from(next(41)).unwrap_or(0)) / 10.0);
            }
            1 => {
                let i = next(map.steps.len());
                map.steps[i].title = format!("{} and a longer title to wrap onto another line", map.steps[i].title);
            }
            2 => {
                let i = next(map.steps.len());
                map.steps[i].stage = map.stages[next(map.stages.len())].id.clone();
            }
            3 => {
                let i = next(map.flows.len());
                map.flows[i].share = Some(f64::from(u8::try_from(next(9)).unwrap_or(0) + 1) / 10.0);
            }
            4 => {
                let i = next(map.steps.len());
                map.steps[i].department = map.departments[next(map.departments.len())].id.clone();
            }
            5 => {
                let i = next(map.stages.len());
                map.stages[i].name = format!("{} and then some more words", map.stages[i].name);
            }
            6 => {
                let i = next(map.departments.len());
                map.departments[i].name = format!("{} of the longer name", map.departments[i].name);
            }
            7 => {
                use waymark::model::{Facing, FlowKind};
                if next(2) == 0 {
                    let i = next(map.departments.len());
                    map.departments[i].facing = match map.departments[i].facing {
                        Facing::Customer => Facing::Internal,
                        Facing::Internal => Facing::Customer,
                    };
                } else {
                    let i = next(map.flows.len());
                    map.flows[i].kind = FlowKind::Rework;
                }
            }
            _ => {
                let gone = map.steps.remove(next(map.steps.len())).id;
                map.flows.retain(|f| f.from != gone && f.to != gone);
            }
        }
        let analysis = analyze(&map).ok();
        let (routed, laid_out) = (routing.routed(), routing.laid_out());
        let kept = blueprint_with(&map, analysis.as_ref(), &options, &mut routing);
        assert_eq!(kept, blueprint(&map, analysis.as_ref(), &options), "after edit {round} (kind {kind})");
        if kind == 0 && round > 0 {
            scores_only.0 += 1;
            scores_only.1 += routing.routed() - routed;
            scores_only.2 += routing.laid_out() - laid_out;
        }
    }
    assert!(scores_only.0 >= 9, "the run scored steps {} times", scores_only.0);
    assert_eq!(scores_only.1, 0, "a score moves no connector: the routes are reused");
    assert_eq!(scores_only.2, 0, "a score moves no card: the layout is reused");
}
