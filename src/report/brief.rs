//! Page 1, the decision brief: what customers remember, the weak spots that
//! colour it and who owns them, the handoff agreements, the charter promises
//! at risk and the commitments overdue, the open pain points by votes, and
//! in the lower half the journey at a glance. A manager who reads only this
//! page knows what to decide.

use crate::analysis::{Analysis, notes, percent};
use crate::fonts::Weight;
use crate::layout::Rect;
use crate::model::{Index, Map, SlaStatus};
use crate::render::overview_svg;
use crate::report::page::{Item, Page, Role, ink, line, lines, right};
use crate::report::{MARGIN, ReportOptions};

/// How many weak spots and pain points the brief lists; the tables have all.
const TOP_WEAK_SPOTS: usize = 5;
const TOP_PAIN_POINTS: usize = 6;
const TOP_OTHER: usize = 4;
/// The least height kept for the overview at the bottom; it takes whatever
/// the lists above leave, down to this.
const OVERVIEW_MIN: f64 = 190.0;

/// A column of the brief being filled from the top, stopping at its floor.
struct Column {
    x: f64,
    w: f64,
    y: f64,
    floor: f64,
}

impl Column {
    fn room(&self, h: f64) -> bool {
        self.y + h <= self.floor
    }

    fn heading(&mut self, p: &mut Page, title: &str) {
        self.y += 4.0;
        p.heading(2, self.x, self.y, 13.0, self.w, title);
        self.y += 19.0;
    }

    fn para(&mut self, p: &mut Page, size: f64, color: &'static str, text: &str) {
        self.y += p.paragraph(self.x, self.y, size, Weight::Regular, color, self.w, 2, text);
    }
}

pub fn page(map: &Map, a: &Analysis, options: &ReportOptions) -> Page {
    let (w, h) = options.paper.size_pt();
    let index = Index::new(map);
    let mut p = Page::new(w, h);
    p.bookmarks.push(("Decision brief".to_owned(), 0.0));
    let right_edge = w - MARGIN;
    let full = w - 2.0 * MARGIN;
    let mut y = MARGIN + 20.0;
    p.heading(1, MARGIN, y, 22.0, full, &map.title);
    y += 20.0;
    p.text(MARGIN, y, 11.0, Weight::Regular, ink::MUTED, full, &format!("Decision brief · {}", options.date));
    y += 48.0;

    // What customers remember, coloured like a card of that score.
    let fig = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"));
    let remembered_color = a.remembered_band.map_or(ink::TEXT, crate::analysis::Band::color);
    p.block(
        Role::Paragraph,
        vec![
            line(MARGIN, y - 22.0, 9.0, Weight::Bold, ink::MUTED, 180.0, "REMEMBERED EXPERIENCE"),
            line(MARGIN, y + 10.0, 34.0, Weight::Bold, remembered_color, 180.0, &fig(a.remembered)),
        ],
    );
    p.block(
        Role::Paragraph,
        vec![
            line(MARGIN + 190.0, y - 22.0, 9.0, Weight::Bold, ink::MUTED, 180.0, "AVERAGE MOMENT"),
            line(MARGIN + 190.0, y + 10.0, 34.0, Weight::Bold, ink::TEXT, 180.0, &fig(a.average)),
        ],
    );
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
    p.paragraph(
        text_x,
        y + 20.0,
        10.0,
        Weight::Regular,
        ink::MUTED,
        right_edge - text_x,
        2,
        &format!("Over all paths, {}.", crate::analysis::model_line(&a.settings)),
    );
    y += 44.0;
    p.rule(MARGIN, right_edge, y);
    y += 26.0;

    // On a page too small for both (A4), the lists come first and the
    // overview takes what room is left, if any.
    let overview_top = if h - 2.0 * MARGIN > 3.5 * OVERVIEW_MIN { h - MARGIN - OVERVIEW_MIN } else { h - MARGIN };
    let col_gap = 36.0;
    let left_w = (full - col_gap) * 0.56;
    let mut left = Column { x: MARGIN, w: left_w, y, floor: overview_top - 16.0 };
    let mut right_col = Column {
        x: MARGIN + left_w + col_gap,
        w: right_edge - (MARGIN + left_w + col_gap),
        y,
        floor: overview_top - 16.0,
    };
    weak_spots(&mut p, &mut left, &index, map, a, options.certainty.as_ref());
    sequence(&mut p, &mut left, a);
    for note in notes(map, a) {
        if left.room(14.0) {
            left.para(&mut p, 9.5, ink::MUTED, &note);
        }
    }
    handoffs(&mut p, &mut right_col, map);
    promises(&mut p, &mut right_col, a);
    overdue(&mut p, &mut right_col, map, options);
    pain_points(&mut p, &mut right_col, map, &index);

    // The journey at a glance, in what is left of the page.
    let top = left.y.max(right_col.y) + 16.0;
    let bottom = h - MARGIN;
    if bottom - top > 100.0 {
        p.heading(2, MARGIN, top, 13.0, full, "The journey at a glance");
        let rect = Rect { x: MARGIN, y: top + 10.0, w: full, h: bottom - top - 10.0 };
        let alt = format!(
            "The reach-weighted score of each of the {} stages, and the weak spots of each stage by rank",
            map.stages.len()
        );
        p.block(Role::Figure(alt), vec![Item::Drawing { rect, svg: overview_svg(map, a, rect.w, rect.h) }]);
    }
    p
}

