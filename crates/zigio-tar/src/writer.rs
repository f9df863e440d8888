//! [`TarWriter`]: entries and the end of archive (`tar/Writer.zig:1-150`).

use super::header::{BLOCK_SIZE, EntryType, Header, MAX_OCTAL_11};
use super::pax::Records;
use super::{TarError, TarErrorKind};
use std::borrow::Cow;
use std::io;
use zigio::reader::{DynReader, StreamError};
use zigio::{DynWriter, Limit, WriteFailed};

/// Per-entry metadata (Zig's `tar.Writer.Options`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Permission bits; `None` uses Zig's defaults: `0o664` for files,
    /// `0o775` for directories, `0o777` for symbolic links. At most
    /// `0o7777777` (seven octal digits).
    pub mode: Option<u32>,
    /// Modification time in seconds since the Unix epoch. Values past
    /// eleven octal digits (year 2242) go in a pax `mtime` record.
    pub mtime: u64,
}

impl Options {
    /// Options with the given mode and modification time.
    pub const fn new(mode: u32, mtime: u64) -> Options {
        Options {
            mode: Some(mode),
            mtime,
        }
    }

    /// The permission bits and modification time of a file on disk (Zig's
    /// `writeFile` takes the mtime from `stat`). A modification time before
    /// the epoch is stored as 0.
    #[cfg(unix)]
    pub fn from_metadata(meta: &std::fs::Metadata) -> Options {
        use std::os::unix::fs::MetadataExt;
        Options::new(
            meta.mode() & 0o7777,
            u64::try_from(meta.mtime()).unwrap_or(0),
        )
    }
}

/// Writes a tar archive to any [`DynWriter`] (Zig's `std.tar.Writer`).
///
/// Entries are written in the order the methods are called; call
/// [`finish`](Self::finish) after the last one. Owner ids are 0 and owner
/// names empty. Paths are stored as given (use `/` as the separator);
/// directory paths get a trailing `/`.
///
/// ```
/// use zigio::Writer;
/// use zigio_tar::{Options, TarWriter};
///
/// let mut out = Writer::allocating();
/// let mut tar = TarWriter::new(&mut out);
/// tar.write_dir("docs", Options::default()).unwrap();
/// tar.write_file_bytes("docs/hello.txt", b"hello\n", Options::new(0o644, 1_700_000_000)).unwrap();
/// tar.finish().unwrap();
/// // Two headers, one padded data block, two zero blocks.
/// assert_eq!(out.written().len(), 5 * 512);
/// ```
pub struct TarWriter<'o, 'w> {
    out: &'o mut DynWriter<'w>,
}

impl<'o, 'w> TarWriter<'o, 'w> {
    /// A tar writer appending entries to `out`.
    pub fn new(out: &'o mut DynWriter<'w>) -> Self {
        TarWriter { out }
    }

