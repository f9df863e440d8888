//! The small text utilities that the rewriting passes share: escaping,
//! code spans and splicing; how mdBook parses and numbers lines comes from
//! [`book_model`].

pub use book_model::{LineIndex, MarkdownOptions};
use std::ops::Range;

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
