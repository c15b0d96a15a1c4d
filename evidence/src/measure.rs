//! A map measured against a log (`docs/evidence.md`, "Event logs").
//!
//! Each case's instances of bound activities, in order, are its *logged
//! sequence*; each consecutive pair (a, b) is a transition: a `flow` when the
//! map has a forward flow a → b, `rework` when it has a rework flow, a
//! `repeat` when a = b, else `unmodelled`. Its time is start(b) − complete(a)
//! in minutes (negative when the work overlapped; kept). From the
//! transitions come the measured shares, the agreements measured and the
//! figures of every transition; from the cases, their throughput.

use rustc_hash::FxHashMap;
use serde::Serialize;
use waymark::Map;
use waymark::graph::FlowGraph;
use waymark::model::FlowKind;

use crate::bind::Binding;
use crate::instances::{self, Pairing, Rule};
use crate::log::{Log, time};
use crate::stats::{Figures, adjusted_wald};

/// Minutes in a microsecond.
const MINUTE: f64 = 60_000_000.0;

/// Everything measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// The log itself.
    pub log: LogFacts,
    /// Every transition seen, the most frequent first.
    pub transitions: Vec<Transition>,
    /// The measured shares of flows.
    pub shares: Vec<MeasuredShare>,
    /// The measured entry shares, when every entry step is logged.
    pub entry_shares: Vec<EntryShare>,
    /// Every agreement on a flow, measured or not.
    pub agreements: Vec<MeasuredAgreement>,
    /// The cases' throughput and, where a deadline is given, punctuality.
    pub cases: CaseFigures,
    /// Activities bound to no step, with their instance counts.
    pub unbound: Vec<Unbound>,
    /// Steps no activity is bound to.
    pub unlogged_steps: Vec<String>,
    /// What pairing lifecycle events left over.
    pub left_out: LeftOut,
    /// Every figure again per value of the segment attribute, when asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
    /// Each case's entry and measured flows, for the map to keep and
    /// resample (not printed: no case id, activity or time is in it).
    #[serde(skip)]
    pub kept: waymark::model::KeptCases,
}

/// The log measured from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogFacts {
    /// Its file name.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Cases measured.
    pub cases: u64,
    /// Events in them.
    pub events: u64,
    /// `start` (a completion to the next start) or `complete` (completion to completion).
    pub time_basis: &'static str,
    /// First and last instant, UTC.
    pub time_span: Option<[String; 2]>,
}

/// Consecutive logged steps a → b, over all cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    /// Step id a.
    pub from: String,
    /// Its title.
    pub from_title: String,
    /// Step id b.
    pub to: String,
    /// Its title.
    pub to_title: String,
    /// `flow`, `rework`, `repeat` or `unmodelled`.
    pub kind: TransitionKind,
    /// How many times.
    pub count: u64,
    /// Median time, minutes.
    pub median_minutes: f64,
    /// 90th percentile, minutes.
    pub p90_minutes: f64,
    /// Mean, minutes.
    pub mean_minutes: f64,
    /// Of the times, how many were negative (the work overlapped).
    pub overlapping: u64,
}

/// What the map says of a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransitionKind {
    /// A forward flow of the map.
    Flow,
    /// A rework flow of the map.
    Rework,
    /// The same step again.
    Repeat,
    /// Something the map does not draw.
    Unmodelled,
}

/// A flow's share measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasuredShare {
    /// The flow's index in the map.
    pub flow: u32,
    /// Its source step id.
    pub from: String,
    /// Its target step id.
    pub to: String,
    /// Transitions along it.
    pub count: u64,
    /// Transitions from its source along any of its forward flows.
    pub n: u64,
    /// count / n.
    pub share: f64,
}

/// An entry step's share of the cases measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryShare {
    /// The step id.
    pub step: String,
    /// Cases whose first logged step it is.
    pub count: u64,
    /// Cases whose first logged step is an entry step.
    pub n: u64,
    /// count / n.
    pub share: f64,
}

/// An internal service agreement against the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasuredAgreement {
    /// The flow's index in the map.
    pub flow: u32,
    /// Its source step id.
    pub from: String,
    /// Its target step id.
    pub to: String,
    /// Promised minutes.
    pub promised_minutes: f64,
    /// The share that must be within the promise.
    pub target_share: f64,
    /// Times measured.
    pub n: u64,
    /// Of them, within the promise.
    pub within: u64,
    /// within / n; `None` when nothing was measured.
    pub within_share: Option<f64>,
    /// Its 95% adjusted-Wald interval.
    pub interval: Option<[f64; 2]>,
    /// Median minutes (the actual minutes the map shows).
    pub median_minutes: Option<f64>,
    /// 90th percentile, minutes.
    pub p90_minutes: Option<f64>,
    /// Mean, minutes.
    pub mean_minutes: Option<f64>,
    /// `met`, `breached`, or `unmeasured` (no times: the typed actual decides).
    pub status: AgreementStatus,
}

