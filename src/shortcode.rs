//! Shortcodes: `{{ fig(id="trade_2023") }}` calls in Markdown, in Zola's
//! syntax, found in the source text before it is parsed as Markdown.
//!
//! This module only finds and parses the calls, with exact byte spans so that
//! every mistake is located; what a call expands to is decided by the model.
//! `{{/* fig(id="x") */}}` writes the call itself, for documentation.

use std::ops::Range;

/// An argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `"text"` or `'text'`.
    Str(String),
    /// `12`, `-3`.
    Int(i64),
    /// `2.5`.
    Float(f64),
    /// `true`, `false`.
    Bool(bool),
}

impl Arg {
    /// What kind of value it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Arg::Str(_) => "a string",
            Arg::Int(_) => "an integer",
            Arg::Float(_) => "a number",
            Arg::Bool(_) => "a boolean",
        }
    }
}

/// One call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The whole `{{ … }}`.
    pub span: Range<usize>,
    /// The shortcode's name.
    pub name: String,
    /// Where the name is.
    pub name_span: Range<usize>,
    /// Arguments in order: name, value, span of the value.
    pub args: Vec<(String, Arg, Range<usize>)>,
}

impl Call {
    /// The argument called `name`.
    pub fn arg(&self, name: &str) -> Option<&(String, Arg, Range<usize>)> {
        self.args.iter().find(|(n, _, _)| n == name)
    }
}

/// What was found at a `{{`.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A call.
    Call(Call),
    /// `{{/* … */}}`: the text to write instead.
    Escaped {
        /// The whole `{{/* … */}}`.
        span: Range<usize>,
        /// `{{ … }}` as it should appear.
        literal: String,
    },
}

impl Found {
    /// Its span in the text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Found::Call(c) => c.span.clone(),
            Found::Escaped { span, .. } => span.clone(),
        }
    }
}

/// A malformed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// What was expected there.
    pub expected: String,
}

