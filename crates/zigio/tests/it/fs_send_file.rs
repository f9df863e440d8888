//! `send_file` between real files, pipes and sockets: every size, with and
//! without bytes the reader buffered before (a `peek`), through streaming
//! (`sendfile`) and positional (`copy_file_range`) writers and through the
//! read/write fallback; the output must be the source range, byte for byte.
//! Includes one test for each reader-buffer `[bug?]` of Zig 0.15.1 that the
//! port does not copy.
#![cfg(all(feature = "os", unix))]

use std::fs::File;
use std::io::Read;
use tempfile::NamedTempFile;
use zigio::fs::{FileReader, FileWriter, Mode};
use zigio::{Limit, ReadError, Reader, SendFileError, Writer};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 + i / 4093) as u8).collect()
}

/// A regular file holding `len` bytes of [`pattern`], and those bytes.
fn source(len: usize) -> (NamedTempFile, Vec<u8>) {
    let data = pattern(len);
    (zigio_testkit::temp_file(&data), data)
}

#[derive(Debug, Clone, Copy)]
enum Out {
    Streaming,
    Positional,
}

#[derive(Debug, Clone, Copy)]
enum In {
    Positional,
    Streaming,
}

const MIB: usize = 1 << 20;

/// Copies `len` source bytes (at most `limit`) after a buffered header, with
/// `peek` bytes peeked first, and checks everything: the result, the
/// output, where the reader stands, and which system call did the work.
fn copy_case(len: usize, limit: Limit, peek: usize, out: Out, inp: In) {
    let case = format!("len {len}, {limit:?}, peek {peek}, {out:?} writer, {inp:?} reader");
    let (src, data) = source(len);
    let dst = NamedTempFile::new().unwrap();
    let input = File::open(src.path()).unwrap();
    let output = dst.reopen().unwrap();
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r: FileReader<'_, '_> = match inp {
        In::Positional => Reader::file(&input, &mut rbuf),
        In::Streaming => Reader::file_streaming(&input, &mut rbuf),
    };
    let mut w: FileWriter<'_, '_> = match out {
        Out::Streaming => Writer::file_streaming(&output, &mut wbuf),
        Out::Positional => Writer::file(&output, &mut wbuf),
    };
    if peek > 0 {
        match r.peek(peek) {
            Ok(p) => assert_eq!(p, &data[..peek], "{case}"),
            Err(ReadError::EndOfStream) => assert!(len < peek, "{case}"),
            Err(e) => panic!("{case}: peek failed: {e}"),
        }
    }
    w.write_all(b"HDR:").unwrap();
    let want = limit.min_int(len);
    let sent = w.send_file_all(&mut r, limit).unwrap();
    assert_eq!(sent, want, "{case}");
    w.finish().unwrap();
    let got = std::fs::read(dst.path()).unwrap();
    assert_eq!(got.len(), 4 + want, "{case}");
    assert!(
        got[..4] == *b"HDR:" && got[4..] == data[..want],
        "{case}: content differs"
    );
    // The reader stands right after the sent range.
    assert_eq!(r.logical_pos(), want as u64, "{case}");
    let mut rest = Vec::new();
    r.adapt_to_io().read_to_end(&mut rest).unwrap();
    assert!(rest == data[want..], "{case}: the bytes after the range");
    // The fast paths did the work where they apply.
    if want > peek.min(len) {
        assert_eq!(
            r.source.mode(),
            match inp {
                In::Positional => Mode::Positional,
                In::Streaming => Mode::Streaming,
            },
            "{case}: no fallback to reading"
        );
        match out {
            Out::Streaming => assert!(w.sink.sendfile_err().is_none(), "{case}"),
            Out::Positional => assert!(w.sink.copy_file_range_err().is_none(), "{case}"),
        }
    }
}

#[test]
fn file_to_file_matrix() {
    let sizes: [(usize, Limit); 4] = [
        (0, Limit::UNLIMITED),
        (1, Limit::UNLIMITED),
        (MIB, Limit::UNLIMITED),
        // Larger than the limit: only the limit is sent.
        (3 * MIB + 7, Limit::limited(MIB + 3)),
    ];
    for (len, limit) in sizes {
        for peek in [0, 10] {
            for out in [Out::Streaming, Out::Positional] {
                for inp in [In::Positional, In::Streaming] {
                    copy_case(len, limit, peek, out, inp);
                }
            }
        }
    }
}

