//! Workbooks as a spreadsheet program saves them (Excel's `.xlsx` and `.xls`,
//! LibreOffice's `.ods`), read with calamine, as rows of text: the steps a
//! workshop typed up import from the workbook as they do from its CSV.

use std::path::Path;

use calamine::Data;

/// Whether `path` names a workbook, by its extension.
#[must_use]
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str()))
}

/// A cell as text: whole numbers without a decimal point, as a person typed
/// them ("4", not "4.0"); other numbers as they are.
pub(crate) fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        #[allow(clippy::cast_possible_truncation, reason = "checked whole and in range")]
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The rows of a workbook's sheet (`sheet` by name, else the first), row 1
/// first: rows above the used range are there, empty, so a row's place in
/// the list is its number in the spreadsheet, less one.
///
/// # Errors
/// The file is not a workbook calamine reads, or has no such sheet; in words.
pub fn rows(path: &Path, sheet: Option<&str>) -> Result<(String, Vec<Vec<String>>), String> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| format!("not a workbook this reads: {e}"))?;
    sheet_rows(&mut book, sheet)
}

/// A sheet of an open workbook (`sheet` by name, else the first) as rows of
/// text, and its name: what [`rows`] and the survey reader share.
///
/// # Errors
/// No such sheet, or it cannot be read; in words.
pub(crate) fn sheet_rows<RS, R>(book: &mut R, sheet: Option<&str>) -> Result<(String, Vec<Vec<String>>), String>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
    R::Error: std::fmt::Display,
{
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| format!("no sheet named \"{s}\"; the sheets are {}", names.join(", ")))?,
        None => names.first().cloned().ok_or("the workbook has no sheet")?,
    };
    let range = book.worksheet_range(&name).map_err(|e| format!("sheet \"{name}\": {e}"))?;
    // Rows before the used range's start are empty; keep row numbers true.
    let start = range.start().map_or(0, |(r, _)| r as usize);
    let mut out: Vec<Vec<String>> = vec![Vec::new(); start];
    out.extend(range.rows().map(|r| r.iter().map(cell_text).collect()));
    Ok((name, out))
}

/// A sheet written as CSV text, one line per row (so a CSV reader's line is
/// the spreadsheet's row), for readers of CSV such as the core's import of
/// steps. Returns the sheet's name too.
///
/// # Errors
/// As [`rows`].
pub fn as_csv(path: &Path, sheet: Option<&str>) -> Result<(String, String), String> {
    let (name, rows) = rows(path, sheet)?;
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        for row in &rows {
            // A cell's own line breaks would shift every later row's number.
            let cells: Vec<String> =
                (0..width).map(|i| row.get(i).map_or_else(String::new, |c| c.replace(['\r', '\n'], " "))).collect();
            writer.write_record(&cells).map_err(|e| e.to_string())?;
        }
        writer.flush().map_err(|e| e.to_string())?;
    }
    String::from_utf8(out).map(|text| (name, text)).map_err(|e| e.to_string())
}

/// Steps typed in a spreadsheet, as the core's import of steps reads them:
/// a CSV file's text, or a workbook's sheet written as CSV (a row per line).
#[derive(Debug, Clone)]
pub struct Steps {
    /// CSV text.
    pub text: String,
    /// Where they came from, for messages: the file, and the sheet of a workbook.
    pub place: String,
    /// From a workbook: a bad row is named "row N" (a spreadsheet has rows, not lines).
    pub workbook: bool,
}

impl Steps {
    /// Reads `path`: a workbook's sheet (`sheet` by name, else the first), or
    /// the file as text.
    ///
    /// # Errors
    /// The file cannot be read, is not a workbook calamine reads, has no such
    /// sheet, or a sheet was named for a file that is not a workbook; in words,
    /// naming the file.
    pub fn read(path: &Path, sheet: Option<&str>) -> Result<Self, String> {
        let workbook = is_workbook(path);
        if workbook {
            let (name, text) = as_csv(path, sheet).map_err(|e| format!("{}: {e}", path.display()))?;
            return Ok(Self { text, place: format!("{}, sheet \"{name}\"", path.display()), workbook });
        }
        if sheet.is_some() {
            return Err(format!("{}: --sheet is for workbooks (.xlsx, .xls, .ods)", path.display()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self { text, place: path.display().to_string(), workbook })
    }

    /// A refused import in words, with its place: lines of a CSV file, rows
    /// of a workbook's sheet.
    #[must_use]
    pub fn refusal(&self, e: &waymark::csv_import::CsvError) -> String {
        if !self.workbook {
            return format!("{}: {e}", self.place);
        }
        let rows: Vec<String> = e.rows.iter().map(|r| format!("row {}: {}", r.line, r.message)).collect();
        format!("{}: {}", self.place, rows.join("; "))
    }
}
