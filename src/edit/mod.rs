//! Edits: every change a workshop makes to a map, as data.
//!
//! The editor, the CLI and the tests all change a map by applying an [`Edit`].
//! An edit that would make the map invalid (a share above 1, a score outside
//! 1–5, a flow that closes a cycle, a department deleted while it still owns
//! steps) is refused with a message and the map stays as it was. Deleting a
//! branch scales the source's remaining shares up in proportion, so cutting
//! a step out of a journey does not strand its customers. What an edit
//! changed is kept as a [`Patch`], which the file stores so that undo and redo
//! survive closing the app.

mod measured;
mod merge;
mod patch;
mod rebase;

use serde::{Deserialize, Serialize};

pub use measured::{AgreementTimes, EntryShare, FlowShare, Measured, StepScore};
pub use merge::merge_summary;
pub use patch::{Patch, Splice};
pub use rebase::three_way;

use crate::model::{CharterPromise, Commitment, Department, Dots, Flow, Map, PainPoint, Rating, Settings, Stage, Step};
use crate::validate::{Problem, validate};

/// One change to a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Rename the map.
    SetTitle {
        /// The new title.
        title: String,
    },
    /// Change the analysis weights.
    SetSettings {
        /// The new settings.
        settings: Settings,
    },
    /// Add a stage at a position (the end when `None`).
    AddStage {
        /// The stage.
        stage: Stage,
        /// Position among the stages.
        at: Option<u32>,
    },
    /// Rename a stage.
    RenameStage {
        /// Its id.
        id: String,
        /// The new name.
        name: String,
    },
    /// Move a stage to a new position.
    MoveStage {
        /// Its id.
        id: String,
        /// New position.
        to: u32,
    },
    /// Delete a stage; its steps move to `move_steps_to`, which is required
    /// when it has any.
    DeleteStage {
        /// Its id.
        id: String,
        /// Where its steps go.
        move_steps_to: Option<String>,
    },
    /// Add a department at a position (the end when `None`).
    AddDepartment {
        /// The department.
        department: Department,
        /// Position among the departments.
        at: Option<u32>,
    },
    /// Replace a department's name, facing or colour (matched by id).
    UpdateDepartment {
        /// The department as it should be.
        department: Department,
    },
    /// Move a department to a new position.
    MoveDepartment {
        /// Its id.
        id: String,
        /// New position.
        to: u32,
    },
    /// Delete a department; its steps move to `move_steps_to`, which is
    /// required when it owns any.
    DeleteDepartment {
        /// Its id.
        id: String,
        /// Where its steps go.
        move_steps_to: Option<String>,
    },
    /// Add a step.
    AddStep {
        /// The step.
        step: Step,
    },
    /// Add several steps at once, with the stages and departments they need
    /// (a spreadsheet import): one edit, so one undo takes it all back.
    AddSteps {
        /// New stages, appended.
        stages: Vec<Stage>,
        /// New departments, appended.
        departments: Vec<Department>,
        /// The steps, appended.
        steps: Vec<Step>,
    },
    /// Replace a step's fields (matched by id).
    UpdateStep {
        /// The step as it should be.
        step: Step,
    },
    /// Delete a step, its flows and its pain points.
    DeleteStep {
        /// Its id.
        id: String,
    },
    /// Add a flow.
    AddFlow {
        /// The flow.
        flow: Flow,
    },
    /// Replace the flow at an index.
    UpdateFlow {
        /// Its index in the map's flows.
        index: u32,
        /// The flow as it should be.
        flow: Flow,
    },
    /// Delete the flow at an index.
    DeleteFlow {
        /// Its index.
        index: u32,
    },
    /// Add a pain point.
    AddPainPoint {
        /// The pain point.
        pain_point: PainPoint,
    },
    /// Replace a pain point's fields (matched by id).
    UpdatePainPoint {
        /// The pain point as it should be.
        pain_point: PainPoint,
    },
    /// Delete a pain point.
    DeletePainPoint {
        /// Its id.
        id: String,
    },
    /// Add (positive) or take back (negative) dot votes, under a
    /// participant's name (counted against the dot budget) or without one.
    Vote {
        /// The pain point's id.
        id: String,
        /// Votes to add; negative to remove.
        delta: i32,
        /// Who places or takes back the dots.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<String>,
    },
    /// Someone joins the workshop.
    AddParticipant {
        /// Their name, unique in the workshop.
        name: String,
    },
    /// Someone leaves: their ratings and dots go with them, and the scores
    /// they rated become the mean of the others.
    RemoveParticipant {
        /// Their name.
        name: String,
    },
    /// How many dots each participant may place; unlimited when `None`.
    SetDotBudget {
        /// The budget.
        budget: Option<u32>,
    },
    /// A participant rates a step (or takes the rating back with `None`); the
    /// step's score follows the mean of its ratings, unless it holds a score
    /// typed apart from them (see [`crate::model::Step::rating_apart`]).
    Rate {
        /// The step's id.
        step: String,
        /// Who rates it.
        participant: String,
        /// 1.0..=5.0 with one decimal, or `None` to remove the rating.
        score: Option<f64>,
    },
    /// Add a promise to the service charter.
    AddPromise {
        /// The promise.
        promise: CharterPromise,
    },
    /// Replace a promise (matched by id).
    UpdatePromise {
        /// The promise as it should be.
        promise: CharterPromise,
    },
    /// Take a promise out of the charter.
    DeletePromise {
        /// Its id.
        id: String,
    },
    /// Record an action the workshop agreed on.
    AddCommitment {
        /// The commitment.
        commitment: Commitment,
    },
    /// Replace a commitment (matched by id): its status, due date, owner…
    UpdateCommitment {
        /// The commitment as it should be.
        commitment: Commitment,
    },
    /// Delete a commitment.
    DeleteCommitment {
        /// Its id.
        id: String,
    },
    /// How often the team reviews the map, in weeks; no cadence when `None`.
    SetReviewCadence {
        /// Weeks between reviews.
        weeks: Option<u32>,
    },
    /// Store figures measured from a log (or a survey) with their n and
    /// source; see [`Measured`].
    Measure {
        /// What was measured.
        measured: Box<Measured>,
    },
    /// Take weights fitted to a survey, recording where they came from.
    Calibrate {
        /// The settings with the fitted weights.
        settings: Settings,
        /// The fit they came from.
        note: crate::model::CalibrationNote,
    },
    /// How many customers take the journey in a month; unknown when `None`.
    SetVolume {
        /// Customers per month.
        volume: Option<u32>,
    },
    /// Add another map's stages, departments, steps, flows (with their
    /// agreements), pain points, charter and commitments, matched by id;
    /// see [`merge`].
    Merge {
        /// The map to add, as read from a waymark/1 document.
        addition: Box<Map>,
        /// The map-wide fields the document carries, which the map takes
        /// from it (a document that leaves a field out leaves it alone).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<MapField>,
    },
}

