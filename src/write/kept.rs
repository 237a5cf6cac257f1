//! What the output folder holds that is not briefing's, and keeping it.
//!
//! People publish `public/` as a git worktree of their `gh-pages` branch,
//! put a `CNAME` or `.nojekyll` there for their host, or a `.well-known/`
//! folder for a certificate check. A build replaces the whole output folder,
//! so these would be lost; instead, every dot entry and `CNAME` at the
//! output's root that the last build did not write itself is moved into the
//! new output before the swap.
//!
//! The move is made safe against a crash: the names about to move are
//! written first to a manifest in the staging folder, so that the next build
//! can move back whatever a killed build had moved (see
//! [`super::leftovers`]). What briefing wrote itself (a `static/.nojekyll`,
//! say) is listed in the marker file, so that it is replaced, not kept.
//!
//! Names are the file system's, not text: a dot entry whose name is not
//! valid UTF-8 is kept like any other (the manifest writes each name's
//! bytes percent-encoded, one per line).

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode, percent_encode};

use super::MARKER;
use crate::error::Error;

/// The manifest of names being moved from the old output into the new.
pub const MANIFEST: &str = ".briefing-moving";

/// The marker's line prefix for a kept-looking name that briefing wrote.
const GENERATED: &str = "generated: ";

/// What the manifest encodes in a name: line ends and the other control
/// bytes, `%` itself, and every byte beyond ASCII (so that any name, text
/// or not, is one line of ASCII).
const IN_MANIFEST: &AsciiSet = &CONTROLS.add(b'%');

/// Whether a name at the output's root is of the kind kept for others.
pub fn is_keepable(name: impl AsRef<OsStr>) -> bool {
    let name = name.as_ref();
    let bytes = name.as_encoded_bytes();
    (bytes.first() == Some(&b'.') && name != MARKER && name != MANIFEST) || name == "CNAME"
}

/// A name as one line of the manifest.
fn manifest_line(name: &OsStr) -> String {
    percent_encode(name.as_encoded_bytes(), IN_MANIFEST).to_string()
}

/// The name a line of the manifest stands for.
fn manifest_name(line: &str) -> OsString {
    let bytes: Vec<u8> = percent_decode(line.as_bytes()).collect();
    os_name(bytes)
}

