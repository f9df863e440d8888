//! `Allocating`: Zig's `Writer.Allocating` (`Writer.zig:2507-2689`).

use crate::writer::fill_repeating;
use crate::{Buffer, Sink, WriteFailed, Writer};

/// The sink of a writer whose owned buffer grows instead of draining: the
/// buffered bytes *are* the output, readable with
/// [`Writer::written`](Writer::written).
///
/// Growth policy (Zig's `ArrayList`, `array_list.zig:1410-1417`): when a
/// drain needs room for `n` more bytes, the capacity `c` becomes
/// `c + c/2 + L`, repeatedly, until `n` fit, where `L` is Zig's
/// `std.atomic.cache_line` for the target ([`CACHE_LINE`](crate::CACHE_LINE):
/// 128 on x86_64, 64 on wasm32). Each data piece asks for its
/// own length plus the whole splat plus one, as Zig's drain does
/// (`Writer.zig:2623-2644`), so growth is a little eager. Flush does
/// nothing; rebase grows and never drops a byte. Allocation failure is
/// `WriteFailed`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Allocating;

impl Writer<'static, Allocating> {
    /// An empty growing writer (capacity 0: the first write drains, which
    /// grows the buffer to [`CACHE_LINE`](crate::CACHE_LINE) bytes or more).
    pub fn allocating() -> Self {
        Writer::new(Buffer::owned(Vec::new()), Allocating)
    }

    /// A growing writer that starts with exactly `capacity` bytes of room.
    pub fn allocating_with_capacity(capacity: usize) -> Self {
        Writer::new(Buffer::with_capacity(capacity), Allocating)
    }

    /// A growing writer that continues `vec`: its bytes count as written and
    /// its spare capacity becomes buffer room (Zig's `fromArrayList`).
    pub fn allocating_from_vec(vec: Vec<u8>) -> Self {
        Writer::new(Buffer::owned(vec), Allocating)
    }

    /// Everything written so far.
    pub fn written(&self) -> &[u8] {
        self.buffered()
    }

    /// Takes the written bytes out, leaving the writer empty (Zig's
    /// `toOwnedSlice`).
    pub fn take_written(&mut self) -> Vec<u8> {
        self.buf.take_vec()
    }

    /// The written bytes.
    pub fn into_vec(mut self) -> Vec<u8> {
        self.buf.take_vec()
    }

    /// Keeps the first `len` written bytes and the capacity (Zig's
    /// `shrinkRetainingCapacity`).
    ///
    /// # Panics
    /// If `len` exceeds what was written.
    pub fn truncate(&mut self, len: usize) {
        assert!(
            len <= self.end(),
            "truncate({len}) beyond {} written bytes",
            self.end()
        );
        self.buf.set_end(len);
    }

    /// Forgets everything written and keeps the capacity.
    pub fn clear(&mut self) {
        self.buf.set_end(0);
    }
}

/// Bytes reserved for one `send_file` read when the file's end is not known.
#[cfg(all(feature = "os", unix))]
const UNKNOWN_SIZE_READ: u64 = 512;

impl Sink for Allocating {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let (pattern, _) = data.split_last().expect("drain data is never empty");
        let splat_len = pattern.len().checked_mul(splat).ok_or(WriteFailed)?;
        let start = buf.end();
        for bytes in data {
            let want = bytes
                .len()
                .checked_add(splat_len)
                .and_then(|n| n.checked_add(1))
                .ok_or(WriteFailed)?;
            buf.ensure_unused_capacity(want)?;
            buf.unused_capacity_slice()[..bytes.len()].copy_from_slice(bytes);
            buf.advance(bytes.len());
        }
        if splat == 0 {
            buf.undo(pattern.len());
        } else if !pattern.is_empty() {
            let extra = pattern.len() * (splat - 1);
            fill_repeating(&mut buf.unused_capacity_slice()[..extra], pattern);
            buf.advance(extra);
        }
        Ok(buf.end() - start)
    }

    fn flush(&mut self, _buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        Ok(())
    }

    /// Zig's `Allocating.sendFile` (`Writer.zig:2646-2661`): one read of the
    /// file straight into the grown buffer, reserving what remains of a file
    /// of known size (or 512 bytes) up to `limit`. Only a size known to be
    /// the end ([`FileSource::reliable_size`]) ends the stream without a
    /// read; Zig's version takes a `/proc` file's size 0 for the end and
    /// copies nothing. Bytes a reader had buffered were already appended
    /// through `drain` (see [`Sink::send_file`]); Zig's version reads at
    /// `pos` and bypasses them.
    ///
    /// [`FileSource::reliable_size`]: crate::fs::FileSource::reliable_size
    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut crate::fs::FileSource<'_>, limit: crate::Limit,
    ) -> Result<usize, crate::SendFileError> {
        use crate::SendFileError;
        if limit == crate::Limit::NOTHING {
            return Ok(0);
        }
        // Only a size known to be the end can say "nothing left": a `/proc`
        // file reports 0 and has content. Otherwise read and see.
        let additional = match file.reliable_size() {
            Some(size) => size.saturating_sub(file.pos()),
            None => UNKNOWN_SIZE_READ,
        };
        if additional == 0 {
            return Err(SendFileError::EndOfStream);
        }
        buf.ensure_unused_capacity(limit.min_int64(additional))?;
        let dest = limit.slice(buf.unused_capacity_slice());
        let n = file.read(dest)?;
        buf.advance(n);
        Ok(n)
    }

    fn rebase(
        &mut self, buf: &mut Buffer<'_>, preserve: usize, minimum_len: usize,
    ) -> Result<(), WriteFailed> {
        let total = preserve.checked_add(minimum_len).ok_or(WriteFailed)?;
        buf.ensure_total_capacity(total)?;
        buf.ensure_unused_capacity(minimum_len)
    }
}
