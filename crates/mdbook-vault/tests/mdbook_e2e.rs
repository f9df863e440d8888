//! End to end through the real `mdbook` v0.5.4 binary: the preprocessor
//! protocol, the ordering in `book.toml`, and every generated fragment
//! landing on an id in the rendered HTML.
//!
//! They need `mdbook` v0.5.4, found through `$MDBOOK`, `PATH` or
//! `~/.cargo/bin`; `cargo xtask setup` installs it (every `cargo xtask`
//! command that tests does so first).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use book_model::mdbook::ScratchBook;

/// A fresh book directory with the vault preprocessor configured as the
/// project's book.toml needs it.
fn new_book(name: &str, chapters: &[(&str, &str, &str)]) -> ScratchBook {
    let toml = format!(
        "[preprocessor.vault]\ncommand = \"{}\"\nbefore = [\"links\"]\nafter = [\"index\"]\n",
        env!("CARGO_BIN_EXE_mdbook-vault")
    );
    ScratchBook::new(&format!("mdbook-vault-e2e-{name}-"), &toml, chapters)
}

/// `(href, page it is on)` for every link in the `<main>` of every page.
fn hrefs(out_dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut stack = vec![out_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && !path.ends_with("print.html")
                && !path.ends_with("toc.html")
                && !path.ends_with("404.html")
            {
                let html = fs::read_to_string(&path).unwrap();
                let main = html.split("<main>").nth(1).unwrap_or("");
                let main = main.split("</main>").next().unwrap_or("");
                for piece in main.split("href=\"").skip(1) {
                    let href = piece.split('"').next().unwrap().to_string();
                    found.push((href, path.clone()));
                }
            }
        }
    }
    found
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .expect("ids are UTF-8")
        .into_owned()
}

const SEED: &str = "# Buffer Scheduling\n\nIntro, see [[Introduction]].\n\n## Memory Prisms\n\n\
    `fixed` (`Writer.zig:122-132`) and [[Exploring Zig IO Interfaces#7. Scheduling Bytes]].\n\n\
    ## Links\n\n\
    - [[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 – 5:11)]]\n\
    - [[Andrew Kelley Talk Commentary#5. Don't Forget To Flush (Full Circle)|flush]]\n\
    - [[Exploring Zig IO Interfaces#Setup]] and [[Exploring Zig IO Interfaces#Second#Setup]]\n\
    - [[#Memory Prisms]]\n";

const EXPLORING: &str = "# Exploring Zig IO Interfaces\n\n## Setup\n\n## Second\n\n### Setup\n\n\
    ## 3. Reader/Writer Symmetry\n\n## 7. Scheduling Bytes\n\n\
    Back to [[Buffer Scheduling#Memory Prisms]].\n\n## Linked from\n\n`[[not a link]]`\n";

const TALK: &str = "# Andrew Kelley Talk Commentary\n\n## 2. Scheduling Is Inevitable (2:06 – 5:11)\n\n\
    ## 5. Don’t Forget To Flush (Full Circle)\n\nSee [[Exploring Zig IO Interfaces#Linked from]].\n";

#[test]
fn every_generated_fragment_exists_in_the_rendered_html() {
    let book = new_book(
        "ok",
        &[
            (
                "README.md",
                "Introduction",
                "# Introduction\n\n[[Buffer Scheduling]]\n",
            ),
            ("buffer-scheduling.md", "Buffer Scheduling", SEED),
            (
                "notes/exploring.md",
                "Exploring Zig IO Interfaces",
                EXPLORING,
            ),
            (
                "notes/talk/kelley.md",
                "Andrew Kelley Talk Commentary",
                TALK,
            ),
        ],
    );
    let out = book.build();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut checked = 0;
    for (href, page) in hrefs(&book.root().join("out")) {
        if href.starts_with("http") || !href.contains('#') {
            continue;
        }
        let (path, fragment) = href.split_once('#').unwrap();
        let target = if path.is_empty() {
            page.clone()
        } else {
            page.parent().unwrap().join(percent_decode(path))
        };
        let html = fs::read_to_string(&target)
            .unwrap_or_else(|e| panic!("{href} on {}: {}: {e}", page.display(), target.display()));
        assert!(
            html.contains(&format!("id=\"{fragment}\"")),
            "{href} on {}: no id {fragment}",
            page.display()
        );
        checked += 1;
    }
    // Header self-links plus the wiki links and backlinks written above.
    assert!(checked >= 30, "only {checked} fragment links checked");

    let seed = fs::read_to_string(book.root().join("out/buffer-scheduling.html")).unwrap();
    for expected in [
        "href=\"index.html\"",
        "href=\"notes/exploring.html#7-scheduling-bytes\"",
        "href=\"notes/talk/kelley.html#2-scheduling-is-inevitable-206--511\"",
        "href=\"notes/talk/kelley.html#5-dont-forget-to-flush-full-circle\">flush</a>",
        "href=\"notes/exploring.html#setup\"",
        "href=\"notes/exploring.html#setup-1\"",
        "href=\"#memory-prisms\"",
        "<a href=\"https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Writer.zig#L122-L132\"><code>Writer.zig:122-132</code></a>",
        "<h2 id=\"linked-from\">",
    ] {
        assert!(seed.contains(expected), "missing {expected}");
    }
    let exploring = fs::read_to_string(book.root().join("out/notes/exploring.html")).unwrap();
    assert!(exploring.contains("<code>[[not a link]]</code>"));
    assert!(exploring.contains("<h2 id=\"linked-from-1\">"));
    let talk = fs::read_to_string(book.root().join("out/notes/talk/kelley.html")).unwrap();
    assert!(talk.contains("href=\"../exploring.html#linked-from\""));
}

#[test]
fn broken_links_fail_the_build_with_every_error() {
    let book = new_book(
        "broken",
        &[
            ("buffer-scheduling.md", "Buffer Scheduling", SEED),
            (
                "notes/exploring.md",
                "Exploring Zig IO Interfaces",
                EXPLORING,
            ),
            (
                "notes/bad.md",
                "Bad",
                "# Bad\n\n[[Exploring Zig IO Interface]]\n\n[[Buffer Scheduling#Memory Prism]] `Writer.zig:9-3`\n",
            ),
        ],
    );
    let out = book.build();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "book/buffer-scheduling.md:3: broken wiki link: no chapter has this title: [[Introduction]]",
        "book/buffer-scheduling.md:11: broken wiki link: no chapter has this title: [[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 – 5:11)]]",
        "book/notes/bad.md:3: broken wiki link: no chapter has this title: [[Exploring Zig IO Interface]] (did you mean [[Exploring Zig IO Interfaces]]?)",
        "book/notes/bad.md:5: broken wiki link: the page has no such heading: [[Buffer Scheduling#Memory Prism]] (did you mean [[Buffer Scheduling#Memory Prisms]]?)",
        "book/notes/bad.md:5: citation whose line range ends before it starts: `Writer.zig:9-3` (did you mean `Writer.zig:3-9`?)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
}

#[test]
fn supports_every_renderer() {
    let status = Command::new(env!("CARGO_BIN_EXE_mdbook-vault"))
        .args(["supports", "html"])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn bad_input_fails_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-vault"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mdbook-vault:"));
}
