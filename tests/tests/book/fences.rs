//! The fence policy: which code blocks and attributes a chapter may use.
//!
//! Every Rust block is tested three ways (skeptic, `mdbook test`, the copy
//! check), and the three only agree on plain ```` ```rust ```` blocks. The
//! attributes that weaken a test (`ignore`, `no_run`, `should_panic`) are
//! allowed only with a reason written right before the block:
//!
//! ```markdown
//! <!-- snippet no_run: it waits for input on stdin -->
//! ```rust,no_run
//! ```
//!
//! Everything else that would make the three disagree is refused.

use std::path::Path;

use crate::snippets::{Mode, is_rust_for_rustdoc, snippets};
use book_model::Diagnostic;
use book_model::code::{CodeBlock, code_blocks};

/// Attributes that only change how the block is displayed.
const DISPLAY_ATTRIBUTES: &[&str] = &["noplayground", "noplaypen", "editable"];

/// Attributes that weaken the test of a block; each needs a reason.
const EXCEPTIONS: &[&str] = &["ignore", "no_run", "should_panic"];

/// Checks every code block of one chapter. `crates` are the crates snippets
/// may use (as Rust identifiers, e.g. `zigio`).
pub(crate) fn check_chapter(file: &Path, markdown: &str, crates: &[String]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for block in &code_blocks(markdown) {
        check_block(file, block, &mut problems);
    }
    for snippet in snippets(file, markdown) {
        if snippet.mode == Mode::Ignore {
            continue;
        }
        for name in crates {
            let uses = snippet.lines.iter().any(|l| mentions_crate(&l.text, name));
            let declared = snippet
                .lines
                .iter()
                .any(|l| l.text.trim() == format!("extern crate {name};"));
            if uses && !declared {
                problems.push(Diagnostic::new(
                    file,
                    snippet.line,
                    format!(
                        "the snippet uses `{name}` but has no hidden `# extern crate {name};` line: \
                         `mdbook test` passes crates with -L only, so the snippet must name them"
                    ),
                ));
            }
        }
    }
    problems
}

fn check_block(file: &Path, block: &CodeBlock, problems: &mut Vec<Diagnostic>) {
    let mut problem = |message: String| problems.push(Diagnostic::new(file, block.line, message));
    if !block.fenced {
        problem(
            "indented code block: rustdoc (`mdbook test`) compiles it as Rust while skeptic \
             and the copy check skip it; use a fenced block with a language"
                .into(),
        );
        return;
    }
    let tokens = block.tokens();
    let Some(&lang) = tokens.first() else {
        problem(
            "code block without a language: rustdoc (`mdbook test`) compiles it as Rust while \
             skeptic and the copy check skip it; write ```rust or ```text"
                .into(),
        );
        return;
    };
    // `zig-<version>` marks a per-version port or output (tests/tests/zig
    // checks the versions); it means nothing on any other block.
    if lang != "zig" && lang != "text" {
        for token in tokens.iter().filter(|t| t.starts_with("zig-")) {
            problem(format!(
                "fence attribute `{token}`: version tags belong on ```zig ports and \
                 ```text outputs only, not on a `{lang}` block"
            ));
        }
    }
    if lang != "rust" {
        if is_rust_for_rustdoc(block) {
            problem(format!(
                "fence `{}`: rustdoc reads this block as Rust but skeptic does not; \
                 start the info string with `rust`",
                block.info
            ));
        }
        return;
    }

    let reasons = reasons(block.comment_before.as_deref().unwrap_or(""));
    for &token in &tokens[1..] {
        if DISPLAY_ATTRIBUTES.contains(&token) {
            continue;
        }
        if EXCEPTIONS.contains(&token) {
            if !reasons.iter().any(|(attr, _)| attr == token) {
                problem(format!(
                    "fence attribute `{token}` without a documented reason: write \
                     `<!-- snippet {token}: <why> -->` on the line before the block"
                ));
            }
        } else if token.starts_with("zig-") {
            // Reported above.
        } else if token == "compile_fail" {
            problem(
                "fence attribute `compile_fail`: skeptic 0.14 does not know it and would \
                 run the block as a passing test; show compile errors in crates/zigio's \
                 doc tests instead"
                    .into(),
            );
        } else if token.starts_with("edition") {
            problem(format!(
                "fence attribute `{token}`: skeptic compiles every snippet as 2021 and the \
                 copy check as 2024, so a per-block edition would hold in one test only; \
                 write code valid in both"
            ));
        } else {
            problem(format!("unknown fence attribute `{token}`"));
        }
    }
    for (attr, _) in &reasons {
        if !tokens.contains(&attr.as_str()) {
            problem(format!(
                "a reason is given for `{attr}` but the block has no such attribute"
            ));
        }
    }
}

