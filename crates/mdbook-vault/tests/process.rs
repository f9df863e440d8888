//! The whole-book pass: wiki links, broken links, backlinks and citations.

use mdbook_vault::{Chapter, Options, Output, Problem, process};
use std::fs;
use std::path::Path;

fn fixture(stem: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ids")
        .join(format!("notes-{stem}.md"));
    fs::read_to_string(path).unwrap()
}

/// The eight notes of the closure, some in subdirectories, with the fixture
/// pages' titles and headings; `seed` is the text of the first chapter.
fn book(seed: &str) -> Vec<Chapter> {
    vec![
        Chapter::new("buffer-scheduling.md", "Buffer Scheduling", seed),
        Chapter::new(
            "notes/exploring.md",
            "Exploring Zig IO Interfaces",
            fixture("exploring-zig-io-interfaces"),
        ),
        Chapter::new(
            "notes/talk/kelley.md",
            "Andrew Kelley Talk Commentary",
            fixture("andrew-kelley-talk-commentary"),
        ),
        Chapter::new(
            "stateful.md",
            "Stateful Interface Ontology",
            fixture("stateful-interface-ontology"),
        ),
        Chapter::new(
            "cases/http.md",
            "HTTP BodyWriter Case Study",
            fixture("http-bodywriter-case-study"),
        ),
        Chapter::new(
            "cases/tar.md",
            "Tar Writer Case Study",
            fixture("tar-writer-case-study"),
        ),
        Chapter::new(
            "cases/hashed.md",
            "Hashed Writer Pattern",
            fixture("hashed-writer-pattern"),
        ),
        Chapter::new(
            "comparative.md",
            "Comparative Interface Patterns",
            fixture("comparative-interface-patterns"),
        ),
    ]
}

fn run(chapters: &[Chapter]) -> Output {
    process(chapters, &Options::default())
}

fn ok(chapters: &[Chapter]) -> Vec<String> {
    let out = run(chapters);
    assert!(out.is_ok(), "{:#?}", out.diagnostics);
    out.chapters
}

#[test]
fn the_seed_links_reach_the_exact_mdbook_ids() {
    let seed = "# Buffer Scheduling\n\n## Links\n\n\
        - [[Exploring Zig IO Interfaces#7. Scheduling Bytes]]\n\
        - [[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 – 5:11)]]\n\
        - [[Stateful Interface Ontology#Scheduling Is Data]]\n";
    let out = ok(&book(seed));
    assert_eq!(
        out[0],
        "# Buffer Scheduling\n\n## Links\n\n\
         - [Exploring Zig IO Interfaces › 7. Scheduling Bytes](notes/exploring.md#7-scheduling-bytes)\n\
         - [Andrew Kelley Talk Commentary › 2. Scheduling Is Inevitable \\(2:06 – 5:11\\)](notes/talk/kelley.md#2-scheduling-is-inevitable-206--511)\n\
         - [Stateful Interface Ontology › Scheduling Is Data](stateful.md#scheduling-is-data)\n"
    );
}

#[test]
fn all_link_forms() {
    let seed = "# Buffer Scheduling\n\n## Memory Prisms\n\n\
        A [[Stateful Interface Ontology]].\n\
        B [[Stateful Interface Ontology#Capability View]].\n\
        C [[Stateful Interface Ontology|the ontology]].\n\
        D [[Stateful Interface Ontology#Capability View|capabilities]].\n\
        E [[#Memory Prisms]] and [[Buffer Scheduling#Memory Prisms|here]] and [[Buffer Scheduling]].\n";
    let out = ok(&book(seed));
    assert_eq!(
        out[0],
        "# Buffer Scheduling\n\n## Memory Prisms\n\n\
         A [Stateful Interface Ontology](stateful.md).\n\
         B [Stateful Interface Ontology › Capability View](stateful.md#capability-view).\n\
         C [the ontology](stateful.md).\n\
         D [capabilities](stateful.md#capability-view).\n\
         E [Memory Prisms](#memory-prisms) and [here](#memory-prisms) and [Buffer Scheduling](buffer-scheduling.md).\n"
    );
}

#[test]
fn relative_paths_between_subdirectories() {
    let mut chapters = book("# Buffer Scheduling\n");
    chapters[4].content.push_str(
        "\nSee [[Hashed Writer Pattern#Flow]], [[Andrew Kelley Talk Commentary]] \
         and [[Buffer Scheduling]].\n",
    );
    let out = ok(&chapters);
    assert!(out[4].ends_with(
        "\nSee [Hashed Writer Pattern › Flow](hashed.md#flow), \
         [Andrew Kelley Talk Commentary](../notes/talk/kelley.md) \
         and [Buffer Scheduling](../buffer-scheduling.md).\n"
    ));
}

