//! The OS-backed reader and writer: Zig's `std.fs.File.Reader` and
//! `File.Writer` (`fs/File.zig:1109-2098`), over any file descriptor.
//!
//! ```no_run
//! use zigio::{Limit, Reader, Writer};
//! use std::fs::File;
//!
//! let input = File::open("in.bin")?;
//! let output = File::create("out.bin")?;
//! let (mut rbuf, mut wbuf) = ([0u8; 4096], [0u8; 4096]);
//! let mut r = Reader::file(&input, &mut rbuf);
//! let mut w = Writer::file(&output, &mut wbuf);
//!
//! let magic = r.peek(4)?.to_vec(); // buffered, not consumed
//! w.write_all(b"copy of ")?;
//! // The 4096 bytes the peek buffered go first, then copy_file_range.
//! let copied = w.send_file_all(&mut r, Limit::UNLIMITED)?;
//! w.finish()?; // flush, and truncate what `out.bin` had beyond
//! # let _ = (magic, copied);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`Writer::file`](crate::Writer::file) /
//!   [`Writer::file_streaming`](crate::Writer::file_streaming): a
//!   [`FileWriter`], whose sink [`FileSink`] drains with one
//!   `pwritev`/`writev` per drain, keeps the OS error in `sink.err`, and
//!   sends files with `sendfile`/`copy_file_range`.
//! - [`Reader::file`](crate::Reader::file) /
//!   [`Reader::file_streaming`](crate::Reader::file_streaming): a
//!   [`FileReader`], whose source [`FileSource`] reads with one
//!   `preadv`/`readv` per call into the caller's slices and its buffer.
//! - [`Writer::send_file`](crate::Writer::send_file) and friends move file
//!   bytes through any writer; [`FileInput`] is what they read from.
//!
//! All system calls go through `rustix`; the module has no `unsafe` code.

mod error;
mod handle;
mod mode;
mod send_file;
mod sink;
mod source;
mod transfer;

pub use error::{EndError, SeekError, SizeError, WriterSeekError};
pub use handle::Handle;
pub use mode::Mode;
pub use send_file::{MAX_COUNT, clamp_len};
pub use sink::FileSink;
pub use source::FileSource;
pub use transfer::FileInput;

/// A writer over a file descriptor: Zig's `std.fs.File.Writer`. `'a` is the
/// buffer's lifetime, `'f` the descriptor's.
pub type FileWriter<'a, 'f> = crate::Writer<'a, FileSink<'f>>;

/// A reader over a file descriptor: Zig's `std.fs.File.Reader`. `'a` is the
/// buffer's lifetime, `'f` the descriptor's.
pub type FileReader<'a, 'f> = crate::Reader<'a, FileSource<'f>>;
