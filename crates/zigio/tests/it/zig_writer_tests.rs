//! The `test` blocks of Zig 0.15.1's `lib/std/Io/Writer.zig`, ported.
//!
//! Each Rust test is named after the Zig test and cites its line. The file
//! has 24 `test` blocks; 13 are ported here and 11 are skipped, for these
//! reasons:
//!
//! - `Writer.zig:1919` "printValue max_depth", `:1984` `printDuration`,
//!   `:2021` `printDurationSigned`, `:2103` `printInt`, `:2123` "printFloat
//!   with comptime_float", `:2138` `printByteSize`, `:2153` "bytes.hex",
//!   `:2163` "padding": they test Zig's own format-string language (`{D}`,
//!   `{B}`, `{x}` on byte strings, `{t}`, depth-limited struct printing).
//!   zigio formats with Rust's `core::fmt` ([`Writer::print`] takes
//!   `format_args!`), so these specifiers do not exist here; what zigio owns,
//!   that formatted output goes through the buffer, is covered by the ports
//!   of `test fixed` (`:2171`) and `test Allocating` (`:2678`).
//! - `Writer.zig:2691` "discarding sendFile" and `:2711` "allocating
//!   sendFile": they need `File.Reader` and `sendFile`, which belong to the
//!   file reader/writer work (`Sink::send_file`), not to the core.
//! - `Writer.zig:2731` `test writeStruct`: Zig writes the memory of an
//!   `extern struct`; zigio has no `write_struct` (safe Rust cannot view a
//!   struct as bytes without a derive crate). Writing fields in a byte order
//!   is `write_int`, tested by the port of `test writeSliceEndian`.
//!
//! The comptime half of `test fixed` (`:2179-2184`) is also not ported:
//! Rust cannot run a writer in a `const` context.

use zigio::{Endian, WriteFailed, Writer};

/// `Writer.zig:147` `test failing`: every write to `.failing` fails.
#[test]
fn failing() {
    let mut fw = Writer::failing();
    assert_eq!(fw.write_all(b"always fails"), Err(WriteFailed));
    // Nothing is buffered, so the default flush has nothing to drain.
    assert_eq!(fw.flush(), Ok(()));
}

/// `Writer.zig:293` "writeSplatHeader splatting avoids buffer aliasing
/// temptation": an allocating writer over 8 owned bytes; the header does
/// not fit, so one drain gets at most 8 slices (header, "1".."6", "foo")
/// and the pattern is never splatted.
#[test]
fn write_splat_header_splatting_avoids_buffer_aliasing_temptation() {
    let mut aw = Writer::allocating_with_capacity(8);
    assert_eq!(aw.capacity(), 8);
    let n = aw
        .write_splat_header(
            b"header which is longer than buf ",
            &[b"1", b"2", b"3", b"4", b"5", b"6", b"foo", b"bar", b"foo"],
            3,
        )
        .unwrap();
    assert_eq!(n, 41);
    assert_eq!(aw.buffered(), b"header which is longer than buf 123456foo");
}

/// `Writer.zig:324` "fixed buffer flush": flushing a fixed writer keeps
/// the byte in the buffer.
#[test]
fn fixed_buffer_flush() {
    let mut buffer = [0u8; 1];
    let mut writer = Writer::fixed(&mut buffer);
    writer.write_byte(10).unwrap();
    writer.flush().unwrap();
    assert_eq!(writer.buffered(), [10]);
    drop(writer);
    assert_eq!(buffer[0], 10);
}

/// `Writer.zig:500` `test writeSplatAll`.
#[test]
fn write_splat_all() {
    let mut aw = Writer::allocating();
    let mut buffers: [&[u8]; 2] = [b"ba", b"na"];
    aw.write_splat_all(&mut buffers, 2).unwrap();
    assert_eq!(aw.buffered(), b"banana");
    // `data` is restored after the call.
    assert_eq!(buffers, [b"ba" as &[u8], b"na"]);
}

