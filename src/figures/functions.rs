//! Tera functions and filters for figures, so that templates write numbers
//! exactly as Markdown does: `fig(id=…)`, `figure(id=…)`, `key_figures()`,
//! `timeline()`, `sources()` and the `num` filter.
//!
//! The functions share the read-only figure book and a map of which pages
//! show which figures, both built once before rendering.

use crate::figures::units::Scale;
use std::sync::Arc;

use serde::Serialize;
use tera::{Kwargs, State, Tera, TeraResult, Value as TeraValue};

use super::format::Style;
use super::html::{self, Links, Show};
use super::{Book, Kind, Value};
use crate::markdown::Use;
use crate::model::Site;
use crate::urls;

/// A function whose HTML output is not escaped again.
struct SafeHtml<F>(F);

impl<F> tera::Function<TeraResult<String>> for SafeHtml<F>
where
    F: Fn(Kwargs, &State) -> TeraResult<String> + Send + Sync + 'static,
{
    fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<String> {
        (self.0)(kwargs, state)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Which pages show each figure: (short title, output path), in site order.
type Usage = Vec<Vec<(String, String)>>;

fn usage(site: &Site) -> Usage {
    let book = &site.figures;
    let mut by_figure: Usage = vec![Vec::new(); book.figures.len()];
    let mut add = |f: usize, title: &str, out: &str| {
        let list = &mut by_figure[f];
        if !list.iter().any(|(_, o)| o == out) {
            list.push((title.to_string(), out.to_string()));
        }
    };
    for e in site.entries() {
        for u in &e.uses {
            match *u {
                Use::Figure(f) => add(f, &e.link_title, &e.output()),
                Use::Table(t) => {
                    for f in book.tables[t].figures() {
                        add(f, &e.link_title, &e.output());
                    }
                }
                Use::Chart(c) => {
                    for f in book.charts[c].figures() {
                        add(f, &e.link_title, &e.output());
                    }
                }
                Use::Event(_) => {}
            }
        }
    }
    let home = &site.sections[0].entry;
    for &f in &book.key_figures {
        add(f, &home.link_title, &home.output());
    }
    by_figure
}

fn here(state: &State) -> String {
    state
        .get::<String>("current_path")
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn lookup(book: &Book, kind: Kind, id: &str) -> TeraResult<usize> {
    book.find(kind, id).ok_or_else(|| {
        let d = book.unknown(
            kind,
            id,
            crate::diagnostic::Location::at("content/data.toml", 1, 1),
        );
        tera::Error::message(format!(
            "{}{}",
            d.message,
            d.hint.map(|h| format!(" ({h})")).unwrap_or_default()
        ))
    })
}

/// A figure as data, for templates that lay it out themselves.
#[derive(Serialize)]
struct FigureView<'a> {
    id: &'a str,
    label: &'a str,
    /// As in prose: "USD 2.57 billion".
    text: String,
    /// As in tables: "$2.57 bn".
    short: String,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    rank: Option<u32>,
    unit: Option<&'a str>,
    scale: Option<&'static str>,
    period: &'a str,
    status: &'static str,
    implied: bool,
    note: Option<&'a str>,
    sources: Vec<SourceRef<'a>>,
}

#[derive(Serialize)]
struct SourceRef<'a> {
    id: &'a str,
    number: usize,
    title: &'a str,
    author: &'a str,
    publisher: &'a str,
    date: &'a str,
    url: Option<&'a str>,
    accessed: Option<&'a str>,
}

fn source_ref(book: &Book, s: usize) -> SourceRef<'_> {
    let src = &book.sources[s];
    SourceRef {
        id: &src.id,
        number: src.number,
        title: &src.title,
        author: &src.author,
        publisher: &src.publisher,
        date: &src.date,
        url: src.url.as_deref(),
        accessed: src.accessed.as_deref(),
    }
}

fn figure_view(book: &Book, f: usize) -> FigureView<'_> {
    let fig = &book.figures[f];
    let (value, low, high, rank) = match &fig.value {
        Value::Point { num, .. } => (Some(num.value), None, None, None),
        Value::Range { low, high, .. } => (None, Some(low.value), Some(high.value), None),
        Value::Rank { rank, .. } => (None, None, None, Some(*rank)),
        Value::Unknown => (None, None, None, None),
    };
    FigureView {
        id: &fig.id,
        label: &fig.label,
        text: book.format(fig, Style::Prose),
        short: book.format(fig, Style::Short),
        value,
        low,
        high,
        rank,
        unit: fig.unit.as_deref(),
        scale: fig.scale.map(Scale::name),
        period: &fig.period,
        status: fig.status.name(),
        implied: fig.implied(),
        note: fig.note.as_deref(),
        sources: html::sources_of(book, f)
            .into_iter()
            .map(|s| source_ref(book, s))
            .collect(),
    }
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    permalink: String,
}

#[derive(Serialize)]
struct CitedFigure<'a> {
    #[serde(flatten)]
    figure: FigureView<'a>,
    pages: Vec<PageLink>,
    /// Whether this is the figure's first source, the one whose row carries
    /// the figure's id (a figure with two sources is listed twice; an id
    /// may appear once on a page).
    first: bool,
}

#[derive(Serialize)]
struct SourceEntry<'a> {
    #[serde(flatten)]
    source: SourceRef<'a>,
    /// Its entry on the sources page, relative to the page being rendered.
    permalink: Option<String>,
    figures: Vec<CitedFigure<'a>>,
    events: Vec<EventView<'a>>,
}

#[derive(Serialize)]
struct EventView<'a> {
    id: &'a str,
    label: &'a str,
    period: &'a str,
    note: Option<&'a str>,
}

