//! What one phone may see: the journey as a list by stage, the pain points,
//! and its own ratings, dots and dots left. Until the facilitator reveals,
//! nothing here carries another participant's ratings or dots, nor a total
//! that lets one work them out: no step scores (a rated step's score is the
//! ratings' mean), no vote counts.

use std::collections::BTreeMap;

use serde::Serialize;
use waymark::Map;
use waymark::model::Visibility;

use crate::seats::Seats;

/// A phone's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    /// Its number: a later state has a higher one (see `api::numbered`); 0
    /// until numbered.
    pub version: u64,
    /// The map's title.
    pub title: String,
    /// The open activities, by name.
    pub activities: Vec<&'static str>,
    /// Whether others' tallies are shown.
    pub revealed: bool,
    /// Whether the room takes new joiners.
    pub locked: bool,
    /// Whether the room is closed.
    pub closed: bool,
    /// Whether a phone may join without a name.
    pub allow_anonymous: bool,
    /// This phone's participant, when it has joined.
    pub participant: Option<String>,
    /// The dot budget, when the map sets one.
    pub budget: Option<u32>,
    /// Dots this participant may still place, with a budget.
    pub dots_left: Option<u32>,
    /// Whether this participant pressed "I'm done".
    pub done: bool,
    /// Stages in journey order.
    pub stages: Vec<StageView>,
    /// Steps, in map order.
    pub steps: Vec<StepView>,
    /// Open pain points.
    pub pain_points: Vec<PainView>,
    /// This participant's own ratings and dots.
    pub mine: Mine,
}

/// A stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A step, as a phone lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// Its id.
    pub id: String,
    /// What happens.
    pub title: String,
    /// Its stage's id.
    pub stage: String,
    /// Its department's name.
    pub department: String,
    /// Whether the customer sees it (only those are rated).
    pub frontstage: bool,
    /// Its score and how many rated it, once revealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
}

/// A step's figures, shown once revealed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    /// The step's score.
    pub score: Option<f64>,
    /// How many rated it.
    pub ratings: u32,
}

/// A pain point, as a phone lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PainView {
    /// Its id.
    pub id: String,
    /// The step it is on.
    pub step: String,
    /// What hurts.
    pub text: String,
    /// 1–3, when given.
    pub severity: Option<u8>,
    /// Its votes, once revealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes: Option<u32>,
}

/// A participant's own actions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mine {
    /// Step id → their rating.
    pub ratings: BTreeMap<String, f64>,
    /// Pain point id → their dots.
    pub dots: BTreeMap<String, u32>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The state `voter` may see of `map`.
#[must_use]
pub fn state(map: &Map, seats: &Seats, voter: Option<&str>) -> State {
    let participant = voter.and_then(|v| seats.seat(v)).map(|s| s.participant.clone());
    let done = voter.and_then(|v| seats.seat(v)).is_some_and(|s| s.done);
    let revealed = seats.revealed;
    let mut mine = Mine::default();
    if let Some(me) = &participant {
        for step in &map.steps {
            if let Some(r) = step.ratings.iter().find(|r| &r.participant == me) {
                mine.ratings.insert(step.id.clone(), r.score);
            }
        }
        for p in &map.pain_points {
            if let Some(d) = p.dots.iter().find(|d| &d.participant == me) {
                mine.dots.insert(p.id.clone(), d.count);
            }
        }
    }
    let budget = map.workshop.dot_budget;
    let dots_left = match (&participant, budget) {
        (Some(me), Some(b)) => Some(b.saturating_sub(u32::try_from(map.dots_placed(me)).unwrap_or(u32::MAX))),
        _ => None,
    };
    let department = |id: &str| map.departments.iter().find(|d| d.id == id).map_or(id, |d| d.name.as_str()).to_owned();
    State {
        version: 0,
        title: map.title.clone(),
        activities: seats.activities.open(),
        revealed,
        locked: seats.locked,
        closed: seats.closed,
        allow_anonymous: seats.allow_anonymous,
        participant,
        budget,
        dots_left,
        done,
        stages: map.stages.iter().map(|s| StageView { id: s.id.clone(), name: s.name.clone() }).collect(),
        steps: map
            .steps
            .iter()
            .map(|s| StepView {
                id: s.id.clone(),
                title: s.title.clone(),
                stage: s.stage.clone(),
                department: department(&s.department),
                frontstage: s.visibility == Visibility::Frontstage,
                tally: revealed.then(|| Tally { score: s.score, ratings: count(s.ratings.len()) }),
            })
            .collect(),
        pain_points: map
            .pain_points
            .iter()
            .filter(|p| p.is_open())
            .map(|p| PainView {
                id: p.id.clone(),
                step: p.step.clone(),
                text: p.text.clone(),
                severity: p.severity,
                votes: revealed.then_some(p.votes),
            })
            .collect(),
        mine,
    }
}
