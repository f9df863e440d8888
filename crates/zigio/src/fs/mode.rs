//! [`Mode`]: how a file reader or writer moves bytes, Zig's
//! `File.Reader.Mode` (`fs/File.zig:1142-1166`), shared by the writer
//! (`fs/File.zig:1564`).

/// How a file reader or writer reaches its file.
///
/// Positional modes use `pread`/`pwritev` at the tracked position and leave
/// the descriptor's own offset alone (safe to share); streaming modes use
/// `read`/`writev` at the descriptor's offset (what pipes, sockets and
/// terminals need). The `*_reading` modes avoid `sendfile` and
/// `copy_file_range`. A positional reader or writer whose descriptor
/// cannot seek (`ESPIPE`) switches to streaming by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `read`/`readv`/`writev` and `sendfile`/`copy_file_range` at the
    /// descriptor's offset.
    Streaming,
    /// `pread`/`preadv`/`pwritev` and `sendfile`/`copy_file_range` with an
    /// explicit offset.
    Positional,
    /// Only `read`/`readv` (or `writev`).
    StreamingReading,
    /// Only `pread`/`preadv` (or `pwritev`).
    PositionalReading,
    /// A seek failed while switching to streaming: every further call fails.
    Failure,
}

impl Mode {
    /// Positional becomes streaming; the `_reading` suffix is kept
    /// (`fs/File.zig:1152-1158`).
    pub fn to_streaming(self) -> Mode {
        match self {
            Mode::Positional | Mode::Streaming => Mode::Streaming,
            Mode::PositionalReading | Mode::StreamingReading => Mode::StreamingReading,
            Mode::Failure => Mode::Failure,
        }
    }

    /// Adds the `_reading` suffix (`fs/File.zig:1160-1165`).
    pub fn to_reading(self) -> Mode {
        match self {
            Mode::Positional | Mode::PositionalReading => Mode::PositionalReading,
            Mode::Streaming | Mode::StreamingReading => Mode::StreamingReading,
            Mode::Failure => Mode::Failure,
        }
    }

    /// `Positional` or `PositionalReading`.
    pub fn is_positional(self) -> bool {
        matches!(self, Mode::Positional | Mode::PositionalReading)
    }

    /// `Streaming` or `StreamingReading`.
    pub fn is_streaming(self) -> bool {
        matches!(self, Mode::Streaming | Mode::StreamingReading)
    }
}

#[cfg(test)]
mod tests {
    use super::Mode::*;

    #[test]
    fn transitions_match_zig() {
        assert_eq!(Positional.to_streaming(), Streaming);
        assert_eq!(PositionalReading.to_streaming(), StreamingReading);
        assert_eq!(Streaming.to_reading(), StreamingReading);
        assert_eq!(Positional.to_reading(), PositionalReading);
        assert_eq!(Failure.to_reading(), Failure);
        assert_eq!(Failure.to_streaming(), Failure);
    }
}
