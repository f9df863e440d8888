//! Errors found while processing the book. Every one of them fails the build.

use std::fmt;
use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A wiki link names a page that no chapter has as its title.
    MissingPage,
    /// A wiki link names a page that several chapters have as their title.
    AmbiguousPage,
    /// A wiki link names a heading that its page does not have.
    MissingHeading,
    /// `[[` … `]]` that the parser does not read as a wiki link, e.g. with a
    /// link in the alias (`[[Page|[text](url)]]`) or the first closing
    /// bracket escaped (`[[Page|a\]]`); left alone it would show as text.
    MalformedWikiLink,
    /// `![[...]]`: Obsidian embeds are not supported.
    UnsupportedEmbed,
    /// A citation names a file outside the known standard-library files.
    UnknownZigFile,
    /// A citation's line range is not `A` or `A-B` with positive numbers.
    MalformedRange,
    /// A citation's range ends before it starts.
    ReversedRange,
    /// A citation has no row in the recorded table of later releases for
    /// the versions listed (`book/data/zig-citations.tsv`).
    UnrecordedCitation(Vec<String>),
    /// The "Linked from" section could not be appended, because the chapter
    /// ends inside a block that swallows it (e.g. an unclosed code fence).
    BacklinksNotAppended,
}

impl Problem {
    fn describe(&self) -> String {
        if let Problem::UnrecordedCitation(versions) = self {
            return format!(
                "citation missing from the table of later Zig releases for {} \
                 (regenerate it: BOOK_RECORD=1 cargo test -p book-tests --test zig citations)",
                versions.join(", ")
            );
        }
        self.describe_fixed().to_string()
    }

    fn describe_fixed(&self) -> &'static str {
        match self {
            Problem::MissingPage => "broken wiki link: no chapter has this title",
            Problem::AmbiguousPage => "ambiguous wiki link: several chapters have this title",
            Problem::MissingHeading => "broken wiki link: the page has no such heading",
            Problem::MalformedWikiLink => {
                "malformed wiki link: not read as a link (an alias cannot hold a link, \
                 and `\\]` escapes a closing bracket)"
            }
            Problem::UnsupportedEmbed => "unsupported embed: write a markdown image or a link",
            Problem::UnknownZigFile => "citation of an unknown Zig std file",
            Problem::MalformedRange => "citation with a malformed line range (want A or A-B)",
            Problem::ReversedRange => "citation whose line range ends before it starts",
            Problem::UnrecordedCitation(_) => {
                "citation missing from the table of later Zig releases"
            }
            Problem::BacklinksNotAppended => {
                "cannot append the \"Linked from\" section: the chapter ends inside an open block"
            }
        }
    }
}

/// One error, located in a chapter's source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The chapter's file as the author knows it, e.g. `book/notes/x.md`.
    pub file: PathBuf,
    /// 1-based line in that file.
    pub line: usize,
    /// The offending link or citation as written, e.g. `[[Page#Heading]]`,
    /// `[[#|x]]` or `` `Writer.zig:9-3` ``; a line break inside a link shows
    /// as one space ([`crate::wikilink::as_written`]).
    pub target: String,
    /// What is wrong.
    pub problem: Problem,
    /// The closest existing page, heading or file, written the way the target
    /// should be written (e.g. `[[Page#Heading]]`), when there is one.
    pub suggestion: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `book/x.md:12: broken wiki link: ...: [[Pgae]] (did you mean [[Page]]?)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.problem.describe(),
            self.target
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean {s}?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}
