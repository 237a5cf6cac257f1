//! `briefing init DIR`: a new briefing that builds and passes `check` as it is.
//!
//! The scaffold is compiled into the binary (like the theme), so `init` works
//! offline and always matches the version that will build it. It never writes
//! into a folder that holds anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The scaffold's files: path and contents.
const FILES: &[(&str, &str)] = &[
    (
        "content/_index.md",
        include_str!("scaffold/content/_index.md"),
    ),
    (
        "content/findings.md",
        include_str!("scaffold/content/findings.md"),
    ),
    (
        "content/sources.md",
        include_str!("scaffold/content/sources.md"),
    ),
    (
        "content/data.toml",
        include_str!("scaffold/content/data.toml"),
    ),
    (
        "templates/partials/footer.html",
        include_str!("scaffold/templates/partials/footer.html"),
    ),
];

/// Writes a new briefing into `dir`, which must be missing or empty. Returns
/// the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::UnsafeOutput {
                    path: dir.to_path_buf(),
                    reason:
                        "it is not empty; `briefing init` only writes into a new or empty folder"
                            .into(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(Error::UnsafeOutput {
                path: dir.to_path_buf(),
                reason: "it is a file, not a folder".into(),
            });
        }
        Err(e) => return Err(Error::io("cannot read", dir)(e)),
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Error::io("cannot create", parent))?;
        }
        fs::write(&path, text).map_err(Error::io("cannot write", &path))?;
        written.push(path);
    }
    let static_dir = dir.join("static");
    fs::create_dir_all(&static_dir).map_err(Error::io("cannot create", &static_dir))?;
    Ok(written)
}
