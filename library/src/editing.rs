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
//!
//! Undo and redo are this editor's own: it keeps the patches of the edits
//! it stored, and undo stores a new edit that takes the last one back on
//! the map as it is now (others' later edits stay), or refuses, naming
//! them, when they changed what it would take back. The log itself is only
//! ever appended to.
//!
//! When the server goes away the editor says so ([`Editing::read_only`])
//! and refuses changes until [`Editing::refresh`] reaches it again; an edit
//! whose commit was not acknowledged may still have been stored, and the
//! next refresh reads it back from the log like anyone else's.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use postgres::{Client, GenericClient};

use super::address::Address;
use super::error::{LibraryError, from_postgres};
use super::watch::{self, Watch};
use waymark::edit::{self, Edit, EditError, Patch};
use waymark::interchange;
use waymark::model::Map;
use waymark::review::{Review, Snapshot};
use waymark::storage::{Storage, WatchGuard};
use waymark::store::{
    ApplyError, Archive, ReadOnly, StoreError, decode_review, freeze, review_follows, review_name, review_name_free,
};

/// A map of a library, opened for editing by one client.
pub struct Editing {
    client: Client,
    address: Address,
    id: String,
    map: Map,
    version: i64,
    /// This editor's edits that undo can take back, oldest first.
    undo: Vec<Done>,
    /// Its undone edits that redo can replay, the next one last.
    redo: Vec<Done>,
    /// Whether the last thing this editor stored was an edit, which an
    /// amendment may fold into (not an undo or redo).
    may_fold: bool,
    /// The versions this editor stored, so a refused undo names only others.
    mine: BTreeSet<i64>,
    /// Whether the user may change the library's maps.
    writable: bool,
    /// Why the library cannot be used now, until a refresh reaches it.
    trouble: Option<ReadOnly>,
    /// How many reviews the map had when last looked at: someone taking one
    /// changes what the window shows without changing the map's version.
    reviews_seen: i64,
    /// The version of the map last handed to the caller: a refused change
    /// may have caught up with others' edits the caller has not seen yet.
    shown: i64,
    /// When the connection was last used for a change.
    last_used: std::time::Instant,
    /// Set by this map's watch when it lost the server: this editor's own
    /// connection may outlive the watch's by a moment while the server
    /// shuts down, so the next catch-up judges on a fresh connection.
    watch_lost: Arc<AtomicBool>,
}

/// After how long unused the connection is checked before a change.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(20);

/// One of this editor's undo (or redo) steps: the patches it stored last
/// (more than one when amended), which the step takes back; the version of
/// the last; and what the edit was. After an undo its own patch goes onto
/// the redo stack, so redo takes back the undo, whatever it merged.
#[derive(Debug, Clone)]
struct Done {
    label: String,
    patches: Vec<Patch>,
    at: i64,
}

impl std::fmt::Debug for Editing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editing").field("place", &self.place()).field("version", &self.version).finish_non_exhaustive()
    }
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

impl From<EditRefused> for ApplyError {
    fn from(e: EditRefused) -> Self {
        match e {
            EditRefused::Invalid(e) => Self::Refused(e),
            conflict @ EditRefused::Conflict { .. } => Self::Refused(EditError::Conflict(conflict.to_string())),
            EditRefused::Library(e) => Self::Store(e.into()),
        }
    }
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

/// A change to store: what it is called in the log, and how it makes the
/// next map from the map as it is when the transaction runs.
type Change<'a> = (String, &'a dyn Fn(&Map) -> Result<Map, EditError>);

/// What became of one change: its patch and the version it made, `None`
/// when it changed nothing (and was not stored), or why it was refused.
type Outcome = Result<Option<(Patch, i64)>, EditRefused>;

