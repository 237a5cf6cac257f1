//! Stage 3, model: the read-only [`Site`] every later stage works from.
//!
//! Parsed documents become a tree of sections and pages with their output
//! folders, titles, order and neighbours, and their Markdown rendered to HTML
//! (links between pages need every output path, which is known only here).
//! Nothing after this stage changes the site; render and check only read it.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location, finish};
use crate::error::Error;
use crate::frontmatter::SortBy;
use std::sync::Arc;

use crate::figures::{self, Book};
use crate::load::{Asset, SourceFile};
use crate::markdown::{self, Use};
use crate::parse::{Data, Document, Front, Parsed};
use crate::toc::Toc;
use crate::urls;

/// The built-in template of the sources page; the page rendered with it is
/// where figure markers link to.
pub const SOURCES_TEMPLATE: &str = "sources.html";

/// Settings of a build that change the model.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    /// Include pages and sections marked `draft = true`.
    pub drafts: bool,
    /// Overrides the home page's `base_url`.
    pub base_url: Option<String>,
    /// The language of a translated edition (`az`): its files are
    /// `NAME.az.md`, its pages go under `az/`. `None` for the briefing's
    /// own language.
    pub edition: Option<String>,
    /// Write each rendered body to a temporary file rather than hold it,
    /// when the Markdown sources are larger than this in all (bytes); see
    /// [`crate::bodies`]. `None`: always hold them (`serve` re-renders
    /// from them).
    pub spill_above: Option<usize>,
}

/// The briefing-wide metadata, from the home page's front matter.
#[derive(Debug, Clone)]
pub struct Meta {
    /// The briefing's title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its date.
    pub date: Option<String>,
    /// Date of its last update.
    pub updated: Option<String>,
    /// Its authors.
    pub authors: Vec<String>,
    /// Its language (`en` by default).
    pub language: String,
    /// The absolute URL it is published at, with a trailing `/`, if known.
    pub base_url: Option<String>,
    /// The home page's `[extra]` table, as `config.extra`.
    pub extra: toml::Table,
    /// Whether authors' raw HTML passes through (`raw_html`, true unless
    /// the briefing takes outside contributions).
    pub raw_html: bool,
    /// The PDF edition, unless the briefing turned it off.
    pub pdf: Option<PdfEdition>,
}

/// Where the PDF edition of one language goes, and on what paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfEdition {
    /// Its path in the output folder (`briefing.pdf`, `az/briefing.pdf`).
    pub path: String,
    /// The paper size.
    pub paper: crate::frontmatter::Paper,
}

/// The PDF edition's file name, in each language's folder.
pub const PDF_FILE: &str = "briefing.pdf";

/// A template to render with, and where it was asked for (if in front matter).
#[derive(Debug, Clone, Default)]
pub struct TemplateRef {
    /// The template's name (`page.html`).
    pub name: String,
    /// Where the front matter names it.
    pub requested_at: Option<Box<Location>>,
}

/// What pages and sections have in common.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The Markdown file's path relative to the site root (`content/trade.md`).
    pub source: String,
    /// Title.
    pub title: String,
    /// The short title for navigation and lists (the title unless the front
    /// matter sets `link_title`; "Home" for the home page).
    pub link_title: String,
    /// Description.
    pub description: Option<String>,
    /// Weight among siblings.
    pub weight: Option<i64>,
    /// Marked as a draft (only present in a `--drafts` build).
    pub draft: bool,
    /// Free-form `[extra]` keys, if there are any ([`Entry::extra`]); boxed,
    /// since most pages have none and every page holds the field.
    pub extra_keys: Option<Box<toml::Table>>,
    /// Output folder relative to the output root (`""`, `"trade/"`).
    pub dir: String,
    /// The body as HTML; empty when it waits in [`Site::spill`] instead
    /// (read it with [`Site::content_of`]).
    pub content: String,
    /// Where the body is in [`Site::spill`], if it was spilled.
    pub spilled: Option<crate::bodies::Spilled>,
    /// The charts and tables the body shows, in order.
    pub shown: Vec<(crate::numbering::Kind, String)>,
    /// Table of contents.
    pub toc: Toc,
    /// Words in the body.
    pub word_count: usize,
    /// The template to render with.
    pub template: TemplateRef,
    /// Figures, tables and events its shortcodes show.
    pub uses: Vec<Use>,
    /// Its Markdown links with a `#fragment`, checked when pages are built.
    pub anchors: Vec<markdown::Anchor>,
}

impl Entry {
    /// Its free-form `[extra]` keys (an empty table when it has none).
    pub fn extra(&self) -> &toml::Table {
        static NONE: std::sync::LazyLock<toml::Table> = std::sync::LazyLock::new(toml::Table::new);
        self.extra_keys.as_deref().unwrap_or(&NONE)
    }

    /// Output file, relative to the output root.
    pub fn output(&self) -> String {
        urls::index_of(&self.dir)
    }

    /// Minutes to read, at 200 words a minute, rounded up.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(200)
    }
}

/// A page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Shared fields.
    pub entry: Entry,
    /// The last part of its URL.
    pub slug: String,
    /// Publication date.
    pub date: Option<String>,
    /// Last update.
    pub updated: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Index of its section in [`Site::sections`].
    pub section: usize,
    /// The previous page in its section's order.
    pub lower: Option<usize>,
    /// The next page in its section's order.
    pub higher: Option<usize>,
}

