//! The PDF edition: the briefing's pages, as rendered for the site, typeset
//! by Typst (as a library, in this process) into one tagged PDF per
//! language, with a cover, contents, running headers, page numbers,
//! numbered charts and tables, and links to the sources.
//!
//! The render stage hands this module the rendered pages; it returns the
//! PDF's bytes, which the write stage writes like any other file.

mod body;
mod document;
mod fit;
pub mod fonts;
mod markup;
mod table;
mod world;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::frontmatter::Paper;
use crate::model::{EntryId, Site};

/// The label key of a page: unique in the document, made of its folder.
fn key_of(dir: &str) -> String {
    let d = dir.trim_matches('/');
    if d.is_empty() {
        "home".to_string()
    } else {
        markup::label_name("page", d)
    }
}

/// A typeset PDF edition.
#[derive(Debug)]
pub struct Typeset {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Charts and tables that can't fit a page (see [`fit`]).
    pub warnings: Vec<Diagnostic>,
}

/// Typesets the PDF edition of `site` from its rendered pages (output path,
/// HTML). Fails with a diagnostic located in the briefing's files when
/// Typst refuses the document; warns about characters no font has (they
/// print as `�`) and charts and tables that can't fit a page.
///
/// `read` gives the text of one of the briefing's files by its path
/// (`content/trade.md`), to locate a character no font has.
pub fn typeset(
    site: &Site,
    pages: &HashMap<String, String>,
    read: &dyn Fn(&str) -> Option<Arc<str>>,
) -> Result<Typeset, Diagnostics> {
    let paper = site.meta.pdf.as_ref().map_or(Paper::default(), |p| p.paper);
    let order = site.reading_order();
    let Chapters {
        ids,
        markup: chapters,
        drawings,
        mut warnings,
    } = chapters(site, &order, pages, paper);
    let fonts = fonts_for(site, &chapters);
    let mut chapters = chapters;
    if !fonts.unfound.is_empty() {
        let at = |c: char| locate_char(site, &ids, &chapters, c, read);
        warnings.push(missing_font(&fonts.unfound, at));
        // PDF/UA forbids text drawn with no glyph: each such character
        // prints as the replacement character, which DejaVu Sans has.
        let unfound = &fonts.unfound;
        for chapter in &mut chapters {
            if chapter.contains(|c| unfound.contains(&c)) {
                *chapter = chapter
                    .chars()
                    .map(|c| if unfound.contains(&c) { REPLACEMENT } else { c })
                    .collect();
            }
        }
    }
    let fonts = &fonts;
    let markup = document::document(site, fonts, paper.typst_name(), &chapters);
    let today = site.meta.date.as_deref().and_then(date);
    let doc = world::Document::new(markup, drawings, today);
    let world = world::Typesetting {
        document: &doc,
        fonts,
        library: world::library(),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let paged = compiled.map_err(|errors| one(failure(site, &world, &errors[..])))?;
    let tables: HashMap<&str, &Location> = site
        .figures
        .tables
        .iter()
        .map(|t| (t.id.as_str(), &t.at))
        .collect();
    warnings.extend(fit::tables(&paged, &tables, &sources_by_key(site)));
    let options = options(site);
    let bytes = typst_pdf::pdf(&paged, &options)
        .map_err(|errors| one(failure(site, &world, &errors[..])))?;
    // A chart drawn on two pages, or a table laid out twice, once each.
    let warnings = Diagnostics(warnings).sorted().0;
    Ok(Typeset { bytes, warnings })
}

/// What a character no font has prints as.
const REPLACEMENT: char = '\u{FFFD}';

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

/// Each page's source file by its label key.
fn sources_by_key(site: &Site) -> HashMap<String, &str> {
    site.entries()
        .map(|e| (key_of(&e.dir), e.source.as_str()))
        .collect()
}

/// The fonts for the document's language and every character it shows.
fn fonts_for(site: &Site, chapters: &[String]) -> fonts::Fonts {
    let meta = &site.meta;
    let mut chars: std::collections::BTreeSet<char> =
        chapters.iter().flat_map(|c| c.chars()).collect();
    chars.extend(meta.title.chars());
    chars.extend(
        meta.description
            .iter()
            .chain(&meta.subtitle)
            .flat_map(|s| s.chars()),
    );
    chars.extend(meta.authors.iter().flat_map(|s| s.chars()));
    for s in &site.figures.sources {
        chars.extend(
            s.title
                .chars()
                .chain(s.author.chars())
                .chain(s.publisher.chars()),
        );
    }
    fonts::fonts_for(&meta.language, &chars)
}

/// The warning for characters no shipped or system font has, at `at(c)`:
/// where the briefing writes the first of them.
fn missing_font(unfound: &[char], at: impl Fn(char) -> Location) -> Diagnostic {
    let shown: Vec<String> = unfound
        .iter()
        .take(8)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    Diagnostic::warning("missing-glyphs", format!(
        "the PDF edition has no font for {}{}; the PDF prints {} as `{REPLACEMENT}`",
        shown.join(", "),
        if unfound.len() > 8 { " and more" } else { "" },
        if unfound.len() > 1 { "each" } else { "it" }
    ))
    .at(at(unfound[0]))
    .expected("characters that a shipped font (Libertinus Serif, DejaVu Sans, Noto Serif and Sans CJK SC) or a font of this system has")
    .hint("install a font that has them (Debian: `fonts-noto-core` for most scripts, `fonts-noto-cjk` for rare hanzi, kana and hangul), or turn the PDF edition off with `[pdf]` `build = false` in `content/_index.md`")
}

/// Where the briefing writes `c`: in the source of the first page whose
/// chapter shows it, else in the data file (a label or note a page shows),
/// else in the home page (the cover's title and credits).
fn locate_char(
    site: &Site,
    ids: &[EntryId],
    chapters: &[String],
    c: char,
    read: &dyn Fn(&str) -> Option<Arc<str>>,
) -> Location {
    let home = site.entry(EntryId::Section(0)).source.as_str();
    let page = ids
        .iter()
        .zip(chapters)
        .find(|(_, chapter)| chapter.contains(c))
        .map(|(&id, _)| site.entry(id).source.as_str());
    let data = format!("content/{}", crate::load::DATA_FILE);
    page.into_iter()
        .chain([data.as_str(), home])
        .find_map(|path| {
            let text = read(path)?;
            let at = text.find(c)?;
            Some(Location::in_source(path, &text, at..at + c.len_utf8()))
        })
        .unwrap_or_else(|| Location::at(home, 1, 1))
}

/// The document's chapters: one per page, in reading order.
struct Chapters {
    /// The page of each chapter.
    ids: Vec<EntryId>,
    /// Each chapter's markup.
    markup: Vec<String>,
    /// The charts' drawings the chapters show (path, SVG).
    drawings: Vec<(String, Vec<u8>)>,
    /// Charts that can't fit a page.
    warnings: Vec<Diagnostic>,
}

/// Each entry as a chapter, and the charts' drawings it includes.
fn chapters(
    site: &Site,
    order: &[EntryId],
    pages: &HashMap<String, String>,
    paper: Paper,
) -> Chapters {
    let keys: HashMap<String, String> = site
        .entries()
        .map(|e| (e.output(), key_of(&e.dir)))
        .collect();
    let mains: Vec<(EntryId, &str)> = order
        .iter()
        .filter_map(|&id| {
            let html = pages.get(&site.entry(id).output())?;
            Some((id, body::main_of(html)))
        })
        .collect();
    let book = &site.figures;
    let charts: HashMap<&str, usize> = book
        .charts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let drawn = RefCell::new(Vec::new());
    let unfit = RefCell::new(Vec::new());
    let chart = |id: &str| {
        let &i = charts.get(id)?;
        let c = &book.charts[i];
        let path = format!("/charts/{i}.svg");
        let svg = crate::figures::chart::for_print(book, c);
        let aspect = aspect_of(&svg);
        unfit.borrow_mut().extend(fit::chart(c, aspect, paper));
        drawn.borrow_mut().push((path.clone(), svg.into_bytes()));
        Some(body::Drawing {
            path,
            alt: crate::figures::chart::describe(book, c),
            aspect,
        })
    };
    let page_key = |p: &str| keys.get(p).cloned();
    // Twice: the first pass finds every label the chapters define, the
    // second links to them (a link to anything else stays text).
    let mut labels: HashSet<String> = HashSet::new();
    let mut chapters = Vec::new();
    for _pass in 0..2 {
        let defined = RefCell::new(HashSet::new());
        chapters = mains
            .iter()
            .map(|(id, main)| {
                let entry = site.entry(*id);
                let key = &keys[&entry.output()];
                defined.borrow_mut().insert(key.clone());
                let cx = body::Context {
                    key,
                    page_dir: &entry.dir,
                    page_key: &page_key,
                    labels: &labels,
                    defined: &defined,
                    chart: &chart,
                    base_url: site.meta.base_url.as_deref(),
                };
                // The chapter's own label, whatever its template shows.
                format!("{CHAPTER_START}{key}>\n{}", body::convert(&cx, main))
            })
            .collect();
        labels = defined.into_inner();
    }
    let mut drawings = drawn.into_inner();
    drawings.sort();
    drawings.dedup_by(|a, b| a.0 == b.0);
    Chapters {
        ids: mains.iter().map(|(id, _)| *id).collect(),
        markup: chapters,
        drawings,
        warnings: unfit.into_inner(),
    }
}

/// Height over width of an SVG drawing, from its view box.
fn aspect_of(svg: &str) -> f64 {
    let view_box = svg
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(v, _)| v);
    let numbers: Vec<f64> = view_box
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => h / w,
        _ => 0.5,
    }
}

