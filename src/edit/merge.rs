//! Adding one map to another: a JSON document's flows, agreements and pain
//! points onto a map typed up from a spreadsheet, say, without exporting and
//! importing again. Everything the document holds is matched by id (flows by
//! the steps they join and their kind): what is new is added, what is the
//! same is left alone, a flow already there takes the document's share and
//! agreement, and anything else named twice but different is refused by
//! name, so nothing is silently overwritten. The map-wide settings the
//! document carries (a weight, the review cadence, the customers a month,
//! the dot budget: [`MapField`]) replace the map's, and the summary names
//! each one that changed; those it leaves out stay the map's own. The
//! document's title and description name the document: the map keeps its
//! own. Participants are joined.

use super::{EditError, MapField};
use crate::model::Map;

/// Adds the items of `addition` to `map`, item lists in order, and takes the
/// map-wide `fields` the document carries.
pub(super) fn merge(map: &mut Map, addition: &Map, fields: &[MapField]) -> Result<(), EditError> {
    for field in fields {
        match field {
            MapField::EndWeight => map.settings.end_weight = addition.settings.end_weight,
            MapField::Negativity => map.settings.negativity = addition.settings.negativity,
            MapField::Standard => map.settings.standard = addition.settings.standard,
            MapField::AverageWeight => map.settings.average_weight = addition.settings.average_weight,
            MapField::ReviewEveryWeeks => map.review_every_weeks = addition.review_every_weeks,
            MapField::Volume => map.volume = addition.volume,
            MapField::DotBudget => map.workshop.dot_budget = addition.workshop.dot_budget,
        }
    }
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

/// The undo menu's name for a merge: what the document adds ("Add 24 steps,
/// 30 flows, customers a month from a document").
pub(super) fn label(addition: &Map, fields: &[MapField]) -> String {
    let lists = [
        (addition.stages.len(), "stage"),
        (addition.departments.len(), "department"),
        (addition.steps.len(), "step"),
        (addition.flows.len(), "flow"),
        (addition.pain_points.len(), "pain point"),
        (addition.charter.len(), "charter promise"),
        (addition.commitments.len(), "commitment"),
    ];
    let mut said: Vec<String> = lists.iter().filter(|(n, _)| *n > 0).map(|&(n, what)| counted(n, what)).collect();
    said.extend(fields.iter().map(|f| field_name(*f).to_owned()));
    if said.is_empty() { "Add a document that holds nothing".to_owned() } else { format!("Add {}", said.join(", ")) }
}

/// A map-wide field as a person calls it.
fn field_name(field: MapField) -> &'static str {
    match field {
        MapField::EndWeight => "the end weight",
        MapField::Negativity => "the negativity weight",
        MapField::Standard => "the service standard",
        MapField::AverageWeight => "the average weight",
        MapField::ReviewEveryWeeks => "the review cadence",
        MapField::Volume => "customers a month",
        MapField::DotBudget => "the dot budget",
    }
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The map-wide fields that differ between `before` and `after`, each with
/// its new value in words ("customers a month: 40000 (was unknown)").
fn changed_fields(before: &Map, after: &Map) -> Vec<String> {
    fn or_none<T: std::fmt::Display>(v: Option<T>, none: &str) -> String {
        v.map_or_else(|| none.to_owned(), |v| v.to_string())
    }
    let mut out = Vec::new();
    let mut said = |field: MapField, was: String, now: String| {
        if was != now {
            out.push(format!("{}: {now} (was {was})", field_name(field)));
        }
    };
    let (b, a) = (before.settings, after.settings);
    said(MapField::EndWeight, b.end_weight.to_string(), a.end_weight.to_string());
    said(MapField::Negativity, b.negativity.to_string(), a.negativity.to_string());
    said(MapField::Standard, b.standard.to_string(), a.standard.to_string());
    said(MapField::AverageWeight, b.average_weight.to_string(), a.average_weight.to_string());
    let weeks = |w: Option<u32>| or_none(w.map(|w| format!("every {w} weeks")), "none");
    said(MapField::ReviewEveryWeeks, weeks(before.review_every_weeks), weeks(after.review_every_weeks));
    said(MapField::Volume, or_none(before.volume, "unknown"), or_none(after.volume, "unknown"));
    let dots = |d: Option<u32>| or_none(d.map(|d| format!("{d} dots each")), "unlimited");
    said(MapField::DotBudget, dots(before.workshop.dot_budget), dots(after.workshop.dot_budget));
    out
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
    let mut said: Vec<String> = parts.iter().filter(|(n, _)| *n > 0).map(|&(n, what)| counted(n, what)).collect();
    let added = (before.workshop.participants.len(), after.workshop.participants.len());
    if added.1 > added.0 {
        said.push(counted(added.1 - added.0, "participant"));
    }
    said.extend(changed_fields(before, after));
    if said.is_empty() { "nothing new".to_owned() } else { said.join(", ") }
}
