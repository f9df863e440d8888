//! The pinned Zig compilers the book's checks run: 0.15.1, the release the
//! book is about, and the later releases its readers use ([`PINS`]).
//!
//! The book cites Zig's standard library, shows Zig programs and compares
//! `zigio` with `std.Io.Writer`; all of that must run against exact
//! releases. PyPI's `ziglang` wheels carry the compiler and its `lib/std`,
//! and PyPI is a registry every machine of the project reaches, so
//! [`ensure`] (for one [`Pin`]):
//!
//! 1. returns at once if `target/zig-<version>/` holds a complete install
//!    (its stamp names the pinned wheel and hash, and the compiler is there);
//! 2. otherwise takes a lock file (`target/zig-<version>.lock`), so that test
//!    binaries started together install it once;
//! 3. downloads the wheel with `python3 -m pip download` into a staging
//!    directory (or takes a local copy named by `PINNED_ZIG_WHEEL`),
//! 4. checks its SHA-256 against the pin's,
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

/// The release the book is about: its baseline.
pub const ZIG_0_15_1: Pin = Pin {
    version: "0.15.1",
    wheel_file: "ziglang-0.15.1-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl",
    sha256: "4e45994a0e608d9b16ecad255698f5557a2e24de0bd7ba9efb156ab3f3683d9a",
    platform: "manylinux_2_12_x86_64",
};

/// The first release after the baseline (`std.fs.File` became
/// `std.Io.File`).
pub const ZIG_0_16_0: Pin = Pin {
    version: "0.16.0",
    wheel_file: "ziglang-0.16.0-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl",
    sha256: "9fcda73f62b851dd72a54b710ad40a209896db14cfb13649e62191243556342b",
    platform: "manylinux_2_12_x86_64",
};

/// The newest release the book checks.
pub const ZIG_0_17_1: Pin = Pin {
    version: "0.17.1",
    wheel_file: "ziglang-0.17.1-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl",
    sha256: "ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54",
    platform: "manylinux_2_12_x86_64",
};

/// Every pinned release, oldest first; the first is the baseline.
pub const PINS: [Pin; 3] = [ZIG_0_15_1, ZIG_0_16_0, ZIG_0_17_1];

/// The pin of `version` (e.g. `"0.16.0"`).
///
/// # Errors
/// [`Error::UnknownVersion`], listing the pinned versions.
pub fn pin(version: &str) -> Result<Pin, Error> {
    PINS.iter()
        .copied()
        .find(|p| p.version == version)
        .ok_or_else(|| Error::UnknownVersion {
            version: version.to_string(),
            pinned: PINS.iter().map(|p| p.version.to_string()).collect(),
        })
}

/// An installed, verified Zig: the unpacked wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zig {
    version: &'static str,
    root: PathBuf,
    cache: PathBuf,
}

impl Zig {
    /// The release, as `zig version` prints it (e.g. `"0.16.0"`).
    pub fn version(&self) -> &'static str {
        self.version
    }

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

/// The install directory of `pin`: `target/zig-<version>`.
pub fn dir_of(pin: Pin) -> PathBuf {
    workspace_target_dir().join(format!("zig-{}", pin.version))
}

/// Makes sure `pin` is installed in `target/zig-<version>/` (see the crate
/// docs) and returns it.
///
/// # Errors
/// Any failed step: the lock, the download, the hash check, unpacking,
/// `zig version`, or moving the install into place.
pub fn ensure(pin: Pin) -> Result<Zig, Error> {
    Installer::new(pin, dir_of(pin)).ensure()
}

/// `pin`'s compiler if `cargo xtask setup` (or [`ensure`]) installed it,
/// without installing anything: for checks that must not download.
///
/// # Errors
/// [`Error::NotInstalled`], naming the directory and the command that
/// installs it.
pub fn installed(pin: Pin) -> Result<Zig, Error> {
    let installer = Installer::new(pin, dir_of(pin));
    if installer.is_installed() {
        Ok(installer.zig())
    } else {
        Err(Error::NotInstalled {
            version: pin.version.to_string(),
            dir: installer.dir().to_path_buf(),
            command: "cargo xtask setup".to_string(),
        })
    }
}

/// Makes sure the baseline, Zig 0.15.1, is installed and returns it: the
/// compiler of every check that is about 0.15.1 alone.
///
/// # Errors
/// As [`ensure`].
pub fn zig() -> Result<Zig, Error> {
    ensure(ZIG_0_15_1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_found_by_version_and_unknown_ones_listed() {
        assert_eq!(pin("0.17.1").unwrap(), ZIG_0_17_1);
        assert_eq!(PINS[0], ZIG_0_15_1, "the baseline comes first");
        let msg = pin("0.14.0").unwrap_err().to_string();
        assert!(
            msg.contains("0.14.0") && msg.contains("0.15.1, 0.16.0, 0.17.1"),
            "{msg}"
        );
    }

    #[test]
    fn every_pin_names_its_own_wheel() {
        for p in PINS {
            assert!(
                p.wheel_file.starts_with(&format!("ziglang-{}-", p.version)),
                "{p:?}"
            );
            assert_eq!(p.sha256.len(), 64, "{p:?}");
            assert!(
                p.sha256
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
    }

    #[test]
    fn a_missing_compiler_names_the_command_that_fetches_it() {
        let fake = Pin {
            version: "0.0.0-missing",
            ..ZIG_0_16_0
        };
        let msg = installed(fake).unwrap_err().to_string();
        assert!(msg.contains("0.0.0-missing"), "{msg}");
        assert!(msg.contains("zig-0.0.0-missing"), "{msg}");
        assert!(msg.contains("run `cargo xtask setup`"), "{msg}");
    }
}
