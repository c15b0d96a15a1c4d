//! The map the window has open. Opening replaces it only on success, so a bad
//! file chosen in a dialog leaves the previous map in place.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use waymark::Map;
use waymark::analysis::{Analysis, Memo};
use waymark::edit::Edit;
use waymark::model::Settings;
use waymark::storage::{Storage, WatchGuard};
use waymark::store::{ApplyError, MapFile, StoreError};

use waymark::recent::{RecentMap, RecentMaps};
use waymark::review::{self, Comparison, Figures, Review, ReviewSummary, Side, Snapshot};

use crate::clock;
use crate::dto::{
    Area, ChangedPart, DRAWN_WHOLE_UP_TO, DrawingView, Exported, LastSent, MapView, RANKING_SHOWN, Reviews,
};
use crate::error::{AppError, CommandError};
use waymark::layout::Rect;
use waymark::render::{DrawOptions, Drawing, Routing, pieces};
use waymark::report::{Paper, ReportOptions};

/// An open map and where it is kept.
#[derive(Debug)]
pub struct OpenMap {
    /// Its store (a file or a library map); every edit is saved through it.
    pub file: Box<dyn Storage>,
    /// The map as last loaded or saved.
    pub map: Map,
    /// The file's reviews, oldest first, read once on opening: snapshots
    /// never change, so only taking a new one refreshes them.
    pub reviews: Vec<Review>,
    /// The last review with its map, for "since the last review".
    pub last: Option<Snapshot>,
    /// Hears of others' edits while the map is open, when others can make
    /// any (a library map); stops when the map is closed.
    watch: Option<WatchGuard>,
    /// The window asked for the rankings whole, not their first places.
    whole_rankings: bool,
}

impl OpenMap {
    /// Reads the map and reviews of `file`.
    fn read(mut file: Box<dyn Storage>) -> Result<Self, AppError> {
        let map = file.load()?;
        let (reviews, last) = read_reviews(&mut *file)?;
        Ok(Self { file, map, reviews, last, watch: None, whole_rankings: false })
    }
}

/// The reviews of `file`, and the last one with its map.
fn read_reviews(file: &mut dyn Storage) -> Result<(Vec<Review>, Option<Snapshot>), AppError> {
    let reviews = file.reviews()?;
    let last = match reviews.last() {
        Some(r) => file.snapshot(r.seq)?,
        None => None,
    };
    Ok((reviews, last))
}

/// The app's state: at most one open map, and the error that kept the map
/// given at start-up from opening, to show once the window asks.
#[derive(Debug, Default)]
pub struct Session {
    inner: Mutex<Inner>,
    /// Told when the map named at launch is open (or failed to open).
    launched: Condvar,
}

#[derive(Debug, Default)]
struct Inner {
    open: Option<OpenMap>,
    startup_error: Option<CommandError>,
    /// The map named at launch is being opened on another thread (see
    /// [`Session::open_at_launch`]); the window's first ask waits for it.
    launching: bool,
    /// The last file exported, which the window may ask to open.
    last_export: Option<PathBuf>,
    /// The last edit, when it was valid but could not be written to the file
    /// (disk full, I/O error). The map stays as stored; a copy saved elsewhere
    /// gets the edit, so the failure loses nothing. Cleared by any later
    /// change that is stored, or by opening a map.
    unsaved: Option<Edit>,
    /// The last drawing sent to the window, which the next one is compared with.
    drawn: Option<Drawn>,
    /// The part of the drawing the window last said it shows (see
    /// [`Session::show_area`]); `None` until it says.
    port: Option<Rect>,
    /// Maps opened lately, for the home screen.
    recent: RecentMaps,
    /// Where that list is kept; `None` in tests that do not keep one.
    recent_store: Option<PathBuf>,
    /// The `.waymark` files of the last portfolio read, which the window may open.
    portfolio: Vec<PathBuf>,
}

impl Inner {
    /// Puts `path` at the top of the recent maps. The list is a convenience:
    /// failing to save it must not fail opening the map.
    fn remember(&mut self, path: &Path) {
        if let Some(store) = &self.recent_store {
            let _ = self.recent.remember(path, store);
        }
    }
}

/// A drawing the window was sent, and its version.
#[derive(Debug)]
struct Drawn {
    version: u32,
    drawing: Drawing,
    /// The connectors of that drawing, reused by the next when the edit
    /// between moved nothing they depend on.
    routing: Routing,
    /// The costliest work of the analysis it shows, for the next analysis
    /// to take what an edit left as it was (the figures are the same).
    memo: Memo,
    /// When the drawing was sent whole: the map it was drawn from, the day,
    /// and the analysis it shows. Asked for whole again with nothing
    /// changed (the window's first ask after the launch opened the map, a
    /// reload), the view reuses them instead of analysing and drawing the
    /// map a second time: on 10,000 steps, half a second.
    whole: Option<Box<WholeDrawing>>,
    /// The parts of the view sent with it that the next view leaves out
    /// when they are the same (see [`MapView::leave_out_unchanged`]).
    sent: LastSent,
    /// The area it holds, on a map drawn by area (see [`DRAWN_WHOLE_UP_TO`]);
    /// `None` when it is whole.
    area: Option<Rect>,
    /// On a map drawn by area, the analysis it shows, to draw another area
    /// of the same map as the window scrolls.
    analysis: Option<Arc<Analysis>>,
    /// The map changed since (the room's phones, another library user):
    /// another area waits for the next view, which analyses it again.
    outdated: bool,
}

