//! Links the `briefing` executable at a fixed address on Linux (`-no-pie`).
//!
//! Typst's static tables (the PDF edition) hold about 130,000 pointers. In a
//! position-independent executable the loader relocates every one of them at
//! each start, touching megabytes of pages: 2 ms of every run, which at 10
//! pages is half the build. Linked at a fixed address they are resolved
//! when linking. Shared libraries, the heap and the stack are still placed
//! at random; only the executable's own code is not (README, Trust model).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