/// A map-wide setting (not a list of items) that a document added to a map
/// may carry. (Its title and description name the document, not the map:
/// the map keeps its own.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MapField {
    /// `settings.end_weight`.
    EndWeight,
    /// `settings.negativity`.
    Negativity,
    /// `settings.standard`.
    Standard,
    /// `settings.average_weight`.
    AverageWeight,
    /// `review_every_weeks`.
    ReviewEveryWeeks,
    /// `volume`.
    Volume,
    /// `workshop.dot_budget`.
    DotBudget,
}

impl MapField {
    /// Every field, in the order a document lists them.
    pub const ALL: [MapField; 7] = [
        MapField::EndWeight,
        MapField::Negativity,
        MapField::Standard,
        MapField::AverageWeight,
        MapField::ReviewEveryWeeks,
        MapField::Volume,
        MapField::DotBudget,
    ];

    /// The field's path in a waymark/1 document.
    #[must_use]
    pub fn path(self) -> &'static str {
        match self {
            MapField::EndWeight => "settings.end_weight",
            MapField::Negativity => "settings.negativity",
            MapField::Standard => "settings.standard",
            MapField::AverageWeight => "settings.average_weight",
            MapField::ReviewEveryWeeks => "review_every_weeks",
            MapField::Volume => "volume",
            MapField::DotBudget => "workshop.dot_budget",
        }
    }
}

