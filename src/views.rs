//! What templates see: typed views that borrow from the [`Site`].
//!
//! Each view is a struct of references into the model plus the few values that
//! depend on the page being rendered (relative URLs). Field names follow Zola
//! (`page.title`, `section.pages`, `page.toc` …) wherever the idea is the same.
//! One difference is deliberate: `permalink` is a URL relative to the page
//! being rendered, so that a built site works under any subpath and from disk;
//! the absolute address, when a base URL is known, is `canonical`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::model::{Entry, Meta, NavItem, Page, Section, Site};
use crate::toc::Toc;
use crate::urls;

/// A TOML value as templates should see it: dates as strings.
pub struct TomlView<'a>(pub &'a toml::Value);

/// A TOML table as templates should see it.
pub struct TableView<'a>(pub &'a toml::Table);

impl Serialize for TomlView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            toml::Value::String(v) => s.serialize_str(v),
            toml::Value::Integer(v) => s.serialize_i64(*v),
            toml::Value::Float(v) => s.serialize_f64(*v),
            toml::Value::Boolean(v) => s.serialize_bool(*v),
            toml::Value::Datetime(v) => s.collect_str(v),
            toml::Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&TomlView(item))?;
                }
                seq.end()
            }
            toml::Value::Table(t) => TableView(t).serialize(s),
        }
    }
}

impl Serialize for TableView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &TomlView(v))?;
        }
        map.end()
    }
}

/// `config`: the briefing-wide metadata.
#[derive(serde::Serialize)]
pub struct ConfigView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    description: Option<&'a str>,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    authors: &'a [String],
    language: &'a str,
    base_url: Option<&'a str>,
    /// The PDF edition's path in the output folder, for `get_url`.
    pdf: Option<&'a str>,
    extra: TableView<'a>,
}

impl<'a> ConfigView<'a> {
    /// The view of the site's metadata.
    pub fn new(meta: &'a Meta) -> Self {
        ConfigView {
            title: &meta.title,
            subtitle: meta.subtitle.as_deref(),
            description: meta.description.as_deref(),
            date: meta.date.as_deref(),
            updated: meta.updated.as_deref(),
            authors: &meta.authors,
            language: &meta.language,
            base_url: meta.base_url.as_deref(),
            pdf: meta.pdf.as_ref().map(|p| p.path.as_str()),
            extra: TableView(&meta.extra),
        }
    }
}

/// Where a page is rendered: URLs in views are relative to this folder.
#[derive(Clone, Copy)]
pub struct Here<'a> {
    /// The site.
    pub site: &'a Site,
    /// Output folder of the page being rendered.
    pub dir: &'a str,
}

impl<'a> Here<'a> {
    fn permalink(&self, e: &Entry) -> String {
        urls::relative(self.dir, &e.output())
    }

    fn canonical(&self, e: &Entry) -> Option<String> {
        self.site
            .meta
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", e.dir))
    }
}

/// A page or section as an item in a list (`section.pages`, `page.lower`):
/// everything but its content.
#[derive(serde::Serialize)]
pub struct EntryLink<'a> {
    title: &'a str,
    link_title: &'a str,
    description: Option<&'a str>,
    date: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    permalink: String,
    path: &'a str,
    relative_path: &'a str,
    word_count: usize,
    reading_time: usize,
    extra: TableView<'a>,
}

impl<'a> EntryLink<'a> {
    fn new(here: Here<'a>, e: &'a Entry, date: Option<&'a str>) -> Self {
        EntryLink {
            title: &e.title,
            link_title: &e.link_title,
            description: e.description.as_deref(),
            date,
            weight: e.weight,
            draft: e.draft,
            permalink: here.permalink(e),
            path: &e.dir,
            relative_path: relative_path(e),
            word_count: e.word_count,
            reading_time: e.reading_time(),
            extra: TableView(e.extra()),
        }
    }

