//! Link previews: what a reader sees on hovering or focusing a wiki link.
//!
//! For every link target the preprocessor resolves, the preview is the
//! target's title (the heading, or the chapter's name for a link to a
//! whole chapter) and the text of the first paragraph under it, as plain
//! text. Each chapter that has wiki links gets, at its end, one
//! `<script type="application/json" class="wiki-previews">` block mapping
//! each link's URL (as written into the chapter) to its preview; the
//! book's `assets/link-previews.js` shows them, so that hovering asks the
//! server for nothing.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::ids::Heading;
use crate::markdown::MarkdownOptions;

/// The longest preview text, in characters; a longer paragraph is cut at a
/// word and ends with "…" (the link leads to the rest).
pub const MAX_CHARS: usize = 280;

/// The class of the block that carries a chapter's previews.
pub const BLOCK_CLASS: &str = "wiki-previews";

/// A chapter's preview texts: of the chapter itself and of each heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// The first paragraph of the chapter.
    pub chapter: Option<String>,
    /// The first paragraph under each heading (before the next heading), in
    /// the order of the headings given to [`texts`].
    pub headings: Vec<Option<String>>,
}

/// One preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The heading or chapter title.
    pub title: String,
    /// The first paragraph, plain text; empty when there is none.
    pub text: String,
}

/// The preview texts of `markdown`, whose headings are `headings` (as
/// [`crate::ids::page_ids`] found them in the same text).
pub fn texts(markdown: &str, headings: &[Heading], options: &MarkdownOptions) -> Texts {
    let mut out = Texts {
        chapter: None,
        headings: vec![None; headings.len()],
    };
    let mut paragraph: Option<String> = None;
    let mut depth_in_quote_or_list = 0usize;
    for (event, range) in options.parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)) => {
                depth_in_quote_or_list += 1;
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                depth_in_quote_or_list = depth_in_quote_or_list.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) if depth_in_quote_or_list == 0 => {
                paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                let Some(text) = paragraph.take() else {
                    continue;
                };
                let text = shorten(&crate::wikilink::collapse_whitespace(&text));
                if text.is_empty() {
                    continue;
                }
                // The heading this paragraph stands under.
                let under = headings.partition_point(|h| h.range.start <= range.start);
                let slot = match under.checked_sub(1) {
                    Some(h) => &mut out.headings[h],
                    None => &mut out.chapter,
                };
                if slot.is_none() {
                    *slot = Some(text.clone());
                }
                if out.chapter.is_none() {
                    out.chapter = Some(text);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// `text` cut to at most [`MAX_CHARS`] characters at a word, with "…".
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_CHARS - 1).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

/// The HTML block that carries `previews` (by link URL), for the end of a
/// chapter; empty when there are none. `<` is escaped in the JSON so that
/// no text can close the `<script>` element.
pub fn block(previews: &BTreeMap<String, Preview>) -> String {
    if previews.is_empty() {
        return String::new();
    }
    let map: serde_json::Map<String, serde_json::Value> = previews
        .iter()
        .map(|(url, p)| {
            (
                url.clone(),
                serde_json::json!({ "title": p.title, "text": p.text }),
            )
        })
        .collect();
    let json = serde_json::Value::Object(map)
        .to_string()
        .replace('<', "\\u003c");
    format!("\n<script type=\"application/json\" class=\"{BLOCK_CLASS}\">{json}</script>\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::page_ids;

    #[test]
    fn first_paragraph_of_the_chapter_and_of_each_heading() {
        let md = "# Title\n\nIntro *text*\nwith `code`.\n\n## A\n\n- a list\n\n> a quote\n\nA's text.\n\nMore.\n\n## B\n\n### C\n\nC's text.\n";
        let options = MarkdownOptions::default();
        let page = page_ids(md, &options);
        let t = texts(md, &page.headings, &options);
        assert_eq!(t.chapter.as_deref(), Some("Intro text with code."));
        let headings: Vec<Option<&str>> = t.headings.iter().map(|h| h.as_deref()).collect();
        assert_eq!(
            headings,
            [
                Some("Intro text with code."),
                Some("A\u{2019}s text."),
                None,
                Some("C\u{2019}s text.")
            ]
        );
    }

    #[test]
    fn long_paragraphs_are_cut_at_a_word_and_say_so() {
        let long = "word ".repeat(100);
        let short = shorten(long.trim());
        assert!(short.ends_with("word…"), "{short}");
        assert!(short.chars().count() <= MAX_CHARS);
    }

    #[test]
    fn the_block_cannot_be_closed_by_its_text() {
        let mut map = BTreeMap::new();
        map.insert(
            "a.md#x".to_string(),
            Preview {
                title: "X".into(),
                text: "</script><b>".into(),
            },
        );
        let html = block(&map);
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(html.contains("\\u003c/script>"));
    }
}
