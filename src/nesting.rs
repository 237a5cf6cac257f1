//! How deep a page's Markdown and raw HTML nest, so that a page can't make
//! a later stage recurse until its stack runs out.
//!
//! pulldown-cmark reads 6,000 blockquotes inside each other without
//! trouble, but the PDF stage walks the rendered HTML as a tree, and Typst
//! lays out nested content recursively: such a page aborted the build (and
//! `serve`, when the PDF was asked for). Real briefings nest a few levels;
//! past [`MAX_NESTING`] the page is refused with a located error.

use pulldown_cmark::Event;

/// The deepest nesting a page may have: blockquotes, lists, emphasis, links
/// and raw HTML elements, each inside the others.
pub const MAX_NESTING: usize = 100;

/// HTML elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The nesting of the events seen so far.
#[derive(Debug, Default)]
pub struct Nesting {
    /// Markdown containers open.
    markdown: usize,
    /// Raw HTML elements open (never below zero: a stray end tag counts
    /// for nothing).
    html: usize,
    /// Whether the page was already found too deep (one error a page).
    reported: bool,
}

impl Nesting {
    /// Takes one event; returns true the first time the page nests deeper
    /// than [`MAX_NESTING`].
    pub fn too_deep_at(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => self.html_tags(html),
            _ => {}
        }
        let deep = self.markdown + self.html > MAX_NESTING;
        let first = deep && !self.reported;
        self.reported |= deep;
        first
    }

    /// Opens and closes the elements whose tags `html` holds.
    fn html_tags(&mut self, html: &str) {
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let closing = rest.starts_with('/');
            let name_from = usize::from(closing);
            let after = &rest[name_from..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(after.len());
            let name = &after[..name_len];
            if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
                continue;
            }
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let self_closing = rest[..tag_end].ends_with('/');
            let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
            if closing {
                self.html = self.html.saturating_sub(1);
            } else if !self_closing && !void {
                self.html += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CowStr, Parser};

    fn deepest(markdown: &str) -> bool {
        let mut n = Nesting::default();
        Parser::new(markdown).any(|e| n.too_deep_at(&e))
    }

    #[test]
    fn ordinary_pages_are_not_too_deep() {
        assert!(!deepest(
            "> a quote\n>\n> - a list\n>   - nested *with **emphasis***\n"
        ));
        assert!(!deepest("<div><p>x<br><img src=a><span/></p></div>\n"));
    }

    /// The bug: 6,000 `> ` then `x` overflowed the PDF stage's stack.
    #[test]
    fn six_thousand_nested_quotes_are_too_deep() {
        assert!(deepest(&format!("{}x\n", "> ".repeat(6000))));
        assert!(!deepest(&format!("{}x\n", "> ".repeat(MAX_NESTING - 5))));
    }

    /// 8,000 nested inline `<span>`s did the same.
    #[test]
    fn eight_thousand_nested_spans_are_too_deep() {
        assert!(deepest(&format!("x {}y\n", "<span>".repeat(8000))));
        assert!(!deepest(&format!("x {}y\n", "<span>y</span>".repeat(8000))));
    }

    #[test]
    fn the_first_time_only() {
        let mut n = Nesting::default();
        let open = Event::InlineHtml(CowStr::from("<b>".repeat(MAX_NESTING + 1)));
        assert!(n.too_deep_at(&open));
        assert!(!n.too_deep_at(&open));
    }
}
