//! The evidence crate against logs: made-up ones in `tests/data/logs`
//! (always), and the public ones in `../shared/data` where this checkout has
//! them (their tests say so and return when they are absent).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

mod certainty;
mod discover;
mod measure;
mod pm4py;
mod read;
mod support;
mod survey;
