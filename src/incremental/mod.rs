//! Rebuilding after a save, for `briefing serve`: re-render only what an edit
//! can change.
//!
//! A full build costs time in proportion to the site (about 350 ms at 10,000
//! pages on two cores); an editor fixing a sentence should not wait for it.
//! [`Live`] keeps the last good site, its compiled templates and each
//! Markdown file's front matter. When every saved file is an existing page
//! whose front matter is byte-for-byte unchanged, and whose new body keeps
//! the page's title and the figures it shows (those reach other pages: the
//! navigation, listings, the sources page), only that page is rendered
//! again — with its section and neighbours when its word count changed, since
//! their lists show it. Anything else (a new, deleted or renamed file, a
//! section, the data file, a template, a static file, a draft) asks for a
//! full build, and so does every save after a failed one: the caller then
//! builds a new [`Live`]. In a briefing in several languages, a page's body
//! is rendered again in its own edition; its data file and templates are
//! shared by every edition, so their edits build everything again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::model::{EntryId, ModelOptions, Site};
use crate::outputs::Origin;
use crate::render::{Job, OutputFile, Templates};

pub mod data;

/// The last good build of a site, kept to rebuild it after an edit.
pub struct Live {
    root: PathBuf,
    sandbox: crate::sandbox::Sandbox,
    site: Site,
    templates: Templates,
    /// Each Markdown file's text up to its body, as built.
    fronts: HashMap<String, Box<str>>,
    /// Every file the site was built from, by path relative to the root.
    known: HashSet<String>,
    /// Pages by source path.
    pages: HashMap<String, usize>,
    /// Where each source path under `content/` ends up.
    targets: HashMap<String, String>,
    /// The data file's path, if there is one.
    data_path: Option<String>,
    /// The templates that read the data, when only pages rendered with
    /// them show it ([`data::data_templates`]).
    reading: Option<HashSet<String>>,
    /// The translated editions, each with its own model and templates:
    /// a save of a translated page's body re-renders it in its edition.
    translations: Vec<Edition>,
}

/// A translated edition of the briefing, as built.
struct Edition {
    site: Site,
    templates: Templates,
    /// Pages by source path.
    pages: HashMap<String, usize>,
    /// Where each source path under `content/` ends up in this edition.
    targets: HashMap<String, String>,
}

impl Edition {
    fn new(site: Site, templates: Templates) -> Edition {
        Edition {
            pages: pages_by_source(&site),
            targets: site.link_targets(),
            site,
            templates,
        }
    }
}

/// A site's pages by source path.
fn pages_by_source(site: &Site) -> HashMap<String, usize> {
    site.pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.entry.source.clone(), i))
        .collect()
}

/// The pages and sections of `site` written to the output paths `open`.
fn jobs_writing(site: &Site, open: &[String]) -> Vec<Job> {
    if open.is_empty() {
        return Vec::new();
    }
    let is_open = |e: &crate::model::Entry| open.contains(&e.output());
    let sections = (0..site.sections.len())
        .filter(|&i| is_open(&site.sections[i].entry))
        .map(Job::Section);
    let pages = (0..site.pages.len())
        .filter(|&i| is_open(&site.pages[i].entry))
        .map(Job::Page);
    sections.chain(pages).collect()
}

/// What an edit needs.
#[derive(Debug)]
pub enum Edit {
    /// The files that changed, re-rendered; every other file is as it was.
    Files(Vec<OutputFile>),
    /// A template edit with pages open in a browser: those pages, rendered
    /// with the new templates first, so that they reload at once. Every
    /// other file the templates make follows from [`Live::finish`].
    First(Vec<OutputFile>),
    /// Nothing the site is built from changed (an editor's temporary file).
    Nothing,
    /// The edit can change more than page bodies: build everything again.
    Full,
}