impl Edit {
    /// What the edit did, in words for an undo menu ("Add step \"Photo\"").
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Edit::SetTitle { .. } => "Rename the map".into(),
            Edit::SetSettings { .. } => "Change the analysis weights".into(),
            Edit::AddStage { stage, .. } => format!("Add stage \"{}\"", stage.name),
            Edit::RenameStage { name, .. } => format!("Rename stage to \"{name}\""),
            Edit::MoveStage { id, .. } => format!("Move stage \"{id}\""),
            Edit::DeleteStage { id, .. } => format!("Delete stage \"{id}\""),
            Edit::AddDepartment { department, .. } => format!("Add department \"{}\"", department.name),
            Edit::UpdateDepartment { department } => format!("Change department \"{}\"", department.name),
            Edit::MoveDepartment { id, .. } => format!("Move department \"{id}\""),
            Edit::DeleteDepartment { id, .. } => format!("Delete department \"{id}\""),
            Edit::AddStep { step } => format!("Add step \"{}\"", step.title),
            Edit::AddSteps { steps, .. } => format!("Import {} steps", steps.len()),
            Edit::UpdateStep { step } => format!("Change step \"{}\"", step.title),
            Edit::DeleteStep { id } => format!("Delete step \"{id}\""),
            Edit::AddFlow { flow } => format!("Connect {} → {}", flow.from, flow.to),
            Edit::UpdateFlow { flow, .. } => format!("Change flow {} → {}", flow.from, flow.to),
            Edit::DeleteFlow { index } => format!("Delete flow {index}"),
            Edit::AddPainPoint { pain_point } => format!("Add pain point \"{}\"", pain_point.text),
            Edit::UpdatePainPoint { pain_point } => format!("Change pain point \"{}\"", pain_point.text),
            Edit::DeletePainPoint { id } => format!("Delete pain point \"{id}\""),
            Edit::Vote { id, delta, participant } => format!(
                "{} a vote on \"{id}\"{}",
                if *delta >= 0 { "Add" } else { "Take back" },
                participant.as_ref().map(|p| format!(" for {p}")).unwrap_or_default()
            ),
            Edit::AddParticipant { name } => format!("Add participant {name}"),
            Edit::RemoveParticipant { name } => format!("Remove participant {name}"),
            Edit::SetDotBudget { budget } => match budget {
                Some(n) => format!("Give each participant {n} dots"),
                None => "Lift the dot budget".into(),
            },
            Edit::Rate { step, participant, score } => match score {
                Some(s) => format!("{participant} rates \"{step}\" {s}"),
                None => format!("Take back {participant}'s rating of \"{step}\""),
            },
            Edit::AddPromise { promise } => format!("Promise \"{}\"", promise.text),
            Edit::UpdatePromise { promise } => format!("Change promise \"{}\"", promise.text),
            Edit::DeletePromise { id } => format!("Delete promise \"{id}\""),
            Edit::AddCommitment { commitment } => format!("Commit to \"{}\"", commitment.action),
            Edit::UpdateCommitment { commitment } => format!("Change commitment \"{}\"", commitment.action),
            Edit::DeleteCommitment { id } => format!("Delete commitment \"{id}\""),
            Edit::Merge { addition, fields } => merge::label(addition, fields),
            Edit::SetReviewCadence { weeks } => match weeks {
                Some(n) => format!("Review every {n} weeks"),
                None => "No review cadence".into(),
            },
            Edit::Measure { measured } => format!(
                "Measure from {} ({} {})",
                measured.source.file,
                measured.source.count,
                match measured.source.kind {
                    crate::model::EvidenceKind::Log => "cases",
                    crate::model::EvidenceKind::Survey => "respondents",
                }
            ),
            Edit::Calibrate { note, .. } => {
                format!("Fit the weights to {} ({} respondents)", note.file, note.respondents)
            }
            Edit::SetVolume { volume } => match volume {
                Some(n) => format!("{n} customers a month"),
                None => "Customers a month unknown".into(),
            },
        }
    }
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// It names something that is not there.
    #[error("{0}")]
    NotFound(String),
    /// It needs more information (where the steps of a deleted stage go).
    #[error("{0}")]
    Incomplete(String),
    /// It clashes with what is there: a name already taken, no dots left.
    #[error("{0}")]
    Conflict(String),
    /// It would make the map invalid; nothing was changed.
    #[error("{}", .0.iter().map(Problem::in_words).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

/// Applies `edit` to `map` and returns the changed map, or refuses.
pub fn apply(map: &Map, edit: &Edit) -> Result<Map, EditError> {
    let mut out = map.clone();
    change(&mut out, edit)?;
    checked(map, out)
}

