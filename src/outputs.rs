//! Every file a build writes, and where each comes from.
//!
//! Pages and sections, the files copied from `content/` and `static/`, each
//! chart's and table's data, the site-wide files (sitemap, feed, robots,
//! 404) and the theme's stylesheet all land in one output folder. This is
//! the one list of them, made from the model: the render stage writes the
//! generated ones from it, and the check stage finds every clash in it
//! (two sources for one file, or a file where another source needs a
//! folder) before anything is written, naming both sources.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::Use;
use crate::model::Site;
use crate::theme;

/// What makes an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A page or section: index into [`Site::entries`] order.
    Entry(usize),
    /// A file copied from the site: index into `site.assets`.
    Asset(usize),
    /// A site-wide file of the theme, rendered (`sitemap.xml` …).
    SiteFile(&'static str),
    /// A file of the theme, copied as it is (`style.css` …).
    ThemeAsset(usize),
    /// A chart's data (`charts/ID.csv`): index into the book's charts.
    ChartData(usize),
    /// A table's data beside a page that shows it: (table, entry, format).
    TableData(usize, usize, Download),
    /// The PDF edition of the site's language, typeset from its rendered
    /// pages.
    Pdf,
}

/// The formats a table's data is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

impl Download {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Download::Csv => "csv",
            Download::Json => "json",
        }
    }
}

/// One output file.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// What makes it.
    pub origin: Origin,
}

/// Every file a build of `site` writes, in the order render emits them. A
/// translated edition writes its pages and their table downloads; the
/// copied files, the site-wide files and the charts' data (the same in
/// every language) come from the briefing's own language.
pub fn plan(site: &Site) -> Vec<Planned> {
    let mut out = Vec::new();
    let mut push = |path: String, origin| out.push(Planned { path, origin });
    for (i, e) in site.entries().enumerate() {
        push(e.output(), Origin::Entry(i));
    }
    let shared = site.edition.is_none();
    for (i, a) in site.assets.iter().enumerate() {
        push(a.output.clone(), Origin::Asset(i));
    }
    let overridden = |name: &str| site.assets.iter().any(|a| a.output == name);
    for name in theme::SITE_FILES {
        if shared && !overridden(name) {
            push(name.to_string(), Origin::SiteFile(name));
        }
    }
    // Each language has its own feed.
    if let Some(l) = &site.edition {
        push(format!("{l}/atom.xml"), Origin::SiteFile("atom.xml"));
    }
    for (i, chart) in site.figures.charts.iter().enumerate() {
        if shared {
            push(crate::figures::chart::csv_path(chart), Origin::ChartData(i));
        }
    }
    for (i, e) in site.entries().enumerate() {
        for u in &e.uses {
            if let Use::Table(t) = *u {
                let id = &site.figures.tables[t].id;
                for kind in [Download::Csv, Download::Json] {
                    let path = format!("{}{id}.{}", e.dir, kind.extension());
                    push(path, Origin::TableData(t, i, kind));
                }
            }
        }
    }
    for (i, (name, _)) in theme::ASSETS.iter().enumerate() {
        if shared && !overridden(name) {
            push(name.to_string(), Origin::ThemeAsset(i));
        }
    }
    if let Some(pdf) = &site.meta.pdf {
        push(pdf.path.clone(), Origin::Pdf);
    }
    out
}

