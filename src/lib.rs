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

pub mod bodies;
pub mod check;
pub mod diagnostic;
pub mod drift;
pub mod editions;
pub mod eject;
pub mod error;
pub mod figures;
pub mod frontmatter;
pub mod huge_pages;
pub mod incremental;
pub mod init;
pub mod line_index;
pub mod links;
pub mod load;
pub mod machine;
pub mod markdown;
pub mod model;
pub mod nesting;
pub mod numbering;
pub mod outputs;
pub mod parse;
pub mod pdf;
pub mod render;
pub mod sandbox;
pub mod script;
pub mod serve;
pub mod shortcode;
pub mod template_hints;
pub mod theme;
pub mod toc;
pub mod urls;
pub mod views;
pub mod well_formed;
pub mod words;
pub mod write;

/// The most pages one core takes at a time in the stages that go over every
/// page. Left to itself rayon cut 10,000 pages into a few large shares, and
/// at the end of each stage one core sat idle while the other finished its
/// share (12 ms at the end of the writes, `perf` samples per 5 ms); with
/// shares this small the last one takes well under a millisecond.
pub const MAX_PAGES_PER_SHARE: usize = 16;

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
    /// Write the PDF edition (unless the briefing turns it off).
    pub pdf: bool,
    /// Spill rendered bodies to a temporary file when the Markdown sources
    /// are larger than this in all, in bytes ([`bodies::spill_threshold`]);
    /// see [`bodies`].
    pub spill_above: usize,
    /// Also report the relations between the figures (what `check` prints).
    pub verbose: bool,
    /// Replace an output folder that briefing did not create, deleting what
    /// it holds (`--delete-existing-output`).
    pub delete_existing_output: bool,
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
    /// The relations between the figures of the briefing's own edition,
    /// with `verbose`.
    pub relations: Option<String>,
}

/// Loads, parses and models the site, and runs the checks: everything a build
/// does before rendering. Returns the site and its warnings.
pub fn prepare(
    root: &Path,
    options: &model::ModelOptions,
) -> Result<(model::Site, Vec<Diagnostic>), Error> {
    let (sites, warnings) = prepare_editions(root, options)?;
    // The briefing's own language comes first, and always exists.
    let site = sites.into_iter().next().ok_or_else(|| {
        Error::Input(Diagnostics(vec![Diagnostic::error(
            "no-pages",
            "the briefing has no pages",
        )]))
    })?;
    Ok((site, warnings))
}

/// Loads and parses the briefing, and models and checks each of its
/// editions (one per language, the briefing's own first).
pub fn prepare_editions(
    root: &Path,
    options: &model::ModelOptions,
) -> Result<(Vec<model::Site>, Vec<Diagnostic>), Error> {
    prepare_parsed_editions(load_and_parse(root, options)?, options)
}

/// Loads and parses the briefing at `root`, holding its texts up to
/// `options.spill_above`.
fn load_and_parse(root: &Path, options: &model::ModelOptions) -> Result<parse::Parsed, Error> {
    let hold = options.spill_above.unwrap_or(usize::MAX);
    parse::parse_holding(load::load(root)?, hold)
}

/// [`prepare_editions`] from a briefing already loaded and parsed.
pub fn prepare_parsed_editions(
    parsed: parse::Parsed,
    options: &model::ModelOptions,
) -> Result<(Vec<model::Site>, Vec<Diagnostic>), Error> {
    let (sites, warnings) = prepare_parsed_editions_with(parsed, options, |_| ())?;
    Ok((sites.into_iter().map(|(site, ())| site).collect(), warnings))
}

/// Each edition with what was done beside its check, and the warnings.
type Prepared<T> = (Vec<(model::Site, T)>, Vec<Diagnostic>);

