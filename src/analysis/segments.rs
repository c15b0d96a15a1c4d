//! Whose weak spots differ: the ranking redone for each segment of the
//! customers a survey kept (its segment column, such as the airline's
//! "Class"), so a manager sees where one group's worst moments are not the
//! journey's. Pure arithmetic over the answers the map keeps: each bound
//! step's mean over the segment's respondents, rounded as scores are, then
//! the analysis.

use serde::Serialize;

use super::{Analysis, analyze};
use crate::model::Map;

/// How many segments are ranked at most (the largest): a column with a
/// value per respondent is no segment.
pub const MAX_SEGMENTS: usize = 12;
/// How many of the first weak spots are compared.
const FIRST: usize = 3;

/// One segment's first weak spots beside the journey's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentSpots {
    /// The segment's value.
    pub value: String,
    /// Respondents in it.
    pub respondents: u32,
    /// Its first weak spots, by step id.
    pub weak_spots: Vec<String>,
    /// Whether they are not the journey's first weak spots, in order.
    pub differs: bool,
}

/// The segments of every survey the map keeps, largest first.
#[must_use]
pub fn segment_spots(map: &Map, base: &Analysis) -> Vec<SegmentSpots> {
    let first = |a: &Analysis| a.weak_spots.iter().take(FIRST).map(|w| w.id.clone()).collect::<Vec<_>>();
    let journey = first(base);
    let mut out = Vec::new();
    for set in &map.answers {
        // Columns whose step's score still comes from this survey.
        let columns: Vec<Option<usize>> = set
            .steps
            .iter()
            .map(|id| {
                let s = map.steps.iter().position(|st| st.id == *id)?;
                (map.steps[s].surveyed.as_ref()?.source == set.source).then_some(s)
            })
            .collect();
        let mut values: Vec<(String, u32)> = Vec::new();
        for r in &set.respondents {
            if let Some(v) = &r.segment {
                match values.iter_mut().find(|(x, _)| x == v) {
                    Some((_, n)) => *n += 1,
                    None => values.push((v.clone(), 1)),
                }
            }
        }
        values.sort_by_key(|v| std::cmp::Reverse(v.1));
        values.truncate(MAX_SEGMENTS);
        for (value, respondents) in values {
            let mut sums = vec![(0.0, 0u32); map.steps.len()];
            for r in set.respondents.iter().filter(|r| r.segment.as_deref() == Some(value.as_str())) {
                for (c, x) in r.ratings.iter().enumerate() {
                    if let (Some(x), Some(Some(s))) = (x, columns.get(c)) {
                        sums[*s].0 += x;
                        sums[*s].1 += 1;
                    }
                }
            }
            let mut m = map.clone();
            m.answers.clear();
            for (s, &(sum, n)) in sums.iter().enumerate() {
                if n > 0 {
                    m.steps[s].score = Some(((sum / f64::from(n) * 10.0).round() / 10.0).clamp(1.0, 5.0));
                }
            }
            let Ok(a) = analyze(&m) else { continue };
            let weak_spots = first(&a);
            out.push(SegmentSpots { differs: weak_spots != journey, value, respondents, weak_spots });
        }
    }
    out
}

impl SegmentSpots {
    /// In words, by title: "Business (12,000): Seat comfort, Leg room
    /// service, Inflight wifi service first, not the journey's".
    #[must_use]
    pub fn words(&self, map: &Map) -> String {
        let title = |id: &str| map.step(id).map_or(id, |s| s.title.as_str()).to_owned();
        let spots: Vec<String> = self.weak_spots.iter().map(|id| title(id)).collect();
        let verdict = if self.differs { "not the whole journey's" } else { "as for the whole journey" };
        if spots.is_empty() {
            format!("{} ({} respondents): no weak spot", self.value, self.respondents)
        } else {
            format!("{} ({} respondents): {} first, {verdict}", self.value, self.respondents, spots.join(", "))
        }
    }
}