#[cfg(unix)]
fn os_name(bytes: Vec<u8>) -> OsString {
    std::os::unix::ffi::OsStringExt::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_name(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The text of the marker file for a new output holding `staging`'s root
/// entries: it lists the keepable names briefing wrote itself.
pub fn marker_text(intro: &str, staging: &Path) -> io::Result<String> {
    let mut text = intro.to_string();
    for name in root_names(staging)? {
        if is_keepable(&name) {
            text.push_str(GENERATED);
            text.push_str(&name.to_string_lossy());
            text.push('\n');
        }
    }
    Ok(text)
}

/// The keepable entries of `folder` that the build that wrote it did not
/// write: those belong to someone else.
pub fn others(folder: &Path) -> io::Result<Vec<OsString>> {
    let ours: BTreeSet<OsString> = match fs::read_to_string(folder.join(MARKER)) {
        Ok(text) => text
            .lines()
            .filter_map(|l| l.strip_prefix(GENERATED))
            .map(OsString::from)
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeSet::new(),
        Err(e) => return Err(e),
    };
    Ok(root_names(folder)?
        .into_iter()
        .filter(|n| is_keepable(n) && !ours.contains(n))
        .collect())
}

/// Moves `names` from `folder` into `staging`, after recording them in the
/// staging folder's manifest. A name the build also wrote is a clash: the
/// user's file is never replaced silently.
pub fn move_into(folder: &Path, staging: &Path, names: &[OsString]) -> Result<(), Error> {
    if names.is_empty() {
        return Ok(());
    }
    if let Some(name) = names.iter().find(|n| staging.join(n).exists()) {
        let clash = name.to_string_lossy();
        return Err(Error::UnsafeOutput {
            path: folder.join(name),
            reason: format!(
                "it was not written by briefing, so every build keeps it, but this build also \
                 writes `{clash}` (from `static/` or `content/`); delete `{}` to publish the \
                 briefing's own, or remove `{clash}` from the briefing",
                folder.join(name).display()
            ),
        });
    }
    let manifest = staging.join(MANIFEST);
    let mut file = fs::File::create(&manifest).map_err(Error::io("cannot write", &manifest))?;
    let text: String = names
        .iter()
        .map(|n| format!("{}\n", manifest_line(n)))
        .collect();
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(Error::io("cannot write", &manifest))?;
    for name in names {
        let from = folder.join(name);
        fs::rename(&from, staging.join(name)).map_err(Error::io("cannot keep", from))?;
    }
    Ok(())
}

/// Moves back into `folder` what a killed build had moved from it into its
/// staging folder `leftover`: every name of the manifest that `folder` lacks.
pub fn recover(leftover: &Path, folder: &Path) -> io::Result<()> {
    let text = match fs::read_to_string(leftover.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for name in text.lines().map(manifest_name) {
        let bytes = name.as_encoded_bytes();
        if !is_keepable(&name) || bytes.contains(&b'/') || bytes.contains(&b'\\') {
            continue;
        }
        let from = leftover.join(&name);
        let to = folder.join(&name);
        if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
            fs::create_dir_all(folder)?;
            fs::rename(&from, &to)?;
        }
    }
    Ok(())
}

/// The names of the entries directly in `folder` (none if it is missing).
fn root_names(folder: &Path) -> io::Result<Vec<OsString>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in entries {
        names.push(entry?.file_name());
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_entries_and_cname_are_kept_unless_briefing_wrote_them() {
        assert!(is_keepable(".git") && is_keepable("CNAME") && is_keepable(".well-known"));
        assert!(!is_keepable(MARKER) && !is_keepable(MANIFEST) && !is_keepable("index.html"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        fs::write(out.join(".nojekyll"), "").unwrap();
        fs::write(out.join(MARKER), format!("intro\n{GENERATED}.nojekyll\n")).unwrap();
        assert_eq!(others(&out).unwrap(), vec![".git", "CNAME"]);
    }

    #[cfg(unix)]
    #[test]
    fn regression_a_dot_entry_whose_name_is_not_utf8_was_deleted_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (dir.path().join("public"), dir.path().join("staging"));
        let odd = os_name(b".caf\xe9\nCNAME%41".to_vec());
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(&odd), "mine").unwrap();
        fs::create_dir(&staging).unwrap();
        let names = others(&out).unwrap();
        assert_eq!(names, vec![odd.clone()]);
        move_into(&out, &staging, &names).unwrap();
        let manifest = fs::read_to_string(staging.join(MANIFEST)).unwrap();
        assert_eq!(manifest, ".caf%E9%0ACNAME%2541\n", "one ASCII line");
        recover(&staging, &out).unwrap();
        assert_eq!(fs::read(out.join(&odd)).unwrap(), b"mine");
    }

    #[test]
    fn a_killed_move_is_undone_by_recover() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (dir.path().join("public"), dir.path().join("staging"));
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        fs::create_dir(&staging).unwrap();
        move_into(&out, &staging, &[".git".into(), "CNAME".into()]).unwrap();
        assert!(!out.join(".git").exists() && staging.join(".git/HEAD").is_file());
        // Killed here: the next build moves them back.
        recover(&staging, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "example.org"
        );
    }

    #[test]
    fn a_user_file_the_build_also_writes_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (dir.path().join("public"), dir.path().join("staging"));
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(out.join(".nojekyll"), "mine").unwrap();
        fs::write(staging.join(".nojekyll"), "").unwrap();
        let e = move_into(&out, &staging, &[".nojekyll".into()]).unwrap_err();
        assert!(e.to_string().contains(".nojekyll"), "{e}");
        assert_eq!(fs::read_to_string(out.join(".nojekyll")).unwrap(), "mine");
    }
}
