//! Diagnostics: how every mistake in a user's input is reported.
//!
//! A user's input never panics the tool. Each stage collects what is wrong as
//! [`Diagnostic`]s — a message, the file, the line and column, what was
//! expected, and a hint — and hands all of them back together. Rendering
//! (rustc-style, with the source line and a caret) is done here with
//! `annotate-snippets`, so that every stage reports the same way.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};

use crate::line_index::{LineIndex, char_boundary_at_or_before, window};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Printed, but the build goes on (unless `--strict`).
    Warning,
}

/// A place in a source file: the path as the user knows it, a 1-based line
/// and column, and (when the text is known) the source with the byte span.
#[derive(Clone, PartialEq, Eq)]
pub struct Location {
    /// The path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of the file and the span within it, for the caret display.
    pub snippet: Option<(Arc<str>, Range<usize>)>,
}

/// `path:line:column`, not the whole file's text.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

impl Location {
    /// A location inside `source`, computing line and column from the span
    /// (one pass up to it: for many places in one file, use
    /// [`Location::in_indexed`]).
    pub fn in_source(path: impl Into<String>, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = char_boundary_at_or_before(source, span.start.min(source.len()));
        let (line, column) = line_column(source, start);
        Self::with_place(path.into(), source, span, line, column)
    }

    /// A location inside `source`, whose lines `index` holds: the cost does
    /// not grow with the file's length.
    pub fn in_indexed(
        path: impl Into<String>,
        source: &Arc<str>,
        index: &LineIndex,
        span: Range<usize>,
    ) -> Self {
        let start = char_boundary_at_or_before(source, span.start.min(source.len()));
        let (line, column) = index.line_column(source, start);
        Self::with_place(path.into(), source, span, line, column)
    }

    fn with_place(
        path: String,
        source: &Arc<str>,
        span: Range<usize>,
        line: usize,
        column: usize,
    ) -> Self {
        let start = char_boundary_at_or_before(source, span.start.min(source.len()));
        let end = char_boundary_at_or_before(source, span.end.clamp(start, source.len()));
        Location {
            path,
            line,
            column,
            snippet: Some((Arc::clone(source), start..end)),
        }
    }

    /// A location known only by line and column (for example a file whose
    /// bytes are not valid UTF-8, so there is no text to show).
    pub fn at(path: impl Into<String>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            snippet: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// One finding about the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of mistake it is, in a few words joined by hyphens
    /// (`unknown-id`, `stale-figure`): stable across versions, so that
    /// editors and CI can match on it; the manual lists every one.
    pub code: &'static str,
    /// What is wrong, in one line.
    pub message: String,
    /// Where it is wrong (boxed: diagnostics travel in `Result`s).
    pub location: Option<Box<Location>>,
    /// What was expected, shown under the caret (boxed, like the hint: a
    /// diagnostic stays small enough to travel in `Result`s).
    pub expected: Option<Box<str>>,
    /// Other places that matter (for example the other file of a clash).
    pub notes: Vec<(String, Location)>,
    /// How to fix it.
    pub hint: Option<Box<str>>,
}

impl Diagnostic {
    /// A new error with its code and message and nothing else yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            expected: None,
            notes: Vec::new(),
            hint: None,
        }
    }

    /// A new warning with its code and message and nothing else yet.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets where the problem is.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into().into_boxed_str());
        self
    }

    /// Adds another relevant place.
    pub fn note(mut self, label: impl Into<String>, location: Location) -> Self {
        self.notes.push((label.into(), location));
        self
    }

    /// Sets how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic the way rustc does: a title, the file with line
    /// and column, the source line with a caret, notes and a `help:` line.
    /// `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        if let Some(escaped) = self.for_terminal() {
            return escaped.render(styled);
        }
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut loose_notes: Vec<String> = Vec::new();
        match &self.location {
            Some(loc) => match &loc.snippet {
                Some((source, span)) => {
                    let label = self.expected.as_deref();
                    let primary = AnnotationKind::Primary;
                    group = group.element(excerpt(loc, source, span, primary, label));
                }
                None => {
                    group = group.element(
                        annotate_snippets::Origin::path(loc.path.as_str())
                            .line(loc.line)
                            .char_column(loc.column),
                    );
                    if let Some(expected) = &self.expected {
                        loose_notes.push(format!("expected {expected}"));
                    }
                }
            },
            None => {
                if let Some(expected) = &self.expected {
                    loose_notes.push(format!("expected {expected}"));
                }
            }
        }
        for note in &loose_notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(&**hint));
        }
        groups.push(group);
        for (label, loc) in &self.notes {
            let title = Group::with_title(Level::NOTE.secondary_title(label.as_str()));
            let group = match &loc.snippet {
                Some((source, span)) => {
                    title.element(excerpt(loc, source, span, AnnotationKind::Context, None))
                }
                None => title.element(
                    annotate_snippets::Origin::path(loc.path.as_str())
                        .line(loc.line)
                        .char_column(loc.column),
                ),
            };
            groups.push(group);
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&groups)
    }
}

/// The lines of `loc`'s file that `span` touches, numbered as in the
/// file, with an annotation of `kind` on the span: rendering reads only
/// those lines, whatever the file's length.
fn excerpt<'a>(
    loc: &'a Location,
    source: &'a str,
    span: &Range<usize>,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> Snippet<'a, Annotation<'a>> {
    let start = char_boundary_at_or_before(source, span.start.min(source.len()));
    let mut end = char_boundary_at_or_before(source, span.end.clamp(start, source.len()));
    // A span that takes in its line's end is shown on its line alone.
    let taken_in =
        source[start..end].len() - source[start..end].trim_end_matches(['\n', '\r']).len();
    if taken_in > 0 && end - taken_in > start {
        end -= taken_in;
    }
    let lines = window(source, &(start..end));
    Snippet::source(&source[lines.clone()])
        .path(loc.path.as_str())
        .line_start(loc.line)
        .annotation(
            kind.span(start - lines.start..end - lines.start)
                .label(label),
        )
}

