//! A `content/data.toml` of any bytes, checked, built in a copy of the ferry
//! briefing: no panic, no stack overflow, and every error located.
#![no_main]

#[path = "in_a_briefing.rs"]
mod in_a_briefing;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    in_a_briefing::run("content/data.toml", bytes, false);
});
