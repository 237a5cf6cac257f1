//! Periods in another language: a period the data file writes in English
//! (`January–October 2023`, `Q3 2023`, `by 2030`, `2023 vs 2022`) read into
//! its form, and written for an edition in Azerbaijani or Chinese with
//! CLDR's month names and the language's own patterns (`yanvar–oktyabr
//! 2023`, `2023年1月至10月`, `2030-a qədər`, `到2030年`). A translation of
//! the period in the data file wins; a period of any other form stays as it
//! is written.

use super::locale::Locale;
use super::period::{COUNTS, MONTHS};

/// What a period covers, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    Year(i32),
    Years(i32, i32),
    Month(i32, u8),
    /// Months of one year: January–October 2023.
    Months(i32, u8, u8),
    Quarter(i32, u8),
    Half(i32, u8),
    /// The first N months of a year.
    FirstMonths(i32, u8),
    Day(i32, u8, u8),
    By(Box<Form>),
    Before(Box<Form>),
    AsOf(Box<Form>),
    /// One period compared with another: 2023 vs 2022.
    Versus(Box<Form>, Box<Form>),
}

/// `period` written for `locale`, or `None` to keep it as it is: English
/// editions write periods as the data file does, and a period of a form not
/// read here is not guessed at.
pub fn localize(period: &str, locale: &Locale) -> Option<String> {
    if locale.tag == "en" {
        return None;
    }
    let form = read(period)?;
    write(&form, locale)
}

fn read(text: &str) -> Option<Form> {
    let lower = text.trim().to_lowercase().replace(['–', '—'], "-");
    for sep in [" vs. ", " vs ", " compared with "] {
        if let Some((a, b)) = lower.split_once(sep) {
            return Some(Form::Versus(Box::new(one(a)?), Box::new(one(b)?)));
        }
    }
    one(&lower)
}

/// One period, lower case, dashes as hyphens.
fn one(s: &str) -> Option<Form> {
    let s = s.trim();
    for (prefix, wrap) in [
        ("by ", Form::By as fn(Box<Form>) -> Form),
        ("before ", Form::Before),
        ("as of ", Form::AsOf),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return Some(wrap(Box::new(plain(rest.trim())?)));
        }
    }
    plain(s)
}

fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month(s: &str) -> Option<u8> {
    MONTHS.iter().position(|m| *m == s).map(|i| i as u8 + 1)
}

/// A period without `by`, `before`, `as of` or a comparison.
fn plain(s: &str) -> Option<Form> {
    let words: Vec<&str> = s.split_whitespace().collect();
    match words[..] {
        [y] if year(y).is_some() => Some(Form::Year(year(y)?)),
        [range] if range.len() == 9 => {
            let (a, b) = range.split_once('-')?;
            Some(Form::Years(year(a)?, year(b)?))
        }
        [date] if date.len() == 10 => {
            let mut parts = date.split('-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            let (m, d): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
            ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Form::Day(year(y)?, m, d))
        }
        [m, y] if month(m).is_some() => Some(Form::Month(year(y)?, month(m)?)),
        [q, y] if q.len() == 2 && (q.starts_with('q') || q.starts_with('h')) => {
            let n: u8 = q[1..].parse().ok()?;
            match q.as_bytes()[0] {
                b'q' if (1..=4).contains(&n) => Some(Form::Quarter(year(y)?, n)),
                b'h' if (1..=2).contains(&n) => Some(Form::Half(year(y)?, n)),
                _ => None,
            }
        }
        [range, y] => {
            let (a, b) = range.split_once('-')?;
            let (a, b) = (month(a)?, month(b)?);
            (a < b).then_some(Form::Months(year(y)?, a, b))
        }
        ["first", n, "months", "of", y] => {
            let n = COUNTS
                .iter()
                .position(|c| *c == n)
                .map(|i| i as u8 + 1)
                .or_else(|| n.parse().ok())?;
            (1..=12)
                .contains(&n)
                .then_some(Form::FirstMonths(year(y)?, n))
        }
        _ => None,
    }
}

fn write(form: &Form, locale: &Locale) -> Option<String> {
    match locale.tag {
        "zh" => chinese(form, locale),
        "az" => azerbaijani(form, locale),
        _ => None,
    }
}

fn chinese(form: &Form, locale: &Locale) -> Option<String> {
    let again = |f: &Form| chinese(f, locale);
    Some(match form {
        Form::Year(y) => format!("{y}年"),
        Form::Years(a, b) => format!("{a}–{b}年"),
        Form::Month(y, m) => locale.month_year(*y, *m)?,
        Form::Months(y, a, b) => {
            format!("{}至{}", locale.month_year(*y, *a)?, locale.month_name(*b)?)
        }
        Form::Quarter(y, q) => format!("{y}年第{q}季度"),
        Form::Half(y, 1) => format!("{y}年上半年"),
        Form::Half(y, _) => format!("{y}年下半年"),
        Form::FirstMonths(y, n) => format!("{y}年前{n}个月"),
        Form::Day(y, m, d) => locale.long_date(&format!("{y:04}-{m:02}-{d:02}"))?,
        Form::By(f) => format!("到{}", again(f)?),
        Form::Before(f) => format!("{}以前", again(f)?),
        Form::AsOf(f) => format!("截至{}", again(f)?),
        Form::Versus(a, b) => format!("{}与{}相比", again(a)?, again(b)?),
    })
}

