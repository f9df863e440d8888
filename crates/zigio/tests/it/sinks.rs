//! The sinks beyond fixed, allocating and hashing (`hashing.rs`): `IoSink`
//! over well- and badly-behaved `std::io::Write`s, the `std::io`/`core::fmt`
//! interop, and the `Instrumented` decorator's trace.

use std::io::{self, IoSlice};
use zigio::{Buffer, DrainCall, Event, Failing, Instrumented, WriteFailed, Writer};
use zigio_testkit::{Scripted, Step};

/// The bytes of a mixed sequence of operations, and the operations.
fn mixed_ops<S: zigio::Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<Vec<u8>, WriteFailed> {
    let mut expected = Vec::new();
    w.write_all(b"hello")?;
    expected.extend_from_slice(b"hello");
    w.write_all(b", this does not fit in eight bytes")?;
    expected.extend_from_slice(b", this does not fit in eight bytes");
    w.splat_byte_all(b'z', 1000)?;
    expected.extend(std::iter::repeat_n(b'z', 1000));
    w.write_splat_all(&mut [b"<", b"ab"], 40)?;
    expected.push(b'<');
    expected.extend(b"ab".repeat(40));
    w.write_vec_all(&mut [b"x", b"", b"yz"])?;
    expected.extend_from_slice(b"xyz");
    w.write_int(0x0102_0304u32, zigio::Endian::Big)?;
    expected.extend_from_slice(&[1, 2, 3, 4]);
    Ok(expected)
}

#[test]
fn io_sink_over_a_vec() {
    for capacity in [0, 1, 8, 4096] {
        let mut storage = vec![0u8; capacity];
        let mut w = Writer::from_io(Vec::new(), Buffer::borrowed(&mut storage));
        let expected = mixed_ops(&mut w).unwrap();
        w.flush().unwrap();
        assert_eq!(w.end(), 0);
        assert!(w.sink.err.is_none());
        assert_eq!(w.sink.inner, expected, "buffer {capacity}");
    }
}

/// An `io::Write` that takes at most `max` bytes per call, across slices,
/// and is interrupted every `interrupt_every`-th call.
struct Trickle {
    out: Vec<u8>,
    max: usize,
    calls: usize,
    interrupt_every: usize,
}

impl io::Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_vectored(&[IoSlice::new(buf)])
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.calls += 1;
        if self.interrupt_every != 0 && self.calls.is_multiple_of(self.interrupt_every) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let mut left = self.max;
        for b in bufs {
            let n = b.len().min(left);
            self.out.extend_from_slice(&b[..n]);
            left -= n;
        }
        Ok(self.max - left)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_sink_short_writes_and_interrupts_lose_nothing() {
    for (max, interrupt_every) in [(1, 0), (3, 0), (5, 2), (100, 3)] {
        for capacity in [0, 8, 64] {
            let mut storage = vec![0u8; capacity];
            let inner = Trickle {
                out: Vec::new(),
                max,
                calls: 0,
                interrupt_every,
            };
            let mut w = Writer::from_io(inner, Buffer::borrowed(&mut storage));
            let expected = mixed_ops(&mut w).unwrap();
            w.flush().unwrap();
            assert!(w.sink.err.is_none(), "Interrupted is retried, not kept");
            assert_eq!(w.sink.inner.out, expected, "max {max}, buffer {capacity}");
        }
    }
}

/// An `io::Write` that accepts bytes until `fail_at` bytes have arrived,
/// then fails with `BrokenPipe` (or reports 0 bytes written).
struct Breaks {
    out: Vec<u8>,
    fail_at: usize,
    zero: bool,
}

impl io::Write for Breaks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.fail_at.saturating_sub(self.out.len());
        if room == 0 {
            return if self.zero {
                Ok(0)
            } else {
                Err(io::ErrorKind::BrokenPipe.into())
            };
        }
        let n = buf.len().min(room);
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_sink_error_is_kept_and_no_bytes_are_lost() {
    let input: Vec<u8> = (0..200u8).collect();
    for zero in [false, true] {
        for capacity in [0, 8, 64] {
            let mut storage = vec![0u8; capacity];
            let inner = Breaks {
                out: Vec::new(),
                fail_at: 50,
                zero,
            };
            let mut w = Writer::from_io(inner, Buffer::borrowed(&mut storage));
            w.write_all(&input[..20]).unwrap();
            assert_eq!(w.write_all(&input[20..]), Err(WriteFailed));
            let kind = w.sink.err.as_ref().map(io::Error::kind);
            let want = if zero {
                io::ErrorKind::WriteZero
            } else {
                io::ErrorKind::BrokenPipe
            };
            assert_eq!(kind, Some(want), "buffer {capacity}");
            // What the destination got plus what is still buffered is a
            // prefix of the input that covers the successful write.
            let accepted = w.sink.inner.out.len() + w.end();
            assert!(accepted >= 20 && accepted < input.len());
            let mut got = w.sink.inner.out.clone();
            got.extend_from_slice(w.buffered());
            assert_eq!(got, input[..accepted]);
            // A failing flush keeps the buffered bytes.
            let end = w.end();
            if end > 0 {
                assert_eq!(w.flush(), Err(WriteFailed));
                assert_eq!(w.end(), end);
            }
            // Once the destination recovers, the writer is still usable:
            // flush what is buffered, resume after the accepted prefix.
            w.sink.inner.fail_at = usize::MAX;
            w.sink.err = None;
            w.write_all(&input[accepted..]).unwrap();
            w.flush().unwrap();
            assert!(w.sink.err.is_none());
            assert_eq!(w.sink.inner.out, input, "buffer {capacity}");
        }
    }
}

