//! The named figures: every number the book may quote, read from the
//! recorded data in `book/data/` and counted from the book's chapters.

use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::LazyLock;

/// The file `cargo xtask bench` records; its names start with `bench.`.
pub const MEASUREMENTS: &str = "measurements.json";

/// The page that shows the measurement tables (for `link`).
pub const MEASUREMENTS_PAGE: &str = "measurements.md";

/// What a figure measures; it decides the default number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A ratio of two medians: 3 decimals.
    Ratio,
    /// A time in milliseconds: 2 decimals.
    Millis,
    /// A throughput in MB/s: no decimals.
    Throughput,
    /// A count (system calls, chapters, ...): no decimals, thousands
    /// separated by commas.
    Count,
    /// Any other number: integers as counts, others with 3 decimals.
    Number,
}

impl Kind {
    /// Decimals when the directive does not say.
    pub fn default_digits(self, value: f64) -> usize {
        match self {
            Kind::Ratio => 3,
            Kind::Millis => 2,
            Kind::Throughput | Kind::Count => 0,
            Kind::Number if value.fract() == 0.0 => 0,
            Kind::Number => 3,
        }
    }
}

/// One named number.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The value as recorded.
    pub value: f64,
    /// What it is.
    pub kind: Kind,
    /// The page (relative to the book's source directory) and anchor of
    /// the table it comes from, if it has one.
    pub table: Option<String>,
}

/// Every figure, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    map: BTreeMap<String, Figure>,
}

impl Figures {
    /// The figure called `name`.
    pub fn get(&self, name: &str) -> Option<&Figure> {
        self.map.get(name)
    }

    /// Every name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Up to `n` names closest to `name` (Levenshtein distance, then
    /// alphabetical), for the error about a missing one.
    pub fn closest(&self, name: &str, n: usize) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .names()
            .map(|k| (strsim::levenshtein(name, k), k))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, k)| k).collect()
    }

    /// Adds a figure; a name given twice keeps the first and reports the
    /// second.
    ///
    /// # Errors
    /// The name, when it already exists.
    pub fn insert(&mut self, name: String, figure: Figure) -> Result<(), String> {
        if self.map.contains_key(&name) {
            return Err(format!("figure `{name}` is defined twice"));
        }
        self.map.insert(name, figure);
        Ok(())
    }

    /// The figures of a book: everything in `data_dir` (each `NAME.json`;
    /// [`MEASUREMENTS`] as `bench.*`) and the counts of `chapters`
    /// (`book.*`, see [`count_book`]). A missing `data_dir` holds nothing.
    ///
    /// # Errors
    /// A file that cannot be read or is not the JSON expected, naming it.
    pub fn load(data_dir: &Path, chapters: &[&str]) -> Result<Figures, String> {
        let mut figures = Figures::default();
        let mut files: Vec<_> = match fs::read_dir(data_dir) {
            Ok(dir) => dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", data_dir.display())),
        };
        files.sort();
        for path in files {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let json: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("{}: the file name is not UTF-8", path.display()))?;
            let result = if path.file_name().is_some_and(|n| n == MEASUREMENTS) {
                add_measurements(&mut figures, &json)
            } else {
                add_flattened(&mut figures, stem, &json)
            };
            result.map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for (name, value) in count_book(chapters) {
            figures.insert(
                format!("book.{name}"),
                Figure {
                    value: value as f64,
                    kind: Kind::Count,
                    table: None,
                },
            )?;
        }
        Ok(figures)
    }
}

/// The anchor of a workload's section on the Measurements page.
pub fn workload_anchor(workload: &str) -> String {
    format!("bench-{workload}")
}

