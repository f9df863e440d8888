//! Heading ids against what the real mdBook 0.5.4 renders.
//!
//! `tests/fixtures/ids/*.md` are chapters (one per page of the notes map,
//! with its title and `##` headings verbatim, plus `tricky.md`); the
//! `*.smart.ids` / `*.plain.ids` files next to them list the ids of every
//! `<h1>`–`<h6>` that `mdbook` v0.5.4 rendered for them with
//! `output.html.smart-punctuation` on and off, recorded by `record.sh`.

use mdbook_vault::{MarkdownOptions, headings};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ids")
}

fn chapters() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn options(smart: bool) -> MarkdownOptions {
    MarkdownOptions {
        smart_punctuation: smart,
        ..MarkdownOptions::default()
    }
}

/// Our ids in rendered order: mdBook moves footnote definitions (and the
/// headings in them) to the end of the page.
fn ours(markdown: &str, smart: bool) -> Vec<String> {
    let mut hs = headings(markdown, &options(smart));
    hs.sort_by_key(|h| h.in_footnote);
    hs.into_iter().map(|h| h.id).collect()
}

fn recorded(stem: &str, mode: &str) -> Vec<String> {
    let path = fixture_dir().join(format!("{stem}.{mode}.ids"));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn every_fixture_matches_recorded_mdbook_ids() {
    let chapters = chapters();
    assert_eq!(chapters.len(), 10, "9 notes pages and tricky.md");
    for (stem, markdown) in &chapters {
        for (mode, smart) in [("smart", true), ("plain", false)] {
            assert_eq!(
                ours(markdown, smart),
                recorded(stem, mode),
                "{stem}, {mode}"
            );
        }
    }
}

#[test]
fn notes_map_titles_and_headings_have_the_documented_ids() {
    // Spelled out for the headings whose punctuation matters; the fixture
    // test above covers every heading of every page.
    let cases = [
        ("# Buffer Scheduling", "buffer-scheduling"),
        (
            "# Kelley’s Scheduling Philosophy",
            "kelleys-scheduling-philosophy",
        ),
        ("## 3. Reader/Writer Symmetry", "3-readerwriter-symmetry"),
        (
            "## 1. Memory As Managed Commons (0:36 – 2:06)",
            "1-memory-as-managed-commons-036--206",
        ),
        (
            "## 2. Scheduling Is Inevitable (2:06 – 5:11)",
            "2-scheduling-is-inevitable-206--511",
        ),
        (
            "## 3. Concurrency Models and Function Colouring (5:11 – 9:08)",
            "3-concurrency-models-and-function-colouring-511--908",
        ),
        (
            "## 5. Don’t Forget To Flush (Full Circle)",
            "5-dont-forget-to-flush-full-circle",
        ),
        ("## C++", "c"),
        ("## Java & JVM", "java--jvm"),
    ];
    for (markdown, id) in cases {
        assert_eq!(ours(markdown, true), vec![id], "{markdown}");
    }
}

#[test]
fn duplicates_and_smart_punctuation() {
    let md = "## Setup\n\n## Setup\n\n## Setup 1\n\n## Setup\n\n## a -- b\n\n## Don't\n";
    assert_eq!(
        ours(md, true),
        ["setup", "setup-1", "setup-1-1", "setup-2", "a--b", "dont"]
    );
    assert_eq!(
        ours(md, false),
        ["setup", "setup-1", "setup-1-1", "setup-2", "a----b", "dont"]
    );
}

/// Renders the fixtures with the real `mdbook` binary right now and compares
/// with the recorded ids, so the recording can be trusted to be current.
#[test]
fn recorded_ids_are_what_mdbook_renders_now() {
    let script = fixture_dir().join("record.sh");
    let before: Vec<_> = chapters()
        .iter()
        .flat_map(|(stem, _)| [recorded(stem, "smart"), recorded(stem, "plain")])
        .collect();
    let status = Command::new("bash").arg(&script).status().unwrap();
    assert!(status.success(), "record.sh failed");
    let after: Vec<_> = chapters()
        .iter()
        .flat_map(|(stem, _)| [recorded(stem, "smart"), recorded(stem, "plain")])
        .collect();
    assert_eq!(before, after);
}
