//! Event logs: what a case system recorded, read into compact cases.
//!
//! XES (IEEE 1849, plain or gzip) and CSV with one row per event are read as
//! a stream: an XES log is never held as a tree nor as text, only as its
//! cases, each a list of small events whose activity, department and
//! instance are numbers into tables of the log. Times become instants; the
//! offsets they were written with are counted, so `waymark log` can say
//! which a log carries. People's names (`org:resource`) are never read, and
//! of the case attributes only the ones asked for (a segment, a deadline)
//! are kept.

mod csv;
pub mod time;
mod xes;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::FixedOffset;
use rustc_hash::FxHashMap;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

pub use time::Stamp;

/// What a log event says of its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// `start` (any letter case).
    Start,
    /// `complete`, or no lifecycle at all.
    Complete,
    /// Anything else (schedule, assign, suspend, a status...): its value's
    /// number in [`Log::transitions`].
    Other(u32),
}

/// One event of a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// The activity's number in [`Log::activities`].
    pub activity: u32,
    /// When it happened; `None` when the event carries no time.
    pub time: Option<i64>,
    /// A separate start time (a CSV's start column), microseconds.
    pub start: Option<i64>,
    /// Its lifecycle transition.
    pub lifecycle: Lifecycle,
    /// Its `concept:instance`, numbered per log.
    pub instance: Option<u32>,
    /// Its department (the `org:group`, or the attribute asked for).
    pub group: Option<u32>,
}

/// One case: a trace, or the rows of a CSV sharing a case id.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its `concept:name`.
    pub name: String,
    /// Its events in file order.
    pub events: Vec<Event>,
    /// The value of the segment attribute, when one was asked for.
    pub segment: Option<String>,
    /// The deadline attribute's instant, when one was asked for and given.
    pub deadline: Option<i64>,
}

/// A read log.
#[derive(Debug, Clone)]
pub struct Log {
    /// The file's name (not its folder).
    pub file: String,
    /// SHA-256 of the file's bytes as stored (compressed or not), hex.
    pub sha256: String,
    /// XES or CSV.
    pub format: Format,
    /// Activity names by number.
    pub activities: Vec<String>,
    /// Department names by number.
    pub groups: Vec<String>,
    /// Lifecycle values other than start and complete, by number.
    pub transitions: Vec<String>,
    /// Every case, in file order.
    pub cases: Vec<Case>,
    /// What reading found beside the cases.
    pub notes: Notes,
}

/// The two kinds of log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// IEEE 1849 XES.
    Xes,
    /// Comma-, semicolon- or tab-separated, one row per event.
    Csv,
}

/// Counts gathered while reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    /// Events counted, in cases or not.
    pub events: u64,
    /// Events directly in the log, outside any trace: part of no case.
    pub outside_cases: u64,
    /// Events without a `concept:name`: left out.
    pub unnamed_events: u64,
    /// Events without a time: left out of every time and order.
    pub untimed_events: u64,
    /// Traces without a `concept:name`, named by their position instead.
    pub unnamed_cases: u64,
    /// Lifecycle values as written, with how many events carry each.
    pub lifecycle_values: BTreeMap<String, u64>,
    /// Offsets the times were written with (seconds east of UTC), with counts.
    pub offsets: BTreeMap<i32, u64>,
    /// Times written without an offset (read in [`ReadOptions::zone`]).
    pub naive_times: u64,
    /// The zone naive times were read in, as given.
    pub zone: String,
    /// Earliest and latest instant, microseconds.
    pub span: Option<(i64, i64)>,
    /// Names of the case (trace) attributes the log has.
    pub case_attributes: Vec<String>,
    /// Whether a separate start time column was read (CSV).
    pub start_column: bool,
}

/// Told how many bytes of the file were read so far (the file as stored,
/// compressed or not); answers `false` to stop the read.
pub type Progress = std::sync::Arc<dyn Fn(u64) -> bool + Send + Sync>;

