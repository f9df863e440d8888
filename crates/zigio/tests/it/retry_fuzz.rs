//! A model-checked fuzz of writers whose sink fails transiently: a drain
//! fails (a scripted `WriteFailed`, `ErrorKind::WouldBlock` from a
//! `std::io::Write`, `EAGAIN` from a real non-blocking pipe), and the
//! caller retries the single-shot operation that failed. Whatever the
//! writer (a plain writer, `Instrumented`, `Hashed` over each of them,
//! `Hashed` over `Hashed`, `IoSink`, a file writer on a pipe), what arrives
//! must be exactly the bytes the caller wrote (the model), each once and in
//! order, and every digest must be the digest of what arrived.
//!
//! The retry is sound because of [`Sink::drain`]'s contract: on `Err` no
//! byte of `data` was taken. Single-shot operations (`write`, `write_splat`,
//! `splat_byte`, `write_vec`) report what they took on success, so the
//! caller continues from there; `flush` is retried until it succeeds.
//! Seeded (SplitMix64) and deterministic.
#![cfg(all(feature = "os", unix, feature = "digest"))]

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use zigio::random::SplitMix64;
use zigio::{DynWriter, Instrumented, Writer};
use zigio_testkit::{Scripted, Step};

/// Sequences per writer kind.
const SEQUENCES: u64 = 300;
/// Operations per sequence.
const OPS: usize = 40;
/// More retries of one operation than any sink here needs.
const MAX_RETRIES: usize = 10_000;

/// One operation the caller makes.
#[derive(Debug, Clone)]
enum Op {
    Write(Vec<u8>),
    WriteVec(Vec<Vec<u8>>),
    Splat {
        head: Vec<u8>,
        pattern: Vec<u8>,
        splat: usize,
    },
    SplatByte(u8, usize),
    Flush,
}

impl Op {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Op::Write(b) => b.clone(),
            Op::WriteVec(v) => v.concat(),
            Op::Splat {
                head,
                pattern,
                splat,
            } => [head.clone(), pattern.repeat(*splat)].concat(),
            Op::SplatByte(b, n) => vec![*b; *n],
            Op::Flush => Vec::new(),
        }
    }
}

fn below(rng: &mut SplitMix64, n: u64) -> u64 {
    rng.next() % n
}

fn bytes(rng: &mut SplitMix64, max: u64) -> Vec<u8> {
    let len = below(rng, max + 1) as usize;
    (0..len).map(|_| rng.next() as u8).collect()
}

fn ops(rng: &mut SplitMix64, max_len: u64) -> Vec<Op> {
    (0..OPS)
        .map(|_| match below(rng, 6) {
            0 | 1 => Op::Write(bytes(rng, max_len)),
            2 => Op::WriteVec(
                (0..=below(rng, 3))
                    .map(|_| bytes(rng, max_len / 2))
                    .collect(),
            ),
            3 => Op::Splat {
                head: bytes(rng, max_len / 4),
                pattern: bytes(rng, 5),
                splat: below(rng, max_len / 2) as usize,
            },
            4 => Op::SplatByte(rng.next() as u8, below(rng, max_len * 2) as usize),
            _ => Op::Flush,
        })
        .collect()
}

/// A script of drain outcomes with transient failures among partial and
/// full drains.
fn script(rng: &mut SplitMix64) -> Vec<Step> {
    let mut steps: Vec<Step> = (0..=below(rng, 12))
        .map(|_| match below(rng, 4) {
            0 => Step::Fail,
            1 => Step::Take(below(rng, 7) as usize),
            2 => Step::Take(below(rng, 40) as usize),
            _ => Step::All,
        })
        .collect();
    steps.push(Step::All); // every cycle of the script makes progress
    steps
}

/// Counts of what a run exercised.
#[derive(Debug, Default)]
struct Counts {
    sequences: usize,
    ops: usize,
    failures: usize,
    bytes: usize,
}

/// Runs `f` until it succeeds, calling `on_fail` after each failure.
fn retry<T>(
    counts: &mut Counts, on_fail: &mut dyn FnMut(),
    mut f: impl FnMut() -> Result<T, zigio::WriteFailed>,
) -> T {
    for _ in 0..MAX_RETRIES {
        match f() {
            Ok(v) => return v,
            Err(_) => {
                counts.failures += 1;
                on_fail();
            }
        }
    }
    panic!("an operation failed {MAX_RETRIES} times in a row");
}

