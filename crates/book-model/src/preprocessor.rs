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

/// Replaces the content of every chapter that has a source file with
/// `process(path, content)`, where `path` is the chapter's file relative to
/// the source directory (`source_path`, else `path`); keeps going after a
/// chapter fails, so one run reports every chapter's problems.
///
/// # Errors
/// The problems of every chapter that failed, in book order; the book is
/// then dropped.
pub fn process_chapters<D>(
    mut book: mdbook_preprocessor::book::Book,
    mut process: impl FnMut(&std::path::Path, &str) -> Result<String, Vec<D>>,
) -> Result<mdbook_preprocessor::book::Book, Vec<D>> {
    let mut problems = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let Some(path) = chapter.source_path.as_ref().or(chapter.path.as_ref()) else {
            return;
        };
        match process(path, &chapter.content) {
            Ok(content) => chapter.content = content,
            Err(mut found) => problems.append(&mut found),
        }
    });
    if problems.is_empty() {
        Ok(book)
    } else {
        Err(problems)
    }
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
        let d = |line| Diagnostic::new("book/a.md".as_ref(), line, "bad");
        let e = failure(&[d(3), d(9)]);
        assert_eq!(
            format!("{e:#}"),
            "book/a.md:3: bad\nbook/a.md:9: bad\n2 error(s); fix them to build the book"
        );
    }

    #[test]
    fn every_chapter_is_processed_and_every_failure_reported() {
        use mdbook_preprocessor::book::{Book, BookItem, Chapter};
        let chapter = |name: &str, text: &str| {
            BookItem::Chapter(Chapter::new(
                name,
                text.into(),
                format!("{name}.md"),
                vec![],
            ))
        };
        let book = Book::new_with_items(vec![
            chapter("a", "fine"),
            BookItem::Chapter(Chapter::new_draft("draft", vec![])),
            chapter("b", "bad"),
            chapter("c", "bad"),
        ]);
        let fail = |path: &std::path::Path, text: &str| match text {
            "bad" => Err(vec![path.display().to_string()]),
            _ => Ok(text.to_uppercase()),
        };
        let problems = process_chapters(book.clone(), fail).unwrap_err();
        assert_eq!(problems, ["b.md", "c.md"]);

        let book = Book::new_with_items(vec![chapter("a", "fine"), chapter("b", "also")]);
        let done = process_chapters(book, fail).unwrap();
        let texts: Vec<&str> = done
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(ch) => Some(ch.content.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["FINE", "ALSO"]);
    }
}
