//! [`BodyWriter`] and its sink, [`BodySink`]: Zig's `std.http.BodyWriter`
//! (`http.zig:739-1035`).

use super::{BodyError, Header, chunked};
use zigio::{Buffer, DynWriter, Sink, WriteFailed, Writer, count_splat, default_flush};

/// How a body is delimited on the wire: the choice that Zig makes when it
/// picks a drain (`http/Server.zig:451-490`, `http/Client.zig:923-962`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No framing: closing the connection ends the body (Zig's `.none`).
    None,
    /// `Content-Length: n`: exactly `n` bytes.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// Where a body writer stands: Zig's `BodyWriter.State` (`http.zig:757-771`),
/// with the declared length kept for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Unframed; the body goes on until the connection closes.
    None,
    /// Content-length framing.
    ContentLength {
        /// The declared length.
        declared: u64,
        /// Bytes still owed: counts down as drains send (or, eliding, drop) bytes.
        remaining: u64,
    },
    /// Chunked framing.
    Chunked {
        /// 0 when no chunk is open; otherwise the data bytes the open chunk
        /// still needs plus 2 for its closing CRLF (so 2 means "complete,
        /// CRLF not yet written").
        chunk_len: u64,
    },
    /// The body has ended cleanly; the connection may be reused.
    End,
}

/// The sink of a [`BodyWriter`]: the connection's protocol output and the
/// framing state. Its drain is Zig's `noneDrain`, `contentLengthDrain`,
/// `chunkedDrain` or `elidingDrain`, chosen by the state.
pub struct BodySink<'o, 'w> {
    out: &'o mut DynWriter<'w>,
    state: State,
    eliding: bool,
    err: Option<BodyError>,
}

impl<'o, 'w> BodySink<'o, 'w> {
    /// The framing state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The first error, if the body writer has failed.
    pub fn error(&self) -> Option<&BodyError> {
        self.err.as_ref()
    }

    /// Whether bodies are dropped (a response to `HEAD`): Zig's `isEliding`.
    pub fn is_eliding(&self) -> bool {
        self.eliding
    }

    /// Records the first error and reports `WriteFailed`.
    fn fail(&mut self, e: BodyError) -> WriteFailed {
        self.err.get_or_insert(e);
        WriteFailed
    }

