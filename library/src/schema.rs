//! The library's tables, as numbered migrations applied in one transaction.
//! The schema's version is kept in the database (`waymark_library`), so a
//! library made by a newer Waymark is refused instead of misread.

use postgres::Client;

use super::address::Address;
use super::error::{LibraryError, from_postgres};

/// The migrations, oldest first; the last one's number is the schema version.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_library.sql"), include_str!("migrations/0002_aliases.sql")];

/// The schema version this Waymark writes.
#[allow(clippy::cast_possible_truncation, reason = "a handful of migrations")]
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The library schema the database holds; `None` when it is not a library.
pub fn version(client: &mut Client, address: &Address) -> Result<Option<u32>, LibraryError> {
    let place = address.place();
    let marked = client
        .query_one("SELECT to_regclass('waymark_library') IS NOT NULL", &[])
        .map_err(|e| from_postgres(&place, &e))?
        .get::<_, bool>(0);
    if !marked {
        return Ok(None);
    }
    let row = client
        .query_opt("SELECT application, schema_version FROM waymark_library", &[])
        .map_err(|e| from_postgres(&place, &e))?;
    match row {
        Some(r) if r.get::<_, String>(0) == "waymark" => Ok(u32::try_from(r.get::<_, i32>(1)).ok()),
        _ => Err(LibraryError::NotALibrary { place }),
    }
}

/// Whether the database already holds tables of its own in the schemas
/// Waymark would use, so that making it a library would mix ours with them.
pub fn has_other_tables(client: &mut Client, address: &Address) -> Result<bool, LibraryError> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables
                             WHERE schemaname = ANY (current_schemas(false)))",
            &[],
        )
        .map(|r| r.get::<_, bool>(0))
        .map_err(|e| from_postgres(&address.place(), &e))
}

/// Applies the migrations after `from`, and records the version, in one
/// transaction: a failure leaves the database as it was.
pub fn migrate(client: &mut Client, address: &Address, from: u32) -> Result<(), LibraryError> {
    let place = address.place();
    let failed = |e: &postgres::Error| from_postgres(&place, e);
    let mut tx = client.transaction().map_err(|e| failed(&e))?;
    // Two Waymarks migrating one library at once: the second waits here,
    // and then fails on the first one's tables instead of mixing with them.
    tx.batch_execute("SELECT pg_advisory_xact_lock(2026120201)").map_err(|e| failed(&e))?;
    // Whoever held the lock may have migrated already: start from what is there now.
    let marked: bool =
        tx.query_one("SELECT to_regclass('waymark_library') IS NOT NULL", &[]).map_err(|e| failed(&e))?.get(0);
    let from = if marked {
        tx.query_opt("SELECT schema_version FROM waymark_library", &[])
            .map_err(|e| failed(&e))?
            .and_then(|r| u32::try_from(r.get::<_, i32>(0)).ok())
            .unwrap_or(from)
    } else {
        from
    };
    if from >= LATEST {
        return tx.commit().map_err(|e| failed(&e));
    }
    for sql in MIGRATIONS.iter().skip(usize::try_from(from).unwrap_or(usize::MAX)) {
        tx.batch_execute(sql).map_err(|e| failed(&e))?;
    }
    let latest = i32::try_from(LATEST).unwrap_or(i32::MAX);
    tx.execute(
        "INSERT INTO waymark_library (application, schema_version) VALUES ('waymark', $1)
         ON CONFLICT (singleton) DO UPDATE SET schema_version = EXCLUDED.schema_version",
        &[&latest],
    )
    .map_err(|e| failed(&e))?;
    tx.commit().map_err(|e| failed(&e))
}