#[test]
fn io_write_and_fmt_write_interop() {
    use std::io::Write as _;
    let mut storage = [0u8; 4];
    let mut w = Writer::from_io(Vec::new(), &mut storage);
    let (n, s) = (12, "ab");
    write!(w, "{n}-{s}").unwrap(); // io::Write::write_fmt
    io::Write::write_all(&mut w, b"|io").unwrap();
    assert_eq!(io::Write::write(&mut w, b"").unwrap(), 0);
    assert_eq!(io::Write::write(&mut w, b"!").unwrap(), 1);
    io::Write::flush(&mut w).unwrap();
    assert_eq!(w.sink.inner, b"12-ab|io!");

    let mut storage = [0u8; 3];
    let mut w = Writer::fixed(&mut storage);
    // A fixed writer that overflows turns into fmt::Error.
    assert!(std::fmt::Write::write_str(&mut w, "abcd").is_err());
    assert_eq!(w.buffered(), b"abc");
    let mut a = Writer::allocating();
    std::fmt::Write::write_fmt(&mut a, format_args!("{:>5}|{:x}", 42, 255u8)).unwrap();
    assert_eq!(a.written(), b"   42|ff");

    let mut f = Writer::failing();
    let err = io::Write::write_all(&mut f, b"x").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Other);
}

// ---------------------------------------------------------------------------
// Instrumented
// ---------------------------------------------------------------------------

#[test]
fn instrumented_records_drains_with_entry_end_data_splat_and_result() {
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, Instrumented::new(Scripted::accept_all()));
    w.observe(|w| w.write_all(b"hello")).unwrap();
    // 8 more bytes do not fit after 5: one drain with the 5 buffered bytes.
    assert_eq!(w.observe(|w| w.write_splat(&[b"ab", b"cd"], 3)), Ok(8));
    w.observe(|w| w.write_all(b"xyz")).unwrap();
    w.observe(|w| w.flush()).unwrap();

    let drains: Vec<&DrainCall> = w.trace().drains().collect();
    assert_eq!(
        drains,
        [&DrainCall {
            op: 1,
            buffered: 5,
            data_lens: vec![2, 2],
            splat: 3,
            buffered_after: 0,
            result: Ok(8),
        }]
    );
    assert_eq!(drains[0].offered(), 13);
    assert_eq!(drains[0].accepted(), 13);
    assert_eq!(
        drains[0].to_string(),
        "op   1: drain(buffered 5, data [2, 2], splat 3) -> 8, 0 left buffered"
    );
    assert_eq!(w.trace().occupancy(), [(0, 5), (1, 0), (2, 3), (3, 0)]);
    assert!(w.trace().events.contains(&Event::Flush {
        op: 3,
        buffered: (3, 0),
        ok: true
    }));
    assert_eq!(w.sink.inner.received, b"helloabcdcdcdxyz");
}

#[test]
fn instrumented_records_partial_and_failed_drains_and_rebase() {
    let mut storage = [0u8; 8];
    let sink = Instrumented::new(Scripted::new(vec![Step::Take(4), Step::Fail, Step::All]));
    let mut w = Writer::new(&mut storage, sink);
    // Unbuffered-size write: drain takes 4 of 10, the other 6 then fit.
    w.observe(|w| w.write_all(b"0123456789")).unwrap();
    // Full buffer after 2 more; the next write fails in the sink.
    w.observe(|w| w.write_all(b"ab")).unwrap();
    assert_eq!(w.observe(|w| w.write_byte(b'!')), Err(WriteFailed));
    // rebase(2, 6) drains the 6 oldest bytes, keeps the newest 2.
    w.observe(|w| w.rebase(2, 6)).unwrap();

    let drains: Vec<DrainCall> = w.trace().drains().cloned().collect();
    assert_eq!(
        drains,
        [
            DrainCall {
                op: 0,
                buffered: 0,
                data_lens: vec![10],
                splat: 1,
                buffered_after: 0,
                result: Ok(4),
            },
            DrainCall {
                op: 2,
                buffered: 8,
                data_lens: vec![1],
                splat: 1,
                buffered_after: 8,
                result: Err(WriteFailed),
            },
        ]
    );
    assert_eq!(drains[0].accepted(), 4);
    assert_eq!(drains[1].accepted(), 0);
    assert!(w.trace().events.contains(&Event::Rebase {
        op: 3,
        preserve: 2,
        capacity: 6,
        buffered: (8, 2),
        ok: true
    }));
    assert_eq!(w.trace().occupancy(), [(0, 6), (1, 8), (2, 8), (3, 2)]);
    assert_eq!(w.buffered(), b"ab");
    assert_eq!(w.sink.inner.received, b"0123456789");
}

#[test]
fn instrumented_over_failing() {
    let mut w = Writer::new(Buffer::empty(), Instrumented::new(Failing));
    assert_eq!(w.observe(|w| w.write_all(b"x")), Err(WriteFailed));
    let d = w.trace().drains().next().unwrap().clone();
    assert_eq!(d.result, Err(WriteFailed));
    assert_eq!(d.accepted(), 0);
    assert_eq!(d.offered(), 1);
    assert!(d.to_string().ends_with("WriteFailed, 0 left buffered"));
}
