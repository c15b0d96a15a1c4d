//! The portfolio as `waymark portfolio` prints it: journeys, departments,
//! the organisation's weak spots and the internal service matrix, then what
//! was skipped.

use std::fmt::{self, Write as _};

use crate::portfolio::Portfolio;
use crate::portfolio::cells::{
    DEPARTMENT_COLUMNS, JOURNEY_COLUMNS, MATRIX_COLUMNS, WEAK_SPOT_COLUMNS, department_row, journey_row, matrix_row,
    weak_spot_row,
};

/// How many of the organisation's weak spots the text lists.
const WEAK_SPOTS_SHOWN: usize = 10;

impl fmt::Display for Portfolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.journeys.len();
        writeln!(f, "{}: {n} journey{} as of {}", self.place, if n == 1 { "" } else { "s" }, self.today)?;
        if n == 0 {
            if self.skipped.is_empty() {
                writeln!(f, "No maps here: nothing to compare.")?;
            } else {
                writeln!(f, "No map here could be read; see below.")?;
            }
        } else {
            self.journeys_table(f)?;
            self.departments_table(f)?;
            self.weak_spots_table(f)?;
            self.matrix_table(f)?;
        }
        if !self.skipped.is_empty() {
            writeln!(f, "\nNot counted ({}):", self.skipped.len())?;
            for s in &self.skipped {
                writeln!(f, "  {}: {}", s.path, s.reason)?;
            }
        }
        Ok(())
    }
}

impl Portfolio {
    fn journeys_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\nJourneys (overdue reviews first)")?;
        table(f, &JOURNEY_COLUMNS, self.journeys.iter().map(journey_row))
    }

    fn departments_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\nDepartments across journeys (largest share of the gain, owned and caused, first)")?;
        table(f, &DEPARTMENT_COLUMNS, self.departments.iter().map(department_row))
    }

    fn weak_spots_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.weak_spots.is_empty() {
            return writeln!(f, "\nNo weak spots in any journey.");
        }
        let ranked = if self.ranked_by_volume() {
            "customers per month × share of the gain"
        } else {
            "share of the gain (no journey gives its volume)"
        };
        writeln!(f, "\nThe organisation's weak spots, by {ranked}")?;
        table(f, &WEAK_SPOT_COLUMNS, self.weak_spots.iter().take(WEAK_SPOTS_SHOWN).map(weak_spot_row))?;
        if self.weak_spots.len() > WEAK_SPOTS_SHOWN {
            writeln!(f, "  … and {} more (--json lists them all)", self.weak_spots.len() - WEAK_SPOTS_SHOWN)?;
        }
        Ok(())
    }

    fn matrix_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.matrix.is_empty() {
            return writeln!(f, "\nNo internal service agreements in any journey.");
        }
        writeln!(f, "\nInternal service: provider → receiver (most breached first)")?;
        table(f, &MATRIX_COLUMNS, self.matrix.iter().map(matrix_row))
    }
}

/// A header and rows as columns padded to their widest cell.
fn table(f: &mut fmt::Formatter<'_>, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> fmt::Result {
    let rows: Vec<Vec<String>> = rows.collect();
    // The first column names the row (a journey, a department): never cut.
    f.write_str(&text_table(header, &rows, 1))
}

/// The widest a cell's text is printed; longer text ends in "…" (the JSON
/// and the PDF keep it whole).
const WIDEST_CELL: usize = 28;

/// The widest a column that is never cut is, before its text wraps.
const WIDEST_WHOLE: usize = 48;

/// A header and rows as columns for a terminal, each padded to its widest
/// cell: a header longer than its column's cells wraps onto more lines, and
/// a cell over [`WIDEST_CELL`] characters is cut short, so a long title or
/// heading never pushes a table off the screen. The first `whole` columns
/// are never cut (what names the row, or what a person types back, an id,
/// must be there in full): their text wraps at spaces onto more lines.
#[must_use]
pub fn text_table(header: &[&str], rows: &[Vec<String>], whole: usize) -> String {
    // Each row as lines of cells.
    let cut: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| if i < whole { wrapped(c, WIDEST_WHOLE) } else { vec![shortened(c)] })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            let cells = cut.iter().filter_map(|r| r.get(c)).flatten().map(|x| x.chars().count()).max().unwrap_or(0);
            let word = header[c].split(' ').map(|w| w.chars().count()).max().unwrap_or(0);
            cells.max(word)
        })
        .collect();
    let heads: Vec<Vec<String>> = header.iter().zip(&widths).map(|(h, w)| wrapped(h, *w)).collect();
    let mut out = String::new();
    let mut block = |cells: &[Vec<String>], bottom: bool| {
        let n = cells.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..n {
            let mut text = String::from(" ");
            for (cell, width) in cells.iter().zip(&widths) {
                // Headers sit on the bottom line, as a spreadsheet's do;
                // a row's wrapped text runs down from its first line.
                let k = if bottom { (i + cell.len()).checked_sub(n) } else { Some(i) };
                let part = k.and_then(|k| cell.get(k)).map_or("", String::as_str);
                let _ = write!(text, " {part:<width$} ");
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    };
    block(&heads, true);
    for row in &cut {
        block(row, false);
    }
    out
}

fn shortened(cell: &str) -> String {
    if cell.chars().count() <= WIDEST_CELL {
        return cell.to_owned();
    }
    let mut short: String = cell.chars().take(WIDEST_CELL - 1).collect();
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// is a line of its own).
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::text_table;

    #[test]
    fn a_long_cell_is_cut_short_a_long_header_wraps_and_the_columns_line_up() {
        let rows = vec![
            vec![
                "claims-home-insurance-first-notice-of-loss".to_owned(),
                "A very long journey title that would run off the screen".to_owned(),
                "24".to_owned(),
            ],
            vec!["x".to_owned(), "Short".to_owned(), "3".to_owned()],
        ];
        let text = text_table(&["ID", "TITLE", "Handoffs met / breached / unmeasured"], &rows, 1);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() <= 42 + 28 + 20), "{text}");
        assert!(text.contains("claims-home-insurance-first-notice-of-loss"), "an id is never cut: {text}");
        assert!(text.contains("A very long journey title t…"), "{text}");
        assert!(!text.contains("run off"), "{text}");
        // The third column starts at the same place on every line.
        let long = lines.iter().find(|l| l.contains("claims-home")).unwrap();
        let short = lines.iter().find(|l| l.contains("Short")).unwrap();
        let column = |line: &str, at: usize| line[..at].chars().count();
        assert_eq!(column(long, long.find("24").unwrap()), column(short, short.rfind('3').unwrap()), "{text}");
        let head = lines.iter().position(|l| l.contains("unmeasured")).unwrap();
        assert!(head > 0 && lines[0].contains("Handoffs"), "the header wraps onto more lines: {text}");
    }
}