/// The pieces of a splat after `off` of its bytes were taken.
fn splat_rest<'p>(
    head: &'p [u8], pattern: &'p [u8], splat: usize, off: usize,
) -> (Vec<&'p [u8]>, usize) {
    if off < head.len() {
        return (vec![&head[off..], pattern], splat);
    }
    let j = off - head.len();
    let (q, r) = (j / pattern.len(), j % pattern.len());
    if r == 0 {
        (vec![pattern], splat - q)
    } else {
        (vec![&pattern[r..], pattern], splat - q - 1)
    }
}

/// One single-shot call of `op` from `off` (retried while it fails);
/// returns the bytes it took, at least one.
fn step(
    w: &mut DynWriter<'_>, op: &Op, off: usize, counts: &mut Counts, on_fail: &mut dyn FnMut(),
) -> usize {
    for _ in 0..MAX_RETRIES {
        let n = match op {
            Op::Write(b) => retry(counts, on_fail, || w.write(&b[off..])),
            Op::WriteVec(v) => {
                // The pieces not yet taken.
                let mut skip = off;
                let mut rest: Vec<&[u8]> = Vec::new();
                for piece in v {
                    if skip >= piece.len() {
                        skip -= piece.len();
                    } else {
                        rest.push(&piece[skip..]);
                        skip = 0;
                    }
                }
                retry(counts, on_fail, || w.write_vec(&rest))
            }
            Op::Splat {
                head,
                pattern,
                splat,
            } if !pattern.is_empty() => {
                let (pieces, splat) = splat_rest(head, pattern, *splat, off);
                retry(counts, on_fail, || w.write_splat(&pieces, splat))
            }
            Op::Splat { head, .. } => retry(counts, on_fail, || w.write(&head[off..])),
            Op::SplatByte(b, n) => retry(counts, on_fail, || w.splat_byte(*b, n - off)),
            Op::Flush => unreachable!("flush takes no bytes"),
        };
        if n > 0 {
            return n;
        }
    }
    panic!("{op:?}: no progress after {MAX_RETRIES} drains of 0 bytes");
}

/// Applies `ops` to `w`, each to completion with retries, then flushes, and
/// returns the model: every byte written, in order.
fn apply(
    w: &mut DynWriter<'_>, ops: &[Op], counts: &mut Counts, on_fail: &mut dyn FnMut(),
) -> Vec<u8> {
    let mut model = Vec::new();
    for op in ops {
        counts.ops += 1;
        if let Op::Flush = op {
            retry(counts, on_fail, || w.flush());
            continue;
        }
        let all = op.bytes();
        let mut off = 0;
        while off < all.len() {
            off += step(w, op, off, counts, on_fail);
        }
        model.extend_from_slice(&all);
    }
    retry(counts, on_fail, || w.flush());
    counts.sequences += 1;
    counts.bytes += model.len();
    model
}

/// Asserts that `got` is `want`, naming the first byte that differs.
fn same(got: &[u8], want: &[u8], case: &str) {
    if got != want {
        let at = got.iter().zip(want).take_while(|(a, b)| a == b).count();
        panic!(
            "{case}: {} bytes arrived, {} written; first difference at byte {at}",
            got.len(),
            want.len()
        );
    }
}

fn capacity(rng: &mut SplitMix64) -> usize {
    [0, 1, 3, 8, 17, 64][below(rng, 6) as usize]
}

