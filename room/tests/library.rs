//! A room on a library map (`URL#MAP`) against a real PostgreSQL: phones'
//! actions are stored in the library, and another editor's edit reaches the
//! room's map while it runs.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use waymark::edit::Edit;
use waymark_library::Library;
use waymark_room::{Host, StoreHost};

#[path = "../../library/tests/it/pg.rs"]
#[allow(dead_code, reason = "shared with the library's tests; not every helper is used here")]
mod pg;

#[test]
fn a_room_on_a_library_map_stores_there_and_follows_others() {
    let server = pg::Server::start();
    let url = server.database("lib");
    let (mut library, _) = Library::init(&url).unwrap();
    let map = waymark::interchange::read(waymark::samples::LICENCE_RENEWAL.json).unwrap();
    library.push(&waymark::store::Archive::of(map), "licence").unwrap();

    let host = Arc::new(StoreHost::open(Path::new(&format!("{url}#licence"))).unwrap());
    host.follow();
    assert!(!host.place().contains(pg::PASSWORD), "{}", host.place());
    host.apply(&Edit::AddParticipant { name: "Phone 1".into() }).unwrap();
    let stored = Library::open(&url).unwrap().edit("licence").unwrap();
    assert!(stored.map().workshop.participants.iter().any(|p| p == "Phone 1"), "stored in the library");

    let mut elsewhere = stored;
    elsewhere.apply(&Edit::AddParticipant { name: "From a window".into() }).unwrap();
    let start = Instant::now();
    while !host.map().workshop.participants.iter().any(|p| p == "From a window") {
        assert!(start.elapsed() < Duration::from_secs(1), "the room's map follows within a second");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The room's next action goes on top of the other's.
    host.apply(&Edit::AddParticipant { name: "Phone 2".into() }).unwrap();
    assert_eq!(Library::open(&url).unwrap().edit("licence").unwrap().version(), 3);
}
