//! Citations rendered per Zig release from the recorded table: one element
//! per later release after each 0.15.1 link, valid wherever the citation
//! sits, and a citation the table lacks failing the build at its line.

use mdbook_vault::versions::CitationTable;
use mdbook_vault::{Chapter, Options, Problem, process};
use pulldown_cmark::{Parser, html};

const TABLE: &str = "\
path\tlines\tsymbol\tversion\tstatus\tat_path\tat_lines\tname
Io/Writer.zig\t333-339\trebase\t0.16.0\tmoved\tIo/Writer.zig\t340-346\trebase
Io/Writer.zig\t333-339\trebase\t0.17.1\tsame\tIo/Writer.zig\t333-339\trebase
fs/File.zig\t1585\tmax_buffers_len\t0.16.0\tremoved\t-\t-\t-
fs/File.zig\t1585\tmax_buffers_len\t0.17.1\tremoved\t-\t-\t-
";

fn run(markdown: &str) -> mdbook_vault::Output {
    let options = Options {
        citation_table: Some(CitationTable::parse(TABLE).unwrap()),
        ..Options::default()
    };
    process(&[Chapter::new("ch.md", "Ch", markdown)], &options)
}

fn to_html(markdown: &str) -> String {
    let mut out = String::new();
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

const MOVED: &str = "<span class=\"zig-citation-version\" data-zig-version=\"0.16.0\"> (0.16.0: \
     <a href=\"https://github.com/ziglang/zig/blob/0.16.0/lib/std/Io/Writer.zig#L340-L346\">\
     <code>Io/Writer.zig:340-346</code></a>)</span>";

#[test]
fn a_paragraph_citation_is_followed_by_each_release() {
    let out = run("`rebase` (`Writer.zig:333-339`) makes room.\n");
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    let html = to_html(&out.chapters[0]);
    assert!(
        html.contains(
            "<code>Writer.zig:333-339</code></a>\
             <span class=\"zig-citation-version\" data-zig-version=\"0.16.0\">"
        ),
        "{html}"
    );
    assert!(html.contains(MOVED), "{html}");
    assert!(
        html.contains(
            "data-zig-version=\"0.17.1\"> (0.17.1: <a href=\"https://github.com/ziglang/zig/blob/\
             0.17.1/lib/std/Io/Writer.zig#L333-L339\"><code>Io/Writer.zig:333-339</code></a>)</span>"
        ),
        "{html}"
    );
    // Inline: the paragraph is still one paragraph.
    assert_eq!(html.matches("<p>").count(), 1, "{html}");
}

#[test]
fn removed_symbols_say_so_in_lists_and_tables() {
    let md = "- `max_buffers_len` (`File.zig:1585`) slices\n\n\
              | what | where |\n|---|---|\n| `max_buffers_len` | `File.zig:1585` |\n";
    let out = run(md);
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    let html = to_html(&out.chapters[0]);
    let li = html
        .split("<li>")
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(
        li.contains("(0.16.0: <code>max_buffers_len</code> removed)</span>"),
        "{html}"
    );
    // The table keeps two cells a row; the elements sit in the second.
    let row = html.split("<tbody>").nth(1).unwrap();
    assert_eq!(row.matches("<td>").count(), 2, "{html}");
    let cell = row.split("<td>").nth(2).unwrap();
    assert!(
        cell.contains(
            "data-zig-version=\"0.17.1\"> (0.17.1: <code>max_buffers_len</code> removed)"
        ),
        "{html}"
    );
}

#[test]
fn a_citation_missing_from_the_table_fails_at_its_line() {
    let out = run("Intro.\n\n`drain` (`Writer.zig:333-339`) drains.\n");
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(d.line, 3);
    assert_eq!(
        d.problem,
        Problem::UnrecordedCitation(vec!["0.16.0".into(), "0.17.1".into()])
    );
    let message = d.to_string();
    assert!(message.starts_with("book/ch.md:3"), "{message}");
    assert!(message.contains("0.16.0, 0.17.1"), "{message}");
    assert!(message.contains("BOOK_RECORD=1"), "{message}");
}

#[test]
fn without_a_table_citations_link_to_the_baseline_only() {
    let out = process(
        &[Chapter::new(
            "ch.md",
            "Ch",
            "`drain` (`Writer.zig:333-339`)\n",
        )],
        &Options::default(),
    );
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    assert!(!out.chapters[0].contains("data-zig-version"));
    assert!(out.chapters[0].contains("blob/0.15.1/lib/std/Io/Writer.zig#L333-L339"));
}