/// `bench.*` from the measurements JSON (see the crate docs for the names).
fn add_measurements(figures: &mut Figures, json: &Value) -> Result<(), String> {
    let number = |v: &Value, what: &str| {
        v.as_f64()
            .ok_or_else(|| format!("{what} is not a number: {v}"))
    };
    let text = |v: &Value, what: &str| -> Result<String, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("{what} is not a string: {v}"))
    };
    let mut put = |name: String, value: f64, kind: Kind, table: Option<String>| {
        figures.insert(name, Figure { value, kind, table })
    };
    put(
        "bench.rounds".into(),
        number(&json["rounds"], "rounds")?,
        Kind::Count,
        None,
    )?;
    let workloads = json["workloads"]
        .as_array()
        .ok_or("`workloads` is not a list")?;
    for w in workloads {
        let id = text(&w["id"], "a workload's `id`")?;
        let table = Some(format!("{MEASUREMENTS_PAGE}#{}", workload_anchor(&id)));
        let cases = w["cases"]
            .as_array()
            .ok_or_else(|| format!("workload {id}: `cases` is not a list"))?;
        for c in cases {
            let case = text(&c["id"], "a case's `id`")?;
            let base = format!("bench.{id}.{case}");
            if let Some(ns) = c["median_ns"].as_f64() {
                put(format!("{base}.ms"), ns / 1e6, Kind::Millis, table.clone())?;
            }
            if let Some(mbps) = c["mb_per_s"].as_f64() {
                put(
                    format!("{base}.mbps"),
                    mbps,
                    Kind::Throughput,
                    table.clone(),
                )?;
            }
            if let Some(calls) = c["syscalls"].as_object() {
                let mut total = 0.0;
                for (name, n) in calls {
                    let n = number(n, &format!("{base}: calls of {name}"))?;
                    total += n;
                    put(
                        format!("{base}.calls.{name}"),
                        n,
                        Kind::Count,
                        table.clone(),
                    )?;
                }
                put(format!("{base}.calls"), total, Kind::Count, table.clone())?;
            }
        }
        for r in w["ratios"].as_array().into_iter().flatten() {
            let (num, den) = (text(&r["num"], "`num`")?, text(&r["den"], "`den`")?);
            let measure = text(&r["measure"], "`measure`")?;
            let base = format!("bench.{id}.{num}:{den}.{measure}");
            let Some(value) = r["value"].as_f64() else {
                continue;
            };
            put(base.clone(), value, Kind::Ratio, table.clone())?;
            let rounds: Vec<f64> = r["per_round"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect();
            if !rounds.is_empty() {
                let min = rounds.iter().copied().fold(f64::INFINITY, f64::min);
                let max = rounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                put(format!("{base}.min"), min, Kind::Ratio, table.clone())?;
                put(format!("{base}.max"), max, Kind::Ratio, table.clone())?;
            }
            if let Some(at_most) = r["at_most"].as_f64() {
                put(
                    format!("{base}.target"),
                    at_most,
                    Kind::Ratio,
                    table.clone(),
                )?;
            }
        }
    }
    add_drain_sweep(figures, json)
}

/// `bench.drain.TARGET.SIZE` (the ratio top-up / vectored at a record size)
/// and `bench.drain.TARGET.largest-top-up-win` (bytes) from the drain sweep,
/// when the run made one.
fn add_drain_sweep(figures: &mut Figures, json: &Value) -> Result<(), String> {
    let table = Some(format!("{MEASUREMENTS_PAGE}#bench-drain"));
    for sweep in json["drain_sweep"].as_array().into_iter().flatten() {
        let target = sweep["target"].as_str().ok_or_else(|| {
            format!(
                "a drain sweep's `target` is not a string: {}",
                sweep["target"]
            )
        })?;
        let base = format!("bench.drain.{target}");
        let numbers = |key: &str| -> Result<Vec<f64>, String> {
            sweep[key]
                .as_array()
                .ok_or_else(|| format!("{base}: `{key}` is not a list"))?
                .iter()
                .map(|v| {
                    v.as_f64()
                        .ok_or_else(|| format!("{base}: `{key}` holds {v}"))
                })
                .collect()
        };
        let (sizes, ratios) = (numbers("sizes")?, numbers("ratios")?);
        if sizes.len() != ratios.len() {
            return Err(format!(
                "{base}: {} sizes but {} ratios",
                sizes.len(),
                ratios.len()
            ));
        }
        for (size, ratio) in sizes.iter().zip(&ratios) {
            let figure = Figure {
                value: *ratio,
                kind: Kind::Ratio,
                table: table.clone(),
            };
            figures.insert(format!("{base}.{size}"), figure)?;
        }
        if let Some(win) = sweep["largest_top_up_win"].as_f64() {
            let figure = Figure {
                value: win,
                kind: Kind::Count,
                table: table.clone(),
            };
            figures.insert(format!("{base}.largest-top-up-win"), figure)?;
        }
    }
    Ok(())
}