/// A `YYYY-MM-DD` date as Typst's.
fn date(d: &str) -> Option<typst::foundations::Datetime> {
    let mut parts = d.get(..10)?.split('-');
    typst::foundations::Datetime::from_ymd(
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    )
}

/// PDF/UA-1 (tagged, titled, in the briefing's language, every font
/// embedded), with an identifier and creation date that depend only on the
/// briefing, so that two builds write the same bytes.
fn options(site: &Site) -> PdfOptions {
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default();
    PdfOptions {
        ident: Smart::Custom(format!("{} ({})", site.meta.title, site.meta.language)),
        creator: Smart::Custom(Some("briefing".to_string())),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    }
}

/// The start of each chapter in the document's markup.
const CHAPTER_START: &str = "#pagebreak(weak: true)\n#metadata(none) <";

/// Typst's errors as one diagnostic: what failed, at the page whose
/// chapter it failed in, and the line of the generated document, which
/// shows the page's text.
fn failure(
    site: &Site,
    world: &world::Typesetting<'_>,
    errors: &[typst::diag::SourceDiagnostic],
) -> Diagnostic {
    use typst::WorldExt;
    let first = errors.first();
    let message = first.map_or("unknown error".to_string(), |e| e.message.to_string());
    let text = world.document.text();
    let start = first
        .and_then(|e| world.range(e.span))
        .map(|r| r.start.min(text.len()));
    let near = start.map(|start| {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        text[line_start..line_end]
            .chars()
            .take(160)
            .collect::<String>()
    });
    let page = start
        .and_then(|start| {
            let chapter = text[..start].rfind(CHAPTER_START)? + CHAPTER_START.len();
            let key = text[chapter..].split('>').next()?;
            sources_by_key(site).get(key).map(|s| s.to_string())
        })
        .unwrap_or_else(|| "content/_index.md".to_string());
    let mut hint = "turn the PDF edition off with `[pdf]` `build = false` in `content/_index.md` to build the site meanwhile".to_string();
    if let Some(near) = near {
        hint = format!("it failed near `{near}`; {hint}");
    }
    Diagnostic::error(
        "pdf-failed",
        format!("the PDF edition could not be typeset: {message}"),
    )
    .at(Location::at(page, 1, 1))
    .expected("a page that Typst can typeset")
    .hint(hint)
}
