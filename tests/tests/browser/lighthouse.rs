//! Lighthouse (the npm package, pinned in
//! `tests/browser-tools/package-lock.json`, installed by `cargo xtask
//! test`) on every page of the site, served gzipped as a static host
//! serves it, with Lighthouse's default settings: a mid-range phone on a
//! slow 4G network, simulated. Each page must score 100 on accessibility,
//! best practices and SEO, and at least [`PERFORMANCE`] on performance.
//!
//! Pages run one after the other in a browser of their own (Lighthouse
//! launches Chromium itself), while no other browser test runs (see
//! `main.rs`): the performance score is computed from the CPU time the page
//! took, which other work on the machine would inflate. A performance
//! score varies a few points from run to run; a page below the bar is run
//! twice more and judged by the median of its three runs, as Lighthouse's
//! documentation advises. The other categories do not vary.
//!
//! Each page's scores go to `lighthouse.md` among the artifacts, and each
//! report (Lighthouse's JSON, which its viewer opens) to `lighthouse/`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value as Json;
use wait_timeout::ChildExt;

use crate::Problems;
use crate::browser::save_artifact;
use crate::site::{Site, artifacts_dir, target_dir};

/// The categories run, in Lighthouse's order, with the score each page
/// must reach.
const CATEGORIES: &[(&str, u32)] = &[
    ("performance", PERFORMANCE),
    ("accessibility", 100),
    ("best-practices", 100),
    ("seo", 100),
];

/// The lowest performance score a page may have.
const PERFORMANCE: u32 = 95;

/// How many runs judge a page whose first run scores below [`PERFORMANCE`].
const RUNS: usize = 3;

/// How long one Lighthouse run may take (a page takes about 15 s).
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// Chromium's flags for Lighthouse's browser, as the other browser tests
/// have them: headless, no sandbox (CI runs as root), no GPU, no traffic of
/// its own. A fresh profile is added for each run.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
];

/// The pages Lighthouse runs on: every page but the print page, which is
/// every chapter again on one page (each is checked on its own) and opens
/// the print dialog as it loads.
fn pages(site: &Site) -> Vec<&str> {
    site.pages
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "print.html")
        .collect()
}

/// One page's result: its score in each of [`CATEGORIES`] and how many
/// runs it took.
struct Row {
    page: String,
    scores: Vec<Option<u32>>,
    runs: usize,
    /// Whether the page asks search engines not to index it, so that SEO
    /// does not apply.
    noindex: bool,
}

/// Runs Lighthouse on every page and records each page below a bar.
pub(crate) fn check(site: &Site, problems: &mut Problems) -> Result<(), String> {
    let cli = target_dir().join("browser-tools/node_modules/lighthouse/cli/index.js");
    if !cli.is_file() {
        return Err(format!(
            "{} not found; `cargo xtask test` installs Lighthouse (npm ci into \
             target/browser-tools)",
            cli.display()
        ));
    }
    let reports = artifacts_dir().join("lighthouse");
    fs::create_dir_all(&reports).map_err(|e| format!("{}: {e}", reports.display()))?;
    let mut rows = Vec::new();
    for page in pages(site) {
        let started = Instant::now();
        let noindex = asks_not_to_be_indexed(&site.dir.join(page));
        let report_path = |run: usize| {
            let name = page.replace('/', "_");
            reports.join(format!("{name}.run{run}.json"))
        };
        let mut runs = vec![lighthouse(
            &cli,
            &site.gzip_server.url(page),
            &report_path(1),
        )?];
        if performance(&runs[0]).is_some_and(|score| score < PERFORMANCE) {
            for run in 2..=RUNS {
                runs.push(lighthouse(
                    &cli,
                    &site.gzip_server.url(page),
                    &report_path(run),
                )?);
            }
        }
        // The run with the median performance score judges the page.
        runs.sort_by_key(|report| performance(report).unwrap_or(0));
        let report = &runs[runs.len() / 2];
        let scores: Vec<Option<u32>> = CATEGORIES
            .iter()
            .map(|(category, _)| score(report, category))
            .collect();
        for failure in judge(report, noindex) {
            problems.add(page, failure);
        }
        eprintln!(
            "lighthouse: {page}: {} ({} run(s), {:.0} s)",
            scores
                .iter()
                .map(|s| s.map_or("-".to_string(), |s| s.to_string()))
                .collect::<Vec<_>>()
                .join(" / "),
            runs.len(),
            started.elapsed().as_secs_f64()
        );
        rows.push(Row {
            page: page.to_string(),
            scores,
            runs: runs.len(),
            noindex,
        });
    }
    let table = render(&rows);
    eprintln!("{table}");
    save_artifact("lighthouse.md", table.as_bytes())?;
    Ok(())
}

