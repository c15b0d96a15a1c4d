//! A first map from a log alone (`waymark import LOG --log`).
//!
//! One step per activity, backstage unless named customer-facing; its
//! department the most frequent group of its instances (ties: the first
//! seen; none: "Unassigned"). Every observed directly-following pair of
//! different activities becomes a flow when the target's mean relative
//! position in its cases is later than the source's, a rework flow
//! otherwise, so the forward flows never form a cycle. Shares and entry
//! shares are measured as for any map, and the stages follow the mean
//! positions. Measuring the map against its own log reproduces every
//! transition count.

use rustc_hash::{FxHashMap, FxHashSet};
use waymark::Map;
use waymark::model::{Department, Facing, Flow, FlowKind, Stage, Step, Visibility};

use crate::bind::{Binding, normal};
use crate::instances::{self, Rule};
use crate::log::Log;
use crate::measure;

/// What to make of the log.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The map's title.
    pub title: String,
    /// Activities the customer meets (by name, case aside).
    pub frontstage: Vec<String>,
}

/// Why a map could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    /// A customer-facing activity the log does not have.
    #[error(
        "--frontstage names \"{0}\", which the log has no activity called (activities are listed by `waymark log`)"
    )]
    UnknownActivity(String),
    /// Nothing to make a map of.
    #[error("the log has no timed activity in any case, so there is nothing to map")]
    Empty,
}

/// The largest number of stages a discovered map gets.
const MAX_STAGES: usize = 8;

/// Makes a map of `log`.
///
/// # Errors
/// A customer-facing activity the log does not have, or an empty log.
pub fn discover(log: &Log, options: &Discovery) -> Result<Map, DiscoveryError> {
    let by_name: FxHashMap<String, usize> = log.activities.iter().enumerate().map(|(i, a)| (normal(a), i)).collect();
    let mut front = vec![false; log.activities.len()];
    for name in &options.frontstage {
        let i = by_name.get(&normal(name)).ok_or_else(|| DiscoveryError::UnknownActivity(name.clone()))?;
        front[*i] = true;
    }
    let rule = Rule::of(log);
    let n = log.activities.len();
    // Per activity: instances, summed relative position, group counts (first seen order).
    let mut seen = vec![0u64; n];
    let mut position = vec![0.0f64; n];
    let mut groups: Vec<Vec<(u32, u64)>> = vec![Vec::new(); n];
    let mut pairs: FxHashMap<(usize, usize), u64> = FxHashMap::default();
    let mut pair_order: Vec<(usize, usize)> = Vec::new();
    for case in &log.cases {
        let (done, _) = instances::of_case(case, rule);
        let last = done.len().saturating_sub(1).max(1);
        for (k, inst) in done.iter().enumerate() {
            let a = inst.activity as usize;
            seen[a] += 1;
            #[allow(clippy::cast_precision_loss, reason = "positions far below 2^52")]
            let rel = k as f64 / last as f64;
            position[a] += rel;
            if let Some(g) = inst.group {
                match groups[a].iter_mut().find(|(x, _)| *x == g) {
                    Some((_, c)) => *c += 1,
                    None => groups[a].push((g, 1)),
                }
            }
        }
        for w in done.windows(2) {
            let (a, b) = (w[0].activity as usize, w[1].activity as usize);
            if a != b {
                let c = pairs.entry((a, b)).or_default();
                if *c == 0 {
                    pair_order.push((a, b));
                }
                *c += 1;
            }
        }
    }
    let present: Vec<usize> = (0..n).filter(|&a| seen[a] > 0).collect();
    if present.is_empty() {
        return Err(DiscoveryError::Empty);
    }
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let mean_position = |a: usize| position[a] / seen[a] as f64;
    let mut order = present.clone();
    order.sort_by(|&a, &b| mean_position(a).total_cmp(&mean_position(b)).then(a.cmp(&b)));

    // Departments: each activity's most frequent group.
    let mut departments: Vec<Department> = Vec::new();
    let mut dept_of = vec![String::new(); n];
    let mut used_ids: FxHashSet<String> = FxHashSet::default();
    for &a in &order {
        let name = groups[a]
            .iter()
            .fold(None::<(u32, u64)>, |best, &(g, c)| match best {
                Some((_, bc)) if bc >= c => best,
                _ => Some((g, c)),
            })
            .map_or_else(|| "Unassigned".to_owned(), |(g, _)| log.groups[g as usize].clone());
        let id = match departments.iter().find(|d| d.name == name) {
            Some(d) => d.id.clone(),
            None => {
                let id = unique(&slug(&name, "department"), &mut used_ids);
                departments.push(Department { id: id.clone(), name, facing: Facing::Internal, color: None });
                id
            }
        };
        dept_of[a] = id;
    }
    for d in &mut departments {
        if order.iter().any(|&a| front[a] && dept_of[a] == d.id) {
            d.facing = Facing::Customer;
        }
    }

    // Stages: consecutive runs of the steps by mean position.
    let count = order.len().div_ceil(3).clamp(1, MAX_STAGES);
    let mut stages: Vec<Stage> = Vec::new();
    let mut stage_of = vec![String::new(); n];
    for (k, chunk) in order.chunks(order.len().div_ceil(count)).enumerate() {
        let id = unique(&format!("stage_{}", k + 1), &mut used_ids);
        stages.push(Stage { id: id.clone(), name: format!("{}. {}", k + 1, log.activities[chunk[0]]) });
        for &a in chunk {
            stage_of[a] = id.clone();
        }
    }

    let mut step_id = vec![String::new(); n];
    let mut steps = Vec::new();
    for &a in &order {
        let id = unique(&slug(&log.activities[a], "step"), &mut used_ids);
        step_id[a] = id.clone();
        steps.push(Step {
            id,
            title: log.activities[a].clone(),
            stage: stage_of[a].clone(),
            department: dept_of[a].clone(),
            visibility: if front[a] { Visibility::Frontstage } else { Visibility::Backstage },
            score: None,
            target: None,
            owner: None,
            channel: None,
            notes: None,
            entry_share: None,
            ratings: Vec::new(),
            follows_ratings: false,
            entry_measured: None,
            surveyed: None,
        });
    }
    let flows: Vec<Flow> = pair_order
        .iter()
        .map(|&(a, b)| Flow {
            from: step_id[a].clone(),
            to: step_id[b].clone(),
            share: None,
            kind: if mean_position(b) > mean_position(a) { FlowKind::Flow } else { FlowKind::Rework },
            sla: None,
            measured: None,
        })
        .collect();
    let mut map = Map::new(options.title.clone());
    map.stages = stages;
    map.departments = departments;
    map.steps = steps;
    map.flows = flows;

    // Shares measured as for any map.
    let binding = Binding::new(&log.activities, &map, None);
    let measured = measure::measure(&map, log, &binding, false);
    for s in &measured.shares {
        map.flows[s.flow as usize].share = Some(s.share);
    }
    // An entry no case starts at (reached only through rework) keeps no
    // share: validation then says that no customer starts there, which is so.
    for e in measured.entry_shares.iter().filter(|e| e.count > 0) {
        if let Some(step) = map.steps.iter_mut().find(|x| x.id == e.step) {
            step.entry_share = Some(e.share);
        }
    }
    Ok(map)
}

/// An id from a name: lower case letters, digits and underscores.
fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').chars().take(40).collect::<String>();
    if out.is_empty() { fallback.to_owned() } else { out }
}

fn unique(base: &str, used: &mut FxHashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut k = 2;
    while used.contains(&id) {
        id = format!("{base}_{k}");
        k += 1;
    }
    used.insert(id.clone());
    id
}