    fn page(here: Here<'a>, p: &'a Page) -> Self {
        Self::new(here, &p.entry, p.date.as_deref())
    }

    /// A section as a list item (and as `section` in page templates).
    pub fn section(here: Here<'a>, s: &'a Section) -> Self {
        Self::new(here, &s.entry, None)
    }
}

fn relative_path(e: &Entry) -> &str {
    e.source.strip_prefix("content/").unwrap_or(&e.source)
}

/// `page`: the page being rendered.
#[derive(serde::Serialize)]
pub struct PageView<'a> {
    title: &'a str,
    link_title: &'a str,
    description: Option<&'a str>,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    slug: &'a str,
    authors: &'a [String],
    content: &'a str,
    toc: &'a Toc,
    word_count: usize,
    reading_time: usize,
    permalink: String,
    canonical: Option<String>,
    path: &'a str,
    relative_path: &'a str,
    extra: TableView<'a>,
    lower: Option<EntryLink<'a>>,
    higher: Option<EntryLink<'a>>,
    ancestors: Vec<EntryLink<'a>>,
}

/// Which of the costlier parts of a page's view its template names, with
/// the templates it extends and includes. A part they don't name cannot be
/// read, so it is not built:
/// on a large site, building every page's neighbours and headings for
/// templates that never show them is most of the rendering work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    /// `lower` and `higher`.
    pub neighbours: bool,
    /// `ancestors`.
    pub ancestors: bool,
    /// `toc`.
    pub toc: bool,
}

impl Wanted {
    /// Everything.
    pub const ALL: Wanted = Wanted {
        neighbours: true,
        ancestors: true,
        toc: true,
    };

    /// What the given template sources mention.
    pub fn named_in<'t>(sources: impl IntoIterator<Item = &'t str>) -> Wanted {
        let mut w = Wanted {
            neighbours: false,
            ancestors: false,
            toc: false,
        };
        for s in sources {
            w.neighbours |= s.contains("lower") || s.contains("higher");
            w.ancestors |= s.contains("ancestors");
            w.toc |= s.contains("toc");
        }
        w
    }
}

impl<'a> PageView<'a> {
    /// The view of page `p`, rendered at its own folder, with the parts of
    /// it that templates can read; `content` is its body
    /// ([`Site::content_of`](crate::model::Site::content_of)).
    pub fn new(here: Here<'a>, p: &'a Page, wanted: Wanted, content: &'a str) -> Self {
        let site = here.site;
        let e = &p.entry;
        let link = |i: Option<usize>| {
            i.filter(|_| wanted.neighbours)
                .map(|i| EntryLink::page(here, &site.pages[i]))
        };
        PageView {
            title: &e.title,
            link_title: &e.link_title,
            description: e.description.as_deref(),
            date: p.date.as_deref(),
            updated: p.updated.as_deref(),
            weight: e.weight,
            draft: e.draft,
            slug: &p.slug,
            authors: &p.authors,
            content,
            toc: if wanted.toc {
                &e.toc
            } else {
                &crate::toc::EMPTY
            },
            word_count: e.word_count,
            reading_time: e.reading_time(),
            permalink: here.permalink(e),
            canonical: here.canonical(e),
            path: &e.dir,
            relative_path: relative_path(e),
            extra: TableView(e.extra()),
            lower: link(p.lower),
            higher: link(p.higher),
            ancestors: if wanted.ancestors {
                ancestors(here, Some(p.section))
            } else {
                Vec::new()
            },
        }
    }
}

/// `section`: the section being rendered, or the page's section.
#[derive(serde::Serialize)]
pub struct SectionView<'a> {
    title: &'a str,
    link_title: &'a str,
    description: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    content: &'a str,
    toc: &'a Toc,
    word_count: usize,
    reading_time: usize,
    permalink: String,
    canonical: Option<String>,
    path: &'a str,
    relative_path: &'a str,
    extra: TableView<'a>,
    pages: Vec<EntryLink<'a>>,
    subsections: Vec<EntryLink<'a>>,
    ancestors: Vec<EntryLink<'a>>,
}

