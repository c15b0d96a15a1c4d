//! Integration tests of the `waymark` command line: the program run as a
//! user runs it (`CARGO_BIN_EXE_waymark`), on files and on library maps
//! (against throwaway PostgreSQL servers); one binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

mod cli;
mod csv;
mod evidence;
#[path = "../../../library/tests/it/fixtures.rs"]
#[allow(dead_code, reason = "shared with the library's tests; not every helper is used here")]
mod fixtures;
mod library;
mod library_editing;
#[path = "../../../library/tests/it/pg.rs"]
#[allow(dead_code, reason = "shared with the library's tests; not every helper is used here")]
mod pg;
mod portfolio;
mod review;
#[path = "../../../tests/it/support.rs"]
#[allow(dead_code, reason = "the core's test fixtures; not every one is used here")]
mod support;
mod survey;
