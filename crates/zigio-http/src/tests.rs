//! Framing and accounting against in-memory protocol outputs, including
//! one that accepts only a few bytes per drain.

use super::*;
use zigio::{Buffer, Sink, WriteFailed, Writer};

/// A protocol output that takes at most `step` bytes per drain, so every
/// forward is partial.
struct Trickle {
    out: Vec<u8>,
    step: usize,
}

impl Sink for Trickle {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let (pattern, rest) = data.split_last().unwrap();
        let mut all = buf.buffered().to_vec();
        for d in rest {
            all.extend_from_slice(d);
        }
        for _ in 0..splat {
            all.extend_from_slice(pattern);
        }
        let n = all.len().min(self.step);
        self.out.extend_from_slice(&all[..n]);
        Ok(buf.consume(n))
    }
}

/// Decodes a chunked body strictly: every size line but the last is eight
/// lowercase hex digits, data is followed by CRLF, no empty chunk before the
/// last. Returns the data and the trailer lines.
fn dechunk(mut wire: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut body = Vec::new();
    loop {
        if let Some(rest) = wire.strip_prefix(b"0\r\n") {
            let text = std::str::from_utf8(rest).unwrap();
            let text = text.strip_suffix("\r\n").expect("final CRLF");
            let trailers = text.split_terminator("\r\n").map(str::to_owned).collect();
            return (body, trailers);
        }
        let (size, rest) = wire.split_at(10);
        assert_eq!(
            &size[8..],
            b"\r\n",
            "size line {:?}",
            String::from_utf8_lossy(size)
        );
        let hex = std::str::from_utf8(&size[..8]).unwrap();
        assert!(
            hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
            "{hex}"
        );
        let len = usize::from_str_radix(hex, 16).unwrap();
        assert!(len > 0, "empty chunk before the end");
        body.extend_from_slice(&rest[..len]);
        assert_eq!(&rest[len..len + 2], b"\r\n", "chunk not closed by CRLF");
        wire = &rest[len + 2..];
    }
}

#[test]
fn chunk_is_sized_to_everything_pending() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 4];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::Chunked);
    body.writer.write_all(b"abc").unwrap(); // buffered
    body.writer.write_splat(&[b"-", b"xy"], 3).unwrap(); // 3 buffered + 7 pending
    assert_eq!(body.state(), State::Chunked { chunk_len: 2 });
    body.writer.write_all(b"z").unwrap();
    body.end().unwrap();
    assert_eq!(
        out.written(),
        b"0000000a\r\nabc-xyxyxy\r\n00000001\r\nz\r\n0\r\n\r\n"
    );
}

#[test]
fn partial_forwards_never_overrun_a_chunk() {
    let mut out = Writer::new(
        Buffer::empty(),
        Trickle {
            out: Vec::new(),
            step: 3,
        },
    );
    let mut body = BodyWriter::new(&mut out, Buffer::empty(), Framing::Chunked);
    // A single-shot write opens a chunk of 6; the output takes 3 bytes per
    // drain, and the drain forwards again until the chunk is complete, so
    // the write takes all 6 ...
    assert_eq!(body.writer.write(b"abcdef").unwrap(), 6);
    assert_eq!(body.state(), State::Chunked { chunk_len: 2 });
    // ... and the next write gets a chunk of its own, never more bytes than
    // a header announced.
    body.writer.write_all(b"0123456789").unwrap();
    body.end_chunked(&[Header::new("x-n", "16")]).unwrap();
    let (data, trailers) = dechunk(&out.sink.out);
    assert_eq!(data, b"abcdef0123456789");
    assert_eq!(trailers, ["x-n: 16"]);
    assert!(
        out.sink
            .out
            .starts_with(b"00000006\r\nabcdef\r\n0000000a\r\n0123456789\r\n")
    );
}

#[test]
fn flush_sends_the_body_writers_own_buffer() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 64];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::Chunked);
    body.writer.write_all(b"hi").unwrap();
    body.flush().unwrap();
    assert_eq!(body.writer.end(), 0);
    assert_eq!(out.written(), b"00000002\r\nhi");
}

#[test]
fn end_chunked_drains_the_buffer_first() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 64];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::Chunked);
    body.writer.write_all(b"tail").unwrap();
    body.end_chunked(&[]).unwrap();
    assert_eq!(out.written(), b"00000004\r\ntail\r\n0\r\n\r\n");
}

