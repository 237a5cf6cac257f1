//! What `briefing serve` serves: one build, kept in memory, and how a save
//! turns the last one into the next.
//!
//! A snapshot holds every output file, copied files included, read through
//! the briefing's sandbox when the build was made: what is served is what was
//! built, never a file read from disk per request. A failed rebuild keeps the
//! last good files with the error.

use std::collections::{BTreeSet, HashMap};
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
) -> Result<Rebuilt, Error> {
    if let Some(state) = live.as_mut() {
        match state.edit(changed) {
            Ok(Edit::Files(files)) => return Ok(Rebuilt::Some(files)),
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
    match rebuilt {
        Ok(Rebuilt::All(files)) => Some(Snapshot {
            files: shared(files),
            ..Snapshot::default()
        }),
        Ok(Rebuilt::Some(files)) => {
            let mut all = previous.files.clone();
            all.extend(shared(files));
            Some(Snapshot {
                files: all,
                ..Snapshot::default()
            })
        }
        Ok(Rebuilt::Nothing) => None,
        Err(e) => Some(Snapshot {
            files: previous.files.clone(),
            error: Some(describe(&e)),
            ..Snapshot::default()
        }),
    }
}
