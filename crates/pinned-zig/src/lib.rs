//! Zig 0.15.1, pinned: the compiler the book's checks run.
//!
//! The book cites Zig's standard library, shows Zig programs and compares
//! `zigio` with `std.Io.Writer`; all of that must run against exactly the
//! release the book is about. PyPI's `ziglang==0.15.1` wheel carries the
//! compiler and its `lib/std`, and PyPI is a registry every machine of the
//! project reaches, so [`ensure_zig`]:
//!
//! 1. returns at once if `target/zig-0.15.1/` holds a complete install (its
//!    stamp names the pinned wheel and hash, and the compiler is there);
//! 2. otherwise takes a lock file (`target/zig-0.15.1.lock`), so that test
//!    binaries started together install it once;
//! 3. downloads the wheel with `python3 -m pip download` into a staging
//!    directory (or takes a local copy named by `PINNED_ZIG_WHEEL`),
//! 4. checks its SHA-256 against [`ZIG_0_15_1`],
//! 5. unpacks it with Python's `zipfile`, marks `zig` executable, checks
//!    that `zig version` prints the pinned version,
//! 6. writes the stamp last and renames the staging directory into place,
//!    so a half-finished install is never taken for a valid one.
//!
//! Every failure is an [`Error`] that names its step, the paths involved
//! and, for a hash mismatch, both hashes.
//!
//! [`Zig`] then compiles programs in Debug mode (Zig's safety checks on)
//! with its caches under `target/`, so that a second run reuses them.

mod compile;
mod error;
mod install;

pub use compile::BuildOptions;
pub use error::Error;
pub use install::{Installer, Source};

use std::path::{Path, PathBuf};

/// Which wheel to install: version, file name and SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    /// What `zig version` must print.
    pub version: &'static str,
    /// The wheel's file name as pip saves it.
    pub wheel_file: &'static str,
    /// The wheel's SHA-256, lowercase hex.
    pub sha256: &'static str,
    /// The pip `--platform` tag that selects this wheel.
    pub platform: &'static str,
}

/// The release the book is about, as `design.md` pins it.
pub const ZIG_0_15_1: Pin = Pin {
    version: "0.15.1",
    wheel_file: "ziglang-0.15.1-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl",
    sha256: "4e45994a0e608d9b16ecad255698f5557a2e24de0bd7ba9efb156ab3f3683d9a",
    platform: "manylinux_2_12_x86_64",
};

/// An installed, verified Zig: the unpacked wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zig {
    root: PathBuf,
    cache: PathBuf,
}

impl Zig {
    /// The compiler executable.
    pub fn exe(&self) -> PathBuf {
        exe_in(&self.root)
    }

    /// Zig's standard library (`lib/std`), the source the book cites.
    pub fn std_dir(&self) -> PathBuf {
        self.root.join("ziglang").join("lib").join("std")
    }

    /// The install directory (e.g. `target/zig-0.15.1`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where compilations keep Zig's local and global caches (a sibling of
    /// the install, e.g. `target/zig-0.15.1-cache`).
    pub fn cache_dir(&self) -> &Path {
        &self.cache
    }
}

pub(crate) fn exe_in(root: &Path) -> PathBuf {
    root.join("ziglang").join("zig")
}

/// The repository's `target/` directory. It is the workspace's, not
/// `CARGO_TARGET_DIR`: one Zig install serves every build directory.
pub fn workspace_target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("target")
}

/// The default install directory: `target/zig-0.15.1`.
pub fn default_dir() -> PathBuf {
    workspace_target_dir().join(format!("zig-{}", ZIG_0_15_1.version))
}

/// Makes sure Zig 0.15.1 is installed in `target/zig-0.15.1/` (see the
/// crate docs) and returns it.
///
/// # Errors
/// Any failed step: the lock, the download, the hash check, unpacking,
/// `zig version`, or moving the install into place.
pub fn zig() -> Result<Zig, Error> {
    Installer::new(ZIG_0_15_1, default_dir()).ensure()
}

/// [`zig`], returning the path of the compiler executable.
///
/// # Errors
/// As [`zig`].
pub fn ensure_zig() -> Result<PathBuf, Error> {
    zig().map(|z| z.exe())
}
