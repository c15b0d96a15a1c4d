//! The difference between two maps, small enough to keep for every edit.
//!
//! An edit changes a title, the settings, or a few entries of a list. A patch
//! records, per list, the one contiguous run of entries that differs (the
//! entries before and after), like a line diff with a single hunk. That covers
//! adding, changing, deleting and moving entries, stores one step rather than
//! five hundred when one step changes, and is its own undo: apply it backwards
//! and the old run replaces the new.

use serde::{Deserialize, Serialize};

use crate::model::{
    CalibrationNote, CharterPromise, Commitment, Department, EvidenceSource, Flow, KeptCases, Map, PainPoint, Settings,
    Stage, Step, SurveyAnswers, Workshop,
};

/// One list's change: at `at`, the entries `old` became `new`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Splice<T> {
    /// Where the run starts.
    pub at: usize,
    /// The entries before.
    pub old: Vec<T>,
    /// The entries after.
    pub new: Vec<T>,
}

/// Everything one edit changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    /// Old and new title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<(String, String)>,
    /// Old and new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<(Option<String>, Option<String>)>,
    /// Old and new settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<(Settings, Settings)>,
    /// Stages changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Splice<Stage>>,
    /// Departments changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Splice<Department>>,
    /// Steps changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Splice<Step>>,
    /// Flows changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flows: Option<Splice<Flow>>,
    /// Pain points changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_points: Option<Splice<PainPoint>>,
    /// Old and new participants and dot budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<(Workshop, Workshop)>,
    /// Charter promises changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charter: Option<Splice<CharterPromise>>,
    /// Commitments changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitments: Option<Splice<Commitment>>,
    /// Old and new review cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every_weeks: Option<(Option<u32>, Option<u32>)>,
    /// Old and new customers per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<(Option<u32>, Option<u32>)>,
    /// Evidence sources changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Splice<EvidenceSource>>,
    /// Old and new record of where fitted weights came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<(Option<CalibrationNote>, Option<CalibrationNote>)>,
    /// Survey answers changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Splice<SurveyAnswers>>,
    /// Kept log cases changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<Splice<KeptCases>>,
}

fn splice<T: Clone + PartialEq>(old: &[T], new: &[T]) -> Option<Splice<T>> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    Some(Splice {
        at: prefix,
        old: old[prefix..old.len() - suffix].to_vec(),
        new: new[prefix..new.len() - suffix].to_vec(),
    })
}

fn changed<T: Clone + PartialEq>(old: &T, new: &T) -> Option<(T, T)> {
    (old != new).then(|| (old.clone(), new.clone()))
}

impl Patch {
    /// What changed from `old` to `new`.
    #[must_use]
    pub fn between(old: &Map, new: &Map) -> Self {
        Self {
            title: changed(&old.title, &new.title),
            description: changed(&old.description, &new.description),
            settings: changed(&old.settings, &new.settings),
            stages: splice(&old.stages, &new.stages),
            departments: splice(&old.departments, &new.departments),
            steps: splice(&old.steps, &new.steps),
            flows: splice(&old.flows, &new.flows),
            pain_points: splice(&old.pain_points, &new.pain_points),
            workshop: changed(&old.workshop, &new.workshop),
            charter: splice(&old.charter, &new.charter),
            commitments: splice(&old.commitments, &new.commitments),
            review_every_weeks: changed(&old.review_every_weeks, &new.review_every_weeks),
            volume: changed(&old.volume, &new.volume),
            evidence: splice(&old.evidence, &new.evidence),
            calibration: changed(&old.calibration, &new.calibration),
            answers: splice(&old.answers, &new.answers),
            cases: splice(&old.cases, &new.cases),
        }
    }

    /// True when nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Replays the change on `map` (forward) or takes it back (backward).
    /// `None` when the map is not in the state the patch expects.
    #[must_use]
    pub fn apply(&self, map: &Map, forward: bool) -> Option<Map> {
        let mut out = map.clone();
        swap(&mut out.title, self.title.as_ref(), forward)?;
        swap(&mut out.description, self.description.as_ref(), forward)?;
        swap(&mut out.settings, self.settings.as_ref(), forward)?;
        replay(&mut out.stages, self.stages.as_ref(), forward)?;
        replay(&mut out.departments, self.departments.as_ref(), forward)?;
        replay(&mut out.steps, self.steps.as_ref(), forward)?;
        replay(&mut out.flows, self.flows.as_ref(), forward)?;
        replay(&mut out.pain_points, self.pain_points.as_ref(), forward)?;
        swap(&mut out.workshop, self.workshop.as_ref(), forward)?;
        replay(&mut out.charter, self.charter.as_ref(), forward)?;
        replay(&mut out.commitments, self.commitments.as_ref(), forward)?;
        swap(&mut out.review_every_weeks, self.review_every_weeks.as_ref(), forward)?;
        swap(&mut out.volume, self.volume.as_ref(), forward)?;
        replay(&mut out.evidence, self.evidence.as_ref(), forward)?;
        swap(&mut out.calibration, self.calibration.as_ref(), forward)?;
        replay(&mut out.answers, self.answers.as_ref(), forward)?;
        replay(&mut out.cases, self.cases.as_ref(), forward)?;
        Some(out)
    }
}

/// Sets `field` from one side of `pair` to the other, if it holds the first.
fn swap<T: Clone + PartialEq>(field: &mut T, pair: Option<&(T, T)>, forward: bool) -> Option<()> {
    let Some((old, new)) = pair else { return Some(()) };
    let (from, to) = if forward { (old, new) } else { (new, old) };
    (field == from).then_some(())?;
    field.clone_from(to);
    Some(())
}

fn replay<T: Clone + PartialEq>(list: &mut Vec<T>, s: Option<&Splice<T>>, forward: bool) -> Option<()> {
    let Some(s) = s else { return Some(()) };
    let (from, to) = if forward { (&s.old, &s.new) } else { (&s.new, &s.old) };
    let end = s.at.checked_add(from.len())?;
    (list.get(s.at..end)? == from.as_slice()).then_some(())?;
    list.splice(s.at..end, to.iter().cloned());
    Some(())
}
