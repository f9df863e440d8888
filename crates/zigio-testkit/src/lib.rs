//! Test doubles and fixtures for zigio's writers and readers, shared by the
//! integration tests of zigio, zigio-http and zigio-tar (a dev-dependency
//! of each; not published):
//!
//! - [`Scripted`]: a sink that follows a script of [`Step`]s, one per drain,
//!   and records what it accepted; [`accepted`] is what a writer over it has
//!   delivered;
//! - [`Trickle`]: a source that hands out a few bytes per call;
//! - [`noise`]: seeded bytes; [`temp_file`], [`pipe`], [`pipe_holding`],
//!   [`fed_pipe`], [`read_to_end_in_thread`] and [`loopback_peer`]: real
//!   files, pipes and a TCP peer on 127.0.0.1.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::thread::{self, JoinHandle};
use zigio::reader::Source;
use zigio::{
    Buffer, DynWriter, Limit, ReadBuffer, Sink, StreamError, WriteFailed, Writer, count_splat,
};

/// More drain calls than any test makes on one sink.
pub const MAX_DRAINS: usize = 100_000;

/// What the scripted sink does on one drain call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
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
pub struct Scripted {
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
    pub fn new(script: Vec<Step>) -> Scripted {
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
    pub fn accept_all() -> Scripted {
        Scripted::new(vec![Step::All])
    }

    /// A sink that accepts at most `n` bytes per drain.
    pub fn at_most(n: usize) -> Scripted {
        Scripted::new(vec![Step::Take(n)])
    }
}

impl Sink for Scripted {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
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
pub fn accepted<S>(w: &Writer<'_, S>, received: &[u8]) -> Vec<u8>
where
    S: Sink + ?Sized,
{
    let mut all = received.to_vec();
    all.extend_from_slice(w.buffered());
    all
}

/// A source that yields `data` in pieces of at most `step` bytes per
/// `stream` call, so that reads cross buffer fills and rebases. It has only
/// `stream`: `read_vec`, `discard` and `rebase` are the trait's defaults.
#[derive(Debug, Clone)]
pub struct Trickle {
    /// Everything the source yields, in order.
    pub data: Vec<u8>,
    /// How many bytes of `data` it has yielded.
    pub pos: usize,
    step: usize,
    /// Number of `stream` calls.
    pub calls: usize,
}

impl Trickle {
    /// A source of `data`, at most `step` bytes a call.
    pub fn new(data: &[u8], step: usize) -> Trickle {
        Trickle {
            data: data.to_vec(),
            pos: 0,
            step,
            calls: 0,
        }
    }
}

impl Source for Trickle {
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, limit: Limit,
    ) -> Result<usize, StreamError> {
        self.calls += 1;
        if self.pos == self.data.len() {
            return Err(StreamError::EndOfStream);
        }
        let end = (self.pos + limit.min_int(self.step)).min(self.data.len());
        let n = w.write(&self.data[self.pos..end])?;
        self.pos += n;
        Ok(n)
    }
}

/// Deterministic pseudo-random bytes (xorshift), so a test case is a few
/// numbers instead of kilobytes.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A regular file holding `content`, removed when dropped.
pub fn temp_file(content: &[u8]) -> tempfile::NamedTempFile {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(content).unwrap();
    tmp.flush().unwrap();
    tmp
}

/// A pipe: its read end and its write end.
pub fn pipe() -> (File, File) {
    let (r, w) = std::io::pipe().unwrap();
    (File::from(OwnedFd::from(r)), File::from(OwnedFd::from(w)))
}

/// The read end of a pipe that holds `content`, its write end closed:
/// `content` must fit in the pipe's buffer (64 KiB on Linux).
pub fn pipe_holding(content: &[u8]) -> File {
    let (r, mut w) = pipe();
    w.write_all(content).unwrap();
    r
}

/// The read end of a pipe whose write end a thread fills with `data` and
/// then closes, and that thread: `data` may be larger than the pipe holds.
pub fn fed_pipe(data: &[u8]) -> (File, JoinHandle<()>) {
    let (r, mut w) = pipe();
    let data = data.to_vec();
    (r, thread::spawn(move || w.write_all(&data).unwrap()))
}

/// A thread that reads `r` to its end and returns every byte it read.
pub fn read_to_end_in_thread(mut r: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap();
        got
    })
}

/// A TCP connection on 127.0.0.1 and the thread at its other end, which
/// reads until the connection closes and returns every byte it read.
pub fn loopback_peer() -> (TcpStream, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = thread::spawn(move || {
        let (s, _) = listener.accept().unwrap();
        read_to_end_in_thread(s).join().unwrap()
    });
    (TcpStream::connect(addr).unwrap(), peer)
}
