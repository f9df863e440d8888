//! Where things are: the repository root, cargo's bin directory, and the
//! crates that the book's snippets use.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde_json::Value;

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

/// The directory `cargo install` puts binaries in.
pub(crate) fn cargo_bin() -> PathBuf {
    let root = env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    root.join("bin")
}

/// `PATH` with [`cargo_bin`] in front, for the commands xtask runs.
pub(crate) fn path_with_cargo_bin() -> OsString {
    let mut dirs = vec![cargo_bin()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).unwrap_or_default()
}

/// The crates the book's snippets may use: by convention, the normal
/// `[dependencies]` of the `book-tests` package (`tests/Cargo.toml`), which
/// is also what skeptic and the copy check link.
pub(crate) fn snippet_crates() -> Result<Vec<String>> {
    let step = "find the snippets' crates";
    let output = cmd::output(
        step,
        cmd::command(cargo()).args(["metadata", "--no-deps", "--format-version", "1"]),
    )?;
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| cmd::Error::step(step, format!("bad cargo metadata output: {e}")))?;
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "book-tests")
        .ok_or_else(|| cmd::Error::step(step, "no package `book-tests` in the workspace"))?;
    Ok(package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"].is_null())
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect())
}
