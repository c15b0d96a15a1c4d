//! Libraries the tests share (the library's own and the command line's,
//! which includes this file): the licence sample in a file with history
//! and reviews, a library holding it, and another user of a library.

use std::path::Path;

use waymark::edit::Edit;
use waymark::store::MapFile;
use waymark_library::Library;

use crate::pg::{PASSWORD, Server};

/// The licence-renewal sample.
fn licence() -> waymark::Map {
    waymark::interchange::read(waymark::samples::LICENCE_RENEWAL.json).unwrap()
}

/// The licence sample in a file, with three edits (one undone, so the redo
/// stack travels too) and two reviews.
pub fn licence_file(dir: &Path) -> std::path::PathBuf {
    let map = licence();
    let path = dir.join("licence.waymark");
    let mut file = MapFile::create(&path, &map).unwrap();
    file.take_review("Autumn review", chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), &[]).unwrap();
    let scored = |score| {
        let mut step = map.steps[0].clone();
        step.score = Some(score);
        Edit::UpdateStep { step }
    };
    let mut now =
        file.apply(&map, &Edit::SetTitle { title: "Licence renewal, as mapped in the workshop".into() }).unwrap();
    now = file.apply(&now, &scored(2.5)).unwrap();
    now = file.apply(&now, &scored(3.0)).unwrap();
    file.undo(&now).unwrap().unwrap();
    file.take_review("Winter review", chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), &["Ann".into()]).unwrap();
    path
}

/// A library holding the licence sample as `licence`, at version 0.
pub fn library_with_licence(server: &Server) -> (String, waymark::Map) {
    let url = server.database("lib");
    let (mut library, _) = Library::init(&url).unwrap();
    let map = licence();
    library.push(&waymark::store::Archive::of(map.clone()), "licence").unwrap();
    (url, map)
}

/// Another user of the library at `url`, `name` with password
/// "`name`-password", allowed `rights` (`SELECT`, or `SELECT, INSERT, …`)
/// on its tables; the URL that user reaches it at.
pub fn another_user(url: &str, name: &str, rights: &str) -> String {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "CREATE ROLE {name} LOGIN PASSWORD '{name}-password';
             GRANT {rights} ON ALL TABLES IN SCHEMA public TO {name};"
        ))
        .unwrap();
    url.replace(&format!("waymark:{PASSWORD}"), &format!("{name}:{name}-password"))
}
