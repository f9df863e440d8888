//! HTTP bodies over protocol outputs that take a few bytes at a time,
//! decoded strictly: random bodies (single-shot and looping writes, splats
//! with one- and many-byte patterns, flushes, and `send_file` of regular,
//! `/proc`, `/sys` and pipe files) through every framing, eliding or not,
//! with body and connection buffers of several sizes, over a connection
//! writer that takes part of each drain (and has no `send_file`) or over
//! an allocating one (which has). The wire is parsed with httparse (the
//! response head, every chunk-size line, the trailer section) and must
//! carry exactly the bytes written. A few bodies go over real sockets that
//! take a few bytes per `write`, to curl.
#![cfg(all(feature = "os", unix))]

use crate::support;

use std::fs::File;
use support::{Op, Response, Server, curl};
use zigio::random::SplitMix64;
use zigio::{Buffer, DynWriter, Limit, ReadBuffer, Reader, Sink, Writer};
use zigio_http::{BodyWriter, Framing, Header};
use zigio_testkit::{Scripted, Step};

const PROC_FILE: &str = "/proc/self/mountinfo";
const SYS_FILE: &str = "/sys/kernel/mm/transparent_hugepage/enabled";

/// A response parsed with httparse: the body as framed, and the trailers.
#[derive(Debug)]
struct Parsed {
    body: Vec<u8>,
    trailers: Vec<(String, Vec<u8>)>,
}

/// Parses `wire` as one HTTP/1.1 response whose body is framed by
/// `framing`, strictly: nothing may follow the body.
fn parse(wire: &[u8], framing: Framing, eliding: bool) -> Result<Parsed, String> {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(wire) {
        Ok(httparse::Status::Complete(n)) => n,
        other => return Err(format!("response head: {other:?}")),
    };
    let rest = &wire[head..];
    let mut parsed = Parsed {
        body: Vec::new(),
        trailers: Vec::new(),
    };
    if eliding {
        return if rest.is_empty() {
            Ok(parsed)
        } else {
            Err(format!(
                "{} bytes after the head of an elided body",
                rest.len()
            ))
        };
    }
    match framing {
        Framing::None => parsed.body = rest.to_vec(),
        Framing::ContentLength(n) => {
            if rest.len() as u64 != n {
                return Err(format!("content-length {n}, {} bytes follow", rest.len()));
            }
            parsed.body = rest.to_vec();
        }
        Framing::Chunked => {
            let mut rest = rest;
            loop {
                let (used, size) = match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete(c)) => c,
                    other => return Err(format!("chunk size: {other:?}")),
                };
                rest = &rest[used..];
                let size = usize::try_from(size).unwrap();
                if size == 0 {
                    break;
                }
                if rest.len() < size + 2 || &rest[size..size + 2] != b"\r\n" {
                    return Err(format!("chunk of {size} bytes is not followed by CRLF"));
                }
                parsed.body.extend_from_slice(&rest[..size]);
                rest = &rest[size + 2..];
            }
            let mut trailers = [httparse::EMPTY_HEADER; 16];
            match httparse::parse_headers(rest, &mut trailers) {
                Ok(httparse::Status::Complete((n, fields))) if n == rest.len() => {
                    parsed.trailers = fields
                        .iter()
                        .map(|h| (h.name.to_owned(), h.value.to_vec()))
                        .collect();
                }
                other => return Err(format!("trailer section: {other:?}")),
            }
        }
    }
    Ok(parsed)
}

fn below(rng: &mut SplitMix64, n: u64) -> u64 {
    rng.next() % n
}

fn bytes(rng: &mut SplitMix64, max: u64) -> Vec<u8> {
    let len = below(rng, max + 1) as usize;
    (0..len).map(|_| rng.next() as u8).collect()
}

/// Where a `send_file` reads from.
#[derive(Debug, Clone)]
enum Source {
    Regular(Vec<u8>),
    Proc,
    Sys,
    Pipe(Vec<u8>),
}

/// One operation on the body writer.
#[derive(Debug, Clone)]
enum BodyOp {
    /// A single-shot `write`: it may take a prefix.
    Write(Vec<u8>),
    WriteAll(Vec<u8>),
    /// A single-shot `write_splat(&[head, pattern], splat)`.
    Splat(Vec<u8>, Vec<u8>, usize),
    SplatAll(Vec<u8>, Vec<u8>, usize),
    SplatByteAll(u8, usize),
    Flush,
    SendFileAll(Source),
}

