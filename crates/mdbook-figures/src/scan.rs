//! Finding figures typed by hand: numbers in a chapter's prose that look
//! measured or counted and do not come from a `{{#figure}}` directive.
//!
//! Prose is the text of paragraphs, headings, list items and block quotes.
//! Code blocks, code spans, tables, HTML and link targets are not prose: a
//! program's output is checked by the snippet tests, and tables are
//! generated. A directive counts as its number, so `{{#figure X}} ms` is
//! fine.
//!
//! A number looks measured when it is
//! - a decimal (`0.90`, `25.3`), unless it is a version (`0.15.1`,
//!   `Zig 0.15`, `Go 1.18`, `HTTP/1.1`, `tar 1.34`);
//! - a ratio: `1.7×`, `2x`, `3.7 times`;
//! - a time: `14.1 ms`, `5 µs`, `3 ns`, `2 s`, `10 seconds`;
//! - a throughput: `1489 MB/s`, `2 GiB/s`;
//! - a percentage: `34%`, `15 percent`;
//! - a count next to what is counted, with at most two words (or code
//!   spans) between: `3,892 calls`, `200,000 `write` calls`, `2000 ops`,
//!   `12 lines`, `342 samples`, `9 instructions`, `174 scripts`,
//!   `412 citations`, `80 snippets`, `14 chapters`, `31 mutants`.
//!
//! Facts that are not measurements (a buffer size or a number of rounds
//! that a program chooses, a count the program on the page prints) are
//! allowed by an HTML comment in the lines just before their paragraph:
//!
//! ```markdown
//! <!-- figures: allow 40 2000: printed by the program above -->
//! Java's policy is Rust's: the same 40 and 2000 calls as `BufWriter`.
//! ```
//!
//! The numbers are written exactly as in the text, separated by spaces,
//! and a reason follows the colon. An allowed number that the paragraph
//! does not use as a figure is an error too, so allow-lists cannot go
//! stale.

use crate::directive::{LineError, OPEN};
use book_model::{LineIndex, MarkdownOptions, code_ranges};
use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A figure typed by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// 1-based line.
    pub line: usize,
    /// The number, as written (`3,892`).
    pub number: String,
    /// The matched text with its unit or counted word (`3,892 calls`;
    /// code spans show as `CODE`).
    pub text: String,
    /// Why it looks measured: `decimal`, `ratio`, `time`, `throughput`,
    /// `percentage` or `count`.
    pub kind: &'static str,
}

/// What a directive becomes while scanning: a word that no pattern takes.
const DIRECTIVE_WORD: &str = "FIGURE";
/// What a code span becomes: a word that may stand between a count and
/// what it counts.
const CODE_WORD: &str = "CODE";
/// What opens an allow-list.
const ALLOW: &str = "<!-- figures: allow";

const NUM: &str = r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    // A word that may stand between a count and what it counts (see
    // `NOT_BETWEEN` for the ones that may not).
    let between = r"[^\s\d]\S*";
    let words = r"(?:calls?|syscalls?|ops|operations|lines|samples|instructions|scripts|citations|snippets|chapters|mutants)";
    [
        ("ratio", format!(r"{NUM}(?:\s*(?:×|x\b)|\s+times\b)")),
        (
            "time",
            format!(
                r"{NUM}\s*(?:ns|µs|us|ms|s|seconds?|milliseconds?|microseconds?|nanoseconds?|minutes?)\b"
            ),
        ),
        ("throughput", format!(r"{NUM}\s*(?:[KMG]i?B/s)")),
        ("percentage", format!(r"{NUM}\s*(?:%|percent\b)")),
        (
            "count",
            format!(r"{NUM}(?:\s+{between}){{0,2}}?\s+(?:system\s+)?{words}\b"),
        ),
        ("decimal", r"(?P<n>\d+\.\d+)".to_string()),
    ]
    .into_iter()
    .map(|(k, p)| (k, Regex::new(&p).expect("the patterns are valid")))
    .collect()
});

/// Words that make `N word call` something else than a count of calls:
/// `5 bytes per call` is a size.
const NOT_BETWEEN: [&str; 7] = ["bytes", "byte", "B", "KiB", "MiB", "GiB", "per"];

