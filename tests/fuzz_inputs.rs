//! A bounded fuzz of every kind of input, run by `cargo test`.
//!
//! The libFuzzer targets in `tests/fuzz/` search for hours; this runs the
//! same idea for a few seconds on every test run, so a crash found once
//! stays found. For each input kind (a Markdown page, its front matter, the
//! data file, a template) it takes seeds (the ferry briefing's file and the
//! kind's corpus under `tests/fuzz/corpus/`), makes deterministic random
//! mutations of them (bytes flipped, cut, repeated, spliced, and the
//! tokens that have crashed parsers before: `{{`, `{%`, `+++`, `>` runs,
//! nested tags, control characters), puts each into a copy of the ferry
//! briefing and runs `check` and a build without the PDF in process. Each
//! run must return (no panic), and every error must be located in a file.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

mod common;
use common::{copy_tree, repo};

/// Mutations tried per input kind on each test run.
const RUNS_PER_KIND: usize = 150;

/// Every this many runs also typesets the PDF edition (the slowest stage,
/// and the one that overflowed its stack on deep nesting).
const PDF_EVERY: usize = 30;

/// Tokens that have found crashes, or that every parser here treats
/// specially.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{%}",
    "{#",
    "+++",
    "\n+++\n",
    "> > > > > > > >",
    "<div>",
    "</div>",
    "<span>",
    "<script>",
    "{{ fig(id=\"",
    "\")",
    "\"",
    "[",
    "]",
    "[[",
    "=",
    "\u{7}",
    "\u{0}",
    "\u{1b}[",
    "\u{feff}",
    "\u{202e}",
    "\r\n",
    "\\u0007",
    "{#x}",
    "[x](#)",
    "](../",
    "$",
    "%",
    "×",
    "—",
    "1e308",
    "-0",
    "NaN",
    "9999999999999999999999",
    "value = ",
    "growth = [",
    "[figures.",
    "漢字",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four random edits of `seed`, sometimes spliced with `other`.
fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut text = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(text.len() + 1);
        match rng.below(6) {
            0 if !text.is_empty() => {
                let i = rng.below(text.len());
                text[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + rng.below(64)).min(text.len());
                text.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(32)).min(text.len());
                let piece = text[at..end].to_vec();
                for _ in 0..rng.below(200) {
                    text.splice(at..at, piece.iter().copied());
                }
            }
            3 => {
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(256)).min(other.len());
                text.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let times = if rng.below(8) == 0 {
                    1 + rng.below(3000)
                } else {
                    1
                };
                for _ in 0..times {
                    text.splice(at..at, token.iter().copied());
                }
            }
        }
    }
    text
}

/// The seeds of a kind: `first`, then the kind's corpus files (at most 40
/// of libFuzzer's, named by their hash, and every regression input, named
/// for the crash it pins).
fn seeds(first: Vec<Vec<u8>>, corpus: &str) -> Vec<Seed> {
    let mut seeds: Vec<Seed> = first.into_iter().map(|b| (b, true)).collect();
    let dir = repo().join("tests/fuzz/corpus").join(corpus);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    paths.sort();
    let hashed = |p: &std::path::PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.len() == 40 && n.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let (found, named): (Vec<_>, Vec<_>) = paths.into_iter().partition(hashed);
    seeds.extend(named.iter().map(|p| (fs::read(p).unwrap(), true)));
    seeds.extend(found.iter().take(40).map(|p| (fs::read(p).unwrap(), false)));
    seeds
}

/// A seed, and whether to typeset its PDF when it is replayed.
type Seed = (Vec<u8>, bool);

