//! Delimited reads (`take_delimiter_*`, `peek_delimiter_*`) and the
//! `Limited` reader, over sources that hand out a few bytes per call, so
//! that lines cross buffer fills and rebases.

use zigio::reader::{DelimiterError, Failing, Limited};
use zigio::{Limit, ReadError, Reader, Writer};
use zigio_testkit::Trickle;

#[test]
fn lines_cross_fills_and_rebases() {
    let mut storage = [0u8; 8];
    let mut r = Reader::new(&mut storage, Trickle::new(b"ab\ncdefg\nh", 3));
    assert_eq!(r.take_delimiter_exclusive(b'\n').unwrap(), b"ab");
    // "cdefg\n" needs the bytes after "ab\n" moved to the front.
    assert_eq!(r.peek_delimiter_inclusive(b'\n').unwrap(), b"cdefg\n");
    assert_eq!(r.take_delimiter_inclusive(b'\n').unwrap(), b"cdefg\n");
    // The end of the stream ends the last line of an exclusive read...
    assert_eq!(r.peek_delimiter_exclusive(b'\n').unwrap(), b"h");
    assert_eq!(r.take_delimiter_exclusive(b'\n').unwrap(), b"h");
    // ...and then there is nothing left.
    assert_eq!(
        r.take_delimiter_exclusive(b'\n'),
        Err(DelimiterError::EndOfStream)
    );
}

#[test]
fn inclusive_read_without_delimiter_is_end_of_stream_and_consumes_nothing() {
    let mut storage = [0u8; 8];
    let mut r = Reader::new(&mut storage, Trickle::new(b"abc", 2));
    assert_eq!(
        r.take_delimiter_inclusive(b'\n'),
        Err(DelimiterError::EndOfStream)
    );
    assert_eq!(r.buffered(), b"abc");
}

#[test]
fn a_line_longer_than_the_buffer_is_stream_too_long_and_stays_readable() {
    let mut storage = [0u8; 4];
    let mut r = Reader::new(&mut storage, Trickle::new(b"abcdef\nxy\n", 3));
    assert_eq!(
        r.take_delimiter_exclusive(b'\n'),
        Err(DelimiterError::StreamTooLong)
    );
    assert_eq!(
        r.buffered(),
        b"abcd",
        "nothing consumed; the buffer is full"
    );
    r.discard_all(7).unwrap();
    assert_eq!(r.take_delimiter_exclusive(b'\n').unwrap(), b"xy");
}

#[test]
fn a_failing_source_is_read_failed_and_an_empty_buffer_too_long() {
    let mut storage = [0u8; 4];
    let mut r = Reader::new(&mut storage, Failing);
    assert_eq!(
        r.take_delimiter_exclusive(b'\n'),
        Err(DelimiterError::ReadFailed)
    );
    // No room to search in, as in Zig: the delimiter is never within reach.
    let mut r = Reader::failing();
    assert_eq!(
        r.take_delimiter_exclusive(b'\n'),
        Err(DelimiterError::StreamTooLong)
    );
}

#[test]
fn limited_stops_at_its_budget_and_leaves_the_rest() {
    let mut inner_storage = [0u8; 4];
    let mut inner = Reader::new(&mut inner_storage, Trickle::new(b"0123456789", 3));
    let mut storage = [0u8; 4];
    let mut first = Reader::limited(&mut inner, Limit::limited(7), &mut storage);
    let mut w = Writer::allocating();
    assert_eq!(first.stream_remaining(&mut w).unwrap(), 7);
    assert_eq!(w.written(), b"0123456");
    assert_eq!(first.take_byte(), Err(ReadError::EndOfStream));
    drop(first);
    let mut rest = Writer::allocating();
    inner.stream_remaining(&mut rest).unwrap();
    assert_eq!(rest.written(), b"789");
}

#[test]
fn limited_discard_counts_against_the_budget() {
    let mut inner = Reader::fixed(b"0123456789");
    let mut storage = [0u8; 2];
    let mut r = Reader::new(
        &mut storage,
        Limited {
            unlimited: &mut inner,
            remaining: Limit::limited(6),
        },
    );
    assert_eq!(r.discard(Limit::limited(4)).unwrap(), 4);
    assert_eq!(r.take(2).unwrap(), b"45");
    assert_eq!(r.discard_remaining().unwrap(), 0);
    assert_eq!(inner.buffered(), b"6789");
}