/// A section: a folder with an `_index.md`. Section 0 is the home page.
#[derive(Debug, Clone)]
pub struct Section {
    /// Shared fields.
    pub entry: Entry,
    /// How its pages are ordered.
    pub sort_by: SortBy,
    /// Its pages, in order (indexes into [`Site::pages`]).
    pub pages: Vec<usize>,
    /// Its subsections, in order (indexes into [`Site::sections`]).
    pub subsections: Vec<usize>,
    /// Its parent section; `None` for the home page.
    pub parent: Option<usize>,
}

/// A page or a section of a [`Site`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryId {
    /// Index into [`Site::sections`]; 0 is the home page.
    Section(usize),
    /// Index into [`Site::pages`].
    Page(usize),
}

/// An item of the briefing's main navigation: a child of the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavItem {
    /// A page directly under `content/`.
    Page(usize),
    /// A top-level section.
    Section(usize),
}

/// The whole briefing, ready to check and render.
#[derive(Debug)]
pub struct Site {
    /// Where each table is shown (table id → the page's output path), for
    /// the links under charts.
    pub table_pages: HashMap<String, String>,
    /// The site root.
    pub root: PathBuf,
    /// Briefing-wide metadata.
    pub meta: Meta,
    /// Sections; index 0 is the home page.
    pub sections: Vec<Section>,
    /// Pages, in source path order.
    pub pages: Vec<Page>,
    /// The data file, as a table for templates.
    pub data: Data,
    /// The figure model built from it.
    pub figures: Arc<Book>,
    /// Output path of the page that lists the sources (the one rendered with
    /// `sources.html`), which figure markers link to.
    pub sources_page: Option<String>,
    /// Warnings found while building the model, for the check stage.
    pub notes: Vec<Diagnostic>,
    /// The site's own templates.
    pub templates: Vec<(String, SourceFile)>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// The main navigation, in order.
    pub nav: Vec<NavItem>,
    /// The language of a translated edition, built under its own prefix;
    /// `None` for the briefing's own language.
    pub edition: Option<String>,
    /// Every edition's pages, for links between translations.
    pub editions: Arc<crate::editions::Editions>,
    /// The numbers of the charts and tables its pages show.
    pub numbers: crate::numbering::Numbers,
    /// Where the bodies of a large briefing wait for their templates.
    pub spill: Option<Arc<crate::bodies::Spill>>,
}

impl Site {
    /// The body of `e` as HTML, read back from [`Site::spill`] (with its
    /// table links and chart numbers written in, as a held body has them)
    /// if it was spilled.
    pub fn content_of<'e>(&self, e: &'e Entry) -> std::io::Result<std::borrow::Cow<'e, str>> {
        let (Some(at), Some(spill)) = (e.spilled, &self.spill) else {
            return Ok(std::borrow::Cow::Borrowed(&e.content));
        };
        let html = spill.get(at)?;
        Ok(std::borrow::Cow::Owned(
            self.with_marks_resolved(html, &e.dir),
        ))
    }

    /// A body's HTML, rendered in folder `dir`, with what could be written
    /// only once every body was rendered put in: links to where each table
    /// is shown, then the numbers of charts and tables.
    fn with_marks_resolved(&self, html: String, dir: &str) -> String {
        resolve_marks(
            html,
            dir,
            &self.table_pages,
            &self.numbers,
            &self.figures.words,
        )
    }

    /// Every page and section with its output file, for checks and rendering.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.sections
            .iter()
            .map(|s| &s.entry)
            .chain(self.pages.iter().map(|p| &p.entry))
    }
}

/// A page's body rendered again after a save that left its front matter as
/// it was: everything of the page such an edit can change.
#[derive(Debug)]
pub struct Body {
    /// The title (from the first `# heading` when the front matter has none).
    pub title: String,
    /// The body as HTML.
    pub content: String,
    /// Table of contents.
    pub toc: Toc,
    /// Words in the body.
    pub word_count: usize,
    /// Figures, tables, events and charts its shortcodes show.
    pub uses: Vec<Use>,
    /// Its links with a `#fragment`.
    pub anchors: Vec<markdown::Anchor>,
    /// Warnings found in the body.
    pub notes: Vec<Diagnostic>,
    /// The charts and tables it shows, in order (their numbers depend on it).
    pub shown: Vec<(crate::numbering::Kind, String)>,
}

impl Site {
    /// Where every source path under `content/` ends up (see [`build`]).
    pub fn link_targets(&self) -> HashMap<String, String> {
        link_targets(
            self.entries().map(|e| (e.source.as_str(), e.dir.as_str())),
            &self.assets,
            self.edition.as_deref(),
        )
    }

    /// The page or section `id`.
    pub fn entry(&self, id: EntryId) -> &Entry {
        match id {
            EntryId::Section(i) => &self.sections[i].entry,
            EntryId::Page(i) => &self.pages[i].entry,
        }
    }

