//! `sidebyside`: the side-by-side benchmark runner (see the library docs).

use std::fs;
use std::process::ExitCode;

use sidebyside::Error;
use sidebyside::render::{BookPaths, render};
use sidebyside::results::Results;
use sidebyside::runner::{Options, out_dir, run};

const USAGE: &str = "\
usage: sidebyside run [--rounds N] [--sweep-rounds N] [--quick] [--only ID[,ID...]]
                      [--no-sweep] [--no-strace] [--allow-dirty]
       sidebyside render
       sidebyside worker IMPL WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST]

run     measure (default 5 rounds, sweep 3 rounds), save target/sidebyside/results-*.json;
        a complete run (no --quick, --only, --no-sweep, --no-strace) also saves
        book/data/measurements.json and regenerates the tables and charts that
        book/measurements.md includes (book/generated/measurements/); it
        refuses to start on a working tree with uncommitted changes (the data
        would name a revision that is not what ran) unless --allow-dirty,
        which the recorded command then shows
render  regenerate the tables and charts of book/measurements.md from book/data/measurements.json
worker  run one case (the runner starts it; zigio, zigio-dyn or std)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_command(&args[1..]),
        Some("render") => render(&BookPaths::repository()).map(|()| {
            eprintln!(
                "sidebyside: wrote the tables of {} into {}",
                BookPaths::repository().page().display(),
                BookPaths::repository().generated().display()
            );
        }),
        Some("worker") => sidebyside::worker::main(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(Error::Usage(USAGE.to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sidebyside: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The options of `run`, and whether `--allow-dirty` was given.
fn parse_options(args: &[String]) -> Result<(Options, bool), Error> {
    let mut o = Options {
        rounds: 5,
        sweep_rounds: 3,
        scale: 1,
        only: Vec::new(),
        sweep: true,
        strace: true,
        command: ["cargo xtask bench"]
            .into_iter()
            .chain(args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
    };
    let mut allow_dirty = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| Error::Usage(format!("{name} needs a value")))
                .cloned()
        };
        let number = |name: &str, v: String| -> Result<u32, Error> {
            v.parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::Usage(format!("{name} must be a positive number, not `{v}`")))
        };
        match a.as_str() {
            "--rounds" => o.rounds = number(a, value(a)?)?,
            "--sweep-rounds" => o.sweep_rounds = number(a, value(a)?)?,
            "--quick" => {
                o.scale = 10;
                o.rounds = 2;
                o.sweep_rounds = 1;
            }
            "--only" => o.only = value(a)?.split(',').map(str::to_string).collect(),
            "--no-sweep" => o.sweep = false,
            "--no-strace" => o.strace = false,
            "--allow-dirty" => allow_dirty = true,
            other => return Err(Error::Usage(format!("unknown option `{other}`\n\n{USAGE}"))),
        }
    }
    Ok((o, allow_dirty))
}

/// What `git status --porcelain` lists for the repository (tracked changes
/// and untracked files, not ignored ones), one path a line.
///
/// # Errors
/// git cannot be run or fails.
fn uncommitted_changes() -> Result<Vec<String>, Error> {
    let who = "`git status --porcelain`";
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["status", "--porcelain"])
        .output()
        .map_err(Error::process(
            who,
            "cannot run git to check the working tree",
        ))?;
    if !out.status.success() {
        return Err(Error::Failed {
            who: who.to_string(),
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// Refuses a complete run on a working tree with uncommitted changes.
///
/// # Errors
/// The changes, the first few of them listed, and how to go on.
fn check_clean(changes: &[String]) -> Result<(), Error> {
    if changes.is_empty() {
        return Ok(());
    }
    Err(Error::Dirty {
        changes: changes.to_vec(),
    })
}

fn run_command(args: &[String]) -> Result<(), Error> {
    let (options, allow_dirty) = parse_options(args)?;
    let complete = options.scale == 1 && options.only.is_empty() && options.sweep && options.strace;
    if complete && !allow_dirty {
        check_clean(&uncommitted_changes()?)?;
    }
    let results = run(&options)?;
    let json = results.to_json();
    let dir = out_dir();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for path in [
        dir.join(format!("results-{stamp}.json")),
        dir.join("latest.json"),
    ] {
        fs::write(&path, &json).map_err(Error::io("write", &path))?;
    }
    print_summary(&results);
    if !complete {
        eprintln!(
            "sidebyside: partial run saved to {} only; the book keeps its data",
            dir.join("latest.json").display()
        );
        return Ok(());
    }
    let paths = BookPaths::repository();
    let data = paths.data();
    if let Some(parent) = data.parent() {
        fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
    }
    fs::write(&data, &json).map_err(Error::io("write", &data))?;
    render(&paths)?;
    eprintln!(
        "sidebyside: saved {} and regenerated the tables of {} in {}",
        data.display(),
        paths.page().display(),
        paths.generated().display()
    );
    Ok(())
}

fn print_summary(results: &Results) {
    println!("measured {} ({})", results.measured_at, results.command);
    for w in &results.workloads {
        println!("{}: {}", w.id, w.title);
        for c in &w.cases {
            println!(
                "  {:<24} {:>10} {:>10} syscalls",
                c.id,
                c.median_ns
                    .map_or("-".to_string(), |ns| format!("{:.2} ms", ns / 1e6)),
                c.syscalls
                    .as_ref()
                    .map_or("-".to_string(), |s| s.total().to_string())
            );
        }
        for r in &w.ratios {
            println!(
                "  {:<44} {:>8} {}",
                format!("{} / {} ({:?})", r.num, r.den, r.measure),
                r.value.map_or("-".to_string(), |v| format!("{v:.3}")),
                match (r.met, r.at_most) {
                    (Some(true), Some(m)) => format!("target <= {m:.3}: met"),
                    (Some(false), Some(m)) => format!("target <= {m:.3}: MISSED"),
                    _ => String::new(),
                }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn allow_dirty_is_an_option_and_is_recorded() {
        let (o, allow) = parse_options(&args(&["--allow-dirty", "--rounds", "3"])).unwrap();
        assert!(allow);
        assert_eq!(o.rounds, 3);
        assert_eq!(o.command, "cargo xtask bench --allow-dirty --rounds 3");
        let (_, allow) = parse_options(&[]).unwrap();
        assert!(!allow);
    }

    #[test]
    fn a_dirty_tree_is_refused_with_its_changes() {
        assert!(check_clean(&[]).is_ok());
        let changes: Vec<String> = (0..10).map(|i| format!(" M file{i}.rs")).collect();
        let e = check_clean(&changes).unwrap_err().to_string();
        assert!(
            e.contains(" M file0.rs") && e.contains(" M file7.rs"),
            "{e}"
        );
        assert!(!e.contains("file8.rs") && e.contains("and 2 more"), "{e}");
        assert!(e.contains("--allow-dirty"), "{e}");
    }
}
