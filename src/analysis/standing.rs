//! Department standing: how each department serves the customer and the
//! departments downstream of it.

use crate::analysis::{DepartmentStanding, WeakSpot};
use crate::graph::StepIx;
use crate::model::{Index, Map, SlaStatus, Visibility};

/// One row per department, in map order.
pub fn standings(
    map: &Map,
    index: &Index<'_>,
    weak_spots: &[WeakSpot],
    reach: &dyn Fn(StepIx) -> f64,
    scored: &[StepIx],
) -> Vec<DepartmentStanding> {
    let mut rows: Vec<DepartmentStanding> = map
        .departments
        .iter()
        .map(|d| DepartmentStanding {
            id: d.id.clone(),
            name: d.name.clone(),
            frontstage_steps: 0,
            mean_score: None,
            scored_reach: 0.0,
            weak_spot_share: 0.0,
            caused_share: 0.0,
            sla_met: 0,
            sla_measured: 0,
            sla_unmeasured: 0,
            sla_compliance: None,
            open_pain_points: 0,
            open_votes: 0,
            open_commitments: 0,
            overdue_commitments: None,
        })
        .collect();
    let row = |dept: &str| index.department_ix(dept);

    for step in &map.steps {
        if step.visibility == Visibility::Frontstage
            && let Some(i) = row(&step.department)
        {
            rows[i].frontstage_steps += 1;
        }
    }
    let mut weighted: Vec<(f64, f64)> = vec![(0.0, 0.0); rows.len()];
    for &v in scored {
        let step = &map.steps[v];
        if let (Some(i), Some(score)) = (row(&step.department), step.score) {
            weighted[i].0 += reach(v) * score;
            weighted[i].1 += reach(v);
        }
    }
    for (r, (sum, weight)) in rows.iter_mut().zip(weighted) {
        r.mean_score = (weight > 0.0).then(|| sum / weight);
        r.scored_reach = weight;
    }
    for spot in weak_spots {
        if let Some(i) = row(&spot.department) {
            rows[i].weak_spot_share += spot.share;
        }
        // Internal service that reached the customer: the providers of the
        // breached handoffs behind a weak spot carry its share, equally.
        let mut providers: Vec<usize> = spot.upstream_causes.iter().filter_map(|c| row(&c.provider)).collect();
        providers.sort_unstable();
        providers.dedup();
        #[allow(clippy::cast_precision_loss, reason = "a handful of departments")]
        let part = spot.share / providers.len().max(1) as f64;
        for i in providers {
            rows[i].caused_share += part;
        }
    }
    for flow in &map.flows {
        let (Some(sla), Some(from)) = (&flow.sla, index.step(&flow.from)) else { continue };
        let Some(i) = row(&from.department).filter(|_| index.is_handoff(flow)) else { continue };
        match sla.status(&map.settings) {
            SlaStatus::Met => {
                rows[i].sla_met += 1;
                rows[i].sla_measured += 1;
            }
            SlaStatus::Breached => rows[i].sla_measured += 1,
            SlaStatus::Unmeasured => rows[i].sla_unmeasured += 1,
        }
    }
    for r in &mut rows {
        r.sla_compliance = (r.sla_measured > 0).then(|| f64::from(r.sla_met) / f64::from(r.sla_measured));
    }
    for p in map.pain_points.iter().filter(|p| p.is_open()) {
        if let Some(i) = index.step(&p.step).and_then(|s| row(&s.department)) {
            rows[i].open_pain_points += 1;
            rows[i].open_votes += p.votes;
        }
    }
    for c in map.commitments.iter().filter(|c| c.is_open()) {
        if let Some(i) = c.department.as_deref().and_then(row) {
            rows[i].open_commitments += 1;
        }
    }
    rows
}

/// Counts, per department, the commitments past due as of `today`.
pub fn count_overdue(map: &Map, today: chrono::NaiveDate, rows: &mut [DepartmentStanding]) {
    for r in rows.iter_mut() {
        let overdue = map
            .commitments
            .iter()
            .filter(|c| c.department.as_deref() == Some(r.id.as_str()) && c.is_overdue(today))
            .count();
        r.overdue_commitments = Some(u32::try_from(overdue).unwrap_or(u32::MAX));
    }
}
