//! Finds the commit the build comes from: `WAYMARK_COMMIT` when the builder
//! sets it (a source tarball has no Git), else `git rev-parse HEAD` in this
//! checkout, else "unknown"; and that commit's date, for the manual page.
//! Reruns when the checkout moves to another commit.

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo::rerun-if-env-changed=WAYMARK_COMMIT");
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_default();
    println!("cargo::rustc-env=WAYMARK_COMMIT_DATE={date}");
    let commit = match std::env::var("WAYMARK_COMMIT") {
        Ok(given) if !given.trim().is_empty() => given.trim().to_owned(),
        _ => {
            // Watch what moves when a commit is made or checked out: HEAD,
            // the branch it names, and packed refs.
            if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]).map(PathBuf::from) {
                // Only files that exist: cargo takes a missing one as
                // changed, and would rebuild on every build.
                let branch = git(&["symbolic-ref", "-q", "HEAD"]);
                let watched = ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref());
                for file in watched.map(|f| dir.join(f)).filter(|f| f.exists()) {
                    println!("cargo::rerun-if-changed={}", file.display());
                }
            }
            let Some(full) = git(&["rev-parse", "HEAD"]) else {
                println!("cargo::rustc-env=WAYMARK_COMMIT=unknown");
                return;
            };
            full[..full.len().min(12)].to_owned()
        }
    };
    println!("cargo::rustc-env=WAYMARK_COMMIT={commit}");
}
