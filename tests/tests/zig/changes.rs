//! What changed in the public interface of the book's Zig types after
//! 0.15.1, computed from each pinned release's `lib/std`.
//!
//! For each [`Subject`] (the writer, the reader, the file writer and
//! reader, the HTTP body writer, the tar writer) and each pinned release,
//! the container's public declarations and fields are read
//! ([`surface::members`]); between consecutive releases, the members added,
//! removed and whose normalized signature changed are listed. The result
//! is written as one Markdown include per subject under
//! [`GENERATED_DIR`], which the chapter "What Changed After Zig 0.15.1"
//! includes, and as counts in [`DATA_FILE`], which the figures
//! preprocessor turns into `{{#figure zig-changes.…}}` numbers. For the
//! functions zigio deliberately does not follow ([`FUNCTIONS`]), a table
//! ([`CODE_FILE`]) says whether each later release has the same code. The test
//! fails when the committed files differ from what the sources give;
//! `BOOK_RECORD=1` rewrites them ([`RECORD`]).

mod render;
mod surface;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use surface::{Kind, Member};

/// Where the includes go, relative to the repository root.
pub(crate) const GENERATED_DIR: &str = "book/generated/zig-changes";

/// The counts, relative to the repository root (read by mdbook-figures as
/// `zig-changes.*`).
pub(crate) const DATA_FILE: &str = "book/data/zig-changes.json";

/// The include, in [`GENERATED_DIR`], that says whether the code of each
/// of [`FUNCTIONS`] is still 0.15.1's.
pub(crate) const CODE_FILE: &str = "code.md";

/// The command that rewrites them.
pub(crate) const RECORD: &str = "BOOK_RECORD=1 cargo test -p book-tests --test zig changes";

/// A container: a file under `lib/std`, and the names of the nested
/// containers to go into (none for the file's own struct).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    /// The file, relative to `lib/std`.
    pub path: &'static str,
    /// Container names, outermost first.
    pub container: &'static [&'static str],
}

/// One type the book is about, and where it is declared.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject {
    /// File name of its include and key of its counts.
    pub id: &'static str,
    /// Its Zig name in 0.15.1, then in the later releases.
    pub names: [&'static str; 2],
    /// Where it is in 0.15.1.
    pub baseline: Place,
    /// Where it is in the later releases (an `@import` is followed).
    pub later: Place,
}

const fn file(path: &'static str) -> Place {
    Place {
        path,
        container: &[],
    }
}

/// The compared types.
pub(crate) const SUBJECTS: [Subject; 6] = [
    Subject {
        id: "writer",
        names: ["std.Io.Writer", "std.Io.Writer"],
        baseline: file("Io/Writer.zig"),
        later: file("Io/Writer.zig"),
    },
    Subject {
        id: "reader",
        names: ["std.Io.Reader", "std.Io.Reader"],
        baseline: file("Io/Reader.zig"),
        later: file("Io/Reader.zig"),
    },
    Subject {
        id: "file-writer",
        names: ["std.fs.File.Writer", "std.Io.File.Writer"],
        baseline: Place {
            path: "fs/File.zig",
            container: &["Writer"],
        },
        later: Place {
            path: "Io/File.zig",
            container: &["Writer"],
        },
    },
    Subject {
        id: "file-reader",
        names: ["std.fs.File.Reader", "std.Io.File.Reader"],
        baseline: Place {
            path: "fs/File.zig",
            container: &["Reader"],
        },
        later: Place {
            path: "Io/File.zig",
            container: &["Reader"],
        },
    },
    Subject {
        id: "body-writer",
        names: ["std.http.BodyWriter", "std.http.BodyWriter"],
        baseline: Place {
            path: "http.zig",
            container: &["BodyWriter"],
        },
        later: Place {
            path: "http.zig",
            container: &["BodyWriter"],
        },
    },
    Subject {
        id: "tar-writer",
        names: ["std.tar.Writer", "std.tar.Writer"],
        baseline: file("tar/Writer.zig"),
        later: file("tar/Writer.zig"),
    },
];

/// A subject's members in one release.
#[derive(Debug, Clone)]
pub(crate) struct Surface {
    /// The release.
    pub version: &'static str,
    /// The file it is declared in, relative to `lib/std`.
    pub path: String,
    /// The line of the container's declaration (1 for a file's struct).
    pub line: u32,
    /// Its members, in source order.
    pub members: Vec<Member>,
}

impl Surface {
    /// How many top-level public declarations, top-level fields and members
    /// of nested containers it has.
    pub(crate) fn counts(&self) -> [usize; 3] {
        let count = |f: &dyn Fn(&Member) -> bool| self.members.iter().filter(|m| f(m)).count();
        [
            count(&|m| m.top_level && m.kind == Kind::Declaration),
            count(&|m| m.top_level && m.kind == Kind::Field),
            count(&|m| !m.top_level),
        ]
    }
}

