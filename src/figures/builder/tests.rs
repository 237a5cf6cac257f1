//! The builder's tests: derived figures, contradictions, located errors,
//! cycles and unit mismatches.

use super::*;
use crate::figures::format::Style;
use std::sync::Arc;

fn book(text: &str) -> (Book, Vec<Diagnostic>) {
    let file = SourceFile {
        path: "content/data.toml".into(),
        text: Arc::from(text),
    };
    let raw: RawData = toml::from_str(text).unwrap();
    build(Some(&file), raw, "en")
}

const SOURCE: &str =
    "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n";

fn errors(ds: &[Diagnostic]) -> Vec<String> {
    ds.iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn written_decimals_come_from_the_literal() {
    assert_eq!(written_decimals("2.57"), 2);
    assert_eq!(written_decimals("2"), 0);
    assert_eq!(written_decimals("2.50"), 2);
    // An exponent moves the point: 1.5e3 is 1500, 3e-6 is 0.000003.
    assert_eq!(written_decimals("1.5e3"), 0);
    assert_eq!(written_decimals("3e-6"), 6);
    assert_eq!(written_decimals("1.25E-1"), 3);
}

#[test]
fn derived_figures_are_computed_and_marked_implied() {
    let (b, ds) = book(&format!(
        "{SOURCE}
[figures.t23]
label = \"x\"
value = 2.57
unit = \"USD\"
scale = \"billion\"
period = \"January–October 2023\"
source = \"s\"
[figures.g]
label = \"g\"
value = 47.5
unit = \"%\"
period = \"2023\"
source = \"s\"
change = true
[figures.t22]
label = \"implied\"
period = \"January–October 2022\"
start_from_growth = [\"t23\", \"g\"]
"
    ));
    assert!(errors(&ds).is_empty(), "{ds:?}");
    let f = &b.figures[2];
    assert_eq!(f.status, Status::Derived);
    assert_eq!(
        b.format(f, Style::Prose),
        "≈\u{a0}$1.74\u{a0}billion (implied)"
    );
}

#[test]
fn a_contradiction_is_found_and_rounding_is_allowed_for() {
    // 2 Mt against 1.1 Mt, as in the article (units do not matter here).
    let data = |stated: &str| growth_data("1.1", "2", stated);
    let (b, _) = book(&data("88"));
    assert!(
        b.checks[0].consistent,
        "+88 % is possible from 2 and 1.1 with rounding"
    );
    let (b, _) = book(&data("150"));
    assert!(!b.checks[0].consistent, "+150 % is not");
    let (lo, hi) = b.checks[0].computed;
    assert!((lo.nominal - 81.818).abs() < 0.01 && lo == hi);
}

#[test]
fn wrong_inputs_are_located_errors() {
    let (_, ds) = book(&format!(
        "{SOURCE}
[figures.a]
label = \"a\"
value = \"2.57\"
unit = \"dollars\"
period = \"2023\"
source = \"nope\"
[figures.r]
label = \"r\"
low = 23
high = 18
unit = \"days\"
period = \"2023\"
source = \"s\"
[figures.x]
label = \"x\"
period = \"2023\"
growth = [\"a\", \"missing\"]
"
    ));
    let e = errors(&ds);
    assert!(
        e.iter().any(|m| m.contains("`value` is not a number")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|m| m.contains("unknown unit `dollars`")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|m| m.contains("unknown source `nope`")),
        "{e:?}"
    );
    assert!(e.iter().any(|m| m.contains("goes down")), "{e:?}");
    assert!(
        e.iter().any(|m| m.contains("unknown figure `missing`")),
        "{e:?}"
    );
    assert!(
        ds.iter()
            .all(|d| d.location.as_ref().is_some_and(|l| l.line > 1)),
        "{ds:?}"
    );
}

fn growth_data(a: &str, b: &str, stated: &str) -> String {
    format!(
        "{SOURCE}
[figures.a]
label = \"a\"
value = {a}
unit = \"t\"
period = \"2022\"
source = \"s\"
[figures.b]
label = \"b\"
value = {b}
unit = \"t\"
period = \"2023\"
source = \"s\"
[figures.g]
label = \"g\"
value = {stated}
unit = \"%\"
period = \"2023\"
source = \"s\"
growth = [\"a\", \"b\"]
"
    )
}

proptest::proptest! {
    /// A growth stated exactly as its inputs give it (rounded to any
    /// number of decimals) always passes the check.
    #[test]
    fn an_exactly_computed_value_always_passes(a in 1u32..100_000, b in 1u32..100_000, da in 0usize..3, db in 0usize..3, d in 0usize..4) {
        let a = f64::from(a) / 10f64.powi(da as i32);
        let b = f64::from(b) / 10f64.powi(db as i32);
        let (sa, sb) = (format!("{a:.da$}"), format!("{b:.db$}"));
        let exact = (sb.parse::<f64>().unwrap() / sa.parse::<f64>().unwrap() - 1.0) * 100.0;
        let stated = format!("{exact:.d$}");
        let (book, ds) = book(&growth_data(&sa, &sb, &stated));
        proptest::prop_assert!(errors(&ds).is_empty(), "{ds:?}");
        proptest::prop_assert!(book.checks[0].consistent, "{sa} → {sb} stated {stated}");
    }

    /// A value outside every value the inputs could give always fails.
    #[test]
    fn a_value_outside_the_interval_always_fails(a in 10u32..10_000, b in 10u32..10_000, beyond in 1u32..1000) {
        let (book0, _) = book(&growth_data(&a.to_string(), &b.to_string(), "0"));
        let (_, hi) = book0.checks[0].computed;
        let stated = (hi.bounds.hi + 0.5 + f64::from(beyond)).ceil();
        let (book, _) = book(&growth_data(&a.to_string(), &b.to_string(), &format!("{stated}")));
        proptest::prop_assert!(!book.checks[0].consistent, "{a} → {b} stated {stated} beyond {:?}", hi.bounds);
    }
}

#[test]
fn cycles_and_unit_mismatches() {
    let (_, ds) = book(&format!(
        "{SOURCE}
[figures.a]
label = \"a\"
period = \"2023\"
sum = [\"b\", \"c\"]
[figures.b]
label = \"b\"
period = \"2023\"
sum = [\"a\", \"c\"]
[figures.c]
label = \"c\"
value = 1
unit = \"days\"
period = \"2023\"
source = \"s\"
[figures.d]
label = \"d\"
value = 1
unit = \"GW\"
period = \"2023\"
source = \"s\"
[figures.e]
label = \"e\"
period = \"2023\"
share = [\"c\", \"d\"]
"
    ));
    let e = errors(&ds);
    assert!(
        e.iter().any(|m| m.contains("computed from each other")),
        "{e:?}"
    );
}

fn derived(inputs: &str, relation: &str) -> String {
    let (b, ds) = book(&format!(
        "{SOURCE}{inputs}[figures.d]\nlabel = \"d\"\nperiod = \"2023\"\n{relation}\n"
    ));
    assert!(errors(&ds).is_empty(), "{ds:?}");
    let f = b.figures.iter().find(|f| f.id == "d").unwrap();
    b.format(f, Style::Prose).replace('\u{a0}', " ")
}

fn input(id: &str, value: &str, unit: &str, extra: &str) -> String {
    format!(
        "[figures.{id}]\nlabel = \"{id}\"\nvalue = {value}\nunit = \"{unit}\"\nperiod = \"2023\"\nsource = \"s\"\n{extra}"
    )
}

#[test]
fn regression_a_sum_with_an_up_to_input_was_a_plain_approximation() {
    let a = input("a", "1400", "MW", "");
    let b = input("b", "1400", "MW", "qualifier = \"up to\"\n");
    assert_eq!(
        derived(&format!("{a}{b}"), "sum = [\"a\", \"b\"]"),
        "up to 2,800 MW (implied)"
    );
    // Subtracting an "up to" figure gives "at least".
    assert_eq!(
        derived(&format!("{a}{b}"), "difference = [\"a\", \"b\"]"),
        "at least 0 MW (implied)"
    );
    // Mixed directions, or a ratio: "about".
    let c = input("c", "700", "MW", "qualifier = \"over\"\n");
    assert!(derived(&format!("{b}{c}"), "sum = [\"b\", \"c\"]").starts_with("about "));
}

#[test]
fn regression_a_share_of_one_digit_inputs_showed_three_digits() {
    let part = input("p", "5", "GW", "");
    let total = input("t", "7", "GW", "");
    assert_eq!(
        derived(&format!("{part}{total}"), "share = [\"p\", \"t\"]"),
        "≈ 70% (implied)"
    );
    // Three significant figures in, three out.
    let part = input("p", "2.57", "GW", "");
    let total = input("t", "7.00", "GW", "");
    assert_eq!(
        derived(&format!("{part}{total}"), "share = [\"p\", \"t\"]"),
        "≈ 36.7% (implied)"
    );
    // Sums keep the coarsest input's last digit.
    let a = input("a", "1.25", "km", "");
    let b = input("b", "0.6", "km", "");
    assert_eq!(
        derived(&format!("{a}{b}"), "sum = [\"a\", \"b\"]"),
        "≈ 1.9 kilometres (implied)"
    );
}

fn stated(value: &str, unit: &str, style: Style) -> String {
    let (b, ds) = book(&format!("{SOURCE}{}", input("v", value, unit, "")));
    assert!(errors(&ds).is_empty(), "{ds:?}");
    b.format(&b.figures[0], style).replace('\u{a0}', " ")
}

#[test]
fn regression_large_and_exponent_values_were_written_out_in_full() {
    assert_eq!(stated("1.2e12", "USD", Style::Prose), "$1.2 trillion");
    assert_eq!(stated("2570000000", "USD", Style::Prose), "$2.57 billion");
    assert_eq!(stated("1500000", "t", Style::Short), "1.5 Mt");
    assert_eq!(stated("3e-6", "t", Style::Prose), "0.000003 tonnes");
    // Under a million, and percentages, stay as written.
    assert_eq!(stated("230000", "people", Style::Prose), "230,000 people");
    assert_eq!(stated("2.50", "%", Style::Prose), "2.50%");
}

#[test]
fn regression_one_day_was_one_days_and_decimals_lost_trailing_zeros() {
    let a = input("a", "6", "days", "");
    let b = input("b", "5", "days", "");
    let (book_, ds) = book(&format!(
        "{SOURCE}{a}{b}[figures.d]\nlabel = \"d\"\nperiod = \"2023\"\ndifference = [\"a\", \"b\"]\n"
    ));
    assert!(errors(&ds).is_empty(), "{ds:?}");
    let d = &book_.figures[2];
    assert_eq!(
        book_.format(d, Style::Short).replace('\u{a0}', " "),
        "≈ 1 day"
    );
    assert_eq!(
        book_.format(d, Style::Prose).replace('\u{a0}', " "),
        "≈ 1 day (implied)"
    );
    let from = input("from", "100", "USD", "");
    let to = input("to", "93.97", "USD", "");
    let growth = derived(
        &format!("{from}{to}"),
        "growth = [\"from\", \"to\"]\ndecimals = 1",
    );
    assert_eq!(growth, "≈ −6.0% (implied)");
}

#[test]
fn a_source_needs_no_author_or_publisher() {
    let (b, ds) = book(
        "[sources.report]\ntitle = \"Energy statistics 2023\"\ndate = 2024-01-24\n\
         [figures.a]\nlabel = \"a\"\nvalue = 1\nperiod = \"2023\"\nsource = \"report\"\n",
    );
    assert!(errors(&ds).is_empty(), "{ds:?}");
    let links = crate::figures::html::Links {
        page_dir: "",
        sources_page: None,
    };
    let cite = crate::figures::html::source_citation(&b, 0, &links);
    assert_eq!(cite, "[1] “Energy statistics 2023”, 24 January 2024");
}

#[test]
fn regression_before_2024_events_sorted_above_2023_in_the_timeline() {
    let (b, ds) = book(&format!(
        "{SOURCE}
[events.a_undated]
label = \"undated\"
period = \"before 2024\"
source = \"s\"
[events.b_dated]
label = \"dated\"
period = \"2023\"
source = \"s\"
[events.c_next]
label = \"next\"
period = \"2024\"
source = \"s\"
[events.d_early]
label = \"early\"
period = \"2022\"
source = \"s\"
"
    ));
    assert_eq!(errors(&ds), Vec::<String>::new());
    let order: Vec<&str> = b.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(order, ["d_early", "b_dated", "a_undated", "c_next"]);
}

#[test]
fn the_currency_setting_writes_every_currency_one_way() {
    let figure = input("v", "2.57", "USD", "scale = \"billion\"\n");
    for (setting, prose, short) in [
        ("", "$2.57 billion", "$2.57B"),
        (
            "[settings]\ncurrency = \"symbol\"\n",
            "$2.57 billion",
            "$2.57B",
        ),
        (
            "[settings]\ncurrency = \"code\"\n",
            "USD 2.57 billion",
            "USD 2.57B",
        ),
    ] {
        let (b, ds) = book(&format!("{setting}{SOURCE}{figure}"));
        assert!(errors(&ds).is_empty(), "{ds:?}");
        let f = &b.figures[0];
        assert_eq!(b.format(f, Style::Prose).replace('\u{a0}', " "), prose);
        assert_eq!(b.format(f, Style::Short).replace('\u{a0}', " "), short);
    }
}

#[test]
fn regression_a_multiple_of_eur_4_and_eur_6_was_shown_as_2() {
    let a = input("a", "4", "EUR", "");
    let b = input("b", "6", "EUR", "");
    let ab = format!("{a}{b}");
    assert_eq!(
        derived(&ab, "multiple = [\"a\", \"b\"]"),
        "≈ 1.5× (implied)"
    );
    let p = input("p", "7", "GW", "");
    let t = input("t", "5", "GW", "");
    let pt = format!("{p}{t}");
    assert_eq!(derived(&pt, "share = [\"p\", \"t\"]"), "≈ 140% (implied)");
    assert_eq!(
        derived(&pt, "multiple = [\"t\", \"p\"]"),
        "≈ 1.4× (implied)"
    );
}

/// Every pair of one-digit inputs, under every relation of two of them: the
/// value shown (rounded as it is written) lies among those the inputs allow.
#[test]
fn a_derived_value_of_one_digit_inputs_never_lies_outside_what_they_allow() {
    let mut outside = Vec::new();
    for relation in ["growth", "multiple", "share", "sum", "difference"] {
        for x in 1..=9 {
            for y in 1..=9 {
                let text = format!(
                    "{SOURCE}{}{}[figures.d]\nlabel = \"d\"\nperiod = \"2023\"\n{relation} = [\"a\", \"b\"]\n",
                    input("a", &x.to_string(), "GW", ""),
                    input("b", &y.to_string(), "GW", ""),
                );
                let (b, _) = book(&text);
                let f = b.figures.iter().find(|f| f.id == "d").unwrap();
                let Value::Point { num, est } = &f.value else {
                    continue;
                };
                let k = 10f64.powi(num.decimals as i32);
                let shown = (num.value * k).round() / k;
                if !est.bounds.contains(shown) {
                    outside.push(format!(
                        "{relation} {x} {y}: {shown} not in {:?}",
                        est.bounds
                    ));
                }
            }
        }
    }
    assert!(outside.is_empty(), "{outside:#?}");
}

#[test]
fn regression_growth_from_a_negative_value_was_shown_as_a_percentage() {
    for (from, to) in [("-10", "5"), ("-10", "-20")] {
        let text = format!(
            "{SOURCE}{}{}[figures.d]\nlabel = \"d\"\nperiod = \"2023\"\ngrowth = [\"a\", \"b\"]\n",
            input("a", from, "TWh", ""),
            input("b", to, "TWh", ""),
        );
        let (_, ds) = book(&text);
        let e = errors(&ds);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].contains("`a` is below zero"), "{e:#?}");
    }
    // From a positive value to a negative one is a fall of more than 100%.
    let ok = format!(
        "{}{}",
        input("a", "10", "TWh", ""),
        input("b", "-5", "TWh", "")
    );
    assert_eq!(derived(&ok, "growth = [\"a\", \"b\"]"), "≈ −150% (implied)");
}