impl<'a> SectionView<'a> {
    /// The view of section `s`, whose body is `content`.
    pub fn new(here: Here<'a>, s: &'a Section, content: &'a str) -> Self {
        let site = here.site;
        let e = &s.entry;
        SectionView {
            title: &e.title,
            link_title: &e.link_title,
            description: e.description.as_deref(),
            weight: e.weight,
            draft: e.draft,
            content,
            toc: &e.toc,
            word_count: e.word_count,
            reading_time: e.reading_time(),
            permalink: here.permalink(e),
            canonical: here.canonical(e),
            path: &e.dir,
            relative_path: relative_path(e),
            extra: TableView(e.extra()),
            pages: s
                .pages
                .iter()
                .map(|&i| EntryLink::page(here, &site.pages[i]))
                .collect(),
            subsections: s
                .subsections
                .iter()
                .map(|&i| EntryLink::section(here, &site.sections[i]))
                .collect(),
            ancestors: ancestors(here, s.parent),
        }
    }
}

/// Sections from the home page down to `from`, inclusive.
fn ancestors(here: Here<'_>, from: Option<usize>) -> Vec<EntryLink<'_>> {
    let mut chain = Vec::new();
    let mut cur = from;
    while let Some(i) = cur {
        let s = &here.site.sections[i];
        chain.push(EntryLink::section(here, s));
        cur = s.parent;
    }
    chain.reverse();
    chain
}

/// An item of `nav`, the briefing's main navigation.
#[derive(serde::Serialize)]
pub struct NavLink<'a> {
    title: &'a str,
    permalink: String,
    /// The page being rendered is this item or below it.
    current: bool,
}

/// The main navigation as seen from `here`.
pub fn nav(here: Here<'_>) -> Vec<NavLink<'_>> {
    let site = here.site;
    site.nav
        .iter()
        .map(|item| {
            let e = match *item {
                NavItem::Page(i) => &site.pages[i].entry,
                NavItem::Section(i) => &site.sections[i].entry,
            };
            let current = match *item {
                NavItem::Page(_) => e.dir == here.dir,
                NavItem::Section(_) => here.dir.starts_with(e.dir.as_str()),
            };
            NavLink {
                title: &e.link_title,
                permalink: here.permalink(e),
                current,
            }
        })
        .collect()
}

/// A version of the page being rendered in one of the briefing's
/// languages (`translations`), for `hreflang` links and a language switcher.
#[derive(serde::Serialize)]
pub struct TranslationLink<'a> {
    /// The language code (`az`).
    lang: &'a str,
    /// The language's name in itself (`Azərbaycanca`).
    name: &'static str,
    /// Relative to the page being rendered.
    permalink: String,
    /// Absolute, when a base URL is known.
    canonical: Option<String>,
    /// This is the page being rendered.
    current: bool,
}

/// The page with output path `out` in every language of the briefing;
/// empty for a briefing in one language.
pub fn translations<'a>(here: Here<'a>, out: &str) -> Vec<TranslationLink<'a>> {
    let site = here.site;
    if site.editions.languages.len() < 2 {
        return Vec::new();
    }
    site.editions
        .of(out)
        .into_iter()
        .map(|(lang, path)| TranslationLink {
            lang: site
                .editions
                .languages
                .iter()
                .find(|l| *l == lang)
                .map_or("", String::as_str),
            name: language_name(lang),
            permalink: urls::relative(here.dir, path),
            canonical: site
                .meta
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", path.strip_suffix("index.html").unwrap_or(path))),
            current: path == out,
        })
        .collect()
}

