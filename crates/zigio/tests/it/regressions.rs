//! One test per defect found by an adversarial run from outside the other
//! suites: lost bytes, duplicated bytes, hangs and wrong output. Each test
//! uses real parts (the kernel's `/proc` files, pipes, append-mode files)
//! and states the behaviour it expects, not the code path it takes. The
//! defects of the HTTP body writer and the tar writer found by the same run
//! are tested in `zigio-http` and `zigio-tar`.
#![cfg(all(feature = "os", unix, feature = "digest"))]

use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::Read;
use zigio::{Buffer, Limit, ReadBuffer, Reader, Writer};
use zigio_testkit::{Scripted, Step, temp_file};

const MOUNTINFO: &str = "/proc/self/mountinfo";

/// A write limited to less than one copy of its pattern (what an HTTP
/// body's open chunk owing one byte passes) still moves a byte: a drain
/// always makes progress.
#[test]
fn a_limit_shorter_than_the_pattern_still_moves_a_byte() {
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
    let pr = zigio_testkit::pipe_holding(b"0123456789");
    let mut r = Reader::file(&pr, ReadBuffer::empty());
    r.seek_to(5).unwrap();
    let mut w = Writer::allocating();
    r.stream_remaining(&mut w).unwrap();
    assert_eq!(String::from_utf8_lossy(w.written()), "56789");
    assert_eq!(r.logical_pos(), 10);

    let pr = zigio_testkit::pipe_holding(b"0123456789");
    let mut r = Reader::file(&pr, ReadBuffer::empty());
    r.seek_to(5).unwrap();
    assert_eq!(r.discard_remaining(), Ok(5));
    assert_eq!(r.logical_pos(), 10);

    let pr = zigio_testkit::pipe_holding(b"0123456789");
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
