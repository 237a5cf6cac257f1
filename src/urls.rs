//! Output paths and relative URLs.
//!
//! Every internal link briefing writes is relative to the page it is on, and
//! points at a file (`../trade/index.html`, not `/trade/`). That is what makes
//! a built site work under any subpath and straight from disk (`file://`).
//! Output paths are built only from validated components, so no slug or path
//! in front matter can escape the output folder.

/// Slugifies one path component: lowercase ASCII, digits and `-`.
pub fn slugify(s: &str) -> String {
    let slug = slug::slugify(s);
    if slug.is_empty() {
        "-".to_string()
    } else {
        slug
    }
}

/// A heading's id, as GitHub makes it, so that the link a writer would
/// guess works: lower case, letters and digits of every script kept
/// (`## Første avsnitt` is `#første-avsnitt`, `## 贸易` is `#贸易`), spaces
/// and dashes as `-`, other punctuation dropped.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            // Unicode's case tables, below, only for what is not ASCII.
            id.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '\u{a0}' {
            id.push('-');
        }
    }
    if id.is_empty() { "-".to_string() } else { id }
}

/// Checks a user-written path (front matter `path` or `slug`) and returns its
/// components. `allow_nested` is false for slugs.
/// Names the write stage keeps for itself in the output folder (its marker
/// and its manifest of kept entries): no page or static file may take one.
pub const RESERVED_NAMES: &[&str] = &[".briefing-output", ".briefing-moving"];

/// Why `part`, one part of an output path, is a name the write stage keeps
/// for itself ([`RESERVED_NAMES`]), if it is.
pub fn reserved(part: &str) -> Option<String> {
    RESERVED_NAMES
        .iter()
        .any(|r| part.eq_ignore_ascii_case(r))
        .then(|| format!("`{part}` is a name briefing keeps for itself in the output folder"))
}

pub fn validate_user_path(raw: &str, allow_nested: bool) -> Result<Vec<String>, String> {
    if raw.contains('\\') {
        return Err("`\\` is not allowed; use `/` between parts".into());
    }
    if raw.chars().any(|c| c.is_control()) {
        return Err("control characters are not allowed".into());
    }
    let trimmed = raw.trim_matches('/');
    if trimmed.is_empty() {
        return if allow_nested {
            Ok(Vec::new())
        } else {
            Err("a slug cannot be empty".into())
        };
    }
    if !allow_nested && trimmed.contains('/') {
        return Err(
            "a slug is one part of a URL and cannot contain `/`; use `path` for nested URLs".into(),
        );
    }
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        match part {
            "" => return Err("empty part (`//`) in the path".into()),
            "." | ".." => {
                return Err(format!(
                    "`{part}` is not allowed: output paths must stay inside the output folder"
                ));
            }
            p if p.contains(':') => return Err(format!("`:` is not allowed (in `{p}`)")),
            p if reserved(p).is_some() => return Err(reserved(p).unwrap_or_default()),
            p => parts.push(p.to_string()),
        }
    }
    Ok(parts)
}

