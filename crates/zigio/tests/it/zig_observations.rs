//! Behaviours observed by running Zig 0.15.1 programs (the fixed writer's
//! drain, the allocating writer's growth, a custom writer with a counting
//! drain), reproduced with zigio; and the bugs of Zig 0.15.1 that zigio
//! deliberately does not copy: two in `writeSplatHeaderLimitFinish`
//! (`Writer.zig:254-291`), and one in `splatBytePreserve` that the
//! property tests found.

use zigio::random::SplitMix64;
use zigio::{Buffer, Limit, WriteFailed, Writer};
use zigio_testkit::{Scripted, Step, accepted};

// ---------------------------------------------------------------------------
// Fixed writer on an 8-byte buffer (`fixedDrain`, `Writer.zig:2331-2361`).
// ---------------------------------------------------------------------------

const ALPHABET20: &[u8; 20] = b"ABCDEFGHIJKLMNOPQRST";

/// Runs `op` on an empty 8-byte fixed writer, expects `WriteFailed`, and
/// returns the buffer, which must be full.
fn fixed8_overflow(
    op: impl FnOnce(&mut Writer<'_, zigio::Fixed>) -> Result<(), WriteFailed>,
) -> Vec<u8> {
    let mut storage = [0u8; 8];
    let mut w = Writer::fixed(&mut storage);
    assert_eq!(op(&mut w), Err(WriteFailed));
    assert_eq!(w.end(), 8);
    // Flush is a no-op that succeeds and keeps the bytes (end stays 8).
    assert_eq!(w.flush(), Ok(()));
    assert_eq!(w.end(), 8);
    // No room left: writable slices and rebase fail and leave `end` alone.
    assert_eq!(w.writable_slice(1), Err(WriteFailed));
    assert_eq!(w.end(), 8);
    assert_eq!(w.rebase(0, 1), Err(WriteFailed));
    assert_eq!(w.end(), 8);
    w.buffered().to_vec()
}

#[test]
fn fixed8_write_all_of_20_bytes_keeps_the_prefix() {
    assert_eq!(fixed8_overflow(|w| w.write_all(ALPHABET20)), b"ABCDEFGH");
}

#[test]
fn fixed8_write_of_20_bytes_keeps_the_prefix() {
    assert_eq!(
        fixed8_overflow(|w| w.write(ALPHABET20).map(drop)),
        b"ABCDEFGH"
    );
}

#[test]
fn fixed8_write_vec_keeps_the_prefix() {
    assert_eq!(
        fixed8_overflow(|w| w.write_vec(&[&ALPHABET20[..5], &ALPHABET20[5..]]).map(drop)),
        b"ABCDEFGH"
    );
}

#[test]
fn fixed8_write_splat_fills_with_pattern_copies() {
    assert_eq!(
        fixed8_overflow(|w| w.write_splat(&[b"ab", b"xy"], 5).map(drop)),
        b"abxyxyxy"
    );
}

#[test]
fn fixed8_splat_byte_all_fills_the_buffer() {
    assert_eq!(fixed8_overflow(|w| w.splat_byte_all(b'z', 20)), b"zzzzzzzz");
}

#[test]
fn fixed8_print_keeps_the_prefix() {
    assert_eq!(
        fixed8_overflow(|w| w.print(format_args!("{}-{}", 1234567, 89))),
        b"1234567-"
    );
}

#[test]
fn fixed_writable_slice_and_rebase_fail_without_room_even_when_partly_filled() {
    let mut storage = [0u8; 8];
    let mut w = Writer::fixed(&mut storage);
    w.write_all(b"abcde").unwrap();
    assert_eq!(w.writable_slice(4), Err(WriteFailed));
    assert_eq!(w.end(), 5);
    assert_eq!(w.rebase(5, 4), Err(WriteFailed));
    assert_eq!(w.end(), 5);
    // Room that is there is handed out without asking the sink.
    w.writable_slice(3).unwrap().copy_from_slice(b"fgh");
    assert_eq!(w.buffered(), b"abcdefgh");
}

// ---------------------------------------------------------------------------
// Allocating growth (`Writer.Allocating`).
// ---------------------------------------------------------------------------

/// Capacity after each of 1000 `write_all`s of 10 bytes, and the
/// `(write index, new capacity)` at each change.
fn growth(
    mut w: Writer<'static, zigio::Allocating>,
) -> (Vec<(usize, usize)>, Writer<'static, zigio::Allocating>) {
    let mut changes = Vec::new();
    let mut cap = w.capacity();
    for i in 0..1000 {
        w.write_all(&[(i % 251) as u8; 10]).unwrap();
        if w.capacity() != cap {
            cap = w.capacity();
            changes.push((i, cap));
        }
    }
    (changes, w)
}

#[test]
fn allocating_growth_from_empty_matches_zig() {
    let (changes, w) = growth(Writer::allocating());
    assert_eq!(
        changes,
        [
            (0, 128),
            (12, 320),
            (32, 608),
            (60, 1040),
            (104, 1688),
            (168, 2660),
            (266, 4118),
            (411, 6305),
            (630, 9585),
            (958, 14505),
        ]
    );
    assert_eq!(w.written().len(), 10_000);
    assert_eq!(w.capacity(), 14505);
    let expected: Vec<u8> = (0..1000).flat_map(|i| [(i % 251) as u8; 10]).collect();
    assert_eq!(w.into_vec(), expected);
}

#[test]
fn allocating_growth_from_capacity_64_matches_zig() {
    let (changes, w) = growth(Writer::allocating_with_capacity(64));
    let caps: Vec<usize> = std::iter::once(64)
        .chain(changes.iter().map(|&(_, c)| c))
        .collect();
    assert_eq!(
        caps,
        [64, 224, 464, 824, 1364, 2174, 3389, 5211, 7944, 12044]
    );
    // Growth happens only in drain, when `end + 10 > capacity`.
    for (&(i, _), &prev_cap) in changes.iter().zip(&caps) {
        assert!(i * 10 + 10 > prev_cap, "grew at write {i} although it fit");
    }
    assert_eq!(w.written().len(), 10_000);
}

// ---------------------------------------------------------------------------
// Custom writer with a counting drain (the Zig experiment `exp4a`): 1000
// `write_all` calls of 3..40 bytes, lengths from SplitMix64 seeded with 42.
// ---------------------------------------------------------------------------

/// The Zig run wrote 3..40 bytes per call, 21571 B in all, from splitmix64
/// seeded with 42. The generator that reproduces the total and every drain
/// position is one output per write, `3 + next % 38` (inclusive range
/// 3..=40). What the bytes were does not matter; only their count matters to
/// the drain schedule, so the content here is a position-dependent pattern
/// that makes loss, duplication or reordering visible.
fn exp4a_writes() -> Vec<Vec<u8>> {
    let mut rng = SplitMix64::init(42);
    let mut pos = 0u64;
    (0..1000)
        .map(|_| {
            let len = 3 + (rng.next() % 38) as usize;
            (0..len)
                .map(|_| {
                    pos += 1;
                    (pos.wrapping_mul(0x9E37_79B9) >> 13) as u8
                })
                .collect()
        })
        .collect()
}

struct Exp4a {
    drains_in_writes: usize,
    drains_in_flush: usize,
    /// `(op index, buffered bytes at entry)` of each drain during writes.
    drain_points: Vec<(usize, usize)>,
    /// Bytes the flush drained.
    flushed: usize,
}

/// Runs exp4a with a buffer of `capacity` bytes and the sink `sink`.
fn exp4a(capacity: usize, sink: Scripted) -> Exp4a {
    let writes = exp4a_writes();
    let mut storage = vec![0u8; capacity];
    let mut w = Writer::new(Buffer::borrowed(&mut storage), sink);
    let mut drain_points = Vec::new();
    for (i, bytes) in writes.iter().enumerate() {
        let drains_before = w.sink.drains;
        let end_before = w.end();
        w.write_all(bytes).unwrap();
        if w.sink.drains != drains_before {
            drain_points.push((i, end_before));
        }
    }
    let drains_in_writes = w.sink.drains;
    let flushed = w.end();
    w.flush().unwrap();
    let drains_in_flush = w.sink.drains - drains_in_writes;
    // In every case the sink received exactly the input bytes.
    assert_eq!(w.end(), 0);
    assert_eq!(w.sink.received, writes.concat());
    assert_eq!(
        w.sink.fitting_drains, 0,
        "a drain was called for data that fit"
    );
    Exp4a {
        drains_in_writes,
        drains_in_flush,
        drain_points,
        flushed,
    }
}

#[test]
fn exp4a_generator_reproduces_the_recorded_total() {
    let total: usize = exp4a_writes().iter().map(Vec::len).sum();
    assert_eq!(total, 21571);
    assert!(exp4a_writes().iter().all(|w| (3..=40).contains(&w.len())));
}

#[test]
fn exp4a_4096_buffer_accepting_everything() {
    let r = exp4a(4096, Scripted::accept_all());
    assert_eq!((r.drains_in_writes, r.drains_in_flush), (5, 1));
    assert_eq!(
        r.drain_points,
        [
            (194, 4083),
            (383, 4077),
            (579, 4094),
            (776, 4058),
            (952, 4089)
        ]
    );
    assert_eq!(r.flushed, 1004);
}

#[test]
fn exp4a_drain_counts_accepting_everything() {
    for (capacity, writes, flush) in [(0, 1000, 0), (16, 701, 0), (64, 276, 0), (4096, 5, 1)] {
        let r = exp4a(capacity, Scripted::accept_all());
        assert_eq!(
            (r.drains_in_writes, r.drains_in_flush),
            (writes, flush),
            "buffer {capacity}"
        );
    }
}

#[test]
fn exp4a_drain_counts_accepting_at_most_7_bytes() {
    for (capacity, writes, flush) in [
        (0, 3514, 0),
        (16, 3080, 2),
        (64, 3073, 9),
        (4096, 2497, 585),
    ] {
        let r = exp4a(capacity, Scripted::at_most(7));
        assert_eq!(
            (r.drains_in_writes, r.drains_in_flush),
            (writes, flush),
            "buffer {capacity}"
        );
    }
    // With a buffer of 0 every write costs ceil(len / 7) drains.
    let per_item: usize = exp4a_writes().iter().map(|w| w.len().div_ceil(7)).sum();
    assert_eq!(per_item, 3514);
    // With any buffer of at least 16 bytes, the sink sees ceil(21571 / 7).
    assert_eq!(21571usize.div_ceil(7), 3082);
}

// ---------------------------------------------------------------------------
// Zig 0.15.1 bugs that zigio does not copy (`writeSplatHeaderLimitFinish`,
// `Writer.zig:254-291`; and `splatBytePreserve`, `Writer.zig:764-788`).
// ---------------------------------------------------------------------------

/// Zig 0.15.1 checks the header's length instead of each data piece's
/// against the limit (`Writer.zig:273-274`): with limit 5 and data
/// `["0123456789", "x"]` on an unbuffered writer it sent 11 bytes and
/// returned 11. zigio sends and returns at most 5.
#[test]
fn write_splat_header_limit_enforces_the_limit_for_data_pieces() {
    let mut w = Writer::new(Buffer::empty(), Scripted::accept_all());
    let n = w
        .write_splat_header_limit(b"", &[b"0123456789", b"x"], 1, Limit::limited(5))
        .unwrap();
    assert_eq!(n, 5);
    assert_eq!(w.sink.received, b"01234");
}

#[test]
fn write_splat_header_limit_never_exceeds_the_limit() {
    // Every combination of header, pieces, splat and limit on small
    // buffers: the count and the bytes sent stay within the limit, and the
    // bytes are a prefix of the full sequence.
    let header: &[u8] = b"HDR";
    let data: [&[u8]; 3] = [b"0123456789", b"ab", b"xyz"];
    for capacity in [0, 1, 4, 16] {
        for splat in 0..4 {
            for limit in 0..30 {
                let mut storage = vec![0u8; capacity];
                let mut w = Writer::new(Buffer::borrowed(&mut storage), Scripted::accept_all());
                let n = w
                    .write_splat_header_limit(header, &data, splat, Limit::limited(limit))
                    .unwrap();
                let full: Vec<u8> = [header, data[0], data[1]]
                    .concat()
                    .into_iter()
                    .chain(data[2].repeat(splat))
                    .collect();
                let got = accepted(&w, &w.sink.received);
                assert!(
                    n <= limit,
                    "cap {capacity} splat {splat} limit {limit}: returned {n}"
                );
                assert_eq!(got, full[..n], "cap {capacity} splat {splat} limit {limit}");
            }
        }
    }
}

/// Zig 0.15.1 divides by the pattern length (`Writer.zig:288`):
/// `writeSplatHeader("HEADER", &.{"abc", ""}, 2)` on an unbuffered writer
/// panics with "division by zero". zigio sends "HEADERabc".
#[test]
fn write_splat_header_accepts_an_empty_pattern_with_any_splat() {
    for splat in [0, 2, 3, 1000] {
        let mut w = Writer::new(Buffer::empty(), Scripted::accept_all());
        let n = w
            .write_splat_header(b"HEADER", &[b"abc", b""], splat)
            .unwrap();
        assert_eq!(n, 9, "splat {splat}");
        assert_eq!(w.sink.received, b"HEADERabc", "splat {splat}");
    }
    // The same through a sink that accepts a few bytes at a time, with the
    // caller looping on the count.
    let mut w = Writer::new(
        Buffer::empty(),
        Scripted::new(vec![Step::Take(2), Step::Take(0)]),
    );
    let full = b"HEADERabc";
    let mut sent = 0;
    while sent < full.len() {
        let (header, data): (&[u8], [&[u8]; 2]) = if sent < 6 {
            (&full[sent..6], [b"abc", b""])
        } else {
            (b"", [&full[sent..], b""])
        };
        sent += w.write_splat_header(header, &data, 2).unwrap();
    }
    assert_eq!(w.sink.received, full);
}

/// `splatBytePreserve` (`Writer.zig:764-788`), once fewer than `preserve`
/// copies are left and they do not fit, moves the newest `preserve` bytes
/// to the front of the buffer without draining the bytes before them.
/// Observed with the Zig 0.15.1 compiler: after `writeAll("abcdefg")` on
/// an allocating writer over 8 owned bytes, `splatBytePreserve(2, 'z', 2)`
/// leaves "fgzz", and on an 8-byte fixed writer it also succeeds with
/// "fgzz": "abcde" is lost. zigio drains (or, on these two writers, grows
/// or fails) instead.
#[test]
fn splat_byte_preserve_never_drops_buffered_bytes() {
    let mut aw = Writer::allocating_with_capacity(8);
    aw.write_all(b"abcdefg").unwrap();
    aw.splat_byte_preserve(2, b'z', 2).unwrap();
    assert_eq!(aw.written(), b"abcdefgzz");

    let mut storage = [0u8; 8];
    let mut fw = Writer::fixed(&mut storage);
    fw.write_all(b"abcdefg").unwrap();
    assert_eq!(fw.splat_byte_preserve(2, b'z', 2), Err(WriteFailed));
    assert_eq!(fw.buffered(), b"abcdefg");

    // A sink that takes 3 bytes per drain: the first copies push out old
    // bytes, the last 2 copies stay buffered after the newest 2 bytes.
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, Scripted::at_most(3));
    w.write_all(b"abcdefg").unwrap();
    w.splat_byte_preserve(2, b'z', 5).unwrap();
    assert_eq!(accepted(&w, &w.sink.received), b"abcdefgzzzzz");
    assert!(w.buffered().ends_with(b"zz") && w.end() >= 2);
}