fn body_ops(rng: &mut SplitMix64, single_shot: bool) -> Vec<BodyOp> {
    (0..=below(rng, 12))
        .map(|_| match below(rng, if single_shot { 9 } else { 7 }) {
            0 => BodyOp::WriteAll(bytes(rng, 40)),
            1 => BodyOp::SplatAll(bytes(rng, 6), bytes(rng, 4), below(rng, 30) as usize),
            2 => BodyOp::SplatByteAll(rng.next() as u8, below(rng, 200) as usize),
            3 => BodyOp::Flush,
            4 => BodyOp::SendFileAll(Source::Regular(bytes(rng, 3000))),
            5 => BodyOp::SendFileAll(match below(rng, 3) {
                0 => Source::Proc,
                1 => Source::Sys,
                _ => Source::Pipe(bytes(rng, 500)),
            }),
            6 => BodyOp::WriteAll(Vec::new()),
            7 => BodyOp::Write(bytes(rng, 40)),
            _ => BodyOp::Splat(bytes(rng, 6), bytes(rng, 4), below(rng, 30) as usize),
        })
        .collect()
}

fn source_bytes(source: &Source) -> Vec<u8> {
    match source {
        Source::Regular(b) | Source::Pipe(b) => b.clone(),
        Source::Proc => std::fs::read(PROC_FILE).unwrap(),
        Source::Sys => std::fs::read(SYS_FILE).unwrap(),
    }
}

/// Sends `source` whole through `w` with `send_file_all`; returns its bytes.
fn send_source<S: Sink + ?Sized>(w: &mut Writer<'_, S>, source: &Source) -> Vec<u8> {
    let all = source_bytes(source);
    let mut storage = [0u8; 100];
    let sent = match source {
        Source::Regular(content) => {
            let tmp = zigio_testkit::temp_file(content);
            let file = File::open(tmp.path()).unwrap();
            let mut r = Reader::file(&file, &mut storage[..]);
            w.send_file_all(&mut r, Limit::UNLIMITED)
        }
        Source::Proc | Source::Sys => {
            let file = File::open(if matches!(source, Source::Proc) {
                PROC_FILE
            } else {
                SYS_FILE
            })
            .unwrap();
            let mut r = Reader::file(&file, ReadBuffer::empty());
            w.send_file_all(&mut r, Limit::UNLIMITED)
        }
        Source::Pipe(content) => {
            let pr = zigio_testkit::pipe_holding(content);
            let mut r = Reader::file(&pr, &mut storage[..]);
            w.send_file_all(&mut r, Limit::UNLIMITED)
        }
    };
    assert_eq!(sent, Ok(all.len()), "send_file_all of {source:?}");
    all
}

/// Applies `ops` to `body`; returns the bytes written (the model).
fn write_ops(body: &mut BodyWriter<'_, '_, '_>, ops: &[BodyOp]) -> Vec<u8> {
    let mut model = Vec::new();
    for op in ops {
        match op {
            BodyOp::Write(b) => {
                let n = body.writer.write(b).unwrap();
                model.extend_from_slice(&b[..n]);
            }
            BodyOp::WriteAll(b) => {
                body.writer.write_all(b).unwrap();
                model.extend_from_slice(b);
            }
            BodyOp::Splat(head, pattern, splat) => {
                let n = body.writer.write_splat(&[head, pattern], *splat).unwrap();
                let all = [head.clone(), pattern.repeat(*splat)].concat();
                model.extend_from_slice(&all[..n]);
            }
            BodyOp::SplatAll(head, pattern, splat) => {
                body.writer
                    .write_splat_all(&mut [head, pattern], *splat)
                    .unwrap();
                model.extend_from_slice(head);
                model.extend_from_slice(&pattern.repeat(*splat));
            }
            BodyOp::SplatByteAll(b, n) => {
                body.writer.splat_byte_all(*b, *n).unwrap();
                model.extend(std::iter::repeat_n(*b, *n));
            }
            BodyOp::Flush => body.flush().unwrap(),
            BodyOp::SendFileAll(source) => model.extend(send_source(&mut body.writer, source)),
        }
    }
    model
}

/// The total an op list writes when no op is single-shot.
fn total(ops: &[BodyOp]) -> u64 {
    ops.iter()
        .map(|op| match op {
            BodyOp::WriteAll(b) => b.len(),
            BodyOp::SplatAll(h, p, s) => h.len() + p.len() * s,
            BodyOp::SplatByteAll(_, n) => *n,
            BodyOp::SendFileAll(s) => source_bytes(s).len(),
            BodyOp::Flush => 0,
            BodyOp::Write(_) | BodyOp::Splat(..) => unreachable!("single-shot"),
        } as u64)
        .sum()
}

const TRAILERS: [(&str, &str); 2] = [
    ("x-checksum", "sha256 0f1e2d"),
    ("x-note", "tab\tand caf\u{e9}"),
];