#[test]
fn heading_matching_follows_smart_punctuation_and_nesting() {
    let chapters = vec![
        Chapter::new(
            "a.md",
            "A",
            "# A\n\n[[B#5. Don't Forget To Flush (Full Circle)]] \
             [[B#2:06 -- 5:11]] [[B#Second#Setup]] [[B#The drain contract]]\n",
        ),
        Chapter::new(
            "b.md",
            "B",
            "# B\n\n## 5. Don’t Forget To Flush (Full Circle)\n\n## 2:06 – 5:11\n\n\
             ## First\n\n### Setup\n\n## Second\n\n### Setup\n\n## The `drain` contract\n",
        ),
    ];
    let out = ok(&chapters);
    let first_line = out[0].lines().nth(2).unwrap();
    assert_eq!(
        first_line,
        "[B › 5. Don't Forget To Flush \\(Full Circle\\)](b.md#5-dont-forget-to-flush-full-circle) \
         [B › 2:06 -- 5:11](b.md#206--511) \
         [B › Second › Setup](b.md#setup-1) \
         [B › The drain contract](b.md#the-drain-contract)"
    );
}

#[test]
fn alias_text_is_escaped() {
    let chapters = vec![Chapter::new(
        "a.md",
        "A",
        "# A\n\n[[A|*not* [a] <b>link</b> `co*de` & \\| x_y]]\n",
    )];
    let out = ok(&chapters);
    assert_eq!(
        out[0],
        "# A\n\n[not \\[a\\] \\<b\\>link\\</b\\> `co*de` \\& \\| x\\_y](a.md)\n"
    );
}

#[test]
fn page_names_with_metacharacters_are_escaped_in_link_text() {
    let chapters = vec![
        Chapter::new("a.md", "A", "# A\n\n[[C++ & *Java*]]\n"),
        Chapter::new("c.md", "C++ & *Java*", "# C++\n"),
    ];
    let out = ok(&chapters);
    assert!(out[0].contains("[C++ \\& \\*Java\\*](c.md)"), "{}", out[0]);
}

#[test]
fn code_is_left_alone() {
    let body =
        "# A\n\n`[[A]]` and ``[[A#x]]``\n\n```md\n[[A]]\n`Writer.zig:1-2`\n```\n\n    [[A]]\n";
    let chapters = vec![Chapter::new("a.md", "A", body)];
    assert_eq!(ok(&chapters)[0], body);
}

#[test]
fn everything_outside_links_is_byte_identical() {
    let body = "# A\r\n\r\n*  weird   spacing*  [[A]]\ttabs\r\n\r\n| t | `Io.zig:12-80` |\r\n|---|---|\r\n";
    let chapters = vec![Chapter::new("a.md", "A", body)];
    assert_eq!(
        ok(&chapters)[0],
        "# A\r\n\r\n*  weird   spacing*  [A](a.md)\ttabs\r\n\r\n\
         | t | [`Io.zig:12-80`](https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io.zig#L12-L80) |\r\n|---|---|\r\n"
    );
}

#[test]
fn wiki_links_in_headings_feed_the_ids() {
    let chapters = vec![
        Chapter::new(
            "a.md",
            "A",
            "# A\n\n## See [[B]]\n\n## See [[B|bee]] too\n\n[[A#See B]] [[#See bee too]]\n",
        ),
        Chapter::new("b.md", "B", "# B\n"),
    ];
    let out = ok(&chapters);
    assert!(
        out[0].contains("[A › See B](#see-b) [See bee too](#see-bee-too)"),
        "{}",
        out[0]
    );
}