/// How to read a log.
#[derive(Clone)]
pub struct ReadOptions {
    /// The zone naive times were written in.
    pub zone: FixedOffset,
    /// How the zone was given, for the output ("UTC", "+01:00").
    pub zone_name: String,
    /// The event attribute naming the department (`org:group`).
    pub department: String,
    /// A case attribute to split every figure by.
    pub segment: Option<String>,
    /// A case attribute holding the case's deadline (a date).
    pub deadline: Option<String>,
    /// CSV columns named on the command line.
    pub columns: Columns,
    /// Called as the file is read, about every 256 KB; `None`: nobody watches.
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for ReadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOptions")
            .field("zone", &self.zone)
            .field("department", &self.department)
            .field("segment", &self.segment)
            .field("deadline", &self.deadline)
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

/// The message of a read stopped by its [`Progress`].
pub const CANCELLED: &str = "reading was cancelled";

/// How much of the file one chunk carries between the two threads.
const CHUNK: usize = 1 << 18;
/// How many chunks may wait: the memory a read holds beyond its cases.
const CHUNKS_IN_FLIGHT: usize = 4;

/// What the file thread sends: the next bytes of the log (decompressed), or
/// why it stopped.
enum Chunk {
    Bytes(Vec<u8>),
    Failed(std::io::Error),
}

/// Reads the file on a thread of its own, hashing the bytes as stored,
/// telling the watcher every 256 KB, and decompressing gzip, so that parsing
/// on the caller's thread overlaps the reading, hashing and inflating. At
/// most [`CHUNKS_IN_FLIGHT`] chunks wait, so memory stays bounded. Returns
/// the SHA-256 of every byte of the file.
fn produce(
    file: std::fs::File,
    gz: bool,
    progress: Option<&Progress>,
    out: &std::sync::mpsc::SyncSender<Chunk>,
) -> std::io::Result<String> {
    struct Hashing<'p> {
        file: std::fs::File,
        hash: Sha256,
        read: u64,
        reported: u64,
        progress: Option<&'p Progress>,
    }
    impl Read for Hashing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.file.read(buf)?;
            self.hash.update(&buf[..n]);
            self.read += n as u64;
            if let Some(p) = self.progress
                && (self.read - self.reported >= 1 << 18 || n == 0)
            {
                self.reported = self.read;
                if !p(self.read) {
                    return Err(std::io::Error::other(CANCELLED));
                }
            }
            Ok(n)
        }
    }
    let mut hashing = Hashing { file, hash: Sha256::new(), read: 0, reported: 0, progress };
    let result = (|| {
        let mut decoder;
        let source: &mut dyn Read = if gz {
            decoder = flate2::bufread::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, &mut hashing));
            &mut decoder
        } else {
            &mut hashing
        };
        loop {
            let mut chunk = vec![0u8; CHUNK];
            let mut filled = 0;
            while filled < CHUNK {
                match source.read(&mut chunk[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            if filled == 0 {
                return Ok(());
            }
            chunk.truncate(filled);
            if out.send(Chunk::Bytes(chunk)).is_err() {
                // The parser stopped: its error is the one that counts, and
                // the rest of the file need not be read for a hash.
                return Err(std::io::Error::other("the parser stopped"));
            }
        }
    })();
    if let Err(e) = result {
        let message = e.to_string();
        let _ = out.send(Chunk::Failed(e));
        return Err(std::io::Error::other(message));
    }
    // Whatever the decoder left unread still belongs to the file's hash.
    std::io::copy(&mut hashing, &mut std::io::sink())?;
    Ok(hashing.hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The parser's end of the file thread: the chunks as one buffered stream.
struct Chunks {
    from: std::sync::mpsc::Receiver<Chunk>,
    current: Vec<u8>,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Chunks {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at >= self.current.len() {
            match self.from.recv() {
                Ok(Chunk::Bytes(bytes)) => {
                    self.current = bytes;
                    self.at = 0;
                }
                Ok(Chunk::Failed(e)) => return Err(e),
                // The file thread is done: the end of the file.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.current[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.current.len());
    }
}

/// CSV columns by name; unnamed ones are recognised by their usual names.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// The case id.
    pub case: Option<String>,
    /// The activity.
    pub activity: Option<String>,
    /// The event's (completion) time.
    pub time: Option<String>,
    /// A start time, for logs with one row per activity instance.
    pub start: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            zone: FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("0 is a valid offset")),
            zone_name: "UTC".to_owned(),
            department: "org:group".to_owned(),
            segment: None,
            deadline: None,
            columns: Columns::default(),
            progress: None,
        }
    }
}

/// Why a log could not be read: what, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {what}", .at.as_ref().map(|a| format!(", {a}")).unwrap_or_default())]
pub struct LogError {
    /// The file's name.
    pub file: String,
    /// Where in it: "line 12, <date key=\"time:timestamp\">", "row 7, column time:timestamp".
    pub at: Option<String>,
    /// What is wrong.
    pub what: String,
}

