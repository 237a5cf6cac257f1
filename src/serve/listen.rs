//! Accepting connections for `briefing serve`, with limits.
//!
//! axum's own loop waits for a client's request line forever, so a few
//! thousand idle connections (or one slow client per file descriptor)
//! would make the preview deaf. Here each connection must send its request
//! headers within [`HEADER_TIMEOUT`] (also between requests on a kept-alive
//! connection), and at most [`max_connections`] are open at once; one more
//! is closed at once rather than queued, so that nothing hangs. Event
//! streams, which stay open while a page is, may take only half of them
//! ([`max_event_streams`]); the next one is answered 503 with `Retry-After`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `router` on `listener` until `shutdown` completes.
/// At most `connections` are open at once.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    connections: usize,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(connections));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or the client gave up: breathe.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(64 * 1024);
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            drop(slot);
        });
    }
}

/// As many connections as the process may open files, less a margin for
/// the sources and the watcher, after raising the soft limit to the hard one.
pub fn max_connections() -> usize {
    let limit = raise_file_limit().unwrap_or(1024);
    (limit.saturating_sub(256) as usize).clamp(64, 16_384)
}

/// How many of `connections` event streams may hold: half, so that page
/// requests always find room however many streams are held open.
pub fn max_event_streams(connections: usize) -> usize {
    (connections / 2).max(1)
}

#[cfg(unix)]
fn raise_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        let wanted = limit.rlim_max.min(65_536);
        if wanted > limit.rlim_cur {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = wanted;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    Some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn raise_file_limit() -> Option<u64> {
    None
}
