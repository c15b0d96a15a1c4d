//! The workshop room: while a facilitator wants it, a small web server on the
//! local network through which participants rate steps, place dots and add
//! pain points from their own phones, as the map is projected.
//!
//! The contract is the room protocol (`docs/room.md` restates it): every path
//! starts with `/r/TOKEN/`, JSON in and out, errors as
//! `{"error": {"code", "message"}}` with a 4xx status, and every accepted
//! action an edit of the map, stored before the answer. The room never owns
//! the map: a [`Host`] does (the window's open file, or the file the
//! `waymark-room` command opened), and the room sends it edits as the
//! window's own panels do. Nothing listens while no room is open; closing a
//! room ([`RoomHandle::close`]) stops the server and its token dies with it.
//!
//! - `token.rs`: the room's token and its six-character code;
//! - `seats.rs`: who has joined from which phone, what is open, the limits;
//! - `view.rs`: what one phone may see, with others' ratings and dots hidden
//!   until the facilitator reveals them;
//! - `api.rs`: the endpoints; `phone.rs` the page; `net.rs` the addresses.
//!
//! This crate (`waymark-room`) is where Tokio and HTTP live, so the core
//! stays free of them. It stands on the core (every phone action is the
//! core's `Edit`, applied and stored through its `Storage`) and on the
//! library, only to open a map named `URL#MAP` (`waymark_library::open`).
//! It must never depend on the command line or the shell; the shell uses
//! it, and `waymark room …` runs its program.

mod api;
mod net;
mod phone;
mod seats;
mod store_host;
mod token;
mod view;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, oneshot};
use waymark::Map;
use waymark::edit::Edit;

pub use net::{Interface, lan_addresses};
pub use seats::{Activities, Activity, Seat};
pub use store_host::StoreHost;

/// Who keeps the map the room acts on: the window's open file, or the file
/// the `waymark-room` command opened. Every call is quick (one transaction).
pub trait Host: Send + Sync + 'static {
    /// The map as it is now: a shared snapshot, cheap to take while an edit
    /// is being stored (phones read it on every request).
    fn map(&self) -> Arc<Map>;
    /// Applies an edit as the window does: validated by the core and stored
    /// in its own transaction before this returns, undoable like any other.
    ///
    /// # Errors
    /// The core's refusal, or why it could not be stored, in words.
    fn apply(&self, edit: &Edit) -> Result<(), HostError>;
    /// Applies several edits in order, each its own edit and undo step, and
    /// stores them together (one commit for a burst of phones): each edit's
    /// outcome. The default stores them one by one.
    fn apply_all(&self, edits: &[Edit]) -> Vec<Result<(), HostError>> {
        edits.iter().map(|e| self.apply(e)).collect()
    }
    /// Called after every change the room made, so a window can redraw.
    fn changed(&self) {}
}

/// Why the host did not take an edit.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HostError {
    /// The core refused it: the map would be invalid. The message says why.
    #[error("{0}")]
    Refused(String),
    /// It could not be stored (read-only file, full disk).
    #[error("{0}")]
    NotStored(String),
}

/// How a room starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen: the LAN address by default, `127.0.0.1` for tests.
    pub bind: std::net::IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Whether a phone may join without giving a name.
    pub allow_anonymous: bool,
    /// Which activities are open at the start.
    pub activities: Activities,
    /// Whether others' tallies are shown from the start.
    pub revealed: bool,
    /// Whether pain points sent from phones wait for the facilitator's
    /// approval before they are added to the map.
    pub approve_pain: bool,
    /// The token and code of an earlier room to open again, so phones that
    /// joined it need not rejoin (`waymark room --keep-link`); a new pair
    /// when `None`.
    pub link: Option<Link>,
}

/// What makes a room's address and lets phones in: the token in the join
/// URL and the code typed at `/join`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// The token in every path.
    pub token: String,
    /// The six-character code.
    pub code: String,
    /// Which phone (voter id) held which participant's name, so phones that
    /// joined the earlier room are still seated.
    #[serde(default)]
    pub seats: Vec<(String, String)>,
}

