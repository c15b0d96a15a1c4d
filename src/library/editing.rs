//! Editing a library map while others edit it too.
//!
//! The map's row carries its version, the number of edits in its log. An
//! edit is stored in one transaction that locks the map's row, reads its
//! version N, appends the edit to the log as version N + 1 and replaces the
//! map (the log's primary key refuses a second N + 1, should anything get
//! past the lock). When others' edits came in since this client last read
//! the map, it first replays their patches on its own copy, inside that
//! transaction, and applies its edit to the newer map: if the edit still
//! holds it is stored, and otherwise it is refused with a message that
//! names what changed meanwhile and who changed it. No edit is lost and
//! none is stored twice.
//!
//! The lock makes writers of one map take turns (an edit is one short
//! transaction); a first version compared and swapped the version without
//! it, and with eight busy writers the slowest kept losing the race.

use postgres::{Client, GenericClient};

use super::address::Address;
use super::error::{LibraryError, from_postgres};
use crate::edit::{self, Edit, EditError, Patch};
use crate::interchange;
use crate::model::Map;

/// A map of a library, opened for editing by one client.
pub struct Editing {
    client: Client,
    address: Address,
    id: String,
    map: Map,
    version: i64,
}

/// Why an edit of a library map was not stored. The library is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum EditRefused {
    /// The core refused it on the map as it is.
    #[error(transparent)]
    Invalid(#[from] EditError),
    /// It no longer applies after others' edits.
    #[error("{reason}; meanwhile {changes}")]
    Conflict {
        /// The core's reason on the newer map.
        reason: EditError,
        /// Who changed what, in words ("Ann: Rename step \"photo\"; Bo: …").
        changes: String,
    },
    /// The library could not be used.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// Another client's edit, as this one caught up with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    /// The version it made.
    pub version: i64,
    /// What it was.
    pub label: String,
    /// Who made it.
    pub author: String,
}

impl super::Library {
    /// Opens the map `id` for editing.
    ///
    /// # Errors
    /// No such map, or the library cannot be read.
    pub fn edit(self, id: &str) -> Result<Editing, LibraryError> {
        let Self { mut client, address } = self;
        let (map, version) = load(&mut client, &address, id)?;
        Ok(Editing { client, address, id: id.to_owned(), map, version })
    }
}

fn load(client: &mut impl GenericClient, address: &Address, id: &str) -> Result<(Map, i64), LibraryError> {
    let place = address.place();
    let row = client
        .query_opt("SELECT document, version FROM map WHERE id = $1", &[&id])
        .map_err(|e| from_postgres(&place, &e))?
        .ok_or_else(|| LibraryError::NoSuchMap { place: place.clone(), id: id.to_owned() })?;
    let map = interchange::read_unvalidated(row.get(0))
        .map_err(|e| LibraryError::Damaged { place, detail: format!("map \"{id}\": {e}") })?;
    Ok((map, row.get(1)))
}

impl Editing {
    /// The map as this client last saw it.
    #[must_use]
    pub fn map(&self) -> &Map {
        &self.map
    }

