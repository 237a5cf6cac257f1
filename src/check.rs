//! Stage 4, check: findings about the whole site that no single file shows.
//!
//! The model is complete here, so this stage can compare every output path
//! with every other: two sources that would write the same file are an error
//! that names both. Later checks (figures, links) belong here too; the stage
//! only reads the [`Site`] and returns diagnostics.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;

/// Runs every check and returns all findings, errors and warnings.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    output_collisions(site)
}

/// Two sources writing the same output path.
fn output_collisions(site: &Site) -> Vec<Diagnostic> {
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in site.entries() {
        owners.entry(e.output()).or_default().push(e.source.clone());
    }
    for a in &site.assets {
        owners
            .entry(a.output.clone())
            .or_default()
            .push(a.source.clone());
    }
    let mut diagnostics = Vec::new();
    for (output, sources) in owners {
        if sources.len() < 2 {
            continue;
        }
        let mut d = Diagnostic::error(format!(
            "`{}` and `{}` would both write `{output}`",
            sources[0], sources[1]
        ))
        .at(Location::at(sources[0].clone(), 1, 1))
        .expected("one source per output file");
        for other in &sources[1..] {
            d = d.note(
                format!("`{other}` writes it too"),
                Location::at(other.clone(), 1, 1),
            );
        }
        d = d.hint(
            "rename one of them, or give one a different `slug` or `path` in its front matter",
        );
        diagnostics.push(d);
    }
    diagnostics
}
