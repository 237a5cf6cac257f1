//! briefing: a static site generator for data-heavy policy briefings.
//!
//! A build is a pipeline of stages, each a module with one free function that
//! takes the previous stage's value:
//!
//! [`load`] → [`parse`] → [`model`] → [`check`] → [`render`] → [`write`]
//!
//! Data flows one way; nothing after `model` changes the [`model::Site`].
//! `write` is the only stage that touches the output folder, and every user
//! mistake on the way is a located [`diagnostic::Diagnostic`].

pub mod check;
pub mod diagnostic;
pub mod eject;
pub mod error;
pub mod figures;
pub mod frontmatter;
pub mod incremental;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outputs;
pub mod parse;
pub mod render;
pub mod sandbox;
pub mod serve;
pub mod shortcode;
pub mod template_hints;
pub mod theme;
pub mod urls;
pub mod views;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostic::{Diagnostic, Diagnostics};
pub use error::Error;

/// Resolved options of `briefing build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/`).
    pub root: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// Overrides the home page's `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// Sections rendered, the home page included.
    pub sections: usize,
    /// What was written.
    pub written: write::Written,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Loads, parses and models the site, and runs the checks: everything a build
/// does before rendering. Returns the site and its warnings.
pub fn prepare(
    root: &Path,
    options: &model::ModelOptions,
) -> Result<(model::Site, Vec<Diagnostic>), Error> {
    let parsed = parse::parse(load::load(root)?)?;
    prepare_parsed(parsed, options)
}

/// [`prepare`] from a site already loaded and parsed.
pub fn prepare_parsed(
    parsed: parse::Parsed,
    options: &model::ModelOptions,
) -> Result<(model::Site, Vec<Diagnostic>), Error> {
    let site = model::build(parsed, options)?;
    let findings = check::check(&site);
    diagnostic::finish(site, findings).map_err(Error::Input)
}

/// Builds the site at `options.root` into `options.output`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    write::check_output_folder(&options.root, &options.output)?;
    let model_options = model::ModelOptions {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
    };
    let (site, warnings) = prepare(&options.root, &model_options)?;
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(Diagnostics(warnings).sorted()));
    }
    let templates = render::compile(&site).map_err(Error::Input)?;
    let written = write::write_with(&options.output, |emit| {
        render_checked(&site, &templates, emit)
    })?;
    let (pages, sections) = (site.pages.len(), site.sections.len());
    // Freeing a large site (every page's HTML, 10 ms at 10,000 pages) is
    // left to another thread: the caller does not wait for it, and a process
    // that exits right after does not pay for it at all.
    std::thread::spawn(move || drop((site, templates)));
    Ok(BuildReport {
        pages,
        sections,
        written,
        warnings,
        elapsed: start.elapsed(),
    })
}

/// Renders every file into `emit`, and fails (so that nothing is swapped
/// into place) if a Markdown link's `#fragment` names no element of the
/// page it points at: only those pages are scanned for ids, as they pass.
fn render_checked(
    site: &model::Site,
    templates: &render::Templates,
    emit: &render::Emit<'_>,
) -> Result<(), Error> {
    let in_templates = templates.anchors(site);
    let anchors: Vec<&markdown::Anchor> = site
        .entries()
        .flat_map(|e| &e.anchors)
        .chain(&in_templates)
        .collect();
    let wanted: std::collections::HashSet<&str> = anchors.iter().map(|a| a.page.as_str()).collect();
    let ids = std::sync::Mutex::new(std::collections::HashMap::new());
    let scanning = |f: render::OutputFile| {
        if let render::Contents::Text(html) = &f.contents
            && wanted.contains(f.path.as_str())
        {
            let found = links::ids_of(html);
            ids.lock()
                .expect("no panics while holding the lock")
                .insert(f.path.clone(), found);
        }
        emit(f)
    };
    templates.render_each(site, &scanning)?;
    let ids = ids.into_inner().expect("no panics while holding the lock");
    let broken = links::check_anchors(&anchors, &ids);
    if broken.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics(broken).sorted()))
    }
}

/// Resolved options of `briefing check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site root.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// List the external URLs with the pages that use them.
    pub external: bool,
}

/// What `briefing check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// The relations between figures, checked or computed.
    pub summary: String,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Pages rendered (in memory).
    pub pages: usize,
    /// Internal links and anchors checked.
    pub links: usize,
    /// External URLs with the pages that use them (with `external`).
    pub external: std::collections::BTreeMap<String, Vec<String>>,
}

/// Runs every check of a build — input, data, templates — without writing
/// anything.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Error> {
    let model_options = model::ModelOptions {
        drafts: options.drafts,
        base_url: None,
    };
    let (site, mut warnings) = prepare(&options.root, &model_options)?;
    let templates = render::compile(&site).map_err(Error::Input)?;
    let output = templates.render(&site)?;
    let in_templates = templates.anchors(&site);
    let anchors: Vec<&markdown::Anchor> = site
        .entries()
        .flat_map(|e| &e.anchors)
        .chain(&in_templates)
        .collect();
    let ids: std::collections::HashMap<String, std::collections::HashSet<String>> = output
        .files
        .iter()
        .filter(|f| anchors.iter().any(|a| a.page == f.path))
        .filter_map(|f| match &f.contents {
            render::Contents::Text(html) => Some((f.path.clone(), links::ids_of(html))),
            _ => None,
        })
        .collect();
    let broken = links::check_anchors(&anchors, &ids);
    let links = links::check(&output, &site, &in_templates);
    let (mut errors, link_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = links
        .diagnostics
        .into_iter()
        .partition(Diagnostic::is_error);
    errors.extend(broken);
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors).sorted()));
    }
    warnings.extend(link_warnings);
    let summary = check::report(&site);
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(Diagnostics(warnings).sorted()));
    }
    Ok(CheckReport {
        summary,
        warnings: Diagnostics(warnings).sorted().0,
        pages: site.pages.len() + site.sections.len(),
        links: links.checked,
        external: if options.external {
            links.external
        } else {
            Default::default()
        },
    })
}

/// Draws chart `id` of the briefing at `root` as a standalone SVG file
/// (`briefing chart`), after the same checks as a build.
pub fn chart_svg(root: &Path, id: &str) -> Result<String, Error> {
    let (site, _) = prepare(root, &model::ModelOptions::default())?;
    let book = &site.figures;
    match book.charts.iter().find(|c| c.id == id) {
        Some(chart) => Ok(figures::chart::standalone(book, chart)),
        None => {
            let ids: Vec<&str> = book.charts.iter().map(|c| c.id.as_str()).collect();
            let mut d = Diagnostic::error(format!("no chart `{id}` in `content/data.toml`"))
                .expected("the id of a `[charts.ID]` table");
            d = match (diagnostic::closest(id, ids.iter().copied()), ids.is_empty()) {
                (Some(c), _) => d.hint(format!("did you mean `{c}`?")),
                (None, true) => d.hint("the data file has no charts; add one under `[charts.ID]`"),
                (None, false) => d.hint(format!("the charts are: {}", ids.join(", "))),
            };
            Err(Error::Input(Diagnostics(vec![d])))
        }
    }
}
