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
    let mut rows: Vec<Vec<String>> = rows.collect();
    rows.insert(0, header.iter().map(|&h| h.to_owned()).collect());
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|x| x.chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::from(" ");
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, " {cell:<width$} ");
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}