/// Reads the log at `path`: XES when its name ends `.xes` or `.xes.gz` or it
/// starts like XML, CSV otherwise. Gzip is recognised by its first bytes.
///
/// # Errors
/// The file cannot be opened, is neither format, or is malformed; the error
/// names the element or row and why.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Log, LogError> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    // A read stopped by its watcher says so, whatever the parser made of it.
    let fail = |at: Option<String>, what: String| {
        if what.contains(CANCELLED) {
            LogError { file: file.clone(), at: None, what: CANCELLED.to_owned() }
        } else {
            LogError { file: file.clone(), at, what }
        }
    };
    let mut raw = std::fs::File::open(path).map_err(|e| fail(None, e.to_string()))?;
    let mut magic = [0u8; 2];
    let gz = raw.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    std::io::Seek::rewind(&mut raw).map_err(|e| fail(None, e.to_string()))?;
    let lower = file.to_lowercase();
    let mut builder = Builder::new(options);
    let (parsed, hashed) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let producer = scope.spawn(move || produce(raw, gz, options.progress.as_ref(), &send));
        let mut reader = Chunks { from: receive, current: Vec::new(), at: 0 };
        let parsed = (|| {
            let xml = lower.ends_with(".xes") || lower.ends_with(".xes.gz") || lower.ends_with(".xml") || {
                let head = reader.fill_buf().map_err(|e| (None, e.to_string()))?;
                head.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|&b| b == b'<')
            };
            if xml {
                xes::read(&mut reader, &mut builder).map(|()| Format::Xes).map_err(|(at, what)| {
                    let at = at.map(|(byte, element)| {
                        let line =
                            line_of(path, gz, byte).map_or_else(|| format!("byte {byte}"), |l| format!("line {l}"));
                        element.map_or_else(|| line.clone(), |e| format!("{line}, {e}"))
                    });
                    (at, what)
                })
            } else {
                csv::read(&mut reader, &mut builder, options).map(|()| Format::Csv)
            }
        })();
        // Dropping the receiving end stops a file thread the parser gave up on.
        drop(reader);
        let hashed = producer.join().unwrap_or_else(|_| Err(std::io::Error::other("the file thread failed")));
        (parsed, hashed)
    });
    let format = parsed.map_err(|(at, what)| fail(at, what))?;
    let sha256 = hashed.map_err(|e| fail(None, e.to_string()))?;
    builder.hash = Some(sha256);
    Ok(builder.finish(file, format))
}

/// The SHA-256 of some bytes, hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The line (from 1) of the first character at or after byte `byte` of the
/// file's text that is not whitespace (where the element the reader was at
/// begins: it skips the whitespace between elements), reading the file again
/// (decompressed); `None` when it cannot be read again.
fn line_of(path: &Path, gz: bool, byte: u64) -> Option<u64> {
    let file = std::fs::File::open(path).ok()?;
    let text: Box<dyn Read> =
        if gz { Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))) } else { Box::new(file) };
    let mut text = BufReader::with_capacity(1 << 16, text);
    let mut left = byte;
    let mut lines = 1;
    while let Ok(buf) = text.fill_buf() {
        if buf.is_empty() {
            break;
        }
        let before = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        lines += memchr::memchr_iter(b'\n', &buf[..before]).count() as u64;
        let rest = &buf[before..];
        let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        lines += memchr::memchr_iter(b'\n', &rest[..blank]).count() as u64;
        if blank < rest.len() {
            break;
        }
        let n = buf.len();
        left -= before as u64;
        text.consume(n);
    }
    Some(lines)
}

/// Interns names as numbers.
#[derive(Debug, Default)]
struct Names {
    index: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn of(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.index.insert(name.to_owned(), i);
        self.names.push(name.to_owned());
        i
    }
}

/// Collects cases as a reader finds them.
struct Builder<'a> {
    options: &'a ReadOptions,
    activities: Names,
    groups: Names,
    transitions: Names,
    instances: Names,
    cases: Vec<Case>,
    case_index: FxHashMap<String, usize>,
    notes: Notes,
    case_attributes: Names,
    hash: Option<String>,
}

/// An event as a reader found it, before interning.
#[derive(Debug, Default)]
pub(crate) struct RawEvent {
    pub activity: Option<String>,
    pub time: Option<Stamp>,
    pub start: Option<Stamp>,
    pub lifecycle: Option<String>,
    pub instance: Option<String>,
    pub group: Option<String>,
}