/// Finds the calls in `text`, skipping any that start inside `skip` (code).
/// Text that merely contains `{{` without a name and `(` is left alone.
pub fn find(text: &str, skip: &[Range<usize>]) -> (Vec<Found>, Vec<Error>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{").map(|i| i + from) {
        if skip.iter().any(|r| r.contains(&i)) {
            from = i + 2;
            continue;
        }
        if text[i..].starts_with("{{/*") {
            match text[i + 4..].find("*/}}") {
                Some(end) => {
                    let inner = text[i + 4..i + 4 + end].trim();
                    let span = i..i + 4 + end + 4;
                    found.push(Found::Escaped {
                        span: span.clone(),
                        literal: format!("{{{{ {inner} }}}}"),
                    });
                    from = span.end;
                }
                None => {
                    errors.push(Error {
                        span: i..i + 4,
                        message: "`{{/*` is never closed".into(),
                        expected: "`*/}}` after the shortcode to write literally".into(),
                    });
                    from = i + 4;
                }
            }
            continue;
        }
        let mut p = Parser { text, pos: i + 2 };
        p.ws();
        let name_start = p.pos;
        let name = p.ident();
        p.ws();
        if name.is_empty() || !p.eat('(') {
            // Not a call: literal braces in the text.
            from = i + 2;
            continue;
        }
        match p.call_rest(i, name.to_string(), name_start..name_start + name.len()) {
            Ok(call) => {
                from = call.span.end;
                found.push(Found::Call(call));
            }
            Err(e) => {
                from = e.span.end.max(i + 2);
                errors.push(e);
            }
        }
    }
    (found, errors)
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn ident(&mut self) -> &'t str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ok =
                c == '_' || c.is_ascii_alphabetic() || (self.pos > start && c.is_ascii_digit());
            if !ok {
                break;
            }
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn error(&self, message: impl Into<String>, expected: impl Into<String>) -> Error {
        let end = self.pos + self.peek().map_or(0, char::len_utf8);
        Error {
            span: self.pos..end,
            message: message.into(),
            expected: expected.into(),
        }
    }

    fn here(&self) -> String {
        match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the text".into(),
        }
    }

    /// After `{{ name (`: arguments, `)` and `}}`.
    fn call_rest(
        &mut self,
        start: usize,
        name: String,
        name_span: Range<usize>,
    ) -> Result<Call, Error> {
        let mut args: Vec<(String, Arg, Range<usize>)> = Vec::new();
        loop {
            self.ws();
            if self.eat(')') {
                break;
            }
            if !args.is_empty() {
                if !self.eat(',') {
                    return Err(self.error(
                        format!("unexpected {} in the arguments of `{name}`", self.here()),
                        "`,` between arguments or `)` after them",
                    ));
                }
                self.ws();
                if self.eat(')') {
                    break;
                }
            }
            let arg_start = self.pos;
            let arg = self.ident().to_string();
            if arg.is_empty() {
                return Err(self.error(
                    format!("unexpected {} in the arguments of `{name}`", self.here()),
                    "an argument name, as in `id=\"…\"`",
                ));
            }
            if args.iter().any(|(n, _, _)| n == &arg) {
                return Err(Error {
                    span: arg_start..self.pos,
                    message: format!("argument `{arg}` is given twice"),
                    expected: "each argument once".into(),
                });
            }
            self.ws();
            if !self.eat('=') {
                return Err(self.error(
                    format!("argument `{arg}` has no value"),
                    "`=` and a value, as in `id=\"…\"`",
                ));
            }
            self.ws();
            let value_start = self.pos;
            let value = self.value()?;
            args.push((arg, value, value_start..self.pos));
        }
        self.ws();
        if !self.text[self.pos..].starts_with("}}") {
            return Err(self.error(
                format!("shortcode `{name}` is not closed"),
                "`}}` after the `)`",
            ));
        }
        self.pos += 2;
        Ok(Call {
            span: start..self.pos,
            name,
            name_span,
            args,
        })
    }

    fn value(&mut self) -> Result<Arg, Error> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                let start = self.pos;
                self.pos += 1;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None | Some('\n') => {
                            return Err(Error {
                                span: start..self.pos,
                                message: "string is never closed".into(),
                                expected: format!("a closing `{q}` on the same line"),
                            });
                        }
                        Some(c) if c == q => {
                            self.pos += 1;
                            return Ok(Arg::Str(s));
                        }
                        Some('\\') => {
                            self.pos += 1;
                            match self.peek() {
                                Some(c @ ('"' | '\'' | '\\')) => {
                                    s.push(c);
                                    self.pos += 1;
                                }
                                Some('n') => {
                                    s.push('\n');
                                    self.pos += 1;
                                }
                                _ => {
                                    return Err(self.error(
                                        "unknown escape in a string",
                                        "`\\\"`, `\\'`, `\\\\` or `\\n`",
                                    ));
                                }
                            }
                        }
                        Some(c) => {
                            s.push(c);
                            self.pos += c.len_utf8();
                        }
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '_')
                {
                    self.pos += 1;
                }
                let lit = self.text[start..self.pos].replace('_', "");
                if let Ok(i) = lit.parse::<i64>() {
                    Ok(Arg::Int(i))
                } else if let Ok(f) = lit.parse::<f64>() {
                    Ok(Arg::Float(f))
                } else {
                    Err(Error {
                        span: start..self.pos,
                        message: format!("`{lit}` is not a number"),
                        expected: "a number such as 2 or 2.5".into(),
                    })
                }
            }
            _ => {
                let start = self.pos;
                let word = self.ident();
                match word {
                    "true" => Ok(Arg::Bool(true)),
                    "false" => Ok(Arg::Bool(false)),
                    _ => {
                        self.pos = start;
                        Err(self.error(
                            format!("unexpected {} as an argument value", self.here()),
                            "a quoted string, a number, `true` or `false`",
                        ))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn calls(text: &str) -> Vec<Call> {
        let (found, errors) = find(text, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        found
            .into_iter()
            .filter_map(|f| match f {
                Found::Call(c) => Some(c),
                Found::Escaped { .. } => None,
            })
            .collect()
    }

    #[test]
    fn finds_calls_with_arguments_and_spans() {
        let text = "Trade reached {{ fig(id=\"trade\", show='value') }} in 2023.";
        let c = &calls(text)[0];
        assert_eq!(c.name, "fig");
        assert_eq!(
            &text[c.span.clone()],
            "{{ fig(id=\"trade\", show='value') }}"
        );
        assert_eq!(c.arg("id").unwrap().1, Arg::Str("trade".into()));
        assert_eq!(c.arg("show").unwrap().1, Arg::Str("value".into()));
        assert_eq!(&text[c.arg("id").unwrap().2.clone()], "\"trade\"");
    }

    #[test]
    fn numbers_booleans_and_no_arguments() {
        let c = &calls("{{timeline()}} {{ x(n=-3, f=2.5, b=true,) }}")[1];
        assert_eq!(c.args[0].1, Arg::Int(-3));
        assert_eq!(c.args[1].1, Arg::Float(2.5));
        assert_eq!(c.args[2].1, Arg::Bool(true));
    }

    #[test]
    fn plain_braces_and_skipped_ranges_are_left_alone() {
        assert!(calls("a {{ b }} c {{ d").is_empty());
        let text = "`{{ fig(id=\"x\") }}`";
        // The whole text is a code span.
        let code = std::iter::once(0..text.len()).collect::<Vec<_>>();
        let (found, _) = find(text, &code);
        assert!(found.is_empty());
    }

    #[test]
    fn escaped_calls_write_themselves() {
        let (found, _) = find("{{/* fig(id=\"x\") */}}", &[]);
        assert_eq!(
            found[0],
            Found::Escaped {
                span: 0..21,
                literal: "{{ fig(id=\"x\") }}".into()
            }
        );
    }

    #[test]
    fn mistakes_are_located() {
        let text = "x {{ fig(id=\"a\" show=\"b\") }}";
        let (_, errors) = find(text, &[]);
        assert_eq!(errors[0].span.start, text.find("show").unwrap());
        let (_, errors) = find("{{ fig(id=\"a) }}", &[]);
        assert!(errors[0].message.contains("never closed"));
        let (_, errors) = find("{{ fig(id=\"a\") }", &[]);
        assert!(errors[0].message.contains("not closed"));
        let (_, errors) = find("{{ fig(id=a) }}", &[]);
        assert!(errors[0].expected.contains("quoted string"));
    }

    proptest! {
        /// Whatever the text, the parser does not panic and every span it
        /// reports lies inside the text on character boundaries.
        #[test]
        fn spans_are_always_valid(text in "(\\{\\{|\\}\\}|[a-z(),=\"' 0-9.\\-]|é|\n){0,60}") {
            let (found, errors) = find(&text, &[]);
            for f in &found {
                let s = f.span();
                prop_assert!(s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
            for e in &errors {
                prop_assert!(e.span.end <= text.len() && text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }

        /// A call written from parts parses back to those parts.
        #[test]
        fn written_calls_parse_back(name in "[a-z_]{1,8}", id in "[a-zA-Z0-9 _.-]{0,12}") {
            let text = format!("{{{{ {name}(id=\"{id}\") }}}}");
            let (found, errors) = find(&text, &[]);
            prop_assert!(errors.is_empty());
            match &found[0] {
                Found::Call(c) => {
                    prop_assert_eq!(&c.name, &name);
                    prop_assert_eq!(&c.args[0].1, &Arg::Str(id));
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }
    }
}
