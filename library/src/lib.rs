//! `waymark-library`: the organisation's library, maps kept in a PostgreSQL
//! database that several people use at once, for when a `.waymark` file on
//! a share is not enough. PostgreSQL is the engine; Waymark runs no server
//! of its own.
//!
//! This crate is the only one that knows PostgreSQL exists. It stands on
//! the core (`waymark`): a library map is edited through the core's
//! [`Storage`] interface ([`Editing`] implements it, as the core's
//! `MapFile` does), every change is the core's `Edit` applied by the core,
//! reviews are frozen by the core's `store::freeze`, and what it cannot do
//! reaches callers as the core's `StoreError::Other` holding a
//! [`LibraryError`]. The core must never depend on this crate, and this
//! crate must never depend on the room, the command line or the shell,
//! which all use it.
//!
//! A library holds each map as its current document (the interchange
//! format), its edit log (the same patches a file's history holds, each with
//! the version it made and who made it) and its reviews (frozen as they were
//! taken). A map moves between a file and a library whole: [`Archive`] is
//! the file's content as data, and [`Library::push`] and [`Library::pull`]
//! carry it across without decoding what was recorded.
//!
//! - `address.rs`: the library's URL, a map's `URL#MAP`, and where the
//!   password comes from (never stored by Waymark);
//! - `schema.rs` + `migrations/*.sql`: the library's tables and their
//!   migrations;
//! - `editing.rs`: editing a map that others edit at the same time;
//! - `watch.rs`: hearing of others' edits as they are committed;
//! - `error.rs`: what can go wrong, in words;
//! - `portfolio.rs`: a library's maps as a portfolio, and [`portfolio::read`],
//!   which picks a library or a folder for what the user named.
//!
//! [`open`] decides what a map the user named is: a library map
//! (`URL#MAP`) or a `.waymark` file. The window, the room and the command
//! line open every map through it, and hold the `Box<dyn Storage>` it gives.

mod address;
mod editing;
mod error;
pub mod portfolio;
mod schema;
mod watch;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{Client, Transaction};
use serde::Serialize;

pub use address::{Address, MapRef, id_from_title, is_library_ref, without_password};
pub use editing::{EditRefused, Editing, Missed};
pub use error::LibraryError;
pub use schema::LATEST as LIBRARY_SCHEMA_VERSION;
pub use watch::Watch;

use waymark::interchange;
use waymark::model::Map;
use waymark::storage::Storage;
use waymark::store::{Archive, HistoryEntry, MapFile, StoreError, StoredReview};

/// Opens the map `target` names for editing: a library map written
/// `URL#MAP`, else a `.waymark` file.
///
/// # Errors
/// The file does not open, or the library or the map cannot be used.
pub fn open(target: &Path) -> Result<Box<dyn Storage>, StoreError> {
    if let Some(text) = target.to_str().filter(|t| is_library_ref(t)) {
        let map = MapRef::parse(text)?;
        return Ok(Box::new(Library::open(&map.url)?.edit(&map.map)?));
    }
    Ok(Box::new(MapFile::open(target)?))
}

/// A connection to a library whose schema this Waymark reads.
pub struct Library {
    client: Client,
    address: Address,
}

/// One map of a library, as `waymark library list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapEntry {
    /// The map's id in the library (what `URL#MAP` names).
    pub id: String,
    /// Its title.
    pub title: String,
    /// How many steps it has.
    pub steps: u32,
    /// How many edits its log holds (the map's version).
    pub version: i64,
    /// When it was last changed, and by whom.
    pub last_edit: DateTime<Utc>,
    /// Who changed it last (the library's user name).
    pub last_editor: String,
    /// When its next review is due, when it has a review cadence.
    pub next_review: Option<NaiveDate>,
}

/// A map's current document as [`Library::documents`] reads it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The map's id.
    pub id: String,
    /// The map, or why its document does not parse.
    pub map: Result<Map, String>,
    /// The day of its last review.
    pub last_review: Option<NaiveDate>,
}

/// What `init` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initialized {
    /// The schema was created (or brought up to date) now.
    Created,
    /// The database already was a library of this version.
    AlreadyThere,
}

