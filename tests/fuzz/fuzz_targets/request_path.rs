//! The mapping of request paths to files of the build never yields a path
//! that climbs out, whatever the encoding.
#![no_main]

use briefing::serve::request_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Some(p) = request_path(raw) {
        assert!(!p.split('/').any(|s| s == ".." || s == "."), "{raw:?} → {p:?}");
        assert!(!p.contains('\\') && !p.contains('\0'));
        assert!(!p.starts_with('/'));
    }
});
