//! The reader interface over any `std::io::Read` (`Reader::from_io`):
//! short reads, vectored reads into the caller's slices and the buffer,
//! end of stream, and the kept `io::Error` behind `ReadFailed`.

use std::io::{self, Read};
use zigio::{Limit, ReadError, Reader, StreamError, Writer};

/// Hands out `data` at most `step` bytes per call, then fails with `fail`
/// (or reports end of stream), and counts the calls.
struct Dribble {
    data: Vec<u8>,
    pos: usize,
    step: usize,
    fail: Option<io::ErrorKind>,
    calls: usize,
    interrupted_once: bool,
}

impl Read for Dribble {
    fn read(&mut self, dest: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if !self.interrupted_once {
            self.interrupted_once = true;
            return Err(io::ErrorKind::Interrupted.into());
        }
        if self.pos == self.data.len() {
            return match self.fail {
                Some(kind) => Err(kind.into()),
                None => Ok(0),
            };
        }
        let n = dest.len().min(self.step).min(self.data.len() - self.pos);
        dest[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn dribble(len: usize, step: usize, fail: Option<io::ErrorKind>) -> (Dribble, Vec<u8>) {
    let data: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
    let d = Dribble {
        data: data.clone(),
        pos: 0,
        step,
        fail,
        calls: 0,
        interrupted_once: false,
    };
    (d, data)
}

#[test]
fn peek_take_over_short_reads() {
    let (src, data) = dribble(1000, 7, None);
    let mut storage = [0u8; 64];
    let mut r = Reader::from_io(src, &mut storage);
    // Interrupted is retried; 7-byte reads fill the buffer until 30 are in.
    assert_eq!(r.peek(30).unwrap(), &data[..30]);
    assert_eq!(r.take(30).unwrap(), &data[..30]);
    assert_eq!(r.take_byte().unwrap(), data[30]);
    // The 4 buffered bytes, then one 7-byte read through the default
    // discard (a stream into a discarding writer).
    assert_eq!(r.discard(Limit::limited(100)).unwrap(), 4 + 7);
    let mut out = Writer::allocating();
    assert_eq!(r.stream(&mut out, Limit::limited(5)).unwrap(), 5);
    assert_eq!(out.written(), &data[42..47]);
    assert_eq!(r.stream_remaining(&mut out).unwrap(), 953);
    assert!(out.written() == &data[42..]);
    assert_eq!(r.take_byte(), Err(ReadError::EndOfStream));
}

#[test]
fn read_vec_into_large_slices_bypasses_the_buffer() {
    let (src, data) = dribble(500, 500, None);
    let mut storage = [0u8; 16];
    let mut r = Reader::from_io(src, &mut storage);
    let mut big = [0u8; 300];
    r.read_slice_all(&mut big).unwrap();
    assert!(big[..] == data[..300]);
    let mut rest = Vec::new();
    r.adapt_to_io().read_to_end(&mut rest).unwrap();
    assert!(rest == data[300..]);
}

#[test]
fn failure_keeps_the_io_error() {
    let (src, data) = dribble(10, 4, Some(io::ErrorKind::ConnectionReset));
    let mut storage = [0u8; 8];
    let mut r = Reader::from_io(src, &mut storage);
    assert_eq!(r.take(4).unwrap(), &data[..4]);
    let mut out = Writer::allocating();
    assert_eq!(r.stream_exact(&mut out, 20), Err(StreamError::ReadFailed));
    assert_eq!(
        out.written(),
        &data[4..],
        "what was read before the failure went out"
    );
    let err = r.source.err.as_ref().expect("kept");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
}
