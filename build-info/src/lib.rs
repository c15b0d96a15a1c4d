//! What a Waymark program says of itself: its version and the commit it was
//! built from. The command line's `--version` and the window's About read
//! these, so a bug report names the exact build.
//!
//! This crate is apart from the core so that a new commit rebuilds only the
//! programs that print it, not everything above the core.

/// The release, from the workspace's `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The source commit (its first 12 hex digits), or what the builder set in
/// `WAYMARK_COMMIT`, or "unknown" when built outside Git. Uncommitted changes
/// are not marked: a build from an edited checkout names the commit it
/// started from.
pub const COMMIT: &str = env!("WAYMARK_COMMIT");

/// The version line: "0.1.0 (commit 0123456789ab)".
pub const VERSION_LINE: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("WAYMARK_COMMIT"), ")");

/// The day of that commit (YYYY-MM-DD), empty when built outside Git: the
/// manual page's date, so the same source makes the same page.
pub const COMMIT_DATE: &str = env!("WAYMARK_COMMIT_DATE");