#[test]
fn limit_smaller_than_the_reader_buffer() {
    // Everything comes out of the reader's buffer: no system call reads.
    copy_case(
        10_000,
        Limit::limited(100),
        10,
        Out::Streaming,
        In::Positional,
    );
    copy_case(
        10_000,
        Limit::limited(4096),
        10,
        Out::Positional,
        In::Positional,
    );
    copy_case(
        10_000,
        Limit::limited(4097),
        10,
        Out::Positional,
        In::Streaming,
    );
}

/// Zig 0.15.1 `[bug?]` (a): `copy_file_range` gets the raw limit, so
/// `Limit::UNLIMITED` is `EOVERFLOW` and the copy silently falls back to
/// `pread`/`pwritev`. Here the length is clamped: the call succeeds.
#[test]
fn bug_a_unlimited_copy_file_range_is_clamped_not_eoverflow() {
    let (src, data) = source(MIB);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file(&output, &mut wbuf);
    // One call: copy_file_range moves the whole MiB at once.
    assert_eq!(w.send_file(&mut r, Limit::UNLIMITED), Ok(MIB));
    assert!(w.sink.copy_file_range_err().is_none(), "no EOVERFLOW kept");
    assert_eq!(r.source.mode(), Mode::Positional, "no fallback to reading");
    assert_eq!(
        w.send_file(&mut r, Limit::UNLIMITED),
        Err(SendFileError::EndOfStream)
    );
    w.finish().unwrap();
    assert!(std::fs::read(dst.path()).unwrap() == data);
    assert_eq!(zigio::fs::clamp_len(Limit::UNLIMITED), zigio::fs::MAX_COUNT);
}

/// Zig 0.15.1 `[bug?]` (b): after sending the reader's buffered bytes,
/// `sendFileBuffered` seeks to `pos + n` (8192 after a 4096-byte peek)
/// instead of the logical position (4096), and `sendfile` skips input
/// bytes 4096..8191. Here the output is exactly the input.
#[test]
fn bug_b_sendfile_after_reader_buffered_bytes_skips_nothing() {
    let (src, data) = source(MIB);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file_streaming(&output, &mut wbuf);
    r.peek(10).unwrap();
    assert_eq!(
        (r.buffered_len(), r.source.pos(), r.logical_pos()),
        (4096, 4096, 0)
    );
    w.write_all(b"HDR:").unwrap();
    assert_eq!(
        w.send_file_all(&mut r, Limit::limited(100_000)),
        Ok(100_000)
    );
    w.flush().unwrap();
    assert!(w.sink.sendfile_err().is_none(), "sendfile did the rest");
    let got = std::fs::read(dst.path()).unwrap();
    assert_eq!(&got[..4], b"HDR:");
    assert!(
        got[4..] == data[..100_000],
        "input bytes 4096..8191 must not be skipped"
    );
    assert_eq!(r.logical_pos(), 100_000);
}

