//! A `content/ports.md` of any bytes, checked, built and typeset in a copy of the ferry
//! briefing: no panic, no stack overflow, and every error located.
#![no_main]

#[path = "in_a_briefing.rs"]
mod in_a_briefing;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    in_a_briefing::run("content/ports.md", bytes, true);
});
