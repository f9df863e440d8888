//! Finding the diagrams mdbook-mermaid wrote into a chapter.

use std::ops::Range;

use book_model::{LineIndex, MarkdownOptions};
use pulldown_cmark::{Event, Tag};

const OPEN: &str = "<pre class=\"mermaid\">";
const CLOSE: &str = "</pre>";

/// One `<pre class="mermaid">` HTML block of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// The block's bytes in the chapter, from `<pre` to `</pre>`.
    pub range: Range<usize>,
    /// Its 1-based line in the chapter.
    pub line: usize,
    /// The diagram's source as written between the tags: HTML-escaped
    /// (`--&gt;`), as mdbook-mermaid writes it.
    pub source_html: String,
}

/// Every diagram of `markdown`, in order. Only HTML blocks count: the same
/// text inside a code block or a paragraph is not a diagram.
pub fn find(markdown: &str) -> Vec<Diagram> {
    let mut found = Vec::new();
    let lines = LineIndex::new(markdown);
    for (event, range) in MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        let Event::Start(Tag::HtmlBlock) = event else {
            continue;
        };
        let block = markdown[range.clone()].trim_end();
        let Some(inner) = block
            .strip_prefix(OPEN)
            .and_then(|rest| rest.strip_suffix(CLOSE))
        else {
            continue;
        };
        found.push(Diagram {
            range: range.start..range.start + block.len(),
            line: lines.line(range.start),
            source_html: inner.to_string(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_html_blocks_only() {
        let md = "# T\n\n<pre class=\"mermaid\">flowchart LR\n  A --&gt; B\n</pre>\n\n\
                  ```html\n<pre class=\"mermaid\">not me</pre>\n```\n\n\
                  <pre class=\"other\">x</pre>\n";
        let found = find(md);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].source_html, "flowchart LR\n  A --&gt; B\n");
        assert!(md[found[0].range.clone()].ends_with("</pre>"));
    }
}
