//! Which folders a build may replace.
//!
//! Before anything is written the output folder is checked: never the site
//! root or one of its ancestors, never a source folder, never a link, and
//! never a non-empty folder that briefing did not create (it leaves a marker
//! file to tell), unless all it holds is what briefing keeps for others
//! (a `.git`, a `CNAME`: see [`super::kept`]).

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{MARKER, kept};
use crate::error::Error;

/// Checks that `output` may be replaced by a build of the site at `root`.
/// With `delete_existing`, the user has said that a non-empty folder
/// briefing did not create may be replaced too (its dot entries and `CNAME`
/// are still kept); the home folder, the site and the sources never may.
pub fn check_output_folder(root: &Path, output: &Path, delete_existing: bool) -> Result<(), Error> {
    let refuse = |reason: String| Error::UnsafeOutput {
        path: output.to_path_buf(),
        reason,
    };
    let root_abs = fs::canonicalize(root).map_err(Error::io("cannot find the site root", root))?;
    let out_abs = absolute(output).map_err(Error::io("cannot resolve", output))?;
    if root_abs.starts_with(&out_abs) {
        return Err(refuse(if root_abs == out_abs {
            "it is the site root itself; the build replaces the whole output folder".into()
        } else {
            "it contains the site root; the build replaces the whole output folder".into()
        }));
    }
    if let Some(why) = holds_a_home(&out_abs) {
        return Err(refuse(why));
    }
    for source in ["content", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(source)) {
            return Err(refuse(format!(
                "it is inside the site's `{source}/` folder; choose a folder outside the sources, such as `public`"
            )));
        }
    }
    match fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("cannot inspect", output)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(refuse(
            "it is a symbolic link; pass the folder it points to".into(),
        )),
        Ok(m) if !m.is_dir() => Err(refuse("it is a file, not a folder".into())),
        Ok(_) => {
            let entries = fs::read_dir(output).map_err(Error::io("cannot read", output))?;
            let mut only_kept = true;
            for entry in entries {
                let entry = entry.map_err(Error::io("cannot read", output))?;
                only_kept &= kept::is_keepable(entry.file_name());
            }
            if only_kept || delete_existing || output.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(refuse(format!(
                    "it is not empty and was not created by briefing (it has no `{MARKER}` file); \
                     empty it (dotfiles such as `.git` and a `CNAME` may stay), choose another folder, \
                     or pass `--delete-existing-output` to delete what it holds"
                )))
            }
        }
    }
}

/// Why `out` (absolute) may never be an output: it is the file system's
/// root, the user's home folder or a folder holding it. A fresh account's
/// home holds only dot entries, which an output may keep, so the usual
/// "not empty" refusal would let `--output ~` through, and the next build
/// would delete whatever was saved there since.
fn holds_a_home(out: &Path) -> Option<String> {
    if out.parent().is_none() {
        return Some(
            "it is the root of the file system; choose a folder of its own, such as `public`"
                .into(),
        );
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    let home = fs::canonicalize(&home).unwrap_or_else(|_| PathBuf::from(home));
    if home == out {
        Some("it is your home folder, which the build would replace as a whole; choose a folder of its own, such as `public`".into())
    } else if home.starts_with(out) {
        Some("it holds your home folder, which the build would replace as a whole; choose a folder of its own, such as `public`".into())
    } else {
        None
    }
}

/// `path` made absolute, with `.` and `..` resolved through the longest
/// existing ancestor (so that symbolic links there are followed).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = std::env::current_dir()?.join(path);
    let mut existing = joined.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(&existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return Ok(out);
        }
        let name = existing.file_name().map(|n| n.to_os_string());
        match name {
            Some(n) => rest.push(n),
            None => {
                // `..` or `.` at the end: let the parent resolve it.
                if let Some(last) = existing.components().next_back() {
                    rest.push(last.as_os_str().to_os_string());
                }
            }
        }
        if !existing.pop() {
            return Ok(joined);
        }
    }
}
