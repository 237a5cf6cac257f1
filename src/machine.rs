//! Diagnostics for programs rather than people: one JSON object per line
//! (for editors, scripts and CI), or GitHub Actions workflow commands (which
//! GitHub shows as annotations on the changed lines of a pull request).
//!
//! Both carry what the terminal rendering carries — severity, the stable
//! code, message, file, line, column and end, what was expected, the notes
//! and the hint — so a program never has to parse the human form.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::line_index::end_of;

/// How the command line prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Rendered for a terminal, with the source line and a caret.
    #[default]
    Human,
    /// One JSON object per line ([`json`]).
    Json,
    /// GitHub Actions workflow commands ([`github`]).
    Github,
}

/// The line and column one past the span's end (the start's, without a
/// span).
fn end_of_place(at: &Location) -> (usize, usize) {
    match &at.snippet {
        Some((text, span)) => end_of(text, span, at.line, at.column),
        None => (at.line, at.column),
    }
}

fn place(at: Option<&Location>) -> serde_json::Value {
    match at {
        Some(at) => {
            let (end_line, end_column) = end_of_place(at);
            serde_json::json!({
                "file": at.path,
                "line": at.line,
                "column": at.column,
                "end": { "line": end_line, "column": end_column },
            })
        }
        None => serde_json::json!({ "file": null, "line": null, "column": null, "end": null }),
    }
}

/// A diagnostic as one JSON object: `severity` (`error` or `warning`),
/// `code`, `message`, `file`, `line`, `column`, `end` (`line`, `column`:
/// one past the span), `expected`, `notes` (each a `message` with its own
/// place) and `hints`. A diagnostic without a place has `null` there.
pub fn json(d: &Diagnostic) -> String {
    let mut object = place(d.location.as_deref());
    let map = object.as_object_mut().expect("an object");
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    map.insert("severity".into(), severity.into());
    map.insert("code".into(), d.code.into());
    map.insert("message".into(), d.message.clone().into());
    map.insert("expected".into(), d.expected.as_deref().into());
    let notes: Vec<serde_json::Value> = d
        .notes
        .iter()
        .map(|(message, at)| {
            let mut note = place(Some(at));
            note.as_object_mut()
                .expect("an object")
                .insert("message".into(), message.clone().into());
            note
        })
        .collect();
    map.insert("notes".into(), notes.into());
    map.insert(
        "hints".into(),
        d.hint
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .into(),
    );
    object.to_string()
}

/// `%`, line breaks, and (in properties) `:` and `,` escaped as GitHub's
/// workflow commands require.
fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// A diagnostic as a GitHub Actions workflow command: `::error` or
/// `::warning` with the file, line, column, end and the code as its title;
/// the message, what was expected, the notes and the hint as its text.
pub fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(at) = d.location.as_deref() {
        let (end_line, end_column) = end_of_place(at);
        properties.push(format!("file={}", escape(&at.path, true)));
        properties.push(format!("line={}", at.line));
        properties.push(format!("col={}", at.column));
        properties.push(format!("endLine={end_line}"));
        if end_line == at.line {
            properties.push(format!("endColumn={end_column}"));
        }
    }
    properties.push(format!("title=briefing {}", escape(d.code, true)));
    let mut text = d.message.clone();
    if let Some(expected) = &d.expected {
        text.push_str(&format!("\nexpected {expected}"));
    }
    for (message, at) in &d.notes {
        text.push_str(&format!("\nnote: {message} ({at})"));
    }
    if let Some(hint) = &d.hint {
        text.push_str(&format!("\nhelp: {hint}"));
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape(&text, false)
    )
}

/// Every diagnostic in `format`, each followed by a line break (rendered
/// ones by a blank line).
pub fn print(diagnostics: &[Diagnostic], format: Format, styled: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            Format::Human => {
                out.push_str(&d.render(styled));
                out.push_str("\n\n");
            }
            Format::Json => {
                out.push_str(&json(d));
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&github(d));
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn unknown_figure() -> Diagnostic {
        let text: Arc<str> = Arc::from("+++\ntitle = \"T\"\n+++\nSee {{ fig(id=\"fraight\") }}.\n");
        let at = text.find("fraight").unwrap();
        Diagnostic::error("unknown-id", "unknown figure `fraight`")
            .at(Location::in_source("content/a.md", &text, at..at + 7))
            .expected("the id of a figure in `content/data.toml`")
            .note("defined here", Location::at("content/data.toml", 3, 1))
            .hint("did you mean `freight`?")
    }

    #[test]
    fn json_has_every_part_of_a_diagnostic() {
        let v: serde_json::Value = serde_json::from_str(&json(&unknown_figure())).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "unknown-id");
        assert_eq!(v["message"], "unknown figure `fraight`");
        assert_eq!(v["file"], "content/a.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(4), Some(16))
        );
        assert_eq!(v["end"]["line"], 4);
        assert_eq!(v["end"]["column"], 23);
        assert_eq!(v["expected"], "the id of a figure in `content/data.toml`");
        assert_eq!(v["notes"][0]["message"], "defined here");
        assert_eq!(v["notes"][0]["file"], "content/data.toml");
        assert_eq!(v["hints"][0], "did you mean `freight`?");
    }

    #[test]
    fn json_of_a_diagnostic_without_a_place_has_nulls() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&Diagnostic::warning("no-pages", "x"))).unwrap();
        assert!(v["file"].is_null() && v["line"].is_null() && v["end"].is_null());
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["hints"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn github_commands_escape_what_would_end_them() {
        let line = github(&unknown_figure());
        assert!(
            line.starts_with(
                "::error file=content/a.md,line=4,col=16,endLine=4,endColumn=23,title=briefing unknown-id::unknown figure"
            ),
            "{line}"
        );
        assert!(line.contains("%0Ahelp: did you mean `freight`?"), "{line}");
        assert_eq!(line.lines().count(), 1);
        let d = Diagnostic::error("x", "100% sure\r\n").at(Location::at("a,b:c.md", 1, 1));
        let line = github(&d);
        assert!(line.contains("file=a%2Cb%3Ac.md"), "{line}");
        assert!(line.ends_with("::100%25 sure%0D%0A"), "{line}");
    }
}