impl Live {
    /// Builds the site at `root` in memory: the state to rebuild from, and
    /// every output file.
    pub fn build(root: &Path, options: &ModelOptions) -> Result<(Live, Vec<OutputFile>), Error> {
        let parsed = crate::parse::parse(crate::load::load(root)?)?;
        let fronts = parsed
            .documents
            .iter()
            .map(|d| (d.file.path.clone(), Box::from(&d.file.text[..d.body.start])))
            .collect::<HashMap<_, _>>();
        let mut known: HashSet<String> = fronts.keys().cloned().collect();
        known.extend(parsed.data.file.as_ref().map(|f| f.path.clone()));
        known.extend(parsed.templates.iter().map(|(_, f)| f.path.clone()));
        known.extend(parsed.assets.iter().map(|a| a.source.clone()));
        let sandbox = parsed.sandbox.clone();
        let data_path = parsed.data.file.as_ref().map(|f| f.path.clone());
        let reading = data::data_templates(&template_texts(&parsed.templates));
        let (sites, _warnings) = crate::prepare_parsed_editions(parsed, options)?;
        let mut files = Vec::new();
        let mut compiled = Vec::with_capacity(sites.len());
        for site in &sites {
            let templates = crate::render::compile(site).map_err(Error::Input)?;
            files.extend(templates.render(site)?.files);
            compiled.push(templates);
        }
        let mut editions = sites.into_iter().zip(compiled);
        let Some((site, templates)) = editions.next() else {
            unreachable!("a briefing has its own language's edition")
        };
        let live = Live {
            root: root.to_path_buf(),
            sandbox,
            pages: pages_by_source(&site),
            targets: site.link_targets(),
            site,
            templates,
            fronts,
            known,
            data_path,
            reading,
            translations: editions.map(|(s, t)| Edition::new(s, t)).collect(),
        };
        Ok((live, files))
    }

    /// Applies the saves of `changed` (paths relative to the root, with `/`)
    /// if they change page bodies only. An error leaves this state behind a
    /// file on disk: drop it and build anew on the next save.
    pub fn edit(&mut self, changed: &BTreeSet<String>) -> Result<Edit, Error> {
        self.edit_open_first(changed, &[])
    }

    /// [`Live::edit`], with the output paths of the pages open in a
    /// browser (`index.html`, `s/p/index.html`): a template edit renders
    /// them first and answers [`Edit::First`]; [`Live::finish`] then
    /// renders the rest.
    pub fn edit_open_first(
        &mut self,
        changed: &BTreeSet<String>,
        open: &[String],
    ) -> Result<Edit, Error> {
        if !changed.is_empty() && changed.iter().all(|p| self.is_own_template(p)) {
            return self.edit_templates(changed, open);
        }
        let multilingual = !self.translations.is_empty();
        if multilingual {
            let Some(pages) = self.edited_pages(changed) else {
                return Ok(Edit::Full);
            };
            if pages.is_empty() {
                return Ok(Edit::Nothing);
            }
            return self.edit_translated_bodies(&pages);
        }
        if let Some(path) = &self.data_path
            && changed.len() == 1
            && changed.contains(path)
        {
            return self.edit_data(&path.clone());
        }
        let Some(pages) = self.edited_pages(changed) else {
            return Ok(Edit::Full);
        };
        if pages.is_empty() {
            return Ok(Edit::Nothing);
        }
        let pages: Vec<(usize, &str)> = pages.into_iter().map(|p| (self.pages[p], p)).collect();
        let at = Sources {
            sandbox: &self.sandbox,
            fronts: &self.fronts,
        };
        edit_bodies(&at, &mut self.site, &self.templates, &self.targets, &pages)
    }

    /// Applies saves of page bodies in a briefing in several languages:
    /// each page is rendered again in its own edition.
    fn edit_translated_bodies(&mut self, pages: &[&str]) -> Result<Edit, Error> {
        let at = Sources {
            sandbox: &self.sandbox,
            fronts: &self.fronts,
        };
        let own = (&mut self.site, &self.templates, &self.targets, &self.pages);
        let editions = std::iter::once(own).chain(
            self.translations
                .iter_mut()
                .map(|e| (&mut e.site, &e.templates, &e.targets, &e.pages)),
        );
        let mut files = Vec::new();
        for (site, templates, targets, by_source) in editions {
            let theirs: Vec<(usize, &str)> = pages
                .iter()
                .filter_map(|&p| Some((*by_source.get(p)?, p)))
                .collect();
            if theirs.is_empty() {
                continue;
            }
            match edit_bodies(&at, site, templates, targets, &theirs)? {
                Edit::Files(f) | Edit::First(f) => files.extend(f),
                Edit::Nothing => {}
                Edit::Full => return Ok(Edit::Full),
            }
        }
        Ok(Edit::Files(files))
    }

