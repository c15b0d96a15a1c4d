//! The portfolio as `waymark portfolio` prints it: journeys, departments,
//! the organisation's weak spots and the internal service matrix, then what
//! was skipped.

use std::fmt::{self, Write as _};

use crate::portfolio::Portfolio;

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
        let mut rows = vec![header(&[
            "journey",
            "steps",
            "per month",
            "remembered",
            "average",
            "worst weak spot",
            "open (overdue) commitments",
            "review",
        ])];
        for j in &self.journeys {
            rows.push(vec![
                format!("{} ({})", j.title, j.source),
                j.steps.to_string(),
                j.volume.map_or_else(|| "–".to_owned(), |v| v.to_string()),
                score(j.remembered),
                score(j.average),
                j.worst_weak_spot
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), |w| format!("{} ({}, +{:.2})", w.title, w.department, w.impact)),
                format!("{} ({})", j.open_commitments, j.overdue_commitments),
                j.review.message.clone(),
            ]);
        }
        table(f, &rows)
    }

    fn departments_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\nDepartments across journeys (largest weak-spot impact first)")?;
        let mut rows = vec![header(&[
            "department",
            "journeys",
            "customer-facing steps",
            "mean score",
            "weak spots (impact)",
            "handoffs met / breached / unmeasured",
            "compliance",
            "open pain points (votes)",
            "open (overdue) commitments",
        ])];
        for d in &self.departments {
            let name = if d.spellings.is_empty() {
                d.name.clone()
            } else {
                format!("{} (as {})", d.name, d.spellings.join(", "))
            };
            rows.push(vec![
                name,
                d.journeys.len().to_string(),
                d.frontstage_steps.to_string(),
                score(d.mean_score),
                format!("{} ({:.2})", d.weak_spots, d.weak_spot_impact),
                format!("{} / {} / {}", d.sla_met, d.sla_breached, d.sla_unmeasured),
                d.sla_compliance.map_or_else(|| "–".to_owned(), |c| format!("{:.0}%", c * 100.0)),
                format!("{} ({})", d.open_pain_points, d.open_votes),
                format!("{} ({})", d.open_commitments, d.overdue_commitments),
            ]);
        }
        table(f, &rows)
    }

    fn weak_spots_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.weak_spots.is_empty() {
            return writeln!(f, "\nNo weak spots in any journey.");
        }
        let by_volume = self.weak_spots.iter().any(|w| w.volume.is_some());
        let ranked = if by_volume { "customers per month × impact" } else { "impact (no journey gives its volume)" };
        writeln!(f, "\nThe organisation's weak spots, by {ranked}")?;
        let mut rows = vec![header(&["#", "step", "journey", "department", "impact", "per month", "weight"])];
        for w in self.weak_spots.iter().take(WEAK_SPOTS_SHOWN) {
            rows.push(vec![
                w.rank.to_string(),
                w.title.clone(),
                w.journey_title.clone(),
                w.department.clone(),
                format!("{:.2}", w.impact),
                w.volume.map_or_else(|| "–".to_owned(), |v| v.to_string()),
                format!("{:.1}", w.weight),
            ]);
        }
        table(f, &rows)?;
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
        let mut rows = vec![header(&[
            "provider → receiver",
            "journeys",
            "met / breached / unmeasured",
            "measured: promised → actual min",
        ])];
        for c in &self.matrix {
            let measured = if c.met + c.breached == 0 {
                "–".to_owned()
            } else {
                format!("{:.0} → {:.0}", c.measured_promised_minutes, c.actual_minutes)
            };
            rows.push(vec![
                format!("{} → {}", c.provider, c.receiver),
                c.journeys.len().to_string(),
                format!("{} / {} / {}", c.met, c.breached, c.unmeasured),
                measured,
            ]);
        }
        table(f, &rows)
    }
}

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|&c| c.to_owned()).collect()
}

fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2}"))
}

/// Rows as columns padded to their widest cell, the first row the header.
fn table(f: &mut fmt::Formatter<'_>, rows: &[Vec<String>]) -> fmt::Result {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|x| x.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, " {cell:<width$} ");
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}
