//! A drawing in pieces, so a window can replace only what an edit changed.
//!
//! A 10,000-step blueprint is about 14 MB of SVG and half a million elements.
//! Replacing all of it after every edit took a webview over ten seconds, most
//! of it inserting the new elements, while a workshop edit (a score, a vote)
//! changes one card, the halos and the emotion curve. The renderer records
//! where each replaceable element lies: the top-level groups (curve, stage
//! columns, lanes, flows, halos, legend) and every step card. [`changes`]
//! compares two drawings piece by piece; everything outside the pieces (the
//! `<svg>` element with the size, the title, the markers, the group that holds
//! the cards) is the frame, and when it differs, or the pieces are not the
//! same list, the drawing has to be replaced whole.

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

/// The pieces of `new` whose markup differs from `old`'s, in drawing order;
/// `None` when `new` must replace `old` whole: its frame differs (another
/// size, title or drawing date) or its pieces are not the same list (a step
/// added, deleted or moved in the drawing order).
#[must_use]
pub fn changes<'a>(old: &Drawing, new: &'a Drawing) -> Option<Vec<&'a Piece>> {
    if old.pieces.len() != new.pieces.len()
        || old.pieces.iter().zip(&new.pieces).any(|(a, b)| a.part != b.part)
        || !old.frame().eq(new.frame())
    {
        return None;
    }
    Some(old.pieces.iter().zip(&new.pieces).filter(|(a, b)| old.markup(a) != new.markup(b)).map(|(_, b)| b).collect())
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

    #[test]
    fn a_score_changes_its_card_and_what_the_analysis_draws_and_nothing_else() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        let mut step = map.steps.iter().find(|s| s.id == "greet").unwrap().clone();
        step.score = Some(1.5);
        let next = apply(&map, &Edit::UpdateStep { step }).unwrap();
        let (old, new) = (draw(&map), draw(&next));
        let changed: Vec<&Part> = changes(&old, &new).unwrap().into_iter().map(|p| &p.part).collect();
        assert!(changed.contains(&&Part::Step("greet".into())), "{changed:?}");
        assert!(changed.contains(&&Part::Group("emotion-curve")), "the stage's score moves: {changed:?}");
        assert!(!changed.contains(&&Part::Group("flows")) && !changed.contains(&&Part::Group("lanes")), "{changed:?}");
        assert!(changed.len() < map.steps.len() / 2, "a few pieces, not the drawing: {changed:?}");
        // Putting the changed pieces into the old drawing gives the new one.
        let mut patched = String::new();
        let mut at = 0;
        for (a, b) in old.pieces.iter().zip(&new.pieces) {
            patched.push_str(&old.svg[at..a.range.start]);
            patched.push_str(new.markup(b));
            at = a.range.end;
        }
        patched.push_str(&old.svg[at..]);
        assert_eq!(patched, new.svg);
    }

    #[test]
    fn the_same_map_changes_nothing_and_another_layout_needs_a_whole_drawing() {
        let map = interchange::read(LICENCE_RENEWAL.json).unwrap();
        assert_eq!(changes(&draw(&map), &draw(&map)).map(|c| c.len()), Some(0));
        let added = apply(&map, &Edit::DeleteStep { id: "greet".into() }).unwrap();
        assert!(changes(&draw(&map), &draw(&added)).is_none(), "a step fewer");
        let retitled = apply(&map, &Edit::SetTitle { title: "Another title".into() }).unwrap();
        assert!(changes(&draw(&map), &draw(&retitled)).is_none(), "the title is in the frame");
    }
}
