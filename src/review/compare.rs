//! What changed between two reviews, or since the last one.

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::Side;
use crate::analysis::{MODEL_VERSION, analyze};
use crate::model::{Index, Map, SlaStatus, Visibility};

/// Everything a periodic review asks about, from one side to the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Comparison {
    /// The earlier side's label ("Q3 review").
    pub before: String,
    /// Its day.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub before_date: NaiveDate,
    /// The later side's label ("now").
    pub after: String,
    /// Its day.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub after_date: NaiveDate,
    /// Remembered experience then and now.
    pub remembered: Change,
    /// Average experience then and now.
    pub average: Change,
    /// Share of measured agreements met, then and now.
    pub sla_compliance: Change,
    /// When the two sides' figures rest on different versions of the
    /// experience model, one sentence saying so (with the earlier side
    /// recomputed under the later model), so a jump in the figures is not
    /// taken for a change in service.
    pub model_note: Option<String>,
    /// Steps that are new.
    pub steps_added: Vec<StepRef>,
    /// Steps that are gone.
    pub steps_removed: Vec<StepRef>,
    /// Perception points whose score changed.
    pub rescored: Vec<Rescore>,
    /// Pain points that are open now and were not before (new, or reopened).
    pub pain_opened: Vec<PainRef>,
    /// Pain points open before and resolved (or removed) since.
    pub pain_resolved: Vec<PainRef>,
    /// Agreements whose status changed (met, breached, unmeasured).
    pub agreements_moved: Vec<AgreementMove>,
    /// Agreements measured from a log on both sides whose share within the
    /// promise changed, and whether the change is larger than the intervals.
    pub compliance_changed: Vec<ComplianceChange>,
    /// Commitments done since.
    pub commitments_done: Vec<CommitmentRef>,
    /// Commitments overdue on the later side's day.
    pub commitments_overdue: Vec<CommitmentRef>,
}

/// A figure on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Change {
    /// Before.
    pub before: Option<f64>,
    /// After.
    pub after: Option<f64>,
    /// After minus before, when both exist.
    pub delta: Option<f64>,
}

impl Change {
    fn of(before: Option<f64>, after: Option<f64>) -> Self {
        Self { before, after, delta: before.zip(after).map(|(b, a)| a - b) }
    }
}

/// A step, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A perception point scored differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rescore {
    /// Its id.
    pub id: String,
    /// Its title (the later one).
    pub title: String,
    /// Score before.
    pub before: Option<f64>,
    /// Score after.
    pub after: Option<f64>,
}

/// A pain point, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PainRef {
    /// Its id.
    pub id: String,
    /// What hurts.
    pub text: String,
    /// The step's title.
    pub step_title: String,
    /// True when it was taken off the map rather than marked resolved.
    pub removed: bool,
}

/// An agreement whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgreementMove {
    /// The providing step's title.
    pub from_title: String,
    /// The receiving step's title.
    pub to_title: String,
    /// The providing department's name.
    pub provider_name: String,
    /// The receiving department's name.
    pub receiver_name: String,
    /// Status before.
    pub before: SlaStatus,
    /// Status after.
    pub after: SlaStatus,
}

/// An agreement's measured compliance on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComplianceChange {
    /// The providing step's title.
    pub from_title: String,
    /// The receiving step's title.
    pub to_title: String,
    /// Share within the promise, then.
    pub before: f64,
    /// Its n and interval then.
    pub before_n: u32,
    /// Its 95% interval then.
    pub before_interval: [f64; 2],
    /// Share within the promise, now.
    pub after: f64,
    /// Its n now.
    pub after_n: u32,
    /// Its 95% interval now.
    pub after_interval: [f64; 2],
    /// True when the two intervals do not overlap: the change is larger
    /// than the noise of the samples.
    pub beyond_noise: bool,
}

/// A commitment, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommitmentRef {
    /// Its id.
    pub id: String,
    /// What was agreed.
    pub action: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub due: Option<NaiveDate>,
}

impl CommitmentRef {
    /// The commitment, named.
    #[must_use]
    pub fn of(c: &crate::model::Commitment) -> Self {
        Self { id: c.id.clone(), action: c.action.clone(), owner: c.owner.clone(), due: c.due }
    }
}