impl Diagnostic {
    /// A copy whose words and paths have no control characters, when this
    /// one's have any ([`for_terminal`]).
    fn for_terminal(&self) -> Option<Diagnostic> {
        let clean = |t: &str| matches!(for_terminal(t), std::borrow::Cow::Borrowed(_));
        let location_clean = |l: &Location| clean(&l.path);
        let all_clean = clean(&self.message)
            && self.location.as_deref().is_none_or(location_clean)
            && self.expected.as_deref().is_none_or(clean)
            && self.hint.as_deref().is_none_or(clean)
            && self
                .notes
                .iter()
                .all(|(n, l)| clean(n) && location_clean(l));
        if all_clean {
            return None;
        }
        let place = |l: &Location| Location {
            path: for_terminal(&l.path).into_owned(),
            ..l.clone()
        };
        Some(Diagnostic {
            severity: self.severity,
            code: self.code,
            message: for_terminal(&self.message).into_owned(),
            location: self.location.as_deref().map(|l| Box::new(place(l))),
            expected: self.expected.as_deref().map(|e| for_terminal(e).into()),
            notes: self
                .notes
                .iter()
                .map(|(n, l)| (for_terminal(n).into_owned(), place(l)))
                .collect(),
            hint: self.hint.as_deref().map(|h| for_terminal(h).into()),
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// All the diagnostics of one stage, errors first, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts for stable output: by file, line, column, then message.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column))
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.0.dedup();
        self
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Renders every diagnostic, separated by blank lines.
    pub fn render(&self, styled: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(styled));
            out.push_str("\n\n");
        }
        out
    }
}

/// `text` with its control characters (but line breaks and tabs) written
/// as `\u{1b}`, so that a file name or a message can't move the cursor,
/// retitle the window or recolour a terminal.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let is_control = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub use crate::line_index::line_column;

/// Partitions stage output: `Ok(value)` when no diagnostic is an error.
pub fn finish<T>(
    value: T,
    diagnostics: Vec<Diagnostic>,
) -> Result<(T, Vec<Diagnostic>), Diagnostics> {
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(Diagnostics(diagnostics).sorted())
    } else {
        Ok((value, diagnostics))
    }
}

/// The closest candidate to `word` by edit distance, if one is close enough
/// to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, c)| *d <= (word.len().max(c.len()) / 4).max(1))
        .map(|(_, c)| c)
}

/// A hint for a mistyped id: "did you mean `x`?" for a plausible typo; but
/// when the ids it could be differ from it only in their digits (years,
/// periods: `freight_9m_2032` against `freight_9m_2022` and
/// `freight_9m_2023`), a guess could silently show another year's number,
/// so they are listed for the user to choose.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let skeleton = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    let best = closest(word, candidates.iter().copied())?;
    if word.chars().any(|c| c.is_ascii_digit()) && skeleton(best) == skeleton(word) {
        let mut alike: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| skeleton(c) == skeleton(word))
            .collect();
        alike.sort_unstable();
        let list: Vec<String> = alike.iter().map(|c| format!("`{c}`")).collect();
        return Some(format!(
            "no such id; ids that differ from it only in their digits: {} (check which year or period you mean)",
            list.join(", ")
        ));
    }
    Some(format!("did you mean `{best}`?"))
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment), since that is the commonest typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bug: a file named `x\x1b]0;PWNED\x07.md` retitled the terminal
    /// that printed its diagnostic.
    #[test]
    fn escape_sequences_in_a_file_name_reach_the_terminal_escaped() {
        let d = Diagnostic::error("unknown-id", "unknown figure `a\u{1b}[31m`")
            .at(Location::at("content/x\u{1b}]0;PWNED\u{7}.md", 1, 1))
            .hint("line one\nline two");
        let shown = d.render(false);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(
            shown.contains("content/x\\u{1b}]0;PWNED\\u{7}.md"),
            "{shown}"
        );
        assert!(
            shown.contains("line one") && shown.contains("line two"),
            "{shown}"
        );
        assert_eq!(for_terminal("plain\ttext"), "plain\ttext");
    }

    #[test]
    fn line_column_counts_lines_and_characters() {
        let s = "ab\nçd\n";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 3), (2, 1));
        // 'd' is after the two-byte 'ç': column 2, not 3.
        assert_eq!(line_column(s, 5), (2, 2));
        assert_eq!(line_column(s, 99), (3, 1));
    }

    #[test]
    fn render_shows_path_line_column_caret_and_hint() {
        let src: Arc<str> = Arc::from("title = 1\ntitel = \"x\"\n");
        let d = Diagnostic::error("toml", "unknown field `titel`")
            .at(Location::in_source("content/a.md", &src, 10..15))
            .expected("one of `title`, `date`")
            .hint("fix the spelling");
        let out = d.render(false);
        assert!(out.contains("error: unknown field `titel`"), "{out}");
        assert!(out.contains("content/a.md:2:1"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("help: fix the spelling"), "{out}");
    }

    #[test]
    fn closest_suggests_near_typos_only() {
        assert_eq!(closest("titel", ["title", "date"]), Some("title"));
        assert_eq!(closest("zzzzzz", ["title", "date"]), None);
    }
}
