//! Taking back one editor's change after others changed the map too.
//!
//! A patch records a change as runs of lists and whole fields, so reverting
//! it positionally fails as soon as anyone touched the same list: a second
//! participant added, a step scored next to the one renamed. The change is
//! then re-based as a three-way merge of the map's interchange JSON:
//! `base` is the map right after the change, `ours` the map it should
//! become (right before the change, for an undo), `theirs` the map as it is
//! now. Where only one side differs from `base`, that side wins; where both
//! differ the same way, fine; anything else is a conflict and nothing is
//! merged. Lists are merged item by item, matched by their `id` (or, for
//! items without one, by the whole item), keeping `theirs`' order and
//! putting what only `ours` has after the item it follows there.

use std::collections::HashMap;

use serde_json::Value;

use crate::model::Map;

/// `theirs` with the change from `base` to `ours` made on it, or `None`
/// when that change and theirs touch the same thing differently.
#[must_use]
pub fn three_way(base: &Map, ours: &Map, theirs: &Map) -> Option<Map> {
    let json = |m: &Map| serde_json::to_value(m).ok();
    let merged = merge(&json(base)?, &json(ours)?, &json(theirs)?)?;
    serde_json::from_value(merged).ok()
}

fn merge(base: &Value, ours: &Value, theirs: &Value) -> Option<Value> {
    if ours == base || ours == theirs {
        return Some(theirs.clone());
    }
    if theirs == base {
        return Some(ours.clone());
    }
    match (base, ours, theirs) {
        (Value::Object(b), Value::Object(o), Value::Object(t)) => {
            let mut out = serde_json::Map::new();
            let keys = t.keys().chain(o.keys().filter(|k| !t.contains_key(*k)));
            for key in keys {
                if let Some(v) = merge_present(b.get(key), o.get(key), t.get(key))? {
                    out.insert(key.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        (Value::Array(b), Value::Array(o), Value::Array(t)) => merge_lists(b, o, t).map(Value::Array),
        _ => None,
    }
}

/// Merges one item or field that may be absent on some side; `Some(None)`
/// when the merge leaves it out.
fn merge_present(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> Option<Option<Value>> {
    if ours == base || ours == theirs {
        return Some(theirs.cloned());
    }
    if theirs == base {
        return Some(ours.cloned());
    }
    match (base, ours, theirs) {
        (Some(b), Some(o), Some(t)) => merge(b, o, t).map(Some),
        // Added on both sides, differently; or removed on one side and
        // changed on the other.
        _ => None,
    }
}

/// What an item of a list is matched by across the three sides.
fn key(item: &Value) -> String {
    match item.get("id").and_then(Value::as_str) {
        Some(id) => format!("id:{id}"),
        None => format!("value:{item}"),
    }
}

/// The keys of `list`, when no two items share one.
fn keys(list: &[Value]) -> Option<Vec<String>> {
    let keys: Vec<String> = list.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    (sorted.len() == keys.len()).then_some(keys)
}

fn merge_lists(base: &[Value], ours: &[Value], theirs: &[Value]) -> Option<Vec<Value>> {
    let (bk, ok, tk) = (keys(base)?, keys(ours)?, keys(theirs)?);
    let index = |keys: &[String]| -> HashMap<String, usize> { keys.iter().cloned().zip(0..).collect() };
    let (bi, oi, ti) = (index(&bk), index(&ok), index(&tk));
    // Theirs' items in their order, each merged (or left out).
    let mut out: Vec<(String, Value)> = Vec::with_capacity(theirs.len() + ours.len());
    for (k, t) in tk.iter().zip(theirs) {
        let (b, o) = (bi.get(k).map(|&i| &base[i]), oi.get(k).map(|&i| &ours[i]));
        if let Some(v) = merge_present(b, o, Some(t))? {
            out.push((k.clone(), v));
        }
    }
    // What only ours has (new on our side; or gone from theirs, which is a
    // conflict unless we did not change it), after the item it follows.
    for (i, (k, o)) in ok.iter().zip(ours).enumerate() {
        if ti.contains_key(k) {
            continue;
        }
        match bi.get(k).map(|&b| &base[b]) {
            // They removed it: fine only when we left it as it was.
            Some(b) if b == o => continue,
            Some(_) => return None,
            None => {}
        }
        let at = ok[..i].iter().rev().find_map(|prev| out.iter().position(|(x, _)| x == prev)).map_or(0, |p| p + 1);
        out.insert(at, (k.clone(), o.clone()));
    }
    // The order of the items all three share is theirs', unless only ours
    // changed it (an undone move); both changing it differently is a conflict.
    fn shared<'a>(keys: &'a [String], all: [&HashMap<String, usize>; 3]) -> Vec<&'a String> {
        keys.iter().filter(|k| all.iter().all(|m| m.contains_key(*k))).collect()
    }
    let all = [&bi, &oi, &ti];
    let (sb, so, st) = (shared(&bk, all), shared(&ok, all), shared(&tk, all));
    if so != sb {
        if st != sb && st != so {
            return None;
        }
        // The places of ours' items keep their slots and take ours' order.
        let slots: Vec<usize> = (0..out.len()).filter(|&s| oi.contains_key(&out[s].0)).collect();
        let mut moved: Vec<(String, Value)> = slots.iter().map(|&s| out[s].clone()).collect();
        moved.sort_by_key(|(k, _)| oi.get(k).copied());
        for (slot, item) in slots.into_iter().zip(moved) {
            out[slot] = item;
        }
    }
    Some(out.into_iter().map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{self, Edit};

    fn licence() -> Map {
        crate::interchange::read(crate::samples::LICENCE_RENEWAL.json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn apply(map: &Map, e: Edit) -> Map {
        edit::apply(map, &e).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn one_participant_taken_back_leaves_anothers_added_later() {
        let start = licence();
        let mine = apply(&start, Edit::AddParticipant { name: "Ann".into() });
        let now = apply(&mine, Edit::AddParticipant { name: "Bo".into() });
        let undone = three_way(&mine, &start, &now).unwrap_or_else(|| panic!("merges"));
        let names = &undone.workshop.participants;
        assert!(names.iter().any(|n| n == "Bo") && names.iter().all(|n| n != "Ann"), "{names:?}");
    }

    #[test]
    fn a_step_renamed_back_keeps_anothers_score_of_another_step_and_order() {
        let start = licence();
        let scored: Vec<usize> = (0..start.steps.len()).filter(|i| start.steps[*i].score.is_some()).collect();
        let (a, b) = (scored[0], scored[1]);
        let mut renamed = start.steps[a].clone();
        renamed.title = "Renamed".into();
        let mine = apply(&start, Edit::UpdateStep { step: renamed });
        let mut rescored = mine.steps[b].clone();
        rescored.score = Some(1.0);
        let now = apply(&mine, Edit::UpdateStep { step: rescored });
        let undone = three_way(&mine, &start, &now).unwrap_or_else(|| panic!("merges"));
        assert_eq!(undone.steps[a].title, start.steps[a].title);
        assert_eq!(undone.steps[b].score, Some(1.0));
        let ids = |m: &Map| m.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&undone), ids(&start));
    }

    #[test]
    fn a_move_taken_back_restores_the_order_and_keeps_anothers_rename() {
        let start = licence();
        let first = start.stages[0].id.clone();
        let mine = apply(&start, Edit::MoveStage { id: first.clone(), to: 2 });
        let other = mine.stages[1].id.clone();
        let now = apply(&mine, Edit::RenameStage { id: other, name: "Renamed by Bo".into() });
        let undone = three_way(&mine, &start, &now).unwrap_or_else(|| panic!("merges"));
        let ids = |m: &Map| m.stages.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&undone), ids(&start), "the move is taken back");
        assert!(undone.stages.iter().any(|s| s.name == "Renamed by Bo"), "the rename stays");
    }

    #[test]
    fn the_same_field_changed_by_both_is_a_conflict() {
        let start = licence();
        let mine = apply(&start, Edit::SetTitle { title: "Mine".into() });
        let now = apply(&mine, Edit::SetTitle { title: "Theirs".into() });
        assert!(three_way(&mine, &start, &now).is_none());
    }

    #[test]
    fn a_step_added_back_goes_where_it_stood() {
        let start = licence();
        // Deleting a step also drops its flows; the undo puts both back.
        let (at, mine) = (1..start.steps.len())
            .rev()
            .find_map(|i| edit::apply(&start, &Edit::DeleteStep { id: start.steps[i].id.clone() }).ok().map(|m| (i, m)))
            .unwrap_or_else(|| panic!("some step can be deleted"));
        let now = apply(&mine, Edit::AddParticipant { name: "Bo".into() });
        let undone = three_way(&mine, &start, &now).unwrap_or_else(|| panic!("merges"));
        assert_eq!(undone.steps[at].id, start.steps[at].id);
        assert_eq!(undone.flows, start.flows);
        assert!(undone.workshop.participants.iter().any(|p| p == "Bo"));
    }
}
