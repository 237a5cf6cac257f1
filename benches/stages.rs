//! Times each stage of the pipeline on a generated 1,000-page corpus:
//! `cargo bench --bench stages`. The whole-process comparison with Hugo and
//! the floor is `benches/compare.sh`.

#[path = "corpus.rs"]
#[allow(dead_code)] // the Hugo flavour is for compare.sh
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use briefing::{load, model, parse, render};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn stages(c: &mut Criterion) {
    // On tmpfs where there is one, like compare.sh, so that the disk does not
    // dominate the whole-build figure.
    let shm = std::path::Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    let root = tmp.path().join("site");
    corpus::write(corpus::Tool::Briefing, 1000, 10, &root).expect("corpus written");
    let options = model::ModelOptions::default();
    let site = || {
        let parsed = parse::parse(load::load(&root).expect("loads")).expect("parses");
        model::build(parsed, &options).expect("models")
    };

    let mut g = c.benchmark_group("stages-1000-pages");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("load", |b| {
        b.iter(|| load::load(black_box(&root)).expect("loads"))
    });
    g.bench_function("parse", |b| {
        b.iter_batched(
            || load::load(&root).expect("loads"),
            |l| parse::parse(l).expect("parses"),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("model", |b| {
        b.iter_batched(
            || parse::parse(load::load(&root).expect("loads")).expect("parses"),
            |p| model::build(p, &options).expect("models"),
            BatchSize::LargeInput,
        )
    });
    let built = site();
    g.bench_function("compile templates", |b| {
        b.iter(|| render::compile(black_box(&built)).expect("compiles"))
    });
    let templates = render::compile(&built).expect("compiles");
    g.bench_function("render (in memory)", |b| {
        b.iter(|| templates.render(black_box(&built)).expect("renders"))
    });
    let out = tmp.path().join("public");
    let build_options = briefing::BuildOptions {
        pdf: false,
        root: root.clone(),
        output: out,
        base_url: None,
        drafts: false,
        strict: false,
        spill_above: briefing::bodies::spill_threshold(),
        verbose: false,
        delete_existing_output: false,
    };
    g.bench_function("whole build", |b| {
        b.iter(|| briefing::build(black_box(&build_options)).expect("builds"))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
