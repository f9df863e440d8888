//! Writing tar archives through zigio's writer interface: Zig's
//! `std.tar.Writer` (`tar/Writer.zig`), ported to Rust, with POSIX (pax)
//! extended headers for what the ustar format cannot hold.
//!
//! The crate is a client of [`zigio`]'s public API and nothing else: a
//! [`TarWriter`] writes into any [`DynWriter`](zigio::DynWriter), a file, a
//! socket, a hasher or a growing buffer alike. With the feature `os` (on by
//! default) an entry's contents can also come from a file reader.
//!
//! Every entry is a 512-byte ustar header written with `write_all`, the
//! contents, and zero padding to the next 512-byte boundary written with
//! `splat_byte_all(0, n)`: a padding of up to 511 bytes is one splat, which
//! a buffered writer fills in place (`tar/Writer.zig:139-150`). The archive
//! ends with two zero blocks ([`TarWriter::finish`]).
//!
//! Contents come from a byte slice ([`TarWriter::write_file_bytes`]), a
//! [`Reader`](zigio::Reader) that streams them into the output
//! ([`TarWriter::write_file_stream`]), a file reader through the output's
//! `send_file_all` ([`TarWriter::write_file`], feature `os`), or any
//! `std::io::Read` ([`TarWriter::write_file_io`]).
//!
//! Where ustar's fields are too small the entry is preceded by a pax
//! extended header (typeflag `x`, POSIX.1-2001) carrying the real value:
//! `path` for names that do not fit the 100-byte name and 155-byte prefix
//! fields, `linkpath` for link targets over 100 bytes, `size` and `mtime`
//! past eleven octal digits. Zig 0.15.1 uses GNU `L`/`K` headers for long
//! names instead and has no fallback for large sizes.

#![forbid(unsafe_code)]

mod error;
mod header;
mod pax;
mod writer;

pub use error::{TarError, TarErrorKind};
pub use header::{BLOCK_SIZE, EntryType};
pub use writer::{Options, TarWriter};

#[cfg(test)]
mod tests;
