//! `briefing templates`: copies the built-in theme's templates into a
//! briefing's `templates/` folder, to start an override from the original
//! rather than from nothing.
//!
//! A file of `templates/` replaces the theme's file of the same name, so a
//! copy changes nothing until it is edited. Existing files are never
//! overwritten: they are listed as kept.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, closest};
use crate::error::Error;
use crate::theme;

/// What `templates` did.
#[derive(Debug, Default)]
pub struct Ejected {
    /// Templates written.
    pub written: Vec<PathBuf>,
    /// Templates that were there already, left as they were.
    pub kept: Vec<PathBuf>,
}

/// Writes the built-in templates named in `names` (all of them when empty)
/// into `root/templates/`, keeping any that exist.
pub fn eject(root: &Path, names: &[String]) -> Result<Ejected, Error> {
    let all: Vec<&str> = theme::TEMPLATES.iter().map(|(n, _)| *n).collect();
    let mut unknown = Vec::new();
    for name in names {
        if !all.contains(&name.as_str()) {
            let d = Diagnostic::error(
                "unknown-template",
                format!("the theme has no template `{name}`"),
            )
            .expected(format!("one of {}", all.join(", ")));
            unknown.push(match closest(name, all.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint("run `briefing templates` without names to copy them all"),
            });
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Input(Diagnostics(unknown)));
    }
    let mut done = Ejected::default();
    for (name, text) in theme::TEMPLATES {
        if !names.is_empty() && !names.iter().any(|n| n == name) {
            continue;
        }
        let path = root.join("templates").join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Error::io("cannot create", parent))?;
        }
        // `create_new`: never replaces a file, even one made a moment ago.
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())
                    .map_err(Error::io("cannot write", &path))?;
                done.written.push(path);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => done.kept.push(path),
            Err(e) => return Err(Error::io("cannot write", &path)(e)),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_the_theme_and_keeps_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        fs::write(dir.path().join("templates/partials/footer.html"), "mine").unwrap();
        let done = eject(dir.path(), &[]).unwrap();
        assert_eq!(done.written.len() + done.kept.len(), theme::TEMPLATES.len());
        assert_eq!(
            done.kept,
            vec![dir.path().join("templates/partials/footer.html")]
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("templates/partials/footer.html")).unwrap(),
            "mine"
        );
        let page = fs::read_to_string(dir.path().join("templates/page.html")).unwrap();
        assert!(page.contains("{% block content %}"));
        let e = eject(dir.path(), &["pgae.html".into()]).unwrap_err();
        assert!(format!("{:?}", e).contains("did you mean `page.html`"));
    }
}
