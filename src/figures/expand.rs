//! What each shortcode means: `fig`, `table`, `timeline`, `event` and
//! `key_figures`, checked against the figure book (unknown ids and options
//! are located errors with a suggestion) and expanded to HTML.

use std::ops::Range;

use super::format::{self, Style};
use super::html::{self, Links, Show};
use super::{Book, Kind, Value};
use crate::diagnostic::{Diagnostic, Location, closest};
use crate::markdown::{Expand, Expansion, Use};
use crate::shortcode::{Arg, Call};

/// The shortcodes briefing knows, with their arguments.
const SHORTCODES: &[(&str, &[&str])] = &[
    ("fig", &["id", "show", "style"]),
    ("table", &["id"]),
    ("timeline", &[]),
    ("event", &["id", "show"]),
    ("key_figures", &[]),
    ("chart", &["id"]),
    ("ref", &["id", "chart", "table"]),
];

/// Expands shortcodes with a figure book.
pub struct Expander<'a> {
    /// The figures.
    pub book: &'a Book,
    /// Output path of the sources page, if any.
    pub sources_page: Option<&'a str>,
}

impl Expander<'_> {
    fn links<'p>(&'p self, page_dir: &'p str) -> Links<'p> {
        Links {
            page_dir,
            sources_page: self.sources_page,
        }
    }
}

fn string_arg<'c>(
    call: &'c Call,
    name: &str,
    at: &dyn Fn(Range<usize>) -> Location,
) -> Result<Option<(&'c str, Range<usize>)>, Diagnostic> {
    match call.arg(name) {
        None => Ok(None),
        Some((_, Arg::Str(s), span)) => Ok(Some((s.as_str(), span.clone()))),
        Some((_, other, span)) => Err(Diagnostic::error(
            "argument-not-string",
            format!("argument `{name}` of `{}` must be a string", call.name),
        )
        .at(at(span.clone()))
        .expected(format!("a quoted string; found {}", other.kind()))),
    }
}

fn required<'c>(
    call: &'c Call,
    name: &str,
    at: &dyn Fn(Range<usize>) -> Location,
) -> Result<(&'c str, Range<usize>), Diagnostic> {
    string_arg(call, name, at)?.ok_or_else(|| {
        Diagnostic::error(
            "missing-argument",
            format!("`{}` needs `{name}`", call.name),
        )
        .at(at(call.span.clone()))
        .expected(format!("`{}({name}=\"…\")`", call.name))
    })
}

impl Expand for Expander<'_> {
    fn expand(
        &self,
        call: &Call,
        page_dir: &str,
        at: &dyn Fn(Range<usize>) -> Location,
    ) -> Result<Expansion, Diagnostic> {
        self.expand_call(call, page_dir, at)
            .map_err(|d| match d.hint {
                Some(_) => d,
                None => d.hint(format!(
                    "e.g. `{}`; see the manual's Shortcodes page",
                    example(&call.name)
                )),
            })
    }

    fn suggest(&self, value: f64) -> Option<String> {
        self.suggestion(value)
    }

    fn word(&self, key: &str) -> Option<String> {
        Some(self.book.words.get(key).to_string())
    }
}

/// A correct call of a shortcode, for hints.
fn example(name: &str) -> &'static str {
    match name {
        "table" => "{{ table(id=\"trade\") }}",
        "event" => "{{ event(id=\"signing\", show=\"period\") }}",
        "timeline" => "{{ timeline() }}",
        "key_figures" => "{{ key_figures() }}",
        "chart" => "{{ chart(id=\"trade\") }}",
        "ref" => "{{ ref(id=\"freight\") }}",
        _ => "{{ fig(id=\"trade_2023\", show=\"value\") }}",
    }
}