impl Library {
    /// Makes the database at `url` a library: creates its tables in one
    /// transaction, or brings an older library's up to date. A library from
    /// a newer Waymark is refused, and so is a database that already holds
    /// tables of its own (it is not emptied or mixed into).
    ///
    /// # Errors
    /// The server cannot be reached or refuses, or the database is not
    /// ours to make a library of.
    pub fn init(url: &str) -> Result<(Self, Initialized), LibraryError> {
        let address = Address::parse(url)?;
        let mut client = address.connect()?;
        let found = schema::version(&mut client, &address)?;
        let outcome = match found {
            Some(v) if v == schema::LATEST => Initialized::AlreadyThere,
            Some(v) if v > schema::LATEST => {
                return Err(LibraryError::TooNew { place: address.place(), found: v, supported: schema::LATEST });
            }
            _ => {
                if found.is_none() && schema::has_other_tables(&mut client, &address)? {
                    return Err(LibraryError::Occupied { place: address.place() });
                }
                schema::migrate(&mut client, &address, found.unwrap_or(0))?;
                Initialized::Created
            }
        };
        Ok((Self { client, address }, outcome))
    }

    /// Connects to the library at `url`. A database that is not a library,
    /// or one from a newer Waymark, is refused in words; an older library is
    /// brought up to date in one transaction.
    ///
    /// # Errors
    /// The server cannot be reached, refuses the user, or the database is
    /// not a library this Waymark reads.
    pub fn open(url: &str) -> Result<Self, LibraryError> {
        Self::open_at(Address::parse(url)?)
    }

    /// Connects to the library at `address`, as [`Library::open`] does.
    ///
    /// # Errors
    /// As [`Library::open`].
    pub fn open_at(address: Address) -> Result<Self, LibraryError> {
        let mut client = address.connect()?;
        match schema::version(&mut client, &address)? {
            None => return Err(LibraryError::NotALibrary { place: address.place() }),
            Some(v) if v > schema::LATEST => {
                return Err(LibraryError::TooNew { place: address.place(), found: v, supported: schema::LATEST });
            }
            Some(v) if v < schema::LATEST => schema::migrate(&mut client, &address, v)?,
            Some(_) => {}
        }
        Ok(Self { client, address })
    }

    /// Where the library is, for messages (never with a password).
    #[must_use]
    pub fn place(&self) -> String {
        self.address.place()
    }

