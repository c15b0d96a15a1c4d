//! Hearing of others' edits as they are committed. Every transaction that
//! changes a map also sends `NOTIFY waymark_map` with the map's id, which
//! PostgreSQL delivers at its commit; a window listens on a connection of
//! its own and re-reads the log when one arrives. A notification is only a
//! ping: those sent while the connection was down are lost, so after every
//! reconnect the listener pings once itself, and the log, not the ping, is
//! what the window reads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::{Client, fallible_iterator::FallibleIterator};

use super::address::Address;

/// The channel every map change is announced on; the payload is the map's id.
const CHANNEL: &str = "waymark_map";

/// How long the listener waits for a notification before checking that it
/// should go on and that the server is still there.
const TICK: Duration = Duration::from_millis(200);

/// How often an idle connection is checked, so a server that went away
/// without a word (a cable pulled) is noticed.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// How long to wait between attempts to reach the server again.
const RETRY: Duration = Duration::from_millis(500);

/// Announces a change of map `id` to every listener, at the commit of `tx`.
pub(super) fn notify(tx: &mut postgres::Transaction<'_>, id: &str) -> Result<(), postgres::Error> {
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &id]).map(|_| ())
}

/// A listener for one map's changes, running until dropped.
pub struct Watch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

impl Drop for Watch {
    /// Tells the thread to stop and lets it go: it ends at its next tick or
    /// after the connection attempt under way, and waiting for it here would
    /// hold up whoever closes the map (or deadlock, when its own callback
    /// is what closes it).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.thread.take());
    }
}

impl Watch {
    /// Listens for changes of map `id` and calls `changed` for each, and
    /// whenever the connection is lost or comes back: each time the map may
    /// differ from what the caller last read. When it loses the server it
    /// sets `lost` first, so the caller checks on a fresh connection of its
    /// own: the one it holds may still answer for a moment while the server
    /// shuts down, and the watch tells of a loss only once.
    #[must_use]
    pub fn start(address: Address, id: String, lost: Arc<AtomicBool>, changed: Box<dyn Fn() + Send>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(format!("waymark-watch-{id}"))
            .spawn(move || listen(&address, &id, &lost, &*changed, &flag))
            .ok();
        Self { stop, thread }
    }
}

fn listen(address: &Address, id: &str, lost: &AtomicBool, changed: &dyn Fn(), stop: &AtomicBool) {
    // The flag before the call: the caller's check reads it.
    let tell_lost = || {
        lost.store(true, Ordering::Relaxed);
        changed();
    };
    let mut reachable = true;
    while !stop.load(Ordering::Relaxed) {
        let listening =
            address.connect().ok().and_then(|mut c| c.batch_execute(&format!("LISTEN {CHANNEL}")).is_ok().then_some(c));
        let Some(mut client) = listening else {
            if reachable {
                reachable = false;
                tell_lost();
            }
            sleep_unless_stopped(RETRY, stop);
            continue;
        };
        // Whatever was committed before this listener was listening: while
        // it was away, or between the caller reading the map and now.
        changed();
        reachable = true;
        follow(&mut client, id, changed, stop);
        if !stop.load(Ordering::Relaxed) {
            reachable = false;
            tell_lost();
        }
    }
}

/// Waits for notifications until the connection is lost or the watch stops.
fn follow(client: &mut Client, id: &str, changed: &dyn Fn(), stop: &AtomicBool) {
    let mut checked = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let next = client.notifications().timeout_iter(TICK).next();
        match next {
            Ok(Some(n)) if n.payload() == id => changed(),
            Ok(_) => {}
            Err(_) => return,
        }
        if client.is_closed() {
            return;
        }
        if checked.elapsed() >= CHECK_EVERY {
            if client.is_valid(Duration::from_secs(2)).is_err() {
                return;
            }
            checked = Instant::now();
        }
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let until = Instant::now() + total;
    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(TICK.min(until.saturating_duration_since(Instant::now())));
    }
}
