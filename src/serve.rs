//! `briefing serve`: build in memory, serve on loopback, rebuild on save and
//! reload open pages.
//!
//! The site is served from memory (the same files `write` would put on disk),
//! so serving can never reach a file outside the build, and nothing on disk is
//! touched. A save of a page's body re-renders only what shows it (see
//! [`crate::incremental`]); anything else rebuilds the whole site. A failed
//! rebuild keeps serving the last good site with the error
//! laid over every page; a failed first build still starts the server. The
//! server answers GET and HEAD only, checks the Host header against the
//! address it listens on (no DNS rebinding), and sends no CORS header. The
//! reload script is injected into pages only here, never into a build.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;
use notify_debouncer_full::notify::RecursiveMode;
use tokio::sync::watch;

use crate::error::Error;
use crate::incremental::{Edit, Live};
use crate::model::ModelOptions;
use crate::render::{Contents, OutputFile};

/// Resolved options of `briefing serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Where the event stream of the reload script is.
const EVENTS: &str = "/__briefing/events";

/// One build as served.
#[derive(Debug, Default)]
struct Snapshot {
    /// Every file, shared with the snapshots after it that did not change it.
    files: HashMap<Arc<str>, Arc<Contents>>,
    /// The diagnostics of the last failed build, if it failed.
    error: Option<String>,
}

/// The diagnostics and error chain of a failed build, as the terminal and
/// the overlay show them.
fn describe(e: &Error) -> String {
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
enum Rebuilt {
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
fn rebuild(
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
fn next(previous: &Snapshot, rebuilt: Result<Rebuilt, Error>) -> Option<Snapshot> {
    match rebuilt {
        Ok(Rebuilt::All(files)) => Some(Snapshot {
            files: shared(files),
            error: None,
        }),
        Ok(Rebuilt::Some(files)) => {
            let mut all = previous.files.clone();
            all.extend(shared(files));
            Some(Snapshot {
                files: all,
                error: None,
            })
        }
        Ok(Rebuilt::Nothing) => None,
        Err(e) => Some(Snapshot {
            files: previous.files.clone(),
            error: Some(describe(&e)),
        }),
    }
}

/// Runs the server until interrupted.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::io("cannot start the server runtime", &options.root))?;
    runtime.block_on(run(options.clone()))
}

#[derive(Clone)]
struct App {
    snapshot: watch::Receiver<Arc<Snapshot>>,
    hosts: Arc<Vec<String>>,
}

async fn run(mut options: ServeOptions) -> Result<(), Error> {
    let started = Instant::now();
    // The watcher reports absolute paths; a relative root (`.`) would match
    // none of them.
    if let Ok(absolute) = std::fs::canonicalize(&options.root) {
        options.root = absolute;
    }
    // Watch before the first build, so that no save is missed.
    let (debouncer, changes) = watcher(&options)?;
    let model_options = ModelOptions {
        drafts: options.drafts,
        base_url: None,
    };
    let mut live = None;
    let first = next(
        &Snapshot::default(),
        rebuild(&mut live, &options.root, &model_options, &BTreeSet::new()),
    )
    .unwrap_or_default();
    if let Some(error) = &first.error {
        eprint!("{error}\n\n");
    }
    let (tx, rx) = watch::channel(Arc::new(first));
    let listener = tokio::net::TcpListener::bind((options.bind, options.port))
        .await
        .map_err(Error::io(
            "cannot listen on",
            format!("{}:{}", options.bind, options.port),
        ))?;
    let addr: SocketAddr = listener.local_addr().map_err(Error::io(
        "cannot listen on",
        format!("{}:{}", options.bind, options.port),
    ))?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines",
            options.bind
        );
    }
    let mut hosts = vec![addr.to_string()];
    if options.bind.is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
        hosts.push(format!("127.0.0.1:{}", addr.port()));
        hosts.push(format!("[::1]:{}", addr.port()));
    }
    eprintln!(
        "serving http://{addr}/ (built in {} ms); watching content/, templates/ and static/",
        started.elapsed().as_millis()
    );
    rebuild_on_change(
        options.root.clone(),
        model_options,
        live,
        debouncer,
        changes,
        tx,
    );
    if options.open
        && let Err(e) = opener::open_browser(format!("http://{addr}/"))
    {
        eprintln!("warning: cannot open a browser: {e}");
    }
    let app = App {
        snapshot: rx,
        hosts: Arc::new(hosts),
    };
    let router = Router::new()
        .route(EVENTS, get(events))
        .fallback(file)
        .with_state(app);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(Error::io("the server stopped", addr.to_string()))
}

