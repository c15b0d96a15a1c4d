//! Upstream causes: internal service that reached the customer.
//!
//! A weak perception point is often set up by backstage work just before it:
//! a department that passed on an incomplete record, late. Walking back from
//! the step through backstage steps only, as far as the previous frontstage
//! step (or an entry), finds the handoffs on those routes; the breached ones
//! are its upstream causes.

use crate::analysis::UpstreamCause;
use crate::graph::{FlowGraph, StepIx};
use crate::model::{Index, Map, SlaStatus, Visibility};

/// Finds the upstream causes of one weak spot after another. The walk's
/// marks are cleared step by step rather than allocated per spot, and each
/// flow's verdict is worked out once: thousands of weak spots on a large
/// map share their handoffs.
pub(super) struct Upstream<'a> {
    map: &'a Map,
    index: &'a Index<'a>,
    graph: &'a FlowGraph,
    seen: Vec<bool>,
    visited: Vec<StepIx>,
    /// Per flow: `None` until looked at, then whether it is a breached handoff.
    breached: Vec<Option<Option<UpstreamCause>>>,
}

impl<'a> Upstream<'a> {
    pub(super) fn new(map: &'a Map, index: &'a Index<'a>, graph: &'a FlowGraph) -> Self {
        Self {
            map,
            index,
            graph,
            seen: vec![false; map.steps.len()],
            visited: Vec::new(),
            breached: vec![None; map.flows.len()],
        }
    }

    /// Breached handoffs on the backstage-only routes into `v`, in map order.
    pub(super) fn of(&mut self, v: StepIx) -> Vec<UpstreamCause> {
        let mut flows = Vec::new();
        let mut stack = vec![v];
        self.seen[v] = true;
        self.visited.push(v);
        while let Some(x) = stack.pop() {
            for &(f, u) in self.graph.incoming(x) {
                flows.push(f);
                if self.map.steps[u].visibility == Visibility::Backstage && !self.seen[u] {
                    self.seen[u] = true;
                    self.visited.push(u);
                    stack.push(u);
                }
            }
        }
        for u in self.visited.drain(..) {
            self.seen[u] = false;
        }
        flows.sort_unstable();
        flows.dedup();
        let (map, index) = (self.map, self.index);
        flows
            .into_iter()
            .filter_map(|f| self.breached[f].get_or_insert_with(|| breached(map, index, f)).clone())
            .collect()
    }
}

fn breached(map: &Map, index: &Index<'_>, f: usize) -> Option<UpstreamCause> {
    let flow = &map.flows[f];
    let sla = flow.sla.as_ref()?;
    let actual = sla.actual()?;
    if sla.status(&map.settings) != SlaStatus::Breached || !index.is_handoff(flow) {
        return None;
    }
    let from = index.step(&flow.from)?;
    let to = index.step(&flow.to)?;
    Some(UpstreamCause {
        flow: u32::try_from(f).unwrap_or(u32::MAX),
        from: from.id.clone(),
        from_title: from.title.clone(),
        to: to.id.clone(),
        provider: from.department.clone(),
        provider_name: index.department(&from.department).map_or_else(|| from.department.clone(), |d| d.name.clone()),
        receiver: to.department.clone(),
        promised_minutes: sla.promised_minutes,
        actual_minutes: actual,
        said: super::summary::agreement_said(sla, &map.settings, !map.evidence.is_empty()),
    })
}