impl Expander<'_> {
    /// `{{ ref(id="freight") }}`: "Chart 3", linked to the chart (or
    /// table) wherever it is shown; `chart=` or `table=` when a chart and
    /// a table share the id.
    fn reference(
        &self,
        call: &Call,
        at: &dyn Fn(Range<usize>) -> Location,
    ) -> Result<Expansion, Diagnostic> {
        use crate::numbering::{Kind as Numbered, ref_mark};
        let book = self.book;
        let chart = string_arg(call, "chart", at)?;
        let table = string_arg(call, "table", at)?;
        let id = string_arg(call, "id", at)?;
        let (kind, (name, span)) = match (chart, table, id) {
            (Some(c), None, None) => (Some(Numbered::Chart), c),
            (None, Some(t), None) => (Some(Numbered::Table), t),
            (None, None, Some(i)) => (None, i),
            _ => {
                return Err(Diagnostic::error("ref-target", "`ref` takes one of `id`, `chart` or `table`")
                    .at(at(call.span.clone()))
                    .expected("`{{ ref(id=\"freight\") }}`")
                    .hint("name the chart or table with `id`; `chart=` or `table=` when a chart and a table share it"));
            }
        };
        let as_chart = book
            .find(Kind::Chart, name)
            .filter(|_| kind != Some(Numbered::Table));
        let as_table = book
            .find(Kind::Table, name)
            .filter(|_| kind != Some(Numbered::Chart));
        let (kind, title) = match (as_chart, as_table) {
            (Some(_), Some(_)) => {
                return Err(Diagnostic::error(
                    "ambiguous-ref",
                    format!("`{name}` is both a chart and a table"),
                )
                .at(at(span))
                .expected("the id of one chart or one table")
                .hint(format!(
                    "write `{{{{ ref(chart=\"{name}\") }}}}` or `{{{{ ref(table=\"{name}\") }}}}`"
                )));
            }
            (Some(c), None) => (Numbered::Chart, &book.charts[c].title),
            (None, Some(t)) => (Numbered::Table, &book.tables[t].caption),
            // A chart whose spec has an error, or anything while the data
            // file has one, is not also unknown here.
            (None, None) if book.failed.any || book.failed.charts.contains(name) => {
                return Ok(Expansion::unbuilt());
            }
            (None, None) => {
                let wanted = if kind == Some(Numbered::Table) {
                    Kind::Table
                } else {
                    Kind::Chart
                };
                return Err(book.unknown(wanted, name, at(span)));
            }
        };
        Ok(Expansion {
            html: ref_mark(kind, &html::escape(name), &html::escape(title)),
            plain: title.clone(),
            block: false,
            uses: Vec::new(),
        })
    }

    fn expand_call(
        &self,
        call: &Call,
        page_dir: &str,
        at: &dyn Fn(Range<usize>) -> Location,
    ) -> Result<Expansion, Diagnostic> {
        let Some((_, known_args)) = SHORTCODES.iter().find(|(n, _)| *n == call.name) else {
            let names: Vec<&str> = SHORTCODES.iter().map(|(n, _)| *n).collect();
            let d = Diagnostic::error(
                "unknown-shortcode",
                format!("unknown shortcode `{}`", call.name),
            )
            .at(at(call.name_span.clone()))
            .expected(format!("one of {}", names.join(", ")));
            return Err(match closest(&call.name, names.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint("write `{{/* … */}}` to show a shortcode literally"),
            });
        };
        for (name, _, span) in &call.args {
            if !known_args.contains(&name.as_str()) {
                let list = if known_args.is_empty() {
                    "no arguments".to_string()
                } else {
                    known_args
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let start = span.start.saturating_sub(name.len() + 1);
                return Err(Diagnostic::error(
                    "unknown-argument",
                    format!("`{}` has no argument `{name}`", call.name),
                )
                .at(at(start..span.end))
                .expected(list));
            }
        }
        let links = self.links(page_dir);
        let book = self.book;
        let lookup = |kind: Kind, id: &str, span: Range<usize>| {
            book.find(kind, id)
                .ok_or_else(|| book.unknown(kind, id, at(span)))
        };
        // A chart whose spec has an error is not also unknown here.
        if call.name == "chart"
            && let Ok((id, _)) = required(call, "id", at)
            && book.failed.charts.contains(id)
        {
            return Ok(Expansion::unbuilt());
        }
        match call.name.as_str() {
            "fig" => {
                let (id, span) = required(call, "id", at)?;
                let f = lookup(Kind::Figure, id, span)?;
                let show = match string_arg(call, "show", at)? {
                    None => Show::Full,
                    Some((s, span)) => Show::parse(s).ok_or_else(|| {
                        Diagnostic::error("unknown-show", format!("unknown `show=\"{s}\"`"))
                            .at(at(span))
                            .expected(Show::NAMES)
                    })?,
                };
                let style = match string_arg(call, "style", at)? {
                    None | Some(("prose", _)) => Style::Prose,
                    Some(("short", _)) => Style::Short,
                    Some((s, span)) => {
                        return Err(Diagnostic::error(
                            "unknown-style",
                            format!("unknown `style=\"{s}\"`"),
                        )
                        .at(at(span))
                        .expected("`prose` (default) or `short` (as in tables)"));
                    }
                };
                if matches!(book.figures[f].value, Value::Unknown)
                    && matches!(show, Show::Full | Show::Value)
                {
                    if book.failed.any {
                        // Its error in the data file says why.
                        return Ok(Expansion::unbuilt());
                    }
                    return Err(Diagnostic::error(
                        "no-value-to-show",
                        format!("figure `{id}` has no value to show"),
                    )
                    .at(at(call.span.clone()))
                    .expected("a figure whose value is stated or could be computed")
                    .hint("see the errors about this figure in `content/data.toml`"));
                }
                let (html, plain) = html::figure(book, f, show, style, &links);
                Ok(Expansion {
                    html,
                    plain,
                    block: false,
                    uses: vec![Use::Figure(f)],
                })
            }
            "table" => {
                let (id, span) = required(call, "id", at)?;
                let t = lookup(Kind::Table, id, span)?;
                let table = &book.tables[t];
                let mut uses = vec![Use::Table(t)];
                uses.extend(table.figures().into_iter().map(Use::Figure));
                Ok(Expansion {
                    html: html::table(book, table, &links),
                    plain: table.caption.clone(),
                    block: true,
                    uses,
                })
            }
            "chart" => {
                let (id, span) = required(call, "id", at)?;
                let c = lookup(Kind::Chart, id, span)?;
                let chart = &book.charts[c];
                let mut uses = vec![Use::Chart(c)];
                uses.extend(chart.figures().into_iter().map(Use::Figure));
                Ok(Expansion {
                    html: super::chart::html(book, chart, &links),
                    plain: chart.title.clone(),
                    block: true,
                    uses,
                })
            }
            "ref" => self.reference(call, at),
            "timeline" => Ok(Expansion {
                html: html::timeline(book, &links),
                plain: String::new(),
                block: true,
                uses: (0..book.events.len()).map(Use::Event).collect(),
            }),
            "key_figures" => Ok(Expansion {
                html: html::key_figures(book, &links),
                plain: String::new(),
                block: true,
                uses: book.key_figures.iter().map(|&f| Use::Figure(f)).collect(),
            }),
            "event" => {
                let (id, span) = required(call, "id", at)?;
                let e = lookup(Kind::Event, id, span)?;
                let event = &book.events[e];
                let text = match string_arg(call, "show", at)? {
                    None | Some(("label", _)) => event.label.clone(),
                    Some(("period", _)) => event.period.clone(),
                    Some((s, span)) => {
                        return Err(Diagnostic::error(
                            "unknown-show",
                            format!("unknown `show=\"{s}\"`"),
                        )
                        .at(at(span))
                        .expected("`label` (default) or `period`"));
                    }
                };
                let html = format!(
                    "<span class=\"event\" data-event=\"{}\">{}</span>{}",
                    html::escape(&event.id),
                    html::escape(&text),
                    html::markers(book, &[event.source], &links)
                );
                Ok(Expansion {
                    html,
                    plain: text,
                    block: false,
                    uses: vec![Use::Event(e)],
                })
            }
            _ => unreachable!("every known shortcode is handled"),
        }
    }

    fn suggestion(&self, value: f64) -> Option<String> {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        self.book.figures.iter().find_map(|f| {
            let matches = match &f.value {
                Value::Point { num, .. } => close(num.value, value),
                Value::Range { low, high, .. } => {
                    close(low.value, value) || close(high.value, value)
                }
                _ => false,
            };
            matches.then(|| format!("{{{{ fig(id=\"{}\") }}}}", f.id))
        })
    }
}

/// A plain number for templates: `{{ 1234.5 | num(decimals=1) }}`.
pub fn number(book: &Book, value: f64, decimals: usize) -> String {
    format::number(value, decimals, false, &book.locale)
}
