//! Whether the process may be given 2 MiB pages for its memory.
//!
//! The allocator asks for transparent huge pages, which make a build's first
//! touches of fresh memory cheaper (one fault for 2 MiB instead of 512, 8 %
//! of a 10,000-page build's time) but round what is resident up to them.
//! A briefing large enough that its text and bodies are kept out of memory
//! is bounded by memory, not by faults: for it they are turned off for the
//! rest of the process, which the kernel honours at every later fault.

/// Asks the kernel for small pages only from now on. Failing is harmless
/// (the build is the same, only its memory differs), so it is not reported.
pub fn leave_off() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn leaving_huge_pages_off_is_seen_by_the_kernel() {
        // In a thread of its own: the flag is the process's, and other tests
        // don't look at it.
        std::thread::spawn(|| {
            super::leave_off();
            assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
        })
        .join()
        .unwrap();
    }
}
