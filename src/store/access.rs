//! Whether this process may change a map file, judged before SQLite opens it.
//!
//! A map that cannot be saved must say so when it is opened, not after the
//! first edit of a workshop: the window then shows it read-only and every
//! change is refused up front with the reason. The judgement reads permissions
//! rather than trying a write, so it never touches the file, and it counts a
//! file without any write permission bit as read-only even for root (who could
//! write it anyway): someone made that file read-only on purpose. What the bits
//! cannot tell (another user's file, a read-only mount) SQLite tells when it
//! opens the file: `MapFile::open` asks it.

use std::fmt;
use std::io::ErrorKind;
use std::path::Path;

/// Why a map is open read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// Another Waymark process has the map open for editing. Two windows
    /// saving one file would each overwrite the other's edits (every edit
    /// stores the whole map), so the second one only shows it.
    OpenElsewhere,
    /// The file, or the folder SQLite writes its journal into, may not be
    /// written: no write permission, or a read-only file system.
    FileNotWritable,
    /// The library lets this user read its maps but not change them.
    LibraryNotWritable,
    /// The library cannot be reached now; Waymark keeps trying, and the map
    /// may be changed again once it is back.
    LibraryUnreachable,
    /// Someone deleted the map from the library while it was open here.
    LibraryDeleted,
}

impl ReadOnly {
    /// Why a command cannot change the map, as a command line says it: no
    /// talk of windows being "read-only", and what to do instead.
    #[must_use]
    pub fn for_command_line(self) -> &'static str {
        match self {
            Self::OpenElsewhere => {
                "not changed: a Waymark window or another command is editing this map; close it, or try again once it is done"
            }
            Self::FileNotWritable => {
                "not changed: you may not write this file (no write permission on it or its folder, or a read-only disk)"
            }
            Self::LibraryNotWritable => "not changed: the library lets you read this map but not change it",
            Self::LibraryDeleted => "not changed: someone deleted this map from the library",
            Self::LibraryUnreachable => "not changed: the library cannot be reached; try again once it is back",
        }
    }
}

impl fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OpenElsewhere => "another Waymark window has this map open; it is open read-only",
            Self::FileNotWritable => "the file is read-only (it or its folder may not be changed)",
            Self::LibraryNotWritable => "the library lets you read this map but not change it",
            Self::LibraryDeleted => "someone deleted this map from the library; save a copy to keep it",
            Self::LibraryUnreachable => {
                "the library cannot be reached; changes are refused until it is back (Waymark reconnects by itself)"
            }
        })
    }
}

/// True when the permission bits of the file at `path` or of its directory
/// forbid writing: the file has no write bit at all (or the Windows read-only
/// attribute), or, on Unix, its directory has none (the rollback journal is
/// created beside the file; on Windows the attribute means nothing for
/// folders). Only metadata is read: no descriptor of the map is opened, whose
/// closing would drop SQLite's POSIX locks on it (see `lock.rs`).
pub fn not_writable(path: &Path) -> bool {
    let read_only_bits = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    if read_only_bits(path) {
        return true;
    }
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if read_only_bits(dir) {
            return true;
        }
    }
    false
}

/// True for the errors that mean "you may not write here".
pub fn refused(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem)
}
