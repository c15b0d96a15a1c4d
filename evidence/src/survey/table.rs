//! A survey export as a table of text cells: CSV (comma, semicolon or tab),
//! XLSX (a sheet named, or the first), and Qualtrics exports in either,
//! whose three header rows are tags, question texts and import ids.

use std::io::Read as _;
use std::path::Path;

use calamine::Reader as _;
use serde::Serialize;

/// How the file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyFormat {
    /// Comma-, semicolon- or tab-separated text.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// The cells of a survey export, header rows apart.
#[derive(Debug, Clone)]
pub struct Table {
    /// CSV or XLSX.
    pub format: SurveyFormat,
    /// Whether it is a Qualtrics export (three header rows).
    pub qualtrics: bool,
    /// The column names: the first row.
    pub names: Vec<String>,
    /// A Qualtrics export's second row, the question texts; empty otherwise.
    pub texts: Vec<String>,
    /// The answers, one row per respondent, as text.
    pub rows: Vec<Vec<String>>,
    /// The line (CSV) or row (XLSX) number of `rows[0]`, from 1.
    pub first_line: u64,
    /// The SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

impl Table {
    /// "line 7" or "row 7" for `rows[i]`.
    #[must_use]
    pub fn place(&self, i: usize) -> String {
        let word = match self.format {
            SurveyFormat::Csv => "line",
            SurveyFormat::Xlsx => "row",
        };
        format!("{word} {}", self.first_line + i as u64)
    }
}

/// Reads the file at `path`: XLSX by its name or its first bytes (a zip),
/// CSV otherwise; `sheet` picks an XLSX sheet by name.
///
/// # Errors
/// The file cannot be read, a named sheet is missing, or the CSV is
/// malformed; in words, with the line.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(|e| e.to_string())?;
    let sha256 = crate::log::sha256_hex(&bytes);
    let lower = path.to_string_lossy().to_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let (format, mut grid) = if zip || lower.ends_with(".xlsx") {
        (SurveyFormat::Xlsx, xlsx(bytes, sheet)?)
    } else {
        if sheet.is_some() {
            return Err("--sheet is for XLSX workbooks; this file is text".into());
        }
        (SurveyFormat::Csv, csv(&bytes)?)
    };
    // The header is the first row with text (a sheet may start lower down).
    let Some(top) = grid.iter().position(|r| r.iter().any(|c| !c.trim().is_empty())) else {
        return Err("the file is empty: no header row".into());
    };
    let mut grid = grid.split_off(top);
    let names: Vec<String> =
        grid[0].iter().map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_owned()).collect();
    // Qualtrics: the third row holds the import ids, {"ImportId":"QID1"}.
    let qualtrics = grid.get(2).is_some_and(|r| r.iter().any(|c| c.trim_start().starts_with("{\"ImportId\"")));
    let (texts, skip) =
        if qualtrics { (grid[1].iter().map(|t| t.trim().to_owned()).collect(), 3) } else { (Vec::new(), 1) };
    let rows = grid.split_off(skip.min(grid.len()));
    Ok(Table { format, qualtrics, names, texts, rows, first_line: (top + skip) as u64 + 1, sha256 })
}

/// Text split into rows and cells, the delimiter being the one the header
/// line holds most of.
fn csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|&d| (count(d), d == b',')).unwrap_or(b',');
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    let mut out = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => out.push(record.iter().map(str::to_owned).collect()),
            Err(e) => {
                let line = e.position().map_or(out.len() as u64 + 1, ::csv::Position::line);
                return Err(format!("line {line}: cannot be read: {e}"));
            }
        }
    }
    Ok(out)
}

/// A workbook's sheet as text cells: whole numbers without a decimal point.
fn xlsx(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Vec<String>>, String> {
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not an XLSX workbook this reads: {e}"))?;
    crate::sheet::sheet_rows(&mut book, sheet).map(|(_, rows)| rows)
}
