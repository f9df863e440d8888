//! Tests of the book "Buffer Scheduling" as a whole. This package has no API
//! of its own: its tests are in `tests/`.
//!
//! - `tests/skeptic.rs`: skeptic compiles and runs every ```` ```rust ````
//!   block of every chapter in `book/SUMMARY.md`, with its hidden lines,
//!   against `zigio`;
//! - `tests/book/`: every listed chapter exists, every code block follows the
//!   fence policy, and every snippet, as its copy button copies it, compiles
//!   in a fresh crate, runs and prints exactly the ```` ```text ```` block
//!   below it; the fixtures in `fixtures/` show each failure;
//! - `tests/stacks/`: the programs of "Thread Spawn and Stacks" under
//!   `strace -f`, their traces checked against the chapter and rendered as
//!   the tables it includes (`book/data/thread-spawn/`); the Rust program
//!   traced is `src/bin/thread_stack.rs`, a copy of the page's block that
//!   the test keeps equal to it.
//!
//! Its `[dependencies]` are the crates the book's snippets may use. Its one
//! function, [`repo_root`], is what the tests share.

use std::path::{Path, PathBuf};

/// The repository root (this package lives in `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
