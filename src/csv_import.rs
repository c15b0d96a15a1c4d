//! Steps from a spreadsheet: a workshop's sticky notes, typed up as CSV.
//!
//! One row is one step. Columns are matched by header name, in any order and
//! any case; only `title`, `stage` and `department` are required:
//!
//! | header | meaning |
//! |---|---|
//! | `title` | what happens (required) |
//! | `stage` | stage name or id; a new name creates a stage at the end (required) |
//! | `department` | department name or id; a new one is created (required) |
//! | `facing` (or `department_facing`) | `customer` or `internal`: which side of the line of visibility a new department's lane goes; without it, a new department whose steps are all backstage is internal, any other customer-facing |
//! | `visibility` | `frontstage` (default) or `backstage`; `front`/`back` also read |
//! | `score` | 1.0–5.0, one decimal, frontstage only; empty for unscored |
//! | `target` | 1.0–5.0 |
//! | `owner`, `channel`, `notes` | free text |
//! | `id` | the step's id; made from the title when absent |
//!
//! A first line starting with `#` names the map (`# Hotel overnight stay`);
//! [`title`] reads it and [`read`] skips it.
//!
//! The whole file is checked before anything is added: every bad row is
//! reported with its line number (so one fix-up pass mends them all) and
//! nothing is imported. Commas separate the fields; a file whose header row
//! has no comma but semicolons or tabs (what spreadsheets in many locales
//! save) is read with those.

use crate::edit::Edit;
use crate::model::{Department, Facing, Map, Stage, Step, Visibility};
use crate::validate::validate;

/// Why a CSV file was refused: every problem found, in file order: each
/// row's own (every one of them, not only its first), and the map's check of
/// the rows that could be read, so one pass through the file mends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// At least one.
    pub rows: Vec<BadRow>,
}

/// One bad row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct BadRow {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// What is wrong there.
    pub message: String,
}

/// How many bad rows a refusal spells out; the rest are counted.
const ROWS_SHOWN: usize = 10;

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, row) in self.rows.iter().take(ROWS_SHOWN).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{row}")?;
        }
        if self.rows.len() > ROWS_SHOWN {
            write!(f, "; and {} more problems", self.rows.len() - ROWS_SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for CsvError {}

impl From<BadRow> for CsvError {
    fn from(row: BadRow) -> Self {
        Self { rows: vec![row] }
    }
}

/// The field separator: a comma, unless the header row has none and has
/// semicolons or tabs instead.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The columns this importer reads.
pub const COLUMNS: [&str; 12] = [
    "title",
    "stage",
    "department",
    "facing",
    "department_facing",
    "visibility",
    "score",
    "target",
    "owner",
    "channel",
    "notes",
    "id",
];

/// The map's title, from a first line starting with `#`.
#[must_use]
pub fn title(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next()?.trim();
    let name = first.strip_prefix('#')?.trim().trim_end_matches([',', ';', '\t']).trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// The text after the title lines (those starting with `#`) that lead it.
fn body(text: &str) -> &str {
    let mut rest = text;
    while rest.trim_start_matches(['\r', '\n']).starts_with('#') {
        let trimmed = rest.trim_start_matches(['\r', '\n']);
        rest = trimmed.find('\n').map_or("", |i| &trimmed[i + 1..]);
    }
    rest
}

/// A department's side of the line of visibility, as a row says it.
fn facing(value: &str) -> Option<Facing> {
    match value.to_lowercase().as_str() {
        "customer" | "customer-facing" | "customer facing" | "front" | "frontstage" => Some(Facing::Customer),
        "internal" | "back" | "backstage" | "back-office" | "back office" => Some(Facing::Internal),
        _ => None,
    }
}

/// Reads CSV `text` and returns the one edit that adds its steps (and any new
/// stages and departments) to `map`. The edit is checked against `map`: if
/// the result would be invalid, the first problem is reported on its line.
pub fn read(text: &str, map: &Map) -> Result<Edit, CsvError> {
    // Spreadsheets often save UTF-8 with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The lines keep their numbers in the file: after the title lines.
    let skipped = u64::try_from(text[..text.len() - body(text).len()].lines().count()).unwrap_or(0);
    read_rows(body(text), map).map_err(|mut e| {
        for row in &mut e.rows {
            row.line += skipped;
        }
        e
    })
}

fn read_rows(text: &str, map: &Map) -> Result<Edit, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| BadRow { line: 1, message: format!("the header row could not be read: {e}") })?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    for required in ["title", "stage", "department"] {
        if col(required).is_none() {
            return Err(BadRow {
                line: 1,
                message: format!("no \"{required}\" column; the header row needs title, stage and department"),
            }
            .into());
        }
    }
    if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(BadRow {
            line: 1,
            message: format!("unknown column \"{unknown}\"; the columns are {}", COLUMNS.join(", ")),
        }
        .into());
    }

    let mut stages: Vec<Stage> = Vec::new();
    let mut departments: Vec<Department> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut taken: Vec<String> = map.steps.iter().map(|s| s.id.clone()).collect();
    let mut bad: Vec<BadRow> = Vec::new();
    // Each row's department and the side its `facing` column gives, if any.
    let mut sides: Vec<(String, Option<Facing>, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("the row has {len} fields where the header has {expected_len}")
                    }
                    _ => format!("the row could not be read: {e}"),
                };
                bad.push(BadRow { line, message });
                continue;
            }
        };
        match row(&record, &col, map, &mut stages, &mut departments, &mut taken) {
            Ok((step, side)) => {
                let line = record.position().map_or(0, csv::Position::line);
                sides.push((step.department.clone(), side, line));
                steps.push(step);
                lines.push(line);
            }
            Err(problems) => bad.extend(problems),
        }
    }
    bad.extend(settle_facing(map, &mut departments, &steps, &sides));
    if steps.is_empty() && bad.is_empty() {
        return Err(BadRow { line: 2, message: "the file has a header but no steps".into() }.into());
    }
    // The rows that read are checked against the map even when others did
    // not, so one refusal names every problem and one pass mends the file.
    let first_new = map.steps.len();
    let edit = Edit::AddSteps { stages, departments, steps };
    match crate::edit::apply(map, &edit) {
        Ok(after) if bad.is_empty() => {
            debug_assert!(validate(&after).is_valid());
            return Ok(edit);
        }
        Ok(_) => {}
        // Each problem on the row of the new step it names.
        Err(crate::edit::EditError::Invalid(problems)) => bad.extend(problems.iter().map(|p| BadRow {
            line: step_index(&p.path).filter(|&i| i >= first_new).map_or(1, |i| lines[i - first_new]),
            message: p.in_words(),
        })),
        Err(other) => bad.push(BadRow { line: 1, message: other.to_string() }),
    }
    bad.sort_by_key(|r| r.line);
    Err(CsvError { rows: bad })
}

