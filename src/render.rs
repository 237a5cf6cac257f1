//! Stage 5, render: turn the [`Site`] into the list of output files, in memory.
//!
//! Templates (the built-in theme, overridden file by file by the site's own
//! `templates/`) are compiled once; every page and section is then rendered in
//! parallel with a context of borrowed views. Nothing is written here: each
//! file is handed to the caller as it is ready (the write stage's staging
//! folder), or collected into an [`Output`] in memory for `check`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::Error;
use crate::model::{Entry, Site};
use crate::outputs::{Download, Origin};
use crate::theme;
use crate::urls;
use crate::views::{self, ConfigView, EntryLink, Here, PageView, SectionView, TableView};

/// What one output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Rendered text.
    Text(String),
    /// A file of the built-in theme.
    Static(&'static [u8]),
    /// A file copied from the site, read only through its sandbox.
    Copy(crate::sandbox::SourceFileRef),
    /// A file of the site read into memory (what `serve` serves).
    Bytes(Arc<[u8]>),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// Its contents.
    pub contents: Contents,
}

/// Where rendered files go: the write stage's staging folder, or memory.
pub type Emit<'a> = dyn Fn(OutputFile) -> Result<(), Error> + Sync + 'a;

/// The files a renderer emits (from any thread), gathered in memory.
pub fn collect(
    render: impl FnOnce(&Emit<'_>) -> Result<(), Error>,
) -> Result<Vec<OutputFile>, Error> {
    let files = std::sync::Mutex::new(Vec::new());
    render(&|f| {
        files
            .lock()
            .expect("no panics while holding the lock")
            .push(f);
        Ok(())
    })?;
    Ok(files
        .into_inner()
        .expect("no panics while holding the lock"))
}

/// A failure to store a rendered file, reported like the other findings.
fn io_failure(e: Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error("write-failed", message)
}

/// The whole built site, sorted by path.
#[derive(Debug, Default)]
pub struct Output {
    /// The files.
    pub files: Vec<OutputFile>,
}

/// A template's source, for locating its errors.
struct TemplateSource {
    /// What the user knows it as: `templates/page.html` or `(built-in theme) page.html`.
    shown: String,
    text: Arc<str>,
}

/// Compiled templates and where each came from.
pub struct Templates {
    tera: Tera,
    sources: HashMap<String, TemplateSource>,
    /// The context variables each template (with its parents and includes)
    /// refers to: a page's context is built only with what its template reads.
    uses: HashMap<String, Uses>,
}

/// Which of the costlier context variables a template reads.
#[derive(Debug, Clone, Copy)]
struct Uses {
    page: bool,
    section: bool,
    nav: bool,
    root: bool,
    words: bool,
    /// The costlier parts of a page's view it names.
    wanted: views::Wanted,
}

impl Uses {
    /// Everything: for a template that does not exist (its error is
    /// reported when the page is rendered).
    const ALL: Uses = Uses {
        page: true,
        section: true,
        nav: true,
        root: true,
        words: true,
        wanted: views::Wanted::ALL,
    };
}

/// The sources of template `name` and of every template it may extend,
/// include or import: any other template whose name it writes in quotes,
/// and every template that defines a component (which any template may
/// call, and which may read its caller's variables). A name in a string
/// that is not a tag only makes this list longer, which costs a page's view
/// a few parts it did not need, never a missing one.
fn reachable<'s>(
    name: &str,
    sources: &'s HashMap<String, TemplateSource>,
) -> Vec<&'s TemplateSource> {
    let mut seen: Vec<&str> = Vec::new();
    let defines_component = |t: &str| t.contains("{% component") || t.contains("{%- component");
    let mut todo: Vec<&str> = sources
        .iter()
        .filter(|(_, s)| defines_component(&s.text))
        .map(|(n, _)| n.as_str())
        .collect();
    todo.push(name);
    while let Some(n) = todo.pop() {
        let Some((key, src)) = sources.get_key_value(n) else {
            continue;
        };
        if seen.contains(&key.as_str()) {
            continue;
        }
        seen.push(key);
        for other in sources.keys() {
            let named = [format!("\"{other}\""), format!("'{other}'")];
            if named.iter().any(|q| src.text.contains(q.as_str())) {
                todo.push(other);
            }
        }
    }
    seen.iter().map(|n| &sources[*n]).collect()
}