    /// Every page and section in reading order: the home page, then the
    /// main navigation's items, each section followed by its pages and
    /// subsections; anything the navigation leaves out after them.
    pub fn reading_order(&self) -> Vec<EntryId> {
        fn section(site: &Site, s: usize, out: &mut Vec<EntryId>) {
            out.push(EntryId::Section(s));
            out.extend(site.sections[s].pages.iter().map(|&p| EntryId::Page(p)));
            for &sub in &site.sections[s].subsections {
                section(site, sub, out);
            }
        }
        let mut out = vec![EntryId::Section(0)];
        for item in &self.nav {
            match *item {
                NavItem::Page(p) => out.push(EntryId::Page(p)),
                NavItem::Section(s) => section(self, s, &mut out),
            }
        }
        let home = &self.sections[0];
        for id in home
            .pages
            .iter()
            .map(|&p| EntryId::Page(p))
            .chain(home.subsections.iter().map(|&s| EntryId::Section(s)))
        {
            if !out.contains(&id) {
                match id {
                    EntryId::Section(s) => section(self, s, &mut out),
                    page => out.push(page),
                }
            }
        }
        out
    }

    /// Whether a page's new body shows other charts or tables, or in
    /// another order, than the numbers were made for: then every page is
    /// numbered again.
    pub fn renumbers(&self, id: EntryId, body: &Body) -> bool {
        let page = self.entry(id).output();
        self.numbers
            .shown
            .get(&page)
            .map_or(!body.shown.is_empty(), |s| *s != body.shown)
    }

    /// Every section, then every page.
    pub fn entry_ids(&self) -> impl Iterator<Item = EntryId> {
        (0..self.sections.len())
            .map(EntryId::Section)
            .chain((0..self.pages.len()).map(EntryId::Page))
    }

    /// Renders the body of page or section `id` again from `doc`, its file
    /// as saved now, exactly as [`build`] would. Errors in the body come
    /// back as `Err`.
    pub fn render_body(
        &self,
        id: EntryId,
        doc: &Document,
        targets: &HashMap<String, String>,
    ) -> Result<Body, Vec<Diagnostic>> {
        let entry = self.entry(id);
        let expander = figures::expand::Expander {
            book: &self.figures,
            sources_page: self.sources_page.as_deref(),
        };
        let sdir = source_dir(&doc.file.path);
        let input = markdown_input(
            doc,
            &doc.file.text,
            &sdir,
            &entry.dir,
            &expander,
            self.meta.raw_html,
        );
        let (r, diagnostics) = markdown::render(&input, &|p: &str| targets.get(p).cloned());
        let (errors, notes): (Vec<_>, Vec<_>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(errors);
        }
        let shown = crate::numbering::shown(&r.html);
        let content = self.with_marks_resolved(r.html, &entry.dir);
        // A section's fallback title is its folder's, as the build made it.
        let fallback = || match id {
            EntryId::Page(i) => humanize(&self.pages[i].slug),
            EntryId::Section(_) => entry.title.clone(),
        };
        Ok(Body {
            title: front_title(&doc.front).or(r.title).unwrap_or_else(fallback),
            content,
            toc: r.toc,
            word_count: r.word_count,
            uses: r.uses,
            anchors: r.anchors,
            notes,
            shown,
        })
    }

    /// Puts a re-rendered body into page or section `id` and returns the
    /// one it replaces. Only `serve` calls this, between two renders, so
    /// that an edit of one page does not rebuild the whole model; nothing
    /// else ever changes a site.
    pub fn swap_body(&mut self, id: EntryId, mut body: Body) -> Body {
        let e = match id {
            EntryId::Section(i) => &mut self.sections[i].entry,
            EntryId::Page(i) => &mut self.pages[i].entry,
        };
        std::mem::swap(&mut e.title, &mut body.title);
        std::mem::swap(&mut e.content, &mut body.content);
        std::mem::swap(&mut e.shown, &mut body.shown);
        std::mem::swap(&mut e.toc, &mut body.toc);
        std::mem::swap(&mut e.word_count, &mut body.word_count);
        std::mem::swap(&mut e.uses, &mut body.uses);
        std::mem::swap(&mut e.anchors, &mut body.anchors);
        let source = e.source.as_str();
        let in_page = |d: &Diagnostic| d.location.as_ref().is_some_and(|l| l.path == source);
        let (old, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.notes)
            .into_iter()
            .partition(in_page);
        self.notes = kept;
        self.notes.append(&mut body.notes);
        body.notes = old;
        body
    }
}

impl Site {
    /// Puts the figures of an edited data file in place: its book, its
    /// table for templates and its warnings (replacing the old file's).
    /// Only `serve` calls this, before re-rendering what shows the changed
    /// figures.
    pub fn replace_figures(&mut self, book: Book, data: Data, notes: Vec<Diagnostic>) {
        let path = data.file.as_ref().map(|f| f.path.clone());
        self.notes
            .retain(|d| d.location.as_ref().map(|l| &l.path) != path.as_ref());
        self.notes.extend(notes);
        self.figures = Arc::new(book);
        self.data = data;
    }
}

/// One document on its way into the model, with its place in the output.
struct Draft {
    doc: Document,
    /// Folder of the source relative to `content/` (`""`, `"s01"`).
    source_dir: String,
    /// Output folder (`""`, `"trade/"`).
    dir: String,
    slug: String,
    template: TemplateRef,
    /// For sections: the template of their pages, if set.
    page_template: Option<TemplateRef>,
}

