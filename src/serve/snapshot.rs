//! What `briefing serve` serves: one build, kept in memory, and how a save
//! turns the last one into the next.
//!
//! A snapshot holds every output file, copied files included, read through
//! the briefing's sandbox when the build was made: what is served is what was
//! built, never a file read from disk per request. A failed rebuild keeps the
//! last good files with the error.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::incremental::{Edit, Live};
use crate::model::ModelOptions;
use crate::render::{Contents, OutputFile};

/// One build as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file, shared with the snapshots after it that did not change it.
    pub files: HashMap<Arc<str>, Arc<Contents>>,
    /// The diagnostics of the last failed build, if it failed.
    pub error: Option<String>,
    /// The PDF editions typeset for this build so far: each is typeset when
    /// it is first asked for, not on every save.
    pub pdfs: std::sync::Mutex<HashMap<String, Arc<Contents>>>,
    /// Counts the builds that reload open pages: the rest of a template
    /// edit, which follows the pages rendered first, keeps the number of
    /// the snapshot it completes, so those pages are not reloaded twice.
    pub generation: u64,
    /// While a template edit is half done: the files already rendered with
    /// the new templates. Every other file the templates make is about to
    /// change, and a request for it waits for the next snapshot.
    pub fresh: Option<HashSet<Arc<str>>>,
}

impl Snapshot {
    /// Whether `path` is about to change: a request for it waits for the
    /// next snapshot rather than be answered from the old templates.
    pub fn is_stale(&self, path: &str) -> bool {
        let Some(fresh) = &self.fresh else {
            return false;
        };
        let rendered = |c: &Contents| matches!(c, Contents::Text(_));
        !fresh.contains(path) && self.files.get(path).is_none_or(|c| rendered(c))
    }
}

/// The diagnostics and error chain of a failed build, as the terminal and
/// the overlay show them.
pub fn describe(e: &Error) -> String {
    let mut text = String::new();
    if let Error::Input(ds) | Error::Strict(ds) = e {
        text.push_str(&ds.render(false));
    }
    text.push_str(&format!("error: {e}"));
    text
}

fn shared(files: Vec<OutputFile>) -> HashMap<Arc<str>, Arc<Contents>> {
    files
        .into_iter()
        .map(|f| (Arc::from(f.path), Arc::new(f.contents)))
        .collect()
}

/// What a rebuild did.
pub enum Rebuilt {
    /// Everything was built again.
    All(Vec<OutputFile>),
    /// Only these files changed.
    Some(Vec<OutputFile>),
    /// A template edit: the pages open in a browser, rendered first
    /// ([`Edit::First`]); every other file follows.
    First(Vec<OutputFile>),
    /// Nothing the site is made of changed.
    Nothing,
}

/// Rebuilds after the saves of `changed`: only what they change when `live`
/// (the last good build) allows it, everything otherwise. `live` is left
/// empty after a failure, so that the next save builds everything.
pub fn rebuild(
    live: &mut Option<Live>,
    root: &Path,
    options: &ModelOptions,
    changed: &BTreeSet<String>,
    open: &[String],
) -> Result<Rebuilt, Error> {
    if let Some(state) = live.as_mut() {
        match state.edit_open_first(changed, open) {
            Ok(Edit::Files(files)) => return Ok(Rebuilt::Some(files)),
            Ok(Edit::First(files)) => return Ok(Rebuilt::First(files)),
            Ok(Edit::Nothing) => return Ok(Rebuilt::Nothing),
            Ok(Edit::Full) => {}
            Err(e) => {
                *live = None;
                return Err(e);
            }
        }
    }
    *live = None;
    let (state, files) = Live::build(root, options)?;
    let files = into_memory(files)?;
    *live = Some(state);
    Ok(Rebuilt::All(files))
}

