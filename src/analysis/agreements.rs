//! Internal service agreements, grouped by who provides to whom.
//!
//! A workshop asks "what does IT promise the front desk, and does it keep it?"
//! rather than "what is on flow 17", so the agreements are listed per pair of
//! departments, provider first, in the order the departments are drawn.

use crate::analysis::{Agreement, AgreementPair};
use crate::model::{Index, Map};

/// One entry per pair of departments that has at least one agreement on a
/// handoff between them, ordered by provider then receiver as the lanes are.
#[must_use]
pub fn pairs(map: &Map, index: &Index<'_>) -> Vec<AgreementPair> {
    let mut out: Vec<AgreementPair> = Vec::new();
    for (i, flow) in map.flows.iter().enumerate() {
        let Some(sla) = &flow.sla else { continue };
        let (Some(from), Some(to)) = (index.step(&flow.from), index.step(&flow.to)) else { continue };
        if from.department == to.department {
            continue;
        }
        let status = sla.status(&map.settings);
        let agreement = Agreement {
            flow: u32::try_from(i).unwrap_or(u32::MAX),
            from: from.id.clone(),
            from_title: from.title.clone(),
            to: to.id.clone(),
            to_title: to.title.clone(),
            promised_minutes: sla.promised_minutes,
            actual_minutes: sla.actual(),
            quality: sla.quality.clone(),
            status,
            measured: super::summary::measured(sla, &map.settings),
            said: super::summary::agreement_said(sla, &map.settings, !map.evidence.is_empty()),
        };
        let pair = match out.iter().position(|p| p.provider == from.department && p.receiver == to.department) {
            Some(p) => &mut out[p],
            None => {
                let name = |id: &str| index.department(id).map_or_else(|| id.to_owned(), |d| d.name.clone());
                out.push(AgreementPair {
                    provider: from.department.clone(),
                    provider_name: name(&from.department),
                    receiver: to.department.clone(),
                    receiver_name: name(&to.department),
                    met: 0,
                    breached: 0,
                    unmeasured: 0,
                    agreements: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        match status {
            crate::model::SlaStatus::Met => pair.met += 1,
            crate::model::SlaStatus::Breached => pair.breached += 1,
            crate::model::SlaStatus::Unmeasured => pair.unmeasured += 1,
        }
        pair.agreements.push(agreement);
    }
    let lane = |id: &str| index.department_ix(id).unwrap_or(usize::MAX);
    out.sort_by_key(|p| (lane(&p.provider), lane(&p.receiver)));
    out
}
