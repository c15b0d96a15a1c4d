//! Integration tests of the core, one binary with a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "in tests a panic is a failure with its message")]

mod analysis;
mod child;
mod cli;
mod crash;
mod csv;
mod edit;
mod interchange;
mod layers;
mod library;
mod library_editing;
mod pg;
mod portfolio;
mod read_only;
mod render;
mod report;
mod review;
mod schema;
mod store;
mod support;
mod validate;
mod write_failure;
