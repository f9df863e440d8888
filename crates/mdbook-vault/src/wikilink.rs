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
use std::collections::HashMap;
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
    let mut events = options.wiki_parser(markdown).into_offset_iter().peekable();
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
        // A repeated event (see below) names a link already taken.
        if links
            .last()
            .is_some_and(|l: &WikiLink| range.start < l.range.end)
        {
            continue;
        }
        // The alias is what lies between the `|` and the closing `]]`; the
        // parser's destination is the raw source text before the `|`.
        let opener = if embed { 3 } else { 2 };
        let alias_start = range.start + opener + dest.len() + 1;
        let alias_end = range.end.saturating_sub(2);
        let mut alias = String::new();
        let mut depth = 0usize;
        // pulldown-cmark 0.13.4 can let a wiki link with an empty alias
        // (`[[Page|]]`) swallow the events after it; whatever starts past
        // the closing brackets is not part of the link.
        while let Some((inner, inner_range)) =
            events.next_if(|(e, r)| r.start < range.end || matches!(e, Event::End(_)))
        {
            if inner_range.start >= range.end && !matches!(inner, Event::End(_)) {
                break;
            }
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
                // pulldown-cmark 0.13.4 passes an escape at the very start of
                // an alias through unprocessed (`\*a` stays `\*a`): the
                // text is then the source itself, backslash included.
                Event::Text(t)
                    if inner_range.start == alias_start
                        && leading_escape(&markdown[inner_range.clone()])
                        && *t == markdown[inner_range.clone()] =>
                {
                    alias.push_str(&escape_text(&t[1..]));
                }
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

/// Whether `source` starts with a backslash escape (`\` and an ASCII
/// punctuation character).
fn leading_escape(source: &str) -> bool {
    let mut bytes = source.bytes();
    bytes.next() == Some(b'\\') && bytes.next().is_some_and(|b| b.is_ascii_punctuation())
}

/// A link's source text as diagnostics quote it: exactly as written, except
/// that each line break, with the indentation and `>` markers that continue
/// a list or block quote on the next line, is shown as one space.
///
/// ```
/// use mdbook_vault::wikilink::as_written;
/// assert_eq!(as_written("[[#|x]]"), "[[#|x]]");
/// assert_eq!(as_written("[[Two\n> Words]]"), "[[Two Words]]");
/// ```
pub fn as_written(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split('\n').enumerate() {
        if i == 0 {
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            continue;
        }
        out.push(' ');
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    out
}

/// Text that is written like a wiki link, `[[` … `]]` in one block, but that
/// the parser does not read as one, so it would pass into the book as
/// brackets: `[[Page|[text](url)]]` (a link inside an alias) or
/// `[[Page|a\]]` (the first closing bracket escaped), `[[|]]`.
///
/// Returns the byte range of each, from `[[` to `]]`, in document order.
/// Brackets in code, in parsed wiki links and escaped openers (`\[[`) are
/// not counted. Never panics.
///
/// ```
/// use mdbook_vault::{MarkdownOptions, wikilink::find_malformed};
/// let md = "[[A|[b](u)]] [[A|fine]] `[[x|[y](z)]]`";
/// let found = find_malformed(md, &MarkdownOptions::default());
/// assert_eq!(found.iter().map(|r| &md[r.clone()]).collect::<Vec<_>>(), ["[[A|[b](u)]]"]);
/// ```
pub fn find_malformed(markdown: &str, options: &MarkdownOptions) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    // Bracket characters the current block shows as text: (offset, byte).
    let mut brackets: Vec<(usize, u8)> = Vec::new();
    // Wiki links end where their brackets end (see `find`).
    let mut wiki_until = 0usize;
    let mut code_depth = 0usize;
    let mut last_bracket: Option<usize> = None;
    for (event, range) in options.wiki_parser(markdown).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. })
                if matches!(link_type, LinkType::WikiLink { .. }) =>
            {
                wiki_until = wiki_until.max(range.end);
            }
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            // Brackets are text events of their own; the `[` of an unparsed
            // embed comes as `![`.
            Event::Text(t)
                if range.start >= wiki_until
                    && code_depth == 0
                    && matches!(t.as_ref(), "[" | "]" | "![")
                    && markdown.get(range.clone()) == Some(t.as_ref()) =>
            {
                // pulldown-cmark 0.13.4 repeats some events after a wiki
                // link whose target holds emphasis: take each offset once.
                let at = range.end - 1;
                if last_bracket.is_none_or(|last| at > last) {
                    brackets.push((at, t.as_bytes()[t.len() - 1]));
                    last_bracket = Some(at);
                }
            }
            Event::Start(tag) if !is_inline(tag) => flush(markdown, &mut brackets, &mut found),
            Event::End(tag) if !is_inline_end(*tag) => flush(markdown, &mut brackets, &mut found),
            _ => {}
        }
    }
    flush(markdown, &mut brackets, &mut found);
    found
}

