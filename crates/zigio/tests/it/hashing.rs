//! The hashing and hashed sinks: SHA-256 against known digests, over
//! buffered and partial downstreams (feature `digest`).

use sha2::{Digest, Sha256};
use zigio::{Buffer, Writer};
use zigio_testkit::{Scripted, Step};

const SHA256_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const SHA256_EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA256_MILLION_A: &str = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes through a `Hashing` writer with a buffer of `capacity` bytes.
fn hashing_digest(capacity: usize, write: impl FnOnce(&mut zigio::DynWriter<'_>)) -> String {
    let mut storage = vec![0u8; capacity];
    let mut w = Writer::hashing(Sha256::new(), Buffer::borrowed(&mut storage));
    write(&mut w);
    w.flush().unwrap();
    assert_eq!(w.end(), 0);
    let (_, sink) = w.into_parts();
    hex(&sink.hasher.finalize())
}

#[test]
fn hashing_known_digests() {
    for capacity in [0, 1, 2, 64, 4096] {
        assert_eq!(
            hashing_digest(capacity, |w| w.write_all(b"abc").unwrap()),
            SHA256_ABC,
            "abc, buffer {capacity}"
        );
        assert_eq!(
            hashing_digest(capacity, |_| {}),
            SHA256_EMPTY,
            "empty, buffer {capacity}"
        );
        assert_eq!(
            hashing_digest(capacity, |w| w.write_all(b"").unwrap()),
            SHA256_EMPTY,
            "empty write, buffer {capacity}"
        );
    }
}

#[test]
fn hashing_a_million_a_via_splat() {
    // (SHA-256 is slow in debug builds: two buffer sizes are enough here,
    // the known-digest test above covers the small ones.)
    for capacity in [0, 4096] {
        // A one-byte pattern: the drain hashes it through a block.
        assert_eq!(
            hashing_digest(capacity, |w| w.splat_byte_all(b'a', 1_000_000).unwrap()),
            SHA256_MILLION_A,
            "splat_byte_all, buffer {capacity}"
        );
        // A longer pattern, and a pattern behind a header piece.
        assert_eq!(
            hashing_digest(capacity, |w| w.splat_bytes_all(b"aaaaa", 200_000).unwrap()),
            SHA256_MILLION_A,
            "splat_bytes_all, buffer {capacity}"
        );
        assert_eq!(
            hashing_digest(capacity, |w| {
                w.write_splat_all(&mut [b"a", b"aaa", b"aaaa"], 249_999)
                    .unwrap()
            }),
            SHA256_MILLION_A,
            "write_splat_all, buffer {capacity}"
        );
    }
}

#[test]
fn hashed_over_a_partial_downstream_hashes_exactly_what_it_received() {
    let input: Vec<u8> = (0..5000u32).map(|i| (i * 7 + i / 13) as u8).collect();
    for capacity in [0, 1, 16, 64] {
        // The downstream is unbuffered and takes 3, 0, 5 or everything per
        // drain, and fails once.
        let mut out = Writer::new(
            Buffer::empty(),
            Scripted::new(vec![
                Step::Take(3),
                Step::Take(0),
                Step::Take(5),
                Step::Fail,
                Step::All,
            ]),
        );
        let mut storage = vec![0u8; capacity];
        let mut buffer = Buffer::borrowed(&mut storage);
        let mut hasher = Sha256::new();
        let mut written = 0;
        let mut step = 0;
        // The reference hash, fed incrementally with what downstream got.
        let mut reference = Sha256::new();
        let mut fed = 0;
        while written < input.len() {
            let len = [1, 7, 30, 100, 3][step % 5].min(input.len() - written);
            step += 1;
            let mut w = Writer::hashed(&mut out, hasher, buffer);
            // `write` reports how much was taken, so the loop knows where
            // to resume after a short write or a failure.
            if let Ok(n) = w.write(&input[written..written + len]) {
                written += n;
            }
            let buffered = w.end();
            (buffer, hasher) = {
                let (b, sink) = w.into_parts();
                (b, sink.hasher)
            };
            // The hash is the hash of exactly the bytes downstream received,
            // and those plus the bytes still buffered here are the input
            // accepted so far.
            let received = &out.sink.received;
            Digest::update(&mut reference, &received[fed..]);
            fed = received.len();
            assert_eq!(
                hex(&hasher.clone().finalize()),
                hex(&reference.clone().finalize()),
                "buffer {capacity}, after {written} bytes"
            );
            assert_eq!(received.len() + buffered, written);
            assert_eq!(received[..], input[..received.len()]);
        }
        let mut w = Writer::hashed(&mut out, hasher, buffer);
        while w.flush().is_err() {}
        let (_, sink) = w.into_parts();
        let digest = hex(&sink.hasher.finalize());
        assert_eq!(out.sink.received, input, "buffer {capacity}");
        assert_eq!(digest, hex(&Sha256::digest(&input)), "buffer {capacity}");
    }
}

#[test]
fn hashed_splat_through_buffered_downstream() {
    // A buffered downstream (4096 bytes) that drains into a hashing sink:
    // the hashed writer's hash and the downstream's hash agree.
    let mut inner_storage = [0u8; 4096];
    let mut out = Writer::hashing(Sha256::new(), &mut inner_storage);
    let mut storage = [0u8; 100];
    let mut w = Writer::hashed(&mut out, Sha256::new(), &mut storage);
    w.splat_byte_all(b'a', 999_999).unwrap();
    w.write_byte(b'a').unwrap();
    w.flush().unwrap();
    let (_, sink) = w.into_parts();
    assert_eq!(hex(&sink.hasher.finalize()), SHA256_MILLION_A);
    out.flush().unwrap();
    let (_, sink) = out.into_parts();
    assert_eq!(hex(&sink.hasher.finalize()), SHA256_MILLION_A);
}

// ---------------------------------------------------------------------------
// IoSink