/// Zig 0.15.1 `[bug?]` (c): the read fallback (`sendFileReading`) reads at
/// the file's true position and ignores the reader's buffered bytes, so
/// input bytes 0..4095 are lost. Here they are sent first.
#[test]
fn bug_c_reading_fallback_sends_reader_buffered_bytes_first() {
    let (src, data) = source(MIB);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file(&output, &mut wbuf);
    r.peek(10).unwrap();
    // Force the fallback, as Zig's build without libc has it for a
    // positional writer.
    w.sink.set_mode(Mode::PositionalReading);
    w.write_all(b"HDR:").unwrap();
    assert_eq!(
        w.send_file(&mut r, Limit::limited(8)),
        Ok(8),
        "buffered bytes first"
    );
    assert_eq!(
        w.send_file(&mut r, Limit::UNLIMITED),
        Ok(4088),
        "all of them, in one write"
    );
    assert_eq!(
        w.send_file(&mut r, Limit::UNLIMITED),
        Err(SendFileError::Unimplemented)
    );
    assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(MIB - 4096));
    assert_eq!(
        r.source.mode(),
        Mode::PositionalReading,
        "send_file_all switched to reading"
    );
    w.finish().unwrap();
    let got = std::fs::read(dst.path()).unwrap();
    assert!(
        got[..4] == *b"HDR:" && got[4..] == data[..],
        "input bytes 0..4095 must not be lost"
    );

    // The same through `send_file_reading_all` directly.
    let dst = NamedTempFile::new().unwrap();
    let output = dst.reopen().unwrap();
    let mut rbuf = [0u8; 4096];
    let mut wbuf = [0u8; 512];
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file(&output, &mut wbuf);
    r.peek(1).unwrap();
    assert_eq!(
        w.send_file_reading_all(&mut r, Limit::limited(10_000)),
        Ok(10_000)
    );
    w.finish().unwrap();
    assert!(std::fs::read(dst.path()).unwrap() == data[..10_000]);
}

#[test]
fn unbuffered_writer_reading_fallback() {
    let (src, data) = source(100_000);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let mut rbuf = [0u8; 1024];
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file(&output, zigio::Buffer::empty());
    r.peek(3).unwrap();
    r.source.set_mode(Mode::PositionalReading);
    assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(100_000));
    assert!(std::fs::read(dst.path()).unwrap() == data);
}

#[test]
fn send_file_header_sends_header_then_file() {
    let (src, data) = source(50_000);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 64]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file_streaming(&output, &mut wbuf);
    r.peek(1).unwrap();
    let mut total = 0;
    // A header larger than the buffer: one drain carries the header and
    // the reader's buffered bytes (limited).
    let header = [b'H'; 100];
    let n = w
        .send_file_header(&header, &mut r, Limit::limited(20_000))
        .unwrap();
    assert!(n >= 100, "the header went out whole: {n}");
    total += n - 100;
    while total < 20_000 {
        total += w
            .send_file_header(b"", &mut r, Limit::limited(20_000 - total))
            .unwrap();
    }
    // A header that fits is buffered, then the file part runs; an end of
    // file after it still reports the header's bytes.
    w.send_file_all(&mut r, Limit::UNLIMITED).unwrap();
    assert_eq!(w.send_file_header(b"END", &mut r, Limit::UNLIMITED), Ok(3));
    assert_eq!(
        w.send_file_header(b"", &mut r, Limit::UNLIMITED),
        Err(SendFileError::EndOfStream)
    );
    w.flush().unwrap();
    let got = std::fs::read(dst.path()).unwrap();
    let mut want = header.to_vec();
    want.extend_from_slice(&data);
    want.extend_from_slice(b"END");
    assert!(got == want);
}

#[test]
fn sendfile_into_a_pipe_and_a_socket() {
    let (src, data) = source(2 * MIB + 1);
    let input = File::open(src.path()).unwrap();

    let (pr, pw) = zigio_testkit::pipe();
    let reader = zigio_testkit::read_to_end_in_thread(pr);
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file(&pw, &mut wbuf); // positional: falls back
    r.peek(5).unwrap();
    assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(data.len()));
    w.flush().unwrap();
    drop(w);
    drop(pw);
    assert!(reader.join().unwrap() == data);

    let (stream, peer) = zigio_testkit::loopback_peer();
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file_streaming(&stream, &mut wbuf);
    w.write_all(b"HTTP/1.1 200 OK\r\n\r\n").unwrap();
    assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(data.len()));
    w.flush().unwrap();
    assert!(w.sink.sendfile_err().is_none(), "sendfile to a socket");
    drop(w);
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let got = peer.join().unwrap();
    assert_eq!(&got[..19], b"HTTP/1.1 200 OK\r\n\r\n");
    assert!(got[19..] == data[..]);
}

