//! Rendered text that every XML parser and browser accepts.
//!
//! A control character reaches a title or a label as a TOML escape
//! (`title = "Trade\u0007"`), and Tera's escaping leaves it as it is: XML 1.0
//! forbids it, so `atom.xml`, the sitemap and the SVG charts were not
//! well-formed, and HTML calls it a parse error. The render stage passes
//! every file it renders through [`well_formed`]. Tabs and line breaks stay.

/// Whether XML 1.0 and HTML refuse `c` in text: the C0 controls but tab,
/// line feed and carriage return, and DEL.
fn refused(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// `text` without the control characters XML and HTML refuse (unchanged,
/// and not copied, when it has none).
pub fn well_formed(text: String) -> String {
    if !text.chars().any(refused) {
        return text;
    }
    text.chars().filter(|&c| !refused(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_bell_in_a_title_is_dropped_and_tabs_and_lines_stay() {
        assert_eq!(
            well_formed("<title>Trade\u{7}</title>".into()),
            "<title>Trade</title>"
        );
        assert_eq!(well_formed("a\tb\r\nc".into()), "a\tb\r\nc");
    }

    proptest! {
        #[test]
        fn what_is_left_is_every_allowed_character_in_order(s in "\\PC*|[\\x00-\\x1f\\x7f a-zé中]*") {
            let out = well_formed(s.clone());
            prop_assert!(!out.chars().any(refused));
            let expected: String = s.chars().filter(|&c| !refused(c)).collect();
            prop_assert_eq!(out, expected);
        }
    }
}
