//! `cargo xtask test`: every check of the repository, in one command.

use std::time::Instant;

use crate::cmd::{self, Error, Result};
use crate::{book, browser_tools, tools, workspace};

/// One check: its name and how to run it.
type Check = (&'static str, fn() -> Result);

/// The checks, cheapest first. The copy and output checks of the snippets
/// and skeptic's tests are part of `cargo test` (package `book-tests`).
const CHECKS: &[Check] = &[
    ("cargo fmt --check", || {
        cargo_step("cargo fmt --check", &["fmt", "--all", "--check"])
    }),
    ("cargo clippy", || {
        cargo_step(
            "cargo clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )
    }),
    ("cargo test", || {
        cargo_step("cargo test", &["test", "--workspace"])
    }),
    ("mdbook build", book::build),
    ("mdbook test", book::mdbook_test),
];

fn cargo_step(step: &str, args: &[&str]) -> Result {
    cmd::run(step, cmd::command(workspace::cargo()).args(args))
}

/// Runs set-up, then every check. A failing check does not stop the others,
/// so one run shows everything that is wrong; the summary names each failure.
pub fn test_all() -> Result {
    tools::setup()?;
    browser_tools::install()?;
    let mut failed = Vec::new();
    let mut summary = String::new();
    for (name, check) in CHECKS {
        let started = Instant::now();
        let result = check();
        let seconds = started.elapsed().as_secs_f64();
        let verdict = match &result {
            Ok(()) => "ok",
            Err(_) => "FAILED",
        };
        summary.push_str(&format!("  {verdict:<6} {seconds:>7.1} s  {name}\n"));
        if let Err(error) = result {
            eprintln!("xtask: {error}");
            failed.push(*name);
        }
    }
    eprintln!("\nxtask: summary\n{summary}");
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::step(
            "test",
            format!("failed: {}", failed.join(", ")),
        ))
    }
}
