//! What Tera's template errors leave out, in the user's words: the filter,
//! function or test that was meant, the template that was meant, and for an
//! unclosed `{% if %}` (Tera reports "Unexpected end of input" at the end of
//! the file) the tag that was left open.

use std::ops::Range;

use crate::diagnostic::closest;

/// Tera's built-in filters, and briefing's.
const FILTERS: &[&str] = &[
    "abs",
    "capitalize",
    "default",
    "escape",
    "escape_html",
    "escape_xml",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "keys",
    "last",
    "length",
    "lower",
    "newlines_to_br",
    "nth",
    "pairs",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "sort",
    "split",
    "str",
    "title",
    "trim",
    "trim_end",
    "trim_start",
    "truncate",
    "unique",
    "upper",
    "values",
    "wordcount",
    "num",
    "date",
];

/// Tera's built-in functions, and briefing's.
const FUNCTIONS: &[&str] = &[
    "range",
    "throw",
    "fig",
    "figure",
    "key_figures",
    "timeline",
    "chart",
    "sources",
    "get_url",
];

/// Tera's tests (`is …`).
const TESTS: &[&str] = &[
    "array",
    "bool",
    "containing",
    "defined",
    "divisible_by",
    "ending_with",
    "even",
    "float",
    "integer",
    "iterable",
    "map",
    "none",
    "number",
    "odd",
    "starting_with",
    "string",
    "undefined",
];

/// A hint for Tera's message about an unknown filter, function or test.
pub fn unknown_name(message: &str) -> Option<String> {
    let (kind, known): (&str, &[&str]) = if message.starts_with("Unknown filter") {
        ("filter", FILTERS)
    } else if message.starts_with("Unknown function") {
        ("function", FUNCTIONS)
    } else if message.starts_with("Unknown test") {
        ("test", TESTS)
    } else {
        return None;
    };
    let name = message.split('`').nth(1)?;
    // `uppercase` for `upper`, `url` for `get_url`: one name inside the other.
    let within = known
        .iter()
        .copied()
        .find(|k| k.len() >= 3 && name.len() >= 3 && (name.contains(k) || k.contains(name)));
    Some(match closest(name, known.iter().copied()).or(within) {
        Some(c) => format!("did you mean the {kind} `{c}`?"),
        None => format!("the {kind}s are: {}", known.join(", ")),
    })
}

/// Where a component calls itself, for Tera's "Maximum render recursion
/// depth for components exceeded", which has no place of its own: the span
/// of the call (`<box`) inside `{% component box(…) %}`…`{% endcomponent %}`,
/// and the component's name.
pub fn self_calling_component(text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("component ") {
        let name_start = from + found + "component ".len();
        from = name_start;
        let before = text[..name_start - "component ".len()].trim_end();
        if !(before.ends_with("{%") || before.ends_with("{%-")) {
            continue;
        }
        let name: String = text[name_start..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        if name.is_empty() {
            continue;
        }
        let body_end = text[name_start..]
            .find("endcomponent")
            .map_or(text.len(), |i| name_start + i);
        let call = format!("<{name}");
        let body = &text[name_start..body_end];
        let mut at = 0;
        while let Some(i) = body[at..].find(&call) {
            let start = name_start + at + i;
            let next = text[start + call.len()..].chars().next();
            if next.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>') {
                return Some((start..start + call.len(), name));
            }
            at += i + call.len();
        }
    }
    None
}

/// A hint for Tera's "Block `x` is not defined in any parent template":
/// the closest of the blocks the parents have (`title`, `head`, `content`
/// in the theme's `base.html`, and any in `parents`' text).
pub fn unknown_block<'a>(
    message: &str,
    parents: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    if !message.starts_with("Block `") {
        return None;
    }
    let name = message.split('`').nth(1)?;
    let mut known: Vec<String> = Vec::new();
    for text in parents {
        let mut rest = text;
        while let Some(i) = rest.find("{% block ") {
            let after = &rest[i + "{% block ".len()..];
            let block: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !block.is_empty() && !known.contains(&block) {
                known.push(block);
            }
            rest = after;
        }
    }
    // The template that names the unknown block is among the texts.
    known.retain(|b| b != name);
    known.sort();
    Some(match closest(name, known.iter().map(String::as_str)) {
        Some(c) => format!("did you mean the block `{c}`?"),
        None => format!("the parent templates have the blocks: {}", known.join(", ")),
    })
}

/// A hint for a template that does not exist: the closest name, or the list.
pub fn unknown_template<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let mut known: Vec<&str> = known.into_iter().collect();
    known.sort_unstable();
    match closest(name, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("the templates are: {}", known.join(", ")),
    }
}

