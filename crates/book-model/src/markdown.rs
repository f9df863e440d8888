//! How mdBook 0.5.4 parses a chapter, and where things are in it.

use pulldown_cmark::{Event, Options as CmarkOptions, Parser, Tag, TagEnd};
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
    /// The options of the book mdBook is building: each `output.html` key
    /// as the book sets it, `true` where it does not.
    #[cfg(feature = "preprocessor")]
    pub fn from_context(ctx: &mdbook_preprocessor::PreprocessorContext) -> Self {
        let flag = |key: &str| {
            ctx.config
                .get::<bool>(&format!("output.html.{key}"))
                .ok()
                .flatten()
                .unwrap_or(true)
        };
        MarkdownOptions {
            smart_punctuation: flag("smart-punctuation"),
            definition_lists: flag("definition-lists"),
            admonitions: flag("admonitions"),
        }
    }

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

/// The byte ranges of `markdown`'s code spans and code blocks (fences
/// included), as mdBook parses the chapter with its default options: text
/// inside them is shown, never interpreted.
pub fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn code_ranges_cover_spans_and_fenced_blocks() {
        let md = "a `x` b\n\n```rust\nlet y;\n```\n\n~~~\nz\n~~~\n";
        let ranges = code_ranges(md);
        let texts: Vec<&str> = ranges.iter().map(|r| &md[r.clone()]).collect();
        assert_eq!(texts, ["`x`", "```rust\nlet y;\n```", "~~~\nz\n~~~"]);
    }

    #[test]
    fn the_options_are_mdbooks_and_follow_the_flags() {
        let all = MarkdownOptions::default().cmark();
        assert!(all.contains(CmarkOptions::ENABLE_SMART_PUNCTUATION));
        assert!(!all.contains(CmarkOptions::ENABLE_WIKILINKS));
        assert!(!all.contains(CmarkOptions::ENABLE_MATH));
        let plain = MarkdownOptions {
            smart_punctuation: false,
            ..MarkdownOptions::default()
        };
        assert!(
            !plain
                .cmark()
                .contains(CmarkOptions::ENABLE_SMART_PUNCTUATION)
        );
    }
}
