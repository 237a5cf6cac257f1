//! The folders a build makes next to the output, and what a killed build
//! leaves of them.
//!
//! For an output `public`, a build works in `.public.briefing-new-PID`
//! (staging), may move the old output to `.public.briefing-old-PID` (only
//! where folders cannot be exchanged in one step), and retires the old
//! output as `.public.briefing-trash-PID-N`, which is removed after the
//! build, off its critical path, by a process that locks it while it works.
//! A build killed at any instant leaves some of these behind; the next build
//! (holding the output lock, so no other build is using them) cleans up
//! every one, whatever its pid: it first moves back into the output what a
//! killed build had moved out of it, or the whole old output if it was left
//! aside, and skips a trash folder whose remover is still at work.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::kept;

/// The names of the folders next to one output folder.
#[derive(Debug, Clone)]
pub struct Names {
    parent: PathBuf,
    /// `.public.briefing-`
    prefix: String,
}

/// What a leftover next to the output is.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Staging,
    Aside,
    Trash,
}

impl Names {
    /// The names next to the output folder `name` in `parent`.
    pub fn new(parent: &Path, name: &str) -> Names {
        Names {
            parent: parent.to_path_buf(),
            prefix: format!(".{name}.briefing-"),
        }
    }

    /// What is locked while a build writes: the output's parent folder on
    /// Unix, a lock file beside the output elsewhere.
    pub fn lock(&self) -> PathBuf {
        if cfg!(unix) {
            self.parent.clone()
        } else {
            self.parent.join(format!("{}lock", self.prefix))
        }
    }

    /// This process's staging folder.
    pub fn staging(&self) -> PathBuf {
        self.parent
            .join(format!("{}new-{}", self.prefix, std::process::id()))
    }

    /// Where this process moves the old output aside, without an exchange.
    pub fn aside(&self) -> PathBuf {
        self.parent
            .join(format!("{}old-{}", self.prefix, std::process::id()))
    }

    /// A fresh name for a retired output.
    pub fn trash(&self) -> PathBuf {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        self.parent.join(format!(
            "{}trash-{}-{nanos}",
            self.prefix,
            std::process::id()
        ))
    }

    fn kind(&self, name: &str) -> Option<Kind> {
        let rest = name.strip_prefix(&self.prefix)?;
        if rest.starts_with("new-") {
            Some(Kind::Staging)
        } else if rest.starts_with("old-") {
            Some(Kind::Aside)
        } else if rest.starts_with("trash-") {
            Some(Kind::Trash)
        } else {
            None
        }
    }

    /// Cleans up after killed builds; call with the output lock held.
    /// Best effort: what cannot be removed now is tried again next time.
    pub fn clean(&self, folder: &Path) {
        let _ = fs::remove_file(folder.join(kept::MANIFEST));
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        let mut found: Vec<(Kind, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let kind = self.kind(e.file_name().to_str()?)?;
                Some((kind, e.path()))
            })
            .collect();
        found.sort_by(|a, b| a.1.cmp(&b.1));
        for (kind, path) in found {
            match kind {
                Kind::Aside if fs::symlink_metadata(folder).is_err() => {
                    let _ = fs::rename(&path, folder);
                }
                Kind::Staging => {
                    let _ = kept::recover(&path, folder);
                    let _ = fs::remove_dir_all(&path);
                }
                Kind::Aside => {
                    let _ = fs::remove_dir_all(&path);
                }
                Kind::Trash => {
                    let _ = remove_retired(&path, Wait::No);
                }
            }
        }
    }
}

/// Whether [`remove_retired`] waits for a retired folder another process
/// is removing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait for its lock.
    Yes,
    /// Leave it to the process at work.
    No,
}

/// Removes a retired output folder while holding a lock on it, so that a
/// build cleaning up leftovers leaves it to this remover.
pub fn remove_retired(path: &Path, wait: Wait) -> io::Result<()> {
    let dir = match File::open(path) {
        Ok(dir) => dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    match (dir.try_lock(), wait) {
        (Ok(()), _) => {}
        (Err(fs::TryLockError::WouldBlock), Wait::No) => return Ok(()),
        (Err(fs::TryLockError::WouldBlock), Wait::Yes) => dir.lock()?,
        (Err(fs::TryLockError::Error(e)), _) => return Err(e),
    }
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_builds_are_cleaned_whatever_their_pid() {
        let dir = tempfile::tempdir().unwrap();
        let names = Names::new(dir.path(), "public");
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        for leftover in [
            ".public.briefing-new-1",
            ".public.briefing-old-2",
            ".public.briefing-trash-3-4",
        ] {
            fs::create_dir_all(dir.path().join(leftover).join("a/b")).unwrap();
        }
        fs::write(dir.path().join(".public.briefing-lock"), "").unwrap();
        fs::write(dir.path().join(".other.briefing-new-1"), "").unwrap();
        names.clean(&out);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![".other.briefing-new-1", ".public.briefing-lock", "public"]
        );
    }

    #[test]
    fn an_old_output_left_aside_by_a_killed_build_is_moved_back() {
        let dir = tempfile::tempdir().unwrap();
        let names = Names::new(dir.path(), "public");
        let aside = dir.path().join(".public.briefing-old-77");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("index.html"), "old").unwrap();
        let out = dir.path().join("public");
        names.clean(&out);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn a_trash_folder_being_removed_is_left_to_its_remover() {
        let dir = tempfile::tempdir().unwrap();
        let trash = dir.path().join(".public.briefing-trash-1-2");
        fs::create_dir(&trash).unwrap();
        let held = File::open(&trash).unwrap();
        held.lock().unwrap();
        Names::new(dir.path(), "public").clean(&dir.path().join("public"));
        assert!(trash.exists(), "another process holds it");
        drop(held);
        remove_retired(&trash, Wait::Yes).unwrap();
        assert!(!trash.exists());
    }
}
