//! The `mdbook` binary the book is built with, for tests that run it.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version `cargo xtask setup` installs, as `mdbook --version` prints it.
pub const VERSION: &str = "mdbook v0.5.4";

/// The first of `$MDBOOK`, `mdbook` on `PATH` and `~/.cargo/bin/mdbook`
/// that is [`VERSION`].
///
/// # Errors
/// None is: the message says how to install it.
pub fn find() -> Result<PathBuf, String> {
    let candidates = [
        env::var_os("MDBOOK").map(PathBuf::from),
        Some(PathBuf::from("mdbook")),
        Some(cargo_bin().join("mdbook")),
    ];
    for candidate in candidates.into_iter().flatten() {
        if let Ok(out) = Command::new(&candidate).arg("--version").output()
            && String::from_utf8_lossy(&out.stdout).trim() == VERSION
        {
            return Ok(candidate);
        }
    }
    Err(format!(
        "{VERSION} not found: run `cargo xtask setup`, or set MDBOOK, or put it on PATH or in \
         ~/.cargo/bin"
    ))
}

/// Cargo's bin directory, where `cargo xtask setup` installs the pinned
/// mdbook and its preprocessors: `$CARGO_HOME/bin`, else `~/.cargo/bin`,
/// else `.cargo/bin`.
pub fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// `PATH` with [`cargo_bin`] in front, for running mdbook as `cargo xtask`
/// does: its preprocessors are found there too.
pub fn path_with_cargo_bin() -> OsString {
    let mut dirs = vec![cargo_bin()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).unwrap_or_default()
}
