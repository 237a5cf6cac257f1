//! `briefing serve` as a user (and an attacker) meets it: the real binary on
//! a free loopback port, spoken to over raw HTTP/1.1 so that paths reach the
//! server exactly as written.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::example_copy;

struct Server {
    child: Child,
    port: u16,
    /// What the server prints, line by line.
    log: std::sync::mpsc::Receiver<String>,
}

impl Server {
    /// Waits for a printed line that starts with `prefix`.
    fn expect_log(&self, prefix: &str) -> String {
        let mut seen = Vec::new();
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_else(|_| {
                    panic!("no line starting with {prefix:?} within 5 s; saw {seen:#?}")
                });
            if line.starts_with(prefix) {
                return line;
            }
            seen.push(line);
        }
    }
}

impl Server {
    /// Forgets what was printed until the server has been quiet a while.
    fn settle(&self) {
        while self.log.recv_timeout(Duration::from_millis(400)).is_ok() {}
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_in(root, &["--root", root.to_str().unwrap()])
}

/// Starts `briefing serve` in `dir` with more arguments.
fn start_in(dir: &Path, args: &[&str]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing"));
    command.args(["serve", "--port", "0"]).args(args);
    spawn(command, dir)
}

/// Starts `briefing serve` on `root` allowed to open only `files` files,
/// which sets its connection limits.
fn start_with_file_limit(root: &Path, files: u32) -> Server {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n {files} && exec \"$0\" serve --port 0 --root \"$1\""),
        env!("CARGO_BIN_EXE_briefing"),
        root.to_str().unwrap(),
    ]);
    spawn(command, root)
}

