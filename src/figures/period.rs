//! Periods as analysts write them ("January–October 2023", "first nine
//! months of 2023", "by 2030"), read into dates so that stale figures can be
//! found. The text is kept for display; the dates are for checks.

use chrono::{Datelike, NaiveDate};

/// The dates a period covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day, when known ("before 2024" has none).
    pub start: Option<NaiveDate>,
    /// Last day.
    pub end: NaiveDate,
}

/// English month names, as periods write them (lower case).
pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// How many months, in words ("first nine months").
pub(super) const COUNTS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// The forms [`parse`] reads, for messages.
pub const FORMS: &str = "`2023`, `March 2023`, `January–October 2023`, `Q3 2023`, `H1 2023`, \
`first nine months of 2023`, `2022–2023`, `2024-01-24`, `by 2030`, `before 2024`, \
and any of these followed by `vs …`";

/// Reads a period. `None` if it is none of the [`FORMS`].
pub fn parse(text: &str) -> Option<Span> {
    let lower = text.trim().to_lowercase().replace(['–', '—'], "-");
    // "X vs Y", "X compared with Y": the period is X.
    let main = [
        "vs.",
        " vs ",
        " versus ",
        " compared with ",
        " against ",
        " on ",
    ]
    .iter()
    .find_map(|sep| lower.split_once(sep).map(|(a, _)| a))
    .unwrap_or(&lower)
    .trim();
    let main = main
        .strip_prefix("as of ")
        .or_else(|| main.strip_prefix("in "))
        .unwrap_or(main)
        .trim();
    if let Some(rest) = main.strip_prefix("by ") {
        return year(rest.trim()).map(whole_year);
    }
    if let Some(rest) = main.strip_prefix("before ") {
        let y = year(rest.trim())?;
        return Some(Span {
            start: None,
            end: NaiveDate::from_ymd_opt(y - 1, 12, 31)?,
        });
    }
    if let Ok(d) = NaiveDate::parse_from_str(main, "%Y-%m-%d") {
        return Some(Span {
            start: Some(d),
            end: d,
        });
    }
    if let Some(y) = year(main) {
        return Some(whole_year(y));
    }
    let words: Vec<&str> = main.split_whitespace().collect();
    match words.as_slice() {
        // "q3 2023", "h1 2023"
        [p, y] if p.len() == 2 && p.is_ascii() => {
            let y = year(y)?;
            let n: u32 = p[1..].parse().ok()?;
            let (first, last) = match (&p[..1], n) {
                ("q", 1..=4) => (3 * n - 2, 3 * n),
                ("h", 1..=2) => (6 * n - 5, 6 * n),
                _ => return None,
            };
            months(y, first, y, last)
        }
        // "march 2023", "january-october 2023"
        [m, y] => {
            let y = year(y)?;
            match m.split_once('-') {
                Some((a, b)) => months(y, month(a)?, y, month(b)?),
                None => {
                    let m = month(m)?;
                    months(y, m, y, m)
                }
            }
        }
        // "first half of 2023", "first quarter of 2023"
        ["first", "half", "of", y] => months(year(y)?, 1, year(y)?, 6),
        ["first", "quarter", "of", y] => months(year(y)?, 1, year(y)?, 3),
        // "first nine months of 2023"
        ["first", n, unit, "of", y] => {
            let y = year(y)?;
            let count = n
                .parse::<u32>()
                .ok()
                .or_else(|| COUNTS.iter().position(|c| c == n).map(|i| i as u32 + 1))?;
            if !matches!(*unit, "months" | "month") || !(1..=12).contains(&count) {
                return None;
            }
            months(y, 1, y, count)
        }
        // "2022-2023"
        [range] => {
            let (a, b) = range.split_once('-')?;
            let (a, b) = (year(a)?, year(b)?);
            (a <= b).then(|| Span {
                start: NaiveDate::from_ymd_opt(a, 1, 1),
                end: NaiveDate::from_ymd_opt(b, 12, 31).expect("a valid year"),
            })
        }
        _ => None,
    }
}

fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month(s: &str) -> Option<u32> {
    let s = s.trim();
    MONTHS
        .iter()
        .position(|m| *m == s || (s.len() >= 3 && m.starts_with(s)))
        .map(|i| i as u32 + 1)
}

fn whole_year(y: i32) -> Span {
    Span {
        start: NaiveDate::from_ymd_opt(y, 1, 1),
        end: NaiveDate::from_ymd_opt(y, 12, 31).expect("a valid year"),
    }
}

fn months(y0: i32, m0: u32, y1: i32, m1: u32) -> Option<Span> {
    let start = NaiveDate::from_ymd_opt(y0, m0, 1)?;
    let next = if m1 == 12 {
        NaiveDate::from_ymd_opt(y1 + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y1, m1 + 1, 1)?
    };
    let end = next.pred_opt()?;
    (start <= end).then_some(Span {
        start: Some(start),
        end,
    })
}

/// Whole months from `a` to `b` (negative if `b` is earlier).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> i32 {
    (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_articles_periods() {
        assert_eq!(parse("January–October 2023").unwrap().end, d(2023, 10, 31));
        assert_eq!(
            parse("January–October 2023 vs January–October 2022")
                .unwrap()
                .end,
            d(2023, 10, 31)
        );
        assert_eq!(
            parse("January–September 2022").unwrap().start,
            Some(d(2022, 1, 1))
        );
        assert_eq!(
            parse("first nine months of 2023").unwrap().end,
            d(2023, 9, 30)
        );
        assert_eq!(parse("first 9 months of 2023").unwrap().end, d(2023, 9, 30));
        assert_eq!(parse("2022").unwrap().end, d(2022, 12, 31));
        assert_eq!(parse("2022 vs 2021").unwrap().end, d(2022, 12, 31));
        assert_eq!(parse("by 2030").unwrap().end, d(2030, 12, 31));
        assert_eq!(
            parse("before 2024").unwrap(),
            Span {
                start: None,
                end: d(2023, 12, 31)
            }
        );
    }

    #[test]
    fn other_forms() {
        assert_eq!(parse("Q3 2023").unwrap().start, Some(d(2023, 7, 1)));
        assert_eq!(parse("H2 2023").unwrap().end, d(2023, 12, 31));
        assert_eq!(parse("February 2024").unwrap().end, d(2024, 2, 29));
        assert_eq!(parse("2022–2023").unwrap().start, Some(d(2022, 1, 1)));
        assert_eq!(parse("2024-01-24").unwrap().end, d(2024, 1, 24));
        assert_eq!(parse("as of March 2024").unwrap().end, d(2024, 3, 31));
        assert_eq!(parse("first half of 2023").unwrap().end, d(2023, 6, 30));
    }

    #[test]
    fn unreadable_periods() {
        for p in [
            "recently",
            "October–January 2023",
            "Q5 2023",
            "first 13 months of 2023",
            "2024–2022",
            "",
        ] {
            assert_eq!(parse(p), None, "{p}");
        }
    }

    proptest::proptest! {
        /// No text makes the reader panic.
        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,24}") {
            let _ = parse(&text);
        }

        #[test]
        fn two_letter_words_of_any_script(p in "\\PC{1,2}", y in "[0-9]{4}") {
            let _ = parse(&format!("{p} {y}"));
        }
    }

    #[test]
    fn months_between_dates() {
        assert_eq!(months_between(d(2023, 10, 31), d(2024, 1, 24)), 3);
        assert_eq!(months_between(d(2024, 1, 1), d(2023, 1, 1)), -12);
    }
}
