//! Writing Typst markup safely: text escaped so that nothing a briefing
//! says can become Typst code, strings quoted, and labels made from HTML
//! ids.

/// `text` as Typst markup that shows exactly it: every character with a
/// meaning in markup is escaped, and runs of white space (HTML's line
/// breaks included) become one space, so that text never starts a
/// paragraph, list or heading of its own.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if matches!(
            c,
            '\\' | '/'
                | '#'
                | '*'
                | '_'
                | '`'
                | '$'
                | '<'
                | '>'
                | '@'
                | '['
                | ']'
                | '~'
                | '\''
                | '"'
                | '='
                | '-'
                | '+'
                | '.'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

/// `s` as a Typst string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The name of the label for `key` (a page) and `id` (an HTML id on
/// it): characters a label can't hold become `_`.
pub fn label_name(key: &str, id: &str) -> String {
    let mut out = String::with_capacity(key.len() + id.len() + 1);
    out.push_str(key);
    if !id.is_empty() {
        out.push_str("--");
    }
    for c in id.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            text("#set page(a4) *b* $x$"),
            "\\#set page(a4) \\*b\\* \\$x\\$"
        );
        assert_eq!(text("see https://x.y"), "see https\\:\\/\\/x\\.y");
        assert_eq!(text("a\n\n  b"), "a b");
    }

    #[test]
    fn strings_are_quoted() {
        assert_eq!(string("a \"b\" \\ c\n"), "\"a \\\"b\\\" \\\\ c\\n\"");
    }

    #[test]
    fn labels_hold_only_label_characters() {
        assert_eq!(label_name("trade", "chart-trade"), "trade--chart-trade");
        assert_eq!(label_name("p", "a b.c"), "p--a_b_c");
        assert_eq!(label_name("p", "贸易"), "p--贸易");
        assert_eq!(label_name("home", ""), "home");
    }

    /// Typst parses escaped text back to exactly the text, as one paragraph
    /// of plain text: no markup, code, math or label can come of it.
    fn parses_as_text(s: &str) -> bool {
        let escaped = text(s);
        let root = typst::syntax::parse(&escaped);
        !root.diagnosis().errors
            && root.children().all(|n| {
                use typst::syntax::SyntaxKind as K;
                matches!(
                    n.kind(),
                    K::Text | K::Space | K::Escape | K::Shorthand | K::SmartQuote
                )
            })
    }

    proptest! {
        #[test]
        fn any_text_stays_text(s in "\\PC{0,60}") {
            prop_assert!(parses_as_text(&s), "{s:?} → {:?}", text(&s));
        }

        #[test]
        fn markup_heavy_text_stays_text(s in "[-#*_`$<>@\\[\\]~'\"=+./:\\\\ a1\n]{0,60}") {
            prop_assert!(parses_as_text(&s), "{s:?} → {:?}", text(&s));
        }
    }
}