    /// The output writer, for example to flush it between entries.
    pub fn writer(&mut self) -> &mut DynWriter<'w> {
        self.out
    }

    /// Writes a directory entry (`tar/Writer.zig:35-37`).
    ///
    /// # Errors
    /// [`TarError`] naming `path`.
    pub fn write_dir(&mut self, path: &str, options: Options) -> Result<(), TarError> {
        self.write_header(EntryType::Directory, path, "", 0, options)
    }

    /// Writes a regular file whose contents are `content`
    /// (`tar/Writer.zig:74-79`).
    ///
    /// # Errors
    /// [`TarError`] naming `path`.
    pub fn write_file_bytes(
        &mut self, path: &str, content: &[u8], options: Options,
    ) -> Result<(), TarError> {
        let size = content.len() as u64;
        self.write_header(EntryType::Regular, path, "", size, options)?;
        self.out
            .write_all(content)
            .map_err(|e| write_error(path, e))?;
        self.write_padding(path, size)
    }

    /// Writes a regular file whose contents are the next `size` bytes of
    /// `reader` (Zig's `writeFileStream`, `tar/Writer.zig:60-72`): the
    /// reader streams them into the output writer, its buffered bytes
    /// first, without an intermediate copy.
    ///
    /// # Errors
    /// [`TarErrorKind::SizeMismatch`] if `reader` ends before `size` bytes
    /// (the archive is then unusable: the header announced `size`),
    /// [`TarErrorKind::Read`] if its source fails, [`TarErrorKind::Write`]
    /// if the output fails; each names `path`.
    pub fn write_file_stream(
        &mut self, path: &str, size: u64, reader: &mut DynReader<'_>, options: Options,
    ) -> Result<(), TarError> {
        self.write_header(EntryType::Regular, path, "", size, options)?;
        let mut streamed = 0;
        while streamed < size {
            match reader.stream(self.out, Limit::limited64(size - streamed)) {
                Ok(n) => streamed += n as u64,
                Err(StreamError::EndOfStream) => {
                    return Err(TarError::new(
                        path,
                        TarErrorKind::SizeMismatch {
                            declared: size,
                            streamed,
                        },
                    ));
                }
                Err(StreamError::ReadFailed) => {
                    return Err(TarError::new(
                        path,
                        TarErrorKind::Read(
                            "the reader's source failed (it keeps the cause)".into(),
                        ),
                    ));
                }
                Err(StreamError::WriteFailed) => return Err(write_error(path, WriteFailed)),
            }
        }
        self.write_padding(path, size)
    }

    /// Writes a regular file whose contents are the rest of `file`, from
    /// its logical position to the size `fstat` reports, sent with the
    /// output writer's [`send_file_all`](zigio::Writer::send_file_all):
    /// `sendfile`/`copy_file_range` when the output is a file writer, a read
    /// loop into its buffer otherwise (Zig's `writeFile`,
    /// `tar/Writer.zig:41-58`). Bytes the reader had buffered go first.
    ///
    /// Unlike Zig, which sends until end of file, at most the size in the
    /// header is sent: a file that grew meanwhile cannot corrupt the
    /// archive.
    ///
    /// # Errors
    /// [`TarErrorKind::SizeMismatch`] if the file ends early (it shrank
    /// after its size was taken), [`TarErrorKind::Read`] if its size is
    /// unknown (not a regular file: use
    /// [`write_file_stream`](Self::write_file_stream) with a known size) or
    /// reading fails, [`TarErrorKind::Write`]; each names `path`.
    #[cfg(all(feature = "os", unix))]
    pub fn write_file(
        &mut self, path: &str, file: &mut zigio::fs::FileReader<'_, '_>, options: Options,
    ) -> Result<(), TarError> {
        let read_error = |why: String| TarError::new(path, TarErrorKind::Read(why));
        let end = file
            .source
            .size()
            .map_err(|e| read_error(format!("cannot archive without a size: {e}")))?;
        let size = end.saturating_sub(file.logical_pos());
        self.write_header(EntryType::Regular, path, "", size, options)?;
        let sent = self
            .out
            .send_file_all(file, Limit::limited64(size))
            .map_err(|e| match e {
                zigio::reader::TransferError::WriteFailed => write_error(path, WriteFailed),
                zigio::reader::TransferError::ReadFailed => read_error(match &file.source.err {
                    Some(os) => os.to_string(),
                    None => "the file reader failed".into(),
                }),
            })?;
        if sent as u64 != size {
            return Err(TarError::new(
                path,
                TarErrorKind::SizeMismatch {
                    declared: size,
                    streamed: sent as u64,
                },
            ));
        }
        self.write_padding(path, size)
    }

    /// Writes a regular file of `size` bytes read from a `std::io::Read`.
    /// Reads exactly `size` bytes, straight into the output writer's buffer
    /// when it has one (a writable slice: no intermediate copy).
    ///
    /// # Errors
    /// [`TarErrorKind::SizeMismatch`] if `reader` ends before `size` bytes
    /// (the archive is then unusable: the header announced `size`),
    /// [`TarErrorKind::Read`] if it fails, [`TarErrorKind::Write`] if the
    /// output fails; each names `path`.
    pub fn write_file_io(
        &mut self, path: &str, size: u64, reader: &mut dyn io::Read, options: Options,
    ) -> Result<(), TarError> {
        self.write_header(EntryType::Regular, path, "", size, options)?;
        let mut streamed = 0;
        let mut scratch = [0u8; 8192];
        while streamed < size {
            let want = usize::try_from(size - streamed).unwrap_or(usize::MAX);
            let read = if self.out.capacity() == 0 {
                // No buffer to read into: go through a stack block.
                let n = want.min(scratch.len());
                let got = read_some(reader, &mut scratch[..n], path)?;
                self.out
                    .write_all(&scratch[..got])
                    .map_err(|e| write_error(path, e))?;
                got
            } else {
                let dst = self
                    .out
                    .writable_slice_greedy(1)
                    .map_err(|e| write_error(path, e))?;
                let n = want.min(dst.len());
                let got = read_some(reader, &mut dst[..n], path)?;
                self.out.advance(got);
                got
            };
            if read == 0 {
                return Err(TarError::new(
                    path,
                    TarErrorKind::SizeMismatch {
                        declared: size,
                        streamed,
                    },
                ));
            }
            streamed += read as u64;
        }
        self.write_padding(path, size)
    }

    /// Writes a symbolic link `path` pointing to `target`
    /// (`tar/Writer.zig:81-83`); a target over 100 bytes goes in a pax
    /// `linkpath` record.
    ///
    /// # Errors
    /// [`TarError`] naming `path`.
    pub fn write_symlink(
        &mut self, path: &str, target: &str, options: Options,
    ) -> Result<(), TarError> {
        if target.is_empty() || target.contains('\0') {
            return Err(TarError::new(
                path,
                TarErrorKind::InvalidPath("a link target must be non-empty and contain no NUL"),
            ));
        }
        self.write_header(EntryType::Symlink, path, target, 0, options)
    }

    /// Ends the archive with two zero blocks (Zig's `finishPedantically`,
    /// `tar/Writer.zig:135-137`), then flushes the output writer.
    ///
    /// # Errors
    /// [`TarErrorKind::Write`] with no entry.
    pub fn finish(self) -> Result<(), TarError> {
        let fail = |_| TarError {
            entry: None,
            kind: TarErrorKind::Write,
        };
        self.out.splat_byte_all(0, 2 * BLOCK_SIZE).map_err(fail)?;
        self.out.flush().map_err(fail)
    }

    /// Writes the header of an entry, preceded by a pax extended header if
    /// ustar cannot hold the path, link target, size or mtime
    /// (`tar/Writer.zig:88-108`).
    pub(super) fn write_header(
        &mut self, kind: EntryType, path: &str, target: &str, size: u64, options: Options,
    ) -> Result<(), TarError> {
        let stored = stored_path(kind, path)?;
        let mut header = Header::new(kind);
        let mut pax = Records::default();
        let mode = options.mode.unwrap_or(kind.default_mode());
        if !header.set_mode(mode) {
            return Err(TarError::new(
                path,
                TarErrorKind::FieldOverflow {
                    field: "mode",
                    value: mode.into(),
                },
            ));
        }
        header.set_owner_root();
        if !header.set_size(size) {
            pax.push("size", size.to_string().as_bytes());
            header.set_size(0);
        }
        if !header.set_mtime(options.mtime) {
            pax.push("mtime", options.mtime.to_string().as_bytes());
            header.set_mtime(MAX_OCTAL_11);
        }
        if !header.set_path(stored.as_bytes()) {
            pax.push("path", stored.as_bytes());
        }
        if !target.is_empty() && !header.set_linkname(target.as_bytes()) {
            pax.push("linkpath", target.as_bytes());
        }
        if !pax.is_empty() {
            self.write_pax(path, &stored, &pax, options.mtime)?;
        }
        self.out
            .write_all(&header.finish())
            .map_err(|e| write_error(path, e))
    }

    /// The extended header entry: typeflag `x`, named after the entry as
    /// GNU tar does (`PaxHeaders/<last component>`, cut to fit), its
    /// records as contents.
    fn write_pax(
        &mut self, path: &str, stored: &str, pax: &Records, mtime: u64,
    ) -> Result<(), TarError> {
        let base = stored
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let mut name = format!("PaxHeaders/{base}").into_bytes();
        name.truncate(100);
        let records = pax.as_bytes();
        let mut header = Header::new(EntryType::PaxExtended);
        header.set_mode(EntryType::PaxExtended.default_mode());
        header.set_owner_root();
        header.set_mtime(mtime.min(MAX_OCTAL_11));
        header.set_path(&name);
        if !header.set_size(records.len() as u64) {
            return Err(TarError::new(
                path,
                TarErrorKind::InvalidPath("pax records exceed 8 GiB"),
            ));
        }
        self.out
            .write_vec_all(&mut [&header.finish(), records])
            .map_err(|e| write_error(path, e))?;
        self.write_padding(path, records.len() as u64)
    }

    /// Zero bytes up to the next block boundary: one `splat_byte_all`
    /// (`tar/Writer.zig:139-150`).
    pub(super) fn write_padding(&mut self, path: &str, size: u64) -> Result<(), TarError> {
        let partial = (size % BLOCK_SIZE as u64) as usize;
        if partial == 0 {
            return Ok(());
        }
        self.out
            .splat_byte_all(0, BLOCK_SIZE - partial)
            .map_err(|e| write_error(path, e))
    }
}

/// The path as stored: checked, and with a trailing `/` for directories.
fn stored_path(kind: EntryType, path: &str) -> Result<Cow<'_, str>, TarError> {
    let invalid = |why| Err(TarError::new(path, TarErrorKind::InvalidPath(why)));
    if path.is_empty() || path == "/" {
        return invalid("empty path");
    }
    if path.contains('\0') {
        return invalid("path contains NUL");
    }
    if kind == EntryType::Directory && !path.ends_with('/') {
        return Ok(Cow::Owned(format!("{path}/")));
    }
    if kind != EntryType::Directory && path.ends_with('/') {
        return invalid("only a directory path may end with '/'");
    }
    Ok(Cow::Borrowed(path))
}

pub(super) fn write_error(path: &str, _: WriteFailed) -> TarError {
    TarError::new(path, TarErrorKind::Write)
}

/// One `read`, retrying on `Interrupted`.
fn read_some(reader: &mut dyn io::Read, dst: &mut [u8], path: &str) -> Result<usize, TarError> {
    loop {
        match reader.read(dst) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(TarError::new(path, TarErrorKind::Read(e.to_string()))),
        }
    }
}
