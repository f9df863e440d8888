//! Property tests: random sequences of every writer operation, on buffers
//! of 0, 1, 2..=64 and 4096 bytes, into a scripted sink that accepts a
//! chosen number of bytes per drain (cyclically: nothing, part, all) or
//! fails; and the same sequences on the fixed and allocating writers.
//!
//! The invariant, checked after every operation: the bytes the sink has
//! received followed by the bytes still buffered are exactly the bytes the
//! operations reported as written: all of them for an `_all` operation that
//! succeeded, the reported count for one that returns a count, and a prefix
//! for one that failed. Nothing is lost, duplicated or reordered; `end`
//! never exceeds the capacity; a failed operation leaves a writer that the
//! next operations keep using under the same invariant. Operations that
//! preserve bytes must leave the newest `preserve` bytes buffered.

use proptest::prelude::*;
use zigio::{Allocating, Buffer, Endian, Fixed, Limit, Sink, WriteFailed, Writer};
use zigio_testkit::{Scripted, Step};

/// One operation. Lengths are generated; the bytes themselves come from a
/// running counter, so that every written byte sequence is distinct and a
/// duplicated or reordered run would show.
#[derive(Debug, Clone)]
enum Op {
    Write(usize),
    WriteAll(usize),
    WriteVec(Vec<usize>),
    WriteVecAll(Vec<usize>),
    WriteSplat(Vec<usize>, usize),
    WriteSplatAll(Vec<usize>, usize),
    WriteSplatHeader(usize, Vec<usize>, usize),
    WriteSplatHeaderLimit(usize, Vec<usize>, usize, usize),
    WriteByte,
    WriteBytePreserve(usize),
    SplatByte(usize),
    SplatByteAll(usize),
    SplatBytePreserve(usize, usize),
    SplatBytes(usize, usize),
    SplatBytesAll(usize, usize),
    WritableSlice(usize),
    WritableSlicePreserve(usize, usize),
    /// Minimum length, then how many of the returned bytes to fill and
    /// `advance` over (taken modulo the slice length + 1).
    WritableSliceGreedy(usize, usize),
    WritableSliceGreedyPreserve(usize, usize, usize),
    WritableArray4,
    EnsureUnusedCapacity(usize),
    Rebase(usize, usize),
    Flush,
    /// The caller takes the oldest buffered bytes itself (`consume`), as a
    /// sink's drain does; the harness records them as sent.
    Consume(usize),
    ConsumeAll,
    Undo(usize),
    WriteInt(u32, bool),
    Print(u32),
}

fn len() -> impl Strategy<Value = usize> {
    prop_oneof![8 => 0..=16usize, 3 => 17..=80usize, 1 => 81..=700usize]
}

fn small() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0..=8usize, 1 => 9..=70usize]
}

fn lens() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(len(), 1..=4)
}

fn splat() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 0..=3usize, 1 => 4..=40usize]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        len().prop_map(Op::Write),
        len().prop_map(Op::WriteAll),
        lens().prop_map(Op::WriteVec),
        lens().prop_map(Op::WriteVecAll),
        (lens(), splat()).prop_map(|(l, s)| Op::WriteSplat(l, s)),
        (lens(), splat()).prop_map(|(l, s)| Op::WriteSplatAll(l, s)),
        (len(), lens(), splat()).prop_map(|(h, l, s)| Op::WriteSplatHeader(h, l, s)),
        (len(), lens(), splat(), 0..=200usize)
            .prop_map(|(h, l, s, lim)| Op::WriteSplatHeaderLimit(h, l, s, lim)),
        Just(Op::WriteByte),
        small().prop_map(Op::WriteBytePreserve),
        len().prop_map(Op::SplatByte),
        len().prop_map(Op::SplatByteAll),
        (small(), len()).prop_map(|(p, n)| Op::SplatBytePreserve(p, n)),
        (small(), splat()).prop_map(|(l, n)| Op::SplatBytes(l, n)),
        (small(), splat()).prop_map(|(l, n)| Op::SplatBytesAll(l, n)),
        small().prop_map(Op::WritableSlice),
        (small(), small()).prop_map(|(p, l)| Op::WritableSlicePreserve(p, l)),
        (small(), any::<usize>()).prop_map(|(m, k)| Op::WritableSliceGreedy(m, k)),
        (small(), small(), any::<usize>())
            .prop_map(|(p, m, k)| Op::WritableSliceGreedyPreserve(p, m, k)),
        Just(Op::WritableArray4),
        small().prop_map(Op::EnsureUnusedCapacity),
        (small(), small()).prop_map(|(p, c)| Op::Rebase(p, c)),
        Just(Op::Flush),
        small().prop_map(Op::Consume),
        Just(Op::ConsumeAll),
        small().prop_map(Op::Undo),
        (any::<u32>(), any::<bool>()).prop_map(|(v, b)| Op::WriteInt(v, b)),
        any::<u32>().prop_map(Op::Print),
    ]
}

