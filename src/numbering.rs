//! Charts and tables numbered in reading order ("Chart 3", "Table 2"), the
//! same on the site and in the PDF edition, and `{{ ref(id="freight") }}`
//! cross-references that name and link them.
//!
//! A figure's caption and a reference are written with a mark (private-use
//! characters around the kind and id) when a page is rendered; once every
//! page is, the marks are numbered in reading order (a chart shown twice
//! keeps the number of its first showing) and replaced.

use std::collections::HashMap;

use crate::figures::html::escape;
use crate::model::Site;

/// Private-use characters no other mark uses (the Markdown stage's are
/// U+E000–E001, the table links' U+E010–E012).
const OPEN: char = '\u{E020}';
const CLOSE: char = '\u{E021}';

/// What is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A chart (`chart-ID` on the page).
    Chart,
    /// A table of figures (`table-ID`).
    Table,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Chart => "chart",
            Kind::Table => "table",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        match s {
            "chart" => Some(Kind::Chart),
            "table" => Some(Kind::Table),
            _ => None,
        }
    }
}

/// The mark a chart's or table's caption carries for its number.
pub fn number_mark(kind: Kind, id: &str) -> String {
    format!("{OPEN}n:{}:{id}{CLOSE}", kind.name())
}

/// The mark of a reference to a chart or table; `fallback` (HTML) is shown
/// if it is on no page.
pub fn ref_mark(kind: Kind, id: &str, fallback: &str) -> String {
    format!("{OPEN}r:{}:{id}{CLOSE}{fallback}{CLOSE}", kind.name())
}

/// One mark found in a page.
struct Mark<'h> {
    /// Where it is, whole.
    span: std::ops::Range<usize>,
    /// A reference (with its fallback) or a caption's number.
    reference: Option<&'h str>,
    kind: Kind,
    id: &'h str,
}

/// Whether `html` may hold any of briefing's own marks (charts' and tables'
/// numbers, references, links to where a table is shown). They are all
/// characters of the Private Use Area U+E000–U+EFFF, whose UTF-8 alone
/// starts with the byte 0xEE: one vectorised scan of a body that has none
/// (nearly all of them) instead of a character search for each kind of
/// mark, which took 5 % of a build's instructions.
pub fn may_hold_marks(html: &str) -> bool {
    memchr::memchr(0xEE, html.as_bytes()).is_some()
}

fn marks(html: &str) -> Vec<Mark<'_>> {
    let mut out = Vec::new();
    if !may_hold_marks(html) {
        return out;
    }
    let mut at = 0;
    while let Some(i) = html[at..].find(OPEN) {
        let start = at + i;
        let body_start = start + OPEN.len_utf8();
        let Some(j) = html[body_start..].find(CLOSE) else {
            break;
        };
        let body = &html[body_start..body_start + j];
        let mut end = body_start + j + CLOSE.len_utf8();
        let mut parts = body.splitn(3, ':');
        let (Some(what), Some(kind), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            at = end;
            continue;
        };
        let Some(kind) = Kind::parse(kind) else {
            at = end;
            continue;
        };
        let reference = if what == "r" {
            let Some(k) = html[end..].find(CLOSE) else {
                break;
            };
            let fallback = &html[end..end + k];
            end += k + CLOSE.len_utf8();
            Some(fallback)
        } else {
            None
        };
        out.push(Mark {
            span: start..end,
            reference,
            kind,
            id,
        });
        at = end;
    }
    out
}

/// The charts and tables a page's HTML shows, in order.
pub fn shown(html: &str) -> Vec<(Kind, String)> {
    marks(html)
        .into_iter()
        .filter(|m| m.reference.is_none())
        .map(|m| (m.kind, m.id.to_string()))
        .collect()
}

/// Every numbered chart and table: its number and the page that first
/// shows it.
#[derive(Debug, Clone, Default)]
pub struct Numbers {
    by_id: HashMap<(Kind, String), (usize, String)>,
    /// What each page shows, in order (by output path).
    pub shown: HashMap<String, Vec<(Kind, String)>>,
}

/// Numbers the charts and tables of `site` in reading order.
pub fn number(site: &Site) -> Numbers {
    let mut numbers = Numbers::default();
    let mut next: HashMap<Kind, usize> = HashMap::new();
    for id in site.reading_order() {
        let entry = site.entry(id);
        // Most pages show no chart or table: nothing to number or note
        // (a page missing from `shown` shows none).
        if entry.shown.is_empty() {
            continue;
        }
        let on_page = entry.shown.clone();
        for (kind, id) in &on_page {
            numbers.by_id.entry((*kind, id.clone())).or_insert_with(|| {
                let n = next.entry(*kind).or_insert(0);
                *n += 1;
                (*n, entry.output())
            });
        }
        numbers.shown.insert(entry.output(), on_page);
    }
    numbers
}

