//! Where each citation's symbol lives in the later pinned Zig releases.
//!
//! The book cites Zig 0.15.1's `lib/std`; readers also use later releases,
//! where files move (`fs/File.zig` became `Io/File.zig`), lines shift and
//! declarations are renamed or removed. The recorded table
//! `book/data/zig-citations.tsv` ([`TABLE_FILE`]) says, for every distinct
//! citation and every later release, where the cited code is there. The
//! book's Zig test (`tests/tests/zig/citations.rs`) generates it from each
//! installed compiler's `lib/std` and fails when the committed table
//! differs; this module only reads it, so building the book needs no Zig.
//!
//! # Format
//! Tab-separated, one row per (citation, version); `#` lines are comments;
//! the first other line is the header [`HEADER`]. Columns:
//! 1. `path`: the cited file under `lib/std` in 0.15.1 (`Io/Writer.zig`);
//! 2. `lines`: the cited range, `A` or `A-B`;
//! 3. `symbol`: the identifier the citation names ([`crate::citation::identifier`]),
//!    or `-`;
//! 4. `version`: the later release;
//! 5. `status`: `same` (same file and lines), `moved` (another file or
//!    other lines), `renamed` (the declaration is there under another
//!    name) or `removed`;
//! 6. `at_path`, 7. `at_lines`: where it is in that release (`-` when
//!    removed);
//! 8. `name`: the declaration found there (the new name when renamed),
//!    or `-`.
//!
//! # Rendering
//! [`version_elements`] gives the HTML that follows a citation's 0.15.1
//! link: one `<span data-zig-version="V">` per release, e.g.
//! ` (0.16.0: <a href="…"><code>Io/Writer.zig:340-346</code></a>)`. It is
//! phrasing content only (`span`, `a`, `code`), so it stays valid HTML
//! in a paragraph, list item or table cell, and it holds no `|`, so it
//! never splits a table row.

use crate::citation::{Citation, identifier};
use std::fmt::Write as _;

/// The table's path relative to the book's source directory.
pub const TABLE_FILE: &str = "data/zig-citations.tsv";

/// The header line of the table.
pub const HEADER: &str = "path\tlines\tsymbol\tversion\tstatus\tat_path\tat_lines\tname";

/// Base URL of Zig's sources on GitHub; `<base><version>/lib/std/<path>`.
pub const ZIG_BLOB_URL: &str = "https://github.com/ziglang/zig/blob/";

/// What identifies a citation in the table: the same code cited twice, even
/// as `Writer.zig` and `Io/Writer.zig`, is one key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The cited file under `lib/std` in 0.15.1.
    pub path: String,
    /// First cited line.
    pub first: u32,
    /// Last cited line.
    pub last: u32,
    /// The identifier the citation names, or `-`.
    pub symbol: String,
}

impl Key {
    /// The key of a citation found in a chapter.
    pub fn of(c: &Citation) -> Key {
        Key {
            path: c.std_path.to_string(),
            first: c.first_line,
            last: c.last_line,
            symbol: c
                .symbol
                .as_deref()
                .and_then(identifier)
                .unwrap_or_else(|| "-".to_string()),
        }
    }
}

/// What became of a citation in a later release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The same file and lines.
    Same,
    /// Found in another file or at other lines.
    Moved,
    /// The declaration is there under another name.
    Renamed,
    /// Nothing in that release's `lib/std` corresponds to it.
    Removed,
}

impl Status {
    /// The word used in the table.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Moved => "moved",
            Status::Renamed => "renamed",
            Status::Removed => "removed",
        }
    }

    fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "same" => Status::Same,
            "moved" => Status::Moved,
            "renamed" => Status::Renamed,
            "removed" => Status::Removed,
            _ => return None,
        })
    }
}

/// Where a citation's code is in one release: file, lines and declaration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file under that release's `lib/std`.
    pub path: String,
    /// First line.
    pub first: u32,
    /// Last line.
    pub last: u32,
    /// The declaration found there, if the location is a declaration's.
    pub name: Option<String>,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Row {
    /// The citation.
    pub key: Key,
    /// The later release.
    pub version: String,
    /// What became of it.
    pub status: Status,
    /// Where it is; `None` exactly when `status` is [`Status::Removed`].
    pub at: Option<Location>,
}

