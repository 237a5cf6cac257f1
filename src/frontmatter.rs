//! Front matter: the `+++`-fenced TOML block at the top of a Markdown file.
//!
//! Splitting the block off and typing it with serde (`deny_unknown_fields`)
//! lives here, so that a misspelt key or a wrong type is a located diagnostic
//! that names the expected keys, the way mdBook reports its config.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Location};

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the fences, if there is a front matter block.
    pub front: Option<Range<usize>>,
    /// The Markdown after the closing fence (or the whole file).
    pub body: Range<usize>,
}

const FENCE: &str = "+++";

/// Splits `text` into front matter and body.
///
/// A file without front matter is allowed. A block that starts late, starts
/// with YAML's `---`, or never closes is an error.
pub fn split(path: &str, text: &Arc<str>) -> Result<Split, Diagnostic> {
    let mut lines = line_spans(text);
    let Some(first) = lines.next() else {
        return Ok(Split {
            front: None,
            body: 0..0,
        });
    };
    let first_line = text[first.clone()].trim_end();
    if first_line == FENCE {
        let front_start = first.end;
        for line in lines {
            if text[line.clone()].trim_end() == FENCE {
                return Ok(Split {
                    front: Some(front_start.min(line.start)..line.start),
                    body: line.end..text.len(),
                });
            }
        }
        return Err(
            Diagnostic::error("unclosed-front-matter", "front matter is never closed")
                .at(Location::in_source(
                    path,
                    text,
                    first.start..first.start + 3,
                ))
                .expected("a closing `+++` line after the TOML")
                .hint("add a line with just `+++` where the front matter ends"),
        );
    }
    if first_line == "---" {
        return Err(Diagnostic::error(
            "front-matter-not-toml",
            "front matter must be TOML between `+++` lines",
        )
        .at(Location::in_source(
            path,
            text,
            first.start..first.start + 3,
        ))
        .expected("`+++` on the first line; `---` (YAML) is not supported")
        .hint(
            "replace both `---` fences with `+++` and write the keys as TOML (`title = \"…\"`)",
        ));
    }
    // A fence that is not on the first line (after blank lines or spaces)
    // is a front matter block the user meant, in the wrong place.
    if first_line.trim().is_empty() || first_line.trim() == FENCE {
        for line in line_spans(text) {
            let l = text[line.clone()].trim();
            if l.is_empty() {
                continue;
            }
            if l == FENCE {
                let start = line.start + text[line.clone()].find(FENCE).unwrap_or(0);
                return Err(Diagnostic::error(
                    "front-matter-start",
                    "front matter must start with `+++` on the first line",
                )
                .at(Location::in_source(path, text, start..start + 3))
                .expected("`+++` at line 1, column 1")
                .hint("remove the blank lines and spaces before `+++`"));
            }
            break;
        }
    }
    Ok(Split {
        front: None,
        body: 0..text.len(),
    })
}

/// Byte ranges of each line, including its newline.
fn line_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let r = start..end;
        start = end;
        Some(r)
    })
}

/// Deserializes a front matter block, turning TOML and serde errors into a
/// diagnostic located in the file (not just in the block).
pub fn parse<T: DeserializeOwned + Default>(
    path: &str,
    text: &Arc<str>,
    front: Option<Range<usize>>,
) -> Result<T, Diagnostic> {
    let Some(range) = front else {
        return Ok(T::default());
    };
    toml::from_str::<T>(&text[range.clone()]).map_err(|e| toml_error(path, text, range.start, &e))
}