/// Parses `snippet <attribute>: <reason>` lines of an HTML comment.
fn reasons(comment: &str) -> Vec<(String, String)> {
    let comment = comment.trim();
    let Some(body) = comment
        .strip_prefix("<!--")
        .and_then(|c| c.strip_suffix("-->"))
    else {
        return Vec::new();
    };
    body.lines()
        .filter_map(|line| {
            let (attr, reason) = line.trim().strip_prefix("snippet ")?.split_once(':')?;
            let reason = reason.trim();
            (!reason.is_empty()).then(|| (attr.trim().to_string(), reason.to_string()))
        })
        .collect()
}

/// Whether a line of code names `krate` as a path root (`zigio::`, `use
/// zigio`, `extern crate zigio`), not merely as part of another word.
fn mentions_crate(line: &str, krate: &str) -> bool {
    let code = line.split("//").next().unwrap_or(line);
    code.match_indices(krate).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + krate.len()..];
        let starts_word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let ends_word = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        starts_word
            && ends_word
            && (after.starts_with("::")
                || code[..at].trim_end().ends_with("use")
                || code[..at].trim_end().ends_with("crate"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(md: &str) -> Vec<String> {
        check_chapter(Path::new("ch.md"), md, &["zigio".to_string()])
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn plain_rust_and_other_languages_pass() {
        let md = "```rust\n# extern crate zigio;\nfn main() { let _ = zigio::X; }\n```\n\n```text\nx\n```\n\n```zig\nconst x = 1;\n```\n\n```rust,noplayground\nfn main() {}\n```\n";
        assert_eq!(messages(md), Vec::<String>::new());
    }

    #[test]
    fn exceptions_need_a_reason_right_before_the_block() {
        let md = "```rust,should_panic\nfn main() { panic!() }\n```\n";
        let m = messages(md);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("ch.md:1: fence attribute `should_panic` without a documented reason")
        );

        let md = "<!-- snippet should_panic: it shows the overflow check -->\n```rust,should_panic\nfn main() { panic!() }\n```\n";
        assert_eq!(messages(md), Vec::<String>::new());

        let md = "<!-- snippet no_run: stale -->\n```rust\nfn main() {}\n```\n";
        assert_eq!(
            messages(md),
            ["ch.md:2: a reason is given for `no_run` but the block has no such attribute"]
        );
    }

    #[test]
    fn unknown_and_disagreeing_attributes_are_refused() {
        let m = messages(
            "```rust,compile_fail\nx\n```\n\n```rust,edition2018\nfn main() {}\n```\n\n```rust,nocapture\nfn main() {}\n```\n",
        );
        assert_eq!(m.len(), 3);
        assert!(m[0].starts_with("ch.md:1: fence attribute `compile_fail`"));
        assert!(m[1].starts_with("ch.md:5: fence attribute `edition2018`"));
        assert_eq!(m[2], "ch.md:9: unknown fence attribute `nocapture`");
    }

    #[test]
    fn blocks_rustdoc_would_take_for_rust_are_refused() {
        let m = messages("```\nx\n```\n\n```ignore\nx\n```\n\n    indented\n");
        assert_eq!(m.len(), 3);
        assert!(m[0].starts_with("ch.md:1: code block without a language"));
        assert!(m[1].starts_with("ch.md:5: fence `ignore`"));
        assert!(m[2].starts_with("ch.md:9: indented code block"));
    }

    #[test]
    fn zig_version_tags_only_on_zig_and_text_blocks() {
        let ok = "```zig\nA\n```\n\n```text\na\n```\n\n```text,zig-0.17.1\nb\n```\n\nP\n\n```zig,zig-0.16.0\nB\n```\n";
        assert_eq!(messages(ok), Vec::<String>::new());
        let m = messages("```rust,zig-0.16.0\nfn main() {}\n```\n\n```c,zig-0.17.1\nx\n```\n");
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].starts_with("ch.md:1: fence attribute `zig-0.16.0`: version tags belong on"));
        assert!(m[1].starts_with("ch.md:5: fence attribute `zig-0.17.1`"));
    }

    #[test]
    fn a_snippet_using_a_crate_must_declare_it_for_mdbook_test() {
        let md = "```rust\nuse zigio::Writer;\nfn main() {}\n```\n";
        let m = messages(md);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("no hidden `# extern crate zigio;` line"));
        assert!(!mentions_crate("let notzigio = 1; // zigio::x", "zigio"));
        assert!(mentions_crate("    zigio::fixed(&mut buf);", "zigio"));
        assert!(mentions_crate("use zigio;", "zigio"));
    }
}
