//! Archives written by `zigio_tar::TarWriter`, listed and extracted by GNU
//! tar and read by the `tar` crate: both must see exactly the entries that
//! were written (names, sizes, modes, mtimes, contents).

// Some entries and responses come from files (`Reader::file`, socket file
// writers): the OS-backed half of the crate.
#![cfg(all(feature = "os", unix))]

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use zigio::{DynWriter, Reader, Writer};
use zigio_tar::{Options, TarWriter};
use zigio_testkit::noise;

/// One entry as written, and as every reader must see it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    path: String,
    kind: Kind,
    mode: u32,
    mtime: u64,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Dir,
    File(Vec<u8>),
    Symlink(String),
}

/// How the contents of a file entry reach the tar writer.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// `write_file_bytes`.
    Bytes,
    /// `write_file_io` over a `std::io::Read`.
    IoRead,
    /// `write_file_stream` from a `zigio::Reader` with a small buffer.
    Reader,
    /// `write_file` from a file reader, through `send_file_all`.
    File,
}

/// Where the archive is written.
#[derive(Debug, Clone, Copy)]
enum Output {
    /// A `std::io::Write` adapter with a buffer of this many bytes.
    Memory(usize),
    /// A `zigio` file writer with a buffer of this many bytes: file
    /// contents then go by `copy_file_range`/`sendfile`.
    File(usize),
}

/// Writes `entries` to `output` and returns the archive's bytes.
fn archive(entries: &[(Entry, Via)], output: Output) -> Vec<u8> {
    let dir = scratch("write");
    let tar_path = dir.path().join("out.tar");
    let mut memory = Writer::allocating();
    match output {
        Output::Memory(buffer) => {
            let mut storage = vec![0u8; buffer];
            let mut w = Writer::from_io(&mut memory, &mut storage[..]);
            write_entries(&mut w, entries, dir.path());
        }
        Output::File(buffer) => {
            let file = std::fs::File::create(&tar_path).unwrap();
            let mut storage = vec![0u8; buffer];
            let mut w = Writer::file(&file, &mut storage[..]);
            write_entries(&mut w, entries, dir.path());
            w.finish().unwrap();
        }
    }
    let bytes = match output {
        Output::Memory(_) => memory.into_vec(),
        Output::File(_) => std::fs::read(&tar_path).unwrap(),
    };
    assert_eq!(bytes.len() % 512, 0);
    bytes
}

fn write_entries(out: &mut DynWriter<'_>, entries: &[(Entry, Via)], scratch: &Path) {
    let mut tar = TarWriter::new(out);
    for (i, (e, via)) in entries.iter().enumerate() {
        let options = Options::new(e.mode, e.mtime);
        match (&e.kind, via) {
            (Kind::Dir, _) => tar.write_dir(&e.path, options),
            (Kind::File(c), Via::Bytes) => tar.write_file_bytes(&e.path, c, options),
            (Kind::File(c), Via::IoRead) => {
                tar.write_file_io(&e.path, c.len() as u64, &mut &c[..], options)
            }
            (Kind::File(c), Via::Reader) => {
                // A reader over the contents with a 100-byte buffer.
                let mut storage = [0u8; 100];
                let mut reader = Reader::from_io(&c[..], &mut storage[..]);
                tar.write_file_stream(&e.path, c.len() as u64, &mut reader, options)
            }
            (Kind::File(c), Via::File) => {
                let src = scratch.join(format!("content-{i}"));
                std::fs::write(&src, c).unwrap();
                let file = std::fs::File::open(&src).unwrap();
                let mut storage = [0u8; 333];
                let mut reader = Reader::file(&file, &mut storage[..]);
                tar.write_file(&e.path, &mut reader, options)
            }
            (Kind::Symlink(t), _) => tar.write_symlink(&e.path, t, options),
        }
        .unwrap_or_else(|err| panic!("{err}"));
    }
    tar.finish().unwrap();
}

/// A fresh directory, removed when dropped.
fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("zigio-tar-{tag}-"))
        .tempdir()
        .unwrap()
}

fn gnu_tar(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("tar")
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `tar` ({e}): these tests need GNU tar (Debian package `tar`)")
        })
}