    /// The version of [`Editing::map`]: how many edits the log held then.
    #[must_use]
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Applies `edit` and stores it as the map's next version; see the
    /// module's description for what happens when others came first.
    ///
    /// # Errors
    /// The edit is invalid (now, or after others' edits), or the library
    /// cannot be written; either way the library is unchanged.
    pub fn apply(&mut self, edit: &Edit) -> Result<&Map, EditRefused> {
        let place = self.address.place();
        let failed = |e: &postgres::Error| from_postgres(&place, e);
        let user = self.address.user();
        let mut tx = self.client.transaction().map_err(|e| failed(&e))?;
        // The map's row, locked until this commits: the version read here
        // is the one the edit is stored on top of (no other writer can come
        // in between, and one who tries waits here and then sees this edit).
        let current: i64 = tx
            .query_opt("SELECT version FROM map WHERE id = $1 FOR UPDATE", &[&self.id])
            .map_err(|e| failed(&e))?
            .ok_or_else(|| LibraryError::NoSuchMap { place: place.clone(), id: self.id.clone() })?
            .get(0);
        let mut missed = Vec::new();
        let mut before = None;
        if current != self.version {
            before = Some(self.map.clone());
            missed = catch_up(&mut tx, &self.address, &self.id, &mut self.map, &mut self.version)?;
            if self.version != current {
                // The log does not lead to the map's version (it was pushed
                // again under this id): read the map as it is.
                (self.map, self.version) = load(&mut tx, &self.address, &self.id)?;
            }
        }
        let next = match edit::apply(&self.map, edit) {
            Ok(next) => next,
            // Refused on the map as this client saw it too: not others' doing.
            Err(reason) if missed.is_empty() || before.is_some_and(|m| edit::apply(&m, edit).is_err()) => {
                return Err(EditRefused::Invalid(reason));
            }
            Err(reason) => return Err(EditRefused::Conflict { reason, changes: in_words(&missed) }),
        };
        let patch = serde_json::to_string(&Patch::between(&self.map, &next))
            .map_err(|e| LibraryError::Damaged { place: place.clone(), detail: format!("the edit's patch: {e}") })?;
        tx.execute(
            "UPDATE map SET version = $2, document = $3, title = $4, steps = $5,
                    review_every_weeks = $6, updated_at = now(), updated_by = $7
              WHERE id = $1",
            &[
                &self.id,
                &(self.version + 1),
                &interchange::write(&next),
                &next.title,
                &i32::try_from(next.steps.len()).unwrap_or(i32::MAX),
                &next.review_every_weeks.and_then(|w| i32::try_from(w).ok()),
                &user,
            ],
        )
        .map_err(|e| failed(&e))?;
        tx.execute(
            "INSERT INTO edit (map_id, version, label, patch, author) VALUES ($1, $2, $3, $4, $5)",
            &[&self.id, &(self.version + 1), &edit.label(), &patch, &user],
        )
        .map_err(|e| failed(&e))?;
        tx.commit().map_err(|e| failed(&e))?;
        self.map = next;
        self.version += 1;
        Ok(&self.map)
    }

    /// Reads the edits others stored since this client's version and replays
    /// them on its map: what it missed, oldest first.
    ///
    /// # Errors
    /// The map was deleted, or the library cannot be read.
    pub fn catch_up(&mut self) -> Result<Vec<Missed>, LibraryError> {
        catch_up(&mut self.client, &self.address, &self.id, &mut self.map, &mut self.version)
    }
}

/// Brings `map` at `version` up to the library's: the missed edits' patches
/// replayed in order, or, when one does not fit (it always should), the map
/// read whole.
fn catch_up(
    client: &mut impl GenericClient,
    address: &Address,
    id: &str,
    map: &mut Map,
    version: &mut i64,
) -> Result<Vec<Missed>, LibraryError> {
    let place = address.place();
    let rows = client
        .query(
            "SELECT version, label, author, patch FROM edit WHERE map_id = $1 AND version > $2 ORDER BY version",
            &[&id, &*version],
        )
        .map_err(|e| from_postgres(&place, &e))?;
    let mut missed = Vec::with_capacity(rows.len());
    let mut fits = true;
    for row in &rows {
        let at: i64 = row.get(0);
        if fits {
            let replayed = serde_json::from_str::<Patch>(row.get(3)).ok().and_then(|p| p.apply(map, true));
            match replayed {
                Some(next) if at == *version + 1 => {
                    *map = next;
                    *version = at;
                }
                _ => fits = false,
            }
        }
        missed.push(Missed { version: at, label: row.get(1), author: row.get(2) });
    }
    if !fits {
        (*map, *version) = load(client, address, id)?;
    }
    Ok(missed)
}

/// Others' edits in words: "Ann: Rename …; Bo: …".
fn in_words(missed: &[Missed]) -> String {
    let shown: Vec<String> = missed.iter().take(5).map(|m| format!("{}: {}", m.author, m.label)).collect();
    let more = missed.len().saturating_sub(shown.len());
    let mut text = format!("the map was changed by {}", shown.join("; "));
    if more > 0 {
        text.push_str(&format!(" and {more} more edits"));
    }
    text
}