/// Who makes a file, in the user's words, and where to look.
fn describe(site: &Site, origin: Origin) -> (String, Location) {
    let entries: Vec<_> = site.entries().collect();
    let data_at = |needle: String| {
        let file = site.data.file.as_ref();
        match file.and_then(|f| f.text.find(&needle).map(|i| (f, i))) {
            Some((f, i)) => Location::in_source(f.path.clone(), &f.text, i..i + needle.len()),
            None => Location::at("content/data.toml", 1, 1),
        }
    };
    match origin {
        Origin::Entry(i) => {
            let source = &entries[i].source;
            (format!("`{source}`"), Location::at(source.clone(), 1, 1))
        }
        Origin::Asset(i) => {
            let source = &site.assets[i].source;
            (format!("`{source}`"), Location::at(source.clone(), 1, 1))
        }
        Origin::Pdf => (
            "the PDF edition".to_string(),
            Location::at("content/_index.md", 1, 1),
        ),
        Origin::SiteFile(name) => (
            format!("the generated `{name}`"),
            Location::at("content/_index.md", 1, 1),
        ),
        Origin::ThemeAsset(i) => {
            let name = theme::ASSETS[i].0;
            (
                format!("the theme's `{name}`"),
                Location::at("content/_index.md", 1, 1),
            )
        }
        Origin::ChartData(c) => {
            let id = &site.figures.charts[c].id;
            (
                format!("the data of chart `{id}`"),
                data_at(format!("[charts.{id}]")),
            )
        }
        Origin::TableData(t, e, kind) => {
            let table = &site.figures.tables[t];
            (
                format!(
                    "the {} download of table `{}` shown on `{}`",
                    kind.extension().to_uppercase(),
                    table.id,
                    entries[e].source
                ),
                table.at.clone(),
            )
        }
    }
}

/// Every clash in the plan: two sources for one file, or a file at a path
/// that another output needs as a folder. One error per clashing path,
/// naming every source.
pub fn clashes(site: &Site, planned: &[Planned]) -> Vec<Diagnostic> {
    // Each path's first owner, hashed: a sorted map of every path (and a
    // list of owners for each) was a tenth of the serial time between
    // rendering the bodies and the pages at 10,000 pages. Paths with
    // several owners are few, and reported in path order.
    let mut first: HashMap<&str, Origin> = HashMap::with_capacity(planned.len());
    let mut shared: BTreeMap<&str, Vec<Origin>> = BTreeMap::new();
    for p in planned {
        match first.entry(p.path.as_str()) {
            Entry::Vacant(v) => {
                v.insert(p.origin);
            }
            Entry::Occupied(o) if *o.get() != p.origin => {
                let owners = shared.entry(o.key()).or_insert_with(|| vec![*o.get()]);
                if !owners.contains(&p.origin) {
                    owners.push(p.origin);
                }
            }
            Entry::Occupied(_) => {}
        }
    }
    let mut out: Vec<Diagnostic> = shared
        .iter()
        .map(|(path, owners)| same_file(site, path, owners))
        .collect();
    out.extend(case_clashes(site, planned, &first));
    let mut reported: HashSet<&str> = HashSet::new();
    for p in planned {
        let mut folder = p.path.as_str();
        while let Some(cut) = folder.rfind('/') {
            folder = &folder[..cut];
            if let Some(&file) = first.get(folder)
                && reported.insert(folder)
            {
                out.push(file_and_folder(site, folder, file, &p.path, p.origin));
            }
        }
    }
    out
}

/// Paths that differ only in case (`Logo.png` and `logo.png`): one file on
/// the case-insensitive disks of macOS and Windows, and on hosts served from
/// them, so one would silently replace the other there. A warning per group,
/// naming every source.
fn case_clashes(
    site: &Site,
    planned: &[Planned],
    first: &HashMap<&str, Origin>,
) -> Vec<Diagnostic> {
    let mut folded: HashMap<String, Vec<&str>> = HashMap::new();
    for p in planned {
        let paths = folded.entry(p.path.to_lowercase()).or_default();
        if !paths.contains(&p.path.as_str()) {
            paths.push(p.path.as_str());
        }
    }
    let mut groups: Vec<Vec<&str>> = folded.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort();
    groups
        .iter()
        .map(|paths| {
            let (who, at) = describe(site, first[paths[0]]);
            let mut d = Diagnostic::warning(
                "case-clash",
                format!(
                    "{who} writes `{}`, which differs only in case from `{}`",
                    paths[0], paths[1]
                ),
            )
            .at(at)
            .expected("output paths that differ in more than case");
            for other in &paths[1..] {
                let (who, at) = describe(site, first[other]);
                d = d.note(format!("{who} writes `{other}`"), at);
            }
            d.hint("rename one of them: on macOS and Windows, and hosts that serve from them, the two are one file and one replaces the other")
        })
        .collect()
}