impl Link {
    /// Whether it could have come from a room: a token of 48 hex digits and
    /// a code of six of the code's letters. A kept link read back from disk
    /// is checked with this before it is used.
    #[must_use]
    pub fn is_well_formed(&self) -> bool {
        self.token.len() == 48
            && self.token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && self.code.len() == 6
            && self.code.bytes().all(|b| token::CODE_ALPHABET.contains(&b))
            && self.seats.iter().all(|(voter, _)| api::voter_ok(voter).is_ok())
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            port: 0,
            allow_anonymous: false,
            activities: Activities::all(),
            revealed: false,
            approve_pain: false,
            link: None,
        }
    }
}

/// What a phone hears besides its state: the room closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Something changed: every phone fetches its state again.
    Changed,
    /// The room is closed.
    Closed,
}

/// The room's shared state, behind the server.
pub(crate) struct Room {
    /// Edits to store, with where to send each outcome: the committer
    /// stores what has queued up together (see [`committer`]).
    pub commits: std::sync::mpsc::Sender<(Edit, oneshot::Sender<Result<(), HostError>>)>,
    pub token: String,
    pub code: String,
    pub url: String,
    pub host: Arc<dyn Host>,
    pub seats: Mutex<seats::Seats>,
    pub signals: broadcast::Sender<Signal>,
}

impl Room {
    /// Tells every phone and the host that something changed.
    pub fn changed(&self) {
        self.host.changed();
        let _ = self.signals.send(Signal::Changed);
    }
}

/// An open room. Dropping it closes the room too.
pub struct RoomHandle {
    room: Arc<Room>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl RoomHandle {
    /// The join URL, token included: what the QR code holds.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.room.url
    }