#[test]
fn content_length_overrun_is_refused_whole_and_sticky() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 8];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::ContentLength(10));
    body.writer.write_all(b"12345678").unwrap(); // buffered
    assert_eq!(body.writer.write_all(b"abc"), Err(WriteFailed));
    let expected = BodyError::ContentLengthExceeded {
        declared: 10,
        sent: 0,
        offered: 11,
    };
    assert_eq!(body.error(), Some(&expected));
    assert_eq!(body.end(), Err(expected.clone()));
    assert_eq!(body.writer.flush(), Err(WriteFailed));
    assert_eq!(out.written(), b"");
}

#[test]
fn content_length_exact_and_short() {
    let mut out = Writer::allocating();
    let mut body = BodyWriter::new(&mut out, Buffer::empty(), Framing::ContentLength(5));
    body.writer.write_all(b"hello").unwrap();
    body.end().unwrap();
    assert_eq!(body.state(), State::End);
    assert_eq!(body.end(), Err(BodyError::Ended));
    assert_eq!(out.written(), b"hello");

    let mut out = Writer::allocating();
    let mut storage = [0u8; 16];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::ContentLength(5));
    body.writer.write_all(b"hel").unwrap();
    assert_eq!(
        body.end(),
        Err(BodyError::ContentLengthShort {
            declared: 5,
            sent: 3
        })
    );
    assert_eq!(out.written(), b"hel");
}

#[test]
fn eliding_drops_bytes_but_accounts_length() {
    let mut out = Writer::allocating();
    let mut body = BodyWriter::eliding(&mut out, Buffer::empty(), Framing::ContentLength(4));
    body.writer.write_all(b"abcd").unwrap();
    assert_eq!(
        body.state(),
        State::ContentLength {
            declared: 4,
            remaining: 0
        }
    );
    body.end().unwrap();
    assert_eq!(out.written(), b"");

    let mut out = Writer::allocating();
    let mut body = BodyWriter::eliding(&mut out, Buffer::empty(), Framing::ContentLength(4));
    assert_eq!(body.writer.write_all(b"abcde"), Err(WriteFailed));
    assert!(matches!(
        body.error(),
        Some(BodyError::ContentLengthExceeded { offered: 5, .. })
    ));

    let mut out = Writer::allocating();
    let mut storage = [0u8; 3];
    let mut body = BodyWriter::eliding(&mut out, &mut storage, Framing::Chunked);
    body.writer.splat_byte_all(b'x', 100).unwrap();
    body.end_chunked(&[Header::new("x-a", "b")]).unwrap();
    assert_eq!(out.written(), b"");
}

#[test]
fn none_forwards_raw_bytes() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 3];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::None);
    body.writer.write_all(b"raw bytes").unwrap();
    body.writer.splat_byte_all(b'!', 5).unwrap();
    body.end().unwrap();
    assert_eq!(out.written(), b"raw bytes!!!!!");
}

#[test]
fn misuse_of_end_chunked_writes_nothing() {
    let mut out = Writer::allocating();
    let mut storage = [0u8; 8];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::ContentLength(2));
    body.writer.write_all(b"ok").unwrap();
    assert_eq!(body.end_chunked(&[]), Err(BodyError::NotChunked));
    body.end().unwrap();
    assert_eq!(out.written(), b"ok");

    let mut out = Writer::allocating();
    let mut storage = [0u8; 8];
    let mut body = BodyWriter::new(&mut out, &mut storage, Framing::Chunked);
    body.writer.write_all(b"ok").unwrap();
    let bad = [Header::new("x-evil", "a\r\nset-cookie: x")];
    assert!(matches!(
        body.end_chunked(&bad),
        Err(BodyError::InvalidTrailer { .. })
    ));
    // Nothing was written by the refused call: the output below is exact.
    body.end_chunked(&[]).unwrap();
    assert_eq!(out.written(), b"00000002\r\nok\r\n0\r\n\r\n");
}

#[test]
fn downstream_failure_is_kept() {
    let mut out = Writer::failing();
    let mut body = BodyWriter::new(&mut out, Buffer::empty(), Framing::None);
    assert_eq!(body.writer.write_all(b"x"), Err(WriteFailed));
    assert_eq!(body.error(), Some(&BodyError::Downstream));
}

#[cfg(all(feature = "os", unix))]
mod files {
    use super::*;
    use std::io::Write;
    use zigio::{Limit, Reader};

