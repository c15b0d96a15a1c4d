//! The workshop room, run from the window's Workshop tab.
//!
//! The room server is the `waymark-room` crate; the shell is its host: a
//! phone's action becomes an edit of the window's open map, stored through
//! the session like the window's own. Phones act in bursts, so the window is
//! told at most every 100 ms (a `RoomPulse` event) and then fetches the map
//! and the room's state once, however many actions came in between. The
//! window's own edits are passed to the room so the phones follow too.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event as _;
use waymark::Map;
use waymark::edit::Edit;
use waymark_room::{Activity, Config, Host, HostError, RoomHandle};

use crate::error::{AppError, CommandError};
use crate::session::Session;

/// How often, at most, the window is told the room changed the map.
pub const PULSE: Duration = Duration::from_millis(100);

/// The open room, if any.
#[derive(Default)]
pub struct Rooms {
    inner: Mutex<Option<Open>>,
}

struct Open {
    handle: RoomHandle,
    /// The host's snapshot of the map, cleared when the window edits it.
    snapshot: Arc<Mutex<Option<Arc<Map>>>>,
    /// Dropping it ends the pulse thread.
    _pulse: mpsc::Sender<()>,
}

impl Rooms {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Open>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Tells the phones the map changed (an edit in the window).
    pub fn notify(&self) {
        if let Some(open) = self.lock().as_ref() {
            *open.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            open.handle.notify();
        }
    }

    /// The room's state for the window, when a room is open.
    pub fn view(&self) -> Option<RoomView> {
        self.lock().as_ref().map(|o| RoomView::of(&o.handle))
    }
}

/// The session as the room's host. It keeps a snapshot of the map for the
/// phones' reads, so they never wait on the session while an edit is stored;
/// the window's own edits clear it (see [`Rooms::notify`]).
struct SessionHost<R: Runtime> {
    app: AppHandle<R>,
    pulse: mpsc::Sender<()>,
    snapshot: Arc<Mutex<Option<Arc<Map>>>>,
}

impl<R: Runtime> Host for SessionHost<R> {
    fn map(&self) -> Arc<Map> {
        let mut cached = self.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(map) = cached.as_ref() {
            return Arc::clone(map);
        }
        let map = Arc::new(self.app.state::<Session>().map().unwrap_or_else(|| Map::new("no map is open")));
        *cached = Some(Arc::clone(&map));
        map
    }

    fn apply(&self, edit: &Edit) -> Result<(), HostError> {
        let stored = self.app.state::<Session>().apply_from_room(edit).map_err(|e| match e {
            AppError::Invalid(why) => HostError::Refused(why),
            other => HostError::NotStored(other.to_string()),
        });
        self.forget();
        stored
    }

    fn apply_all(&self, edits: &[Edit]) -> Vec<Result<(), HostError>> {
        let outcomes = self
            .app
            .state::<Session>()
            .apply_all_from_room(edits)
            .into_iter()
            .map(|o| {
                o.map_err(|e| match e {
                    AppError::Invalid(why) => HostError::Refused(why),
                    other => HostError::NotStored(other.to_string()),
                })
            })
            .collect();
        self.forget();
        outcomes
    }

    fn changed(&self) {
        let _ = self.pulse.send(());
    }
}

impl<R: Runtime> SessionHost<R> {
    /// The snapshot is stale: the next read takes the session's map.
    fn forget(&self) {
        *self.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// Sent at most every [`PULSE`] while phones act: the window fetches the map
/// and the room again.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RoomPulse {}

/// Coalesces the host's change signals into one event per [`PULSE`].
fn pulse_thread<R: Runtime>(app: AppHandle<R>) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut last = Instant::now().checked_sub(PULSE).unwrap_or_else(Instant::now);
        while rx.recv().is_ok() {
            let wait = PULSE.saturating_sub(last.elapsed());
            std::thread::sleep(wait);
            // Everything that came in meanwhile is in the one event.
            while rx.try_recv().is_ok() {}
            let _ = RoomPulse {}.emit(&app);
            last = Instant::now();
        }
    });
    tx
}

