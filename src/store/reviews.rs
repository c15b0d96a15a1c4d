//! Review snapshots inside the map file.
//!
//! A snapshot row holds the map as an interchange document and the figures
//! as JSON. The interchange format is the one every later Waymark promises to
//! read, so a snapshot taken today opens in every later version even after the
//! tables change. The schema's triggers refuse any UPDATE or DELETE of a
//! snapshot, so "never changed after it is taken" holds even against a bug here.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{ApplyError, MapFile, StoreError, rows};
use crate::edit::EditError;
use crate::interchange;
use crate::model::Map;
use crate::review::{Figures, Review, ReviewSummary, Snapshot};
use crate::validate::MAX_NAME_CHARS;

const COLUMNS: &str = "seq, name, taken_on, participants, figures";

impl MapFile {
    /// Every review in the file, oldest first, without their maps.
    pub fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM snapshot ORDER BY seq");
        let mut st = self.conn.prepare(&sql).map_err(|e| self.corrupt(&e))?;
        let rows = st.query_map([], review_of).map_err(|e| self.corrupt(&e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.decode(row.map_err(|e| self.corrupt(&e))?)?);
        }
        Ok(out)
    }

    /// The review numbered `seq`, with the map it froze.
    pub fn snapshot(&self, seq: u32) -> Result<Option<Snapshot>, StoreError> {
        let sql = format!("SELECT {COLUMNS}, map FROM snapshot WHERE seq = ?1");
        let row = self
            .conn
            .query_row(&sql, [seq], |r| Ok((review_of(r)?, r.get::<_, String>(5)?)))
            .optional()
            .map_err(|e| self.corrupt(&e))?;
        let Some((raw, json)) = row else { return Ok(None) };
        let review = self.decode(raw)?;
        let map = interchange::read_unvalidated(&json)
            .map_err(|e| self.corrupt_text(format!("review {seq} (\"{}\"): {e}", review.name)))?;
        Ok(Some(Snapshot { review, map }))
    }

    /// Freezes the map as stored now, with its figures as of `on`, as a review
    /// named `name` with `participants`. Refused on a read-only map, and for a
    /// name that is empty or longer than a label.
    pub fn take_review(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError> {
        self.writable()?;
        let name = review_name(name)?;
        let sqlite = |source| StoreError::Sqlite { path: self.path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let last: Option<String> =
            tx.query_row("SELECT MAX(taken_on) FROM snapshot", [], |r| r.get(0)).map_err(sqlite)?;
        review_follows(on, last.and_then(|l| NaiveDate::parse_from_str(&l, "%Y-%m-%d").ok()))?;
        let taken: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM snapshot WHERE lower(trim(name)) = lower(trim(?1)))",
                [name],
                |r| r.get(0),
            )
            .map_err(sqlite)?;
        review_name_free(name, taken)?;
        let map =
            rows::load(&tx).map_err(|e| StoreError::Corrupt { path: self.path.clone(), detail: e.to_string() })?;
        let frozen = freeze(name, on, participants, &map)
            .map_err(|detail| StoreError::Corrupt { path: self.path.clone(), detail })?;
        tx.execute(
            "INSERT INTO snapshot (name, taken_on, participants, map, figures) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, on.format("%Y-%m-%d").to_string(), frozen.participants, frozen.map, frozen.figures],
        )
        .map_err(sqlite)?;
        let seq = tx.last_insert_rowid();
        tx.commit().map_err(sqlite)?;
        Ok(Review { seq: u32::try_from(seq).unwrap_or(u32::MAX), ..frozen.review })
    }

    /// A new file at `path` holding `map` and every review of this file, as
    /// "Save a copy as…" makes it: the team's history goes with the map. This
    /// file is only read, so a read-only map can be copied; the new file is
    /// refused if one is already there.
    pub fn copy_to(&self, path: &std::path::Path, map: &crate::model::Map) -> Result<MapFile, StoreError> {
        let mut copy = MapFile::create(path, map)?;
        let sql = format!("SELECT {COLUMNS}, map FROM snapshot ORDER BY seq");
        let mut st = self.conn.prepare(&sql).map_err(|e| self.corrupt(&e))?;
        let rows = st
            .query_map([], |r| Ok((review_of(r)?, r.get::<_, String>(5)?)))
            .map_err(|e| self.corrupt(&e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.corrupt(&e))?;
        let sqlite = |source| StoreError::Sqlite { path: path.to_owned(), source };
        let tx = copy.conn.transaction().map_err(sqlite)?;
        for (r, map_json) in rows {
            tx.execute(
                "INSERT INTO snapshot (seq, name, taken_on, participants, map, figures) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.seq, r.name, r.taken_on, r.participants, map_json, r.figures],
            )
            .map_err(sqlite)?;
        }
        tx.commit().map_err(sqlite)?;
        Ok(copy)
    }

    /// The reviews of this file with the map as it is now, as of `today`:
    /// what the window shows and the report prints.
    pub fn review_summary(&self, map: &crate::model::Map, today: NaiveDate) -> Result<ReviewSummary, StoreError> {
        let reviews = self.reviews()?;
        let last = match reviews.last() {
            Some(r) => self.snapshot(r.seq)?,
            None => None,
        };
        Ok(ReviewSummary::new(map, reviews, last.as_ref(), today))
    }

    fn decode(&self, raw: RawReview) -> Result<Review, StoreError> {
        let RawReview { seq, name, taken_on, participants, figures } = raw;
        decode_review(seq, name, &taken_on, &participants, &figures).map_err(|e| self.corrupt_text(e))
    }

    fn corrupt(&self, e: &rusqlite::Error) -> StoreError {
        self.corrupt_text(e.to_string())
    }

    fn corrupt_text(&self, detail: String) -> StoreError {
        StoreError::Corrupt { path: self.path.clone(), detail }
    }
}

