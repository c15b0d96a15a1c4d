//! A JSON document from anywhere: reading it must never panic, and a map that
//! reads (so is valid) must write back to a document that reads as the same map
//! and writes the same bytes again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use waymark::interchange;
use waymark::validate::validate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(map) = interchange::read(text) else { return };
    assert!(validate(&map).is_valid(), "read accepted a map with errors");
    let written = interchange::write(&map);
    let again = match interchange::read(&written) {
        Ok(again) => again,
        Err(e) => panic!("a map that was read must read back after writing: {e}\n{written}"),
    };
    assert_eq!(again, map, "writing and reading back changed the map");
    assert_eq!(interchange::write(&again), written, "writing is not stable");
});
