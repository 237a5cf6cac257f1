//! The HTTP side of `briefing serve`: which requests are answered, and with
//! what.
//!
//! Only GET and HEAD; only requests whose Host names this server (no DNS
//! rebinding); the event stream only for pages of this server (its Origin
//! checked); only files of the build, by a path that cannot climb out; no
//! redirect that can leave the host; no CORS header. Pages get the reload
//! script, and the error overlay when the last build failed.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::sync::watch;

use super::snapshot::Snapshot;
use crate::render::Contents;

/// Where the event stream of the reload script is.
pub const EVENTS: &str = "/__briefing/events";

/// What every request handler shares.
#[derive(Clone)]
pub struct App {
    /// The build being served.
    pub snapshot: watch::Receiver<Arc<Snapshot>>,
    /// The names this server answers to.
    pub hosts: Arc<Hosts>,
    /// The briefing's root and model options, to typeset a PDF edition
    /// when it is asked for.
    pub pdf_source: Arc<(std::path::PathBuf, crate::model::ModelOptions)>,
    /// The pages open in a browser now.
    pub open: Arc<OpenPages>,
    /// Room for event streams: they stay open as long as a page does, so
    /// without a cap of their own a few thousand held ones would take
    /// every connection and leave none for page requests.
    pub streams: Arc<tokio::sync::Semaphore>,
}

/// The pages open in a browser, known by their event streams (the reload
/// script names its page): a template edit renders them first.
#[derive(Debug, Default)]
pub struct OpenPages(std::sync::Mutex<std::collections::HashMap<String, usize>>);

impl OpenPages {
    /// The output paths of the open pages (`index.html`, `s/p/index.html`).
    pub fn paths(&self) -> Vec<String> {
        let open = self.0.lock().expect("no panics while holding the lock");
        let mut paths: Vec<String> = open.keys().cloned().collect();
        paths.sort();
        paths
    }

    /// Counts `path` as open until the returned guard is dropped.
    fn enter(self: &Arc<Self>, path: String) -> OpenPage {
        *self
            .0
            .lock()
            .expect("no panics while holding the lock")
            .entry(path.clone())
            .or_default() += 1;
        OpenPage {
            pages: Arc::clone(self),
            path,
        }
    }
}

/// One open event stream's page; closing the stream closes it.
struct OpenPage {
    pages: Arc<OpenPages>,
    path: String,
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        let mut open = self.pages.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.path) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.path);
            }
        }
    }
}

/// The output path of the page an event stream's URL names
/// (`?page=/s/p/`), if it names one this server can serve.
fn page_of(uri: &Uri) -> Option<String> {
    let raw = uri
        .query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))?;
    let once = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    request_path(&once).filter(|p| p.ends_with(".html"))
}

/// The Host header values this server answers to: its port, with an IP
/// address (a literal address cannot be rebound by DNS, so any is fine:
/// the request reached this server through it), `localhost` when it
/// listens on loopback or on every address, and the names given with
/// `--allow-host`. Without a port, the Host names port 80.
#[derive(Debug)]
pub struct Hosts {
    addr: SocketAddr,
    names: Vec<String>,
}

impl Hosts {
    /// The hosts of a server listening at `addr`, with more `names`.
    pub fn new(addr: SocketAddr, names: &[String]) -> Hosts {
        let ip = addr.ip();
        let mut all: Vec<String> = names.iter().map(|n| normal_name(n)).collect();
        if ip.is_loopback() || ip.is_unspecified() {
            all.push("localhost".into());
        }
        Hosts { addr, names: all }
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        let port = self.addr.port();
        match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{port}/"),
            IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{port}/"),
            _ => format!("http://{}/", self.addr),
        }
    }

    /// Whether a Host header value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.unwrap_or(80) != self.addr.port() {
            return false;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        bare.parse::<IpAddr>().is_ok() || self.names.contains(&normal_name(name))
    }

    /// Whether an Origin header value is a page of this server.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| !host.contains('/') && self.allows(host))
    }
}

/// A host name as compared: lower case, without a final dot.
fn normal_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// `name:port`, `[v6]:port`, `name` or `[v6]` split into name and port.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    if host.is_empty() || host.contains(['/', '@', ' ', '\\']) {
        return None;
    }
    let (name, port) = match host.rfind(':') {
        Some(i)
            if !host[i..].contains(']') && (host.starts_with('[') || !host[..i].contains(':')) =>
        {
            (&host[..i], Some(host[i + 1..].parse().ok()?))
        }
        _ => (host, None),
    };
    let name_ok = if name.starts_with('[') {
        name.ends_with(']')
    } else {
        !name.contains([':', '[', ']'])
    };
    (name_ok && !name.is_empty()).then_some((name, port))
}

