//! `mdbook-plots`: the mdBook preprocessor protocol around [`mdbook_plots`].
//!
//! * `mdbook-plots supports <renderer>` exits 0 (every renderer is supported).
//! * `mdbook-plots` reads `[context, book]` as JSON on stdin and writes the
//!   book with its plots drawn as JSON on stdout; on bad directives it writes
//!   every error (chapter:line: message) to stderr and exits 1.

use mdbook_plots::preprocessor;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, _renderer] if cmd == "supports" => ExitCode::SUCCESS,
        [] => preprocess(),
        _ => {
            eprintln!(
                "usage: mdbook-plots [supports <renderer>]  (JSON on stdin, as mdBook runs it)"
            );
            ExitCode::from(2)
        }
    }
}

fn preprocess() -> ExitCode {
    let (ctx, book) = match mdbook_preprocessor::parse_input(io::stdin().lock()) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("mdbook-plots: {e:#}");
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
                    eprintln!("mdbook-plots: writing the book: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "mdbook-plots: {} error(s); fix them to build the book",
                diagnostics.len()
            );
            ExitCode::FAILURE
        }
    }
}
