//! HTML tables as Typst tables: header rows repeated on every page the
//! table runs over, numeric columns aligned right (the site's `num`
//! class), cells spanning columns kept, and columns sized as a browser
//! sizes them (never narrower than a figure), by the preamble's
//! `fit-table`, which also finds the tables that can't fit the page.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};

use super::body::{Context, cell, unbreakable};
use super::markup::string;

/// Finds a table in a figure.
pub static TABLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("table").expect("a valid selector"));

/// One row: its cells, whether in the header.
struct Row {
    header: bool,
    cells: Vec<Cell>,
}

struct Cell {
    markup: String,
    /// The text it shows.
    text: String,
    /// What no line is broken inside (markup, text): the narrowest the
    /// cell can be.
    pieces: Vec<(String, String)>,
    numeric: bool,
    span: usize,
}

fn rows(cx: &Context<'_>, table: ElementRef<'_>) -> Vec<Row> {
    let mut out = Vec::new();
    let mut push_rows = |group: ElementRef<'_>, header: bool| {
        for tr in group.child_elements().filter(|e| e.value().name() == "tr") {
            let cells = tr
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| Cell {
                    markup: cell(cx, c),
                    text: c.text().collect(),
                    pieces: unbreakable(cx, c),
                    numeric: c.value().classes().any(|k| k == "num"),
                    span: c
                        .value()
                        .attr("colspan")
                        .and_then(|s| s.parse().ok())
                        .filter(|&n: &usize| (1..=1000).contains(&n))
                        .unwrap_or(1),
                })
                .collect();
            out.push(Row { header, cells });
        }
    };
    push_rows(table, false);
    for group in table.child_elements() {
        match group.value().name() {
            "thead" => push_rows(group, true),
            "tbody" | "tfoot" => push_rows(group, false),
            _ => {}
        }
    }
    // `thead` may come after rows written straight into the table; the
    // header goes first.
    out.sort_by_key(|r| !r.header);
    out
}

/// The table as a call of the preamble's `fit-table` (without `#` when
/// `in_code`, for a figure's body); `id` names it when it is too wide.
pub fn table(cx: &Context<'_>, el: ElementRef<'_>, id: &str, in_code: bool) -> String {
    let rows = rows(cx, el);
    let columns = rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (numeric, pieces, naturals) = columns_of(&rows, columns);
    let align: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "right" } else { "left" })
        .collect();
    let cells = |r: &Row| -> Vec<String> {
        r.cells
            .iter()
            .map(|c| {
                if c.span > 1 {
                    format!("table.cell(colspan: {})[{}]", c.span, c.markup)
                } else {
                    format!("[{}]", c.markup)
                }
            })
            .collect()
    };
    let header: Vec<String> = rows.iter().filter(|r| r.header).flat_map(cells).collect();
    let body: Vec<String> = rows.iter().filter(|r| !r.header).flat_map(cells).collect();
    let mut args = vec![
        string(id),
        string(cx.key),
        array(pieces.into_iter().map(array).collect()),
        array(naturals.into_iter().map(array).collect()),
        format!(
            "align: {}",
            array(align.into_iter().map(String::from).collect())
        ),
    ];
    if !header.is_empty() {
        args.push(format!("table.header(repeat: true, {})", header.join(", ")));
    }
    args.extend(body);
    let hash = if in_code { "" } else { "#" };
    format!("{hash}fit-table({})", args.join(", "))
}

/// Per column: whether it is numeric (its body cells say so), the pieces
/// no line is broken inside, and each cell on one line. Cells spanning
/// columns count for none.
type Columns = (Vec<bool>, Vec<Vec<String>>, Vec<Vec<String>>);

fn columns_of(rows: &[Row], columns: usize) -> Columns {
    let mut numeric = vec![false; columns];
    let mut pieces = vec![Widest::default(); columns];
    let mut naturals = vec![Widest::default(); columns];
    for r in rows {
        let mut col = 0;
        for c in &r.cells {
            if col >= columns {
                break;
            }
            numeric[col] |= c.numeric && !r.header;
            if c.span == 1 {
                // The header row is bold.
                let styled = |m: &str| match r.header {
                    true => format!("[#strong[{m}]]"),
                    false => format!("[{m}]"),
                };
                for (markup, text) in &c.pieces {
                    pieces[col].offer(text, r.header, || styled(markup));
                }
                naturals[col].offer(&c.text, r.header, || styled(&c.markup));
            }
            col += c.span;
        }
    }
    let kept = |w: Vec<Widest>| w.into_iter().map(Widest::markup).collect();
    (numeric, kept(pieces), kept(naturals))
}

/// The few pieces of a column most likely to be its widest, by a rough
/// width of their text: Typst measures only these (measuring every word of
/// a long table cost 30 ms a PDF), and the widest is among them unless
/// glyph widths differ wildly.
#[derive(Clone, Default)]
struct Widest {
    /// (rough width, text, markup), widest first, each text once.
    kept: Vec<(f32, String, String)>,
}

impl Widest {
    const KEEP: usize = 3;

    fn offer(&mut self, text: &str, bold: bool, markup: impl FnOnce() -> String) {
        let width = rough_width(text) * if bold { 1.1 } else { 1.0 };
        if self.kept.iter().any(|(_, t, _)| t == text) {
            return;
        }
        let at = self.kept.partition_point(|(w, ..)| *w >= width);
        if at < Self::KEEP {
            self.kept.insert(at, (width, text.to_string(), markup()));
            self.kept.truncate(Self::KEEP);
        }
    }

    /// The markup of the pieces kept, widest first.
    fn markup(self) -> Vec<String> {
        self.kept.into_iter().map(|(.., m)| m).collect()
    }
}

/// A width of `text` in ems, roughly: wide characters count double, narrow
/// ones half.
fn rough_width(text: &str) -> f32 {
    text.chars()
        .map(|c| match c {
            c if crate::script::is_cjk(c) => 1.8,
            'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | ' ' => {
                0.5
            }
            'm' | 'w' | 'M' | 'W' => 1.5,
            c if c.is_uppercase() => 1.3,
            _ => 1.0,
        })
        .sum()
}

/// A Typst array of `items` (Typst code).
fn array(items: Vec<String>) -> String {
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_keeps_its_three_widest_pieces_once_each() {
        let mut w = Widest::default();
        for t in [
            "a",
            "corridor",
            "18–23 days",
            "corridor",
            "WWW",
            "iiiiiiii",
            "阿塞拜疆",
        ] {
            w.offer(t, false, || format!("[{t}]"));
        }
        assert_eq!(w.markup(), ["[18–23 days]", "[corridor]", "[阿塞拜疆]"]);
        assert!(rough_width("iiii") < rough_width("mmmm"));
    }
}
