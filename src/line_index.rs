//! Lines and columns of byte offsets in a text, at a cost that does not grow
//! with the text's length.
//!
//! Every figure, table and chart keeps the place it was defined, so a data
//! file of N entries asks for N places. Counting newlines from the start of
//! the file each time made that quadratic (20,000 figures took minutes). A
//! [`LineIndex`] is built once per file and answers each question with a
//! binary search; [`window`] cuts out just the lines a caret display needs.

use std::ops::Range;

/// Where each line of one text starts.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of every line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` (one pass over its bytes).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line and character column of `offset` in `text`, the text
    /// this index was built from. An offset past the end or inside a
    /// character is moved back to the nearest character boundary.
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = char_boundary_at_or_before(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        (line, column)
    }
}

/// 1-based line and character column of a byte offset, for a single
/// question about a text (one pass up to the offset).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = char_boundary_at_or_before(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// The line and column one past `span`, given the line and column where it
/// starts: only the span's own bytes are read.
pub fn end_of(text: &str, span: &Range<usize>, line: usize, column: usize) -> (usize, usize) {
    let start = char_boundary_at_or_before(text, span.start.min(text.len()));
    let end = char_boundary_at_or_before(text, span.end.clamp(start, text.len()));
    let inside = &text[start..end];
    match inside.rfind('\n') {
        Some(last) => (
            line + inside.bytes().filter(|&b| b == b'\n').count(),
            inside[last + 1..].chars().count() + 1,
        ),
        None => (line, column + inside.chars().count()),
    }
}

/// The whole lines of `text` that `span` touches: their byte range, for a
/// caret display that need not read the rest of a large file.
pub fn window(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = char_boundary_at_or_before(text, span.start.min(text.len()));
    let end = char_boundary_at_or_before(text, span.end.clamp(start, text.len()));
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    from..to
}

/// The largest character boundary of `text` at or before `i`.
pub fn char_boundary_at_or_before(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_and_columns_count_characters_not_bytes() {
        let text = "ab\nçd\n\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(text, 0), (1, 1));
        assert_eq!(index.line_column(text, 3), (2, 1));
        assert_eq!(index.line_column(text, 5), (2, 2));
        assert_eq!(index.line_column(text, 4), (2, 1), "inside ç: moved back");
        assert_eq!(index.line_column(text, 7), (3, 1));
        assert_eq!(index.line_column(text, 8), (4, 1));
        assert_eq!(index.line_column(text, 99), (4, 2));
    }

    #[test]
    fn a_window_is_the_whole_lines_a_span_touches() {
        let text = "one\ntwo three\nfour\n";
        assert_eq!(&text[window(text, &(8..11))], "two three");
        assert_eq!(&text[window(text, &(5..16))], "two three\nfour");
        assert_eq!(&text[window(text, &(0..0))], "one");
        assert_eq!(&text[window(text, &(19..19))], "");
    }

    proptest! {
        /// The index, the one-off count and the end of a span agree with
        /// counting by hand, for any text and offsets.
        #[test]
        fn the_index_agrees_with_counting(
            text in "(a|é|\n|漢|\r\n| ){0,60}",
            a in 0usize..200,
            b in 0usize..200,
        ) {
            let (a, b) = (a.min(b), a.max(b));
            let by_hand = |offset: usize| {
                let offset = char_boundary_at_or_before(&text, offset.min(text.len()));
                let before = &text[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                (line, column)
            };
            let index = LineIndex::new(&text);
            prop_assert_eq!(index.line_column(&text, a), by_hand(a));
            prop_assert_eq!(line_column(&text, a), by_hand(a));
            let (line, column) = by_hand(a);
            prop_assert_eq!(end_of(&text, &(a..b), line, column), by_hand(b.max(a)));
            let w = window(&text, &(a..b));
            let (s, e) = (
                char_boundary_at_or_before(&text, a.min(text.len())),
                char_boundary_at_or_before(&text, b.min(text.len())).max(char_boundary_at_or_before(&text, a.min(text.len()))),
            );
            prop_assert!(w.start <= s && e <= w.end, "the window holds the span");
            prop_assert!(w.start == 0 || text.as_bytes()[w.start - 1] == b'\n');
            prop_assert!(w.end == text.len() || text.as_bytes()[w.end] == b'\n');
            prop_assert!(!text[w.start..s].contains('\n') && !text[e..w.end].contains('\n'));
        }
    }
}
