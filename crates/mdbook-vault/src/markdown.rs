//! How mdBook 0.5.4 parses markdown, and the small text utilities that the
//! rewriting passes share: line numbers, escaping, code spans and splicing.

use pulldown_cmark::{Options as CmarkOptions, Parser};
use std::ops::Range;

/// The markdown features that change how mdBook's HTML renderer parses a
/// chapter, and therefore which heading text (and id) it sees.
///
/// Mirrors `mdbook_markdown::MarkdownOptions` and the `output.html` keys
/// `smart-punctuation`, `definition-lists` and `admonitions`; all three default
/// to `true` in mdBook 0.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// `output.html.smart-punctuation`: quotes become curly, `--` an en dash,
    /// `---` an em dash, `...` an ellipsis, before ids are made.
    pub smart_punctuation: bool,
    /// `output.html.definition-lists`: definition terms (`<dt>`) get ids from
    /// the same counter as headings.
    pub definition_lists: bool,
    /// `output.html.admonitions`: GitHub-style `> [!NOTE]` blocks.
    pub admonitions: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            smart_punctuation: true,
            definition_lists: true,
            admonitions: true,
        }
    }
}

impl MarkdownOptions {
    /// The exact pulldown-cmark option set of `mdbook_markdown::new_cmark_parser`
    /// in mdBook 0.5.4.
    pub fn cmark(&self) -> CmarkOptions {
        let mut opts = CmarkOptions::empty();
        opts.insert(CmarkOptions::ENABLE_TABLES);
        opts.insert(CmarkOptions::ENABLE_FOOTNOTES);
        opts.insert(CmarkOptions::ENABLE_STRIKETHROUGH);
        opts.insert(CmarkOptions::ENABLE_TASKLISTS);
        opts.insert(CmarkOptions::ENABLE_HEADING_ATTRIBUTES);
        if self.smart_punctuation {
            opts.insert(CmarkOptions::ENABLE_SMART_PUNCTUATION);
        }
        if self.definition_lists {
            opts.insert(CmarkOptions::ENABLE_DEFINITION_LIST);
        }
        if self.admonitions {
            opts.insert(CmarkOptions::ENABLE_GFM);
        }
        opts
    }

    /// A parser configured as mdBook's renderer configures it.
    pub fn parser<'a>(&self, text: &'a str) -> Parser<'a> {
        Parser::new_ext(text, self.cmark())
    }

    /// Like [`MarkdownOptions::parser`], plus pulldown-cmark's native
    /// `[[wiki link]]` syntax, which mdBook itself does not enable.
    pub fn wiki_parser<'a>(&self, text: &'a str) -> Parser<'a> {
        Parser::new_ext(text, self.cmark() | CmarkOptions::ENABLE_WIKILINKS)
    }
}

/// Maps byte offsets of one text to 1-based line numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`; lines are separated by `\n` (a `\r\n` pair counts once).
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The 1-based line that contains byte `offset` (offsets past the end
    /// belong to the last line).
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// Escapes `text` so that, used as link text (between `[` and `]`), it
/// renders as exactly these characters: every ASCII punctuation character that can start
/// markdown syntax is backslash-escaped, and line breaks become spaces.
///
/// Quotes, `-` and `.` are left alone so that smart punctuation treats them as
/// it treats the surrounding prose.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~' | '$' | '^'
            | '{' | '}' | '#' | '(' | ')' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Writes `content` as an inline code span whose rendered content is exactly
/// `content` (backtick fence longer than any run inside, padding where
/// CommonMark would otherwise strip or merge characters). Line breaks, which
/// a code span cannot keep, become spaces.
pub fn code_span(content: &str) -> String {
    let content = content.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for ch in content.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && !content.trim().is_empty());
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{content}{space}{fence}")
}

/// One replacement of a byte range of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The replaced bytes of the original text.
    pub range: Range<usize>,
    /// What replaces them.
    pub replacement: String,
}

/// Applies `edits` to `text`; everything outside the edited ranges is kept
/// byte for byte.
///
/// Contract: `edits` are sorted by start, do not overlap, and lie on char
/// boundaries inside `text` (ranges taken from pulldown-cmark events do).
/// Returns the new text and, for each edit, the offset at which its
/// replacement starts in the new text.
pub fn splice(text: &str, edits: &[Edit]) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len() + edits.len() * 16);
    let mut starts = Vec::with_capacity(edits.len());
    let mut at = 0;
    for edit in edits {
        debug_assert!(edit.range.start >= at, "edits overlap or are unsorted");
        out.push_str(&text[at..edit.range.start]);
        starts.push(out.len());
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag, TagEnd};

    /// The text of the single link that `[text](u)` renders to.
    fn link_text(text: &str) -> String {
        let markdown = format!("[{text}](u)");
        let mut out = String::new();
        let mut in_link = false;
        for event in MarkdownOptions::default().parser(&markdown) {
            match event {
                Event::Start(Tag::Link { .. }) => in_link = true,
                Event::End(TagEnd::Link) => in_link = false,
                Event::Text(t) | Event::Code(t) if in_link => out.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                other => panic!("escaped text produced markup: {other:?}"),
            }
        }
        out
    }

    #[test]
    fn line_index_is_one_based_and_counts_newlines() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(100), 4);
    }

    #[test]
    fn escaped_text_renders_verbatim() {
        for text in [
            "*not emphasis* _nor this_",
            "[not](a link) ![nor](an image)",
            "`no code` <b>no html</b> &amp; ~~no strike~~",
            "a | b \\ c {#id} x^2 $y$",
            "](nor a destination) [x]: y",
        ] {
            assert_eq!(link_text(&escape_text(text)), text);
        }
    }

    #[test]
    fn code_span_roundtrips_backticks_and_spaces() {
        for content in ["plain", "a`b", "``x``", "`lead", "trail`", " both ", "   "] {
            let span = code_span(content);
            let events: Vec<_> = MarkdownOptions::default().parser(&span).collect();
            assert!(
                events.contains(&Event::Code(content.into())),
                "{span:?} -> {events:?}"
            );
        }
    }

    #[test]
    fn splice_keeps_untouched_bytes() {
        let edits = [
            Edit {
                range: 2..4,
                replacement: "XYZ".into(),
            },
            Edit {
                range: 6..6,
                replacement: "!".into(),
            },
        ];
        let (out, starts) = splice("abcdefgh", &edits);
        assert_eq!(out, "abXYZef!gh");
        assert_eq!(starts, vec![2, 7]);
    }
}