/// A language's name in itself, for the language switcher.
fn language_name(code: &str) -> &'static str {
    match code.split('-').next().unwrap_or(code) {
        "en" => "English",
        "az" => "Azərbaycanca",
        "zh" => "中文",
        "ru" => "Русский",
        "tr" => "Türkçe",
        "fr" => "Français",
        "de" => "Deutsch",
        _ => "",
    }
}

/// A page as listed in the sitemap and the feed.
#[derive(serde::Serialize)]
pub struct Listed<'a> {
    /// Absolute with a base URL, otherwise relative to the site root.
    url: String,
    title: &'a str,
    description: Option<&'a str>,
    /// RFC 3339 date-time of the last change, if the page is dated.
    updated: Option<String>,
}

/// What the site-wide files (`sitemap.xml`, `atom.xml`, `robots.txt`,
/// `404.html`) are rendered with.
#[derive(serde::Serialize)]
pub struct Published<'a> {
    /// Every page and section.
    entries: Vec<Listed<'a>>,
    /// The briefing and its dated pages, newest first.
    feed: Vec<Listed<'a>>,
    /// The home page.
    home: Listed<'a>,
    /// The newest date of the feed.
    updated: String,
    /// The feed's own URL.
    feed_url: String,
    /// The sitemap's absolute URL, when a base URL is known.
    sitemap: Option<String>,
    /// The base URL, for `<base href>` on the 404 page.
    base_href: Option<&'a str>,
    /// The theme's stylesheet, for the 404 page to hold when no base URL is
    /// known: a static host serves that page at any depth, where a relative
    /// link to `style.css` would miss. `None` when `static/style.css`
    /// replaces the theme's.
    inline_css: Option<&'static str>,
}

/// The newest dated pages the feed lists, as feed readers expect (Hugo and
/// Zola limit theirs too).
pub const FEED_LIMIT: usize = 20;

/// `2024-01-24` → `2024-01-24T00:00:00Z`; date-times as written.
fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_string()
    }
}

impl<'a> Published<'a> {
    /// The lists of a site; `entries` (every page, for a sitemap template)
    /// only when `with_entries`.
    pub fn new(site: &'a Site, with_entries: bool) -> Self {
        let base = site.meta.base_url.as_deref();
        // Without a base URL, relative to the feed: an edition's is in its
        // own folder.
        let prefix = site
            .edition
            .as_ref()
            .map_or(String::new(), |l| format!("{l}/"));
        let url = |dir: &str| match base {
            Some(b) => format!("{b}{dir}"),
            None => match dir.strip_prefix(prefix.as_str()).unwrap_or(dir) {
                "" => "./".to_string(),
                rest => rest.to_string(),
            },
        };
        let listed = |e: &'a Entry, date: Option<&str>, updated: Option<&str>| Listed {
            url: url(&e.dir),
            title: &e.title,
            description: e.description.as_deref(),
            updated: updated.or(date).map(rfc3339),
        };
        let home_meta = &site.meta;
        let home = listed(
            &site.sections[0].entry,
            home_meta.date.as_deref(),
            home_meta.updated.as_deref(),
        );
        let mut entries: Vec<Listed<'a>> = Vec::new();
        if with_entries {
            let meta = home_meta;
            entries.push(listed(
                &site.sections[0].entry,
                meta.date.as_deref(),
                meta.updated.as_deref(),
            ));
            entries.extend(
                site.sections[1..]
                    .iter()
                    .map(|s| listed(&s.entry, None, None)),
            );
            entries.extend(
                site.pages
                    .iter()
                    .map(|p| listed(&p.entry, p.date.as_deref(), p.updated.as_deref())),
            );
        }
        let mut dated: Vec<&Page> = site
            .pages
            .iter()
            .filter(|p| p.date.is_some() || p.updated.is_some())
            .collect();
        // Newest first, then by title; each key computed once.
        dated.sort_by_cached_key(|p| {
            let date = rfc3339(
                p.updated
                    .as_deref()
                    .or(p.date.as_deref())
                    .unwrap_or_default(),
            );
            (std::cmp::Reverse(date), p.entry.title.as_str())
        });
        let mut feed: Vec<Listed<'a>> = Vec::new();
        if home.updated.is_some() {
            feed.push(listed(
                &site.sections[0].entry,
                home_meta.date.as_deref(),
                home_meta.updated.as_deref(),
            ));
        }
        feed.extend(
            dated
                .into_iter()
                .take(FEED_LIMIT)
                .map(|p| listed(&p.entry, p.date.as_deref(), p.updated.as_deref())),
        );
        let updated = feed
            .iter()
            .filter_map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        Published {
            entries,
            feed,
            home,
            updated,
            feed_url: url(&format!("{prefix}atom.xml")),
            sitemap: base.map(|b| format!("{b}sitemap.xml")),
            base_href: base,
            inline_css: theme_stylesheet(site),
        }
    }
}

