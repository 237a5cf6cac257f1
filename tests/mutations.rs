//! One mistake per copy: the mutation suite of the error messages.
//!
//! Each case copies the ferry briefing (`tests/fixtures/valid/ferry-briefing`,
//! written from the README alone), makes one mistake an analyst makes, and
//! builds it with the real binary over a previous good build. The first
//! error printed must name the mistake (its words and its file), every
//! error must be located, the exit code must be 1 and the previous output
//! must be left as it was. At least 95 % of the cases must name the mistake
//! first; every case that does not is printed.

use std::fs;

mod common;
use common::{build, copy_tree, repo, tree};

/// (name, file, text to replace, replacement, words the first error must
/// contain).
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "reference to a misspelt chart",
        "content/ports.md",
        "{{ ref(id=\"cargo\") }}",
        "{{ ref(id=\"cargoes\") }}",
        "unknown chart `cargoes`",
    ),
    (
        "reference with two ids",
        "content/ports.md",
        "{{ ref(table=\"ports\") }}",
        "{{ ref(table=\"ports\", chart=\"cargo\") }}",
        "`ref` takes one of `id`, `chart` or `table`",
    ),
    (
        "quoted number",
        "content/data.toml",
        "value = 7.2",
        "value = \"7.2\"",
        "`value` is not a number",
    ),
    (
        "decimal comma",
        "content/data.toml",
        "value = 7.2",
        "value = 7,2",
        "is not a number as TOML writes numbers",
    ),
    (
        "thousands separator",
        "content/data.toml",
        "value = 25",
        "value = 25,000,000",
        "is not a number as TOML writes numbers",
    ),
    (
        "text without quotes",
        "content/data.toml",
        "label = \"Time of a ferry crossing\"",
        "label = Time of a ferry crossing",
        "has no quotes",
    ),
    (
        "curly quotes in data",
        "content/data.toml",
        "source = \"port_report\"\n\n[figures.alat_cargo_2022]",
        "source = “port_report”\n\n[figures.alat_cargo_2022]",
        "curly quotes",
    ),
    (
        "unknown unit",
        "content/data.toml",
        "unit = \"hours\"",
        "unit = \"hour\"",
        "unknown unit `hour`",
    ),
    (
        "scale in the unit",
        "content/data.toml",
        "unit = \"hours\"",
        "unit = \"hours million\"",
        "unknown unit `hours million`",
    ),
    (
        "unknown scale",
        "content/data.toml",
        "scale = \"million\"",
        "scale = \"millions\"",
        "unknown scale `millions`",
    ),
    (
        "unknown source",
        "content/data.toml",
        "source = \"port_report\"",
        "source = \"port_reports\"",
        "unknown source `port_reports`",
    ),
    (
        "missing source",
        "content/data.toml",
        "unit = \"hours\"\nperiod = \"2023\"\nsource = \"port_report\"",
        "unit = \"hours\"\nperiod = \"2023\"",
        "has no source",
    ),
    (
        "range going down",
        "content/data.toml",
        "low = 12",
        "low = 16",
        "goes down",
    ),
    (
        "value and rank",
        "content/data.toml",
        "rank = 1",
        "rank = 1\nvalue = 3",
        "mixes kinds of value",
    ),
    (
        "rank without ranked",
        "content/data.toml",
        "ranked = \"largest Caspian port by cargo\"\n",
        "",
        "says what is ranked nowhere",
    ),
    (
        "computed from itself",
        "content/data.toml",
        "growth = [\"alat_cargo_2022\"",
        "growth = [\"alat_growth\"",
        "computed from itself",
    ),
    (
        "relation input unknown",
        "content/data.toml",
        "growth = [\"alat_cargo_2022\"",
        "growth = [\"alat_cargo_2021\"",
        "unknown figure `alat_cargo_2021`",
    ),
    (
        "unknown status",
        "content/data.toml",
        "status = \"target\"",
        "status = \"targeted\"",
        "unknown status `targeted`",
    ),
    (
        "unknown qualifier",
        "content/data.toml",
        "status = \"target\"",
        "status = \"target\"\nqualifier = \"aboot\"",
        "unknown qualifier `aboot`",
    ),
    (
        "misspelled key in a figure",
        "content/data.toml",
        "period = \"by 2030\"",
        "perod = \"by 2030\"",
        "unknown field `perod`",
    ),
    (
        "missing label",
        "content/data.toml",
        "label = \"Time of a ferry crossing\"\n",
        "",
        "missing field `label`",
    ),
    (
        "chart kind",
        "content/data.toml",
        "kind = \"bar\"",
        "kind = \"bars\"",
        "unknown chart kind `bars`",
    ),
    (
        "chart figure unknown",
        "content/data.toml",
        "figures = [\"alat_cargo_2022\", \"alat_cargo_2023\"]\nlabels",
        "figures = [\"alat_cargo_2022\", \"alat_cargo_2024\"]\nlabels",
        "unknown figure `alat_cargo_2024`",
    ),
    (
        "chart labels count",
        "content/data.toml",
        "labels = [\"2022\", \"2023\"]",
        "labels = [\"2022\"]",
        "has 1 labels for 2 figures",
    ),
    (
        "table figure unknown",
        "content/data.toml",
        "figures = [\"alat_cargo_2022\", \"alat_cargo_2023\", \"alat_growth\"",
        "figures = [\"alat_cargo_2022\", \"alat_cargo_2023\", \"alat_grwth\"",
        "unknown figure `alat_grwth`",
    ),
    (
        "key figure unknown",
        "content/data.toml",
        "key_figures = [\"alat_cargo_2023\"",
        "key_figures = [\"alat_cargo_2033\"",
        "unknown figure `alat_cargo_2033`",
    ),
    (
        "duplicate figure",
        "content/data.toml",
        "[figures.alat_rank]",
        "[figures.crossing_time]",
        "duplicate key",
    ),
    (
        "unclosed table header",
        "content/data.toml",
        "[tables.ports]",
        "[tables.ports",
        "unclosed table",
    ),
    (
        "table in a chart unknown",
        "content/data.toml",
        "table = \"ports\"",
        "table = \"port\"",
        "unknown table `port`",
    ),
    (
        "shortcode figure of another year",
        "content/ports.md",
        "fig(id=\"alat_cargo_2023\") }}",
        "fig(id=\"alat_cargo_2032\") }}",
        "unknown figure `alat_cargo_2032`",
    ),
    (
        "shortcode name",
        "content/ports.md",
        "{{ fig(id=\"crossing_time\") }}",
        "{{ figure(id=\"crossing_time\") }}",
        "unknown shortcode `figure`",
    ),
    (
        "curly quotes in a shortcode",
        "content/ports.md",
        "fig(id=\"crossing_time\")",
        "fig(id=“crossing_time”)",
        "curly quotes in a shortcode",
    ),
    (
        "shortcode chart unknown",
        "content/ports.md",
        "chart(id=\"cargo\")",
        "chart(id=\"cargos\")",
        "unknown chart `cargos`",
    ),
    (
        "shortcode table unknown",
        "content/ports.md",
        "table(id=\"ports\")",
        "table(id=\"port\")",
        "unknown table `port`",
    ),
    (
        "show typo",
        "content/ports.md",
        "show=\"period\"",
        "show=\"periods\"",
        "unknown `show=\"periods\"`",
    ),
    (
        "shortcode unclosed",
        "content/ports.md",
        "{{ table(id=\"ports\") }}",
        "{{ table(id=\"ports\") }",
        "shortcode",
    ),
    (
        "front matter key typo",
        "content/ports.md",
        "weight = 1",
        "wieght = 1",
        "unknown field `wieght`",
    ),
    (
        "front matter title unquoted",
        "content/ports.md",
        "title = \"Ports\"",
        "title = Ports",
        "has no quotes",
    ),
    (
        "front matter weight as text",
        "content/ports.md",
        "weight = 1",
        "weight = \"first\"",
        "weight",
    ),
    (
        "front matter bad date",
        "content/_index.md",
        "date = 2024-03-01",
        "date = 2024-13-01",
        "date",
    ),
    (
        "front matter fence missing",
        "content/ports.md",
        "weight = 1\n+++",
        "weight = 1\n++",
        "front matter",
    ),
    (
        "home title missing",
        "content/_index.md",
        "title = \"Caspian ferries: a small briefing for tests\"\n",
        "",
        "no title",
    ),
    (
        "broken page link",
        "content/ports.md",
        "[sources](sources.md)",
        "[sources](source.md)",
        "broken link: `source.md`",
    ),
    (
        "script link",
        "content/ports.md",
        "[sources](sources.md)",
        "[sources](javascript:alert(1))",
        "`javascript:` URL",
    ),
    (
        "template missing",
        "content/sources.md",
        "template = \"sources.html\"",
        "template = \"source.html\"",
        "source.html",
    ),
    (
        "path climbing out",
        "content/ports.md",
        "weight = 1",
        "weight = 1\npath = \"../../x\"",
        "path",
    ),
    (
        "unknown sort",
        "content/_index.md",
        "date = 2024-03-01",
        "date = 2024-03-01\nsort_by = \"size\"",
        "size",
    ),
    (
        "draft as text",
        "content/ports.md",
        "weight = 1",
        "weight = 1\ndraft = \"yes\"",
        "draft",
    ),
    (
        "template if left open",
        "templates/partials/footer.html",
        "{% endif %}",
        "",
        "`{% if %}` is never closed",
    ),
    (
        "template filter misspelled",
        "templates/partials/footer.html",
        "| upper",
        "| uppercase",
        "Unknown filter `uppercase`",
    ),
    (
        "template variable misspelled",
        "templates/partials/footer.html",
        "config.title",
        "config.titel",
        "`config.titel` is not defined",
    ),
    (
        "template anchor misspelled",
        "templates/partials/footer.html",
        "{% endif %}</p>",
        "{% endif %} <a href=\"{{ get_url(path=\"@/ports.md#crosings\") }}\">Crossings</a></p>",
        "broken anchor: `#crosings`",
    ),
    (
        "markdown anchor misspelled",
        "content/ports.md",
        "[sources](sources.md)",
        "[sources](sources.md) and [crossings](#crosings)",
        "broken anchor: `#crosings`",
    ),
    (
        "unit at odds with a relation's other input",
        "content/data.toml",
        "value = 6.1\nunit = \"t\"",
        "value = 6.1\nunit = \"km\"",
        "cannot be combined: `alat_cargo_2022` is in km but `alat_cargo_2023` is in t",
    ),
];

