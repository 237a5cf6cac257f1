//! Whether the process may be given 2 MiB pages for its memory.
//!
//! The allocator asks for transparent huge pages, which make a build's first
//! touches of fresh memory cheaper (one fault for 2 MiB instead of 512; a
//! 10,000-page build took 0.88 to 1.01 times as long in six alternating
//! runs) but round what is resident up to them (11 MiB more). So they are
//! used only where they pay: the binary starts with them off, and a
//! briefing's size decides, once its first files are read
//! ([`fit`]). A small briefing keeps its small memory; a briefing large
//! enough that its text and bodies are kept out of memory is bounded by
//! memory, not by faults, and keeps them off. The kernel honours the
//! setting at every later fault.

/// From this much Markdown (some 6,000 pages of the benchmark's corpus)
/// up to the size at which texts are kept out of memory, huge pages are
/// used.
pub const FROM_MARKDOWN_BYTES: usize = 16 << 20;

/// Asks the kernel for small pages only from now on. Failing is harmless
/// (the build is the same, only its memory differs), so it is not reported.
pub fn leave_off() {
    set(false);
}

/// Huge pages for a briefing of about `markdown_bytes` of Markdown, whose
/// texts are kept out of memory above `kept_out_above` bytes.
pub fn fit(markdown_bytes: usize, kept_out_above: usize) {
    set((FROM_MARKDOWN_BYTES..=kept_out_above).contains(&markdown_bytes));
}

fn set(allowed: bool) {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(!allowed);
    #[cfg(not(target_os = "linux"))]
    let _ = allowed;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn disabled() -> bool {
        rustix::thread::transparent_huge_pages_are_disabled().unwrap()
    }

    #[test]
    fn the_briefing_size_decides_and_the_kernel_sees_it() {
        // In a thread of its own: the flag is the process's, and no other
        // test looks at it.
        std::thread::spawn(|| {
            leave_off();
            assert!(disabled());
            fit(FROM_MARKDOWN_BYTES, 64 << 20);
            assert!(!disabled());
            fit(FROM_MARKDOWN_BYTES - 1, 64 << 20);
            assert!(disabled(), "a small briefing keeps small pages");
            fit(65 << 20, 64 << 20);
            assert!(
                disabled(),
                "a briefing kept out of memory keeps small pages"
            );
        })
        .join()
        .unwrap();
    }
}
