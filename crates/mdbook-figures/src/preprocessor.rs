//! The mdBook glue: book in, [`process_chapter`] on
//! every chapter, book out.

use crate::{Diagnostic, Figures, process_chapter};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The preprocessor's name: its table in `book.toml` is
/// `[preprocessor.figures]`.
pub const NAME: &str = "figures";

/// The directory under the book's source directory that holds the
/// recorded data.
pub const DATA_DIR: &str = "data";

/// The preprocessor, for use through [`Preprocessor`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FiguresPreprocessor;

impl Preprocessor for FiguresPreprocessor {
    fn name(&self) -> &str {
        NAME
    }

    /// Replaces every directive; on errors, fails with all of them, one a
    /// line.
    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        run(ctx, book).map_err(|diagnostics| book_model::preprocessor::failure(&diagnostics))
    }

    /// Every renderer: a figure is text.
    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// Loads the figures (`<src>/data/*.json` and the counts of the book's
/// chapters) and processes every chapter of `book`; diagnostics name
/// chapters by their path with `book.src` (e.g. `book/measurements.md`).
///
/// # Errors
/// Data that cannot be read, and every diagnostic of every chapter.
pub fn run(
    ctx: &PreprocessorContext, mut book: Book,
) -> std::result::Result<Book, Vec<Diagnostic>> {
    let src = ctx.config.book.src.clone();
    let mut chapters = Vec::new();
    book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item
            && ch.path.is_some()
        {
            chapters.push(ch.content.clone());
        }
    });
    let texts: Vec<&str> = chapters.iter().map(String::as_str).collect();
    let figures = Figures::load(&ctx.root.join(&src).join(DATA_DIR), &texts)
        .map_err(|e| vec![Diagnostic::new(&src.join(DATA_DIR), 0, e)])?;
    book_model::preprocessor::process_chapters(book, |path, content| {
        let depth = path.components().count().saturating_sub(1);
        process_chapter(&src.join(path), content, &figures, depth)
    })
}
