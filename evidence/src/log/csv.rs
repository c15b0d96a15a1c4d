//! Event logs as CSV: one row per event (or per activity instance, with a
//! start column), comma-, semicolon- or tab-separated. Columns are named on
//! the command line or recognised by their usual names.

use std::io::BufRead;

use super::{Builder, RawEvent, ReadOptions, time};

type Failure = (Option<String>, String);

const CASE: [&str; 5] = ["case:concept:name", "case", "case_id", "caseid", "case id"];
const ACTIVITY: [&str; 3] = ["concept:name", "activity", "event"];
const TIME: [&str; 4] = ["time:timestamp", "timestamp", "time", "complete_timestamp"];
const START: [&str; 2] = ["start_timestamp", "start"];
const LIFECYCLE: [&str; 1] = ["lifecycle:transition"];
const INSTANCE: [&str; 1] = ["concept:instance"];

pub(super) fn read<R: BufRead>(mut input: R, builder: &mut Builder<'_>, options: &ReadOptions) -> Result<(), Failure> {
    let header_line = {
        let buf = input.fill_buf().map_err(|e| (None, e.to_string()))?;
        let end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    };
    let delimiter = if header_line.contains(',') {
        b','
    } else if header_line.contains(';') {
        b';'
    } else if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| (Some("row 1".into()), format!("the header row cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let find = |given: Option<&String>, usual: &[&str], what: &str| -> Result<Option<usize>, Failure> {
        match given {
            Some(name) => headers.iter().position(|h| h == name).map(Some).ok_or_else(|| {
                (
                    Some("row 1".into()),
                    format!("no column named \"{name}\" for the {what}; the columns are {}", headers.join(", ")),
                )
            }),
            None => Ok(headers.iter().position(|h| usual.iter().any(|u| h.eq_ignore_ascii_case(u)))),
        }
    };
    let cols = &options.columns;
    let case = find(cols.case.as_ref(), &CASE, "case")?.ok_or_else(|| {
        (
            Some("row 1".into()),
            format!(
                "no case column: name it with --case COLUMN (the usual names are case:concept:name and case); the columns are {}",
                headers.join(", ")
            ),
        )
    })?;
    let activity = find(cols.activity.as_ref(), &ACTIVITY, "activity")?.ok_or_else(|| {
        (
            Some("row 1".into()),
            format!("no activity column: name it with --activity COLUMN (usually concept:name or activity); the columns are {}", headers.join(", ")),
        )
    })?;
    let time_col = find(cols.time.as_ref(), &TIME, "time")?.ok_or_else(|| {
        (
            Some("row 1".into()),
            format!(
                "no time column: name it with --time COLUMN (usually time:timestamp or timestamp); the columns are {}",
                headers.join(", ")
            ),
        )
    })?;
    let start = find(cols.start.as_ref(), &START, "start time")?;
    let lifecycle = find(None, &LIFECYCLE, "")?;
    let instance = find(None, &INSTANCE, "")?;
    let group = headers.iter().position(|h| *h == options.department);
    let case_attr = |name: &Option<String>| -> Option<usize> {
        let name = name.as_ref()?;
        headers.iter().position(|h| *h == *name || h.strip_prefix("case:") == Some(name.as_str()))
    };
    let segment = case_attr(&options.segment);
    let deadline = case_attr(&options.deadline);
    if options.segment.is_some() && segment.is_none() {
        return Err((
            Some("row 1".into()),
            format!("no column for the segment \"{}\"", options.segment.as_deref().unwrap_or_default()),
        ));
    }
    for h in &headers {
        if let Some(attr) = h.strip_prefix("case:").filter(|a| *a != "concept:name") {
            builder.case_attribute(attr);
        }
    }
    builder.notes.start_column = start.is_some();
    let zone = options.zone;
    let mut record = ::csv::StringRecord::new();
    let mut row: u64 = 1;
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err((Some(format!("row {row}")), format!("cannot be read: {e}"))),
        }
        let cell = |i: usize| record.get(i).map(str::trim).filter(|s| !s.is_empty());
        let stamp = |i: usize, name: &str| -> Result<Option<time::Stamp>, Failure> {
            match cell(i) {
                None => Ok(None),
                Some(text) => time::parse(text, zone).map(Some).ok_or_else(|| {
                    (Some(format!("row {row}, column {name}")), format!("\"{text}\" is not a date and time"))
                }),
            }
        };
        let Some(case_name) = cell(case) else {
            return Err((Some(format!("row {row}, column {}", headers[case])), "the case id is empty".into()));
        };
        let c = builder.case(case_name);
        if let Some(i) = segment {
            builder.cases[c].segment = cell(i).map(str::to_owned);
        }
        if let Some(i) = deadline {
            builder.cases[c].deadline = stamp(i, &headers[i])?.map(|s| s.micros);
        }
        let event = RawEvent {
            activity: cell(activity).map(str::to_owned),
            time: stamp(time_col, &headers[time_col])?,
            start: match start {
                Some(i) => stamp(i, &headers[i])?,
                None => None,
            },
            lifecycle: lifecycle.and_then(cell).map(str::to_owned),
            instance: instance.and_then(cell).map(str::to_owned),
            group: group.and_then(cell).map(str::to_owned),
        };
        builder.event(c, event);
    }
    Ok(())
}