#[test]
fn broken_links_are_all_reported_with_file_line_and_suggestion() {
    let mut chapters = book("# Buffer Scheduling\n\n## Links\n\n[[Exploring Zig IO Interface]]\n");
    chapters[3].source_path = None;
    chapters[3].content.push_str(
        "\n[[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 - 5:11)]]\n\
         [[Stateful Interface Ontology#Capability Vue]] ![[diagram.png]]\n\
         [[#Naming Alternatives]] [[#Naming Alternative]]\n",
    );
    let out = run(&chapters);
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.to_string_lossy().into_owned(),
                d.line,
                d.target.as_str(),
                d.problem.clone(),
                d.suggestion.as_deref(),
            )
        })
        .collect();
    let stateful = "book/stateful.md";
    assert_eq!(
        got,
        vec![
            (
                "book/buffer-scheduling.md".to_string(),
                5,
                "[[Exploring Zig IO Interface]]",
                Problem::MissingPage,
                Some("[[Exploring Zig IO Interfaces]]"),
            ),
            (
                stateful.to_string(),
                24,
                "[[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 - 5:11)]]",
                Problem::MissingHeading,
                Some("[[Andrew Kelley Talk Commentary#2. Scheduling Is Inevitable (2:06 – 5:11)]]"),
            ),
            (
                stateful.to_string(),
                25,
                "[[Stateful Interface Ontology#Capability Vue]]",
                Problem::MissingHeading,
                Some("[[Stateful Interface Ontology#Capability View]]"),
            ),
            (
                stateful.to_string(),
                25,
                "![[diagram.png]]",
                Problem::UnsupportedEmbed,
                None,
            ),
            (
                stateful.to_string(),
                26,
                "[[#Naming Alternative]]",
                Problem::MissingHeading,
                Some("[[#Naming Alternatives]]"),
            ),
        ]
    );
    // Broken links are left as written; the good one is rewritten.
    assert!(out.chapters[3].contains("[[#Naming Alternative]]"));
    assert!(out.chapters[3].contains("[Naming Alternatives](#naming-alternatives)"));
    let message = out.diagnostics[0].to_string();
    assert_eq!(
        message,
        "book/buffer-scheduling.md:5: broken wiki link: no chapter has this title: \
         [[Exploring Zig IO Interface]] (did you mean [[Exploring Zig IO Interfaces]]?)"
    );
}

#[test]
fn diagnostics_name_the_source_file_and_source_dir() {
    let mut chapter = Chapter::new("index.md", "Intro", "# Intro\n\n[[Nowhere]]\n");
    chapter.source_path = Some("README.md".into());
    let options = Options {
        source_dir: "src".into(),
        ..Options::default()
    };
    let out = process(&[chapter], &options);
    assert_eq!(out.diagnostics[0].file, Path::new("src/README.md"));
    assert_eq!(out.diagnostics[0].line, 3);
}

#[test]
fn duplicate_titles_are_ambiguous() {
    let chapters = vec![
        Chapter::new("a.md", "Same", "[[Same]]\n"),
        Chapter::new("b.md", "Same", "text\n"),
    ];
    let out = run(&chapters);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].problem, Problem::AmbiguousPage);
}

#[test]
fn backlinks_list_linking_pages_and_headings() {
    let seed = "# Buffer Scheduling\n\nIntro [[Stateful Interface Ontology]].\n\n\
        ## Memory Prisms\n\nSee [[Stateful Interface Ontology#Capability View]] \
        and [[Stateful Interface Ontology|again]].\n\n## Links\n\n[[Stateful Interface Ontology]]\n";
    let mut chapters = book(seed);
    chapters[1]
        .content
        .push_str("\n[[Stateful Interface Ontology#Interface As Object]]\n");
    chapters[3]
        .content
        .push_str("\n[[#Capability View]] [[Buffer Scheduling]]\n");
    let out = ok(&chapters);
    let appended = &out[3][out[3].find("\n## Linked from").unwrap()..];
    assert_eq!(
        appended,
        "\n## Linked from {#linked-from}\n\n\
         - [Buffer Scheduling](buffer-scheduling.md): [Memory Prisms](buffer-scheduling.md#memory-prisms), [Links](buffer-scheduling.md#links)\n\
         - [Exploring Zig IO Interfaces](notes/exploring.md): [Suggested Reading Order](notes/exploring.md#suggested-reading-order)\n"
    );
    // A page's links to itself do not make backlinks; pages nobody links to
    // get none.
    assert!(out[0].ends_with(
        "\n## Linked from {#linked-from}\n\n\
         - [Stateful Interface Ontology](stateful.md): [Naming Alternatives](stateful.md#naming-alternatives)\n"
    ));
    assert_eq!(out[6], chapters[6].content);
}