/// An agreement's verdict from the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgreementStatus {
    /// Within the promise at least as often as the target share.
    Met,
    /// Less often.
    Breached,
    /// No transition along the flow in the log.
    Unmeasured,
}

/// The cases' own figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFigures {
    /// Cases with at least one timed instance.
    pub count: u64,
    /// First start to last completion, minutes.
    pub throughput: Option<Figures>,
    /// Cases with a deadline, and how many completed by it.
    pub deadline: Option<Deadline>,
}

/// Punctuality against a case attribute's deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// Cases with a deadline.
    pub cases: u64,
    /// Of them, completed by it.
    pub on_time: u64,
    /// on_time / cases.
    pub share: f64,
}

/// An activity no step takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unbound {
    /// The activity.
    pub activity: String,
    /// Its instances.
    pub count: u64,
}

/// What reading the lifecycle left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Starts that never completed.
    pub unfinished_starts: u64,
    /// Events of other transitions (schedule, assign…).
    pub other_transitions: u64,
    /// Events without a time.
    pub untimed: u64,
}

/// The figures of the cases with one value of the segment attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The value ("Internet"; "(none)" for cases without one).
    pub value: String,
    /// Everything measured on those cases alone.
    pub measurement: Box<Measurement>,
}

/// Measures `map` against `log` with the activities bound by `binding`;
/// with `segmented`, every figure again per segment value.
#[must_use]
pub fn measure(map: &Map, log: &Log, binding: &Binding, segmented: bool) -> Measurement {
    let all: Vec<usize> = (0..log.cases.len()).collect();
    let mut m = measure_cases(map, log, binding, &all);
    if segmented {
        let mut by: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, c) in log.cases.iter().enumerate() {
            let value = c.segment.clone().unwrap_or_else(|| "(none)".to_owned());
            match by.iter_mut().find(|(v, _)| *v == value) {
                Some((_, cases)) => cases.push(i),
                None => by.push((value, vec![i])),
            }
        }
        by.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        m.segments = by
            .into_iter()
            .map(|(value, cases)| Segment { value, measurement: Box::new(measure_cases(map, log, binding, &cases)) })
            .collect();
    }
    m
}

/// The flow between two steps, and its kind, by (from, to).
fn flows_by_ends(map: &Map) -> FxHashMap<(usize, usize), (usize, FlowKind)> {
    let index: FxHashMap<&str, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut out: FxHashMap<(usize, usize), (usize, FlowKind)> = FxHashMap::default();
    for (f, flow) in map.flows.iter().enumerate() {
        let (Some(&a), Some(&b)) = (index.get(flow.from.as_str()), index.get(flow.to.as_str())) else { continue };
        // A forward flow names the transition even where a rework flow joins the same steps.
        match out.get(&(a, b)) {
            Some((_, FlowKind::Flow)) => {}
            _ => {
                out.insert((a, b), (f, flow.kind));
            }
        }
    }
    out
}