/// A container found in one release: the file, its lines, and the names
/// of the containers to go into within it.
struct Resolved {
    path: String,
    lines: Vec<String>,
    names: &'static [&'static str],
}

/// Reads the file of `place` in the `lib/std` at `std_dir`, following a
/// top-level `pub const Writer = @import("File/Writer.zig");` to the file
/// that is that struct.
///
/// # Errors
/// A file that cannot be read, named with the release.
fn resolve(version: &str, std_dir: &Path, place: Place) -> Result<Resolved, String> {
    let read = |path: &str| -> Result<Vec<String>, String> {
        fs::read_to_string(std_dir.join(path))
            .map(|t| t.lines().map(String::from).collect())
            .map_err(|e| format!("Zig {version}: cannot read lib/std/{path}: {e}"))
    };
    let (mut path, mut names) = (place.path.to_string(), place.container);
    let mut lines = read(&path)?;
    if let Some((first, rest)) = names.split_first()
        && let Some(target) = import_of(&lines, first)
    {
        path = match path.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{target}"),
            None => target,
        };
        lines = read(&path)?;
        names = rest;
    }
    Ok(Resolved { path, lines, names })
}

/// Reads the surface of `place` in the `lib/std` at `std_dir`.
///
/// # Errors
/// The file or a container is missing, named with the release.
pub(crate) fn surface(
    version: &'static str, std_dir: &Path, place: Place,
) -> Result<Surface, String> {
    let Resolved { path, lines, names } = resolve(version, std_dir, place)?;
    let missing = || format!("Zig {version}: lib/std/{path} has no container {names:?}");
    let (line, members) = surface::members(&lines, names).ok_or_else(missing)?;
    Ok(Surface {
        version,
        path,
        line,
        members,
    })
}

/// A function whose code zigio deliberately does not follow (the table in
/// `book/rust-port.md`): is it still the same code in the later releases?
#[derive(Debug, Clone, Copy)]
pub(crate) struct Function {
    /// Its Zig name in 0.15.1.
    pub label: &'static str,
    /// The container it is in, in 0.15.1.
    pub baseline: Place,
    /// The container it is in, in the later releases.
    pub later: Place,
    /// Its name in the container.
    pub name: &'static str,
}

const fn function(label: &'static str, path: &'static str, name: &'static str) -> Function {
    Function {
        label,
        baseline: file(path),
        later: file(path),
        name,
    }
}

const fn in_container(
    label: &'static str, (path, later_path): (&'static str, &'static str),
    container: &'static [&'static str], name: &'static str,
) -> Function {
    Function {
        label,
        baseline: Place { path, container },
        later: Place {
            path: later_path,
            container,
        },
        name,
    }
}

const FILE_WRITER: (&str, &str) = ("fs/File.zig", "Io/File.zig");

/// The compared functions, in the order of the table in `book/rust-port.md`.
pub(crate) const FUNCTIONS: [Function; 11] = [
    function(
        "std.Io.Writer.writeSplatHeaderLimitFinish",
        "Io/Writer.zig",
        "writeSplatHeaderLimitFinish",
    ),
    function(
        "std.Io.Writer.splatBytePreserve",
        "Io/Writer.zig",
        "splatBytePreserve",
    ),
    function(
        "std.Io.Writer.defaultRebase",
        "Io/Writer.zig",
        "defaultRebase",
    ),
    in_container(
        "std.fs.File.Writer.sendFileBuffered",
        FILE_WRITER,
        &["Writer"],
        "sendFileBuffered",
    ),
    function(
        "std.Io.Writer.sendFileReading",
        "Io/Writer.zig",
        "sendFileReading",
    ),
    in_container(
        "std.fs.File.Writer.sendFile",
        FILE_WRITER,
        &["Writer"],
        "sendFile",
    ),
    in_container(
        "std.Io.Writer.Discarding.sendFile",
        ("Io/Writer.zig", "Io/Writer.zig"),
        &["Discarding"],
        "sendFile",
    ),
    in_container(
        "std.Io.Writer.Allocating.sendFile",
        ("Io/Writer.zig", "Io/Writer.zig"),
        &["Allocating"],
        "sendFile",
    ),
    in_container(
        "std.fs.File.Writer.seekTo",
        FILE_WRITER,
        &["Writer"],
        "seekTo",
    ),
    in_container(
        "std.http.BodyWriter.flush",
        ("http.zig", "http.zig"),
        &["BodyWriter"],
        "flush",
    ),
    in_container(
        "std.http.BodyWriter.endChunked",
        ("http.zig", "http.zig"),
        &["BodyWriter"],
        "endChunked",
    ),
];

