//! What a number looks like in a language, from CLDR through ICU4X: decimal
//! and grouping separators, percent style, the language's own scale words
//! (English "billion", Azerbaijani "milyard", Chinese 万 and 亿), plural and
//! ordinal categories. The formatter in [`super::format`] asks this module
//! and nothing else, so that no separator or scale word is written by hand.
//!
//! House style on top of CLDR, the same in every language: the typographic
//! minus sign (U+2212, where CLDR's data has the hyphen-minus), an explicit
//! `+` on changes, and no-break spaces inside a number and its scale word.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use icu::datetime::DateTimeFormatter;
use icu::datetime::fieldsets::{YM, YMD};
use icu::datetime::input::Date;
use icu::decimal::input::Decimal;
use icu::decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu::experimental::dimension::percent::formatter::PercentFormatter;
use icu::list::ListFormatter;
use icu::list::options::ListFormatterOptions;
use icu::locale::Locale as IcuLocale;
use icu::plurals::{PluralCategory, PluralRules};

use super::units::Scale;

/// Non-breaking space: between a number and its unit, scale or sign word.
pub const NBSP: char = '\u{a0}';
/// The typographic minus sign.
pub const MINUS: char = '−';

/// The languages briefing formats numbers for.
pub const LANGUAGES: &[&str] = &["en", "az", "zh"];

/// CLDR's formatters for one language, each made when first needed: a
/// small briefing in English never loads the date or compact data.
struct Cldr {
    locale: IcuLocale,
    decimal: DecimalFormatter,
    long: OnceLock<CompactDecimalFormatter>,
    short: OnceLock<CompactDecimalFormatter>,
    percent: OnceLock<PercentFormatter<DecimalFormatter>>,
    cardinal: OnceLock<PluralRules>,
    ordinal: OnceLock<PluralRules>,
    date: OnceLock<DateTimeFormatter<YMD>>,
    and_list: OnceLock<ListFormatter>,
    month_year: OnceLock<DateTimeFormatter<YM>>,
}

/// Compiled CLDR data covers every language briefing names; a failure is a
/// broken build of briefing, not a user's mistake.
const DATA: &str = "ICU4X compiled data covers en, az and zh";

/// Words of a language that CLDR's number data does not hold.
#[derive(Debug)]
struct Words {
    /// Prefix for implied (derived) values.
    implied: &'static str,
    /// Suffix for implied values in prose.
    implied_word: &'static str,
    /// over, under, about, at least, up to.
    qualifiers: [&'static str; 5],
}

const EN: Words = Words {
    implied: "≈",
    implied_word: "implied",
    qualifiers: ["over", "under", "about", "at least", "up to"],
};

const AZ: Words = Words {
    implied: "≈",
    implied_word: "hesablanıb",
    // "Over" and "under" follow the number in Azerbaijani (`qualified`):
    // the symbols are for a number the suffix can't be put on.
    qualifiers: [">", "<", "təxminən", "ən azı", "ən çox"],
};

const ZH: Words = Words {
    implied: "≈",
    implied_word: "推算",
    qualifiers: ["超过", "不到", "约", "至少", "最多"],
};

/// See [`Locale::punctuation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Punctuation {
    /// After a sentence: `.`, `。`.
    pub full_stop: &'static str,
    /// After a label, with its space: `: `, `：`.
    pub colon: &'static str,
    /// Between clauses, with its space: `; `, `；`.
    pub semicolon: &'static str,
    /// Between sentences: a space, or nothing.
    pub gap: &'static str,
}

impl Punctuation {
    /// `text` ended by one full stop, whichever it ended with.
    pub fn sentence(&self, text: &str) -> String {
        let bare = text.trim_end().trim_end_matches(['.', '。']);
        format!("{bare}{}", self.full_stop)
    }
}

/// Language-dependent parts of number formatting.
#[derive(Clone)]
pub struct Locale {
    /// BCP 47 tag.
    pub tag: &'static str,
    /// Decimal separator, as CLDR writes 1234.5.
    pub decimal: char,
    /// Grouping separator, as CLDR writes 1234.5.
    pub group: char,
    cldr: Arc<Cldr>,
    words: &'static Words,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("tag", &self.tag).finish()
    }
}

