//! The PDF edition's document: the page style (paper, margins, running
//! header, page numbers "n / N"), the cover (title, subtitle, date, authors,
//! sources), the contents with page numbers, then each page of the briefing
//! in reading order as a chapter.

use std::fmt::Write;

use super::fonts::{self, Fonts};
use super::markup::{string, text};
use crate::model::Site;

/// The Typst preamble: styles and helpers every chapter uses.
fn preamble(site: &Site, fonts: &Fonts, paper: &str) -> String {
    let (serif, sans) = fonts::families(fonts);
    let list = |fs: &[String]| {
        let quoted: Vec<String> = fs.iter().map(|f| string(f)).collect();
        format!("({},)", quoted.join(", "))
    };
    let meta = &site.meta;
    let language = typst_language(&meta.language);
    let authors: Vec<String> = meta.authors.iter().map(|a| string(a)).collect();
    let date = meta
        .date
        .as_deref()
        .and_then(datetime)
        .unwrap_or_else(|| "none".to_string());
    let description = meta
        .description
        .as_deref()
        .map_or("none".to_string(), string);
    format!(
        r##"#set document(title: {title}, author: ({authors}), date: {date}, description: {description})
#let serif = {serif}
#let sans = {sans}
#let muted = rgb("#5b6168")
#let accent = rgb("#0b5c8a")
#let rule = rgb("#d9d6cf")
#set text(font: serif, size: 10.5pt, lang: {language}, cjk-latin-spacing: none)
#set par(justify: true, leading: 0.62em, spacing: 1em)
#let small(body) = block(above: 0.5em, below: 1.1em, text(font: sans, size: 7.5pt, fill: muted, par(justify: false, body)))
#let lede(body) = block(below: 1.4em, text(size: 12.5pt, style: "italic", body))
#set page(paper: {paper}, margin: (top: 2.6cm, bottom: 2.4cm, x: {margin_x}cm),
  header: context {{
    let n = here().page()
    if n > 1 {{
      let chapters = query(heading.where(level: 1)).filter(h => h.location().page() <= n)
      set text(font: sans, size: 7.5pt, fill: muted)
      grid(columns: (1fr, 1fr), column-gutter: 2em, [{title_markup}], align(right, if chapters.len() > 0 {{ chapters.last().body }}))
      v(-0.4em)
      line(length: 100%, stroke: 0.4pt + rule)
    }}
  }},
  footer: context {{
    if here().page() > 1 {{
      set text(font: sans, size: 7.5pt, fill: muted)
      align(right, counter(page).display("1 / 1", both: true))
    }}
  }})
#show heading: set text(font: sans, weight: "bold")
#show heading: set par(justify: false)
#show heading.where(level: 1): set text(size: 19pt)
#show heading.where(level: 1): set block(above: 0pt, below: 1.2em)
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it }}
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 2): set block(above: 1.8em, below: 0.8em)
#show heading.where(level: 3): set text(size: 11pt)
#show link: set text(fill: accent)
#show figure: set block(breakable: true)
#show figure: set block(above: 1.4em, below: 0.6em)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.where(kind: table): set align(left)
#show figure.where(kind: "chart"): set figure.caption(position: top)
#show figure.caption: set align(left)
#show figure.caption: set text(font: sans, size: 8.5pt, weight: "bold")
#show figure.caption: set par(justify: false)
#show figure.caption: set block(sticky: true)
#let table-size = 7.5pt
#let table-inset = 4pt
#show table.cell: set text(font: sans, size: table-size)
#show table.cell: set par(justify: false, leading: 0.5em)
#set table(inset: (x: table-inset, y: 3.5pt), stroke: (x, y) => (top: if y == 0 {{ 0.8pt }} else if y == 1 {{ 0.5pt }} else {{ 0.25pt + rule }}, bottom: 0.8pt))
// A table's columns as a browser sizes them: each at least as wide as the
// widest thing no line is broken inside (a figure, a word), and the rest
// of the width shared by how much more each would take on one line. A
// table whose narrowest columns are wider than the text says so, for the
// build to report.
#let fit-table(id, key, pieces, naturals, ..args) = layout(size => {{
  let width(p) = measure(text(font: sans, size: table-size, p)).width
  let widest(ps) = ps.fold(0pt, (w, p) => calc.max(w, width(p)))
  let pad = 2 * table-inset + 0.5pt
  let mins = pieces.map(ps => widest(ps) + pad)
  let nats = naturals.zip(mins).map(((ps, m)) => calc.max(widest(ps) + pad, m))
  let need = mins.sum(default: 0pt)
  let natural = nats.sum(default: 0pt)
  let columns = if natural <= size.width {{ nats }} else if need < size.width {{
    let share = (size.width - need) / (natural - need)
    mins.zip(nats).map(((a, b)) => a + (b - a) * share)
  }} else {{ mins }}
  if need > size.width [#metadata((id: id, key: key, need: need.cm(), have: size.width.cm())) <briefing-too-wide>]
  table(columns: columns, ..args)
}})
#show table.cell.where(y: 0): set text(weight: "bold")
#show raw: set text(font: {mono}, size: 8.5pt)
#show quote.where(block: true): set pad(left: 1.2em)
"##,
        title = string(&meta.title),
        title_markup = text(&meta.title),
        mono = string(fonts::MONO),
        serif = list(&serif),
        sans = list(&sans),
        authors = authors.join(", ") + if authors.len() == 1 { "," } else { "" },
        paper = string(paper),
        margin_x = super::fit::MARGIN_X_CM,
        language = string(language),
    )
}

