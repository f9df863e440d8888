//! `mdbook-figures`: the mdBook preprocessor protocol around [`mdbook_figures`].
//!
//! * `mdbook-figures supports <renderer>` exits 0 (every renderer is supported).
//! * `mdbook-figures` reads `[context, book]` as JSON on stdin and writes the
//!   book with its figures written as JSON on stdout; on bad directives or missing names it writes
//!   every error (chapter:line: message) to stderr and exits 1.

use mdbook_figures::preprocessor;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, _renderer] if cmd == "supports" => ExitCode::SUCCESS,
        [] => preprocess(),
        _ => {
            eprintln!(
                "usage: mdbook-figures [supports <renderer>]  (JSON on stdin, as mdBook runs it)"
            );
            ExitCode::from(2)
        }
    }
}

fn preprocess() -> ExitCode {
    let (ctx, book) = match mdbook_preprocessor::parse_input(io::stdin().lock()) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("mdbook-figures: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    match preprocessor::run(&ctx, book) {
        Ok(book) => {
            let mut stdout = io::stdout().lock();
            let written = serde_json::to_writer(&mut stdout, &book)
                .map_err(io::Error::from)
                .and_then(|()| stdout.flush());
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("mdbook-figures: writing the book: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "mdbook-figures: {} error(s); fix them to build the book",
                diagnostics.len()
            );
            ExitCode::FAILURE
        }
    }
}