/// `after`, unless it has validation errors `before` did not have. Refuse
/// only errors a change introduced: an editor may hold a map that already
/// has a problem, and fixing one thing must not be blocked by another. A
/// library's undo checks its result this way too, since others' edits may
/// have come to depend on what it takes back.
///
/// # Errors
/// The errors the change introduced.
pub fn checked(before: &Map, after: Map) -> Result<Map, EditError> {
    let has = validate(&after);
    // A change that leaves no error introduced none: the map before needs
    // no second look (on 10,000 steps each look is some 8 ms of an edit).
    if has.errors().next().is_none() {
        return Ok(after);
    }
    let had = validate(before);
    let new: Vec<Problem> = has.errors().filter(|p| !had.errors().any(|q| q == *p)).cloned().collect();
    if new.is_empty() { Ok(after) } else { Err(EditError::Invalid(new)) }
}

/// A new department, given a palette colour no lane has yet when it has
/// none (the palette colour of its place once all are taken).
fn coloured(department: &Department, others: &[Department]) -> Department {
    let mut d = department.clone();
    if d.color.is_none() {
        let taken = |c: &str| others.iter().any(|o| o.color.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(c)));
        let free = crate::model::LANE_COLOURS.iter().find(|c| !taken(c));
        d.color = Some(free.copied().unwrap_or_else(|| crate::model::lane_colour(others.len())).to_owned());
    }
    d
}

fn position<T>(list: &[T], id: &str, key: impl Fn(&T) -> &str, what: &str) -> Result<usize, EditError> {
    list.iter().position(|x| key(x) == id).ok_or_else(|| EditError::NotFound(format!("there is no {what} \"{id}\"")))
}

fn insert_at<T>(list: &mut Vec<T>, item: T, at: Option<u32>) {
    let at = at.map_or(list.len(), |a| (a as usize).min(list.len()));
    list.insert(at, item);
}

fn move_to<T>(list: &mut Vec<T>, from: usize, to: u32) {
    let item = list.remove(from);
    let to = (to as usize).min(list.len());
    list.insert(to, item);
}

fn flow_at(map: &Map, index: u32) -> Result<usize, EditError> {
    let i = index as usize;
    if i < map.flows.len() { Ok(i) } else { Err(EditError::NotFound(format!("there is no flow number {index}"))) }
}

/// After a branch is cut away, the customers who took it must go somewhere:
/// the remaining given shares of each source step are scaled up in
/// proportion, so a 70/30 split that loses its 30 becomes 100.
fn rebalance(map: &mut Map, sources: &[String]) {
    for source in sources {
        let forward = |f: &Flow| &f.from == source && f.kind == crate::model::FlowKind::Flow;
        if map.flows.iter().filter(|f| forward(f)).any(|f| f.share.is_none()) {
            continue; // unspecified shares already take up the rest
        }
        let sum: f64 = map.flows.iter().filter(|f| forward(f)).filter_map(|f| f.share).sum();
        if sum > 0.0 && (sum - 1.0).abs() > crate::graph::SHARE_TOLERANCE {
            for f in map.flows.iter_mut().filter(|f| forward(f)) {
                f.share = f.share.map(|s| s / sum);
            }
        }
    }
}

/// Moves the steps whose stage or department (`field`) is `from` to `to`,
/// before `from` is deleted; refuses when there are some and no `to`.
fn rehome(
    map: &mut Map,
    from: &str,
    to: Option<&str>,
    what: &str,
    field: impl Fn(&mut Step) -> &mut String,
) -> Result<(), EditError> {
    let mut owned: Vec<&mut String> = map.steps.iter_mut().map(field).filter(|f| f.as_str() == from).collect();
    if owned.is_empty() {
        return Ok(());
    }
    let Some(to) = to else {
        return Err(EditError::Incomplete(format!(
            "{what} \"{from}\" still owns {} step(s); say which {what} they move to",
            owned.len()
        )));
    };
    for f in &mut owned {
        to.clone_into(f);
    }
    Ok(())
}

