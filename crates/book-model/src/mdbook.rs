//! The `mdbook` binary the book is built with, for tests that run it.

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
        std::env::var_os("MDBOOK").map(PathBuf::from),
        Some(PathBuf::from("mdbook")),
        std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin/mdbook")),
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
