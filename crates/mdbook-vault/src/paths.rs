//! Relative link destinations between chapters.

use std::fmt::Write as _;
use std::path::{Component, Path};

/// The link destination, relative to chapter `from`, of chapter `to` (both
/// paths relative to the book's source directory, as in `SUMMARY.md`), with
/// `#fragment` appended when given. A link to the same chapter with a
/// fragment is just `#fragment`.
///
/// The path keeps its `.md` extension (mdBook turns it into `.html`); bytes
/// other than ASCII letters, digits and `-._~/` are percent-encoded so the
/// result is a valid markdown link destination; the fragment (an mdBook id:
/// alphanumerics, `-`, `_`) is kept as is.
pub fn relative_url(from: &Path, to: &Path, fragment: Option<&str>) -> String {
    let from_parts = parts(from);
    let to_parts = parts(to);
    let mut url = String::new();
    if from_parts != to_parts || fragment.is_none() {
        let from_dir = &from_parts[..from_parts.len().saturating_sub(1)];
        let common = from_dir
            .iter()
            .zip(&to_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let ups = from_dir.len() - common;
        let mut segments: Vec<String> = vec!["..".to_string(); ups];
        segments.extend(to_parts[common..].iter().map(|s| encode(s)));
        url = segments.join("/");
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

fn parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(from: &str, to: &str, fragment: Option<&str>) -> String {
        relative_url(Path::new(from), Path::new(to), fragment)
    }

    #[test]
    fn siblings_parents_and_children() {
        assert_eq!(url("a.md", "b.md", None), "b.md");
        assert_eq!(url("a.md", "dir/b.md", Some("x")), "dir/b.md#x");
        assert_eq!(url("dir/a.md", "b.md", None), "../b.md");
        assert_eq!(url("d1/e/a.md", "d1/f/b.md", Some("h")), "../f/b.md#h");
        assert_eq!(url("d1/a.md", "d1/b.md", None), "b.md");
    }

    #[test]
    fn same_chapter() {
        assert_eq!(url("dir/a.md", "dir/a.md", Some("h")), "#h");
        assert_eq!(url("dir/a.md", "dir/a.md", None), "a.md");
    }

    #[test]
    fn unusual_bytes_are_encoded() {
        assert_eq!(
            url("a.md", "Buffer Scheduling (v2)/ü.md", None),
            "Buffer%20Scheduling%20%28v2%29/%C3%BC.md"
        );
    }
}
