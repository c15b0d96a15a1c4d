//! A drawing in pieces, so a window can replace only what an edit changed.
//!
//! A 10,000-step blueprint is about 14 MB of SVG and half a million elements.
//! Replacing all of it after every edit took a webview over ten seconds, most
//! of it inserting the new elements, while a workshop edit (a score, a vote)
//! changes one card, the halos and the emotion curve. The renderer records
//! where each replaceable element lies: the top-level groups (curve, stage
//! columns, lanes, flows, halos, legend) and every step card. [`changes`]
//! compares two drawings piece by piece: groups replaced, cards replaced,
//! inserted or removed. Everything outside the pieces (the `<svg>` element
//! with the size, the title, the markers, the group that holds the cards) is
//! the frame; when it differs, or the cards in both drawings are not in the
//! same order, the drawing has to be replaced whole.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Drawing;

/// What a piece of the drawing is, so a window can find the element it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// A top-level group of the drawing, by its `class`: `emotion-curve`,
    /// `stages`, `lanes`, `flows`, `halos` or `legend`.
    Group(&'static str),
    /// The card of the step with this id (`<g class="step-card" data-step="…">`).
    Step(String),
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
    /// A card that was not drawn before, placed right after the card of
    /// `after` (first among the cards when `None`; `after` is either an old
    /// card or one inserted by an earlier change of the list).
    Insert {
        /// The new card.
        piece: &'a Piece,
        /// The card it follows.
        after: Option<&'a Part>,
    },
    /// A card no longer drawn.
    Remove(&'a Part),
}

/// What changed from `old` to `new`: cards removed first, then replaced
/// groups and cards and inserted cards in drawing order. `None` when `new`
/// must replace `old` whole: its frame differs (another size, title or
/// drawing date), or the cards that are in both are not in the same order.
#[must_use]
pub fn changes<'a>(old: &'a Drawing, new: &'a Drawing) -> Option<Vec<Change<'a>>> {
    let groups = |d: &'a Drawing| d.pieces.iter().filter(|p| matches!(p.part, Part::Group(_)));
    let steps = |d: &'a Drawing| d.pieces.iter().filter(|p| matches!(p.part, Part::Step(_)));
    // Cards sit next to each other, so a card more or fewer leaves an empty
    // stretch of frame more or fewer; only what lies between matters.
    let frame = |d: &'a Drawing| d.frame().filter(|f| !f.is_empty());
    if !groups(old).map(|p| &p.part).eq(groups(new).map(|p| &p.part)) || !frame(old).eq(frame(new)) {
        return None;
    }
    let old_cards: HashMap<&Part, &Piece> = steps(old).map(|p| (&p.part, p)).collect();
    let new_cards: HashSet<&Part> = steps(new).map(|p| &p.part).collect();
    let kept_in_old = steps(old).map(|p| &p.part).filter(|k| new_cards.contains(k));
    let kept_in_new = steps(new).map(|p| &p.part).filter(|k| old_cards.contains_key(k));
    if !kept_in_old.eq(kept_in_new) {
        return None;
    }
    let mut out: Vec<Change<'a>> =
        steps(old).filter(|p| !new_cards.contains(&p.part)).map(|p| Change::Remove(&p.part)).collect();
    let mut after = None;
    for piece in &new.pieces {
        let before = match &piece.part {
            Part::Group(_) => groups(old).find(|p| p.part == piece.part),
            Part::Step(_) => old_cards.get(&piece.part).copied(),
        };
        match before {
            Some(b) if old.markup(b) == new.markup(piece) => {}
            Some(_) => out.push(Change::Replace(piece)),
            None => out.push(Change::Insert { piece, after }),
        }
        if matches!(piece.part, Part::Step(_)) {
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
        let steps: Vec<_> =
            d.pieces.iter().filter_map(|p| if let Part::Step(id) = &p.part { Some(id) } else { None }).collect();
        assert_eq!(steps.len(), map.steps.len());
        for piece in &d.pieces {
            let markup = d.markup(piece);
            assert!(markup.starts_with("<g class=\"") && markup.ends_with("</g>"), "{:?}: {markup:.60}", piece.part);
            // One element: it parses alone, and is one node under a wrapper.
            let wrapped = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{markup}</svg>");
            let doc = roxmltree::Document::parse(&wrapped).unwrap();
            assert_eq!(doc.root_element().children().count(), 1, "{:?}", piece.part);
            match &piece.part {
                Part::Group(class) => assert!(markup.starts_with(&format!("<g class=\"{class}\""))),
                Part::Step(id) => assert!(markup.contains(&format!("data-step=\"{id}\"")), "{markup:.80}"),
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
                    let at = match after {
                        Some(a) => list.iter().position(|(p, _)| p == a).unwrap() + 1,
                        None => list.iter().position(|(p, _)| *p == Part::Group("halos")).unwrap() + 1,
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
    fn a_score_changes_its_card_and_what_the_analysis_draws_and_nothing_else() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let mut step = map.steps.iter().find(|s| s.id == "greet").unwrap().clone();
        step.score = Some(1.5);
        let next = apply(&map, &Edit::UpdateStep { step }).unwrap();
        let (old, new) = (draw(&map), draw(&next));
        let diff = changes(&old, &new).unwrap();
        let changed = replaced(&diff);
        assert_eq!(changed.len(), diff.len(), "only replacements: {diff:?}");
        assert!(changed.contains(&&Part::Step("greet".into())), "{changed:?}");
        assert!(changed.contains(&&Part::Group("emotion-curve")), "the stage's score moves: {changed:?}");
        assert!(!changed.contains(&&Part::Group("flows")) && !changed.contains(&&Part::Group("lanes")), "{changed:?}");
        assert!(changed.len() < map.steps.len() / 2, "a few pieces, not the drawing: {changed:?}");
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
            diff.iter()
                .any(|c| matches!(c, Change::Insert { piece, .. } if piece.part == Part::Step("greet_again".into()))),
            "{diff:?}"
        );
        assert_eq!(patched(&old, &diff, &new), whole(&new));

        // And deleted again: the map's own drawing, the card removed.
        let deleted = apply(&added, &Edit::DeleteStep { id: "greet_again".into() }).unwrap();
        assert_eq!(deleted, map);
        let (old, new) = (new, draw(&deleted));
        let diff = changes(&old, &new).unwrap();
        assert!(diff.contains(&Change::Remove(&Part::Step("greet_again".into()))), "{diff:?}");
        assert_eq!(patched(&old, &diff, &new), whole(&new));
    }

    #[test]
    fn the_same_map_changes_nothing_and_another_frame_needs_a_whole_drawing() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        assert_eq!(changes(&draw(&map), &draw(&map)).map(|c| c.len()), Some(0));
        let retitled = apply(&map, &Edit::SetTitle { title: "Another title".into() }).unwrap();
        assert!(changes(&draw(&map), &draw(&retitled)).is_none(), "the title is in the frame");
        let dated = blueprint(&map, None, &DrawOptions { date: Some("2026-11-22".into()), viewport: None });
        assert!(changes(&draw(&map), &dated).is_none(), "so is the date");
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
            .filter(|(_, p)| matches!(p.part, Part::Step(_)))
            .map(|(i, _)| i)
            .collect();
        let (a, b) = (cards[0], cards[1]);
        let (pa, pb) = (swapped.pieces[a].part.clone(), swapped.pieces[b].part.clone());
        swapped.pieces[a].part = pb;
        swapped.pieces[b].part = pa;
        assert!(changes(&d, &swapped).is_none());
    }
}