    /// Every map of the library, by title, with its next review as of `today`.
    ///
    /// # Errors
    /// The server's refusal.
    pub fn list(&mut self, today: NaiveDate) -> Result<Vec<MapEntry>, LibraryError> {
        let rows = self
            .client
            .query(
                "SELECT m.id, m.title, m.steps, m.version, m.updated_at, m.updated_by, m.review_every_weeks,
                        (SELECT max(r.taken_on) FROM review r WHERE r.map_id = m.id)
                   FROM map m ORDER BY lower(m.title), m.id",
                &[],
            )
            .map_err(|e| self.address.failed(&e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let every: Option<i32> = r.get(6);
                let last: Option<NaiveDate> = r.get(7);
                let every = every.and_then(|w| u32::try_from(w).ok());
                MapEntry {
                    id: r.get(0),
                    title: r.get(1),
                    steps: u32::try_from(r.get::<_, i32>(2)).unwrap_or(0),
                    version: r.get(3),
                    last_edit: r.get(4),
                    last_editor: r.get(5),
                    next_review: waymark::review::next_due(every, last, today),
                }
            })
            .collect())
    }

    /// Every map's current document, parsed, with the day of its last
    /// review, read in one snapshot (without the edit logs): what a
    /// portfolio reads. A document that does not parse is handed back as
    /// its reason, so one damaged map does not hide the others.
    ///
    /// # Errors
    /// The server's refusal.
    pub fn documents(&mut self) -> Result<Vec<Document>, LibraryError> {
        let rows = self
            .client
            .query(
                "SELECT m.id, m.document, (SELECT max(r.taken_on) FROM review r WHERE r.map_id = m.id)
                   FROM map m ORDER BY m.id",
                &[],
            )
            .map_err(|e| self.address.failed(&e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let document: String = r.get(1);
                let map = interchange::read_unvalidated(&document).map_err(|e| format!("damaged in the library: {e}"));
                Document { id: r.get(0), map, last_review: r.get(2) }
            })
            .collect())
    }

    /// The department aliases its portfolio matches names by: each line a
    /// department's name and then its other names.
    ///
    /// # Errors
    /// The server's refusal.
    pub fn aliases(&mut self) -> Result<Vec<(u64, Vec<String>)>, LibraryError> {
        let rows = self
            .client
            .query("SELECT line, name FROM department_alias ORDER BY line, position", &[])
            .map_err(|e| self.address.failed(&e))?;
        let mut lines: Vec<(u64, Vec<String>)> = Vec::new();
        for r in &rows {
            let line = u64::try_from(r.get::<_, i32>(0)).unwrap_or(0);
            let name: String = r.get(1);
            match lines.last_mut() {
                Some((l, names)) if *l == line => names.push(name),
                _ => lines.push((line, vec![name])),
            }
        }
        Ok(lines)
    }

    /// Replaces the department aliases with `lines`, in one transaction.
    ///
    /// # Errors
    /// The server's refusal.
    pub fn set_aliases(&mut self, lines: &[Vec<String>]) -> Result<(), LibraryError> {
        let place = self.address.place();
        let failed = |e: &postgres::Error| error::from_postgres(&place, e);
        let mut tx = self.client.transaction().map_err(|e| failed(&e))?;
        tx.execute("DELETE FROM department_alias", &[]).map_err(|e| failed(&e))?;
        for (line, names) in (1_i32..).zip(lines) {
            for (position, name) in (0_i32..).zip(names) {
                tx.execute(
                    "INSERT INTO department_alias (line, position, name) VALUES ($1, $2, $3)",
                    &[&line, &position, name],
                )
                .map_err(|e| failed(&e))?;
            }
        }
        tx.commit().map_err(|e| failed(&e))
    }

    /// Adds a map to the library under `id`, with its whole history and its
    /// reviews, in one transaction: afterwards the library holds all of it,
    /// or nothing changed. An id already taken is refused.
    ///
    /// # Errors
    /// The id is not a valid map id or is taken, or the server refuses.
    pub fn push(&mut self, archive: &Archive, id: &str) -> Result<(), LibraryError> {
        address::check_map_id(id)?;
        let user = self.address.user();
        let place = self.address.place();
        let mut tx = self.client.transaction().map_err(|e| self.address.failed(&e))?;
        let taken = tx
            .query_opt("SELECT 1 FROM map WHERE id = $1", &[&id])
            .map_err(|e| error::from_postgres(&place, &e))?
            .is_some();
        if taken {
            return Err(LibraryError::MapExists { place, id: id.to_owned() });
        }
        let map = &archive.map;
        let version = i64::try_from(archive.history.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO map (id, title, steps, version, document, review_every_weeks, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &map.title,
                &i32::try_from(map.steps.len()).unwrap_or(i32::MAX),
                &version,
                &interchange::write(map),
                &map.review_every_weeks.and_then(|w| i32::try_from(w).ok()),
                &user,
            ],
        )
        .map_err(|e| match e.code() {
            // Another push of the same id committed between the check and here.
            Some(code) if *code == postgres::error::SqlState::UNIQUE_VIOLATION => {
                LibraryError::MapExists { place: place.clone(), id: id.to_owned() }
            }
            _ => error::from_postgres(&place, &e),
        })?;
        insert_history(&mut tx, id, &archive.history, &user).map_err(|e| error::from_postgres(&place, &e))?;
        insert_reviews(&mut tx, id, &archive.reviews, &place)?;
        tx.commit().map_err(|e| error::from_postgres(&place, &e))
    }

    /// The map `id` with its whole history and reviews, as a file would
    /// hold them.
    ///
    /// # Errors
    /// No map has that id, or what the library holds is damaged.
    pub fn pull(&mut self, id: &str) -> Result<Archive, LibraryError> {
        pull(&mut self.client, &self.address, id)
    }

    /// Deletes the map `id` with its log and reviews. Windows that show it
    /// hear of it at once and keep what they show, to be saved elsewhere.
    ///
    /// # Errors
    /// No map has that id, or the server refuses.
    pub fn delete(&mut self, id: &str) -> Result<(), LibraryError> {
        let place = self.address.place();
        let failed = |e: &postgres::Error| error::from_postgres(&place, e);
        let mut tx = self.client.transaction().map_err(|e| failed(&e))?;
        if tx.execute("DELETE FROM map WHERE id = $1", &[&id]).map_err(|e| failed(&e))? == 0 {
            return Err(LibraryError::NoSuchMap { place: place.clone(), id: id.to_owned() });
        }
        watch::notify(&mut tx, id).map_err(|e| failed(&e))?;
        tx.commit().map_err(|e| failed(&e))
    }
}

