//! Matching departments across journeys by name. Maps are made by different
//! teams, so "IT", " it " and "IT services" may all be the same provider: names
//! match trimmed and case-insensitively, and an alias list joins the rest.

use std::collections::HashMap;
use std::path::Path;

/// The file in a portfolio's folder that lists department aliases.
pub const ALIASES_FILE: &str = "aliases.csv";

/// Department names as the portfolio compares them, with the aliases that
/// join different spellings into one department.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Normalised alias → the name it stands for, as written in the list.
    aliases: HashMap<String, String>,
}

/// A line of the alias list that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {message}")]
pub struct AliasError {
    /// The list's file.
    pub file: String,
    /// Its line, from 1.
    pub line: u64,
    /// What is wrong there.
    pub message: String,
}

impl Names {
    /// No aliases: names match only when equal once trimmed and lowercased.
    #[must_use]
    pub fn plain() -> Self {
        Self::default()
    }

    /// Reads an alias list: one department per line, its name first and then
    /// the other names it goes by (`IT, IT services, Information technology`).
    /// Lines starting with `#` are comments. A name listed under two
    /// departments is refused, since it could not say which one it means.
    ///
    /// # Errors
    /// The file cannot be read, or a line is ambiguous.
    pub fn from_csv(path: &Path) -> Result<Self, AliasError> {
        Self::from_lines(&path.display().to_string(), csv_lines(path)?)
    }

    /// The aliases of `lines`, each a department's name and then its other
    /// names, with the line it came from (for messages naming `source`).
    ///
    /// # Errors
    /// A name is listed under two departments.
    pub fn from_lines(source: &str, lines: Vec<(u64, Vec<String>)>) -> Result<Self, AliasError> {
        let mut names = Self::default();
        for (line, fields) in lines {
            let Some(canonical) = fields.first() else { continue };
            for name in &fields {
                let key = normalise(name);
                match names.aliases.get(&key) {
                    Some(other) if normalise(other) != normalise(canonical) => {
                        let message = format!(
                            "\"{name}\" is already an alias of \"{other}\"; a name can stand for one department only"
                        );
                        return Err(AliasError { file: source.to_owned(), line, message });
                    }
                    _ => {
                        names.aliases.insert(key, canonical.clone());
                    }
                }
            }
        }
        Ok(names)
    }

    /// The key departments are matched by: the alias's department when the
    /// name is listed, else the name itself, trimmed and lowercased.
    #[must_use]
    pub fn key(&self, name: &str) -> String {
        let own = normalise(name);
        self.aliases.get(&own).map_or(own, |canonical| normalise(canonical))
    }

    /// The name the portfolio shows for a department first seen as `name`:
    /// the alias list's, when it lists the name.
    #[must_use]
    pub fn display(&self, name: &str) -> String {
        self.aliases.get(&normalise(name)).cloned().unwrap_or_else(|| name.trim().to_owned())
    }
}

/// The lines of an alias list as written: each with its line number, the
/// department's name and then its other names (empty fields and comments
/// left out).
///
/// # Errors
/// The file cannot be read as CSV.
pub fn csv_lines(path: &Path) -> Result<Vec<(u64, Vec<String>)>, AliasError> {
    let file = path.display().to_string();
    let error = |line: u64, message: String| AliasError { file: file.clone(), line, message };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| error(0, e.to_string()))?;
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| error(e.position().map_or(0, csv::Position::line), e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let names: Vec<String> = record.iter().filter(|f| !f.is_empty()).map(str::to_owned).collect();
        if !names.is_empty() {
            lines.push((line, names));
        }
    }
    Ok(lines)
}

/// Trimmed, inner runs of white space as one space, lowercased.
fn normalise(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_trimmed_and_case_insensitively_and_through_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ALIASES_FILE);
        std::fs::write(&path, "# departments\nIT, IT services , Information  technology\nRecords,Archive\n").unwrap();
        let names = Names::from_csv(&path).unwrap();
        assert_eq!(names.key(" it "), names.key("IT services"));
        assert_eq!(names.key("information technology"), names.key("IT"));
        assert_ne!(names.key("IT"), names.key("Records"));
        assert_eq!(names.display("archive"), "Records");
        assert_eq!(names.display(" Cashier "), "Cashier");
        assert_eq!(Names::plain().key("  Front   desk "), Names::plain().key("front desk"));
    }

    #[test]
    fn a_name_listed_under_two_departments_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ALIASES_FILE);
        std::fs::write(&path, "IT,Helpdesk\nFacilities,helpdesk\n").unwrap();
        let e = Names::from_csv(&path).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("already an alias of \"IT\""), "{e}");
    }
}
