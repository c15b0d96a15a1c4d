//! Reading the 100-byte SQLite header before SQLite opens the file.
//!
//! A file that is not ours must come back from a failed open exactly as it was,
//! and the user deserves to hear *why* it is not a map: random bytes, someone
//! else's database, a copy cut short, or a map from a newer Waymark. The header
//! answers all four without handing the file to SQLite, which might otherwise
//! create a journal beside it or, for a damaged file, give only "file is not a
//! database". Offsets are from the SQLite file format documentation, section 1.3.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The application id Waymark stamps on its files: "WMRK".
pub const APPLICATION_ID: u32 = u32::from_be_bytes(*b"WMRK");

const MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER_LEN: usize = 100;

/// What the header says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A Waymark file at this schema version (0: stamped but never migrated).
    Waymark {
        /// `PRAGMA user_version`.
        schema_version: u32,
    },
    /// Does not start with the SQLite magic string.
    NotSqlite,
    /// Shorter than its header says it is.
    Truncated {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes on disk.
        actual: u64,
    },
    /// An SQLite database with another application id.
    Foreign {
        /// The id found.
        application_id: u32,
    },
}

/// Reads the header of `path` and judges it. I/O errors pass through.
pub fn inspect(path: &Path) -> std::io::Result<Verdict> {
    let mut file = File::open(path)?;
    let actual = file.metadata()?.len();
    let mut header = Vec::with_capacity(HEADER_LEN);
    file.by_ref().take(HEADER_LEN as u64).read_to_end(&mut header)?;
    Ok(judge(&header, actual))
}

/// Judges a header (the first up to 100 bytes) of a file `actual` bytes long.
#[must_use]
pub fn judge(header: &[u8], actual: u64) -> Verdict {
    let prefix = header.len().min(MAGIC.len());
    if header[..prefix] != MAGIC[..prefix] {
        return Verdict::NotSqlite;
    }
    if header.len() < HEADER_LEN {
        return Verdict::Truncated { expected: HEADER_LEN as u64, actual };
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    // The in-header page count is trustworthy only when the "version valid for"
    // number matches the change counter (always so for SQLite 3.7.0 and later).
    let page_count = u64::from(be32(28));
    if be32(92) == be32(24) && page_count > 0 {
        let expected = page_size * page_count;
        if actual < expected {
            return Verdict::Truncated { expected, actual };
        }
    }
    let application_id = be32(68);
    if application_id != APPLICATION_ID {
        return Verdict::Foreign { application_id };
    }
    Verdict::Waymark { schema_version: be32(60) }
}