impl super::Library {
    /// Opens the map `id` for editing (read-only when the user may not
    /// change the library's maps).
    ///
    /// # Errors
    /// No such map, or the library cannot be read.
    pub fn edit(self, id: &str) -> Result<Editing, LibraryError> {
        let Self { mut client, address } = self;
        let (map, version) = load(&mut client, &address, id)?;
        let row = client
            .query_one(
                "SELECT has_table_privilege('map', 'UPDATE') AND has_table_privilege('edit', 'INSERT')
                    AND has_table_privilege('review', 'INSERT'),
                        (SELECT count(*) FROM review WHERE map_id = $1)",
                &[&id],
            )
            .map_err(|e| address.failed(&e))?;
        let (writable, reviews_seen) = (row.get(0), row.get(1));
        Ok(Editing {
            client,
            address,
            id: id.to_owned(),
            map,
            version,
            undo: Vec::new(),
            redo: Vec::new(),
            may_fold: false,
            mine: BTreeSet::new(),
            writable,
            trouble: None,
            reviews_seen,
            shown: version,
            last_used: std::time::Instant::now(),
            watch_lost: Arc::default(),
        })
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

    /// Where the map is: `user@host:port/database#map`.
    #[must_use]
    pub fn place(&self) -> String {
        format!("{}#{}", self.address.place(), self.id)
    }

    /// The map as it is now, noted as handed to the caller.
    fn hand_out(&mut self) -> Map {
        self.shown = self.version;
        self.map.clone()
    }

    /// Why changes are refused now: the user may only read, the library is
    /// unreachable, or the map was deleted.
    #[must_use]
    pub fn read_only(&self) -> Option<ReadOnly> {
        self.trouble.or((!self.writable).then_some(ReadOnly::LibraryNotWritable))
    }

    /// Applies `edit` and stores it as the map's next version; see the
    /// module's description for what happens when others came first.
    ///
    /// # Errors
    /// The edit is invalid (now, or after others' edits), or the library
    /// cannot be written; either way the library is unchanged.
    pub fn apply(&mut self, edit: &Edit) -> Result<&Map, EditRefused> {
        self.edit(edit, false)?;
        Ok(&self.map)
    }

    fn edit(&mut self, edit: &Edit, fold: bool) -> Result<(), EditRefused> {
        let change: &dyn Fn(&Map) -> Result<Map, EditError> = &|m| edit::apply(m, edit);
        let outcome = self.store(&[(edit.label(), change)])?.pop().unwrap_or(Ok(None));
        if let Some((patch, at)) = outcome? {
            match self.undo.last_mut().filter(|_| fold && self.may_fold) {
                Some(last) => {
                    last.patches.push(patch);
                    last.label = edit.label();
                    last.at = at;
                }
                None => self.undo.push(Done { label: edit.label(), patches: vec![patch], at }),
            }
            self.redo.clear();
            self.may_fold = true;
        }
        Ok(())
    }

    /// Stores `changes` in one transaction, each as the map's next version,
    /// after catching up with others' edits; returns each change's patch
    /// and version (`None` when it changed nothing and was not stored), or
    /// why it was refused. The library is written only when one is stored.
    fn store(&mut self, changes: &[Change<'_>]) -> Result<Vec<Outcome>, LibraryError> {
        self.usable()?;
        let result = self.store_now(changes);
        if let Err(e) = &result {
            self.note(e);
        }
        result
    }

    fn store_now(&mut self, changes: &[Change<'_>]) -> Result<Vec<Outcome>, LibraryError> {
        let place = self.address.place();
        let failed = |e: &postgres::Error| from_postgres(&place, e);
        let user = self.address.user();
        let mut tx = self.client.transaction().map_err(|e| failed(&e))?;
        // The map's row, locked until this commits: the version read here
        // is the one the edit is stored on top of (no other writer can come
        // in between, and one who tries waits here and then sees this edit).
        let before = self.map.clone();
        let missed = lock_and_catch_up(&mut tx, &self.address, &self.id, &mut self.map, &mut self.version)?;
        let mut map = self.map.clone();
        let mut version = self.version;
        let mut outcomes = Vec::with_capacity(changes.len());
        let insert = tx
            .prepare("INSERT INTO edit (map_id, version, label, patch, author) VALUES ($1, $2, $3, $4, $5)")
            .map_err(|e| failed(&e))?;
        for (label, change) in changes {
            let next = match change(&map) {
                Ok(next) => next,
                // Refused on the map as this client saw it too: not others' doing.
                Err(reason) if missed.is_empty() || change(&before).is_err() => {
                    outcomes.push(Err(EditRefused::Invalid(reason)));
                    continue;
                }
                Err(reason) => {
                    outcomes.push(Err(EditRefused::Conflict { reason, changes: in_words(&missed) }));
                    continue;
                }
            };
            let patch = Patch::between(&map, &next);
            if patch.is_empty() {
                outcomes.push(Ok(None));
                continue;
            }
            let json = serde_json::to_string(&patch).map_err(|e| LibraryError::Damaged {
                place: place.clone(),
                detail: format!("the edit's patch: {e}"),
            })?;
            version += 1;
            tx.execute(&insert, &[&self.id, &version, label, &json, &user]).map_err(|e| failed(&e))?;
            outcomes.push(Ok(Some((patch, version))));
            map = next;
        }
        if version == self.version {
            return Ok(outcomes);
        }
        tx.execute(
            "UPDATE map SET version = $2, document = $3, title = $4, steps = $5,
                    review_every_weeks = $6, updated_at = now(), updated_by = $7
              WHERE id = $1",
            &[
                &self.id,
                &version,
                &interchange::write(&map),
                &map.title,
                &i32::try_from(map.steps.len()).unwrap_or(i32::MAX),
                &map.review_every_weeks.and_then(|w| i32::try_from(w).ok()),
                &user,
            ],
        )
        .map_err(|e| failed(&e))?;
        watch::notify(&mut tx, &self.id).map_err(|e| failed(&e))?;
        tx.commit().map_err(|e| failed(&e))?;
        self.mine.extend(self.version + 1..=version);
        self.map = map;
        self.version = version;
        Ok(outcomes)
    }

    /// Refuses up front what cannot be stored now: a user who may only
    /// read, a map that is gone, or a library that was unreachable (until a
    /// refresh reaches it). A connection the server closed since the last
    /// edit is opened again first.
    fn usable(&mut self) -> Result<(), LibraryError> {
        let place = self.address.place();
        match self.read_only() {
            Some(ReadOnly::LibraryNotWritable) => {
                return Err(LibraryError::Denied { place, detail: ReadOnly::LibraryNotWritable.to_string() });
            }
            Some(ReadOnly::LibraryDeleted) => return Err(LibraryError::Deleted { place, id: self.id.clone() }),
            // Lost before: one attempt to reach it again, refused in words
            // if the server is still away.
            Some(_) => return self.reconnect(),
            None => {}
        }
        // A connection idle for a while may have been closed by the server
        // (or a firewall) without a word: check it before relying on it, as
        // a failure in the middle of a change cannot be retried safely.
        let idle = self.last_used.elapsed() > IDLE_CHECK;
        self.last_used = std::time::Instant::now();
        if self.client.is_closed() || (idle && self.client.is_valid(std::time::Duration::from_secs(2)).is_err()) {
            self.reconnect()?;
        }
        Ok(())
    }

    fn reconnect(&mut self) -> Result<(), LibraryError> {
        match self.address.connect() {
            Ok(client) => {
                self.client = client;
                self.trouble = None;
                Ok(())
            }
            Err(e) => {
                self.note(&e);
                Err(e)
            }
        }
    }

    /// Remembers what a failure says about the library: gone for now, or
    /// the map deleted.
    fn note(&mut self, e: &LibraryError) {
        match e {
            LibraryError::Deleted { .. } => self.trouble = Some(ReadOnly::LibraryDeleted),
            LibraryError::Unreachable { .. } => self.trouble = Some(ReadOnly::LibraryUnreachable),
            _ if self.client.is_closed() => self.trouble = Some(ReadOnly::LibraryUnreachable),
            _ => {}
        }
    }

    /// Reads the edits others stored since this client's version and replays
    /// them on its map: what it missed, oldest first. Reconnects first when
    /// the library was unreachable.
    ///
    /// # Errors
    /// The map was deleted, or the library cannot be reached or read.
    pub fn catch_up(&mut self) -> Result<Vec<Missed>, LibraryError> {
        if self.trouble == Some(ReadOnly::LibraryDeleted) {
            return Err(LibraryError::Deleted { place: self.address.place(), id: self.id.clone() });
        }
        let watch_lost = self.watch_lost.swap(false, Ordering::Relaxed);
        if watch_lost || self.trouble.is_some() || self.client.is_closed() {
            self.reconnect()?;
        }
        let result = self.catch_up_now();
        if let Err(e) = &result {
            self.note(e);
        }
        result
    }

    fn catch_up_now(&mut self) -> Result<Vec<Missed>, LibraryError> {
        let place = self.address.place();
        let row = self
            .client
            .query_opt(
                "SELECT version, (SELECT count(*) FROM review r WHERE r.map_id = m.id) FROM map m WHERE id = $1",
                &[&self.id],
            )
            .map_err(|e| from_postgres(&place, &e))?
            .ok_or_else(|| LibraryError::Deleted { place: place.clone(), id: self.id.clone() })?;
        self.reviews_seen = row.get(1);
        let mut missed =
            reach(&mut self.client, &self.address, &self.id, &mut self.map, &mut self.version, row.get(0))?;
        missed.retain(|m| !self.mine.contains(&m.version));
        Ok(missed)
    }

    /// Takes back (`forward = false`) or replays this editor's last step,
    /// as a new edit on the map as it is now.
    fn step(&mut self, forward: bool) -> Result<bool, EditRefused> {
        let Some(done) = (if forward { self.redo.pop() } else { self.undo.pop() }) else { return Ok(false) };
        let label = format!("{} {}", if forward { "Redo" } else { "Undo" }, done.label);
        let sides = self.rebase_sides(&done);
        let change: &dyn Fn(&Map) -> Result<Map, EditError> = &|m| {
            let fits = take_back(&done.patches, m)
                // Others touched the same lists: merge the step into what they did.
                .or_else(|| sides.as_ref().and_then(|(base, ours)| edit::three_way(base, ours, m)));
            let next = fits.ok_or_else(|| {
                let what = if forward { "redone" } else { "undone" };
                EditError::Conflict(format!("\"{}\" cannot be {what}: what it changed was changed since", done.label))
            })?;
            edit::checked(m, next)
        };
        let outcome =
            self.store(&[(label, change)]).map_err(EditRefused::Library).and_then(|mut o| o.pop().unwrap_or(Ok(None)));
        match outcome {
            Ok(stored) => {
                // What was stored now is what the opposite step takes back.
                // A step that changed nothing (others had already made the
                // map so) leaves nothing to take back.
                if let Some((patch, at)) = stored {
                    let moved = Done { label: done.label, patches: vec![patch], at };
                    if forward {
                        self.undo.push(moved);
                    } else {
                        self.redo.push(moved);
                    }
                }
                self.may_fold = false;
                Ok(true)
            }
            Err(EditRefused::Invalid(reason)) => {
                let others = self.others_since(done.at);
                if forward {
                    self.redo.push(done)
                } else {
                    self.undo.push(done)
                }
                Err(match others {
                    Some(changes) => EditRefused::Conflict { reason, changes },
                    None => EditRefused::Invalid(reason),
                })
            }
            Err(e) => {
                if forward {
                    self.redo.push(done)
                } else {
                    self.undo.push(done)
                }
                Err(e)
            }
        }
    }

    /// The map right after `done` was stored and the map before it, for
    /// merging the step into others' later edits: this editor's map with
    /// the log's later patches taken back. `None` when the log cannot be
    /// read or does not fit.
    fn rebase_sides(&mut self, done: &Done) -> Option<(Map, Map)> {
        let rows = self
            .client
            .query(
                "SELECT patch FROM edit WHERE map_id = $1 AND version > $2 AND version <= $3 ORDER BY version DESC",
                &[&self.id, &done.at, &self.version],
            )
            .ok()?;
        let mut base = self.map.clone();
        for row in &rows {
            let patch: Patch = serde_json::from_str(row.get(0)).ok()?;
            base = patch.apply(&base, false)?;
        }
        let ours = take_back(&done.patches, &base)?;
        Some((base, ours))
    }

    /// Others' edits after version `at`, in words, when there are any.
    fn others_since(&mut self, at: i64) -> Option<String> {
        let rows = self
            .client
            .query(
                "SELECT version, label, author FROM edit WHERE map_id = $1 AND version > $2 ORDER BY version",
                &[&self.id, &at],
            )
            .ok()?;
        let missed: Vec<Missed> = rows
            .iter()
            .map(|r| Missed { version: r.get(0), label: r.get(1), author: r.get(2) })
            .filter(|m| !self.mine.contains(&m.version))
            .collect();
        (!missed.is_empty()).then(|| in_words(&missed))
    }

    fn review_rows(&mut self, seq: Option<u32>) -> Result<Vec<(Review, String)>, LibraryError> {
        let place = self.address.place();
        let seq = seq.map(|s| i32::try_from(s).unwrap_or(i32::MAX));
        let rows = self
            .client
            .query(
                "SELECT seq, name, taken_on, participants, figures, document FROM review
                  WHERE map_id = $1 AND ($2::integer IS NULL OR seq = $2) ORDER BY seq",
                &[&self.id, &seq],
            )
            .map_err(|e| from_postgres(&place, &e))?;
        rows.iter()
            .map(|r| {
                let seq = u32::try_from(r.get::<_, i32>(0)).unwrap_or(0);
                let taken_on = r.get::<_, NaiveDate>(2).format("%Y-%m-%d").to_string();
                decode_review(seq, r.get(1), &taken_on, r.get(3), r.get(4))
                    .map(|review| (review, r.get(5)))
                    .map_err(|detail| LibraryError::Damaged { place: place.clone(), detail })
            })
            .collect()
    }

    fn take_review_now(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError> {
        let name = review_name(name)?;
        self.usable()?;
        let result = self.insert_review(name, on, participants);
        if let Err(ApplyError::Store(StoreError::Other(e))) = &result
            && let Some(e) = e.downcast_ref::<LibraryError>()
        {
            self.note(e);
        }
        result
    }

    fn insert_review(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError> {
        let place = self.address.place();
        let failed = |e: &postgres::Error| StoreError::from(from_postgres(&place, e));
        let mut tx = self.client.transaction().map_err(|e| failed(&e))?;
        lock_and_catch_up(&mut tx, &self.address, &self.id, &mut self.map, &mut self.version)?;
        let row = tx
            .query_one("SELECT COALESCE(MAX(seq), 0), MAX(taken_on) FROM review WHERE map_id = $1", &[&self.id])
            .map_err(|e| failed(&e))?;
        review_follows(on, row.get(1))?;
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM review WHERE map_id = $1 AND lower(trim(name)) = lower(trim($2)))",
                &[&self.id, &name],
            )
            .map_err(|e| failed(&e))?
            .get(0);
        review_name_free(name, taken)?;
        let seq = row.get::<_, i32>(0) + 1;
        let frozen = freeze(name, on, participants, &self.map)
            .map_err(|detail| StoreError::from(LibraryError::Damaged { place: place.clone(), detail }))?;
        tx.execute(
            "INSERT INTO review (map_id, seq, name, taken_on, participants, document, figures)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&self.id, &seq, &name, &on, &frozen.participants, &frozen.map, &frozen.figures],
        )
        .map_err(|e| failed(&e))?;
        watch::notify(&mut tx, &self.id).map_err(|e| failed(&e))?;
        tx.commit().map_err(|e| failed(&e))?;
        Ok(Review { seq: u32::try_from(seq).unwrap_or(u32::MAX), ..frozen.review })
    }
}

impl Storage for Editing {
    fn place(&self) -> String {
        Editing::place(self)
    }

    fn name(&self) -> String {
        format!("{} (library)", self.id)
    }

    fn file(&self) -> Option<&Path> {
        None
    }

    fn read_only(&self) -> Option<ReadOnly> {
        Editing::read_only(self)
    }

    fn load(&mut self) -> Result<Map, StoreError> {
        self.catch_up()?;
        Ok(self.hand_out())
    }

    fn apply(&mut self, _current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        self.edit(edit, false)?;
        Ok(self.hand_out())
    }

    fn amend(&mut self, _current: &Map, edit: &Edit) -> Result<Map, ApplyError> {
        self.edit(edit, true)?;
        Ok(self.hand_out())
    }

    fn apply_all(&mut self, _current: &Map, edits: &[Edit]) -> Result<(Map, Vec<Result<(), EditError>>), StoreError> {
        let closures: Vec<_> = edits.iter().map(|e| move |m: &Map| edit::apply(m, e)).collect();
        let changes: Vec<Change<'_>> = edits
            .iter()
            .zip(&closures)
            .map(|(e, c)| (e.label(), c as &dyn Fn(&Map) -> Result<Map, EditError>))
            .collect();
        let outcomes = self.store(&changes)?;
        let mut results = Vec::with_capacity(outcomes.len());
        for (edit, outcome) in edits.iter().zip(outcomes) {
            results.push(match outcome {
                Ok(Some((patch, at))) => {
                    self.undo.push(Done { label: edit.label(), patches: vec![patch], at });
                    self.redo.clear();
                    self.may_fold = true;
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => match ApplyError::from(e) {
                    ApplyError::Refused(e) => Err(e),
                    ApplyError::Store(e) => return Err(e),
                },
            });
        }
        Ok((self.hand_out(), results))
    }

    fn undo(&mut self, _current: &Map) -> Result<Option<Map>, ApplyError> {
        Ok(self.step(false)?.then(|| self.hand_out()))
    }

    fn redo(&mut self, _current: &Map) -> Result<Option<Map>, ApplyError> {
        Ok(self.step(true)?.then(|| self.hand_out()))
    }

    fn history_depth(&self) -> Result<(u32, u32), StoreError> {
        let count = |v: &Vec<Done>| u32::try_from(v.len()).unwrap_or(u32::MAX);
        Ok((count(&self.undo), count(&self.redo)))
    }

    fn reviews(&mut self) -> Result<Vec<Review>, StoreError> {
        Ok(self.review_rows(None)?.into_iter().map(|(r, _)| r).collect())
    }

    fn snapshot(&mut self, seq: u32) -> Result<Option<Snapshot>, StoreError> {
        let place = self.address.place();
        let Some((review, document)) = self.review_rows(Some(seq))?.pop() else { return Ok(None) };
        let map = interchange::read_unvalidated(&document).map_err(|e| {
            StoreError::from(LibraryError::Damaged {
                place,
                detail: format!("review {seq} (\"{}\"): {e}", review.name),
            })
        })?;
        Ok(Some(Snapshot { review, map }))
    }

    fn take_review(&mut self, name: &str, on: NaiveDate, participants: &[String]) -> Result<Review, ApplyError> {
        self.take_review_now(name, on, participants)
    }

    fn archive(&mut self) -> Result<Archive, StoreError> {
        let result = super::pull(&mut self.client, &self.address, &self.id);
        if let Err(e) = &result {
            // Said by `read_only` from now on, which is how a caller saving
            // a copy knows to keep the map without the rest.
            match e {
                LibraryError::NoSuchMap { .. } => self.trouble = Some(ReadOnly::LibraryDeleted),
                e => self.note(e),
            }
        }
        Ok(result?)
    }

    fn refresh(&mut self) -> Result<Option<Map>, StoreError> {
        let reviews = self.reviews_seen;
        let reconnected = self.trouble.is_some();
        self.catch_up()?;
        let changed = reconnected || self.version != self.shown || self.reviews_seen != reviews;
        Ok(changed.then(|| self.hand_out()))
    }

    fn watch(&self, changed: Box<dyn Fn() + Send>) -> Option<WatchGuard> {
        let lost = Arc::clone(&self.watch_lost);
        Some(WatchGuard::new(Watch::start(self.address.clone(), self.id.clone(), lost, changed)))
    }
}

/// Locks map `id`'s row until `tx` ends (no other writer comes in between)
/// and brings `map` at `version` up to the library's: the edits missed,
/// oldest first. A map that is gone was deleted by someone else.
fn lock_and_catch_up(
    tx: &mut postgres::Transaction<'_>,
    address: &Address,
    id: &str,
    map: &mut Map,
    version: &mut i64,
) -> Result<Vec<Missed>, LibraryError> {
    let place = address.place();
    let current: i64 = tx
        .query_opt("SELECT version FROM map WHERE id = $1 FOR UPDATE", &[&id])
        .map_err(|e| from_postgres(&place, &e))?
        .ok_or_else(|| LibraryError::Deleted { place: place.clone(), id: id.to_owned() })?
        .get(0);
    reach(tx, address, id, map, version, current)
}

/// Brings `map` at `version` up to the library's `current` version: the
/// missed edits replayed, or, when the log does not lead there (the map was
/// pushed again under this id), the map read as it is.
fn reach(
    client: &mut impl GenericClient,
    address: &Address,
    id: &str,
    map: &mut Map,
    version: &mut i64,
    current: i64,
) -> Result<Vec<Missed>, LibraryError> {
    if current == *version {
        return Ok(Vec::new());
    }
    let missed = catch_up(client, address, id, map, version)?;
    if *version != current {
        (*map, *version) = load(client, address, id)?;
    }
    Ok(missed)
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

/// `map` with `patches` taken back, newest first; `None` when one does not fit.
fn take_back(patches: &[Patch], map: &Map) -> Option<Map> {
    patches.iter().rev().try_fold(map.clone(), |acc, p| p.apply(&acc, false))
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