/// Runs Lighthouse once on `url` and returns its report, also written to
/// `output`.
fn lighthouse(cli: &Path, url: &str, output: &Path) -> Result<Json, String> {
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "lighthouse-profile-{}",
        output
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let _ = fs::remove_dir_all(&profile);
    let mut flags = CHROMIUM_FLAGS.join(" ");
    flags.push_str(&format!(" --user-data-dir={}", profile.display()));
    let chromium = env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    let mut child = Command::new("node")
        .arg(cli)
        .arg(url)
        .arg("--output=json")
        .arg(format!("--output-path={}", output.display()))
        .arg(format!(
            "--only-categories={}",
            CATEGORIES
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(",")
        ))
        .arg(format!("--chrome-flags={flags}"))
        .arg("--quiet")
        .env("CHROME_PATH", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run node (Debian's `nodejs`) for Lighthouse: {e}"))?;
    let stderr = child.stderr.take();
    let errors = thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = stderr {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
        }
        text
    });
    let status = match child.wait_timeout(RUN_LIMIT).map_err(|e| e.to_string())? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "Lighthouse on {url} did not finish within {} s",
                RUN_LIMIT.as_secs()
            ));
        }
    };
    let errors = errors.join().unwrap_or_default();
    let _ = fs::remove_dir_all(&profile);
    if !status.success() {
        return Err(format!("Lighthouse on {url} failed ({status}):\n{errors}"));
    }
    let text = fs::read_to_string(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let report: Json =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", output.display()))?;
    if let Some(error) = report.get("runtimeError") {
        return Err(format!("Lighthouse on {url}: {error}"));
    }
    Ok(report)
}

/// A category's score out of 100; `None` when Lighthouse could not score
/// it.
fn score(report: &Json, category: &str) -> Option<u32> {
    let score = report["categories"][category]["score"].as_f64()?;
    Some((score * 100.0).round() as u32)
}

fn performance(report: &Json) -> Option<u32> {
    score(report, "performance")
}

/// What is wrong with a page's report: each category below its bar, with
/// the audits that cost it points. A page that asks not to be indexed is
/// not held to SEO, whose first audit is that the page can be indexed.
fn judge(report: &Json, noindex: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for &(category, bar) in CATEGORIES {
        if noindex && category == "seo" {
            continue;
        }
        let title = report["categories"][category]["title"]
            .as_str()
            .unwrap_or(category);
        match score(report, category) {
            None => failures.push(format!("{title}: Lighthouse could not score it")),
            Some(score) if score < bar => failures.push(format!(
                "{title} {score} (below {bar}); failing audits: {}",
                failing_audits(report, category).join("; ")
            )),
            Some(_) => {}
        }
    }
    failures
}

/// The audits of `category` that cost it points: for performance, the
/// metrics (with their values) that are not perfect and the diagnostics
/// that find savings; for the others, every weighted audit that fails.
fn failing_audits(report: &Json, category: &str) -> Vec<String> {
    let mut found = Vec::new();
    let refs = report["categories"][category]["auditRefs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for audit_ref in &refs {
        let Some(id) = audit_ref["id"].as_str() else {
            continue;
        };
        let audit = &report["audits"][id];
        let weight = audit_ref["weight"].as_f64().unwrap_or(0.0);
        let mode = audit["scoreDisplayMode"].as_str().unwrap_or_default();
        let value = audit["displayValue"].as_str().unwrap_or_default();
        let Some(audit_score) = audit["score"].as_f64() else {
            if mode == "error" && weight > 0.0 {
                found.push(format!(
                    "{id} errored ({})",
                    audit["errorMessage"].as_str().unwrap_or_default()
                ));
            }
            continue;
        };
        let counts = if category == "performance" {
            (weight > 0.0 && audit_score < 1.0)
                || (matches!(mode, "metricSavings" | "binary" | "numeric") && audit_score < 0.9)
        } else {
            (weight > 0.0 || mode == "binary") && audit_score < 1.0
        };
        if counts && !matches!(mode, "notApplicable" | "manual" | "informative") {
            let details = details(audit);
            found.push(
                format!(
                    "{id} {audit_score:.2}{}{}",
                    if value.is_empty() {
                        String::new()
                    } else {
                        format!(" ({value})")
                    },
                    if details.is_empty() {
                        String::new()
                    } else {
                        format!(": {details}")
                    }
                )
                .replace('\n', " "),
            );
        }
    }
    if found.is_empty() {
        found.push("none listed (see the report)".to_string());
    }
    found
}

