//! Markdown to HTML, with the extras a briefing needs.
//!
//! pulldown-cmark does the parsing and HTML writing. On top of its event
//! stream this module adds what a published briefing needs and CommonMark
//! does not give: stable heading ids and a table of contents, GFM callouts as
//! labelled notes, a title taken from the first `# heading`, and links to
//! other source files (`energy.md`, `map.png`) rewritten to relative URLs of
//! their output, with a located error for a link to a page that does not exist.

use crate::script::is_cjk;
use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, Location};
use crate::shortcode;
use crate::urls;

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings from level 2 down, nested.
    pub toc: crate::toc::Toc,
    /// The text of the first `# heading`, when it was taken as the title.
    pub title: Option<String>,
    /// Words in the source of the body (as Zola counts them).
    pub word_count: usize,
    /// Figures, tables and events its shortcodes use.
    pub uses: Vec<Use>,
    /// Its links with a `#fragment` to a page, checked once pages are built.
    pub anchors: Vec<Anchor>,
}

/// A link with a `#fragment` to a page of the briefing: the fragment must
/// name an element of that page, which is known only once it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The page the link is on (output path: `trade/index.html`).
    pub from: String,
    /// The page it points at (output path).
    pub page: String,
    /// The fragment, without `#`.
    pub fragment: String,
    /// Where the link is written.
    pub at: Location,
}

/// Something from the data file that a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// A figure (index into the figure book).
    Figure(usize),
    /// A table.
    Table(usize),
    /// An event.
    Event(usize),
    /// A chart.
    Chart(usize),
}

/// What a shortcode call becomes.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// Its HTML.
    pub html: String,
    /// Its text, for headings' ids and the table of contents.
    pub plain: String,
    /// A block (a table): replaces the paragraph it stands alone in.
    pub block: bool,
    /// What it shows.
    pub uses: Vec<Use>,
}

impl Expansion {
    /// What stands for something an error in the data file left unbuilt:
    /// that error is reported, so this is not another one (and the build
    /// that contains it fails, so it is never shown).
    pub fn unbuilt() -> Expansion {
        Expansion {
            html: "…".into(),
            plain: "…".into(),
            block: false,
            uses: Vec::new(),
        }
    }
}

/// Expands shortcodes for a page; implemented by the model, which knows the
/// figures.
pub trait Expand: Sync {
    /// Expands `call` on the page in output folder `page_dir`; `at` locates
    /// a span of the body in the file.
    fn expand(
        &self,
        call: &shortcode::Call,
        page_dir: &str,
        at: &dyn Fn(Range<usize>) -> Location,
    ) -> Result<Expansion, Diagnostic>;

    /// A figure reference to suggest for a number typed into the prose.
    fn suggest(&self, value: f64) -> Option<String>;

    /// A word of the theme in the briefing's language (a callout's title).
    fn word(&self, _key: &str) -> Option<String> {
        None
    }
}

/// What the renderer needs to know about the document it renders.
pub struct Input<'a> {
    /// Source path relative to the site root, for diagnostics.
    pub path: &'a str,
    /// The whole file.
    pub text: &'a Arc<str>,
    /// Where the Markdown body is in the file.
    pub body: Range<usize>,
    /// The source file's folder relative to `content/` (`""` or `"s01"`).
    pub source_dir: &'a str,
    /// The output folder of the page (`""` or `"trade/"`).
    pub page_dir: &'a str,
    /// Take the first `# heading` as the title and leave it out of the HTML.
    pub take_title: bool,
    /// Expands shortcodes; without it, `{{ … }}` is text.
    pub shortcodes: Option<&'a dyn Expand>,
    /// Whether raw HTML (and `on…` heading attributes) may pass through:
    /// the home page's `raw_html`, true unless the briefing takes outside
    /// contributions.
    pub raw_html: bool,
    /// The file's lines, indexed on the first diagnostic or anchor that
    /// needs a place in it ([`Input::locate`]).
    pub lines: std::sync::OnceLock<crate::line_index::LineIndex>,
}

impl Input<'_> {
    /// The place of `span` (bytes of the whole file): a binary search in
    /// the file's line index, so many places in a long page stay cheap.
    pub fn locate(&self, span: Range<usize>) -> Location {
        let lines = self
            .lines
            .get_or_init(|| crate::line_index::LineIndex::new(self.text));
        Location::in_indexed(self.path, self.text, lines, span)
    }
}

