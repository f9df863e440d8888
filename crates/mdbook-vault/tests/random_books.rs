//! The whole pass over random books: a seeded, deterministic generator of
//! books (headings, prose with every form of wiki link, good, broken and
//! malformed, citations and near misses, compiler messages in code spans,
//! fenced and indented code holding links and headings, lists, quotes,
//! tables, footnotes, the odd unclosed fence), checked for:
//! * no panic;
//! * code untouched: the code blocks of every output chapter are the input's,
//!   byte for byte, and its code spans have the input's contents, in order;
//! * every error located: its line lies inside its file and, for a link or
//!   citation, the quoted text starts on that line;
//! * determinism: the same book gives the same output.
//!
//! `BOOKS` books per run; a failure names the seed that reproduces it.

use mdbook_vault::{Chapter, MarkdownOptions, Options, Output, Problem, process};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use zigio::random::SplitMix64;

/// How many books one run checks.
const BOOKS: u64 = 300;

/// Draws from Zig's SplitMix64: a deterministic stream fixed by its seed.
struct Rng(SplitMix64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const NAMES: &[&str] = &["A", "Page", "Two Words", "Über Alles", "Setup", "x_y *z*"];
const HEADINGS: &[&str] = &[
    "Setup",
    "Setup",
    "Don't Panic",
    "2:06 -- 5:11",
    "The `drain` Contract",
    "Capability View",
    "Écrire",
    "中文",
    "Linked from",
    "a\\*b",
    "Setup {#custom}",
];
const WORDS: &[&str] = &[
    "bytes",
    "the",
    "drain",
    "--",
    "\"quoted\"",
    "it's",
    "*em*",
    "__strong__",
    "é",
    "🐙",
    "&amp;",
    "<b>x</b>",
    "a|b",
    "#",
    "!",
    "\\[",
    "[x]",
    "x]",
    "\\",
    "1.",
];
const CODE_SPANS: &[&str] = &[
    "x",
    "[[A]]",
    "[[Page#Setup|s]]",
    "fixed",
    "Writer.zig:12-16",
    "Writer.zig:12-16 buffer",
    "Reader.zig:171",
    "src/main.zig:3:5: error: expected type 'u8'",
    "Writer.zig:122:5",
    "main.zig:7",
    "Witer.zig:3",
    "Writer.zig:9-3",
    "Writer.zig:0",
    "a`b",
];
const CODE_LINES: &[&str] = &[
    "## Setup",
    "# Page",
    "[[A#Setup]]",
    "[[Nowhere]]",
    "`Writer.zig:1-2`",
    "src/main.zig:3:5: error: expected type 'u8'",
    "const x: u8 = 1;",
    "[[A|[inner](http://y)]]",
    "",
];

/// What a book may contain: everything, or only what resolves (so that
/// the rewriting of books without errors is exercised as much).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Anything,
    Clean,
}

/// A wiki link, sometimes right, sometimes broken or malformed (only right
/// ones in [`Mode::Clean`]).
fn link(rng: &mut Rng, names: &[String], mode: Mode) -> String {
    if mode == Mode::Clean {
        let page = &names[rng.below(names.len())];
        return match rng.below(5) {
            0 => format!("[[{page}|alias]]"),
            1 => format!("[[{page}|\\*a]]"),
            2 => format!("[[{page}|use `fixed`]]"),
            3 => format!("\\[[{page}]]"),
            _ => format!("[[{page}]]"),
        };
    }
    let page = if rng.chance(80) {
        names[rng.below(names.len())].clone()
    } else {
        rng.pick(&["Nowhere", "Pgae", "Two  Words", ""]).to_string()
    };
    let mut target = page;
    if rng.chance(50) {
        target.push('#');
        target.push_str(rng.pick(&[
            "Setup",
            "Setpu",
            "Don't Panic",
            "2:06 -- 5:11",
            "The drain Contract",
            "Capability Vue",
            "Setup#Setup",
            "",
        ]));
    }
    let alias = match rng.below(8) {
        0 => "|alias".to_string(),
        1 => "|\\*a".to_string(),
        2 => "|use `fixed`".to_string(),
        3 => "|*em* [b]".to_string(),
        4 => "|".to_string(),
        _ => String::new(),
    };
    match rng.below(14) {
        0 => format!("![[{target}]]"),
        1 => format!("[[{target}|[inner](http://y)]]"),
        2 => format!("[[{target}|a\\]]"),
        3 => "[[|]]".to_string(),
        4 => format!("\\[[{target}]]"),
        _ => format!("[[{target}{alias}]]"),
    }
}

