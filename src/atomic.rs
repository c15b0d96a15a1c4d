//! Writing a file so that a failure never leaves half of it behind: a
//! temporary file beside the destination, then a rename. The lowest layer of
//! the files Waymark writes: the `.waymark` store creates its files through
//! [`temp_file_in`], and every export, the recent-maps list and the CLI's
//! outputs go through [`write_atomically`]. It knows nothing of maps.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A temporary file in `dir`, to be written and then renamed over a user's
/// file. tempfile makes its files readable by the owner only, which is right
/// for scratch files but not for a map or report the user shares with a
/// colleague, so it is created as any new file is: 0666 less the umask.
pub(crate) fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".waymark-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// Writes `bytes` to `path` so that a failure never leaves half a file: a
/// regular file (or a new one) is written through a temporary file in the
/// same directory and a rename, so it holds either its old content or all of
/// the new. A symbolic link is followed, so its target is written and the
/// link stays a link. Anything that is not a regular file (a terminal, a
/// pipe, `/dev/stdout`) is written directly, since there is nothing to
/// rename over it; a directory is refused. Nothing but a regular file is
/// ever renamed over.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = follow_links(path)?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder; give a file's name to write to"))
        }
        Ok(meta) if !meta.is_file() => {
            let mut out = std::fs::OpenOptions::new().write(true).open(&target)?;
            out.write_all(bytes)?;
            out.flush()
        }
        Ok(meta) => replace(&target, bytes, Some(meta.permissions())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => replace(&target, bytes, None),
        Err(e) => Err(e),
    }
}

/// The file a path names once its symbolic links are followed (also a
/// link to a file that does not exist yet: that file is created).
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_owned();
    // As the kernel does, give up on a chain of links that never ends.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            Ok(_) => return Ok(at),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(at),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Replaces (or creates) the regular file `path` through a temporary file
/// beside it and a rename.
fn replace(path: &Path, bytes: &[u8], keep: Option<std::fs::Permissions>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = temp_file_in(dir)?;
    // Replacing a file keeps its permissions: a report the user made private
    // stays private after the next export.
    if let Some(permissions) = keep {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