/// Refuses requests that are not GET or HEAD, that have other than one Host
/// header, whose Host header does not name this server, or whose target
/// is an absolute URL of another host (`GET http://evil.example/`).
fn refuse(app: &App, method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    if headers.get_all(header::HOST).iter().count() > 1 {
        return Some((StatusCode::BAD_REQUEST, "more than one Host header\n").into_response());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let target_ours = uri.authority().is_none_or(|a| app.hosts.allows(a.as_str()));
    if !app.hosts.allows(host) || !target_ours {
        return Some((StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response());
    }
    None
}

/// How long a browser waits before opening again an event stream that was
/// refused for want of room.
pub const STREAM_RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// The reload events, for pages of this server only: another site open in
/// the same browser may not listen in.
pub async fn events(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = refuse(&app, &method, &uri, &headers) {
        return r;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ours = origin.to_str().is_ok_and(|o| app.hosts.allows_origin(o));
        if !ours {
            return (StatusCode::FORBIDDEN, "foreign origin\n").into_response();
        }
    }
    let Ok(room) = Arc::clone(&app.streams).try_acquire_owned() else {
        // A stream that ends is opened again by the browser after `retry`
        // (an error status would make it give up for good).
        let later = Event::default()
            .comment("too many open event streams")
            .retry(STREAM_RETRY);
        let once = stream::once(async move { Ok::<_, Infallible>(later) });
        return Sse::new(once).into_response();
    };
    let mut rx = app.snapshot.clone();
    // The page was served from the current build: only a later one reloads
    // it, and the rest of a template edit whose first part reloaded it does
    // not reload it again.
    let seen = rx.borrow_and_update().generation;
    let open = page_of(&uri).map(|p| app.open.enter(p));
    let held = (open, room);
    let stream = stream::unfold((rx, seen, held), |(mut rx, seen, held)| async move {
        loop {
            rx.changed().await.ok()?;
            let now = rx.borrow_and_update().generation;
            if now != seen {
                let reload = Ok::<_, Infallible>(Event::default().data("reload"));
                return Some((reload, (rx, now, held)));
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The redirect target for the folder at the clean output path `path`:
/// always `/` and a first part that is not empty, percent-encoded.
pub fn folder_location(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    format!("/{}/", utf8_percent_encode(path.trim_matches('/'), KEEP))
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

/// A file of the build, a redirect to a folder's page, or the 404 page.
pub async fn file(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = refuse(&app, &method, &uri, &headers) {
        return r;
    }
    let Some(path) = request_path(uri.path()) else {
        let snapshot = app.snapshot.borrow().clone();
        return not_found(&snapshot).await;
    };
    let snapshot = current(&app, &path).await;
    if !snapshot.files.contains_key(path.as_str())
        && snapshot
            .files
            .contains_key(format!("{path}/index.html").as_str())
    {
        // Built from the clean path, so that `//host/x` can never become a
        // redirect to another host.
        let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(v) = HeaderValue::from_str(&folder_location(&path)) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match snapshot.files.get(path.as_str()) {
        Some(contents) => respond(&snapshot, &path, contents, StatusCode::OK).await,
        None if path.ends_with(".pdf") => pdf(&app, &snapshot, &path).await,
        None => not_found(&snapshot).await,
    }
}

/// The snapshot to answer a request for `path` from: the one being served,
/// unless a template edit is half done and `path` is about to change; then
/// the next.
async fn current(app: &App, path: &str) -> Arc<Snapshot> {
    let mut rx = app.snapshot.clone();
    loop {
        let snapshot = rx.borrow_and_update().clone();
        if !snapshot.is_stale(path) || rx.changed().await.is_err() {
            return snapshot;
        }
    }
}

/// A PDF edition, typeset when it is first asked for after a build (a
/// save does not typeset it again until it is asked for again).
async fn pdf(app: &App, snapshot: &Arc<Snapshot>, path: &str) -> Response {
    let cached = snapshot
        .pdfs
        .lock()
        .expect("no panics while holding the lock")
        .get(path)
        .cloned();
    if let Some(contents) = cached {
        return respond(snapshot, path, &contents, StatusCode::OK).await;
    }
    // A translated edition's folder has its home page.
    let language = match path.split_once('/') {
        Some((l, crate::model::PDF_FILE))
            if snapshot
                .files
                .contains_key(format!("{l}/index.html").as_str()) =>
        {
            Some(l.to_string())
        }
        None if path == crate::model::PDF_FILE => None,
        _ => return not_found(snapshot).await,
    };
    let source = Arc::clone(&app.pdf_source);
    let typeset = tokio::task::spawn_blocking(move || {
        crate::pdf_bytes(&source.0, &source.1, language.as_deref())
    })
    .await;
    match typeset {
        Ok(Ok(t)) if t.planned.as_deref() == Some(path) => {
            if !t.warnings.is_empty() {
                eprint!("{}", crate::Diagnostics(t.warnings).render(false));
            }
            let contents = Arc::new(Contents::Bytes(t.bytes.into()));
            snapshot
                .pdfs
                .lock()
                .expect("no panics while holding the lock")
                .insert(path.to_string(), Arc::clone(&contents));
            respond(snapshot, path, &contents, StatusCode::OK).await
        }
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            super::snapshot::describe(&e),
        )
            .into_response(),
        _ => not_found(snapshot).await,
    }
}

async fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(c) => {
            let r = respond(snapshot, "404.html", c, StatusCode::NOT_FOUND).await;
            rooted(r).await
        }
        None => {
            let page = inject(
                "<!doctype html><title>Not found</title><h1>Not found</h1></body>".into(),
                snapshot,
            );
            html(StatusCode::NOT_FOUND, page)
        }
    }
}

/// The 404 page is written for the site's root, but served at any depth
/// (`/trade/nope`): a `<base href="/">` makes its stylesheet and links
/// resolve from the root, where `serve` serves the site.
async fn rooted(r: Response) -> Response {
    let (parts, body) = r.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut page = String::from_utf8_lossy(&bytes).into_owned();
    if !page.contains("<base ")
        && let Some(i) = page.find("<head>")
    {
        page.insert_str(i + "<head>".len(), "<base href=\"/\">");
    }
    Response::from_parts(parts, Body::from(page))
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
        "<script>new EventSource(\"{EVENTS}?page=\" + encodeURIComponent(location.pathname)).onmessage = function () {{ location.reload(); }};</script>"
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
    use std::collections::HashMap;

    fn hosts(addr: &str, names: &[&str]) -> Hosts {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        Hosts::new(addr.parse().unwrap(), &names)
    }

    #[test]
    fn hosts_on_loopback_port_80_every_address_and_by_name() {
        let h = hosts("127.0.0.1:1111", &[]);
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "localhost.:1111",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost:80",
            "localhost",
            "127.0.0.1:2222",
            "",
            "a@localhost:1111",
            "localhost:1111/x",
            "[::1:1111",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        // Browsers leave out port 80.
        let h = hosts("127.0.0.1:80", &[]);
        assert!(h.allows("localhost") && h.allows("127.0.0.1") && h.allows("localhost:80"));
        // On every address: any literal address of this machine, and localhost.
        let h = hosts("0.0.0.0:1111", &[]);
        assert!(
            h.allows("127.0.0.1:1111")
                && h.allows("192.168.1.20:1111")
                && h.allows("localhost:1111")
        );
        assert!(!h.allows("rebind.example:1111"));
        assert_eq!(h.url(), "http://127.0.0.1:1111/");
        // A LAN address and a name given with --allow-host.
        let h = hosts("192.168.1.20:1111", &["Laptop.local"]);
        assert!(h.allows("192.168.1.20:1111") && h.allows("laptop.local:1111"));
        assert!(!h.allows("localhost:1111"));
    }

    #[test]
    fn origins_of_other_sites_are_not_ours() {
        let h = hosts("127.0.0.1:1111", &[]);
        assert!(h.allows_origin("http://127.0.0.1:1111"));
        assert!(h.allows_origin("http://localhost:1111"));
        for bad in [
            "https://evil.example",
            "http://evil.example:1111",
            "null",
            "http://localhost:1111/x",
            "http://127.0.0.1:2",
        ] {
            assert!(!h.allows_origin(bad), "{bad}");
        }
    }

    #[test]
    fn regression_double_slash_redirected_off_host() {
        // `GET //trade` used to redirect to `//trade/`, another host.
        let path = request_path("//trade").unwrap();
        assert_eq!(folder_location(&path), "/trade/");
        assert_eq!(
            folder_location(&request_path("///evil.example/x").unwrap()),
            "/evil.example/x/"
        );
        assert_eq!(folder_location("a b/ü"), "/a%20b/%C3%BC/");
        proptest::proptest!(|(raw in r"[/a-z%.:@\\]{0,12}")| {
            if let Some(p) = request_path(&raw) {
                let loc = folder_location(&p);
                proptest::prop_assert!(loc.starts_with('/') && !loc.starts_with("//"), "{raw} → {loc}");
            }
        });
    }

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
            ..Snapshot::default()
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