/// The whole table, rows sorted by key then version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitationTable {
    /// Every row.
    pub rows: Vec<Row>,
}

/// `A` or `A-B`.
pub fn lines_text(first: u32, last: u32) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    }
}

fn parse_lines(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
    (1 <= a && a <= b).then_some((a, b))
}

impl CitationTable {
    /// A table of `rows`, sorted.
    pub fn new(mut rows: Vec<Row>) -> CitationTable {
        rows.sort();
        rows.dedup();
        CitationTable { rows }
    }

    /// Parses the table's text.
    ///
    /// # Errors
    /// `line N: what is wrong` for the first malformed line.
    pub fn parse(text: &str) -> Result<CitationTable, String> {
        let mut rows = Vec::new();
        let mut header = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header {
                if line != HEADER {
                    return Err(format!("line {n}: expected the header `{HEADER}`"));
                }
                header = true;
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [
                path,
                lines,
                symbol,
                version,
                status,
                at_path,
                at_lines,
                name,
            ] = cols[..]
            else {
                return Err(format!("line {n}: {} columns, want 8", cols.len()));
            };
            let (first, last) =
                parse_lines(lines).ok_or_else(|| format!("line {n}: bad range `{lines}`"))?;
            let status = Status::parse(status)
                .ok_or_else(|| format!("line {n}: unknown status `{status}`"))?;
            let at = if status == Status::Removed {
                None
            } else {
                let (a, b) = parse_lines(at_lines)
                    .ok_or_else(|| format!("line {n}: bad range `{at_lines}`"))?;
                Some(Location {
                    path: at_path.to_string(),
                    first: a,
                    last: b,
                    name: (name != "-").then(|| name.to_string()),
                })
            };
            if status == Status::Renamed && at.as_ref().is_none_or(|l| l.name.is_none()) {
                return Err(format!("line {n}: a renamed row needs the new name"));
            }
            rows.push(Row {
                key: Key {
                    path: path.to_string(),
                    first,
                    last,
                    symbol: symbol.to_string(),
                },
                version: version.to_string(),
                status,
                at,
            });
        }
        if !header {
            return Err(format!("no header line `{HEADER}`"));
        }
        Ok(CitationTable::new(rows))
    }

