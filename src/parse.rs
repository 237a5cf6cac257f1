//! Stage 2, parse: typed front matter, dates and the data file.
//!
//! Takes what `load` read and turns each Markdown file into a [`Document`]
//! (its kind, typed front matter and where its body starts) and the data file
//! into a TOML table. Every file is parsed, in parallel, and all diagnostics are
//! returned together. Markdown bodies are rendered later, by `model`, once the
//! URL of every page is known, so that links between pages can be resolved.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Location, finish};
use crate::error::Error;
use crate::frontmatter::{self, HomeFront, PageFront, SectionFront};
use crate::load::{Asset, Loaded, SourceFile};

/// What a Markdown file is, with its typed front matter.
#[derive(Debug)]
pub enum Front {
    /// `content/_index.md`.
    Home(Box<HomeFront>),
    /// `_index.md` in a folder.
    Section(Box<SectionFront>),
    /// Any other `.md`.
    Page(Box<PageFront>),
}

/// A parsed Markdown file.
#[derive(Debug)]
pub struct Document {
    /// The file.
    pub file: SourceFile,
    /// Its kind and front matter.
    pub front: Front,
    /// Byte offset of the front matter TOML in the file (for spans of keys).
    pub front_offset: usize,
    /// The Markdown body.
    pub body: Range<usize>,
    /// `date`, validated and written as `YYYY-MM-DD` (or a full RFC 3339 date-time).
    pub date: Option<String>,
    /// `updated`, likewise.
    pub updated: Option<String>,
}

impl Document {
    /// Whether the whole file's text is held, not only its front matter
    /// (see [`parse_holding`]).
    pub fn is_whole(&self) -> bool {
        self.file.text.len() == self.body.end
    }

    /// Lets a page's text go, all but its front matter (a section's is
    /// kept).
    fn keep_front_matter_only(&mut self) {
        if self.is_whole() && matches!(self.front, Front::Page(_)) {
            self.file.text = Arc::from(&self.file.text[..self.body.start]);
        }
    }

    /// The whole file's text: the one held, or the file read again through
    /// `sandbox` when only its front matter was kept. A file that changed
    /// since it was parsed is an error (its front matter, already used to
    /// place every page, may no longer be what it says).
    pub fn whole_text(&self, sandbox: &crate::sandbox::Sandbox) -> Result<Arc<str>, Diagnostic> {
        if self.is_whole() {
            return Ok(Arc::clone(&self.file.text));
        }
        let path = &self.file.path;
        let changed = || {
            Diagnostic::error(
                "changed-during-build",
                format!("`{path}` changed while the briefing was being built"),
            )
            .at(Location::at(path.clone(), 1, 1))
            .expected("files left as they are until the build is done")
            .hint("build again once the file is saved")
        };
        let again = match crate::load::read_text(sandbox, path.clone()) {
            Ok(file) => file.text,
            Err(crate::load::ReadFailure::Input(d)) => return Err(d),
            Err(crate::load::ReadFailure::Io(_)) => return Err(changed()),
        };
        let same_front = again.get(..self.body.start) == Some(&*self.file.text);
        match same_front && again.len() == self.body.end {
            true => Ok(again),
            false => Err(changed()),
        }
    }

    /// A location in this file from a span inside its front matter.
    pub fn front_location<T>(&self, value: &Spanned<T>) -> Location {
        let s = value.span();
        Location::in_source(
            self.file.path.clone(),
            &self.file.text,
            self.front_offset + s.start..self.front_offset + s.end,
        )
    }
}

/// The data file, parsed.
#[derive(Debug, Default)]
pub struct Data {
    /// The file, when there is one.
    pub file: Option<SourceFile>,
    /// Its top-level table (empty without a file).
    pub table: toml::Table,
    /// The same, typed; taken by the model.
    pub raw: Option<crate::figures::RawData>,
}

/// The output of the parse stage.
#[derive(Debug)]
pub struct Parsed {
    /// The site root.
    pub root: PathBuf,
    /// The only way to read the site's files.
    pub sandbox: crate::sandbox::Sandbox,
    /// Markdown files, in path order.
    pub documents: Vec<Document>,
    /// `content/data.toml`.
    pub data: Data,
    /// The site's own templates.
    pub templates: Vec<(String, SourceFile)>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
}

/// Parses the data file, as a table for templates and typed for the model.
pub fn parse_data(file: SourceFile) -> Result<Data, Diagnostic> {
    let table = toml::from_str::<toml::Table>(&file.text)
        .map_err(|e| frontmatter::toml_error(&file.path, &file.text, 0, &e))?;
    let raw = toml::from_str::<crate::figures::RawData>(&file.text)
        .map_err(|e| frontmatter::toml_error(&file.path, &file.text, 0, &e))?;
    Ok(Data {
        file: Some(file),
        table,
        raw: Some(raw),
    })
}

/// Parses everything `load` found, holding every Markdown file's text.
pub fn parse(loaded: Loaded) -> Result<Parsed, Error> {
    parse_holding(loaded, usize::MAX)
}

