//! The versioned schema of a `.waymark` file.
//!
//! Migrations are SQL files applied in order; `PRAGMA user_version` records how
//! many have run. All pending ones run in one transaction, so a file is always at
//! exactly one known version, even if the process dies mid-way. Migrations are
//! additive and never edited once released: a file written by this version must
//! open in every later one. (rusqlite_migration does this too, but no release of
//! it pairs with rusqlite 0.41, the newest that resolves here.)

use rusqlite::{Connection, TransactionBehavior};

use super::header::APPLICATION_ID;

/// Each entry moves the schema one version up; index 0 makes version 1.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_history.sql"),
    include_str!("migrations/0003_workshop.sql"),
    include_str!("migrations/0004_reviews.sql"),
    include_str!("migrations/0005_volume.sql"),
    include_str!("migrations/0006_follows_ratings.sql"),
    include_str!("migrations/0007_average_weight.sql"),
    include_str!("migrations/0008_evidence.sql"),
    include_str!("migrations/0009_survey.sql"),
    include_str!("migrations/0010_written_by.sql"),
];

/// The schema version this build writes and the newest it opens.
#[allow(clippy::cast_possible_truncation, reason = "a handful of migrations")]
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Brings the schema of `conn` up to [`LATEST`] and stamps the application id,
/// in one transaction. The caller has already refused files newer than LATEST.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current < LATEST {
        for sql in &MIGRATIONS[current as usize..] {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", LATEST)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.execute(
            "INSERT OR REPLACE INTO written_by (schema_version, release) VALUES (?1, ?2)",
            (LATEST, env!("CARGO_PKG_VERSION")),
        )?;
    }
    tx.commit()
}

/// The release that brought a file to `schema_version`, read without
/// writing anything beside the file (no journal, no lock): SQLite opens it
/// as immutable. `None` when the file does not say (schema 9 and older) or
/// cannot be read; the refusal then names the schema versions alone.
#[must_use]
pub fn written_by(path: &std::path::Path, schema_version: u32) -> Option<String> {
    use rusqlite::OpenFlags;
    let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path)?);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags).ok()?;
    conn.query_row("SELECT release FROM written_by WHERE schema_version = ?1", [schema_version], |r| r.get(0)).ok()
}

/// `path` for an SQLite `file:` URI: absolute, every byte outside the
/// unreserved set percent-encoded (a name may hold `?`, `#` or `%`);
/// `None` for a path that is not UTF-8.
fn uri_path(path: &std::path::Path) -> Option<String> {
    let absolute = std::path::absolute(path).ok()?;
    let mut out = String::new();
    for b in absolute.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}
