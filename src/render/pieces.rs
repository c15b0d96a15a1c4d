//! A drawing in pieces, so a window can replace only what an edit changed.
//!
//! A 10,000-step blueprint is about 14 MB of SVG and half a million elements.
//! Replacing all of it after every edit took a webview over ten seconds, most
//! of it inserting the new elements, while a workshop edit (a score, a vote)
//! changes one card, some halos and rank badges and the emotion curve. The
//! renderer records where each replaceable element lies: the top-level groups
//! (curve, stage columns, lanes, legend) and, in the sets that hold one
//! element per step, every step's element: its card, its weak-spot halo and
//! its rank badge; in the sets of one element per flow, each connector and
//! its label (a window showing part of a large map takes in only those that
//! come into view). [`changes`] compares two drawings piece by piece: groups
//! replaced, items replaced, inserted or removed. Everything outside the
//! pieces (the `<svg>` element with the size, the title, the markers, the
//! groups that hold the sets) is the frame; when it differs, or the items
//! both drawings have are not in the same order, the drawing has to be
//! replaced whole.
//!
//! What a webview repaints is what an edit invalidates: replacing a group
//! that spans the drawing repaints all of it (on a 1,000-step map under
//! software rendering, about a second), while replacing a few hundred small
//! badges repaints only them. So what changes together with the ranking (the
//! halos, the badges) is kept out of the cards, one element per step.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Drawing;

/// What a piece of the drawing is, so a window can find the element it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// A top-level group of the drawing, by its `class`: `emotion-curve`,
    /// `stages`, `lanes` or `legend`.
    Group(&'static str),
    /// An element in a set of one element per step or per flow: a top-level
    /// group of class `set` whose children each carry their key, a step's
    /// id as `data-step` (`halos`, `cards`, `ranks`) or a flow's place in
    /// the map's flows as `data-flow` (`flows`, `flow-labels`).
    Item {
        /// The class of the group that holds it.
        set: &'static str,
        /// Its key: the step's id, or the flow's place.
        step: String,
    },
}

impl Part {
    /// A step's card.
    #[must_use]
    pub fn card(step: &str) -> Self {
        Part::Item { set: "cards", step: step.to_owned() }
    }

    /// The set this part belongs to, when it is an item.
    #[must_use]
    pub fn set(&self) -> Option<&'static str> {
        self.item().map(|(set, _)| set)
    }

    /// Its set and step, when it is an item.
    #[must_use]
    pub fn item(&self) -> Option<(&'static str, &str)> {
        match self {
            Part::Group(_) => None,
            Part::Item { set, step } => Some((set, step)),
        }
    }
}

/// One replaceable element: what it is and where its markup lies in the SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// What it is.
    pub part: Part,
    /// Its bytes in [`Drawing::svg`]: exactly one element.
    pub range: Range<usize>,
}

impl Drawing {
    /// The markup of `piece`.
    #[must_use]
    pub fn markup(&self, piece: &Piece) -> &str {
        self.svg.get(piece.range.clone()).unwrap_or_default()
    }

    /// The drawing as `parts` SVG documents of about equal size that, painted
    /// one over the other in order, make the whole: each holds the same
    /// `<svg>` element and definitions and a consecutive run of pieces (the
    /// first also the background and the title). A PDF writer parses them on
    /// separate cores; the wrappers left out (the group around the cards)
    /// carry nothing that draws.
    #[must_use]
    pub fn split(&self, parts: usize) -> Vec<String> {
        let svg = &self.svg;
        let (Some(first), Some(open_end)) = (self.pieces.first(), svg.find('>')) else {
            return vec![svg.clone()];
        };
        let open = &svg[..=open_end];
        let defs = match (svg.find("<defs>"), svg.find("</defs>")) {
            (Some(a), Some(b)) if a < b => &svg[a..b + "</defs>".len()],
            _ => "",
        };
        let head = svg.get(open_end + 1..first.range.start).unwrap_or_default();
        let total: usize = self.pieces.iter().map(|p| p.range.len()).sum();
        let target = total.div_ceil(parts.max(1)).max(1);
        let mut docs = Vec::with_capacity(parts);
        let mut doc = format!("{open}{head}");
        let mut size = 0;
        for piece in &self.pieces {
            if size >= target {
                doc.push_str("</svg>");
                docs.push(std::mem::replace(&mut doc, format!("{open}{defs}")));
                size = 0;
            }
            doc.push_str(self.markup(piece));
            size += piece.range.len();
        }
        doc.push_str("</svg>");
        docs.push(doc);
        docs
    }

