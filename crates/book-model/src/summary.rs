//! The chapter list of a book, read from its `SUMMARY.md` as mdBook reads
//! it: the tests' build script (which hands the chapters to skeptic), the
//! tests that check them and `cargo xtask stats` all see the same chapters.

use std::path::PathBuf;

use crate::LineIndex;
use pulldown_cmark::{Event, Parser, Tag};

/// One chapter named by a link in `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterLink {
    /// The chapter's file, relative to the book's source directory.
    pub path: PathBuf,
    /// The 1-based line of `SUMMARY.md` that links to it.
    pub line: usize,
}

/// Returns the chapters that `summary` (the text of a `SUMMARY.md`) links to,
/// in order.
///
/// mdBook builds its table of contents from the links in `SUMMARY.md`
/// (prefix chapters, numbered list items and suffix chapters alike), so every
/// link with a destination is a chapter. Draft chapters (`[Title]()`) have no
/// file and are skipped.
pub fn chapter_links(summary: &str) -> Vec<ChapterLink> {
    let mut links = Vec::new();
    let lines = LineIndex::new(summary);
    for (event, range) in Parser::new(summary).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            let dest = dest_url.trim();
            if dest.is_empty() {
                continue;
            }
            // `./intro.md` and `intro.md` name the same file; a fragment
            // would not be a chapter of its own.
            let dest = dest.split('#').next().unwrap_or(dest);
            let dest = dest.strip_prefix("./").unwrap_or(dest);
            links.push(ChapterLink {
                path: PathBuf::from(dest),
                line: lines.line(range.start),
            });
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_numbered_and_suffix_chapters_are_listed_in_order_with_lines() {
        let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Part\n\n- [One](./one.md)\n  - [Nested](dir/nested.md)\n- [Draft]()\n\n---\n\n[Appendix](appendix.md)\n";
        let links = chapter_links(summary);
        let got: Vec<_> = links
            .iter()
            .map(|l| (l.path.to_str().unwrap(), l.line))
            .collect();
        assert_eq!(
            got,
            [
                ("introduction.md", 3),
                ("one.md", 7),
                ("dir/nested.md", 8),
                ("appendix.md", 13)
            ]
        );
    }
}
