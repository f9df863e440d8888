//! Properties over random markdown-ish chapters.

use mdbook_vault::citation::extract_citations;
use mdbook_vault::{Chapter, MarkdownOptions, Options, headings, process};
use proptest::prelude::*;
use pulldown_cmark::{Event, Tag};
use std::path::{Component, Path, PathBuf};

/// Fragments that make wiki links, headings, code, quotes, lists, tables,
/// footnotes and citations likely. No `(`, `)` or `:` on their own, so the
/// random text cannot write markdown links of its own (only ours are checked).
const TOKENS: &[&str] = &[
    "[[",
    "]]",
    "[",
    "]",
    "|",
    "#",
    "# ",
    "## ",
    "`",
    "``",
    "```",
    "\n",
    "\n\n",
    " ",
    "  ",
    "!",
    "> ",
    "- ",
    "* ",
    "_",
    "1. ",
    "A",
    "B",
    "Page",
    "x",
    "é",
    "’",
    "'",
    "\"",
    "--",
    "中",
    "🐙",
    "Writer.zig:",
    "Nope.zig:",
    "1",
    "2",
    "-",
    "{#x}",
    "\\",
    "    ",
    "\t",
    "\r\n",
    "&amp;",
    "<b>",
    "</b>",
    "[^n]",
    "\n[^n]: ",
    "| a |",
    "\n|---|\n",
    "=",
    "Setup",
    // Whole links and citations that resolve when the headings exist.
    "[[A]]",
    "[[B|x]]",
    "[[Page#Setup]]",
    "[[#Setup]]",
    "[[A#Setup|*s*]]",
    "\n## Setup\n",
    "`Writer.zig:1-2`",
    "`fixed` `Io.zig:12`",
];

fn content() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

fn chapters(contents: Vec<String>) -> Vec<Chapter> {
    let places = [("a.md", "A"), ("sub/b.md", "B"), ("sub/deep/c.md", "Page")];
    places
        .iter()
        .zip(contents)
        .map(|((path, name), content)| Chapter::new(*path, *name, content))
        .collect()
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(s) => out.push(s),
            _ => {}
        }
    }
    out
}

/// Every link with a fragment in every output chapter lands on an id that
/// the target chapter's rendered page has.
fn assert_fragments_exist(chapters: &[Chapter], outputs: &[String]) {
    let md = MarkdownOptions::default();
    for (chapter, out) in chapters.iter().zip(outputs) {
        for event in md.parser(out) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            if dest_url.starts_with("https://") {
                continue;
            }
            let (path, fragment) = dest_url.split_once('#').unwrap_or((&dest_url, ""));
            let target = if path.is_empty() {
                chapter.path.clone()
            } else {
                normalize(&chapter.path.parent().unwrap().join(path))
            };
            let index = chapters
                .iter()
                .position(|c| c.path == target)
                .unwrap_or_else(|| panic!("{dest_url} from {:?} names no chapter", chapter.path));
            if !fragment.is_empty() {
                let ids: Vec<String> = headings(&outputs[index], &md)
                    .into_iter()
                    .map(|h| h.id)
                    .collect();
                assert!(
                    ids.iter().any(|id| id == fragment),
                    "{dest_url} from {:?}: no id {fragment} in {ids:?}",
                    chapter.path
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_links_land_on_real_ids(contents in prop::collection::vec(content(), 3)) {
        let chapters = chapters(contents);
        let out = process(&chapters, &Options::default());
        prop_assert_eq!(out.chapters.len(), chapters.len());
        if out.is_ok() {
            assert_fragments_exist(&chapters, &out.chapters);
            // A second pass finds nothing left to do.
            let again: Vec<Chapter> = chapters
                .iter()
                .zip(&out.chapters)
                .map(|(c, text)| Chapter::new(c.path.clone(), c.name.clone(), text.clone()))
                .collect();
            let second = process(&again, &Options::default());
            prop_assert!(second.is_ok(), "{:?}", second.diagnostics);
            prop_assert_eq!(second.chapters, out.chapters);
        }
    }

    #[test]
    fn text_without_links_or_citations_is_kept(contents in prop::collection::vec(content(), 3)) {
        let chapters = chapters(contents);
        let out = process(&chapters, &Options::default());
        for (chapter, text) in chapters.iter().zip(&out.chapters) {
            if !chapter.content.contains("[[") && !chapter.content.contains(".zig:") {
                prop_assert!(text.starts_with(&chapter.content));
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(a in any::<String>(), b in "\\PC*") {
        let chapters = chapters(vec![a.clone(), b.clone(), format!("[[A]] {a} [[B#{b}]]")]);
        let out = process(&chapters, &Options::default());
        prop_assert_eq!(out.chapters.len(), 3);
        let _ = extract_citations(&a);
        let _ = headings(&b, &MarkdownOptions::default());
    }
}
