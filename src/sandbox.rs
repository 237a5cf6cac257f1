//! The briefing's folder as the only door to its files.
//!
//! briefing promises that nothing outside the briefing is ever read, copied
//! or served, whatever changes on disk while it runs. Checking a path and
//! then opening it leaves a gap in which a file can be swapped for a
//! symbolic link to `/etc/passwd`; so every source file is opened through a
//! handle on the briefing's root folder ([`cap_std::fs::Dir`]), which
//! resolves each path beneath that folder and refuses, at the moment of
//! opening, any path or link that leads out of it (`openat2` with
//! `RESOLVE_BENEATH` on Linux, a checked walk elsewhere). What was opened is
//! then verified to be a regular file.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cap_std::fs::Dir;

/// An open handle on a briefing's root folder, shared by everything that
/// reads its sources.
#[derive(Clone)]
pub struct Sandbox {
    root: Arc<Dir>,
    /// The root's real path, to follow absolute links that stay inside.
    real_root: Arc<PathBuf>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sandbox")
    }
}

impl Sandbox {
    /// Opens the folder at `root` (which may itself be reached through links:
    /// the user named it).
    pub fn open(root: &Path) -> io::Result<Sandbox> {
        let dir = Dir::open_ambient_dir(root, cap_std::ambient_authority())?;
        Ok(Sandbox {
            root: Arc::new(dir),
            real_root: Arc::new(std::fs::canonicalize(root)?),
        })
    }

    /// Opens the regular file at `rel` (relative to the root, `/`-separated),
    /// refusing anything that leads outside the root or is not a file.
    pub fn open_file(&self, rel: &str) -> io::Result<std::fs::File> {
        self.open_file_with_len(rel).map(|(file, _)| file)
    }

    /// [`Sandbox::open_file`], with the file's length when it was opened
    /// (from the same `statx` that found it a regular file).
    fn open_file_with_len(&self, rel: &str) -> io::Result<(std::fs::File, u64)> {
        let file = match self.root.open(rel) {
            Ok(file) => file,
            Err(e) => match self.inside(rel) {
                // An absolute link that points back inside: open where it
                // leads, again beneath the root.
                Some(real) if real != Path::new(rel) => self.root.open(real).map_err(explain)?,
                _ => return Err(explain(e)),
            },
        };
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        Ok((file.into_std(), meta.len()))
    }

    /// Where `rel` leads, relative to the root, if that is inside it.
    fn inside(&self, rel: &str) -> Option<PathBuf> {
        let real = std::fs::canonicalize(self.real_root.join(rel)).ok()?;
        real.strip_prefix(&*self.real_root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// The bytes of the file at `rel`.
    pub fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        self.read_at_most(rel, u64::MAX)?
            .ok_or_else(|| io::Error::other("unreachable: no limit"))
    }

    /// The bytes of the file at `rel`, or `None` if it holds more than
    /// `limit` bytes (checked before reading, and while reading, should it
    /// grow meanwhile).
    pub fn read_at_most(&self, rel: &str, limit: u64) -> io::Result<Option<Vec<u8>>> {
        let (file, len) = self.open_file_with_len(rel)?;
        if len > limit {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        Ok((bytes.len() as u64 <= limit).then_some(bytes))
    }

    /// Copies the file at `rel` to `target` (outside the sandbox: the
    /// staging folder); returns the number of bytes.
    pub fn copy_to(&self, rel: &str, target: &Path) -> io::Result<u64> {
        let mut from = self.open_file(rel)?;
        let mut to = std::fs::File::create(target)?;
        io::copy(&mut from, &mut to)
    }
}

/// A file of the briefing to be copied to the output as it is, read through
/// the sandbox only when it is copied or served.
#[derive(Debug, Clone)]
pub struct SourceFileRef {
    /// The briefing's folder.
    pub sandbox: Sandbox,
    /// Path relative to the root, with `/` (`static/logo.svg`).
    pub path: String,
}

impl PartialEq for SourceFileRef {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for SourceFileRef {}

impl SourceFileRef {
    /// The file's bytes.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        self.sandbox.read(&self.path)
    }

    /// Copies the file to `target`; returns the number of bytes.
    pub fn copy_to(&self, target: &Path) -> io::Result<u64> {
        self.sandbox.copy_to(&self.path, target)
    }
}

/// Whether `e` is the sandbox refusing a way out of the briefing.
pub fn is_escape(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied && e.to_string().contains(OUTSIDE)
}

const OUTSIDE: &str = "it leads outside the briefing's folder";

/// cap-std reports an escape as "a path led outside of the filesystem";
/// say it in the briefing's words.
fn explain(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::PermissionDenied && e.to_string().contains("outside") {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{OUTSIDE} (a symbolic link or `..`); briefing never reads files outside the briefing"
            ),
        )
    } else {
        e
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn files_inside_are_read_and_links_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("static/sub")).unwrap();
        std::fs::write(root.join("static/a.txt"), "inside").unwrap();
        std::fs::write(dir.path().join("secret"), "outside").unwrap();
        symlink(dir.path().join("secret"), root.join("static/abs")).unwrap();
        symlink("../../secret", root.join("static/rel")).unwrap();
        symlink(dir.path(), root.join("static/dir")).unwrap();
        symlink("a.txt", root.join("static/inner")).unwrap();
        symlink(root.join("static/a.txt"), root.join("static/abs-inner")).unwrap();
        let sandbox = Sandbox::open(&root).unwrap();
        assert_eq!(sandbox.read("static/a.txt").unwrap(), b"inside");
        assert_eq!(sandbox.read("static/inner").unwrap(), b"inside");
        assert_eq!(sandbox.read("static/abs-inner").unwrap(), b"inside");
        for escape in [
            "static/abs",
            "static/rel",
            "static/dir/secret",
            "../secret",
            "/etc/passwd",
        ] {
            let e = sandbox.read(escape).unwrap_err();
            assert!(
                e.to_string().contains("outside") || e.kind() == io::ErrorKind::PermissionDenied,
                "{escape}: {e}"
            );
        }
        assert!(
            sandbox.read("static/sub").is_err(),
            "a folder is not a file"
        );
    }

    #[test]
    fn a_file_swapped_for_a_link_after_listing_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/favicon.svg"), "<svg/>").unwrap();
        let sandbox = Sandbox::open(&root).unwrap();
        // Listed as a file, then replaced by a link to a file outside.
        std::fs::write(dir.path().join("passwd"), "root:x:0:0").unwrap();
        std::fs::remove_file(root.join("static/favicon.svg")).unwrap();
        symlink(dir.path().join("passwd"), root.join("static/favicon.svg")).unwrap();
        let target = dir.path().join("copy");
        assert!(sandbox.copy_to("static/favicon.svg", &target).is_err());
        assert!(sandbox.read("static/favicon.svg").is_err());
    }
}