impl<'a> Builder<'a> {
    fn new(options: &'a ReadOptions) -> Self {
        Self {
            options,
            activities: Names::default(),
            groups: Names::default(),
            transitions: Names::default(),
            instances: Names::default(),
            cases: Vec::new(),
            case_index: FxHashMap::default(),
            notes: Notes { zone: options.zone_name.clone(), ..Notes::default() },
            case_attributes: Names::default(),
            hash: None,
        }
    }

    /// The case named `name`, made when new (CSV rows of a case may be apart).
    fn case(&mut self, name: &str) -> usize {
        if let Some(&i) = self.case_index.get(name) {
            return i;
        }
        self.cases.push(Case { name: name.to_owned(), events: Vec::new(), segment: None, deadline: None });
        self.case_index.insert(name.to_owned(), self.cases.len() - 1);
        self.cases.len() - 1
    }

    /// A new case that is a trace of its own (XES: traces never merge).
    fn trace(&mut self, name: Option<String>) -> usize {
        let name = name.unwrap_or_else(|| {
            self.notes.unnamed_cases += 1;
            format!("(trace {})", self.cases.len() + 1)
        });
        self.cases.push(Case { name, events: Vec::new(), segment: None, deadline: None });
        self.cases.len() - 1
    }

    fn case_attribute(&mut self, key: &str) {
        self.case_attributes.of(key);
    }

    fn stamp(&mut self, s: Stamp) {
        match s.offset {
            Some(o) => *self.notes.offsets.entry(o).or_default() += 1,
            None => self.notes.naive_times += 1,
        }
        self.notes.span = Some(match self.notes.span {
            Some((a, b)) => (a.min(s.micros), b.max(s.micros)),
            None => (s.micros, s.micros),
        });
    }

    /// Adds an event to case `case`.
    fn event(&mut self, case: usize, raw: RawEvent) {
        self.notes.events += 1;
        let Some(activity) = raw.activity else {
            self.notes.unnamed_events += 1;
            return;
        };
        if let Some(t) = raw.time {
            self.stamp(t);
        } else {
            self.notes.untimed_events += 1;
        }
        if let Some(s) = raw.start {
            self.stamp(s);
        }
        let lifecycle = match raw.lifecycle.as_deref() {
            None => Lifecycle::Complete,
            Some(v) => {
                match self.notes.lifecycle_values.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        self.notes.lifecycle_values.insert(v.to_owned(), 1);
                    }
                }
                if v.eq_ignore_ascii_case("start") {
                    Lifecycle::Start
                } else if v.eq_ignore_ascii_case("complete") {
                    Lifecycle::Complete
                } else {
                    Lifecycle::Other(self.transitions.of(v))
                }
            }
        };
        let event = Event {
            activity: self.activities.of(&activity),
            time: raw.time.map(|t| t.micros),
            start: raw.start.map(|t| t.micros),
            lifecycle,
            instance: raw.instance.map(|i| self.instances.of(&i)),
            group: raw.group.map(|g| self.groups.of(&g)),
        };
        self.cases[case].events.push(event);
    }

    fn outside_case(&mut self) {
        self.notes.events += 1;
        self.notes.outside_cases += 1;
    }

    fn finish(mut self, file: String, format: Format) -> Log {
        self.notes.case_attributes = self.case_attributes.names;
        Log {
            file,
            sha256: self.hash.take().unwrap_or_default(),
            format,
            activities: self.activities.names,
            groups: self.groups.names,
            transitions: self.transitions.names,
            cases: self.cases,
            notes: self.notes,
        }
    }
}

impl Log {
    /// How many events are in cases.
    #[must_use]
    pub fn case_events(&self) -> u64 {
        self.cases.iter().map(|c| c.events.len() as u64).sum()
    }

    /// Whether the log has start events (or a start column): times are then
    /// start to completion, else completion to completion.
    #[must_use]
    pub fn has_starts(&self) -> bool {
        self.notes.start_column || self.cases.iter().any(|c| c.events.iter().any(|e| e.lifecycle == Lifecycle::Start))
    }
}

/// What `waymark log` says of a log before anything is done with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The file's name.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// XES or CSV.
    pub format: Format,
    /// Cases.
    pub cases: u64,
    /// Events in cases.
    pub events: u64,
    /// Activities, most frequent first, with their event counts.
    pub activities: Vec<Count>,
    /// Departments (the department attribute's values), most frequent first.
    pub groups: Vec<Count>,
    /// First and last instant, UTC.
    pub time_span: Option<[String; 2]>,
    /// Lifecycle values as written, with counts.
    pub lifecycle_transitions: Vec<Count>,
    /// Offsets the times carry, with counts ("+02:00").
    pub offsets: Vec<Count>,
    /// Times without an offset, and the zone they were read in.
    pub naive_times: u64,
    /// The zone naive times were read in.
    pub zone: String,
    /// `start` when the log has start events (or a start column), else `complete`.
    pub time_basis: &'static str,
    /// The case attributes the log has (names only).
    pub case_attributes: Vec<String>,
    /// Events left out, and why.
    pub left_out: Vec<Count>,
}

