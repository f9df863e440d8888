//! Citations of Zig's standard library (`` `Writer.zig:333-339` ``), checked
//! against the source they cite.
//!
//! mdbook-vault finds the citations and the symbol each names: written
//! after the range (`` `Writer.zig:333-339 rebase` ``) or inferred from the
//! code span before it (`` `rebase` (`Writer.zig:333-339`) ``). A citation
//! is right when its range lies within the file and the symbol occurs, as a
//! whole word, in the cited lines. When it does not, the checker looks for
//! the symbol's definition in the file and says where it is, so the fix is
//! one copy away.

use std::collections::HashMap;
use std::path::Path;

use mdbook_vault::citation::{Citation, CitationProblem};

use crate::problem::Problem;

/// Checks every citation of one chapter. `source(std_path)` returns the text
/// of a file under `lib/std` (e.g. `Io/Writer.zig`), or `None` if it does
/// not exist.
pub fn check_chapter(
    file: &Path,
    markdown: &str,
    source: &mut dyn FnMut(&str) -> Option<String>,
) -> Vec<Problem> {
    let scan = mdbook_vault::extract_citations(markdown);
    let mut problems: Vec<Problem> = scan
        .errors
        .iter()
        .map(|e| {
            let why = match &e.problem {
                CitationProblem::UnknownFile { file, suggestion } => {
                    format!("unknown file `{file}` (did you mean `{suggestion}`?)")
                }
                CitationProblem::MalformedRange => "the range is not `A` or `A-B`".to_string(),
                CitationProblem::ReversedRange { first, last } => {
                    format!("the range {first}-{last} ends before it starts")
                }
            };
            Problem::new(file, e.line, format!("citation `{}`: {why}", e.text))
        })
        .collect();
    let mut texts: HashMap<&'static str, Option<Vec<String>>> = HashMap::new();
    for c in &scan.citations {
        let lines = texts
            .entry(c.std_path)
            .or_insert_with(|| source(c.std_path).map(|t| t.lines().map(String::from).collect()));
        if let Some(message) = check_citation(c, lines.as_deref()) {
            problems.push(Problem::new(file, c.line, message));
        }
    }
    problems
}

/// What is wrong with one citation, if anything.
fn check_citation(c: &Citation, lines: Option<&[String]>) -> Option<String> {
    let range = range_text(&c.file, c.first_line, c.last_line);
    let Some(lines) = lines else {
        return Some(format!("{range}: lib/std/{} does not exist", c.std_path));
    };
    if c.last_line as usize > lines.len() {
        return Some(format!(
            "{range} is past the end of lib/std/{} ({} lines)",
            c.std_path,
            lines.len()
        ));
    }
    let symbol = c.symbol.as_deref()?;
    let Some(name) = identifier(symbol) else {
        // An explicit symbol must be checkable; an inferred code span that
        // is not a name (`"Hello"`, `0`) is simply not a claim.
        return c
            .symbol_explicit
            .then(|| format!("{range}: `{symbol}` is not a Zig identifier"));
    };
    let names = spellings(&name);
    let cited = &lines[c.first_line as usize - 1..c.last_line as usize];
    if cited
        .iter()
        .any(|l| names.iter().any(|n| contains_word(l, n)))
    {
        return None;
    }
    let shown = names.join("` or `");
    let defs: Vec<String> = names
        .iter()
        .flat_map(|n| definitions(lines, n))
        .map(|(a, b)| range_text(&c.file, a, b))
        .collect();
    Some(if defs.is_empty() {
        format!(
            "{range} does not contain `{shown}`, and lib/std/{} does not define it",
            c.std_path
        )
    } else {
        format!(
            "{range} does not contain `{shown}`; it is defined at {}",
            defs.join(", ")
        )
    })
}

fn range_text(file: &str, a: u32, b: u32) -> String {
    if a == b {
        format!("{file}:{a}")
    } else {
        format!("{file}:{a}-{b}")
    }
}

/// The name a code span stands for: `w.consume(n)` → `consume`,
/// `std.Io.Writer.fixed` → `fixed`, `end: usize` → `end`, `@fieldParentPtr`
/// → `fieldParentPtr`. `None` if what is left is not an identifier.
pub fn identifier(span: &str) -> Option<String> {
    let s = span.trim().trim_start_matches(['@', '.', '*', '&']);
    let s = s
        .split(['(', ' ', ':', '=', '[', '{', ',', '<', ';'])
        .next()
        .unwrap_or("");
    let s = s.rsplit('.').next().unwrap_or("");
    let mut chars = s.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| s.to_string())
}

/// The spellings to look for: the name, and for a Rust `snake_case` name
/// the Zig `camelCase` one it ports (`write_splat` → `writeSplat`).
fn spellings(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if name.contains('_') && name.chars().all(|c| !c.is_ascii_uppercase()) {
        let mut camel = String::new();
        let mut upper = false;
        for c in name.trim_matches('_').chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                camel.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                camel.push(c);
            }
        }
        if camel != name {
            out.push(camel);
        }
    }
    out
}

