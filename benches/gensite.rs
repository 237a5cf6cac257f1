//! Writes a benchmark corpus: `gensite --tool briefing|hugo --pages N [--sections S] OUT`.
//! Run it with `cargo run --release --example gensite -- …`.

#[path = "corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut tool = None;
    let mut pages = None;
    let mut sections = 10;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tool" => {
                tool = match args.next().as_deref() {
                    Some("briefing") => Some(corpus::Tool::Briefing),
                    Some("hugo") => Some(corpus::Tool::Hugo),
                    _ => None,
                }
            }
            "--pages" => pages = args.next().and_then(|v| v.parse().ok()),
            "--sections" => sections = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let (Some(tool), Some(pages), Some(out)) = (tool, pages, out) else {
        eprintln!("usage: gensite --tool briefing|hugo --pages N [--sections S] OUT");
        return ExitCode::from(2);
    };
    if sections == 0 {
        eprintln!("--sections must be at least 1");
        return ExitCode::from(2);
    }
    match corpus::write(tool, pages, sections, &out) {
        Ok(n) => {
            println!(
                "{tool:?}: {n} pages in {sections} sections -> {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gensite: {e}");
            ExitCode::FAILURE
        }
    }
}
