//! The reader interface over a fixed reader (`Reader::fixed`) and over a
//! small scripted source: peek/take/toss/discard/stream/stream_exact with
//! limits, and end of stream told apart from a reached limit.

use zigio::{DynReader, Limit, ReadError, ReadFailed, Reader, StreamError, TransferError, Writer};
use zigio_testkit::Trickle;

#[test]
fn peek_take_toss_on_fixed() {
    let mut r = Reader::fixed(b"abcdefgh");
    assert_eq!(r.peek(3).unwrap(), b"abc");
    assert_eq!(r.buffered_len(), 8, "peek consumes nothing");
    assert_eq!(r.take(2).unwrap(), b"ab");
    r.toss(1);
    assert_eq!(r.take_byte().unwrap(), b'd');
    assert_eq!(r.peek_byte().unwrap(), b'e');
    assert_eq!(r.take_array::<2>().unwrap(), b"ef");
    assert_eq!(r.peek_greedy(1).unwrap(), b"gh");
    // Asking for more than remains is end of stream, and consumes nothing.
    assert_eq!(r.peek(3), Err(ReadError::EndOfStream));
    assert_eq!(r.take(3), Err(ReadError::EndOfStream));
    assert_eq!(r.buffered(), b"gh");
    assert_eq!(r.take(2).unwrap(), b"gh");
    assert_eq!(r.take_byte(), Err(ReadError::EndOfStream));
}

#[test]
fn discard_with_limits_tells_end_from_limit() {
    let mut r = Reader::fixed(b"0123456789");
    // Limit reached: exactly the limit, stream not ended.
    assert_eq!(r.discard(Limit::limited(4)).unwrap(), 4);
    assert_eq!(r.buffered(), b"456789");
    assert_eq!(r.discard(Limit::NOTHING).unwrap(), 0);
    // More than remains: the rest, then end of stream on the next call.
    assert_eq!(r.discard(Limit::limited(100)).unwrap(), 6);
    assert_eq!(r.discard(Limit::limited(1)), Err(ReadError::EndOfStream));

    let mut r = Reader::fixed(b"0123456789");
    assert_eq!(r.discard_short(3).unwrap(), 3);
    assert_eq!(
        r.discard_short(100).unwrap(),
        7,
        "short count only at the end"
    );
    let mut r = Reader::fixed(b"0123456789");
    assert_eq!(r.discard_all(11), Err(ReadError::EndOfStream));
    let mut r = Reader::fixed(b"0123456789");
    r.discard_all(10).unwrap();
    let mut r = Reader::fixed(b"0123456789");
    r.toss(2);
    assert_eq!(r.discard_remaining().unwrap(), 8);
}

#[test]
fn stream_writes_buffered_bytes_with_write_and_honours_limit() {
    let mut r = Reader::fixed(b"hello, world");
    let mut storage = [0u8; 64];
    let mut w = Writer::fixed(&mut storage);
    assert_eq!(r.stream(&mut w, Limit::limited(5)).unwrap(), 5);
    assert_eq!(w.buffered(), b"hello");
    assert_eq!(r.stream(&mut w, Limit::NOTHING), Ok(0));
    r.stream_exact(&mut w, 2).unwrap();
    assert_eq!(w.buffered(), b"hello, ");
    assert_eq!(r.stream_remaining(&mut w).unwrap(), 5);
    assert_eq!(w.buffered(), b"hello, world");
    assert_eq!(
        r.stream(&mut w, Limit::UNLIMITED),
        Err(StreamError::EndOfStream)
    );
}

#[test]
fn stream_exact_past_the_end_is_end_of_stream_after_the_bytes() {
    let mut r = Reader::fixed(b"abc");
    let mut storage = [0u8; 8];
    let mut w = Writer::fixed(&mut storage);
    assert_eq!(r.stream_exact(&mut w, 5), Err(StreamError::EndOfStream));
    assert_eq!(w.buffered(), b"abc");
}

#[test]
fn stream_into_a_full_writer_is_write_failed_and_consumes_what_fit() {
    let mut r = Reader::fixed(b"abcdef");
    let mut storage = [0u8; 4];
    let mut w = Writer::fixed(&mut storage);
    assert_eq!(r.stream_exact(&mut w, 6), Err(StreamError::WriteFailed));
    assert_eq!(w.buffered(), b"abcd");
    // A fixed writer's failed drain kept a prefix; the reader did not
    // consume bytes the writer did not report taking.
    assert_eq!(r.buffered(), b"abcdef");
    let mut w = Writer::allocating();
    assert_eq!(r.stream_remaining(&mut w), Ok(6));
    assert_eq!(w.written(), b"abcdef");
}