/// Typst's language code: the primary subtag of the briefing's language.
fn typst_language(tag: &str) -> &str {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    if (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase()) {
        primary
    } else {
        "en"
    }
}

/// `datetime(…)` for a `YYYY-MM-DD` date.
fn datetime(date: &str) -> Option<String> {
    let mut parts = date.get(..10)?.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Some(format!(
        "datetime(year: {year}, month: {month}, day: {day})"
    ))
}

/// The cover: title, subtitle or description, date, authors and the
/// sources the briefing is based on.
fn cover(site: &Site) -> String {
    let meta = &site.meta;
    let book = &site.figures;
    let words = &book.words;
    let mut c = format!(
        "#page(header: none, footer: none, margin: (x: {}cm, top: 5.5cm, bottom: 2.6cm))[\n#set par(justify: false)\n",
        super::fit::MARGIN_X_CM
    );
    let _ = writeln!(
        c,
        "#block(width: 100%, below: 1.2em, text(font: sans, size: 26pt, weight: \"bold\")[{}])",
        text(&meta.title)
    );
    if let Some(sub) = meta.subtitle.as_deref().or(meta.description.as_deref()) {
        let _ = writeln!(
            c,
            "#block(below: 2em, text(size: 14pt, fill: muted)[{}])",
            text(sub)
        );
    }
    let _ = writeln!(
        c,
        "#line(length: 30%, stroke: 2pt + accent)\n#v(1fr)\n#set text(font: sans, size: 9pt)"
    );
    if let Some(date) = &meta.date {
        let _ = writeln!(
            c,
            "#block(below: 0.6em, strong[{}])",
            text(&crate::figures::html::human_date(book, date))
        );
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(
            c,
            "#block(below: 0.6em)[{} {}]",
            text(words.get("by")),
            text(&meta.authors.join(", "))
        );
    }
    if !book.sources.is_empty() {
        let cited: Vec<String> = book
            .sources
            .iter()
            .map(|s| {
                crate::figures::html::citation(book, s, text, |p| format!("#emph[{}]", text(p)))
            })
            .collect();
        let _ = writeln!(
            c,
            "#block(text(fill: muted)[{} {}])",
            text(words.get("based_on")),
            cited.join("; ")
        );
    }
    c.push_str("]\n");
    c
}

/// The contents page.
fn contents(site: &Site) -> String {
    format!(
        "#outline(title: [{}], depth: 2)\n#pagebreak(weak: true)\n",
        text(site.figures.words.get("contents"))
    )
}

/// The whole document around the chapters.
pub fn document(site: &Site, fonts: &Fonts, paper: &str, chapters: &[String]) -> String {
    let mut out = preamble(site, fonts, paper);
    out.push_str(&cover(site));
    out.push_str(&contents(site));
    for c in chapters {
        out.push_str(c);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_become_typst_codes() {
        assert_eq!(typst_language("zh-Hans"), "zh");
        assert_eq!(typst_language("az"), "az");
        assert_eq!(typst_language("x-klingon"), "en");
    }

    #[test]
    fn dates_become_datetimes() {
        assert_eq!(
            datetime("2024-01-24").as_deref(),
            Some("datetime(year: 2024, month: 1, day: 24)")
        );
        assert_eq!(datetime("soon"), None);
    }
}