    /// The sticky error, as a `Result`.
    fn check(&self) -> Result<(), BodyError> {
        match &self.err {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn drain_inner(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, BodyError> {
        let out = &mut *self.out;
        match &mut self.state {
            State::End => Err(BodyError::Ended),
            State::ContentLength {
                declared,
                remaining,
            } => {
                // Refuse the whole drain rather than send a prefix: a body cut
                // to exactly the declared length would look complete to the
                // peer.
                let offered = (buf.end() as u64).saturating_add(count_splat(data, splat) as u64);
                if offered > *remaining {
                    return Err(BodyError::ContentLengthExceeded {
                        declared: *declared,
                        sent: *declared - *remaining,
                        offered,
                    });
                }
                if self.eliding {
                    *remaining -= offered;
                    buf.consume_all();
                    return Ok(count_splat(data, splat));
                }
                let n = out
                    .write_splat_header(buf.buffered(), data, splat)
                    .map_err(|_| BodyError::Downstream)?;
                *remaining -= n as u64;
                Ok(buf.consume(n))
            }
            _ if self.eliding => {
                buf.consume_all();
                Ok(count_splat(data, splat))
            }
            State::None => {
                let n = out
                    .write_splat_header(buf.buffered(), data, splat)
                    .map_err(|_| BodyError::Downstream)?;
                Ok(buf.consume(n))
            }
            State::Chunked { chunk_len } => chunked::drain(out, chunk_len, buf, data, splat),
        }
    }
}

impl Sink for BodySink<'_, '_> {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        if self.err.is_some() {
            return Err(WriteFailed);
        }
        self.drain_inner(buf, data, splat).map_err(|e| self.fail(e))
    }

    /// Drains this writer's own buffer, then flushes the connection's
    /// protocol output. Zig's `BodyWriter.flush` does only the second
    /// (`http.zig:777-783`), so bytes still in the body writer's buffer
    /// stayed there; here `flush` means every byte written so far is sent.
    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        if self.err.is_some() {
            return Err(WriteFailed);
        }
        default_flush(self, buf)?;
        self.out
            .flush()
            .map_err(|_| self.fail(BodyError::Downstream))
    }

    /// The buffered bytes, then at most `limit` bytes of `file`, framed:
    /// forwarded with the protocol output's `send_file_header` (so a
    /// connection writer over a socket can use `sendfile`), counted against
    /// a content length, inside a chunk sized ahead from the file's size,
    /// or skipped when eliding. `Unimplemented` (nothing sent) when the
    /// framing needs the file's size and the file's end is not known for
    /// certain (a pipe, a `/proc` or `/sys` file): the caller's read loop
    /// then goes through `drain`. After the end, every framing fails with
    /// [`BodyError::Ended`], eliding or not.
    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut zigio::fs::FileSource<'_>, limit: zigio::Limit,
    ) -> Result<usize, zigio::SendFileError> {
        use super::send_file::{Fail, send_file};
        if self.err.is_some() {
            return Err(zigio::SendFileError::WriteFailed);
        }
        match send_file(self.out, &mut self.state, self.eliding, buf, file, limit) {
            Ok(n) => Ok(n),
            Err(Fail::Pass(e)) => Err(e),
            Err(Fail::Body(e)) => Err(self.fail(e).into()),
        }
    }
}

/// An HTTP/1.1 body writer: a [`Writer`] whose drain frames the body for
/// the connection's protocol output, Zig's `std.http.BodyWriter`.
///
/// Write the body through [`writer`](Self::writer) (which coerces to
/// [`DynWriter`] for any code that takes the interface), then call
/// [`end`](Self::end) or [`end_chunked`](Self::end_chunked). The response
/// head must already be in `out`, with the header that matches the
/// [`Framing`].
///
/// ```
/// use zigio::Writer;
/// use zigio_http::{BodyWriter, Framing, Header};
///
/// let mut conn = Writer::allocating();
/// conn.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
/// let mut storage = [0u8; 16];
/// let mut body = BodyWriter::new(&mut conn, &mut storage, Framing::Chunked);
/// body.writer.write_all(b"hello, world").unwrap(); // fits: buffered
/// body.end_chunked(&[Header::new("x-sum", "42")]).unwrap();
/// assert!(conn.written().ends_with(b"\r\n\r\n0000000c\r\nhello, world\r\n0\r\nx-sum: 42\r\n\r\n"));
/// ```
///
/// # Errors and their reasons
/// Operations on [`writer`](Self::writer) report only [`WriteFailed`]; the
/// reason is kept ([`error`](Self::error)) and returned by this type's own
/// methods as a [`BodyError`]. The first error is sticky. Like every
/// buffered writer, a mistake is detected when bytes are drained: writing
/// too much into a content-length body fails at the drain that would
/// exceed the length (at the latest at `flush` or `end`), and that drain
/// sends nothing.
///
/// # Differences from Zig 0.15.1
/// - `flush`, `end_chunked` and `end_chunked_unflushed` drain this writer's
///   own buffer first; Zig's `flush` and `endChunked` do not
///   (`http.zig:777-783`, `832-845`), so buffered body bytes were lost or
///   delayed.
/// - Zig asserts (or underflows) where this returns an error: exceeding or
///   falling short of the content length, ending inside a chunk, ending a
///   non-chunked body with `end_chunked`, ending twice.
/// - A chunk never overruns its header (the limit is enforced for every
///   piece), and no zero-length chunk is written before the end.
/// - Chunk headers are written with `write_all`, so `out` may have any
///   buffer size, even none (Zig reserves 10 bytes with `writableArray`).
/// - Trailers are validated before anything is written.
/// - Ending marks the body ended whatever its framing (Zig leaves `.none`
///   open), so a write or `send_file` after the end is an error, not extra
///   bytes, eliding or not.
/// - A chunk is finished by the call that opened it, even when the output
///   takes a few bytes at a time: a single-shot write taken in part never
///   leaves a chunk owing bytes, so the body can always end.
/// - A chunk's size comes from bytes in hand or from a file's end known
///   for certain, never from a size that `/proc` or `/sys` made up; a
///   content-length body never asks its output for more file bytes than the
///   length has left, even if the file grew.
/// - Trailer values follow RFC 9110's field-value rule: no control
///   characters but tab, no leading or trailing space.
/// - `send_file` of a content-length body checks the length before sending
///   (from the file's size), and forwards to the protocol output's own
///   `send_file_header`, so a socket `zigio::fs::FileWriter`
///   sends file bytes with `sendfile` (feature `os`).
pub struct BodyWriter<'a, 'o, 'w> {
    /// The body's interface: write through it (Zig's `BodyWriter.writer`).
    pub writer: Writer<'a, BodySink<'o, 'w>>,
}

