//! A scripted sink, a seeded generator and temporary files, shared by the
//! integration tests of zigio, zigio-http and zigio-tar.
//!
//! Each test binary includes this module and uses part of it, so unused
//! items in one binary are expected.
#![allow(dead_code)]

use std::io::Write;
use zigio::{Buffer, Sink, WriteFailed, Writer, count_splat};

/// More drain calls than any test makes on one sink.
pub(crate) const MAX_DRAINS: usize = 100_000;

/// What the scripted sink does on one drain call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Accept at most this many of the offered bytes (0 is a legal drain
    /// that takes nothing).
    Take(usize),
    /// Accept every offered byte.
    All,
    /// Fail without touching the buffer.
    Fail,
}

/// A sink that follows a cyclic script of [`Step`]s, one per drain, and
/// records exactly the bytes it accepted, in order.
#[derive(Debug, Clone)]
pub(crate) struct Scripted {
    /// The steps, used cyclically.
    pub script: Vec<Step>,
    next: usize,
    /// Every byte accepted so far.
    pub received: Vec<u8>,
    /// Number of drain calls.
    pub drains: usize,
    /// Drain calls whose data (other than the empty pattern that flush and
    /// rebase pass) would have fit in the buffer: the drain contract says
    /// these should not happen.
    pub fitting_drains: usize,
}

impl Scripted {
    /// A sink following `script`.
    ///
    /// # Panics
    /// If the script is empty.
    pub(crate) fn new(script: Vec<Step>) -> Scripted {
        assert!(!script.is_empty(), "a script needs at least one step");
        Scripted {
            script,
            next: 0,
            received: Vec::new(),
            drains: 0,
            fitting_drains: 0,
        }
    }

    /// A sink that accepts everything.
    pub(crate) fn accept_all() -> Scripted {
        Scripted::new(vec![Step::All])
    }

    /// A sink that accepts at most `n` bytes per drain.
    pub(crate) fn at_most(n: usize) -> Scripted {
        Scripted::new(vec![Step::Take(n)])
    }
}

impl Sink for Scripted {
    fn drain(
        &mut self,
        buf: &mut Buffer<'_>,
        data: &[&[u8]],
        splat: usize,
    ) -> Result<usize, WriteFailed> {
        assert!(!data.is_empty(), "drain called with empty data");
        self.drains += 1;
        // The tests make far fewer drains; more means a caller is looping
        // without progress, which should fail rather than hang.
        assert!(self.drains <= MAX_DRAINS, "runaway: {MAX_DRAINS} drains");
        let data_len = count_splat(data, splat);
        let is_flush_pattern = data.len() == 1 && data[0].is_empty();
        if !is_flush_pattern && buf.end() + data_len <= buf.capacity() && data_len > 0 {
            self.fitting_drains += 1;
        }
        let step = self.script[self.next % self.script.len()];
        self.next += 1;
        let offered = buf.end() + data_len;
        let take = match step {
            Step::Fail => return Err(WriteFailed),
            Step::Take(k) => k.min(offered),
            Step::All => offered,
        };
        let mut left = take;
        let received = &mut self.received;
        let mut push = |s: &[u8]| {
            let n = s.len().min(left);
            received.extend_from_slice(&s[..n]);
            left -= n;
            left > 0
        };
        let (pattern, rest) = data.split_last().expect("checked above");
        let _ = push(buf.buffered()) && rest.iter().all(|piece| push(piece));
        if !pattern.is_empty() {
            for _ in 0..splat {
                if !push(pattern) {
                    break;
                }
            }
        }
        assert_eq!(left, 0, "offered bytes were miscounted");
        Ok(buf.consume(take))
    }
}

/// The bytes a writer over a [`Scripted`] sink has accepted: what reached
/// the sink, then what is still buffered.
pub(crate) fn accepted<S>(w: &Writer<'_, S>, received: &[u8]) -> Vec<u8>
where
    S: Sink + ?Sized,
{
    let mut all = received.to_vec();
    all.extend_from_slice(w.buffered());
    all
}

/// SplitMix64 (Steele, Lea and Flood), as used by the catalog's
/// experiments: add the golden-ratio increment, then mix.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64-bit output.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A regular file holding `content`, removed when dropped.
pub(crate) fn temp_file(content: &[u8]) -> tempfile::NamedTempFile {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(content).unwrap();
    tmp.flush().unwrap();
    tmp
}
