//! The geometry of charts drawn from data nobody designed: random counts of
//! categories (1–60), label lengths (1–80 characters, Latin, Azerbaijani and
//! Chinese), signs and magnitudes (1e-6 to 1e15). Whatever the data, every
//! mark and label lies inside the view box, no two labels overlap, and no
//! label lies over a bar or a dot (except a share's percentage, which is
//! drawn inside its bar on purpose).

use proptest::prelude::*;

use super::scene::{Item, Scene};
use super::{NARROW, WIDE, draw};
use crate::figures::{Book, RawData, build};
use crate::load::SourceFile;

const WORDS: &[&str] = &[
    "Azerbaijan",
    "China",
    "trade",
    "Middle",
    "Corridor",
    "freight",
    "Ələt",
    "Bakı",
    "şəhər",
    "ğ",
    "ı",
    "中国",
    "阿塞拜疆",
    "贸易",
    "2023",
    "Q3",
    "—",
    "USD",
    "of",
    "Kazakhstan",
    "renewable",
    "capacity",
    "x",
    "Supercalifragilisticexpialidocious",
];

fn label() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..8).prop_map(|words| {
        let mut s = words.join(" ");
        while s.chars().count() > 80 {
            s.pop();
        }
        s.replace('"', "")
    })
}

/// A number as an analyst would type it: sign, 1–3 digits, up to two
/// decimals, times a power of ten from 1e-6 to 1e15, never in exponent form.
fn number() -> impl Strategy<Value = String> {
    (any::<bool>(), 1u32..1000, 0usize..3, -6i32..=15).prop_map(|(neg, digits, decimals, exp)| {
        let v = f64::from(digits) * 10f64.powi(exp);
        let d = decimals.max((-exp).max(0) as usize).min(8);
        let text = format!("{v:.d$}");
        if neg && v != 0.0 {
            format!("-{text}")
        } else {
            text
        }
    })
}

#[derive(Debug, Clone)]
struct Spec {
    kind: &'static str,
    labels: Vec<String>,
    values: Vec<Vec<String>>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let kinds = prop::sample::select(vec!["bar", "hbar", "grouped", "line", "dumbbell"]);
    (kinds, 1usize..=60).prop_flat_map(|(kind, n)| {
        // A line needs two points (one is a located error).
        let n = if kind == "line" { n.max(2) } else { n };
        let series = match kind {
            "grouped" => 3,
            "dumbbell" => 2,
            _ => 1,
        };
        (
            prop::collection::vec(label(), n),
            prop::collection::vec(prop::collection::vec(number(), n), series),
        )
            .prop_map(move |(labels, values)| Spec {
                kind,
                labels,
                values,
            })
    })
}

fn data(spec: &Spec) -> String {
    let mut t = String::from(
        "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n\n",
    );
    for (si, series) in spec.values.iter().enumerate() {
        for (i, v) in series.iter().enumerate() {
            t.push_str(&format!(
                "[figures.f{si}_{i}]\nlabel = \"{}\"\nvalue = {v}\nunit = \"t\"\nperiod = \"2023\"\nsource = \"s\"\n\n",
                spec.labels[i]
            ));
        }
    }
    let ids = |si: usize| -> Vec<String> {
        (0..spec.labels.len())
            .map(|i| format!("\"f{si}_{i}\""))
            .collect()
    };
    let labels: Vec<String> = spec.labels.iter().map(|l| format!("\"{l}\"")).collect();
    t.push_str(&format!(
        "[charts.c]\nkind = \"{}\"\ntitle = \"A chart\"\n",
        spec.kind
    ));
    match spec.kind {
        "grouped" => {
            t.push_str(&format!("labels = [{}]\n", labels.join(", ")));
            for si in 0..spec.values.len() {
                t.push_str(&format!(
                    "[[charts.c.series]]\nname = \"Series {si} with a longer name\"\nfigures = [{}]\n",
                    ids(si).join(", ")
                ));
            }
        }
        "dumbbell" => {
            for (i, l) in spec.labels.iter().enumerate() {
                t.push_str(&format!(
                    "[[charts.c.pairs]]\nlabel = \"{l}\"\nfrom = \"f0_{i}\"\nto = \"f1_{i}\"\n"
                ));
            }
        }
        _ => t.push_str(&format!(
            "figures = [{}]\nlabels = [{}]\n",
            ids(0).join(", "),
            labels.join(", ")
        )),
    }
    t
}

fn book_of(text: &str) -> Book {
    let file = SourceFile {
        path: "content/data.toml".into(),
        text: std::sync::Arc::from(text),
    };
    let raw: RawData = toml::from_str(text).expect("valid TOML");
    let (book, ds) = build(Some(&file), raw, "en");
    assert!(ds.iter().all(|d| !d.is_error()), "{ds:#?}\n{text}");
    book
}

/// Every geometric promise of a drawn chart, as a list of broken ones.
pub fn problems(scene: &Scene) -> Vec<String> {
    let mut out = Vec::new();
    for item in &scene.items {
        let b = item.bounds();
        if !b.inside(scene.width, scene.height) {
            out.push(format!(
                "outside the {}×{} view box: {item:?}",
                scene.width, scene.height
            ));
        }
    }
    let labels: Vec<_> = scene.labels().filter(|l| l.class != "c-inside").collect();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            if a.bounds().overlaps(&b.bounds(), 0.0) {
                out.push(format!("labels overlap: {:?} and {:?}", a.lines, b.lines));
            }
        }
        for mark in scene.items.iter().filter_map(Item::mark_bounds) {
            if a.bounds().overlaps(&mark, 0.0) {
                out.push(format!("label {:?} over a mark {mark:?}", a.lines));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn charts_of_any_data_keep_their_marks_and_labels_apart(spec in spec()) {
        let text = data(&spec);
        let book = book_of(&text);
        let chart = &book.charts[0];
        for width in [WIDE, NARROW] {
            let scene = draw(&book, chart, width);
            let found = problems(&scene);
            prop_assert!(found.is_empty(), "{} at {width}: {:#?}\n{text}", spec.kind, &found[..found.len().min(5)]);
            prop_assert!(scene.height.is_finite() && scene.height > 0.0);
        }
    }
}
