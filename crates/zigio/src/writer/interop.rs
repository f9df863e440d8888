//! Formatting and `std::io` interoperability.

use super::Writer;
use crate::{Sink, WriteFailed};
use core::fmt;

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Writes formatted text: `w.print(format_args!("x = {x}"))`, the
    /// counterpart of Zig's `print`. Literal runs and each formatted value
    /// go through [`write_all`](Self::write_all), so output that fits stays
    /// in the buffer.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// let (x, name) = (42, "drain");
    /// w.print(format_args!("{name} took {x} bytes"))?;
    /// assert_eq!(w.written(), b"drain took 42 bytes");
    /// // `write!` works too: the writer is a `fmt::Write`.
    /// use std::fmt::Write;
    /// write!(w, ", {}", 7).unwrap();
    /// assert_eq!(w.written(), b"drain took 42 bytes, 7");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn print(&mut self, args: fmt::Arguments<'_>) -> Result<(), WriteFailed> {
        // Fast path for arguments that are a plain string.
        if let Some(s) = args.as_str() {
            return self.write_all(s.as_bytes());
        }
        fmt::Write::write_fmt(self, args).map_err(|_| WriteFailed)
    }
}

/// `write!(w, ...)` with `core::fmt::Write` in scope. A [`WriteFailed`]
/// becomes `fmt::Error`.
impl<S: Sink + ?Sized> fmt::Write for Writer<'_, S> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// `std::io::Write`: `write` is [`Writer::write`], repeated while it
/// returns 0 (a Zig drain may legitimately take 0 bytes, but `io::Write`
/// reads `Ok(0)` as "cannot take more"), and `flush` is [`Writer::flush`]. A [`WriteFailed`] becomes an
/// `io::Error` of kind `Other`. Code that owns an OS-backed writer reads the
/// underlying OS error from the writer's sink.
impl<S: Sink + ?Sized> std::io::Write for Writer<'_, S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        loop {
            let n = Writer::write(self, buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        Ok(Writer::write_all(self, buf)?)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(Writer::flush(self)?)
    }
}