/// Words that, right after the number, end it: `with preserve 0 the call
/// is` counts nothing (but `2 of the calls` does).
const NOT_FIRST: [&str; 9] = [
    "the", "a", "an", "this", "that", "its", "their", "each", "every",
];

/// Words after which a decimal is a version.
const VERSIONED: [&str; 9] = [
    "zig", "go", "http/", "tar", "rust", "rustc", "mdbook", "version", "python",
];

/// One block of prose: its text, and for each piece, where the piece
/// starts in the text and in the chapter.
#[derive(Default)]
struct Block {
    text: String,
    pieces: Vec<(usize, usize)>,
}

impl Block {
    fn push(&mut self, text: &str, source: usize) {
        self.pieces.push((self.text.len(), source));
        self.text.push_str(text);
    }

    /// The chapter offset of text offset `at`.
    fn source(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|(t, _)| *t <= at).max(1) - 1;
        let (t, s) = self.pieces[i];
        s + (at - t)
    }
}

/// Every figure in `markdown`'s prose that looks measured and is not a
/// directive, before allow-lists.
pub fn candidates(markdown: &str) -> Vec<Typed> {
    let line_index = LineIndex::new(markdown);
    let mut blocks: Vec<Block> = Vec::new();
    let mut current = Block::default();
    let mut skip = 0usize;
    let flush = |current: &mut Block, blocks: &mut Vec<Block>| {
        if !current.text.trim().is_empty() {
            blocks.push(std::mem::take(current));
        } else {
            *current = Block::default();
        }
    };
    for (event, range) in MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        match event {
            Event::Start(
                Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_),
            ) => skip += 1,
            Event::End(
                TagEnd::Table | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_),
            ) => skip = skip.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::BlockQuote(_))
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_),
            ) => {
                flush(&mut current, &mut blocks);
            }
            _ if skip > 0 => {}
            Event::Text(text) => current.push(&text, range.start),
            Event::Code(_) => current.push(CODE_WORD, range.start),
            Event::SoftBreak | Event::HardBreak | Event::InlineHtml(_) | Event::Html(_) => {
                current.push(" ", range.start)
            }
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    let mut found = Vec::new();
    for block in &blocks {
        let masked = mask_directives(&block.text);
        let mut taken: Vec<Range<usize>> = Vec::new();
        for (kind, pattern) in PATTERNS.iter() {
            for caps in pattern.captures_iter(&masked) {
                let whole = caps.get(0).expect("a match has a whole");
                let Some(n) = caps.name("n") else { continue };
                if !starts_a_word(&masked, n.start())
                    || taken.iter().any(|r| r.contains(&n.start()))
                {
                    continue;
                }
                if n.as_str().contains('.') && is_version(&masked, n.range()) {
                    continue;
                }
                if *kind == "count" {
                    let mut between = masked[n.end()..whole.end()].split_whitespace();
                    let first = between.clone().next();
                    if between.any(|w| NOT_BETWEEN.contains(&w))
                        || first.is_some_and(|w| NOT_FIRST.contains(&w))
                    {
                        continue;
                    }
                }
                taken.push(n.start()..whole.end());
                let at = block.source(n.start()).min(markdown.len());
                found.push((
                    at,
                    Typed {
                        line: line_index.line(at),
                        number: n.as_str().to_string(),
                        text: whole
                            .as_str()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                        kind,
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, t)| t).collect()
}

/// `text` with every `{{#figure ...}}` replaced by [`DIRECTIVE_WORD`] and
/// padding, so that offsets keep their meaning.
fn mask_directives(text: &str) -> String {
    let mut out = text.to_string();
    let mut search = 0;
    while let Some(at) = out[search..].find(OPEN) {
        let start = search + at;
        let Some(len) = out[start..].find("}}").map(|i| i + 2) else {
            break;
        };
        let pad = len.saturating_sub(DIRECTIVE_WORD.len());
        out.replace_range(
            start..start + len,
            &format!("{DIRECTIVE_WORD}{}", "_".repeat(pad)),
        );
        search = start + len;
    }
    out
}

/// The number at `at` is not the tail of a word or of another number
/// (`u64`, `x86`, `1e6`, `0.15.1`'s `15.1`).
fn starts_a_word(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|c| {
        !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '#' | '='))
    })
}

