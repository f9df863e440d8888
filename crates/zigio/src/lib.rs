//! Zig 0.15.1's `std.Io` writer interface, ported to Rust.
//!
//! # The buffer is in the interface
//!
//! In Zig 0.15, `*std.Io.Writer` is not a pointer to "something with a
//! write method". It is a struct with three fields (`Writer.zig:12-16`): a
//! `vtable`, a `buffer` slice and an `end` index. Every implementation
//! (a file, a socket, a hasher, a growing array) embeds that struct and
//! reaches its own state from it with `@fieldParentPtr`. Code that writes
//! copies bytes into `buffer[end..]` itself, inline, and only calls through
//! the vtable (`drain`, `sendFile`, `flush`, `rebase`) when the bytes do not
//! fit.
//!
//! This crate keeps that shape in safe Rust:
//!
//! | Zig 0.15.1 | zigio |
//! |---|---|
//! | `buffer: []u8`, `end: usize` | [`Buffer`]: storage (borrowed or owned) and `end` |
//! | `vtable: *const VTable` | [`Sink`]: `drain`, `flush`, `rebase` (and `send_file` for file-capable sinks) |
//! | an implementation embedding `interface: Writer` | [`Writer<'a, S>`]: the buffer, then the sink as the **last** field |
//! | `@fieldParentPtr("interface", w)` | the split borrow: a sink method gets `&mut self` and `&mut Buffer` |
//! | `*std.Io.Writer` | [`DynWriter`]` = Writer<'a, dyn Sink + 'a>` |
//!
//! Because the sink is the last field, `&mut Writer<'a, Fixed>` coerces to
//! `&mut DynWriter<'a>` (struct unsizing): one non-generic type that
//! functions take, in which the buffer is still an ordinary field. A write
//! that fits is the same inlined copy for every implementation; only the
//! slow path is a virtual call. A function may also be generic over
//! `S: Sink + ?Sized` to avoid even that.
//!
//! Why not a trait with a `write` method, as `std::io::Write`? Because then
//! the buffer lives behind the trait object, and every write is a virtual
//! call that the buffering implementation must make cheap. Zig's design,
//! and this port, make the buffer the shared surface and the virtual call
//! the exception: the caller can see how full the buffer is, format
//! straight into it ([`Writer::writable_slice`]), and keep bytes in it
//! across a drain ([`Writer::rebase`]).
//!
//! # The modules
//!
//! The two halves have the same shape: a buffer, an interface of a few
//! functions behind it, its error, and the implementations.
//!
//! | | writing | reading |
//! |---|---|---|
//! | module | [`writer`] | [`reader`] |
//! | the struct callers use | [`Writer`], [`DynWriter`] | [`Reader`], [`DynReader`] |
//! | its buffer | [`Buffer`] | [`ReadBuffer`] |
//! | the interface (Zig's `VTable`) | [`Sink`] | [`Source`] |
//! | its error | [`WriteFailed`] | [`ReadFailed`], [`EndOfStream`], [`StreamError`] |
//!
//! Around them: [`Limit`], how much a call may move; [`vectored`], how a
//! drain gathers the buffered bytes, the data and the splat into at most 16
//! slices; [`fs`], the file writer and reader over a descriptor (feature
//! `os`); and [`random`], the seeded generator the book's workloads share
//! with their Zig originals.
//!
//! Two protocols are built on this crate's public API, in crates of their
//! own: `zigio-http` (`zigio_http::BodyWriter`, the body writer of an
//! HTTP/1.1 message) and `zigio-tar` (`zigio_tar::TarWriter`, the ustar/pax
//! archive writer). They need nothing private: a sink of another crate is
//! written exactly as the ones in [`writer`] are.
//!
//! # Implementations
//!
//! - [`Writer::fixed`]: caller storage, a stack array or a slice; it never
//!   drains, and fails when full, keeping the prefix that fit.
//! - [`Writer::allocating`]: owned storage that grows as Zig's `ArrayList`.
//! - [`Writer::discarding`]: counts and drops.
//! - [`Writer::failing`]: fails every write.
//! - [`Writer::hashing`] / [`Writer::hashed`]: feed a
//!   [`digest::Update`](https://docs.rs/digest) hasher (feature `digest`).
//! - [`Writer::from_io`]: any `std::io::Write`, drained with one
//!   `write_vectored` per drain.
//! - [`Instrumented`]: a decorator that records drains and occupancy.
//!
//! # Deliberate differences from Zig 0.15.1
//!
//! - `write_splat_header_limit` enforces the limit for every piece and
//!   accepts an empty pattern with any splat (Zig 0.15.1 ignores the limit
//!   for data pieces and divides by zero).
//! - Zig's assertions (empty `data`, `advance` past the buffer, `preserve +
//!   len` larger than the buffer) are panics with a message, never undefined
//!   behaviour. The crate has no `unsafe` code.
//! - `default_rebase` puts hidden bytes back even when drain fails.
//! - A drain that fails takes none of its data ([`Sink::drain`]), and
//!   `Hashed` relies on it: a caller may retry after a transient failure
//!   without sending a byte twice (Zig's `Hashed` then sends its buffered
//!   bytes twice).
//! - A write limited to less than one copy of a pattern offers that
//!   prefix, so a drain always makes progress (Zig offers the pattern zero
//!   times, and a chunked body's `splatBytesAll` never returns).
//! - [`Discarding`] counts saturate at `u64::MAX`.

#![forbid(unsafe_code)]

#[cfg(all(feature = "os", unix))]
pub mod fs;
mod limit;
pub mod random;
pub mod reader;
pub mod vectored;
pub mod writer;

pub use limit::Limit;
pub use reader::{
    DynReader, EndOfStream, ReadBuffer, ReadError, ReadFailed, Reader, Source, StreamError,
    TransferError,
};
pub use writer::{
    Allocating, Discarding, DrainCall, Event, Failing, Fixed, Instrumented, IoSink, Trace,
};
pub use writer::{
    Buffer, CACHE_LINE, DynWriter, Endian, Int, SendFileError, Sink, WriteFailed, Writer,
    count_splat, default_flush, default_rebase,
};
#[cfg(feature = "digest")]
pub use writer::{Hashed, Hashing};