/// [`prepare_parsed_editions`], doing `beside` for each edition while it is
/// checked, on another core (a build compiles its templates there: both
/// only read the site, and each took a few percent of a large build's time
/// with one core idle).
fn prepare_parsed_editions_with<T: Send>(
    parsed: parse::Parsed,
    options: &model::ModelOptions,
    beside: impl Fn(&model::Site) -> T + Sync,
) -> Result<Prepared<T>, Error> {
    let sites = editions::build(parsed, options)?;
    let (mut kept, mut extras) = (Vec::with_capacity(sites.len()), Vec::new());
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for site in sites {
        let (findings, extra) = rayon::join(|| check::check(&site), || beside(&site));
        match diagnostic::finish(site, findings) {
            Ok((site, w)) => {
                warnings.extend(w);
                kept.push(site);
                extras.push(extra);
            }
            Err(ds) => errors.extend(ds.0),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors).sorted()));
    }
    warnings.extend(drift::check(&kept));
    warnings.dedup_by(|a, b| a.message == b.message && a.location == b.location);
    Ok((kept.into_iter().zip(extras).collect(), warnings))
}

/// Builds the site at `options.root` into `options.output`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    write::check_output_folder(
        &options.root,
        &options.output,
        options.delete_existing_output,
    )?;
    let model_options = model::ModelOptions {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
        edition: None,
        spill_above: Some(options.spill_above),
    };
    let parsed = load_and_parse(&options.root, &model_options)?;
    let (checked, warnings) =
        prepare_parsed_editions_with(parsed, &model_options, render::compile)?;
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(Diagnostics(warnings).sorted()));
    }
    let mut sites = Vec::with_capacity(checked.len());
    let mut templates = Vec::with_capacity(checked.len());
    for (site, compiled) in checked {
        templates.push(compiled.map_err(Error::Input)?);
        sites.push(site);
    }
    let mut pdf_warnings = Vec::new();
    let written = write::write_with(&options.output, |emit| {
        let mut rendered = Vec::with_capacity(sites.len());
        for (site, t) in sites.iter().zip(&templates) {
            let wants_pdf = options.pdf && site.meta.pdf.is_some();
            rendered.push(render_checked(site, t, emit, wants_pdf)?);
        }
        pdf_warnings = write_pdfs(&sites, rendered, emit)?;
        match options.strict && !pdf_warnings.is_empty() {
            true => Err(Error::Strict(Diagnostics(pdf_warnings.clone()).sorted())),
            false => Ok(()),
        }
    })?;
    let mut warnings = warnings;
    warnings.extend(pdf_warnings);
    let pages = sites.iter().map(|s| s.pages.len()).sum();
    let sections = sites.iter().map(|s| s.sections.len()).sum();
    let relations = options
        .verbose
        .then(|| sites.first().map(check::report))
        .flatten();
    // Freeing a large site (every page's HTML, 10 ms at 10,000 pages) is
    // left to another thread: the caller does not wait for it, and a process
    // that exits right after does not pay for it at all.
    std::thread::spawn(move || drop((sites, templates)));
    Ok(BuildReport {
        pages,
        sections,
        written,
        warnings,
        elapsed: start.elapsed(),
        relations,
    })
}

/// The pages of one edition as rendered, by output path, for its PDF.
type RenderedPages = std::collections::HashMap<String, String>;

/// Typesets each language's PDF edition from its rendered pages, in
/// parallel, and hands the files to `emit`; the first failure stops the
/// build, so that nothing is swapped into place. Returns the warnings
/// about charts and tables that can't fit a page.
fn write_pdfs(
    sites: &[model::Site],
    rendered: Vec<Option<RenderedPages>>,
    emit: &render::Emit<'_>,
) -> Result<Vec<Diagnostic>, Error> {
    use rayon::prelude::*;
    let warnings: Vec<Vec<Diagnostic>> = sites
        .par_iter()
        .zip(rendered)
        .map(|(site, pages)| {
            let (Some(pages), Some(pdf)) = (pages, &site.meta.pdf) else {
                return Ok(Vec::new());
            };
            let typeset =
                pdf::typeset(site, &pages, &source_reader(&site.root)).map_err(Error::Input)?;
            emit(render::OutputFile {
                path: pdf.path.clone(),
                contents: render::Contents::Bytes(typeset.bytes.into()),
            })?;
            Ok(typeset.warnings)
        })
        .collect::<Result<_, Error>>()?;
    // A chart shown in every language is reported once.
    Ok(Diagnostics(warnings.into_iter().flatten().collect())
        .sorted()
        .0)
}