    /// Applies an edit of the data file: a new figure book, the Markdown of
    /// the pages whose text shows a changed figure, table, chart or event
    /// rendered again, the pages whose templates read the data, and the
    /// changed data downloads. The checks run again over the whole site;
    /// warnings of pages not rendered again stay as they were.
    fn edit_data(&mut self, path: &str) -> Result<Edit, Error> {
        let Some(reading) = self.reading.clone() else {
            return Ok(Edit::Full);
        };
        let input = |ds: Vec<Diagnostic>| Error::Input(Diagnostics(ds).sorted());
        let file = crate::load::reread(&self.sandbox, path)?;
        let mut data = crate::parse::parse_data(file).map_err(|d| input(vec![d]))?;
        let raw = data.raw.take().unwrap_or_default();
        let language = self.site.meta.language.clone();
        let (mut book, found) = crate::figures::build(data.file.as_ref(), raw, &language);
        book.words = self.site.figures.words.clone();
        let (errors, notes): (Vec<_>, Vec<_>) = found.into_iter().partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(input(errors));
        }
        let Some(changed) = data::changed(&self.site.figures, &book) else {
            return Ok(Edit::Full);
        };
        self.site.replace_figures(book, data, notes);
        if changed.is_empty() {
            return Ok(Edit::Nothing);
        }
        let (bodies, reread) = data::affected(&self.site, &changed, &reading);
        for &id in &bodies {
            let source = self.site.entry(id).source.clone();
            let doc = crate::parse::parse_document(crate::load::reread(&self.sandbox, &source)?)
                .map_err(input)?;
            if self.fronts.get(&source).map(|f| &**f) != Some(&doc.file.text[..doc.body.start]) {
                return Ok(Edit::Full);
            }
            let body = self
                .site
                .render_body(id, &doc, &self.targets)
                .map_err(input)?;
            let e = self.site.entry(id);
            if body.title != e.title || body.uses != e.uses || self.site.renumbers(id, &body) {
                return Ok(Edit::Full);
            }
            self.site.swap_body(id, body);
        }
        let errors: Vec<Diagnostic> = crate::check::check(&self.site)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if !errors.is_empty() {
            return Err(input(errors));
        }
        // The template functions hold the book they were compiled with.
        self.templates = crate::render::compile(&self.site).map_err(Error::Input)?;
        let jobs: Vec<Job> = bodies
            .iter()
            .chain(&reread)
            .map(|&id| match id {
                EntryId::Section(i) => Job::Section(i),
                EntryId::Page(i) => Job::Page(i),
            })
            .collect();
        let wanted = |o: Origin| match o {
            Origin::ChartData(c) => changed.charts.contains(&c),
            Origin::TableData(t, ..) => changed.tables.contains(&t),
            _ => false,
        };
        let files = crate::render::collect(|emit| {
            self.templates.render_jobs(&self.site, &jobs, emit)?;
            self.templates.render_downloads(&self.site, wanted, emit)
        })?;
        Ok(Edit::Files(files))
    }

    /// Whether `path` is the source of a page of any edition.
    fn is_page(&self, path: &str) -> bool {
        self.pages.contains_key(path)
            || self.translations.iter().any(|e| e.pages.contains_key(path))
    }

    /// Whether `path` is one of the site's templates, still a file.
    fn is_own_template(&self, path: &str) -> bool {
        self.site.templates.iter().any(|(_, f)| f.path == path) && self.root.join(path).is_file()
    }

    /// Applies edits of the site's templates: they are compiled again and
    /// every page, section and site-wide file of every edition rendered
    /// with them, from the model as it is: no Markdown is read or rendered
    /// again. Copied files do not change. The pages `open` in a browser
    /// come first ([`Edit::First`]) when there are any.
    fn edit_templates(
        &mut self,
        changed: &BTreeSet<String>,
        open: &[String],
    ) -> Result<Edit, Error> {
        let mut files = Vec::with_capacity(changed.len());
        for path in changed {
            files.push(crate::load::reread(&self.sandbox, path)?);
        }
        let editions = std::iter::once((&mut self.site, &mut self.templates)).chain(
            self.translations
                .iter_mut()
                .map(|e| (&mut e.site, &mut e.templates)),
        );
        let mut first = Vec::new();
        for (site, templates) in editions {
            for file in &files {
                if let Some(slot) = site.templates.iter_mut().find(|(_, f)| f.path == file.path) {
                    slot.1 = file.clone();
                }
            }
            *templates = crate::render::compile(site).map_err(Error::Input)?;
            let jobs = jobs_writing(site, open);
            let site = &*site;
            first.extend(crate::render::collect(|emit| {
                templates.render_jobs(site, &jobs, emit)
            })?);
        }
        self.reading = data::data_templates(&template_texts(&self.site.templates));
        if first.is_empty() {
            return self.finish().map(Edit::Files);
        }
        Ok(Edit::First(first))
    }

    /// Every file the templates make in every edition, rendered from the
    /// model as it is: the rest of an [`Edit::First`].
    pub fn finish(&self) -> Result<Vec<OutputFile>, Error> {
        let editions = std::iter::once((&self.site, &self.templates))
            .chain(self.translations.iter().map(|e| (&e.site, &e.templates)));
        let mut files = Vec::new();
        for (site, templates) in editions {
            let rendered = templates.render(site)?.files.into_iter();
            files.extend(
                rendered.filter(|f| matches!(f.contents, crate::render::Contents::Text(_))),
            );
        }
        Ok(files)
    }

    /// The built pages among `changed` (of any edition), or `None` when
    /// anything else the site is made of changed. Files that are not part
    /// of the site and do not exist (an editor's temporary file, already
    /// renamed) are skipped.
    fn edited_pages<'c>(&self, changed: &'c BTreeSet<String>) -> Option<Vec<&'c str>> {
        let mut pages = Vec::new();
        for path in changed {
            let disk = self.root.join(path);
            let exists = disk.exists();
            let known = self.known.contains(path);
            let dir = path.split('/').next().unwrap_or_default();
            let ignored = path
                .split('/')
                .skip(1)
                .any(|part| crate::load::is_ignored(dir, Some(part)));
            match (known, exists) {
                (false, false) => continue,
                (false, true) if ignored => continue,
                (true, true) if disk.is_file() && self.is_page(path) => pages.push(path.as_str()),
                _ => return None,
            }
        }
        Some(pages)
    }
}

