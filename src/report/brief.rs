//! Page 1, the decision brief: what customers remember, the weak spots that
//! colour it and who owns them, the state of the handoff agreements, and the
//! open pain points by votes. A manager who reads only this page knows what to
//! decide.

use crate::analysis::{Analysis, notes, percent};
use crate::model::{Index, Map, SlaStatus};
use crate::render::fonts::Weight;
use crate::report::page::{PageSvg, ink};
use crate::report::{MARGIN, Page, ReportOptions};

/// How many weak spots and pain points the brief lists; the tables have all.
const TOP_WEAK_SPOTS: usize = 5;
const TOP_PAIN_POINTS: usize = 8;

pub fn page(map: &Map, a: &Analysis, options: &ReportOptions) -> Page {
    let (w, h) = options.paper.size_pt();
    let index = Index::new(map);
    let mut p = PageSvg::new(w, h);
    let right_edge = w - MARGIN;
    let bottom = h - MARGIN;
    let mut y = MARGIN + 20.0;
    p.text(MARGIN, y, 22.0, Weight::Bold, ink::TEXT, w - 2.0 * MARGIN, &map.title);
    y += 20.0;
    p.text(
        MARGIN,
        y,
        11.0,
        Weight::Regular,
        ink::MUTED,
        w - 2.0 * MARGIN,
        &format!("Decision brief · {}", options.date),
    );
    y += 48.0;

    // What customers remember.
    let fig = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"));
    p.text(MARGIN, y - 22.0, 9.0, Weight::Bold, ink::MUTED, 200.0, "REMEMBERED EXPERIENCE");
    p.text(MARGIN, y + 10.0, 34.0, Weight::Bold, ink::POOR, 200.0, &fig(a.remembered));
    p.text(MARGIN + 190.0, y - 22.0, 9.0, Weight::Bold, ink::MUTED, 200.0, "AVERAGE MOMENT");
    p.text(MARGIN + 190.0, y + 10.0, 34.0, Weight::Bold, ink::TEXT, 200.0, &fig(a.average));
    let gap_text = match (a.remembered, a.average) {
        (Some(r), Some(avg)) if r < avg => format!(
            "Customers remember the visit {:.2} below its average moment: its worst moments and its end pull it down.",
            avg - r
        ),
        (Some(r), Some(avg)) => format!("Customers remember the visit {:.2} above its average moment.", r - avg),
        _ => "Nothing is scored yet, so there is nothing to remember.".to_owned(),
    };
    let text_x = MARGIN + 380.0;
    p.paragraph(text_x, y - 12.0, 12.0, Weight::Regular, ink::TEXT, right_edge - text_x, 2, &gap_text);
    let st = &a.settings;
    p.paragraph(
        text_x,
        y + 20.0,
        10.0,
        Weight::Regular,
        ink::MUTED,
        right_edge - text_x,
        2,
        &format!("Over all paths, {}.", crate::analysis::model_line(st)),
    );
    y += 44.0;
    p.rule(MARGIN, right_edge, y);
    y += 26.0;

    // Left: weak spots. Right: handoffs and pain points.
    let col_gap = 36.0;
    let left_w = (w - 2.0 * MARGIN - col_gap) * 0.56;
    let right_x = MARGIN + left_w + col_gap;
    let right_w = right_edge - right_x;
    let top = y;

    p.text(MARGIN, y, 14.0, Weight::Bold, ink::TEXT, left_w, "Weak spots that colour the visit");
    y += 20.0;
    if a.weak_spots.is_empty() {
        p.text(MARGIN, y, 11.0, Weight::Regular, ink::MUTED, left_w, "No weak spot changes what customers remember.");
        y += 16.0;
    }
    for spot in a.weak_spots.iter().take(TOP_WEAK_SPOTS) {
        if y > bottom - 60.0 {
            break;
        }
        p.rect(MARGIN, y - 12.0, 20.0, 20.0, ink::POOR, 10.0);
        p.text_right(MARGIN + 14.0, y + 2.5, 11.0, Weight::Bold, "#ffffff", &spot.rank.to_string());
        let tx = MARGIN + 30.0;
        let tw = left_w - 30.0;
        p.text(tx, y + 2.0, 13.0, Weight::Bold, ink::TEXT, tw, &spot.title);
        y += 17.0;
        let dept = index.department(&spot.department).map_or(spot.department.as_str(), |d| d.name.as_str());
        let owner = spot.owner.as_deref().unwrap_or("no owner named");
        p.text(
            tx,
            y,
            10.0,
            Weight::Regular,
            ink::MUTED,
            tw,
            &format!(
                "Owner: {owner} · {dept} · score {:.1} → target {:.1} · +{:.2} remembered · reach {}",
                spot.score,
                spot.target,
                spot.impact,
                percent(spot.reach)
            ),
        );
        y += 15.0;
        for reason in &spot.why {
            y += p.paragraph(tx + 8.0, y, 10.5, Weight::Regular, ink::TEXT, tw - 8.0, 2, &format!("• {reason}"));
        }
        y += 12.0;
    }
    let adv = &a.sequence_advice;
    if adv.bad_end > 0.0 || adv.late_bad_peak > 0.0 {
        y += 6.0;
        p.text(MARGIN, y, 14.0, Weight::Bold, ink::TEXT, left_w, "Finish strong, get the bad over early");
        y += 18.0;
        let names = |steps: &[crate::analysis::StepShare]| {
            steps.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join(", ")
        };
        let lines = [
            (adv.bad_end, "end on a bad moment", &adv.bad_end_steps),
            (adv.late_bad_peak, "have their worst moment in the last stages", &adv.late_bad_peak_steps),
        ];
        for (share, what, steps) in lines.into_iter().filter(|(share, _, _)| *share > 0.0) {
            let line = format!("• {} of visits {what}: {}.", percent(share), names(steps));
            y += p.paragraph(MARGIN, y, 10.5, Weight::Regular, ink::TEXT, left_w, 2, &line);
        }
        y += 12.0;
    }
    let mut y_left = y;
    let note_lines = notes(map, a);
    for note in &note_lines {
        if y_left > bottom - 14.0 {
            break;
        }
        y_left += p.paragraph(MARGIN, y_left, 9.5, Weight::Regular, ink::MUTED, left_w, 2, note);
    }

    // Handoff agreements.
    let mut y = top;
    p.text(right_x, y, 14.0, Weight::Bold, ink::TEXT, right_w, "Handoff agreements");
    y += 20.0;
    let mut counts = [0u32; 3];
    let mut breached = Vec::new();
    for flow in &map.flows {
        let Some(sla) = &flow.sla else { continue };
        match sla.status() {
            SlaStatus::Met => counts[0] += 1,
            SlaStatus::Breached => {
                counts[1] += 1;
                breached.push((flow, sla));
            }
            SlaStatus::Unmeasured => counts[2] += 1,
        }
    }
    p.text(
        right_x,
        y,
        11.0,
        Weight::Regular,
        ink::TEXT,
        right_w,
        &format!("{} met · {} breached · {} unmeasured", counts[0], counts[1], counts[2]),
    );
    y += 18.0;
    for (flow, sla) in breached.iter().take(6) {
        let from = index.step(&flow.from).map_or(flow.from.as_str(), |s| s.title.as_str());
        let to = index.step(&flow.to).map_or(flow.to.as_str(), |s| s.title.as_str());
        let provider =
            index.step(&flow.from).and_then(|s| index.department(&s.department)).map_or("", |d| d.name.as_str());
        let actual = sla.actual_minutes.unwrap_or_default();
        y += p.paragraph(
            right_x,
            y,
            10.5,
            Weight::Regular,
            ink::POOR,
            right_w,
            2,
            &format!(
                "{provider}: {from} → {to}: {} min against {} promised",
                crate::analysis::minutes(actual),
                crate::analysis::minutes(sla.promised_minutes)
            ),
        );
        y += 3.0;
    }
    y += 18.0;

    // Open pain points by votes.
    p.text(right_x, y, 14.0, Weight::Bold, ink::TEXT, right_w, "Open pain points, by votes");
    y += 20.0;
    let mut open: Vec<_> = map.pain_points.iter().filter(|p| p.is_open()).collect();
    open.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| a.text.cmp(&b.text)));
    if open.is_empty() {
        p.text(right_x, y, 11.0, Weight::Regular, ink::MUTED, right_w, "None open.");
    }
    for pain in open.iter().take(TOP_PAIN_POINTS) {
        if y > bottom - 20.0 {
            break;
        }
        p.text_right(right_x + 26.0, y, 13.0, Weight::Bold, "#d9480f", &pain.votes.to_string());
        let tx = right_x + 36.0;
        y += p.paragraph(tx, y, 10.5, Weight::Regular, ink::TEXT, right_w - 36.0, 2, &pain.text);
        let step = index.step(&pain.step).map_or(pain.step.as_str(), |s| s.title.as_str());
        let owner = pain.owner.as_deref().unwrap_or("no owner");
        p.text(tx, y, 9.5, Weight::Regular, ink::MUTED, right_w - 36.0, &format!("{step} · {owner}"));
        y += 16.0;
    }
    Page { svg: p.finish(), width: w, height: h, bookmark: Some("Decision brief".to_owned()) }
}