/// The URL of a folder's page: its `index.html`, relative to the output root.
pub fn index_of(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The relative URL from a page in folder `from_dir` (`""` for the root,
/// `"trade/"` otherwise) to `to`, a path relative to the output root.
pub fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let mut to_parts: Vec<&str> = to.split('/').collect();
    let file = to_parts.pop().unwrap_or_default();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    for p in &to_parts[common..] {
        out.push_str(p);
        out.push('/');
    }
    out.push_str(file);
    if out.is_empty() {
        // A link to the folder itself.
        out.push_str("./");
    }
    out
}

/// The prefix that leads from a page in `from_dir` back to the output root.
pub fn root_prefix(from_dir: &str) -> String {
    "../".repeat(from_dir.split('/').filter(|s| !s.is_empty()).count())
}

/// Resolves `rel` against the folder `base_dir` (both `/`-separated, relative
/// to some root). Returns `None` when the result would leave the root.
pub fn resolve(base_dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// True for URLs with a scheme (`https:`, `mailto:`), protocol-relative or
/// root-absolute URLs, and pure fragments: links briefing leaves alone.
pub fn is_external_or_fragment(url: &str) -> bool {
    if url.starts_with('#') || url.starts_with('/') || url.starts_with('?') {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// How many characters of a URL decide its scheme (after blanks).
const SCHEME_HEAD: usize = 32;

/// The scheme of a URL that would run code or show a document of the
/// author's making when followed (`javascript:`, `vbscript:`, or a `data:`
/// URL other than an image), as browsers read it: case and surrounding
/// blanks ignored, tabs and line breaks inside dropped. An image's `data:`
/// URL is harmless where it is shown as an image (`as_image`), except SVG
/// followed as a link.
pub fn dangerous_scheme(url: &str, as_image: bool) -> Option<&'static str> {
    // The first characters that count, lowercased, on the stack: every link
    // of every page passes here. A character outside ASCII is kept as a byte
    // no scheme has, so that nothing after it matches.
    let mut head = [0u8; SCHEME_HEAD];
    let mut len = 0;
    for c in url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(SCHEME_HEAD)
    {
        head[len] = if c.is_ascii() {
            c.to_ascii_lowercase() as u8
        } else {
            0xFF
        };
        len += 1;
    }
    let cleaned = &head[..len];
    if cleaned.starts_with(b"javascript:") {
        Some("javascript:")
    } else if cleaned.starts_with(b"vbscript:") {
        Some("vbscript:")
    } else if let Some(rest) = cleaned.strip_prefix(b"data:") {
        let image = rest.starts_with(b"image/") && (as_image || !rest.starts_with(b"image/svg"));
        (!image).then_some("data:")
    } else {
        None
    }
}

/// Every string in a free-form table (`[extra]`) that is a dangerous URL
/// (templates may well put it in an `href`), as (dotted key, value, scheme).
pub fn dangerous_values(table: &toml::Table) -> Vec<(String, String, &'static str)> {
    fn walk(value: &toml::Value, key: &str, out: &mut Vec<(String, String, &'static str)>) {
        match value {
            toml::Value::String(s) => {
                if let Some(scheme) = dangerous_scheme(s, false) {
                    out.push((key.to_string(), s.clone(), scheme));
                }
            }
            toml::Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            toml::Value::Table(t) => {
                for (k, v) in t {
                    walk(v, &format!("{key}.{k}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in table {
        walk(v, &format!("extra.{k}"), &mut out);
    }
    out
}

/// The diagnostic for a dangerous URL written as the value of `key`, found
/// in `text` within `region` (the front matter or data file) where the
/// value's own text appears (else at the region's start).
pub fn dangerous_value_diagnostic(
    path: &str,
    text: &std::sync::Arc<str>,
    region: std::ops::Range<usize>,
    key: &str,
    value: &str,
    scheme: &str,
) -> crate::diagnostic::Diagnostic {
    let head: String = value.chars().take(16).collect();
    let span = text
        .get(region.clone())
        .and_then(|r| r.find(&head))
        .map_or(region.start..region.start, |i| {
            region.start + i..region.start + i + head.len()
        });
    crate::diagnostic::Diagnostic::error(
        "unsafe-url",
        format!("`{key}` is a `{scheme}` URL, which would run code in readers' browsers"),
    )
    .at(crate::diagnostic::Location::in_source(path, text, span))
    .expected("an `https://` address, or a path to a file of the briefing")
    .hint("briefings never link to scripts; use the address of the page or file itself")
}

pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| "an absolute http:// or https:// URL".to_string())?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err("an absolute URL with a host, without spaces".into());
    }
    if raw.contains(['?', '#']) {
        return Err("a URL without `?query` or `#fragment`".into());
    }
    let mut s = raw.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII shortcut makes the ids Unicode's case mapping made, in
        /// any script (the Kelvin sign and `İ` lowercase to other lengths).
        #[test]
        fn heading_ids_are_what_unicode_lowercasing_made(
            text in "([A-Za-z0-9_ -]|É|İ|\u{212a}|Ə|Ğ|中|Я|ß|\u{a0}|[.,!?]|\\PC){0,30}"
        ) {
            let mut unicode = String::new();
            for c in text.trim().chars() {
                if c.is_alphanumeric() || c == '_' {
                    unicode.extend(c.to_lowercase());
                } else if c == ' ' || c == '-' || c == '\u{a0}' {
                    unicode.push('-');
                }
            }
            if unicode.is_empty() {
                unicode.push('-');
            }
            proptest::prop_assert_eq!(heading_id(&text), unicode);
        }
    }

    #[test]
    fn script_urls_are_dangerous_whatever_their_spelling() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:x",
            "java\tscript:x",
            "jav\nascript:x",
            "\u{1}javascript:x",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "data:image/svg+xml,<svg onload=alert(1)>",
        ] {
            assert!(dangerous_scheme(bad, false).is_some(), "{bad:?}");
        }
        for fine in [
            "https://example.org/javascript:",
            "trade.md",
            "#javascript",
            "mailto:a@example.org",
            "data:image/png;base64,iVBOR",
        ] {
            assert_eq!(dangerous_scheme(fine, false), None, "{fine:?}");
        }
        assert_eq!(dangerous_scheme("data:image/svg+xml,<svg/>", true), None);
    }

    /// The way the scheme was read before it was read on the stack.
    fn dangerous_scheme_allocating(url: &str, as_image: bool) -> Option<&'static str> {
        let cleaned: String = url
            .trim_start_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .take(32)
            .collect::<String>()
            .to_ascii_lowercase();
        if cleaned.starts_with("javascript:") {
            Some("javascript:")
        } else if cleaned.starts_with("vbscript:") {
            Some("vbscript:")
        } else if let Some(rest) = cleaned.strip_prefix("data:") {
            let image = rest.starts_with("image/") && (as_image || !rest.starts_with("image/svg"));
            (!image).then_some("data:")
        } else {
            None
        }
    }

    proptest::proptest! {
        #[test]
        fn dangerous_scheme_reads_what_the_allocating_version_read(
            blanks in "[ \t\u{1}]{0,3}",
            scheme in "(?i)(java\t?script|vb\nscript|data|https|mailto|jävascript|ΚΑΠ)",
            rest in "[:/a-zA-Z+é\t\r]{0,20}",
            as_image in proptest::bool::ANY,
        ) {
            let url = format!("{blanks}{scheme}{rest}");
            proptest::prop_assert_eq!(
                dangerous_scheme(&url, as_image),
                dangerous_scheme_allocating(&url, as_image)
            );
        }
    }
    use proptest::prelude::*;

    #[test]
    fn relative_urls_between_folders() {
        assert_eq!(relative("", "trade/index.html"), "trade/index.html");
        assert_eq!(relative("trade/", "index.html"), "../index.html");
        assert_eq!(
            relative("trade/", "energy/index.html"),
            "../energy/index.html"
        );
        assert_eq!(relative("a/b/", "a/c/index.html"), "../c/index.html");
        assert_eq!(relative("trade/", "trade/map.png"), "map.png");
        assert_eq!(relative("", "style.css"), "style.css");
    }

    #[test]
    fn user_paths_cannot_escape() {
        assert!(validate_user_path("../etc", true).is_err());
        assert!(validate_user_path("a/../../b", true).is_err());
        assert!(validate_user_path("a\\b", true).is_err());
        assert!(validate_user_path("C:/x", true).is_err());
        assert!(validate_user_path("a/b", false).is_err());
        assert_eq!(validate_user_path("/a/b/", true).unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn resolve_stays_inside_root() {
        assert_eq!(resolve("s1", "../s2/p.md").as_deref(), Some("s2/p.md"));
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(resolve("a", "./b/./c.md").as_deref(), Some("a/b/c.md"));
    }

    #[test]
    fn external_links_are_recognised() {
        assert!(is_external_or_fragment("https://x.org"));
        assert!(is_external_or_fragment("mailto:a@b"));
        assert!(is_external_or_fragment("#top"));
        assert!(is_external_or_fragment("/abs"));
        assert!(!is_external_or_fragment("trade.md"));
        assert!(!is_external_or_fragment("../a:b/c.md"));
    }

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            normalize_base_url("https://u.example/repo").unwrap(),
            "https://u.example/repo/"
        );
        assert!(normalize_base_url("u.example").is_err());
        assert!(normalize_base_url("https://").is_err());
    }

    proptest! {
        /// Following a relative link from a folder always lands on the target.
        #[test]
        fn relative_then_resolve_round_trips(
            from in proptest::collection::vec("[a-c]{1,2}", 0..4),
            to in proptest::collection::vec("[a-c]{1,2}", 0..4),
        ) {
            let from_dir: String = from.iter().map(|p| format!("{p}/")).collect();
            let target = format!("{}index.html", to.iter().map(|p| format!("{p}/")).collect::<String>());
            let rel = relative(&from_dir, &target);
            prop_assert_eq!(resolve(&from_dir, &rel), Some(target));
        }

        /// No accepted user path has a component that climbs or is empty.
        #[test]
        fn accepted_paths_never_climb(raw in "[a-z./\\\\:]{0,12}") {
            if let Ok(parts) = validate_user_path(&raw, true) {
                for p in parts {
                    prop_assert!(p != ".." && p != "." && !p.is_empty() && !p.contains('/'));
                }
            }
        }
    }
}
