//! Paths to the logs the tests read.

use std::path::PathBuf;

use waymark_evidence::log::{self, Log, ReadOptions};

/// A made-up log shipped with the tests.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(name)
}

/// A public log from `../shared/data/event-logs`, when this checkout has it.
/// Tests that need one print why they return early without it.
pub fn shared(name: &str) -> Option<PathBuf> {
    shared_in("event-logs", name)
}

/// A public file from `../shared/data/FOLDER`, when this checkout has it.
pub fn shared_in(folder: &str, name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("WAYMARK_SHARED_DATA")
        .map_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data")), PathBuf::from);
    let path = dir.join(folder).join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "{} is not here: this part of the test needs ../shared/data (or WAYMARK_SHARED_DATA)",
            path.display()
        );
        None
    }
}

/// Reads a log with default options, failing the test with the error.
pub fn read(path: &std::path::Path) -> Log {
    match log::read(path, &ReadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}