/// Code spans that are no error, in any book.
const CLEAN_CODE_SPANS: &[&str] = &[
    "x",
    "[[A]]",
    "Writer.zig:12-16",
    "Writer.zig:12-16 buffer",
    "src/main.zig:3:5: error: expected type 'u8'",
    "Writer.zig:122:5",
    "main.zig:7",
];

/// One line of prose.
fn inline(rng: &mut Rng, names: &[String], mode: Mode) -> String {
    let spans = match mode {
        Mode::Anything => CODE_SPANS,
        Mode::Clean => CLEAN_CODE_SPANS,
    };
    let mut parts = Vec::new();
    for _ in 0..1 + rng.below(7) {
        parts.push(match rng.below(5) {
            0 | 1 => rng.pick(WORDS).to_string(),
            2 => link(rng, names, mode),
            3 => format!("`{}`", rng.pick(spans)),
            _ => format!("`fixed` (`{}`)", rng.pick(spans)),
        });
    }
    parts.join(" ")
}

/// A chapter's markdown.
fn chapter(rng: &mut Rng, name: &str, names: &[String], mode: Mode) -> String {
    let mut md = String::new();
    if rng.chance(80) {
        md.push_str(&format!("# {name}\n\n"));
    }
    for _ in 0..rng.below(12) {
        match rng.below(11) {
            0 | 1 => {
                let level = "#".repeat(1 + rng.below(6));
                md.push_str(&format!("{level} {}\n\n", rng.pick(HEADINGS)));
            }
            2 | 3 => md.push_str(&format!(
                "{}\n{}\n\n",
                inline(rng, names, mode),
                inline(rng, names, mode)
            )),
            4 => {
                let fence = rng.pick(&["```", "~~~", "````"]);
                let lang = rng.pick(&["", "zig", "text", "rust"]);
                md.push_str(&format!("{fence}{lang}\n"));
                for _ in 0..rng.below(4) {
                    md.push_str(rng.pick(CODE_LINES));
                    md.push('\n');
                }
                md.push_str(&format!("{fence}\n\n"));
            }
            5 => md.push_str(&format!(
                "    {}\n    {}\n\n",
                rng.pick(CODE_LINES),
                rng.pick(CODE_LINES)
            )),
            6 => {
                for _ in 0..1 + rng.below(3) {
                    let marker = rng.pick(&["- ", "* ", "1. "]);
                    md.push_str(&format!("{marker}{}\n", inline(rng, names, mode)));
                }
                md.push('\n');
            }
            7 => md.push_str(&format!(
                "> {}\n> [[Two\n> Words|quoted]] {}\n\n",
                inline(rng, names, mode),
                inline(rng, names, mode)
            )),
            8 => md.push_str(&format!(
                "| a | b |\n|---|---|\n| [[A\\|alias]] | {} |\n\n",
                inline(rng, names, mode).replace('|', "\\|")
            )),
            9 => md.push_str(&format!(
                "x[^n]\n\n[^n]: {}\n\n## {}\n\n",
                inline(rng, names, mode),
                rng.pick(HEADINGS)
            )),
            _ => md.push_str(&format!("Term\n: {}\n\n", inline(rng, names, mode))),
        }
    }
    if mode == Mode::Anything && rng.chance(3) {
        md.push_str("```\nunclosed fence\n");
    }
    if rng.chance(10) {
        md = md.replace('\n', "\r\n");
    }
    md
}

