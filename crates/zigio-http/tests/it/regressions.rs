//! One test per defect of the body writer found by an adversarial run from
//! outside the other suites: lost bytes, hangs and wrong framing. Each test
//! uses real parts (the kernel's `/sys` files, regular files that grow,
//! httparse's chunk parser) and states the behaviour it expects, not the
//! code path it takes.
#![cfg(all(feature = "os", unix))]

use std::fs::{File, OpenOptions};
use std::io::Write;
use zigio::{Buffer, Limit, ReadBuffer, Reader, SendFileError, Writer};
use zigio_http::{BodyError, BodyWriter, Framing, Header};
use zigio_testkit::{Scripted, Step, temp_file};

const SYS_FILE: &str = "/sys/kernel/mm/transparent_hugepage/enabled";

/// A chunked body decoded with httparse: every chunk-size line must parse,
/// every chunk be followed by CRLF, the last chunk by trailers and CRLF,
/// with nothing after.
fn dechunk(wire: &[u8]) -> Result<Vec<u8>, String> {
    let mut rest = wire;
    let mut body = Vec::new();
    loop {
        let (used, size) = match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete(c)) => c,
            Ok(httparse::Status::Partial) => {
                return Err(format!("truncated chunk size in {wire:?}"));
            }
            Err(e) => return Err(format!("bad chunk size ({e:?}) in {wire:?}")),
        };
        rest = &rest[used..];
        let size = usize::try_from(size).unwrap();
        if size == 0 {
            let mut headers = [httparse::EMPTY_HEADER; 16];
            return match httparse::parse_headers(rest, &mut headers) {
                Ok(httparse::Status::Complete((n, _))) if n == rest.len() => Ok(body),
                other => Err(format!("bad trailer section {other:?} in {wire:?}")),
            };
        }
        if rest.len() < size + 2 || &rest[size..size + 2] != b"\r\n" {
            return Err(format!("chunk of {size} bytes truncated in {wire:?}"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// A downstream that takes only part of one single-shot write, then a
/// splat with a multi-byte pattern: every drain must make progress, and
/// the body must end with exactly the bytes taken.
#[test]
fn chunked_body_finishes_a_chunk_smaller_than_the_pattern() {
    // Drain 1 takes the chunk header, drain 2 four of "hello", then all.
    let mut conn = Writer::new(
        Buffer::empty(),
        Scripted::new(vec![Step::All, Step::Take(4), Step::All]),
    );
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
    let n = body.writer.write(b"hello").unwrap();
    body.writer.splat_bytes_all(b"ab", 3).unwrap();
    body.end().unwrap();
    let mut expected = b"hello"[..n].to_vec();
    expected.extend_from_slice(b"ababab");
    assert_eq!(dechunk(&conn.sink.received).unwrap(), expected);

    // The writer-level cause is `zigio`'s regression test
    // `a_limit_shorter_than_the_pattern_still_moves_a_byte`.
}

/// `ContentLength(n)` with `n` the file's size, then the file grows: the
/// body still has exactly `n` bytes on the wire.
#[test]
fn content_length_bounds_a_file_that_grew() {
    let tmp = temp_file(b"0123456789");
    let file = File::open(tmp.path()).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let n = r.source.size().unwrap();
    OpenOptions::new()
        .append(true)
        .open(tmp.path())
        .unwrap()
        .write_all(b"ABCDEFGHIJ")
        .unwrap();
    let mut conn = Writer::allocating_with_capacity(4096);
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::ContentLength(n));
    let sent = body.writer.send_file_all(&mut r, Limit::UNLIMITED);
    assert_eq!(sent, Ok(10));
    body.end().unwrap();
    assert_eq!(conn.written(), b"0123456789");
}

/// `Unimplemented` means nothing was sent: a chunked body's `send_file`
/// into a downstream that cannot send files either sends the file bytes
/// itself or leaves the wire untouched.
#[test]
fn chunked_send_file_into_a_writer_without_send_file() {
    let tmp = temp_file(b"hello");
    let file = File::open(tmp.path()).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut conn = Writer::from_io(Vec::new(), Buffer::empty());
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
    loop {
        let before = body.writer.sink.state();
        match body.writer.send_file(&mut r, Limit::UNLIMITED) {
            Ok(_) => {}
            Err(SendFileError::EndOfStream) => break,
            Err(SendFileError::Unimplemented) => {
                assert_eq!(
                    body.writer.sink.state(),
                    before,
                    "Unimplemented after sending"
                );
                body.writer
                    .send_file_reading_all(&mut r, Limit::UNLIMITED)
                    .unwrap();
                break;
            }
            Err(e) => panic!("send_file: {e}"),
        }
    }
    body.end().unwrap();
    assert_eq!(dechunk(&conn.sink.inner).unwrap(), b"hello");
}

/// `/sys` files report 4096 bytes and hold a few: a chunked body of one
/// announces exactly the bytes it sends.
#[test]
fn sysfs_file_in_a_chunked_body() {
    let expected = std::fs::read(SYS_FILE).unwrap();
    let file = File::open(SYS_FILE).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut conn = Writer::allocating();
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
    let sent = body.writer.send_file_all(&mut r, Limit::UNLIMITED);
    body.end().unwrap();
    assert_eq!(sent, Ok(expected.len()));
    assert_eq!(dechunk(conn.written()).unwrap(), expected);
}

/// After `end()`, an eliding body refuses `send_file` as it refuses
/// `write_all`, and leaves the file where it was.
#[test]
fn eliding_body_refuses_send_file_after_end() {
    let tmp = temp_file(b"hello");
    let file = File::open(tmp.path()).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut conn = Writer::allocating();
    let mut body = BodyWriter::eliding(&mut conn, Buffer::empty(), Framing::None);
    body.end().unwrap();
    assert!(body.writer.send_file(&mut r, Limit::UNLIMITED).is_err());
    assert_eq!(body.error(), Some(&BodyError::Ended));
    assert_eq!(r.logical_pos(), 0);
    assert!(body.writer.write_all(b"x").is_err());
}

/// Trailer values with control characters other than tab are rejected
/// before anything is written, as RFC 9110's field-value rule requires.
#[test]
fn trailer_values_with_control_characters_are_rejected() {
    for value in ["a\x01b", "a\x7fb", "\x1b[31m", "a\x0bb"] {
        let err = Header::new("x-sum", value).validate().unwrap_err();
        assert!(
            matches!(&err, BodyError::InvalidTrailer { name, .. } if name == "x-sum"),
            "{value:?}: {err:?}"
        );
        let mut conn = Writer::allocating();
        let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
        body.writer.write_all(b"body").unwrap();
        let before = body.writer.sink.state();
        assert!(matches!(
            body.end_chunked(&[Header::new("x-sum", value)]),
            Err(BodyError::InvalidTrailer { .. })
        ));
        assert_eq!(body.writer.sink.state(), before);
    }
    // Tabs and spaces inside a value, and obs-text, are field content.
    for value in ["a\tb", "a b", "caf\u{e9}"] {
        Header::new("x-sum", value).validate().unwrap();
    }
}

/// A single-shot `write` into a chunked body over an output that takes
/// part of each drain: the chunk announces only bytes the body writer
/// sends, so the body ends cleanly after the write, however much of it
/// was taken.
#[test]
fn chunked_body_ends_after_a_partial_single_shot_write() {
    let mut conn = Writer::new(Buffer::empty(), Scripted::at_most(3));
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
    let n = body.writer.write(b"hello, world").unwrap();
    assert!(n > 0);
    body.end().unwrap();
    assert_eq!(dechunk(&conn.sink.received).unwrap(), &b"hello, world"[..n]);

    // The same through send_file: one call, then the end.
    let tmp = temp_file(b"0123456789abcdef");
    let file = File::open(tmp.path()).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut conn = Writer::new(Buffer::empty(), Scripted::at_most(3));
    let mut body = BodyWriter::new(&mut conn, Buffer::empty(), Framing::Chunked);
    let n = body.writer.send_file(&mut r, Limit::UNLIMITED).unwrap();
    assert!(n > 0);
    body.end().unwrap();
    assert_eq!(
        dechunk(&conn.sink.received).unwrap(),
        &b"0123456789abcdef"[..n]
    );
}
