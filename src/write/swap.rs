//! Putting a new output in place of the old one, crash-safe.
//!
//! On Linux the staging folder and the output are exchanged in one step
//! (`renameat2` with `RENAME_EXCHANGE`): at every instant there is a
//! complete output folder, the old or the new. Where that is not available
//! (another system, a file system without it) the old output is first moved
//! aside and the new one moved in; a crash between the two leaves the old
//! output aside, and the next build moves it back (see [`super::leftovers`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Puts `staging` where `folder` is. Returns where the old output now is
/// (`staging`'s path after an exchange, `aside` after the fallback), or
/// `None` when there was no old output.
pub fn swap(staging: &Path, folder: &Path, aside: &Path) -> Result<Option<PathBuf>, Error> {
    if fs::symlink_metadata(folder).is_err() {
        fs::rename(staging, folder).map_err(Error::io("cannot move into place", folder))?;
        return Ok(None);
    }
    match exchange(staging, folder) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(e) if !unsupported(&e) => {
            return Err(Error::io("cannot move into place", folder)(e));
        }
        Err(_) => {}
    }
    fs::rename(folder, aside).map_err(Error::io("cannot move aside", folder))?;
    if let Err(e) = fs::rename(staging, folder) {
        let _ = fs::rename(aside, folder);
        return Err(Error::io("cannot move into place", folder)(e));
    }
    Ok(Some(aside.to_path_buf()))
}

/// Whether an exchange failed only because the system cannot do it.
fn unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == io::ErrorKind::Unsupported
    }
}

/// Exchanges two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call; renameat2 reads them and touches no memory of ours.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_output_takes_the_old_ones_place_and_the_old_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        let (out, new, aside) = (
            dir.path().join("public"),
            dir.path().join("new"),
            dir.path().join("aside"),
        );
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a"), "1").unwrap();
        assert_eq!(swap(&new, &out, &aside).unwrap(), None);
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "1");
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a"), "2").unwrap();
        let old = swap(&new, &out, &aside).unwrap().unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "2");
        assert_eq!(fs::read_to_string(old.join("a")).unwrap(), "1");
    }
}
