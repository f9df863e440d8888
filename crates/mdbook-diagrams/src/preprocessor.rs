//! The mdBook glue: find every chapter's diagrams, draw them all in one run,
//! put the drawings in place.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::blocks::{self, Diagram};
use crate::chromium::Renderer;

/// The preprocessor's name: its table in `book.toml` is
/// `[preprocessor.diagrams]`.
pub const NAME: &str = "diagrams";

/// Set to `1` to make a build without Chromium or mermaid's script fail
/// instead of leaving the diagrams to the browser.
pub const REQUIRE_VAR: &str = "MDBOOK_DIAGRAMS_REQUIRE";

/// The preprocessor, for use through [`Preprocessor`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Diagrams;

impl Preprocessor for Diagrams {
    fn name(&self) -> &str {
        NAME
    }

    /// Replaces every `<pre class="mermaid">` block with its drawings.
    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let src = ctx.root.join(&ctx.config.book.src);
        let build = ctx.root.join(&ctx.config.build.build_dir);
        let cache = build.parent().unwrap_or(&ctx.root).join("diagrams");
        let required = std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1");
        draw_book(book, &src, &cache, required).map_err(Error::msg)
    }

    /// Only HTML shows drawings.
    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// Draws every diagram of `book` with `src/mermaid.min.js`, caching under
/// `cache`.
///
/// # Errors
/// A message naming each diagram that could not be drawn (chapter:line), or
/// why none can be when `required`.
pub fn draw_book(
    mut book: Book, src: &Path, cache: &Path, required: bool,
) -> std::result::Result<Book, String> {
    // Each chapter's diagrams, in the order both passes visit the chapters.
    let mut chapters: Vec<(PathBuf, Vec<Diagram>)> = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let path = chapter.source_path.clone().unwrap_or_default();
        chapters.push((path, blocks::find(&chapter.content)));
    });
    let found: Vec<(&PathBuf, &Diagram)> = chapters
        .iter()
        .flat_map(|(path, diagrams)| diagrams.iter().map(move |d| (path, d)))
        .collect();
    if found.is_empty() {
        return Ok(book);
    }
    let renderer = match Renderer::new(&src.join("mermaid.min.js"), cache) {
        Ok(renderer) => renderer,
        Err(why) if required => {
            return Err(format!(
                "{NAME}: cannot draw the book's diagrams: {}",
                why.0
            ));
        }
        Err(why) => {
            eprintln!(
                "{NAME}: {} diagram(s) left for the browser to draw: {}",
                found.len(),
                why.0
            );
            return Ok(book);
        }
    };
    let sources: Vec<String> = found.iter().map(|(_, d)| d.source_html.clone()).collect();
    let drawings = renderer.draw(&sources).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| match e.index {
                Some(i) => {
                    let (path, d) = found[i];
                    format!(
                        "{}:{}: mermaid cannot draw this diagram: {}",
                        src.join(path).display(),
                        d.line,
                        e.message
                    )
                }
                None => format!("{NAME}: {}", e.message),
            })
            .collect();
        lines.join("\n")
    })?;
    let mut drawings = drawings.into_iter();
    let mut diagrams = chapters.iter().map(|(_, d)| d);
    book.for_each_chapter_mut(|chapter| {
        let Some(diagrams) = diagrams.next() else {
            return;
        };
        let mut content = String::with_capacity(chapter.content.len());
        let mut at = 0;
        for (diagram, drawing) in diagrams.iter().zip(drawings.by_ref()) {
            content.push_str(&chapter.content[at..diagram.range.start]);
            content.push_str(&drawing.html());
            at = diagram.range.end;
        }
        content.push_str(&chapter.content[at..]);
        chapter.content = content;
    });
    Ok(book)
}