/// Where a function is in one release and its code, or `None` when the
/// release has no declaration of that name there.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    /// The release.
    pub version: &'static str,
    /// The file and first line, and the text ([`surface::code`]).
    pub found: Option<(String, u32, String)>,
}

/// `function`'s code in the `lib/std` at `std_dir`.
///
/// # Errors
/// The file cannot be read.
pub(crate) fn code(
    version: &'static str, std_dir: &Path, place: Place, name: &str,
) -> Result<Code, String> {
    let r = resolve(version, std_dir, place)?;
    let found = surface::code(&r.lines, r.names, name).map(|(line, text)| (r.path, line, text));
    Ok(Code { version, found })
}

/// The file a top-level `const NAME = @import("FILE.zig");` imports.
fn import_of(lines: &[String], name: &str) -> Option<String> {
    crate::citations::locate::declarations(lines)
        .into_iter()
        .find(|d| d.name == name && !lines[d.first as usize - 1].starts_with(' '))
        .and_then(|d| {
            let (_, rest) = d.header.split_once("@import(\"")?;
            let (target, _) = rest.split_once("\")")?;
            target.ends_with(".zig").then(|| target.to_string())
        })
}

/// What changed between two surfaces of one subject.
#[derive(Debug, Clone)]
pub(crate) struct Step<'a> {
    /// The older surface.
    pub from: &'a Surface,
    /// The newer surface.
    pub to: &'a Surface,
    /// Members of `to` that `from` lacks, in `to`'s order.
    pub added: Vec<&'a Member>,
    /// Members of `from` that `to` lacks, in `from`'s order.
    pub removed: Vec<&'a Member>,
    /// Members of both whose signatures differ, as (old, new), in `to`'s
    /// order.
    pub changed: Vec<(&'a Member, &'a Member)>,
}

/// The differences between `from` and `to`, members matched by qualified
/// name and kind.
pub(crate) fn step<'a>(from: &'a Surface, to: &'a Surface) -> Step<'a> {
    let index = |s: &'a Surface| -> BTreeMap<(&'a str, Kind), &'a Member> {
        s.members
            .iter()
            .map(|m| ((m.name.as_str(), m.kind), m))
            .collect()
    };
    let (old, new) = (index(from), index(to));
    let key = |m: &'a Member| (m.name.as_str(), m.kind);
    Step {
        from,
        to,
        added: to
            .members
            .iter()
            .filter(|m| !old.contains_key(&key(m)))
            .collect(),
        removed: from
            .members
            .iter()
            .filter(|m| !new.contains_key(&key(m)))
            .collect(),
        changed: to
            .members
            .iter()
            .filter_map(|m| old.get(&key(m)).map(|o| (*o, m)))
            .filter(|(o, m)| o.signature != m.signature)
            .collect(),
    }
}

impl Step<'_> {
    /// Added, removed and changed members.
    pub(crate) fn counts(&self) -> [usize; 3] {
        [self.added.len(), self.removed.len(), self.changed.len()]
    }
}

/// Every pinned release and its `lib/std`, oldest first.
fn std_dirs() -> Vec<(&'static str, PathBuf)> {
    pinned_zig::PINS
        .iter()
        .map(|&p| {
            let zig = pinned_zig::ensure(p).unwrap_or_else(|e| panic!("{e}"));
            (p.version, zig.std_dir())
        })
        .collect()
}

