//! Splats: the last element of `data` repeated `splat` times
//! (`Writer.zig:176-291`, `468-498`, `749-829`).

use super::{Writer, count_splat};
use crate::{Limit, Sink, WriteFailed};

/// At most this many slices go to one drain from `write_splat_header_limit`,
/// as in Zig (`Writer.zig:262`).
const HEADER_VECS: usize = 8;

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Writes `data` with its last element repeated `splat` times
    /// (`Writer.zig:176-201`).
    ///
    /// If everything fits in the unused capacity it is copied (a one-byte
    /// pattern is a fill) and the total is returned, with no call into the
    /// sink; a write of zero bytes never drains. Otherwise exactly one drain
    /// call is made and its result returned (possibly short or 0).
    ///
    /// # Panics
    /// If `data` is empty.
    pub fn write_splat(&mut self, data: &[&[u8]], splat: usize) -> Result<usize, WriteFailed> {
        let count = count_splat(data, splat);
        if count > self.buf.unused_capacity_len() {
            return self.sink.drain(&mut self.buf, data, splat);
        }
        let (pattern, rest) = data.split_last().expect("checked by count_splat");
        let mut end = self.buf.end();
        let storage = self.buf.as_mut_slice();
        for bytes in rest {
            storage[end..end + bytes.len()].copy_from_slice(bytes);
            end += bytes.len();
        }
        match pattern.len() {
            0 => {}
            1 => {
                storage[end..end + splat].fill(pattern[0]);
                end += splat;
            }
            n => {
                for _ in 0..splat {
                    storage[end..end + n].copy_from_slice(pattern);
                    end += n;
                }
            }
        }
        self.buf.set_end_unchecked(end);
        Ok(count)
    }

    /// Writes all of `data` with the last element repeated `splat` times,
    /// draining as many times as needed (`Writer.zig:468-498`). `data` is
    /// shortened in place during the call and restored before it returns.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// // Everything but the last slice once, the last one three times.
    /// w.write_splat_all(&mut [b"[".as_slice(), b"ab"], 3)?;
    /// assert_eq!(w.written(), b"[ababab");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn write_splat_all(&mut self, data: &mut [&[u8]], splat: usize) -> Result<(), WriteFailed> {
        if data.is_empty() {
            return Ok(());
        }
        let mut index = 0;
        let mut truncate = 0;
        while index + 1 < data.len() {
            let untruncated = data[index];
            data[index] = &untruncated[truncate..];
            let result = self.write_splat(&data[index..], splat);
            data[index] = untruncated;
            truncate += result?;
            while truncate >= data[index].len() && index + 1 < data.len() {
                truncate -= data[index].len();
                index += 1;
            }
        }
        // Whatever is left is made of pattern repetitions, the first of them
        // possibly begun already.
        let pattern = data[index];
        if truncate < pattern.len().saturating_mul(splat) {
            let mut remaining_splat = splat;
            loop {
                remaining_splat -= truncate / pattern.len();
                truncate %= pattern.len();
                if remaining_splat == 0 {
                    break;
                }
                truncate +=
                    self.write_splat(&[&pattern[truncate..], pattern], remaining_splat - 1)?;
            }
        }
        Ok(())
    }

    /// Writes `byte` `n` times, draining at most once (`Writer.zig:790-801`).
    /// Returns how many copies were taken.
    #[inline]
    pub fn splat_byte(&mut self, byte: u8, n: usize) -> Result<usize, WriteFailed> {
        let end = self.buf.end();
        if n <= self.buf.unused_capacity_len() {
            self.buf.as_mut_slice()[end..end + n].fill(byte);
            self.buf.set_end_unchecked(end + n);
            return Ok(n);
        }
        self.write_splat(&[&[byte]], n)
    }

    /// Writes `byte` `n` times, draining as many times as needed
    /// (`Writer.zig:749-754`).
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// w.write_all(b"name")?;
    /// w.splat_byte_all(b' ', 6)?; // pad to 10 columns
    /// w.write_all(b"|")?;
    /// assert_eq!(w.written(), b"name      |");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn splat_byte_all(&mut self, byte: u8, n: usize) -> Result<(), WriteFailed> {
        let mut remaining = n;
        while remaining > 0 {
            remaining -= self.splat_byte(byte, remaining)?;
        }
        Ok(())
    }

    /// Writes `byte` `n` times such that, whenever the buffer is drained, the
    /// newest `preserve` bytes stay buffered (`Writer.zig:764-788`).
    ///
    /// Unlike Zig 0.15.1, older buffered bytes are drained, never dropped:
    /// the last copies are placed with [`rebase`](Self::rebase).
    ///
    /// # Panics
    /// Where `rebase` does: with the default rebase, if the last
    /// `min(n, preserve)` copies do not fit next to the newest `preserve`
    /// bytes (`preserve + min(n, preserve)` larger than the buffer).
    pub fn splat_byte_preserve(
        &mut self, preserve: usize, byte: u8, n: usize,
    ) -> Result<(), WriteFailed> {
        let end = self.buf.end();
        if n <= self.buf.unused_capacity_len() {
            self.buf.as_mut_slice()[end..end + n].fill(byte);
            self.buf.set_end_unchecked(end + n);
            return Ok(());
        }
        // While more than `preserve` copies are left, the oldest of them may
        // be drained like any other bytes.
        let mut remaining = n;
        while remaining > preserve {
            remaining -= self.splat_byte(byte, remaining - preserve)?;
            if remaining <= self.buf.unused_capacity_len() {
                let end = self.buf.end();
                self.buf.as_mut_slice()[end..end + remaining].fill(byte);
                self.buf.set_end_unchecked(end + remaining);
                return Ok(());
            }
        }
        // Every further byte must stay buffered together with the newest
        // `preserve` bytes: make room by draining the older ones. (Zig
        // 0.15.1 moves the newest `preserve` bytes to the front here
        // without draining the bytes before them, which loses those bytes
        // whenever the sink accepted only part of the earlier drain, or
        // when no drain happened at all, as on fixed and allocating
        // writers.)
        self.rebase(preserve, remaining)?;
        while remaining > 0 {
            remaining -= self.splat_byte(byte, remaining)?;
        }
        Ok(())
    }

    /// Writes `bytes` `n` times, draining at most once (`Writer.zig:824-829`).
    /// Returns the number of bytes taken.
    pub fn splat_bytes(&mut self, bytes: &[u8], n: usize) -> Result<usize, WriteFailed> {
        self.write_splat(&[bytes], n)
    }

    /// Writes `bytes` `splat` times, draining as many times as needed
    /// (`Writer.zig:803-814`).
    pub fn splat_bytes_all(&mut self, bytes: &[u8], splat: usize) -> Result<(), WriteFailed> {
        let mut remaining = bytes.len().saturating_mul(splat);
        remaining -= self.splat_bytes(bytes, splat)?;
        while remaining > 0 {
            let leftover_splat = remaining / bytes.len();
            let leftover_bytes = remaining % bytes.len();
            let pieces: [&[u8]; 2] = [&bytes[bytes.len() - leftover_bytes..], bytes];
            remaining -= self.write_splat(&pieces, leftover_splat)?;
        }
        Ok(())
    }

    /// `write_splat_header_limit(header, data, splat, Limit::UNLIMITED)`
    /// (`Writer.zig:203-211`).
    pub fn write_splat_header(
        &mut self, header: &[u8], data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        self.write_splat_header_limit(header, data, splat, Limit::UNLIMITED)
    }

    /// Writes `header`, then `data` with its last element repeated `splat`
    /// times, moving at most `limit` bytes; returns how many bytes of
    /// `header` and `data` were taken (`Writer.zig:213-291`).
    ///
    /// Pieces are copied into the buffer while each fits whole. At the
    /// first piece that does not, the rest (limited) goes to **one** drain
    /// call with at most 8 slices, so the result may be short.
    ///
    /// Three deliberate differences from Zig 0.15.1, whose
    /// `writeSplatHeaderLimitFinish` (a) checks the header's length instead
    /// of each data piece's against the limit, so data pieces are sent
    /// untruncated past `limit`, (b) divides by the pattern length, so an
    /// empty pattern with `splat != 1` panics, and (c) offers the pattern
    /// zero times when the limit is shorter than one copy of it, so a drain
    /// with nothing before the pattern makes no progress: here every piece
    /// is cut to the limit, an empty pattern contributes nothing, and a
    /// limit shorter than the pattern offers that prefix of it once.
    ///
    /// # Panics
    /// If `data` is empty.
    pub fn write_splat_header_limit(
        &mut self, header: &[u8], data: &[&[u8]], splat: usize, limit: Limit,
    ) -> Result<usize, WriteFailed> {
        let (pattern, rest) = data
            .split_last()
            .expect("write_splat_header_limit: data must not be empty");
        let mut remaining = limit.get();
        // Copies `piece` if it fits whole in both the buffer and the limit.
        let fits = |w: &Self, piece_len: usize, remaining: usize| {
            piece_len <= w.buf.unused_capacity_len() && piece_len <= remaining
        };
        if !fits(self, header.len(), remaining) {
            return self.splat_header_finish(header, data, splat, remaining);
        }
        self.copy_into_buffer(header);
        remaining -= header.len();
        for (i, piece) in rest.iter().enumerate() {
            if !fits(self, piece.len(), remaining) {
                let taken = limit.get() - remaining;
                return Ok(taken + self.splat_header_finish(b"", &data[i..], splat, remaining)?);
            }
            self.copy_into_buffer(piece);
            remaining -= piece.len();
        }
        let splat_len = pattern.len().saturating_mul(splat);
        if !fits(self, splat_len, remaining) {
            let taken = limit.get() - remaining;
            return Ok(
                taken + self.splat_header_finish(b"", &data[data.len() - 1..], splat, remaining)?
            );
        }
        for _ in 0..splat {
            self.copy_into_buffer(pattern);
        }
        remaining -= splat_len;
        Ok(limit.get() - remaining)
    }

    fn copy_into_buffer(&mut self, piece: &[u8]) {
        let end = self.buf.end();
        self.buf.as_mut_slice()[end..end + piece.len()].copy_from_slice(piece);
        self.buf.set_end_unchecked(end + piece.len());
    }

    /// The drain of `write_splat_header_limit`: header, data pieces and
    /// pattern, each cut to what `remaining` allows, in one drain call.
    fn splat_header_finish(
        &mut self, header: &[u8], data: &[&[u8]], splat: usize, mut remaining: usize,
    ) -> Result<usize, WriteFailed> {
        let mut vecs: [&[u8]; HEADER_VECS] = [&[]; HEADER_VECS];
        let mut n = 0;
        let (pattern, rest) = data.split_last().expect("data is not empty");
        'pieces: {
            if !header.is_empty() {
                let take = header.len().min(remaining);
                vecs[n] = &header[..take];
                n += 1;
                remaining -= take;
                if remaining == 0 {
                    break 'pieces;
                }
            }
            for piece in rest.iter().filter(|p| !p.is_empty()) {
                let take = piece.len().min(remaining);
                vecs[n] = &piece[..take];
                n += 1;
                remaining -= take;
                if remaining == 0 || n == HEADER_VECS {
                    break 'pieces;
                }
            }
            if splat == 1 || pattern.is_empty() {
                // Zig divides `remaining` by the pattern length here; an
                // empty pattern adds no bytes whatever `splat` is.
                vecs[n] = &pattern[..pattern.len().min(remaining)];
                n += 1;
                break 'pieces;
            }
            let whole = (remaining / pattern.len()).min(splat);
            if whole == 0 && splat > 0 {
                // Less than one copy of the pattern is allowed: offer that
                // prefix once. (Zig 0.15.1 offers the pattern zero times, so
                // a drain with nothing else to send takes nothing, and a
                // caller's loop such as `splat_bytes_all` never ends.)
                vecs[n] = &pattern[..remaining.min(pattern.len())];
                n += 1;
                break 'pieces;
            }
            vecs[n] = pattern;
            n += 1;
            return self.sink.drain(&mut self.buf, &vecs[..n], whole);
        }
        self.sink.drain(&mut self.buf, &vecs[..n], 1)
    }
}
