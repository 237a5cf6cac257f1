//! The front matter splitter and its typed parse never panic, and the parts
//! they return are slices of the file.
#![no_main]

use std::sync::Arc;

use briefing::frontmatter::{self, PageFront};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let text: Arc<str> = Arc::from(text);
    if let Ok(split) = frontmatter::split("content/f.md", &text) {
        assert!(text.get(split.body.clone()).is_some());
        if let Some(front) = &split.front {
            assert!(text.get(front.clone()).is_some());
        }
        let _ = frontmatter::parse::<PageFront>("content/f.md", &text, split.front);
    }
});
