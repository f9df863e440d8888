//! `mdbook-vault`: mdBook preprocessor protocol around [`mdbook_vault`].
//!
//! * `mdbook-vault supports <renderer>` exits 0 (every renderer is supported).
//! * `mdbook-vault` reads `[context, book]` as JSON on stdin and writes the
//!   rewritten book as JSON on stdout; on broken links or citations it writes
//!   every error to stderr and exits 1.

use mdbook_preprocessor::MDBOOK_VERSION;
use mdbook_vault::preprocessor;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, _renderer] if cmd == "supports" => ExitCode::SUCCESS,
        [] => preprocess(),
        _ => {
            eprintln!(
                "usage: mdbook-vault [supports <renderer>]  (JSON on stdin, as mdBook runs it)"
            );
            ExitCode::from(2)
        }
    }
}

fn preprocess() -> ExitCode {
    let (ctx, book) = match mdbook_preprocessor::parse_input(io::stdin().lock()) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("mdbook-vault: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    if ctx.mdbook_version != MDBOOK_VERSION {
        eprintln!(
            "mdbook-vault: warning: built for mdbook {MDBOOK_VERSION}, called by mdbook {}; \
             heading ids may differ",
            ctx.mdbook_version
        );
    }
    let table = match preprocessor::citation_table(&ctx) {
        Ok(table) => table,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match preprocessor::run_with(&ctx, book, table) {
        Ok(book) => {
            let mut stdout = io::stdout().lock();
            match serde_json::to_writer(&mut stdout, &book).map_err(io::Error::from) {
                Ok(()) => match stdout.flush() {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("mdbook-vault: {e}");
                        ExitCode::FAILURE
                    }
                },
                Err(e) => {
                    eprintln!("mdbook-vault: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "mdbook-vault: {} error(s); fix them to build the book",
                diagnostics.len()
            );
            ExitCode::FAILURE
        }
    }
}
