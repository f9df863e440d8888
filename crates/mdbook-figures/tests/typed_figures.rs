//! Every chapter of the book takes its figures from recorded data: no
//! figure in prose is typed by hand (see `mdbook_figures::scan` for what
//! counts), and every `{{#figure}}` names a value the data has.

use mdbook_figures::{Figures, process_chapter, scan};
use std::fs;
use std::path::{Path, PathBuf};

fn book_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book")
}

/// The chapters `SUMMARY.md` links to, with their text.
fn chapters() -> Vec<(PathBuf, String)> {
    let dir = book_dir();
    let summary = fs::read_to_string(dir.join("SUMMARY.md")).expect("book/SUMMARY.md");
    let mut out = Vec::new();
    for line in summary.lines() {
        let Some(start) = line.find("](") else {
            continue;
        };
        let rest = &line[start + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        if target.is_empty() || !target.ends_with(".md") {
            continue;
        }
        let path = dir.join(target);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push((PathBuf::from("book").join(target), text));
    }
    assert!(
        out.len() > 5,
        "SUMMARY.md lists only {} chapters",
        out.len()
    );
    out
}

#[test]
fn no_chapter_has_a_typed_figure() {
    let mut problems = Vec::new();
    for (path, text) in chapters() {
        match scan::typed_figures(&text) {
            Ok(typed) => problems.extend(typed.into_iter().map(|t| {
                format!(
                    "{}:{}: typed {} figure `{}`: write it with {{{{#figure NAME}}}} from recorded data, \
                     or allow it with `<!-- figures: allow {}: why it is not a measurement -->` before its paragraph",
                    path.display(),
                    t.line,
                    t.kind,
                    t.text,
                    t.number
                )
            })),
            Err(errors) => problems.extend(
                errors
                    .into_iter()
                    .map(|e| format!("{}:{}: {}", path.display(), e.line, e.message)),
            ),
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_directive_names_recorded_data() {
    let chapters = chapters();
    let texts: Vec<&str> = chapters.iter().map(|(_, t)| t.as_str()).collect();
    let figures = Figures::load(&book_dir().join("data"), &texts).expect("book/data");
    let mut problems = Vec::new();
    for (path, text) in &chapters {
        if let Err(d) = process_chapter(path, text, &figures, 0) {
            problems.extend(d.iter().map(ToString::to_string));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The scan is not vacuous on the real chapters: a figure planted in each
/// of them, the way the old notes typed them, is found at its line.
#[test]
fn a_planted_figure_is_found_in_every_chapter() {
    for (path, text) in chapters() {
        let planted = format!("{text}\n\nzigio took 0.90 of Zig's time to a pipe.\n");
        let line = planted[..planted.find("zigio took 0.90").unwrap()]
            .matches('\n')
            .count()
            + 1;
        let typed = scan::typed_figures(&planted).unwrap_or_default();
        assert!(
            typed.iter().any(|t| t.number == "0.90" && t.line == line),
            "{}: the planted `0.90` was not found: {typed:?}",
            path.display()
        );
    }
}