/// A name and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The name.
    pub name: String,
    /// How many.
    pub count: u64,
}

impl Summary {
    /// Summarises `log`.
    #[must_use]
    pub fn of(log: &Log) -> Self {
        let mut activities = vec![0u64; log.activities.len()];
        let mut groups = vec![0u64; log.groups.len()];
        for e in log.cases.iter().flat_map(|c| &c.events) {
            activities[e.activity as usize] += 1;
            if let Some(g) = e.group {
                groups[g as usize] += 1;
            }
        }
        let counted = |names: &[String], counts: Vec<u64>| {
            let mut out: Vec<Count> =
                names.iter().zip(counts).map(|(n, c)| Count { name: n.clone(), count: c }).collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
            out
        };
        let n = &log.notes;
        let left_out = [
            (n.outside_cases, "outside any trace"),
            (n.unnamed_events, "without a concept:name"),
            (n.untimed_events, "without a time (kept in order, left out of every time)"),
        ]
        .into_iter()
        .filter(|(c, _)| *c > 0)
        .map(|(count, why)| Count { name: why.to_owned(), count })
        .collect();
        Self {
            file: log.file.clone(),
            sha256: log.sha256.clone(),
            format: log.format,
            cases: log.cases.len() as u64,
            events: log.case_events(),
            activities: counted(&log.activities, activities),
            groups: counted(&log.groups, groups),
            time_span: n.span.map(|(a, b)| [time::utc_text(a), time::utc_text(b)]),
            lifecycle_transitions: n
                .lifecycle_values
                .iter()
                .map(|(k, v)| Count { name: k.clone(), count: *v })
                .collect(),
            offsets: n.offsets.iter().map(|(o, c)| Count { name: time::offset_text(*o), count: *c }).collect(),
            naive_times: n.naive_times,
            zone: n.zone.clone(),
            time_basis: if log.has_starts() { "start" } else { "complete" },
            case_attributes: n.case_attributes.clone(),
            left_out,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} ({}, sha256 {}…)",
            self.file,
            match self.format {
                Format::Xes => "XES",
                Format::Csv => "CSV",
            },
            &self.sha256[..self.sha256.len().min(16)]
        )?;
        writeln!(
            f,
            "{} cases, {} events, {} activities, {} departments",
            self.cases,
            self.events,
            self.activities.len(),
            self.groups.len()
        )?;
        if let Some([a, b]) = &self.time_span {
            writeln!(f, "from {a} to {b}")?;
        }
        let list =
            |items: &[Count]| items.iter().map(|c| format!("{} ({})", c.name, c.count)).collect::<Vec<_>>().join(", ");
        if !self.offsets.is_empty() {
            writeln!(f, "times written with offsets {}", list(&self.offsets))?;
        }
        if self.naive_times > 0 {
            writeln!(f, "{} times without an offset, read as {}", self.naive_times, self.zone)?;
        }
        if self.lifecycle_transitions.is_empty() {
            writeln!(f, "no lifecycle transitions: every event is a completion")?;
        } else {
            writeln!(f, "lifecycle transitions: {}", list(&self.lifecycle_transitions))?;
        }
        writeln!(
            f,
            "times are measured {}",
            if self.time_basis == "start" {
                "from a completion to the next start"
            } else {
                "from completion to completion (the log has no start events)"
            }
        )?;
        if !self.case_attributes.is_empty() {
            writeln!(f, "case attributes: {}", self.case_attributes.join(", "))?;
        }
        for c in &self.left_out {
            writeln!(f, "left out: {} events {}", c.count, c.name)?;
        }
        writeln!(f, "\nActivities (events)")?;
        for c in &self.activities {
            writeln!(f, "  {:>7}  {}", c.count, c.name)?;
        }
        if !self.groups.is_empty() {
            writeln!(f, "\nDepartments (events)")?;
            for c in self.groups.iter().take(40) {
                writeln!(f, "  {:>7}  {}", c.count, c.name)?;
            }
            if self.groups.len() > 40 {
                writeln!(f, "  … and {} more (--json lists them all)", self.groups.len() - 40)?;
            }
        }
        Ok(())
    }
}