/// Parses everything `load` found, reading each Markdown file as it is
/// parsed. When the Markdown is more than `hold` bytes in all, no page's
/// text is held after its front matter is parsed, all but the front matter
/// (which its diagnostics point into): [`Document::whole_text`] reads it
/// again when its body is rendered. So a briefing larger than `hold` is
/// never in memory whole, which at 100,000 pages was 347 MiB of a build's
/// peak. Sections and the home page are always held: they are few.
pub fn parse_holding(loaded: Loaded, hold: usize) -> Result<Parsed, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let sandbox = &loaded.sandbox;
    let mut markdown = loaded.markdown;
    let count = markdown.len();
    let read = |path: String| -> Result<Document, Failed> {
        let file = crate::load::read_text(sandbox, path).map_err(Failed::Read)?;
        parse_document(file).map_err(Failed::Parse)
    };
    // The first files, in path order, tell how large the briefing is: one
    // that will be over the limit holds no page from the start (holding
    // pages and letting them go later left the memory they took to the
    // allocator, not to the pages that came after).
    let sample: Vec<Result<Document, Failed>> = markdown
        .drain(..count.min(SAMPLE_FILES))
        .map(read)
        .collect();
    let sampled: usize = sample.iter().flatten().map(|d| d.body.end).sum();
    let expected = sampled / sample.len().max(1) * count;
    crate::huge_pages::fit(expected, hold);
    let hold = if expected > hold { 0 } else { hold };
    let held = AtomicUsize::new(sampled);
    let rest: Vec<Result<Document, Failed>> = markdown
        .into_par_iter()
        .with_max_len(crate::MAX_PAGES_PER_SHARE)
        .map(|path| {
            let mut doc = read(path)?;
            let size = doc.file.text.len();
            if held.fetch_add(size, Ordering::Relaxed) + size > hold {
                doc.keep_front_matter_only();
            }
            Ok(doc)
        })
        .collect();
    let results = sample.into_iter().chain(rest);
    let mut diagnostics = Vec::new();
    let mut documents = Vec::with_capacity(count);
    for r in results {
        match r {
            Ok(d) => documents.push(d),
            Err(Failed::Read(fail)) => fail.report(&mut diagnostics)?,
            Err(Failed::Parse(ds)) => diagnostics.extend(ds),
        }
    }
    // Over the limit, no page is held, whichever were read first.
    if held.into_inner() > hold {
        crate::huge_pages::leave_off();
        documents
            .iter_mut()
            .for_each(Document::keep_front_matter_only);
    }
    let data = match loaded.data.map(parse_data) {
        None => Data::default(),
        Some(Ok(data)) => data,
        Some(Err(d)) => {
            diagnostics.push(d);
            Data::default()
        }
    };
    let parsed = Parsed {
        root: loaded.root,
        sandbox: loaded.sandbox,
        documents,
        data,
        templates: loaded.templates,
        assets: loaded.assets,
    };
    finish(parsed, diagnostics)
        .map(|(p, _)| p)
        .map_err(Error::Input)
}