/// The first few items an audit names (URLs, elements, deprecations), so
/// that a failure says where to look.
fn details(audit: &Json) -> String {
    let items = audit["details"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let named: Vec<String> = items
        .iter()
        .filter_map(|item| {
            let text = item["url"]
                .as_str()
                .or_else(|| item["source"]["url"].as_str())
                .or_else(|| item["node"]["snippet"].as_str())
                .or_else(|| item["value"].as_str())
                .or_else(|| item["reason"].as_str())?;
            let what = item["value"].as_str().filter(|v| *v != text);
            Some(match what {
                Some(what) => format!("{what} at {text}"),
                None => text.to_string(),
            })
        })
        .take(4)
        .collect();
    named.join(", ")
}

/// Whether the page's HTML has `<meta name="robots" content="noindex">`.
fn asks_not_to_be_indexed(file: &PathBuf) -> bool {
    fs::read_to_string(file)
        .is_ok_and(|html| html.contains(r#"<meta name="robots" content="noindex">"#))
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "# Lighthouse\n\nEvery page but the print page, served gzipped, with Lighthouse's \
         default (mobile) settings. A page below the performance bar on its first run is \
         judged by the median of three.\n\n\
         | page | performance | accessibility | best practices | SEO | runs |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let cells: Vec<String> = row
            .scores
            .iter()
            .zip(CATEGORIES)
            .map(|(score, (category, _))| match score {
                Some(score) if row.noindex && *category == "seo" => {
                    format!("{score} (noindex)")
                }
                Some(score) => score.to_string(),
                None => "-".to_string(),
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            row.page,
            cells.join(" | "),
            row.runs
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(performance: f64, seo: f64) -> Json {
        json!({
            "categories": {
                "performance": { "title": "Performance", "score": performance, "auditRefs": [
                    { "id": "largest-contentful-paint", "weight": 25 },
                    { "id": "render-blocking-resources", "weight": 0 },
                    { "id": "total-blocking-time", "weight": 30 },
                ]},
                "accessibility": { "title": "Accessibility", "score": 1, "auditRefs": [] },
                "best-practices": { "title": "Best Practices", "score": 0.96, "auditRefs": [
                    { "id": "deprecations", "weight": 5 },
                ]},
                "seo": { "title": "SEO", "score": seo, "auditRefs": [
                    { "id": "is-crawlable", "weight": 4.04 },
                ]},
            },
            "audits": {
                "largest-contentful-paint": { "score": 0.7, "scoreDisplayMode": "numeric",
                    "displayValue": "3.1 s" },
                "render-blocking-resources": { "score": 0.5, "scoreDisplayMode": "metricSavings",
                    "displayValue": "Potential savings of 900 ms",
                    "details": { "items": [{ "url": "http://h/big.js" }] } },
                "total-blocking-time": { "score": 1, "scoreDisplayMode": "numeric" },
                "deprecations": { "score": 0, "scoreDisplayMode": "binary",
                    "details": { "items": [{ "value": "UnloadHandler",
                        "source": { "url": "http://h/book.js" } }] } },
                "is-crawlable": { "score": 0, "scoreDisplayMode": "binary" },
            },
        })
    }

    #[test]
    fn names_each_category_below_its_bar_and_its_failing_audits() {
        let failures = judge(&report(0.8, 0.5), false);
        assert_eq!(failures.len(), 3, "{failures:?}");
        assert!(failures[0].starts_with("Performance 80 (below 95)"));
        assert!(failures[0].contains("largest-contentful-paint 0.70 (3.1 s)"));
        assert!(failures[0].contains("render-blocking-resources 0.50"));
        assert!(failures[0].contains("http://h/big.js"));
        assert!(!failures[0].contains("total-blocking-time"));
        assert!(failures[1].starts_with("Best Practices 96 (below 100)"));
        assert!(failures[1].contains("deprecations 0.00: UnloadHandler at http://h/book.js"));
        assert!(failures[2].starts_with("SEO 50"));
        assert!(failures[2].contains("is-crawlable"));
    }

    #[test]
    fn passes_a_page_at_the_bars_and_spares_noindex_pages_seo() {
        let mut good = report(0.95, 1.0);
        good["categories"]["best-practices"]["score"] = json!(1);
        assert!(judge(&good, false).is_empty());
        good["categories"]["seo"]["score"] = json!(0.6);
        assert!(judge(&good, true).is_empty());
        assert_eq!(judge(&good, false).len(), 1);
        good["categories"]["performance"]["score"] = Json::Null;
        assert_eq!(
            judge(&good, true),
            vec!["Performance: Lighthouse could not score it".to_string()]
        );
    }
}