/// The pulldown-cmark extensions briefing enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Renders a Markdown body. `link_target` maps a path relative to `content/`
/// to the output path of what it becomes, if it is a page or a copied file.
///
/// Events stream from the parser through [`Transform`] into the HTML writer;
/// only a heading's inner events are buffered (its id is made from its text).
pub fn render(
    input: &Input<'_>,
    link_target: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Rendered, Vec<Diagnostic>) {
    let source = &input.text[input.body.clone()];
    let mut diagnostics = Vec::new();
    let (body, expansions) = expand_shortcodes(input, source, &mut diagnostics);
    let body: &str = &body;
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut t = Transform {
        input,
        body,
        link_target,
        diagnostics,
        expansions: &expansions,
        used_ids: HashSet::new(),
        flat_toc: Vec::new(),
        title: None,
        footnotes: Footnotes::default(),
        current_footnote: None,
        queue: VecDeque::new(),
        in_code: false,
        anchors: Vec::new(),
        nesting: Default::default(),
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let events = std::iter::from_fn(|| {
        loop {
            if let Some(e) = t.queue.pop_front() {
                return Some(e);
            }
            let (event, range) = parser.next()?;
            if let Some(e) = t.process(event, range, &mut parser) {
                return Some(e);
            }
        }
    });
    pulldown_cmark::html::push_html(&mut html, events);
    if !expansions.is_empty() {
        html = fill_placeholders(&html, &expansions);
    }
    // Kept for the whole build: give back what the estimate over-reserved.
    html.shrink_to_fit();
    let mut uses: Vec<Use> = expansions
        .iter()
        .flat_map(|e| e.uses.iter().copied())
        .collect();
    uses.sort_unstable();
    uses.dedup();
    let rendered = Rendered {
        html,
        toc: crate::toc::Toc::new(
            t.flat_toc
                .iter()
                .map(|(l, i, t)| (*l, i.as_str(), t.as_str())),
        ),
        title: t.title,
        // Like Zola: words of the source, markup included.
        word_count: count_words(source),
        uses,
        anchors: t.anchors,
    };
    (rendered, t.diagnostics)
}

/// Placeholder characters (Unicode private use) that stand for a shortcode
/// while the Markdown is parsed: `\u{E000}` digits `\u{E001}`, padded to the
/// call's byte length so that every offset in the body stays valid.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
/// The first byte of every character from U+E000 to U+EFFF in UTF-8.
const PRIVATE_USE_LEAD: u8 = 0xEE;

/// Replaces each shortcode call by a placeholder of the same length, and
/// returns the expansions by placeholder number.
fn expand_shortcodes<'b>(
    input: &Input<'_>,
    source: &'b str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Cow<'b, str>, Vec<Expansion>) {
    // Most pages have no shortcode: `memmem` finds that out fastest.
    if memchr::memmem::find(source.as_bytes(), b"{{").is_none() {
        return (Cow::Borrowed(source), Vec::new());
    }
    let at = |r: Range<usize>| input.locate(input.body.start + r.start..input.body.start + r.end);
    // Shortcodes in code are text.
    let code: Vec<Range<usize>> = Parser::new_ext(source, options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r)
        .collect();
    let (found, errors) = shortcode::find(source, &code);
    for e in errors {
        let curly = source
            .get(e.span.clone())
            .is_some_and(|s| s.contains(['“', '”', '‘', '’', '„']));
        let hint = if curly {
            "replace the curly quotes with straight ones: `{{ fig(id=\"…\") }}` (word processors and some editors curl quotes)"
        } else {
            "shortcodes are written `{{ fig(id=\"…\") }}`; write `{{/* … */}}` to show one literally"
        };
        let message = if curly {
            "curly quotes in a shortcode".to_string()
        } else {
            format!("malformed shortcode: {}", e.message)
        };
        diagnostics.push(
            Diagnostic::error("malformed-shortcode", message)
                .at(at(e.span))
                .expected(e.expected)
                .hint(hint),
        );
    }
    let mut out = String::with_capacity(source.len());
    let mut expansions = Vec::new();
    let mut last = 0;
    for f in found {
        let span = f.span();
        let expansion = match &f {
            shortcode::Found::Escaped { literal, .. } => Some(Expansion {
                html: crate::figures::html::escape(literal),
                plain: literal.clone(),
                block: false,
                uses: Vec::new(),
            }),
            shortcode::Found::Call(call) => match input.shortcodes {
                None => None,
                Some(x) => match x.expand(call, input.page_dir, &at) {
                    Ok(e) => Some(e),
                    Err(d) => {
                        diagnostics.push(d);
                        Some(Expansion::default())
                    }
                },
            },
        };
        let Some(expansion) = expansion else { continue };
        let width = span.len() - OPEN.len_utf8() - CLOSE.len_utf8();
        let number = expansions.len().to_string();
        if number.len() > width {
            diagnostics.push(
                Diagnostic::error("too-many-shortcodes", "too many shortcodes on one page")
                    .at(at(span))
                    .expected("at most 999 shortcodes per page"),
            );
            continue;
        }
        out.push_str(&source[last..span.start]);
        out.push(OPEN);
        // Padded by hand: `format!`'s width stops at 65,535, and a
        // shortcode may be longer.
        out.extend(std::iter::repeat_n('0', width - number.len()));
        out.push_str(&number);
        out.push(CLOSE);
        last = span.end;
        expansions.push(expansion);
    }
    out.push_str(&source[last..]);
    (Cow::Owned(out), expansions)
}