fn same_file(site: &Site, path: &str, owners: &[Origin]) -> Diagnostic {
    let (first, at) = describe(site, owners[0]);
    let (second, _) = describe(site, owners[1]);
    let mut d = Diagnostic::error(
        "output-clash",
        format!("{first} and {second} would both write `{path}`"),
    )
    .at(at)
    .expected("one source per output file");
    for &other in &owners[1..] {
        let (who, at) = describe(site, other);
        d = d.note(format!("{who} writes it too"), at);
    }
    d.hint("rename one of them, or give one a different `slug` or `path` in its front matter")
}

fn file_and_folder(
    site: &Site,
    folder: &str,
    file_origin: Origin,
    inner: &str,
    inner_origin: Origin,
) -> Diagnostic {
    let (file_who, file_at) = describe(site, file_origin);
    let (inner_who, inner_at) = describe(site, inner_origin);
    Diagnostic::error("output-clash", format!(
        "{file_who} writes the file `{folder}`, but {inner_who} needs a folder of that name for `{inner}`"
    ))
    .at(inner_at)
    .expected("a path that is not also another output's folder")
    .note(format!("{file_who} writes `{folder}`"), file_at)
    .hint("rename one of them, or give the page a different `slug` or `path` in its front matter")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let parsed = crate::parse::parse(crate::load::load(dir.path()).unwrap()).unwrap();
        crate::model::build(parsed, &Default::default()).unwrap()
    }

    fn messages(site: &Site) -> Vec<String> {
        clashes(site, &plan(site))
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_page_where_a_site_file_is_and_a_static_file_over_a_table_download() {
        let data = "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n\
                    [figures.a]\nlabel = \"A\"\nvalue = 1\nperiod = \"2023\"\nsource = \"s\"\n\
                    [tables.gas]\ncaption = \"Gas\"\nfigures = [\"a\"]\n";
        let s = site(&[
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            (
                "content/err.md",
                "+++\ntitle = \"E\"\npath = \"404.html\"\n+++\n",
            ),
            (
                "content/gas.md",
                "+++\ntitle = \"G\"\n+++\n{{ table(id=\"gas\") }}\n",
            ),
            ("content/data.toml", data),
            ("static/gas/gas.csv", "mine"),
            (
                "static/robots.txt",
                "mine: replaces the generated one on purpose",
            ),
        ]);
        let m = messages(&s);
        assert_eq!(m.len(), 2, "{m:#?}");
        assert!(m.iter().any(
            |x| x.contains("`static/gas/gas.csv`") && x.contains("CSV download of table `gas`")
        ));
        assert!(m.iter().any(
            |x| x.contains("the generated `404.html` writes the file `404.html`")
                && x.contains("`content/err.md`")
        ));
    }

    #[test]
    fn regression_static_files_that_differ_only_in_case_collided_without_a_word() {
        let s = site(&[
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            ("content/trade.md", "+++\ntitle = \"B\"\n+++\n"),
            ("static/Trade/index.html", "mine"),
            ("static/Logo.png", "a"),
            ("static/logo.png", "b"),
            ("static/img/x.png", "c"),
            ("static/Img/y.png", "d"),
        ]);
        let found = clashes(&s, &plan(&s));
        let m: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(m.len(), 2, "{m:#?}");
        assert!(
            found
                .iter()
                .all(|d| !d.is_error() && d.code == "case-clash")
        );
        assert!(
            m.contains(
                &"`static/Logo.png` writes `Logo.png`, which differs only in case from `logo.png`"
            ),
            "{m:#?}"
        );
        assert!(
            m.iter().any(|x| x.contains(
                "`Trade/index.html`, which differs only in case from `trade/index.html`"
            )),
            "{m:#?}"
        );
    }
}