    /// The SVG outside the pieces, in order.
    fn frame(&self) -> impl Iterator<Item = &str> {
        let mut at = 0;
        self.pieces.iter().map(|p| p.range.clone()).chain(std::iter::once(self.svg.len()..self.svg.len())).map(
            move |r| {
                let between = self.svg.get(at..r.start).unwrap_or_default();
                at = r.end;
                between
            },
        )
    }
}

/// One difference between two drawings, for a window to apply in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// The element of this piece has new markup.
    Replace(&'a Piece),
    /// An item that was not drawn before, placed right after the item
    /// `after` of its set (first in its set when `None`; `after` is either
    /// an old item or one inserted by an earlier change of the list).
    Insert {
        /// The new item.
        piece: &'a Piece,
        /// The item it follows.
        after: Option<&'a Part>,
    },
    /// An item no longer drawn.
    Remove(&'a Part),
}

/// What changed from `old` to `new`: items removed first, then replaced
/// groups and items and inserted items in drawing order. `None` when `new`
/// must replace `old` whole: its frame differs (another size, title or
/// drawing date), or the items that are in both are not in the same order.
#[must_use]
pub fn changes<'a>(old: &'a Drawing, new: &'a Drawing) -> Option<Vec<Change<'a>>> {
    let groups = |d: &'a Drawing| d.pieces.iter().filter(|p| matches!(p.part, Part::Group(_)));
    let items = |d: &'a Drawing| d.pieces.iter().filter(|p| matches!(p.part, Part::Item { .. }));
    // An item more or fewer moves where the frame is cut, not what it says:
    // the frame is compared as one text.
    let frame = |d: &'a Drawing| d.frame().flat_map(str::bytes);
    if !groups(old).map(|p| &p.part).eq(groups(new).map(|p| &p.part)) || !frame(old).eq(frame(new)) {
        return None;
    }
    let old_items: HashMap<&Part, &Piece> = items(old).map(|p| (&p.part, p)).collect();
    let new_items: HashSet<&Part> = items(new).map(|p| &p.part).collect();
    let kept_in_old = items(old).map(|p| &p.part).filter(|k| new_items.contains(k));
    let kept_in_new = items(new).map(|p| &p.part).filter(|k| old_items.contains_key(k));
    if !kept_in_old.eq(kept_in_new) {
        return None;
    }
    let mut out: Vec<Change<'a>> =
        items(old).filter(|p| !new_items.contains(&p.part)).map(|p| Change::Remove(&p.part)).collect();
    let mut after: Option<&Part> = None;
    for piece in &new.pieces {
        let before = match &piece.part {
            Part::Group(_) => groups(old).find(|p| p.part == piece.part),
            Part::Item { .. } => old_items.get(&piece.part).copied(),
        };
        // Items follow the item before them in their own set.
        if after.and_then(Part::set) != piece.part.set() {
            after = None;
        }
        match before {
            Some(b) if old.markup(b) == new.markup(piece) => {}
            Some(_) => out.push(Change::Replace(piece)),
            None => out.push(Change::Insert { piece, after }),
        }
        if piece.part.set().is_some() {
            after = Some(&piece.part);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, apply};
    use crate::interchange;
    use crate::render::{DrawOptions, blueprint};
    use crate::samples::LICENCE_RENEWAL;

    fn draw(map: &crate::Map) -> Drawing {
        blueprint(map, crate::analysis::analyze(map).ok().as_ref(), &DrawOptions::default())
    }

    #[test]
    fn the_pieces_are_whole_elements_that_cover_every_card() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let d = draw(&map);
        let steps: Vec<_> = d
            .pieces
            .iter()
            .filter_map(|p| if let Part::Item { set: "cards", step } = &p.part { Some(step) } else { None })
            .collect();
        assert_eq!(steps.len(), map.steps.len());
        for piece in &d.pieces {
            let markup = d.markup(piece);
            assert!(markup.starts_with('<') && markup.ends_with('>'), "{:?}: {markup:.60}", piece.part);
            // One element: it parses alone, and is one node under a wrapper.
            let wrapped = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{markup}</svg>");
            let doc = roxmltree::Document::parse(&wrapped).unwrap();
            assert_eq!(doc.root_element().children().count(), 1, "{:?}", piece.part);
            match &piece.part {
                Part::Group(class) => assert!(markup.starts_with(&format!("<g class=\"{class}\""))),
                Part::Item { set: "flows" | "flow-labels", step } => {
                    assert!(markup.contains(&format!("data-flow=\"{step}\"")), "{markup:.80}");
                }
                Part::Item { step, .. } => assert!(markup.contains(&format!("data-step=\"{step}\"")), "{markup:.80}"),
            }
        }
        assert!(d.pieces.windows(2).all(|w| w[0].range.end <= w[1].range.start), "in order, not overlapping");
    }

    /// `old`'s pieces with `changes` applied, as (part, markup) in drawing order.
    fn patched<'a>(old: &'a Drawing, changes: &[Change<'a>], new: &'a Drawing) -> Vec<(Part, &'a str)> {
        let mut list: Vec<(Part, &str)> = old.pieces.iter().map(|p| (p.part.clone(), old.markup(p))).collect();
        for change in changes {
            match *change {
                Change::Remove(part) => list.retain(|(p, _)| p != part),
                Change::Replace(piece) => {
                    let at = list.iter().position(|(p, _)| *p == piece.part).unwrap();
                    list[at].1 = new.markup(piece);
                }
                Change::Insert { piece, after } => {
                    // First of its set: before the set's first item, or where
                    // the new drawing has it when the set was empty.
                    let place = |part: &Part| new.pieces.iter().position(|p| p.part == *part);
                    let at = match after {
                        Some(a) => list.iter().position(|(p, _)| p == a).unwrap() + 1,
                        None => list.iter().position(|(p, _)| p.set() == piece.part.set()).unwrap_or_else(|| {
                            list.iter().position(|(p, _)| place(p) > place(&piece.part)).unwrap_or(list.len())
                        }),
                    };
                    list.insert(at, (piece.part.clone(), new.markup(piece)));
                }
            }
        }
        list
    }

    fn whole(d: &Drawing) -> Vec<(Part, &str)> {
        d.pieces.iter().map(|p| (p.part.clone(), d.markup(p))).collect()
    }

    fn replaced<'a>(changes: &[Change<'a>]) -> Vec<&'a Part> {
        changes.iter().filter_map(|c| if let Change::Replace(p) = c { Some(&p.part) } else { None }).collect()
    }

    #[test]
    fn a_score_changes_its_card_and_what_the_analysis_draws_and_no_other_card() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let mut step = map.steps.iter().find(|s| s.id == "greet").unwrap().clone();
        step.score = Some(1.5);
        let next = apply(&map, &Edit::UpdateStep { step }).unwrap();
        let (old, new) = (draw(&map), draw(&next));
        let diff = changes(&old, &new).unwrap();
        let changed = replaced(&diff);
        // The step becomes a weak spot: its halo and rank badge are new, the
        // weak spots ranked below it get new badges, and no other card changes.
        let inserted: Vec<_> = diff
            .iter()
            .filter_map(|c| if let Change::Insert { piece, .. } = c { Some(&piece.part) } else { None })
            .collect();
        let item = |set, step: &str| Part::Item { set, step: step.to_owned() };
        assert_eq!(inserted, [&item("halos", "greet"), &item("ranks", "greet")], "{diff:?}");
        assert_eq!(changed.len() + inserted.len(), diff.len(), "nothing removed: {diff:?}");
        let cards: Vec<_> = changed.iter().filter(|p| p.set() == Some("cards")).collect();
        assert_eq!(cards, [&&Part::card("greet")], "{changed:?}");
        assert!(changed.iter().any(|p| p.set() == Some("ranks")), "re-ranked badges: {changed:?}");
        let groups: Vec<_> = changed.iter().filter(|p| p.set().is_none()).collect();
        assert_eq!(groups, [&&Part::Group("emotion-curve")], "the stage's score moves, no other group: {changed:?}");
        assert_eq!(patched(&old, &diff, &new), whole(&new));
    }

    #[test]
    fn a_step_added_or_deleted_is_a_card_inserted_or_removed() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let mut step = map.steps.iter().find(|s| s.id == "greet").unwrap().clone();
        step.id = "greet_again".into();
        step.ratings.clear();
        step.entry_share = None;
        let added = apply(&map, &Edit::AddStep { step }).unwrap();
        let (old, new) = (draw(&map), draw(&added));
        let diff = changes(&old, &new).unwrap();
        assert!(
            diff.iter().any(|c| matches!(c, Change::Insert { piece, .. } if piece.part == Part::card("greet_again"))),
            "{diff:?}"
        );
        assert_eq!(patched(&old, &diff, &new), whole(&new));

        // And deleted again: the map's own drawing, the card removed.
        let deleted = apply(&added, &Edit::DeleteStep { id: "greet_again".into() }).unwrap();
        assert_eq!(deleted, map);
        let (old, new) = (new, draw(&deleted));
        let diff = changes(&old, &new).unwrap();
        assert!(diff.contains(&Change::Remove(&Part::card("greet_again"))), "{diff:?}");
        assert_eq!(patched(&old, &diff, &new), whole(&new));
    }

    #[test]
    fn the_same_map_changes_nothing_and_another_frame_needs_a_whole_drawing() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        assert_eq!(changes(&draw(&map), &draw(&map)).map(|c| c.len()), Some(0));
        let retitled = apply(&map, &Edit::SetTitle { title: "Another title".into() }).unwrap();
        assert!(changes(&draw(&map), &draw(&retitled)).is_none(), "the title is in the frame");
        let dated = blueprint(&map, None, &DrawOptions { date: Some("2026-11-22".into()), ..DrawOptions::default() });
        assert!(changes(&draw(&map), &dated).is_none(), "so is the date");
    }

    #[test]
    fn another_area_of_a_large_map_is_the_cards_and_connectors_that_come_and_go() {
        let map = crate::synthetic::layered(800, 3);
        let analysis = crate::analysis::analyze(&map).ok();
        let all = draw(&map);
        let at = |x: f64, y: f64| {
            let viewport = Some(crate::layout::Rect { x, y, w: 3_000.0, h: 2_000.0 });
            blueprint(&map, analysis.as_ref(), &DrawOptions { viewport, ..DrawOptions::default() })
        };
        let cards = |d: &Drawing| d.pieces.iter().filter(|p| p.part.set() == Some("cards")).count();
        let corner = at(0.0, 0.0);
        assert!(cards(&corner) > 0 && cards(&corner) < cards(&all) / 4, "{} of {}", cards(&corner), cards(&all));
        // The far corner, then an area overlapping it: cards and connectors
        // removed and inserted, the frame the same.
        for (old, new) in
            [(corner, at(all.width - 3_000.0, all.height - 2_000.0)), (at(1_000.0, 500.0), at(2_500.0, 1_500.0))]
        {
            let diff = changes(&old, &new).expect("the same frame");
            assert!(diff.iter().any(|c| matches!(c, Change::Remove(_))), "{diff:?}");
            assert!(diff.iter().any(|c| matches!(c, Change::Insert { .. })), "{diff:?}");
            let connectors =
                |set| diff.iter().any(|c| matches!(c, Change::Insert { piece, .. } if piece.part.set() == Some(set)));
            assert!(connectors("flows") && connectors("flow-labels"), "connectors and labels come: {diff:?}");
            assert_eq!(patched(&old, &diff, &new), whole(&new));
        }
    }

    #[test]
    fn cards_in_another_order_need_a_whole_drawing() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let d = draw(&map);
        let mut swapped = d.clone();
        let cards: Vec<usize> = swapped
            .pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.part, Part::Item { set: "cards", .. }))
            .map(|(i, _)| i)
            .collect();
        let (a, b) = (cards[0], cards[1]);
        let (pa, pb) = (swapped.pieces[a].part.clone(), swapped.pieces[b].part.clone());
        swapped.pieces[a].part = pb;
        swapped.pieces[b].part = pa;
        assert!(changes(&d, &swapped).is_none());
    }
}