/// Registers the functions and filters.
pub fn register(tera: &mut Tera, site: &Site) {
    let book: Arc<Book> = Arc::clone(&site.figures);
    let sources_page: Arc<Option<String>> = Arc::new(site.sources_page.clone());
    let usage = Arc::new(usage(site));
    let table_pages = Arc::new(site.table_pages.clone());
    let numbers = Arc::new(site.numbers.clone());

    let (b, sp) = (Arc::clone(&book), Arc::clone(&sources_page));
    tera.register_function(
        "fig",
        SafeHtml(move |kwargs: Kwargs, state: &State| {
            let id = kwargs.must_get::<&str>("id")?;
            let f = lookup(&b, Kind::Figure, id)?;
            let show = match kwargs.get::<&str>("show")? {
                None => Show::Full,
                Some(s) => Show::parse(s).ok_or_else(|| {
                    tera::Error::message(format!(
                        "fig: unknown show=\"{s}\"; expected {}",
                        Show::NAMES
                    ))
                })?,
            };
            let style = match kwargs.get::<&str>("style")? {
                None | Some("prose") => Style::Prose,
                Some("short") => Style::Short,
                Some(s) => {
                    return Err(tera::Error::message(format!(
                        "fig: unknown style=\"{s}\"; expected `prose` or `short`"
                    )));
                }
            };
            let dir = here(state);
            let links = Links {
                page_dir: &dir,
                sources_page: sp.as_deref(),
            };
            Ok(html::figure(&b, f, show, style, &links).0)
        }),
    );

    let (b, sp, tp, nb) = (
        Arc::clone(&book),
        Arc::clone(&sources_page),
        Arc::clone(&table_pages),
        Arc::clone(&numbers),
    );
    tera.register_function(
        "chart",
        SafeHtml(move |kwargs: Kwargs, state: &State| {
            let id = kwargs.must_get::<&str>("id")?;
            let c = lookup(&b, Kind::Chart, id)?;
            let dir = here(state);
            let links = Links {
                page_dir: &dir,
                sources_page: sp.as_deref(),
            };
            let html = super::chart::html(&b, &b.charts[c], &links);
            let html = super::chart::resolve_table_links(&html, &dir, &tp).unwrap_or(html);
            Ok(crate::numbering::resolve(&html, &dir, &nb, &b.words).unwrap_or(html))
        }),
    );

    let b = Arc::clone(&book);
    tera.register_function("figure", move |kwargs: Kwargs, _: &State| {
        let id = kwargs.must_get::<&str>("id")?;
        let f = lookup(&b, Kind::Figure, id)?;
        Ok::<TeraValue, tera::Error>(TeraValue::from_serializable(&figure_view(&b, f)))
    });

    for (name, block) in [("key_figures", 0), ("timeline", 1)] {
        let (b, sp) = (Arc::clone(&book), Arc::clone(&sources_page));
        tera.register_function(
            name,
            SafeHtml(move |_: Kwargs, state: &State| {
                let dir = here(state);
                let links = Links {
                    page_dir: &dir,
                    sources_page: sp.as_deref(),
                };
                Ok(if block == 0 {
                    html::key_figures(&b, &links)
                } else {
                    html::timeline(&b, &links)
                })
            }),
        );
    }

    let (b, sp) = (Arc::clone(&book), Arc::clone(&sources_page));
    tera.register_function("sources", move |_: Kwargs, state: &State| {
        let dir = here(state);
        let entries: Vec<SourceEntry<'_>> = (0..b.sources.len())
            .map(|s| SourceEntry {
                source: source_ref(&b, s),
                permalink: sp.as_deref().map(|page| {
                    format!("{}#source-{}", urls::relative(&dir, page), b.sources[s].id)
                }),
                figures: (0..b.figures.len())
                    .filter(|&f| html::sources_of(&b, f).contains(&s))
                    .map(|f| CitedFigure {
                        first: html::sources_of(&b, f).first() == Some(&s),
                        figure: figure_view(&b, f),
                        pages: usage[f]
                            .iter()
                            .map(|(title, out)| PageLink {
                                title: title.clone(),
                                permalink: urls::relative(&dir, out),
                            })
                            .collect(),
                    })
                    .collect(),
                events: b
                    .events
                    .iter()
                    .filter(|e| e.source == s)
                    .map(|e| EventView {
                        id: &e.id,
                        label: &e.label,
                        period: &e.period,
                        note: e.note.as_deref(),
                    })
                    .collect(),
            })
            .collect();
        Ok::<TeraValue, tera::Error>(TeraValue::from_serializable(&entries))
    });

    tera.register_filter("css_string", |value: &str, _: Kwargs, _: &State| {
        Ok::<String, tera::Error>(css_string(value))
    });

    let b = Arc::clone(&book);
    tera.register_filter("num", move |value: f64, kwargs: Kwargs, _: &State| {
        let decimals = kwargs.get::<usize>("decimals")?.unwrap_or(0);
        Ok::<String, tera::Error>(super::expand::number(&b, value, decimals))
    });
}

/// `value` as a quoted CSS string that is also safe inside an HTML
/// `<style>` element: quotes, backslashes, line breaks and `<`, `>`, `&`
/// written as CSS escapes (for the running title of printed pages).
pub fn css_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\n' | '\r' | '\u{c}' => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\{:x} ", c as u32));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_cannot_close_the_string_or_the_style_element() {
        assert_eq!(css_string("Trade"), "\"Trade\"");
        assert_eq!(
            css_string("A \"quoted\" </style><script>"),
            "\"A \\22 quoted\\22  \\3c /style\\3e \\3c script\\3e \""
        );
        assert_eq!(css_string("a\\b\nc"), "\"a\\5c b\\a c\"");
    }
}
