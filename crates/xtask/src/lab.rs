//! The buffer lab's two WebAssembly engines, built into `book/lab/` (git
//! ignored) so that `mdbook build` and `mdbook serve` copy them into the
//! site like any other file of the book:
//!
//! - `zigio.wasm`: `crates/lab` for `wasm32-unknown-unknown` (cargo's `lab`
//!   profile: size-optimised);
//! - `zig.wasm`: `crates/conformance/zig/lab.zig` for `wasm32-freestanding`
//!   with the pinned Zig, in ReleaseSafe so that Zig's assertions and
//!   safety checks stay on, as in the native harness's Debug build.
//!
//! A file is rewritten only when its bytes change, so `mdbook serve` does
//! not rebuild the book for nothing.

use std::fs;
use std::path::Path;

use pinned_zig::BuildOptions;

use crate::cmd::{self, Error, Result};
use crate::workspace;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Builds both engines into `book/lab/`.
pub(crate) fn build() -> Result {
    let root = workspace::root();
    let out = root.join("book/lab");
    build_zigio(&root, &out)?;
    build_zig(&root, &out)
}

fn build_zigio(root: &Path, out: &Path) -> Result {
    cmd::run(
        "add rustup's wasm32-unknown-unknown target for the lab",
        cmd::command("rustup").args(["target", "add", WASM_TARGET]),
    )?;
    cmd::run(
        "build the lab's zigio engine",
        cmd::command(workspace::cargo()).args([
            "build",
            "--quiet",
            "--package",
            "buffer-lab",
            "--target",
            WASM_TARGET,
            "--profile",
            "lab",
        ]),
    )?;
    let built = root.join("target/wasm32-unknown-unknown/lab/buffer_lab.wasm");
    install(&built, &out.join("zigio.wasm"))
}

fn build_zig(root: &Path, out: &Path) -> Result {
    let step = "build the lab's Zig 0.15.1 engine";
    let zig = pinned_zig::zig().map_err(|e| Error::step(step, e))?;
    let built = root.join("target/lab/zig.wasm");
    let options = BuildOptions {
        optimize: "ReleaseSafe",
        extra_args: [
            "-target",
            "wasm32-freestanding",
            "-fno-entry",
            "-rdynamic",
            "-fstrip",
        ]
        .map(String::from)
        .to_vec(),
    };
    zig.build_exe(
        &root.join("crates/conformance/zig/lab.zig"),
        &built,
        &options,
    )
    .map_err(|e| Error::step(step, e))?;
    install(&built, &out.join("zig.wasm"))
}

/// Copies `from` to `to` unless `to` already holds the same bytes.
fn install(from: &Path, to: &Path) -> Result {
    let step = "install a lab engine into book/lab";
    let bytes =
        fs::read(from).map_err(|e| Error::step(step, format!("{}: {e}", from.display())))?;
    if fs::read(to).ok().as_deref() == Some(&bytes[..]) {
        return Ok(());
    }
    fs::create_dir_all(to.parent().expect("book/lab has a parent"))
        .and_then(|()| fs::write(to, &bytes))
        .map_err(|e| Error::step(step, format!("{}: {e}", to.display())))
}
