//! `cargo xtask test`: every check of the repository, in one command.
//!
//! The site is built once, into `target/site` as `cargo xtask site` builds
//! it, and the browser tests check that directory: what passed is what the
//! Pages workflow deploys.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::cmd::{self, Error, Result};
use crate::{book, browser_tools, site, tools, workspace};

/// One check: its name and how to run it.
type Check = (&'static str, fn() -> Result);

/// The directory the site is built into and tested in.
const SITE_DIR: &str = "target/site";

/// The checks, cheapest first. The copy and output checks of the snippets
/// and skeptic's tests are part of `cargo test` (package `book-tests`), and
/// so are the browser tests of the site the step before built.
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
    ("build the site", build_site),
    ("cargo test", cargo_test),
    // The crate's features are its users' choice: the core alone (no
    // `os`, no `digest`) must build and pass too.
    ("zigio without default features", || {
        cargo_step(
            "zigio without default features",
            &["test", "--package", "zigio", "--no-default-features"],
        )
    }),
    ("mdbook test", book::mdbook_test),
];

/// Whether this run built the site (a directory left by an earlier run
/// must not be tested in its place).
static SITE_BUILT: AtomicBool = AtomicBool::new(false);

fn build_site() -> Result {
    site::site(&["--out".to_string(), SITE_DIR.to_string()])?;
    SITE_BUILT.store(true, Ordering::SeqCst);
    Ok(())
}

/// `cargo test --workspace`, its browser tests on the site in [`SITE_DIR`]
/// when the step before built it (otherwise they build their own, and
/// report the build's failure themselves).
fn cargo_test() -> Result {
    let mut command = cmd::command(workspace::cargo());
    command.args(["test", "--workspace"]);
    if SITE_BUILT.load(Ordering::SeqCst) {
        command.env("BOOK_SITE_DIR", workspace::root().join(SITE_DIR));
    }
    cmd::run("cargo test", &mut command)
}

fn cargo_step(step: &str, args: &[&str]) -> Result {
    cmd::run(step, cmd::command(workspace::cargo()).args(args))
}

/// Runs set-up, then every check. A failing check does not stop the others,
/// so one run shows everything that is wrong; the summary names each failure.
pub(crate) fn test_all() -> Result {
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
