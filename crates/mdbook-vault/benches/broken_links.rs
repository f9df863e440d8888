//! Broken-link reporting at scale: how long [`process`] takes to report
//! every broken link of a big book, with its suggestion.
//!
//! Workloads (each a two-chapter book, "Target" and "Links"):
//! - `broken_headings/1000x1000`: 1,000 links `[[Target#...]]` to headings
//!   that do not exist, against a page of 1,000 distinct headings; half the
//!   links are one-letter misspellings of a heading, half name nothing like
//!   one;
//! - `broken_headings/3000x3000`: the same with 3,000 and 3,000;
//! - `identical_headings/10000`: a page of 10,000 headings `## Setup`
//!   (ids `setup`, `setup-1`, … `setup-9999`) and one link to the last one.
//!
//! Every run checks its result: one diagnostic per broken link, each at the
//! link's line, and a suggestion for each misspelled one.
//!
//! Run: `cargo bench -p mdbook-vault --bench broken_links`. After
//! criterion's report the bench times one run of each workload and fails
//! (exit status 1) if one exceeds its budget. The budgets are generous,
//! tens of times what the workloads take here, so only a return to
//! quadratic work trips them; `cargo test --benches` runs each workload
//! once as a smoke test, without budgets.

// criterion_group!/criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group};
use mdbook_vault::{Chapter, Options, Problem, process};
use std::hint::black_box;
use std::time::{Duration, Instant};
use zigio::random::SplitMix64;

/// Words headings are made of: four of 64 give 16 million combinations.
const WORDS: &[&str] = &[
    "buffer",
    "drain",
    "flush",
    "writer",
    "reader",
    "vtable",
    "splat",
    "rebase",
    "fixed",
    "hashed",
    "chunked",
    "length",
    "stream",
    "file",
    "pipe",
    "socket",
    "header",
    "trailer",
    "body",
    "limit",
    "seek",
    "position",
    "offset",
    "capacity",
    "storage",
    "interface",
    "pointer",
    "parent",
    "field",
    "allocator",
    "array",
    "list",
    "slice",
    "vector",
    "sendfile",
    "discard",
    "count",
    "digest",
    "sha256",
    "tar",
    "archive",
    "entry",
    "name",
    "prefix",
    "padding",
    "block",
    "record",
    "end",
    "error",
    "retry",
    "partial",
    "short",
    "zero",
    "eof",
    "loop",
    "copy",
    "state",
    "machine",
    "ontology",
    "capability",
    "prism",
    "memory",
    "schedule",
    "bytes",
];

/// Draws from Zig's SplitMix64: a deterministic stream fixed by its seed.
struct Rng(SplitMix64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next() % n as u64) as usize
    }
}

/// A two-chapter book: `headings` distinct headings on "Target", `links`
/// broken links to it on "Links". Returns the book and how many of the links
/// are misspellings (which must get a suggestion).
fn broken_headings(headings: usize, links: usize) -> (Vec<Chapter>, usize) {
    let mut rng = Rng(SplitMix64::init(
        0x5eed ^ (headings as u64) << 20 ^ links as u64,
    ));
    let mut titles: Vec<String> = Vec::with_capacity(headings);
    let mut seen = std::collections::HashSet::new();
    while titles.len() < headings {
        let words: Vec<&str> = (0..4).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        let mut title = words.join(" ");
        title[..1].make_ascii_uppercase();
        if seen.insert(title.clone()) {
            titles.push(title);
        }
    }
    let mut target = String::from("# Target\n");
    for t in &titles {
        target.push_str(&format!("\n## {t}\n\nText.\n"));
    }
    let mut page = String::from("# Links\n\n");
    let mut misspelled = 0;
    for i in 0..links {
        let wanted = if i % 2 == 0 {
            misspelled += 1;
            // One letter of a heading doubled: one edit away, never equal.
            let t = &titles[rng.below(titles.len())];
            let at = 1 + rng.below(t.len() - 1);
            let mut s = t.clone();
            s.insert(at, 'q');
            s
        } else {
            let words: Vec<&str> = (0..3).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            format!("Nothing {}", words.join(" "))
        };
        page.push_str(&format!("- [[Target#{wanted}]]\n"));
    }
    let book = vec![
        Chapter::new("target.md", "Target", target),
        Chapter::new("links.md", "Links", page),
    ];
    (book, misspelled)
}