/// `html` of the page in `page_dir` with its marks replaced: captions
/// start "Chart 3." and references read "Chart 3", linked to the page that
/// shows it. `None` if it has no marks.
pub fn resolve(
    html: &str,
    page_dir: &str,
    numbers: &Numbers,
    words: &crate::words::Words,
) -> Option<String> {
    let found = marks(html);
    if found.is_empty() {
        return None;
    }
    let here = crate::urls::index_of(page_dir);
    let mut out = String::with_capacity(html.len() + found.len() * 40);
    let mut last = 0;
    for m in found {
        out.push_str(&html[last..m.span.start]);
        last = m.span.end;
        let word = escape(words.get(m.kind.name()));
        let number = numbers.by_id.get(&(m.kind, m.id.to_string()));
        match (m.reference, number) {
            (None, Some((n, _))) => {
                let numbered = words.fill("numbered_caption", &[&word, &n.to_string()]);
                out.push_str(&format!("<span class=\"fig-number\">{numbered}</span> "))
            }
            (None, None) => {}
            (Some(_), Some((n, page))) => {
                let target = format!("#{}-{}", m.kind.name(), m.id);
                let href = if *page == here {
                    target
                } else {
                    format!("{}{target}", crate::urls::relative(page_dir, page))
                };
                let numbered = words.fill("numbered_reference", &[&word, &n.to_string()]);
                out.push_str(&format!(
                    "<a class=\"fig-ref\" href=\"{}\">{numbered}</a>",
                    escape(&href)
                ));
            }
            (Some(fallback), None) => out.push_str(fallback),
        }
    }
    out.push_str(&html[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_mark_is_noticed_by_the_quick_scan() {
        use crate::figures::chart::{TABLE_HREF, TABLE_LINK, TABLE_LINK_END};
        for mark in [OPEN, CLOSE, TABLE_LINK, TABLE_LINK_END, TABLE_HREF] {
            assert!(
                may_hold_marks(&format!("<p>中文 {mark} text</p>")),
                "{mark:?}"
            );
        }
        assert!(!may_hold_marks(
            "<p>Azərbaycan, 中国, Россия, 한국어, 😀, \u{D7FF} \u{F000}</p>"
        ));
    }

    proptest! {
        /// Text without characters of U+E000–U+EFFF never looks as if it
        /// held a mark; with one anywhere, it always does.
        #[test]
        fn the_quick_scan_is_true_exactly_for_the_private_use_block(
            text in "\\PC{0,40}",
            pua in 0xE000u32..=0xEFFF,
            at in 0usize..40,
        ) {
            let plain: String = text.chars().filter(|c| !('\u{E000}'..='\u{EFFF}').contains(c)).collect();
            prop_assert!(!may_hold_marks(&plain));
            let mut with: Vec<char> = plain.chars().collect();
            with.insert(at.min(with.len()), char::from_u32(pua).unwrap());
            prop_assert!(may_hold_marks(&with.into_iter().collect::<String>()));
        }
    }

    fn numbers() -> Numbers {
        let mut n = Numbers::default();
        n.by_id.insert(
            (Kind::Chart, "freight".into()),
            (3, "transport/index.html".into()),
        );
        n
    }

    #[test]
    fn captions_and_references_get_the_number() {
        let words = crate::words::Words::new("en", None);
        let html = format!(
            "<figcaption>{}Freight</figcaption> see {}.",
            number_mark(Kind::Chart, "freight"),
            ref_mark(Kind::Chart, "freight", "Freight")
        );
        let out = resolve(&html, "trade/", &numbers(), &words).unwrap();
        assert_eq!(
            out,
            "<figcaption><span class=\"fig-number\">Chart 3.</span> Freight</figcaption> see <a class=\"fig-ref\" href=\"../transport/index.html#chart-freight\">Chart 3</a>."
        );
        let same_page = resolve(&html, "transport/", &numbers(), &words).unwrap();
        assert!(same_page.contains("href=\"#chart-freight\""), "{same_page}");
    }

    #[test]
    fn a_reference_to_what_no_page_shows_is_its_fallback() {
        let words = crate::words::Words::new("zh", None);
        let html = ref_mark(Kind::Table, "trade", "China–Azerbaijan trade");
        assert_eq!(
            resolve(&html, "", &numbers(), &words).unwrap(),
            "China–Azerbaijan trade"
        );
        assert_eq!(resolve("no marks", "", &numbers(), &words), None);
    }

    #[test]
    fn shown_lists_captions_in_order_not_references() {
        let html = format!(
            "{}{}{}",
            number_mark(Kind::Table, "b"),
            ref_mark(Kind::Chart, "x", "X"),
            number_mark(Kind::Chart, "a")
        );
        assert_eq!(
            shown(&html),
            vec![
                (Kind::Table, "b".to_string()),
                (Kind::Chart, "a".to_string())
            ]
        );
    }
}