/// Finds `[[` … `]]` pairs among one block's bracket characters.
fn flush(markdown: &str, brackets: &mut Vec<(usize, u8)>, found: &mut Vec<Range<usize>>) {
    let pair = |i: usize, b: u8| {
        brackets[i].1 == b && brackets.get(i + 1) == Some(&(brackets[i].0 + 1, b))
    };
    let mut i = 0;
    while i + 1 < brackets.len() {
        let start = brackets[i].0;
        let before = &markdown.as_bytes()[..start];
        let backslashes = before.iter().rev().take_while(|&&b| b == b'\\').count();
        if !pair(i, b'[') || backslashes % 2 == 1 {
            i += 1;
            continue;
        }
        let Some(close) = (i + 2..brackets.len().saturating_sub(1)).find(|&j| pair(j, b']')) else {
            break;
        };
        found.push(start..brackets[close].0 + 2);
        i = close + 2;
    }
    brackets.clear();
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
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
///
/// Builds a [`HeadingIndex`] for the one lookup; to resolve many links
/// against one page, build the index once.
pub fn resolve_heading(
    headings: &[Heading], segments: &[String], options: &MarkdownOptions,
) -> Option<usize> {
    HeadingIndex::new(headings).resolve(segments, options)
}

/// A page's headings indexed by their text, for resolving many links
/// against one page in time proportional to the matches, not the page.
#[derive(Debug, Clone, Default)]
pub struct HeadingIndex {
    /// Each heading's text, whitespace collapsed.
    texts: Vec<String>,
    /// Heading indices (ascending) by collapsed text.
    by_text: HashMap<String, Vec<usize>>,
    /// The nearest preceding heading of a lower level, if any.
    parent: Vec<Option<usize>>,
}

impl HeadingIndex {
    /// Indexes `headings` (in document order, as [`crate::ids::headings`]
    /// returns them).
    pub fn new(headings: &[Heading]) -> HeadingIndex {
        let texts: Vec<String> = headings
            .iter()
            .map(|h| collapse_whitespace(&h.text))
            .collect();
        let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in texts.iter().enumerate() {
            by_text.entry(t.clone()).or_default().push(i);
        }
        // Open headings, outermost first, with strictly increasing levels.
        let mut stack: Vec<(u8, usize)> = Vec::new();
        let mut parent = Vec::with_capacity(headings.len());
        for (i, h) in headings.iter().enumerate() {
            while stack.last().is_some_and(|&(level, _)| level >= h.level) {
                stack.pop();
            }
            parent.push(stack.last().map(|&(_, p)| p));
            stack.push((h.level, i));
        }
        HeadingIndex {
            texts,
            by_text,
            parent,
        }
    }

    /// Each heading's text with whitespace collapsed, in document order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// [`resolve_heading`] over the indexed headings.
    ///
    /// ```
    /// use mdbook_vault::{MarkdownOptions, headings, wikilink::HeadingIndex};
    /// let o = MarkdownOptions::default();
    /// let page = headings("# A\n## Setup\n# B\n## Setup\n", &o);
    /// let index = HeadingIndex::new(&page);
    /// let path = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    /// assert_eq!(index.resolve(&path(&["Setup"]), &o), Some(1));
    /// assert_eq!(index.resolve(&path(&["B", "Setup"]), &o), Some(3));
    /// assert_eq!(index.resolve(&path(&["C", "Setup"]), &o), None);
    /// ```
    pub fn resolve(&self, segments: &[String], options: &MarkdownOptions) -> Option<usize> {
        let (last, outer) = segments.split_last()?;
        let last = heading_key(last, options);
        let outer: Vec<String> = outer.iter().map(|s| heading_key(s, options)).collect();
        let found = self.by_text.get(&last)?;
        found.iter().copied().find(|&i| {
            // Enclosing headings, innermost first, matched against the
            // outer segments, innermost first.
            let mut wanted = outer.iter().rev().peekable();
            let mut at = self.parent[i];
            while let Some(p) = at {
                if wanted.peek() == Some(&&self.texts[p]) {
                    wanted.next();
                }
                at = self.parent[p];
            }
            wanted.peek().is_none()
        })
    }
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