#[test]
fn read_slices_and_vectors() {
    let mut r = Reader::fixed(b"0123456789");
    let mut a = [0u8; 3];
    r.read_slice_all(&mut a).unwrap();
    assert_eq!(&a, b"012");
    let (mut x, mut y) = ([0u8; 2], [0u8; 3]);
    assert_eq!(r.read_vec(&mut [&mut x, &mut y]).unwrap(), 5);
    assert_eq!((&x, &y), (b"34", b"567"));
    let mut big = [0u8; 8];
    assert_eq!(r.read_slice_short(&mut big).unwrap(), 2);
    assert_eq!(&big[..2], b"89");
    assert_eq!(r.read_slice_all(&mut big), Err(ReadError::EndOfStream));
    assert_eq!(r.read_vec(&mut [&mut big]), Err(ReadError::EndOfStream));
}

#[test]
fn io_read_interop() {
    use std::io::Read;
    let mut r = Reader::fixed(b"interop");
    let mut s = String::new();
    r.adapt_to_io().read_to_string(&mut s).unwrap();
    assert_eq!(s, "interop");
}

#[test]
fn failing_reader_fails() {
    let mut r = Reader::failing();
    assert_eq!(r.discard(Limit::limited(3)), Err(ReadError::ReadFailed));
    assert_eq!(r.discard_remaining(), Err(ReadFailed));
    let mut w = Writer::allocating();
    assert_eq!(r.stream_remaining(&mut w), Err(TransferError::ReadFailed));
}

/// A [`Trickle`] of `len` bytes of a pattern, `step` bytes a call: it
/// reads through the default `read_vec`, `discard` and `rebase`, which are
/// what is under test.
fn trickle(len: usize, step: usize) -> Trickle {
    let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    Trickle::new(&data, step)
}

#[test]
fn default_read_vec_fills_the_buffer_for_peek() {
    let src = trickle(100, 3);
    let expected = src.data.clone();
    let mut storage = [0u8; 16];
    let mut r = Reader::new(&mut storage, src);
    // peek(10) needs four 3-byte reads into the buffer.
    assert_eq!(r.peek(10).unwrap(), &expected[..10]);
    assert_eq!(r.source.calls, 4);
    assert_eq!(r.take(12).unwrap(), &expected[..12]);
    // A peek that no longer fits after seek is rebased to the front.
    assert_eq!(r.peek(16).unwrap(), &expected[12..28]);
    let d: &mut DynReader<'_> = &mut r;
    let mut out = Writer::allocating();
    assert_eq!(d.stream_remaining(&mut out).unwrap(), 88);
    assert_eq!(out.written(), &expected[12..]);
}

#[test]
fn default_read_vec_reads_straight_into_large_slices() {
    let src = trickle(50, 50);
    let expected = src.data.clone();
    let mut storage = [0u8; 4];
    let mut r = Reader::new(&mut storage, src);
    let mut dest = [0u8; 50];
    r.read_slice_all(&mut dest).unwrap();
    assert_eq!(&dest[..], &expected[..]);
    assert_eq!(
        r.buffered_len(),
        0,
        "a large destination bypasses the buffer"
    );
}

#[test]
fn default_discard_and_limits_on_a_source() {
    let mut storage = [0u8; 8];
    let mut r = Reader::new(&mut storage, trickle(20, 5));
    r.fill(3).unwrap();
    assert_eq!(r.buffered_len(), 5);
    // Buffered bytes first, then the source's discard (via its stream).
    assert_eq!(r.discard(Limit::limited(7)).unwrap(), 7);
    assert_eq!(
        r.source.pos, 7,
        "exactly 2 more bytes were taken from the source"
    );
    assert_eq!(r.discard_remaining().unwrap(), 13);
    assert_eq!(r.discard(Limit::limited(1)), Err(ReadError::EndOfStream));
}

#[test]
fn discard_reports_buffered_bytes_when_the_source_ends() {
    let mut storage = [0u8; 8];
    let mut r = Reader::new(&mut storage, trickle(5, 5));
    r.fill(5).unwrap();
    // Zig 0.15.1 tosses the 5 bytes and returns EndOfStream; here the count
    // is kept.
    assert_eq!(r.discard(Limit::limited(10)).unwrap(), 5);
    assert_eq!(r.discard(Limit::limited(10)), Err(ReadError::EndOfStream));
}

#[test]
#[should_panic(expected = "cannot be buffered in a buffer of capacity 4")]
fn peek_beyond_capacity_panics_with_a_message() {
    let mut storage = [0u8; 4];
    let mut r = Reader::new(&mut storage, trickle(20, 5));
    let _ = r.peek(5);
}

#[test]
fn fixed_reader_is_a_dyn_reader() {
    fn first_word(r: &mut DynReader<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        while let Ok(b) = r.take_byte() {
            if b == b' ' {
                break;
            }
            out.push(b);
        }
        out
    }
    let mut r = Reader::fixed(b"zig io");
    assert_eq!(first_word(&mut r), b"zig");
    assert_eq!(first_word(&mut r), b"io");
}