fn book(seed: u64) -> Vec<Chapter> {
    let mut rng = Rng(SplitMix64::init(seed));
    let mode = if rng.chance(50) {
        Mode::Clean
    } else {
        Mode::Anything
    };
    let count = 1 + rng.below(4);
    let mut names: Vec<String> = (0..count).map(|_| rng.pick(NAMES).to_string()).collect();
    if mode == Mode::Clean {
        // Distinct titles, one of them "Two Words" for the quoted link.
        names = NAMES[..count.max(3)]
            .iter()
            .map(|n| n.to_string())
            .collect();
    }
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let dir = rng.pick(&["", "sub/", "sub/deep/"]);
            let content = chapter(&mut rng, name, &names, mode);
            Chapter::new(format!("{dir}c{i}.md"), name.clone(), content)
        })
        .collect()
}

/// The source bytes of every code block, and the content of every code
/// span, in document order, as mdBook's renderer parses `markdown`.
fn code(markdown: &str) -> (Vec<&str>, Vec<String>) {
    let mut blocks = Vec::new();
    let mut spans = Vec::new();
    for (event, range) in MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        match event {
            Event::Start(Tag::CodeBlock(_)) => blocks.push(&markdown[range]),
            Event::Code(c) => spans.push(c.to_string()),
            _ => {}
        }
    }
    (blocks, spans)
}

