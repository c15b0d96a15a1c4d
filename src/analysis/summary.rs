//! The analysis in words: why each weak spot matters, notes on what the figures
//! leave out, and the CLI's readable summary. The window and the report use
//! the same sentences, so a workshop hears one explanation everywhere.

use std::fmt::Write as _;

use crate::analysis::{Analysis, PromiseVerdict, WeakSpot, extremes};
use crate::model::{Map, Visibility};

/// A share as a percentage people read at a glance.
#[must_use]
pub fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.005 { "<1%".to_owned() } else { format!("{:.0}%", x * 100.0) }
}

/// Minutes without a needless decimal.
#[must_use]
pub fn minutes(m: f64) -> String {
    if (m - m.round()).abs() < 1e-9 { format!("{m:.0}") } else { format!("{m:.1}") }
}

/// A time in the unit it reads best in: "40 min", "3 hours", "2 days".
/// (Agreements are kept in minutes; 2,880 of them is two days to a reader.)
#[must_use]
pub fn duration(m: f64) -> String {
    let unit = |x: f64, one: &str, many: &str| {
        let x = (x * 10.0).round() / 10.0;
        let n = minutes(x);
        format!("{n} {}", if n == "1" { one } else { many })
    };
    if m < 90.0 {
        format!("{} min", minutes((m * 10.0).round() / 10.0))
    } else if m < 48.0 * 60.0 {
        unit(m / 60.0, "hour", "hours")
    } else {
        unit(m / (24.0 * 60.0), "day", "days")
    }
}

/// Why a weak spot matters, most telling reason first.
#[must_use]
pub fn why(spot: &WeakSpot) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Some(m) = &spot.masked_by {
        reasons.push(format!(
            "{:.1}, masked by “{}” at {:.1}: fixing it alone gains {}, fixing both gains {}",
            spot.score,
            m.title,
            m.score,
            signed(spot.impact),
            signed(m.both)
        ));
    }
    let as_worst = spot.reach * spot.peak_share;
    if as_worst > 0.0 {
        if spot.score < extremes::NEUTRAL {
            reasons.push(format!("worst moment on {} of visits", percent(as_worst)));
        } else {
            reasons.push(format!(
                "worst moment on {} of visits, though not a bad one: below its target of {:.1}",
                percent(as_worst),
                spot.target
            ));
        }
    }
    let as_end = spot.reach * spot.end_share;
    if as_end >= 0.995 {
        reasons.push("last thing customers see".to_owned());
    } else if as_end > 0.0 {
        reasons.push(format!("last thing customers see on {} of visits", percent(as_end)));
    }
    for cause in &spot.upstream_causes {
        reasons.push(format!("{} ({}) {}", cause.from_title, cause.provider_name, cause.said));
    }
    if reasons.is_empty() {
        reasons.push(format!(
            "raising it from {:.1} to {:.1} would make it a moment customers remember",
            spot.score, spot.target
        ));
    }
    reasons
}

/// An agreement measured from a log, as figures.
#[must_use]
pub fn measured(
    sla: &crate::model::Sla,
    settings: &crate::model::Settings,
) -> Option<crate::analysis::MeasuredAgreement> {
    let m = sla.measured.as_ref().filter(|m| m.n > 0)?;
    Some(crate::analysis::MeasuredAgreement {
        n: m.n,
        within: m.within,
        within_share: m.within_share(),
        interval: m.interval(),
        target_share: sla.target(settings),
        median_minutes: m.median_minutes,
        p90_minutes: m.p90_minutes,
    })
}

/// An agreement's figures in words: measured from a log, with its n and
/// interval ("kept its 1-hour promise on 42% of 240 handoffs (36–48%, target
/// 90%); median 2 days, p90 4 days"); typed in a workshop ("took 2 days
/// against 60 min promised", and "(workshop figure)" when the map also holds
/// measured ones); or not measured at all.
#[must_use]
pub fn agreement_said(sla: &crate::model::Sla, settings: &crate::model::Settings, mixed: bool) -> String {
    if let Some(m) = measured(sla, settings) {
        return format!(
            "kept its {} promise on {} of {} handoffs ({}–{}, target {}); median {}, p90 {}",
            duration(sla.promised_minutes),
            percent(m.within_share),
            m.n,
            percent(m.interval[0]),
            percent(m.interval[1]),
            percent(m.target_share),
            duration(m.median_minutes.max(0.0)),
            duration(m.p90_minutes.max(0.0))
        );
    }
    let workshop = if mixed { " (workshop figure)" } else { "" };
    match sla.actual_minutes {
        Some(a) => format!("took {} against {} promised{workshop}", duration(a), duration(sla.promised_minutes)),
        None => format!("{} promised, not measured", duration(sla.promised_minutes)),
    }
}

/// A gain with its sign and two decimals: "+0.23".
#[must_use]
pub fn signed(x: f64) -> String {
    format!("+{:.2}", x.max(0.0))
}

