//! The shortcode parser never panics, and every span it reports is a slice
//! of the text.
#![no_main]

use briefing::shortcode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (found, errors) = shortcode::find(text, &[]);
    for f in &found {
        assert!(text.get(f.span()).is_some());
    }
    for e in &errors {
        assert!(text.get(e.span.clone()).is_some());
    }
});