/// `STEM.key.key...` for every number of `json` (arrays by index).
fn add_flattened(figures: &mut Figures, stem: &str, json: &Value) -> Result<(), String> {
    fn walk(figures: &mut Figures, name: String, v: &Value) -> Result<(), String> {
        match v {
            Value::Number(n) => {
                let value = n
                    .as_f64()
                    .ok_or_else(|| format!("`{name}`: {n} is not a finite number"))?;
                figures.insert(
                    name,
                    Figure {
                        value,
                        kind: Kind::Number,
                        table: None,
                    },
                )
            }
            Value::Object(map) => {
                for (k, v) in map {
                    walk(figures, format!("{name}.{k}"), v)?;
                }
                Ok(())
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(figures, format!("{name}.{i}"), v)?;
                }
                Ok(())
            }
            Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
        }
    }
    walk(figures, stem.to_string(), json)
}

/// The counts of a book's chapters (their Markdown sources): `chapters`;
/// `rust-snippets` and `zig-snippets` (fenced code blocks whose info string
/// starts with `rust` or `zig`, Zig ports to later versions, tagged
/// `zig,zig-<version>`, not counted) and `zig-ports` (those ports); `citations` (code spans that cite the Zig
/// standard library by file and lines, `` `Writer.zig:122-132` ``, as the
/// vault preprocessor reads them); and `words` (words of the text outside
/// code blocks, inline code counted as one word).
pub fn count_book(chapters: &[&str]) -> Vec<(&'static str, u64)> {
    use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
    static CITATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-Za-z0-9_./-]+\.zig:[0-9]+(?:-[0-9]+)?(?: \S+)?$")
            .expect("the pattern is valid")
    });
    let (mut rust, mut zig, mut ports, mut citations, mut words) = (0, 0, 0, 0, 0);
    for chapter in chapters {
        let mut in_code = false;
        for event in book_model::MarkdownOptions::default().parser(chapter) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_code = true;
                    if let CodeBlockKind::Fenced(info) = kind {
                        let mut tokens = info
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|t| !t.is_empty());
                        match tokens.next() {
                            Some("rust") => rust += 1,
                            Some("zig") if tokens.any(|t| t.starts_with("zig-")) => ports += 1,
                            Some("zig") => zig += 1,
                            _ => {}
                        }
                    }
                }
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(text) if !in_code => words += text.split_whitespace().count() as u64,
                Event::Code(code) => {
                    words += 1;
                    if CITATION.is_match(&code) {
                        citations += 1;
                    }
                }
                _ => {}
            }
        }
    }
    vec![
        ("chapters", chapters.len() as u64),
        ("citations", citations),
        ("rust-snippets", rust),
        ("words", words),
        ("zig-ports", ports),
        ("zig-snippets", zig),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        serde_json::json!({
            "rounds": 5,
            "workloads": [{
                "id": "small-null",
                "cases": [
                    {"id": "zigio/write", "median_ns": 2773360.0, "mb_per_s": 5769.2,
                     "syscalls": {"pwritev": 3892}},
                    {"id": "std/write", "median_ns": 2641284.0, "syscalls": {"write": 3907, "mmap": 1}}
                ],
                "ratios": [
                    {"num": "zigio/write", "den": "std/write", "measure": "time",
                     "per_round": [0.89, 1.41, 1.34], "value": 1.34, "at_most": 1.0},
                    {"num": "zigio/write", "den": "std/write", "measure": "syscalls",
                     "per_round": [], "value": 0.996, "at_most": null}
                ]
            }]
        })
    }

    #[test]
    fn measurements_become_named_figures() {
        let mut f = Figures::default();
        add_measurements(&mut f, &sample()).unwrap();
        let v = |n: &str| f.get(n).unwrap_or_else(|| panic!("{n}")).value;
        assert_eq!(v("bench.rounds"), 5.0);
        assert_eq!(v("bench.small-null.zigio/write.ms"), 2.77336);
        assert_eq!(v("bench.small-null.zigio/write.calls"), 3892.0);
        assert_eq!(v("bench.small-null.std/write.calls"), 3908.0);
        assert_eq!(v("bench.small-null.std/write.calls.write"), 3907.0);
        assert_eq!(v("bench.small-null.zigio/write:std/write.time"), 1.34);
        assert_eq!(v("bench.small-null.zigio/write:std/write.time.min"), 0.89);
        assert_eq!(v("bench.small-null.zigio/write:std/write.time.max"), 1.41);
        assert_eq!(v("bench.small-null.zigio/write:std/write.time.target"), 1.0);
        assert_eq!(v("bench.small-null.zigio/write:std/write.syscalls"), 0.996);
        assert!(
            f.get("bench.small-null.zigio/write:std/write.syscalls.min")
                .is_none()
        );
        assert!(
            f.get("bench.small-null.zigio/write:std/write.syscalls.target")
                .is_none()
        );
        assert_eq!(
            f.get("bench.small-null.zigio/write.ms")
                .unwrap()
                .table
                .as_deref(),
            Some("measurements.md#bench-small-null")
        );
    }

    #[test]
    fn the_drain_sweep_becomes_named_figures() {
        let mut json = sample();
        json["drain_sweep"] = serde_json::json!([
            {"target": "null", "clock": "cpu", "sizes": [16, 512, 2048],
             "ratios": [0.95, 0.86, 1.2], "largest_top_up_win": 512},
            {"target": "pipe", "clock": "wall", "sizes": [16], "ratios": [1.1],
             "largest_top_up_win": null}
        ]);
        let mut f = Figures::default();
        add_measurements(&mut f, &json).unwrap();
        let v = |n: &str| f.get(n).unwrap_or_else(|| panic!("{n}")).value;
        assert_eq!(v("bench.drain.null.512"), 0.86);
        assert_eq!(v("bench.drain.null.largest-top-up-win"), 512.0);
        assert_eq!(v("bench.drain.pipe.16"), 1.1);
        assert!(f.get("bench.drain.pipe.largest-top-up-win").is_none());
        assert_eq!(
            f.get("bench.drain.null.16").unwrap().table.as_deref(),
            Some("measurements.md#bench-drain")
        );
        json["drain_sweep"][0]["ratios"] = serde_json::json!([0.9]);
        let err = add_measurements(&mut Figures::default(), &json).unwrap_err();
        assert!(
            err.contains("bench.drain.null: 3 sizes but 1 ratios"),
            "{err}"
        );
    }

    #[test]
    fn other_files_are_flattened() {
        let mut f = Figures::default();
        let json = serde_json::json!({"scripts": 174, "skipped": {"a": 2}, "l": [1.5], "s": "x"});
        add_flattened(&mut f, "conformance", &json).unwrap();
        let names: Vec<&str> = f.names().collect();
        assert_eq!(
            names,
            [
                "conformance.l.0",
                "conformance.scripts",
                "conformance.skipped.a"
            ]
        );
    }

    #[test]
    fn closest_names_come_first() {
        let mut f = Figures::default();
        add_measurements(&mut f, &sample()).unwrap();
        let near = f.closest("bench.small-nul.zigio/write.ms", 1);
        assert_eq!(near, ["bench.small-null.zigio/write.ms"]);
    }

    #[test]
    fn the_book_is_counted() {
        let a = "# A\n\nTwo words, `Writer.zig:122-132` and `Reader.zig:7 fill`.\n\n```rust\nfn main() {}\n```\n\n```zig\nconst x = 1;\n```\n\n```zig,zig-0.16.0\nconst x = 2;\n```\n";
        let b = "# B\n\n~~~rust,no_run\nfn main() {}\n~~~\n```text\nout `File.zig:1`\n```\n`main.zig` `x.zig:0a`\n";
        let counts = count_book(&[a, b]);
        assert_eq!(
            counts,
            [
                ("chapters", 2),
                ("citations", 2),
                ("rust-snippets", 2),
                ("words", 10),
                ("zig-ports", 1),
                ("zig-snippets", 1)
            ]
        );
    }
}