/// Every subject's surface in every pinned release, oldest first.
fn all_surfaces(dirs: &[(&'static str, PathBuf)]) -> Vec<(Subject, Vec<Surface>)> {
    SUBJECTS
        .iter()
        .map(|s| {
            let surfaces = dirs
                .iter()
                .enumerate()
                .map(|(i, (version, dir))| {
                    let place = if i == 0 { s.baseline } else { s.later };
                    surface(version, dir, place).unwrap_or_else(|e| panic!("{e}"))
                })
                .collect();
            (*s, surfaces)
        })
        .collect()
}

/// Every compared function's code in every pinned release, oldest first.
fn all_code(dirs: &[(&'static str, PathBuf)]) -> Vec<(Function, Vec<Code>)> {
    FUNCTIONS
        .iter()
        .map(|f| {
            let codes = dirs
                .iter()
                .enumerate()
                .map(|(i, (version, dir))| {
                    let place = if i == 0 { f.baseline } else { f.later };
                    code(version, dir, place, f.name).unwrap_or_else(|e| panic!("{e}"))
                })
                .collect();
            (*f, codes)
        })
        .collect()
}

/// Writes `text` to `rel` under the repository root, or checks that the
/// committed file equals it; a problem message when it does not.
fn record_or_check(rel: &str, text: &str) -> Option<String> {
    let path = crate::repo_root().join(rel);
    if std::env::var_os("BOOK_RECORD").is_some() {
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create the directory");
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        return None;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    (committed != text).then(|| {
        let diff = similar::TextDiff::from_lines(committed.as_str(), text)
            .unified_diff()
            .header("committed", "from lib/std")
            .to_string();
        format!("{rel} is stale; rewrite it with `{RECORD}`:\n{diff}")
    })
}

/// The includes and the counts, equal to what the pinned releases'
/// `lib/std` give (or rewritten with `BOOK_RECORD=1`).
#[test]
fn zig_changes_are_generated_from_every_pinned_lib_std() {
    let dirs = std_dirs();
    let all = all_surfaces(&dirs);
    let mut stale = Vec::new();
    let mut expected_files = Vec::new();
    for (subject, surfaces) in &all {
        let steps: Vec<Step> = surfaces.windows(2).map(|w| step(&w[0], &w[1])).collect();
        for (s, [decls, fields, nested]) in surfaces.iter().map(|s| (s, s.counts())) {
            println!(
                "{} on {}: {decls} public declarations, {fields} fields, {nested} nested members",
                subject.id, s.version
            );
        }
        let name = format!("{}.md", subject.id);
        stale.extend(record_or_check(
            &format!("{GENERATED_DIR}/{name}"),
            &render::include(subject, surfaces, &steps),
        ));
        expected_files.push(name);
    }
    let codes = all_code(&dirs);
    for (f, cs) in &codes {
        assert!(
            cs[0].found.is_some(),
            "Zig 0.15.1 has no `{}`: fix FUNCTIONS in tests/tests/zig/changes.rs",
            f.label
        );
    }
    stale.extend(record_or_check(
        &format!("{GENERATED_DIR}/{CODE_FILE}"),
        &render::code_table(&codes),
    ));
    expected_files.push(CODE_FILE.to_string());
    stale.extend(record_or_check(DATA_FILE, &render::counts_json(&all)));
    stale.extend(unexpected_files(&expected_files));
    assert!(stale.is_empty(), "{}", stale.join("\n\n"));
}

/// Files in [`GENERATED_DIR`] that no subject writes.
fn unexpected_files(expected: &[String]) -> Vec<String> {
    let dir = crate::repo_root().join(GENERATED_DIR);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !expected.contains(n))
        .map(|n| format!("{GENERATED_DIR}/{n} is written by no subject of tests/tests/zig/changes.rs; delete it"))
        .collect()
}

/// The writer changes the book states in prose are what the sources give.
#[test]
fn writer_changes_from_0_15_1_to_0_17_1_are_found() {
    let pins = [pinned_zig::ZIG_0_15_1, pinned_zig::ZIG_0_17_1];
    let [old, new] = pins.map(|p| {
        let dir = pinned_zig::ensure(p)
            .unwrap_or_else(|e| panic!("{e}"))
            .std_dir();
        surface(p.version, &dir, SUBJECTS[0].later).unwrap_or_else(|e| panic!("{e}"))
    });
    let s = step(&old, &new);
    let top = |ms: &[&Member]| -> Vec<String> {
        let mut names: Vec<String> = ms
            .iter()
            .filter(|m| m.top_level && m.kind == Kind::Declaration)
            .map(|m| m.name.clone())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        top(&s.added),
        [
            "fromArrayList",
            "printArray",
            "printStringEscaped",
            "toArrayList"
        ]
    );
    assert_eq!(
        top(&s.removed),
        [
            "printDuration",
            "printDurationSigned",
            "printDurationUnsigned"
        ]
    );
    assert_eq!(old.counts()[0] + 1, new.counts()[0]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, signature: &str) -> Member {
        Member {
            name: name.into(),
            kind: Kind::Declaration,
            line: 1,
            signature: signature.into(),
            top_level: true,
        }
    }

    fn surface_of(version: &'static str, members: Vec<Member>) -> Surface {
        Surface {
            version,
            path: "Io/Writer.zig".into(),
            line: 1,
            members,
        }
    }

    #[test]
    fn a_step_lists_added_removed_and_changed_members() {
        let old = surface_of("1", vec![member("a", "fn a()"), member("b", "fn b()")]);
        let new = surface_of("2", vec![member("b", "fn b(x: u8)"), member("c", "fn c()")]);
        let s = step(&old, &new);
        let names = |ms: &[&Member]| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&s.added), ["c"]);
        assert_eq!(names(&s.removed), ["a"]);
        assert_eq!(s.changed.len(), 1);
        assert_eq!(s.changed[0].0.signature, "fn b()");
        assert_eq!(s.changed[0].1.signature, "fn b(x: u8)");
    }

    #[test]
    fn an_import_is_followed_to_its_file() {
        let lines = vec!["pub const Writer = @import(\"File/Writer.zig\");".to_string()];
        assert_eq!(
            import_of(&lines, "Writer").as_deref(),
            Some("File/Writer.zig")
        );
        assert_eq!(import_of(&lines, "Reader"), None);
    }
}