fn weak_spots(
    p: &mut Page,
    col: &mut Column,
    index: &Index<'_>,
    map: &Map,
    a: &Analysis,
    certainty: Option<&crate::analysis::certainty::Certainty>,
) {
    col.heading(p, "Weak spots that colour the visit");
    if a.weak_spots.is_empty() {
        col.para(p, 11.0, ink::MUTED, "No weak spot changes what customers remember.");
    } else if let Some(line) = crate::analysis::gain_line(a) {
        col.para(p, 10.5, ink::TEXT, &format!("{line} Ranked by each step's share of that gain."));
        col.y += 4.0;
    }
    // How sure the ranking is, where its scores rest on samples.
    for line in certainty.map(|c| c.words(a)).unwrap_or_default() {
        col.para(p, 10.0, ink::TEXT, &line);
    }
    // Where a survey kept its customers' segments: whose first weak spots differ.
    let segments = crate::analysis::segments::segment_spots(map, a);
    if segments.iter().any(|s| s.differs) {
        col.para(p, 10.0, ink::TEXT, "By segment of the survey's customers:");
        for s in &segments {
            col.para(p, 10.0, if s.differs { ink::TEXT } else { ink::MUTED }, &s.words(map));
        }
        col.y += 4.0;
    }
    let shown = a.weak_spots.iter().take(TOP_WEAK_SPOTS).take_while(|_| col.room(60.0)).count();
    for spot in a.weak_spots.iter().take(shown) {
        let (x, tw) = (col.x + 30.0, col.w - 30.0);
        let mut items = vec![
            Item::Rect { rect: Rect { x: col.x, y: col.y - 12.0, w: 20.0, h: 20.0 }, fill: ink::POOR, radius: 10.0 },
            right(col.x + 14.0, col.y + 2.5, 11.0, Weight::Bold, ink::WHITE, &spot.rank.to_string()),
            line(x, col.y + 2.0, 13.0, Weight::Bold, ink::TEXT, tw, &spot.title),
        ];
        col.y += 17.0;
        let dept = index.department(&spot.department).map_or(spot.department.as_str(), |d| d.name.as_str());
        let owner = spot.owner.as_deref().unwrap_or("no owner named");
        let (owner_lines, used) = lines(
            x,
            col.y,
            10.0,
            Weight::Regular,
            ink::MUTED,
            tw,
            4,
            &format!(
                "Owner: {owner} · {dept} · score {:.1} → target {:.1} · share {} of the gain, {} alone · reach {}{}",
                spot.score,
                spot.target,
                crate::analysis::signed(spot.share),
                crate::analysis::signed(spot.impact),
                percent(spot.reach),
                certainty.and_then(|c| c.short(&spot.id)).map(|s| format!(" · {s}")).unwrap_or_default()
            ),
        );
        items.extend(owner_lines);
        col.y += used + 2.0;
        for reason in &spot.why {
            let (more, used) =
                lines(x + 8.0, col.y, 10.5, Weight::Regular, ink::TEXT, tw - 8.0, 2, &format!("• {reason}"));
            items.extend(more);
            col.y += used;
        }
        p.block(Role::Paragraph, items);
        col.y += 12.0;
    }
    if a.weak_spots.len() > shown {
        col.para(p, 10.0, ink::MUTED, &format!("{} more in the table “All weak spots”.", a.weak_spots.len() - shown));
    }
}

fn sequence(p: &mut Page, col: &mut Column, a: &Analysis) {
    let adv = &a.sequence_advice;
    if (adv.bad_end <= 0.0 && adv.late_bad_peak <= 0.0) || !col.room(50.0) {
        return;
    }
    col.y += 6.0;
    col.heading(p, "Finish strong, get the bad over early");
    let names =
        |steps: &[crate::analysis::StepShare]| steps.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join(", ");
    let lines = [
        (adv.bad_end, "end on a bad moment", &adv.bad_end_steps),
        (adv.late_bad_peak, "have their worst moment in the last stages", &adv.late_bad_peak_steps),
    ];
    for (share, what, steps) in lines.into_iter().filter(|(share, _, _)| *share > 0.0) {
        col.para(p, 10.5, ink::TEXT, &format!("• {} of visits {what}: {}.", percent(share), names(steps)));
    }
    col.y += 12.0;
}