impl<'a, 'o, 'w> BodyWriter<'a, 'o, 'w> {
    /// A body framed by `framing`, staged in `buffer` (which may be empty:
    /// then every write drains) and sent to `out`.
    pub fn new(
        out: &'o mut DynWriter<'w>, buffer: impl Into<Buffer<'a>>, framing: Framing,
    ) -> Self {
        Self::with_eliding(out, buffer, framing, false)
    }

    /// A body that is never sent, as for a response to `HEAD` (Zig's
    /// `elidingDrain`): every byte is dropped, but a content length is still
    /// accounted, so writing more or less than declared is still an error,
    /// and the head keeps its true `Content-Length`.
    pub fn eliding(
        out: &'o mut DynWriter<'w>, buffer: impl Into<Buffer<'a>>, framing: Framing,
    ) -> Self {
        Self::with_eliding(out, buffer, framing, true)
    }

    fn with_eliding(
        out: &'o mut DynWriter<'w>, buffer: impl Into<Buffer<'a>>, framing: Framing, eliding: bool,
    ) -> Self {
        let state = match framing {
            Framing::None => State::None,
            Framing::ContentLength(n) => State::ContentLength {
                declared: n,
                remaining: n,
            },
            Framing::Chunked => State::Chunked { chunk_len: 0 },
        };
        BodyWriter {
            writer: Writer::new(
                buffer,
                BodySink {
                    out,
                    state,
                    eliding,
                    err: None,
                },
            ),
        }
    }

    /// The framing state.
    pub fn state(&self) -> State {
        self.writer.sink.state
    }

    /// Whether bodies are dropped (`HEAD`).
    pub fn is_eliding(&self) -> bool {
        self.writer.sink.eliding
    }

    /// The first error, if any operation has failed.
    pub fn error(&self) -> Option<&BodyError> {
        self.writer.sink.error()
    }

    /// Sends every byte written so far: drains this writer's buffer, then
    /// flushes the protocol output. A pending chunk CRLF stays pending.
    ///
    /// # Errors
    /// The sticky [`BodyError`].
    pub fn flush(&mut self) -> Result<(), BodyError> {
        let result = self.writer.flush();
        self.result(result)
    }

    /// [`end_unflushed`](Self::end_unflushed), then flushes the protocol
    /// output (`http.zig:785-800`).
    ///
    /// # Errors
    /// As `end_unflushed`, or [`BodyError::Downstream`].
    pub fn end(&mut self) -> Result<(), BodyError> {
        self.end_unflushed()?;
        self.flush_out()
    }

