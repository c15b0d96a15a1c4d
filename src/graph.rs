//! The flow graph of a map: steps as nodes, forward flows as edges.
//!
//! Every question about the shape of a journey (which steps are entries, whether
//! the forward flows loop, what a customer can reach) is asked of this one type,
//! so validation, analysis and layout agree on what a path is. Rework flows are
//! not edges here: the model keeps them out of every path.
//!
//! The petgraph graph stays behind this type; callers speak in step indices
//! (positions in `Map::steps`), which are stable for a given map value.
//! Neighbour lists are also kept in compressed (CSR) form, so the analysis can
//! walk a 100,000-step map without allocating per step.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};

use crate::model::{FlowKind, Index, Map};

/// Index of a step in `Map::steps`.
pub type StepIx = usize;
/// Index of a flow in `Map::flows`.
pub type FlowIx = usize;

/// The forward-flow graph of one map.
#[must_use]
#[derive(Debug, Clone)]
pub struct FlowGraph {
    inner: StableDiGraph<StepIx, FlowIx>,
    nodes: Vec<NodeIndex>,
    out: Csr,
    inc: Csr,
    /// Every flow's ends, rework included, resolved to steps once.
    ends: Vec<(Option<StepIx>, Option<StepIx>)>,
}

/// Neighbour lists in one array: the edges of step `v` are
/// `edges[start[v]..start[v + 1]]`, in map order of their flows.
#[derive(Debug, Clone)]
struct Csr {
    start: Vec<usize>,
    edges: Vec<(FlowIx, StepIx)>,
}