fn spawn(mut command: Command, dir: &Path) -> Server {
    let mut child = command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stderr so that the server never blocks on it.
    let (tx, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    Server { child, port, log }
}

/// The example briefing copied into `tmp` and served (from inside it with the
/// default root `.`, when `relative`), with the path and text of its trade
/// page, to edit.
fn serve_example(tmp: &Path, relative: bool) -> (Server, std::path::PathBuf, String) {
    let site = example_copy(tmp);
    common::in_one_language(&site);
    let server = if relative {
        start_in(&site, &[])
    } else {
        start(&site)
    };
    let trade = site.join("content/trade.md");
    let text = fs::read_to_string(&trade).unwrap();
    (server, trade, text)
}

/// Sends a raw request and returns (status, headers and body as text).
fn request(port: u16, raw: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn get(port: u16, path: &str) -> (u16, String) {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("{what} did not happen within 2 s");
}

#[test]
fn serves_pages_with_types_and_the_reload_script_only() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start(&site);
    let (status, page) = get(server.port, "/trade/index.html");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(page.contains(
        "EventSource(\"/__briefing/events?page=\" + encodeURIComponent(location.pathname))"
    ));
    assert!(
        !page
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    let (status, css) = get(server.port, "/style.css");
    assert_eq!(status, 200);
    assert!(css.to_ascii_lowercase().contains("content-type: text/css"));
    let (status, moved) = get(server.port, "/trade");
    assert_eq!(status, 308);
    assert!(moved.contains("/trade/"), "{moved}");
    let (status, missing) = get(server.port, "/no/such/page");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Page not found"),
        "the site's 404 page: {missing}"
    );
    // Nothing was written to disk.
    assert!(!site.join("public").exists());
}

#[test]
fn refuses_other_methods_foreign_hosts_and_traversal() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    fs::write(tmp.path().join("secret.txt"), "do not serve").unwrap();
    let server = start(&site);
    let port = server.port;
    let (status, _) = request(
        port,
        &format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 405);
    let (status, _) = request(
        port,
        "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 421, "DNS rebinding: a foreign Host is refused");
    // Two Host headers, the first valid; an absolute target of another
    // host with a valid Host: both once answered 200.
    let (status, _) = request(
        port,
        &format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 400, "two Host headers");
    let (status, _) = request(
        port,
        &format!(
            "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 421, "an absolute target of another host");
    let (status, _) = request(
        port,
        &format!(
            "GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 200, "an absolute target of this server");
    let (status, _) = request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%252e%252e/secret.txt",
        "/trade/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let (status, body) = get(port, path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn an_edit_reloads_a_broken_edit_shows_the_error_over_the_last_good_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start(&site);
    let port = server.port;
    // Listen for reloads as an open page does.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .write_all(
            format!("GET /__briefing/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        )
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let trade = site.join("content/trade.md");
    let text = fs::read_to_string(&trade).unwrap();
    fs::write(
        &trade,
        text.replace("## Trade turnover", "## Trade turnover, edited"),
    )
    .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    let mut seen = String::new();
    while !seen.contains("data: reload") {
        let n = events.read(&mut buf).expect("a reload event within 3 s");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "reload took {:?}",
        start.elapsed()
    );
    let (_, page) = get(port, "/trade/index.html");
    assert!(
        page.contains("Trade turnover, edited"),
        "the reloaded page has the new text"
    );

    // A broken file: the last good page, with the located error over it.
    fs::write(site.join("content/broken.md"), "+++\ntitel = \"x\"\n+++\n").unwrap();
    eventually("the error overlay", || {
        get(port, "/trade/index.html").1.contains("briefing-error")
    });
    let (_, page) = get(port, "/trade/index.html");
    assert!(
        page.contains("Trade turnover, edited"),
        "the old content stays"
    );
    assert!(
        page.contains("content/broken.md:2:1"),
        "file, line and column: {page}"
    );
    // Deleting it clears the overlay.
    fs::remove_file(site.join("content/broken.md")).unwrap();
    eventually("the overlay to clear", || {
        !get(port, "/trade/index.html").1.contains("briefing-error")
    });
}

#[test]
fn a_body_edit_rerenders_one_page_and_other_edits_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, trade, text) = serve_example(tmp.path(), false);
    let port = server.port;

    // The same number of words: the page alone.
    fs::write(&trade, text.replace("## Trade turnover", "## Trade volume")).unwrap();
    let line = server.expect_log("rebuilt");
    assert!(line.starts_with("rebuilt 1 page in "), "{line}");
    assert!(get(port, "/trade/index.html").1.contains("Trade volume"));

    // A broken body: located error over the last good page.
    fs::write(&trade, format!("{text}\nSee [this](missing.md).\n")).unwrap();
    server.expect_log("rebuild failed");
    let (_, page) = get(port, "/trade/index.html");
    assert!(page.contains("briefing-error") && page.contains("Trade volume"));
    assert!(page.contains("content/trade.md:"), "{page}");

    // After a failure, everything is built again.
    fs::write(&trade, &text).unwrap();
    let line = server.expect_log("rebuilt");
    assert!(line.starts_with("rebuilt in "), "{line}");
    assert!(!get(port, "/trade/index.html").1.contains("briefing-error"));

    // Front matter reaches other pages: everything again.
    fs::write(&trade, text.replacen("title = \"", "title = \"New: ", 1)).unwrap();
    let line = server.expect_log("rebuilt");
    assert!(line.starts_with("rebuilt in "), "{line}");
    assert!(get(port, "/index.html").1.contains("New: "));
}

#[test]
fn a_body_edit_of_a_translation_rerenders_that_page_in_its_language() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start(&site);
    let port = server.port;
    let trade = site.join("content/trade.zh.md");
    let text = fs::read_to_string(&trade).unwrap();
    let at = text.rfind("。").unwrap();
    fs::write(
        &trade,
        format!("{}！{}", &text[..at], &text[at + "。".len()..]),
    )
    .unwrap();
    let line = server.expect_log("rebuilt");
    assert!(line.starts_with("rebuilt 1 page in "), "{line}");
    assert!(get(port, "/zh/trade/index.html").1.contains("！"));
    // The English page is as it was.
    assert!(!get(port, "/trade/index.html").1.contains("！"));
}

/// Regression: with the root given as `.` (the default), no save was ever
/// noticed: the watcher's absolute paths did not start with `.`.
#[test]
fn regression_saves_were_missed_when_the_root_was_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, trade, text) = serve_example(tmp.path(), true);
    fs::write(&trade, text.replace("## Trade turnover", "## Trade volume")).unwrap();
    server.expect_log("rebuilt");
    assert!(
        get(server.port, "/trade/index.html")
            .1
            .contains("Trade volume")
    );
}

/// Regression: a page that connected after a rebuild was told to reload at
/// once (the new receiver counted the current build as unseen), so open
/// pages reloaded in a loop.
#[test]
fn a_page_is_not_told_to_reload_for_the_build_it_was_served_from() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, trade, text) = serve_example(tmp.path(), false);
    let port = server.port;
    fs::write(&trade, format!("{text}\nOne more line.\n")).unwrap();
    eventually("the rebuild", || {
        get(port, "/trade/index.html").1.contains("One more line.")
    });
    let mut events = listen_on(port, "/trade/");
    assert_eq!(
        reloads_within(&mut events, Duration::from_millis(800)),
        0,
        "a reload without a change"
    );
}

#[test]
fn a_failed_first_build_still_serves_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::write(site.join("content/_index.md"), "+++\ntitel = \"T\"\n+++\n").unwrap();
    let server = start(&site);
    let (status, page) = get(server.port, "/");
    assert_eq!(status, 404);
    assert!(
        page.contains("briefing-error") && page.contains("unknown field `titel`"),
        "{page}"
    );
    fs::write(
        site.join("content/_index.md"),
        "+++\ntitle = \"T\"\n+++\nFixed.\n",
    )
    .unwrap();
    eventually("the fixed site", || {
        get(server.port, "/").1.contains("Fixed.")
    });
}