#[test]
fn backlinks_heading_does_not_disturb_existing_ids() {
    let a = "# A\n\n## Linked from\n\n## Linked from 1";
    let chapters = vec![
        Chapter::new("a.md", "A", a),
        Chapter::new(
            "b.md",
            "B",
            "# B\n\n[[A#Linked from]] [[A#Linked from 1]]\n",
        ),
    ];
    let out = ok(&chapters);
    assert!(
        out[1].contains(
            "[A › Linked from](a.md#linked-from) [A › Linked from 1](a.md#linked-from-1)"
        )
    );
    assert_eq!(
        out[0],
        format!("{a}\n\n## Linked from {{#linked-from-2}}\n\n- [B](b.md)\n")
    );
    let ids = |md: &str| -> Vec<String> {
        mdbook_vault::headings(md, &Default::default())
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(
        ids(&out[0]),
        ["a", "linked-from", "linked-from-1", "linked-from-2"]
    );
}

#[test]
fn backlinks_that_cannot_be_appended_are_reported() {
    let chapters = vec![
        Chapter::new("a.md", "A", "[[B]]\n"),
        Chapter::new("b.md", "B", "# B\n\n```\nunclosed fence\n"),
    ];
    let out = run(&chapters);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].problem, Problem::BacklinksNotAppended);
    assert_eq!(out.chapters[1], chapters[1].content);
}

#[test]
fn citations_become_links_and_bad_ones_are_reported() {
    let chapters = vec![Chapter::new(
        "a.md",
        "A",
        "# A\n\n`fixed` (`Writer.zig:122-132`), `Reader.zig:171`.\n\n\
         `Witer.zig:1-2` and `Writer.zig:9-3` and `fs/File.zig:1551-2098`\n",
    )];
    let out = run(&chapters);
    assert_eq!(
        out.chapters[0],
        "# A\n\n`fixed` ([`Writer.zig:122-132`](https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Writer.zig#L122-L132)), \
         [`Reader.zig:171`](https://github.com/ziglang/zig/blob/0.15.1/lib/std/Io/Reader.zig#L171).\n\n\
         `Witer.zig:1-2` and `Writer.zig:9-3` and \
         [`fs/File.zig:1551-2098`](https://github.com/ziglang/zig/blob/0.15.1/lib/std/fs/File.zig#L1551-L2098)\n"
    );
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.problem.clone(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (5, Problem::UnknownZigFile, Some("`Writer.zig:1-2`")),
            (5, Problem::ReversedRange, Some("`Writer.zig:3-9`")),
        ]
    );
}

#[test]
fn links_that_name_nothing_are_errors_quoted_as_written() {
    let chapters = vec![Chapter::new(
        "a.md",
        "A",
        "# A\n\n[[#]] [[|]] [[#|x]] [[ | x]]\n",
    )];
    let out = run(&chapters);
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.target.as_str(), d.problem.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("[[#]]", Problem::MissingPage),
            ("[[|]]", Problem::MalformedWikiLink),
            ("[[#|x]]", Problem::MissingPage),
            ("[[ | x]]", Problem::MissingPage),
        ]
    );
    assert_eq!(out.chapters[0], chapters[0].content);
}

/// The text of each link of `markdown` as mdBook renders it.
fn rendered_link_texts(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut texts = Vec::new();
    let mut open: Option<String> = None;
    for event in mdbook_vault::MarkdownOptions::default().parser(markdown) {
        match event {
            Event::Start(Tag::Link { .. }) => open = Some(String::new()),
            Event::End(TagEnd::Link) => texts.extend(open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(o) = open.as_mut() {
                    o.push_str(&t);
                }
            }
            _ => {}
        }
    }
    texts
}

#[test]
fn an_alias_may_start_with_a_backslash_escape() {
    for (alias, shown) in [
        ("\\*a", "*a"),
        ("\\\\", "\\"),
        ("\\[x\\]", "[x]"),
        ("\\#1 \\*b", "#1 *b"),
        ("x \\*a", "x *a"),
    ] {
        let chapters = vec![Chapter::new("a.md", "A", format!("[[A|{alias}]]\n"))];
        let out = ok(&chapters);
        assert_eq!(
            rendered_link_texts(&out[0]),
            vec![shown],
            "{alias}: {}",
            out[0]
        );
    }
    let out = ok(&[Chapter::new("t.md", "T", "[[T|\\*a]]\n")]);
    assert_eq!(out[0], "[\\*a](t.md)\n");
}

#[test]
fn suggestions_are_only_for_similar_names() {
    let chapters = vec![Chapter::new(
        "home.md",
        "Home",
        "# Home\n\n```\n## Setup\n```\n\n\
         [[Two Lines]] [[#Setup]] [[#Setpu]] [[Hmoe]] [[#Hoem]] [[Home#Hom]]\n",
    )];
    let out = run(&chapters);
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.target.as_str(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("[[Two Lines]]", None),
            ("[[#Setup]]", None),
            ("[[#Setpu]]", None),
            ("[[Hmoe]]", Some("[[Home]]")),
            ("[[#Hoem]]", Some("[[#Home]]")),
            ("[[Home#Hom]]", Some("[[Home#Home]]")),
        ]
    );
}