/// One record as a step, creating the stages and departments it names; or
/// every problem the row has.
fn row(
    record: &csv::StringRecord,
    col: &impl Fn(&str) -> Option<usize>,
    map: &Map,
    stages: &mut Vec<Stage>,
    departments: &mut Vec<Department>,
    taken: &mut Vec<String>,
) -> Result<(Step, Option<Facing>), Vec<BadRow>> {
    let line = record.position().map_or(0, csv::Position::line);
    let get = |name: &str| col(name).and_then(|i| record.get(i)).map(str::trim).filter(|v| !v.is_empty());
    let mut problems = Vec::new();
    let mut required = |name: &str| {
        let value = get(name);
        if value.is_none() {
            problems.push(BadRow { line, message: format!("the {name} is empty") });
        }
        value
    };
    let (title, stage_name, dept_name) = (required("title"), required("stage"), required("department"));
    let visibility = match get("visibility").map(str::to_lowercase).as_deref() {
        None | Some("frontstage" | "front") => Visibility::Frontstage,
        Some("backstage" | "back") => Visibility::Backstage,
        Some(other) => {
            problems
                .push(BadRow { line, message: format!("visibility \"{other}\" is neither frontstage nor backstage") });
            Visibility::Frontstage
        }
    };
    let mut number = |name: &str| -> Option<f64> {
        let v = get(name)?;
        let n = v.replace(',', ".").parse::<f64>().ok();
        if n.is_none() {
            problems.push(BadRow { line, message: format!("{name} \"{v}\" is not a number") });
        }
        n
    };
    let (score, target) = (number("score"), number("target"));
    let side = match get("facing").or_else(|| get("department_facing")) {
        None => None,
        Some(v) => {
            let side = facing(v);
            if side.is_none() {
                problems.push(BadRow { line, message: format!("facing \"{v}\" is neither customer nor internal") });
            }
            side
        }
    };
    let (Some(title), Some(stage_name), Some(dept_name)) = (title, stage_name, dept_name) else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let stage = find_or_add(
        stage_name,
        map.stages.iter().map(|s| (&s.id, &s.name)),
        stages,
        |id, name| Stage { id, name },
        |s| (&s.id, &s.name),
    );
    let department = find_or_add(
        dept_name,
        map.departments.iter().map(|d| (&d.id, &d.name)),
        departments,
        |id, name| Department { id, name, facing: Facing::Customer, color: None },
        |d| (&d.id, &d.name),
    );
    let id = match get("id") {
        Some(id) => id.to_owned(),
        None => fresh_id(title, taken),
    };
    taken.push(id.clone());
    Ok((
        Step {
            id,
            title: title.to_owned(),
            stage,
            department,
            visibility,
            score,
            target,
            owner: get("owner").map(str::to_owned),
            channel: get("channel").map(str::to_owned),
            notes: get("notes").map(str::to_owned),
            entry_share: None,
            ratings: Vec::new(),
            follows_ratings: false,
            entry_measured: None,
            surveyed: None,
        },
        side,
    ))
}