impl PartialEq for Locale {
    fn eq(&self, other: &Locale) -> bool {
        self.tag == other.tag
    }
}

impl Locale {
    /// English.
    pub fn en() -> Locale {
        Locale::for_language("en")
    }

    /// The locale for a language tag: its primary language if briefing
    /// knows it (`az-Latn-AZ` is `az`), English otherwise.
    pub fn for_language(tag: &str) -> Locale {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        let tag = LANGUAGES
            .iter()
            .copied()
            .find(|l| *l == primary)
            .unwrap_or("en");
        let words = match tag {
            "az" => &AZ,
            "zh" => &ZH,
            _ => &EN,
        };
        let cldr = Arc::new(Cldr::new(tag));
        let probe = cldr
            .decimal
            .format_to_string(&Decimal::from_str("1234.5").unwrap_or_default());
        let mut chars = probe.chars().filter(|c| !c.is_ascii_digit());
        let group = chars.next().unwrap_or(',');
        let decimal = chars.next().unwrap_or('.');
        Locale {
            tag,
            decimal,
            group,
            cldr,
            words,
        }
    }

    /// Prefix for implied values ("≈").
    pub fn implied(&self) -> &'static str {
        self.words.implied
    }

    /// Suffix for implied values in prose ("implied").
    pub fn implied_word(&self) -> &'static str {
        self.words.implied_word
    }

    /// The note after an implied value in prose: " (implied)", "（推算）".
    pub fn implied_note(&self) -> String {
        self.bracketed(self.words.implied_word)
    }

    /// Punctuation of the sentences under a chart or table, as the
    /// language writes it: Chinese ends a sentence with `。`, separates
    /// clauses with `；`, puts `：` after a label, and leaves no space
    /// between sentences.
    pub fn punctuation(&self) -> Punctuation {
        match self.tag {
            "zh" => Punctuation {
                full_stop: "。",
                colon: "：",
                semicolon: "；",
                gap: "",
            },
            _ => Punctuation {
                full_stop: ".",
                colon: ": ",
                semicolon: "; ",
                gap: " ",
            },
        }
    }

    /// `note` in brackets after something: " (note)", and in Chinese in
    /// full-width brackets with no space, "（note）".
    pub fn bracketed(&self, note: &str) -> String {
        match self.tag {
            "zh" => format!("（{note}）"),
            _ => format!(" ({note})"),
        }
    }

    /// `items` as a list joined by "and", by CLDR's rules: "A, B and C",
    /// "A, B və C", "A、B和C".
    pub fn and_list(&self, items: &[&str]) -> String {
        self.cldr.and_list().format_to_string(items.iter())
    }

    /// A qualified number in prose: "over 50%", "超过50%"; in Azerbaijani
    /// "over" and "under" follow the number, which takes the ablative:
    /// "50%-dən çox", "5 gündən az", "$2,57 milyarddan çox".
    pub fn qualified(&self, index: usize, number: &str) -> String {
        if self.tag == "az"
            && index < 2
            && let Some(from) = self.az_case(number, "dan", "dən")
        {
            return format!("{from}{}{}", NBSP, ["çox", "az"][index]);
        }
        format!(
            "{}{}{number}",
            self.words.qualifiers[index],
            self.word_gap()
        )
    }

    /// Azerbaijani: `text` with a case suffix on its last word, whose vowel
    /// follows the last vowel of that word said aloud (a number's, from
    /// [`az_last_word`]): `back` after a, ı, o, u; `front` after e, ə, i, ö,
    /// ü. A number (or a percentage, said "faiz") takes it after a hyphen,
    /// with a `y` before a suffix that
    /// starts with a vowel when the number said ends in one: "2030-a",
    /// "2020-yə", "50%-dən", "5 gündən". `None` when the text ends in
    /// something else.
    pub fn az_case(&self, text: &str, back: &str, front: &str) -> Option<String> {
        let last = text.chars().last()?;
        if last == '%' {
            return Some(format!("{text}-{front}"));
        }
        if last.is_ascii_digit() {
            // The number the text ends with, its separators left out.
            let head = text.trim_end_matches(|c: char| {
                c.is_ascii_digit() || c == self.group || c == self.decimal
            });
            let digits: String = text[head.len()..]
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let tail = &digits[digits.len().saturating_sub(18)..];
            let (is_front, vowel_end) = az_last_word(tail.parse().ok()?);
            let suffix = if is_front { front } else { back };
            let buffer = if vowel_end && suffix.starts_with(['a', 'ə']) {
                "y"
            } else {
                ""
            };
            return Some(format!("{text}-{buffer}{suffix}"));
        }
        if !last.is_alphabetic() {
            return None;
        }
        let word = text.rsplit(|c: char| !c.is_alphabetic()).next()?;
        let vowel = word
            .chars()
            .rev()
            .find(|c| "aıoueəiöüAIOUEƏİÖÜ".contains(*c))?;
        let suffix = if "eəiöüEƏİÖÜ".contains(vowel) {
            front
        } else {
            back
        };
        Some(format!("{text}{suffix}"))
    }

    /// What goes between a number and a word beside it (a unit, a
    /// qualifier): a no-break space, or nothing in Chinese (110万吨, 超过50%).
    pub fn word_gap(&self) -> &'static str {
        if self.tag == "zh" { "" } else { "\u{a0}" }
    }

    /// `digits` (a plain decimal, `1234.50`) with the language's separators.
    pub fn digits(&self, digits: &str) -> String {
        match Decimal::from_str(digits) {
            Ok(d) => self.cldr.decimal.format_to_string(&d),
            Err(_) => digits.to_string(),
        }
    }

    /// A percentage in the language's style: "47.5%", "47,5%".
    pub fn percent(&self, digits: &str) -> String {
        match Decimal::from_str(digits) {
            Ok(d) => self.cldr.percent().format(&d).to_string(),
            Err(_) => format!("{digits}%"),
        }
    }

    /// Whether the language writes `value` (as written, `1.0`) with the
    /// singular of a unit word.
    pub fn is_singular(&self, digits: &str) -> bool {
        Decimal::from_str(digits)
            .map(|d| self.cldr.cardinal().category_for(&d) == PluralCategory::One)
            .unwrap_or(false)
    }

    /// A `YYYY-MM-DD` date written out: "24 January 2024" (the house style
    /// in English, where CLDR's `en` would write "January 24, 2024"),
    /// "24 yanvar 2024", "2024年1月24日". `None` if it is not such a date.
    pub fn long_date(&self, iso: &str) -> Option<String> {
        let day = iso.get(..10)?;
        let mut parts = day.split('-');
        let y: i32 = parts.next()?.parse().ok()?;
        let m: u8 = parts.next()?.parse().ok()?;
        let d: u8 = parts.next()?.parse().ok()?;
        let date = Date::try_new_iso(y, m, d).ok()?;
        if self.tag == "en" {
            return super::format::date(day, super::format::LONG_DATE).ok();
        }
        Some(self.cldr.date().format(&date).to_string())
    }

    /// A month of a year as CLDR writes it: "January 2024", "yanvar 2024",
    /// "2024年1月". `None` for a month that is not 1 to 12.
    pub fn month_year(&self, year: i32, month: u8) -> Option<String> {
        let date = Date::try_new_iso(year, month, 1).ok()?;
        Some(self.cldr.month_year().format(&date).to_string())
    }

    /// A month's name as it stands before a year (CLDR's month-and-year
    /// pattern without the year): "January", "yanvar", "1月".
    pub fn month_name(&self, month: u8) -> Option<String> {
        let written = self.month_year(2001, month)?;
        let name = written.replace("2001", "").replace('年', "");
        Some(
            name.trim_matches(|c: char| c.is_whitespace() || c == ',')
                .to_string(),
        )
    }

    /// "4th", "4-cü", "第4".
    pub fn ordinal(&self, n: u32) -> String {
        let category = self.cldr.ordinal().category_for(n);
        match self.tag {
            "zh" => format!("第{n}"),
            "az" => {
                let suffix = match category {
                    PluralCategory::One => "ci",
                    PluralCategory::Few => "cü",
                    PluralCategory::Many => "cı",
                    _ => "cu",
                };
                format!("{n}-{suffix}")
            }
            _ => {
                let suffix = match category {
                    PluralCategory::One => "st",
                    PluralCategory::Two => "nd",
                    PluralCategory::Few => "rd",
                    _ => "th",
                };
                format!("{n}{suffix}")
            }
        }
    }

    /// A rank in a ranked phrase: "4th-largest trading partner",
    /// "4-cü ən böyük ticarət tərəfdaşı", "第4大贸易伙伴".
    pub fn ranked(&self, n: u32, label: &str) -> String {
        match self.tag {
            "zh" => format!("{}{label}", self.ordinal(n)),
            "az" => format!("{}{NBSP}{label}", self.ordinal(n)),
            _ => format!("{}-{label}", self.ordinal(n)),
        }
    }

    /// The power of ten the language names for a number written in `scale`
    /// with `magnitude` (the power of ten of its first digit): English and
    /// Azerbaijani keep the author's thousand, million, billion; Chinese
    /// counts in 万 (10⁴) and 亿 (10⁸).
    pub fn exponent(&self, scale: Scale, magnitude: i16, long: bool) -> u8 {
        let f = self.cldr.compact(long);
        let own = scale.exponent();
        if f.compact_exponent_for_magnitude(own as i16) == own {
            own
        } else {
            f.compact_exponent_for_magnitude(magnitude.max(0))
        }
    }

    /// `digits` (a plain decimal in units of 10^`exponent`) with the
    /// language's scale word: "2.57 billion", "2.57B", "25.7亿". Spaces
    /// inside are no-break spaces.
    pub fn compact(&self, digits: &str, exponent: u8, long: bool) -> String {
        let f = self.cldr.compact(long);
        let Ok(d) = Decimal::from_str(digits) else {
            return digits.to_string();
        };
        let text = match f.format_with_exponent(&d, exponent) {
            Ok(w) => w.to_string(),
            // A number below the scale's own magnitude ("0.6 million"):
            // the scale's word, taken from 1 × 10^exponent, after it.
            Err(_) => {
                let one = f
                    .format_with_exponent(&Decimal::from(1), exponent)
                    .map(|w| w.to_string())
                    .unwrap_or_default();
                let word = one.replacen('1', "", 1);
                format!("{}{}", self.digits(digits), word)
            }
        };
        text.replace([' ', '\u{202f}'], "\u{a0}")
    }

    /// The bare scale word or symbol of 10^`exponent`: "billion", "B", "亿".
    pub fn scale_word(&self, exponent: u8, long: bool) -> String {
        self.compact("1", exponent, long)
            .replacen('1', "", 1)
            .trim_matches(NBSP)
            .to_string()
    }
}

