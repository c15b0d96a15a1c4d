//! Adding one map to another: a JSON document's flows, agreements and pain
//! points onto a map typed up from a spreadsheet, say, without exporting and
//! importing again. Everything the document holds is matched by id (flows by
//! the steps they join and their kind): what is new is added, what is the
//! same is left alone, a flow already there takes the document's share and
//! agreement, and anything else named twice but different is refused by
//! name, so nothing is silently overwritten. The map's title, settings and
//! cadence stay its own; participants are joined.

use super::EditError;
use crate::model::Map;

/// Adds the items of `addition` to `map`, item lists in order.
pub(super) fn merge(map: &mut Map, addition: &Map) -> Result<(), EditError> {
    fn join<T: Clone + PartialEq>(
        into: &mut Vec<T>,
        from: &[T],
        id: impl Fn(&T) -> &str,
        kind: &str,
    ) -> Result<(), EditError> {
        for item in from {
            match into.iter().find(|x| id(x) == id(item)) {
                Some(same) if same == item => {}
                Some(_) => {
                    return Err(EditError::Conflict(format!(
                        "{kind} \"{}\" is on the map already and differs from the document's; leave it out of the document or give it another id",
                        id(item)
                    )));
                }
                None => into.push(item.clone()),
            }
        }
        Ok(())
    }
    join(&mut map.stages, &addition.stages, |s| &s.id, "stage")?;
    // A department differs only in what the document says: a colour it
    // leaves out is the map's.
    for d in &addition.departments {
        match map.departments.iter().find(|x| x.id == d.id) {
            Some(x) if x.name == d.name && x.facing == d.facing && (d.color.is_none() || x.color == d.color) => {}
            Some(_) => {
                return Err(EditError::Conflict(format!(
                    "department \"{}\" is on the map already with another name or side; leave it out of the document or give it another id",
                    d.id
                )));
            }
            None => map.departments.push(d.clone()),
        }
    }
    join(&mut map.steps, &addition.steps, |s| &s.id, "step")?;
    for f in &addition.flows {
        match map.flows.iter_mut().find(|x| x.from == f.from && x.to == f.to && x.kind == f.kind) {
            Some(existing) => *existing = f.clone(),
            None => map.flows.push(f.clone()),
        }
    }
    for p in &addition.workshop.participants {
        if !map.workshop.participants.contains(p) {
            map.workshop.participants.push(p.clone());
        }
    }
    join(&mut map.pain_points, &addition.pain_points, |p| &p.id, "pain point")?;
    join(&mut map.charter, &addition.charter, |p| &p.id, "promise")?;
    join(&mut map.commitments, &addition.commitments, |c| &c.id, "commitment")?;
    Ok(())
}

/// What a merge added, in words: "3 flows, 5 agreements, 2 pain points".
#[must_use]
pub fn merge_summary(before: &Map, after: &Map) -> String {
    let added = |b: usize, a: usize| a.saturating_sub(b);
    let agreements = |m: &Map| m.flows.iter().filter(|f| f.sla.is_some()).count();
    let changed_flows = after
        .flows
        .iter()
        .filter(|f| before.flows.iter().any(|g| g.from == f.from && g.to == f.to && g.kind == f.kind && g != *f))
        .count();
    let parts = [
        (added(before.stages.len(), after.stages.len()), "stage"),
        (added(before.departments.len(), after.departments.len()), "department"),
        (added(before.steps.len(), after.steps.len()), "step"),
        (added(before.flows.len(), after.flows.len()), "flow"),
        (changed_flows, "changed flow"),
        (added(agreements(before), agreements(after)), "agreement"),
        (added(before.pain_points.len(), after.pain_points.len()), "pain point"),
        (added(before.charter.len(), after.charter.len()), "charter promise"),
        (added(before.commitments.len(), after.commitments.len()), "commitment"),
    ];
    let said: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if said.is_empty() { "nothing new".to_owned() } else { said.join(", ") }
}