#[test]
fn regression_a_static_file_swapped_for_a_link_to_etc_passwd_was_served() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, _trade, _) = serve_example(tmp.path(), false);
    let site = tmp.path().join("site");
    let (status, body) = get(server.port, "/favicon.svg");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<svg"));
    let secret = tmp.path().join("passwd");
    fs::write(&secret, "root:x:0:0:secret").unwrap();
    fs::remove_file(site.join("static/favicon.svg")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("static/favicon.svg")).unwrap();
    let line = server.expect_log("rebuild failed");
    assert!(line.contains("serving the last good site"), "{line}");
    // The last good site is served from memory: the old icon, never the link.
    let (status, body) = get(server.port, "/favicon.svg");
    assert_eq!(status, 200);
    assert!(!body.contains("secret"), "{body}");
    assert!(body.contains("<svg"));
}

fn get_with(port: u16, path: &str, headers: &str) -> (u16, String) {
    request(
        port,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n"
        ),
    )
}

#[test]
fn regression_deleting_and_restoring_content_left_serve_deaf() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, trade, text) = serve_example(tmp.path(), false);
    let site = tmp.path().join("site");
    for folder in ["content", "templates", "static"] {
        server.settle();
        let aside = tmp.path().join(format!("{folder}.bak"));
        fs::rename(site.join(folder), &aside).unwrap();
        if folder == "content" {
            // Something needed is missing: the error over the last good site.
            server.expect_log("rebuild failed");
            eventually("the overlay", || {
                get(server.port, "/trade/index.html")
                    .1
                    .contains("briefing-error")
            });
        }
        fs::rename(&aside, site.join(folder)).unwrap();
        server.expect_log("rebuilt in");
        // Watching resumed inside the restored folder.
        let title = format!("Trade after {folder} came back");
        fs::write(
            &trade,
            text.replacen("title = \"Trade\"", &format!("title = \"{title}\""), 1),
        )
        .unwrap();
        eventually("the edit after the restore", || {
            let (_, body) = get(server.port, "/trade/index.html");
            body.contains(&title) && !body.contains("briefing-error")
        });
        server.settle();
        if folder != "content" {
            let page = site.join(format!("{folder}/touched.txt"));
            fs::write(&page, "x").unwrap();
            server.expect_log("rebuilt in");
            fs::remove_file(page).unwrap();
            server.expect_log("rebuilt in");
        }
    }
}

#[test]
fn hosts_on_every_address_origins_and_redirects_stay_on_this_server() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start_in(
        &site,
        &["--bind", "0.0.0.0", "--allow-host", "laptop.local"],
    );
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("laptop.local:{port}"),
    ] {
        let (status, _) = request(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 200, "{host}");
    }
    let (status, _) = request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: rebind.example:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 421);
    // The event stream: pages of this server only.
    let (status, _) = get_with(
        port,
        "/__briefing/events",
        "Origin: https://evil.example\r\n",
    );
    assert_eq!(status, 403);
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(
        format!(
            "GET /__briefing/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let mut first = [0u8; 12];
    s.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    // `//trade` used to redirect to `//trade/`: another host.
    for path in ["//trade", "///trade", "/trade"] {
        let (status, text) = get(port, path);
        assert_eq!(status, 308, "{path}");
        assert!(text.contains("\r\nlocation: /trade/\r\n"), "{path}: {text}");
    }
}

#[test]
fn an_idle_connection_is_closed_and_a_flood_of_them_does_not_deafen_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start(&site);
    let port = server.port;
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // Others are still served during the flood.
    let (status, _) = get(port, "/");
    assert_eq!(status, 200);
    // Half a request line, then silence: closed after the header timeout.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(12)))
        .unwrap();
    let start = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "closed by the server"
    );
    drop(idle);
}

#[test]
fn regression_held_event_streams_made_serve_refuse_every_new_connection() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    common::in_one_language(&site);
    // 400 files: 144 connections, 72 of them for event streams.
    let server = start_with_file_limit(&site, 400);
    let port = server.port;
    let streams: Vec<TcpStream> = (0..120).map(|_| listen_on(port, "/")).collect();
    std::thread::sleep(Duration::from_millis(800));
    let (mut held, mut refused) = (Vec::new(), 0);
    for mut events in streams {
        let seen = what_arrives(&mut events, Duration::from_millis(30));
        assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
        if seen.contains("retry: 5000") {
            refused += 1;
        } else {
            held.push(events);
        }
    }
    assert_eq!(held.len(), 72, "streams get half the connections");
    assert_eq!(refused, 48, "the rest are told to come back in 5 s");
    // Pages are still served, many at once, while the streams are held.
    let pages: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let (status, _) = get(port, "/trade/");
    assert_eq!(status, 200);
    drop(pages);
    // A closed stream makes room for another.
    drop(held.pop());
    eventually("room for a new stream", || {
        let seen = what_arrives(&mut listen_on(port, "/"), Duration::from_millis(300));
        seen.starts_with("HTTP/1.1 200") && !seen.contains("retry:")
    });
}

