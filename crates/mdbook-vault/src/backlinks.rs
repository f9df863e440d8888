//! The "Linked from" section appended to every chapter that other chapters
//! link to.
//!
//! The section is a level-2 heading with an explicit id followed by one list
//! item per linking page: a link to the page, then links to the headings of
//! that page under which the wiki links stand. Appended after everything
//! else, it cannot change the id of any existing heading (mdBook assigns ids
//! in document order, and explicit ids are not counted); its own id is chosen
//! so that it differs from every id the chapter already has.

use crate::ids::unique_id;
use crate::markdown::escape_text;
use crate::paths::relative_url;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

/// Title of the appended section.
pub const TITLE: &str = "Linked from";

/// Preferred id of the appended heading; `linked-from-1`, … when taken.
pub const ID: &str = "linked-from";

/// A page that links here, and where on it the links stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source<'a> {
    /// The linking chapter's path (relative to the book's source directory).
    pub path: &'a Path,
    /// The linking chapter's title.
    pub name: &'a str,
    /// `(id, text)` of each heading of the linking page under which a link
    /// stands, in page order, without repeats. Empty when the links stand
    /// before any heading or under the page's own title.
    pub headings: Vec<(&'a str, &'a str)>,
}

/// The id for the section: [`ID`] unless `existing` (every id the chapter
/// already puts on its page) has it, then the first free `ID-n`.
pub fn anchor(existing: &HashSet<String>) -> String {
    unique_id(ID, &mut existing.clone())
}

/// The markdown of the section for chapter `here`, starting with a blank
/// line and ending with a newline. Link destinations are relative to `here`;
/// texts are escaped.
pub fn render(here: &Path, anchor: &str, sources: &[Source<'_>]) -> String {
    let mut out = format!("\n## {TITLE} {{#{anchor}}}\n\n");
    for source in sources {
        let page = relative_url(here, source.path, None);
        let _ = write!(out, "- [{}]({page})", escape_text(source.name));
        for (i, (id, text)) in source.headings.iter().enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            let url = relative_url(here, source.path, Some(id));
            let _ = write!(out, "{sep}[{}]({url})", escape_text(text.trim()));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_avoids_existing_ids() {
        let mut ids = HashSet::new();
        assert_eq!(anchor(&ids), "linked-from");
        ids.insert("linked-from".to_string());
        ids.insert("linked-from-1".to_string());
        assert_eq!(anchor(&ids), "linked-from-2");
    }

    #[test]
    fn renders_pages_and_headings() {
        let sources = [
            Source {
                path: Path::new("a.md"),
                name: "Page *A*",
                headings: vec![("one", "One"), ("two", "Two")],
            },
            Source {
                path: Path::new("sub/b.md"),
                name: "B",
                headings: vec![],
            },
        ];
        assert_eq!(
            render(Path::new("sub/c.md"), "linked-from", &sources),
            "\n## Linked from {#linked-from}\n\n\
             - [Page \\*A\\*](../a.md): [One](../a.md#one), [Two](../a.md#two)\n\
             - [B](b.md)\n"
        );
    }
}