/// Where saved sources are read, and their front matter as built.
struct Sources<'a> {
    sandbox: &'a crate::sandbox::Sandbox,
    fronts: &'a HashMap<String, Box<str>>,
}

/// Renders the saved bodies of `pages` (index, source path) of `site`
/// again, with the pages that list them when their word count changed;
/// [`Edit::Full`] when a page's front matter, title, the figures it shows or
/// the numbering of charts and tables changed.
fn edit_bodies(
    at: &Sources<'_>,
    site: &mut Site,
    templates: &Templates,
    targets: &HashMap<String, String>,
    pages: &[(usize, &str)],
) -> Result<Edit, Error> {
    let mut bodies = Vec::new();
    let mut errors = Vec::new();
    for &(i, path) in pages {
        let doc = crate::parse::parse_document(crate::load::reread(at.sandbox, path)?)
            .map_err(|ds| Error::Input(Diagnostics(ds)))?;
        if at.fronts.get(path).map(|f| &**f) != Some(&doc.file.text[..doc.body.start]) {
            return Ok(Edit::Full);
        }
        match site.render_body(EntryId::Page(i), &doc, targets) {
            Ok(body) => {
                let entry = &site.pages[i].entry;
                if body.title != entry.title
                    || body.uses != entry.uses
                    || site.renumbers(EntryId::Page(i), &body)
                {
                    return Ok(Edit::Full);
                }
                bodies.push((i, body));
            }
            Err(ds) => errors.extend(ds),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors).sorted()));
    }
    let mut jobs = BTreeSet::new();
    for (i, body) in bodies {
        let page = &site.pages[i];
        jobs.insert(Job::Page(i));
        if body.word_count != page.entry.word_count {
            // Lists show a page's word count and reading time.
            jobs.insert(Job::Section(page.section));
            jobs.extend(page.lower.map(Job::Page));
            jobs.extend(page.higher.map(Job::Page));
        }
        site.swap_body(EntryId::Page(i), body);
    }
    let jobs: Vec<Job> = jobs.into_iter().collect();
    let files = crate::render::collect(|emit| templates.render_jobs(site, &jobs, emit))?;
    Ok(Edit::Files(files))
}