fn capacity() -> impl Strategy<Value = usize> {
    prop_oneof![Just(0usize), Just(1usize), 2..=64usize, Just(4096usize)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => Just(Step::Take(0)),
        4 => (1..=9usize).prop_map(Step::Take),
        3 => Just(Step::All),
        1 => Just(Step::Fail),
    ]
}

/// A cyclic script that makes progress at least once per cycle (otherwise
/// `write_all` and flush would, correctly, loop forever).
fn script() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 1..=5).prop_map(|mut s| {
        if !s.iter().any(|st| matches!(st, Step::All | Step::Take(1..))) {
            s.push(Step::All);
        }
        s
    })
}

/// A sink the harness can read back: where its accepted bytes went.
trait Recorded: Sink {
    /// The bytes this sink has sent on, in order. The harness appends the
    /// bytes it takes with `consume` here too.
    fn log(&mut self) -> &mut Vec<u8>;
    /// Drains for data that would have fit, if the sink counts them.
    fn fitting_drains(&self) -> usize;
    /// Whether rebase is `default_rebase`, which panics (like Zig's assert)
    /// when `preserve + len` exceeds the capacity.
    const DEFAULT_REBASE: bool;
}

impl Recorded for Scripted {
    fn log(&mut self) -> &mut Vec<u8> {
        &mut self.received
    }
    fn fitting_drains(&self) -> usize {
        self.fitting_drains
    }
    const DEFAULT_REBASE: bool = true;
}

/// Fixed and allocating sinks keep everything in the buffer; the log only
/// holds what the harness consumed.
struct Keeps<S> {
    inner: S,
    log: Vec<u8>,
}

impl<S: Sink> Sink for Keeps<S> {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        self.inner.drain(buf, data, splat)
    }
    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        self.inner.flush(buf)
    }
    fn rebase(
        &mut self, buf: &mut Buffer<'_>, preserve: usize, capacity: usize,
    ) -> Result<(), WriteFailed> {
        self.inner.rebase(buf, preserve, capacity)
    }
}

impl<S: Sink> Recorded for Keeps<S> {
    fn log(&mut self) -> &mut Vec<u8> {
        &mut self.log
    }
    fn fitting_drains(&self) -> usize {
        0
    }
    const DEFAULT_REBASE: bool = false;
}

/// Distinct bytes for the operations to write.
struct Source(u64);

impl Source {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.0 += 1;
                // A multiplicative hash of the position: neighbouring runs
                // differ, and no short period repeats.
                (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8
            })
            .collect()
    }

    fn pieces(&mut self, lens: &[usize]) -> Vec<Vec<u8>> {
        lens.iter().map(|&n| self.bytes(n)).collect()
    }
}

/// `data` with its last element repeated `splat` times, flattened.
fn splatted(data: &[Vec<u8>], splat: usize) -> Vec<u8> {
    let (last, rest) = data.split_last().expect("generated non-empty");
    let mut out = rest.concat();
    out.extend(last.repeat(splat));
    out
}

/// What an operation reported.
enum Outcome {
    /// It returned a count of bytes written.
    Count(usize),
    /// It returned success for all of its bytes.
    All,
    /// It failed: a prefix of its bytes may have been taken.
    Failed,
}