/// The last word of `n` said in Azerbaijani: whether its last vowel is a
/// front one (e, ə, i, ö, ü), and whether it ends in a vowel. bir, iki, üç,
/// dörd, beş, altı, yeddi, səkkiz, doqquz; on, iyirmi, otuz, qırx, əlli,
/// altmış, yetmiş, səksən, doxsan; yüz, min, milyon, milyard.
fn az_last_word(n: u64) -> (bool, bool) {
    const UNITS_FRONT: [bool; 9] = [true, true, true, true, true, false, true, true, false];
    const TENS_FRONT: [bool; 9] = [false, true, false, false, true, false, true, true, false];
    let (units, tens) = ((n % 10) as usize, (n % 100 / 10) as usize);
    if units != 0 {
        (UNITS_FRONT[units - 1], matches!(units, 2 | 6 | 7))
    } else if tens != 0 {
        (TENS_FRONT[tens - 1], matches!(tens, 2 | 5))
    } else if n == 0 {
        // sıfır
        (false, false)
    } else {
        // yüz and min are front; milyon and milyard back.
        (!n.is_multiple_of(1_000_000), false)
    }
}

impl Cldr {
    fn new(tag: &str) -> Cldr {
        let locale = IcuLocale::from_str(tag).unwrap_or(IcuLocale::UNKNOWN);
        Cldr {
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default()).expect(DATA),
            locale,
            long: OnceLock::new(),
            short: OnceLock::new(),
            percent: OnceLock::new(),
            cardinal: OnceLock::new(),
            ordinal: OnceLock::new(),
            date: OnceLock::new(),
            and_list: OnceLock::new(),
            month_year: OnceLock::new(),
        }
    }

    fn compact(&self, long: bool) -> &CompactDecimalFormatter {
        let l = &self.locale;
        if long {
            self.long.get_or_init(|| {
                CompactDecimalFormatter::try_new_long(l.into(), Default::default()).expect(DATA)
            })
        } else {
            self.short.get_or_init(|| {
                CompactDecimalFormatter::try_new_short(l.into(), Default::default()).expect(DATA)
            })
        }
    }

    fn percent(&self) -> &PercentFormatter<DecimalFormatter> {
        self.percent.get_or_init(|| {
            PercentFormatter::try_new((&self.locale).into(), Default::default()).expect(DATA)
        })
    }

    fn cardinal(&self) -> &PluralRules {
        self.cardinal
            .get_or_init(|| PluralRules::try_new_cardinal((&self.locale).into()).expect(DATA))
    }

    fn ordinal(&self) -> &PluralRules {
        self.ordinal
            .get_or_init(|| PluralRules::try_new_ordinal((&self.locale).into()).expect(DATA))
    }

    fn and_list(&self) -> &ListFormatter {
        self.and_list.get_or_init(|| {
            ListFormatter::try_new_and((&self.locale).into(), ListFormatterOptions::default())
                .expect(DATA)
        })
    }

    fn month_year(&self) -> &DateTimeFormatter<YM> {
        self.month_year.get_or_init(|| {
            DateTimeFormatter::try_new((&self.locale).into(), YM::long()).expect(DATA)
        })
    }

    fn date(&self) -> &DateTimeFormatter<YMD> {
        self.date.get_or_init(|| {
            DateTimeFormatter::try_new((&self.locale).into(), YMD::long()).expect(DATA)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_come_from_cldr() {
        let (en, az, zh) = (
            Locale::en(),
            Locale::for_language("az"),
            Locale::for_language("zh-Hans"),
        );
        assert_eq!((en.decimal, en.group), ('.', ','));
        assert_eq!((az.decimal, az.group), (',', '.'));
        assert_eq!((zh.decimal, zh.group), ('.', ','));
        assert_eq!(az.digits("1234567.89"), "1.234.567,89");
        assert_eq!(Locale::for_language("fr").tag, "en");
    }

    #[test]
    fn azerbaijani_over_and_under_follow_the_number_in_the_ablative() {
        let az = Locale::for_language("az");
        let nb = |s: &str| s.replace(' ', "\u{a0}");
        for (number, over) in [
            ("50%", "50%-dən çox"),
            ("5 gün", "5 gündən çox"),
            ("$2,57 milyard", "$2,57 milyarddan çox"),
            ("1,1 milyon ton", "1,1 milyon tondan çox"),
            ("30", "30-dan çox"),
            ("26", "26-dan çox"),
            ("2.000", "2.000-dən çox"),
            ("18–23 gün", "18–23 gündən çox"),
        ] {
            assert_eq!(az.qualified(0, &nb(number)), nb(over), "{number}");
        }
        assert_eq!(az.qualified(1, "50%"), nb("50%-dən az"));
        // Not a word or a number: the symbol.
        assert_eq!(az.qualified(0, "2,5×"), nb("> 2,5×"));
        // Dative: a buffer `y` after a number said ending in a vowel.
        assert_eq!(az.az_case("2020", "a", "ə").unwrap(), "2020-yə");
        assert_eq!(az.az_case("2026", "a", "ə").unwrap(), "2026-ya");
        assert_eq!(az.az_case("2030", "a", "ə").unwrap(), "2030-a");
        assert_eq!(az.az_case("2024", "a", "ə").unwrap(), "2024-ə");
        // The other languages keep the word before the number.
        assert_eq!(Locale::en().qualified(0, "50%"), nb("over 50%"));
        assert_eq!(Locale::for_language("zh").qualified(1, "50%"), "不到50%");
    }

    #[test]
    fn lists_and_brackets_are_the_languages_own() {
        let (en, az, zh) = (
            Locale::en(),
            Locale::for_language("az"),
            Locale::for_language("zh"),
        );
        let three = ["2021", "2022", "2023"];
        assert_eq!(en.and_list(&three), "2021, 2022, and 2023");
        assert_eq!(az.and_list(&three), "2021, 2022 və 2023");
        assert_eq!(zh.and_list(&three), "2021、2022和2023");
        assert_eq!(en.and_list(&three[..2]), "2021 and 2022");
        assert_eq!(en.and_list(&three[..1]), "2021");
        // Pinned above, and checked against ICU4X's own list formatter.
        let icu = |tag: &str| {
            let l = IcuLocale::from_str(tag).unwrap();
            ListFormatter::try_new_and((&l).into(), ListFormatterOptions::default())
                .unwrap()
                .format_to_string(three.iter())
        };
        assert_eq!(zh.and_list(&three), icu("zh"));
        assert_eq!(az.and_list(&three), icu("az"));
        assert_eq!(en.implied_note(), " (implied)");
        assert_eq!(zh.implied_note(), "（推算）");
        assert_eq!(az.bracketed("Mt"), " (Mt)");
    }

    #[test]
    fn scale_words_are_the_languages_own() {
        let (en, az, zh) = (
            Locale::en(),
            Locale::for_language("az"),
            Locale::for_language("zh"),
        );
        assert_eq!(en.compact("2.57", 9, true), "2.57\u{a0}billion");
        assert_eq!(en.compact("2.57", 9, false), "2.57B");
        assert_eq!(az.compact("2.57", 9, true), "2,57\u{a0}milyard");
        assert_eq!(az.compact("1.1", 6, false), "1,1\u{a0}mln");
        // Chinese counts in 万 and 亿: 2.57 billion is 25.7亿.
        assert_eq!(zh.exponent(Scale::Billion, 9, true), 8);
        assert_eq!(zh.compact("25.7", 8, true), "25.7亿");
        assert_eq!(zh.exponent(Scale::Million, 6, true), 4);
        assert_eq!(zh.compact("110", 4, true), "110万");
        // Below the scale's own magnitude, the author's scale stays.
        assert_eq!(en.exponent(Scale::Million, 5, true), 6);
        assert_eq!(en.compact("0.6", 6, true), "0.6\u{a0}million");
        assert_eq!(en.scale_word(9, false), "B");
        assert_eq!(zh.scale_word(8, true), "亿");
    }

    #[test]
    fn percent_plural_and_ordinals_follow_cldr() {
        let (en, az, zh) = (
            Locale::en(),
            Locale::for_language("az"),
            Locale::for_language("zh"),
        );
        assert_eq!(en.percent("47.5"), "47.5%");
        assert_eq!(az.percent("47.5"), "47,5%");
        assert_eq!(zh.percent("47.5"), "47.5%");
        assert!(en.is_singular("1") && !en.is_singular("1.0") && !en.is_singular("2"));
        assert!(!zh.is_singular("1"));
        let ords: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101]
            .map(|n| en.ordinal(n))
            .into();
        assert_eq!(
            ords,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"
            ]
        );
        let az_ords: Vec<String> = [1, 3, 4, 6, 9, 10, 40, 100].map(|n| az.ordinal(n)).into();
        assert_eq!(
            az_ords,
            [
                "1-ci", "3-cü", "4-cü", "6-cı", "9-cu", "10-cu", "40-cı", "100-cü"
            ]
        );
        assert_eq!(zh.ranked(4, "大贸易伙伴"), "第4大贸易伙伴");
    }
}
