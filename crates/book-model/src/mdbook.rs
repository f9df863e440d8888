//! The `mdbook` binary the book is built with, for tests that run it, and
//! (feature `scratch`) a scratch book to run it on.

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

/// The directory `cargo install` puts binaries in, where `cargo xtask
/// setup` installs the pinned mdbook and mdbook-mermaid:
/// `$CARGO_INSTALL_ROOT/bin`, else `$CARGO_HOME/bin`, else `~/.cargo/bin`,
/// else `.cargo/bin`.
pub fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| env::var_os("CARGO_HOME"))
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

/// A book in a fresh temporary directory, removed when dropped: a
/// `book.toml` that reads the chapters from `book/` and builds into `out/`,
/// with one preprocessor configured.
#[cfg(feature = "scratch")]
#[derive(Debug)]
pub struct ScratchBook {
    dir: tempfile::TempDir,
}

#[cfg(feature = "scratch")]
impl ScratchBook {
    /// Writes the book into a directory whose name starts with `prefix`:
    /// `book.toml` ends with `preprocessor` (a `[preprocessor.NAME]`
    /// table), and each of `chapters`, `(path under book/, title,
    /// content)`, is written and listed in `SUMMARY.md` in that order.
    ///
    /// # Panics
    /// The directory or a file cannot be written (this is for tests).
    pub fn new(prefix: &str, preprocessor: &str, chapters: &[(&str, &str, &str)]) -> ScratchBook {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temporary directory {prefix}*: {e}"));
        let root = dir.path();
        let write = |path: &Path, text: &str| {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
            }
            std::fs::write(path, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        };
        write(
            &root.join("book.toml"),
            &format!(
                "[book]\ntitle = \"e2e\"\nsrc = \"book\"\n\n[build]\nbuild-dir = \"out\"\n\n\
                 {preprocessor}"
            ),
        );
        let mut summary = String::from("# Summary\n\n");
        for (path, title, content) in chapters {
            write(&root.join("book").join(path), content);
            summary.push_str(&format!("- [{title}]({path})\n"));
        }
        write(&root.join("book/SUMMARY.md"), &summary);
        ScratchBook { dir }
    }

    /// The book's directory (its `book.toml`; the site goes to `out/`).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `mdbook build` of the book, with the `mdbook` that [`find`] finds.
    ///
    /// # Panics
    /// No [`VERSION`] is installed (the message says how to install it), or
    /// it cannot be started.
    pub fn build(&self) -> std::process::Output {
        let mdbook = find().unwrap_or_else(|e| panic!("{e}"));
        Command::new(&mdbook)
            .arg("build")
            .arg(self.root())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", mdbook.display()))
    }
}
