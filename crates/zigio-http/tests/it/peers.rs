//! Responses written through `zigio_http::BodyWriter`, served from
//! 127.0.0.1 and read by real HTTP clients: hyper, curl, and a raw socket
//! with a strict chunked parser.

// Some entries and responses come from files (`Reader::file`, socket file
// writers): the OS-backed half of the crate.
#![cfg(all(feature = "os", unix))]

use crate::support;

use proptest::prelude::*;
use support::*;
use zigio_http::{BodyError, Framing};

fn ok(outcomes: &[Outcome]) {
    for o in outcomes {
        assert_eq!(o.result, Ok(()), "server side of a {} request", o.method);
    }
}

/// Checks one response against the body that was written, from all three
/// clients, and the server's outcomes.
fn check_all_clients(response: Response) {
    let expected = body_of(&response.ops);
    let server = Server::start(3, response.clone());
    let url = server.url();

    let hyper = hyper_request(server.addr, "GET").expect("hyper GET");
    let curl = curl(&url, &[]);
    let (status, headers, wire) = raw_request(server.addr, "GET");
    ok(&server.join());

    assert_eq!(hyper.status, 200);
    assert_eq!(status, 200);
    assert_eq!(curl.code, 0, "curl failed: {}", curl.stderr);
    assert!(
        hyper.body == expected,
        "hyper body differs ({} vs {} bytes)",
        hyper.body.len(),
        expected.len()
    );
    assert!(
        curl.body == expected,
        "curl body differs ({} vs {} bytes)",
        curl.body.len(),
        expected.len()
    );
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    match response.framing {
        Framing::Chunked => {
            let parsed = dechunk_strict(&wire).unwrap_or_else(|e| panic!("chunked framing: {e}"));
            assert!(parsed.body == expected, "raw dechunked body differs");
            let want: Vec<(String, String)> = response.trailers.clone();
            assert_eq!(parsed.trailers, want, "trailers on the wire");
            assert_eq!(hyper.trailers, want, "trailers as hyper decoded them");
            assert_eq!(parsed.chunk_sizes.iter().sum::<usize>(), expected.len());
        }
        Framing::ContentLength(n) => {
            assert_eq!(header("content-length"), Some(n.to_string()));
            assert_eq!(hyper.header("content-length"), Some(n.to_string().as_str()));
            assert!(wire == expected, "raw body differs");
        }
        Framing::None => assert!(wire == expected, "raw body differs"),
    }
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..65536, any::<u64>()).prop_map(|(len, seed)| Op::Write(noise(seed, len))),
        2 => (0usize..64, 1usize..5, 0usize..4096, any::<u64>()).prop_map(|(h, p, count, seed)| {
            let bytes = noise(seed, h + p);
            Op::Splat { head: bytes[..h].to_vec(), pattern: bytes[h..].to_vec(), count }
        }),
        1 => (any::<u8>(), 0usize..65536).prop_map(|(b, n)| Op::SplatByte(b, n)),
        1 => Just(Op::Flush),
        1 => (0usize..100_000, any::<u64>()).prop_map(|(len, seed)| Op::SendFile(noise(seed, len))),
    ]
}

