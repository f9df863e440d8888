//! `cargo xtask <command>`: set-up, serve, build and test the book.
//!
//! The alias in `.cargo/config.toml` runs this crate from the repository
//! root. Every command says which step failed; see `cargo xtask help`.

mod bench;
mod book;
mod browser_tools;
mod checks;
mod cmd;
mod lab;
mod site;
mod stats;
mod tools;
mod workspace;

use std::process::ExitCode;

use cmd::Error;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup        install the pinned mdbook and mdbook-mermaid if missing or of
               another version, generate mermaid's JavaScript files, and
               build the buffer lab's WebAssembly engines into book/lab/
  serve        setup, then serve the book at http://127.0.0.1:3000
  build        setup, then build the book into target/book
  mdbook-test  setup, then run `mdbook test` against a clean build of the
               crates the snippets use
  test         setup, then run every check: fmt, clippy, cargo test (skeptic,
               copy and output checks, browser tests), mdbook build, mdbook test
  site         setup, then build the static site into target/site, ready to
               copy to any static host (`--out DIR`, `--site-url /path/`)
  bench        measure zigio, std's BufWriter and Zig 0.15.1 side by side and
               regenerate book/measurements.md (`--quick`, `--only ID,..`,
               `--rounds N`; `--render` only regenerates the page); a full run
               refuses a working tree with uncommitted changes unless
               `--allow-dirty`
  stats        words of prose and code blocks by language, per chapter
               (`--rev REV`: the book at a git revision)
  help         print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::setup(),
        Some("serve") => tools::setup().and_then(|()| book::serve()),
        Some("build") => tools::setup().and_then(|()| book::build()),
        Some("mdbook-test") => tools::setup().and_then(|()| book::mdbook_test()),
        Some("test") => checks::test_all(),
        Some("site") => tools::setup().and_then(|()| site::site(&args[1..])),
        Some("bench") => bench::bench(&args[1..]),
        Some("stats") => stats::stats(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Error::usage(format!(
            "unknown command `{other}`\n\n{USAGE}"
        ))),
        None => Err(Error::usage(USAGE.to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