/// Source text as diagnostics quote it: line breaks, with the indentation
/// and `>` markers that continue the line, shown as one space.
fn as_written(source: &str) -> String {
    let mut out = String::new();
    for (i, line) in source.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i > 0 {
            out.push(' ');
            out.push_str(line.trim_start_matches(|c: char| c.is_whitespace() || c == '>'));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Whether `target`, quoted as [`as_written`] quotes, starts on 1-based
/// `line` of `text`.
fn starts_on_line(text: &str, line: usize, target: &str) -> bool {
    let Some(start) = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .reduce(|a, b| a + b)
        .or(Some(0))
    else {
        return false;
    };
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    (start..end).filter(|&s| text.is_char_boundary(s)).any(|s| {
        let mut stop = (s + 4 * target.len() + 16).min(text.len());
        while !text.is_char_boundary(stop) {
            stop -= 1;
        }
        as_written(&text[s..stop]).starts_with(target)
    })
}

/// How many `[[` … `]]` the page shows as text, within one block each,
/// not counting openers the author escaped (`\[[`): each is a wiki link
/// that was not rewritten, so each must have been reported.
fn visible_wiki_brackets(markdown: &str) -> usize {
    let mut brackets: Vec<(usize, char)> = Vec::new();
    let mut in_code_block = false;
    let mut count = 0;
    let mut flush = |brackets: &mut Vec<(usize, char)>| {
        let mut i = 0;
        while i + 1 < brackets.len() {
            let pair = |k: usize, c: char| {
                brackets[k].1 == c
                    && brackets[k + 1].1 == c
                    && brackets[k].0 + 1 == brackets[k + 1].0
            };
            if pair(i, '[') && !markdown[..brackets[i].0].ends_with('\\') {
                match (i + 2..brackets.len() - 1).find(|&k| pair(k, ']')) {
                    Some(close) => {
                        count += 1;
                        i = close + 2;
                        continue;
                    }
                    None => break,
                }
            }
            i += 1;
        }
        brackets.clear();
    };
    for (event, range) in MarkdownOptions::default()
        .parser(markdown)
        .into_offset_iter()
    {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            // Brackets are text events of their own (`![` of an embed too).
            Event::Text(t) if !in_code_block && matches!(&*t, "[" | "]" | "![") => {
                let c = if &*t == "]" { ']' } else { '[' };
                brackets.push((range.end - 1, c));
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => flush(&mut brackets),
            _ => {}
        }
    }
    flush(&mut brackets);
    count
}

fn check(seed: u64, chapters: &[Chapter], out: &Output) {
    assert_eq!(out.chapters.len(), chapters.len());
    for (chapter, text) in chapters.iter().zip(&out.chapters) {
        let file = std::path::Path::new("book").join(&chapter.path);
        let reported = out
            .diagnostics
            .iter()
            .filter(|d| d.file == file && d.target.contains("[["))
            .count();
        assert_eq!(
            visible_wiki_brackets(text),
            reported,
            "seed {seed}: {file:?}: wiki links left in the page vs reported ({:#?}):\n{text}",
            out.diagnostics
                .iter()
                .filter(|d| d.file == file)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        );
    }
    for (chapter, text) in chapters.iter().zip(&out.chapters) {
        let (blocks_in, spans_in) = code(&chapter.content);
        let (blocks_out, spans_out) = code(text);
        assert_eq!(
            blocks_in, blocks_out,
            "seed {seed}: code blocks of {:?}",
            chapter.path
        );
        assert_eq!(
            spans_in, spans_out,
            "seed {seed}: code spans of {:?}",
            chapter.path
        );
    }
    for d in &out.diagnostics {
        let chapter = chapters
            .iter()
            .find(|c| d.file == std::path::Path::new("book").join(&c.path))
            .unwrap_or_else(|| panic!("seed {seed}: {d}: no such chapter"));
        let lines = chapter.content.split('\n').count();
        assert!(
            (1..=lines).contains(&d.line),
            "seed {seed}: {d}: line outside the file ({lines} lines)"
        );
        if d.problem != Problem::BacklinksNotAppended {
            assert!(
                starts_on_line(&chapter.content, d.line, &d.target),
                "seed {seed}: {d}: the quoted text does not start on that line"
            );
        }
    }
}

#[test]
fn random_books_keep_code_and_locate_every_error() {
    let mut errors = 0usize;
    let mut ok_books = 0usize;
    for seed in 0..BOOKS {
        let chapters = book(seed);
        let out = catch_unwind(AssertUnwindSafe(|| process(&chapters, &Options::default())))
            .unwrap_or_else(|_| panic!("seed {seed}: process panicked on {chapters:#?}"));
        check(seed, &chapters, &out);
        assert_eq!(
            out,
            process(&chapters, &Options::default()),
            "seed {seed}: not deterministic"
        );
        errors += out.diagnostics.len();
        ok_books += usize::from(out.is_ok());
    }
    eprintln!("{BOOKS} books: {errors} errors, {ok_books} books without error");
    // The generator must exercise both outcomes, or the checks prove little.
    assert!(
        errors > BOOKS as usize,
        "only {errors} errors in {BOOKS} books"
    );
    assert!(
        ok_books > 0 && ok_books < BOOKS as usize,
        "{ok_books} of {BOOKS} books had no error"
    );
}

#[test]
fn the_checks_see_what_they_look_for() {
    // Brackets a reader would see, and brackets an author escaped or wrote
    // in code.
    assert_eq!(visible_wiki_brackets("See [[A|[inner](http://y)]].\n"), 1);
    assert_eq!(visible_wiki_brackets("And [[A|a\\]] too [[B]].\n"), 2);
    assert_eq!(visible_wiki_brackets("- [[|]]\n- [[x|[b]]]\n"), 2);
    assert_eq!(
        visible_wiki_brackets("\\[[A]] `[[A]]`\n\n```\n[[A]]\n```\n"),
        0
    );
    assert_eq!(visible_wiki_brackets("[[A\n\nB]]\n"), 0);
    assert_eq!(visible_wiki_brackets("![[pic.png]]\n"), 1);
    // Quoted text located on its line, through block-quote continuations.
    assert!(starts_on_line(
        "x\n> [[Two\n> Words]]\n",
        2,
        "[[Two Words]]"
    ));
    assert!(!starts_on_line("[[A]]\nx\n", 2, "[[A]]"));
    // The generator is deterministic.
    assert_eq!(book(7), book(7));
}