/// A page of `n` headings `## Setup` and a link to the last one.
fn identical_headings(n: usize) -> Vec<Chapter> {
    let target = "# Target\n".to_string() + &"\n## Setup\n".repeat(n);
    let links = format!(
        "# Links\n\n[[Target#Setup]] and [Last](target.md#setup-{})\n",
        n - 1
    );
    vec![
        Chapter::new("target.md", "Target", target),
        Chapter::new("links.md", "Links", links),
    ]
}

/// Processes a broken-headings book and checks that every link was
/// reported where it stands, and every misspelling got a suggestion.
fn run_broken(book: &[Chapter], links: usize, misspelled: usize) {
    let out = process(black_box(book), &Options::default());
    assert_eq!(
        out.diagnostics.len(),
        links,
        "every broken link is reported"
    );
    for (i, d) in out.diagnostics.iter().enumerate() {
        assert_eq!(d.problem, Problem::MissingHeading);
        assert_eq!(d.line, 3 + i, "{d}");
    }
    let suggested = out
        .diagnostics
        .iter()
        .filter(|d| d.suggestion.is_some())
        .count();
    assert!(
        suggested >= misspelled,
        "{suggested} suggestions for {misspelled} misspellings"
    );
}

/// Processes the identical-headings book and checks the result: the link
/// resolved, the backlinks section appended.
fn run_identical(book: &[Chapter]) -> Vec<String> {
    let out = process(black_box(book), &Options::default());
    assert!(out.is_ok(), "{:?}", out.diagnostics.first());
    assert!(
        out.chapters[0].contains("\n## Setup\n\n## Linked from"),
        "backlinks appended"
    );
    out.chapters
}

/// The last of `n` identical headings gets the id mdBook gives it.
fn check_identical_ids(chapters: &[String], n: usize) {
    let hs = mdbook_vault::headings(&chapters[0], &Default::default());
    assert_eq!(hs[n].id, format!("setup-{}", n - 1));
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("broken_headings");
    g.sample_size(10);
    for n in [1000, 3000] {
        let (book, misspelled) = broken_headings(n, n);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x{n}")),
            &book,
            |b, book| b.iter(|| run_broken(book, n, misspelled)),
        );
    }
    g.finish();
    let mut g = c.benchmark_group("identical_headings");
    g.sample_size(10);
    let book = identical_headings(10_000);
    check_identical_ids(&run_identical(&book), 10_000);
    g.bench_function("10000", |b| b.iter(|| run_identical(&book)));
    g.finish();
}

criterion_group!(benches, bench);

/// Times one run of `f`.
fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only when benchmarking (`cargo bench`), not when `cargo test
    // --benches` runs each bench once as a smoke test.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let mut over = Vec::new();
    let mut check = |name: &str, budget: Duration, took: Duration| {
        let verdict = if took <= budget { "ok" } else { "OVER BUDGET" };
        println!(
            "budget: {name}: {:.3} s (budget {:.0} s) {verdict}",
            took.as_secs_f64(),
            budget.as_secs_f64()
        );
        if took > budget {
            over.push(name.to_string());
        }
    };
    for (n, budget) in [(1000, 2), (3000, 10)] {
        let (book, misspelled) = broken_headings(n, n);
        let took = timed(|| run_broken(&book, n, misspelled));
        check(
            &format!("broken_headings/{n}x{n}"),
            Duration::from_secs(budget),
            took,
        );
    }
    let book = identical_headings(10_000);
    let took = timed(|| {
        run_identical(&book);
    });
    check("identical_headings/10000", Duration::from_secs(2), took);
    if !over.is_empty() {
        eprintln!("over budget: {}", over.join(", "));
        std::process::exit(1);
    }
}
