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

/// Breached handoffs on the backstage-only routes into `v`, in map order.
#[must_use]
pub fn upstream(map: &Map, index: &Index<'_>, graph: &FlowGraph, v: StepIx) -> Vec<UpstreamCause> {
    let mut seen = vec![false; map.steps.len()];
    let mut flows = Vec::new();
    let mut stack = vec![v];
    seen[v] = true;
    while let Some(x) = stack.pop() {
        for &(f, u) in graph.incoming(x) {
            flows.push(f);
            if map.steps[u].visibility == Visibility::Backstage && !seen[u] {
                seen[u] = true;
                stack.push(u);
            }
        }
    }
    flows.sort_unstable();
    flows.dedup();
    flows.into_iter().filter_map(|f| breached(map, index, f)).collect()
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