/// Builds the model from the parsed site.
pub fn build(parsed: Parsed, options: &ModelOptions) -> Result<Site, Error> {
    let Parsed {
        root,
        documents,
        data,
        templates,
        assets,
        sandbox,
    } = parsed;
    let Some(home) = documents.iter().find(|d| matches!(d.front, Front::Home(_))) else {
        let d = Diagnostic::error(
            "no-home-page",
            "the briefing has no home page: `content/_index.md` is missing",
        )
        .expected("a file `content/_index.md` with the briefing's title in its front matter")
        .hint("create it with `+++\\ntitle = \"My briefing\"\\n+++` and an introduction");
        return Err(Error::Input(crate::diagnostic::Diagnostics(vec![d])));
    };
    let mut diagnostics = Vec::new();
    let meta = meta(home, options)
        .map_err(|ds| diagnostics.extend(ds))
        .ok();

    let mut data = data;
    let language = meta.as_ref().map_or("en", |m| m.language.as_str());
    let mut raw = data.raw.take().unwrap_or_default();
    let translation = options
        .edition
        .as_ref()
        .and_then(|l| raw.translations.shift_remove(l));
    let (mut book, mut found) = figures::build(data.file.as_ref(), raw, language);
    if let Some(l) = &options.edition {
        // The data file's own mistakes are the briefing's own language's to
        // report, once; an edition reports its translation.
        found.clear();
        found.extend(figures::translations::apply(
            &mut book,
            l,
            translation.as_ref(),
            data.file.as_ref(),
        ));
    }
    let own_words = meta
        .as_ref()
        .and_then(|m| m.extra.get("words"))
        .and_then(toml::Value::as_table);
    book.words = crate::words::Words::new(language, own_words);
    let mut notes: Vec<Diagnostic> = Vec::new();
    for d in found {
        if d.is_error() {
            diagnostics.push(d)
        } else {
            notes.push(d)
        }
    }

    let (mut section_drafts, page_drafts) = plan(documents, options, &mut diagnostics);
    let targets = link_targets(
        section_drafts
            .iter()
            .chain(&page_drafts)
            .map(|d| (d.doc.file.path.as_str(), d.dir.as_str())),
        &assets,
        options.edition.as_deref(),
    );
    let link_target = |p: &str| targets.get(p).cloned();
    let sources_page = page_drafts
        .iter()
        .find(|d| d.template.name == SOURCES_TEMPLATE)
        .map(|d| urls::index_of(&d.dir));
    let expander = figures::expand::Expander {
        book: &book,
        sources_page: sources_page.as_deref(),
    };
    let raw_html = meta.as_ref().is_none_or(|m| m.raw_html);

    let spill = spill_for(&section_drafts, &page_drafts, options);
    // Render every body in parallel, and make each page from its draft as
    // soon as its body is rendered: a source's text and front matter are
    // let go at once (diagnostics that point into the text hold their own
    // reference), so a large site is never held twice in memory. Nor is its
    // HTML, when it is large enough to be spilled.
    let render_body = |d: &Draft| {
        let text = match d.doc.whole_text(&sandbox) {
            Ok(text) => text,
            Err(e) => return (RenderedBody::empty(), vec![e]),
        };
        let input = markdown_input(&d.doc, &text, &d.source_dir, &d.dir, &expander, raw_html);
        let (r, ds) = markdown::render(&input, &link_target);
        (RenderedBody::new(r, spill.as_deref()), ds)
    };
    let index: SectionIndex = section_drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.source_dir.clone(), i))
        .collect();
    let (mut sections, section_notes): (Vec<Section>, Vec<Vec<Diagnostic>>) = section_drafts
        .par_iter_mut()
        .map(|d| {
            let (r, ds) = render_body(d);
            (section(d, r, &index), ds)
        })
        .unzip();
    let (mut pages, page_notes): (Vec<Page>, Vec<Vec<Diagnostic>>) = page_drafts
        .into_par_iter()
        .with_max_len(crate::MAX_PAGES_PER_SHARE)
        .map(|mut d| {
            let (r, ds) = render_body(&d);
            (page(&mut d, r, &section_drafts, &index), ds)
        })
        .unzip();
    for d in section_notes.into_iter().chain(page_notes).flatten() {
        if d.is_error() {
            diagnostics.push(d)
        } else {
            notes.push(d)
        }
    }
    order(&mut sections, &mut pages);
    let nav = nav(&sections, &pages);
    let table_pages = table_pages(&book, &sections, &pages);

    let Some(meta) = meta else {
        return Err(Error::Input(
            crate::diagnostic::Diagnostics(diagnostics).sorted(),
        ));
    };
    let site = Site {
        root,
        meta,
        sections,
        pages,
        data,
        figures: Arc::new(book),
        sources_page,
        notes,
        templates,
        assets,
        nav,
        table_pages,
        edition: options.edition.clone(),
        editions: Arc::default(),
        numbers: Default::default(),
        spill,
    };
    let mut site = site;
    number_charts_and_tables(&mut site);
    finish(site, diagnostics)
        .map(|(s, _)| s)
        .map_err(Error::Input)
}