/// Renders every file into `emit`, and fails (so that nothing is swapped
/// into place) if a Markdown link's `#fragment` names no element of the
/// page it points at: only those pages are scanned for ids, as they pass.
/// With `keep_pages`, also returns the rendered pages, for the PDF.
fn render_checked(
    site: &model::Site,
    templates: &render::Templates,
    emit: &render::Emit<'_>,
    keep_pages: bool,
) -> Result<Option<RenderedPages>, Error> {
    let in_templates = templates.anchors(site);
    let anchors: Vec<&markdown::Anchor> = site
        .entries()
        .flat_map(|e| &e.anchors)
        .chain(&in_templates)
        .collect();
    let wanted: std::collections::HashSet<&str> = anchors.iter().map(|a| a.page.as_str()).collect();
    let ids = std::sync::Mutex::new(std::collections::HashMap::new());
    let entries: std::collections::HashSet<String> = if keep_pages {
        site.entries().map(|e| e.output()).collect()
    } else {
        Default::default()
    };
    let pages = std::sync::Mutex::new(RenderedPages::new());
    let scanning = |f: render::OutputFile| {
        if let render::Contents::Text(html) = &f.contents {
            if wanted.contains(f.path.as_str()) {
                let found = links::ids_of(html);
                ids.lock()
                    .expect("no panics while holding the lock")
                    .insert(f.path.clone(), found);
            }
            if entries.contains(&f.path) {
                pages
                    .lock()
                    .expect("no panics while holding the lock")
                    .insert(f.path.clone(), html.clone());
            }
        }
        emit(f)
    };
    templates.render_each(site, &scanning)?;
    let ids = ids.into_inner().expect("no panics while holding the lock");
    let broken = links::check_anchors(&anchors, &ids);
    if broken.is_empty() {
        let pages = pages
            .into_inner()
            .expect("no panics while holding the lock");
        Ok(keep_pages.then_some(pages))
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
        ..Default::default()
    };
    let (sites, mut warnings) = prepare_editions(&options.root, &model_options)?;
    let mut outputs = Vec::with_capacity(sites.len());
    for site in &sites {
        let templates = render::compile(site).map_err(Error::Input)?;
        let output = templates.render(site)?;
        let in_templates = templates.anchors(site);
        outputs.push((output, in_templates));
    }
    let every: Vec<std::collections::HashSet<String>> = outputs
        .iter()
        .map(|(o, _)| o.files.iter().map(|f| f.path.clone()).collect())
        .collect();
    let mut errors = Vec::new();
    let mut checked = 0;
    let mut external = std::collections::BTreeMap::new();
    for (i, (site, (output, in_templates))) in sites.iter().zip(&outputs).enumerate() {
        // The PDF editions are typeset by builds only; links to them are
        // links to files a build writes.
        let elsewhere: std::collections::HashSet<String> = every
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, f)| f.iter().cloned())
            .chain(
                sites
                    .iter()
                    .filter_map(|s| Some(s.meta.pdf.as_ref()?.path.clone())),
            )
            .collect();
        let (broken, links) = check_links(site, output, in_templates, &elsewhere);
        errors.extend(broken);
        let (link_errors, link_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = links
            .diagnostics
            .into_iter()
            .partition(Diagnostic::is_error);
        errors.extend(link_errors);
        warnings.extend(link_warnings);
        checked += links.checked;
        for (url, pages) in links.external {
            external.entry(url).or_insert_with(Vec::new).extend(pages);
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors).sorted()));
    }
    let summary = check::report(&sites[0]);
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(Diagnostics(warnings).sorted()));
    }
    Ok(CheckReport {
        summary,
        warnings: Diagnostics(warnings).sorted().0,
        pages: sites.iter().map(|s| s.pages.len() + s.sections.len()).sum(),
        links: checked,
        external: if options.external {
            external
        } else {
            Default::default()
        },
    })
}

/// The broken anchors and the link report of one edition's rendered pages.
fn check_links(
    site: &model::Site,
    output: &render::Output,
    in_templates: &[markdown::Anchor],
    elsewhere: &std::collections::HashSet<String>,
) -> (Vec<Diagnostic>, links::Report) {
    let anchors: Vec<&markdown::Anchor> = site
        .entries()
        .flat_map(|e| &e.anchors)
        .chain(in_templates)
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
    (broken, links::check(output, site, in_templates, elsewhere))
}

