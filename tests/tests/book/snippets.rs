//! Rust snippets of a chapter, paired with the ```` ```text ```` block that
//! shows their output.

use std::path::{Path, PathBuf};

use book_model::code::{CodeBlock, ShownLine, code_blocks, rust_lines};

/// How a snippet is tested, from its fence attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Compiled and run; it must exit successfully.
    Run,
    /// `no_run`: compiled, not run.
    NoRun,
    /// `should_panic`: compiled and run; it must fail.
    ShouldPanic,
    /// `ignore`: neither compiled nor run.
    Ignore,
}

/// The ```` ```text ```` block right after a snippet: its expected stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    /// 1-based line of the text block's opening fence.
    pub line: usize,
    /// The expected standard output, byte for byte.
    pub text: String,
}

/// A ```` ```rust ```` block of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snippet {
    /// The chapter, as shown in messages.
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// How it is tested.
    pub mode: Mode,
    /// Every line, hidden or not.
    pub lines: Vec<ShownLine>,
    /// The output block that follows it, if any.
    pub output: Option<Output>,
}

impl Snippet {
    /// What mdBook's copy button copies: the lines that are not hidden.
    pub(crate) fn copied_text(&self) -> String {
        let mut text = String::new();
        for line in self.lines.iter().filter(|l| !l.hidden) {
            text.push_str(&line.text);
            text.push('\n');
        }
        text
    }

    /// The chapter line of the `n`th (1-based) line of [`Self::copied_text`].
    pub(crate) fn chapter_line_of_copied(&self, n: usize) -> usize {
        self.lines
            .iter()
            .filter(|l| !l.hidden)
            .nth(n.saturating_sub(1))
            .map_or(self.line, |l| l.line)
    }
}

/// The language of a block as rustdoc (and so `mdbook test`) sees it: a
/// block is Rust if it says `rust`, has no info string, or has only
/// rustdoc's own attributes (```` ```ignore ```` is a Rust block to rustdoc).
pub(crate) fn is_rust_for_rustdoc(block: &CodeBlock) -> bool {
    let tokens = block.tokens();
    tokens.contains(&"rust") || tokens.iter().all(|t| is_rustdoc_attribute(t))
}

/// Attributes rustdoc understands on a Rust block.
pub(crate) fn is_rustdoc_attribute(token: &str) -> bool {
    matches!(
        token,
        "ignore"
            | "should_panic"
            | "no_run"
            | "compile_fail"
            | "test_harness"
            | "standalone_crate"
            | "allow_fail"
    ) || token.starts_with("edition")
        || token.starts_with("ignore-")
}

/// The language token of a block (its first token), if any.
pub(crate) fn language(block: &CodeBlock) -> Option<&str> {
    block.tokens().first().copied()
}

/// Returns the Rust snippets of a chapter (`file` is used in messages).
///
/// Only blocks whose first token is `rust` are snippets; other blocks that
/// rustdoc would take for Rust are reported by the fence check instead.
pub(crate) fn snippets(file: &Path, markdown: &str) -> Vec<Snippet> {
    let blocks = code_blocks(markdown);
    let mut snippets = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if !block.fenced || language(block) != Some("rust") {
            continue;
        }
        let tokens = block.tokens();
        let mode = if tokens.contains(&"ignore") {
            Mode::Ignore
        } else if tokens.contains(&"should_panic") {
            Mode::ShouldPanic
        } else if tokens.contains(&"no_run") {
            Mode::NoRun
        } else {
            Mode::Run
        };
        let output = blocks
            .get(i + 1)
            .filter(|next| next.follows_previous && language(next) == Some("text"))
            .map(|next| Output {
                line: next.line,
                text: next.content.clone(),
            });
        snippets.push(Snippet {
            file: file.to_path_buf(),
            line: block.line,
            mode,
            lines: rust_lines(&block.content, block.content_line),
            output,
        });
    }
    snippets
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = r#"# Chapter

```rust
# extern crate zigio;
fn main() {
    println!("hi");
}
```


```text
hi
```

```rust,no_run
fn main() {}
```
Not adjacent:
```text
nothing
```
"#;

    #[test]
    fn pairs_a_snippet_with_the_text_block_right_after_it() {
        let s = snippets(Path::new("ch.md"), CHAPTER);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 3);
        assert_eq!(s[0].mode, Mode::Run);
        assert_eq!(
            s[0].output,
            Some(Output {
                line: 11,
                text: "hi\n".into()
            })
        );
        assert_eq!(s[1].mode, Mode::NoRun);
        assert_eq!(s[1].output, None, "a paragraph separates them");
    }

    #[test]
    fn the_copied_text_drops_hidden_lines_and_keeps_their_line_numbers() {
        let s = &snippets(Path::new("ch.md"), CHAPTER)[0];
        assert_eq!(s.copied_text(), "fn main() {\n    println!(\"hi\");\n}\n");
        assert_eq!(s.chapter_line_of_copied(1), 5);
        assert_eq!(s.chapter_line_of_copied(2), 6);
    }

    #[test]
    fn rustdoc_takes_bare_and_attribute_only_blocks_for_rust() {
        let rustdoc_langs =
            |md: &str| -> Vec<bool> { code_blocks(md).iter().map(is_rust_for_rustdoc).collect() };
        assert_eq!(
            rustdoc_langs(
                "```\nx\n```\n\n```ignore\nx\n```\n\n```text\nx\n```\n\n```rust,foo\nx\n```\n"
            ),
            [true, true, false, true]
        );
    }
}