/// Numbers the charts and tables in reading order, and writes the numbers
/// into every caption and reference of the bodies held, with the links to
/// where each table is shown (a spilled body gets them when it is read
/// back: [`Site::content_of`]).
fn number_charts_and_tables(site: &mut Site) {
    site.numbers = crate::numbering::number(site);
    let (table_pages, numbers, words) = (&site.table_pages, &site.numbers, &site.figures.words);
    // On every core: each body is searched for marks.
    let resolve = |e: &mut Entry| {
        let html = std::mem::take(&mut e.content);
        e.content = resolve_marks(html, &e.dir, table_pages, numbers, words);
    };
    site.sections
        .par_iter_mut()
        .for_each(|s| resolve(&mut s.entry));
    site.pages
        .par_iter_mut()
        .with_max_len(crate::MAX_PAGES_PER_SHARE)
        .for_each(|p| resolve(&mut p.entry));
}

/// See [`Site::with_marks_resolved`].
fn resolve_marks(
    html: String,
    dir: &str,
    table_pages: &HashMap<String, String>,
    numbers: &crate::numbering::Numbers,
    words: &crate::words::Words,
) -> String {
    // Looked for once here rather than by each of the two below: most
    // bodies have none.
    if !crate::numbering::may_hold_marks(&html) {
        return html;
    }
    let html = figures::chart::resolve_table_links(&html, dir, table_pages).unwrap_or(html);
    crate::numbering::resolve(&html, dir, numbers, words).unwrap_or(html)
}

/// Where each table is shown: its id and the output path of the first page
/// (in source order, sections first) whose text shows it.
fn table_pages(book: &Book, sections: &[Section], pages: &[Page]) -> HashMap<String, String> {
    let mut entries: Vec<&Entry> = sections
        .iter()
        .map(|s| &s.entry)
        .chain(pages.iter().map(|p| &p.entry))
        .collect();
    entries.sort_by(|a, b| a.source.cmp(&b.source));
    let mut out = HashMap::new();
    for e in entries {
        for u in &e.uses {
            if let Use::Table(t) = *u {
                out.entry(book.tables[t].id.clone())
                    .or_insert_with(|| e.output());
            }
        }
    }
    out
}

/// Decides which documents are built and where each one goes: sections
/// (home first) and pages, with output folders, slugs and templates.
fn plan(
    documents: Vec<Document>,
    options: &ModelOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Draft>, Vec<Draft>) {
    // Draft sections hide everything below their folder.
    let hidden_dirs: Vec<String> = if options.drafts {
        Vec::new()
    } else {
        documents
            .iter()
            .filter(|d| matches!(&d.front, Front::Section(s) if s.draft))
            .map(|d| source_dir(&d.file.path))
            .collect()
    };
    let hidden = |d: &Document| {
        let dir = source_dir(&d.file.path);
        let in_hidden = hidden_dirs
            .iter()
            .any(|h| dir == *h || dir.starts_with(&format!("{h}/")));
        let draft_page = matches!(&d.front, Front::Page(p) if p.draft) && !options.drafts;
        in_hidden || draft_page
    };

    let mut sections = Vec::new();
    let mut pages = Vec::with_capacity(documents.len());
    for doc in documents {
        if hidden(&doc) {
            continue;
        }
        let sdir = source_dir(&doc.file.path);
        let (template, page_template) = match &doc.front {
            Front::Home(h) => (
                template_ref(&doc, h.template.as_ref(), "index.html"),
                h.page_template
                    .as_ref()
                    .map(|t| template_ref(&doc, Some(t), "page.html")),
            ),
            Front::Section(s) => (
                template_ref(&doc, s.template.as_ref(), "section.html"),
                s.page_template
                    .as_ref()
                    .map(|t| template_ref(&doc, Some(t), "page.html")),
            ),
            Front::Page(p) => (template_ref(&doc, p.template.as_deref(), "page.html"), None),
        };
        let prefix = options
            .edition
            .as_ref()
            .map_or(String::new(), |l| format!("{l}/"));
        let stem = edition_stem(&doc.file.path, options.edition.as_deref());
        let Front::Page(front) = &doc.front else {
            let slug = sdir.rsplit('/').next().unwrap_or_default().to_string();
            sections.push(Draft {
                dir: format!("{prefix}{}", slug_dir(&sdir)),
                source_dir: sdir,
                slug,
                template,
                page_template,
                doc,
            });
            continue;
        };
        let bundle = stem == "index";
        let parent_dir = if bundle { parent_of(&sdir) } else { &sdir };
        let mut slug = urls::slugify(if bundle {
            sdir.rsplit('/').next().unwrap_or_default()
        } else {
            stem
        });
        if let Some(s) = &front.slug {
            match urls::validate_user_path(s.get_ref(), false) {
                Ok(parts) => slug = parts.concat(),
                Err(why) => diagnostics.push(bad_path(&doc, s, "slug", why)),
            }
        }
        let mut dir = format!("{prefix}{}{slug}/", slug_dir(parent_dir));
        if let Some(p) = &front.path {
            match urls::validate_user_path(p.get_ref(), true) {
                Ok(parts) => {
                    dir =
                        prefix.clone() + &parts.iter().map(|p| format!("{p}/")).collect::<String>();
                    if let Some(last) = parts.last() {
                        slug = last.clone();
                    }
                }
                Err(why) => diagnostics.push(bad_path(&doc, p, "path", why)),
            }
        }
        pages.push(Draft {
            doc,
            source_dir: sdir,
            dir,
            slug,
            template,
            page_template,
        });
    }
    // Home first, then sections in path order.
    sections.sort_by_key(|d| !matches!(d.doc.front, Front::Home(_)));
    (sections, pages)
}