/// A network interface the room could listen on.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct InterfaceView {
    /// Its name (`wlan0`).
    pub name: String,
    /// Its address.
    pub addr: String,
    /// Whether phones on the local network could reach it (not loopback,
    /// link-local or a virtual adapter).
    pub lan: bool,
}

/// Who is in the room.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SeatView {
    /// The participant.
    pub participant: String,
    /// Whether they pressed "I'm done".
    pub done: bool,
}

/// A pain point sent from a phone, waiting for approval.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PendingView {
    /// Its id.
    pub id: String,
    /// The step's id.
    pub step: String,
    /// What hurts.
    pub text: String,
    /// 1–3.
    pub severity: Option<u8>,
}

/// An activity phones take part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RoomActivity {
    /// Rating steps.
    Rating,
    /// Placing dots.
    Voting,
    /// Adding pain points.
    Pain,
}

impl From<RoomActivity> for Activity {
    fn from(a: RoomActivity) -> Self {
        match a {
            RoomActivity::Rating => Activity::Rating,
            RoomActivity::Voting => Activity::Voting,
            RoomActivity::Pain => Activity::Pain,
        }
    }
}

/// The open room, as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RoomView {
    /// The join URL (a raw IP, never a `.local` name).
    pub url: String,
    /// The six-character code typed at `/join`.
    pub code: String,
    /// The join URL as a QR code (SVG made by the room crate from the URL).
    pub qr_svg: String,
    /// Who has joined, in the order they joined.
    pub seats: Vec<SeatView>,
    /// Whether rating is open.
    pub rating: bool,
    /// Whether voting is open.
    pub voting: bool,
    /// Whether adding pain points is open.
    pub pain: bool,
    /// Whether phones see everyone's tallies.
    pub revealed: bool,
    /// Whether new people may join.
    pub locked: bool,
    /// Whether phones' pain points wait for approval.
    pub approve_pain: bool,
    /// Pain points waiting for approval.
    pub pending: Vec<PendingView>,
    /// The last phone action that could not be stored, with the reason in
    /// full (phones are told only that it was not saved).
    pub trouble: Option<String>,
}

impl RoomView {
    fn of(h: &RoomHandle) -> Self {
        let (activities, revealed, locked) = h.activities();
        Self {
            url: h.url().to_owned(),
            code: h.code().to_owned(),
            qr_svg: waymark_room::qr_svg(h.url()),
            seats: h.seats().into_iter().map(|s| SeatView { participant: s.participant, done: s.done }).collect(),
            rating: activities.rating,
            voting: activities.voting,
            pain: activities.pain,
            revealed,
            locked,
            approve_pain: h.approval(),
            pending: h
                .pending()
                .into_iter()
                .map(|p| PendingView { id: p.id, step: p.step, text: p.text, severity: p.severity })
                .collect(),
            trouble: h.trouble(),
        }
    }
}

/// The machine's addresses, the ones phones can reach first.
#[tauri::command]
#[specta::specta]
pub fn room_interfaces() -> Vec<InterfaceView> {
    waymark_room::lan_addresses()
        .into_iter()
        .map(|i| InterfaceView { name: i.name, addr: i.addr.to_string(), lan: i.lan })
        .collect()
}

/// Opens a room for the open map on `addr` (one of [`room_interfaces`]).
/// A room already open is closed first.
#[tauri::command]
#[specta::specta]
pub async fn open_room<R: Runtime>(addr: String, app: AppHandle<R>) -> Result<RoomView, CommandError> {
    app.state::<Session>().writable()?;
    let bind: std::net::IpAddr =
        addr.parse().map_err(|_| AppError::Room(format!("\"{addr}\" is not an address of this machine")))?;
    close_open(&app).await;
    let pulse = pulse_thread(app.clone());
    let snapshot = Arc::new(Mutex::new(None));
    let host = Arc::new(SessionHost { app: app.clone(), pulse: pulse.clone(), snapshot: Arc::clone(&snapshot) });
    let handle = waymark_room::open(host, Config { bind, ..Config::default() })
        .await
        .map_err(|e| AppError::Room(format!("the room could not open: {e}")))?;
    let view = RoomView::of(&handle);
    *app.state::<Rooms>().lock() = Some(Open { handle, snapshot, _pulse: pulse });
    Ok(view)
}

