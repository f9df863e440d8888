//! `Instrumented`: a decorator that records what the interface does.

use crate::{Buffer, Sink, WriteFailed, Writer};
use core::fmt;

/// A sink decorator that records every drain, flush and rebase that reaches
/// the inner sink, and (through [`Writer::observe`]) the buffer occupancy
/// after each operation. The book's experiments print and plot this trace.
///
/// Flushes, rebases and file sends are recorded as one event each. When the inner
/// sink's flush or rebase is the default, which drains from inside, those
/// inner drains are not recorded one by one: the event's before/after
/// occupancy shows what they moved.
#[derive(Debug, Default)]
pub struct Instrumented<S> {
    /// The decorated sink.
    pub inner: S,
    /// Everything recorded so far.
    pub trace: Trace,
    op: usize,
}

impl<S> Instrumented<S> {
    /// Decorates `inner` with an empty trace.
    pub fn new(inner: S) -> Self {
        Instrumented {
            inner,
            trace: Trace::default(),
            op: 0,
        }
    }
}

/// The events recorded by [`Instrumented`], in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trace {
    /// Every event, oldest first.
    pub events: Vec<Event>,
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A call of the sink's drain.
    Drain(DrainCall),
    /// A call of the sink's flush.
    Flush {
        /// Operation index ([`Writer::observe`] count) at the time.
        op: usize,
        /// `end` before and after.
        buffered: (usize, usize),
        /// Whether it succeeded.
        ok: bool,
    },
    /// A call of the sink's rebase.
    Rebase {
        /// Operation index at the time.
        op: usize,
        /// Bytes to keep.
        preserve: usize,
        /// Room requested.
        capacity: usize,
        /// `end` before and after.
        buffered: (usize, usize),
        /// Whether it succeeded.
        ok: bool,
    },
    /// A call of the sink's `send_file` (forwarded, so the inner sink's
    /// `sendfile`/`copy_file_range` path is kept).
    SendFile {
        /// Operation index at the time.
        op: usize,
        /// The limit passed.
        limit: crate::Limit,
        /// `end` before and after.
        buffered: (usize, usize),
        /// File bytes sent, or why none were.
        result: Result<usize, crate::SendFileError>,
    },
    /// An operation observed with [`Writer::observe`] finished.
    Op {
        /// Its index, from 0.
        op: usize,
        /// `buffered().len()` right after it.
        buffered: usize,
    },
}

/// One drain call as the sink saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainCall {
    /// Index of the observed operation during which it happened.
    pub op: usize,
    /// `end` on entry: the buffered bytes offered first.
    pub buffered: usize,
    /// Length of each `data` slice.
    pub data_lens: Vec<usize>,
    /// Repetitions of the last slice.
    pub splat: usize,
    /// `end` on return.
    pub buffered_after: usize,
    /// What drain returned: data bytes consumed, or the failure.
    pub result: Result<usize, WriteFailed>,
}

impl DrainCall {
    /// Bytes the sink took in this call: buffered bytes it removed plus the
    /// data bytes it reported consuming. (A growing sink removes no
    /// buffered bytes; its data bytes are appended to the buffer.)
    pub fn accepted(&self) -> usize {
        self.buffered.saturating_sub(self.buffered_after) + self.result.unwrap_or(0)
    }

    /// Bytes offered: the buffered bytes plus the data with its splat.
    pub fn offered(&self) -> usize {
        let (last, rest) = self.data_lens.split_last().unwrap_or((&0, &[]));
        self.buffered + rest.iter().sum::<usize>() + last * self.splat
    }
}

impl fmt::Display for DrainCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "op {:>3}: drain(buffered {}, data {:?}, splat {}) -> ",
            self.op, self.buffered, self.data_lens, self.splat
        )?;
        match self.result {
            Ok(n) => write!(f, "{n}, {} left buffered", self.buffered_after),
            Err(_) => write!(f, "WriteFailed, {} left buffered", self.buffered_after),
        }
    }
}

impl Trace {
    /// The drain calls, in order.
    pub fn drains(&self) -> impl Iterator<Item = &DrainCall> {
        self.events.iter().filter_map(|e| match e {
            Event::Drain(d) => Some(d),
            _ => None,
        })
    }

    /// `(operation index, buffered bytes after it)` for every observed
    /// operation: the occupancy curve.
    pub fn occupancy(&self) -> Vec<(usize, usize)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Op { op, buffered } => Some((*op, *buffered)),
                _ => None,
            })
            .collect()
    }
}

impl<S: Sink> Sink for Instrumented<S> {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let buffered = buf.end();
        let result = self.inner.drain(buf, data, splat);
        self.trace.events.push(Event::Drain(DrainCall {
            op: self.op,
            buffered,
            data_lens: data.iter().map(|d| d.len()).collect(),
            splat,
            buffered_after: buf.end(),
            result,
        }));
        result
    }

    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        let before = buf.end();
        let result = self.inner.flush(buf);
        self.trace.events.push(Event::Flush {
            op: self.op,
            buffered: (before, buf.end()),
            ok: result.is_ok(),
        });
        result
    }

    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut crate::fs::FileSource<'_>, limit: crate::Limit,
    ) -> Result<usize, crate::SendFileError> {
        let before = buf.end();
        let result = self.inner.send_file(buf, file, limit);
        self.trace.events.push(Event::SendFile {
            op: self.op,
            limit,
            buffered: (before, buf.end()),
            result,
        });
        result
    }

    fn rebase(
        &mut self, buf: &mut Buffer<'_>, preserve: usize, capacity: usize,
    ) -> Result<(), WriteFailed> {
        let before = buf.end();
        let result = self.inner.rebase(buf, preserve, capacity);
        self.trace.events.push(Event::Rebase {
            op: self.op,
            preserve,
            capacity,
            buffered: (before, buf.end()),
            ok: result.is_ok(),
        });
        result
    }
}

impl<S: Sink> Writer<'_, Instrumented<S>> {
    /// Runs one operation on this writer and records the occupancy after
    /// it; drains it causes are tagged with its index.
    ///
    /// ```
    /// use zigio::{Discarding, Instrumented, Writer};
    /// let mut storage = [0u8; 8];
    /// let mut w = Writer::new(&mut storage, Instrumented::new(Discarding::default()));
    /// for _ in 0..3 {
    ///     w.observe(|w| w.write_all(b"abc")).unwrap();
    /// }
    /// // The third write does not fit: one drain takes the 6 buffered bytes and
    /// // the 3 new ones together, leaving the buffer empty.
    /// assert_eq!(w.sink.trace.occupancy(), [(0, 3), (1, 6), (2, 0)]);
    /// assert_eq!(w.sink.trace.drains().count(), 1);
    /// ```
    pub fn observe<R>(&mut self, op: impl FnOnce(&mut Self) -> R) -> R {
        let result = op(self);
        let index = self.sink.op;
        self.sink.trace.events.push(Event::Op {
            op: index,
            buffered: self.end(),
        });
        self.sink.op += 1;
        result
    }

    /// The recorded trace.
    pub fn trace(&self) -> &Trace {
        &self.sink.trace
    }
}