/// Every template's text by name: the theme's, replaced by the site's own.
fn template_texts(own: &[(String, crate::load::SourceFile)]) -> Vec<(String, &str)> {
    let mut texts: Vec<(String, &str)> = crate::theme::TEMPLATES
        .iter()
        .filter(|(n, _)| !own.iter().any(|(name, _)| name == n))
        .map(|(n, t)| (n.to_string(), *t))
        .collect();
    texts.extend(own.iter().map(|(n, f)| (n.clone(), &*f.text)));
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Contents;

    fn site(dir: &Path) {
        let write = |p: &str, t: &str| {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        write("content/_index.md", "+++\ntitle = \"B\"\n+++\nHome.\n");
        write("content/s/_index.md", "+++\ntitle = \"S\"\n+++\n");
        write(
            "content/s/a.md",
            "+++\ntitle = \"A\"\nweight = 1\n+++\nAlpha text.\n",
        );
        write(
            "content/s/b.md",
            "+++\ntitle = \"B page\"\nweight = 2\n+++\nBeta.\n",
        );
        write(
            "content/s/c.md",
            "+++\ntitle = \"C\"\nweight = 3\n+++\nGamma.\n",
        );
    }

    fn set(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    fn text(files: &[OutputFile], path: &str) -> String {
        match &files.iter().find(|f| f.path == path).unwrap().contents {
            Contents::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn paths(files: &[OutputFile]) -> Vec<&str> {
        let mut p: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        p.sort_unstable();
        p
    }

    #[test]
    fn a_body_edit_rerenders_the_page_and_what_lists_it() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        let page = dir.path().join("content/s/b.md");
        // Same word count: the page alone.
        std::fs::write(&page, "+++\ntitle = \"B page\"\nweight = 2\n+++\nBravo.\n").unwrap();
        let Edit::Files(files) = live.edit(&set(&["content/s/b.md"])).unwrap() else {
            panic!("not incremental")
        };
        assert_eq!(paths(&files), ["s/b/index.html"]);
        assert!(text(&files, "s/b/index.html").contains("Bravo."));
        // More words: its section and neighbours list its reading time.
        std::fs::write(
            &page,
            "+++\ntitle = \"B page\"\nweight = 2\n+++\nBravo two.\n",
        )
        .unwrap();
        let Edit::Files(files) = live.edit(&set(&["content/s/b.md"])).unwrap() else {
            panic!("not incremental")
        };
        assert_eq!(
            paths(&files),
            [
                "s/a/index.html",
                "s/b/index.html",
                "s/c/index.html",
                "s/index.html"
            ]
        );
    }

    /// Every file a full build changes after the edit is among the files the
    /// incremental one gives, with the same bytes.
    fn assert_same_as_full_build(root: &Path, path: &str, edit: impl Fn(&str) -> String) {
        let (mut live, before) = Live::build(root, &ModelOptions::default()).unwrap();
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        std::fs::write(root.join(path), edit(&text)).unwrap();
        let files = match live.edit(&set(&[path])) {
            Ok(Edit::Files(files)) => files,
            Ok(Edit::Nothing) => Vec::new(),
            Ok(Edit::Full) => panic!("{path}: not incremental"),
            Ok(Edit::First(_)) => panic!("{path}: no page is open"),
            // An edit that breaks the data breaks a full build too.
            Err(e) => {
                assert!(
                    Live::build(root, &ModelOptions::default()).is_err(),
                    "{e:?}"
                );
                std::fs::write(root.join(path), text).unwrap();
                return;
            }
        };
        let (_, after) = Live::build(root, &ModelOptions::default()).unwrap();
        assert_eq!(before.len(), after.len());
        for (old, new) in before.iter().zip(&after) {
            let given = files.iter().find(|f| f.path == new.path);
            if old != new {
                assert_eq!(given, Some(new), "{path}: {} differs", new.path);
            } else if let Some(g) = given {
                assert_eq!(g, new, "{path}: {}", new.path);
            }
        }
        std::fs::write(root.join(path), text).unwrap();
    }

    #[test]
    fn an_incremental_edit_gives_the_same_files_as_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        assert_same_as_full_build(dir.path(), "content/s/a.md", |t| {
            format!("{t}\nNow longer.\n\n## New heading\n\nMore.\n")
        });
        assert_same_as_full_build(dir.path(), "content/s/b.md", |t| t.replace("Beta", "Bet"));
    }

    #[test]
    fn edits_of_the_example_briefing_match_a_full_build() {
        let dir = example_copy();
        for page in [
            "content/trade.md",
            "content/transport.md",
            "content/energy.md",
        ] {
            assert_same_as_full_build(dir.path(), page, |t| {
                format!("{t}\nA new closing paragraph with a [link](sources.md).\n")
            });
            // A word of the last paragraph (front matter and title untouched).
            assert_same_as_full_build(dir.path(), page, |t| {
                let at = t.rfind(" the ").unwrap();
                format!("{} a {}", &t[..at], &t[at + " the ".len()..])
            });
        }
    }

    /// The example in its own language only: the data file and templates of
    /// a briefing in several languages are rebuilt whole (see
    /// `a_translated_page_is_rebuilt_in_its_own_edition_as_a_full_build_would`).
    fn example_copy() -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "templates", "static"] {
            copy(&repo.join(sub), &dir.path().join(sub));
        }
        let home = dir.path().join("content/_index.md");
        let text = std::fs::read_to_string(&home).unwrap();
        let one = text
            .lines()
            .filter(|l| !l.starts_with("languages ="))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&home, one + "\n").unwrap();
        for e in std::fs::read_dir(dir.path().join("content")).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".az.md") || name.ends_with(".zh.md") {
                std::fs::remove_file(path).unwrap();
            }
        }
        dir
    }

    #[test]
    fn a_translated_page_is_rebuilt_in_its_own_edition_as_a_full_build_would() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        copy(&repo.join("tests/fixtures/valid/languages/in"), dir.path());
        let (mut live, files) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        let built = paths(&files);
        assert!(built.contains(&"zh/ports/index.html") && built.contains(&"az/index.html"));
        // A body edit re-renders the page in its language only.
        let page = dir.path().join("content/ports.zh.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.clone() + "\n更多。\n").unwrap();
        let Ok(Edit::Files(files)) = live.edit(&set(&["content/ports.zh.md"])) else {
            panic!("not incremental");
        };
        assert!(
            paths(&files).iter().all(|p| p.starts_with("zh/")),
            "{:?}",
            paths(&files)
        );
        assert!(text_of(&files, "zh/ports/index.html").contains("更多。"));
        std::fs::write(&page, text).unwrap();
        assert!(matches!(
            live.edit(&set(&["content/.ports.zh.md.swp"])),
            Ok(Edit::Nothing)
        ));
        // The data file and the templates are every edition's: all again.
        assert!(matches!(
            live.edit(&set(&["content/data.toml"])),
            Ok(Edit::Full)
        ));
        for page in [
            "content/ports.zh.md",
            "content/ports.az.md",
            "content/ports.md",
        ] {
            assert_same_as_full_build(dir.path(), page, |t| format!("{t}\nMore 更多 daha çox.\n"));
        }
    }

    #[test]
    fn edits_of_the_example_in_three_languages_match_a_full_build() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "templates", "static"] {
            copy(&repo.join(sub), &dir.path().join(sub));
        }
        for page in [
            "content/trade.zh.md",
            "content/transport.az.md",
            "content/energy.md",
        ] {
            assert_same_as_full_build(dir.path(), page, |t| {
                format!("{t}\nA new closing paragraph with a [link](sources.md).\n")
            });
        }
        // Saved together, in two languages.
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        for page in ["content/trade.zh.md", "content/trade.az.md"] {
            let path = dir.path().join(page);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text + "\nMore.\n").unwrap();
        }
        let Ok(Edit::Files(files)) =
            live.edit(&set(&["content/trade.zh.md", "content/trade.az.md"]))
        else {
            panic!("not incremental");
        };
        let (_, full) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        for f in &files {
            assert_eq!(
                Some(f),
                full.iter().find(|g| g.path == f.path),
                "{}",
                f.path
            );
        }
        assert!(paths(&files).contains(&"zh/trade/index.html"));
        assert!(paths(&files).contains(&"az/trade/index.html"));
    }

    #[test]
    fn data_edits_rerender_what_shows_them_and_match_a_full_build() {
        let dir = example_copy();
        let data = "content/data.toml";
        // A figure shown on the home page and the trade page: those, the
        // sources page and the trade table's downloads change; not energy.
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(data)).unwrap();
        std::fs::write(
            dir.path().join(data),
            text.replace("value = 2.57", "value = 2.61"),
        )
        .unwrap();
        let Edit::Files(files) = live.edit(&set(&[data])).unwrap() else {
            panic!("not incremental")
        };
        let written = paths(&files);
        for p in [
            "index.html",
            "trade/index.html",
            "sources/index.html",
            "trade/trade.csv",
        ] {
            assert!(written.contains(&p), "{p} not rendered again: {written:?}");
        }
        assert!(!written.contains(&"energy/index.html"), "{written:?}");
        assert!(text_of(&files, "trade/index.html").contains("$2.61\u{a0}billion"));
        std::fs::write(dir.path().join(data), &text).unwrap();
        // Values, derived values, labels, periods, notes, captions, titles
        // and events: each edit gives the bytes of a full build.
        let edits: [(&str, &str); 9] = [
            ("value = 2.57", "value = 3.1"),
            ("value = 47.5", "value = -12.25"),
            ("value = 230", "value = 1230"),
            (
                "label = \"China–Azerbaijan trade turnover\"",
                "label = \"Trade turnover\"",
            ),
            (
                "period = \"January–September 2023\"",
                "period = \"January–June 2023\"",
            ),
            (
                "caption = \"Middle Corridor transit times\"",
                "caption = \"Transit\"",
            ),
            (
                "title = \"Middle Corridor freight, full years\"",
                "title = \"Freight by year\"",
            ),
            (
                "note = \"The article does not date the visit.\"",
                "note = \"Undated.\"",
            ),
            ("# --- Events", "# --- Events, edited"),
        ];
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            assert_same_as_full_build(dir.path(), data, |t| t.replacen(from, to, 1));
        }
        // Random values of random figures.
        let mut rng = fastrand::Rng::with_seed(7);
        let lines: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("value = ") && !l.contains('['))
            .map(|(i, _)| i)
            .collect();
        for _ in 0..20 {
            let at = lines[rng.usize(..lines.len())];
            let value = format!("value = {}", rng.i32(1..3000) as f64 / 10.0);
            assert_same_as_full_build(dir.path(), data, |t| {
                t.lines()
                    .enumerate()
                    .map(|(i, l)| {
                        if i == at {
                            value.clone()
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            });
        }
    }

    #[test]
    fn a_template_edit_renders_the_open_pages_first_then_the_rest_as_a_full_build() {
        let dir = example_copy();
        let open = ["trade/index.html", "index.html", "gone/index.html"];
        assert_open_first_then_as_full_build(
            dir.path(),
            &open,
            &["index.html", "trade/index.html"],
        );
        // In three languages, each edition renders with the new templates.
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "templates", "static"] {
            copy(&repo.join(sub), &dir.path().join(sub));
        }
        let open = ["zh/trade/index.html", "az/index.html"];
        assert_open_first_then_as_full_build(
            dir.path(),
            &open,
            &["az/index.html", "zh/trade/index.html"],
        );
    }

    /// Edits the footer with the pages `open`: `first` come first, with the
    /// edit, then every file the templates make, all as a full build.
    fn assert_open_first_then_as_full_build(root: &Path, open: &[&str], first: &[&str]) {
        let (mut live, _) = Live::build(root, &ModelOptions::default()).unwrap();
        let footer = "templates/partials/footer.html";
        let text = std::fs::read_to_string(root.join(footer)).unwrap();
        std::fs::write(root.join(footer), format!("{text}<!-- new -->\n")).unwrap();
        let open: Vec<String> = open.iter().map(|p| p.to_string()).collect();
        let Ok(Edit::First(given)) = live.edit_open_first(&set(&[footer]), &open) else {
            panic!("the open pages are not rendered first")
        };
        let rest = live.finish().unwrap();
        let (_, full) = Live::build(root, &ModelOptions::default()).unwrap();
        assert_eq!(paths(&given), first);
        for f in &given {
            assert!(text_of(&given, &f.path).contains("<!-- new -->"));
            assert_eq!(Some(f), full.iter().find(|g| g.path == f.path));
        }
        let rendered: Vec<&OutputFile> = full
            .iter()
            .filter(|f| matches!(f.contents, crate::render::Contents::Text(_)))
            .collect();
        assert_eq!(rest.len(), rendered.len());
        for f in rendered {
            assert_eq!(
                Some(f),
                rest.iter().find(|g| g.path == f.path),
                "{}",
                f.path
            );
        }
        // With no page open, the edit renders everything at once.
        std::fs::write(root.join(footer), text).unwrap();
        let all = live.edit_open_first(&set(&[footer]), &[]);
        assert!(matches!(all, Ok(Edit::Files(f)) if f.len() == rest.len()));
    }

    #[test]
    fn template_edits_render_from_the_model_and_match_a_full_build() {
        let dir = example_copy();
        let footer = "templates/partials/footer.html";
        assert_same_as_full_build(dir.path(), footer, |t| t.replace("See ", "Read "));
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        // A broken template is an error located in it; the site stays.
        std::fs::write(dir.path().join(footer), "{% if %}").unwrap();
        let Err(Error::Input(ds)) = live.edit(&set(&[footer])) else {
            panic!("no error")
        };
        assert!(
            ds.0[0].location.as_ref().is_some_and(|l| l.path == footer),
            "{ds:?}"
        );
        // A new template is a full build.
        std::fs::write(dir.path().join("templates/extra.html"), "x").unwrap();
        assert!(matches!(
            live.edit(&set(&["templates/extra.html"])),
            Ok(Edit::Full)
        ));
    }

    fn text_of(files: &[OutputFile], path: &str) -> String {
        text(files, path)
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn front_matter_titles_figures_and_other_files_need_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        let page = dir.path().join("content/s/a.md");
        std::fs::write(&page, "+++\ntitle = \"A2\"\nweight = 1\n+++\nAlpha text.\n").unwrap();
        assert!(matches!(
            live.edit(&set(&["content/s/a.md"])),
            Ok(Edit::Full)
        ));
        // A section, a new file, a deleted page.
        assert!(matches!(
            live.edit(&set(&["content/s/_index.md"])),
            Ok(Edit::Full)
        ));
        std::fs::write(dir.path().join("content/s/d.md"), "New.\n").unwrap();
        assert!(matches!(
            live.edit(&set(&["content/s/d.md"])),
            Ok(Edit::Full)
        ));
        std::fs::remove_file(dir.path().join("content/s/c.md")).unwrap();
        assert!(matches!(
            live.edit(&set(&["content/s/c.md"])),
            Ok(Edit::Full)
        ));
        // A title from the first heading changes with the body.
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        std::fs::write(dir.path().join("content/s/a.md"), "# One\n\nText.\n").unwrap();
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        std::fs::write(dir.path().join("content/s/a.md"), "# Two\n\nText.\n").unwrap();
        assert!(matches!(
            live.edit(&set(&["content/s/a.md"])),
            Ok(Edit::Full)
        ));
    }

    #[test]
    fn temporary_files_of_editors_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        std::fs::write(dir.path().join("content/s/.a.md.swp"), "x").unwrap();
        let changed = set(&["content/s/4913", "content/s/.a.md.swp", "content/s/a.md~"]);
        assert!(matches!(live.edit(&changed), Ok(Edit::Nothing)));
    }

    #[test]
    fn a_broken_body_is_an_error_with_its_location() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let (mut live, _) = Live::build(dir.path(), &ModelOptions::default()).unwrap();
        std::fs::write(
            dir.path().join("content/s/a.md"),
            "+++\ntitle = \"A\"\nweight = 1\n+++\nSee [it](missing.md).\n",
        )
        .unwrap();
        let Err(Error::Input(ds)) = live.edit(&set(&["content/s/a.md"])) else {
            panic!("no error")
        };
        let loc = ds.0[0].location.as_ref().unwrap();
        assert_eq!((loc.path.as_str(), loc.line), ("content/s/a.md", 5));
    }
}
