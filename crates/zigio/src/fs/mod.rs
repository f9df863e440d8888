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
//!   [`FileWriter`], whose sink [`FileSink`] drains with one system call
//!   per drain (`pwrite`/`write` of the topped-up buffer for small data,
//!   `pwritev`/`writev` otherwise), keeps the OS error in `sink.err`, and
//!   sends files with `sendfile`/`copy_file_range`.
//! - [`Reader::file`](crate::Reader::file) /
//!   [`Reader::file_streaming`](crate::Reader::file_streaming): a
//!   [`FileReader`], whose source [`FileSource`] reads with one
//!   `preadv`/`readv` per call into the caller's slices and its buffer.
//! - [`Writer::send_file`](crate::Writer::send_file) and friends move file
//!   bytes through any writer; [`FileInput`] is what they read from.
//!
//! All system calls go through `rustix`; the module has no `unsafe` code.
//!
//! # Deliberate differences from Zig 0.15.1
//!
//! - A reader's buffered bytes never reach a sink's `send_file`: the
//!   `Writer::send_file*` entry points write them first, as `Reader.stream`
//!   does. So none of Zig's reader-buffer `[bug?]`s can happen: no skipped
//!   input after `sendFileBuffered`'s seek to `pos + n`, no lost input in
//!   the `sendFileReading` fallback, and `Discarding`/`Allocating` count or
//!   append those bytes instead of bypassing them.
//! - `copy_file_range` is asked for at most [`MAX_COUNT`] bytes per call
//!   (Zig passes the raw limit: `EOVERFLOW` for `Limit::UNLIMITED`).
//! - `sendfile`/`copy_file_range` failures that belong to the destination
//!   (`EAGAIN`, `EPIPE`, `ENOSPC`, ...) are `WriteFailed` with the cause in
//!   `err`, not a reason to stop using the call.
//! - A positional writer that meets `ESPIPE` writes in streaming mode in
//!   the same drain (Zig returns 0 and lets the caller retry); a write of 0
//!   bytes is an error (`WriteZero`), not a silent `Ok(0)`.
//! - The file writer's `seek_to` flushes first (ziglang/zig#25080); Zig's
//!   `File.Writer.end` is [`finish`](crate::Writer::finish), since `end` is
//!   the buffered count.
//! - `send_file_header` reports the header bytes it took even when the file
//!   part fails (Zig returns the error and the caller sends the header
//!   twice).
//! - A file's size from `fstat` ends, skips or bounds a transfer only when
//!   it is known to be the end ([`FileSource::reliable_size`]): `/proc`
//!   files report 0 bytes and `/sys` files 4096 whatever they hold, and Zig
//!   copies nothing from the first and announces too much of the second.
//! - A positional reader that finds a pipe through its size keeps the
//!   position it was moved to (Zig switches to streaming without skipping).
//! - A file writer over an append-mode descriptor is streaming, and
//!   [`finish`](crate::Writer::finish) does not truncate it (Zig's `end`
//!   cuts the file to the bytes just written).
//! - The reader's `discard` ends with `EndOfStream` at the end of the file
//!   (Zig's positional discard returns 0 forever); `seek_by` counts from the
//!   position of the next byte the reader returns, not from the true
//!   position.

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