/// Whether `word` occurs in `line` with no identifier character on either
/// side.
fn contains_word(line: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        !line[..at].chars().next_back().is_some_and(is_ident)
            && !line[at + word.len()..].chars().next().is_some_and(is_ident)
    })
}

/// The line ranges (1-based, inclusive) of every declaration of `name`: a
/// function, a constant or variable, or a struct field; a declaration that
/// opens a block ends at the `}` with its own indentation.
fn definitions(lines: &[String], name: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let rest = ["pub ", "inline ", "export ", "extern "]
            .iter()
            .fold(trimmed, |s, p| s.strip_prefix(p).unwrap_or(s));
        let rest = rest.strip_prefix("inline ").unwrap_or(rest);
        let declares = ["fn ", "const ", "var "].iter().any(|kw| {
            rest.strip_prefix(kw).is_some_and(|r| {
                r.strip_prefix(name)
                    .is_some_and(|after| after.starts_with(['(', ' ', ':', '=']))
            })
        }) || trimmed
            .strip_prefix(name)
            .is_some_and(|after| after.starts_with(':') && !after.starts_with("::"));
        if !declares {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let first = i as u32 + 1;
        let last = if line.trim_end().ends_with('{') {
            lines[i + 1..]
                .iter()
                .position(|l| {
                    l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}')
                })
                .map_or(first, |k| first + k as u32 + 1)
        } else {
            first
        };
        out.push((first, last));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITER: &str = "\
const Writer = @This();
vtable: *const VTable,
buffer: []u8,
end: usize = 0,

pub fn flush(w: *Writer) Error!void {
    return w.vtable.flush(w);
}

pub fn rebase(w: *Writer, preserve: usize, unused_capacity_len: usize) Error!void {
    if (w.buffer.len - w.end >= unused_capacity_len) {
        return;
    }
    return w.vtable.rebase(w, preserve, unused_capacity_len);
}
";

    fn problems(markdown: &str) -> Vec<String> {
        let mut source = |path: &str| (path == "Io/Writer.zig").then(|| WRITER.to_string());
        check_chapter(Path::new("book/ch.md"), markdown, &mut source)
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_citation_whose_lines_hold_its_symbol_passes() {
        assert!(problems("`rebase` (`Writer.zig:10-15`) makes room.\n").is_empty());
        assert!(problems("It flushes (`Writer.zig:6-8 flush`).\n").is_empty());
        // A Rust name is checked as the Zig name it ports.
        assert!(problems("`w.unused_capacity_len` (`Writer.zig:10-15`).\n").is_empty());
        // A code span that is not a name makes no claim about the lines.
        assert!(problems("`\"hi\"` (`Writer.zig:1`).\n").is_empty());
    }

    #[test]
    fn a_wrong_range_says_where_the_symbol_is() {
        assert_eq!(
            problems("Text.\n\n`rebase` (`Writer.zig:6-8`) makes room.\n"),
            [
                "book/ch.md:3: Writer.zig:6-8 does not contain `rebase`; it is defined at Writer.zig:10-15"
            ]
        );
        assert_eq!(
            problems("The `end: usize` field (`Writer.zig:2`).\n"),
            ["book/ch.md:1: Writer.zig:2 does not contain `end`; it is defined at Writer.zig:4"]
        );
        assert_eq!(
            problems("`Writer.zig:1-3 drain`\n"),
            [
                "book/ch.md:1: Writer.zig:1-3 does not contain `drain`, and lib/std/Io/Writer.zig does not define it"
            ]
        );
    }

    #[test]
    fn ranges_past_the_end_and_unknown_files_fail() {
        assert_eq!(
            problems("`flush` (`Writer.zig:14-99`)\n"),
            ["book/ch.md:1: Writer.zig:14-99 is past the end of lib/std/Io/Writer.zig (15 lines)"]
        );
        assert_eq!(
            problems("`Reader.zig:1-2`\n"),
            ["book/ch.md:1: Reader.zig:1-2: lib/std/Io/Reader.zig does not exist"]
        );
        let p = problems("`Writr.zig:1-2`\n");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("book/ch.md:1: citation `Writr.zig:1-2`: unknown file"),
            "{p:?}"
        );
    }

    #[test]
    fn identifiers_are_taken_from_code_spans() {
        assert_eq!(identifier("w.consume(n)").as_deref(), Some("consume"));
        assert_eq!(identifier("std.Io.Writer.fixed").as_deref(), Some("fixed"));
        assert_eq!(
            identifier("@fieldParentPtr").as_deref(),
            Some("fieldParentPtr")
        );
        assert_eq!(identifier(".fixed").as_deref(), Some("fixed"));
        assert_eq!(identifier("end: usize = 0"), Some("end".into()));
        assert_eq!(identifier("42"), None);
        assert_eq!(
            spellings("write_splat_header"),
            ["write_splat_header", "writeSplatHeader"]
        );
    }
}
