//! The preprocessor command, as mdBook runs it: `NAME supports RENDERER`,
//! or `[context, book]` as JSON on standard input and the processed book as
//! JSON on standard output.

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

use mdbook_preprocessor::Preprocessor;
use mdbook_preprocessor::errors::Error;

/// The whole `main` of a preprocessor binary called `command`: answers
/// `supports RENDERER` with [`Preprocessor::supports_renderer`] (exit 0 or
/// 1), and otherwise runs [`Preprocessor::run`] on the book mdBook sends.
/// Errors go to standard error, prefixed with `command`, and exit 1; a bad
/// command line exits 2.
pub fn main(command: &str, preprocessor: &dyn Preprocessor) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, renderer] if cmd == "supports" => match preprocessor.supports_renderer(renderer) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("{command}: {e:#}");
                ExitCode::FAILURE
            }
        },
        [] => match preprocess(preprocessor) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{command}: {e:#}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: {command} [supports <renderer>]  (JSON on stdin, as mdBook runs it)");
            ExitCode::from(2)
        }
    }
}

fn preprocess(preprocessor: &dyn Preprocessor) -> Result<(), Error> {
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin().lock())?;
    let book = preprocessor.run(&ctx, book)?;
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)
        .map_err(io::Error::from)
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::msg(format!("writing the book: {e}")))
}

/// The error of a run that found `problems`: one a line, then their count,
/// as mdBook shows a failed preprocessor.
pub fn failure<D: Display>(problems: &[D]) -> Error {
    let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.push(format!(
        "{} error(s); fix them to build the book",
        problems.len()
    ));
    Error::msg(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diagnostic;

    #[test]
    fn a_failure_lists_every_problem_and_counts_them() {
        let d = |line| Diagnostic {
            file: "book/a.md".into(),
            line,
            message: "bad".into(),
        };
        let e = failure(&[d(3), d(9)]);
        assert_eq!(
            format!("{e:#}"),
            "book/a.md:3: bad\nbook/a.md:9: bad\n2 error(s); fix them to build the book"
        );
    }
}
