//! The public surface of one Zig container: its `pub` declarations and its
//! fields, each with a normalized signature, read from the source text.
//!
//! The declarations come from [`locate::declarations`], the citation
//! test's parser; this module adds what a comparison needs: which of them
//! belong to a container (one indent level inside it), and each one's
//! signature. A signature is the declaration's text up to its body, with
//! comments dropped, whitespace collapsed and the spacing and trailing
//! commas that `zig fmt` varies with line length removed:
//! - a function: up to the `{` of its body (an `error{...}` set in the
//!   return type is kept);
//! - a constant or variable: up to its `;`; a `struct`, `union`, `enum` or
//!   `opaque` body ends the signature there (its members are compared one
//!   by one, under the qualified name `Outer.inner`), any other `{...}`
//!   body (an initializer, a `switch`) is written `{…}`;
//! - a field: up to its `,`, bodies as for constants.

use crate::citations::locate::{self, Decl};

/// What a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// A `pub fn`, `pub const` or `pub var`.
    Declaration,
    /// A field (every field of a Zig container is public).
    Field,
}

/// One public member of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// Its name, qualified by the nested containers it is in (`Allocating.init`).
    pub name: String,
    /// Declaration or field.
    pub kind: Kind,
    /// Its first line in the file (1-based).
    pub line: u32,
    /// Its normalized signature (module docs).
    pub signature: String,
    /// Whether it is at the container's own level, not in a nested one.
    pub top_level: bool,
}

/// The line declaring the container at `container` (names, outermost
/// first, from the file's top level; empty for the file itself, line 1) in
/// `lines`, and its members; `None` when there is no such container.
pub(super) fn members(lines: &[String], container: &[&str]) -> Option<(u32, Vec<Member>)> {
    let decls = locate::declarations(lines);
    let (range, line) = container_range(lines, &decls, container)?;
    let mut out = Vec::new();
    collect(lines, &decls, range, "", &mut out);
    Some((line, out))
}

/// The first line and the text of the declaration `name` (public or not)
/// directly in the container at `container`: every line of it, comments
/// dropped and [`normalize`]d, so that two releases' texts are equal when
/// only layout and comments differ.
pub(super) fn code(lines: &[String], container: &[&str], name: &str) -> Option<(u32, String)> {
    let decls = locate::declarations(lines);
    let ((first, last, depth), _) = container_range(lines, &decls, container)?;
    let d = child(lines, &decls, first, last, depth).find(|d| d.name == name)?;
    let text: Vec<&str> = lines[d.first as usize - 1..d.last as usize]
        .iter()
        .map(|l| strip_comment(l))
        .collect();
    Some((d.first, normalize(&text.join(" "))))
}

/// The lines (exclusive bounds) and nesting depth of the members of the
/// container at `container`, and the line declaring it (1 for the file).
fn container_range(
    lines: &[String], decls: &[Decl], container: &[&str],
) -> Option<((u32, u32, usize), u32)> {
    let (mut first, mut last, mut depth) = (0, lines.len() as u32 + 1, 0);
    let mut line = 1;
    for name in container {
        let d = child(lines, decls, first, last, depth)
            .find(|d| d.name == *name && is_container(lines, d))?;
        (first, last, depth, line) = (d.first, d.last, depth + 1, d.first);
    }
    Some(((first, last, depth), line))
}

/// The declarations directly inside lines `first..last` (exclusive), at
/// nesting `depth` (four spaces each).
fn child<'a>(
    lines: &'a [String], decls: &'a [Decl], first: u32, last: u32, depth: usize,
) -> impl Iterator<Item = &'a Decl> {
    decls.iter().filter(move |d| {
        d.first > first && d.first < last && indent(&lines[d.first as usize - 1]) == depth * 4
    })
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn collect(
    lines: &[String], decls: &[Decl], (first, last, depth): (u32, u32, usize), prefix: &str,
    out: &mut Vec<Member>,
) {
    for d in child(lines, decls, first, last, depth) {
        let Some(kind) = kind_of(&d.header) else {
            continue;
        };
        let name = format!("{prefix}{}", d.name);
        out.push(Member {
            name: name.clone(),
            kind,
            line: d.first,
            signature: signature(lines, d.first, kind),
            top_level: prefix.is_empty(),
        });
        if kind == Kind::Declaration && is_container(lines, d) {
            let inner = (d.first, d.last, depth + 1);
            collect(lines, decls, inner, &format!("{name}."), out);
        }
    }
}

/// A public declaration, a field, or neither (a private declaration).
fn kind_of(header: &str) -> Option<Kind> {
    if header.starts_with("pub ") {
        return Some(Kind::Declaration);
    }
    let declares = [
        "fn ",
        "const ",
        "var ",
        "inline ",
        "export ",
        "extern ",
        "threadlocal ",
    ]
    .iter()
    .any(|k| header.starts_with(k));
    (!declares).then_some(Kind::Field)
}

/// Whether `d` is a constant whose value is a container type literal.
fn is_container(lines: &[String], d: &Decl) -> bool {
    d.last > d.first && scan(lines, d.first, Kind::Declaration).container
}

