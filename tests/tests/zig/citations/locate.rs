//! Where a 0.15.1 citation's code is in a later release's `lib/std`.
//!
//! A citation names lines of a 0.15.1 file and, usually, a symbol. Its
//! *anchor* is the declaration it is about: the symbol's own declaration
//! when one overlaps the cited lines, else the innermost declaration that
//! encloses them, else the symbol's nearest declaration in the file. In a
//! later release, in order:
//! 1. the cited lines themselves, compared line by line with surrounding
//!    whitespace ignored, found once in the file (or once inside the
//!    anchor's declaration there): those lines;
//! 2. else a declaration of the anchor's name (the one whose first line is
//!    most like the old one): its lines;
//! 3. else, when the anchor is the symbol's own declaration, a declaration
//!    under a name 0.15.1's file does not have, with the same doc comment
//!    or the same first line up to the name: renamed;
//! 4. else removed.
//!
//! The file searched is the same path when it still exists, then files of
//! the same name elsewhere (`fs/File.zig` → `Io/File.zig`; `snake_case`
//! names also as `CamelCase`, `arena_allocator.zig` → `ArenaAllocator.zig`),
//! then the files in a directory named after them (`Io/File/`).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use mdbook_vault::versions::{Key, Location, Row, Status};

/// One declaration: a function, constant, variable or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decl {
    /// Its name.
    pub name: String,
    /// First line (1-based).
    pub first: u32,
    /// Last line: the `}` closing its block, else `first`.
    pub last: u32,
    /// Its first line, trimmed.
    pub header: String,
    /// The `///` lines right above it, trimmed and joined.
    pub doc: String,
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The name a line declares, if it declares one.
fn declared_name(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let rest = ["pub ", "inline ", "export ", "extern ", "threadlocal "]
        .iter()
        .fold(trimmed, |s, p| s.strip_prefix(p).unwrap_or(s));
    let rest = rest.strip_prefix("inline ").unwrap_or(rest);
    for kw in ["fn ", "const ", "var "] {
        if let Some(r) = rest.strip_prefix(kw) {
            let end = r.find(|c| !is_ident(c)).unwrap_or(r.len());
            let (name, after) = r.split_at(end);
            if !name.is_empty() && after.starts_with(['(', ' ', ':', '=']) {
                return Some(name);
            }
            return None;
        }
    }
    let end = trimmed.find(|c| !is_ident(c)).unwrap_or(trimmed.len());
    let (name, after) = trimmed.split_at(end);
    let starts_alpha = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (starts_alpha && after.starts_with(':') && !after.starts_with("::")).then_some(name)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Every declaration of a file, in order.
pub(crate) fn declarations(lines: &[String]) -> Vec<Decl> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = declared_name(line) else {
            continue;
        };
        let ind = indent(line);
        let at_indent = |from: usize, start: &str| {
            lines[from..]
                .iter()
                .position(|l| indent(l) == ind && l.trim_start().starts_with(start))
                .map(|k| from + k)
        };
        // A signature over several lines ends at the `)` with its indent.
        let mut end_line = i;
        if line.trim_end().ends_with('(')
            && let Some(close) = at_indent(i + 1, ")")
        {
            end_line = close;
        }
        let last = if lines[end_line].trim_end().ends_with('{') {
            at_indent(end_line + 1, "}").unwrap_or(end_line)
        } else {
            end_line
        };
        let doc: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///"))
            .map(|l| l.trim())
            .collect();
        out.push(Decl {
            name: name.to_string(),
            first: i as u32 + 1,
            last: last as u32 + 1,
            header: line.trim().to_string(),
            doc: doc.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    out
}

/// A release's `lib/std`, its files read once.
pub(crate) struct Std {
    /// The release.
    pub version: String,
    dir: PathBuf,
    /// Every `.zig` file, relative to `dir`, `/`-separated, sorted.
    files: Vec<String>,
    texts: HashMap<String, Option<Vec<String>>>,
}

impl Std {
    /// The `lib/std` at `dir` of release `version`.
    pub(crate) fn new(version: &str, dir: &Path) -> Std {
        let mut files = Vec::new();
        walk(dir, dir, &mut files);
        files.sort();
        Std {
            version: version.to_string(),
            dir: dir.to_path_buf(),
            files,
            texts: HashMap::new(),
        }
    }

    /// The lines of `path`, or `None` if it does not exist.
    pub(crate) fn lines(&mut self, path: &str) -> Option<&[String]> {
        let dir = &self.dir;
        self.texts
            .entry(path.to_string())
            .or_insert_with(|| {
                fs::read_to_string(dir.join(path))
                    .ok()
                    .map(|t| t.lines().map(String::from).collect())
            })
            .as_deref()
    }

    /// The files to search for code cited in 0.15.1's `path` (module docs).
    fn candidates(&self, path: &str) -> Vec<String> {
        let base = path.rsplit('/').next().unwrap_or(path);
        let stem = base.trim_end_matches(".zig");
        let camel: String = stem
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        let bases = [base.to_string(), format!("{camel}.zig")];
        let mut out: Vec<String> = Vec::new();
        if self.files.iter().any(|f| f == path) {
            out.push(path.to_string());
        }
        let mut same_name: Vec<&String> = self
            .files
            .iter()
            .filter(|f| f.as_str() != path && bases.iter().any(|b| f.rsplit('/').next() == Some(b)))
            .collect();
        // The nearest path first: `Io/File.zig` before `Build/Step/File.zig`.
        same_name.sort_by_key(|f| (f.matches('/').count(), f.as_str()));
        out.extend(same_name.iter().map(|f| f.to_string()));
        let dirs: Vec<String> = out
            .iter()
            .map(|f| format!("{}/", f.trim_end_matches(".zig")))
            .collect();
        for d in dirs {
            out.extend(self.files.iter().filter(|f| f.starts_with(&d)).cloned());
        }
        out.dedup();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "zig")
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn trimmed(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.trim()).collect()
}

/// Where the block `needle` occurs in `lines` (1-based first lines).
fn occurrences(lines: &[String], needle: &[&str]) -> Vec<u32> {
    if needle.is_empty() || needle.len() > lines.len() {
        return Vec::new();
    }
    let hay = trimmed(lines);
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .map(|i| i as u32 + 1)
        .collect()
}

/// The names of the blocks enclosing lines `first..=last`, outermost first.
fn context(decls: &[Decl], first: u32, last: u32) -> Vec<String> {
    decls
        .iter()
        .filter(|d| d.last > d.first && d.first < first && last <= d.last)
        .map(|d| d.name.clone())
        .collect()
}

/// The container a file stands for, relative to the cited file: none for
/// the cited file or one of the same name (`fs/File.zig`, `Io/File.zig`),
/// else the file's stem (`Io/File/Reader.zig` is the struct `Reader`).
fn file_context(path: &str, cited: &str) -> Vec<String> {
    if normal(stem(path)) == normal(stem(cited)) {
        Vec::new()
    } else {
        vec![stem(path).to_string()]
    }
}

/// `Io/File/Reader.zig` → `Reader`.
fn stem(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".zig")
}

/// A name compared across releases: `arena_allocator` is `ArenaAllocator`.
fn normal(name: &str) -> String {
    name.replace('_', "").to_ascii_lowercase()
}

/// `header` with `name` replaced, to compare signatures across a rename.
fn without_name(header: &str, name: &str) -> String {
    header.replacen(name, "\u{0}", 1)
}

/// The least similarity, from 0 to 1, between cited lines and the lines
/// [`best_window`] takes for them; below it the whole declaration is given.
const WINDOW_SIMILARITY: f64 = 0.4;

/// The longest citation [`best_window`] looks for (edit distance grows
/// with the square of the text's length); longer ones get the declaration.
const MAX_WINDOW: usize = 40;

/// Within lines `first..=last` of `lines`, the run of lines most like
/// `cited` (trimmed, compared as one text), as long as `cited` or up to two
/// lines longer or shorter, that holds one of `spellings` when there are
/// any; `None` when none reaches [`WINDOW_SIMILARITY`].
fn best_window(
    lines: &[String], first: u32, last: u32, cited: &[&str], spellings: &[String],
) -> Option<(u32, u32)> {
    let want = cited.join("\n");
    let body = lines.get(first as usize - 1..last as usize)?;
    let hay = trimmed(body);
    let mut best: Option<(f64, u32, u32)> = None;
    // The cited length first, then one and two lines off; a near-exact
    // match ends the search.
    let n = cited.len();
    let lens = [n, n.saturating_sub(1), n + 1, n.saturating_sub(2), n + 2];
    for len in lens.into_iter().filter(|&l| l >= 1) {
        if best.is_some_and(|(s, _, _)| s >= 0.95) {
            break;
        }
        for start in 0..=hay.len().saturating_sub(len) {
            let window = &hay[start..(start + len).min(hay.len())];
            let text = window.join("\n");
            // The edit distance is at least the difference in length, so a
            // window that cannot beat the best so far is skipped unscored.
            let (x, y) = (text.chars().count(), want.chars().count());
            let bound = 1.0 - x.abs_diff(y) as f64 / x.max(y).max(1) as f64;
            if best.is_some_and(|(s, _, _)| bound <= s) {
                continue;
            }
            if !spellings.is_empty()
                && !spellings.iter().any(|n| {
                    text.match_indices(n.as_str()).any(|(i, _)| {
                        let before = text[..i].chars().next_back();
                        let after = text[i + n.len()..].chars().next();
                        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
                    })
                })
            {
                continue;
            }
            let score = strsim::normalized_levenshtein(&text, &want);
            if best.is_none_or(|(s, _, _)| score > s) {
                let at = first + start as u32;
                best = Some((score, at, at + window.len() as u32 - 1));
            }
        }
    }
    best.filter(|(s, _, _)| *s >= WINDOW_SIMILARITY)
        .map(|(_, a, b)| (a, b))
}

/// Where `key`, a citation of 0.15.1 whose file has `old` lines, is in
/// `std`; `spellings` are the names the symbol may have there.
pub(crate) fn locate(key: &Key, old: &[String], spellings: &[String], std: &mut Std) -> Row {
    let (a, b) = (key.first, key.last);
    let old_decls = declarations(old);
    let overlaps = |d: &Decl| d.first <= b && a <= d.last;
    let symbol_decls: Vec<&Decl> = old_decls
        .iter()
        .filter(|d| spellings.contains(&d.name))
        .collect();
    let own = symbol_decls.iter().find(|d| overlaps(d)).copied();
    let enclosing = old_decls
        .iter()
        .filter(|d| d.first <= a && b <= d.last && d.last > d.first)
        .min_by_key(|d| d.last - d.first);
    let nearest = symbol_decls
        .iter()
        .min_by_key(|d| d.first.abs_diff(a).min(d.last.abs_diff(b)))
        .copied();
    let (anchor, is_symbol) = match (own, enclosing, nearest) {
        (Some(d), _, _) => (Some(d), true),
        (None, Some(d), _) => (Some(d), false),
        (None, None, Some(d)) => (Some(d), true),
        (None, None, None) => (None, false),
    };
    let cited: Vec<&str> = old
        .get(a as usize - 1..b as usize)
        .map(|l| l.iter().map(|s| s.trim()).collect())
        .unwrap_or_default();
    let len = b - a;
    let version = std.version.clone();
    let row = |status, at| Row {
        key: key.clone(),
        version: version.clone(),
        status,
        at,
    };
    let found = |path: &str, first: u32, last: u32, name: Option<&str>| {
        let status = if path == key.path && first == a && last == b {
            Status::Same
        } else {
            Status::Moved
        };
        (
            status,
            Some(Location {
                path: path.to_string(),
                first,
                last,
                name: name.map(String::from),
            }),
        )
    };
    let anchor_name = anchor.map(|d| d.name.as_str());
    let candidates = std.candidates(&key.path);
    // A file that is one struct (`heap/arena_allocator.zig` holds
    // `ArenaAllocator`) is that struct when later releases make the file
    // the struct (`heap/ArenaAllocator.zig`).
    let own_struct = |ctx: Vec<String>| -> Vec<String> {
        let mut ctx: Vec<String> = ctx.iter().map(|n| normal(n)).collect();
        if ctx.first().is_some_and(|n| *n == normal(stem(&key.path))) {
            ctx.remove(0);
        }
        ctx
    };
    let normal_ctx = |ctx: Vec<String>| -> Vec<String> { ctx.iter().map(|n| normal(n)).collect() };
    let cited_context = own_struct(context(&old_decls, a, b));

    // 1. The cited lines themselves, in the same container.
    let distinctive = cited.iter().any(|l| l.len() > 3);
    if distinctive {
        let mut hits: Vec<(usize, String, u32, bool)> = Vec::new();
        for path in &candidates {
            let prefix = file_context(path, &key.path);
            let Some(lines) = std.lines(path) else {
                continue;
            };
            let decls = declarations(lines);
            for h in occurrences(lines, &cited) {
                let ctx = normal_ctx([prefix.clone(), context(&decls, h, h + len)].concat());
                if !ctx.ends_with(&cited_context) {
                    continue;
                }
                let inside = anchor_name.is_some_and(|name| {
                    decls
                        .iter()
                        .any(|d| d.name == name && d.first <= h && h + len <= d.last)
                });
                hits.push((ctx.len(), path.clone(), h, inside));
            }
        }
        // The least nested hits, and among them those inside the anchor.
        let depth = hits.iter().map(|h| h.0).min().unwrap_or(0);
        hits.retain(|h| h.0 == depth);
        if hits.iter().any(|h| h.3) {
            hits.retain(|h| h.3);
        }
        if let [(_, path, first, _)] = hits.as_slice() {
            let (status, at) = found(path, *first, first + len, anchor_name);
            return row(status, at);
        }
    }

    let Some(anchor) = anchor else {
        return row(Status::Removed, None);
    };
    let anchor_context = own_struct(context(&old_decls, anchor.first, anchor.last));

    // 2. The anchor's declaration under its name, in the same container:
    // the least nested, then the one whose first line is most like the old.
    let mut best: Option<((usize, f64, usize), String, Decl)> = None;
    for (order, path) in candidates.iter().enumerate() {
        let prefix = file_context(path, &key.path);
        let Some(lines) = std.lines(path) else {
            continue;
        };
        let decls = declarations(lines);
        for d in decls.iter().filter(|d| d.name == anchor.name) {
            let ctx = normal_ctx([prefix.clone(), context(&decls, d.first, d.last)].concat());
            if !ctx.ends_with(&anchor_context) {
                continue;
            }
            let similarity = strsim::normalized_levenshtein(&d.header, &anchor.header);
            let score = (ctx.len(), -similarity, order);
            let better = best.as_ref().is_none_or(|(s, _, _)| {
                score
                    .0
                    .cmp(&s.0)
                    .then(score.1.total_cmp(&s.1))
                    .then(score.2.cmp(&s.2))
                    .is_lt()
            });
            if better {
                best = Some((score, path.clone(), d.clone()));
            }
        }
    }
    if let Some((_, path, d)) = best {
        // A struct that became its own file (`pub const Writer =
        // @import("File/Writer.zig");`) is that whole file.
        let imported = d
            .header
            .split_once("@import(\"")
            .and_then(|(_, r)| r.split_once("\")"))
            .filter(|(file, _)| file.ends_with(".zig") && anchor.last > anchor.first)
            .map(|(file, _)| match path.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{file}"),
                None => file.to_string(),
            });
        if let Some(file) = imported
            && let Some(n) = std.lines(&file).map(<[String]>::len)
        {
            let (status, at) = found(&file, 1, n as u32, Some(&d.name));
            return row(status, at);
        }
        // A struct whose file became the struct (`const ArenaAllocator =
        // @This();` in `heap/ArenaAllocator.zig`) is that whole file.
        if d.header.contains("@This()")
            && anchor.last > anchor.first
            && let Some(n) = std.lines(&path).map(<[String]>::len)
        {
            let (status, at) = found(&path, 1, n as u32, Some(&d.name));
            return row(status, at);
        }
        // Lines inside a declaration that changed (`Thread.zig:1433-1440`,
        // the guard page's `mprotect` in `spawn`): the part of the new
        // declaration most like them, rather than all of it.
        if !is_symbol
            && (a, b) != (anchor.first, anchor.last)
            && cited.len() <= MAX_WINDOW
            && let Some(lines) = std.lines(&path)
            && let Some((first, last)) = best_window(lines, d.first, d.last, &cited, spellings)
        {
            let (status, at) = found(&path, first, last, Some(&d.name));
            return row(status, at);
        }
        let (status, at) = found(&path, d.first, d.last, Some(&d.name));
        return row(status, at);
    }

    // 3. The symbol's declaration under a new name.
    if is_symbol {
        let old_names: Vec<&str> = old_decls.iter().map(|d| d.name.as_str()).collect();
        let signature = without_name(&anchor.header, &anchor.name);
        for path in &candidates {
            let Some(lines) = std.lines(path) else {
                continue;
            };
            let renamed = declarations(lines).into_iter().find(|d| {
                !old_names.contains(&d.name.as_str())
                    && ((!anchor.doc.is_empty() && d.doc == anchor.doc)
                        || (signature.contains('(')
                            && without_name(&d.header, &d.name) == signature))
            });
            if let Some(d) = renamed {
                return row(
                    Status::Renamed,
                    Some(Location {
                        path: path.clone(),
                        first: d.first,
                        last: d.last,
                        name: Some(d.name),
                    }),
                );
            }
        }
    }
    row(Status::Removed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn declarations_span_their_block_and_signature() {
        let src = lines(
            "/// Doc.\npub fn a(\n    x: u8,\n) void {\n    _ = x;\n}\nconst b = 1;\nend: usize = 0,\n",
        );
        let d = declarations(&src);
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.name.as_str(), d.first, d.last))
            .collect();
        assert_eq!(got, [("a", 2, 6), ("x", 3, 3), ("b", 7, 7), ("end", 8, 8)]);
        assert_eq!(d[0].doc, "/// Doc.");
    }

    fn std_with(files: &[(&str, &str)]) -> (Std, tempfile::TempDir) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("cite-locate-{}-", files[0].0.replace('/', "_")))
            .tempdir()
            .unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        (Std::new("9.9.9", dir.path()), dir)
    }

    const OLD: &str = "const W = @This();\n\n/// Makes room.\npub fn rebase(w: *W, n: usize) void {\n    w.end = n;\n}\n";

    fn key(first: u32, last: u32, symbol: &str) -> Key {
        Key {
            path: "fs/File.zig".into(),
            first,
            last,
            symbol: symbol.into(),
        }
    }

    #[test]
    fn moved_renamed_and_removed() {
        let old = lines(OLD);
        // The file moved and the lines shifted, text unchanged.
        let (mut std, dir) = std_with(&[("Io/File.zig", &format!("// new\n{OLD}"))]);
        let r = locate(&key(4, 6, "rebase"), &old, &["rebase".into()], &mut std);
        assert_eq!(r.status, Status::Moved);
        let at = r.at.unwrap();
        assert_eq!((at.path.as_str(), at.first, at.last), ("Io/File.zig", 5, 7));
        dir.close().unwrap();

        // Same doc comment, new name and body.
        let renamed = "/// Makes room.\npub fn makeRoom(w: *W) void {\n    w.end = 0;\n}\n";
        let (mut std, dir) = std_with(&[("fs/File.zig", renamed)]);
        let r = locate(&key(4, 6, "rebase"), &old, &["rebase".into()], &mut std);
        assert_eq!(r.status, Status::Renamed);
        assert_eq!(r.at.unwrap().name.as_deref(), Some("makeRoom"));
        dir.close().unwrap();

        let (mut std, dir) = std_with(&[("fs/File.zig", "const x = 1;\n")]);
        let r = locate(&key(4, 6, "rebase"), &old, &["rebase".into()], &mut std);
        assert_eq!((r.status, r.at), (Status::Removed, None));
        dir.close().unwrap();
    }

    #[test]
    fn changed_lines_inside_a_declaration_are_found_by_likeness() {
        let body = lines(
            "fn spawn() void {\n    const a = 1;\n    // guard page\n    protect(mapped[guard..], rw);\n    const b = 2;\n}\n",
        );
        let cited = ["// guard page", "mprotect(mapped[guard..], rw);"];
        assert_eq!(
            best_window(&body, 1, 6, &cited, &["guard".into()]),
            Some((3, 4))
        );
        // Nothing alike, or nothing holding the symbol: no window.
        assert_eq!(best_window(&body, 1, 6, &["zzzz qqqq xxxx"], &[]), None);
        assert_eq!(best_window(&body, 1, 6, &cited, &["other".into()]), None);
    }
}
