//! The floor a build cannot beat: read every Markdown file of a corpus, render
//! it with pulldown-cmark on all cores, and write one HTML file per page. No
//! front matter parsing, no templates, no checks. `floor ROOT OUT`.
//! It enables the same pulldown-cmark extensions as briefing.

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor ROOT OUT");
        std::process::exit(2);
    };
    let content = Path::new(&root).join("content");
    let out = PathBuf::from(out);
    let _ = fs::remove_dir_all(&out);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    // The same Markdown extensions as briefing, so that both parse the same.
    let options: Options = briefing::markdown::options();
    files.par_iter().for_each(|path| {
        let text = fs::read_to_string(path).expect("readable corpus");
        let body = match text.strip_prefix("+++") {
            Some(rest) => rest.split_once("\n+++").map_or(rest, |(_, b)| b),
            None => &text,
        };
        let mut html_out = String::with_capacity(body.len() * 3 / 2);
        html::push_html(&mut html_out, Parser::new_ext(body, options));
        let rel = path
            .strip_prefix(&content)
            .expect("under content")
            .with_extension("");
        let dir = out.join(rel);
        fs::create_dir_all(&dir).expect("writable output");
        fs::write(dir.join("index.html"), html_out).expect("writable output");
    });
    println!("floor: {} files", files.len());
}