/// Gives each new department its side of the line of visibility: the one its
/// rows name, else internal when all its steps are backstage. A row that
/// names a side an existing department, or an earlier row, contradicts is a
/// problem of that row.
fn settle_facing(
    map: &Map,
    departments: &mut [Department],
    steps: &[Step],
    sides: &[(String, Option<Facing>, u64)],
) -> Vec<BadRow> {
    let word = |f: Facing| match f {
        Facing::Customer => "customer-facing",
        Facing::Internal => "internal",
    };
    let mut bad = Vec::new();
    let mut named: Vec<(&str, Facing)> = Vec::new();
    for (dept, side, line) in sides {
        let Some(side) = *side else { continue };
        if let Some(existing) = map.departments.iter().find(|d| &d.id == dept) {
            if existing.facing != side {
                bad.push(BadRow {
                    line: *line,
                    message: format!(
                        "department \"{}\" is {} on the map; this row says {}",
                        existing.name,
                        word(existing.facing),
                        word(side)
                    ),
                });
            }
        } else if let Some(&(_, first)) = named.iter().find(|(d, _)| d == dept) {
            if first != side {
                let name = departments.iter().find(|d| &d.id == dept).map_or(dept.as_str(), |d| d.name.as_str());
                bad.push(BadRow {
                    line: *line,
                    message: format!(
                        "an earlier row makes department \"{name}\" {}; this row says {}",
                        word(first),
                        word(side)
                    ),
                });
            }
        } else {
            named.push((dept, side));
        }
    }
    for d in departments.iter_mut() {
        d.facing = match named.iter().find(|(id, ..)| *id == d.id) {
            Some(&(_, side)) => side,
            None if steps.iter().filter(|s| s.department == d.id).all(|s| s.visibility == Visibility::Backstage) => {
                Facing::Internal
            }
            None => Facing::Customer,
        };
    }
    bad
}

/// `steps[12].score` → 12.
fn step_index(path: &str) -> Option<usize> {
    path.strip_prefix("steps[")?.split(']').next()?.parse().ok()
}

/// The id of the stage or department called `name` (by id or by name, any
/// case), adding a new one to `added` when there is none.
fn find_or_add<'a, T>(
    name: &str,
    existing: impl Iterator<Item = (&'a String, &'a String)>,
    added: &mut Vec<T>,
    make: impl Fn(String, String) -> T,
    key: impl Fn(&T) -> (&String, &String),
) -> String {
    let matches = |id: &str, n: &str| id.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(name);
    let mut existing_ids = Vec::new();
    for (id, n) in existing {
        if matches(id, n) {
            return id.clone();
        }
        existing_ids.push(id.clone());
    }
    if let Some(found) = added.iter().map(&key).find(|(id, n)| matches(id, n)) {
        return found.0.clone();
    }
    existing_ids.extend(added.iter().map(|t| key(t).0.clone()));
    let id = fresh_id(name, &existing_ids);
    added.push(make(id.clone(), name.to_owned()));
    id
}

/// A readable id from a title, unique among `taken`.
#[must_use]
pub fn fresh_id(title: &str, taken: &[String]) -> String {
    let mut base: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    base.truncate(32);
    if base.is_empty() {
        base = "step".into();
    }
    if !taken.contains(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}_{n}")).find(|c| !taken.iter().any(|t| t == c)).unwrap_or(base)
}
