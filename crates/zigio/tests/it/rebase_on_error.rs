//! `default_rebase` when the sink consumes part of the buffer and then
//! fails. Zig 0.15.1's `defaultRebase` (`Writer.zig:341-361`) restores `end`
//! in a `defer` but skips the move of the hidden bytes on the error path, so
//! the newest bytes are replaced by stale ones ("dbcde" below). zigio moves
//! them back on both paths.

use zigio::{Buffer, Sink, WriteFailed, Writer};
use zigio_testkit::accepted;

/// Accepts `take` buffered bytes, then reports failure (a sink that wrote
/// part of its data before the connection broke).
struct TakeThenFail {
    take: usize,
    received: Vec<u8>,
}

impl TakeThenFail {
    /// A sink that takes `take` bytes of its first drain and fails.
    fn new(take: usize) -> TakeThenFail {
        TakeThenFail {
            take,
            received: Vec::new(),
        }
    }
}

impl Sink for TakeThenFail {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, _data: &[&[u8]], _splat: usize,
    ) -> Result<usize, WriteFailed> {
        let n = self.take.min(buf.end());
        self.received.extend_from_slice(&buf.buffered()[..n]);
        buf.consume(n);
        Err(WriteFailed)
    }
}

#[test]
fn hidden_bytes_come_back_after_a_partial_drain_fails() {
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, TakeThenFail::new(3));
    w.write_all(b"abcdefgh").unwrap();
    assert_eq!(w.rebase(3, 4), Err(WriteFailed));
    // "abc" reached the sink; "de" is still owed; "fgh" were hidden and
    // must still be the newest buffered bytes.
    assert_eq!(w.sink.received, b"abc");
    assert_eq!(w.buffered(), b"defgh");
    // Nothing lost, nothing duplicated: what the sink got plus what is
    // buffered is what was written.
    assert_eq!(accepted(&w, &w.sink.received), b"abcdefgh");
}

#[test]
fn the_writer_stays_usable_after_the_failed_rebase() {
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, TakeThenFail::new(2));
    w.write_all(b"01234567").unwrap();
    assert!(w.rebase(2, 5).is_err());
    assert_eq!(w.buffered(), b"234567");
    // Room for two more bytes without any drain.
    w.write_all(b"89").unwrap();
    assert_eq!(w.buffered(), b"23456789");
}