/// What the Markdown renderer is told about a document.
fn markdown_input<'a>(
    doc: &'a Document,
    text: &'a Arc<str>,
    source_dir: &'a str,
    page_dir: &'a str,
    expander: &'a figures::expand::Expander<'a>,
    raw_html: bool,
) -> markdown::Input<'a> {
    markdown::Input {
        path: &doc.file.path,
        text,
        body: doc.body.clone(),
        source_dir,
        page_dir,
        take_title: front_title(&doc.front).is_none(),
        shortcodes: Some(expander),
        raw_html,
        lines: Default::default(),
    }
}

/// Where every source path under `content/` ends up, for links between
/// files: from (source path, output folder) of each page and section.
fn link_targets<'a>(
    documents: impl Iterator<Item = (&'a str, &'a str)>,
    assets: &[Asset],
    edition: Option<&str>,
) -> HashMap<String, String> {
    let mut targets = HashMap::new();
    let mut untranslated = Vec::new();
    for (source, dir) in documents {
        let rel = &source["content/".len()..];
        targets.insert(rel.to_string(), urls::index_of(dir));
        // In a translation, `trade.md` means the page in its language.
        if let Some(l) = edition
            && let Some(base) = rel.strip_suffix(&format!(".{l}.md"))
        {
            untranslated.push((format!("{base}.md"), urls::index_of(dir)));
        }
    }
    for (rel, out) in untranslated {
        targets.entry(rel).or_insert(out);
    }
    for a in assets {
        if let Some(rel) = a.source.strip_prefix("content/") {
            targets.insert(rel.to_string(), a.output.clone());
        }
    }
    targets
}

/// Sections by source folder.
type SectionIndex = HashMap<String, usize>;

