//! Checking the service charter against the internal agreements behind it.
//!
//! A promise to the customer at a stage ("your card within 20 minutes") can
//! only be kept if the departments that hand work to each other inside that
//! stage promise each other less. The time the agreements allow is the longest
//! chain of promised handoff times among the flows that end in the stage: the
//! customer waits for the slowest route, and along a route the waits add up.
//! Counting starts at the handoff that brings the customer (or her file) into
//! the stage, since the charter's clock starts when she enters it.

use crate::analysis::{PromiseCheck, PromiseVerdict};
use crate::graph::FlowGraph;
use crate::model::{FlowKind, Index, Map};

/// The longest promised chain into each step, within the step's own stage.
struct Chains {
    /// Summed promised minutes of the slowest route to the step.
    promised: Vec<f64>,
    /// Summed actual minutes along that same route; `None` when a handoff on
    /// it is unmeasured.
    actual: Vec<Option<f64>>,
    /// The flow that route arrives by, to walk the chain back.
    via: Vec<Option<usize>>,
}

fn chains(map: &Map, index: &Index<'_>, graph: &FlowGraph) -> Chains {
    let n = map.steps.len();
    let mut c = Chains { promised: vec![0.0; n], actual: vec![Some(0.0); n], via: vec![None; n] };
    let order = graph.topological_order().unwrap_or_default();
    for v in order {
        for &(f, w) in graph.outgoing(v) {
            let flow = &map.flows[f];
            if flow.kind == FlowKind::Rework {
                continue;
            }
            // A flow from another stage starts the clock; one inside carries
            // the minutes so far on.
            let inside = map.steps[v].stage == map.steps[w].stage;
            let (base, base_actual) = if inside { (c.promised[v], c.actual[v]) } else { (0.0, Some(0.0)) };
            let (add, add_actual) = match (&flow.sla, index.is_handoff(flow)) {
                (Some(sla), true) => (sla.promised_minutes, sla.actual()),
                _ => (0.0, Some(0.0)),
            };
            let total = base + add;
            if c.via[w].is_none() || total > c.promised[w] {
                c.promised[w] = total;
                c.actual[w] = base_actual.zip(add_actual).map(|(a, b)| a + b);
                c.via[w] = Some(f);
            }
        }
    }
    c
}

/// One check per promise, in charter order.
#[must_use]
pub fn check(map: &Map, index: &Index<'_>, graph: &FlowGraph) -> Vec<PromiseCheck> {
    let c = chains(map, index, graph);
    map.charter
        .iter()
        .map(|p| {
            // The slowest route ending anywhere in the stage.
            let end = (0..map.steps.len())
                .filter(|&v| map.steps[v].stage == p.stage)
                .max_by(|&a, &b| c.promised[a].total_cmp(&c.promised[b]));
            let mut handoffs = Vec::new();
            let mut at = end;
            while let Some(v) = at {
                let Some(f) = c.via[v] else { break };
                let flow = &map.flows[f];
                if let Some(sla) = flow.sla.as_ref().filter(|_| index.is_handoff(flow)) {
                    handoffs.push(crate::analysis::ChainLink {
                        flow: u32::try_from(f).unwrap_or(u32::MAX),
                        from_title: index.step(&flow.from).map_or_else(|| flow.from.clone(), |s| s.title.clone()),
                        to_title: index.step(&flow.to).map_or_else(|| flow.to.clone(), |s| s.title.clone()),
                        promised_minutes: sla.promised_minutes,
                        actual_minutes: sla.actual(),
                    });
                }
                let from = index.step_ix(&flow.from);
                at = from.filter(|&u| map.steps[u].stage == p.stage);
            }
            handoffs.reverse();
            let promised = end.map(|v| c.promised[v]).filter(|_| !handoffs.is_empty());
            let actual = end.and_then(|v| c.actual[v]).filter(|_| !handoffs.is_empty());
            let verdict = match (p.within_minutes, promised) {
                (None, _) => PromiseVerdict::NoTimeGiven,
                (Some(_), None) => PromiseVerdict::NoAgreements,
                (Some(within), Some(chain)) if chain > within => PromiseVerdict::CannotBeMet,
                (Some(within), Some(_)) if actual.is_some_and(|a| a > within) => PromiseVerdict::MissedInPractice,
                (Some(_), Some(_)) => PromiseVerdict::Achievable,
            };
            PromiseCheck {
                id: p.id.clone(),
                stage: p.stage.clone(),
                stage_name: map
                    .stages
                    .iter()
                    .find(|s| s.id == p.stage)
                    .map_or_else(|| p.stage.clone(), |s| s.name.clone()),
                text: p.text.clone(),
                within_minutes: p.within_minutes,
                promised_minutes: promised,
                actual_minutes: actual,
                handoffs,
                verdict,
            }
        })
        .collect()
}