#[test]
fn pipe_as_input() {
    let data = pattern(300_000);
    let (pr, feeder) = zigio_testkit::fed_pipe(&data);
    let dst = NamedTempFile::new().unwrap();
    let output = dst.reopen().unwrap();
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    // A positional reader on a pipe: ESPIPE makes it streaming.
    let mut r = Reader::file(&pr, &mut rbuf);
    let mut w = Writer::file(&output, &mut wbuf);
    assert_eq!(r.take(7).unwrap(), &data[..7]);
    assert_eq!(
        w.send_file_all(&mut r, Limit::UNLIMITED),
        Ok(data.len() - 7)
    );
    w.finish().unwrap();
    feeder.join().unwrap();
    assert!(r.source.mode().is_streaming());
    assert!(std::fs::read(dst.path()).unwrap() == data[7..]);
}

#[test]
fn reader_stream_uses_the_writer_send_file() {
    // Zig's path: Reader.stream -> File.Reader.stream -> w.sendFile.
    let (src, data) = source(MIB + 17);
    let dst = NamedTempFile::new().unwrap();
    let (input, output) = (File::open(src.path()).unwrap(), dst.reopen().unwrap());
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file_streaming(&output, &mut wbuf);
    assert_eq!(r.take_byte().unwrap(), data[0]);
    assert_eq!(r.stream_remaining(&mut w).unwrap(), data.len() - 1);
    w.flush().unwrap();
    assert_eq!(
        r.source.mode(),
        Mode::Positional,
        "sendfile served every stream"
    );
    assert!(std::fs::read(dst.path()).unwrap() == data[1..]);
}

#[test]
fn discarding_send_file_counts_reader_buffered_bytes_too() {
    // Zig's "discarding sendFile" test, plus a peek first.
    let (src, data) = source(10_000);
    let input = File::open(src.path()).unwrap();
    let mut rbuf = [0u8; 256];
    let mut r = Reader::file(&input, &mut rbuf);
    let mut dbuf = [0u8; 32];
    let mut d = Writer::discarding(&mut dbuf);
    assert_eq!(r.take(6).unwrap(), &data[..6]);
    d.write_all(b"xy").unwrap();
    assert_eq!(r.stream_remaining(&mut d).unwrap(), 10_000 - 6);
    assert_eq!(d.full_count(), 2 + 10_000 - 6);
    assert_eq!(r.logical_pos(), 10_000);
    // Only the 250 buffered bytes went through drain; the rest was a seek.
    assert_eq!(r.source.mode(), Mode::Positional);
    // Unknown size (a pipe): Unimplemented, then the read fallback.
    let (pr, feeder) = zigio_testkit::fed_pipe(&[7u8; 5000]);
    let mut r = Reader::file_streaming(&pr, &mut rbuf);
    let mut d = Writer::discarding(&mut dbuf);
    assert_eq!(d.send_file_all(&mut r, Limit::UNLIMITED), Ok(5000));
    assert_eq!(d.full_count(), 5000);
    feeder.join().unwrap();
}

#[test]
fn allocating_send_file_appends_reader_buffered_bytes_first() {
    // Zig's "allocating sendFile" test, plus a peek first.
    let (src, data) = source(70_000);
    let input = File::open(src.path()).unwrap();
    let mut rbuf = [0u8; 1000];
    let mut r = Reader::file(&input, &mut rbuf);
    let mut a = Writer::allocating();
    r.peek(3).unwrap();
    assert_eq!(r.stream_remaining(&mut a).unwrap(), 70_000);
    assert!(a.written() == &data[..]);
    let mut r = Reader::file(&input, &mut rbuf);
    r.peek(3).unwrap();
    let mut a = Writer::allocating();
    assert_eq!(a.send_file_all(&mut r, Limit::limited(5000)), Ok(5000));
    assert!(a.written() == &data[..5000]);
    assert_eq!(a.send_file(&mut r, Limit::NOTHING), Ok(0));
}