/// A decimal that is a version: part of `a.b.c`, or right after a name
/// that versions follow (`Zig 0.15`, `HTTP/1.1`).
fn is_version(text: &str, n: Range<usize>) -> bool {
    let after = &text[n.end..];
    if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let before = text[..n.start].to_lowercase();
    let before = before.trim_end();
    VERSIONED.iter().any(|w| {
        before.ends_with(w)
            && before[..before.len() - w.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    }) || text[..n.start].ends_with("HTTP/")
}

/// One allow-list: the numbers it allows and the lines it covers.
#[derive(Debug)]
struct Allow {
    line: usize,
    numbers: Vec<String>,
    covers: Range<usize>,
}

/// Every allow-list comment of `markdown`, outside code; each covers the
/// lines after it up to the end of the paragraph that follows it.
fn allow_lists(markdown: &str) -> Result<Vec<Allow>, Vec<LineError>> {
    let code = code_ranges(markdown);
    let line_index = LineIndex::new(markdown);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut search = 0;
    while let Some(at) = markdown[search..].find(ALLOW) {
        let start = search + at;
        search = start + ALLOW.len();
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let line = line_index.line(start);
        let Some(close) = markdown[search..].find("-->") else {
            errors.push(LineError {
                line,
                message: "the allow-list comment is not closed by `-->`".into(),
            });
            continue;
        };
        let body = &markdown[search..search + close];
        let end_line = line_index.line(search + close);
        let Some((numbers, reason)) = body.split_once(':') else {
            errors.push(LineError {
                line,
                message: format!(
                    "allow-list `{}` has no reason: write `{ALLOW} N M: why they are not measurements -->`",
                    body.trim()
                ),
            });
            continue;
        };
        let numbers: Vec<String> = numbers.split_whitespace().map(str::to_string).collect();
        let bad: Vec<&String> = numbers
            .iter()
            .filter(|n| !n.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .collect();
        if numbers.is_empty() || !bad.is_empty() || reason.trim().is_empty() {
            errors.push(LineError {
                line,
                message: format!(
                    "allow-list `{}` must list numbers, then a colon and a reason",
                    body.trim()
                ),
            });
            continue;
        }
        // From the line after the comment to the first blank line after
        // some text.
        let mut last = end_line;
        let mut seen_text = false;
        for (i, l) in lines.iter().enumerate().skip(end_line) {
            if l.trim().is_empty() {
                if seen_text {
                    break;
                }
            } else {
                seen_text = true;
            }
            last = i + 1;
        }
        found.push(Allow {
            line,
            numbers,
            covers: end_line..last + 1,
        });
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// Every typed figure of `markdown` that no allow-list allows.
///
/// # Errors
/// Malformed allow-lists, and allowed numbers that their paragraph does
/// not use as figures.
pub fn typed_figures(markdown: &str) -> Result<Vec<Typed>, Vec<LineError>> {
    let allows = allow_lists(markdown)?;
    let mut used = vec![vec![false; 0]; allows.len()];
    for (u, a) in used.iter_mut().zip(&allows) {
        *u = vec![false; a.numbers.len()];
    }
    let mut left = Vec::new();
    for typed in candidates(markdown) {
        let mut allowed = false;
        for (a, u) in allows.iter().zip(used.iter_mut()) {
            if !a.covers.contains(&typed.line) {
                continue;
            }
            if let Some(i) = a.numbers.iter().position(|n| *n == typed.number) {
                u[i] = true;
                allowed = true;
            }
        }
        if !allowed {
            left.push(typed);
        }
    }
    let stale: Vec<LineError> = allows
        .iter()
        .zip(&used)
        .flat_map(|(a, u)| {
            a.numbers.iter().zip(u).filter(|(_, used)| !**used).map(|(n, _)| LineError {
                line: a.line,
                message: format!(
                    "the allow-list allows `{n}`, but its paragraph has no such figure; remove it"
                ),
            })
        })
        .collect();
    if stale.is_empty() {
        Ok(left)
    } else {
        Err(stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<String> {
        candidates(md).into_iter().map(|t| t.text).collect()
    }

    /// The sentences that contradicted the tables of the Measurements page,
    /// as they were typed: every figure in them is caught.
    #[test]
    fn the_typed_figures_of_the_old_notes_are_caught() {
        let md = "\
(zigio still takes only 0.55 of Zig's time to `/dev/null` and 0.90 to a pipe; why is below.)

- The non-generic interface costs nothing measurable: `DynWriter` against the concrete type is
  1.02 on small writes and 1.03 on formatting (target: under 1.10).
- File copy: `copy_file_range`, two calls, 0.98 of `cp`'s time and 0.37 of the read/write loop's.
- Formatting: Zig's `print` is 1.7× faster than both Rust writers (zigio is 0.95 of `BufWriter`).
- (131,073 calls, 3.7 times zigio's time); with a streaming writer it uses `sendfile`.

Zig 0.15.1 pays the same price here (25.3 vs 14.1 ms against `BufWriter`).
That gives Zig's system-call count (3,892 `pwritev` calls), 2.7 times faster, 34% over.
zigio took 342 samples, nine instructions against 8 instructions, 1489 MB/s.
";
        assert_eq!(
            texts(md),
            [
                "0.55",
                "0.90",
                "1.02",
                "1.03",
                "1.10",
                "0.98",
                "0.37",
                "1.7×",
                "0.95",
                "131,073 calls",
                "3.7 times",
                "25.3",
                "14.1 ms",
                "3,892 CODE calls",
                "2.7 times",
                "34%",
                "342 samples",
                "8 instructions",
                "1489 MB/s",
            ]
        );
        assert_eq!(candidates(md)[0].line, 1);
        assert_eq!(candidates(md).last().unwrap().line, 11);
    }

    #[test]
    fn versions_code_tables_and_directives_are_not_typed() {
        let md = "\
# Zig 0.15 and Go 1.18

Zig 0.15.1 over HTTP/1.1 at 127.0.0.1; GNU tar 1.34 lists it. A `u64` of 16 bytes,
1e6 writes, `0.90 ms` in code, x86_64. Since Go 1.18 one can call it; 5 bytes per call.
With `preserve` 0 the call is `writableSlice`.
Took {{#figure bench.a.b.ms}} ms and {{#figure bench.r}} times the calls: {{#figure bench.c}} calls.

| Case | Time |
|---|---|
| zigio | 2.77 ms |

```text
3892 calls in 0.5 ms
```

<div>1.5 ms</div>
";
        assert_eq!(texts(md), Vec::<String>::new());
    }

    #[test]
    fn counts_may_have_words_between_but_not_an_article_first() {
        let md = "It made 2 of the calls and 7 `pwritev` calls; with 0 the call is free.\n";
        assert_eq!(texts(md), ["2 of the calls", "7 CODE calls"]);
    }

    #[test]
    fn allow_lists_allow_exact_numbers_of_their_paragraph() {
        let md = "\
<!-- figures: allow 40 2000: printed by the program above -->
Java's policy is Rust's: the same 40 calls and 2000 calls as `BufWriter`.

Then 40 calls again.
";
        let left = typed_figures(md).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!((left[0].line, left[0].text.as_str()), (4, "40 calls"));
    }

    #[test]
    fn stale_and_malformed_allow_lists_are_errors() {
        let stale = "<!-- figures: allow 40 41: printed above -->\nthe 40 calls\n";
        let errors = typed_figures(stale).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("`41`"), "{}", errors[0].message);
        for bad in [
            "<!-- figures: allow 40 -->\n40 calls\n",
            "<!-- figures: allow forty: why -->\n40 calls\n",
            "<!-- figures: allow 40: -->\n40 calls\n",
        ] {
            let errors = typed_figures(bad).unwrap_err();
            assert_eq!(errors[0].line, 1, "{bad}");
        }
    }
}