/// One body: writes it, ends it, parses the wire, compares with the model.
fn one_body(seed: u64) {
    let mut rng = SplitMix64::init(seed);
    let framing_pick = below(&mut rng, 3);
    let eliding = below(&mut rng, 4) == 0;
    let ops = body_ops(&mut rng, framing_pick != 1);
    let framing = match framing_pick {
        0 => Framing::None,
        1 => Framing::ContentLength(total(&ops)),
        _ => Framing::Chunked,
    };
    let body_capacity = [0, 1, 9, 64, 4096][below(&mut rng, 5) as usize];
    let conn_capacity = [0, 3, 64][below(&mut rng, 3) as usize];
    let partial = below(&mut rng, 3) != 0;
    let trailers: Vec<Header<'_>> = match below(&mut rng, 3) {
        0 => TRAILERS.iter().map(|(n, v)| Header::new(n, v)).collect(),
        _ => Vec::new(),
    };
    let case = format!(
        "seed {seed}: {framing:?}, eliding {eliding}, body buffer {body_capacity}, \
         connection buffer {conn_capacity}, partial {partial}, ops {ops:?}"
    );
    let head = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n";
    let mut conn_storage = vec![0u8; conn_capacity];
    let script = if partial {
        let mut s: Vec<Step> = (0..=below(&mut rng, 5))
            .map(|_| Step::Take(below(&mut rng, 9) as usize))
            .collect();
        s.push(Step::Take(1));
        s
    } else {
        vec![Step::All]
    };
    // The head and the body, into either connection writer.
    let respond = |conn: &mut DynWriter<'_>| {
        conn.write_all(head).unwrap();
        write_body(
            conn,
            framing,
            eliding,
            body_capacity,
            &ops,
            &trailers,
            &case,
        )
    };
    let (wire, model) = if partial {
        let mut conn = Writer::new(&mut conn_storage[..], Scripted::new(script));
        let model = respond(&mut conn);
        conn.flush().unwrap();
        (conn.sink.received.clone(), model)
    } else {
        let mut conn = Writer::allocating();
        let model = respond(&mut conn);
        (conn.into_vec(), model)
    };
    let parsed = parse(&wire, framing, eliding).unwrap_or_else(|e| panic!("{case}: {e}"));
    if eliding {
        return;
    }
    assert!(
        parsed.body == model,
        "{case}: the decoded body differs from what was written"
    );
    if framing == Framing::Chunked {
        let want: Vec<(String, Vec<u8>)> = trailers
            .iter()
            .map(|t| (t.name.to_owned(), t.value.as_bytes().to_vec()))
            .collect();
        assert_eq!(parsed.trailers, want, "{case}: trailers");
    }
}

fn write_body(
    conn: &mut DynWriter<'_>, framing: Framing, eliding: bool, capacity: usize, ops: &[BodyOp],
    trailers: &[Header<'_>], case: &str,
) -> Vec<u8> {
    let mut storage = vec![0u8; capacity];
    let buffer = Buffer::borrowed(&mut storage);
    let mut body = if eliding {
        BodyWriter::eliding(conn, buffer, framing)
    } else {
        BodyWriter::new(conn, buffer, framing)
    };
    let model = write_ops(&mut body, ops);
    let end = if framing == Framing::Chunked {
        body.end_chunked(trailers)
    } else {
        body.end()
    };
    end.unwrap_or_else(|e| panic!("{case}: end: {e}"));
    model
}

#[test]
fn random_bodies_over_partial_outputs_decode_strictly() {
    const BODIES: u64 = 1500;
    for seed in 0..BODIES {
        one_body(seed);
    }
    println!("http bodies decoded with httparse: {BODIES}");
}

/// Bodies over real sockets whose `write`s take 3 bytes each (the
/// connection writer is a `std::io::Write` adapter: no `send_file`) or
/// over a socket file writer (`sendfile`), read by curl.
#[test]
fn curl_decodes_bodies_written_a_few_bytes_at_a_time() {
    let sys = std::fs::read(SYS_FILE).unwrap();
    let ops = vec![
        Op::Write(b"hello ".to_vec()),
        Op::Splat {
            head: b"<".to_vec(),
            pattern: b"ab".to_vec(),
            count: 7,
        },
        Op::SendFile(support::noise(3, 5000)),
        Op::SplatByte(b'.', 300),
        Op::Flush,
        Op::SendFile(sys),
        Op::Write(b" bye".to_vec()),
    ];
    let expected = support::body_of(&ops);
    let mut runs = 0;
    for framing in [
        Framing::Chunked,
        Framing::ContentLength(expected.len() as u64),
        Framing::None,
    ] {
        for (socket_sink, max_write, body_buffer, conn_buffer) in [
            (false, 3, 0, 0),
            (false, 3, 16, 5),
            (false, 0, 4096, 4096),
            (true, 0, 7, 64),
        ] {
            let response = Response {
                framing,
                ops: ops.clone(),
                trailers: Vec::new(),
                body_buffer,
                conn_buffer,
                max_write,
                socket_sink,
            };
            let case = format!("{framing:?}, socket sink {socket_sink}, max write {max_write}");
            let server = Server::start(1, response);
            let got = curl(&server.url(), &[]);
            let outcomes = server.join();
            assert!(
                outcomes.iter().all(|o| o.result.is_ok()),
                "{case}: {outcomes:?}"
            );
            assert_eq!(got.code, 0, "{case}: curl: {}", got.stderr);
            assert!(got.body == expected, "{case}: curl's body differs");
            runs += 1;
        }
    }
    println!("curl runs: {runs}");
}
