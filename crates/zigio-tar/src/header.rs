//! The 512-byte ustar header (POSIX.1-1988 as amended by POSIX.1-2001;
//! Zig's `tar.Writer.Header`, `tar/Writer.zig:152-290`).

/// Size of a tar block: every header, and the unit contents are padded to.
pub const BLOCK_SIZE: usize = 512;

/// Largest value of an 11-digit octal field (`size`, `mtime`).
pub(super) const MAX_OCTAL_11: u64 = 0o777_7777_7777;

/// The kind of an entry: the ustar `typeflag` byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    /// A regular file, `'0'`.
    Regular,
    /// A symbolic link, `'2'`.
    Symlink,
    /// A directory, `'5'`.
    Directory,
    /// A pax extended header for the next entry, `'x'`.
    PaxExtended,
}

impl EntryType {
    /// The `typeflag` byte.
    pub fn typeflag(self) -> u8 {
        match self {
            EntryType::Regular => b'0',
            EntryType::Symlink => b'2',
            EntryType::Directory => b'5',
            EntryType::PaxExtended => b'x',
        }
    }

    /// Zig's default permissions (`tar/Writer.zig:203-208`).
    pub(super) fn default_mode(self) -> u32 {
        match self {
            EntryType::Regular => 0o664,
            EntryType::Directory => 0o775,
            EntryType::Symlink => 0o777,
            EntryType::PaxExtended => 0o644,
        }
    }
}

// Field offsets and widths, in header order.
const NAME: (usize, usize) = (0, 100);
const MODE: (usize, usize) = (100, 8);
const UID: (usize, usize) = (108, 8);
const GID: (usize, usize) = (116, 8);
const SIZE: (usize, usize) = (124, 12);
const MTIME: (usize, usize) = (136, 12);
const CHECKSUM: (usize, usize) = (148, 8);
const TYPEFLAG: usize = 156;
const LINKNAME: (usize, usize) = (157, 100);
const MAGIC: (usize, usize) = (257, 8); // "ustar\0" and version "00"
const PREFIX: (usize, usize) = (345, 155);

/// A header under construction: 512 bytes, every field zero until set.
pub(super) struct Header([u8; BLOCK_SIZE]);

impl Header {
    pub(super) fn new(kind: EntryType) -> Header {
        let mut h = Header([0; BLOCK_SIZE]);
        h.0[TYPEFLAG] = kind.typeflag();
        h.0[MAGIC.0..MAGIC.0 + MAGIC.1].copy_from_slice(b"ustar\x0000");
        h
    }

    /// Writes `value` as `width - 1` zero-padded octal digits and a NUL.
    /// Returns `false` (leaving the field untouched) if it does not fit.
    fn octal(&mut self, (offset, width): (usize, usize), value: u64) -> bool {
        let digits = width - 1;
        if value >> (3 * digits) != 0 {
            return false;
        }
        let field = &mut self.0[offset..offset + width];
        let mut rest = value;
        for d in field[..digits].iter_mut().rev() {
            *d = b'0' + (rest % 8) as u8;
            rest /= 8;
        }
        field[digits] = 0;
        true
    }

    /// Sets the mode; `false` if it exceeds seven octal digits.
    pub(super) fn set_mode(&mut self, mode: u32) -> bool {
        self.octal(MODE, mode.into())
    }

    /// Sets uid and gid to 0 (`"0000000\0"`): the archive does not record
    /// owners.
    pub(super) fn set_owner_root(&mut self) {
        self.octal(UID, 0);
        self.octal(GID, 0);
    }

    /// Sets the size; `false` if it exceeds eleven octal digits.
    pub(super) fn set_size(&mut self, size: u64) -> bool {
        self.octal(SIZE, size)
    }

    /// Sets the modification time (seconds since the epoch); `false` if it
    /// exceeds eleven octal digits.
    pub(super) fn set_mtime(&mut self, mtime: u64) -> bool {
        self.octal(MTIME, mtime)
    }

    /// Stores `path` in the name field, or split at a `/` between the
    /// prefix and name fields (the `/` itself is not stored). Returns
    /// `false`, storing a truncated name for readers that ignore pax, if it
    /// fits neither way.
    pub(super) fn set_path(&mut self, path: &[u8]) -> bool {
        match split_path(path) {
            Some((prefix, name)) => {
                self.0[PREFIX.0..PREFIX.0 + prefix.len()].copy_from_slice(prefix);
                self.0[NAME.0..NAME.0 + name.len()].copy_from_slice(name);
                true
            }
            None => {
                self.0[NAME.0..NAME.0 + NAME.1].copy_from_slice(&path[..NAME.1]);
                false
            }
        }
    }

