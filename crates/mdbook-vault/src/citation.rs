//! Zig standard-library citations: inline code spans such as
//! `` `Writer.zig:122-132` `` or `` `Reader.zig:171` ``.
//!
//! # Syntax
//! A code span is a citation when its whole content is `FILE.zig:LINES` or
//! `FILE.zig:LINES SYMBOL`, and `FILE.zig` is one of [`STD_FILES`]:
//! * `FILE` is made of ASCII letters, digits, `_`, `.`, `/` and `-`;
//! * `LINES` is `A` or `A-B` with `1 <= A <= B`;
//! * `SYMBOL`, if present, is one word (no whitespace) after one space.
//!
//! Anything else is ordinary code and left alone: compiler messages
//! (`` `src/main.zig:3:5: error: expected type 'u8'` ``), positions with a
//! column (`` `Writer.zig:122:5` ``), files of the book's own programs
//! (`` `src/main.zig:12` ``), a range followed by several words.
//!
//! Two kinds of near misses are reported as errors instead, because they
//! are almost certainly a citation written wrong:
//! * the shape is right but the file is not in [`STD_FILES`] while its
//!   name is a likely misspelling of one: the same last path component
//!   ignoring case (`Server.zig` for `http/Server.zig`, `writer.zig`), or
//!   within one edit in four characters (`Witer.zig`);
//! * the file is a std file and `LINES` is made of digits and `-` only but
//!   is not a valid range (`0`, `1-`, `1--2`, a number beyond `u32`, or
//!   `B < A`).
//!
//! # The symbol a citation names
//! * Explicit: the words after the range, `` `Writer.zig:122-132 fixed` ``.
//! * Inferred: otherwise the nearest preceding code span in the same block
//!   (paragraph, heading, list item, table row, definition term or
//!   definition) that is not itself citation-shaped, as in
//!   `` `fixed` (`Writer.zig:122-132`) ``.
//!
//! # Links
//! Citations outside links, images and headings become links to
//! [`STD_SOURCE_URL`]; the code span stays the link text. Citations inside
//! headings are found and checked but not linked (mdBook already wraps a
//! heading in a link).

use crate::markdown::{Edit, LineIndex, MarkdownOptions};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// The Zig release whose standard library the book cites.
pub const ZIG_VERSION: &str = "0.15.1";

/// Base URL of `lib/std` at the [`ZIG_VERSION`] tag; a citation's URL is this
/// plus its standard-library path plus `#L<a>-L<b>` (or `#L<a>`).
pub const STD_SOURCE_URL: &str = "https://github.com/ziglang/zig/blob/0.15.1/lib/std/";

/// File names a citation may use, and the path under `lib/std` each means.
pub const STD_FILES: &[(&str, &str)] = &[
    ("Writer.zig", "Io/Writer.zig"),
    ("Io/Writer.zig", "Io/Writer.zig"),
    ("Reader.zig", "Io/Reader.zig"),
    ("Io/Reader.zig", "Io/Reader.zig"),
    ("File.zig", "fs/File.zig"),
    ("fs/File.zig", "fs/File.zig"),
    ("Io.zig", "Io.zig"),
    ("http.zig", "http.zig"),
    ("http/Server.zig", "http/Server.zig"),
    ("http/Client.zig", "http/Client.zig"),
    ("tar/Writer.zig", "tar/Writer.zig"),
    ("array_list.zig", "array_list.zig"),
    ("c.zig", "c.zig"),
    ("std.zig", "std.zig"),
    ("Thread.zig", "Thread.zig"),
    ("heap/arena_allocator.zig", "heap/arena_allocator.zig"),
    (
        "heap/FixedBufferAllocator.zig",
        "heap/FixedBufferAllocator.zig",
    ),
    ("os/linux/x86_64.zig", "os/linux/x86_64.zig"),
];

/// The `lib/std` path that a citation's file name stands for, if known.
pub fn std_path(file: &str) -> Option<&'static str> {
    STD_FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, path)| *path)
}