/// Reads the placeholder starting at `s` (which begins with [`OPEN`]):
/// its number and byte length.
fn placeholder(s: &str) -> Option<(usize, usize)> {
    let rest = s.strip_prefix(OPEN)?;
    let end = rest.find(CLOSE)?;
    let n = rest[..end].parse().ok()?;
    Some((n, OPEN.len_utf8() + end + CLOSE.len_utf8()))
}

/// Puts each expansion where its placeholder is; a block expansion alone in
/// a paragraph replaces the paragraph.
fn fill_placeholders(html: &str, expansions: &[Expansion]) -> String {
    let mut out =
        String::with_capacity(html.len() + expansions.iter().map(|e| e.html.len()).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        let Some((n, len)) = placeholder(&rest[i..]) else {
            out.push_str(&rest[..i + OPEN.len_utf8()]);
            rest = &rest[i + OPEN.len_utf8()..];
            continue;
        };
        let e = expansions.get(n);
        let before = &rest[..i];
        let after = &rest[i + len..];
        match e {
            Some(e) if e.block && before.ends_with("<p>") && after.starts_with("</p>") => {
                out.push_str(&before[..before.len() - 3]);
                out.push_str(&e.html);
                rest = after["</p>".len()..]
                    .strip_prefix('\n')
                    .unwrap_or(&after["</p>".len()..]);
            }
            Some(e) => {
                out.push_str(before);
                out.push_str(&e.html);
                rest = after;
            }
            None => {
                out.push_str(&rest[..i + len]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text with placeholders replaced by their expansions' plain text.
fn unplace(text: &str, expansions: &[Expansion]) -> String {
    if !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        match placeholder(&rest[i..]) {
            Some((n, len)) => {
                if let Some(e) = expansions.get(n) {
                    out.push_str(&e.plain);
                }
                rest = &rest[i + len..];
            }
            None => {
                out.push(OPEN);
                rest = &rest[i + OPEN.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Words that make a number typed into prose a quantity that belongs in the
/// data file.
const UNIT_WORDS: &[&str] = &[
    "%",
    "percent",
    "per cent",
    "percentage points",
    "trillion",
    "billion",
    "million",
    "thousand",
    "bn",
    "tonnes",
    "tonne",
    "tons",
    "ton",
    "mt",
    "days",
    "day",
    "hours",
    "weeks",
    "months",
    "mw",
    "gw",
    "kw",
    "twh",
    "gwh",
    "mwh",
    "km",
    "kilometres",
    "usd",
    "dollars",
    "euros",
    "eur",
    "times",
    "×",
    "bcm",
    "teu",
    // Azerbaijani.
    "milyard",
    "milyon",
    "mlrd",
    "mln",
    "min",
    "faiz",
    "gün",
    "manat",
    "dollar",
    // Chinese, written against the number (115万吨).
    "亿",
    "万",
    "吨",
    "美元",
    "天",
    "兆瓦",
    "吉瓦",
    "公里",
];

/// The bytes a unit word starts with (its letters are lowercase): most
/// numbers are followed by none, and need not be compared with each word.
const UNIT_STARTS: [bool; 256] = {
    let mut starts = [false; 256];
    let mut i = 0;
    while i < UNIT_WORDS.len() {
        starts[UNIT_WORDS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    starts
};

/// Whether `bytes` hold an ASCII digit. Looked at 32 bytes at a time
/// without stopping inside a block, which the compiler turns into vector
/// instructions: a byte-by-byte search was 6 % of a build's instructions,
/// since nearly every text it reads through has no digit.
fn has_ascii_digit(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|block| {
        block
            .iter()
            .fold(false, |found, b| found | (b.wrapping_sub(b'0') < 10))
    })
}

/// Numbers followed by a unit word in `text` (which may hold placeholders):
/// byte ranges and values.
pub fn typed_numbers(text: &str) -> Vec<(Range<usize>, f64)> {
    let bytes = text.as_bytes();
    // Most text has no digit at all: nothing to scan.
    if !has_ascii_digit(bytes) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_placeholder = false;
    // Byte by byte: a digit and the first byte of a placeholder's mark
    // (0xEE, U+E000–U+EFFF) are never inside another character, so only
    // they need a look. Decoding every character was most of this scan.
    while i < bytes.len() {
        let b = bytes[i];
        if b == PRIVATE_USE_LEAD {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c == OPEN {
                in_placeholder = true;
            } else if c == CLOSE {
                in_placeholder = false;
            }
            i += c.len_utf8();
            continue;
        }
        let starts_number = !in_placeholder
            && b.is_ascii_digit()
            && !text[..i]
                .chars()
                .next_back()
                .is_some_and(|p| (p.is_alphanumeric() && !is_cjk(p)) || p == '_');
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < text.len() {
            let b = bytes[end];
            let digit_follows = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if b.is_ascii_digit() || ((b == b'.' || b == b',') && digit_follows) {
                end += 1;
            } else {
                break;
            }
        }
        // A currency sign before the number makes it money.
        let money_before = text[..start].ends_with('$')
            || text[..start].ends_with("USD ")
            || text[..start].ends_with('€');
        let after = text[end..].trim_start_matches([' ', '\u{a0}']);
        let may_be_unit = after
            .as_bytes()
            .first()
            .is_some_and(|b| UNIT_STARTS[usize::from(b.to_ascii_lowercase())]);
        // Compared on the text itself (ASCII case only), so that the unit's
        // byte length is the same in the text as in the list.
        let unit = UNIT_WORDS.iter().filter(|_| may_be_unit).find(|w| {
            after
                .get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
                && (w.chars().next().is_some_and(is_cjk)
                    || after[w.len()..]
                        .chars()
                        .next()
                        .is_none_or(|n| !n.is_alphanumeric()))
        });
        let ordinal = ["th", "st", "nd", "rd"]
            .iter()
            .any(|o| after.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(o)));
        if (unit.is_some() || money_before) && !ordinal {
            let value: Option<f64> = text[start..end].replace(',', "").parse().ok();
            if let Some(v) = value {
                let unit_len = unit.map_or(0, |w| text.len() - after.len() - end + w.len());
                out.push((start..end + unit_len, v));
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// The state of one body's rendering: what is added on top of CommonMark.
struct Transform<'i, 'e> {
    input: &'i Input<'i>,
    /// The body as parsed (shortcodes replaced by placeholders).
    body: &'e str,
    link_target: &'i (dyn Fn(&str) -> Option<String> + Sync),
    diagnostics: Vec<Diagnostic>,
    expansions: &'i [Expansion],
    used_ids: HashSet<String>,
    flat_toc: Vec<(u32, String, String)>,
    title: Option<String>,
    footnotes: Footnotes,
    current_footnote: Option<String>,
    /// Events ready for the HTML writer.
    queue: VecDeque<Event<'e>>,
    /// Links with a fragment, to check when the pages are built.
    anchors: Vec<Anchor>,
    /// Inside a fenced or indented code block, where numbers are code.
    in_code: bool,
    /// How deep the page nests ([`crate::nesting`]).
    nesting: crate::nesting::Nesting,
}

impl<'e> Transform<'_, 'e> {
    /// Turns one parser event into the event to write; a heading (with the
    /// events up to its end) goes into the queue instead, and `None` is
    /// returned. Called only when the queue is empty.
    fn process(
        &mut self,
        event: Event<'e>,
        range: Range<usize>,
        parser: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>,
    ) -> Option<Event<'e>> {
        if self.nesting.too_deep_at(&event) {
            self.too_deep(&range);
        }
        let out = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut end = Event::End(TagEnd::Heading(level));
                for (e, r) in parser.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        end = e;
                        break;
                    }
                    inner.push((e, r));
                }
                let text = unplace(&plain_text(&inner), self.expansions);
                if self.input.take_title && self.title.is_none() && level == HeadingLevel::H1 {
                    self.title = Some(text);
                    return None;
                }
                let wanted = match id {
                    Some(id) => id.to_string(),
                    None => urls::heading_id(&text),
                };
                if !self.input.raw_html {
                    self.refuse_handlers(&attrs, &range);
                }
                let id = unique_id(&wanted, &mut self.used_ids);
                if level != HeadingLevel::H1 {
                    self.flat_toc.push((level as u32, id.clone(), text));
                }
                self.queue.push_back(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
                for (e, r) in inner {
                    let e = self.rewrite(e, &r);
                    self.queue.push_back(e);
                }
                self.queue.push_back(end);
                return None;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, english) = callout(kind);
                let label = self
                    .input
                    .shortcodes
                    .and_then(|x| x.word(class))
                    .unwrap_or_else(|| english.to_string());
                Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
                )))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed("</div>\n")),
            Event::FootnoteReference(label) => {
                let n = self.footnotes.number(&label);
                let id = urls::slugify(&label);
                let suffix = self.footnotes.next_ref_suffix(&label);
                Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-reference\" id=\"fnref-{id}{suffix}\"><a href=\"#fn-{id}\" aria-label=\"Footnote {n}\">{n}</a></sup>"
                )))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.footnotes.number(&label);
                let id = urls::slugify(&label);
                let html = format!(
                    "<div class=\"footnote-definition\" id=\"fn-{id}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
                );
                self.current_footnote = Some(id);
                Event::Html(CowStr::from(html))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let id = self.current_footnote.take().unwrap_or_default();
                Event::Html(CowStr::from(format!(
                    "<a class=\"footnote-backref\" href=\"#fnref-{id}\" aria-label=\"Back to the text\">↩</a>\n</div>\n"
                )))
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                Event::End(TagEnd::CodeBlock)
            }
            Event::Text(t) => {
                if !self.in_code {
                    self.typed_numbers(&t, &range);
                }
                Event::Text(t)
            }
            e => self.rewrite(e, &range),
        };
        Some(out)
    }

    /// Warns about numbers with units typed into the prose, where a figure
    /// reference was probably meant.
    fn typed_numbers(&mut self, text: &str, range: &Range<usize>) {
        let Some(x) = self.input.shortcodes else {
            return;
        };
        let found = typed_numbers(text);
        if found.is_empty() {
            return;
        }
        // Offsets are exact when the event's text is the source's.
        let exact = self.body.get(range.clone()) == Some(text);
        for (r, value) in found {
            let span = if exact {
                range.start + r.start..range.start + r.end
            } else {
                range.clone()
            };
            let shown = text[r.clone()].replace('\u{a0}', " ");
            let mut d = Diagnostic::warning(
                "typed-number",
                format!("number typed into the prose: `{shown}`"),
            )
            .at(self
                .input
                .locate(self.input.body.start + span.start..self.input.body.start + span.end))
            .expected("a figure reference, so that the number comes from the data file");
            d = match x.suggest(value) {
                Some(s) => d.hint(format!("write `{s}` instead")),
                None => {
                    d.hint("add the figure to `content/data.toml` and write `{{ fig(id=\"…\") }}`")
                }
            };
            self.diagnostics.push(d);
        }
    }

    /// The error for a page nested deeper than the stages after this one can
    /// follow, at the element that went one level too deep.
    fn too_deep(&mut self, range: &Range<usize>) {
        let start = self.input.body.start + range.start;
        let limit = crate::nesting::MAX_NESTING;
        self.diagnostics.push(
            Diagnostic::error("too-deep", format!("this page nests more than {limit} levels deep"))
                .at(self.input.locate(start..start + 1))
                .expected(format!("at most {limit} blockquotes, lists, emphases, links and HTML elements inside each other"))
                .hint("flatten the quotes or lists, or close the HTML elements that are left open"),
        );
    }

    /// Refuses `{onclick=…}` heading attributes: inline event handlers.
    fn refuse_handlers(
        &mut self,
        attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
        range: &Range<usize>,
    ) {
        for (name, _) in attrs {
            if name.to_ascii_lowercase().starts_with("on") {
                let span = self.input.body.start + range.start..self.input.body.start + range.end;
                self.diagnostics.push(
                    Diagnostic::error("event-handler", format!("inline event handler `{name}` in a heading"))
                        .at(self.input.locate(span))
                        .expected("heading attributes without scripts: `{#id .class}`")
                        .hint("this briefing sets `raw_html = false` in `content/_index.md`: nothing in its pages may run scripts"),
                );
            }
        }
    }

    fn rewrite(&mut self, event: Event<'e>, range: &Range<usize>) -> Event<'e> {
        if let Event::Start(Tag::Link { dest_url, .. }) = &event
            && let Some(anchor) = anchor(dest_url, range, self.input, self.link_target)
        {
            self.anchors.push(anchor);
        }
        rewrite(
            event,
            range,
            self.input,
            self.link_target,
            &mut self.diagnostics,
        )
    }
}

/// Footnotes are numbered in the order they are first referred to, and get
/// ids (`fn-…`, `fnref-…`) that cannot clash with heading ids.
#[derive(Default)]
struct Footnotes {
    numbers: std::collections::HashMap<String, usize>,
    refs: std::collections::HashMap<String, usize>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// `""` for the first reference to a note, `-2`, `-3` … after that.
    fn next_ref_suffix(&mut self, label: &str) -> String {
        let n = self.refs.entry(label.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            String::new()
        } else {
            format!("-{n}")
        }
    }
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The anchor of a link to `#fragment` on this page, or to `page.md#fragment`
/// on another page of the briefing.
fn anchor(
    url: &str,
    range: &Range<usize>,
    input: &Input<'_>,
    link_target: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Option<Anchor> {
    let (path, fragment) = url.split_once('#')?;
    if fragment.is_empty() {
        return None;
    }
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    let from = urls::index_of(input.page_dir);
    let page = if path.is_empty() {
        from.clone()
    } else {
        let path = path.split('?').next().unwrap_or(path);
        let out = urls::resolve(input.source_dir, path).and_then(|t| link_target(&t))?;
        if !out.ends_with(".html") {
            return None;
        }
        out
    };
    let span = input.body.start + range.start..input.body.start + range.end;
    Some(Anchor {
        from,
        page,
        fragment: fragment.to_string(),
        at: input.locate(span),
    })
}

/// Rewrites the destination of links and images that point at source files.
fn rewrite<'e>(
    event: Event<'e>,
    range: &Range<usize>,
    input: &Input<'_>,
    link_target: &(dyn Fn(&str) -> Option<String> + Sync),
    diagnostics: &mut Vec<Diagnostic>,
) -> Event<'e> {
    let at = || {
        let span = input.body.start + range.start..input.body.start + range.end;
        input.locate(span)
    };
    match &event {
        Event::Html(html) | Event::InlineHtml(html) if !input.raw_html => {
            let tag: String = html.trim().chars().take(40).collect();
            diagnostics.push(
                Diagnostic::error("raw-html", format!("raw HTML `{tag}` in a briefing that refuses it"))
                    .at(at())
                    .expected("Markdown only: `raw_html = false` is set in `content/_index.md`")
                    .hint("write it in Markdown, or ask the briefing's maintainers to add it to a template; raw HTML can run scripts in readers' browsers"),
            );
        }
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let image = matches!(event, Event::Start(Tag::Image { .. }));
            if let Some(scheme) = urls::dangerous_scheme(dest_url, image) {
                diagnostics.push(
                    Diagnostic::error(
                        "unsafe-url",
                        format!("a `{scheme}` URL would run code in readers' browsers"),
                    )
                    .at(at())
                    .expected("a link to a page, a file or an `https://` address")
                    .hint("briefings never link to scripts; link to the page or file itself"),
                );
            }
        }
        _ => {}
    }
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite_url(dest_url, range, input, link_target, diagnostics);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite_url(dest_url, range, input, link_target, diagnostics);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        e => e,
    }
}