    /// The six-character code typed at `/join`.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.room.code
    }

    /// Where the server listens.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token and code, to open the room again on the same link.
    #[must_use]
    pub fn link(&self) -> Link {
        let seats = self.room.seats.lock().map(|s| s.voters()).unwrap_or_default();
        Link { token: self.room.token.clone(), code: self.room.code.clone(), seats }
    }

    /// Frees the name a phone holds, so the participant can take it again
    /// from another browser (her ratings and dots stay hers). The phone that
    /// held it is asked to join again. False when no phone held the name.
    pub fn release(&self, name: &str) -> bool {
        let released = self.room.seats.lock().is_ok_and(|mut s| s.release(name));
        if released {
            let _ = self.room.signals.send(Signal::Changed);
        }
        released
    }

    /// The last action that could not be stored, in full (a library's
    /// address, the operating system's error): for the facilitator, never
    /// for the phones, which are told only that their action was not saved.
    #[must_use]
    pub fn trouble(&self) -> Option<String> {
        self.room.seats.lock().ok().and_then(|s| s.trouble.clone())
    }

    /// Hears of every change in the room: someone joined, rated, finished.
    #[must_use]
    pub fn watch(&self) -> RoomWatch {
        RoomWatch { signals: self.room.signals.subscribe() }
    }

    /// Who has joined, whether they are done, in the order they joined.
    #[must_use]
    pub fn seats(&self) -> Vec<Seat> {
        self.room.seats.lock().map(|s| s.list()).unwrap_or_default()
    }

    /// What is open, revealed and locked.
    #[must_use]
    pub fn activities(&self) -> (Activities, bool, bool) {
        self.room.seats.lock().map(|s| (s.activities, s.revealed, s.locked)).unwrap_or_default()
    }

    /// Opens or closes one activity.
    pub fn set_activity(&self, activity: Activity, open: bool) {
        if let Ok(mut s) = self.room.seats.lock() {
            s.activities.set(activity, open);
        }
        let _ = self.room.signals.send(Signal::Changed);
    }

    /// Shows (or hides again) others' ratings and dots on the phones.
    pub fn set_revealed(&self, revealed: bool) {
        if let Ok(mut s) = self.room.seats.lock() {
            s.revealed = revealed;
        }
        let _ = self.room.signals.send(Signal::Changed);
    }

    /// Locks the room to new joiners (those in it stay).
    pub fn set_locked(&self, locked: bool) {
        if let Ok(mut s) = self.room.seats.lock() {
            s.locked = locked;
        }
        let _ = self.room.signals.send(Signal::Changed);
    }

    /// Pain points sent from phones that wait for approval.
    #[must_use]
    pub fn pending(&self) -> Vec<waymark::model::PainPoint> {
        self.room.seats.lock().map(|s| s.pending.clone()).unwrap_or_default()
    }

    /// Whether pain points from phones wait for approval.
    pub fn set_approval(&self, on: bool) {
        if let Ok(mut s) = self.room.seats.lock() {
            s.approve_pain = on;
        }
    }

    /// Whether pain points from phones wait for approval.
    #[must_use]
    pub fn approval(&self) -> bool {
        self.room.seats.lock().is_ok_and(|s| s.approve_pain)
    }

    /// A handle for the room's actions that take time (they store an edit),
    /// to use without holding on to this one.
    #[must_use]
    pub fn remote(&self) -> RoomRemote {
        RoomRemote { room: Arc::clone(&self.room) }
    }

    /// See [`RoomRemote::remove_participant`].
    ///
    /// # Errors
    /// The host's refusal.
    pub async fn remove_participant(&self, name: &str) -> Result<(), HostError> {
        self.remote().remove_participant(name).await
    }

    /// See [`RoomRemote::settle_pending`].
    ///
    /// # Errors
    /// When nothing waits under that id, or the host refuses it.
    pub async fn settle_pending(&self, id: &str, approve: bool) -> Result<(), HostError> {
        self.remote().settle_pending(id, approve).await
    }

    /// Something changed outside the room (an edit in the window): the
    /// phones fetch their state again.
    pub fn notify(&self) {
        let _ = self.room.signals.send(Signal::Changed);
    }

    /// Closes the room: phones hear "closed", the server stops listening and
    /// the token is no longer answered. Every acknowledged action was stored
    /// before it was acknowledged.
    pub async fn close(mut self) {
        self.shut().await;
    }

    async fn shut(&mut self) {
        if let Ok(mut s) = self.room.seats.lock() {
            s.closed = true;
        }
        let _ = self.room.signals.send(Signal::Closed);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

/// Change signals of a room, from [`RoomHandle::watch`].
pub struct RoomWatch {
    signals: broadcast::Receiver<Signal>,
}

impl RoomWatch {
    /// Waits for the next change; false once the room is closed. Changes
    /// missed while busy are one change.
    pub async fn changed(&mut self) -> bool {
        match self.signals.recv().await {
            Ok(Signal::Changed) | Err(broadcast::error::RecvError::Lagged(_)) => true,
            Ok(Signal::Closed) | Err(broadcast::error::RecvError::Closed) => false,
        }
    }
}

/// An open room's actions that store an edit, for a caller that must not
/// hold the [`RoomHandle`] while they run.
#[derive(Clone)]
pub struct RoomRemote {
    room: Arc<Room>,
}

impl RoomRemote {
    /// Removes a participant from the map, their ratings and dots with them,
    /// as one edit (undoable like any other), and frees their phone's seat.
    ///
    /// # Errors
    /// The host's refusal.
    pub async fn remove_participant(&self, name: &str) -> Result<(), HostError> {
        let host = Arc::clone(&self.room.host);
        let edit = Edit::RemoveParticipant { name: name.to_owned() };
        tokio::task::spawn_blocking(move || host.apply(&edit))
            .await
            .map_err(|_| HostError::NotStored("the room is busy".into()))??;
        if let Ok(mut s) = self.room.seats.lock() {
            s.unseat(name);
        }
        self.room.changed();
        Ok(())
    }

    /// Approves a waiting pain point: it is added to the map as one edit.
    /// Discarding one (`approve: false`) only drops it.
    ///
    /// # Errors
    /// When no pain point waits under that id, or the host refuses it.
    pub async fn settle_pending(&self, id: &str, approve: bool) -> Result<(), HostError> {
        let taken = self.room.seats.lock().ok().and_then(|mut s| {
            let i = s.pending.iter().position(|p| p.id == id)?;
            Some(s.pending.remove(i))
        });
        let Some(pain_point) = taken else {
            return Err(HostError::Refused(format!("no pain point \"{id}\" waits for approval")));
        };
        if approve {
            let host = Arc::clone(&self.room.host);
            let edit = Edit::AddPainPoint { pain_point };
            tokio::task::spawn_blocking(move || host.apply(&edit))
                .await
                .map_err(|_| HostError::NotStored("the room is busy".into()))??;
        }
        self.room.changed();
        Ok(())
    }
}

impl Drop for RoomHandle {
    fn drop(&mut self) {
        let _ = self.room.signals.send(Signal::Closed);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Why a room did not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// Opens a room for the map `host` keeps, on the current Tokio runtime.
///
/// # Errors
/// When the address cannot be listened on.
pub async fn open(host: Arc<dyn Host>, config: Config) -> Result<RoomHandle, OpenError> {
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| OpenError::Listen { addr, source })?;
    let addr = listener.local_addr().map_err(|source| OpenError::Listen { addr, source })?;
    let Link { token, code, seats: kept } = config.link.clone().filter(Link::is_well_formed).unwrap_or_else(|| Link {
        token: token::token(),
        code: token::code(),
        seats: Vec::new(),
    });
    let mut seats = seats::Seats::new(&config);
    let participants = host.map().workshop.participants.clone();
    for (voter, participant) in kept {
        // Only someone still on the map, and once.
        if participants.contains(&participant) && seats.holder(&participant).is_none() {
            seats.sit(&voter, &participant);
        }
    }
    // A raw IP in the URL, never a .local name: phones on a venue's Wi-Fi
    // often cannot resolve those.
    let url = format!("http://{}/r/{token}/", display_addr(addr));
    let (signals, _) = broadcast::channel(256);
    let room = Arc::new(Room {
        commits: committer(Arc::clone(&host)),
        token,
        code,
        url,
        host,
        seats: Mutex::new(seats),
        signals,
    });
    let app = api::router(Arc::clone(&room));
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RoomHandle { room, addr, stop: Some(stop), server: Some(server) })
}

/// The most edits stored in one commit.
const BATCH: usize = 64;

/// A thread that stores the room's edits: it takes the first that comes,
/// then every one queued behind it (up to [`BATCH`]), hands them to the host
/// to store together, and answers each once they are stored. Under a burst
/// of phones this is one commit per batch instead of one per action, and no
/// phone is answered before its edit is in the file. It ends when the room
/// is dropped.
fn committer(host: Arc<dyn Host>) -> std::sync::mpsc::Sender<(Edit, oneshot::Sender<Result<(), HostError>>)> {
    let (tx, rx) = std::sync::mpsc::channel::<(Edit, oneshot::Sender<Result<(), HostError>>)>();
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(more) => batch.push(more),
                    Err(_) => break,
                }
            }
            let (edits, replies): (Vec<Edit>, Vec<_>) = batch.into_iter().unzip();
            for (reply, outcome) in replies.into_iter().zip(host.apply_all(&edits)) {
                let _ = reply.send(outcome);
            }
        }
    });
    tx
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => a.to_string(),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// The join URL as a QR code, drawn as SVG (black modules on white).
#[must_use]
pub fn qr_svg(url: &str) -> String {
    qrcode::QrCode::new(url.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build())
        .unwrap_or_default()
}
