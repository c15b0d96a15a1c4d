//! The findings at the back of the report, as tables that flow one after
//! another: a short table shares a page with the next under its own
//! heading, a long one continues on the next page with its heading and
//! column headers repeated, and a section with nothing to say is left out.
//! Headers and cells wrap within their columns, so no two ever overlap.

use crate::analysis::{Analysis, percent};
use crate::fonts::Weight;
use crate::model::{Index, Map, PainStatus};
use crate::report::page::{Item, Page, RowKind, TableRow, ink, lines, right};
use crate::report::{MARGIN, ReportOptions};

/// Body text of the tables.
const FONT: f64 = 9.0;
/// Column headers.
const HEAD_FONT: f64 = 8.5;
/// Lines a cell wraps to before an ellipsis: enough for a charter promise
/// or an owner's name in full (a row grows with its longest cell).
const CELL_LINES: usize = 12;
const LEADING: f64 = 11.5;
/// Space above a row's first baseline and below its last.
const PAD_TOP: f64 = 11.0;
const PAD_BOTTOM: f64 = 5.0;
/// A section's heading, and the space above it when it follows another.
const HEADING: f64 = 14.0;
const SECTION_GAP: f64 = 26.0;

/// A column: header, share of the table's width, right-aligned or not.
pub(super) struct Column(pub &'static str, pub f64, pub bool);

/// A row: plain cells, or a group heading spanning the table.
pub(super) enum Row {
    Cells(Vec<String>),
    Group(String),
}

/// A heading, a line under it, and a table.
pub(super) struct Section {
    pub title: String,
    pub intro: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// Cells written in capitals are bad news and printed in red.
fn is_alarm(cell: &str) -> bool {
    matches!(cell, "BREACHED" | "OVERDUE" | "CANNOT BE MET" | "MISSED IN PRACTICE")
}

/// Pages being filled, section after section.
pub(super) struct Flow {
    width: f64,
    height: f64,
    pages: Vec<Page>,
    page: Option<Page>,
    y: f64,
}

impl Flow {
    pub fn new(options: &ReportOptions) -> Self {
        let (width, height) = options.paper.size_pt();
        Self { width, height, pages: Vec::new(), page: None, y: MARGIN }
    }

    fn bottom(&self) -> f64 {
        self.height - MARGIN
    }

    fn new_page(&mut self) -> &mut Page {
        if let Some(done) = self.page.take() {
            self.pages.push(done);
        }
        self.y = MARGIN;
        self.page.insert(Page::new(self.width, self.height))
    }

    fn page(&mut self) -> &mut Page {
        if self.page.is_none() {
            self.new_page();
        }
        self.page.get_or_insert_with(|| Page::new(0.0, 0.0))
    }

    /// The column headers' row: wrapped to their columns, so they never overlap.
    fn header(&self, columns: &[Column], y: f64) -> (TableRow, f64) {
        let width = self.width - 2.0 * MARGIN;
        let mut x = MARGIN;
        let mut cells = Vec::with_capacity(columns.len());
        let mut tallest: f64 = 0.0;
        for Column(header, share, align_right) in columns {
            let cw = share * width;
            let (mut items, used) = lines(x, y, HEAD_FONT, Weight::Bold, ink::MUTED, cw - 8.0, 2, header);
            if *align_right {
                for item in &mut items {
                    if let Item::Text(run) = item {
                        *item = right(x + cw - 14.0, run.y, HEAD_FONT, Weight::Bold, ink::MUTED, &run.text);
                    }
                }
            }
            tallest = tallest.max(used);
            cells.push(items);
            x += cw;
        }
        (TableRow { kind: RowKind::Header, cells }, tallest)
    }

    /// A row's cells wrapped to their columns, and its height.
    fn cells(&self, columns: &[Column], row: &Row, y: f64) -> (TableRow, f64) {
        let width = self.width - 2.0 * MARGIN;
        match row {
            Row::Group(name) => {
                let (items, used) = lines(MARGIN, y + 2.0, FONT + 1.0, Weight::Bold, ink::TEXT, width, 2, name);
                (TableRow { kind: RowKind::Group, cells: vec![items] }, used + 2.0)
            }
            Row::Cells(values) => {
                let mut x = MARGIN;
                let mut cells = Vec::with_capacity(columns.len());
                let mut tallest: f64 = LEADING;
                for (Column(_, share, align_right), value) in columns.iter().zip(values) {
                    let cw = share * width;
                    let color = if is_alarm(value) { ink::POOR } else { ink::TEXT };
                    let items = if *align_right {
                        vec![right(x + cw - 14.0, y, FONT, Weight::Regular, color, value)]
                    } else {
                        let (items, used) = lines(x, y, FONT, Weight::Regular, color, cw - 8.0, CELL_LINES, value);
                        tallest = tallest.max(used);
                        items
                    };
                    cells.push(items);
                    x += cw;
                }
                (TableRow { kind: RowKind::Body, cells }, tallest)
            }
        }
    }

    /// The height a section takes when placed whole.
    fn height_of(&self, intro: Option<&str>, columns: &[Column], rows: &[Row]) -> f64 {
        let mut h = HEADING + 8.0;
        if let Some(text) = intro {
            let (_, used) = lines(0.0, 0.0, 9.5, Weight::Regular, ink::MUTED, self.width - 2.0 * MARGIN, 3, text);
            h += 10.0 + used - 4.0;
        }
        h += PAD_TOP + self.header(columns, 0.0).1 - LEADING + PAD_BOTTOM;
        for row in rows {
            h += PAD_TOP + self.cells(columns, row, 0.0).1 - LEADING + PAD_BOTTOM;
        }
        h.max(HEADING + 8.0 + PAD_TOP + PAD_BOTTOM)
    }

    /// Places a section: on this page when its heading, header and first
    /// row fit, else on a new one; rows that do not fit continue on the
    /// next page under the heading and header again.
    pub fn section(&mut self, section: Section) {
        let Section { title, intro, columns, rows } = section;
        let rows_list = rows;
        let mut rows = rows_list.iter().peekable();
        let mut first = true;
        loop {
            if self.page.is_some() && !self.page().is_empty() {
                self.y += SECTION_GAP;
            }
            // Room for the heading, the header and one row, or a new page;
            // and a short table (under two fifths of a page) is not split.
            let need = HEADING + 10.0 + 2.0 * LEADING + PAD_TOP + 3.0 * LEADING;
            let whole = if first { self.height_of(intro.as_deref(), &columns, &rows_list) } else { 0.0 };
            let fresh = self.bottom() - MARGIN;
            if self.page.is_none()
                || self.y + need > self.bottom()
                || (first && self.y + whole > self.bottom() && whole <= 0.4 * fresh)
            {
                self.new_page();
            }
            let heading = if first { title.clone() } else { format!("{title} (continued)") };
            let y0 = self.y + HEADING;
            let width = self.width - 2.0 * MARGIN;
            let page = self.page();
            page.heading(2, MARGIN, y0, HEADING, width, &heading);
            if first {
                page.bookmarks.push((title.clone(), (y0 - HEADING - 4.0).max(0.0)));
            }
            let mut y = y0 + 8.0;
            if let Some(text) = intro.as_deref().filter(|_| first) {
                y += 10.0;
                let used = page.paragraph(MARGIN, y, 9.5, Weight::Regular, ink::MUTED, width, 3, text);
                y += used - 4.0;
            }
            y += PAD_TOP;
            let (header, used) = self.header(&columns, y);
            y += used - LEADING + PAD_BOTTOM;
            let mut table = vec![header];
            let mut rules = vec![Item::Rule { x1: MARGIN, x2: self.width - MARGIN, y }];
            if rows.peek().is_none() {
                let (items, _) = lines(MARGIN, y + PAD_TOP, FONT, Weight::Regular, ink::MUTED, width, 1, "None.");
                table.push(TableRow { kind: RowKind::Body, cells: vec![items] });
                y += PAD_TOP + PAD_BOTTOM;
            }
            while let Some(row) = rows.peek() {
                let (cells, used) = self.cells(&columns, row, y + PAD_TOP);
                let end = y + PAD_TOP + used - LEADING + PAD_BOTTOM;
                if end > self.bottom() && table.len() > 1 {
                    break;
                }
                rows.next();
                table.push(cells);
                y = end;
                rules.push(Item::Rule { x1: MARGIN, x2: self.width - MARGIN, y });
            }
            self.y = y;
            let page = self.page();
            page.nodes.push(crate::report::page::Node::Table(table));
            page.block(crate::report::page::Role::Artifact, rules);
            first = false;
            if rows.peek().is_none() {
                return;
            }
            self.new_page();
        }
    }

    /// A document's title and a paragraph under it, at the top of a page.
    pub fn title(&mut self, title: &str, text: &str) {
        let width = self.width - 2.0 * MARGIN;
        let y = self.y + 22.0;
        let page = self.page();
        page.heading(1, MARGIN, y, 22.0, width, title);
        page.bookmarks.push((title.to_owned(), 0.0));
        let used = page.paragraph(MARGIN, y + 24.0, 11.0, Weight::Regular, ink::TEXT, width, 6, text);
        self.y = y + 24.0 + used;
    }

    /// Ends the page: what follows starts on a new one.
    pub fn break_page(&mut self) {
        if let Some(done) = self.page.take().filter(|p| !p.is_empty()) {
            self.pages.push(done);
        }
        self.y = MARGIN;
    }

    /// A page drawn elsewhere (the trend chart), after the current one.
    pub fn push_page(&mut self, page: Page) {
        if let Some(done) = self.page.take().filter(|p| !p.is_empty()) {
            self.pages.push(done);
        }
        self.pages.push(page);
        self.y = MARGIN;
    }

    pub fn finish(mut self) -> Vec<Page> {
        if let Some(done) = self.page.take().filter(|p| !p.is_empty()) {
            self.pages.push(done);
        }
        self.pages
    }
}

/// Every weak spot, with the figures the brief leaves out.
pub(super) fn weak_spots(index: &Index<'_>, a: &Analysis) -> Option<Section> {
    (!a.weak_spots.is_empty()).then(|| Section {
        title: "All weak spots".into(),
        intro: crate::analysis::gain_line(a).map(|line| {
            format!("{line} Each step's share is its part of that gain; alone, what fixing it by itself would gain.")
        }),
        columns: vec![
            Column("#", 0.03, true),
            Column("Step", 0.17, false),
            Column("Department", 0.12, false),
            Column("Owner", 0.09, false),
            Column("Score → target", 0.08, true),
            Column("Share", 0.05, true),
            Column("Alone", 0.05, true),
            Column("Reach", 0.06, true),
            Column("Worst moment", 0.07, true),
            Column("Last moment", 0.07, true),
            Column("Average-model rank", 0.08, true),
            Column("Upstream breaches", 0.12, false),
        ],
        rows: a
            .weak_spots
            .iter()
            .map(|w| {
                let causes: Vec<String> =
                    w.upstream_causes.iter().map(|c| format!("{} ({})", c.from_title, c.provider_name)).collect();
                Row::Cells(vec![
                    w.rank.to_string(),
                    w.title.clone(),
                    index.department(&w.department).map_or_else(|| w.department.clone(), |d| d.name.clone()),
                    w.owner.clone().unwrap_or_default(),
                    format!("{:.1} → {:.1}", w.score, w.target),
                    format!("+{:.2}", w.share),
                    format!("+{:.2}", w.impact),
                    percent(w.reach),
                    percent(w.peak_share),
                    percent(w.end_share),
                    w.average_rank.map_or_else(
                        || "–".to_owned(),
                        |r| format!("#{r}{}", if w.model_dependent { " *" } else { "" }),
                    ),
                    if causes.is_empty() { "–".to_owned() } else { causes.join("; ") },
                ])
            })
            .collect(),
    })
}

/// Each department as a provider, to the customer and to the others.
pub(super) fn departments(a: &Analysis) -> Option<Section> {
    (!a.departments.is_empty()).then(|| Section {
        title: "Department standing".into(),
        intro: None,
        columns: vec![
            Column("Department", 0.2, false),
            Column("Frontstage steps", 0.07, true),
            Column("Mean score", 0.07, true),
            Column("Share of the gain", 0.08, true),
            Column("Caused as provider", 0.08, true),
            Column("SLA met / measured", 0.09, true),
            Column("Unmeasured", 0.06, true),
            Column("Compliance", 0.08, true),
            Column("Open pain points (votes)", 0.12, true),
            Column("Commitments open (overdue)", 0.15, true),
        ],
        rows: a
            .departments
            .iter()
            .map(|d| {
                Row::Cells(vec![
                    d.name.clone(),
                    d.frontstage_steps.to_string(),
                    d.mean_score.map_or_else(|| "–".to_owned(), |m| format!("{m:.2}")),
                    format!("{:.2}", d.weak_spot_share),
                    if d.caused_share > 0.0 { format!("{:.2}", d.caused_share) } else { "–".to_owned() },
                    format!("{} / {}", d.sla_met, d.sla_measured),
                    d.sla_unmeasured.to_string(),
                    d.sla_compliance.map_or_else(|| "–".to_owned(), percent),
                    format!("{} ({})", d.open_pain_points, d.open_votes),
                    match d.overdue_commitments {
                        Some(late) => format!("{} ({late})", d.open_commitments),
                        None => d.open_commitments.to_string(),
                    },
                ])
            })
            .collect(),
    })
}

/// Every pain point, grouped by owner.
pub(super) fn pain_points(map: &Map, index: &Index<'_>) -> Option<Section> {
    let mut pains: Vec<_> = map.pain_points.iter().collect();
    if pains.is_empty() {
        return None;
    }
    pains.sort_by(|a, b| {
        a.owner
            .is_none()
            .cmp(&b.owner.is_none())
            .then_with(|| a.owner.cmp(&b.owner))
            .then_with(|| b.votes.cmp(&a.votes))
    });
    let mut rows = Vec::new();
    let mut current: Option<Option<&str>> = None;
    for p in pains {
        let owner = p.owner.as_deref();
        if current != Some(owner) {
            current = Some(owner);
            rows.push(Row::Group(owner.unwrap_or("No owner named").to_owned()));
        }
        rows.push(Row::Cells(vec![
            p.text.clone(),
            index.step(&p.step).map_or_else(|| p.step.clone(), |s| s.title.clone()),
            p.severity.map_or_else(|| "–".to_owned(), |s| s.to_string()),
            if p.votes == 0 { "–".to_owned() } else { p.votes.to_string() },
            match p.status {
                PainStatus::Open => "open",
                PainStatus::Doing => "doing",
                PainStatus::Resolved => "resolved",
            }
            .to_owned(),
        ]));
    }
    Some(Section {
        title: "Pain points by owner".into(),
        intro: None,
        columns: vec![
            Column("Pain point", 0.44, false),
            Column("Step", 0.26, false),
            Column("Severity", 0.08, true),
            Column("Votes", 0.08, true),
            Column("Status", 0.14, false),
        ],
        rows,
    })
}
