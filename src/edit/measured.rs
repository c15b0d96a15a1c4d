//! Figures measured from evidence, stored as one edit: the shares of flows
//! and entries counted from a log, and the handoff times of agreements, each
//! with its n and the source it came from (`docs/evidence.md`).
//!
//! Each figure names its flow by index and by the steps it joins, so a map
//! that changed since the figures were computed refuses them rather than
//! writing a share onto another flow. Figures of an earlier measurement
//! that this one does not replace stay, and the sources no figure names any
//! more are dropped, so re-measuring from a newer log leaves one source.

use serde::{Deserialize, Serialize};

use super::EditError;
use crate::model::{Counted, EvidenceSource, KeptCases, Map, MeasuredTimes, SurveyAnswers, Surveyed, Visibility};

/// What a measurement sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Measured {
    /// Where the figures came from.
    pub source: EvidenceSource,
    /// Flows' shares.
    pub shares: Vec<FlowShare>,
    /// Entry steps' shares.
    pub entries: Vec<EntryShare>,
    /// Agreements' handoff times.
    pub agreements: Vec<AgreementTimes>,
    /// Steps' scores from a survey.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<StepScore>,
    /// The survey's answers, kept for resampling (their `source` is set
    /// when the edit is applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<SurveyAnswers>,
    /// The log's cases, kept for resampling the shares (their `source` is
    /// set when the edit is applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<KeptCases>,
}

/// A step's score from a survey's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepScore {
    /// The step.
    pub step: String,
    /// Answers counted.
    pub n: u32,
    /// Their mean on 1..5.
    pub mean: f64,
    /// Their standard deviation (n − 1).
    pub sd: f64,
    /// The 95% t-interval of the mean.
    pub interval: Option<[f64; 2]>,
}

/// A flow's measured share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FlowShare {
    /// The flow's index.
    pub flow: u32,
    /// Its source step, as a check.
    pub from: String,
    /// Its target step, as a check.
    pub to: String,
    /// Transitions along it.
    pub count: u32,
    /// Transitions from its source along any of its forward flows.
    pub n: u32,
}

/// An entry step's measured share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryShare {
    /// The step.
    pub step: String,
    /// Cases starting there.
    pub count: u32,
    /// Cases starting at any entry step.
    pub n: u32,
}

/// An agreement's measured times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgreementTimes {
    /// The flow's index.
    pub flow: u32,
    /// Its source step, as a check.
    pub from: String,
    /// Its target step, as a check.
    pub to: String,
    /// Handoffs measured.
    pub n: u32,
    /// Of them, within the promise.
    pub within: u32,
    /// Median minutes.
    pub median_minutes: f64,
    /// 90th percentile, minutes.
    pub p90_minutes: f64,
    /// Mean, minutes.
    pub mean_minutes: f64,
}

fn ratio(count: u32, n: u32) -> f64 {
    f64::from(count) / f64::from(n)
}