/// The theme's `style.css` as text, unless the briefing ships its own.
fn theme_stylesheet(site: &Site) -> Option<&'static str> {
    if site.assets.iter().any(|a| a.output == "style.css") {
        return None;
    }
    crate::theme::ASSETS
        .iter()
        .find(|(name, _)| *name == "style.css")
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}

/// `sitemap.xml` written directly (the built-in template's output, without a
/// template loop over every page): the same bytes, a fraction of the work on
/// a large site.
pub fn sitemap(site: &Site) -> String {
    use std::fmt::Write;
    if site.editions.languages.len() > 1 {
        return sitemap_of_editions(site);
    }
    let base = site.meta.base_url.as_deref();
    let mut out = String::with_capacity(64 * (site.pages.len() + site.sections.len()) + 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    let mut add = |e: &Entry, updated: Option<&str>| {
        let url = match base {
            Some(b) => format!("{b}{}", e.dir),
            None if e.dir.is_empty() => "./".to_string(),
            None => e.dir.clone(),
        };
        let _ = write!(
            out,
            "\n<url><loc>{}</loc>",
            crate::figures::html::escape(&url)
        );
        if let Some(u) = updated {
            let _ = write!(
                out,
                "<lastmod>{}</lastmod>",
                crate::figures::html::escape(&rfc3339(u))
            );
        }
        out.push_str("</url>");
    };
    let meta = &site.meta;
    add(
        &site.sections[0].entry,
        meta.updated.as_deref().or(meta.date.as_deref()),
    );
    for s in &site.sections[1..] {
        add(&s.entry, None);
    }
    for p in &site.pages {
        add(&p.entry, p.updated.as_deref().or(p.date.as_deref()));
    }
    out.push_str("\n</urlset>\n");
    out
}

/// The sitemap of a briefing in several languages: every page of every
/// language, each with its translations as `hreflang` alternates.
fn sitemap_of_editions(site: &Site) -> String {
    use std::fmt::Write;
    let base = site.meta.base_url.as_deref().unwrap_or_default();
    let url = |out: &str| {
        let dir = out.strip_suffix("index.html").unwrap_or(out);
        let u = if base.is_empty() && dir.is_empty() {
            "./".to_string()
        } else {
            format!("{base}{dir}")
        };
        crate::figures::html::escape(&u)
    };
    let mut pages: Vec<(&str, &[Option<String>])> = site.editions.pages().collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">",
    );
    for (_, outputs) in pages {
        let versions: Vec<(&String, &str)> = site
            .editions
            .languages
            .iter()
            .zip(outputs)
            .filter_map(|(l, o)| o.as_deref().map(|o| (l, o)))
            .collect();
        for (_, here) in &versions {
            let _ = write!(out, "\n<url><loc>{}</loc>", url(here));
            if versions.len() > 1 {
                for (l, o) in &versions {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>",
                        url(o)
                    );
                }
            }
            out.push_str("</url>");
        }
    }
    out.push_str("\n</urlset>\n");
    out
}
