//! The citation API that the book's citation checker builds on.

use mdbook_vault::citation::{CitationProblem, extract_citations};

fn symbols(markdown: &str) -> Vec<(String, Option<String>, bool)> {
    extract_citations(markdown)
        .citations
        .into_iter()
        .map(|c| (c.text, c.symbol, c.symbol_explicit))
        .collect()
}

fn s(text: &str, symbol: Option<&str>, explicit: bool) -> (String, Option<String>, bool) {
    (text.to_string(), symbol.map(String::from), explicit)
}

#[test]
fn the_briefs_examples_map_to_std_paths_and_urls() {
    let md = "`Writer.zig:122-132` `fs/File.zig:1551-2098` `http.zig:882-889` `Io.zig:12-80` \
              `Reader.zig:171` `http/Server.zig:451-490` `tar/Writer.zig:41-58` `File.zig:1551` \
              `http/Client.zig:923-962` `array_list.zig:1-2` `c.zig:3` `std.zig:4-5`";
    let scan = extract_citations(md);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let got: Vec<_> = scan
        .citations
        .iter()
        .map(|c| (c.std_path, c.first_line, c.last_line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Io/Writer.zig", 122, 132),
            ("fs/File.zig", 1551, 2098),
            ("http.zig", 882, 889),
            ("Io.zig", 12, 80),
            ("Io/Reader.zig", 171, 171),
            ("http/Server.zig", 451, 490),
            ("tar/Writer.zig", 41, 58),
            ("fs/File.zig", 1551, 1551),
            ("http/Client.zig", 923, 962),
            ("array_list.zig", 1, 2),
            ("c.zig", 3, 3),
            ("std.zig", 4, 5),
        ]
    );
    assert_eq!(
        scan.citations[6].url(),
        "https://github.com/ziglang/zig/blob/0.15.1/lib/std/tar/Writer.zig#L41-L58"
    );
}

#[test]
fn symbol_is_the_nearest_preceding_code_span_of_the_block() {
    assert_eq!(
        symbols("`fixed` (`Writer.zig:122-132`)"),
        vec![s("Writer.zig:122-132", Some("fixed"), false)]
    );
    assert_eq!(
        symbols("`hashed` and `fixed` (`Writer.zig:122-132`)"),
        vec![s("Writer.zig:122-132", Some("fixed"), false)]
    );
    // Citations are not symbols: both name `consume`.
    assert_eq!(
        symbols("`consume` (`Writer.zig:2294-2309`, `Writer.zig:2311-2316`)"),
        vec![
            s("Writer.zig:2294-2309", Some("consume"), false),
            s("Writer.zig:2311-2316", Some("consume"), false),
        ]
    );
    // Another paragraph, or none at all: no symbol.
    assert_eq!(
        symbols("`fixed` here.\n\nAnd `Writer.zig:122-132` there."),
        vec![s("Writer.zig:122-132", None, false)]
    );
}

#[test]
fn explicit_symbol_wins() {
    assert_eq!(
        symbols("`other` `Writer.zig:122-132 fixed`"),
        vec![s("Writer.zig:122-132 fixed", Some("fixed"), true)]
    );
    assert_eq!(
        symbols("`fs/File.zig:1551-2098 File.Writer`"),
        vec![s(
            "fs/File.zig:1551-2098 File.Writer",
            Some("File.Writer"),
            true
        )]
    );
}

#[test]
fn symbols_in_tables_lists_and_emphasis() {
    let table = "| fn | lines |\n|---|---|\n| `consume` | `Writer.zig:2294-2309` |\n| plain | `Writer.zig:2311-2316` |\n";
    assert_eq!(
        symbols(table),
        vec![
            s("Writer.zig:2294-2309", Some("consume"), false),
            s("Writer.zig:2311-2316", None, false),
        ]
    );
    let list = "- `flush` — `Writer.zig:308-311`\n- `Writer.zig:313-317`\n";
    assert_eq!(
        symbols(list),
        vec![
            s("Writer.zig:308-311", Some("flush"), false),
            s("Writer.zig:313-317", None, false),
        ]
    );
    assert_eq!(
        symbols("**`stream`** *(`Reader.zig:171-182`)*"),
        vec![s("Reader.zig:171-182", Some("stream"), false)]
    );
}

#[test]
fn lines_and_ranges_locate_citations_everywhere_but_code_blocks() {
    let md = "# The fields `Writer.zig:12-16`\n\n[see `Io.zig:12-80`](x.md)\n\n```\n`Writer.zig:1-2`\n```\n\n> quoted `Reader.zig:1236-1242`\n";
    let scan = extract_citations(md);
    let got: Vec<_> = scan
        .citations
        .iter()
        .map(|c| (c.line, &md[c.range.clone()]))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "`Writer.zig:12-16`"),
            (3, "`Io.zig:12-80`"),
            (9, "`Reader.zig:1236-1242`"),
        ]
    );
}

#[test]
fn bad_file_and_reversed_range_are_errors_with_lines() {
    let scan =
        extract_citations("ok `Writer.zig:1-2`\n\n`Server.zig:451-490`\n`Writer.zig:132-122`\n");
    assert_eq!(scan.citations.len(), 1);
    let got: Vec<_> = scan
        .errors
        .iter()
        .map(|e| (e.line, e.text.as_str(), e.problem.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                3,
                "Server.zig:451-490",
                CitationProblem::UnknownFile {
                    file: "Server.zig".into(),
                    suggestion: "http/Server.zig",
                },
            ),
            (
                4,
                "Writer.zig:132-122",
                CitationProblem::ReversedRange {
                    first: 132,
                    last: 122,
                },
            ),
        ]
    );
}

#[test]
fn compiler_messages_and_other_files_are_not_citations() {
    for md in [
        "The compiler says `src/main.zig:3:5: error: expected type 'u8'`.",
        "`Writer.zig:122:5`",
        "`main.zig:12`",
        "`src/main.zig:3-4`",
        "`build.zig:1`",
        "`Writer.zig:12 error: expected type`",
        "`Writer.zig:`",
        "`Writer.zig:a-b`",
    ] {
        let scan = extract_citations(md);
        assert!(
            scan.citations.is_empty() && scan.errors.is_empty(),
            "{md}: {scan:?}"
        );
    }
    // Through the whole pass: the chapter passes untouched.
    let md = "# A\n\nThe compiler says `src/main.zig:3:5: error: expected type 'u8'`, \
              at `Writer.zig:122:5`.\n";
    let out = mdbook_vault::process(
        &[mdbook_vault::Chapter::new("a.md", "A", md)],
        &Default::default(),
    );
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    assert_eq!(out.chapters[0], md);
}

#[test]
fn near_misses_of_std_files_and_bad_numbers_are_still_errors() {
    let problems = |md: &str| -> Vec<_> {
        extract_citations(md)
            .errors
            .into_iter()
            .map(|e| e.problem)
            .collect()
    };
    assert_eq!(
        problems("`Witer.zig:1-2` `Server.zig:5` `writer.zig:3`"),
        vec![
            CitationProblem::UnknownFile {
                file: "Witer.zig".into(),
                suggestion: "Writer.zig"
            },
            CitationProblem::UnknownFile {
                file: "Server.zig".into(),
                suggestion: "http/Server.zig"
            },
            CitationProblem::UnknownFile {
                file: "writer.zig".into(),
                suggestion: "Writer.zig"
            },
        ]
    );
    for md in ["`Writer.zig:0`", "`Writer.zig:1-`", "`Writer.zig:1--2`"] {
        assert_eq!(problems(md), vec![CitationProblem::MalformedRange], "{md}");
    }
}
