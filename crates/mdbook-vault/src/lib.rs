//! `mdbook-vault`: the Buffer Scheduling book's mdBook preprocessor.
//!
//! It turns a vault of linked notes into an mdBook book:
//! 1. **Wiki links** `[[Page]]`, `[[Page#Heading]]`, `[[Page|alias]]`,
//!    `[[Page#Heading|alias]]` and `[[#Heading]]` become ordinary markdown
//!    links to the chapter titled `Page` (relative `.md` path) and to the
//!    exact id mdBook 0.5.4 gives `Heading` ([`ids`]). Link text is the alias,
//!    else `Page › Heading` (or `Page`, or `Heading`), escaped.
//! 2. **Broken links fail the build**: every missing page or heading is
//!    reported at once with file, line, the link as written and the closest
//!    existing target when one is similar enough ([`Diagnostic`],
//!    [`suggest`]). So is text written like a wiki link that the parser does
//!    not read as one, such as `[[Page|[text](url)]]` (an alias cannot hold
//!    a link: HTML links do not nest) or `[[Page|a\]]` (the `\]` escapes the
//!    first closing bracket, so the link never closes): these are errors,
//!    not rewritten, because any rewrite would guess what was meant.
//! 3. **Backlinks**: each chapter that others link to gets a final
//!    "Linked from" section ([`backlinks`]).
//! 4. **Citations** of Zig 0.15.1's standard library written as code spans,
//!    `` `Writer.zig:122-132` ``, become links to the cited lines; their
//!    symbols are extracted for checking ([`citation`]). With the recorded
//!    table of later releases (`citation-table` in `book.toml`), each link is
//!    followed by where the symbol lives in 0.16.0 and 0.17.1, and a
//!    citation the table lacks fails the build ([`versions`]).
//! 5. **Previews**: each chapter with wiki links carries, for each link,
//!    its target's title and first paragraph, which the site shows on hover
//!    and focus ([`previews`]).
//!
//! All of it works on pulldown-cmark events with source offsets: ranges are
//! found through events and replacements are spliced into the original text,
//! so every other byte of a chapter is kept. [`process()`] is a pure function
//! over plain data; [`preprocessor`] is the thin mdBook glue.
//!
//! # `book.toml`
//! ```toml
//! [preprocessor.vault]
//! command = "cargo run --quiet --package mdbook-vault --"
//! # Before `{{#include}}` expansion and mermaid; after README.md -> index.md,
//! # so that links to a README chapter name the page mdBook writes.
//! before = ["links", "mermaid"]
//! after = ["index"]
//! ```
//!
//! # How targets are matched
//! * A page is the chapter whose `SUMMARY.md` title equals the link's page
//!   part exactly (case-sensitive; runs of whitespace count as one space). Two
//!   chapters with that title make the link ambiguous, an error.
//! * A heading is matched by its rendered text: the link's heading part is
//!   rendered as mdBook renders a heading (smart punctuation included, so
//!   `Don't` finds `Don’t` and `--` finds `–`; inline code and emphasis
//!   reduced to their text) and compared exactly, whitespace collapsed. The
//!   first such heading of the page wins; `[[Page#Outer#Inner]]` picks the
//!   first `Inner` nested under an `Outer` heading.
//! * The id in the link is the one mdBook 0.5.4 assigns to that heading
//!   in the rewritten chapter, duplicates (`setup`, `setup-1`, …) included.
//!
//! # Limits
//! * Text that `{{#include}}` brings in later is not seen: wiki links there
//!   stay unresolved, and headings there shift the ids of same-named headings
//!   after them.
//! * `![[embeds]]` are reported as errors; headings written as raw HTML are
//!   not link targets (mdBook gives them no id either).

pub mod backlinks;
pub mod citation;
pub mod diagnostic;
pub mod ids;
pub mod markdown;
pub mod paths;
pub mod preprocessor;
pub mod previews;
pub mod suggest;
pub mod versions;
pub mod wikilink;

mod process;

pub use citation::{Citation, CitationScan, extract_citations};
pub use diagnostic::{Diagnostic, Problem};
pub use ids::{Heading, headings, id_from_content};
pub use markdown::MarkdownOptions;
pub use process::process;

use std::path::PathBuf;

/// One chapter of the book, as listed in `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// The chapter's path relative to the book's source directory, as links
    /// must name it (after mdBook's `index` preprocessor, `README.md` is
    /// `index.md`).
    pub path: PathBuf,
    /// The chapter's title in `SUMMARY.md`; wiki links name pages by it.
    pub name: String,
    /// The chapter's markdown.
    pub content: String,
    /// The file on disk, relative to the source directory, when it differs
    /// from `path` (a `README.md` renamed to `index.md`); used in diagnostics.
    pub source_path: Option<PathBuf>,
}

impl Chapter {
    /// A chapter whose file is `path`.
    pub fn new(
        path: impl Into<PathBuf>, name: impl Into<String>, content: impl Into<String>,
    ) -> Self {
        Chapter {
            path: path.into(),
            name: name.into(),
            content: content.into(),
            source_path: None,
        }
    }
}

/// How to process a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How mdBook's HTML renderer will parse the chapters (ids depend on it).
    pub markdown: MarkdownOptions,
    /// The book's source directory as the author sees it (`src` in
    /// `book.toml`, relative to the book root); prefixes chapter paths in
    /// diagnostics. Defaults to `book`.
    pub source_dir: PathBuf,
    /// Where each citation lives in later Zig releases
    /// ([`versions::TABLE_FILE`]). When set, every citation must have a row
    /// for every release the table covers (a missing one is an error), and
    /// each linked citation is followed by one element per release; when
    /// `None`, citations link to 0.15.1 only.
    pub citation_table: Option<versions::CitationTable>,
    /// Whether each chapter gets the previews of its links ([`previews`]).
    pub link_previews: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            markdown: MarkdownOptions::default(),
            source_dir: PathBuf::from("book"),
            citation_table: None,
            link_previews: false,
        }
    }
}

/// The result of [`process`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The rewritten markdown of each chapter, in the order given.
    pub chapters: Vec<String>,
    /// Every error found, ordered by chapter, then by position in the
    /// chapter (so by line). The book must not be built when this is
    /// non-empty.
    pub diagnostics: Vec<Diagnostic>,
}

impl Output {
    /// Whether no error was found.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }
}