fn handoffs(p: &mut Page, col: &mut Column, map: &Map) {
    let mut counts = [0u32; 3];
    for sla in map.flows.iter().filter_map(|f| f.sla.as_ref()) {
        match sla.status(&map.settings) {
            SlaStatus::Met => counts[0] += 1,
            SlaStatus::Breached => counts[1] += 1,
            SlaStatus::Unmeasured => counts[2] += 1,
        }
    }
    if counts.iter().sum::<u32>() == 0 {
        return;
    }
    col.heading(p, "Handoff agreements");
    col.para(p, 11.0, ink::TEXT, &format!("{} met · {} breached · {} unmeasured", counts[0], counts[1], counts[2]));
    col.y += 3.0;
    for line in crate::analysis::breached_handoffs(map).iter().take(TOP_OTHER) {
        if !col.room(26.0) {
            break;
        }
        col.para(p, 10.5, ink::POOR, line);
        col.y += 3.0;
    }
    col.y += 14.0;
}

/// Charter promises the agreements cannot keep, or that measured times miss.
fn promises(p: &mut Page, col: &mut Column, a: &Analysis) {
    let at_risk = crate::analysis::promises_at_risk(a);
    if at_risk.is_empty() || !col.room(50.0) {
        return;
    }
    col.heading(p, "Promises to customers at risk");
    for line in at_risk.iter().take(TOP_OTHER) {
        if !col.room(26.0) {
            break;
        }
        col.para(p, 10.5, ink::POOR, line);
        col.y += 3.0;
    }
    col.y += 14.0;
}

fn overdue(p: &mut Page, col: &mut Column, map: &Map, options: &ReportOptions) {
    let Some(day) = options.day() else { return };
    let late: Vec<_> = map.overdue_commitments(day).collect();
    if late.is_empty() || !col.room(50.0) {
        return;
    }
    col.heading(p, "Commitments overdue");
    for c in late.iter().take(TOP_OTHER) {
        if !col.room(26.0) {
            break;
        }
        let owner = c.owner.as_deref().unwrap_or("no owner named");
        let due = c.due.map(|d| format!(", due {d}")).unwrap_or_default();
        col.para(p, 10.5, ink::POOR, &format!("{} ({owner}{due})", c.action));
        col.y += 3.0;
    }
    col.y += 14.0;
}

/// Open pain points: those the room voted for by votes, then how many wait
/// for a vote. A pain point nobody voted for is never listed "by votes".
fn pain_points(p: &mut Page, col: &mut Column, map: &Map, index: &Index<'_>) {
    let open: Vec<_> = map.pain_points.iter().filter(|p| p.is_open()).collect();
    if open.is_empty() || !col.room(50.0) {
        return;
    }
    let mut voted: Vec<_> = open.iter().filter(|p| p.votes > 0).collect();
    voted.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| a.text.cmp(&b.text)));
    let unvoted = open.len() - voted.len();
    if voted.is_empty() {
        col.heading(p, "Open pain points");
        col.para(
            p,
            10.5,
            ink::TEXT,
            &format!("{} open, none voted on yet: the table “Pain points by owner” lists them.", open.len()),
        );
        return;
    }
    col.heading(p, "Open pain points, by votes");
    for pain in voted.iter().take(TOP_PAIN_POINTS) {
        if !col.room(30.0) {
            break;
        }
        let tx = col.x + 36.0;
        let (mut items, used) = lines(tx, col.y, 10.5, Weight::Regular, ink::TEXT, col.w - 36.0, 2, &pain.text);
        items.insert(0, right(col.x + 26.0, col.y, 13.0, Weight::Bold, ink::PAIN, &pain.votes.to_string()));
        col.y += used;
        let step = index.step(&pain.step).map_or(pain.step.as_str(), |s| s.title.as_str());
        let owner = pain.owner.as_deref().unwrap_or("no owner");
        let (at, used) =
            lines(tx, col.y, 9.5, Weight::Regular, ink::MUTED, col.w - 36.0, 3, &format!("{step} · {owner}"));
        items.extend(at);
        p.block(Role::Paragraph, items);
        col.y += used + 4.0;
    }
    if unvoted > 0 {
        col.para(p, 10.0, ink::MUTED, &format!("{unvoted} more open, not yet voted on."));
    }
}