/// What arrives on `stream` until it is quiet for `quiet` or closed.
fn what_arrives(stream: &mut TcpStream, quiet: Duration) -> String {
    stream.set_read_timeout(Some(quiet)).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n @ 1..) = stream.read(&mut buf) {
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[test]
fn regression_the_404_page_at_a_nested_url_loaded_unstyled() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let server = start(&site);
    let (status, text) = get(server.port, "/trade/nope/deeper");
    assert_eq!(status, 404);
    // Written for the root, served at any depth: resolved from the root.
    assert!(text.contains("<head><base href=\"/\">"), "{text}");
    // Without a base URL the page holds its stylesheet, so that static
    // hosts serving it at any depth show it styled too; links go to the root.
    assert!(
        text.contains("<style>") && text.contains(".site-header"),
        "{text}"
    );
    assert!(!text.contains("rel=\"stylesheet\""), "{text}");
    assert!(text.contains("href=\"/\""), "{text}");
}

/// A PDF edition is typeset when it is asked for, and again after a save
/// only when it is asked for again: with the saved text.
#[test]
fn the_pdf_is_typeset_on_request_with_the_last_save() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, trade, text) = serve_example(tmp.path(), false);
    let port = server.port;
    let (status, response) = get(port, "/briefing.pdf");
    assert_eq!(status, 200, "{response:.300}");
    assert!(
        response.contains("content-type: application/pdf"),
        "{response:.300}"
    );
    assert!(response.contains("%PDF-"), "{response:.300}");
    let (status, _) = get(port, "/nope/briefing.pdf");
    assert_eq!(status, 404);

    fs::write(
        &trade,
        text.replace("## Trade turnover", "## Trade turnover, saved since"),
    )
    .unwrap();
    eventually("the edit is served", || {
        get(port, "/trade/")
            .1
            .contains("Trade turnover, saved since")
    });
    let (status, response) = get(port, "/briefing.pdf");
    assert_eq!(status, 200);
    let body = response.split_once("\r\n\r\n").unwrap().1;
    // The PDF's text is compressed: read it back with poppler.
    let raw = {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(
            format!(
                "GET /briefing.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        out.split_off(at)
    };
    assert!(!body.is_empty());
    let file = tmp.path().join("served.pdf");
    fs::write(&file, raw).unwrap();
    let text = common::pdf::Pdf::open(&file).text();
    assert!(
        text.contains("Trade turnover, saved since"),
        "the PDF was not typeset again from the save"
    );
}

/// Opens the event stream of the reload script on the page at `page`.
fn listen_on(port: u16, page: &str) -> TcpStream {
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request =
        format!("GET /__briefing/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    events.write_all(request.as_bytes()).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    events
}

/// How many reload events arrive on `events` within `wait`.
fn reloads_within(events: &mut TcpStream, wait: Duration) -> usize {
    events.set_read_timeout(Some(wait)).unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = events.read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen.matches("data: reload").count()
}

#[test]
fn a_template_edit_renders_the_open_page_first_reloads_it_once_and_serves_nothing_stale() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, _, _) = serve_example(tmp.path(), false);
    let port = server.port;
    let site = tmp.path().join("site");
    let mut trade = listen_on(port, "/trade/");
    let mut home = listen_on(port, "/");
    std::thread::sleep(Duration::from_millis(200));
    server.settle();

    let footer = site.join("templates/partials/footer.html");
    let text = fs::read_to_string(&footer).unwrap();
    fs::write(&footer, format!("{text}<!-- edited footer -->\n")).unwrap();
    // The two open pages first, then every other file.
    let line = server.expect_log("rebuilt");
    assert!(line.starts_with("rebuilt 2 pages in "), "{line}");
    let line = server.expect_log("rendered the rest");
    assert!(line.starts_with("rendered the rest ("), "{line}");
    // Each open page is told to reload once, not again when the rest is done.
    assert_eq!(reloads_within(&mut trade, Duration::from_millis(700)), 1);
    assert_eq!(reloads_within(&mut home, Duration::from_millis(100)), 1);
    for page in ["/trade/", "/", "/sources/", "/energy/", "/transport/"] {
        let (_, body) = get(port, page);
        assert!(body.contains("<!-- edited footer -->"), "{page} is stale");
    }
}