/// `ls -l` style permissions, as `tar -tv` prints them.
fn mode_string(kind: &Kind, mode: u32) -> String {
    let mut s = String::from(match kind {
        Kind::Dir => "d",
        Kind::File(_) => "-",
        Kind::Symlink(_) => "l",
    });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// `YYYY-MM-DD HH:MM:SS` in UTC (Howard Hinnant's civil-from-days).
fn utc(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn stored_name(e: &Entry) -> String {
    match e.kind {
        Kind::Dir if !e.path.ends_with('/') => format!("{}/", e.path),
        _ => e.path.clone(),
    }
}

/// GNU tar lists the archive: one line per entry, matching exactly.
fn check_gnu_list(bytes: &[u8], entries: &[Entry]) {
    let dir = scratch("list");
    std::fs::write(dir.path().join("a.tar"), bytes).unwrap();
    let out = gnu_tar(
        &["--numeric-owner", "--full-time", "-tvf", "a.tar"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "tar -tvf: {stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), entries.len(), "tar -tvf listed:\n{stdout}");
    for (line, e) in lines.iter().zip(entries) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let size = match &e.kind {
            Kind::File(c) => c.len(),
            _ => 0,
        };
        let mut name = stored_name(e);
        if let Kind::Symlink(t) = &e.kind {
            name = format!("{name} -> {t}");
        }
        let expected = format!(
            "{} 0/0 {size} {} {name}",
            mode_string(&e.kind, e.mode),
            utc(e.mtime)
        );
        assert_eq!(fields.join(" "), expected, "tar -tvf line");
    }
}

/// GNU tar extracts the archive; the files on disk match.
fn check_gnu_extract(bytes: &[u8], entries: &[Entry], extra: &[&str]) {
    let dir = scratch("extract");
    std::fs::write(dir.path().join("a.tar"), bytes).unwrap();
    std::fs::create_dir(dir.path().join("x")).unwrap();
    let mut args = vec!["--no-same-owner", "--preserve-permissions"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-xf", "a.tar", "-C", "x"]);
    let out = gnu_tar(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "tar -xf: {stderr}"
    );
    for e in entries {
        let path = dir.path().join("x").join(&e.path);
        let meta = std::fs::symlink_metadata(&path)
            .unwrap_or_else(|err| panic!("{} not extracted: {err}", e.path));
        match &e.kind {
            Kind::Dir => assert!(meta.is_dir(), "{}", e.path),
            Kind::File(c) => {
                assert!(meta.is_file(), "{}", e.path);
                assert_eq!(&std::fs::read(&path).unwrap(), c, "contents of {}", e.path);
            }
            Kind::Symlink(t) => {
                assert!(meta.file_type().is_symlink(), "{}", e.path);
                assert_eq!(std::fs::read_link(&path).unwrap(), Path::new(t));
                continue; // symlink mode and mtime are not portable
            }
        }
        assert_eq!(
            meta.permissions().mode() & 0o7777,
            e.mode,
            "mode of {}",
            e.path
        );
        assert_eq!(meta.mtime() as u64, e.mtime, "mtime of {}", e.path);
    }
}

/// The `tar` crate reads the same entries.
fn check_tar_crate(bytes: &[u8], entries: &[Entry]) {
    let mut archive = tar::Archive::new(bytes);
    let mut seen = Vec::new();
    for item in archive.entries().expect("tar crate: entries") {
        let mut item = item.expect("tar crate: entry");
        let header = item.header().clone();
        let path = item.path().unwrap().to_string_lossy().into_owned();
        let mode = header.mode().unwrap();
        let mtime = header.mtime().unwrap();
        let kind = match header.entry_type() {
            tar::EntryType::Directory => Kind::Dir,
            tar::EntryType::Regular => {
                let mut c = Vec::new();
                item.read_to_end(&mut c).unwrap();
                assert_eq!(header.size().unwrap(), c.len() as u64);
                Kind::File(c)
            }
            tar::EntryType::Symlink => Kind::Symlink(
                item.link_name()
                    .unwrap()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            ),
            other => panic!("tar crate: unexpected entry type {other:?} for {path}"),
        };
        seen.push(Entry {
            path,
            kind,
            mode,
            mtime,
        });
    }
    let expected: Vec<Entry> = entries
        .iter()
        .map(|e| Entry {
            // The tar crate reports directory names without the slash.
            path: e.path.trim_end_matches('/').to_owned(),
            ..e.clone()
        })
        .collect();
    let seen: Vec<Entry> = seen
        .into_iter()
        .map(|e| Entry {
            path: e.path.trim_end_matches('/').to_owned(),
            ..e
        })
        .collect();
    assert_eq!(seen, expected);
}

fn check_everything(entries: &[(Entry, Via)], output: Output) {
    let bytes = archive(entries, output);
    let plain: Vec<Entry> = entries.iter().map(|(e, _)| e.clone()).collect();
    check_tar_crate(&bytes, &plain);
    check_gnu_list(&bytes, &plain);
    check_gnu_extract(&bytes, &plain, &[]);
}

fn file(path: &str, contents: Vec<u8>, mode: u32, mtime: u64) -> Entry {
    Entry {
        path: path.to_owned(),
        kind: Kind::File(contents),
        mode,
        mtime,
    }
}

fn dir(path: &str, mode: u32, mtime: u64) -> Entry {
    Entry {
        path: path.to_owned(),
        kind: Kind::Dir,
        mode,
        mtime,
    }
}

/// The fixed set of edge cases: paths at the limits of
/// the ustar and pax formats.
fn edge_cases() -> Vec<(Entry, Via)> {
    // 150 bytes with slashes: fits the ustar prefix + name split.
    let split = format!("top/{}/{}", "s".repeat(100), "file-in-prefix.txt");
    // 120 bytes and no slash after the first 100: needs a pax path.
    let unsplittable = format!("top/{}", "u".repeat(116));
    // Over 255 bytes: beyond what ustar can hold at all.
    let very_long = format!(
        "top/{}/{}/{}",
        "a".repeat(90),
        "b".repeat(90),
        "c".repeat(90)
    );
    assert!(split.len() > 100 && unsplittable.len() > 100 && very_long.len() > 255);
    let long_dir = format!("top/{}", "d".repeat(130));
    // A pax record whose length crosses from three digits to four:
    // "1003 path=<991 bytes>\n".
    let boundary = format!(
        "top/{}/{}",
        vec!["q".repeat(89); 10].join("/"),
        "r".repeat(87)
    );
    assert_eq!(boundary.len(), 991);
    let mtime = 1_700_000_000;
    vec![
        (dir("top", 0o755, mtime), Via::Bytes),
        (file("top/empty", vec![], 0o644, mtime + 1), Via::Bytes),
        (
            file("top/one-block", noise(1, 512), 0o600, mtime + 2),
            Via::Bytes,
        ),
        (
            file("top/three-blocks", noise(2, 1536), 0o640, mtime + 3),
            Via::IoRead,
        ),
        (
            file("top/odd", noise(3, 1000), 0o755, mtime + 4),
            Via::IoRead,
        ),
        (
            file("top/exactly-100", noise(9, 10), 0o644, mtime),
            Via::Bytes,
        ),
        (file(&split, noise(4, 513), 0o644, mtime + 5), Via::Bytes),
        (
            file(&unsplittable, noise(5, 511), 0o444, mtime + 6),
            Via::IoRead,
        ),
        (dir(&long_dir, 0o700, mtime + 7), Via::Bytes),
        (
            file(&very_long, noise(6, 70_000), 0o664, mtime + 8),
            Via::Bytes,
        ),
        (file(&boundary, noise(7, 3), 0o644, mtime + 9), Via::IoRead),
        (
            Entry {
                path: "top/link".to_owned(),
                kind: Kind::Symlink(format!("{}/target", "t".repeat(120))),
                mode: 0o777,
                mtime,
            },
            Via::Bytes,
        ),
    ]
}

#[test]
fn edge_cases_through_gnu_tar_and_the_tar_crate() {
    let mut entries = edge_cases();
    // A name of exactly 100 bytes fills the name field with no NUL.
    let hundred = format!("top/{}", "h".repeat(96));
    assert_eq!(hundred.len(), 100);
    entries[5].0.path = hundred;
    for output in [
        Output::Memory(0),
        Output::Memory(100),
        Output::Memory(8192),
        Output::File(0),
        Output::File(512),
        Output::File(8192),
    ] {
        check_everything(&entries, output);
    }
}

#[test]
fn pax_mtime_past_eleven_octal_digits_reaches_gnu_tar() {
    let late = 0o777_7777_7777 + 12_345; // past 2242-03-16
    let entries = [(file("future", b"later".to_vec(), 0o644, late), Via::Bytes)];
    let bytes = archive(&entries, Output::Memory(64));
    let plain = [entries[0].0.clone()];
    check_gnu_list(&bytes, &plain);
    // GNU tar warns about (but extracts) a time stamp in the future.
    check_gnu_extract(&bytes, &plain, &["--warning=no-timestamp"]);
}

fn segment() -> impl Strategy<Value = String> {
    "[a-z0-9._-]{1,40}".prop_filter("not . or ..", |s| s != "." && s != "..")
}

fn entries_strategy() -> impl Strategy<Value = Vec<(Entry, Via)>> {
    let one = (
        prop::collection::vec(segment(), 1..8),
        0u8..4,
        0usize..3000,
        any::<u64>(),
        prop::sample::select(vec![0o644u32, 0o600, 0o755, 0o700, 0o444, 0o640]),
        0u64..1_700_000_000,
        0u8..4,
    );
    prop::collection::vec(one, 1..12).prop_map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (segments, kind, len, seed, mode, mtime, via))| {
                // A unique first component keeps paths from colliding.
                let path = format!("e{i}/{}", segments.join("/"));
                let entry = if kind == 0 {
                    // Directories must stay writable for their owner so
                    // that extraction and cleanup can work inside them.
                    dir(&path, mode | 0o700, mtime)
                } else {
                    file(&path, noise(seed, len), mode, mtime)
                };
                let via = [Via::Bytes, Via::IoRead, Via::Reader, Via::File][usize::from(via)];
                (entry, via)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn random_archives_read_back_identically(
        entries in entries_strategy(),
        buffer in prop::sample::select(vec![0usize, 1, 511, 4096]),
        to_file in any::<bool>(),
    ) {
        let output = if to_file { Output::File(buffer) } else { Output::Memory(buffer) };
        check_everything(&entries, output);
    }
}

#[test]
fn listing_and_sizes_match_a_byte_count() {
    // Block accounting: per entry one header, plus a pax header and its
    // records block where needed, plus contents padded; two zero blocks.
    let entries = edge_cases();
    let bytes = archive(&entries, Output::Memory(0));
    let mut blocks: BTreeMap<&str, usize> = BTreeMap::new();
    // The length of a pax record, found by search: the smallest `n` with
    // `n == digits(n) + " key=value\n"`.
    let record = |key: &str, value: &str| {
        let rest = key.len() + value.len() + 3;
        (rest..).find(|n| *n == rest + n.to_string().len()).unwrap()
    };
    for (e, _) in &entries {
        let p = stored_name(e);
        // ustar can hold the name alone (<= 100) or split at a '/'
        // leaving <= 155 and 1..=100 bytes.
        let fits = p.len() <= 100
            || p[..(p.len() - 1).min(156)]
                .rmatch_indices('/')
                .any(|(i, _)| p.len() - i - 1 <= 100);
        let mut records = if fits { 0 } else { record("path", &p) };
        if let Kind::Symlink(t) = &e.kind
            && t.len() > 100
        {
            records += record("linkpath", t);
        }
        let pax = if records == 0 {
            0
        } else {
            1 + records.div_ceil(512)
        };
        let data = match &e.kind {
            Kind::File(c) => c.len().div_ceil(512),
            _ => 0,
        };
        blocks.insert(&e.path, 1 + pax + data);
    }
    assert_eq!(bytes.len() / 512, blocks.values().sum::<usize>() + 2);
}

/// `len` bytes of `fill` with a `/` at each of `slashes`.
fn name_with(len: usize, fill: u8, slashes: &[usize]) -> String {
    let mut b = vec![fill; len];
    for &i in slashes {
        b[i] = b'/';
    }
    String::from_utf8(b).unwrap()
}

/// `ascii` bytes of `a`, then `é` (two bytes) repeated to reach `len`
/// bytes (one more `a` first if the remainder is odd).
fn accented(len: usize, ascii: usize) -> String {
    let mut s = "a".repeat(ascii + (len - ascii) % 2);
    while s.len() < len {
        s.push('é');
    }
    s
}

/// Paths at every length where ustar's fields change what can be stored
/// (the 100-byte name, the 155-byte prefix, their sum of 256 with the
/// separator), with the separator at each split point, a leading `/`,
/// doubled slashes and multi-byte characters across the boundaries.
fn boundary_names() -> Vec<String> {
    let mut names = Vec::new();
    for len in [1, 99, 100, 101, 154, 155, 156, 157, 255, 256, 257, 300] {
        names.push(name_with(len, b'n', &[]));
        if len > 2 {
            names.push(name_with(len, b'r', &[0]));
            // A leading '/' and one more separator in the middle.
            names.push(name_with(len, b'm', &[0, len / 2]));
        }
        // The separator exactly where a split would leave a name of 99,
        // 100 or 101 bytes, or a prefix of 154, 155 or 156 bytes.
        let splits = [100, 101, 102].map(|n| len.checked_sub(n));
        for sep in splits.into_iter().flatten().chain([154, 155, 156]) {
            if sep > 0 && sep + 1 < len {
                names.push(name_with(len, b's', &[sep]));
                if sep + 2 < len {
                    names.push(name_with(len, b'd', &[sep, sep + 1]));
                }
            }
        }
        if len >= 4 {
            names.push(accented(len, len.min(99) - 2));
        }
    }
    // A multi-byte character on each side of a separator at the split.
    names.push(format!("{}é/é{}", "p".repeat(150), "q".repeat(90)));
    names.push(format!("/{}/日本{}", "x".repeat(120), "y".repeat(94)));
    // A leading '/' whose only other separators would leave an empty
    // prefix or a name too long.
    names.push(format!("/abs{}", "q".repeat(97)));
    names.push(format!("//{}", "z".repeat(150)));
    names
}

/// GNU tar's listing of `bytes`, names only, printed as stored
/// (`--absolute-names`: a leading `/` is kept without a warning).
fn gnu_names(bytes: &[u8]) -> Vec<String> {
    let dir = scratch("names");
    std::fs::write(dir.path().join("a.tar"), bytes).unwrap();
    let out = gnu_tar(
        &[
            "--absolute-names",
            "--quoting-style=literal",
            "-tf",
            "a.tar",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "tar -tf: {stderr}"
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn names_at_every_boundary_read_back_by_gnu_tar_and_the_tar_crate() {
    let mtime = 1_700_000_000;
    let mut entries: Vec<(Entry, Via)> = Vec::new();
    for (i, name) in boundary_names().into_iter().enumerate() {
        let contents = noise(i as u64 + 1, i % 700);
        entries.push((file(&name, contents, 0o644, mtime), Via::Bytes));
        // The same path as a directory: stored with one more byte, '/'.
        entries.push((dir(&name, 0o755, mtime), Via::Bytes));
    }
    for output in [Output::Memory(0), Output::Memory(100), Output::File(512)] {
        let bytes = archive(&entries, output);
        let plain: Vec<Entry> = entries.iter().map(|(e, _)| e.clone()).collect();
        check_tar_crate(&bytes, &plain);
        // The tar crate's path() drops a trailing '/', and check_tar_crate
        // compares without it: compare the raw names as well.
        let mut archive_reader = tar::Archive::new(&bytes[..]);
        let raw: Vec<String> = archive_reader
            .entries()
            .unwrap()
            .map(|e| String::from_utf8(e.unwrap().path_bytes().into_owned()).unwrap())
            .collect();
        let stored: Vec<String> = plain.iter().map(stored_name).collect();
        let without_slash = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| s.trim_end_matches('/').to_owned())
                .collect()
        };
        assert_eq!(
            without_slash(&raw),
            without_slash(&stored),
            "tar crate names"
        );
        assert_eq!(gnu_names(&bytes), stored, "GNU tar names ({output:?})");
    }
    println!("tar names checked: {} entries x 3 outputs", entries.len());
}
