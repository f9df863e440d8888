//! Reading up to a delimiter: Zig's `peekDelimiterInclusive`,
//! `takeDelimiterInclusive`, `peekDelimiterExclusive` and
//! `takeDelimiterExclusive` (`Io/Reader.zig:689-844`).

use super::{ReadError, Reader, Source};
use core::fmt;

/// Why a delimited read returned no line: Zig's `DelimiterError`
/// (`Io/Reader.zig:689-699`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DelimiterError {
    /// The source failed; see the source for the cause.
    ReadFailed,
    /// Inclusive reads: the stream ended before the delimiter. Exclusive
    /// reads: the stream ended and no byte was left.
    EndOfStream,
    /// The delimiter is not within as many bytes as the buffer holds. The
    /// reader's state is as before the call, except that the buffered bytes
    /// may have moved to the front of the buffer and more may be buffered.
    StreamTooLong,
}

impl fmt::Display for DelimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DelimiterError::ReadFailed => "read failed",
            DelimiterError::EndOfStream => "end of stream",
            DelimiterError::StreamTooLong => "delimiter not found within the buffer's capacity",
        })
    }
}

impl std::error::Error for DelimiterError {}

impl From<ReadError> for DelimiterError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::ReadFailed => DelimiterError::ReadFailed,
            ReadError::EndOfStream => DelimiterError::EndOfStream,
        }
    }
}

impl<'a, S: Source + ?Sized> Reader<'a, S> {
    /// The length of the next line, delimiter included, buffering bytes until
    /// the delimiter is buffered or the buffer is full.
    fn delimited_len(&mut self, delimiter: u8) -> Result<usize, DelimiterError> {
        if let Some(i) = self.buf.buffered().iter().position(|&b| b == delimiter) {
            return Ok(i + 1);
        }
        self.rebase(self.buf.capacity())
            .map_err(|_| DelimiterError::EndOfStream)?;
        while self.buf.unused_capacity_len() != 0 {
            let searched = self.buf.buffered_len();
            // An empty first slice: the source reads into the buffer.
            self.source.read_vec(&mut self.buf, &mut [&mut []])?;
            if let Some(i) = self.buf.buffered()[searched..]
                .iter()
                .position(|&b| b == delimiter)
            {
                return Ok(searched + i + 1);
            }
        }
        Err(DelimiterError::StreamTooLong)
    }

    /// The bytes up to and including the next `delimiter`, not consumed
    /// (`Io/Reader.zig:762-784`).
    ///
    /// ```
    /// use zigio::Reader;
    /// let mut r = Reader::fixed(b"one\ntwo");
    /// assert_eq!(r.peek_delimiter_inclusive(b'\n').unwrap(), b"one\n");
    /// assert_eq!(r.peek_delimiter_inclusive(b'\n').unwrap(), b"one\n");
    /// ```
    ///
    /// # Errors
    /// `EndOfStream` if the stream ends before the delimiter;
    /// `StreamTooLong` if the buffer fills up first; `ReadFailed`.
    pub fn peek_delimiter_inclusive(&mut self, delimiter: u8) -> Result<&[u8], DelimiterError> {
        let n = self.delimited_len(delimiter)?;
        Ok(&self.buf.buffered()[..n])
    }

    /// The bytes up to and including the next `delimiter`, consumed
    /// (`Io/Reader.zig:745-749`).
    ///
    /// ```
    /// use zigio::Reader;
    /// let mut r = Reader::fixed(b"one\ntwo");
    /// assert_eq!(r.take_delimiter_inclusive(b'\n').unwrap(), b"one\n");
    /// assert!(r.take_delimiter_inclusive(b'\n').is_err()); // "two" has no '\n'
    /// ```
    ///
    /// # Errors
    /// As [`peek_delimiter_inclusive`](Self::peek_delimiter_inclusive);
    /// on error nothing is consumed.
    pub fn take_delimiter_inclusive(&mut self, delimiter: u8) -> Result<&[u8], DelimiterError> {
        let n = self.delimited_len(delimiter)?;
        Ok(self.buf.take(n))
    }

    /// The bytes before the next `delimiter`, not consumed; the end of the
    /// stream counts as a delimiter unless no byte is left
    /// (`Io/Reader.zig:834-844`).
    ///
    /// # Errors
    /// `EndOfStream` if no byte is left; `StreamTooLong` if the buffer fills
    /// up before the delimiter; `ReadFailed`.
    pub fn peek_delimiter_exclusive(&mut self, delimiter: u8) -> Result<&[u8], DelimiterError> {
        match self.delimited_len(delimiter) {
            Ok(n) => Ok(&self.buf.buffered()[..n - 1]),
            Err(DelimiterError::EndOfStream) if self.buf.buffered_len() > 0 => {
                Ok(self.buf.buffered())
            }
            Err(e) => Err(e),
        }
    }

    /// The bytes before the next `delimiter`, consumed with the delimiter;
    /// the end of the stream counts as a delimiter unless no byte is left
    /// (`Io/Reader.zig:803-815`).
    ///
    /// ```
    /// use zigio::reader::DelimiterError;
    /// use zigio::Reader;
    /// let mut r = Reader::fixed(b"one\ntwo");
    /// assert_eq!(r.take_delimiter_exclusive(b'\n').unwrap(), b"one");
    /// assert_eq!(r.take_delimiter_exclusive(b'\n').unwrap(), b"two");
    /// assert_eq!(r.take_delimiter_exclusive(b'\n'), Err(DelimiterError::EndOfStream));
    /// ```
    ///
    /// # Errors
    /// As [`peek_delimiter_exclusive`](Self::peek_delimiter_exclusive); on
    /// error nothing is consumed.
    pub fn take_delimiter_exclusive(&mut self, delimiter: u8) -> Result<&[u8], DelimiterError> {
        match self.delimited_len(delimiter) {
            Ok(n) => Ok(&self.buf.take(n)[..n - 1]),
            Err(DelimiterError::EndOfStream) if self.buf.buffered_len() > 0 => {
                let n = self.buf.buffered_len();
                Ok(self.buf.take(n))
            }
            Err(e) => Err(e),
        }
    }
}