/// A TOML error as a diagnostic, with its span shifted by `offset` into the file.
pub fn toml_error(path: &str, text: &Arc<str>, offset: usize, e: &toml::de::Error) -> Diagnostic {
    let span = e
        .span()
        .map_or(offset..offset, |s| offset + s.start..offset + s.end);
    let message = friendly(e.message().trim());
    let (title, expected) = split_message(&message);
    let mut d = Diagnostic::error("toml", title).at(Location::in_source(path, text, span));
    if let Some(expected) = expected {
        d = d.expected(expected);
    }
    let line = line_at(text, span_start(e, offset));
    let slip = analyst_slip(&line).filter(|_| !message.starts_with("unknown field"));
    if let Some(slip) = slip {
        d.message = slip.title;
        d = d.expected(slip.expected).hint(slip.hint);
    } else if let Some(wrong) = message.strip_prefix("invalid type: ") {
        let key = line.split_once('=').map_or("the value", |(k, _)| k.trim());
        let found = wrong.split(", expected").next().unwrap_or(wrong);
        let found = found.replacen("string ", "the text ", 1);
        d.message = format!("`{key}` is {found}");
        d = d.hint(type_hint(key, &line));
    } else if message.starts_with("unknown field") {
        let field = message.split('`').nth(1).unwrap_or_default();
        let candidates: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
        // Only front matter has an `[extra]` table for free-form keys.
        let extra = if path.ends_with(".md") {
            " Free-form keys go in the `[extra]` table"
        } else {
            ""
        };
        d = match crate::diagnostic::closest(field, candidates) {
            Some(c) => d.hint(format!("did you mean `{c}`?{extra}")),
            None if path.ends_with(".md") => d.hint("free-form keys go in the `[extra]` table"),
            None => d.hint("see the manual's Data file page for the keys each table takes"),
        };
    } else if message.starts_with("duplicate key") {
        d = d.hint(
            "each key and each table may appear once in a file; rename or merge the second one",
        );
    } else {
        d = d.hint("see the manual's Content format and Data file pages");
    }
    d
}

fn span_start(e: &toml::de::Error, offset: usize) -> usize {
    e.span().map_or(offset, |s| offset + s.start)
}

/// The line of `text` that holds byte `at`.
fn line_at(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].to_string()
}

/// A mistake analysts make in TOML, recognised on the line of the error:
/// numbers with a decimal comma or thousands separators, text without
/// quotes, curly quotes pasted from a word processor. What it is, what was
/// expected, and how to write it.
pub struct Slip {
    /// The mistake, as the error's title.
    pub title: String,
    /// What was expected.
    pub expected: &'static str,
    /// The line written right.
    pub hint: String,
}

/// The [`Slip`] on `line`, if it is one briefing recognises.
pub fn analyst_slip(line: &str) -> Option<Slip> {
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.split(" #").next().unwrap_or(value).trim());
    if value.contains(['“', '”', '‘', '’', '„']) {
        let bare = value.trim_matches(|c| "“”‘’„\"".contains(c));
        return Some(Slip {
            title: format!("curly quotes around `{bare}`"),
            expected: "straight quotes `\"`",
            hint: format!(
                "write `{key} = \"{bare}\"` (word processors and some editors curl quotes)"
            ),
        });
    }
    let number_like = value
        .chars()
        .all(|c| c.is_ascii_digit() || ",. _-+".contains(c))
        && value.chars().any(|c| c.is_ascii_digit());
    if number_like && value.contains(',') {
        let one_comma = value.matches(',').count() == 1;
        let groups_of_three = value.split(',').skip(1).all(|g| g.len() == 3);
        let hint = if one_comma && !groups_of_three {
            format!(
                "write the decimal point as a point: `{key} = {}`",
                value.replace(',', ".")
            )
        } else if one_comma {
            format!(
                "write `{key} = {}` without the thousands separator (or `{key} = {}` if the comma was a decimal comma)",
                value.replace(',', ""),
                value.replace(',', ".")
            )
        } else {
            format!(
                "write `{key} = {}` without thousands separators (`_` may group digits: `{}`)",
                value.replace(',', ""),
                value.replace(',', "_")
            )
        };
        return Some(Slip {
            title: format!("`{value}` is not a number as TOML writes numbers"),
            expected: "a number with a decimal point and no separators, such as 2.57 or 1200000",
            hint,
        });
    }
    let text_like = value.chars().next().is_some_and(char::is_alphabetic)
        && !matches!(value, "true" | "false")
        && !value.starts_with("inf")
        && !value.starts_with("nan");
    text_like.then(|| Slip {
        title: format!("the text `{value}` has no quotes"),
        expected: "text in quotes",
        hint: format!("write `{key} = \"{value}\"`"),
    })
}