impl Csr {
    /// `pairs` are `(owner, flow, other end)` in flow order.
    fn new(n: usize, pairs: &[(StepIx, FlowIx, StepIx)]) -> Self {
        let mut start = vec![0; n + 1];
        for &(owner, _, _) in pairs {
            start[owner + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut edges = vec![(0, 0); pairs.len()];
        for &(owner, f, other) in pairs {
            edges[fill[owner]] = (f, other);
            fill[owner] += 1;
        }
        Self { start, edges }
    }

    fn of(&self, v: StepIx) -> &[(FlowIx, StepIx)] {
        &self.edges[self.start[v]..self.start[v + 1]]
    }
}

impl FlowGraph {
    /// Builds the graph of `map`'s forward flows. Flows whose endpoints do not
    /// name a step are left out (validation reports them); for duplicate step
    /// ids the first step wins.
    pub fn build(map: &Map) -> Self {
        Self::with_index(map, &Index::new(map))
    }

    /// As [`FlowGraph::build`], reusing an index the caller already has.
    pub fn with_index(map: &Map, index: &Index<'_>) -> Self {
        let n = map.steps.len();
        let mut inner = StableDiGraph::with_capacity(n, map.flows.len());
        let nodes: Vec<NodeIndex> = (0..n).map(|i| inner.add_node(i)).collect();
        let mut forward = Vec::with_capacity(map.flows.len());
        let mut ends = Vec::with_capacity(map.flows.len());
        for (fi, flow) in map.flows.iter().enumerate() {
            let (from, to) = (index.step_ix(&flow.from), index.step_ix(&flow.to));
            ends.push((from, to));
            if flow.kind == FlowKind::Rework {
                continue;
            }
            if let (Some(a), Some(b)) = (from, to) {
                inner.add_edge(nodes[a], nodes[b], fi);
                forward.push((a, fi, b));
            }
        }
        let out = Csr::new(n, &forward);
        let backward: Vec<(StepIx, FlowIx, StepIx)> = forward.iter().map(|&(a, f, b)| (b, f, a)).collect();
        let inc = Csr::new(n, &backward);
        Self { inner, nodes, out, inc, ends }
    }

    /// Number of steps.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True for a map with no steps.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The steps a flow (forward or rework) joins; `None` for an id that names
    /// no step.
    #[must_use]
    pub fn ends(&self, flow: FlowIx) -> (Option<StepIx>, Option<StepIx>) {
        self.ends[flow]
    }

    /// Steps with no incoming forward flow, in map order.
    #[must_use]
    pub fn entries(&self) -> Vec<StepIx> {
        (0..self.len()).filter(|&s| self.inc.of(s).is_empty()).collect()
    }

    /// True for a step with no outgoing forward flow.
    #[must_use]
    pub fn is_exit(&self, step: StepIx) -> bool {
        self.out.of(step).is_empty()
    }

    /// The forward flows leaving `step`, as `(flow index, target step)`, in map order.
    #[must_use]
    pub fn outgoing(&self, step: StepIx) -> &[(FlowIx, StepIx)] {
        self.out.of(step)
    }

    /// The forward flows entering `step`, as `(flow index, source step)`, in map order.
    #[must_use]
    pub fn incoming(&self, step: StepIx) -> &[(FlowIx, StepIx)] {
        self.inc.of(step)
    }

    /// The steps in an order where every flow goes forward, or `None` when the
    /// forward flows contain a cycle.
    #[must_use]
    pub fn topological_order(&self) -> Option<Vec<StepIx>> {
        toposort(&self.inner, None).ok().map(|order| order.into_iter().map(|n| self.inner[n]).collect())
    }

    /// A topological order that keeps map order wherever the flows allow:
    /// of the steps free to come next, the earliest in the map comes first.
    /// Layout reads cards in this order, so steps a workshop adds one after
    /// another, not yet connected, stand in the order they were added (the
    /// plain order follows the search, which put them backwards). `None`
    /// when the forward flows contain a cycle.
    #[must_use]
    pub fn stable_topological_order(&self) -> Option<Vec<StepIx>> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut waiting: Vec<usize> = (0..self.len()).map(|s| self.inc.of(s).len()).collect();
        let mut free: BinaryHeap<Reverse<StepIx>> = (0..self.len()).filter(|&s| waiting[s] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(self.len());
        while let Some(Reverse(s)) = free.pop() {
            order.push(s);
            for &(_, t) in self.out.of(s) {
                waiting[t] -= 1;
                if waiting[t] == 0 {
                    free.push(Reverse(t));
                }
            }
        }
        (order.len() == self.len()).then_some(order)
    }

    /// Every cycle of forward flows, each as the steps met going round it once,
    /// starting from its first step in map order. One cycle is named per
    /// strongly connected component: enough to point a workshop at the loop.
    #[must_use]
    pub fn cycles(&self) -> Vec<Vec<StepIx>> {
        let mut cycles = Vec::new();
        for component in tarjan_scc(&self.inner) {
            let members: Vec<StepIx> = component.iter().map(|&n| self.inner[n]).collect();
            let looped = members.len() > 1 || self.inner.contains_edge(component[0], component[0]);
            if !looped {
                continue;
            }
            let Some(&start) = members.iter().min() else { continue };
            cycles.push(self.cycle_through(start, &members));
        }
        cycles.sort();
        cycles
    }

    /// Walks from `start` inside one strongly connected component until a step
    /// repeats, and returns the loop that closes there.
    fn cycle_through(&self, start: StepIx, members: &[StepIx]) -> Vec<StepIx> {
        let mut walk = vec![start];
        let mut current = start;
        loop {
            let next = self.outgoing(current).iter().map(|&(_, to)| to).find(|to| members.contains(to));
            let Some(next) = next else { return walk };
            if let Some(pos) = walk.iter().position(|&s| s == next) {
                return walk.split_off(pos);
            }
            walk.push(next);
            current = next;
        }
    }
}

/// Why a set of shares cannot be resolved into fractions summing to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShareError {
    /// The specified shares add up to more than 1.
    Over(f64),
    /// Every share is specified and they add up to less than 1.
    Under(f64),
    /// Some shares are unspecified but the specified ones leave nothing for them.
    NothingLeft(f64),
}

/// How far a sum of shares may stray from 1.
pub const SHARE_TOLERANCE: f64 = 0.001;

/// Resolves specified and unspecified shares into fractions: unspecified ones
/// split what the specified ones leave, equally. An empty list resolves to an
/// empty list (an exit step has no outgoing shares).
pub fn resolve_shares(shares: &[Option<f64>]) -> Result<Vec<f64>, ShareError> {
    let specified: f64 = shares.iter().flatten().sum();
    let unspecified = shares.iter().filter(|s| s.is_none()).count();
    if specified > 1.0 + SHARE_TOLERANCE {
        return Err(ShareError::Over(specified));
    }
    if unspecified == 0 {
        if !shares.is_empty() && specified < 1.0 - SHARE_TOLERANCE {
            return Err(ShareError::Under(specified));
        }
        return Ok(shares.iter().flatten().copied().collect());
    }
    let left = 1.0 - specified;
    if left <= SHARE_TOLERANCE {
        return Err(ShareError::NothingLeft(specified));
    }
    #[allow(clippy::cast_precision_loss, reason = "a step has far fewer than 2^52 flows")]
    let each = left / unspecified as f64;
    Ok(shares.iter().map(|s| s.unwrap_or(each)).collect())
}

/// Resolves entry shares. Like [`resolve_shares`], except that entries left
/// without a share when the given ones already sum to 1 get none: a step just
/// added in a workshop, not yet connected, is an entry that no customer starts
/// at. Validation warns about it rather than refusing the map.
pub fn resolve_entry_shares(shares: &[Option<f64>]) -> Result<Vec<f64>, ShareError> {
    match resolve_shares(shares) {
        Err(ShareError::NothingLeft(sum)) if (sum - 1.0).abs() <= SHARE_TOLERANCE => {
            Ok(shares.iter().map(|s| s.unwrap_or(0.0)).collect())
        }
        other => other,
    }
}
