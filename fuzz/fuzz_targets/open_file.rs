//! A `.waymark` file from anywhere: opening, loading and editing it must never
//! panic, whatever its bytes. The first input byte picks the mode: even, the
//! rest of the input is the whole file; odd, the rest is a list of
//! (offset, value) byte overwrites applied to a valid sample file, which gets
//! far deeper into SQLite and the row loader than random bytes do. The sample
//! holds a review, so overwrites land in snapshot rows too, and every review
//! in a file that opens is read back and compared with the map.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tempfile::TempDir;
use waymark::edit::Edit;
use waymark::store::MapFile;
use waymark::{interchange, samples};

struct Scratch {
    dir: TempDir,
    sample: Vec<u8>,
}

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("temp dir: {e}"),
    };
    let map = match interchange::read(samples::LICENCE_RENEWAL.json) {
        Ok(map) => map,
        Err(e) => panic!("the sample must read: {e}"),
    };
    let path = dir.path().join("sample.waymark");
    let mut file = match MapFile::create(&path, &map) {
        Ok(file) => file,
        Err(e) => panic!("the sample must store: {e}"),
    };
    if let Err(e) = file.take_review("Fuzz review", day(), &map.workshop.participants) {
        panic!("the sample must take a review: {e}");
    }
    drop(file);
    let sample = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("read back the sample: {e}"),
    };
    Scratch { dir, sample }
});

/// The day reviews are read as of; fixed, so a crash reproduces.
fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

fn file_bytes(data: &[u8]) -> Option<Vec<u8>> {
    let (&mode, rest) = data.split_first()?;
    if mode % 2 == 0 {
        return Some(rest.to_vec());
    }
    let mut bytes = SCRATCH.sample.clone();
    for patch in rest.chunks_exact(3) {
        let offset = usize::from(u16::from_le_bytes([patch[0], patch[1]])) % bytes.len();
        bytes[offset] = patch[2];
    }
    Some(bytes)
}

fuzz_target!(|data: &[u8]| {
    let Some(bytes) = file_bytes(data) else { return };
    let path: PathBuf = SCRATCH.dir.path().join("fuzzed.waymark");
    // Whatever a previous input left beside the file (a journal) goes too.
    if let Ok(entries) = std::fs::read_dir(SCRATCH.dir.path()) {
        for entry in entries.flatten() {
            if entry.file_name() != "sample.waymark" {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    if std::fs::write(&path, &bytes).is_err() {
        return;
    }
    let Ok(mut file) = MapFile::open(&path) else { return };
    let Ok(map) = file.load() else { return };
    if let Ok(reviews) = file.reviews() {
        for r in &reviews {
            let _ = file.snapshot(r.seq);
        }
    }
    let _ = file.review_summary(&map, day());
    // A file that opened may still be damaged where the loader did not look;
    // writing to it must fail cleanly, not panic.
    let edit = Edit::SetTitle { title: format!("{} (fuzzed)", map.title) };
    if let Ok(next) = file.apply(&map, &edit) {
        let _ = file.undo(&next);
    }
});