fn measure_cases(map: &Map, log: &Log, binding: &Binding, cases: &[usize]) -> Measurement {
    let rule = Rule::of(log);
    let flows = flows_by_ends(map);
    let graph = FlowGraph::build(map);
    let mut times: FxHashMap<(usize, usize), Vec<f64>> = FxHashMap::default();
    let mut unbound = vec![0u64; log.activities.len()];
    let mut first_step: FxHashMap<usize, u64> = FxHashMap::default();
    let mut throughput: Vec<f64> = Vec::new();
    let (mut with_deadline, mut on_time) = (0u64, 0u64);
    let mut left = Pairing::default();
    let mut events = 0u64;
    let mut span: Option<(i64, i64)> = None;
    // Per case: its first bound step and its transitions between bound steps.
    let mut trails: Vec<Trail> = Vec::with_capacity(cases.len());
    for &c in cases {
        let case = &log.cases[c];
        events += case.events.len() as u64;
        let (done, pairing) = instances::of_case(case, rule);
        left.unfinished += pairing.unfinished;
        left.ignored += pairing.ignored;
        left.untimed += pairing.untimed;
        let (Some(first), Some(last)) = (done.iter().map(|i| i.start).min(), done.iter().map(|i| i.complete).max())
        else {
            continue;
        };
        span = Some(span.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
        #[allow(clippy::cast_precision_loss, reason = "microsecond differences fit an f64 closely")]
        throughput.push((last - first) as f64 / MINUTE);
        if let Some(d) = case.deadline {
            with_deadline += 1;
            on_time += u64::from(last <= d);
        }
        let mut previous: Option<(usize, i64)> = None;
        let mut trail: Trail = (None, Vec::new());
        for inst in &done {
            let Some(step) = binding.step_of[inst.activity as usize] else {
                unbound[inst.activity as usize] += 1;
                continue;
            };
            match previous {
                None => {
                    *first_step.entry(step).or_default() += 1;
                    trail.0 = Some(step);
                }
                Some((a, completed)) => {
                    #[allow(clippy::cast_precision_loss, reason = "microsecond differences fit an f64 closely")]
                    let minutes = (inst.start - completed) as f64 / MINUTE;
                    times.entry((a, step)).or_default().push(minutes);
                    trail.1.push((a, step));
                }
            }
            previous = Some((step, inst.complete));
        }
        trails.push(trail);
    }

    let title = |v: usize| map.steps[v].title.clone();
    let kind = |a: usize, b: usize| match flows.get(&(a, b)) {
        Some((_, FlowKind::Flow)) => TransitionKind::Flow,
        Some((_, FlowKind::Rework)) => TransitionKind::Rework,
        None if a == b => TransitionKind::Repeat,
        None => TransitionKind::Unmodelled,
    };
    let mut transitions: Vec<Transition> = times
        .iter()
        .filter_map(|(&(a, b), ts)| {
            let mut ts = ts.clone();
            let overlapping = ts.iter().filter(|t| **t < 0.0).count() as u64;
            let f = Figures::of(&mut ts)?;
            Some(Transition {
                from: map.steps[a].id.clone(),
                from_title: title(a),
                to: map.steps[b].id.clone(),
                to_title: title(b),
                kind: kind(a, b),
                count: f.n,
                median_minutes: f.median,
                p90_minutes: f.p90,
                mean_minutes: f.mean,
                overlapping,
            })
        })
        .collect();
    transitions.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.from.cmp(&y.from)).then_with(|| x.to.cmp(&y.to)));

    // Measured shares: a logged step whose forward successors are all logged,
    // with at least one transition along them.
    let count = |a: usize, b: usize| times.get(&(a, b)).map_or(0, |t| t.len() as u64);
    let mut shares = Vec::new();
    for a in 0..map.steps.len() {
        let out = graph.outgoing(a);
        if out.is_empty() || !binding.logged(a) || !out.iter().all(|&(_, b)| binding.logged(b)) {
            continue;
        }
        let n: u64 = out.iter().map(|&(_, b)| count(a, b)).sum();
        if n == 0 {
            continue;
        }
        for &(f, b) in out {
            #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
            let share = count(a, b) as f64 / n as f64;
            shares.push(MeasuredShare {
                flow: u32::try_from(f).unwrap_or(u32::MAX),
                from: map.steps[a].id.clone(),
                to: map.steps[b].id.clone(),
                count: count(a, b),
                n,
                share,
            });
        }
    }
    let entries = graph.entries();
    let mut entry_shares = Vec::new();
    if !entries.is_empty() && entries.iter().all(|&e| binding.logged(e)) {
        let n: u64 = entries.iter().map(|e| first_step.get(e).copied().unwrap_or(0)).sum();
        if n > 0 {
            for &e in &entries {
                let c = first_step.get(&e).copied().unwrap_or(0);
                #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                entry_shares.push(EntryShare {
                    step: map.steps[e].id.clone(),
                    count: c,
                    n,
                    share: c as f64 / n as f64,
                });
            }
        }
    }

    let kept = kept_cases(map, &trails, &shares, &entry_shares);
    let index: FxHashMap<&str, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let agreements = map
        .flows
        .iter()
        .enumerate()
        .filter_map(|(f, flow)| {
            let sla = flow.sla.as_ref()?;
            let (a, b) = (*index.get(flow.from.as_str())?, *index.get(flow.to.as_str())?);
            let target_share = sla.target_share.unwrap_or(map.settings.agreement_share);
            let mut ts = times.get(&(a, b)).cloned().unwrap_or_default();
            let within = ts.iter().filter(|t| **t <= sla.promised_minutes).count() as u64;
            let figures = Figures::of(&mut ts);
            let n = figures.map_or(0, |f| f.n);
            #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
            let within_share = (n > 0).then(|| within as f64 / n as f64);
            Some(MeasuredAgreement {
                flow: u32::try_from(f).unwrap_or(u32::MAX),
                from: flow.from.clone(),
                to: flow.to.clone(),
                promised_minutes: sla.promised_minutes,
                target_share,
                n,
                within,
                within_share,
                interval: (n > 0).then(|| adjusted_wald(within, n)),
                median_minutes: figures.map(|f| f.median),
                p90_minutes: figures.map(|f| f.p90),
                mean_minutes: figures.map(|f| f.mean),
                status: match within_share {
                    None => AgreementStatus::Unmeasured,
                    Some(s) if s >= target_share => AgreementStatus::Met,
                    Some(_) => AgreementStatus::Breached,
                },
            })
        })
        .collect();

    let mut unbound: Vec<Unbound> = unbound
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(a, c)| Unbound { activity: log.activities[a].clone(), count: *c })
        .collect();
    unbound.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.activity.cmp(&b.activity)));
    let unlogged_steps =
        (0..map.steps.len()).filter(|&v| !binding.logged(v)).map(|v| map.steps[v].id.clone()).collect();
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let deadline = (with_deadline > 0).then(|| Deadline {
        cases: with_deadline,
        on_time,
        share: on_time as f64 / with_deadline as f64,
    });
    let counted = throughput.len() as u64;
    Measurement {
        log: LogFacts {
            file: log.file.clone(),
            sha256: log.sha256.clone(),
            cases: cases.len() as u64,
            events,
            time_basis: if log.has_starts() { "start" } else { "complete" },
            time_span: span.map(|(a, b)| [time::utc_text(a), time::utc_text(b)]),
        },
        transitions,
        shares,
        entry_shares,
        agreements,
        cases: CaseFigures { count: counted, throughput: Figures::of(&mut throughput), deadline },
        unbound,
        unlogged_steps,
        left_out: LeftOut {
            unfinished_starts: left.unfinished,
            other_transitions: left.ignored,
            untimed: left.untimed,
        },
        segments: Vec::new(),
        kept,
    }
}