/// How to write a value of the right type, from the line as written.
fn type_hint(key: &str, line: &str) -> String {
    let value = line.split_once('=').map_or("", |(_, v)| v.trim());
    let bare = value.trim_matches('"');
    if value.starts_with('"') && bare.parse::<f64>().is_ok() {
        return format!("numbers go without quotes: `{key} = {bare}`");
    }
    match bare.to_lowercase().as_str() {
        "yes" | "no" | "y" | "n" | "on" | "off" | "1" | "0" | "true" | "false" => {
            let truth = matches!(
                bare.to_lowercase().as_str(),
                "yes" | "y" | "on" | "1" | "true"
            );
            format!("write `{key} = {truth}` (`true` or `false`, without quotes)")
        }
        _ => "see the table of front matter keys on the manual's Content format page for what each takes".to_string(),
    }
}

/// serde's Rust type names, in words a user knows.
fn friendly(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected `true` or `false`")
        .replace("expected a sequence", "expected a list `[…]`")
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" into a title
/// and the expected part.
fn split_message(message: &str) -> (String, Option<String>) {
    if let Some(i) = message.find(", expected ") {
        let (a, b) = message.split_at(i);
        return (a.to_string(), Some(b[", ".len()..].to_string()));
    }
    if let Some(i) = message.find(", expected") {
        let (a, b) = message.split_at(i);
        return (a.to_string(), Some(b[2..].to_string()));
    }
    (message.to_string(), None)
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Weight, then date (newest first), then title: the default.
    #[default]
    Weight,
    /// Date, newest first, then title.
    Date,
    /// Title, alphabetically.
    Title,
}

/// Front matter of a page (any `.md` other than `_index.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
// Held for every page until its body is rendered: what most pages leave out
// is boxed, so that a page's front matter takes 240 bytes, not 512.
pub struct PageFront {
    /// The page title; defaults to the first `# heading`.
    pub title: Option<String>,
    /// A short title for navigation and lists (Hugo's `linkTitle`).
    pub link_title: Option<String>,
    /// A one-paragraph description, for listings and meta tags.
    pub description: Option<String>,
    /// Publication date, a TOML date or a `YYYY-MM-DD` string.
    pub date: Option<Box<Spanned<toml::Value>>>,
    /// Date of the last update.
    pub updated: Option<Box<Spanned<toml::Value>>>,
    /// Position among its siblings; lower comes first.
    pub weight: Option<i64>,
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Replaces the last part of the URL.
    pub slug: Option<Box<Spanned<String>>>,
    /// Replaces the whole URL path.
    pub path: Option<Box<Spanned<String>>>,
    /// The template to render with, instead of the section's `page_template`.
    pub template: Option<Box<Spanned<String>>>,
    /// The page's authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Free-form keys for templates.
    #[serde(default)]
    pub extra: toml::Table,
}

/// Front matter of a section (`_index.md` in a folder below `content/`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    /// The section title; defaults to the first `# heading`.
    pub title: Option<String>,
    /// A short title for navigation and lists.
    pub link_title: Option<String>,
    /// A one-paragraph description.
    pub description: Option<String>,
    /// Position among sibling sections.
    pub weight: Option<i64>,
    /// How pages are ordered.
    #[serde(default)]
    pub sort_by: SortBy,
    /// Left out, with everything below it, unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The template for the section itself.
    pub template: Option<Spanned<String>>,
    /// The template for its pages.
    pub page_template: Option<Spanned<String>>,
    /// Free-form keys for templates.
    #[serde(default)]
    pub extra: toml::Table,
}