#[test]
fn plain_instrumented_and_hashed_writers_over_a_failing_sink() {
    let mut counts = Counts::default();
    for seed in 0..SEQUENCES {
        let mut rng = SplitMix64::init(seed);
        let ops = ops(&mut rng, 30);
        let case = format!("seed {seed}");

        // A writer straight over the sink.
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut w = Writer::new(&mut storage[..], Scripted::new(script(&mut rng)));
        let model = apply(&mut w, &ops, &mut counts, &mut || {});
        same(&w.sink.received, &model, &format!("{case}: plain"));

        // Instrumented: the trace accounts for every byte.
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut w = Writer::new(
            &mut storage[..],
            Instrumented::new(Scripted::new(script(&mut rng))),
        );
        let model = apply(&mut w, &ops, &mut counts, &mut || {});
        same(
            &w.sink.inner.received,
            &model,
            &format!("{case}: instrumented"),
        );

        // Hashed over a buffered writer over the sink.
        let mut down_storage = vec![0u8; capacity(&mut rng)];
        let mut down = Writer::new(&mut down_storage[..], Scripted::new(script(&mut rng)));
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut hw = Writer::hashed(&mut down, Sha256::new(), &mut storage[..]);
        let model = apply(&mut hw, &ops, &mut counts, &mut || {});
        let digest = hw.sink.hasher.clone().finalize();
        retry(&mut counts, &mut || {}, || hw.sink.out().flush());
        same(&down.sink.received, &model, &format!("{case}: hashed"));
        assert_eq!(digest, Sha256::digest(&model), "{case}: hashed digest");

        // Hashed over Hashed over an instrumented writer.
        let mut base_storage = vec![0u8; capacity(&mut rng)];
        let mut base = Writer::new(
            &mut base_storage[..],
            Instrumented::new(Scripted::new(script(&mut rng))),
        );
        let mut mid_storage = vec![0u8; capacity(&mut rng)];
        let mut mid = Writer::hashed(&mut base, Sha256::new(), &mut mid_storage[..]);
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut top = Writer::hashed(&mut mid, Sha256::new(), &mut storage[..]);
        let model = apply(&mut top, &ops, &mut counts, &mut || {});
        let top_digest = top.sink.hasher.clone().finalize();
        retry(&mut counts, &mut || {}, || top.sink.out().flush());
        let mid_digest = mid.sink.hasher.clone().finalize();
        retry(&mut counts, &mut || {}, || mid.sink.out().flush());
        same(
            &base.sink.inner.received,
            &model,
            &format!("{case}: hashed twice"),
        );
        assert_eq!(top_digest, Sha256::digest(&model), "{case}: outer digest");
        assert_eq!(mid_digest, Sha256::digest(&model), "{case}: inner digest");
    }
    println!("retry fuzz (scripted sinks): {counts:?}");
    assert!(
        counts.failures > 1000,
        "transient failures were exercised: {counts:?}"
    );
}

/// A `std::io::Write` that follows a script: `WouldBlock`, a partial write,
/// or a full one.
struct Flaky {
    script: Vec<Step>,
    next: usize,
    received: Vec<u8>,
}