/// The year a period ends with, for the case suffix after it.
fn last_year(form: &Form) -> Option<i32> {
    match form {
        Form::Year(y) | Form::Month(y, _) | Form::Months(y, ..) | Form::Day(y, ..) => Some(*y),
        Form::Years(_, b) => Some(*b),
        _ => None,
    }
}

fn azerbaijani(form: &Form, locale: &Locale) -> Option<String> {
    let again = |f: &Form| azerbaijani(f, locale);
    let of_year = |y: i32| format!("{} ilin", locale.ordinal(y.unsigned_abs()));
    Some(match form {
        Form::Year(y) => y.to_string(),
        Form::Years(a, b) => format!("{a}–{b}"),
        Form::Month(y, m) => locale.month_year(*y, *m)?,
        Form::Months(y, a, b) => {
            format!("{}–{}", locale.month_name(*a)?, locale.month_year(*y, *b)?)
        }
        Form::Quarter(y, q) => format!("{} {} rübü", of_year(*y), locale.ordinal(u32::from(*q))),
        Form::Half(y, h) => format!("{} {} yarısı", of_year(*y), locale.ordinal(u32::from(*h))),
        Form::FirstMonths(y, n) => format!("{} ilk {n} ayı", of_year(*y)),
        Form::Day(y, m, d) => locale.long_date(&format!("{y:04}-{m:02}-{d:02}"))?,
        Form::By(f) => with_suffix(f, locale, "a", "ə", "qədər")?,
        Form::Before(f) => with_suffix(f, locale, "dan", "dən", "əvvəl")?,
        Form::AsOf(f) => format!("{} vəziyyətinə", again(f)?),
        Form::Versus(a, b) => format!("{}, {} ilə müqayisədə", again(a)?, again(b)?),
    })
}

/// A period ending in a year, with a case suffix on the year and a word
/// after it: "2030-a qədər", "yanvar 2024-dən əvvəl".
fn with_suffix(
    form: &Form,
    locale: &Locale,
    back: &str,
    front: &str,
    word: &str,
) -> Option<String> {
    let y = last_year(form)?;
    let written = azerbaijani(form, locale)?;
    // The suffix goes on the year the period ends with.
    if !written.ends_with(&y.to_string()) {
        return None;
    }
    Some(format!("{} {word}", locale.az_case(&written, back, front)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn az(p: &str) -> Option<String> {
        localize(p, &Locale::for_language("az"))
    }

    fn zh(p: &str) -> Option<String> {
        localize(p, &Locale::for_language("zh"))
    }

    #[test]
    fn every_form_in_chinese() {
        for (en, want) in [
            ("2023", "2023年"),
            ("2022–2023", "2022–2023年"),
            ("March 2023", "2023年3月"),
            ("January–October 2023", "2023年1月至10月"),
            ("Q3 2023", "2023年第3季度"),
            ("H1 2023", "2023年上半年"),
            ("first nine months of 2023", "2023年前9个月"),
            ("2024-01-24", "2024年1月24日"),
            ("2023 vs 2022", "2023年与2022年相比"),
            ("by 2030", "到2030年"),
            ("before 2024", "2024年以前"),
            ("as of January 2024", "截至2024年1月"),
            (
                "January–October 2023 vs January–October 2022",
                "2023年1月至10月与2022年1月至10月相比",
            ),
        ] {
            assert_eq!(zh(en).as_deref(), Some(want), "{en}");
        }
    }

    #[test]
    fn every_form_in_azerbaijani() {
        for (en, want) in [
            ("2023", "2023"),
            ("2022–2023", "2022–2023"),
            ("March 2023", "mart 2023"),
            ("January–October 2023", "yanvar–oktyabr 2023"),
            ("Q3 2023", "2023-cü ilin 3-cü rübü"),
            ("H1 2023", "2023-cü ilin 1-ci yarısı"),
            ("first nine months of 2023", "2023-cü ilin ilk 9 ayı"),
            ("2024-03-01", "1 mart 2024"),
            ("2024-01-24", "24 yanvar 2024"),
            ("2023 vs 2022", "2023, 2022 ilə müqayisədə"),
            ("by 2030", "2030-a qədər"),
            ("by 2024", "2024-ə qədər"),
            ("by 2020", "2020-yə qədər"),
            ("by 2026", "2026-ya qədər"),
            ("before 2024", "2024-dən əvvəl"),
            ("before 2030", "2030-dan əvvəl"),
            ("before March 2024", "mart 2024-dən əvvəl"),
            ("as of January 2024", "yanvar 2024 vəziyyətinə"),
            ("2022 vs 2021", "2022, 2021 ilə müqayisədə"),
        ] {
            assert_eq!(az(en).as_deref(), Some(want), "{en}");
        }
    }

    #[test]
    fn english_and_unread_periods_stay_as_written() {
        assert_eq!(localize("January–October 2023", &Locale::en()), None);
        for p in [
            "the article gives no period",
            "Q5 2023",
            "October–January 2023",
            "first 13 months of 2023",
            "2023-13-01",
            "",
        ] {
            assert_eq!(zh(p), None, "{p}");
            assert_eq!(az(p), None, "{p}");
        }
    }
}