/// The first error's message line and its location line.
fn first_error(stderr: &str) -> (String, String) {
    let mut lines = stderr.lines();
    let message = lines
        .by_ref()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default()
        .to_string();
    let location = lines.next().unwrap_or_default().trim().to_string();
    (message, location)
}

#[test]
fn the_first_error_names_the_mistake() {
    let fixture = repo().join("tests/fixtures/valid/ferry-briefing/in");
    let tmp = tempfile::tempdir().unwrap();
    let mut missed = Vec::new();
    let mut several = Vec::new();
    for (name, file, from, to, words) in CASES {
        let site = tmp.path().join("site");
        let out = tmp.path().join("public");
        let _ = fs::remove_dir_all(&site);
        copy_tree(&fixture, &site);
        if !out.exists() {
            assert!(build(&site, &out).status.success(), "the fixture builds");
        }
        let before = tree(&out);
        let path = site.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name}: `{from}` is not in {file}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let o = build(&site, &out);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{name}: {stderr}");
        assert!(tree(&out) == before, "{name}: the previous output changed");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let (message, location) = first_error(&stderr);
        let named = message.contains(words) && location.contains(file);
        if !named {
            missed.push(format!(
                "{name}:\n  wanted `{words}` at {file}\n  got {message}\n      {location}"
            ));
        }
        // Every error names a place.
        let errors =
            stderr.matches("\nerror: ").count() + usize::from(stderr.starts_with("error: "));
        let located = stderr.matches("--> ").count();
        assert!(
            located + 1 >= errors,
            "{name}: an error without a location:\n{stderr}"
        );
        // One mistake, one error (the summary line is not one).
        if errors > 2 {
            several.push(format!("{name}: {} errors", errors - 1));
        }
    }
    let named = CASES.len() - missed.len();
    eprintln!(
        "first error names the mistake in {named} of {} cases",
        CASES.len()
    );
    eprintln!(
        "one error for one mistake in {} of {} cases; more in: {}",
        CASES.len() - several.len(),
        CASES.len(),
        several.join("; ")
    );
    assert!(
        several.len() * 10 <= CASES.len(),
        "more than one error in {} cases: {}",
        several.len(),
        several.join("; ")
    );
    assert!(
        named * 100 >= CASES.len() * 95,
        "{named} of {} cases name the mistake first:\n{}",
        CASES.len(),
        missed.join("\n")
    );
}