fn rewrite_url<'e>(
    url: CowStr<'e>,
    range: &Range<usize>,
    input: &Input<'_>,
    link_target: &(dyn Fn(&str) -> Option<String> + Sync),
    diagnostics: &mut Vec<Diagnostic>,
) -> CowStr<'e> {
    if url.is_empty() || urls::is_external_or_fragment(&url) {
        return url;
    }
    let cut = url.find(['#', '?']).unwrap_or(url.len());
    let (path, suffix) = url.split_at(cut);
    let target = urls::resolve(input.source_dir, path);
    if let Some(out) = target.as_deref().and_then(link_target) {
        let mut rel = urls::relative(input.page_dir, &out);
        rel.push_str(suffix);
        return CowStr::from(rel);
    }
    if path.ends_with(".md") {
        let span = input.body.start + range.start..input.body.start + range.end;
        let shown = target.map_or_else(|| path.to_string(), |t| format!("content/{t}"));
        diagnostics.push(
            Diagnostic::error("broken-link", format!("broken link: `{path}` is not a page of this briefing"))
                .at(input.locate(span))
                .expected(format!("an existing Markdown file; `{shown}` does not exist or is a draft"))
                .hint("link to another page by its file path relative to this file, e.g. `[Trade](trade.md)`"),
        );
    }
    url
}

fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) if !t.starts_with('<') => {
                s.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Words in `s`: runs of characters between ASCII whitespace. Byte-wise,
/// because it runs over every piece of text of every page.
fn count_words(s: &str) -> usize {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    // A word starts at the first byte, if it is not a blank, and at every
    // byte that is not a blank after one that is. Counted over pairs of
    // neighbours in blocks of 255, in byte-wide sums the compiler turns into
    // vector instructions: a loop that remembered whether it was inside a
    // word mispredicted a branch at every word and took 4.7 % of a
    // 10,000-page build's samples (`perf`); this is five times faster.
    let mut words = usize::from(!is_blank(first));
    let mut start = 0;
    while start + 1 < bytes.len() {
        let end = (start + 256).min(bytes.len());
        let (before, at) = (&bytes[start..end - 1], &bytes[start + 1..end]);
        let starts = before
            .iter()
            .zip(at)
            .map(|(&b, &a)| u8::from(is_blank(b) & !is_blank(a)))
            .fold(0u8, u8::wrapping_add);
        words += usize::from(starts);
        start = end - 1;
    }
    words
}

/// `u8::is_ascii_whitespace` (space, tab, line feed, form feed, carriage
/// return) without branches.
#[inline(always)]
fn is_blank(b: u8) -> bool {
    (b == b' ') | ((b.wrapping_sub(b'\t') < 5) & (b != 0x0B))
}

fn unique_id(wanted: &str, used: &mut HashSet<String>) -> String {
    let mut id = wanted.to_string();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> (Rendered, Vec<Diagnostic>) {
        md_with(text, true, &|_: &str| None)
    }

    fn md_with(
        text: &str,
        take_title: bool,
        targets: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> (Rendered, Vec<Diagnostic>) {
        let text: Arc<str> = Arc::from(text);
        let input = Input {
            path: "content/a.md",
            text: &text,
            body: 0..text.len(),
            source_dir: "",
            page_dir: "a/",
            take_title,
            shortcodes: None,
            raw_html: true,
            lines: Default::default(),
        };
        render(&input, targets)
    }

    #[test]
    fn headings_get_stable_unique_ids_and_a_nested_toc() {
        let (r, _) = md("## Trade flows\n\n### Exports\n\n## Trade flows\n");
        assert!(r.html.contains("<h2 id=\"trade-flows\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"trade-flows-1\">"), "{}", r.html);
        let toc = r.toc.tree();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "exports");
        assert_eq!(toc[0].permalink(), "#trade-flows");
    }

    #[test]
    fn explicit_heading_ids_are_kept() {
        let (r, _) = md("## Trade {#t}\n");
        assert!(r.html.contains("<h2 id=\"t\">"), "{}", r.html);
    }

    #[test]
    fn first_h1_becomes_the_title_and_leaves_the_body() {
        let (r, _) = md("# The *title*\n\nText\n\n# Second\n");
        assert_eq!(r.title.as_deref(), Some("The title"));
        assert!(!r.html.contains("The <em>title</em>"));
        assert!(r.html.contains("<h1 id=\"second\">"));
        let (r, _) = md_with("# Kept\n", false, &|_: &str| None);
        assert!(r.html.contains("<h1 id=\"kept\">Kept</h1>"));
    }

    #[test]
    fn callouts_are_labelled_notes() {
        let (r, _) = md("> [!WARNING]\n> Mind the gap.\n");
        assert!(
            r.html
                .contains("class=\"callout callout-warning\" role=\"note\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p class=\"callout-title\">Warning</p>"));
        assert!(r.html.contains("Mind the gap."));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_smart_quotes() {
        let (r, _) = md("| a | b |\n|---|--:|\n| 1 | 2 |\n\nSee[^1] ~~x~~ \"q\"\n\n[^1]: Note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("text-align: right"));
        assert!(
            r.html
                .contains("<a href=\"#fn-1\" aria-label=\"Footnote 1\">1</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#fnref-1\""), "{}", r.html);
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("“q”"));
    }

    #[test]
    fn links_to_source_files_become_relative_urls() {
        let targets = |p: &str| match p {
            "energy.md" => Some("energy/index.html".to_string()),
            "img/map.png" => Some("img/map.png".to_string()),
            _ => None,
        };
        let (r, d) = md_with(
            "[E](energy.md#solar) ![m](img/map.png) [x](https://x.org) [d](../../s/p/)",
            true,
            &targets,
        );
        assert!(d.is_empty());
        assert!(
            r.html.contains("href=\"../energy/index.html#solar\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("src=\"../img/map.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org\""));
        assert!(r.html.contains("href=\"../../s/p/\""));
    }

    #[test]
    fn a_link_to_a_missing_page_is_located() {
        let (_, d) = md("Text\n\nSee [x](nope.md).\n");
        assert_eq!(d.len(), 1);
        let loc = d[0].location.clone().unwrap();
        assert_eq!((loc.line, loc.column), (3, 5));
        assert!(d[0].message.contains("nope.md"));
    }

    /// The scan as it was before it stepped over bytes: every character
    /// decoded.
    fn typed_numbers_char_by_char(text: &str) -> Vec<(Range<usize>, f64)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        let mut in_placeholder = false;
        while i < text.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c == OPEN {
                in_placeholder = true;
            } else if c == CLOSE {
                in_placeholder = false;
            }
            let starts_number = !in_placeholder
                && c.is_ascii_digit()
                && (i == 0
                    || !text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|p| (p.is_alphanumeric() && !is_cjk(p)) || p == '_'));
            if !starts_number {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            let mut end = i;
            while end < text.len() {
                let b = bytes[end];
                let digit_follows = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
                if b.is_ascii_digit() || ((b == b'.' || b == b',') && digit_follows) {
                    end += 1;
                } else {
                    break;
                }
            }
            let money_before = text[..start].ends_with('$')
                || text[..start].ends_with("USD ")
                || text[..start].ends_with('€');
            let after = text[end..].trim_start_matches([' ', '\u{a0}']);
            let unit = UNIT_WORDS.iter().find(|w| {
                after
                    .get(..w.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(w))
                    && (w.chars().next().is_some_and(is_cjk)
                        || after[w.len()..]
                            .chars()
                            .next()
                            .is_none_or(|n| !n.is_alphanumeric()))
            });
            let ordinal = ["th", "st", "nd", "rd"]
                .iter()
                .any(|o| after.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(o)));
            if (unit.is_some() || money_before) && !ordinal {
                let value: Option<f64> = text[start..end].replace(',', "").parse().ok();
                if let Some(v) = value {
                    let unit_len = unit.map_or(0, |w| text.len() - after.len() - end + w.len());
                    out.push((start..end + unit_len, v));
                }
            }
            i = end.max(i + 1);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn typed_numbers_are_found_as_when_every_character_was_decoded(
            text in "([0-9]{1,4}|[ .,_$€]|USD |K|km|Mt|bn|percent|tonnes|th|x|é|ö1|中|亿|万|\u{a0}|\u{e000}|\u{e001}|\u{e020}|\u{efff}){0,30}",
        ) {
            proptest::prop_assert_eq!(typed_numbers(&text), typed_numbers_char_by_char(&text));
        }
    }

    proptest::proptest! {
        /// Whatever the text, the scan does not panic and its ranges are
        /// valid slices (the Kelvin sign lowercases to one byte, for one).
        #[test]
        fn typed_number_ranges_are_always_valid(text in "([0-9]{1,3}|[ .,]|K|km|KM|\u{212a}m|%|é|bn|\u{a0}|\u{e000}|\u{e001}){0,20}") {
            for (r, _) in typed_numbers(&text) {
                proptest::prop_assert!(text.get(r).is_some());
            }
        }

        /// The block-wise digit search answers as a byte-by-byte one, for
        /// any bytes, lengths around the block size and digits anywhere.
        #[test]
        fn the_digit_search_agrees_with_a_plain_one(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            digit in b'0'..=b'9',
            at in 0usize..200,
        ) {
            let plain = bytes.iter().any(u8::is_ascii_digit);
            proptest::prop_assert_eq!(has_ascii_digit(&bytes), plain);
            let mut with = bytes.clone();
            with.insert(at.min(with.len()), digit);
            proptest::prop_assert!(has_ascii_digit(&with));
        }
    }

    #[test]
    fn numbers_typed_with_units_are_found() {
        let found: Vec<f64> = typed_numbers("It reached 2.57 billion, up 47.5 percent, in 2023 and $3 more; the 6th expo; 1,200 tonnes.")
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(found, vec![2.57, 47.5, 3.0, 1200.0]);
        let text = "reached 18–23 days";
        let (r, v) = typed_numbers(text).pop().unwrap();
        assert_eq!((&text[r], v), ("23 days", 23.0));
        // In translated prose: Chinese touches its numbers, Azerbaijani
        // writes its own scale words.
        let zh = "阿拉特港货运量达到115万吨，收入25.7亿美元，第4大伙伴。";
        let found: Vec<&str> = typed_numbers(zh).into_iter().map(|(r, _)| &zh[r]).collect();
        assert_eq!(found, ["115万", "25.7亿"]);
        let az = "Gəlir 2,57 milyard dollar, 2023-cü ildə.";
        let found: Vec<&str> = typed_numbers(az).into_iter().map(|(r, _)| &az[r]).collect();
        assert_eq!(found, ["2,57 milyard"]);
    }

    #[test]
    fn words_are_counted() {
        let (r, _) = md("## Two words\n\nand three more\n");
        // The `##` marker counts, as in Zola's raw-content count.
        assert_eq!(r.word_count, 6);
        assert_eq!(count_words("a\tb  c\n"), 3);
        assert_eq!(count_words("çà va"), 2);
    }

    proptest::proptest! {
        #[test]
        fn words_are_counted_as_blanks_between_them_say(
            text in "[ \t\n\r\u{b}\u{c}a-zé中\u{a0}]{0,700}",
        ) {
            let plain = text.split_ascii_whitespace().count();
            proptest::prop_assert_eq!(count_words(&text), plain);
        }
    }
}
