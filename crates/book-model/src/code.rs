//! Code blocks of a chapter, read from pulldown-cmark's event stream (the
//! parser mdBook itself uses), never by pattern-matching raw markdown: fences
//! inside lists and block quotes, longer fences and tildes all parse the way
//! the rendered page shows them.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// A code block of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// 1-based line of the opening fence (of the first line, if indented).
    pub line: usize,
    /// False for an indented (four-space) code block.
    pub fenced: bool,
    /// The info string after the fence, e.g. `rust,no_run`.
    pub info: String,
    /// The block's text, each line ending in `\n`.
    pub content: String,
    /// 1-based line of the first line of `content`.
    pub content_line: usize,
    /// The HTML comment block directly before this code block, if any.
    pub comment_before: Option<String>,
    /// Whether this block directly follows the previous code block of the
    /// chapter, with nothing but blank lines between them.
    pub follows_previous: bool,
}

impl CodeBlock {
    /// The tokens of the info string: rustdoc and mdBook separate them by
    /// commas and whitespace (`rust,no_run` and `rust no_run` are the same).
    pub fn tokens(&self) -> Vec<&str> {
        self.info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// What the last finished block was, to tell what a code block follows.
enum Previous {
    Other,
    Comment(String),
    CodeBlock,
}

/// Returns every code block of `markdown`, in order.
pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
    let line_of = |offset: usize| 1 + markdown[..offset].matches('\n').count();
    let mut blocks = Vec::new();
    let mut previous = Previous::Other;
    let mut open: Option<CodeBlock> = None;
    let mut html: Option<String> = None;

    for (event, range) in crate::MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let (fenced, info) = match kind {
                    CodeBlockKind::Fenced(info) => (true, info.to_string()),
                    CodeBlockKind::Indented => (false, String::new()),
                };
                let line = line_of(range.start);
                let (comment_before, follows_previous) =
                    match std::mem::replace(&mut previous, Previous::Other) {
                        Previous::Comment(text) => (Some(text), false),
                        Previous::CodeBlock => (None, true),
                        Previous::Other => (None, false),
                    };
                open = Some(CodeBlock {
                    line,
                    fenced,
                    info,
                    content: String::new(),
                    content_line: if fenced { line + 1 } else { line },
                    comment_before,
                    follows_previous,
                });
            }
            Event::Text(text) if open.is_some() => {
                if let Some(block) = open.as_mut() {
                    block.content.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                blocks.extend(open.take());
                previous = Previous::CodeBlock;
            }
            Event::Start(Tag::HtmlBlock) => html = Some(String::new()),
            Event::Html(text) if html.is_some() => {
                if let Some(buffer) = html.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                previous = Previous::Comment(html.take().unwrap_or_default());
            }
            // Anything else between two blocks (a paragraph, a heading, the
            // end of a list item) separates them.
            _ => previous = Previous::Other,
        }
    }
    blocks
}

/// A line of a Rust code block as mdBook shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownLine {
    /// 1-based line in the chapter.
    pub line: usize,
    /// The text mdBook renders for it (an escaped `##` shown as `#`).
    pub text: String,
    /// Whether mdBook hides it (`boring` lines: the copy button skips them).
    pub hidden: bool,
}

/// Splits a Rust block's content into lines the way mdBook 0.5 renders them
/// (`hide_lines_rust` in mdbook-html): after optional leading whitespace, a
/// `#` followed by a space or by the end of the line hides the line (and is
/// removed); `##` shows a literal `#`; anything else (`#[derive]`, `#!`) is
/// shown as written.
pub fn rust_lines(content: &str, first_line: usize) -> Vec<ShownLine> {
    content
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let line = first_line + i;
            let indent_len = raw.len() - raw.trim_start().len();
            let (indent, rest) = raw.split_at(indent_len);
            let Some(after_hash) = rest.strip_prefix('#') else {
                return ShownLine {
                    line,
                    text: raw.to_string(),
                    hidden: false,
                };
            };
            if after_hash.starts_with('#') {
                ShownLine {
                    line,
                    text: format!("{indent}{after_hash}"),
                    hidden: false,
                }
            } else if after_hash.is_empty() || after_hash.starts_with(' ') {
                let text = after_hash.strip_prefix(' ').unwrap_or(after_hash);
                ShownLine {
                    line,
                    text: format!("{indent}{text}"),
                    hidden: true,
                }
            } else {
                ShownLine {
                    line,
                    text: raw.to_string(),
                    hidden: false,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fenced_blocks_with_info_and_lines() {
        let md = "# T\n\nText.\n\n```rust,no_run\nfn main() {}\n```\n\n~~~text\nout\n~~~\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].info, "rust,no_run");
        assert_eq!(blocks[0].tokens(), ["rust", "no_run"]);
        assert_eq!((blocks[0].line, blocks[0].content_line), (5, 6));
        assert_eq!(blocks[0].content, "fn main() {}\n");
        assert!(!blocks[0].follows_previous);
        assert_eq!(blocks[1].info, "text");
        assert_eq!(blocks[1].line, 9);
        assert_eq!(blocks[1].content, "out\n");
        assert!(blocks[1].follows_previous, "blank lines do not separate");
    }

    #[test]
    fn anything_between_two_blocks_separates_them() {
        let md = "```rust\nfn main() {}\n```\nSome text.\n```text\nx\n```\n";
        let blocks = code_blocks(md);
        assert!(!blocks[1].follows_previous);

        let md = "- item\n\n  ```rust\n  fn main() {}\n  ```\n\n```text\nx\n```\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks[0].content, "fn main() {}\n");
        assert_eq!(blocks[0].line, 3);
        assert!(!blocks[1].follows_previous, "the end of the list separates");
    }

    #[test]
    fn a_fence_inside_a_longer_fence_is_content() {
        let md = "````markdown\n```rust\nfn main() {}\n```\n````\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].info, "markdown");
    }

    #[test]
    fn reports_indented_blocks_and_the_comment_before_a_block() {
        let md = "Para.\n\n    let x = 1;\n\n<!-- snippet no_run: reads stdin -->\n```rust,no_run\nfn main() {}\n```\n";
        let blocks = code_blocks(md);
        assert!(!blocks[0].fenced);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(
            blocks[1].comment_before.as_deref().map(str::trim),
            Some("<!-- snippet no_run: reads stdin -->")
        );
        assert!(!blocks[1].follows_previous);
    }

    #[test]
    fn hidden_lines_follow_mdbook() {
        let content = "# extern crate zigio;\n#\n    # let hidden = 1;\n#[derive(Debug)]\n#![allow(unused)]\n## not hidden\n#nospace\nfn main() {}\n";
        let lines = rust_lines(content, 10);
        let shown: Vec<_> = lines
            .iter()
            .map(|l| (l.line, l.hidden, l.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (10, true, "extern crate zigio;"),
                (11, true, ""),
                (12, true, "    let hidden = 1;"),
                (13, false, "#[derive(Debug)]"),
                (14, false, "#![allow(unused)]"),
                (15, false, "# not hidden"),
                (16, false, "#nospace"),
                (17, false, "fn main() {}"),
            ]
        );
    }
}
