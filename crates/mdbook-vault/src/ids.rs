//! Heading ids exactly as mdBook 0.5.4's HTML renderer makes them.
//!
//! Source of truth: `crates/mdbook-html/src/utils.rs` (`id_from_content`,
//! `unique_id`) and `crates/mdbook-html/src/html/tree.rs`
//! (`add_header_links`, `text_in_node`) at tag `v0.5.4` of rust-lang/mdBook.
//! In short, per chapter and in document order:
//! 1. every `h1`–`h6` and every definition-list term (`dt`) produced by
//!    markdown (not raw HTML) is visited;
//! 2. an explicit `{#id}` attribute is used as is and is *not* recorded as
//!    used;
//! 3. otherwise the element's text (all text nodes: text, inline code, footnote
//!    reference numbers, soft breaks as `\n`; not image alt text, not HTML tags)
//!    — after smart punctuation, since that happens in the parser — goes
//!    through [`id_from_content`] and then [`unique_id`] with one set of used
//!    ids for the chapter ([`UsedIds`] computes the same ids in linear time).
//!
//! Footnotes: a repeated definition of a footnote is dropped before ids are
//! made; a definition that is never referenced still takes ids for its
//! headings, but is not rendered (so its headings are not reported).

use crate::markdown::{LineIndex, MarkdownOptions};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// A markdown heading of a chapter and the id mdBook gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The heading's text as mdBook sees it when making the id: smart
    /// punctuation applied, markup removed, not trimmed.
    pub text: String,
    /// The `id` attribute of the rendered heading (unique within the chapter,
    /// except where an explicit `{#id}` repeats one).
    pub id: String,
    /// Whether `id` came from an explicit `{#id}` attribute.
    pub explicit_id: bool,
    /// Byte range of the heading in the markdown.
    pub range: Range<usize>,
    /// 1-based line on which the heading starts.
    pub line: usize,
    /// Whether the heading stands in a footnote definition; mdBook moves
    /// those to the end of the page.
    pub in_footnote: bool,
}