/// Front matter of the home page (`content/_index.md`): a section plus the
/// briefing-wide metadata. There is no other config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeFront {
    /// The briefing's title.
    pub title: Option<String>,
    /// A short title for the home page in navigation and lists ("Home" by
    /// default).
    pub link_title: Option<String>,
    /// A subtitle shown under the title.
    pub subtitle: Option<String>,
    /// A one-paragraph description, for meta tags.
    pub description: Option<String>,
    /// The briefing's date.
    pub date: Option<Spanned<toml::Value>>,
    /// Date of the last update.
    pub updated: Option<Spanned<toml::Value>>,
    /// The briefing's authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// BCP 47 language tag for `<html lang>`; `en` by default.
    pub language: Option<Spanned<String>>,
    /// The briefing's other languages, each built under its own prefix
    /// from translated files (`trade.az.md`, `_index.az.md`).
    #[serde(default)]
    pub languages: Vec<Spanned<String>>,
    /// Where the site will be published, for canonical links.
    pub base_url: Option<Spanned<String>>,
    /// How the root section orders its pages.
    #[serde(default)]
    pub sort_by: SortBy,
    /// The template for the home page.
    pub template: Option<Spanned<String>>,
    /// The template for pages directly under `content/`.
    pub page_template: Option<Spanned<String>>,
    /// `false` refuses raw HTML and inline event handlers in every page, for
    /// briefings that take outside contributions; authors are trusted
    /// (`true`) by default.
    pub raw_html: Option<bool>,
    /// The PDF edition: `[pdf]` with `build = false` to turn it off, and
    /// `paper = "a4"` (the default) or `"us-letter"`.
    #[serde(default)]
    pub pdf: PdfFront,
    /// Free-form keys for templates.
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[pdf]` in the home page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfFront {
    /// Whether `briefing build` writes the PDF edition (true by default).
    pub build: bool,
    /// The paper size.
    pub paper: Paper,
}

impl Default for PdfFront {
    fn default() -> Self {
        PdfFront {
            build: true,
            paper: Paper::A4,
        }
    }
}

/// The PDF edition's paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    UsLetter,
}

impl Paper {
    /// Typst's name for it.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let t = arc("+++\ntitle = \"A\"\n+++\nBody\n");
        let s = split("a.md", &t).unwrap();
        assert_eq!(&t[s.front.unwrap()], "title = \"A\"\n");
        assert_eq!(&t[s.body], "Body\n");
    }

    #[test]
    fn crlf_fences_are_accepted() {
        let t = arc("+++\r\ntitle = \"A\"\r\n+++\r\nBody");
        let s = split("a.md", &t).unwrap();
        assert_eq!(&t[s.front.unwrap()], "title = \"A\"\r\n");
        assert_eq!(&t[s.body], "Body");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let t = arc("# Title\n\ntext");
        let s = split("a.md", &t).unwrap();
        assert_eq!(s.front, None);
        assert_eq!(s.body, 0..t.len());
    }

    #[test]
    fn empty_front_matter_is_allowed() {
        let t = arc("+++\n+++\nx");
        let s = split("a.md", &t).unwrap();
        assert_eq!(s.front, Some(4..4));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split("a.md", &arc("+++\ntitle = 1\n")).unwrap_err();
        assert!(d.message.contains("never closed"));
    }

    #[test]
    fn late_fence_is_located() {
        let d = split("a.md", &arc("\n  +++\ntitle = 1\n+++\n")).unwrap_err();
        assert!(d.message.contains("first line"), "{}", d.message);
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
    }

    #[test]
    fn yaml_fence_is_refused() {
        let d = split("a.md", &arc("---\ntitle: x\n---\n")).unwrap_err();
        assert!(d.expected.unwrap().contains("YAML"));
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let t = arc("+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n");
        let s = split("a.md", &t).unwrap();
        let d = parse::<PageFront>("a.md", &t, s.front).unwrap_err();
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert!(d.expected.as_deref().unwrap().contains("`title`"));
        assert!(d.hint.as_deref().unwrap().contains("did you mean `title`"));
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
    }
}