async fn close_open<R: Runtime>(app: &AppHandle<R>) {
    let open = app.state::<Rooms>().lock().take();
    if let Some(open) = open {
        open.handle.close().await;
    }
}

/// Closes the room: phones see "the room is closed", nothing listens, the
/// token dies.
#[tauri::command]
#[specta::specta]
pub async fn close_room<R: Runtime>(app: AppHandle<R>) -> Result<(), CommandError> {
    close_open(&app).await;
    Ok(())
}

/// The open room, or `None`.
#[tauri::command]
#[specta::specta]
pub fn room_status(rooms: tauri::State<'_, Rooms>) -> Option<RoomView> {
    rooms.view()
}

/// What the facilitator may change about an open room.
#[derive(Debug, Clone, PartialEq, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomControl {
    /// Open or close an activity.
    Activity {
        /// Which.
        activity: RoomActivity,
        /// Open or closed.
        open: bool,
    },
    /// Show or hide everyone's tallies on the phones.
    Reveal {
        /// Shown or hidden.
        revealed: bool,
    },
    /// Let no one new join, or let them again.
    Lock {
        /// Locked or not.
        locked: bool,
    },
    /// Whether phones' pain points wait for approval.
    Approval {
        /// On or off.
        on: bool,
    },
    /// Free a participant's name from the phone holding it, so she can take
    /// it again from another browser; what she did stays on the map.
    Release {
        /// The participant.
        name: String,
    },
}

/// Changes what is open, revealed, locked or approved.
#[tauri::command]
#[specta::specta]
pub fn control_room(control: RoomControl, rooms: tauri::State<'_, Rooms>) -> Result<RoomView, CommandError> {
    let guard = rooms.lock();
    let open = guard.as_ref().ok_or_else(|| AppError::Room("no room is open".into()))?;
    match control {
        RoomControl::Activity { activity, open: on } => open.handle.set_activity(activity.into(), on),
        RoomControl::Reveal { revealed } => open.handle.set_revealed(revealed),
        RoomControl::Lock { locked } => open.handle.set_locked(locked),
        RoomControl::Approval { on } => open.handle.set_approval(on),
        RoomControl::Release { name } => {
            if !open.handle.release(&name) {
                return Err(AppError::Room(format!("no phone holds the name {name}")).into());
            }
        }
    }
    Ok(RoomView::of(&open.handle))
}

/// Takes a participant out of the map (their ratings and dots go with them,
/// one undoable edit) and frees their phone's seat.
#[tauri::command]
#[specta::specta]
pub async fn remove_room_participant<R: Runtime>(name: String, app: AppHandle<R>) -> Result<(), CommandError> {
    let handle = app.state::<Rooms>().lock().as_ref().map(|o| o.handle.remote());
    match handle {
        Some(remote) => remote.remove_participant(&name).await.map_err(|e| AppError::Invalid(e.to_string()).into()),
        None => {
            app.state::<Session>().apply(&Edit::RemoveParticipant { name })?;
            Ok(())
        }
    }
}

/// Approves (adds to the map) or discards a pain point sent from a phone.
#[tauri::command]
#[specta::specta]
pub async fn settle_pain_point<R: Runtime>(id: String, approve: bool, app: AppHandle<R>) -> Result<(), CommandError> {
    let remote = app.state::<Rooms>().lock().as_ref().map(|o| o.handle.remote());
    let remote = remote.ok_or_else(|| AppError::Room("no room is open".into()))?;
    remote.settle_pending(&id, approve).await.map_err(|e| AppError::Invalid(e.to_string()).into())
}