fn response_strategy() -> impl Strategy<Value = Response> {
    (
        0u8..3,
        prop::collection::vec(op_strategy(), 0..8),
        prop::sample::select(vec![0usize, 1, 7, 512, 4096, 70_000]),
        prop::sample::select(vec![0usize, 10, 4096]),
        prop::sample::select(vec![0usize, 0, 997, 64]),
        any::<bool>(),
    )
        .prop_map(
            |(framing, ops, body_buffer, conn_buffer, max_write, socket_sink)| {
                let len = body_of(&ops).len() as u64;
                let (framing, trailers) = match framing {
                    0 => (Framing::ContentLength(len), vec![]),
                    1 => (
                        Framing::Chunked,
                        vec![
                            ("x-body-length".to_owned(), len.to_string()),
                            ("x-note".to_owned(), "sent after the last chunk".to_owned()),
                        ],
                    ),
                    _ => (Framing::None, vec![]),
                };
                Response {
                    framing,
                    ops,
                    trailers,
                    body_buffer,
                    conn_buffer,
                    max_write,
                    socket_sink,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_write_patterns_decode_to_what_was_written(response in response_strategy()) {
        check_all_clients(response);
    }
}

#[test]
fn every_framing_with_an_unbuffered_body_writer() {
    for framing in [
        Framing::ContentLength(70_001),
        Framing::Chunked,
        Framing::None,
    ] {
        check_all_clients(Response {
            framing,
            ops: vec![
                Op::Write(noise(1, 70_000)),
                Op::Flush,
                Op::Write(vec![]),
                Op::SplatByte(b'!', 1),
            ],
            trailers: vec![],
            body_buffer: 0,
            conn_buffer: 0,
            max_write: 0,
            socket_sink: false,
        });
    }
}

#[test]
fn chunks_stay_exact_when_the_socket_takes_a_little_at_a_time() {
    // Each 10 000-byte write opens a chunk that the capped socket takes
    // only in part; the unsent rest then fits in the body buffer, so the
    // next write's drain brings more bytes than the open chunk still needs.
    // Only the chunk limit keeps them out of it.
    check_all_clients(Response {
        framing: Framing::Chunked,
        ops: vec![
            Op::Write(noise(11, 10_000)),
            Op::Write(noise(12, 10_000)),
            Op::Write(noise(13, 3000)),
            Op::Flush,
            Op::SplatByte(b'z', 9000),
        ],
        trailers: vec![("x-n".to_owned(), "4".to_owned())],
        body_buffer: 4096,
        conn_buffer: 10,
        max_write: 64,
        socket_sink: false,
    });
}

#[test]
fn files_go_out_with_send_file() {
    // With a file writer over the socket, the body writer forwards file
    // bytes with `send_file_header`, i.e. `sendfile`; with an io::Write
    // adapter the same calls fall back to reading. Both frame alike.
    for framing in [
        Framing::ContentLength(150_011),
        Framing::Chunked,
        Framing::None,
    ] {
        for (socket_sink, body_buffer) in [(true, 0), (true, 4096), (false, 0), (false, 4096)] {
            check_all_clients(Response {
                framing,
                ops: vec![
                    Op::Write(b"head".to_vec()),
                    Op::SendFile(noise(21, 100_000)),
                    Op::SendFile(Vec::new()),
                    Op::Write(b"middle".to_vec()),
                    Op::Flush,
                    Op::SendFile(noise(22, 50_000)),
                    Op::SendFile(noise(23, 1)),
                ],
                trailers: vec![("x-files".to_owned(), "3".to_owned())],
                body_buffer,
                conn_buffer: 512,
                max_write: 0,
                socket_sink,
            });
        }
    }
}

#[test]
fn trailers_reach_curl_and_hyper() {
    let response = Response {
        framing: Framing::Chunked,
        ops: vec![
            Op::Write(b"hello, ".to_vec()),
            Op::Flush,
            Op::Write(b"trailers".to_vec()),
        ],
        trailers: vec![
            ("x-checksum".to_owned(), "abc123".to_owned()),
            ("server-timing".to_owned(), "db;dur=53".to_owned()),
        ],
        body_buffer: 64,
        conn_buffer: 64,
        max_write: 5,
        socket_sink: false,
    };
    let server = Server::start(2, response.clone());
    let raw = curl(&server.url(), &["--raw"]);
    let hyper = hyper_request(server.addr, "GET").expect("hyper GET");
    ok(&server.join());

    assert_eq!(raw.code, 0, "curl: {}", raw.stderr);
    // With --raw curl passes the chunked coding through untouched.
    let parsed = dechunk_strict(&raw.body)
        .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(&raw.body)));
    assert_eq!(parsed.body, b"hello, trailers");
    // The flush sent the first write as its own chunk.
    assert_eq!(parsed.chunk_sizes, [7, 8]);
    assert_eq!(parsed.trailers, response.trailers);
    assert_eq!(hyper.body, b"hello, trailers");
    assert_eq!(hyper.trailers, response.trailers);
}

#[test]
fn head_responses_keep_content_length_and_carry_no_body() {
    for framing in [Framing::ContentLength(5000), Framing::Chunked] {
        let response = Response {
            framing,
            ops: vec![
                Op::Write(noise(7, 3000)),
                Op::Flush,
                Op::Write(noise(8, 2000)),
            ],
            trailers: vec![("x-t".to_owned(), "1".to_owned())],
            body_buffer: 1024,
            conn_buffer: 256,
            max_write: 0,
            socket_sink: false,
        };
        let server = Server::start(3, response);
        let hyper = hyper_request(server.addr, "HEAD").expect("hyper HEAD");
        let curl = curl(&server.url(), &["--head"]);
        let (status, headers, wire) = raw_request(server.addr, "HEAD");
        let outcomes = server.join();
        ok(&outcomes);
        assert!(outcomes.iter().all(|o| o.method == "HEAD"));

        assert_eq!((hyper.status, status), (200, 200));
        assert!(hyper.body.is_empty());
        assert_eq!(curl.code, 0, "curl: {}", curl.stderr);
        assert!(
            wire.is_empty(),
            "{} body bytes after a HEAD response head",
            wire.len()
        );
        if framing == Framing::ContentLength(5000) {
            assert_eq!(hyper.header("content-length"), Some("5000"));
            assert!(
                curl.head
                    .to_ascii_lowercase()
                    .contains("content-length: 5000\r\n"),
                "{}",
                curl.head
            );
            assert!(
                headers
                    .iter()
                    .any(|(n, v)| n == "content-length" && v == "5000")
            );
        }
    }
}

#[test]
fn head_with_the_wrong_length_is_still_an_error() {
    let response = Response::new(
        Framing::ContentLength(10),
        vec![Op::Write(vec![1; 11])],
        0,
        64,
    );
    let server = Server::start(1, response);
    let (_, _, wire) = raw_request(server.addr, "HEAD");
    let outcomes = server.join();
    assert!(wire.is_empty());
    assert!(
        matches!(
            outcomes[0].result,
            Err(BodyError::ContentLengthExceeded {
                declared: 10,
                offered: 11,
                ..
            })
        ),
        "{:?}",
        outcomes[0].result
    );
}

#[test]
fn content_length_overrun_is_an_error_and_the_wire_stays_within_it() {
    let first = noise(3, 600);
    let second = noise(4, 600);
    let written: Vec<u8> = [first.clone(), second.clone()].concat();
    // Unbuffered: the first write is sent, the second refused. Buffered:
    // both are held and the drain at `end` is refused whole.
    for (body_buffer, sent_before) in [(0, 600), (64, 600), (2048, 0)] {
        let response = Response::new(
            Framing::ContentLength(1000),
            vec![Op::Write(first.clone()), Op::Write(second.clone())],
            body_buffer,
            128,
        );
        let server = Server::start(3, response);
        let (_, _, wire) = raw_request(server.addr, "GET");
        let curl = curl(&server.url(), &[]);
        let hyper = hyper_request(server.addr, "GET");
        let outcomes = server.join();

        for o in &outcomes {
            match &o.result {
                Err(BodyError::ContentLengthExceeded {
                    declared: 1000,
                    sent,
                    offered,
                }) => {
                    assert_eq!(*sent, sent_before as u64, "buffer {body_buffer}");
                    assert!(sent + offered > 1000);
                }
                other => panic!("buffer {body_buffer}: expected an overrun, got {other:?}"),
            }
        }
        assert!(
            wire.len() <= 1000,
            "{} bytes on the wire for content-length 1000",
            wire.len()
        );
        assert_eq!(wire.len(), sent_before, "buffer {body_buffer}");
        assert_eq!(wire, written[..wire.len()]);
        // The peers see a body shorter than declared: an error they detect.
        assert_eq!(
            curl.code, 18,
            "curl should report a partial body: {}",
            curl.stderr
        );
        assert!(curl.body.len() <= 1000);
        assert!(hyper.is_err(), "hyper accepted a short body: {hyper:?}");
    }
}

#[test]
fn ending_short_of_the_content_length_is_an_error() {
    let response = Response::new(
        Framing::ContentLength(1000),
        vec![Op::Write(noise(5, 400))],
        256,
        256,
    );
    let server = Server::start(3, response);
    let (_, _, wire) = raw_request(server.addr, "GET");
    let curl = curl(&server.url(), &[]);
    let hyper = hyper_request(server.addr, "GET");
    for o in server.join() {
        assert_eq!(
            o.result,
            Err(BodyError::ContentLengthShort {
                declared: 1000,
                sent: 400
            })
        );
    }
    assert_eq!(wire, noise(5, 400));
    assert_eq!(curl.code, 18, "curl: {}", curl.stderr);
    assert!(hyper.is_err(), "hyper accepted a short body: {hyper:?}");
}

#[test]
fn the_strict_parser_rejects_what_the_writer_must_not_produce() {
    assert!(dechunk_strict(b"00000003\r\nabc\r\n0\r\n\r\n").is_ok());
    for bad in [
        &b"3\r\nabc\r\n0\r\n\r\n"[..],                 // short size line
        b"0000000A\r\nabcdefghij\r\n0\r\n\r\n",        // uppercase hex
        b"00000003\r\nabcd\r\n0\r\n\r\n",              // data longer than the size
        b"00000000\r\n\r\n00000001\r\na\r\n0\r\n\r\n", // empty chunk before the last
        b"00000003\r\nabc\r\n0\r\n",                   // no final CRLF
        b"00000003\r\nabc\r\n0\r\n\r\nextra",          // bytes after the end
    ] {
        assert!(
            dechunk_strict(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}
