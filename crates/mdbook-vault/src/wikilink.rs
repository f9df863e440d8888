//! Finding Obsidian wiki links (`[[Page]]`, `[[Page#Heading]]`,
//! `[[Page|alias]]`, `[[Page#Heading|alias]]`, `[[#Heading]]`) with
//! pulldown-cmark's native wiki-link parser, and resolving their targets
//! against the book's chapters and headings.
//!
//! Wiki links inside code spans and code blocks are not links to the parser,
//! so they are never touched.

use crate::ids::Heading;
use crate::markdown::{LineIndex, MarkdownOptions, code_span, escape_text};
use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// Separator between page and heading in generated link text:
/// `[[Page#Heading]]` reads `Page › Heading`.
pub const TEXT_SEPARATOR: &str = " › ";

/// What a wiki link points at, as written (whitespace collapsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The page title, or `None` for `[[#Heading]]` (the linking page itself).
    pub page: Option<String>,
    /// `[[Page#A#B]]` gives `["A", "B"]`: heading `B`, under heading `A`
    /// (Obsidian's nested form, to reach one of several equal headings).
    /// Empty for a link to the page itself.
    pub headings: Vec<String>,
}

impl Target {
    /// Parses the part of a wiki link before `|`. Line breaks (with the `>`
    /// and indentation that continue a block quote or list) become single
    /// spaces; a trailing `\` (from `\|`, the pipe escaped inside a table) is
    /// dropped; empty heading segments are ignored.
    pub fn parse(raw: &str) -> Target {
        let mut joined = String::new();
        for (i, line) in raw.split('\n').enumerate() {
            let line = if i == 0 {
                line
            } else {
                line.trim_start_matches(|c: char| c.is_whitespace() || c == '>')
            };
            joined.push(' ');
            joined.push_str(line);
        }
        let joined = collapse_whitespace(&joined);
        let joined = joined.strip_suffix('\\').unwrap_or(&joined);
        let mut parts = joined.split('#');
        let page = parts.next().unwrap_or_default().trim();
        let headings = parts
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Target {
            page: (!page.is_empty()).then(|| page.to_string()),
            headings,
        }
    }

    /// The target written back in wiki-link form, e.g. `[[Page#Heading]]`.
    pub fn to_wiki(&self) -> String {
        let mut s = String::from("[[");
        if let Some(page) = &self.page {
            s.push_str(page);
        }
        for h in &self.headings {
            s.push('#');
            s.push_str(h);
        }
        s.push_str("]]");
        s
    }

    /// Default link text (plain, unescaped): `Page`, `Page › Heading`, or
    /// `Heading` for a link within the page.
    pub fn display(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(page) = &self.page {
            parts.push(page);
        }
        parts.extend(self.headings.iter().map(String::as_str));
        parts.join(TEXT_SEPARATOR)
    }
}

/// One wiki link found in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    /// Byte range of the whole `[[...]]` (or `![[...]]`) in the markdown.
    pub range: Range<usize>,
    /// 1-based line on which the link starts.
    pub line: usize,
    /// Where it points.
    pub target: Target,
    /// The link text as markdown, ready to go between `[` and `]`: the alias
    /// as plain text (inline code kept as code; other markup reduced to its
    /// text; everything else escaped so it renders literally), or else the
    /// escaped [`Target::display`].
    pub text: String,
    /// `![[...]]`, Obsidian's embed, which this preprocessor does not support.
    pub embed: bool,
}

/// Finds every wiki link in `markdown`, in document order. Never panics.
pub fn find(markdown: &str, options: &MarkdownOptions) -> Vec<WikiLink> {
    let lines = LineIndex::new(markdown);
    let mut links = Vec::new();
    let mut events = options.wiki_parser(markdown).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let (link_type, dest, embed) = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => (link_type, dest_url, false),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => (link_type, dest_url, true),
            _ => continue,
        };
        let LinkType::WikiLink { has_pothole } = link_type else {
            continue;
        };
        // The alias is what lies between the `|` and the closing `]]`; the
        // parser's destination is the raw source text before the `|`.
        let opener = if embed { 3 } else { 2 };
        let alias_start = range.start + opener + dest.len() + 1;
        let alias_end = range.end.saturating_sub(2);
        let mut alias = String::new();
        let mut depth = 0usize;
        for (inner, inner_range) in events.by_ref() {
            match &inner {
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::Link | TagEnd::Image) if depth == 0 => break,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            let inside = has_pothole
                && inner_range.start >= alias_start
                && inner_range.end <= alias_end
                && markdown.get(alias_start - 1..alias_start) == Some("|");
            if !inside {
                continue;
            }
            match inner {
                Event::Text(t) | Event::InlineHtml(t) => alias.push_str(&escape_text(&t)),
                Event::Code(c) => alias.push_str(&code_span(&c)),
                Event::SoftBreak | Event::HardBreak => alias.push(' '),
                _ => {}
            }
        }
        let target = Target::parse(&dest);
        let alias = alias.trim();
        let text = if alias.is_empty() {
            escape_text(&target.display())
        } else {
            alias.to_string()
        };
        links.push(WikiLink {
            line: lines.line(range.start),
            range,
            target,
            text,
            embed,
        });
    }
    links
}