    /// A temporary file holding `content` (removed when dropped), and a
    /// handle on it that reads from its start.
    struct TempFile(tempfile::NamedTempFile, std::fs::File);

    impl TempFile {
        fn new(tag: &str, content: &[u8]) -> TempFile {
            let mut file = tempfile::Builder::new()
                .prefix(&format!("zigio-http-unit-{tag}-"))
                .tempfile()
                .unwrap();
            file.write_all(content).unwrap();
            let reader = file.reopen().unwrap();
            TempFile(file, reader)
        }
    }

    fn content() -> Vec<u8> {
        (0..10_000u32).map(|i| (i % 241) as u8).collect()
    }

    /// A file that shrinks after its size was taken leaves its chunk
    /// short of what the header announced: `end` says how short.
    #[test]
    fn unfinished_chunk_is_an_error_at_end() {
        let src = TempFile::new("shrinks", b"0123456789");
        let mut out = Writer::allocating();
        let mut body = BodyWriter::new(&mut out, Buffer::empty(), Framing::Chunked);
        let mut reader = Reader::file(&src.1, zigio::ReadBuffer::empty());
        assert_eq!(reader.source.reliable_size(), Some(10));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&src.0)
            .unwrap()
            .set_len(4)
            .unwrap();
        assert_eq!(body.writer.send_file(&mut reader, Limit::UNLIMITED), Ok(4));
        assert_eq!(body.end(), Err(BodyError::ChunkUnfinished { owed: 6 }));
    }

    #[test]
    fn chunked_send_file_sizes_the_chunk_from_the_file() {
        let content = content();
        let src = TempFile::new("chunked", &content);
        let mut out = Writer::allocating();
        let mut storage = [0u8; 64];
        let mut body = BodyWriter::new(&mut out, &mut storage, Framing::Chunked);
        body.writer.write_all(b"head:").unwrap();
        let mut rbuf = [0u8; 100];
        let mut file = Reader::file(&src.1, &mut rbuf[..]);
        assert_eq!(file.peek(3).unwrap(), &content[..3]);
        let sent = body
            .writer
            .send_file_all(&mut file, Limit::UNLIMITED)
            .unwrap();
        assert_eq!(sent, content.len());
        body.end_chunked(&[Header::new("x-len", "10000")]).unwrap();
        let (data, trailers) = dechunk(out.written());
        assert_eq!(&data[..5], b"head:");
        assert_eq!(&data[5..], &content[..]);
        assert_eq!(trailers, ["x-len: 10000"]);
    }

    #[test]
    fn content_length_send_file_is_exact_or_refused() {
        let content = content();
        let src = TempFile::new("cl", &content);
        let mut out = Writer::allocating();
        let mut body = BodyWriter::new(
            &mut out,
            Buffer::empty(),
            Framing::ContentLength(content.len() as u64),
        );
        let mut file = Reader::file(&src.1, zigio::reader::ReadBuffer::empty());
        body.writer
            .send_file_all(&mut file, Limit::UNLIMITED)
            .unwrap();
        body.end().unwrap();
        assert_eq!(out.written(), &content[..]);

        // One byte too many: the send is refused whole.
        let mut out = Writer::allocating();
        let mut body = BodyWriter::new(
            &mut out,
            Buffer::empty(),
            Framing::ContentLength(content.len() as u64 - 1),
        );
        let mut file = Reader::file(&src.1, zigio::reader::ReadBuffer::empty());
        assert!(
            body.writer
                .send_file_all(&mut file, Limit::UNLIMITED)
                .is_err()
        );
        assert!(matches!(
            body.error(),
            Some(BodyError::ContentLengthExceeded {
                sent: 0,
                offered: 10_000,
                ..
            })
        ));
        drop(body);
        assert_eq!(out.written(), b"");
    }

    #[test]
    fn eliding_send_file_skips_the_file() {
        let content = content();
        let src = TempFile::new("elide", &content);
        let mut out = Writer::allocating();
        let mut body = BodyWriter::eliding(
            &mut out,
            Buffer::empty(),
            Framing::ContentLength(content.len() as u64),
        );
        let mut file = Reader::file(&src.1, zigio::reader::ReadBuffer::empty());
        let sent = body
            .writer
            .send_file_all(&mut file, Limit::UNLIMITED)
            .unwrap();
        assert_eq!(sent, content.len());
        assert_eq!(file.logical_pos(), content.len() as u64);
        body.end().unwrap();
        assert_eq!(out.written(), b"");
    }
}