impl From<Result<usize, WriteFailed>> for Outcome {
    fn from(r: Result<usize, WriteFailed>) -> Outcome {
        r.map_or(Outcome::Failed, Outcome::Count)
    }
}

impl From<Result<(), WriteFailed>> for Outcome {
    fn from(r: Result<(), WriteFailed>) -> Outcome {
        r.map_or(Outcome::Failed, |()| Outcome::All)
    }
}

fn received_then_buffered<S: Recorded>(w: &mut Writer<'_, S>) -> Vec<u8> {
    let mut all = w.sink.log().clone();
    all.extend_from_slice(w.buffered());
    all
}

/// Runs `ops` on `w`, checking the invariant after each, and returns the
/// bytes written (sent or still buffered). A failure names the operation
/// that broke the invariant.
fn run<S: Recorded>(w: &mut Writer<'_, S>, ops: &[Op]) -> Result<Vec<u8>, TestCaseError> {
    let mut src = Source(0);
    let mut expected = received_then_buffered(w);
    for (i, op) in ops.iter().enumerate() {
        let cap = w.capacity();
        let end_before = w.end();
        let fitting_before = w.sink.fitting_drains();
        // Keep preserve/len requests within what the sink can serve
        // without tripping the assertion that Zig also has.
        let clamp = |x: usize, max: usize| if S::DEFAULT_REBASE { x % (max + 1) } else { x };
        // (bytes the op writes, what it reported, minimum `end` afterwards
        // when it succeeded: the preserved bytes plus the new ones)
        let mut min_end = 0;
        let mut may_drain_fitting = false;
        let (bytes, outcome): (Vec<u8>, Outcome) = match op {
            Op::Write(n) => {
                let b = src.bytes(*n);
                let r = w.write(&b);
                (b, r.into())
            }
            Op::WriteAll(n) => {
                let b = src.bytes(*n);
                let r = w.write_all(&b);
                (b, r.into())
            }
            Op::WriteVec(l) => {
                let d = src.pieces(l);
                let v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                (d.concat(), w.write_vec(&v).into())
            }
            Op::WriteVecAll(l) => {
                let d = src.pieces(l);
                let mut v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                let r = w.write_vec_all(&mut v);
                prop_assert!(v.iter().zip(&d).all(|(a, b)| *a == &b[..]), "data restored");
                (d.concat(), r.into())
            }
            Op::WriteSplat(l, s) => {
                let d = src.pieces(l);
                let v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                (splatted(&d, *s), w.write_splat(&v, *s).into())
            }
            Op::WriteSplatAll(l, s) => {
                let d = src.pieces(l);
                let mut v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                let r = w.write_splat_all(&mut v, *s);
                prop_assert!(v.iter().zip(&d).all(|(a, b)| *a == &b[..]), "data restored");
                (splatted(&d, *s), r.into())
            }
            Op::WriteSplatHeader(h, l, s) => {
                let header = src.bytes(*h);
                let d = src.pieces(l);
                let v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                let r = w.write_splat_header(&header, &v, *s);
                ([header, splatted(&d, *s)].concat(), r.into())
            }
            Op::WriteSplatHeaderLimit(h, l, s, limit) => {
                let header = src.bytes(*h);
                let d = src.pieces(l);
                let v: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
                let r = w.write_splat_header_limit(&header, &v, *s, Limit::limited(*limit));
                if let Ok(n) = r {
                    prop_assert!(n <= *limit, "op {i}: returned {n} over limit {limit}");
                }
                let mut all = [header, splatted(&d, *s)].concat();
                all.truncate(*limit);
                // Like Zig, it drains once the limit stops a piece even if
                // the piece would fit in the buffer (ziglang/zig#25836).
                may_drain_fitting = true;
                (all, r.into())
            }
            Op::WriteByte => {
                let b = src.bytes(1);
                (b.clone(), w.write_byte(b[0]).into())
            }
            Op::WriteBytePreserve(p) => {
                if S::DEFAULT_REBASE && cap == 0 {
                    continue;
                }
                let p = clamp(*p, cap.saturating_sub(1));
                let b = src.bytes(1);
                min_end = p.min(end_before) + 1;
                (b.clone(), w.write_byte_preserve(p, b[0]).into())
            }
            Op::SplatByte(n) => {
                let b = src.bytes(1)[0];
                (vec![b; *n], w.splat_byte(b, *n).into())
            }
            Op::SplatByteAll(n) => {
                let b = src.bytes(1)[0];
                (vec![b; *n], w.splat_byte_all(b, *n).into())
            }
            Op::SplatBytePreserve(p, n) => {
                // The bytes still to write once only `preserve` are left go
                // through rebase(preserve, that many): p + min(n, p) <= cap.
                let p = clamp(*p, if *n >= cap / 2 { cap / 2 } else { cap - n });
                let b = src.bytes(1)[0];
                min_end = p.min(end_before + n);
                (vec![b; *n], w.splat_byte_preserve(p, b, *n).into())
            }
            Op::SplatBytes(l, n) => {
                let b = src.bytes(*l);
                (b.repeat(*n), w.splat_bytes(&b, *n).into())
            }
            Op::SplatBytesAll(l, n) => {
                let b = src.bytes(*l);
                (b.repeat(*n), w.splat_bytes_all(&b, *n).into())
            }
            Op::WritableSlice(l) => {
                let l = clamp(*l, cap);
                let b = src.bytes(l);
                let r = w.writable_slice(l).map(|s| {
                    assert_eq!(s.len(), l);
                    s.copy_from_slice(&b);
                });
                (b, r.into())
            }
            Op::WritableSlicePreserve(p, l) => {
                let p = clamp(*p, cap);
                let l = clamp(*l, cap - p.min(cap));
                let b = src.bytes(l);
                min_end = p.min(end_before) + l;
                let r = w.writable_slice_preserve(p, l).map(|s| {
                    assert_eq!(s.len(), l);
                    s.copy_from_slice(&b);
                });
                (b, r.into())
            }
            Op::WritableSliceGreedy(m, k) | Op::WritableSliceGreedyPreserve(_, m, k) => {
                let p = match op {
                    Op::WritableSliceGreedyPreserve(p, ..) => clamp(*p, cap),
                    _ => 0,
                };
                let m = clamp(*m, cap - p.min(cap));
                let r = w.writable_slice_greedy_preserve(p, m).map(|s| s.len());
                match r {
                    Ok(room) => {
                        prop_assert!(room >= m, "op {i}: greedy slice of {room} < {m}");
                        prop_assert_eq!(room, w.unused_capacity_len());
                        prop_assert!(w.end() >= p.min(end_before), "op {i}: preserve");
                        let k = k % (room + 1);
                        let b = src.bytes(k);
                        w.unused_capacity_slice()[..k].copy_from_slice(&b);
                        w.advance(k);
                        (b, Outcome::All)
                    }
                    Err(_) => (Vec::new(), Outcome::Failed),
                }
            }
            Op::WritableArray4 => {
                if S::DEFAULT_REBASE && cap < 4 {
                    continue;
                }
                let b = src.bytes(4);
                let r = w.writable_array::<4>().map(|a| a.copy_from_slice(&b));
                (b, r.into())
            }
            Op::EnsureUnusedCapacity(n) => {
                let n = clamp(*n, cap);
                let r = w.ensure_unused_capacity(n);
                if r.is_ok() {
                    prop_assert!(w.unused_capacity_len() >= n);
                }
                (Vec::new(), r.into())
            }
            Op::Rebase(p, c) => {
                let p = clamp(*p, cap);
                let c = clamp(*c, cap - p.min(cap));
                let r = w.rebase(p, c);
                if r.is_ok() {
                    prop_assert!(w.unused_capacity_len() >= c, "op {i}: rebase room");
                }
                min_end = p.min(end_before);
                (Vec::new(), r.into())
            }
            Op::Flush => {
                let r = w.flush();
                if r.is_ok() && S::DEFAULT_REBASE {
                    prop_assert_eq!(w.end(), 0, "op {}: flush left bytes", i);
                }
                (Vec::new(), r.into())
            }
            Op::Consume(n) => {
                let taken = (*n).min(w.end());
                let head = w.buffered()[..taken].to_vec();
                w.sink.log().extend_from_slice(&head);
                let data_bytes = w.consume(*n);
                prop_assert_eq!(data_bytes, n.saturating_sub(end_before));
                prop_assert_eq!(w.end(), end_before - taken);
                (Vec::new(), Outcome::All)
            }
            Op::ConsumeAll => {
                let head = w.buffered().to_vec();
                w.sink.log().extend_from_slice(&head);
                prop_assert_eq!(w.consume_all(), 0);
                prop_assert_eq!(w.end(), 0);
                (Vec::new(), Outcome::All)
            }
            Op::Undo(n) => {
                let n = (*n).min(w.end());
                w.undo(n);
                expected.truncate(expected.len() - n);
                (Vec::new(), Outcome::All)
            }
            Op::WriteInt(v, big) => {
                let (b, e) = if *big {
                    (v.to_be_bytes(), Endian::Big)
                } else {
                    (v.to_le_bytes(), Endian::Little)
                };
                (b.to_vec(), w.write_int(*v, e).into())
            }
            Op::Print(v) => {
                let b = format!("<{v}:{v:x}>").into_bytes();
                (b, w.print(format_args!("<{v}:{v:x}>")).into())
            }
        };

        prop_assert!(w.end() <= w.capacity(), "op {i}: end past capacity");
        if !may_drain_fitting {
            prop_assert_eq!(
                w.sink.fitting_drains(),
                fitting_before,
                "op {}: {:?} drained data that fit",
                i,
                op
            );
        }
        let after = received_then_buffered(w);
        prop_assert!(
            after.starts_with(&expected),
            "op {i}: {op:?} changed bytes already written"
        );
        let appended = &after[expected.len()..];
        match outcome {
            Outcome::Count(n) => {
                prop_assert!(n <= bytes.len(), "op {i}: count {n} > {}", bytes.len());
                prop_assert_eq!(appended, &bytes[..n], "op {}: {:?}", i, op);
            }
            Outcome::All => {
                prop_assert_eq!(appended, &bytes[..], "op {}: {:?}", i, op);
                prop_assert!(w.end() >= min_end, "op {i}: {op:?} did not preserve");
            }
            Outcome::Failed => prop_assert!(
                bytes.starts_with(appended),
                "op {i}: failed {op:?} took bytes that are not a prefix"
            ),
        }
        expected = after;
    }
    Ok(expected)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn scripted_sink_keeps_every_byte(
        cap in capacity(),
        script in script(),
        ops in prop::collection::vec(op(), 1..=120),
    ) {
        let mut storage = vec![0u8; cap];
        let mut w = Writer::new(Buffer::borrowed(&mut storage), Scripted::new(script));
        let written = run(&mut w, &ops)?;
        // The sink takes at least one byte per cycle of its script, so
        // flushing succeeds within (buffered + 1) cycles of attempts, and
        // then everything has arrived.
        let max_attempts = (w.end() + 1) * w.sink.script.len();
        let mut attempts = 0;
        while w.flush().is_err() {
            attempts += 1;
            prop_assert!(attempts <= max_attempts, "flush keeps failing");
        }
        prop_assert_eq!(w.end(), 0);
        prop_assert_eq!(&w.sink.received, &written);
    }

    #[test]
    fn fixed_keeps_every_byte(
        cap in capacity(),
        ops in prop::collection::vec(op(), 1..=60),
    ) {
        let mut storage = vec![0u8; cap];
        let mut w = Writer::new(
            Buffer::borrowed(&mut storage),
            Keeps { inner: Fixed, log: Vec::new() },
        );
        run(&mut w, &ops)?;
    }

    #[test]
    fn allocating_keeps_every_byte(
        cap in prop_oneof![Just(0usize), 1..=64usize],
        ops in prop::collection::vec(op(), 1..=60),
    ) {
        let mut w = Writer::new(
            Buffer::owned(Vec::with_capacity(cap)),
            Keeps { inner: Allocating, log: Vec::new() },
        );
        run(&mut w, &ops)?;
    }
}
