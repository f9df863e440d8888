//! One test per defect found by an adversarial run from outside the other
//! suites: lost bytes, duplicated bytes, hangs and wrong output. Each test
//! uses real parts (the kernel's `/proc` and `/sys` files, pipes,
//! append-mode files, GNU tar's reader through the `tar` crate, httparse)
//! and states the behaviour it expects, not the code path it takes.
#![cfg(all(feature = "os", unix, feature = "digest"))]

use crate::common;

use common::{Scripted, Step};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use zigio::http::{BodyError, BodyWriter, Framing, Header};
use zigio::tar::{Options, TarWriter};
use zigio::{Buffer, Limit, ReadBuffer, Reader, SendFileError, Writer};

const MOUNTINFO: &str = "/proc/self/mountinfo";
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

/// A regular file holding `content`.
fn temp_file(content: &[u8]) -> tempfile::NamedTempFile {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(content).unwrap();
    tmp.flush().unwrap();
    tmp
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

    // The writer-level cause: a limit shorter than one copy of the pattern
    // (what an open chunk owing 1 byte passes) must still move a byte.
    let mut w = Writer::new(Buffer::empty(), Scripted::accept_all());
    let taken = w.write_splat_header_limit(b"", &[b"ab"], 3, Limit::limited(1));
    assert_eq!(taken, Ok(1));
    assert_eq!(w.sink.received, b"a");
}

/// A downstream writer that buffers and whose sink fails once (`EAGAIN`
/// from a socket, say): the caller retries the failed write, and every
/// byte arrives once, with a digest of exactly what arrived.
#[test]
fn hashed_retry_after_a_transient_failure_sends_each_byte_once() {
    let mut out_storage = [0u8; 2];
    let mut out = Writer::new(
        &mut out_storage[..],
        Scripted::new(vec![Step::Fail, Step::All]),
    );
    let mut storage = [0u8; 4];
    let mut hw = Writer::hashed(&mut out, Sha256::new(), &mut storage[..]);
    hw.write_all(b"ab").unwrap();
    assert!(hw.write_all(b"cdefgh").is_err(), "the first drain fails");
    hw.write_all(b"cdefgh").unwrap();
    hw.flush().unwrap();
    let digest = hw.sink.hasher.clone().finalize();
    hw.sink.out().flush().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.sink.received), "abcdefgh");
    assert_eq!(digest, Sha256::digest(b"abcdefgh"));
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

/// `/proc` files report size 0 but have content: every way of copying one
/// copies all of it.
#[test]
fn proc_files_of_size_zero_are_copied_whole() {
    let expected = std::fs::read(MOUNTINFO).unwrap();
    assert!(!expected.is_empty());

    let file = File::open(MOUNTINFO).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut w = Writer::allocating();
    let n = r.stream_remaining(&mut w).unwrap();
    assert_eq!((n, w.written()), (expected.len(), &expected[..]));

    let file = File::open(MOUNTINFO).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut d = Writer::discarding(Buffer::empty());
    assert_eq!(
        d.send_file_all(&mut r, Limit::UNLIMITED),
        Ok(expected.len())
    );
    assert_eq!(d.full_count(), expected.len() as u64);

    let (pr, pw) = rustix::pipe::pipe().unwrap();
    let file = File::open(MOUNTINFO).unwrap();
    let mut r = Reader::file(&file, ReadBuffer::empty());
    let mut pipe_storage = [0u8; 64];
    let mut pw_writer = Writer::file_streaming(&pw, &mut pipe_storage[..]);
    let sent = pw_writer.send_file_all(&mut r, Limit::UNLIMITED);
    pw_writer.flush().unwrap();
    drop(pw_writer);
    drop(pw);
    let mut piped = Vec::new();
    File::from(pr).read_to_end(&mut piped).unwrap();
    assert_eq!(sent, Ok(expected.len()));
    assert_eq!(piped, expected);
}

/// A positional reader on a pipe, moved with `seek_to`, then used by
/// operations that discover the pipe through `size()`: the seek is kept.
#[test]
fn a_seek_on_a_pipe_survives_the_switch_to_streaming() {
    let pipe_with = |content: &[u8]| {
        let (pr, pw) = rustix::pipe::pipe().unwrap();
        File::from(pw).write_all(content).unwrap();
        pr
    };

    let pr = pipe_with(b"0123456789");
    let mut r = Reader::file(&pr, ReadBuffer::empty());
    r.seek_to(5).unwrap();
    let mut w = Writer::allocating();
    r.stream_remaining(&mut w).unwrap();
    assert_eq!(String::from_utf8_lossy(w.written()), "56789");
    assert_eq!(r.logical_pos(), 10);

    let pr = pipe_with(b"0123456789");
    let mut r = Reader::file(&pr, ReadBuffer::empty());
    r.seek_to(5).unwrap();
    assert_eq!(r.discard_remaining(), Ok(5));
    assert_eq!(r.logical_pos(), 10);

    let pr = pipe_with(b"0123456789");
    let mut r = Reader::file(&pr, ReadBuffer::empty());
    r.seek_to(5).unwrap();
    let mut d = Writer::discarding(Buffer::empty());
    assert_eq!(r.stream_remaining(&mut d), Ok(5));
}

/// `finish` of a writer over a file opened in append mode keeps what the
/// file had and adds the new bytes at its end.
#[test]
fn finish_keeps_an_append_mode_file() {
    let tmp = temp_file(b"ORIGINAL-CONTENT-");
    let file = OpenOptions::new().append(true).open(tmp.path()).unwrap();
    let mut storage = [0u8; 16];
    let mut w = Writer::file(&file, &mut storage[..]);
    w.write_all(b"new").unwrap();
    w.finish().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(tmp.path()).unwrap()),
        "ORIGINAL-CONTENT-new"
    );
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

/// A discarding writer's count saturates at `u64::MAX` instead of
/// overflowing.
#[test]
fn discarding_count_saturates() {
    let mut storage = [0u8; 4];
    let mut w = Writer::discarding(&mut storage[..]);
    w.write_all(b"a").unwrap();
    assert_eq!(w.splat_byte(b'x', usize::MAX), Ok(usize::MAX));
    assert_eq!(w.full_count(), u64::MAX);

    let mut w = Writer::discarding(Buffer::empty());
    w.write_all(b"a").unwrap();
    assert_eq!(w.splat_byte(b'x', usize::MAX), Ok(usize::MAX));
    assert_eq!(w.full_count(), u64::MAX);
}

/// A 101-byte absolute path whose only `/` is the first byte: stored as
/// given, as GNU tar and the `tar` crate read it back.
#[test]
fn tar_keeps_a_leading_slash() {
    let path = format!("/abs{}", "q".repeat(97));
    assert_eq!(path.len(), 101);
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    tar.write_file_bytes(&path, b"x", Options::new(0o644, 0))
        .unwrap();
    tar.finish().unwrap();
    let mut archive = tar::Archive::new(out.written());
    let names: Vec<Vec<u8>> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path_bytes().into_owned())
        .collect();
    assert_eq!(names, [path.as_bytes()]);
    let tmp = temp_file(out.written());
    let listed = std::process::Command::new("tar")
        .arg("-tf")
        .arg(tmp.path())
        .output()
        .expect("these tests need GNU tar (Debian package `tar`)");
    assert!(listed.status.success(), "tar -tf: {listed:?}");
    assert_eq!(String::from_utf8_lossy(&listed.stdout), format!("{path}\n"));
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