    /// The table's text: `comment` lines (each prefixed with `# `), the
    /// header, then one line per row.
    pub fn render(&self, comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "{HEADER}");
        for row in &self.rows {
            let _ = writeln!(out, "{}", row_text(row));
        }
        out
    }

    /// Every release the table covers, sorted.
    pub fn versions(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.rows.iter().map(|r| r.version.as_str()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The row for `key` in `version`.
    pub fn get(&self, key: &Key, version: &str) -> Option<&Row> {
        self.rows
            .binary_search_by(|r| (&r.key, r.version.as_str()).cmp(&(key, version)))
            .ok()
            .map(|i| &self.rows[i])
    }
}

/// One row as a line of the table (no newline).
pub fn row_text(row: &Row) -> String {
    let k = &row.key;
    let (at_path, at_lines, name) = match &row.at {
        Some(l) => (
            l.path.as_str(),
            lines_text(l.first, l.last),
            l.name.as_deref().unwrap_or("-"),
        ),
        None => ("-", "-".to_string(), "-"),
    };
    format!(
        "{}\t{}\t{}\t{}\t{}\t{at_path}\t{at_lines}\t{name}",
        k.path,
        lines_text(k.first, k.last),
        k.symbol,
        row.version,
        row.status.as_str()
    )
}

/// The URL of `location` in release `version`.
pub fn url(version: &str, location: &Location) -> String {
    let anchor = if location.first == location.last {
        format!("#L{}", location.first)
    } else {
        format!("#L{}-L{}", location.first, location.last)
    };
    format!("{ZIG_BLOB_URL}{version}/lib/std/{}{anchor}", location.path)
}

/// The HTML after a citation's 0.15.1 link: one element per release of
/// `table`, in version order.
///
/// # Errors
/// The releases for which the table has no row for this citation.
pub fn version_elements(c: &Citation, table: &CitationTable) -> Result<String, Vec<String>> {
    let key = Key::of(c);
    let mut out = String::new();
    let mut missing = Vec::new();
    for version in table.versions() {
        match table.get(&key, version) {
            Some(row) => out.push_str(&element(row)),
            None => missing.push(version.to_string()),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// One release's element. The leading space is inside the element, so a
/// hidden element leaves no stray space behind.
fn element(row: &Row) -> String {
    let v = escape(&row.version);
    let body = match &row.at {
        Some(at) => {
            let link = format!(
                "<a href=\"{}\"><code>{}:{}</code></a>",
                escape(&url(&row.version, at)),
                escape(&at.path),
                lines_text(at.first, at.last)
            );
            match (&row.status, &at.name) {
                (Status::Renamed, Some(name)) => format!(
                    "<code>{}</code> renamed to <code>{}</code>, {link}",
                    escape(&row.key.symbol),
                    escape(name)
                ),
                _ => link,
            }
        }
        None if row.key.symbol == "-" => "removed".to_string(),
        None => format!("<code>{}</code> removed", escape(&row.key.symbol)),
    };
    format!("<span class=\"zig-citation-version\" data-zig-version=\"{v}\"> ({v}: {body})</span>")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citation::extract_citations;

    const TABLE: &str = "\
# generated
path\tlines\tsymbol\tversion\tstatus\tat_path\tat_lines\tname
Io/Writer.zig\t333-339\trebase\t0.16.0\tmoved\tIo/Writer.zig\t340-346\trebase
Io/Writer.zig\t333-339\trebase\t0.17.1\trenamed\tIo/Writer.zig\t350-356\trebaseMore
fs/File.zig\t10\twriter\t0.16.0\tremoved\t-\t-\t-
fs/File.zig\t10\twriter\t0.17.1\tsame\tfs/File.zig\t10\twriter
";

    #[test]
    fn the_table_round_trips() {
        let table = CitationTable::parse(TABLE).unwrap();
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.versions(), ["0.16.0", "0.17.1"]);
        assert_eq!(table.render("generated"), TABLE);
    }

    #[test]
    fn malformed_tables_name_the_line() {
        assert_eq!(
            CitationTable::parse("path\n").unwrap_err(),
            format!("line 1: expected the header `{HEADER}`")
        );
        let bad = TABLE.replace("\tmoved\t", "\tshifted\t");
        assert_eq!(
            CitationTable::parse(&bad).unwrap_err(),
            "line 3: unknown status `shifted`"
        );
        let short = format!("{HEADER}\nIo/Writer.zig\t1\n");
        assert_eq!(
            CitationTable::parse(&short).unwrap_err(),
            "line 2: 2 columns, want 8"
        );
    }

    #[test]
    fn each_release_gets_one_element() {
        let table = CitationTable::parse(TABLE).unwrap();
        let c = &extract_citations("`rebase` (`Writer.zig:333-339`)").citations[0];
        assert_eq!(
            version_elements(c, &table).unwrap(),
            "<span class=\"zig-citation-version\" data-zig-version=\"0.16.0\"> (0.16.0: \
             <a href=\"https://github.com/ziglang/zig/blob/0.16.0/lib/std/Io/Writer.zig#L340-L346\">\
             <code>Io/Writer.zig:340-346</code></a>)</span>\
             <span class=\"zig-citation-version\" data-zig-version=\"0.17.1\"> (0.17.1: \
             <code>rebase</code> renamed to <code>rebaseMore</code>, \
             <a href=\"https://github.com/ziglang/zig/blob/0.17.1/lib/std/Io/Writer.zig#L350-L356\">\
             <code>Io/Writer.zig:350-356</code></a>)</span>"
        );
        let c = &extract_citations("`File.zig:10 writer`").citations[0];
        let html = version_elements(c, &table).unwrap();
        assert!(
            html.contains("(0.16.0: <code>writer</code> removed)"),
            "{html}"
        );
        assert!(
            html.contains("blob/0.17.1/lib/std/fs/File.zig#L10\"><code>fs/File.zig:10</code>"),
            "{html}"
        );
    }

    #[test]
    fn a_citation_missing_from_the_table_names_the_releases() {
        let table = CitationTable::parse(TABLE).unwrap();
        let c = &extract_citations("`drain` (`Writer.zig:333-339`)").citations[0];
        assert_eq!(
            version_elements(c, &table).unwrap_err(),
            ["0.16.0", "0.17.1"]
        );
    }
}
