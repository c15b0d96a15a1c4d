//! A spreadsheet from anywhere, imported into an empty map and into a sample:
//! reading must never panic, and an edit it returns must apply, since the
//! importer promises to have checked it against the map.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use waymark::Map;
use waymark::{csv_import, edit, interchange, samples};

static MAPS: LazyLock<[Map; 2]> = LazyLock::new(|| {
    let sample = match interchange::read(samples::LICENCE_RENEWAL.json) {
        Ok(map) => map,
        Err(e) => panic!("the sample must read: {e}"),
    };
    [Map::new("empty"), sample]
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for map in MAPS.iter() {
        let Ok(import) = csv_import::read(&text, map) else { continue };
        if let Err(e) = edit::apply(map, &import) {
            panic!("the importer returned an edit that does not apply: {e}");
        }
    }
});