/// The formula the figures rest on, as the window, the CLI and the report
/// print it (`docs/experience-model.md`).
pub const MODEL_FORMULA: &str = "remembered = (1 − w) × (n × worst + best) / (n + 1) + w × end";

/// The formula with the map's weights: the settings line of the CLI and the report.
#[must_use]
pub fn model_line(st: &crate::model::Settings) -> String {
    let average = if st.average_weight > 0.0 {
        format!("; overall = (1 − λ) × remembered + λ × average, λ = {:?}", st.average_weight)
    } else {
        String::new()
    };
    format!(
        "{MODEL_FORMULA}, with end weight w = {:?}, negativity n = {:?}; standard {:?}{average}",
        st.end_weight, st.negativity, st.standard
    )
}

/// The gain if every step met its target, in a sentence: "If every step met
/// its target, customers would remember 4.1 instead of 3.3 (+0.84)."
#[must_use]
pub fn gain_line(a: &Analysis) -> Option<String> {
    let (now, then) = (a.overall?, a.overall_if_all_met?);
    let what =
        if a.settings.average_weight > 0.0 { "the overall experience would be" } else { "customers would remember" };
    Some(format!("If every step met its target, {what} {then:.2} instead of {now:.2} ({}).", signed(a.gain_if_all_met)))
}

/// Plain-language notes on edge cases: nothing scored, nothing weak, steps or
/// visits left out.
#[must_use]
pub fn notes(map: &Map, analysis: &Analysis) -> Vec<String> {
    let mut notes = Vec::new();
    if map.steps.is_empty() {
        notes.push("The map has no steps yet.".to_owned());
        return notes;
    }
    if analysis.remembered.is_none() {
        notes.push(
            "No perception point is scored yet: score the frontstage steps to see what customers remember.".into(),
        );
    } else if analysis.weak_spots.is_empty() && analysis.average_model.is_empty() {
        notes.push("Every scored step meets its target: there are no weak spots.".into());
    } else if analysis.weak_spots.is_empty() {
        notes.push(format!(
            "No step below target changes what customers remember, so there are no weak spots under the peak-end model; the average model still lists {}.",
            analysis.average_model.len()
        ));
    }
    let unscored = map.steps.iter().filter(|s| s.visibility == Visibility::Frontstage && s.score.is_none()).count();
    if unscored > 0 {
        notes.push(format!(
            "{unscored} frontstage step{} not scored and left out of the analysis.",
            if unscored == 1 { " is" } else { "s are" }
        ));
    }
    if analysis.left_out > 0.0 && analysis.remembered.is_some() {
        notes.push(format!(
            "{} of visits pass no scored step and are left out of the figures.",
            percent(analysis.left_out)
        ));
    }
    notes
}

