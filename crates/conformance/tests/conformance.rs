//! zigio against Zig 0.15.1, with the real compiler: the standard plan must
//! give identical traces (minus the ops excluded by rule), and each
//! deliberately broken sink must be caught.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use conformance::harness::{Harness, work_dir};
use conformance::mutant::Mutant;
use conformance::rules::Rule;
use conformance::script::{Op, SinkKind};
use conformance::suite::{self, STANDARD};

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::build().unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn zig_and_zigio_produce_identical_traces() {
    let started = Instant::now();
    let scripts = STANDARD.scripts();
    let report =
        suite::run(harness(), "standard", &scripts, None).unwrap_or_else(|e| panic!("{e}"));
    println!("{report} in {:.1?}", started.elapsed());
    for m in report.mismatches.iter().take(5) {
        println!("{m}\n");
    }
    assert!(
        report.is_identical(),
        "zigio differs from Zig 0.15.1 in {} of {} scripts (first ones above; scripts in {})",
        report.mismatches.len(),
        report.scripts,
        work_dir().join("standard.jsonl").display()
    );
    // The run must have exercised what it claims to compare.
    assert!(report.drains > 100_000, "{report}");
    for rule in Rule::ALL {
        assert!(
            report.skipped(rule) > 0,
            "rule {} never applied: {report}",
            rule.name()
        );
    }
    let summary = summary_line(&report);
    fs::write(work_dir().join("summary.txt"), format!("{summary}\n")).unwrap();
    check_book_numbers(&summary);
}

/// The numbers as book/conformance.md states them.
fn summary_line(report: &conformance::compare::Report) -> String {
    let mut line = format!(
        "scripts={} ops={} drains={} lines={}",
        report.scripts, report.ops, report.drains, report.lines
    );
    for rule in Rule::ALL {
        line.push_str(&format!(
            " skipped.{}={}",
            rule.name(),
            report.skipped(rule)
        ));
    }
    line
}

/// The book's Conformance page quotes the numbers of the standard run in a
/// comment (`<!-- conformance: ... -->`) next to the table; the scripts are
/// seeded, so the numbers are exact and the page must match them.
fn check_book_numbers(summary: &str) {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/conformance.md");
    let text = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let marker = "<!-- conformance: ";
    let (line_no, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(marker))
        .unwrap_or_else(|| panic!("book/conformance.md has no `{marker}... -->` line"));
    let stated = line[marker.len()..].trim_end_matches("-->").trim();
    assert_eq!(
        stated,
        summary,
        "book/conformance.md:{}: the page's numbers are not those of the standard run; \
         update the comment and the table to:\n{marker}{summary} -->",
        line_no + 1
    );
    // The table repeats the numbers for readers.
    for field in summary.split(' ') {
        let (_, value) = field.split_once('=').unwrap();
        let shown = group_digits(value);
        assert!(
            text.contains(&format!("| {shown} |")),
            "book/conformance.md: the table does not show {field} as `| {shown} |`"
        );
    }
}

/// 1234567 -> "1,234,567".
fn group_digits(n: &str) -> String {
    let mut out = String::new();
    for (i, c) in n.chars().enumerate() {
        if i > 0 && (n.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn every_mutant_is_caught() {
    // The scripted sink is where flush and rebase dispatch; a few scripts
    // per buffer size are plenty to catch a broken one.
    let plan = conformance::suite::Plan {
        scripted: 3,
        builtin: 0,
        ops: 2000,
        seed: STANDARD.seed,
    };
    // Without write_splat_header: once a mutant has changed the buffer,
    // the exclusion rules (judged on zigio's state) no longer describe the
    // state Zig is in, and Zig could reach one of its own bugs.
    let scripts: Vec<_> = plan
        .scripts()
        .into_iter()
        .filter(|s| s.header.sink == SinkKind::Scripted)
        .map(|mut s| {
            s.ops
                .retain(|op| !matches!(op, Op::WriteSplatHeader { .. }));
            s
        })
        .collect();
    for mutant in Mutant::ALL {
        let report = suite::run(
            harness(),
            &format!("mutant-{}", mutant.name()),
            &scripts,
            Some(mutant),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        println!("mutant {}: {report}", mutant.name());
        assert!(report.harness_failure.is_none(), "{report}");
        let first = report
            .mismatches
            .first()
            .unwrap_or_else(|| panic!("mutant {} was not caught: {report}", mutant.name()));
        println!("{first}\n");
    }
}

#[test]
fn sinks_that_fail_after_a_byte_count_agree() {
    // The book's lab offers a sink that fails once K bytes went through;
    // both executors must cut the last drain at K and fail every later one.
    let plan = conformance::suite::Plan {
        scripted: 4,
        builtin: 0,
        ops: 300,
        seed: 0xfa11_0000,
    };
    let scripts: Vec<_> = plan
        .scripts()
        .into_iter()
        .filter(|s| s.header.sink == SinkKind::Scripted)
        .enumerate()
        .map(|(i, mut s)| {
            s.header.fail_after = Some((i as u64 * 37) % 400);
            s
        })
        .collect();
    let report =
        suite::run(harness(), "fail-after", &scripts, None).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    for m in report.mismatches.iter().take(3) {
        println!("{m}\n");
    }
    assert!(report.is_identical(), "{report}");
    // Every script ends failing: its sink stopped accepting.
    let runs: Vec<_> = scripts
        .iter()
        .map(|s| conformance::exec::run(s, None))
        .collect();
    let cut = runs
        .iter()
        .zip(&scripts)
        .filter(|(r, s)| {
            let k = s.header.fail_after.unwrap();
            r.trace.contains(&format!("out_len={k} ")) && r.trace.contains("-> fail")
        })
        .count();
    assert!(
        cut * 10 >= scripts.len() * 9,
        "only {cut} of {} scripts reached their byte limit",
        scripts.len()
    );
}
