//! zigio against Zig 0.15.1, 0.16.0 and 0.17.1, with the real compilers:
//! the standard plan must give identical traces on each (minus the ops
//! excluded by that release's rules), and each deliberately broken sink
//! must be caught (on 0.15.1).

use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use conformance::compare::Report;
use conformance::harness::{Harness, work_dir};
use conformance::mutant::Mutant;
use conformance::rules::{Release, Rule};
use conformance::script::{Op, SinkKind};
use conformance::suite::{self, STANDARD};

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::build().unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn zig_and_zigio_produce_identical_traces() {
    // The same scripts on every pinned release, one thread each; the
    // baseline's harness is the one the other tests share.
    let scripts = STANDARD.scripts();
    let reports: Vec<(Release, Report)> = std::thread::scope(|s| {
        let handles: Vec<_> = Release::ALL
            .iter()
            .map(|&release| {
                let scripts = &scripts;
                s.spawn(move || {
                    let started = Instant::now();
                    let built;
                    let h = if release == Release::BASELINE {
                        harness()
                    } else {
                        built =
                            Harness::build_with(release.pin()).unwrap_or_else(|e| panic!("{e}"));
                        &built
                    };
                    let label = if release == Release::BASELINE {
                        "standard".to_string()
                    } else {
                        format!("standard-{}", release.version())
                    };
                    let report = suite::run_release(h, release, &label, scripts, None)
                        .unwrap_or_else(|e| panic!("{e}"));
                    println!(
                        "Zig {}: {report} in {:.1?}",
                        release.version(),
                        started.elapsed()
                    );
                    (release, report)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (release, report) in &reports {
        for m in report.mismatches.iter().take(5) {
            println!("Zig {}: {m}\n", release.version());
        }
        let label = if *release == Release::BASELINE {
            "standard".to_string()
        } else {
            format!("standard-{}", release.version())
        };
        assert!(
            report.is_identical(),
            "zigio differs from Zig {} in {} of {} scripts (first ones above; scripts in {})",
            release.version(),
            report.mismatches.len(),
            report.scripts,
            work_dir().join(format!("{label}.jsonl")).display()
        );
        // The run must have exercised what it claims to compare.
        assert!(
            report.drains > 100_000,
            "Zig {}: {report}",
            release.version()
        );
    }
    let baseline = &reports[0].1;
    for rule in Rule::BASELINE {
        assert!(
            baseline.skipped(rule) > 0,
            "rule {} never applied: {baseline}",
            rule.name()
        );
    }
    for rule in Rule::ALL.iter().filter(|r| !r.is_baseline()) {
        assert_eq!(baseline.skipped(*rule), 0, "{}: {baseline}", rule.name());
    }
    check_rules_against_bug_programs(&reports);
    let summary = summary_line(baseline);
    fs::write(work_dir().join("summary.txt"), format!("{summary}\n")).unwrap();
    check_book_numbers(&summary);
    check_release_table(&reports);
}

/// A rule that the bug programs (`book/data/zig-bugs.tsv`, checked against
/// their runs by `tests/zig_bugs.rs`) find fixed on a release must exclude
/// nothing there: the comparison ran those ops and found Zig and zigio
/// equal.
fn check_rules_against_bug_programs(reports: &[(Release, Report)]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/data/zig-bugs.tsv");
    let tsv = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (bug, version, status) = (f[0], f[1], f[2]);
        let Some(rule) = Rule::ALL.iter().find(|r| r.name() == bug) else {
            continue;
        };
        let Some((_, report)) = reports.iter().find(|(r, _)| r.version() == version) else {
            continue;
        };
        if status == "fixed" {
            assert_eq!(
                report.skipped(*rule),
                0,
                "book/data/zig-bugs.tsv: {bug} is fixed in Zig {version}, yet the run excluded ops by it: {report}"
            );
        }
        if status == "present" {
            assert!(
                report.skipped(*rule) > 0,
                "book/data/zig-bugs.tsv: {bug} is present in Zig {version}, yet no op of the run reached it: {report}"
            );
        }
    }
}

/// `book/generated/conformance/releases.md`: the counts of the run on each
/// release, as the Conformance page shows them. `BOOK_RECORD=1` rewrites it.
fn check_release_table(reports: &[(Release, Report)]) {
    let mut out = String::from(
        "<!-- Generated by `cargo test -p conformance --test conformance` from the standard run on each release; BOOK_RECORD=1 rewrites it. Edit crates/conformance/tests/conformance.rs, not this file. -->\n\n| The standard run |",
    );
    for (r, _) in reports {
        out.push_str(&format!(" Zig {} |", r.version()));
    }
    out.push_str("\n|---|");
    for _ in reports {
        out.push_str("---:|");
    }
    out.push('\n');
    let row = |out: &mut String, label: &str, f: &dyn Fn(&Report) -> String| {
        out.push_str(&format!("| {label} |"));
        for (_, report) in reports {
            out.push_str(&format!(" {} |", f(report)));
        }
        out.push('\n');
    };
    row(&mut out, "Scripts", &|r| {
        group_digits(&r.scripts.to_string())
    });
    row(&mut out, "Ops run on both sides", &|r| {
        group_digits(&r.ops.to_string())
    });
    row(&mut out, "Drain calls compared", &|r| {
        group_digits(&r.drains.to_string())
    });
    row(&mut out, "Trace lines compared", &|r| {
        group_digits(&r.lines.to_string())
    });
    row(
        &mut out,
        "Allocating lines that differ only in `cap=`",
        &|r| group_digits(&r.capacity_only.to_string()),
    );
    row(&mut out, "Scripts that differ", &|r| {
        r.mismatches.len().to_string()
    });
    for rule in Rule::ALL {
        let label = format!("Excluded by `{}`", rule.name());
        row(&mut out, &label, &|r| match r.skipped(rule) {
            0 => "0".to_string(),
            n => group_digits(&n.to_string()),
        });
    }
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/generated/conformance/releases.md");
    if std::env::var_os("BOOK_RECORD").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &out).unwrap();
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed,
        out,
        "{}: not the counts of this run; rewrite it with \
         `BOOK_RECORD=1 cargo test -p conformance --test conformance zig_and_zigio`",
        path.display()
    );
}

/// The numbers as book/conformance.md states them.
fn summary_line(report: &conformance::compare::Report) -> String {
    let mut line = format!(
        "scripts={} ops={} drains={} lines={}",
        report.scripts, report.ops, report.drains, report.lines
    );
    for rule in Rule::BASELINE {
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
