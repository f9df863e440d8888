//! `mdbook-diagrams`: the mdBook preprocessor protocol around
//! [`mdbook_diagrams`]: `supports <renderer>`, or `[context, book]` as JSON
//! on stdin and the book with its diagrams drawn on stdout.

use std::io::{self, Write};
use std::process::ExitCode;

use mdbook_diagrams::preprocessor::Diagrams;
use mdbook_preprocessor::Preprocessor;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, renderer] if cmd == "supports" => {
            return match Diagrams.supports_renderer(renderer) {
                Ok(true) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            };
        }
        [] => preprocess(),
        _ => Err(
            "usage: mdbook-diagrams [supports <renderer>]  (JSON on stdin, as mdBook runs it)"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn preprocess() -> Result<(), String> {
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin().lock())
        .map_err(|e| format!("mdbook-diagrams: {e:#}"))?;
    let book = Diagrams.run(&ctx, book).map_err(|e| format!("{e:#}"))?;
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)
        .map_err(io::Error::from)
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("mdbook-diagrams: writing the book: {e}"))
}