/// Runs check and a build of `site` in process (and typesets its PDF, with
/// `pdf`); panics with `what` and the input if any of them panics or
/// reports an error without a place.
fn run_on(site: &Path, what: &str, input: &[u8], pdf: bool) {
    let out = site.join("public");
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let checked = briefing::check(&briefing::CheckOptions {
            root: site.to_path_buf(),
            drafts: false,
            strict: false,
            external: false,
        })
        .err();
        let built = briefing::build(&briefing::BuildOptions {
            root: site.to_path_buf(),
            output: out.clone(),
            base_url: None,
            drafts: false,
            strict: false,
            pdf: false,
            spill_above: usize::MAX,
            verbose: false,
            delete_existing_output: false,
        })
        .err();
        let typeset = pdf
            .then(|| briefing::pdf_bytes(site, &Default::default(), None).err())
            .flatten();
        [checked, built, typeset]
    }));
    let shown = String::from_utf8_lossy(&input[..input.len().min(2000)]).into_owned();
    let errors = outcome.unwrap_or_else(|_| panic!("{what} panicked on:\n{shown}"));
    for error in errors.into_iter().flatten() {
        if let briefing::Error::Input(d) = &error {
            for d in &d.0 {
                assert!(
                    d.location.is_some(),
                    "{what}: an error without a place: {}\non:\n{shown}",
                    d.render(false)
                );
            }
        }
    }
}

/// Fuzzes the file `file` of a ferry briefing copy, from `seeds`.
fn fuzz(file: &str, seeds: &[Seed], seed: u64) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(
        &repo().join("tests/fixtures/valid/ferry-briefing/in"),
        &site,
    );
    let target = site.join(file);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    // The corpus as it is first: every input that crashed once.
    for (i, (input, pdf)) in seeds.iter().enumerate() {
        fs::write(&target, input).unwrap();
        run_on(&site, &format!("{file} (seed {i})"), input, *pdf);
    }
    // Large seeds are replayed only: mutating them costs seconds a run in
    // a debug build and finds nothing the small ones do not.
    let parents: Vec<&[u8]> = seeds
        .iter()
        .map(|(bytes, _)| bytes.as_slice())
        .filter(|bytes| bytes.len() <= 16 * 1024)
        .collect();
    let mut rng = Rng(seed);
    for run in 0..RUNS_PER_KIND {
        let first = parents[rng.below(parents.len())];
        let other = parents[rng.below(parents.len())];
        let input = mutate(&mut rng, first, other);
        fs::write(&target, &input).unwrap();
        let what = format!("{file} (run {run})");
        run_on(&site, &what, &input, run % PDF_EVERY == 0);
    }
}

/// The ferry briefing's `file`, and the example's `example` file.
fn ferry(file: &str, example: &str) -> Vec<Vec<u8>> {
    let ferry = repo()
        .join("tests/fixtures/valid/ferry-briefing/in")
        .join(file);
    vec![
        fs::read(ferry).unwrap(),
        fs::read(repo().join(example)).unwrap(),
    ]
}

#[test]
fn fuzzed_markdown_pages_never_crash_and_every_error_is_located() {
    fuzz(
        "content/ports.md",
        &seeds(ferry("content/ports.md", "content/trade.md"), "markdown"),
        0x9e37_79b9,
    );
}

#[test]
fn fuzzed_front_matter_never_crashes_and_every_error_is_located() {
    fuzz(
        "content/_index.md",
        &seeds(
            ferry("content/_index.md", "content/_index.md"),
            "frontmatter",
        ),
        0x85eb_ca6b,
    );
}

#[test]
fn fuzzed_data_files_never_crash_and_every_error_is_located() {
    fuzz(
        "content/data.toml",
        &seeds(ferry("content/data.toml", "content/data.toml"), "data_file"),
        0xc2b2_ae35,
    );
}

#[test]
fn fuzzed_templates_never_crash_and_every_error_is_located() {
    let theme = repo().join("src/theme/templates");
    let ours = ["page.html", "base.html", "index.html", "section.html"];
    let ours = ours
        .iter()
        .map(|t| fs::read(theme.join(t)).unwrap())
        .collect();
    fuzz("templates/page.html", &seeds(ours, "template"), 0x27d4_eb2f);
}