/// The name a code span stands for: `w.consume(n)` → `consume`,
/// `std.Io.Writer.fixed` → `fixed`, `end: usize` → `end`, `@fieldParentPtr`
/// → `fieldParentPtr`. `None` if what is left is not an identifier, so that
/// a code span such as `"Hello"` or `0` names no symbol.
pub fn identifier(span: &str) -> Option<String> {
    let s = span.trim().trim_start_matches(['@', '.', '*', '&']);
    let s = s
        .split(['(', ' ', ':', '=', '[', '{', ',', '<', ';'])
        .next()
        .unwrap_or("");
    let s = s.rsplit('.').next().unwrap_or("");
    let mut chars = s.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| s.to_string())
}

/// A well-formed citation found in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The code span's content, e.g. `Writer.zig:122-132`.
    pub text: String,
    /// The file as written, e.g. `Writer.zig`.
    pub file: String,
    /// Its path under `lib/std`, e.g. `Io/Writer.zig`.
    pub std_path: &'static str,
    /// First cited line (1-based, inclusive).
    pub first_line: u32,
    /// Last cited line (inclusive); equals `first_line` for `FILE:A`.
    pub last_line: u32,
    /// The symbol the citation names, if any (see the module docs).
    pub symbol: Option<String>,
    /// Whether `symbol` was written in the citation itself.
    pub symbol_explicit: bool,
    /// 1-based line of the chapter on which the code span starts.
    pub line: usize,
    /// Byte range of the code span (backticks included) in the chapter.
    pub range: Range<usize>,
}

impl Citation {
    /// The URL of the cited lines at the [`ZIG_VERSION`] tag.
    pub fn url(&self) -> String {
        if self.first_line == self.last_line {
            format!("{STD_SOURCE_URL}{}#L{}", self.std_path, self.first_line)
        } else {
            format!(
                "{STD_SOURCE_URL}{}#L{}-L{}",
                self.std_path, self.first_line, self.last_line
            )
        }
    }
}

/// What is wrong with a citation-shaped code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitationProblem {
    /// The file is not in [`STD_FILES`]; `suggestion` is the closest known name.
    UnknownFile {
        /// The file as written.
        file: String,
        /// The most similar known file name.
        suggestion: &'static str,
    },
    /// The part after `:` is not `A` or `A-B` with positive line numbers.
    MalformedRange,
    /// `A-B` with `B < A`.
    ReversedRange {
        /// `A`.
        first: u32,
        /// `B`.
        last: u32,
    },
}

/// A citation-shaped code span that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationError {
    /// The code span's content.
    pub text: String,
    /// 1-based line on which the code span starts.
    pub line: usize,
    /// Byte range of the code span in the chapter.
    pub range: Range<usize>,
    /// What is wrong.
    pub problem: CitationProblem,
}

/// All citations of a chapter, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitationScan {
    /// The well-formed citations.
    pub citations: Vec<Citation>,
    /// The citation-shaped code spans that are not well formed.
    pub errors: Vec<CitationError>,
}

/// Extracts every citation of a chapter parsed as mdBook 0.5's defaults
/// parse it. Never panics. Code blocks are not searched; code spans anywhere
/// else (links, headings, tables, lists) are.
pub fn extract_citations(markdown: &str) -> CitationScan {
    extract_citations_with(markdown, &MarkdownOptions::default())
}

/// [`extract_citations`] with explicit markdown options.
pub fn extract_citations_with(markdown: &str, options: &MarkdownOptions) -> CitationScan {
    scan(markdown, options).0
}

/// The parsed content of a citation-shaped code span.
enum Shape<'a> {
    /// Not a citation at all: an ordinary code span.
    NotCitation,
    /// A citation, well formed or not.
    Citation {
        file: &'a str,
        lines: Result<(u32, u32), CitationProblem>,
        symbol: Option<&'a str>,
    },
}