/// The costlier parts of a page's view that template `name` may read.
fn wanted_by(name: &str, sources: &HashMap<String, TemplateSource>) -> views::Wanted {
    views::Wanted::named_in(reachable(name, sources).into_iter().map(|s| &*s.text))
}

/// Compiles the built-in theme with the site's own templates over it.
pub fn compile(site: &Site) -> Result<Templates, Diagnostics> {
    let mut sources: BTreeMap<String, TemplateSource> = BTreeMap::new();
    for (name, text) in theme::TEMPLATES {
        sources.insert(
            name.to_string(),
            TemplateSource {
                shown: format!("(built-in theme) {name}"),
                text: Arc::from(*text),
            },
        );
    }
    for (name, file) in &site.templates {
        sources.insert(
            name.clone(),
            TemplateSource {
                shown: file.path.clone(),
                text: Arc::clone(&file.text),
            },
        );
    }
    let mut tera = Tera::new();
    register_functions(&mut tera, site);
    tera.global_context()
        .insert("config", &ConfigView::new(&site.meta));
    tera.global_context()
        .insert("data", &TableView(&site.data.table));
    let sources: HashMap<String, TemplateSource> = sources.into_iter().collect();
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    let result = tera.add_raw_templates(names.iter().map(|n| (n.as_str(), &*sources[*n].text)));
    let mut templates = Templates {
        tera,
        sources,
        uses: HashMap::new(),
    };
    if let Err(e) = result {
        return Err(Diagnostics(templates.diagnose(&e, None)).sorted());
    }
    let uses = templates
        .sources
        .keys()
        .filter_map(|name| {
            let vars = templates.tera.get_template_variables(name).ok()?;
            let uses = Uses {
                page: vars.contains("page"),
                section: vars.contains("section"),
                nav: vars.contains("nav"),
                root: vars.contains("root"),
                words: vars.contains("words"),
                wanted: wanted_by(name, &templates.sources),
            };
            Some((name.clone(), uses))
        })
        .collect();
    templates.uses = uses;
    Ok(templates)
}

impl Templates {
    /// The links with a `#fragment` that templates write to a page by its
    /// source (`get_url(path="@/gas.md#exports")`), located in the
    /// template: checked like Markdown's once the pages are rendered.
    pub fn anchors(&self, site: &Site) -> Vec<crate::markdown::Anchor> {
        // (template, where the literal starts, its length, file, fragment)
        let mut found: Vec<(&TemplateSource, usize, usize, &str, &str)> = Vec::new();
        let mut names: Vec<&String> = self.sources.keys().collect();
        names.sort();
        for name in names {
            let src = &self.sources[name];
            let text = &src.text;
            let mut from = 0;
            while let Some(i) = text[from..].find("\"@/") {
                let start = from + i + 1;
                let Some(len) = text[start..].find('"') else {
                    break;
                };
                let literal = &text[start..start + len];
                from = start + len;
                if let Some((file, fragment)) = literal[2..].split_once('#')
                    && !fragment.is_empty()
                {
                    found.push((src, start, len, file, fragment));
                }
            }
        }
        if found.is_empty() {
            // The usual case: no page is looked up, so no index of them.
            return Vec::new();
        }
        let targets: HashMap<&str, String> = site
            .entries()
            .map(|e| (&e.source["content/".len()..], e.output()))
            .collect();
        found
            .into_iter()
            .filter_map(|(src, start, len, file, fragment)| {
                Some(crate::markdown::Anchor {
                    from: String::new(),
                    page: targets.get(file)?.clone(),
                    fragment: fragment.to_string(),
                    at: Location::in_source(src.shown.clone(), &src.text, start..start + len),
                })
            })
            .collect()
    }
}