fn change(map: &mut Map, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::SetTitle { title } => map.title.clone_from(title),
        Edit::SetSettings { settings } => map.settings = *settings,
        Edit::AddStage { stage, at } => insert_at(&mut map.stages, stage.clone(), *at),
        Edit::RenameStage { id, name } => {
            let i = position(&map.stages, id, |s| &s.id, "stage")?;
            map.stages[i].name.clone_from(name);
        }
        Edit::MoveStage { id, to } => {
            let i = position(&map.stages, id, |s| &s.id, "stage")?;
            move_to(&mut map.stages, i, *to);
        }
        Edit::DeleteStage { id, move_steps_to } => {
            let i = position(&map.stages, id, |s| &s.id, "stage")?;
            if let Some(target) = move_steps_to {
                position(&map.stages, target, |s| &s.id, "stage")?;
            }
            rehome(map, id, move_steps_to.as_deref(), "stage", |s| &mut s.stage)?;
            let promised = map.charter.iter().filter(|p| &p.stage == id).count();
            match move_steps_to {
                Some(to) => map.charter.iter_mut().filter(|p| &p.stage == id).for_each(|p| to.clone_into(&mut p.stage)),
                None if promised > 0 => {
                    return Err(EditError::Incomplete(format!(
                        "stage \"{id}\" has {promised} promise(s) in the charter; say which stage they move to"
                    )));
                }
                None => {}
            }
            map.stages.remove(i);
        }
        Edit::AddDepartment { department, at } => {
            let department = coloured(department, &map.departments);
            insert_at(&mut map.departments, department, *at);
        }
        Edit::UpdateDepartment { department } => {
            let i = position(&map.departments, &department.id, |d| &d.id, "department")?;
            map.departments[i] = department.clone();
        }
        Edit::MoveDepartment { id, to } => {
            let i = position(&map.departments, id, |d| &d.id, "department")?;
            move_to(&mut map.departments, i, *to);
        }
        Edit::DeleteDepartment { id, move_steps_to } => {
            let i = position(&map.departments, id, |d| &d.id, "department")?;
            if let Some(target) = move_steps_to {
                position(&map.departments, target, |d| &d.id, "department")?;
            }
            rehome(map, id, move_steps_to.as_deref(), "department", |s| &mut s.department)?;
            // Its commitments pass to whoever takes over its steps, or to nobody.
            for c in map.commitments.iter_mut().filter(|c| c.department.as_ref() == Some(id)) {
                c.department.clone_from(move_steps_to);
            }
            map.departments.remove(i);
        }
        Edit::AddStep { step } => map.steps.push(step.clone()),
        Edit::Merge { addition, fields } => merge::merge(map, addition, fields)?,
        Edit::AddSteps { stages, departments, steps } => {
            map.stages.extend(stages.iter().cloned());
            for d in departments {
                let d = coloured(d, &map.departments);
                map.departments.push(d);
            }
            map.steps.extend(steps.iter().cloned());
        }
        Edit::UpdateStep { step } => {
            let i = position(&map.steps, &step.id, |s| &s.id, "step")?;
            map.steps[i] = step.clone();
        }
        Edit::DeleteStep { id } => {
            let i = position(&map.steps, id, |s| &s.id, "step")?;
            map.steps.remove(i);
            let sources: Vec<String> = map.flows.iter().filter(|f| &f.to == id).map(|f| f.from.clone()).collect();
            map.flows.retain(|f| &f.from != id && &f.to != id);
            let gone: Vec<String> = map.pain_points.iter().filter(|p| &p.step == id).map(|p| p.id.clone()).collect();
            map.pain_points.retain(|p| &p.step != id);
            unlink(map, id);
            for p in &gone {
                unlink(map, p);
            }
            rebalance(map, &sources);
        }
        Edit::AddFlow { flow } => map.flows.push(flow.clone()),
        Edit::UpdateFlow { index, flow } => {
            let i = flow_at(map, *index)?;
            map.flows[i] = flow.clone();
        }
        Edit::DeleteFlow { index } => {
            let i = flow_at(map, *index)?;
            let removed = map.flows.remove(i);
            rebalance(map, &[removed.from]);
        }
        Edit::AddPainPoint { pain_point } => map.pain_points.push(pain_point.clone()),
        Edit::UpdatePainPoint { pain_point } => {
            let i = position(&map.pain_points, &pain_point.id, |p| &p.id, "pain point")?;
            map.pain_points[i] = pain_point.clone();
        }
        Edit::DeletePainPoint { id } => {
            let i = position(&map.pain_points, id, |p| &p.id, "pain point")?;
            map.pain_points.remove(i);
            unlink(map, id);
        }
        Edit::Vote { id, delta, participant } => {
            let i = position(&map.pain_points, id, |p| &p.id, "pain point")?;
            let budget = map.workshop.dot_budget;
            let placed = participant.as_ref().map(|name| map.dots_placed(name));
            let p = &mut map.pain_points[i];
            if let Some(name) = participant {
                vote_as(p, name, *delta, placed.unwrap_or(0), budget)?;
            }
            p.votes = p.votes.saturating_add_signed(*delta);
        }
        Edit::AddParticipant { name } => {
            let name = name.trim();
            if map.workshop.participants.iter().any(|p| p == name) {
                return Err(EditError::Conflict(format!("{name} is already a participant")));
            }
            map.workshop.participants.push(name.to_owned());
        }
        Edit::RemoveParticipant { name } => {
            let i = position(&map.workshop.participants, name, String::as_str, "participant")?;
            map.workshop.participants.remove(i);
            for step in map.steps.iter_mut().filter(|s| s.ratings.iter().any(|r| &r.participant == name)) {
                step.rerate(|ratings| ratings.retain(|r| &r.participant != name));
            }
            for p in &mut map.pain_points {
                if let Some(j) = p.dots.iter().position(|d| &d.participant == name) {
                    let gone = p.dots.remove(j);
                    p.votes = p.votes.saturating_sub(gone.count);
                }
            }
        }
        Edit::SetDotBudget { budget } => map.workshop.dot_budget = *budget,
        Edit::Rate { step, participant, score } => {
            position(&map.workshop.participants, participant, String::as_str, "participant")?;
            let i = position(&map.steps, step, |s| &s.id, "step")?;
            map.steps[i].rerate(|ratings| {
                let existing = ratings.iter().position(|r| &r.participant == participant);
                match (score, existing) {
                    (Some(score), Some(j)) => ratings[j].score = *score,
                    (Some(score), None) => ratings.push(Rating { participant: participant.clone(), score: *score }),
                    (None, Some(j)) => {
                        ratings.remove(j);
                    }
                    (None, None) => {}
                }
            });
        }
        Edit::AddPromise { promise } => map.charter.push(promise.clone()),
        Edit::UpdatePromise { promise } => {
            let i = position(&map.charter, &promise.id, |p| &p.id, "promise")?;
            map.charter[i] = promise.clone();
        }
        Edit::DeletePromise { id } => {
            let i = position(&map.charter, id, |p| &p.id, "promise")?;
            map.charter.remove(i);
        }
        Edit::AddCommitment { commitment } => map.commitments.push(commitment.clone()),
        Edit::UpdateCommitment { commitment } => {
            let i = position(&map.commitments, &commitment.id, |c| &c.id, "commitment")?;
            map.commitments[i] = commitment.clone();
        }
        Edit::DeleteCommitment { id } => {
            let i = position(&map.commitments, id, |c| &c.id, "commitment")?;
            map.commitments.remove(i);
        }
        Edit::SetReviewCadence { weeks } => map.review_every_weeks = *weeks,
        Edit::SetVolume { volume } => map.volume = *volume,
        Edit::Measure { measured } => measured::apply(map, measured)?,
        Edit::Calibrate { settings, note } => {
            map.settings = *settings;
            map.calibration = Some(note.clone());
        }
    }
    Ok(())
}