/// Typesets the PDF edition of the briefing at `root` alone (`briefing
/// pdf`), in its own language or in `language`, after the same checks as a
/// build, and writes it to `output` (by default `briefing.pdf`, or
/// `briefing.LANG.pdf` for a translation) in one step: a failure leaves any
/// earlier file as it was. Returns the path and what was written.
pub fn pdf_file(
    root: &Path,
    output: Option<PathBuf>,
    language: Option<&str>,
    drafts: bool,
) -> Result<(PathBuf, TypesetPdf), Error> {
    let options = model::ModelOptions {
        drafts,
        ..Default::default()
    };
    let typeset = pdf_bytes(root, &options, language)?;
    let path = output.unwrap_or_else(|| match &typeset.edition {
        Some(l) => PathBuf::from(format!("briefing.{l}.pdf")),
        None => PathBuf::from(model::PDF_FILE),
    });
    write::write_file(&path, &typeset.bytes)?;
    Ok((path, typeset))
}

/// Reads one of the briefing's files again, through its sandbox, to
/// locate a mistake found after loading (a character no font has).
fn source_reader(root: &Path) -> impl Fn(&str) -> Option<std::sync::Arc<str>> + '_ {
    move |path| {
        let sandbox = sandbox::Sandbox::open(root).ok()?;
        Some(load::reread(&sandbox, path).ok()?.text)
    }
}

/// A PDF edition typeset on its own (`briefing pdf`, and `serve` when it
/// is asked for).
#[derive(Debug)]
pub struct TypesetPdf {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Charts and tables that can't fit a page.
    pub warnings: Vec<Diagnostic>,
    /// The language of a translated edition; `None` for the briefing's own.
    pub edition: Option<String>,
    /// Where a build writes it, unless the briefing turned it off.
    pub planned: Option<String>,
}

/// Loads, checks and renders the briefing at `root` in memory, and
/// typesets the PDF edition of its own language or of `language`.
pub fn pdf_bytes(
    root: &Path,
    options: &model::ModelOptions,
    language: Option<&str>,
) -> Result<TypesetPdf, Error> {
    let (sites, _) = prepare_editions(root, options)?;
    let known: Vec<&str> = sites.iter().map(|s| s.meta.language.as_str()).collect();
    let site = match language {
        None => sites.first(),
        Some(l) => sites.iter().find(|s| s.meta.language == l),
    };
    let Some(site) = site else {
        let wanted = language.unwrap_or_default();
        return Err(Error::Input(Diagnostics(vec![
            Diagnostic::error("unknown-edition", format!("the briefing has no `{wanted}` edition"))
                .at(diagnostic::Location::at("content/_index.md", 1, 1))
                .expected(format!("one of its languages: {}", known.join(", ")))
                .hint("add the language to `languages = [...]` in `content/_index.md` and translate the pages"),
        ])));
    };
    let templates = render::compile(site).map_err(Error::Input)?;
    let entries: std::collections::HashSet<String> = site.entries().map(|e| e.output()).collect();
    let pages: RenderedPages = render::collect(|emit| templates.render_each(site, emit))?
        .into_iter()
        .filter(|f| entries.contains(&f.path))
        .filter_map(|f| match f.contents {
            render::Contents::Text(html) => Some((f.path, html)),
            _ => None,
        })
        .collect();
    let typeset = pdf::typeset(site, &pages, &source_reader(&site.root)).map_err(Error::Input)?;
    Ok(TypesetPdf {
        bytes: typeset.bytes,
        warnings: typeset.warnings,
        edition: site.edition.clone(),
        planned: site.meta.pdf.as_ref().map(|p| p.path.clone()),
    })
}

/// Draws chart `id` of the briefing at `root` as a standalone SVG file
/// (`briefing chart`), after the same checks as a build.
pub fn chart_svg(root: &Path, id: &str) -> Result<String, Error> {
    let (site, _) = prepare(root, &model::ModelOptions::default())?;
    let book = &site.figures;
    match book.charts.iter().find(|c| c.id == id) {
        Some(chart) => Ok(well_formed::well_formed(figures::chart::standalone(
            book, chart,
        ))),
        None => {
            let ids: Vec<&str> = book.charts.iter().map(|c| c.id.as_str()).collect();
            let mut d = Diagnostic::error(
                "unknown-chart",
                format!("no chart `{id}` in `content/data.toml`"),
            )
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