/// The readable summary `waymark analyze` prints.
#[must_use]
pub fn summary(map: &Map, a: &Analysis) -> String {
    let mut s = String::new();
    let st = &a.settings;
    let _ = writeln!(s, "{}", map.title);
    match (a.remembered, a.average) {
        (Some(r), Some(avg)) => {
            let _ = writeln!(s, "Remembered experience {r:.2}  vs  average {avg:.2}");
        }
        _ => {
            let _ = writeln!(s, "Remembered experience –  vs  average –");
        }
    }
    if let (Some(o), true) = (a.overall, st.average_weight > 0.0) {
        let _ = writeln!(s, "Overall experience {o:.2}");
    }
    let _ = writeln!(s, "({})", model_line(st));
    if let Some(line) = gain_line(a) {
        let _ = writeln!(s, "{line}");
    }
    for note in notes(map, a) {
        let _ = writeln!(s, "Note: {note}");
    }

    let _ = writeln!(s, "\nWeak spots, by their share of that gain (and what fixing each alone gains)");
    if a.weak_spots.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for w in &a.weak_spots {
        let dept = map.department(&w.department).map_or(w.department.as_str(), |d| d.name.as_str());
        let owner = w.owner.as_deref().map(|o| format!(", {o}")).unwrap_or_default();
        let marker = if w.model_dependent { "  *" } else { "" };
        let _ = writeln!(
            s,
            "{:>3}. {}  [{dept}{owner}]  {:.1} → {:.1}  share {} of {}  alone {}  reach {}{marker}",
            w.rank,
            w.title,
            w.score,
            w.target,
            signed(w.share),
            signed(a.gain_if_all_met),
            signed(w.impact),
            percent(w.reach)
        );
        for reason in &w.why {
            let _ = writeln!(s, "       - {reason}");
        }
    }
    let _ = writeln!(s, "\nUnder the average model");
    if a.average_model.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for w in &a.average_model {
        let pe = w.peak_end_rank.map_or_else(|| "not a weak spot".to_owned(), |r| format!("#{r}"));
        let marker = if w.model_dependent { "  *" } else { "" };
        let _ = writeln!(s, "{:>3}. {}  impact +{:.3}  (peak-end: {pe}){marker}", w.rank, w.title, w.impact);
    }
    if a.weak_spots.iter().any(|w| w.model_dependent) || a.average_model.iter().any(|w| w.model_dependent) {
        let _ = writeln!(s, "  * ranked far apart by the two models: that conclusion rests on the model");
    }

    let adv = &a.sequence_advice;
    let _ = writeln!(s, "\nSequence advice (finish strong, get the bad over early)");
    let names = |steps: &[crate::analysis::StepShare]| {
        steps.iter().map(|x| format!("{} ({})", x.title, percent(x.share))).collect::<Vec<_>>().join(", ")
    };
    if adv.bad_end > 0.0 {
        let _ =
            writeln!(s, "  - {} of visits end on a bad moment: {}", percent(adv.bad_end), names(&adv.bad_end_steps));
    } else {
        let _ = writeln!(s, "  - no visit ends on a bad moment");
    }
    let late: Vec<&str> = adv
        .late_stages
        .iter()
        .filter_map(|id| map.stages.iter().find(|st| &st.id == id).map(|st| st.name.as_str()))
        .collect();
    if adv.late_bad_peak > 0.0 {
        let _ = writeln!(
            s,
            "  - {} of visits have their worst moment late ({}): {}",
            percent(adv.late_bad_peak),
            late.join(", "),
            names(&adv.late_bad_peak_steps)
        );
    } else {
        let _ = writeln!(s, "  - no visit has its worst moment late ({})", late.join(", "));
    }

    let breached = breached_handoffs(map);
    if !breached.is_empty() {
        let _ = writeln!(s, "\nHandoff agreements breached");
        for line in &breached {
            let _ = writeln!(s, "  - {line}");
        }
    }
    let at_risk = promises_at_risk(a);
    if !at_risk.is_empty() {
        let _ = writeln!(s, "\nPromises to customers at risk");
        for line in &at_risk {
            let _ = writeln!(s, "  - {line}");
        }
    }

    let _ = writeln!(
        s,
        "\nDepartment standing (share: of the gain, by the steps it owns; caused: as a provider of breached handoffs)"
    );
    let _ = writeln!(
        s,
        "  {:<32} {:>6} {:>6} {:>7} {:>7} {:>12} {:>14}",
        "department", "front", "mean", "share", "caused", "SLA met", "open pain (votes)"
    );
    for d in &a.departments {
        let mean = d.mean_score.map_or_else(|| "–".to_owned(), |m| format!("{m:.2}"));
        let sla = if d.sla_measured > 0 {
            format!("{}/{}", d.sla_met, d.sla_measured)
        } else if d.sla_unmeasured > 0 {
            "unmeasured".to_owned()
        } else {
            "–".to_owned()
        };
        let _ = writeln!(
            s,
            "  {:<32} {:>6} {:>6} {:>7.2} {:>7.2} {:>12} {:>9} ({})",
            truncate(&d.name, 32),
            d.frontstage_steps,
            mean,
            d.weak_spot_share,
            d.caused_share,
            sla,
            d.open_pain_points,
            d.open_votes
        );
    }
    s
}

/// Each breached handoff agreement in a sentence, in map order: "Contact
/// centre: Call notes → Adjuster's visit: 2 days against 1 hour promised".
/// The brief and `analyze` say the same.
#[must_use]
pub fn breached_handoffs(map: &Map) -> Vec<String> {
    let title = |id: &str| map.step(id).map_or(id, |s| s.title.as_str()).to_owned();
    map.flows
        .iter()
        .filter_map(|flow| {
            let sla = flow.sla.as_ref()?;
            (sla.status(&map.settings) == crate::model::SlaStatus::Breached).then(|| {
                let provider = map
                    .step(&flow.from)
                    .and_then(|s| map.department(&s.department))
                    .map_or(String::new(), |d| format!("{}: ", d.name));
                format!(
                    "{provider}{} → {}: {} against {} promised",
                    title(&flow.from),
                    title(&flow.to),
                    duration(sla.actual().unwrap_or_default()),
                    duration(sla.promised_minutes)
                )
            })
        })
        .collect()
}

/// Each charter promise the agreements cannot keep or measured times miss,
/// in a sentence. The brief and `analyze` say the same.
#[must_use]
pub fn promises_at_risk(a: &Analysis) -> Vec<String> {
    a.charter
        .iter()
        .filter(|c| matches!(c.verdict, PromiseVerdict::CannotBeMet | PromiseVerdict::MissedInPractice))
        .map(|c| {
            let within = c.within_minutes.map_or_else(String::new, |m| format!(" (within {})", duration(m)));
            let why = match c.verdict {
                PromiseVerdict::CannotBeMet => format!(
                    "cannot be met: the agreements behind it allow {}",
                    c.promised_minutes.map_or_else(|| "–".to_owned(), duration)
                ),
                _ => format!(
                    "missed in practice: the handoffs take {}",
                    c.actual_minutes.map_or_else(|| "–".to_owned(), duration)
                ),
            };
            format!("{}: “{}”{within} {why}", c.stage_name, c.text)
        })
        .collect()
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}
