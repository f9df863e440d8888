//! An mdBook preprocessor that writes the book's figures from recorded data,
//! and a scanner that finds figures typed by hand.
//!
//! In a chapter,
//!
//! ```text
//! zigio takes {{#figure bench.small-null.zigio/write:std/write.time}} of BufWriter's time.
//! ```
//!
//! becomes the number the last recorded run measured, formatted (`0.996`).
//! A rerun of the benchmark updates the sentence; a name that the data no
//! longer has fails the build, naming the chapter, the line and the closest
//! names.
//!
//! # Names
//! * From `book/data/measurements.json` (`cargo xtask bench`), for workload
//!   id `W` and case ids `C`, `N`, `D`: `bench.W.C.ms` (median time in ms),
//!   `bench.W.C.mbps`, `bench.W.C.calls` (every system call),
//!   `bench.W.C.calls.SYSCALL`; `bench.W.N:D.time` and
//!   `bench.W.N:D.syscalls` (the median ratio of `N` over `D`), each with
//!   `.min` and `.max` (the range over the rounds) and `.target`;
//!   `bench.rounds`; from the drain sweep, for target `T` (`null`, `pipe`)
//!   and record size `S`: `bench.drain.T.S` (top-up / vectored) and
//!   `bench.drain.T.largest-top-up-win` (bytes). See [`data`].
//! * From any other `book/data/NAME.json`: `NAME.` and the object keys
//!   joined with `.`, arrays by index, numbers only.
//! * Counted from the chapters at build time: `book.chapters`,
//!   `book.citations`, `book.rust-snippets`, `book.zig-snippets`, `book.zig-ports`,
//!   `book.words` (see [`data::count_book`]).
//!
//! # Options
//! `{{#figure NAME digits=1 link}}`: `digits=N` (decimals; by default
//! ratios 3, milliseconds 2, counts 0 with thousands separated by commas),
//! `inverse` (`1/x`), `percent` (`100x`), `over` (`100(x-1)`), `link` (the
//! number links to the table it comes from). See [`directive`].
//!
//! # Typed figures
//! [`scan::typed_figures`] finds numbers in prose that look measured and do
//! not come from a directive; the test `typed_figures` of this crate runs
//! it on every chapter.
//!
//! # Configuration
//! ```toml
//! [preprocessor.figures]
//! command = "cargo run --quiet --package mdbook-figures --"
//! ```

pub mod data;
pub mod directive;
pub mod preprocessor;
pub mod scan;

pub use data::{Figure, Figures, Kind};

use std::path::Path;

pub use book_model::Diagnostic;

/// Replaces every directive of one chapter by its number.
///
/// `file` names the chapter in diagnostics; `page_depth` is how many
/// directories it is below the book's source directory.
///
/// # Errors
/// Every malformed directive and every missing name, each at its line.
///
/// # Examples
/// ```
/// use mdbook_figures::{Figure, Figures, Kind, process_chapter};
/// let mut figures = Figures::default();
/// let table = None;
/// figures.insert("book.chapters".into(), Figure { value: 14.0, kind: Kind::Count, table }).unwrap();
/// let out = process_chapter("book/a.md".as_ref(), "{{#figure book.chapters}} chapters", &figures, 0);
/// assert_eq!(out.unwrap(), "14 chapters");
/// let err = process_chapter("book/a.md".as_ref(), "\n{{#figure book.chapter}}", &figures, 0);
/// assert!(err.unwrap_err()[0].to_string().starts_with("book/a.md:2: no figure named `book.chapter`"));
/// ```
pub fn process_chapter(
    file: &Path, markdown: &str, figures: &Figures, page_depth: usize,
) -> Result<String, Vec<Diagnostic>> {
    directive::expand(markdown, figures, page_depth).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| Diagnostic::new(file, e.line, e.message))
            .collect()
    })
}