#[test]
fn empty_source_is_end_of_stream_everywhere() {
    let (src, _) = source(0);
    let input = File::open(src.path()).unwrap();
    let dst = NamedTempFile::new().unwrap();
    let output = dst.reopen().unwrap();
    let (mut rbuf, mut wbuf) = ([0u8; 64], [0u8; 64]);
    for streaming in [false, true] {
        let mut r = Reader::file(&input, &mut rbuf);
        let mut w = if streaming {
            Writer::file_streaming(&output, &mut wbuf)
        } else {
            Writer::file(&output, &mut wbuf)
        };
        assert_eq!(
            w.send_file(&mut r, Limit::UNLIMITED),
            Err(SendFileError::EndOfStream)
        );
        assert!(r.at_end());
        assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(0));
        assert_eq!(
            w.send_file_reading(&mut r, Limit::UNLIMITED),
            Err(zigio::StreamError::EndOfStream)
        );
    }
}

/// `sendfile` into a full non-blocking pipe: `EAGAIN` is the writer's
/// `WriteFailed` with the cause kept (Zig 0.15.1 records it as the reason
/// to stop using `sendfile` for good); nothing is counted that did not
/// reach the pipe, and `sendfile` keeps working once the pipe drains.
#[test]
fn sendfile_eagain_is_write_failed_and_keeps_the_accounting() {
    let (src, data) = source(MIB);
    let input = File::open(src.path()).unwrap();
    let (pr, pw) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::NONBLOCK).unwrap();
    let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
    let mut r = Reader::file(&input, &mut rbuf);
    let mut w = Writer::file_streaming(&pw, &mut wbuf);
    let mut sent = 0;
    let mut got = Vec::new();
    let mut eagain = 0;
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        match w.send_file(&mut r, Limit::UNLIMITED) {
            Ok(n) => sent += n,
            Err(SendFileError::EndOfStream) => break,
            Err(SendFileError::WriteFailed) => {
                let err = w.sink.err.take().expect("kept");
                assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
                eagain += 1;
                // Everything reported sent is in the pipe, in order.
                loop {
                    match rustix::io::read(&pr, &mut chunk[..]) {
                        Ok(n) => got.extend_from_slice(&chunk[..n]),
                        Err(rustix::io::Errno::AGAIN) => break,
                        Err(e) => panic!("{e}"),
                    }
                }
                assert_eq!(got.len(), sent);
                assert!(got[..] == data[..sent]);
                assert_eq!(r.logical_pos(), sent as u64);
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    loop {
        match rustix::io::read(&pr, &mut chunk[..]) {
            Ok(n) if n > 0 => got.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    assert!(eagain > 0, "1 MiB into a 64 KiB pipe must fill it");
    assert!(w.sink.sendfile_err().is_none(), "sendfile stayed in use");
    assert_eq!(sent, MIB);
    assert!(got == data);
}

#[test]
fn instrumented_file_writer_keeps_the_kernel_copy_path() {
    use zigio::{Event, Instrumented};
    let (src, data) = source(64 * 1024);
    let dst = NamedTempFile::new().unwrap();
    let input = File::open(src.path()).unwrap();
    let output = dst.reopen().unwrap();
    let mut rbuf = [0u8; 4096];
    let mut r: FileReader<'_, '_> = Reader::file(&input, &mut rbuf);
    let mut wbuf = [0u8; 4096];
    let inner = Writer::file_streaming(&output, &mut wbuf).into_parts().1;
    let mut w = Writer::new(&mut wbuf, Instrumented::new(inner));
    w.write_all(b"HDR:").unwrap();
    let sent = w.send_file_all(&mut r, Limit::UNLIMITED).unwrap();
    w.flush().unwrap();
    assert_eq!(sent, data.len());
    let mut got = Vec::new();
    File::open(dst.path())
        .unwrap()
        .read_to_end(&mut got)
        .unwrap();
    assert_eq!(&got[..4], b"HDR:");
    assert!(got[4..] == data[..]);
    // The decorator forwarded send_file: the inner sink's kernel copy ran
    // and was recorded, instead of the read/write fallback.
    let sends: Vec<_> = w
        .sink
        .trace
        .events
        .iter()
        .filter_map(|e| match e {
            Event::SendFile { result, .. } => Some(*result),
            _ => None,
        })
        .collect();
    assert!(!sends.is_empty(), "no send_file reached the inner sink");
    assert_eq!(
        sends.iter().filter_map(|r| r.ok()).sum::<usize>(),
        data.len(),
        "{sends:?}"
    );
}