/// Parses one Markdown file: its front matter, dates and where its body is.
pub fn parse_document(file: SourceFile) -> Result<Document, Vec<Diagnostic>> {
    let path = file.path.as_str();
    let split = frontmatter::split(path, &file.text).map_err(|d| vec![d])?;
    let front_offset = split.front.as_ref().map_or(0, |r| r.start);
    let region = split.front.clone().unwrap_or(0..0);
    // `_index.md`, or a translation of one (`_index.az.md`).
    let name = path.rsplit('/').next().unwrap_or(path);
    let is_index = name == "_index.md"
        || name
            .strip_prefix("_index.")
            .and_then(|rest| rest.strip_suffix(".md"))
            .is_some_and(crate::model::is_language_code);
    let front = if is_index && path.matches('/').count() == 1 {
        Front::Home(Box::new(
            frontmatter::parse(path, &file.text, split.front).map_err(|d| vec![d])?,
        ))
    } else if is_index {
        Front::Section(Box::new(
            frontmatter::parse(path, &file.text, split.front).map_err(|d| vec![d])?,
        ))
    } else {
        Front::Page(Box::new(
            frontmatter::parse(path, &file.text, split.front).map_err(|d| vec![d])?,
        ))
    };
    let (date, updated) = match &front {
        Front::Home(h) => (h.date.as_ref(), h.updated.as_ref()),
        Front::Section(_) => (None, None),
        Front::Page(p) => (p.date.as_deref(), p.updated.as_deref()),
    };
    let located = |v: &Spanned<toml::Value>| {
        let s = v.span();
        Location::in_source(
            path,
            &file.text,
            front_offset + s.start..front_offset + s.end,
        )
    };
    let mut errors = Vec::new();
    let mut check_date = |v: Option<&Spanned<toml::Value>>, key: &str| {
        let v = v?;
        match parse_date(v.get_ref()) {
            Ok(d) => Some(d),
            Err(found) => {
                errors.push(
                    Diagnostic::error("bad-date", format!("`{key}` is not a date"))
                        .at(located(v))
                        .expected(format!("a date such as 2024-01-24; found {found}"))
                        .hint(format!(
                            "write `{key} = 2024-01-24` (a TOML date) or an RFC 3339 date-time"
                        )),
                );
                None
            }
        }
    };
    let date = check_date(date, "date");
    let updated = check_date(updated, "updated");
    let extra = match &front {
        Front::Home(h) => &h.extra,
        Front::Section(s) => &s.extra,
        Front::Page(p) => &p.extra,
    };
    for (key, value, scheme) in crate::urls::dangerous_values(extra) {
        errors.push(crate::urls::dangerous_value_diagnostic(
            path,
            &file.text,
            region.clone(),
            &key,
            &value,
            scheme,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let body = split.body;
    Ok(Document {
        file,
        front,
        front_offset,
        body,
        date,
        updated,
    })
}

/// How many files [`parse_holding`] reads first, one by one, to tell how
/// large the briefing is.
const SAMPLE_FILES: usize = 32;

/// Why a Markdown file did not become a [`Document`].
enum Failed {
    /// It could not be read.
    Read(crate::load::ReadFailure),
    /// Its front matter has mistakes.
    Parse(Vec<Diagnostic>),
}

/// Validates a date value: a TOML date or date-time, or a string holding one.
/// Returns its canonical text, or a description of what was found.
pub fn parse_date(value: &toml::Value) -> Result<String, String> {
    let dt = match value {
        toml::Value::Datetime(dt) => *dt,
        toml::Value::String(s) => s
            .parse::<toml::value::Datetime>()
            .map_err(|_| format!("the text {s:?}"))?,
        other => return Err(format!("a {}", other.type_str())),
    };
    if dt.date.is_none() {
        return Err(format!("a time without a date ({dt})"));
    }
    Ok(dt.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_what_is_held_a_page_keeps_its_front_matter_and_reads_its_text_again() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(
            content.join("_index.md"),
            "+++\ntitle = \"T\"\n+++\nHome.\n",
        )
        .unwrap();
        let page = "+++\ntitle = \"P\"\n+++\nThe body.\n";
        std::fs::write(content.join("p.md"), page).unwrap();
        let parsed = parse_holding(crate::load::load(tmp.path()).unwrap(), 0).unwrap();
        let [home, p] = &parsed.documents[..] else {
            panic!("two documents")
        };
        // Sections and the home page are always held whole.
        assert!(home.is_whole());
        assert!(!p.is_whole());
        assert_eq!(&*p.file.text, "+++\ntitle = \"P\"\n+++\n");
        assert_eq!(&*p.whole_text(&parsed.sandbox).unwrap(), page);
        // Saved again during the build: the front matter may no longer be
        // what placed the page, so the build stops instead of mixing them.
        std::fs::write(content.join("p.md"), "+++\ntitle = \"Q\"\n+++\nThe body.\n").unwrap();
        let e = p.whole_text(&parsed.sandbox).unwrap_err();
        assert!(
            e.message.contains("`content/p.md` changed while"),
            "{}",
            e.message
        );
        std::fs::write(content.join("p.md"), format!("{page}More.\n")).unwrap();
        assert!(p.whole_text(&parsed.sandbox).is_err());
        // Everything held: nothing is read again.
        let parsed = parse(crate::load::load(tmp.path()).unwrap()).unwrap();
        assert!(parsed.documents.iter().all(Document::is_whole));
    }

    #[test]
    fn dates_accept_toml_dates_and_strings() {
        let v: toml::Table =
            toml::from_str("a = 2024-01-24\nb = \"2024-01-24\"\nc = 1979-05-27T07:32:00Z").unwrap();
        assert_eq!(parse_date(&v["a"]).unwrap(), "2024-01-24");
        assert_eq!(parse_date(&v["b"]).unwrap(), "2024-01-24");
        assert_eq!(parse_date(&v["c"]).unwrap(), "1979-05-27T07:32:00Z");
    }

    #[test]
    fn dates_reject_other_values() {
        let v: toml::Table = toml::from_str("a = 2024\nb = \"24 Jan\"\nc = 07:32:00").unwrap();
        assert_eq!(parse_date(&v["a"]).unwrap_err(), "a integer");
        assert!(parse_date(&v["b"]).unwrap_err().contains("24 Jan"));
        assert!(parse_date(&v["c"]).unwrap_err().contains("without a date"));
    }

    #[test]
    fn a_bad_date_is_located_in_the_file() {
        let file = SourceFile {
            path: "content/a.md".into(),
            text: Arc::from("+++\ntitle = \"A\"\ndate = \"soon\"\n+++\n"),
        };
        let ds = parse_document(file).unwrap_err();
        let loc = ds[0].location.clone().unwrap();
        assert_eq!((loc.line, loc.column), (3, 8));
    }
}