/// A case's first bound step and its transitions between bound steps.
type Trail = (Option<usize>, Vec<(usize, usize)>);

/// The cases as the map keeps them: the flows whose shares were measured
/// and the entries whose shares were, as tables; each case as its entry and
/// the measured flows it took. Cases that took none of them and started at
/// no measured entry are left out: they change no share.
fn kept_cases(
    map: &Map,
    trails: &[Trail],
    shares: &[MeasuredShare],
    entries: &[EntryShare],
) -> waymark::model::KeptCases {
    use waymark::model::{KeptCase, KeptCases};
    let index: FxHashMap<&str, usize> = map.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let at = |id: &str| index.get(id).copied().unwrap_or(usize::MAX);
    let flow_of: FxHashMap<(usize, usize), u32> = shares
        .iter()
        .enumerate()
        .map(|(k, s)| ((at(&s.from), at(&s.to)), u32::try_from(k).unwrap_or(u32::MAX)))
        .collect();
    let entry_of: FxHashMap<usize, u32> =
        entries.iter().enumerate().map(|(k, e)| (at(&e.step), u32::try_from(k).unwrap_or(u32::MAX))).collect();
    let cases = trails
        .iter()
        .map(|(first, pairs)| KeptCase {
            entry: first.and_then(|f| entry_of.get(&f).copied()),
            flows: pairs.iter().filter_map(|p| flow_of.get(p).copied()).collect(),
        })
        .filter(|c| c.entry.is_some() || !c.flows.is_empty())
        .collect();
    KeptCases {
        source: 0,
        flows: shares.iter().map(|s| [s.from.clone(), s.to.clone()]).collect(),
        entries: entries.iter().map(|e| e.step.clone()).collect(),
        cases,
    }
}

impl Measurement {
    /// The edit that stores these figures in the map, read on `day`:
    /// measured shares, entry shares and the agreements the log has times
    /// for, with their n, and the log as their source.
    #[must_use]
    pub fn as_edit(&self, day: chrono::NaiveDate) -> waymark::edit::Measured {
        use waymark::edit::{AgreementTimes, EntryShare as Entry, FlowShare, Measured};
        let small = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
        use waymark::model::{EvidenceKind, EvidenceSource};
        Measured {
            source: EvidenceSource {
                kind: EvidenceKind::Log,
                file: self.log.file.clone(),
                sha256: self.log.sha256.clone(),
                count: small(self.log.cases),
                span: self.log.time_span.clone(),
                read_on: day,
            },
            shares: self
                .shares
                .iter()
                .map(|s| FlowShare {
                    flow: s.flow,
                    from: s.from.clone(),
                    to: s.to.clone(),
                    count: small(s.count),
                    n: small(s.n),
                })
                .collect(),
            entries: self
                .entry_shares
                .iter()
                .map(|e| Entry { step: e.step.clone(), count: small(e.count), n: small(e.n) })
                .collect(),
            agreements: self
                .agreements
                .iter()
                .filter(|a| a.n > 0)
                .map(|a| AgreementTimes {
                    flow: a.flow,
                    from: a.from.clone(),
                    to: a.to.clone(),
                    n: small(a.n),
                    within: small(a.within),
                    median_minutes: a.median_minutes.unwrap_or_default(),
                    p90_minutes: a.p90_minutes.unwrap_or_default(),
                    mean_minutes: a.mean_minutes.unwrap_or_default(),
                })
                .collect(),
            scores: Vec::new(),
            answers: None,
            cases: (!self.kept.cases.is_empty()).then(|| self.kept.clone()),
        }
    }
}