/// What a drawing sent whole was made from (see [`Drawn::whole`]).
#[derive(Debug)]
struct WholeDrawing {
    map: Map,
    /// How it was drawn: the rank badges follow the rankings asked for.
    options: DrawOptions,
    today: chrono::NaiveDate,
    analysis: Option<Arc<Analysis>>,
}

/// Whether the window gets the whole drawing or what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Send {
    /// The window may have nothing (start-up, a reload) or another map.
    Whole,
    /// The window has the last drawing sent.
    Changes,
}

/// Where a view's figures come from.
enum FiguresFrom {
    /// The view analyses the map.
    Work,
    /// Worked out beforehand, without holding the session, of a copy of
    /// the map (see [`Worked::current`]), with the memo that analysis used.
    Given(Box<Worked>),
    /// Those of the last view: an edit on a map drawn by area is answered
    /// at once, and its figures follow (see [`MapView::figures_follow`]).
    Last,
}

/// An analysis worked out of a copy of the open map.
struct Worked {
    /// The map is as it was copied: else an edit overtook the analysis,
    /// and its figures stand in until the next (as [`FiguresFrom::Last`]).
    current: bool,
    today: chrono::NaiveDate,
    report: waymark::validate::Report,
    analysis: Option<Analysis>,
    /// The memo it used and updated, for the next analysis.
    memo: Memo,
}

