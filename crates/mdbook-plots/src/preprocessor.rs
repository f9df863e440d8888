//! The mdBook glue: book in, [`process_chapter`](crate::process_chapter) on
//! every chapter, book out.

use crate::{Diagnostic, process_chapter};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The preprocessor's name: its table in `book.toml` is
/// `[preprocessor.zigio-plots]`.
pub const NAME: &str = "zigio-plots";

/// The preprocessor, for use through [`Preprocessor`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Plots;

impl Preprocessor for Plots {
    fn name(&self) -> &str {
        NAME
    }

    /// Replaces every directive; on errors, fails with all of them, one a
    /// line.
    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        run(ctx, book).map_err(|diagnostics| book_model::preprocessor::failure(&diagnostics))
    }

    /// Every renderer: the figure is HTML inside Markdown.
    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// Processes every chapter of `book`; diagnostics name chapters by their
/// path under `book.src` (e.g. `book/buffer-scheduling.md`).
///
/// # Errors
/// Every diagnostic of every chapter.
pub fn run(ctx: &PreprocessorContext, book: Book) -> std::result::Result<Book, Vec<Diagnostic>> {
    let src = &ctx.config.book.src;
    book_model::preprocessor::process_chapters(book, |path, content| {
        process_chapter(&src.join(path), content)
    })
}