/// The normalized signature of the member whose first line is `first`.
pub(super) fn signature(lines: &[String], first: u32, kind: Kind) -> String {
    normalize(&scan(lines, first, kind).text)
}

/// What [`scan`] read: the raw signature text, and whether it ended at a
/// container body.
struct Scanned {
    text: String,
    container: bool,
}

/// The container keywords whose body ends a constant's signature.
const CONTAINERS: [&str; 4] = ["struct", "union", "enum", "opaque"];

/// Reads a member's text from line `first` up to where its signature ends
/// (module docs), without comments.
fn scan(lines: &[String], first: u32, kind: Kind) -> Scanned {
    let mut s = Scanner::default();
    let is_fn = kind == Kind::Declaration && is_fn_header(&lines[first as usize - 1]);
    for line in &lines[first as usize - 1..] {
        let code = strip_comment(line);
        for (i, c) in code.char_indices() {
            let ctx = Context {
                is_fn,
                kind,
                rest: &code[i + c.len_utf8()..],
            };
            if let Some(done) = s.step(c, &ctx) {
                return done;
            }
        }
        s.push(' ');
    }
    Scanned {
        text: s.text,
        container: false,
    }
}

fn is_fn_header(line: &str) -> bool {
    let t = line.trim_start();
    let t = ["pub ", "inline ", "export ", "extern "]
        .iter()
        .fold(t, |s, p| s.strip_prefix(p).unwrap_or(s));
    t.strip_prefix("inline ").unwrap_or(t).starts_with("fn ")
}

/// What [`Scanner::step`] needs to know besides the character: the kind
/// of member, and the rest of the line after the character.
struct Context<'a> {
    is_fn: bool,
    kind: Kind,
    rest: &'a str,
}

/// Whether a `{` followed by `rest` is closed on the same line.
fn closes_on_line(rest: &str) -> bool {
    let mut depth = 1usize;
    for c in rest.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return true;
        }
    }
    false
}

/// The state of [`scan`]: the text kept, bracket depth (an `error{...}`
/// set counts as a bracket), string state, and the depth of a `{...}` body
/// being skipped.
#[derive(Default)]
struct Scanner {
    text: String,
    depth: usize,
    in_string: Option<char>,
    escaped: bool,
    skipping: usize,
}

impl Scanner {
    fn push(&mut self, c: char) {
        if self.skipping == 0 {
            self.text.push(c);
        }
    }

    /// Takes one character; `Some` when the signature ends before it.
    fn step(&mut self, c: char, ctx: &Context) -> Option<Scanned> {
        if let Some(quote) = self.in_string {
            self.push(c);
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' => self.escaped = true,
                _ if c == quote => self.in_string = None,
                _ => {}
            }
            return None;
        }
        match c {
            '"' | '\'' => {
                self.in_string = Some(c);
                self.push(c);
            }
            '(' | '[' => {
                self.depth += 1;
                self.push(c);
            }
            ')' | ']' => {
                self.depth = self.depth.saturating_sub(1);
                self.push(c);
            }
            '{' => return self.open_brace(ctx),
            '}' => self.close_brace(),
            ';' if self.depth == 0 && self.skipping == 0 => return Some(self.done(false)),
            ',' if self.depth == 0 && self.skipping == 0 && ctx.kind == Kind::Field => {
                return Some(self.done(false));
            }
            _ => self.push(c),
        }
        None
    }

    /// A `{`: kept when inside brackets, an `error{...}` set, a container
    /// type in a function's return type or a body closed on the line; the
    /// end of a function's signature or of a container's; else the start
    /// of a body written `{…}`.
    fn open_brace(&mut self, ctx: &Context) -> Option<Scanned> {
        if self.skipping > 0 {
            self.skipping += 1;
            return None;
        }
        let before = self.text.trim_end();
        let container = ends_with_container(before);
        let keep = self.depth > 0
            || ends_with_word(before, "error")
            || (ctx.is_fn && container)
            || (!ctx.is_fn && !container && closes_on_line(ctx.rest));
        if keep {
            self.depth += 1;
            self.text.push('{');
            return None;
        }
        if ctx.is_fn || container {
            return Some(self.done(container));
        }
        self.text.push_str("{…}");
        self.skipping = 1;
        None
    }

    fn close_brace(&mut self) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        self.depth = self.depth.saturating_sub(1);
        self.text.push('}');
    }

    fn done(&mut self, container: bool) -> Scanned {
        Scanned {
            text: std::mem::take(&mut self.text),
            container,
        }
    }
}

/// Whether `text` ends with a container keyword, with or without an
/// argument (`struct`, `union(enum)`, `enum(u8)`, `packed struct(u32)`).
fn ends_with_container(text: &str) -> bool {
    let text = text.trim_end();
    let text = match text.strip_suffix(')') {
        Some(t) => t.rfind('(').map_or(t, |open| t[..open].trim_end()),
        None => text,
    };
    CONTAINERS.iter().any(|k| ends_with_word(text, k))
}

/// Whether `text` ends with the whole word `word`.
fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word)
        .is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

