//! One editor per map: an advisory lock on a sidecar file.
//!
//! Each edit stores the whole map, so two processes editing one file would
//! silently undo each other's work. The first to open a map takes an exclusive
//! advisory lock (`File::try_lock`: `flock` on Unix, `LockFileEx` on Windows);
//! the second finds it taken and opens the map read-only. The system drops the
//! lock when its holder exits, even when it is killed, so a crash never leaves
//! a map locked.
//!
//! The lock is on a sidecar, `.<name>.lock` beside the map, not on the map:
//! - On Windows the lock is mandatory and covers the whole file, so it would
//!   block SQLite's own reads and writes through its handles.
//! - On Unix, SQLite locks the map with POSIX `fcntl` locks, which belong to
//!   the process and are all dropped when *any* descriptor of the file is
//!   closed. A second descriptor of ours on the map, closed at the wrong time,
//!   would silently release SQLite's locks mid-transaction. On NFS, `flock` is
//!   emulated with `fcntl` locks and would collide with SQLite's outright.
//!
//! The sidecar leaves SQLite's locking alone. It needs a writable directory,
//! but so does SQLite's rollback journal, so a map in a read-only folder is
//! read-only anyway. On Unix the holder removes the sidecar when it closes the
//! map (taking a lock then checks the name still leads to the locked file);
//! elsewhere the empty file stays, which is harmless.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// The exclusive lock on a map, held until dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// The outcome of asking for a map's lock.
#[derive(Debug)]
pub enum Claim {
    /// This process now holds it.
    Held(Lock),
    /// Another process does.
    Elsewhere,
}

/// Tries to take the lock of the map at `map` without waiting. Errors are the
/// system's: no permission to create the sidecar, or no locking on this file
/// system.
pub fn claim(map: &Path) -> io::Result<Claim> {
    let path = sidecar(map);
    // A holder removes the sidecar as it lets go; if that happened between our
    // open and our lock, we hold a file no one else will find, so try again.
    // Each retry means another process finished with the map meanwhile, so a
    // few are plenty.
    for _ in 0..8 {
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(Claim::Elsewhere),
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if names(&path, &file) {
            return Ok(Claim::Held(Lock { file, path }));
        }
    }
    Ok(Claim::Elsewhere)
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so no one can be using it; the lock
        // itself goes when `file` closes right after.
        #[cfg(unix)]
        if names(&self.path, &self.file) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// `.<name>.lock` beside the map, found through symbolic links so that two
/// paths to one map share one lock.
fn sidecar(map: &Path) -> PathBuf {
    let map = std::fs::canonicalize(map).unwrap_or_else(|_| map.to_owned());
    let mut name = std::ffi::OsString::from(".");
    name.push(map.file_name().unwrap_or_default());
    name.push(".lock");
    map.with_file_name(name)
}

/// True when `path` is (still) the file open as `file`.
#[cfg(unix)]
fn names(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere a sidecar is never removed, so the name always leads to it.
#[cfg(not(unix))]
fn names(_path: &Path, _file: &File) -> bool {
    true
}