/// The fields of the context variables templates use most (see the
/// manual's Templates page).
const FIELDS: &[(&str, &[&str])] = &[
    (
        "config",
        &[
            "title",
            "subtitle",
            "description",
            "date",
            "updated",
            "authors",
            "language",
            "base_url",
            "extra",
        ],
    ),
    (
        "page",
        &[
            "title",
            "description",
            "date",
            "updated",
            "weight",
            "draft",
            "slug",
            "authors",
            "content",
            "toc",
            "word_count",
            "reading_time",
            "permalink",
            "canonical",
            "path",
            "relative_path",
            "extra",
            "lower",
            "higher",
            "ancestors",
        ],
    ),
    (
        "section",
        &[
            "title",
            "description",
            "weight",
            "draft",
            "content",
            "toc",
            "word_count",
            "reading_time",
            "permalink",
            "canonical",
            "path",
            "relative_path",
            "extra",
            "pages",
            "subsections",
            "ancestors",
        ],
    ),
];

/// For a value that is undefined, written at the start of `text`
/// (`config.titel | upper …`): what it is, and a hint naming the field
/// that was probably meant.
pub fn undefined(text: &str) -> Option<(String, String)> {
    let path: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let mut parts = path.split('.');
    let root = parts.next()?;
    let field = parts.next();
    let Some((_, fields)) = FIELDS.iter().find(|(r, _)| *r == root) else {
        return Some((
            format!("`{path}` is not defined"),
            "the variables of the context are listed in the manual's Templates page".into(),
        ));
    };
    let field = field?;
    if fields.contains(&field) {
        return None;
    }
    let hint = match closest(field, fields.iter().copied()) {
        Some(c) => format!("did you mean `{root}.{c}`?"),
        None => format!("`{root}` has: {}", fields.join(", ")),
    };
    Some((format!("`{root}.{field}` is not defined"), hint))
}

/// Tags that open a block closed by `{% end… %}`.
const BLOCKS: &[&str] = &["if", "for", "block", "macro", "filter", "raw", "with"];

/// The byte span of the block tag that `text` leaves open, with the tag's
/// name: the innermost one still open at the end of the file, or when an
/// end tag closes a tag around it.
pub fn unclosed(text: &str) -> Option<(Range<usize>, String)> {
    let mut open: Vec<(Range<usize>, String)> = Vec::new();
    let mut rest = 0;
    while let Some(i) = text[rest..].find("{%") {
        let start = rest + i;
        // After the `{%`: in `{%}` the `%` is the opening's, not a close.
        let Some(len) = text[start + 2..].find("%}") else {
            break;
        };
        let end = start + 2 + len + 2;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner.split_whitespace().next().unwrap_or_default();
        if let Some(closed) = word.strip_prefix("end") {
            match open.last() {
                Some((_, w)) if w == closed => {
                    open.pop();
                }
                // `{% endblock %}` while an `{% if %}` inside is open: the
                // `if` is what was left unclosed.
                Some(_) => return open.pop(),
                None => {}
            }
        } else if BLOCKS.contains(&word) {
            open.push((start..end, word.to_string()));
        }
        if word == "raw" {
            // Nothing inside a raw block is a tag.
            match text[end..].find("endraw") {
                Some(j) => rest = end + j,
                None => return open.pop(),
            }
            continue;
        }
        rest = end;
    }
    open.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_tag_is_found_and_names_are_suggested() {
        let text = "{% block content %}\n{% if a %}\n<p>{% for x in y %}{{ x }}{% endfor %}</p>\n{% endblock content %}\n";
        let (span, tag) = unclosed(text).unwrap();
        assert_eq!((&text[span], tag.as_str()), ("{% if a %}", "if"));
        assert_eq!(unclosed("{% if a %}x{% endif %}"), None);
        assert_eq!(
            unknown_name("Unknown filter `uppercase`").unwrap(),
            "did you mean the filter `upper`?"
        );
        assert!(
            unknown_name("Unknown function `get_ur`")
                .unwrap()
                .contains("`get_url`")
        );
        assert_eq!(
            unknown_template("partial/footer.html", ["partials/footer.html", "base.html"]),
            "did you mean `partials/footer.html`?"
        );
    }

    #[test]
    fn a_misspelled_block_gets_the_parents_block_suggested() {
        let base = "{% block title %}{% endblock title %}{% block content %}{% endblock content %}";
        let page = "{% extends \"base.html\" %}{% block contnt %}{% endblock contnt %}";
        let message = "Block `contnt` is not defined in any parent template";
        let hint = unknown_block(message, [base, page]).unwrap();
        assert_eq!(hint, "did you mean the block `content`?");
    }

    #[test]
    fn a_component_that_calls_itself_is_found_at_the_call() {
        let text = "{% component box(n) %}\n<div>{{ <boxes/> }}{{ <box n={n}/> }}</div>\n{% endcomponent box %}\n{{ <box n={1}/> }}";
        let (span, name) = self_calling_component(text).unwrap();
        assert_eq!(name, "box");
        assert_eq!(&text[span.start..span.end + 3], "<box n=");
        assert_eq!(
            self_calling_component("{% component a() %}<b/>{% endcomponent a %}{{ <a/> }}"),
            None
        );
    }
}
