//! Misuse that Zig 0.15.1 leaves to `assert` (undefined behaviour in
//! ReleaseFast) is a panic with a message that says what was wrong, or an
//! error where the operation can fail anyway. The crate has no `unsafe`
//! code, so none of this can corrupt memory; these tests pin the messages.

use std::panic::{self, AssertUnwindSafe};
use zigio::{Buffer, Discarding, Sink, WriteFailed, Writer};
use zigio_testkit::Scripted;

fn discarding8(storage: &mut [u8; 8]) -> Writer<'_, Discarding> {
    Writer::discarding(storage)
}

/// Runs `f`, which must panic, and returns the panic's message.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("no panic");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map_or_else(|_| "a non-string panic".into(), |m| (*m).to_string()),
    }
}

/// `writableSliceGreedyPreserve` asserts `preserve + len <= buffer.len`
/// (`Writer.zig:398-415`, through `defaultRebase` 341-361), and so do the
/// other calls that rebase: on a buffer of 8 bytes that drains anything,
/// each request names what could not fit.
#[test]
fn rebase_requests_larger_than_the_buffer_panic() {
    type Request = fn(&mut Writer<'_, Discarding>);
    let cases: [(&[u8], Request, &str); 3] = [
        (
            b"abcdef",
            |w| {
                let _ = w.writable_slice_preserve(6, 4);
            },
            "rebase(preserve: 6, minimum_len: 4) cannot fit in a buffer of capacity 8",
        ),
        (
            b"abcdefgh",
            |w| {
                let _ = w.write_byte_preserve(8, b'!');
            },
            "rebase(preserve: 8, minimum_len: 1) cannot fit in a buffer of capacity 8",
        ),
        (
            b"a",
            |w| {
                let _ = w.rebase(0, 9);
            },
            "rebase(preserve: 0, minimum_len: 9) cannot fit in a buffer of capacity 8",
        ),
    ];
    for (written, request, expected) in cases {
        let mut storage = [0u8; 8];
        let mut w = discarding8(&mut storage);
        w.write_all(written).unwrap();
        let message = panic_message(|| request(&mut w));
        assert!(message.contains(expected), "{written:?}: {message}");
    }
}

#[test]
#[should_panic(
    expected = "rebase(preserve: 0, minimum_len: 1) cannot fit in a buffer of capacity 0"
)]
fn writable_slice_on_an_unbuffered_writer_panics() {
    let mut w = Writer::new(Buffer::empty(), Scripted::accept_all());
    let _ = w.writable_slice(1);
}

/// On a sink whose rebase can fail (fixed, failing) the same request is an
/// error, not a panic.
#[test]
fn preserve_larger_than_a_fixed_buffer_is_an_error() {
    let mut storage = [0u8; 8];
    let mut w = Writer::fixed(&mut storage);
    w.write_all(b"abcdef").unwrap();
    assert_eq!(w.writable_slice_preserve(6, 4), Err(WriteFailed));
    assert_eq!(w.rebase(100, 100), Err(WriteFailed));
    assert_eq!(w.buffered(), b"abcdef");
    let mut f = Writer::failing();
    assert_eq!(f.writable_slice(1), Err(WriteFailed));
}

/// A growing writer simply grows.
#[test]
fn preserve_larger_than_an_allocating_buffer_grows_it() {
    let mut w = Writer::allocating_with_capacity(8);
    w.write_all(b"abcdef").unwrap();
    w.writable_slice_preserve(6, 4)
        .unwrap()
        .copy_from_slice(b"ghij");
    assert_eq!(w.written(), b"abcdefghij");
}

/// `advance` asserts that `end` stays within the buffer (`Writer.zig:439-447`).
#[test]
#[should_panic(expected = "advance(9) past the buffer: end 0 + 9 > capacity 8")]
fn advance_past_capacity_panics() {
    let mut storage = [0u8; 8];
    discarding8(&mut storage).advance(9);
}

