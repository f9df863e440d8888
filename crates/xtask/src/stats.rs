//! `cargo xtask stats [--rev REV]`: the book's size, chapter by chapter.
//!
//! For every chapter that `book/SUMMARY.md` lists (at the working tree, or at
//! the git revision `REV`), it prints the words of prose (text outside code
//! blocks and HTML comments, split at whitespace) and the code blocks by
//! language. A "snippet" is a Rust or Zig block: the blocks the tests
//! execute. Output blocks (```` ```text ````) are counted separately.

use std::collections::BTreeMap;
use std::fs;

use crate::cmd::{self, Error, Result};
use crate::workspace;

/// The counts of one chapter.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Words outside code blocks and HTML comments.
    pub prose_words: usize,
    /// Code blocks by the first word of their info string (`""` if none).
    pub blocks: BTreeMap<String, usize>,
}

impl Counts {
    /// Rust and Zig blocks: the programs the tests run.
    pub(crate) fn snippets(&self) -> usize {
        self.of("rust") + self.of("zig")
    }

    /// The number of blocks of language `lang`.
    pub(crate) fn of(&self, lang: &str) -> usize {
        self.blocks.get(lang).copied().unwrap_or(0)
    }

    fn add(&mut self, other: &Counts) {
        self.prose_words += other.prose_words;
        for (lang, n) in &other.blocks {
            *self.blocks.entry(lang.clone()).or_default() += n;
        }
    }
}

/// Counts the prose words and code blocks of one Markdown chapter.
///
/// Fences follow CommonMark: a run of at least three backticks or tildes
/// opens a block, which only a run of the same character, at least as long
/// and with nothing after it, closes.
pub(crate) fn count(markdown: &str) -> Counts {
    let mut counts = Counts::default();
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        let first = trimmed.chars().next();
        if let Some(ch @ ('`' | '~')) = first {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= 3 {
                let info = trimmed[run..].trim();
                let lang = info
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .next()
                    .unwrap_or("");
                *counts.blocks.entry(lang.to_string()).or_default() += 1;
                fence = Some((ch, run));
                continue;
            }
        }
        let mut rest = line;
        let mut prose = String::new();
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(i) => {
                        in_comment = false;
                        rest = &rest[i + 3..];
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(i) => {
                        prose.push_str(&rest[..i]);
                        prose.push(' ');
                        in_comment = true;
                        rest = &rest[i + 4..];
                    }
                    None => {
                        prose.push_str(rest);
                        break;
                    }
                }
            }
        }
        counts.prose_words += prose
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    counts
}

/// Reads `book/<path>` at `rev`, or from the working tree without one.
fn read(rev: Option<&str>, path: &str) -> Result<String> {
    match rev {
        None => {
            let file = workspace::root().join("book").join(path);
            fs::read_to_string(&file)
                .map_err(|e| Error::step("stats", format!("read {}: {e}", file.display())))
        }
        Some(rev) => {
            let out = cmd::output(
                "stats",
                cmd::command("git").args(["show", &format!("{rev}:book/{path}")]),
            )?;
            String::from_utf8(out.stdout)
                .map_err(|e| Error::step("stats", format!("book/{path} at {rev}: {e}")))
        }
    }
}

/// Runs `cargo xtask stats [--rev REV]`.
pub(crate) fn stats(args: &[String]) -> Result {
    let rev = match args {
        [] => None,
        [flag, rev] if flag == "--rev" => Some(rev.as_str()),
        _ => {
            return Err(Error::usage(format!(
                "usage: cargo xtask stats [--rev REV] (got `{}`)",
                args.join(" ")
            )));
        }
    };
    let summary = read(rev, "SUMMARY.md")?;
    let mut total = Counts::default();
    println!(
        "{:<44} {:>7} {:>5} {:>4} {:>5} {:>5}",
        "chapter", "words", "rust", "zig", "text", "other"
    );
    for link in book_model::summary::chapter_links(&summary) {
        let file = link.path.to_string_lossy();
        let counts = count(&read(rev, &file)?);
        print_row(&file, &counts);
        total.add(&counts);
    }
    print_row("total", &total);
    println!(
        "snippets (rust + zig blocks): {}; prose words: {}",
        total.snippets(),
        total.prose_words
    );
    Ok(())
}

fn print_row(name: &str, c: &Counts) {
    let other: usize = c
        .blocks
        .iter()
        .filter(|(lang, _)| !["rust", "zig", "text"].contains(&lang.as_str()))
        .map(|(_, n)| n)
        .sum();
    println!(
        "{:<44} {:>7} {:>5} {:>4} {:>5} {:>5}",
        name,
        c.prose_words,
        c.of("rust"),
        c.of("zig"),
        c.of("text"),
        other
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_words_skip_code_and_comments_and_blocks_are_counted_by_language() {
        let md = "# Title here\n\nTwo words <!-- hidden words --> after.\n\n\
                  ````markdown\n```rust\nnot counted\n```\n````\n\n\
                  ```rust,no_run\nfn main() {}\n```\n\n```text\nout\n```\n\n\
                  <!-- a\nlong comment -->\n```zig\nconst x = 1;\n```\n";
        let c = count(md);
        // "Title", "here", "Two", "words", "after."; `#` has no letter.
        assert_eq!(c.prose_words, 5);
        assert_eq!(c.of("markdown"), 1);
        assert_eq!(c.of("rust"), 1);
        assert_eq!(c.of("text"), 1);
        assert_eq!(c.of("zig"), 1);
        assert_eq!(c.snippets(), 2);
    }
}
