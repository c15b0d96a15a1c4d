//! Integration tests of the organisation's library, against throwaway
//! PostgreSQL servers (`pg.rs`); one binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

mod fixtures;
mod library;
mod library_editing;
mod pg;
#[path = "../../../tests/it/support.rs"]
#[allow(dead_code, reason = "the core's test fixtures; not every one is used here")]
mod support;