type Changes = std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>;
type Watcher = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Starts watching the sources; changes queue up until they are handled.
fn watcher(options: &ServeOptions) -> Result<(Watcher, Changes), Error> {
    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(50), None, events_tx)
            .map_err(|e| Error::io("cannot watch", &options.root)(std::io::Error::other(e)))?;
    for dir in ["content", "templates", "static"] {
        let path = options.root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::io("cannot watch", &path)(std::io::Error::other(e)))?;
        }
    }
    // Also notice `templates/` or `static/` being created later.
    let _ = debouncer.watch(&options.root, RecursiveMode::NonRecursive);
    Ok((debouncer, events_rx))
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
/// rebuild is done.
fn rebuild_on_change(
    root: PathBuf,
    model_options: ModelOptions,
    mut live: Option<Live>,
    debouncer: Watcher,
    events_rx: Changes,
    tx: watch::Sender<Arc<Snapshot>>,
) {
    std::thread::spawn(move || {
        let _keep = debouncer;
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
            if lost {
                // The watcher lost events: rebuild everything.
                live = None;
            } else if changed.is_empty() {
                continue;
            }
            let start = Instant::now();
            let rebuilt = rebuild(&mut live, &root, &model_options, &changed);
            let what = match &rebuilt {
                Ok(Rebuilt::All(_)) => "rebuilt".to_string(),
                Ok(Rebuilt::Some(files)) => format!(
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
        }
    });
}

/// Refuses requests that are not GET or HEAD, or whose Host header is not
/// the address the server listens on.
fn refuse(app: &App, method: &Method, headers: &HeaderMap) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Some((StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response());
    }
    None
}

async fn events(State(app): State<App>, method: Method, headers: HeaderMap) -> Response {
    if let Some(r) = refuse(&app, &method, &headers) {
        return r;
    }
    let mut rx = app.snapshot.clone();
    // The page was served from the current build: only a later one reloads it.
    rx.borrow_and_update();
    let stream = stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        Some((Ok::<_, Infallible>(Event::default().data("reload")), rx))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The output path a request asks for, or `None` for a path that tries to
/// climb out, hides a separator, or is not valid text.
pub fn request_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

async fn file(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if let Some(r) = refuse(&app, &method, &headers) {
        return r;
    }
    let snapshot = app.snapshot.borrow().clone();
    let Some(path) = request_path(uri.path()) else {
        return not_found(&snapshot).await;
    };
    if !snapshot.files.contains_key(path.as_str())
        && snapshot
            .files
            .contains_key(format!("{path}/index.html").as_str())
    {
        let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match snapshot.files.get(path.as_str()) {
        Some(contents) => respond(&snapshot, &path, contents, StatusCode::OK).await,
        None => not_found(&snapshot).await,
    }
}

async fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(c) => respond(snapshot, "404.html", c, StatusCode::NOT_FOUND).await,
        None => {
            let page = inject(
                "<!doctype html><title>Not found</title><h1>Not found</h1></body>".into(),
                snapshot,
            );
            html(StatusCode::NOT_FOUND, page)
        }
    }
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn respond(
    snapshot: &Snapshot,
    path: &str,
    contents: &Contents,
    status: StatusCode,
) -> Response {
    if path.ends_with(".html") {
        let text = match contents {
            Contents::Text(t) => t.clone(),
            Contents::Static(b) => String::from_utf8_lossy(b).into_owned(),
            Contents::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            // Never served: snapshots hold copied files in memory.
            Contents::Copy(_) => return StatusCode::NOT_FOUND.into_response(),
        };
        return html(status, inject(text, snapshot));
    }
    let body = match contents {
        Contents::Text(t) => Body::from(t.clone()),
        Contents::Static(b) => Body::from(*b),
        Contents::Bytes(b) => Body::from(axum::body::Bytes::from_owner(b.clone())),
        Contents::Copy(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut r = (status, body).into_response();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Adds the reload script, and the error overlay when the last build failed.
fn inject(mut page: String, snapshot: &Snapshot) -> String {
    let mut extra = String::new();
    if let Some(error) = &snapshot.error {
        extra.push_str(
            "<div id=\"briefing-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#2b0b0b;color:#ffe9e9;font:13px/1.4 ui-monospace,monospace;z-index:2147483647;border-top:4px solid #e5484d\"><strong>The last build failed; this is the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">",
        );
        extra.push_str(&crate::figures::html::escape(error));
        extra.push_str("</pre></div>");
    }
    extra.push_str(&format!(
        "<script>new EventSource(\"{EVENTS}\").onmessage = function () {{ location.reload(); }};</script>"
    ));
    match page.rfind("</body>") {
        Some(i) => page.insert_str(i, &extra),
        None => page.push_str(&extra),
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_cannot_climb_out() {
        assert_eq!(request_path("/").as_deref(), Some("index.html"));
        assert_eq!(request_path("/trade/").as_deref(), Some("trade/index.html"));
        assert_eq!(request_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(request_path("/a%20b.png").as_deref(), Some("a b.png"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/a%5c..%5cb",
            "/%00",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
        // Double encoding is decoded once: `%2e%2e` is a name, not a step up.
        assert_eq!(request_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn the_overlay_escapes_the_error() {
        let snap = Snapshot {
            files: HashMap::new(),
            error: Some("error: <script>alert(1)</script>".into()),
        };
        let page = inject("<html><body><p>x</p></body></html>".into(), &snap);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("EventSource"));
        assert!(page.find("briefing-error").unwrap() < page.find("</body>").unwrap());
    }

    proptest::proptest! {
        /// Whatever the request, the path never has a `..` part.
        #[test]
        fn no_request_path_climbs(raw in "(/|\\.|%2e|%2E|%2f|%5c|%25|a|/\\.\\./){0,12}") {
            if let Some(p) = request_path(&raw) {
                proptest::prop_assert!(!p.split('/').any(|s| s == ".."), "{raw} → {p}");
            }
        }
    }
}