fn shape(code: &str) -> Shape<'_> {
    let Some(colon) = code.find(".zig:").map(|i| i + 4) else {
        return Shape::NotCitation;
    };
    let file = &code[..colon];
    let stem = &file[..file.len() - 4];
    let file_chars_ok = file
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-'));
    if stem.is_empty() || !file_chars_ok {
        return Shape::NotCitation;
    }
    let rest = &code[colon + 1..];
    let (range_text, symbol) = match rest.split_once(' ') {
        Some((r, s)) => (r, Some(s)),
        None => (rest, None),
    };
    let range_shaped =
        !range_text.is_empty() && range_text.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let symbol_shaped = symbol.is_none_or(|s| !s.is_empty() && !s.contains(char::is_whitespace));
    if !range_shaped || !symbol_shaped {
        return Shape::NotCitation;
    }
    if std_path(file).is_none() && !likely_std_file(file) {
        return Shape::NotCitation;
    }
    let lines = parse_lines(range_text).and_then(|(a, b)| {
        if b < a {
            Err(CitationProblem::ReversedRange { first: a, last: b })
        } else {
            Ok((a, b))
        }
    });
    Shape::Citation {
        file,
        lines,
        symbol,
    }
}

/// Whether `file`, not itself in [`STD_FILES`], is a likely misspelling of
/// a name there (see the module docs).
fn likely_std_file(file: &str) -> bool {
    let base = |f: &str| f.rsplit('/').next().unwrap_or(f).to_ascii_lowercase();
    let lower = file.to_ascii_lowercase();
    STD_FILES.iter().any(|(name, _)| {
        let name_lower = name.to_ascii_lowercase();
        let distance = strsim::damerau_levenshtein(&lower, &name_lower);
        base(name) == base(file) || 4 * distance <= lower.len().max(name_lower.len())
    })
}

fn parse_lines(text: &str) -> Result<(u32, u32), CitationProblem> {
    let number = |s: &str| -> Result<u32, CitationProblem> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CitationProblem::MalformedRange);
        }
        match s.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(CitationProblem::MalformedRange),
        }
    };
    match text.split_once('-') {
        Some((a, b)) => Ok((number(a)?, number(b)?)),
        None => number(text).map(|a| (a, a)),
    }
}

/// The known file name most like `file`: one with the same last path
/// component first (`Server.zig` → `http/Server.zig`), then by
/// Damerau–Levenshtein similarity.
fn closest_file(file: &str) -> &'static str {
    let base = |f: &str| f.rsplit('/').next().unwrap_or(f).to_ascii_lowercase();
    let file_lower = file.to_ascii_lowercase();
    let mut best = (f64::MIN, STD_FILES[0].0);
    for (name, _) in STD_FILES {
        let same_base = if base(name) == base(file) { 1.0 } else { 0.0 };
        let score = same_base
            + strsim::normalized_damerau_levenshtein(&file_lower, &name.to_ascii_lowercase());
        if score > best.0 {
            best = (score, name);
        }
    }
    best.1
}

/// Scans a chapter for citations and returns them with the edits that turn
/// the linkable ones into links.
pub(crate) fn scan(markdown: &str, options: &MarkdownOptions) -> (CitationScan, Vec<Edit>) {
    let lines = LineIndex::new(markdown);
    let mut out = CitationScan::default();
    let mut edits = Vec::new();
    let mut candidate: Option<String> = None;
    // Links end where their source ends: pulldown-cmark 0.13.4 can let a
    // wiki link with an empty alias (`[[Page|]]`) report its end late.
    let mut link_until = 0usize;
    let mut heading_depth = 0usize;
    // Parsed with wiki links on, so that code inside `[[Page|alias]]` counts
    // as being inside a link, as it will after the rewrite.
    for (event, range) in options.wiki_parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                link_until = link_until.max(range.end);
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_depth += 1;
                candidate = None;
            }
            Event::End(TagEnd::Heading(_)) => {
                heading_depth = heading_depth.saturating_sub(1);
                candidate = None;
            }
            Event::Start(tag) if is_block(&tag) => candidate = None,
            Event::End(tag) if is_block_end(tag) => candidate = None,
            Event::Code(code) => match shape(&code) {
                Shape::NotCitation => candidate = Some(code.to_string()),
                Shape::Citation {
                    file,
                    lines: parsed,
                    symbol,
                } => {
                    let line = lines.line(range.start);
                    let error = |problem| CitationError {
                        text: code.to_string(),
                        line,
                        range: range.clone(),
                        problem,
                    };
                    let Some(std_path) = std_path(file) else {
                        out.errors.push(error(CitationProblem::UnknownFile {
                            file: file.to_string(),
                            suggestion: closest_file(file),
                        }));
                        continue;
                    };
                    let (first_line, last_line) = match parsed {
                        Ok(pair) => pair,
                        Err(problem) => {
                            out.errors.push(error(problem));
                            continue;
                        }
                    };
                    let citation = Citation {
                        text: code.to_string(),
                        file: file.to_string(),
                        std_path,
                        first_line,
                        last_line,
                        symbol: symbol.map(String::from).or_else(|| candidate.clone()),
                        symbol_explicit: symbol.is_some(),
                        line,
                        range: range.clone(),
                    };
                    if range.start >= link_until && heading_depth == 0 {
                        edits.push(link_edit(markdown, &citation));
                    }
                    out.citations.push(citation);
                }
            },
            _ => {}
        }
    }
    (out, edits)
}