/// The section (index into `sections`) that owns content in folder `dir`:
/// the nearest folder at or above it with an `_index.md`; the home page
/// otherwise.
fn owner(sections: &SectionIndex, dir: &str) -> usize {
    let mut dir = dir;
    loop {
        if let Some(&i) = sections.get(dir) {
            return i;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = parent_of(dir);
    }
}

/// A body as rendered for the model, its HTML held or spilled.
struct RenderedBody {
    rendered: markdown::Rendered,
    shown: Vec<(crate::numbering::Kind, String)>,
    spilled: Option<crate::bodies::Spilled>,
}

impl RenderedBody {
    /// Nothing: the body of a file that could not be read again (its
    /// error stops the build).
    fn empty() -> Self {
        RenderedBody {
            rendered: markdown::Rendered::default(),
            shown: Vec::new(),
            spilled: None,
        }
    }

    /// `rendered`, its HTML written to `spill` if there is one (and kept
    /// should the write fail: memory is only the slower place).
    fn new(mut rendered: markdown::Rendered, spill: Option<&crate::bodies::Spill>) -> Self {
        let shown = crate::numbering::shown(&rendered.html);
        let spilled = spill.and_then(|s| s.put(&rendered.html).ok());
        if spilled.is_some() {
            rendered.html = String::new();
        }
        RenderedBody {
            rendered,
            shown,
            spilled,
        }
    }
}

/// A spill file for the bodies of these drafts, when their sources are
/// larger than the options allow to hold (and a temporary file can be
/// made).
fn spill_for(
    sections: &[Draft],
    pages: &[Draft],
    options: &ModelOptions,
) -> Option<Arc<crate::bodies::Spill>> {
    let limit = options.spill_above?;
    let size: usize = sections.iter().chain(pages).map(|d| d.doc.body.end).sum();
    if size <= limit {
        return None;
    }
    crate::huge_pages::leave_off();
    crate::bodies::Spill::new().ok().map(Arc::new)
}

/// The entry of draft `d` with its rendered body. What the entry keeps of
/// the draft is moved out of it, not copied: the draft is dropped next.
fn entry(d: &mut Draft, body: RenderedBody, template: TemplateRef) -> Entry {
    use std::mem::take;
    let RenderedBody {
        rendered: r,
        shown,
        spilled,
    } = body;
    let (description, weight, draft, extra) = match &mut d.doc.front {
        Front::Home(h) => (take(&mut h.description), None, false, take(&mut h.extra)),
        Front::Section(s) => (
            take(&mut s.description),
            s.weight,
            s.draft,
            take(&mut s.extra),
        ),
        Front::Page(p) => (
            take(&mut p.description),
            p.weight,
            p.draft,
            take(&mut p.extra),
        ),
    };
    let title = front_title(&d.doc.front)
        .or(r.title)
        .unwrap_or_else(|| humanize(&d.slug));
    let link_title = match &mut d.doc.front {
        Front::Home(h) => take(&mut h.link_title).unwrap_or_else(|| "Home".into()),
        Front::Section(s) => take(&mut s.link_title).unwrap_or_else(|| title.clone()),
        Front::Page(p) => take(&mut p.link_title).unwrap_or_else(|| title.clone()),
    };
    Entry {
        source: take(&mut d.doc.file.path),
        title,
        link_title,
        description,
        weight,
        draft,
        extra_keys: (!extra.is_empty()).then(|| Box::new(extra)),
        dir: take(&mut d.dir),
        content: r.html,
        spilled,
        shown,
        toc: r.toc,
        word_count: r.word_count,
        template,
        uses: r.uses,
        anchors: r.anchors,
    }
}

fn section(d: &mut Draft, r: RenderedBody, all: &SectionIndex) -> Section {
    let sort_by = match &d.doc.front {
        Front::Home(h) => h.sort_by,
        Front::Section(s) => s.sort_by,
        Front::Page(_) => unreachable!("pages are not sections"),
    };
    let parent = (!d.source_dir.is_empty()).then(|| owner(all, parent_of(&d.source_dir)));
    let template = d.template.clone();
    Section {
        entry: entry(d, r, template),
        sort_by,
        pages: Vec::new(),
        subsections: Vec::new(),
        parent,
    }
}

fn page(d: &mut Draft, r: RenderedBody, drafts: &[Draft], sections: &SectionIndex) -> Page {
    let Front::Page(front) = &mut d.doc.front else {
        unreachable!("only pages here")
    };
    let container = if file_stem(&d.doc.file.path) == "index" {
        parent_of(&d.source_dir)
    } else {
        &d.source_dir
    };
    let section = owner(sections, container);
    let template = match (&front.template, &drafts[section].page_template) {
        (None, Some(from_section)) => from_section.clone(),
        _ => std::mem::take(&mut d.template),
    };
    let authors = std::mem::take(&mut front.authors);
    Page {
        slug: std::mem::take(&mut d.slug),
        date: d.doc.date.take(),
        updated: d.doc.updated.take(),
        authors,
        entry: entry(d, r, template),
        section,
        lower: None,
        higher: None,
    }
}

/// Links pages and subsections to their sections, in order, and each page to
/// its neighbours.
fn order(sections: &mut [Section], pages: &mut [Page]) {
    for (i, p) in pages.iter().enumerate() {
        sections[p.section].pages.push(i);
    }
    for i in 1..sections.len() {
        if let Some(parent) = sections[i].parent {
            sections[parent].subsections.push(i);
        }
    }
    for s in 0..sections.len() {
        let mut list = std::mem::take(&mut sections[s].pages);
        sort_pages(&mut list, pages, sections[s].sort_by);
        for (k, &p) in list.iter().enumerate() {
            pages[p].lower = k.checked_sub(1).map(|k| list[k]);
            pages[p].higher = list.get(k + 1).copied();
        }
        sections[s].pages = list;
        let mut subs = std::mem::take(&mut sections[s].subsections);
        subs.sort_by(|&a, &b| by_weight_then_title(&sections[a].entry, &sections[b].entry));
        sections[s].subsections = subs;
    }
}

/// The home page's pages and subsections, by weight (unweighted last, pages
/// before sections among equals).
fn nav(sections: &[Section], pages: &[Page]) -> Vec<NavItem> {
    let entry = |n: &NavItem| match *n {
        NavItem::Page(p) => &pages[p].entry,
        NavItem::Section(s) => &sections[s].entry,
    };
    let mut nav: Vec<NavItem> = sections[0]
        .pages
        .iter()
        .map(|&p| NavItem::Page(p))
        .chain(sections[0].subsections.iter().map(|&s| NavItem::Section(s)))
        .collect();
    nav.sort_by(|a, b| {
        let (a, b) = (entry(a), entry(b));
        a.weight
            .is_none()
            .cmp(&b.weight.is_none())
            .then(a.weight.cmp(&b.weight))
    });
    nav
}

fn front_title(front: &Front) -> Option<String> {
    match front {
        Front::Home(h) => h.title.clone(),
        Front::Section(s) => s.title.clone(),
        Front::Page(p) => p.title.clone(),
    }
}

fn template_ref(doc: &Document, t: Option<&toml::Spanned<String>>, default: &str) -> TemplateRef {
    match t {
        Some(t) => TemplateRef {
            name: t.get_ref().clone(),
            requested_at: Some(Box::new(doc.front_location(t))),
        },
        None => TemplateRef {
            name: default.to_string(),
            requested_at: None,
        },
    }
}

fn meta(home: &Document, options: &ModelOptions) -> Result<Meta, Vec<Diagnostic>> {
    let Front::Home(h) = &home.front else {
        unreachable!("called with the home page")
    };
    let mut errors = Vec::new();
    let title = match &h.title {
        Some(t) if !t.trim().is_empty() => t.clone(),
        _ => {
            let text = &home.file.text;
            let at = Location::in_source(
                home.file.path.clone(),
                text,
                0..text.find('\n').unwrap_or(0),
            );
            errors.push(
                Diagnostic::error("no-title", "the briefing has no title")
                    .at(at)
                    .expected("`title = \"…\"` in the front matter of `content/_index.md`")
                    .hint("the home page's front matter holds the briefing-wide metadata: title, subtitle, date, authors, language, description, base_url"),
            );
            String::new()
        }
    };
    let language = match (&h.language, &options.edition) {
        // A translated edition is in its language, whatever its file says.
        (_, Some(edition)) => edition.clone(),
        (None, None) => "en".to_string(),
        (Some(l), None) if is_language_tag(l.get_ref()) => l.get_ref().clone(),
        (Some(l), None) => {
            errors.push(
                Diagnostic::error(
                    "bad-language",
                    format!("`{}` is not a language tag", l.get_ref()),
                )
                .at(home.front_location(l))
                .expected("a BCP 47 tag such as `en`, `az` or `zh-Hans`")
                .hint("the tag goes into `<html lang>` for screen readers and search engines"),
            );
            String::new()
        }
    };
    let base_url = match (&options.base_url, &h.base_url) {
        (Some(cli), _) => match urls::normalize_base_url(cli) {
            Ok(u) => Some(u),
            Err(expected) => {
                errors.push(
                    Diagnostic::error("bad-base-url", format!("`--base-url {cli}` is not a usable base URL"))
                        .expected(expected)
                        .hint("pass the address the site will be published at, e.g. `--base-url https://user.example/repo/`"),
                );
                None
            }
        },
        (None, Some(b)) => match urls::normalize_base_url(b.get_ref()) {
            Ok(u) => Some(u),
            Err(expected) => {
                errors.push(
                    Diagnostic::error("bad-base-url", format!("`{}` is not a usable base URL", b.get_ref()))
                        .at(home.front_location(b))
                        .expected(expected)
                        .hint("write the address the site will be published at, e.g. `base_url = \"https://user.example/repo/\"`"),
                );
                None
            }
        },
        (None, None) => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Meta {
        title,
        subtitle: h.subtitle.clone(),
        description: h.description.clone(),
        date: home.date.clone(),
        updated: home.updated.clone(),
        authors: h.authors.clone(),
        language,
        base_url,
        extra: h.extra.clone(),
        raw_html: h.raw_html.unwrap_or(true),
        pdf: h.pdf.build.then(|| PdfEdition {
            path: match &options.edition {
                Some(l) => format!("{l}/{PDF_FILE}"),
                None => PDF_FILE.to_string(),
            },
            paper: h.pdf.paper,
        }),
    })
}

/// A language code as it appears in a file name (`trade.az.md`): a
/// lowercase language tag.
pub fn is_language_code(s: &str) -> bool {
    is_language_tag(s)
        && s.split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_lowercase()))
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn bad_path(doc: &Document, value: &toml::Spanned<String>, key: &str, why: String) -> Diagnostic {
    Diagnostic::error(
        "bad-front-matter-value",
        format!("invalid `{key}` {:?}", value.get_ref()),
    )
    .at(doc.front_location(value))
    .expected(why)
    .hint(format!(
        "`{key}` may only name folders inside the output folder, e.g. `{key} = \"{}\"`",
        if key == "slug" {
            "middle-corridor"
        } else {
            "transport/middle-corridor"
        }
    ))
}