pub(super) fn apply(map: &mut Map, m: &Measured) -> Result<(), EditError> {
    let source = u32::try_from(map.evidence.len()).unwrap_or(u32::MAX);
    map.evidence.push(m.source.clone());
    let flow_at = |map: &Map, flow: u32, from: &str, to: &str| -> Result<usize, EditError> {
        let i = flow as usize;
        match map.flows.get(i) {
            Some(f) if f.from == from && f.to == to => Ok(i),
            _ => Err(EditError::Conflict(format!(
                "the map changed since it was measured: flow {flow} is no longer {from} → {to}; measure it again"
            ))),
        }
    };
    for s in &m.shares {
        let i = flow_at(map, s.flow, &s.from, &s.to)?;
        if s.n == 0 {
            continue;
        }
        // A flow the log never took keeps no share of 0: validation then
        // says its customers' share is unspecified, which the log left so.
        let flow = &mut map.flows[i];
        flow.share = (s.count > 0).then(|| ratio(s.count, s.n));
        flow.measured = Some(Counted { count: s.count, n: s.n, source });
    }
    for e in m.entries.iter().filter(|e| e.n > 0) {
        let Some(step) = map.steps.iter_mut().find(|s| s.id == e.step) else {
            return Err(EditError::Conflict(format!("the map has no step \"{}\" any more; measure it again", e.step)));
        };
        step.entry_share = (e.count > 0).then(|| ratio(e.count, e.n));
        step.entry_measured = Some(Counted { count: e.count, n: e.n, source });
    }
    for a in &m.agreements {
        let i = flow_at(map, a.flow, &a.from, &a.to)?;
        let Some(sla) = map.flows[i].sla.as_mut() else {
            return Err(EditError::Conflict(format!("flow {} → {} carries no agreement any more", a.from, a.to)));
        };
        sla.measured = Some(MeasuredTimes {
            n: a.n,
            within: a.within,
            median_minutes: a.median_minutes,
            p90_minutes: a.p90_minutes,
            mean_minutes: a.mean_minutes,
            source,
        });
    }
    for sc in &m.scores {
        let Some(step) = map.steps.iter_mut().find(|s| s.id == sc.step) else {
            return Err(EditError::Conflict(format!(
                "the map has no step \"{}\" any more; read the survey again",
                sc.step
            )));
        };
        if step.visibility != Visibility::Frontstage {
            return Err(EditError::Conflict(format!(
                "step \"{}\" is backstage now: customers rate frontstage steps only",
                sc.step
            )));
        }
        if sc.n == 0 || !sc.mean.is_finite() {
            continue;
        }
        // The workshop's score stays beside the measured one; re-measuring
        // keeps the workshop's, not the previous survey's.
        let workshop_score = match &step.surveyed {
            Some(before) => before.workshop_score,
            None => step.score,
        };
        step.score = Some(((sc.mean * 10.0).round() / 10.0).clamp(1.0, 5.0));
        step.follows_ratings = false;
        step.surveyed =
            Some(Surveyed { n: sc.n, mean: sc.mean, sd: sc.sd, interval: sc.interval, source, workshop_score });
    }
    if let Some(answers) = &m.answers {
        // A survey of the same steps replaces the earlier one's answers.
        map.answers.retain(|kept| !kept.steps.iter().all(|s| answers.steps.contains(s)));
        map.answers.push(SurveyAnswers { source, ..answers.clone() });
    }
    if let Some(cases) = &m.cases {
        // A log measures the map's flows afresh: its cases replace the last log's.
        map.cases.clear();
        map.cases.push(KeptCases { source, ..cases.clone() });
    }
    drop_unused_sources(map);
    Ok(())
}

/// Drops the sources no figure names, renumbering the rest.
fn drop_unused_sources(map: &mut Map) {
    let mut used = vec![false; map.evidence.len()];
    let mut mark = |s: u32| {
        if let Some(u) = used.get_mut(s as usize) {
            *u = true;
        }
    };
    for f in &map.flows {
        if let Some(c) = &f.measured {
            mark(c.source);
        }
        if let Some(t) = f.sla.as_ref().and_then(|s| s.measured.as_ref()) {
            mark(t.source);
        }
    }
    for s in &map.steps {
        if let Some(c) = &s.entry_measured {
            mark(c.source);
        }
        if let Some(v) = &s.surveyed {
            mark(v.source);
        }
    }
    for a in &map.answers {
        mark(a.source);
    }
    for c in &map.cases {
        mark(c.source);
    }
    if used.iter().all(|u| *u) {
        return;
    }
    let mut new_index = vec![0u32; used.len()];
    let mut next = 0u32;
    for (i, u) in used.iter().enumerate() {
        new_index[i] = next;
        if *u {
            next += 1;
        }
    }
    let mut i = 0;
    map.evidence.retain(|_| {
        let keep = used[i];
        i += 1;
        keep
    });
    let renumber = |s: &mut u32| *s = new_index.get(*s as usize).copied().unwrap_or(*s);
    for f in &mut map.flows {
        if let Some(c) = &mut f.measured {
            renumber(&mut c.source);
        }
        if let Some(t) = f.sla.as_mut().and_then(|s| s.measured.as_mut()) {
            renumber(&mut t.source);
        }
    }
    for s in &mut map.steps {
        if let Some(c) = &mut s.entry_measured {
            renumber(&mut c.source);
        }
        if let Some(v) = &mut s.surveyed {
            renumber(&mut v.source);
        }
    }
    for a in &mut map.answers {
        renumber(&mut a.source);
    }
    for c in &mut map.cases {
        renumber(&mut c.source);
    }
}
