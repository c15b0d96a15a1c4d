//! Activity instances: a case's lifecycle events paired into the work done.
//!
//! In a case, a `start` and a `complete` of the same activity (and the same
//! `concept:instance`, when present) pair first in, first out. A `complete`
//! with no open `start` is an instance that starts when it completes; a
//! `start` that never completes is dropped and counted. Other transitions
//! (schedule, assign, suspend…) are ignored. A log with no `complete` at all
//! (status values such as "In Progress") takes every event as an instance at
//! its time, and a CSV with a start column gives one instance per row. A
//! case's instances are ordered by completion, ties by start, then by their
//! place in the file. Events without a time take no part.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use crate::log::{Case, Lifecycle, Log};

/// One piece of work in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance {
    /// The activity's number in [`Log::activities`].
    pub activity: u32,
    /// When it started, microseconds.
    pub start: i64,
    /// When it completed, microseconds.
    pub complete: i64,
    /// Its department, from its completing event (else its start).
    pub group: Option<u32>,
}

/// A start waiting for its complete: its time, place in the file and department.
type OpenStart = (i64, usize, Option<u32>);

/// What pairing left over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pairing {
    /// Starts that never completed: dropped.
    pub unfinished: u64,
    /// Events of other transitions: ignored.
    pub ignored: u64,
    /// Events without a time.
    pub untimed: u64,
}

/// How a log's events become instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Starts and completes pair; other transitions are ignored.
    Lifecycle,
    /// No `complete` anywhere: every event is an instance at its time.
    EveryEvent,
    /// A start column: one instance per row.
    Rows,
}

impl Rule {
    /// The rule for `log`.
    #[must_use]
    pub fn of(log: &Log) -> Self {
        if log.notes.start_column {
            return Self::Rows;
        }
        let any_complete = log.notes.lifecycle_values.is_empty()
            || log.notes.lifecycle_values.keys().any(|v| v.eq_ignore_ascii_case("complete"))
            || log.cases.iter().any(|c| c.events.iter().any(|e| e.lifecycle == Lifecycle::Complete));
        if any_complete { Self::Lifecycle } else { Self::EveryEvent }
    }
}

/// The instances of one case, in order, and what pairing left over.
#[must_use]
pub fn of_case(case: &Case, rule: Rule) -> (Vec<Instance>, Pairing) {
    let mut left = Pairing::default();
    // (instance, position in the file)
    let mut out: Vec<(Instance, usize)> = Vec::with_capacity(case.events.len());
    let mut open: FxHashMap<(u32, Option<u32>), VecDeque<OpenStart>> = FxHashMap::default();
    for (i, e) in case.events.iter().enumerate() {
        let Some(time) = e.time else {
            left.untimed += 1;
            continue;
        };
        match rule {
            Rule::Rows => {
                let start = e.start.unwrap_or(time);
                out.push((Instance { activity: e.activity, start, complete: time, group: e.group }, i));
            }
            Rule::EveryEvent => {
                out.push((Instance { activity: e.activity, start: time, complete: time, group: e.group }, i));
            }
            Rule::Lifecycle => match e.lifecycle {
                Lifecycle::Start => open.entry((e.activity, e.instance)).or_default().push_back((time, i, e.group)),
                Lifecycle::Complete => {
                    let (start, group) = match open.get_mut(&(e.activity, e.instance)).and_then(VecDeque::pop_front) {
                        Some((s, _, g)) => (s, e.group.or(g)),
                        None => (time, e.group),
                    };
                    out.push((Instance { activity: e.activity, start, complete: time, group }, i));
                }
                Lifecycle::Other(_) => left.ignored += 1,
            },
        }
    }
    left.unfinished += open.values().map(|q| q.len() as u64).sum::<u64>();
    out.sort_by(|(a, ia), (b, ib)| a.complete.cmp(&b.complete).then(a.start.cmp(&b.start)).then(ia.cmp(ib)));
    (out.into_iter().map(|(x, _)| x).collect(), left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Event;

    fn ev(activity: u32, time: i64, lifecycle: Lifecycle) -> Event {
        Event { activity, time: Some(time), start: None, lifecycle, instance: None, group: None }
    }

    #[test]
    fn starts_and_completes_pair_first_in_first_out() {
        let case = Case {
            name: "c".into(),
            events: vec![
                ev(0, 10, Lifecycle::Start),
                ev(0, 20, Lifecycle::Start),
                ev(1, 25, Lifecycle::Complete), // no start: an instance at 25
                ev(0, 30, Lifecycle::Complete), // pairs with the start at 10
                ev(0, 40, Lifecycle::Other(0)),
                ev(2, 45, Lifecycle::Start),    // never completes
                ev(0, 50, Lifecycle::Complete), // pairs with the start at 20
            ],
            segment: None,
            deadline: None,
        };
        let (instances, left) = of_case(&case, Rule::Lifecycle);
        let got: Vec<(u32, i64, i64)> = instances.iter().map(|i| (i.activity, i.start, i.complete)).collect();
        assert_eq!(got, [(1, 25, 25), (0, 10, 30), (0, 20, 50)]);
        assert_eq!(left, Pairing { unfinished: 1, ignored: 1, untimed: 0 });
    }
}