/// Reads every copied file into memory, through the briefing's sandbox: what
/// is served is what was built, and a file swapped on disk afterwards (for a
/// symbolic link out of the briefing, say) is never read.
fn into_memory(files: Vec<OutputFile>) -> Result<Vec<OutputFile>, Error> {
    use rayon::prelude::*;
    files
        .into_par_iter()
        .map(|f| match f.contents {
            Contents::Copy(source) => match source.read() {
                Ok(bytes) => Ok(OutputFile {
                    path: f.path,
                    contents: Contents::Bytes(bytes.into()),
                }),
                Err(e) if crate::sandbox::is_escape(&e) => {
                    Err(Error::Input(crate::diagnostic::Diagnostics(vec![
                        crate::load::escape_diagnostic(&source.path),
                    ])))
                }
                Err(e) => Err(Error::io("cannot read", &source.path)(e)),
            },
            _ => Ok(f),
        })
        .collect()
}

/// The next snapshot after a rebuild: the new site, the last one with the
/// changed files replaced, or the last good one with the error; `None` when
/// nothing changed.
pub fn next(previous: &Snapshot, rebuilt: Result<Rebuilt, Error>) -> Option<Snapshot> {
    let generation = previous.generation + 1;
    match rebuilt {
        Ok(Rebuilt::All(files)) => Some(Snapshot {
            files: shared(files),
            generation,
            ..Snapshot::default()
        }),
        Ok(Rebuilt::Some(files)) => Some(Snapshot {
            files: replaced(previous, files),
            generation,
            ..Snapshot::default()
        }),
        Ok(Rebuilt::First(files)) => {
            let fresh = files.iter().map(|f| Arc::from(f.path.as_str())).collect();
            Some(Snapshot {
                files: replaced(previous, files),
                generation,
                fresh: Some(fresh),
                ..Snapshot::default()
            })
        }
        Ok(Rebuilt::Nothing) => None,
        Err(e) => Some(Snapshot {
            files: previous.files.clone(),
            error: Some(describe(&e)),
            generation,
            ..Snapshot::default()
        }),
    }
}

/// The snapshot that completes the half-done template edit `partial` with
/// the rest of its files: the pages already open are not reloaded again.
/// A failure shows the error, reloading them.
pub fn completed(partial: &Snapshot, rest: Result<Vec<OutputFile>, Error>) -> Snapshot {
    match rest {
        Ok(files) => Snapshot {
            files: replaced(partial, files),
            generation: partial.generation,
            ..Snapshot::default()
        },
        Err(e) => next(partial, Err(e)).unwrap_or_default(),
    }
}

/// `previous`'s files with `files` put in their place.
fn replaced(previous: &Snapshot, files: Vec<OutputFile>) -> HashMap<Arc<str>, Arc<Contents>> {
    let mut all = previous.files.clone();
    all.extend(shared(files));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: Contents) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents,
        }
    }

    #[test]
    fn while_a_template_edit_is_half_done_only_what_it_will_change_waits() {
        let built = Snapshot {
            files: shared(vec![
                file("index.html", Contents::Text("old".into())),
                file("a/index.html", Contents::Text("old".into())),
                file("style.css", Contents::Bytes(b"css".to_vec().into())),
            ]),
            ..Snapshot::default()
        };
        let open = vec![file("index.html", Contents::Text("new".into()))];
        let partial = next(&built, Ok(Rebuilt::First(open))).unwrap();
        assert_eq!(partial.generation, built.generation + 1);
        assert!(!partial.is_stale("index.html"), "rendered first");
        assert!(partial.is_stale("a/index.html"), "a page still to render");
        assert!(
            partial.is_stale("missing.html"),
            "the 404 page is rendered too"
        );
        assert!(
            !partial.is_stale("style.css"),
            "a copied file does not change"
        );
        assert!(!built.is_stale("a/index.html"));
        let rest = vec![file("a/index.html", Contents::Text("new".into()))];
        let done = completed(&partial, Ok(rest));
        assert_eq!(done.generation, partial.generation, "no second reload");
        assert!(!done.is_stale("a/index.html"));
        let failed = completed(&partial, Err(Error::Input(Default::default())));
        assert!(failed.error.is_some() && failed.generation > partial.generation);
    }
}