/// `get_url(path=…)`: a URL relative to the page being rendered, for a file
/// in the output (`style.css`) or a source file (`@/trade.md`).
fn register_functions(tera: &mut Tera, site: &Site) {
    let mut targets: HashMap<String, String> = HashMap::new();
    // In a translated edition a page of the edition is meant before a file
    // at the root: `index.html` is `az/index.html`, `@/trade.md` is
    // `trade.az.md`'s page; `style.css` stays the one at the root.
    let mut own: HashSet<String> = HashSet::new();
    let edition = site.edition.as_deref();
    for e in site.entries() {
        targets.insert(e.source["content/".len()..].to_string(), e.output());
        let key = crate::editions::key(&e.source, edition);
        targets
            .entry(key["content/".len()..].to_string())
            .or_insert_with(|| e.output());
        if edition.is_some() {
            own.insert(e.output());
        }
    }
    let prefix = edition.map_or(String::new(), |l| format!("{l}/"));
    if edition.is_some() {
        own.insert(format!("{prefix}atom.xml"));
    }
    let targets = Arc::new(targets);
    tera.register_function("get_url", move |kwargs: Kwargs, state: &State| {
        let path: String = kwargs.must_get::<String>("path")?;
        let here: String = state.get::<String>("current_path")?.unwrap_or_default();
        let target = match path.strip_prefix("@/") {
            Some(source) => {
                let (file, fragment) = source.split_at(source.find('#').unwrap_or(source.len()));
                let out = targets.get(file).ok_or_else(|| {
                    tera::Error::message(format!(
                        "get_url: `{path}` is not a page of this briefing (expected `@/` followed by a Markdown path under content/)"
                    ))
                })?;
                format!("{out}{fragment}")
            }
            None => {
                let path = path.trim_start_matches('/');
                match format!("{prefix}{path}") {
                    mine if !prefix.is_empty() && own.contains(&mine) => mine,
                    _ => path.to_string(),
                }
            }
        };
        Ok::<String, tera::Error>(urls::relative(&here, &target))
    });
    let book = Arc::clone(&site.figures);
    tera.register_filter("date", move |value: &str, kwargs: Kwargs, _: &State| {
        date_filter(&book, value, kwargs)
    });
    crate::figures::functions::register(tera, site);
}

/// `{{ page.date | date }}` → "24 January 2024" in the briefing's language
/// ("24 yanvar 2024", "2024年1月24日"); `date(format="%Y")` takes a
/// strftime format.
fn date_filter(
    book: &crate::figures::Book,
    value: &str,
    kwargs: Kwargs,
) -> tera::TeraResult<String> {
    let message = |e: String| tera::Error::message(format!("filter `date`: {e}"));
    match kwargs.get::<&str>("format")? {
        Some(format) => crate::figures::format::date(value, format).map_err(message),
        None => {
            // Checked the same way as a format, for the same message.
            crate::figures::format::date(value, crate::figures::format::LONG_DATE)
                .map_err(message)?;
            Ok(book
                .locale
                .long_date(value)
                .unwrap_or_else(|| value.to_string()))
        }
    }
}