/// `` `X.zig:1-2` `` becomes `` [`X.zig:1-2`](url) ``. A `!` right before the
/// code span would turn the link into an image, so it is escaped.
fn link_edit(markdown: &str, citation: &Citation) -> Edit {
    let span = &markdown[citation.range.clone()];
    let before = &markdown[..citation.range.start];
    let bang = before.strip_suffix('!').is_some_and(|b| {
        let backslashes = b.len() - b.trim_end_matches('\\').len();
        backslashes % 2 == 0
    });
    let (start, prefix) = if bang {
        (citation.range.start - 1, "\\![")
    } else {
        (citation.range.start, "[")
    };
    Edit {
        range: start..citation.range.end,
        replacement: format!("{prefix}{span}]({})", citation.url()),
    }
}

/// Block-level tags: the symbol candidate does not cross their boundaries.
/// Table cells are not blocks here, so a row shares one candidate.
fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::TableCell
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableCell
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_file_exists_in_the_map_target_form() {
        for (name, path) in STD_FILES {
            assert!(name.ends_with(".zig") && path.ends_with(".zig"));
            assert_eq!(std_path(name), Some(*path));
        }
        assert_eq!(std_path("Server.zig"), None);
    }

    #[test]
    fn url_of_range_and_single_line() {
        let scan = extract_citations("`Writer.zig:122-132` and `Reader.zig:171`");
        let urls: Vec<_> = scan.citations.iter().map(Citation::url).collect();
        assert_eq!(
            urls,
            vec![
                "https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Writer.zig#L122-L132",
                "https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Reader.zig#L171",
            ]
        );
    }

    #[test]
    fn ordinary_code_is_not_a_citation() {
        for code in [
            "`x.zig`",
            "`const a: u8 = 1;`",
            "`std.Io.Writer`",
            "`a b.zig:1`",
            "`Writer.zig:`",
            "`Writer.zig:a-b`",
            "`Writer.zig:1:2`",
            "`Writer.zig:1  two spaces`",
            "`Writer.zig:1 two words`",
            "`main.zig:1`",
        ] {
            let scan = extract_citations(code);
            assert!(
                scan.citations.is_empty() && scan.errors.is_empty(),
                "{code}"
            );
        }
    }

    #[test]
    fn malformed_ranges_are_errors() {
        for code in [
            "`Writer.zig:0`",
            "`Writer.zig:1-`",
            "`Writer.zig:-1`",
            "`Writer.zig:1--2`",
            "`Writer.zig:99999999999`",
        ] {
            let scan = extract_citations(code);
            assert_eq!(
                scan.errors.first().map(|e| &e.problem),
                Some(&CitationProblem::MalformedRange),
                "{code}"
            );
        }
    }

    #[test]
    fn a_bang_before_the_span_stays_text() {
        let md = "wow!`Writer.zig:1`";
        let (_, edits) = scan(md, &MarkdownOptions::default());
        let (out, _) = crate::markdown::splice(md, &edits);
        assert_eq!(
            out,
            "wow\\![`Writer.zig:1`](https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Writer.zig#L1)"
        );
    }
}
