//! Watching the briefing's folders for saves, and rebuilding after them.
//!
//! `content/`, `templates/` and `static/` are watched recursively, and the
//! root on its own, so that a folder created, deleted or restored later is
//! noticed: its watch is then set up again and everything is rebuilt (a
//! missing `content/` is an error shown over the last good site until it is
//! back).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use tokio::sync::watch;

use super::http::OpenPages;
use super::snapshot::{Rebuilt, Snapshot, completed, next, rebuild};
use crate::error::Error;
use crate::incremental::Live;
use crate::model::ModelOptions;

pub type Changes = std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>;
pub type Watcher = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// The source folders, watched recursively when they exist.
const SOURCES: [&str; 3] = ["content", "templates", "static"];

/// Starts watching the sources; changes queue up until they are handled.
pub fn watcher(root: &Path) -> Result<(Watcher, Changes), Error> {
    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(50), None, events_tx)
            .map_err(|e| Error::io("cannot watch", root)(std::io::Error::other(e)))?;
    for dir in SOURCES {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::io("cannot watch", &path)(std::io::Error::other(e)))?;
        }
    }
    // Also notice a source folder being created, deleted or restored later.
    let _ = debouncer.watch(root, RecursiveMode::NonRecursive);
    Ok((debouncer, events_rx))
}

/// Sets the recursive watches up again after a source folder itself was
/// created, deleted, renamed or restored: a deleted folder takes its watch
/// with it, and a restored one is a new folder that nobody watches yet.
/// Whether any was, so that everything is built again.
fn rewatch(debouncer: &mut Watcher, root: &Path, changed: &BTreeSet<String>) -> bool {
    let touched = SOURCES.iter().any(|dir| changed.contains(*dir));
    if touched {
        for dir in SOURCES {
            let path = root.join(dir);
            let _ = debouncer.unwatch(&path);
            if path.is_dir()
                && let Err(e) = debouncer.watch(&path, RecursiveMode::Recursive)
            {
                eprintln!("warning: cannot watch {}: {e}", path.display());
            }
        }
    }
    touched
}

/// The files under `content/`, `templates/` or `static/` that a batch of
/// events changed, relative to `root` with `/`. Reading the sources (the
/// build itself) is not a change.
fn changed_paths(
    root: &Path,
    events: &[notify_debouncer_full::DebouncedEvent],
) -> BTreeSet<String> {
    use notify_debouncer_full::notify::EventKind;
    use notify_debouncer_full::notify::event::ModifyKind;
    events
        .iter()
        .filter(|e| {
            matches!(
                e.event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(
                        ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                    )
            )
        })
        .flat_map(|e| e.paths.iter())
        .filter_map(|p| {
            let rel = p.strip_prefix(root).ok()?;
            let parts: Vec<&str> = rel
                .components()
                .map(|c| c.as_os_str().to_str())
                .collect::<Option<_>>()?;
            matches!(parts.first(), Some(&("content" | "templates" | "static")))
                .then(|| parts.join("/"))
        })
        .collect()
}

/// Rebuilds after each change and sends the new snapshot, once the whole
/// rebuild is done; after a template edit, once the pages `open` in a
/// browser are rendered, and again when the rest are.
pub fn rebuild_on_change(
    root: PathBuf,
    model_options: ModelOptions,
    mut live: Option<Live>,
    mut debouncer: Watcher,
    events_rx: Changes,
    tx: watch::Sender<Arc<Snapshot>>,
    open: Arc<OpenPages>,
) {
    std::thread::spawn(move || {
        while let Ok(result) = events_rx.recv() {
            // Coalesce a burst of saves into one rebuild.
            let mut changed = BTreeSet::new();
            let mut lost = false;
            for result in std::iter::once(result).chain(events_rx.try_iter()) {
                match result {
                    Ok(events) => changed.extend(changed_paths(&root, &events)),
                    Err(_) => lost = true,
                }
            }
            if rewatch(&mut debouncer, &root, &changed) || lost {
                // A source folder came or went, or the watcher lost events:
                // rebuild everything.
                live = None;
            } else if changed.is_empty() {
                continue;
            }
            let start = Instant::now();
            let rebuilt = rebuild(&mut live, &root, &model_options, &changed, &open.paths());
            let first = matches!(rebuilt, Ok(Rebuilt::First(_)));
            let what = match &rebuilt {
                Ok(Rebuilt::All(_)) => "rebuilt".to_string(),
                Ok(Rebuilt::Some(files) | Rebuilt::First(files)) => format!(
                    "rebuilt {} {}",
                    files.len(),
                    if files.len() == 1 { "page" } else { "pages" }
                ),
                Ok(Rebuilt::Nothing) => continue,
                Err(_) => "rebuild failed; serving the last good site".to_string(),
            };
            let Some(snapshot) = next(&tx.borrow(), rebuilt) else {
                continue;
            };
            if let Some(e) = &snapshot.error {
                eprint!("{e}\n\n");
            }
            if tx.send(Arc::new(snapshot)).is_err() {
                break;
            }
            eprintln!("{what} in {} ms", start.elapsed().as_millis());
            if first && !finish(&mut live, &tx, start) {
                break;
            }
        }
    });
}

/// Renders the rest of a template edit whose open pages were sent first,
/// and sends the completed snapshot. `false` when nobody listens any more.
fn finish(live: &mut Option<Live>, tx: &watch::Sender<Arc<Snapshot>>, start: Instant) -> bool {
    let Some(state) = live.as_ref() else {
        return true;
    };
    let rest = state.finish();
    let files = rest.as_ref().map_or(0, Vec::len);
    if rest.is_err() {
        *live = None;
    }
    let snapshot = completed(&tx.borrow(), rest);
    if let Some(e) = &snapshot.error {
        eprint!("{e}\n\n");
    }
    let sent = tx.send(Arc::new(snapshot)).is_ok();
    eprintln!(
        "rendered the rest ({files} files) in {} ms",
        start.elapsed().as_millis()
    );
    sent
}
