//! The mdBook glue: book in, [`process`](crate::process()), book out.

use crate::{Chapter, Diagnostic, MarkdownOptions, Options, process};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::HashMap;
use std::path::PathBuf;

/// The preprocessor's name: its table in `book.toml` is `[preprocessor.vault]`.
pub const NAME: &str = "vault";

/// The preprocessor, for use through [`Preprocessor`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Vault;

impl Preprocessor for Vault {
    fn name(&self) -> &str {
        NAME
    }

    /// Rewrites the book; on errors, fails with all diagnostics, one a line.
    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        if ctx.mdbook_version != mdbook_preprocessor::MDBOOK_VERSION {
            eprintln!(
                "mdbook-vault: warning: built for mdbook {}, called by mdbook {}; \
                 heading ids may differ",
                mdbook_preprocessor::MDBOOK_VERSION,
                ctx.mdbook_version
            );
        }
        let table = citation_table(ctx).map_err(Error::msg)?;
        run_with(ctx, book, table)
            .map_err(|diagnostics| book_model::preprocessor::failure(&diagnostics))
    }

    /// Every renderer is supported: the output is plain markdown.
    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// The options mdBook's HTML renderer will use for this book:
/// `output.html.smart-punctuation`, `definition-lists` and `admonitions`
/// (each `true` unless set otherwise), `book.src` as the source directory
/// named in diagnostics, and whether to write link previews.
pub fn options(ctx: &PreprocessorContext) -> Options {
    Options {
        markdown: MarkdownOptions::from_context(ctx),
        source_dir: ctx.config.book.src.clone(),
        citation_table: None,
        link_previews: ctx
            .config
            .get::<bool>(LINK_PREVIEWS_KEY)
            .ok()
            .flatten()
            .unwrap_or(false),
    }
}

/// The key of `[preprocessor.vault]` that turns on link previews
/// ([`crate::previews`]); off unless set to `true`.
pub const LINK_PREVIEWS_KEY: &str = "preprocessor.vault.link-previews";

/// The key of `[preprocessor.vault]` naming the table of later releases,
/// relative to the book's source directory (the book uses
/// [`crate::versions::TABLE_FILE`]).
pub const CITATION_TABLE_KEY: &str = "preprocessor.vault.citation-table";

/// Reads the table `book.toml` names, if it names one.
///
/// # Errors
/// The file cannot be read or is malformed: one diagnostic naming it.
pub fn citation_table(
    ctx: &PreprocessorContext,
) -> std::result::Result<Option<crate::versions::CitationTable>, String> {
    let Some(rel) = ctx.config.get::<String>(CITATION_TABLE_KEY).ok().flatten() else {
        return Ok(None);
    };
    let shown = ctx.config.book.src.join(&rel);
    let path = ctx.root.join(&shown);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read the citation table: {e}", shown.display()))?;
    crate::versions::CitationTable::parse(&text)
        .map(Some)
        .map_err(|e| format!("{}: {e}", shown.display()))
}

/// Processes every non-draft chapter of `book` (in `SUMMARY.md` order) and
/// returns the rewritten book.
///
/// # Errors
/// Every [`Diagnostic`] found, when there is at least one; the book is then
/// not to be rendered.
pub fn run(ctx: &PreprocessorContext, book: Book) -> std::result::Result<Book, Vec<Diagnostic>> {
    run_with(ctx, book, None)
}

/// [`run`] with the table of later releases ([`citation_table`]).
///
/// # Errors
/// As [`run`], including citations missing from `table`.
pub fn run_with(
    ctx: &PreprocessorContext, mut book: Book, table: Option<crate::versions::CitationTable>,
) -> std::result::Result<Book, Vec<Diagnostic>> {
    let chapters: Vec<Chapter> = book
        .chapters()
        .filter_map(|ch| {
            let path = ch.path.clone()?;
            Some(Chapter {
                source_path: ch.source_path.clone().filter(|s| *s != path),
                path,
                name: ch.name.clone(),
                content: ch.content.clone(),
            })
        })
        .collect();
    let options = Options {
        citation_table: table,
        ..options(ctx)
    };
    let output = process(&chapters, &options);
    if !output.is_ok() {
        return Err(output.diagnostics);
    }
    let mut rewritten: HashMap<PathBuf, String> = chapters
        .into_iter()
        .map(|c| c.path)
        .zip(output.chapters)
        .collect();
    book.for_each_chapter_mut(|ch| {
        if let Some(content) = ch.path.as_ref().and_then(|p| rewritten.remove(p)) {
            ch.content = content;
        }
    });
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::{BookItem, Chapter as BookChapter};
    use mdbook_preprocessor::config::Config;
    use std::str::FromStr;

    fn ctx(toml: &str) -> PreprocessorContext {
        let config = Config::from_str(toml).unwrap();
        PreprocessorContext::new(PathBuf::from("/book"), config, "html".into())
    }

    #[test]
    fn options_follow_book_toml() {
        let defaults = options(&ctx("[book]\nsrc = \"book\"\n"));
        assert_eq!(defaults.markdown, MarkdownOptions::default());
        assert_eq!(defaults.source_dir, PathBuf::from("book"));
        let off = options(&ctx(
            "[output.html]\nsmart-punctuation = false\ndefinition-lists = false\n",
        ));
        assert!(!off.markdown.smart_punctuation && !off.markdown.definition_lists);
        assert!(off.markdown.admonitions);
        assert_eq!(off.source_dir, PathBuf::from("src"));
    }

    #[test]
    fn run_rewrites_nested_chapters_and_skips_drafts() {
        let mut parent =
            BookChapter::new("A", "# A\n\n[[B#Two -- Three]]\n".into(), "a.md", vec![]);
        parent.sub_items.push(BookItem::Chapter(BookChapter::new(
            "B",
            "# B\n\n## Two -- Three\n".into(),
            "sub/b.md",
            vec!["A".into()],
        )));
        let mut book = Book::new();
        book.push_item(parent);
        book.push_item(BookItem::Chapter(BookChapter::new_draft("Draft", vec![])));
        let book = run(&ctx(""), book).unwrap();
        let contents: Vec<_> = book.chapters().map(|c| c.content.clone()).collect();
        assert_eq!(
            contents,
            vec![
                "# A\n\n[B › Two -- Three](sub/b.md#two--three)\n".to_string(),
                "# B\n\n## Two -- Three\n\n## Linked from {#linked-from}\n\n- [A](../a.md)\n"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn run_returns_every_diagnostic() {
        let mut book = Book::new();
        book.push_item(BookChapter::new(
            "A",
            "[[X]] [[Y]]\n".into(),
            "a.md",
            vec![],
        ));
        let err = run(&ctx("[book]\nsrc = \"book\"\n"), book.clone()).unwrap_err();
        let lines: Vec<_> = err.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("book/a.md:1: broken wiki link"));
        let message = Vault.run(&ctx(""), book).unwrap_err().to_string();
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.len(), 3, "{message}");
        assert_eq!(lines[2], "2 error(s); fix them to build the book");
    }
}
