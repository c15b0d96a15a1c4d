//! Who is in the room, from which phone, what is open, and the limits a
//! phone must keep to. This is the room's own memory; the map (participants,
//! ratings, dots, pain points) is the host's.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

/// An activity a phone may take part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Rating frontstage steps.
    Rating,
    /// Placing dots on pain points.
    Voting,
    /// Adding pain points.
    Pain,
}

impl Activity {
    /// Its name in the protocol.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Rating => "rating",
            Self::Voting => "voting",
            Self::Pain => "pain",
        }
    }

    /// The activity a protocol name means.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "rating" => Some(Self::Rating),
            "voting" => Some(Self::Voting),
            "pain" => Some(Self::Pain),
            _ => None,
        }
    }
}

/// Which activities are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Activities {
    /// Rating steps.
    pub rating: bool,
    /// Placing dots.
    pub voting: bool,
    /// Adding pain points.
    pub pain: bool,
}

impl Activities {
    /// All three open.
    #[must_use]
    pub fn all() -> Self {
        Self { rating: true, voting: true, pain: true }
    }

    /// Whether `a` is open.
    #[must_use]
    pub fn is_open(self, a: Activity) -> bool {
        match a {
            Activity::Rating => self.rating,
            Activity::Voting => self.voting,
            Activity::Pain => self.pain,
        }
    }

    /// Opens or closes `a`.
    pub fn set(&mut self, a: Activity, open: bool) {
        match a {
            Activity::Rating => self.rating = open,
            Activity::Voting => self.voting = open,
            Activity::Pain => self.pain = open,
        }
    }

    /// The open ones, by name.
    #[must_use]
    pub fn open(self) -> Vec<&'static str> {
        [Activity::Rating, Activity::Voting, Activity::Pain]
            .into_iter()
            .filter(|a| self.is_open(*a))
            .map(Activity::name)
            .collect()
    }
}

/// A phone in the room: the participant it acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seat {
    /// The participant's name on the map.
    pub participant: String,
    /// Whether they pressed "I'm done".
    pub done: bool,
}

/// The most people a room holds.
pub const MAX_PARTICIPANTS: usize = 100;
/// The most actions one phone may send in a second.
pub const ACTIONS_PER_SECOND: u32 = 10;
/// Wrong room codes tolerated in a minute, from all phones together.
pub const WRONG_CODES_PER_MINUTE: usize = 10;

/// The room's memory.
#[derive(Debug)]
pub struct Seats {
    pub activities: Activities,
    pub revealed: bool,
    pub locked: bool,
    pub closed: bool,
    pub allow_anonymous: bool,
    /// Whether pain points from phones wait for the facilitator's approval.
    pub approve_pain: bool,
    /// Pain points from phones waiting for approval, in the order they came.
    pub pending: Vec<waymark::model::PainPoint>,
    /// Voter id → seat, and the order they joined.
    by_voter: HashMap<String, Seat>,
    order: Vec<String>,
    /// Per voter: the start of its current second and the actions in it.
    pace: HashMap<String, (Instant, u32)>,
    wrong_codes: Vec<Instant>,
    anonymous: u32,
    /// The last action that could not be stored, in full, for the facilitator.
    pub trouble: Option<String>,
    /// States built so far: the number of the next phone state.
    pub built: u64,
}

impl Seats {
    pub fn new(config: &crate::Config) -> Self {
        Self {
            activities: config.activities,
            revealed: config.revealed,
            locked: false,
            closed: false,
            allow_anonymous: config.allow_anonymous,
            approve_pain: config.approve_pain,
            pending: Vec::new(),
            by_voter: HashMap::new(),
            order: Vec::new(),
            pace: HashMap::new(),
            wrong_codes: Vec::new(),
            anonymous: 0,
            trouble: None,
            built: 0,
        }
    }

    /// The seat a phone holds.
    pub fn seat(&self, voter: &str) -> Option<&Seat> {
        self.by_voter.get(voter)
    }

    /// The voter that holds a participant's name.
    pub fn holder(&self, participant: &str) -> Option<&str> {
        self.by_voter.iter().find(|(_, s)| s.participant == participant).map(|(v, _)| v.as_str())
    }

    /// Seats in the order they joined.
    pub fn list(&self) -> Vec<Seat> {
        self.order.iter().filter_map(|v| self.by_voter.get(v).cloned()).collect()
    }

    /// Voter id and participant of every seat, in the order they joined.
    pub fn voters(&self) -> Vec<(String, String)> {
        self.order.iter().filter_map(|v| self.by_voter.get(v).map(|s| (v.clone(), s.participant.clone()))).collect()
    }

    pub fn count(&self) -> usize {
        self.by_voter.len()
    }

    pub fn sit(&mut self, voter: &str, participant: &str) {
        if self.by_voter.insert(voter.to_owned(), Seat { participant: participant.to_owned(), done: false }).is_none() {
            self.order.push(voter.to_owned());
        }
    }

    /// A name for someone who joins without one.
    pub fn guest_name(&mut self, taken: &[String]) -> String {
        loop {
            self.anonymous += 1;
            let name = format!("Guest {}", self.anonymous);
            if !taken.contains(&name) {
                return name;
            }
        }
    }

    /// Takes a participant's seat away (removed from the map).
    pub fn unseat(&mut self, participant: &str) {
        self.by_voter.retain(|_, s| s.participant != participant);
        let keep: Vec<String> = self.order.iter().filter(|v| self.by_voter.contains_key(*v)).cloned().collect();
        self.order = keep;
    }

    /// Frees a participant's name from the phone that holds it, keeping
    /// everything they did on the map; false when no phone held it.
    pub fn release(&mut self, participant: &str) -> bool {
        let before = self.by_voter.len();
        self.unseat(participant);
        self.by_voter.len() < before
    }

    pub fn set_done(&mut self, voter: &str, done: bool) {
        if let Some(seat) = self.by_voter.get_mut(voter) {
            seat.done = done;
        }
    }

    /// Counts an action of `voter`; false when it is over the pace.
    pub fn pace(&mut self, voter: &str, now: Instant) -> bool {
        let entry = self.pace.entry(voter.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(1) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= ACTIONS_PER_SECOND
    }

    /// Counts a wrong room code; false when there have been too many lately.
    pub fn wrong_code(&mut self, now: Instant) -> bool {
        self.wrong_codes.retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        self.wrong_codes.push(now);
        self.wrong_codes.len() <= WRONG_CODES_PER_MINUTE
    }

    /// Whether codes are being refused for now.
    pub fn codes_blocked(&mut self, now: Instant) -> bool {
        self.wrong_codes.retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        self.wrong_codes.len() >= WRONG_CODES_PER_MINUTE
    }
}