    /// Stores a link target; `false` (storing it truncated) if it is longer
    /// than 100 bytes.
    pub(super) fn set_linkname(&mut self, target: &[u8]) -> bool {
        let n = target.len().min(LINKNAME.1);
        self.0[LINKNAME.0..LINKNAME.0 + n].copy_from_slice(&target[..n]);
        n == target.len()
    }

    /// Computes the checksum (the sum of all bytes with the checksum field
    /// read as spaces) and returns the finished block.
    pub(super) fn finish(mut self) -> [u8; BLOCK_SIZE] {
        let (offset, width) = CHECKSUM;
        self.0[offset..offset + width].fill(b' ');
        let sum: u64 = self.0.iter().map(|&b| u64::from(b)).sum();
        // Six digits, NUL, space: the traditional layout every reader accepts.
        self.octal((offset, 7), sum);
        self.0[offset + 7] = b' ';
        self.0
    }
}

/// Where ustar can store `path`: `(prefix, name)` with the name field
/// alone if it fits in 100 bytes, else split at the last `/` that leaves
/// a non-empty prefix of at most 155 bytes and a non-empty name of at most
/// 100. `None` if neither fits (the caller then stores a pax `path`).
///
/// Readers join a non-empty prefix and the name with a `/`, and ignore an
/// empty prefix: a split at a leading `/` would lose it, so the prefix must
/// not be empty.
fn split_path(path: &[u8]) -> Option<(&[u8], &[u8])> {
    if path.len() <= NAME.1 {
        return Some((&[], path));
    }
    // The separator may be at index 155 at most (prefix = path[..155]) and
    // not be the last byte (the name must not be empty).
    let window = &path[..path.len().saturating_sub(1).min(PREFIX.1 + 1)];
    let sep = window.iter().rposition(|&b| b == b'/')?;
    let name = &path[sep + 1..];
    (sep > 0 && name.len() <= NAME.1).then(|| (&path[..sep], name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_prefers_the_longest_prefix() {
        let path = format!("{}/{}", "p".repeat(150), "n".repeat(90));
        let (prefix, name) = split_path(path.as_bytes()).unwrap();
        assert_eq!((prefix.len(), name.len()), (150, 90));
        // 155-byte prefix is the maximum.
        let path = format!("{}/{}", "p".repeat(155), "n".repeat(10));
        assert!(split_path(path.as_bytes()).is_some());
        let path = format!("{}/{}", "p".repeat(156), "n".repeat(10));
        assert!(split_path(path.as_bytes()).is_none());
        // No separator, or only a trailing one: no split.
        assert!(split_path("x".repeat(101).as_bytes()).is_none());
        let dir = format!("{}/", "d".repeat(120));
        assert!(split_path(dir.as_bytes()).is_none());
        // A name of exactly 100 bytes fills the field with no NUL.
        assert_eq!(split_path("y".repeat(100).as_bytes()).unwrap().1.len(), 100);
    }

    #[test]
    fn octal_fields_and_checksum() {
        let mut h = Header::new(EntryType::Regular);
        assert!(h.set_mode(0o644));
        assert!(h.set_size(MAX_OCTAL_11));
        assert!(!h.set_size(MAX_OCTAL_11 + 1));
        assert!(!h.set_mode(0o1000_0000));
        assert!(h.set_path(b"hello.txt"));
        let block = h.finish();
        assert_eq!(&block[100..108], b"0000644\0");
        assert_eq!(&block[124..136], b"77777777777\0");
        assert_eq!(&block[257..265], b"ustar\x0000");
        let mut sum: u64 = block.iter().map(|&b| u64::from(b)).sum();
        sum -= block[148..156].iter().map(|&b| u64::from(b)).sum::<u64>();
        sum += 8 * u64::from(b' ');
        let text = std::str::from_utf8(&block[148..154]).unwrap();
        assert_eq!(u64::from_str_radix(text, 8).unwrap(), sum);
        assert_eq!(&block[154..156], b"\0 ");
    }
}
