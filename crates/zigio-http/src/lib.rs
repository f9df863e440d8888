//! HTTP/1.1 message bodies written through zigio's writer interface: Zig's
//! `std.http.BodyWriter` (`http.zig:739-1035`), ported to Rust.
//!
//! The crate is a client of [`zigio`]'s public API and nothing else: its
//! [`BodySink`] is a [`Sink`](zigio::Sink) like any other, so a body writer
//! is a [`Writer`](zigio::Writer) that any code written against
//! [`DynWriter`](zigio::DynWriter) can fill. With the feature `os` (on by
//! default) a body also takes a file reader's bytes through `send_file`.
//!
//! A [`BodyWriter`] sits between the code that produces a body and the
//! connection's protocol output (a [`DynWriter`](zigio::DynWriter) that
//! already carries the status line and headers). It is a [`Writer`](zigio::Writer)
//! of its own, with its own buffer; what changes with the transfer
//! encoding is only its drain, exactly as Zig picks a different
//! `drain` function per encoding (`http/Server.zig:451-490`,
//! `http/Client.zig:923-962`):
//!
//! | [`Framing`] | drain | on the wire |
//! |---|---|---|
//! | `ContentLength(n)` | forwards and counts down | exactly `n` bytes, never more |
//! | `Chunked` | opens a chunk sized to everything pending, then forwards within it | `XXXXXXXX\r\n` data `\r\n` ... `0\r\n` trailers `\r\n` |
//! | `None` | forwards | the raw bytes; closing the connection ends the body |
//! | any, [eliding](BodyWriter::eliding) | drops, still counting | nothing (a response to `HEAD`) |
//!
//! See [`BodyWriter`] for the differences from Zig 0.15.1.

#![forbid(unsafe_code)]

mod body;
mod chunked;
mod error;
mod header;
#[cfg(all(feature = "os", unix))]
mod send_file;

pub use body::{BodySink, BodyWriter, Framing, State};
pub use chunked::{CHUNK_HEADER_LEN, MAX_CHUNK_LEN};
pub use error::BodyError;
pub use header::Header;

#[cfg(test)]
mod tests;
