//! Integration tests of the core, one binary with a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

mod analysis;
mod child;
mod crash;
mod csv;
mod edit;
mod interchange;
mod layers;
mod read_only;
mod render;
mod report;
mod review;
mod schema;
mod store;
mod support;
mod validate;
mod write_failure;