impl Templates {
    /// Renders every page and section into memory, with every file to copy,
    /// sorted by path.
    pub fn render(&self, site: &Site) -> Result<Output, Error> {
        let mut files = collect(|emit| self.render_each(site, emit))?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Output { files })
    }

    /// Renders every page and section in parallel and hands each file to
    /// `emit` as soon as it is ready, so that a large site is never held in
    /// memory as a whole. Every page is rendered even after an error, so
    /// that all template errors are reported together.
    pub fn render_each(&self, site: &Site, emit: &Emit<'_>) -> Result<(), Error> {
        let jobs: Vec<Job> = (0..site.sections.len())
            .map(Job::Section)
            .chain((0..site.pages.len()).map(Job::Page))
            .collect();
        // The site-wide files and downloads beside the pages, not after
        // them: the sitemap of a large site was the last thing a build did,
        // on one core. A template error in a page is reported first.
        let (pages, others) = rayon::join(
            || self.render_jobs(site, &jobs, emit),
            || self.render_all_but_entries(site, emit),
        );
        pages.and(others)
    }

    /// What [`Templates::render_each`] writes besides pages and sections.
    fn render_all_but_entries(&self, site: &Site, emit: &Emit<'_>) -> Result<(), Error> {
        let planned = crate::outputs::plan(site);
        let site_files: Vec<(String, &'static str)> = planned
            .iter()
            .filter_map(|p| match p.origin {
                Origin::SiteFile(name) => Some((p.path.clone(), name)),
                _ => None,
            })
            .collect();
        self.render_site_files(site, &site_files, emit)?;
        for p in planned {
            let contents = match p.origin {
                // The PDF is typeset from the rendered pages, by the caller.
                Origin::Entry(_) | Origin::SiteFile(_) | Origin::Pdf => continue,
                Origin::Asset(i) => Contents::Copy(site.assets[i].file.clone()),
                Origin::ThemeAsset(i) => Contents::Static(theme::ASSETS[i].1),
                Origin::ChartData(_) | Origin::TableData(..) => match data_download(site, p.origin)
                {
                    Some(contents) => contents,
                    None => continue,
                },
            };
            emit(OutputFile {
                path: p.path,
                contents,
            })?;
        }
        Ok(())
    }

    /// Writes again the data downloads of the charts and tables `wanted`
    /// says (`charts/ID.csv`, `ID.csv` and `ID.json` beside each page that
    /// shows a table): after an edit of the data file.
    pub fn render_downloads(
        &self,
        site: &Site,
        wanted: impl Fn(Origin) -> bool,
        emit: &Emit<'_>,
    ) -> Result<(), Error> {
        for p in crate::outputs::plan(site) {
            if let Some(contents) = data_download(site, p.origin).filter(|_| wanted(p.origin)) {
                emit(OutputFile {
                    path: p.path,
                    contents,
                })?;
            }
        }
        Ok(())
    }

    /// Renders the site-wide files (sitemap, feed, robots, 404) in parallel.
    /// A site's own sitemap template gets every page; the built-in one is
    /// written directly.
    fn render_site_files(
        &self,
        site: &Site,
        names: &[(String, &'static str)],
        emit: &Emit<'_>,
    ) -> Result<(), Error> {
        let own_sitemap = site.templates.iter().any(|(n, _)| n == "sitemap.xml");
        let mut ctx = Context::from_serialize(&views::Published::new(site, own_sitemap))
            .map_err(|e| Error::Input(Diagnostics(self.diagnose(&e, None))))?;
        let edition_root = site
            .edition
            .as_ref()
            .map_or(String::new(), |l| format!("{l}/"));
        ctx.insert("current_path", &edition_root);
        ctx.insert("words", site.figures.words.all());
        let rendered: Vec<_> = names
            .par_iter()
            .map(|(path, name)| {
                let result = if *name == "sitemap.xml" && !own_sitemap {
                    Ok(views::sitemap(site))
                } else {
                    self.tera.render(name, &ctx)
                };
                (path, result)
            })
            .collect();
        for (path, result) in rendered {
            match result {
                Ok(text) => emit(OutputFile {
                    path: path.clone(),
                    contents: Contents::Text(crate::well_formed::well_formed(text)),
                })?,
                Err(e) => return Err(Error::Input(Diagnostics(self.diagnose(&e, None)).sorted())),
            }
        }
        Ok(())
    }

    /// Renders the given pages and sections in parallel, handing each file to
    /// `emit`; all their template errors are reported together. `serve`
    /// calls this alone for the few entries an edit can change.
    pub fn render_jobs(&self, site: &Site, jobs: &[Job], emit: &Emit<'_>) -> Result<(), Error> {
        // The same on every page: made into a template value once, and
        // shared (a value's maps are reference-counted), not once per page.
        let words = tera::Value::from_serializable(site.figures.words.all());
        let results: Vec<Result<(), Vec<Diagnostic>>> = jobs
            .par_iter()
            .with_max_len(crate::MAX_PAGES_PER_SHARE)
            .map(|job| {
                let file = self.render_one(site, *job, &words)?;
                emit(file).map_err(|e| vec![io_failure(e)])
            })
            .collect();
        let mut diagnostics = Vec::new();
        for r in results {
            if let Err(ds) = r {
                diagnostics.extend(ds);
            }
        }
        if !diagnostics.is_empty() {
            return Err(Error::Input(collapse(diagnostics)));
        }
        Ok(())
    }

    fn render_one(
        &self,
        site: &Site,
        job: Job,
        words: &tera::Value,
    ) -> Result<OutputFile, Vec<Diagnostic>> {
        let entry: &Entry = match job {
            Job::Section(i) => &site.sections[i].entry,
            Job::Page(i) => &site.pages[i].entry,
        };
        let here = Here {
            site,
            dir: &entry.dir,
        };
        let name = &entry.template.name;
        // Unknown templates are reported below; build the full context then.
        let uses = self.uses.get(name).copied().unwrap_or(Uses::ALL);
        let content = site.content_of(entry).map_err(|e| {
            let read = Error::io("cannot read the rendered body of", &entry.source)(e);
            vec![io_failure(read)]
        })?;
        let mut ctx = Context::new();
        match job {
            Job::Section(i) if uses.section => {
                let view = SectionView::new(here, &site.sections[i], &content);
                ctx.insert("section", &view);
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                if uses.page {
                    ctx.insert("page", &PageView::new(here, p, uses.wanted, &content));
                }
                if uses.section {
                    // The page's section as a list item: its full view (every
                    // sibling page) on every page would make a build quadratic.
                    ctx.insert(
                        "section",
                        &EntryLink::section(here, &site.sections[p.section]),
                    );
                }
            }
            Job::Section(_) => {}
        }
        if uses.nav {
            ctx.insert("nav", &views::nav(here));
        }
        if uses.root {
            ctx.insert("root", &urls::root_prefix(&entry.dir));
        }
        ctx.insert("translations", &views::translations(here, &entry.output()));
        if uses.words {
            ctx.insert_value("words", words.clone());
        }
        // Read by `get_url`, which templates call rather than name.
        ctx.insert("current_path", &entry.dir);
        if !self.sources.contains_key(name) {
            let mut d = Diagnostic::error(
                "unknown-template",
                format!("template `{name}` does not exist"),
            )
            .expected("a template in `templates/` or the built-in theme");
            let mut known: Vec<&str> = self.sources.keys().map(String::as_str).collect();
            known.sort_unstable();
            d = match crate::diagnostic::closest(name, known.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`? Or create `templates/{name}`")),
                None => d.hint(format!(
                    "create `templates/{name}`; known templates: {}",
                    known.join(", ")
                )),
            };
            let loc = entry
                .template
                .requested_at
                .as_deref()
                .cloned()
                .unwrap_or_else(|| Location::at(entry.source.clone(), 1, 1));
            return Err(vec![d.at(loc)]);
        }
        match self.tera.render(name, &ctx) {
            Ok(html) => Ok(OutputFile {
                path: entry.output(),
                contents: Contents::Text(crate::well_formed::well_formed(html)),
            }),
            Err(e) => Err(self.diagnose(&e, Some(&entry.source))),
        }
    }

    /// Turns a Tera error into located diagnostics in the template's file.
    fn diagnose(&self, e: &tera::Error, rendering: Option<&str>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                // Tera reports a tag left open where parsing gave up (the end
                // of the file, or the `{% endblock %}` around it): point at
                // the tag itself.
                let syntax = matches!(e.kind(), tera::ErrorKind::SyntaxError(_));
                if syntax && let Some(d) = self.unclosed(r.filename()) {
                    out.push(d);
                } else {
                    let mut d =
                        Diagnostic::error("template", format!("template error: {}", r.message()));
                    if let Some(loc) = self.locate(
                        r.filename(),
                        r.span().start_line,
                        r.span().start_col,
                        r.span().end_line,
                        r.span().end_col,
                    ) {
                        d = d.at(loc);
                    }
                    if let Some(hint) = crate::template_hints::unknown_name(r.message()) {
                        d = d.hint(hint);
                    }
                    let parents = self.sources.values().map(|s| &*s.text);
                    if let Some(hint) = crate::template_hints::unknown_block(r.message(), parents) {
                        d = d.hint(hint);
                    }
                    if r.message().contains("`undefined`")
                        && let Some((what, hint)) = self.undefined_at(&d)
                    {
                        d.message = format!("template error: {what}");
                        d = d.hint(hint);
                    }
                    out.push(d);
                }
            }
            tera::ErrorKind::TemplateNotFound(name) => {
                let known = self.sources.keys().map(String::as_str);
                out.push(
                    Diagnostic::error(
                        "unknown-template",
                        format!("template `{name}` does not exist"),
                    )
                    .hint(crate::template_hints::unknown_template(name, known)),
                );
            }
            tera::ErrorKind::CircularInclude { include_chain, .. } => {
                out.push(self.cycle("include", include_chain));
            }
            tera::ErrorKind::CircularExtend {
                inheritance_chain, ..
            } => {
                out.push(self.cycle("extends", inheritance_chain));
            }
            tera::ErrorKind::MissingParent { current, parent } => {
                let mut d = Diagnostic::error(
                    "unknown-parent-template",
                    format!("template `{current}` extends `{parent}`, which does not exist"),
                );
                if let Some(src) = self.sources.get(current) {
                    let at = src.text.find(parent.as_str()).unwrap_or(0);
                    d = d.at(Location::in_source(
                        src.shown.clone(),
                        &src.text,
                        at..at + parent.len(),
                    ));
                }
                out.push(d.hint(format!("create `templates/{parent}` or extend `base.html`")));
            }
            _ => {
                // Reference checks come back as pre-rendered reports, one per
                // problem: "error: MSG\n  --> NAME:LINE:COL\n …". Re-locate them.
                let text = e.to_string();
                for report in text.split("\n\n") {
                    out.push(self.reparse(report));
                }
            }
        }
        if let Some(page) = rendering {
            out = out
                .into_iter()
                .map(|d| {
                    d.note(
                        format!("while rendering `{page}`"),
                        Location::at(page.to_string(), 1, 1),
                    )
                })
                .collect();
        }
        out.into_iter()
            .map(|d| match d.hint {
                Some(_) => d,
                None => d.hint("see the manual's Templates page"),
            })
            .collect()
    }

    /// A cycle of `{% include %}` or `{% extends %}`, located at the tag
    /// that closes it and naming every template on the way.
    fn cycle(&self, tag: &str, chain: &[String]) -> Diagnostic {
        let shown: Vec<String> = chain
            .iter()
            .map(|n| self.sources.get(n).map_or(n.clone(), |s| s.shown.clone()))
            .collect();
        let mut d = Diagnostic::error(
            "template-cycle",
            format!(
                "templates {tag} each other in a circle: {}",
                shown.join(" → ")
            ),
        )
        .expected("a chain of templates that ends");
        if let [.., from, to] = chain
            && let Some(src) = self.sources.get(from)
        {
            let quoted = format!("\"{to}\"");
            let at = src.text.find(&quoted).unwrap_or(0);
            d = d.at(Location::in_source(
                src.shown.clone(),
                &src.text,
                at..at + quoted.len(),
            ));
        }
        d.hint(format!(
            "remove the `{{% {tag} \"…\" %}}` that leads back to a template already on the way"
        ))
    }

    /// What is undefined at a diagnostic's location, read from the template.
    fn undefined_at(&self, d: &Diagnostic) -> Option<(String, String)> {
        let (text, span) = d.location.as_ref()?.snippet.as_ref()?;
        crate::template_hints::undefined(&text[span.start..])
    }

    /// The block tag left open in template `name`, located at the tag.
    fn unclosed(&self, name: &str) -> Option<Diagnostic> {
        let src = self.sources.get(name)?;
        let (span, tag) = crate::template_hints::unclosed(&src.text)?;
        Some(
            Diagnostic::error("unclosed-tag", format!("`{{% {tag} %}}` is never closed"))
                .at(Location::in_source(src.shown.clone(), &src.text, span))
                .expected(format!("a `{{% end{tag} %}}` for this tag"))
                .hint(format!(
                    "close it with `{{% end{tag} %}}` where its content ends"
                )),
        )
    }

    fn reparse(&self, report: &str) -> Diagnostic {
        let mut lines = report.lines();
        let title = lines.next().unwrap_or(report);
        let message = title.strip_prefix("error: ").unwrap_or(title);
        let mut d = Diagnostic::error("template", format!("template error: {message}"));
        if let Some(hint) = crate::template_hints::unknown_name(message) {
            d = d.hint(hint);
        }
        let parents = self.sources.values().map(|s| &*s.text);
        if let Some(hint) = crate::template_hints::unknown_block(message, parents) {
            d = d.hint(hint);
        }
        let located = lines
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|loc| {
                let mut parts = loc.rsplitn(3, ':');
                let col: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                let name = parts.next()?;
                self.locate(name, line, col.saturating_sub(1), line, col)
            });
        let located = match located {
            Some(loc) => Some(loc),
            None if message.contains("recursion depth for components") => {
                self.self_calling_component().map(|(loc, name)| {
                    d.hint = Some(format!(
                        "component `{name}` calls itself without end; call it only under a condition that stops (`{{% if … %}}`)"
                    ).into_boxed_str());
                    loc
                })
            }
            None => None,
        };
        if let Some(loc) = located {
            d = d.at(loc);
        }
        d
    }

    /// The first component of the templates that calls itself, located at
    /// the call, with its name.
    fn self_calling_component(&self) -> Option<(Location, String)> {
        let mut sources: Vec<&TemplateSource> = self.sources.values().collect();
        sources.sort_by(|a, b| a.shown.cmp(&b.shown));
        sources.into_iter().find_map(|src| {
            let (span, name) = crate::template_hints::self_calling_component(&src.text)?;
            Some((
                Location::in_source(src.shown.clone(), &src.text, span),
                name,
            ))
        })
    }

    fn locate(
        &self,
        name: &str,
        line: usize,
        col: usize,
        end_line: usize,
        end_col: usize,
    ) -> Option<Location> {
        let src = self.sources.get(name)?;
        let start = offset_of(&src.text, line, col);
        let mut end = offset_of(&src.text, end_line, end_col);
        if end <= start {
            end = start + src.text[start..].chars().next().map_or(0, char::len_utf8);
        }
        Some(Location::in_source(
            src.shown.clone(),
            &src.text,
            start..end,
        ))
    }
}

/// Byte offset of a 1-based line and 0-based character column.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

/// The same template error on many pages is reported once, naming the first
/// page and how many others.
fn collapse(diagnostics: Vec<Diagnostic>) -> Diagnostics {
    let mut groups: BTreeMap<(Option<String>, String), (Diagnostic, usize)> = BTreeMap::new();
    for d in diagnostics {
        let key = (
            d.location.as_ref().map(|l| l.to_string()),
            d.message.clone(),
        );
        groups
            .entry(key)
            .and_modify(|(_, n)| *n += 1)
            .or_insert((d, 1));
    }
    Diagnostics(
        groups
            .into_values()
            .map(|(mut d, n)| {
                if n > 1
                    && let Some((label, _)) = d.notes.last_mut()
                {
                    label.push_str(&format!(" and {} other pages", n - 1));
                }
                d
            })
            .collect(),
    )
    .sorted()
}

/// One page or section to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    /// A section, by index into [`Site::sections`].
    Section(usize),
    /// A page, by index into [`Site::pages`].
    Page(usize),
}

/// The contents of a chart's or a table's data download; `None` for other
/// outputs.
fn data_download(site: &Site, origin: Origin) -> Option<Contents> {
    let book = &site.figures;
    let text = match origin {
        Origin::ChartData(c) => crate::figures::chart::csv(book, &book.charts[c]),
        Origin::TableData(t, _, Download::Csv) => crate::figures::html::csv(book, &book.tables[t]),
        Origin::TableData(t, _, Download::Json) => {
            crate::figures::html::json(book, &book.tables[t])
        }
        _ => return None,
    };
    Some(Contents::Text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_line_and_column() {
        let t = "ab\ncdé\nf";
        assert_eq!(offset_of(t, 1, 0), 0);
        assert_eq!(offset_of(t, 2, 1), 4);
        assert_eq!(offset_of(t, 2, 3), 7);
        assert_eq!(offset_of(t, 3, 0), 8);
    }

    fn sources(templates: &[(&str, &str)]) -> HashMap<String, TemplateSource> {
        templates
            .iter()
            .map(|(name, text)| {
                let source = TemplateSource {
                    shown: format!("templates/{name}"),
                    text: Arc::from(*text),
                };
                (name.to_string(), source)
            })
            .collect()
    }

    #[test]
    fn a_page_template_wants_only_what_it_and_its_parents_and_includes_name() {
        let s = sources(&[
            (
                "base.html",
                "<body>{% block content %}{% endblock %}</body>",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block content %}{{ page.content }}{% endblock %}",
            ),
            (
                "toc.html",
                "{% for h in page.toc %}{{ h.title }}{% endfor %}",
            ),
            (
                "long.html",
                "{% extends 'base.html' %}{% block content %}{% include \"toc.html\" %}{% endblock %}",
            ),
            ("other.html", "{{ page.lower.title }} {{ page.ancestors }}"),
        ]);
        let none = views::Wanted {
            neighbours: false,
            ancestors: false,
            toc: false,
        };
        assert_eq!(wanted_by("page.html", &s), none);
        assert_eq!(
            wanted_by("long.html", &s),
            views::Wanted { toc: true, ..none }
        );
        assert_eq!(
            wanted_by("other.html", &s),
            views::Wanted {
                neighbours: true,
                ancestors: true,
                ..none
            }
        );
    }

    #[test]
    fn a_component_anywhere_counts_for_every_template() {
        let s = sources(&[
            ("page.html", "{{ page.content }}"),
            (
                "components.html",
                "{% component outline(page: map @implicit) %}{{ page.toc }}{% endcomponent outline %}",
            ),
        ]);
        assert!(wanted_by("page.html", &s).toc);
    }

    #[test]
    fn templates_that_include_each_other_are_each_read_once() {
        let s = sources(&[
            ("a.html", "{% include \"b.html\" %} toc"),
            ("b.html", "{% include \"a.html\" %}"),
        ]);
        assert_eq!(reachable("b.html", &s).len(), 2);
        assert!(wanted_by("b.html", &s).toc);
    }
}
