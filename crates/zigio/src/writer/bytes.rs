//! Writing byte slices and single bytes (`Writer.zig:169-174`, `449-466`,
//! `518-533`, `723-747`).

use super::Writer;
use crate::{Sink, WriteFailed};

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Writes as much of `bytes` as one step allows and returns how many were
    /// taken (`Writer.zig:518-526`).
    ///
    /// If `bytes` fits in the unused capacity it is copied and the result is
    /// `bytes.len()`, with no call into the sink. Otherwise it makes exactly
    /// one drain call and returns its result, which may be short or 0.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut storage = [0u8; 8];
    /// let mut w = Writer::fixed(&mut storage);
    /// assert_eq!(w.write(b"hello")?, 5); // fits: copied into the buffer
    /// assert_eq!(w.buffered(), b"hello");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    #[inline]
    pub fn write(&mut self, bytes: &[u8]) -> Result<usize, WriteFailed> {
        if self.copy_if_fits(bytes) {
            return Ok(bytes.len());
        }
        self.sink.drain(&mut self.buf, &[bytes], 1)
    }

    /// The fast path of every write: copies `bytes` after the buffered ones
    /// if they fit, and says whether they did.
    ///
    /// One comparison against the unused capacity decides (`end` never
    /// exceeds the capacity, so the subtraction cannot wrap), which keeps
    /// the loop a caller writes small records in short whatever it is
    /// inlined into.
    #[inline(always)]
    fn copy_if_fits(&mut self, bytes: &[u8]) -> bool {
        let end = self.buf.end();
        let storage = self.buf.as_mut_slice();
        if bytes.len() > storage.len().wrapping_sub(end) {
            return false;
        }
        storage[end..][..bytes.len()].copy_from_slice(bytes);
        self.buf.set_end_unchecked(end + bytes.len());
        true
    }

    /// Writes all of `bytes`, draining as many times as needed
    /// (`Writer.zig:528-533`).
    ///
    /// On error, the bytes accepted before the failure stay accepted (some
    /// may be buffered); the caller cannot tell how many, as in Zig.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// w.write_all(b"buffer ")?;
    /// w.write_all(b"scheduling")?;
    /// assert_eq!(w.written(), b"buffer scheduling");
    ///
    /// // A fixed writer that is full fails, keeping the prefix that fit.
    /// let mut storage = [0u8; 4];
    /// let mut w = Writer::fixed(&mut storage);
    /// assert!(w.write_all(b"too long").is_err());
    /// assert_eq!(w.buffered(), b"too ");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    #[inline]
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), WriteFailed> {
        if self.copy_if_fits(bytes) {
            return Ok(());
        }
        self.write_all_slow(bytes)
    }

    #[cold]
    fn write_all_slow(&mut self, bytes: &[u8]) -> Result<(), WriteFailed> {
        let mut i = 0;
        while i < bytes.len() {
            i += self.write(&bytes[i..])?;
        }
        Ok(())
    }

    /// `write_splat(data, 1)` (`Writer.zig:169-174`): if all of `data` fits
    /// it is copied and the total returned; otherwise one drain call.
    ///
    /// # Panics
    /// If `data` is empty.
    pub fn write_vec(&mut self, data: &[&[u8]]) -> Result<usize, WriteFailed> {
        self.write_splat(data, 1)
    }

    /// Writes every byte of every element of `data`, draining as many times
    /// as needed (`Writer.zig:449-466`).
    ///
    /// `data` is mutable for the same reason as in Zig: after a partial
    /// drain the first unfinished element is temporarily shortened in place
    /// instead of copying the list. Every element is restored before this
    /// returns, on success and on error.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// // The list is the caller's to reuse: the call advances it in place.
    /// let mut parts = [b"GET ".as_slice(), b"/index.html", b" HTTP/1.1\r\n"];
    /// w.write_vec_all(&mut parts)?;
    /// assert_eq!(w.written(), b"GET /index.html HTTP/1.1\r\n");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn write_vec_all(&mut self, data: &mut [&[u8]]) -> Result<(), WriteFailed> {
        let mut index = 0;
        let mut truncate = 0;
        while index < data.len() {
            let untruncated = data[index];
            data[index] = &untruncated[truncate..];
            let result = self.write_vec(&data[index..]);
            data[index] = untruncated;
            truncate += result?;
            while index < data.len() && truncate >= data[index].len() {
                truncate -= data[index].len();
                index += 1;
            }
        }
        Ok(())
    }

    /// Writes one byte (`Writer.zig:723-733`). When the buffer is full it
    /// drains with the byte as data until the sink takes the byte or room
    /// appears.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// for b in *b"zig" {
    ///     w.write_byte(b.to_ascii_uppercase())?;
    /// }
    /// assert_eq!(w.written(), b"ZIG");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    #[inline]
    pub fn write_byte(&mut self, byte: u8) -> Result<(), WriteFailed> {
        while self.buf.unused_capacity_len() == 0 {
            if self.sink.drain(&mut self.buf, &[&[byte]], 1)? > 0 {
                return Ok(());
            }
        }
        let end = self.buf.end();
        self.buf.as_mut_slice()[end] = byte;
        self.buf.set_end_unchecked(end + 1);
        Ok(())
    }

    /// Writes one byte; if the buffer is full, asks the sink to rebase,
    /// keeping the newest `preserve` bytes buffered (`Writer.zig:735-747`).
    pub fn write_byte_preserve(&mut self, preserve: usize, byte: u8) -> Result<(), WriteFailed> {
        if self.buf.unused_capacity_len() == 0 {
            self.sink.rebase(&mut self.buf, preserve, 1)?;
        }
        let end = self.buf.end();
        self.buf.as_mut_slice()[end] = byte;
        self.buf.set_end_unchecked(end + 1);
        Ok(())
    }
}