/// `line` without a `//` comment (one outside a string literal).
fn strip_comment(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("\\\\") {
        return line;
    }
    let mut quote = None;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'/' && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            None => {}
        }
    }
    line
}

/// Whitespace collapsed to single spaces, no comma before a closing
/// bracket, no space inside `(...)` and `[...]`, one space inside a
/// non-empty `{ ... }`: the spacing `zig fmt` gives a one-line declaration.
pub(super) fn normalize(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    for c in collapsed.chars() {
        if matches!(c, ')' | ']' | '}') {
            while out.ends_with(' ') || out.ends_with(',') {
                out.pop();
            }
            if c == '}' && !out.ends_with(['{', '…']) {
                out.push(' ');
            }
        }
        if c == ' ' && out.ends_with(['(', '[', '{']) {
            continue;
        }
        if out.ends_with('{') && !matches!(c, '}' | '…') {
            out.push(' ');
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    const SRC: &str = "\
const W = @This();
vtable: *const VTable,
end: usize = 0,

pub const VTable = struct {
    /// Doc.
    drain: *const fn (w: *W) Error!usize,
    pub const x = 1;
};

pub const Error = error{
    WriteFailed,
};

/// Doc comments are not signatures.
pub fn writeSplatHeader(
    w: *W, // a comment
    header: []const u8,
) Error!usize {
    return 0;
}

fn private() void {}

pub inline fn g(s: []const u8) error{ A, B }!void {
    _ = \"{ not a body; \";
}

pub const failing: W = .{
    .vtable = &.{ .drain = undefined },
};

pub fn pair(r: *W) Error!struct { usize, usize } {
    return .{ 0, 0 };
}

name: [4]u8 = [_]u8{0} ** 4,
";

    #[test]
    fn members_are_public_declarations_and_fields_with_signatures() {
        let got: Vec<(String, Kind, u32, String, bool)> = members(&lines(SRC), &[])
            .unwrap()
            .1
            .into_iter()
            .map(|m| (m.name, m.kind, m.line, m.signature, m.top_level))
            .collect();
        let want = [
            ("vtable", Kind::Field, 2, "vtable: *const VTable", true),
            ("end", Kind::Field, 3, "end: usize = 0", true),
            (
                "VTable",
                Kind::Declaration,
                5,
                "pub const VTable = struct",
                true,
            ),
            (
                "VTable.drain",
                Kind::Field,
                7,
                "drain: *const fn (w: *W) Error!usize",
                false,
            ),
            ("VTable.x", Kind::Declaration, 8, "pub const x = 1", false),
            (
                "Error",
                Kind::Declaration,
                11,
                "pub const Error = error{ WriteFailed }",
                true,
            ),
            (
                "writeSplatHeader",
                Kind::Declaration,
                16,
                "pub fn writeSplatHeader(w: *W, header: []const u8) Error!usize",
                true,
            ),
            (
                "g",
                Kind::Declaration,
                25,
                "pub inline fn g(s: []const u8) error{ A, B }!void",
                true,
            ),
            (
                "failing",
                Kind::Declaration,
                29,
                "pub const failing: W = .{…}",
                true,
            ),
            (
                "pair",
                Kind::Declaration,
                33,
                "pub fn pair(r: *W) Error!struct { usize, usize }",
                true,
            ),
            (
                "name",
                Kind::Field,
                37,
                "name: [4]u8 = [_]u8{ 0 } ** 4",
                true,
            ),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(n, k, l, s, t)| (n.to_string(), *k, *l, s.to_string(), *t))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_nested_container_is_found_by_name() {
        let src = lines(
            "pub const Writer = struct {\n    file: File,\n    pub fn init() Writer {\n        return .{};\n    }\n};\n",
        );
        let (line, m) = members(&src, &["Writer"]).unwrap();
        assert_eq!(line, 1);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["file", "init"]);
        assert!(members(&src, &["Reader"]).is_none());
    }

    #[test]
    fn code_ignores_comments_and_layout_only() {
        let a = lines(
            "pub const S = struct {\n    fn f() void {\n        // one\n        g();\n    }\n};\n",
        );
        let b =
            lines("pub const S = struct {\n    fn f() void {\n        g(); // two\n    }\n};\n");
        let c = lines("pub const S = struct {\n    fn f() void {\n        h();\n    }\n};\n");
        let (line, text) = code(&a, &["S"], "f").unwrap();
        assert_eq!((line, text.as_str()), (2, "fn f() void { g(); }"));
        assert_eq!(code(&b, &["S"], "f").unwrap().1, text);
        assert_ne!(code(&c, &["S"], "f").unwrap().1, text);
        assert!(code(&a, &[], "f").is_none(), "f is not at the top level");
    }

    #[test]
    fn layout_does_not_change_a_signature() {
        assert_eq!(
            normalize("pub fn f(\n    a: u8,\n    b: u8,\n) void"),
            normalize("pub fn f(a: u8, b: u8) void")
        );
        assert_eq!(normalize("error{A,\n B,\n}"), "error{ A, B }");
        assert_eq!(normalize(".{ }"), ".{}");
        assert!(ends_with_container("pub const U = union(enum)"));
        assert!(!ends_with_container("pub const x = mystruct"));
    }
}
