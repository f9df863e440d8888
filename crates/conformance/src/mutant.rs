//! Deliberately broken sinks: proof that the comparison can fail.
//!
//! A conformance suite that never fails proves nothing. Each [`Mutant`]
//! wraps the scripted sink and breaks one piece of the logic that zigio
//! ports from Zig; running the suite with it must report a difference.
//!
//! The mutants live here, as wrapping [`Sink`]s, and not in zigio: a cargo
//! feature or a hidden switch in zigio would put a broken variant into the
//! product (and make every build of zigio carry it). A `Sink` may override
//! `flush` and `rebase`, so a wrapper that forwards `drain` and replaces one
//! of them runs every writer operation of the real zigio against a broken
//! vtable entry, exactly where a porting mistake would sit.

use zigio::{Buffer, Sink, WriteFailed};

/// A way to break the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutant {
    /// `defaultRebase` without its `defer w.end += preserved_len`: when the
    /// drain fails, the preserved bytes stay hidden (lost from `end`).
    RebaseForgetsEndOnError,
    /// `defaultFlush` that drains once instead of until the buffer is
    /// empty.
    FlushDrainsOnce,
}

impl Mutant {
    /// Every mutant.
    pub const ALL: [Mutant; 2] = [Mutant::RebaseForgetsEndOnError, Mutant::FlushDrainsOnce];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Mutant::RebaseForgetsEndOnError => "rebase-forgets-end-on-error",
            Mutant::FlushDrainsOnce => "flush-drains-once",
        }
    }

    /// `sink` with this mutation.
    pub fn wrap<S: Sink>(self, sink: S) -> Mutated<S> {
        Mutated { sink, mutant: self }
    }
}

/// A sink with one broken vtable entry (see [`Mutant`]).
#[derive(Debug)]
pub struct Mutated<S> {
    sink: S,
    mutant: Mutant,
}

impl<S: Sink> Sink for Mutated<S> {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        self.sink.drain(buf, data, splat)
    }

    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        match self.mutant {
            Mutant::FlushDrainsOnce => {
                if buf.end() != 0 {
                    self.sink.drain(buf, &[b""], 1)?;
                }
                Ok(())
            }
            Mutant::RebaseForgetsEndOnError => zigio::default_flush(self, buf),
        }
    }

    fn rebase(
        &mut self, buf: &mut Buffer<'_>, preserve: usize, capacity: usize,
    ) -> Result<(), WriteFailed> {
        match self.mutant {
            Mutant::RebaseForgetsEndOnError => {
                while buf.unused_capacity_len() < capacity {
                    let tail = buf.end();
                    let head = tail.saturating_sub(preserve);
                    let hidden = tail - head;
                    buf.set_end(head);
                    // The mutation: `?` returns before `end` is restored.
                    let n = self.sink.drain(buf, &[b""], 1)?;
                    assert_eq!(n, 0, "drain(&[b\"\"], 1) consumed data bytes");
                    let end = buf.end();
                    buf.as_mut_slice().copy_within(head..tail, end);
                    buf.set_end(end + hidden);
                }
                Ok(())
            }
            Mutant::FlushDrainsOnce => zigio::default_rebase(self, buf, preserve, capacity),
        }
    }
}