#[test]
fn links_the_parser_cannot_form_are_reported_not_skipped() {
    let links = "# Links\n\nSee [[Target Page|[inner](http://y)]].\n\n\
                 And [[Target Page|a\\]] too.\n\n\
                 Kept: `[[Target Page|a\\]]`, \\[[not a link]] and [[Target Page|fine]].\n";
    let chapters = vec![
        Chapter::new("links.md", "Links", links),
        Chapter::new("target.md", "Target Page", "# Target Page\n"),
    ];
    let out = run(&chapters);
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.target.as_str(), d.problem.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                3,
                "[[Target Page|[inner](http://y)]]",
                Problem::MalformedWikiLink
            ),
            (5, "[[Target Page|a\\]]", Problem::MalformedWikiLink),
        ]
    );
    assert_eq!(
        out.diagnostics[1].to_string(),
        "book/links.md:5: malformed wiki link: not read as a link (an alias cannot hold a link, \
         and `\\]` escapes a closing bracket): [[Target Page|a\\]]"
    );
}

#[test]
fn an_empty_alias_does_not_hide_what_follows() {
    let chapters = vec![Chapter::new(
        "a.md",
        "A",
        "# A\n\n- [[A|]] *em* ![[pic.png]] [[Nowhere]] `Writer.zig:1`\n",
    )];
    let out = run(&chapters);
    let got: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.target.as_str(), d.problem.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("![[pic.png]]", Problem::UnsupportedEmbed),
            ("[[Nowhere]]", Problem::MissingPage),
        ]
    );
    assert!(
        out.chapters[0]
            .starts_with("# A\n\n- [A](a.md) *em* ![[pic.png]] [[Nowhere]] [`Writer.zig:1`]("),
        "{}",
        out.chapters[0]
    );
}

#[test]
fn a_link_right_after_a_bracket_keeps_the_bracket_markdown() {
    let chapters = [
        Chapter::new(
            "a.md",
            "A",
            "Note[^n][[B]] and [word][[B|b]].\n\n[^n]: A footnote.\n",
        ),
        Chapter::new("b.md", "B", "# B\n"),
    ];
    let out = run(&chapters);
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    let html = {
        let mut html = String::new();
        let parser =
            pulldown_cmark::Parser::new_ext(&out.chapters[0], pulldown_cmark::Options::all());
        pulldown_cmark::html::push_html(&mut html, parser);
        html
    };
    assert!(html.contains("footnote-reference"), "footnote lost: {html}");
    assert!(
        html.contains("[word]<!-- --><a href=\"b.md\">b</a>"),
        "{html}"
    );
    // The rewritten chapter is a fixed point: a second pass changes nothing.
    let again = [
        Chapter::new("a.md", "A", out.chapters[0].clone()),
        chapters[1].clone(),
    ];
    let second = run(&again);
    assert!(second.is_ok(), "{:?}", second.diagnostics);
    assert_eq!(second.chapters[0], out.chapters[0]);
}

#[test]
fn link_previews_carry_the_target_title_and_first_paragraph() {
    let chapters = [
        Chapter::new("a.md", "A", "# A\n\nSee [[B#Drain|drain]] and [[B]].\n"),
        Chapter::new(
            "b.md",
            "B",
            "# B\n\nB is a *page*.\n\n## Drain\n\n> Not this quote.\n\nThe `drain` call\nempties the buffer.\n",
        ),
    ];
    let options = Options {
        link_previews: true,
        ..Options::default()
    };
    let out = process(&chapters, &options);
    assert!(out.is_ok(), "{:?}", out.diagnostics);
    let a = &out.chapters[0];
    let json = a
        .split_once("<script type=\"application/json\" class=\"wiki-previews\">")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .unwrap_or_else(|| panic!("no preview block in {a}"));
    let previews: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(previews["b.md#drain"]["title"], "Drain");
    assert_eq!(
        previews["b.md#drain"]["text"],
        "The drain call empties the buffer."
    );
    assert_eq!(previews["b.md"]["title"], "B");
    assert_eq!(previews["b.md"]["text"], "B is a page.");
    // B links nowhere: no block; and off by default.
    assert!(!out.chapters[1].contains("wiki-previews"));
    assert!(!run(&chapters).chapters[0].contains("wiki-previews"));
}