impl io::Write for Flaky {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let step = self.script[self.next % self.script.len()];
        self.next += 1;
        let n = match step {
            Step::Fail => return Err(io::ErrorKind::WouldBlock.into()),
            Step::Take(k) => k.max(1).min(buf.len()),
            Step::All => buf.len(),
        };
        self.received.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_sink_over_a_would_block_writer() {
    let mut counts = Counts::default();
    for seed in 0..SEQUENCES {
        let mut rng = SplitMix64::init(seed ^ 0x5eed);
        let ops = ops(&mut rng, 30);
        let flaky = Flaky {
            script: script(&mut rng),
            next: 0,
            received: Vec::new(),
        };
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut w = Writer::from_io(flaky, &mut storage[..]);
        let model = apply(&mut w, &ops, &mut counts, &mut || {});
        same(
            &w.sink.inner.received,
            &model,
            &format!("seed {seed}: IoSink"),
        );
        assert!(
            w.sink
                .err
                .as_ref()
                .is_none_or(|e| e.kind() == io::ErrorKind::WouldBlock)
        );

        let flaky = Flaky {
            script: script(&mut rng),
            next: 0,
            received: Vec::new(),
        };
        let mut down_storage = vec![0u8; capacity(&mut rng)];
        let mut down = Writer::from_io(flaky, &mut down_storage[..]);
        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut hw = Writer::hashed(&mut down, Sha256::new(), &mut storage[..]);
        let model = apply(&mut hw, &ops, &mut counts, &mut || {});
        let digest = hw.sink.hasher.clone().finalize();
        retry(&mut counts, &mut || {}, || hw.sink.out().flush());
        same(
            &down.sink.inner.received,
            &model,
            &format!("seed {seed}: hashed IoSink"),
        );
        assert_eq!(digest, Sha256::digest(&model));
    }
    println!("retry fuzz (WouldBlock writer): {counts:?}");
    assert!(
        counts.failures > 1000,
        "transient failures were exercised: {counts:?}"
    );
}

/// Reads at most `max` bytes that are waiting in a non-blocking pipe.
fn drain_pipe(pipe: &mut File, into: &mut Vec<u8>, max: usize) {
    let mut block = vec![0u8; max.max(1)];
    match pipe.read(&mut block) {
        Ok(n) => into.extend_from_slice(&block[..n]),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
        Err(e) => panic!("reading the pipe: {e}"),
    }
}

/// A file writer on a real non-blocking pipe of one page: writes larger
/// than the free space are partial or fail with `EAGAIN`; after a failure
/// the reader takes a random part of what is waiting, and the caller
/// retries.
#[test]
fn file_writer_over_a_non_blocking_pipe_that_fills() {
    let mut counts = Counts::default();
    for seed in 0..SEQUENCES / 3 {
        let mut rng = SplitMix64::init(seed ^ 0xea6a1);
        let ops = ops(&mut rng, 1500);
        for hashed in [false, true] {
            let (pr, pw) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::NONBLOCK).unwrap();
            rustix::pipe::fcntl_setpipe_size(&pw, 4096).unwrap();
            let mut reader = File::from(pr);
            let mut received = Vec::new();
            let mut take = SplitMix64::init(seed);
            let mut on_fail = || {
                let max = 1 + below(&mut take, 3000) as usize;
                drain_pipe(&mut reader, &mut received, max);
            };
            let mut storage = vec![0u8; [0, 16, 512, 8192][below(&mut rng, 4) as usize]];
            let mut w = Writer::file_streaming(&pw, &mut storage[..]);
            let model = if hashed {
                let mut hstorage = vec![0u8; capacity(&mut rng) * 32];
                let mut hw = Writer::hashed(&mut w, Sha256::new(), &mut hstorage[..]);
                let model = apply(&mut hw, &ops, &mut counts, &mut on_fail);
                let digest = hw.sink.hasher.clone().finalize();
                assert_eq!(digest, Sha256::digest(&model), "seed {seed}: digest");
                retry(&mut counts, &mut on_fail, || hw.sink.out().flush());
                model
            } else {
                apply(&mut w, &ops, &mut counts, &mut on_fail)
            };
            if let Some(e) = &w.sink.err {
                assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "seed {seed}: {e}");
            }
            drop(w);
            drop(pw);
            // The write end is closed: read to the end of the stream.
            reader.read_to_end(&mut received).unwrap();
            same(
                &received,
                &model,
                &format!("seed {seed}, hashed {hashed}: pipe"),
            );
        }
    }
    println!("retry fuzz (non-blocking pipe): {counts:?}");
    assert!(counts.failures > 100, "EAGAIN was exercised: {counts:?}");
}

/// Terminal writers that never fail, under the same operations: the
/// allocating writer holds the model, the discarding writer counts it, the
/// hashing writer digests it.
#[test]
fn terminal_writers_hold_count_and_digest_the_model() {
    let mut counts = Counts::default();
    for seed in 0..SEQUENCES {
        let mut rng = SplitMix64::init(seed ^ 0x7e2);
        let ops = ops(&mut rng, 60);
        let mut a = Writer::allocating();
        let model = apply(&mut a, &ops, &mut counts, &mut || {});
        assert_eq!(a.written(), &model[..], "seed {seed}: allocating");

        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut d = Writer::discarding(&mut storage[..]);
        let model = apply(&mut d, &ops, &mut counts, &mut || {});
        assert_eq!(
            d.full_count(),
            model.len() as u64,
            "seed {seed}: discarding"
        );

        let mut storage = vec![0u8; capacity(&mut rng)];
        let mut h = Writer::hashing(Sha256::new(), &mut storage[..]);
        let model = apply(&mut h, &ops, &mut counts, &mut || {});
        assert_eq!(h.sink.hasher.clone().finalize(), Sha256::digest(&model));
    }
    assert_eq!(counts.failures, 0);
    println!("retry fuzz (terminal writers): {counts:?}");
}
