//! One build at a time per output folder.
//!
//! Two builds writing to the same `public/` would clean up each other's
//! staging folders and race to swap. Each build therefore holds an
//! exclusive lock from before it cleans up until after the swap: on Unix on
//! the folder that holds the output (so no lock file is left in the user's
//! folder), elsewhere on a small file next to the output
//! (`.public.briefing-lock`, left in place: removing a lock file reopens the
//! race it closes). A second build waits, and says so. The operating system
//! releases the lock when a build dies, so a `kill -9` never leaves the
//! output locked.

#[cfg(not(unix))]
use std::fs::OpenOptions;
use std::fs::{File, TryLockError};
use std::path::Path;

use crate::error::Error;

/// Held while a build writes; dropping it releases the lock.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// Takes the lock at `path` (a folder on Unix, a lock file elsewhere) for
/// the output folder `folder`, waiting (and saying so on standard error)
/// while another build holds it.
pub fn acquire(path: &Path, folder: &Path) -> Result<OutputLock, Error> {
    let file = open(path).map_err(Error::io("cannot lock the output folder with", path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "waiting: another briefing build is writing to `{}`",
                folder.display()
            );
            file.lock()
                .map_err(Error::io("cannot lock the output folder with", path))?;
        }
        Err(TryLockError::Error(e)) => {
            return Err(Error::io("cannot lock the output folder with", path)(e));
        }
    }
    Ok(OutputLock { _file: file })
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let first = acquire(&path, dir.path()).unwrap();
        let (tx, rx) = mpsc::channel();
        let p = path.clone();
        let folder = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let _second = acquire(&p, &folder).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "it waits"
        );
        drop(first);
        rx.recv_timeout(Duration::from_secs(5))
            .expect("then it gets the lock");
        waiter.join().unwrap();
    }
}
