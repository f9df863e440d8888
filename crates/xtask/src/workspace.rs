//! Where things are: the repository root, cargo's bin directory, and the
//! crates that the book's snippets use.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, MetadataCommand};

use crate::cmd::{self, Result};

/// The repository root (this crate lives in `crates/xtask`).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask is two levels below the root")
        .to_path_buf()
}

/// The cargo that runs xtask (cargo sets `CARGO` for it), for nested runs.
pub(crate) fn cargo() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

pub(crate) use book_model::mdbook::{cargo_bin, path_with_cargo_bin};

/// The crates the book's snippets may use: by convention, the normal
/// `[dependencies]` of the `book-tests` package (`tests/Cargo.toml`), which
/// is also what skeptic and the copy check link.
pub(crate) fn snippet_crates() -> Result<Vec<String>> {
    let step = "find the snippets' crates";
    // Run as every command of xtask is (in the root, `PATH` with cargo's
    // bin directory), so that a failure is reported the same way.
    let mut metadata = MetadataCommand::new()
        .cargo_path(cargo())
        .current_dir(root())
        .env("PATH", path_with_cargo_bin())
        .no_deps()
        .cargo_command();
    let output = cmd::output(step, &mut metadata)?;
    let metadata = MetadataCommand::parse(String::from_utf8_lossy(&output.stdout))
        .map_err(|e| cmd::Error::step(step, format!("bad cargo metadata output: {e}")))?;
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name == "book-tests")
        .ok_or_else(|| cmd::Error::step(step, "no package `book-tests` in the workspace"))?;
    Ok(package
        .dependencies
        .iter()
        .filter(|d| d.kind == DependencyKind::Normal)
        .map(|d| d.name.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_crates_are_the_normal_dependencies_of_book_tests() {
        let crates = snippet_crates().unwrap();
        for name in ["sha2", "zigio", "zigio-http", "zigio-tar"] {
            assert!(crates.iter().any(|c| c == name), "{name} in {crates:?}");
        }
        // Dev- and build-dependencies are the checker's tools, not the
        // snippets' crates.
        assert!(!crates.iter().any(|c| c == "skeptic"), "{crates:?}");
    }
}