/// Collapses every run of whitespace to one space and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a heading segment of a wiki link is compared by: the segment as
/// mdBook would render it in a heading (so `Don't` matches a heading
/// rendered as `Don’t` under smart punctuation, and `` `drain` `` matches
/// `drain`), whitespace collapsed.
pub fn heading_key(segment: &str, options: &MarkdownOptions) -> String {
    let probe = format!("## {segment}");
    let hs = crate::ids::headings(&probe, options);
    match hs.as_slice() {
        [only] => collapse_whitespace(&only.text),
        _ => collapse_whitespace(segment),
    }
}

/// Finds the heading that the segments name: the first heading (in document
/// order) whose text matches the last segment and whose enclosing headings
/// include the earlier segments, outermost first. Returns its index.
pub fn resolve_heading(
    headings: &[Heading],
    segments: &[String],
    options: &MarkdownOptions,
) -> Option<usize> {
    let (last, outer) = segments.split_last()?;
    let last = heading_key(last, options);
    let outer: Vec<String> = outer.iter().map(|s| heading_key(s, options)).collect();
    (0..headings.len()).find(|&i| {
        if collapse_whitespace(&headings[i].text) != last {
            return false;
        }
        // Enclosing headings, innermost first.
        let mut chain = Vec::new();
        let mut level = headings[i].level;
        for h in headings[..i].iter().rev() {
            if h.level < level {
                chain.push(collapse_whitespace(&h.text));
                level = h.level;
            }
        }
        let mut wanted = outer.iter().rev().peekable();
        for ancestor in &chain {
            if wanted.peek() == Some(&ancestor) {
                wanted.next();
            }
        }
        wanted.peek().is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(md: &str) -> WikiLink {
        let links = find(md, &MarkdownOptions::default());
        assert_eq!(links.len(), 1, "{links:?}");
        links.into_iter().next().unwrap()
    }

    #[test]
    fn parses_the_four_forms_and_the_local_form() {
        let t = |md: &str| one(md).target;
        assert_eq!(
            t("[[Page]]"),
            Target {
                page: Some("Page".into()),
                headings: vec![]
            }
        );
        assert_eq!(t("[[Page#Head]]").headings, vec!["Head"]);
        assert_eq!(t("[[Page|alias]]").page.as_deref(), Some("Page"));
        assert_eq!(t("[[Page#Head|alias]]").headings, vec!["Head"]);
        let local = t("[[#Head]]");
        assert_eq!(local.page, None);
        assert_eq!(local.headings, vec!["Head"]);
    }

    #[test]
    fn text_is_alias_or_display() {
        assert_eq!(one("[[Page#Head]]").text, "Page › Head");
        assert_eq!(one("[[#Head]]").text, "Head");
        assert_eq!(one("[[Page|the *alias*]]").text, "the alias");
        assert_eq!(one("[[Page|use `fixed`]]").text, "use `fixed`");
        assert_eq!(one("[[Page|]]").text, "Page");
    }

    #[test]
    fn range_and_line_cover_the_brackets() {
        let md = "x\n\nsee [[A#B|c]] now";
        let link = one(md);
        assert_eq!(&md[link.range.clone()], "[[A#B|c]]");
        assert_eq!(link.line, 3);
    }

    #[test]
    fn multi_line_targets_in_quotes_and_table_pipes() {
        let quoted = one("> see [[Two\n> Words|x]]");
        assert_eq!(quoted.target.page.as_deref(), Some("Two Words"));
        let table = one("| a |\n|---|\n| [[Page\\|alias]] |\n");
        assert_eq!(table.target.page.as_deref(), Some("Page"));
        assert_eq!(table.text, "alias");
    }

    #[test]
    fn embeds_are_flagged_and_code_is_ignored() {
        assert!(one("![[Pic]]").embed);
        let md = "`[[A]]`\n\n```\n[[B]]\n```\n\n    [[C]]\n";
        assert!(find(md, &MarkdownOptions::default()).is_empty());
    }

    #[test]
    fn heading_keys_follow_smart_punctuation() {
        let o = MarkdownOptions::default();
        assert_eq!(heading_key("Don't", &o), "Don’t");
        assert_eq!(heading_key("2:06 -- 5:11", &o), "2:06 – 5:11");
        assert_eq!(
            heading_key("The `drain`  Contract", &o),
            "The drain Contract"
        );
        assert_eq!(heading_key("5. Numbered", &o), "5. Numbered");
    }
}