/// Pages by the section's order: weight (unweighted last), then date (newest
/// first), then title; by date or title alone when the section says so. The
/// source path breaks remaining ties, so the order never depends on the machine.
fn sort_pages(list: &mut [usize], pages: &[Page], sort_by: SortBy) {
    list.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        let by_date = || pb.date.cmp(&pa.date);
        let by_title = || pa.entry.title.cmp(&pb.entry.title);
        let by_path = || pa.entry.source.cmp(&pb.entry.source);
        match sort_by {
            SortBy::Weight => pa
                .entry
                .weight
                .is_none()
                .cmp(&pb.entry.weight.is_none())
                .then(pa.entry.weight.cmp(&pb.entry.weight))
                .then_with(by_date)
                .then_with(by_title),
            SortBy::Date => by_date().then_with(by_title),
            SortBy::Title => by_title(),
        }
        .then_with(by_path)
    });
}

fn by_weight_then_title(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    a.weight
        .is_none()
        .cmp(&b.weight.is_none())
        .then(a.weight.cmp(&b.weight))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.source.cmp(&b.source))
}

/// `content/a/b/c.md` → `a/b`; `content/x.md` → `""`.
fn source_dir(path: &str) -> String {
    let rel = &path["content/".len()..];
    parent_of(rel).to_string()
}

fn parent_of(dir: &str) -> &str {
    dir.rfind('/').map_or("", |i| &dir[..i])
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// `"a b/Trade"` → `"a-b/trade/"`; `""` → `""`.
/// A file's stem without the language of its edition: `trade.az.md` is
/// `trade` in the `az` edition.
fn edition_stem<'p>(path: &'p str, edition: Option<&str>) -> &'p str {
    let stem = file_stem(path);
    match edition {
        Some(l) => stem
            .strip_suffix(l)
            .and_then(|s| s.strip_suffix('.'))
            .unwrap_or(stem),
        None => stem,
    }
}

fn slug_dir(dir: &str) -> String {
    dir.split('/')
        .filter(|p| !p.is_empty())
        .map(|p| format!("{}/", urls::slugify(p)))
        .collect()
}

/// A fallback title from a slug: `middle-corridor` → `Middle corridor`.
fn humanize(slug: &str) -> String {
    let s = slug.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Home".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_slugified() {
        assert_eq!(slug_dir("Trade Flows/2024"), "trade-flows/2024/");
        assert_eq!(slug_dir(""), "");
        assert_eq!(source_dir("content/a/b.md"), "a");
        assert_eq!(source_dir("content/b.md"), "");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("zh-Hans"));
        assert!(is_language_tag("az-Latn-AZ"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag("e"));
    }

    #[test]
    fn humanized_titles() {
        assert_eq!(humanize("middle-corridor"), "Middle corridor");
        assert_eq!(humanize(""), "Home");
    }
}
