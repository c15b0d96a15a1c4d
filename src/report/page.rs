//! A report page as a list of blocks, each with the part it plays in the
//! document: a heading, a paragraph, a table, a figure, or decoration.
//!
//! Pages are drawn by the core in points, with text measured by the embedded
//! font, like the map. Keeping the role of every block lets the PDF writer
//! give the document its structure (a screen reader reads the brief's
//! headings and paragraphs and the tables' rows in order) instead of one
//! figure per page, and write text straight into the PDF rather than through
//! an SVG parser. Figures (the map, the trend, the overview) stay drawings
//! made by the core's renderer.

use crate::fonts::{self, Weight};
use crate::layout::{Rect, wrap_in};

/// Ink colours shared by the report pages.
pub mod ink {
    /// Body text.
    pub const TEXT: &str = "#1f2933";
    /// Secondary text.
    pub const MUTED: &str = "#5f6b7a";
    /// Rules and grid lines.
    pub const RULE: &str = "#d9dee5";
    /// Bad news.
    pub const POOR: &str = "#c62828";
    /// Pain points and votes.
    pub const PAIN: &str = "#d9480f";
    /// Text on a coloured badge.
    pub const WHITE: &str = "#ffffff";
}

/// Where a line of text hangs from its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// x is the left end.
    Start,
    /// x is the right end.
    End,
    /// x is the middle.
    Middle,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Anchor point, points from the left.
    pub x: f64,
    /// Baseline, points from the top.
    pub y: f64,
    /// Font size in points.
    pub size: f64,
    /// Regular or bold.
    pub weight: Weight,
    /// `#rrggbb`.
    pub color: &'static str,
    /// Where it hangs from x.
    pub anchor: Anchor,
    /// The text.
    pub text: String,
}

impl Run {
    /// Its width, measured with the embedded font.
    #[must_use]
    pub fn width(&self) -> f64 {
        fonts::text_width(&self.text, self.size, self.weight)
    }

    /// The x of its left end.
    #[must_use]
    pub fn left(&self) -> f64 {
        match self.anchor {
            Anchor::Start => self.x,
            Anchor::End => self.x - self.width(),
            Anchor::Middle => self.x - self.width() / 2.0,
        }
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text.
    Text(Run),
    /// A filled, optionally rounded rectangle.
    Rect {
        /// The box, points.
        rect: Rect,
        /// `#rrggbb`.
        fill: &'static str,
        /// Corner radius.
        radius: f64,
    },
    /// A thin horizontal rule.
    Rule {
        /// Left end.
        x1: f64,
        /// Right end.
        x2: f64,
        /// Height.
        y: f64,
    },
    /// A drawing made elsewhere in the core (SVG), placed in a box.
    Drawing {
        /// Where it goes, points.
        rect: Rect,
        /// The SVG document.
        svg: String,
    },
    /// A region of the report's one map drawing, which the PDF holds once
    /// however many pages show parts of it.
    Map {
        /// Where it goes on the page, points.
        dest: Rect,
        /// The region of the drawing, drawing units.
        src: Rect,
    },
}

/// The part a block plays in the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// A heading of this level (1 is the page's title).
    Heading(u16),
    /// Running text.
    Paragraph,
    /// A picture, with its text alternative.
    Figure(String),
    /// Decoration a reader skips: rules, backgrounds.
    Artifact,
}

/// A run of items with one role.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Its role.
    pub role: Role,
    /// What it draws.
    pub items: Vec<Item>,
}

/// A table row's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Column headers.
    Header,
    /// A heading over the rows that follow, spanning the table.
    Group,
    /// Data.
    Body,
}

/// A row of a table: its cells, each the items drawn in it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Its part.
    pub kind: RowKind,
    /// Its cells.
    pub cells: Vec<Vec<Item>>,
}

/// Something on a page, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A heading, paragraph, figure or decoration.
    Block(Block),
    /// A table (or the part of one on this page).
    Table(Vec<TableRow>),
}

/// A page of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// The sections that start on it, for the outline: title and height.
    pub bookmarks: Vec<(String, f64)>,
    /// What is on it, in reading order.
    pub nodes: Vec<Node>,
}

impl Page {
    /// A blank page.
    #[must_use]
    pub fn new(width: f64, height: f64) -> Self {
        Self { width, height, bookmarks: Vec::new(), nodes: Vec::new() }
    }

    /// Adds a block.
    pub fn block(&mut self, role: Role, items: Vec<Item>) {
        if !items.is_empty() {
            self.nodes.push(Node::Block(Block { role, items }));
        }
    }

    /// A heading of one line, cut to `max_width`.
    #[allow(clippy::too_many_arguments, reason = "a text run has this many properties")]
    pub fn heading(&mut self, level: u16, x: f64, y: f64, size: f64, max_width: f64, content: &str) {
        self.block(Role::Heading(level), vec![line(x, y, size, Weight::Bold, ink::TEXT, max_width, content)]);
    }

    /// A paragraph of one line, cut to `max_width`.
    #[allow(clippy::too_many_arguments, reason = "a text run has this many properties")]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        weight: Weight,
        color: &'static str,
        max_width: f64,
        content: &str,
    ) {
        self.block(Role::Paragraph, vec![line(x, y, size, weight, color, max_width, content)]);
    }

    /// A wrapped paragraph of at most `max_lines` lines; returns the height used.
    #[allow(clippy::too_many_arguments, reason = "a text block has this many properties")]
    pub fn paragraph(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        weight: Weight,
        color: &'static str,
        max_width: f64,
        max_lines: usize,
        content: &str,
    ) -> f64 {
        let (items, used) = lines(x, y, size, weight, color, max_width, max_lines, content);
        self.block(Role::Paragraph, items);
        used
    }

    /// A horizontal rule.
    pub fn rule(&mut self, x1: f64, x2: f64, y: f64) {
        self.block(Role::Artifact, vec![Item::Rule { x1, x2, y }]);
    }

    /// Whether nothing is on it yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// One line of text, cut with an ellipsis to `max_width`.
#[must_use]
pub fn line(x: f64, y: f64, size: f64, weight: Weight, color: &'static str, max_width: f64, content: &str) -> Item {
    let text = wrap_in(content, max_width, size, 1, weight).join("");
    Item::Text(Run { x, y, size, weight, color, anchor: Anchor::Start, text })
}

/// Text ending at `x` (numbers in table columns).
#[must_use]
pub fn right(x: f64, y: f64, size: f64, weight: Weight, color: &'static str, content: &str) -> Item {
    Item::Text(Run { x, y, size, weight, color, anchor: Anchor::End, text: content.to_owned() })
}

/// Wrapped lines of at most `max_lines`, and the height they take.
#[allow(clippy::too_many_arguments, reason = "a text block has this many properties")]
#[must_use]
pub fn lines(
    x: f64,
    y: f64,
    size: f64,
    weight: Weight,
    color: &'static str,
    max_width: f64,
    max_lines: usize,
    content: &str,
) -> (Vec<Item>, f64) {
    let wrapped = wrap_in(content, max_width, size, max_lines, weight);
    let leading = size * 1.3;
    #[allow(clippy::cast_precision_loss, reason = "few lines")]
    let items = wrapped
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            Item::Text(Run { x, y: y + i as f64 * leading, size, weight, color, anchor: Anchor::Start, text })
        })
        .collect::<Vec<_>>();
    #[allow(clippy::cast_precision_loss, reason = "few lines")]
    let used = items.len() as f64 * leading;
    (items, used)
}