/// `Writer.zig:509` "writeSplatAll works with a single buffer".
#[test]
fn write_splat_all_works_with_a_single_buffer() {
    let mut aw = Writer::allocating();
    let mut message: [&[u8]; 1] = [b"hello"];
    aw.write_splat_all(&mut message, 3).unwrap();
    assert_eq!(aw.buffered(), b"hellohellohello");
}

/// `Writer.zig:756` `test splatByteAll`.
#[test]
fn splat_byte_all() {
    let mut aw = Writer::allocating();
    aw.splat_byte_all(b'7', 45).unwrap();
    assert_eq!(aw.buffered(), [b'7'; 45]);
}

/// `Writer.zig:816` `test splatBytesAll`.
#[test]
fn splat_bytes_all() {
    let mut aw = Writer::allocating();
    aw.splat_bytes_all(b"hello", 3).unwrap();
    assert_eq!(aw.buffered(), b"hellohellohello");
}

/// `Writer.zig:2171` `test fixed` (runtime half): `print` into a fixed
/// buffer.
#[test]
fn fixed() {
    let mut buf = [0u8; 255];
    let mut w = Writer::fixed(&mut buf);
    w.print(format_args!("{}{}!", "Hello", "World")).unwrap();
    assert_eq!(w.buffered(), b"HelloWorld!");
}

/// `Writer.zig:2187` "fixed output": writes fill a 10-byte buffer; an
/// overflowing write fails and keeps the prefix that fit.
#[test]
fn fixed_output() {
    let mut buffer = [0u8; 10];
    let mut w = Writer::fixed(&mut buffer);

    w.write_all(b"Hello").unwrap();
    assert_eq!(w.buffered(), b"Hello");

    w.write_all(b"world").unwrap();
    assert_eq!(w.buffered(), b"Helloworld");

    assert_eq!(w.write_all(b"!"), Err(WriteFailed));
    assert_eq!(w.buffered(), b"Helloworld");

    let mut w = Writer::fixed(&mut buffer);
    assert_eq!(w.buffered().len(), 0);

    assert_eq!(w.write_all(b"Hello world!"), Err(WriteFailed));
    assert_eq!(w.buffered(), b"Hello worl");
}

/// `Writer.zig:2208` "writeSplat 0 len splat larger than capacity": a splat
/// of 0 writes nothing, so it never drains (a drain would fail here).
#[test]
fn write_splat_0_len_splat_larger_than_capacity() {
    let mut buf = [0u8; 8];
    let mut w = Writer::fixed(&mut buf);
    let n = w
        .write_splat(&[b"something that overflows buf"], 0)
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(w.end(), 0);
}

/// `Writer.zig:2678` `test Allocating`: `print` and `written()`.
#[test]
fn allocating() {
    let mut a = Writer::allocating();
    let x: i32 = 42;
    let y: i32 = 1234;
    a.print(format_args!("x: {x}\ny: {y}\n")).unwrap();
    assert_eq!(a.written(), b"x: 42\ny: 1234\n");
}

/// `Writer.zig:2755` `test writeSliceEndian`: two big-endian `u16` after
/// one byte.
#[test]
fn write_slice_endian() {
    let mut buffer = [0u8; 5];
    let mut w = Writer::fixed(&mut buffer);
    w.write_byte(b'x').unwrap();
    let array: [u16; 2] = [0x1234, 0x5678];
    w.write_slice_endian(&array, Endian::Big).unwrap();
    drop(w);
    assert_eq!(buffer, [b'x', 0x12, 0x34, 0x56, 0x78]);
}

/// `Writer.zig:2764` "writableSlice with fixed writer": asking for more room
/// than a fixed buffer has left fails.
#[test]
fn writable_slice_with_fixed_writer() {
    let mut buf = [0u8; 2];
    let mut w = Writer::fixed(&mut buf);
    w.write_byte(1).unwrap();
    assert_eq!(w.writable_slice(2), Err(WriteFailed));
    assert_eq!(w.end(), 1);
}
