//! Where the rendered bodies of a large briefing wait for their templates:
//! a temporary file instead of memory.
//!
//! Every body must be rendered before the first page can be (a page lists
//! its neighbours' titles and word counts, and charts are numbered in
//! reading order), so a build held every page's HTML at once: at 100,000
//! pages, 447 MiB of a 790 MiB peak. When the sources are larger than a
//! build holds ([`spill_threshold`]), [`crate::model::build`] writes each
//! body here as soon as it is rendered and keeps only where it is; the
//! render stage reads it back, one page at a time. The file has no
//! name (it is unlinked at once), so nothing is left behind, not even after
//! `kill -9`, and it is outside the output folder, which only `write`
//! touches.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Hold at most this much Markdown (bytes, in all): beyond it, sources are
/// read again when their bodies are rendered
/// ([`crate::parse::parse_holding`]) and rendered bodies are spilled. 64 MiB
/// is some 19,000 pages of the benchmark's corpus; so memory stops growing
/// with the text there, and a briefing smaller than that pays nothing.
pub const HOLD_AT_MOST: usize = 64 << 20;

/// Hold less when the memory available is short: at most this share of it
/// (`1/8`: a build held about 2.3 times its sources, so it then stays under
/// about 30 % of what is free).
const SHARE_OF_AVAILABLE: u64 = 8;

/// The size of Markdown sources (bytes, in all) above which `briefing
/// build` holds no more of them and spills rendered bodies, on this machine
/// now: [`HOLD_AT_MOST`], or less if the memory available is short.
pub fn spill_threshold() -> usize {
    let available = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemAvailable:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    });
    let share = available.map_or(HOLD_AT_MOST, |kib| {
        usize::try_from(kib * 1024 / SHARE_OF_AVAILABLE).unwrap_or(usize::MAX)
    });
    share.min(HOLD_AT_MOST)
}

/// A temporary file of rendered bodies, written and read from any thread.
/// Bodies are gathered into chunks of [`CHUNK`] bytes before they are
/// written: one write per body cost more than the spilling saved. A chunk
/// is written after the lock is let go, so that the other threads keep
/// rendering meanwhile: written under it, one core of two waited for the
/// other's write a third of the time at 100,000 pages (`perf`).
#[derive(Debug)]
pub struct Spill {
    file: File,
    pending: Mutex<Pending>,
    /// Told when a chunk's write has ended.
    written: Condvar,
}

/// What is not written yet.
#[derive(Debug, Default)]
struct Pending {
    /// Bytes of the file written, or being written by a `put` that has let
    /// go of the lock.
    reserved: u64,
    /// The bodies after them, to be written next.
    buffer: Vec<u8>,
    /// Chunks being written now.
    writing: usize,
    /// Why a chunk could not be written, if one could not: its bodies can't
    /// be read back.
    failed: Option<io::ErrorKind>,
}

/// How much is gathered before a write: with two chunks in flight at once,
/// 1 MiB held 5 MiB less than 4 MiB at 100,000 pages, at the same speed.
const CHUNK: usize = 1 << 20;

/// Where one body is in a [`Spill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    offset: u64,
    len: usize,
}

impl Spill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            pending: Mutex::default(),
            written: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts `html` after the bodies before it; several threads at once
    /// each get a place of their own. A body is never split between two
    /// chunks.
    pub fn put(&self, html: &str) -> io::Result<Spilled> {
        let mut p = self.lock();
        let place = Spilled {
            offset: p.reserved + p.buffer.len() as u64,
            len: html.len(),
        };
        p.buffer.extend_from_slice(html.as_bytes());
        if p.buffer.len() < CHUNK {
            return Ok(place);
        }
        let chunk = std::mem::replace(&mut p.buffer, Vec::with_capacity(CHUNK + (CHUNK >> 2)));
        let at = p.reserved;
        p.reserved += chunk.len() as u64;
        p.writing += 1;
        drop(p);
        let result = self.file.write_all_at(&chunk, at);
        drop(chunk);
        let mut p = self.lock();
        p.writing -= 1;
        if let Err(e) = &result {
            p.failed.get_or_insert(e.kind());
        }
        drop(p);
        self.written.notify_all();
        result.map(|()| place)
    }

    /// Reads back a body put by [`Spill::put`].
    pub fn get(&self, at: Spilled) -> io::Result<String> {
        let mut bytes = vec![0; at.len];
        {
            let mut p = self.lock();
            if at.offset >= p.reserved {
                let start = (at.offset - p.reserved) as usize;
                bytes.copy_from_slice(&p.buffer[start..start + at.len]);
                return into_text(bytes);
            }
            while p.writing > 0 {
                p = self.written.wait(p).unwrap_or_else(|e| e.into_inner());
            }
            if let Some(kind) = p.failed {
                return Err(io::Error::new(
                    kind,
                    "a rendered body could not be set aside",
                ));
            }
        }
        self.file.read_exact_at(&mut bytes, at.offset)?;
        into_text(bytes)
    }
}

fn into_text(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn the_threshold_is_at_most_what_a_build_holds() {
        let t = spill_threshold();
        assert!(t >= 1 << 20, "{t}");
        assert!(t <= HOLD_AT_MOST, "{t}");
    }

    #[test]
    fn bodies_written_from_many_threads_read_back_as_written() {
        let spill = Spill::new().unwrap();
        let bodies: Vec<String> = (0..5000)
            .map(|i| format!("<p>body {i} {}</p>", "é中".repeat(i % 997)))
            .collect();
        let places: Vec<Spilled> = bodies.par_iter().map(|b| spill.put(b).unwrap()).collect();
        for (body, at) in bodies.iter().zip(&places) {
            assert_eq!(&spill.get(*at).unwrap(), body);
        }
        assert_eq!(spill.get(spill.put("").unwrap()).unwrap(), "");
    }

    #[test]
    fn a_body_read_back_while_other_threads_write_chunks_is_whole() {
        let spill = Spill::new().unwrap();
        // Bodies of about 64 KiB: a chunk is written every 64 or so puts,
        // while the other threads read back what they put.
        (0..1500).into_par_iter().for_each(|i| {
            let body = format!("<p>{i}</p>").repeat(4000 + i % 7);
            let at = spill.put(&body).unwrap();
            assert_eq!(spill.get(at).unwrap(), body);
        });
    }
}
