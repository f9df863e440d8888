//! `cargo xtask bench`: the side-by-side benchmark of zigio, std's
//! `BufWriter` and Zig 0.15.1, and the book's "Measurements" page
//! (crates/sidebyside). Release build, because the numbers are the point.

use crate::cmd::{self, Result};
use crate::workspace;

/// `cargo run --release -p sidebyside -- run ARGS`, or `-- render` for
/// `--render` (regenerate the page from book/data/measurements.json).
pub(crate) fn bench(args: &[String]) -> Result {
    let mut command = cmd::command(workspace::cargo());
    command.args([
        "run",
        "--release",
        "--quiet",
        "--package",
        "sidebyside",
        "--",
    ]);
    if args.iter().any(|a| a == "--render") {
        if args.len() > 1 {
            return Err(cmd::Error::usage(
                "`cargo xtask bench --render` takes no other option".to_string(),
            ));
        }
        command.arg("render");
    } else {
        command.arg("run").args(args);
    }
    cmd::run("bench", &mut command)
}