/// A deleted step or pain point leaves the commitments that named it; the
/// commitment itself stays, since the work agreed may still be owed. Steps and
/// pain points have ids of their own, so a link stays while either still
/// answers to it.
fn unlink(map: &mut Map, id: &str) {
    if map.steps.iter().any(|s| s.id == id) || map.pain_points.iter().any(|p| p.id == id) {
        return;
    }
    for c in &mut map.commitments {
        c.links.retain(|l| l != id);
    }
}

/// Moves `delta` of `name`'s dots onto (or off) `p`, within the budget.
fn vote_as(p: &mut PainPoint, name: &str, delta: i32, placed: u64, budget: Option<u32>) -> Result<(), EditError> {
    let j = match p.dots.iter().position(|d| d.participant == name) {
        Some(j) => j,
        None => {
            p.dots.push(Dots { participant: name.to_owned(), count: 0 });
            p.dots.len() - 1
        }
    };
    let mine = p.dots[j].count;
    if delta < 0 && mine < delta.unsigned_abs() {
        return Err(EditError::Conflict(format!("{name} has {mine} dot(s) on this pain point to take back")));
    }
    if let Some(budget) = budget
        && delta > 0
        && placed + u64::from(delta.unsigned_abs()) > u64::from(budget)
    {
        return Err(EditError::Conflict(format!("{name} has placed {placed} of {budget} dots; none left to place")));
    }
    p.dots[j].count = mine.saturating_add_signed(delta);
    if p.dots[j].count == 0 {
        p.dots.remove(j);
    }
    Ok(())
}