impl Session {
    /// Opens `path` and makes it the current map. On failure the current map
    /// stays as it was.
    ///
    /// Reopening the map this window is editing reads it again through the
    /// file already open: a second `MapFile` would find this window's own lock
    /// and come up read-only. A map open read-only here holds no lock, so it
    /// is opened afresh, and becomes editable if the other window let go.
    pub fn open(&self, path: &Path) -> Result<MapView, AppError> {
        {
            let mut inner = self.lock();
            let inner = &mut *inner;
            if let Some(open) = inner
                .open
                .as_mut()
                .filter(|o| o.file.read_only().is_none() && o.file.file().is_some_and(|f| same_file(f, path)))
            {
                open.map = open.file.load()?;
                inner.unsaved = None;
                return Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, Send::Whole, FiguresFrom::Work));
            }
        }
        Ok(self.replace(OpenMap::read(Box::new(MapFile::open(path)?))?))
    }

    /// Makes the map kept in `store` (a library map) the current map, and
    /// follows others' edits of it: `changed` is called (on another thread)
    /// whenever they may have changed it, and should call
    /// [`Session::refresh`] and tell the window.
    pub fn open_store(
        &self,
        store: Box<dyn Storage>,
        changed: Box<dyn Fn() + std::marker::Send>,
    ) -> Result<MapView, AppError> {
        let mut open = OpenMap::read(store)?;
        open.watch = open.file.watch(changed);
        Ok(self.replace(open))
    }

    /// Reads what others stored in the open map since it was last read (or
    /// that it became unreachable, or reachable again): true when the
    /// window should fetch the map again.
    pub fn refresh(&self) -> bool {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(open) = inner.open.as_mut() else { return false };
        let was = open.file.read_only();
        match open.file.refresh() {
            Ok(Some(map)) => {
                open.map = map;
                if let Some(drawn) = inner.drawn.as_mut() {
                    drawn.outdated = true;
                }
                // An edit whose answer was lost comes back from the log; a
                // copy saved now must not make it twice.
                inner.unsaved = None;
                if let Ok((reviews, last)) = read_reviews(&mut *open.file) {
                    open.reviews = reviews;
                    open.last = last;
                }
                true
            }
            Ok(None) => was != open.file.read_only(),
            // Unreachable or deleted: the map stays as it was, and the
            // window shows why changes are refused.
            Err(_) => was != open.file.read_only(),
        }
    }

    /// Makes `open` the current map, closing the previous one, and puts it
    /// at the top of the recent maps.
    fn replace(&self, open: OpenMap) -> MapView {
        let mut guard = self.lock();
        let inner = &mut *guard;
        // Another map opens at its own worst spot, not at the last one's
        // place; the same one read again (a library map, a read-only file)
        // stays where the window is.
        if inner.open.as_ref().is_none_or(|o| o.file.place() != open.file.place()) {
            inner.port = None;
            if let Some(drawn) = inner.drawn.as_mut() {
                drawn.area = None;
            }
        }
        let view = view_of(&open, &mut inner.drawn, &mut inner.port, None, Send::Whole, FiguresFrom::Work);
        if let Some(path) = open.file.file() {
            inner.remember(path);
        }
        let closed = inner.open.replace(open);
        inner.unsaved = None;
        drop(guard);
        // Closed with the session unlocked: closing a library map stops its
        // watch, which waits for its thread, which may be waiting for this
        // lock to refresh the map.
        drop(closed);
        view
    }

    /// Opens a map from the recent list; any other path is refused.
    pub fn open_recent(&self, path: &Path) -> Result<MapView, AppError> {
        if !self.lock().recent.contains(path) {
            return Err(AppError::Invalid(format!("{} is not on the list of recent maps", path.display())));
        }
        self.open(path)
    }

    /// Remembers the files of the portfolio just read, for opening one.
    pub fn remember_portfolio(&self, files: Vec<PathBuf>) {
        self.lock().portfolio = files;
    }

    /// Opens a journey of the last portfolio read; any other path is refused.
    pub fn open_portfolio_journey(&self, path: &Path) -> Result<MapView, AppError> {
        if !self.lock().portfolio.iter().any(|f| f == path) {
            return Err(AppError::Invalid(format!("{} is not a journey of the portfolio", path.display())));
        }
        self.open(path)
    }

    /// Keeps the list of recent maps in `store` (the app's config folder).
    pub fn keep_recent_in(&self, store: PathBuf) {
        let mut inner = self.lock();
        inner.recent = RecentMaps::load(&store);
        inner.recent_store = Some(store);
    }

    /// The recent maps, each summarised as of today.
    pub fn recent_maps(&self) -> Vec<RecentMap> {
        let paths = self.lock().recent.paths().to_vec();
        let today = clock::today();
        paths.iter().map(|p| waymark::recent::summarize(p, today)).collect()
    }

    /// Takes a review of the open map, today.
    pub fn take_review(&self, name: &str, participants: &[String]) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let review = match open.file.take_review(name, clock::today(), participants) {
            Ok(review) => review,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => return Err(e.into()),
        };
        open.last = open.file.snapshot(review.seq)?;
        open.reviews.push(review);
        Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, Send::Changes, FiguresFrom::Work))
    }

    /// Compares review `before` with review `after`, or with now.
    pub fn compare(&self, before: u32, after: Option<u32>) -> Result<Comparison, AppError> {
        let mut inner = self.lock();
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let mut load = |seq: u32| {
            open.file.snapshot(seq)?.ok_or_else(|| AppError::Invalid(format!("there is no review number {seq}")))
        };
        let first = load(before)?;
        let second = after.map(&mut load).transpose()?;
        let today = clock::today();
        let now = Figures::of(&open.map, today);
        let later = match &second {
            Some(s) => Side::of(s),
            None => Side { label: "now", date: today, map: &open.map, figures: &now },
        };
        Ok(review::compare(Side::of(&first), later))
    }

    /// Writes the map as the window shows it, with an edit that could not be
    /// stored if there is one, to a new file at `path`, and continues there.
    /// The way out of a read-only map or a failing disk: nothing typed in the
    /// workshop is lost. The copy starts with an empty undo history. The file
    /// left behind is not touched; an existing file at `path` is refused.
    pub fn save_copy(&self, path: &Path) -> Result<MapView, AppError> {
        let file = {
            let mut inner = self.lock();
            let inner = &mut *inner;
            let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
            let map = match &inner.unsaved {
                // The edit was accepted against this very map before its write
                // failed, so it applies again; if not, the map alone is saved.
                Some(edit) => waymark::edit::apply(&open.map, edit).unwrap_or_else(|_| open.map.clone()),
                None => open.map.clone(),
            };
            // The reviews go with the map: they are the team's history.
            waymark::storage::copy_to(&mut *open.file, path, &map)?
        };
        Ok(self.replace(OpenMap::read(Box::new(file))?))
    }

    /// Says that the map named at launch is being opened on another thread
    /// (by [`Session::open_at_launch`]): until it is, [`Session::view`]
    /// waits for it rather than answer that no map is open.
    pub fn launching(&self) {
        self.lock().launching = true;
    }

    /// Opens the map named at launch, after [`Session::launching`], off the
    /// window's main thread: the page loads meanwhile, where before it
    /// waited for the map (on 10,000 steps, 1.3 s). A failure is kept for
    /// the window to show, as [`Session::set_startup_error`] keeps it.
    pub fn open_at_launch(&self, path: &Path) -> Result<MapView, AppError> {
        /// Ends the launch however opening ends, a panic included, so the
        /// window is never left waiting.
        struct Launched<'a>(&'a Session);
        impl Drop for Launched<'_> {
            fn drop(&mut self) {
                self.0.lock().launching = false;
                self.0.launched.notify_all();
            }
        }
        let _launched = Launched(self);
        let opened = self.open(path);
        if let Err(e) = &opened {
            self.lock().startup_error = Some(CommandError::from(e));
        }
        opened
    }

    /// The view of the current map, with the whole drawing. While the map
    /// named at launch is being opened, waits for it.
    pub fn view(&self) -> Result<MapView, CommandError> {
        self.view_sending(Send::Whole)
    }

    /// The view of the current map after others changed it (the room, a
    /// library), with only the pieces of the drawing that changed since the
    /// last one sent. Replacing the whole drawing of a 500-step map at each
    /// of the room's pulses kept the window busy for most of every pulse.
    ///
    /// The map is analysed without holding the session, so an edit made
    /// meanwhile is answered at once rather than waiting for figures it
    /// has already made stale. An analysis so overtaken stands in for the
    /// map's own figures, and the view says more follow
    /// ([`MapView::figures_follow`]): the window asks again.
    pub fn changed_view(&self) -> Result<MapView, CommandError> {
        let (map, place, mut memo) = {
            let mut inner = self.launched_lock();
            let inner = &mut *inner;
            let Some(open) = inner.open.as_ref() else { return view_sending_locked(inner, Send::Changes) };
            let memo = inner.drawn.as_mut().map(|d| std::mem::take(&mut d.memo)).unwrap_or_default();
            (open.map.clone(), open.file.place(), memo)
        };
        let today = clock::today();
        let (report, analysis) = waymark::analysis::analyze_on_reporting(&map, today, &mut memo);
        let mut inner = self.lock();
        let inner = &mut *inner;
        match inner.open.as_ref() {
            // Overtaken by an edit, the figures still stand in for the map
            // before it, and the view says more follow: one analysis an ask,
            // however fast the edits come (the room's pulses come every
            // 100 ms, an analysis of 10,000 steps takes longer).
            Some(open) if open.file.place() == place => {
                let current = open.map == map;
                let figures = FiguresFrom::Given(Box::new(Worked { current, today, report, analysis, memo }));
                Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, Send::Changes, figures))
            }
            // Another map was opened meanwhile: it is analysed anew.
            _ => view_sending_locked(inner, Send::Changes),
        }
    }

    /// The window shows `port` of the drawing now. On a map drawn by area,
    /// when the area drawn no longer holds it with a margin, the drawing of
    /// an area around it, as its changes from the drawing the window has
    /// (cards and connectors that come into view, those far out of it
    /// taken out); `None` when the window has what it needs. The figures
    /// are those of the last view: a map changed since without one (the
    /// room) waits for the view that follows, which is drawn around `port`.
    pub fn show_area(&self, port: Area) -> Result<Option<DrawingView>, AppError> {
        if ![port.x, port.y, port.width, port.height].iter().all(|v| v.is_finite()) {
            return Err(AppError::Invalid(format!("the area shown is not a place on the map: {port:?}")));
        }
        let port = Rect::from(port);
        let mut inner = self.lock();
        let inner = &mut *inner;
        inner.port = Some(port);
        let (Some(open), Some(drawn)) = (inner.open.as_ref(), inner.drawn.as_mut()) else { return Ok(None) };
        let Some(area) = drawn.area.filter(|_| !drawn.outdated) else { return Ok(None) };
        let Some(next) = area_for(Some((area, (drawn.drawing.width, drawn.drawing.height))), Some(port))
            .filter(|next| *next != area)
        else {
            return Ok(None);
        };
        let options = DrawOptions { viewport: Some(next), ..draw_options(open) };
        let drawing =
            waymark::render::blueprint_with(&open.map, drawn.analysis.as_deref(), &options, &mut drawn.routing);
        let version = drawn.version.wrapping_add(1);
        let view = changes_from(&drawn.drawing, drawn.version, &drawing, version)
            .unwrap_or_else(|| DrawingView::Whole { version, svg: drawing.svg.clone() });
        drawn.drawing = drawing;
        drawn.version = version;
        drawn.area = Some(next);
        // A reload reuses this drawing, not the one before it.
        if let Some(whole) = drawn.whole.as_mut() {
            whole.options = options;
        }
        Ok(Some(view))
    }

    /// Where step `id`'s card is in the drawing, for a window to scroll to a
    /// card it does not hold (a map drawn by area); `None` when there is no
    /// such step.
    pub fn step_area(&self, id: &str) -> Option<Area> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let (open, drawn) = (inner.open.as_ref()?, inner.drawn.as_mut()?);
        card_of(&open.map, id, &mut drawn.routing).map(Into::into)
    }

    /// The session, once the map named at launch is open.
    fn launched_lock(&self) -> MutexGuard<'_, Inner> {
        let mut inner = self.lock();
        while inner.launching {
            inner = self.launched.wait(inner).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        inner
    }

    fn view_sending(&self, send: Send) -> Result<MapView, CommandError> {
        let mut inner = self.launched_lock();
        view_sending_locked(&mut inner, send)
    }

    /// Changes the analysis weights and saves them in one transaction. A value
    /// out of range is refused and nothing changes.
    pub fn set_settings(&self, settings: Settings) -> Result<MapView, AppError> {
        self.apply(&Edit::SetSettings { settings })
    }

    /// Applies an edit and stores it, with its undo record, in one
    /// transaction. A refused edit changes nothing.
    ///
    /// A valid edit whose write fails is refused too (the file and the map are
    /// as before), and kept for [`Session::save_copy`].
    pub fn apply(&self, edit: &Edit) -> Result<MapView, AppError> {
        self.change(edit, false)
    }

    /// Applies an edit folded into the last one, so one undo takes both back
    /// (see `MapFile::amend`).
    pub fn amend(&self, edit: &Edit) -> Result<MapView, AppError> {
        self.change(edit, true)
    }

    /// The open map, for the room.
    pub fn map(&self) -> Option<Map> {
        self.lock().open.as_ref().map(|o| o.map.clone())
    }

    /// Applies an edit sent from the room and stores it, without making a
    /// view: phones act in bursts, and the window is redrawn at most every
    /// 100 ms (see `room.rs`), by [`Session::changed_view`].
    pub fn apply_from_room(&self, edit: &Edit) -> Result<(), AppError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        open.map = match open.file.apply(&open.map, edit) {
            Ok(map) => map,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => return Err(not_saved(e)),
        };
        inner.unsaved = None;
        if let Some(drawn) = inner.drawn.as_mut() {
            drawn.outdated = true;
        }
        Ok(())
    }

    /// Applies a burst of edits sent from the room, each its own edit and
    /// undo step, stored in one commit (see `MapFile::apply_all`).
    pub fn apply_all_from_room(&self, edits: &[Edit]) -> Vec<Result<(), AppError>> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(open) = inner.open.as_mut() else { return edits.iter().map(|_| Err(AppError::NoMap)).collect() };
        match open.file.apply_all(&open.map, edits) {
            Ok((next, outcomes)) => {
                // A burst refused whole changes nothing, and no view follows it.
                if next != open.map
                    && let Some(drawn) = inner.drawn.as_mut()
                {
                    drawn.outdated = true;
                }
                open.map = next;
                inner.unsaved = None;
                outcomes.into_iter().map(|o| o.map_err(|e| AppError::Invalid(e.to_string()))).collect()
            }
            Err(e) => {
                let message = not_saved(e).to_string();
                edits.iter().map(|_| Err(AppError::Room(message.clone()))).collect()
            }
        }
    }

    /// Whether the open map may be changed here (a room needs that).
    pub fn writable(&self) -> Result<(), AppError> {
        let inner = self.lock();
        let open = inner.open.as_ref().ok_or(AppError::NoMap)?;
        match open.file.read_only() {
            Some(why) => Err(AppError::Room(format!("{why}; a room needs a map it can change"))),
            None => Ok(()),
        }
    }

    fn change(&self, edit: &Edit, fold: bool) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let stored = if fold { open.file.amend(&open.map, edit) } else { open.file.apply(&open.map, edit) };
        open.map = match stored {
            Ok(map) => map,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => {
                let e = not_saved(e);
                if matches!(e, AppError::NotSaved(_)) {
                    inner.unsaved = Some(edit.clone());
                }
                return Err(e);
            }
        };
        inner.unsaved = None;
        // A step added is where the window looks next: it selects the new
        // card and scrolls to it.
        let look_at = match edit {
            Edit::AddStep { step } => Some(step.id.as_str()),
            // A step typed with a new stage or lane.
            Edit::AddSteps { steps, .. } if steps.len() == 1 => steps.first().map(|s| s.id.as_str()),
            _ => None,
        };
        Ok(view_of(open, &mut inner.drawn, &mut inner.port, look_at, Send::Changes, FiguresFrom::Last))
    }

    /// Sends the open map's rankings whole (`true`), or their first places,
    /// with this view and every later one of this map.
    pub fn show_whole_rankings(&self, whole: bool) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        open.whole_rankings = whole;
        Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, Send::Changes, FiguresFrom::Work))
    }

    /// Adds the steps of a CSV file to the open map as one edit.
    pub fn import_csv(&self, path: &Path) -> Result<MapView, AppError> {
        let steps = waymark_evidence::sheet::Steps::read(path, None).map_err(AppError::Invalid)?;
        let edit = {
            let inner = self.lock();
            let open = inner.open.as_ref().ok_or(AppError::NoMap)?;
            waymark::csv_import::read(&steps.text, &open.map)
                .map_err(|e| AppError::Invalid(format!("{}; nothing was imported", steps.refusal(&e))))?
        };
        self.apply(&edit)
    }

    /// Takes back the last edit (`redo = false`) or replays the last undone one.
    pub fn step_history(&self, redo: bool) -> Result<MapView, AppError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let open = inner.open.as_mut().ok_or(AppError::NoMap)?;
        let next = match if redo { open.file.redo(&open.map) } else { open.file.undo(&open.map) } {
            Ok(next) => next,
            Err(ApplyError::Refused(e)) => return Err(AppError::Invalid(e.to_string())),
            Err(ApplyError::Store(e)) => return Err(not_saved(e)),
        };
        if let Some(map) = next {
            open.map = map;
            inner.unsaved = None;
        }
        Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, Send::Changes, FiguresFrom::Last))
    }

    /// Writes the PDF report of the current map to `path`, whole or not at all
    /// (a temporary file beside it, then a rename).
    pub fn export_pdf(&self, path: &Path, paper: Paper, date: String) -> Result<Exported, AppError> {
        let map = self.lock().open.as_ref().map(|o| o.map.clone()).ok_or(AppError::NoMap)?;
        let review = self.lock().open.as_ref().map(|o| summary(o, clock::today()));
        // Where the scores rest on samples the brief says how sure the ranking is.
        let certainty =
            waymark_evidence::certainty::certainty(&map, &waymark_evidence::certainty::Options::default()).ok();
        let bytes = waymark::report::pdf(&map, &ReportOptions { paper, date, author: None, review, certainty })
            .map_err(|e| AppError::Report(e.to_string()))?;
        waymark::atomic::write_atomically(path, &bytes)
            .map_err(|source| AppError::Export { path: path.to_owned(), source })?;
        self.lock().last_export = Some(path.to_owned());
        Ok(Exported {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: path.display().to_string(),
            #[allow(clippy::cast_precision_loss, reason = "a report is far below 2^53 bytes")]
            bytes: bytes.len() as f64,
        })
    }

    /// The last file exported, if it still exists.
    pub fn last_export(&self) -> Option<PathBuf> {
        self.lock().last_export.clone().filter(|p| p.exists())
    }

    /// The current map's title, for naming exports.
    pub fn title(&self) -> Option<String> {
        self.lock().open.as_ref().map(|o| o.map.title.clone())
    }

    /// Remembers why the start-up map did not open.
    pub fn set_startup_error(&self, error: AppError) {
        self.lock().startup_error = Some(error.into());
    }

    /// The file of the current map, if it is kept in one.
    pub fn path(&self) -> Option<PathBuf> {
        self.lock().open.as_ref().and_then(|o| o.file.file().map(Path::to_owned))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-changed
        // (fields are replaced whole), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The view of the open map, analysed here, or why there is none.
fn view_sending_locked(inner: &mut Inner, send: Send) -> Result<MapView, CommandError> {
    match (&inner.open, &inner.startup_error) {
        (Some(open), _) => Ok(view_of(open, &mut inner.drawn, &mut inner.port, None, send, FiguresFrom::Work)),
        (None, Some(error)) => Err(error.clone()),
        (None, None) => Err(AppError::NoMap.into()),
    }
}

/// The reviews of an open map as of `today`.
fn summary(open: &OpenMap, today: chrono::NaiveDate) -> ReviewSummary {
    ReviewSummary::new(&open.map, open.reviews.clone(), open.last.as_ref(), today)
}

/// The view of an open map, with how far undo and redo can go, whether
/// changes are saved, and its drawing: whole, or (`Send::Changes`) only the
/// pieces that differ from the last drawing sent, when their markup is less
/// than half of it. The drawing is remembered for the next comparison. A
/// large map is drawn around `port`, the part the window shows (see
/// [`DRAWN_WHOLE_UP_TO`]), or around step `look_at` when the window is
/// about to scroll there: then `port` becomes the window's part centred on
/// it, so that the card comes with this view, not after the scroll.
fn view_of(
    open: &OpenMap,
    drawn: &mut Option<Drawn>,
    port: &mut Option<Rect>,
    look_at: Option<&str>,
    send: Send,
    figures: FiguresFrom,
) -> MapView {
    let today = match &figures {
        FiguresFrom::Given(worked) => worked.today,
        FiguresFrom::Work | FiguresFrom::Last => clock::today(),
    };
    let by_area = open.map.steps.len() > DRAWN_WHOLE_UP_TO;
    // The last figures stand in only on a map drawn by area, where a view
    // kept some; a map just grown that large, or shrunk below it, is
    // analysed.
    let figures = match figures {
        FiguresFrom::Last if !by_area || drawn.as_ref().is_none_or(|d| d.analysis.is_none()) => FiguresFrom::Work,
        figures => figures,
    };
    let version = drawn.as_ref().map_or(1, |d| d.version.wrapping_add(1));
    if !by_area {
        // A window showing the whole drawing says nothing of where it is.
        *port = None;
    }
    // The area drawn last, while it holds what the window shows.
    let drawn_area = drawn.as_ref().and_then(|d| Some((d.area?, (d.drawing.width, d.drawing.height))));
    let kept_area = by_area.then(|| area_for(drawn_area, *port)).flatten();
    // The same map sent whole again on the same day: the same analysis and
    // drawing, so those are reused (see `Drawn::whole`).
    let again = send == Send::Whole
        && drawn.as_ref().and_then(|d| d.whole.as_ref()).is_some_and(|w| {
            w.today == today
                && w.options == DrawOptions { viewport: kept_area, ..draw_options(open) }
                && w.map == open.map
        });
    let (report, analysis, stale, drawing, routing, memo, area, last) = match drawn.take() {
        Some(Drawn { drawing, routing, memo, whole: Some(whole), .. }) if again => {
            (None, whole.analysis, false, drawing, routing, memo, kept_area, None)
        }
        mut last => {
            let mut memo = last.as_mut().map(|d| std::mem::take(&mut d.memo)).unwrap_or_default();
            let (report, analysis, stale) = match figures {
                FiguresFrom::Work => {
                    let (report, analysis) = waymark::analysis::analyze_on_reporting(&open.map, today, &mut memo);
                    (Some(report), analysis.map(Arc::new), false)
                }
                FiguresFrom::Given(worked) => {
                    memo = worked.memo;
                    if worked.current {
                        (Some(worked.report), worked.analysis.map(Arc::new), false)
                    } else {
                        stand_in(&open.map, worked.analysis.map(Arc::new))
                    }
                }
                FiguresFrom::Last => stand_in(&open.map, last.as_ref().and_then(|d| d.analysis.clone())),
            };
            let mut routing = last.as_mut().map(|d| std::mem::take(&mut d.routing)).unwrap_or_default();
            let looked = look_at.filter(|_| by_area).and_then(|id| card_port(&open.map, id, *port, &mut routing));
            if looked.is_some() {
                *port = looked;
            }
            let area = by_area.then(|| match looked {
                Some(looked) => area_for(drawn_area, Some(looked)).unwrap_or_else(|| around(looked)),
                None => kept_area.unwrap_or_else(|| around(first_port(&open.map, analysis.as_deref(), &mut routing))),
            });
            let options = DrawOptions { viewport: area, ..draw_options(open) };
            let drawing = waymark::render::blueprint_with(&open.map, analysis.as_deref(), &options, &mut routing);
            (report, analysis, stale, drawing, routing, memo, area, last)
        }
    };
    let changes = match (last.as_ref(), send) {
        (Some(last), Send::Changes) => changes_from(&last.drawing, last.version, &drawing, version),
        _ => None,
    };
    let view_drawing = changes.unwrap_or_else(|| DrawingView::Whole { version, svg: drawing.svg.clone() });
    let size = (drawing.width, drawing.height);
    let options = DrawOptions { viewport: area, ..draw_options(open) };
    // A drawing with the figures of the map before is not one to reuse.
    let whole = (matches!(view_drawing, DrawingView::Whole { .. }) && !stale)
        .then(|| Box::new(WholeDrawing { map: open.map.clone(), options, today, analysis: analysis.clone() }));
    let shown = area.and(analysis.clone());
    let base = last.as_ref().filter(|_| send == Send::Changes).map(|d| d.version);
    let mut sent = last.map(|d| d.sent).unwrap_or_default();
    let (undo, redo) = open.file.history_depth().unwrap_or((0, 0));
    let reviews = Reviews { reviews: &open.reviews, last: open.last.as_ref() };
    let (name, place) = (open.file.name(), open.file.place());
    let figures = (analysis.as_deref(), open.whole_rankings);
    let mut view = MapView::new(&open.map, (&name, &place), report, figures, view_drawing, size, today, Some(reviews));
    view.undo = undo;
    view.redo = redo;
    view.read_only = open.file.read_only().map(Into::into);
    view.drawn_by_area = area.is_some();
    view.figures_follow = stale;
    view.leave_out_unchanged(&mut sent, base);
    *drawn = Some(Drawn { version, drawing, routing, memo, whole, sent, area, analysis: shown, outdated: false });
    view
}

/// The figures of an earlier state of `map` standing in for its own, with
/// `map`'s validation and whether more follow: a map the edit left with
/// errors has no figures, and none follow.
fn stand_in(
    map: &Map,
    earlier: Option<Arc<Analysis>>,
) -> (Option<waymark::validate::Report>, Option<Arc<Analysis>>, bool) {
    let report = waymark::validate::validate(map);
    if report.is_valid() { (Some(report), earlier, true) } else { (Some(report), None, false) }
}

/// The changes from drawing `old` (version `base`) to `new`, when there
/// are such and their markup is less than half of `new`'s.
fn changes_from(old: &Drawing, base: u32, new: &Drawing, version: u32) -> Option<DrawingView> {
    pieces::changes(old, new).filter(|changed| changed.iter().map(markup_len).sum::<usize>() <= new.svg.len() / 2).map(
        |changed| DrawingView::Changes {
            version,
            base,
            parts: changed.into_iter().map(|c| changed_part(new, c)).collect(),
        },
    )
}

/// The part of a large map a window shows before it has said (a window
/// of 1,600 × 1,000 at the zoom a map opens at): around its worst spot,
/// where the window opens it, else at its top left corner.
const FIRST_PORT: (f64, f64) = (1_900.0, 1_200.0);

fn first_port(map: &Map, analysis: Option<&waymark::analysis::Analysis>, routing: &mut Routing) -> Rect {
    let worst = analysis.and_then(|a| a.weak_spots.first());
    worst.and_then(|w| card_port(map, &w.id, None, routing)).unwrap_or(Rect {
        x: 0.0,
        y: 0.0,
        w: FIRST_PORT.0,
        h: FIRST_PORT.1,
    })
}

/// The part of the map a window of `port`'s size (or the first port's)
/// shows when step `id`'s card is at its centre; `None` when there is no
/// such step.
fn card_port(map: &Map, id: &str, port: Option<Rect>, routing: &mut Routing) -> Option<Rect> {
    let card = card_of(map, id, routing)?;
    let (w, h) = port.map_or(FIRST_PORT, |p| (p.w, p.h));
    Some(Rect { x: card.cx() - w / 2.0, y: card.cy() - h / 2.0, w, h })
}

/// Where step `id`'s card is in `map`'s layout (the one `routing` keeps).
fn card_of(map: &Map, id: &str, routing: &mut Routing) -> Option<Rect> {
    let ix = map.steps.iter().position(|s| s.id == id)?;
    routing.layout(map).cards.iter().find(|c| c.step == ix).map(|c| c.rect)
}

/// The area to draw around `port`: a window's width and height more on
/// every side, so scrolling by up to half of either needs nothing new.
fn around(port: Rect) -> Rect {
    Rect { x: port.x - port.w, y: port.y - port.h, w: port.w * 3.0, h: port.h * 3.0 }
}

/// The area drawn, `drawn` (on a drawing of `size`), while it still holds
/// `port` with half a window's margin on every side; otherwise a new area
/// around `port`. `None` when there is neither (a map just opened).
fn area_for(drawn: Option<(Rect, (f64, f64))>, port: Option<Rect>) -> Option<Rect> {
    match (drawn, port) {
        (Some((area, size)), Some(port)) if holds(&area, &port, size) => Some(area),
        (_, Some(port)) => Some(around(port)),
        (drawn, None) => drawn.map(|(area, _)| area),
    }
}

/// Whether `area` holds `port` with half of `port`'s size to spare on
/// every side, as far as the drawing (`size`) goes: there is nothing beyond.
fn holds(area: &Rect, port: &Rect, (width, height): (f64, f64)) -> bool {
    let (mx, my) = (port.w / 2.0, port.h / 2.0);
    area.x <= (port.x - mx).max(0.0)
        && area.right() >= (port.right() + mx).min(width)
        && area.y <= (port.y - my).max(0.0)
        && area.bottom() >= (port.bottom() + my).min(height)
}

/// How the window draws `open`: rank badges on the places its list of weak
/// spots shows, all of them once the window asked for the whole ranking. A
/// score re-ranks every weak spot below it; on 10,000 steps some 3,000
/// badges changed their number and went to the window with each edit (0.86
/// MB), and WebKit styled them anew.
fn draw_options(open: &OpenMap) -> DrawOptions {
    let shown = u32::try_from(RANKING_SHOWN).unwrap_or(u32::MAX);
    DrawOptions { ranks_shown: (!open.whole_rankings).then_some(shown), ..DrawOptions::default() }
}

/// How much markup a change sends.
fn markup_len(change: &pieces::Change<'_>) -> usize {
    match change {
        pieces::Change::Replace(p) | pieces::Change::Insert { piece: p, .. } => p.range.len(),
        pieces::Change::Remove(_) => 0,
    }
}

/// A change of the drawing as the window receives it.
fn changed_part(drawing: &Drawing, change: pieces::Change<'_>) -> ChangedPart {
    // Inserted and removed pieces are items: their set and step.
    let item =
        |part: &pieces::Part| part.item().map(|(set, step)| (set.to_owned(), step.to_owned())).unwrap_or_default();
    match change {
        pieces::Change::Replace(piece) => {
            let markup = drawing.markup(piece).to_owned();
            match &piece.part {
                pieces::Part::Group(class) => ChangedPart::Group { class: (*class).to_owned(), markup },
                pieces::Part::Item { set, step } => {
                    ChangedPart::Item { set: (*set).to_owned(), id: step.clone(), markup }
                }
            }
        }
        pieces::Change::Insert { piece, after } => {
            let (set, id) = item(&piece.part);
            let after = after.map(|a| item(a).1);
            ChangedPart::NewItem { set, id, markup: drawing.markup(piece).to_owned(), after }
        }
        pieces::Change::Remove(part) => {
            let (set, id) = item(part);
            ChangedPart::RemovedItem { set, id }
        }
    }
}

/// A failed write of a change: SQLite's refusals (disk full, I/O error)
/// become [`AppError::NotSaved`], so the window offers to save elsewhere;
/// a read-only map's refusal and a damaged history keep their own codes.
fn not_saved(e: StoreError) -> AppError {
    use waymark_library::LibraryError;
    match e {
        StoreError::Sqlite { .. } | StoreError::Io { .. } => AppError::NotSaved(e),
        // The library went away, or the map with it: what the window shows
        // is all there is, so it offers to save it elsewhere.
        StoreError::Other(ref other)
            if matches!(
                other.downcast_ref::<LibraryError>(),
                Some(LibraryError::Unreachable { .. } | LibraryError::Deleted { .. })
            ) =>
        {
            AppError::NotSaved(e)
        }
        other => AppError::Store(other),
    }
}

/// Whether two paths lead to one file (through links, `..`, or spelt the
/// same). A path that cannot be resolved is compared as written.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