/// A sentence when the two sides were figured under different models, and
/// one when the map's weights changed between them.
fn model_note(before: Side<'_>, after: Side<'_>) -> Option<String> {
    let (then, now) = (before.figures.model, after.figures.model);
    let mut notes = Vec::new();
    if then != now {
        let mut note = format!(
            "The experience model changed between these two (version {then} on \"{}\", version {now} on \"{}\"), so part of the change in remembered experience is the model's, not the service's",
            before.label, after.label
        );
        // The earlier side's frozen map, figured as the current engine would.
        if now == MODEL_VERSION
            && let Some(r) = analyze(before.map).ok().and_then(|a| a.remembered)
        {
            note.push_str(&format!(
                "; under version {now}, \"{}\" would be remembered at {}",
                before.label,
                super::text::score(Some(r))
            ));
        }
        note.push('.');
        notes.push(note);
        if then < 3 && now >= 3 {
            notes.push(
                "The weak spots changed their rule too: they are now ranked by their share of what fixing every step would gain, no longer by what fixing each alone gains.".to_owned(),
            );
        }
    }
    let (a, b) = (before.map.settings, after.map.settings);
    let mut changed = Vec::new();
    for (name, x, y) in [
        ("end weight", a.end_weight, b.end_weight),
        ("negativity", a.negativity, b.negativity),
        ("average weight", a.average_weight, b.average_weight),
        ("standard", a.standard, b.standard),
    ] {
        if (x - y).abs() > 1e-12 {
            changed.push(format!("{name} {x:?} → {y:?}"));
        }
    }
    if !changed.is_empty() {
        notes.push(format!(
            "The model's weights changed between these two ({}), so part of the change in the figures is the weights', not the service's.",
            changed.join(", ")
        ));
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// The ids of the pain points not resolved.
fn open_pain(m: &Map) -> FxHashSet<&str> {
    m.pain_points.iter().filter(|p| p.is_open()).map(|p| p.id.as_str()).collect()
}

/// Compares `before` with `after`, the earlier day first whichever way they
/// are given. Steps, pain points and commitments are matched by id,
/// agreements by the steps they join.
#[must_use]
pub fn compare(before: Side<'_>, after: Side<'_>) -> Comparison {
    // "Done since" and "opened since" only read forwards in time.
    let (before, after) = if after.date < before.date { (after, before) } else { (before, after) };
    let (a, b) = (before.map, after.map);
    let (ia, ib) = (Index::new(a), Index::new(b));
    let step_ref = |s: &crate::model::Step| StepRef { id: s.id.clone(), title: s.title.clone() };
    let steps_added = b.steps.iter().filter(|s| ia.step(&s.id).is_none()).map(step_ref).collect();
    let steps_removed = a.steps.iter().filter(|s| ib.step(&s.id).is_none()).map(step_ref).collect();
    let score = |s: &crate::model::Step| (s.visibility == Visibility::Frontstage).then_some(s.score).flatten();
    let rescored = b
        .steps
        .iter()
        .filter_map(|s| {
            let old = ia.step(&s.id)?;
            (score(old) != score(s)).then(|| Rescore {
                id: s.id.clone(),
                title: s.title.clone(),
                before: score(old),
                after: score(s),
            })
        })
        .collect();

    // Sets by id, so a map with thousands of entries compares in linear time.
    let (open_a, open_b) = (open_pain(a), open_pain(b));
    let pain_b: FxHashSet<&str> = b.pain_points.iter().map(|p| p.id.as_str()).collect();
    let pain_ref = |p: &crate::model::PainPoint, index: &Index<'_>, removed| PainRef {
        id: p.id.clone(),
        text: p.text.clone(),
        step_title: index.step(&p.step).map_or_else(|| p.step.clone(), |s| s.title.clone()),
        removed,
    };
    let pain_opened = b
        .pain_points
        .iter()
        .filter(|p| p.is_open() && !open_a.contains(p.id.as_str()))
        .map(|p| pain_ref(p, &ib, false))
        .collect();
    let pain_resolved = a
        .pain_points
        .iter()
        .filter(|p| p.is_open() && !open_b.contains(p.id.as_str()))
        .map(|p| pain_ref(p, &ia, !pain_b.contains(p.id.as_str())))
        .collect();

    let mut agreements_moved = Vec::new();
    let mut earlier: FxHashMap<(&str, &str), &crate::model::Sla> = FxHashMap::default();
    for g in &a.flows {
        if let Some(sla) = &g.sla {
            earlier.entry((g.from.as_str(), g.to.as_str())).or_insert(sla);
        }
    }
    let mut compliance_changed = Vec::new();
    for f in b.flows.iter().filter(|f| ib.is_handoff(f)) {
        let Some(now) = &f.sla else { continue };
        let Some(then) = earlier.get(&(f.from.as_str(), f.to.as_str())) else { continue };
        let title = |id: &str| ib.step(id).map_or_else(|| id.to_owned(), |s| s.title.clone());
        if let (Some(x), Some(y)) =
            (then.measured.as_ref().filter(|m| m.n > 0), now.measured.as_ref().filter(|m| m.n > 0))
            && (x.within_share() - y.within_share()).abs() > 1e-12
        {
            let (i, j) = (x.interval(), y.interval());
            compliance_changed.push(ComplianceChange {
                from_title: title(&f.from),
                to_title: title(&f.to),
                before: x.within_share(),
                before_n: x.n,
                before_interval: i,
                after: y.within_share(),
                after_n: y.n,
                after_interval: j,
                beyond_noise: i[1] < j[0] || j[1] < i[0],
            });
        }
        if then.status(&a.settings) == now.status(&b.settings) {
            continue;
        }
        let (from, to) = (ib.step(&f.from), ib.step(&f.to));
        let dept = |s: Option<&crate::model::Step>| {
            s.and_then(|s| ib.department(&s.department)).map(|d| d.name.clone()).unwrap_or_default()
        };
        agreements_moved.push(AgreementMove {
            from_title: from.map_or_else(|| f.from.clone(), |s| s.title.clone()),
            to_title: to.map_or_else(|| f.to.clone(), |s| s.title.clone()),
            provider_name: dept(from),
            receiver_name: dept(to),
            before: then.status(&a.settings),
            after: now.status(&b.settings),
        });
    }

    let done_before: FxHashSet<&str> = a.commitments.iter().filter(|c| !c.is_open()).map(|c| c.id.as_str()).collect();
    let commitments_done = b
        .commitments
        .iter()
        .filter(|c| !c.is_open() && !done_before.contains(c.id.as_str()))
        .map(CommitmentRef::of)
        .collect();
    let commitments_overdue = b.overdue_commitments(after.date).map(CommitmentRef::of).collect();

    Comparison {
        before: before.label.to_owned(),
        before_date: before.date,
        after: after.label.to_owned(),
        after_date: after.date,
        remembered: Change::of(before.figures.remembered, after.figures.remembered),
        average: Change::of(before.figures.average, after.figures.average),
        sla_compliance: Change::of(before.figures.sla_compliance(), after.figures.sla_compliance()),
        model_note: model_note(before, after),
        steps_added,
        steps_removed,
        rescored,
        pain_opened,
        pain_resolved,
        agreements_moved,
        compliance_changed,
        commitments_done,
        commitments_overdue,
    }
}