#[test]
#[should_panic(expected = "past the buffer")]
fn advance_overflowing_usize_panics() {
    let mut storage = [0u8; 8];
    let mut w = discarding8(&mut storage);
    w.advance(1);
    w.advance(usize::MAX);
}

/// `undo` is `end -= n` in Zig (`Writer.zig:435-437`): an overflow.
#[test]
#[should_panic(expected = "undo(3) with only 2 bytes buffered")]
fn undo_too_much_panics() {
    let mut storage = [0u8; 8];
    let mut w = discarding8(&mut storage);
    w.write_all(b"ab").unwrap();
    w.undo(3);
}

/// `writeSplat` asserts `data.len > 0` (`Writer.zig:176-201`), and so
/// does every call that takes a list of slices and a splat.
#[test]
fn empty_data_panics() {
    type Call = fn(&mut Writer<'_, Discarding>);
    let cases: [(Call, &str); 4] = [
        (
            |w| {
                let _ = w.write_splat(&[], 3);
            },
            "count_splat: data must not be empty",
        ),
        (
            |w| {
                let _ = w.write_vec(&[]);
            },
            "count_splat: data must not be empty",
        ),
        (
            |w| {
                let _ = w.drain(&[], 1);
            },
            "drain: data must not be empty",
        ),
        (
            |w| {
                let _ = w.write_splat_header(b"header", &[], 1);
            },
            "write_splat_header_limit: data must not be empty",
        ),
    ];
    for (call, expected) in cases {
        let mut storage = [0u8; 8];
        let mut w = discarding8(&mut storage);
        let message = panic_message(|| call(&mut w));
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

/// The `_all` loops over a list of slices accept an empty list: there is
/// nothing to write (Zig's loops do not run either).
#[test]
fn all_loops_accept_empty_lists() {
    let mut w = Writer::failing();
    assert_eq!(w.write_vec_all(&mut []), Ok(()));
    assert_eq!(w.write_splat_all(&mut [], 5), Ok(()));
    assert_eq!(w.write_vec_all(&mut [b"", b""]), Ok(()));
}

#[test]
#[should_panic(expected = "set_end(9) past capacity 8")]
fn set_end_past_capacity_panics() {
    let mut storage = [0u8; 8];
    Buffer::borrowed(&mut storage).set_end(9);
}

#[test]
#[should_panic(expected = "truncate(3) beyond 2 written bytes")]
fn allocating_truncate_beyond_written_panics() {
    let mut w = Writer::allocating();
    w.write_all(b"ab").unwrap();
    w.truncate(3);
}

/// A sink whose rebase claims success without making room.
struct LazyRebase;

impl Sink for LazyRebase {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, _data: &[&[u8]], _splat: usize,
    ) -> Result<usize, WriteFailed> {
        Ok(buf.consume(0))
    }

    fn rebase(
        &mut self, _buf: &mut Buffer<'_>, _preserve: usize, _capacity: usize,
    ) -> Result<(), WriteFailed> {
        Ok(())
    }
}

#[test]
#[should_panic(expected = "rebase(preserve: 0, minimum_len: 4) left only 2 free bytes")]
fn broken_rebase_is_caught() {
    let mut storage = [0u8; 4];
    let mut w = Writer::new(&mut storage, LazyRebase);
    w.advance(2);
    let _ = w.writable_slice(4);
}

/// A sink whose drain adds bytes to the buffer while `default_rebase` hid
/// the preserved tail.
struct GrowingDrain;

impl Sink for GrowingDrain {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, _data: &[&[u8]], _splat: usize,
    ) -> Result<usize, WriteFailed> {
        buf.advance(buf.unused_capacity_len());
        Ok(0)
    }
}

#[test]
#[should_panic(expected = "drain grew the buffer from 2 to 8 bytes while rebase hid 2 bytes")]
fn drain_growing_the_buffer_during_rebase_is_caught() {
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, GrowingDrain);
    w.advance(4);
    let _ = w.rebase(2, 6);
}
