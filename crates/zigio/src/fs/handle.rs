//! [`Handle`]: the file descriptor a file reader or writer uses, owned or
//! borrowed.

use std::fs::File;
use std::net::TcpStream;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;

/// The descriptor behind a [`FileSource`](super::FileSource) or
/// [`FileSink`](super::FileSink): a regular file, a pipe, a socket, a
/// terminal, `/dev/null`, anything with a file descriptor.
///
/// Zig's `File` is a plain handle that the reader and writer use and never
/// close. Here a handle either borrows the descriptor (`&file`, the usual
/// case, closed by its owner) or owns it (closed when the reader or writer
/// is dropped).
#[derive(Debug)]
pub enum Handle<'f> {
    /// Closed on drop.
    Owned(OwnedFd),
    /// Closed by its owner.
    Borrowed(BorrowedFd<'f>),
}

impl<'f> Handle<'f> {
    /// Borrows the descriptor of anything that has one (stdout's lock, a
    /// child's pipe, ...).
    pub fn borrow(fd: &'f impl AsFd) -> Handle<'f> {
        Handle::Borrowed(fd.as_fd())
    }

    /// The owned descriptor, if this handle owns one.
    pub fn into_owned(self) -> Option<OwnedFd> {
        match self {
            Handle::Owned(fd) => Some(fd),
            Handle::Borrowed(_) => None,
        }
    }
}

impl AsFd for Handle<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Handle::Owned(fd) => fd.as_fd(),
            Handle::Borrowed(fd) => fd.as_fd(),
        }
    }
}

impl From<OwnedFd> for Handle<'static> {
    fn from(fd: OwnedFd) -> Self {
        Handle::Owned(fd)
    }
}

impl<'f> From<BorrowedFd<'f>> for Handle<'f> {
    fn from(fd: BorrowedFd<'f>) -> Self {
        Handle::Borrowed(fd)
    }
}

/// Borrows: `Writer::file(&file, ...)`, `Reader::file(&stream, ...)`.
impl<'f, T: AsFd + ?Sized> From<&'f T> for Handle<'f> {
    fn from(x: &'f T) -> Self {
        Handle::Borrowed(x.as_fd())
    }
}

macro_rules! handle_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Handle<'static> {
            fn from(x: $t) -> Self {
                Handle::Owned(OwnedFd::from(x))
            }
        }
    )*};
}
handle_from!(File, TcpStream, UnixStream);