/// Makes an id from a heading's text, as mdBook 0.5.4's `id_from_content`:
/// trim, lowercase, keep alphanumerics, `_` and `-`, turn each whitespace
/// character into `-`, drop everything else. May return an empty string.
pub fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Makes `id` unique against `used`, as mdBook 0.5.4's `unique_id`: the id
/// itself if unused, else the first unused of `id-1`, `id-2`, …; the returned
/// id is added to `used`.
pub fn unique_id(id: &str, used: &mut HashSet<String>) -> String {
    if used.insert(id.to_string()) {
        return id.to_string();
    }
    let mut counter: u32 = 1;
    loop {
        let candidate = format!("{id}-{counter}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        counter += 1;
    }
}

/// A chapter's set of used ids, handing out unique ones exactly as
/// [`unique_id`] does, in time independent of how often an id repeats.
///
/// [`unique_id`] tries `id-1`, `id-2`, … from 1 on every call, so `n` equal
/// headings cost `n²/2` tries; this remembers, per id, the counter below
/// which every `id-k` is known to be used (the set only grows, so that stays
/// true) and starts there.
///
/// ```
/// use mdbook_vault::ids::UsedIds;
/// let mut used = UsedIds::default();
/// assert_eq!(used.unique("a"), "a");
/// assert_eq!(used.unique("a"), "a-1");
/// assert_eq!(used.unique("a-1"), "a-1-1");
/// assert_eq!(used.unique("a"), "a-2");
/// ```
#[derive(Debug, Clone, Default)]
pub struct UsedIds {
    used: HashSet<String>,
    next: HashMap<String, u32>,
}

impl UsedIds {
    /// The id mdBook gives the next element whose id would be `id`: `id`
    /// itself if unused, else the first unused of `id-1`, `id-2`, …; the
    /// returned id is recorded as used.
    pub fn unique(&mut self, id: &str) -> String {
        if self.used.insert(id.to_string()) {
            return id.to_string();
        }
        let counter = self.next.entry(id.to_string()).or_insert(1);
        loop {
            let candidate = format!("{id}-{counter}");
            *counter += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The ids of one chapter's rendered page: its headings, plus every other id
/// that the chapter's markdown puts on the page.
#[derive(Debug, Clone, Default)]
pub struct PageIds {
    /// The headings, in document order.
    pub headings: Vec<Heading>,
    /// Every id on the page that comes from the markdown: headings, definition
    /// terms and footnotes.
    pub all: HashSet<String>,
}

/// The headings of a chapter and their ids, as mdBook 0.5.4 renders them with
/// `options`. Never panics; `markdown` may be anything.
pub fn headings(markdown: &str, options: &MarkdownOptions) -> Vec<Heading> {
    page_ids(markdown, options).headings
}

/// What an element that receives an id collects while its events stream by.
struct Open {
    heading: Option<(u8, Option<String>, Range<usize>)>,
    text: String,
}

/// Scans a chapter for the ids mdBook 0.5.4 puts on its page.
pub fn page_ids(markdown: &str, options: &MarkdownOptions) -> PageIds {
    let lines = LineIndex::new(markdown);
    let mut used = UsedIds::default();
    let mut page = PageIds::default();
    // Headings with the footnote definition they stand in.
    let mut found: Vec<(Heading, Option<String>)> = Vec::new();
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut footnote_counts: HashMap<String, usize> = HashMap::new();
    let mut defined: HashSet<String> = HashSet::new();
    let mut in_definition: Option<String> = None;
    let mut skip_depth: Option<usize> = None;
    let mut open: Option<Open> = None;
    let mut image_depth = 0usize;

    for (event, range) in options.parser(markdown).into_offset_iter() {
        // A repeated footnote definition is eaten whole, as mdBook does.
        if let Some(depth) = skip_depth.as_mut() {
            match event {
                Event::Start(_) => *depth += 1,
                Event::End(_) if *depth == 0 => skip_depth = None,
                Event::End(_) => *depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                if defined.insert(name.to_string()) {
                    page.all.insert(format!("footnote-{name}"));
                    in_definition = Some(name.to_string());
                } else {
                    skip_depth = Some(0);
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => in_definition = None,
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some(Open {
                    heading: Some((level_number(level), id.map(|s| s.to_string()), range)),
                    text: String::new(),
                });
            }
            Event::Start(Tag::DefinitionListTitle) => {
                open = Some(Open {
                    heading: None,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_) | TagEnd::DefinitionListTitle) => {
                if let Some(done) = open.take() {
                    let id = element_id(&done, &mut used);
                    page.all.insert(id.clone());
                    if let Some((level, explicit, range)) = done.heading {
                        let heading = Heading {
                            level,
                            text: done.text,
                            id,
                            explicit_id: explicit.is_some(),
                            line: lines.line(range.start),
                            range,
                            in_footnote: in_definition.is_some(),
                        };
                        found.push((heading, in_definition.clone()));
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            // mdBook builds image alt text from these events and never
            // numbers a footnote referenced there.
            Event::FootnoteReference(_) if image_depth > 0 => {}
            Event::FootnoteReference(name) => {
                let next = footnotes.len() + 1;
                let number = *footnotes.entry(name.to_string()).or_insert(next);
                let count = footnote_counts.entry(name.to_string()).or_insert(0);
                *count += 1;
                page.all.insert(format!("fr-{name}-{count}"));
                if let Some(o) = open.as_mut() {
                    o.text.push_str(&number.to_string());
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if image_depth == 0
                    && let Some(o) = open.as_mut()
                {
                    o.text.push_str(&t);
                }
            }
            Event::SoftBreak => {
                if image_depth == 0
                    && let Some(o) = open.as_mut()
                {
                    o.text.push('\n');
                }
            }
            Event::TaskListMarker(_) => {
                if image_depth == 0
                    && let Some(o) = open.as_mut()
                {
                    o.text.push(' ');
                }
            }
            _ => {}
        }
    }
    // Unreferenced footnote definitions are not rendered.
    page.headings = found
        .into_iter()
        .filter(|(_, note)| note.as_ref().is_none_or(|n| footnotes.contains_key(n)))
        .map(|(h, _)| h)
        .collect();
    page
}

/// The id of a finished heading or definition term.
fn element_id(done: &Open, used: &mut UsedIds) -> String {
    match done.heading.as_ref().and_then(|(_, id, _)| id.clone()) {
        Some(explicit) => explicit,
        None => used.unique(&id_from_content(&done.text)),
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_unit_tests_for_id_from_content_hold() {
        // The cases of mdBook 0.5.4's own `it_normalizes_ids`.
        assert_eq!(
            id_from_content("`--passes`: add more rustdoc passes"),
            "--passes-add-more-rustdoc-passes"
        );
        assert_eq!(
            id_from_content("Method-call 🐙 expressions \u{1f47c}"),
            "method-call--expressions-"
        );
        assert_eq!(id_from_content("_-_12345"), "_-_12345");
        assert_eq!(id_from_content("中文標題 CJK title"), "中文標題-cjk-title");
        assert_eq!(id_from_content("Über"), "über");
        assert_eq!(id_from_content(""), "");
    }

    #[test]
    fn unique_ids_count_up() {
        let mut used = HashSet::new();
        assert_eq!(unique_id("", &mut used), "");
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-1");
        assert_eq!(unique_id("a", &mut used), "a-2");
        assert_eq!(unique_id("a-1", &mut used), "a-1-1");
    }

    #[test]
    fn used_ids_hand_out_what_unique_id_does() {
        // Ids that collide with each other's numbered forms, in every order
        // a small sequence can take them.
        let alphabet = ["a", "a-1", "a-2", "a-1-1", "b", "", "-1", "a-10"];
        let mut seed = 7u64;
        for _ in 0..500 {
            let mut plain = HashSet::new();
            let mut fast = UsedIds::default();
            for _ in 0..30 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let id = alphabet[(seed >> 33) as usize % alphabet.len()];
                assert_eq!(fast.unique(id), unique_id(id, &mut plain), "{id}");
            }
        }
    }

    #[test]
    fn headings_record_level_line_and_text() {
        let md = "# Title\n\ntext\n\n## The `drain` *Contract*\n\nSetext\n---\n";
        let hs = headings(md, &MarkdownOptions::default());
        let got: Vec<_> = hs
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.id.as_str(), h.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "Title", "title", 1),
                (2, "The drain Contract", "the-drain-contract", 5),
                (2, "Setext", "setext", 7),
            ]
        );
    }

    #[test]
    fn definition_terms_and_footnotes_take_ids_too() {
        let md = "Setup\n: term\n\n## Setup\n\nx[^n]\n\n[^n]: note\n";
        let page = page_ids(md, &MarkdownOptions::default());
        assert_eq!(page.headings[0].id, "setup-1");
        for id in ["setup", "setup-1", "fr-n-1", "footnote-n"] {
            assert!(page.all.contains(id), "{id} missing from {:?}", page.all);
        }
    }
}