/// A snapshot row before its JSON columns are parsed.
struct RawReview {
    seq: u32,
    name: String,
    taken_on: String,
    participants: String,
    figures: String,
}

fn review_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawReview> {
    Ok(RawReview { seq: r.get(0)?, name: r.get(1)?, taken_on: r.get(2)?, participants: r.get(3)?, figures: r.get(4)? })
}

/// A review about to be stored, the same for a file and a library: the
/// review (numbered once stored) and its columns, the day's figures and the
/// map as JSON.
#[derive(Debug, Clone)]
pub struct Frozen {
    /// The review, numbered 0 until stored.
    pub review: Review,
    /// Who took part, as a JSON array of names.
    pub participants: String,
    /// The day's figures, as JSON.
    pub figures: String,
    /// The map, as an interchange document.
    pub map: String,
}

/// Freezes `map` as the review `name` of day `on`, or says why its columns
/// could not be written.
pub fn freeze(name: &str, on: NaiveDate, participants: &[String], map: &Map) -> Result<Frozen, String> {
    let figures = Figures::of(map, on);
    let json = |what: &str, e: serde_json::Error| format!("could not record the review's {what}: {e}");
    Ok(Frozen {
        participants: serde_json::to_string(participants).map_err(|e| json("participants", e))?,
        figures: serde_json::to_string(&figures).map_err(|e| json("figures", e))?,
        map: interchange::write(map),
        review: Review { seq: 0, name: name.to_owned(), taken_on: on, participants: participants.to_vec(), figures },
    })
}

/// A review's name, trimmed, or why it cannot be one: empty, or longer
/// than a label. The file and the library take reviews by the same rules.
pub fn review_name(name: &str) -> Result<&str, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::Incomplete("a review needs a name (\"Spring review\")".to_owned()));
    }
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(EditError::Conflict(format!(
            "the review's name is {n} characters long; the limit is {MAX_NAME_CHARS}"
        )));
    }
    Ok(name)
}

/// Refuses a review dated before the last one: "the last review" is the
/// latest by date and by number alike, so reviews follow one another.
pub fn review_follows(on: NaiveDate, last: Option<NaiveDate>) -> Result<(), EditError> {
    match last.filter(|l| on < *l) {
        Some(last) => Err(EditError::Conflict(format!(
            "a review dated {on} would come before the last review, dated {last}; reviews follow one another"
        ))),
        None => Ok(()),
    }
}

/// Refuses a review name the map already has (letter case and surrounding
/// spaces aside): `review diff NAME` must find one review, not guess.
///
/// # Errors
/// The name is taken.
pub fn review_name_free(name: &str, taken: bool) -> Result<(), EditError> {
    if taken {
        return Err(EditError::Conflict(format!(
            "a review named \"{}\" is already there: give this one another name, such as \"{} (2)\"",
            name.trim(),
            name.trim()
        )));
    }
    Ok(())
}

/// A stored review's columns read back, or what is wrong with them.
pub fn decode_review(
    seq: u32,
    name: String,
    taken_on: &str,
    participants: &str,
    figures: &str,
) -> Result<Review, String> {
    let bad = |what: &str, e: &dyn std::fmt::Display| format!("review {seq}: {what}: {e}");
    Ok(Review {
        seq,
        taken_on: NaiveDate::parse_from_str(taken_on, "%Y-%m-%d").map_err(|e| bad("its date", &e))?,
        participants: serde_json::from_str(participants).map_err(|e| bad("its participants", &e))?,
        figures: serde_json::from_str(figures).map_err(|e| bad("its figures", &e))?,
        name,
    })
}
