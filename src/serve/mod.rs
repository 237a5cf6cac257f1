//! `briefing serve`: build in memory, serve on loopback, rebuild on save and
//! reload open pages.
//!
//! The site is served from memory (the same files `write` would put on disk),
//! so serving can never reach a file outside the build, and nothing on disk is
//! touched. A save of a page's body re-renders only what shows it (see
//! [`crate::incremental`]); anything else rebuilds the whole site. A failed
//! rebuild keeps serving the last good site with the error laid over every
//! page; a failed first build still starts the server. The parts: what is
//! served ([`snapshot`]), watching and rebuilding ([`watch`]), answering
//! requests ([`http`]) and accepting connections ([`listen`]). The reload
//! script is injected into pages only here, never into a build.

mod http;
mod listen;
mod snapshot;
mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::routing::get;

use crate::error::Error;
use crate::model::ModelOptions;
pub use http::request_path;
use snapshot::{Snapshot, next, rebuild};

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
    /// More host names the server answers to (`--allow-host`), for a
    /// preview reached by a name on the local network.
    pub allow_hosts: Vec<String>,
}

/// Runs the server until interrupted.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::io("cannot start the server runtime", &options.root))?;
    runtime.block_on(run(options.clone()))
}

async fn run(mut options: ServeOptions) -> Result<(), Error> {
    let started = Instant::now();
    // The watcher reports absolute paths; a relative root (`.`) would match
    // none of them.
    if let Ok(absolute) = std::fs::canonicalize(&options.root) {
        options.root = absolute;
    }
    // Watch before the first build, so that no save is missed.
    let (debouncer, changes) = watch::watcher(&options.root)?;
    let model_options = ModelOptions {
        drafts: options.drafts,
        ..ModelOptions::default()
    };
    let mut live = None;
    let first = next(
        &Snapshot::default(),
        rebuild(
            &mut live,
            &options.root,
            &model_options,
            &BTreeSet::new(),
            &[],
        ),
    )
    .unwrap_or_default();
    if let Some(error) = &first.error {
        eprint!("{error}\n\n");
    }
    let (tx, rx) = tokio::sync::watch::channel(Arc::new(first));
    let where_ = format!("{}:{}", options.bind, options.port);
    let listener = tokio::net::TcpListener::bind((options.bind, options.port))
        .await
        .map_err(Error::io("cannot listen on", &where_))?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(Error::io("cannot listen on", &where_))?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines",
            options.bind
        );
    }
    let hosts = http::Hosts::new(addr, &options.allow_hosts);
    let url = hosts.url();
    eprintln!(
        "serving {url} (built in {} ms); watching content/, templates/ and static/",
        started.elapsed().as_millis()
    );
    let pdf_source = Arc::new((options.root.clone(), model_options.clone()));
    let open = Arc::new(http::OpenPages::default());
    watch::rebuild_on_change(
        options.root.clone(),
        model_options,
        live,
        debouncer,
        changes,
        tx,
        Arc::clone(&open),
    );
    if options.open
        && let Err(e) = opener::open_browser(&url)
    {
        eprintln!("warning: cannot open a browser: {e}");
    }
    let connections = listen::max_connections();
    let app = http::App {
        snapshot: rx,
        hosts: Arc::new(hosts),
        pdf_source,
        open,
        streams: Arc::new(tokio::sync::Semaphore::new(listen::max_event_streams(
            connections,
        ))),
    };
    let router = Router::new()
        .route(http::EVENTS, get(http::events))
        .fallback(http::file)
        .with_state(app);
    listen::serve(listener, router, connections, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}