/// The map `id` with its whole history and reviews; see [`Library::pull`].
fn pull(client: &mut Client, address: &Address, id: &str) -> Result<Archive, LibraryError> {
    let place = address.place();
    let failed = |e: &postgres::Error| error::from_postgres(&place, e);
    // One snapshot of the three tables: a push or an edit committing
    // meanwhile is seen whole or not at all.
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| failed(&e))?;
    let Some(row) = tx.query_opt("SELECT document FROM map WHERE id = $1", &[&id]).map_err(|e| failed(&e))? else {
        return Err(LibraryError::NoSuchMap { place: place.clone(), id: id.to_owned() });
    };
    let document: String = row.get(0);
    let map = interchange::read_unvalidated(&document)
        .map_err(|e| LibraryError::Damaged { place: place.clone(), detail: format!("map \"{id}\": {e}") })?;
    let history = tx
        .query("SELECT label, patch, undone FROM edit WHERE map_id = $1 ORDER BY version", &[&id])
        .map_err(|e| failed(&e))?
        .iter()
        .map(|r| HistoryEntry { label: r.get(0), patch: r.get(1), undone: r.get(2) })
        .collect();
    let history = live_history(history);
    let reviews = tx
        .query(
            "SELECT seq, name, taken_on, participants, document, figures FROM review WHERE map_id = $1 ORDER BY seq",
            &[&id],
        )
        .map_err(|e| failed(&e))?
        .iter()
        .map(|r| StoredReview {
            seq: u32::try_from(r.get::<_, i32>(0)).unwrap_or(0),
            name: r.get(1),
            taken_on: r.get::<_, NaiveDate>(2).format("%Y-%m-%d").to_string(),
            participants: r.get(3),
            map: r.get(4),
            figures: r.get(5),
        })
        .collect();
    tx.commit().map_err(|e| failed(&e))?;
    Ok(Archive { map, history, reviews })
}

/// The history without the undone edits that later edits made dead: in a
/// file a new edit empties the redo stack, and edits made in the library
/// append after the undone ones a push brought, so only undone edits after
/// the last done one can still be redone.
fn live_history(history: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let last_done = history.iter().rposition(|h| !h.undone);
    history
        .into_iter()
        .enumerate()
        .filter(|(i, h)| !h.undone || last_done.is_none_or(|d| *i > d))
        .map(|(_, h)| h)
        .collect()
}

fn insert_history(
    tx: &mut Transaction<'_>,
    id: &str,
    history: &[HistoryEntry],
    user: &str,
) -> Result<(), postgres::Error> {
    let st =
        tx.prepare("INSERT INTO edit (map_id, version, label, patch, undone, author) VALUES ($1, $2, $3, $4, $5, $6)")?;
    for (version, h) in (1_i64..).zip(history) {
        tx.execute(&st, &[&id, &version, &h.label, &h.patch, &h.undone, &user])?;
    }
    Ok(())
}

fn insert_reviews(
    tx: &mut Transaction<'_>,
    id: &str,
    reviews: &[StoredReview],
    place: &str,
) -> Result<(), LibraryError> {
    let st = tx
        .prepare(
            "INSERT INTO review (map_id, seq, name, taken_on, participants, document, figures)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .map_err(|e| error::from_postgres(place, &e))?;
    for r in reviews {
        let taken_on = NaiveDate::parse_from_str(&r.taken_on, "%Y-%m-%d").map_err(|e| LibraryError::Damaged {
            place: place.to_owned(),
            detail: format!("review {} has no valid date ({e})", r.seq),
        })?;
        let seq = i32::try_from(r.seq).unwrap_or(i32::MAX);
        tx.execute(&st, &[&id, &seq, &r.name, &taken_on, &r.participants, &r.map, &r.figures])
            .map_err(|e| error::from_postgres(place, &e))?;
    }
    Ok(())
}