    /// Drains this writer's buffer and ends the body without flushing the
    /// protocol output (`http.zig:802-826`): checks that a content length was
    /// met exactly, or writes the last chunk with no trailers.
    ///
    /// # Errors
    /// [`BodyError::ContentLengthShort`], [`BodyError::ChunkUnfinished`],
    /// [`BodyError::Ended`], or the sticky error of a failed drain.
    pub fn end_unflushed(&mut self) -> Result<(), BodyError> {
        self.drain_buffer()?;
        let sink = &mut self.writer.sink;
        match sink.state {
            State::End => Err(BodyError::Ended),
            State::ContentLength {
                declared,
                remaining,
            } if remaining != 0 => Err(sink.record(BodyError::ContentLengthShort {
                declared,
                sent: declared - remaining,
            })),
            State::Chunked { .. } => self.end_chunked_unflushed(&[]),
            State::None | State::ContentLength { .. } => {
                sink.state = State::End;
                Ok(())
            }
        }
    }

    /// [`end_chunked_unflushed`](Self::end_chunked_unflushed), then flushes
    /// the protocol output (`http.zig:832-845`).
    ///
    /// # Errors
    /// As `end_chunked_unflushed`, or [`BodyError::Downstream`].
    pub fn end_chunked(&mut self, trailers: &[Header<'_>]) -> Result<(), BodyError> {
        self.end_chunked_unflushed(trailers)?;
        self.flush_out()
    }

    /// Drains this writer's buffer, then ends a chunked body: the pending
    /// CRLF, the last chunk `0\r\n`, each trailer as `name: value\r\n`, and a
    /// final CRLF (`http.zig:847-880`). An eliding writer writes nothing.
    /// Does not flush the protocol output.
    ///
    /// # Errors
    /// [`BodyError::NotChunked`], [`BodyError::InvalidTrailer`] (checked
    /// before anything is written), [`BodyError::ChunkUnfinished`],
    /// [`BodyError::Ended`], or the sticky error of a failed drain.
    pub fn end_chunked_unflushed(&mut self, trailers: &[Header<'_>]) -> Result<(), BodyError> {
        self.writer.sink.check()?;
        match self.writer.sink.state {
            State::End => return Err(BodyError::Ended),
            State::Chunked { .. } => {}
            _ => return Err(BodyError::NotChunked),
        }
        for t in trailers {
            t.validate()?;
        }
        self.drain_buffer()?;
        let sink = &mut self.writer.sink;
        let State::Chunked { chunk_len } = sink.state else {
            unreachable!("checked above; draining keeps the framing");
        };
        if !sink.eliding {
            chunked::finish(sink.out, chunk_len, trailers).map_err(|e| sink.record(e))?;
        }
        sink.state = State::End;
        Ok(())
    }

    /// Drains every buffered byte through the framing drain, as Zig's
    /// `w.writer.flush()` (the default flush) does in `endUnflushed`.
    fn drain_buffer(&mut self) -> Result<(), BodyError> {
        self.writer.sink.check()?;
        let (buf, sink) = self.writer.parts_mut();
        let result = default_flush(sink, buf);
        self.result(result)
    }

    fn flush_out(&mut self) -> Result<(), BodyError> {
        let sink = &mut self.writer.sink;
        sink.out
            .flush()
            .map_err(|_| sink.record(BodyError::Downstream))
    }

    /// Turns an interface result into the kept reason.
    fn result(&self, result: Result<(), WriteFailed>) -> Result<(), BodyError> {
        match result {
            Ok(()) => Ok(()),
            Err(WriteFailed) => Err(self
                .writer
                .sink
                .err
                .clone()
                .unwrap_or(BodyError::Downstream)),
        }
    }
}

impl BodySink<'_, '_> {
    /// Records `e` as the sticky error (unless one is already kept) and
    /// returns the kept one.
    fn record(&mut self, e: BodyError) -> BodyError {
        self.err.get_or_insert(e).clone()
    }
}
