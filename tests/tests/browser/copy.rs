//! A code block's copy button copies exactly the code the reader sees:
//! without the hidden lines of a Rust snippet, without the buttons.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value as Json, json};

use crate::browser::Browser;
use crate::site::Site;
use crate::{Problems, toc};

/// Reads the clipboard: `{text}` or `{error}`.
const READ_CLIPBOARD: &str = "const done = arguments[arguments.length - 1];
navigator.clipboard.readText().then(text => done({ text }), e => done({ error: String(e) }));";

/// Readies the block `arguments[0]`: scrolls its top (where its buttons
/// are) into view below the menu bar, puts the sentinel `arguments[1]` on
/// the clipboard, and names the heading above the block. Returns `{place}`
/// or `{place, error}`.
const PREPARE: &str = "const [block, sentinel, done] = arguments;
window.scrollBy(0, block.getBoundingClientRect().top - 150);
let place = 'the top';
search: for (let node = block; node && node.tagName !== 'MAIN'; node = node.parentElement) {
    for (let s = node.previousElementSibling; s; s = s.previousElementSibling) {
        if (/^H[1-6]$/.test(s.tagName) && s.id) { place = '#' + s.id; break search; }
    }
}
navigator.clipboard.writeText(sentinel).then(() => done({ place }), e => done({ place, error: String(e) }));";

/// Clicks the copy button of every code block of every chapter and compares
/// the clipboard with the block's visible text (WebDriver's element text,
/// which leaves out what is not displayed).
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let chapters = toc::chapters(browser, site).await?;
    browser.allow_clipboard().await?;
    let mut copied = 0;
    for page in &chapters {
        let url = site.server.url(page);
        browser.goto(&url).await?;
        browser.open_details().await?;
        let blocks = browser
            .step(
                "finding code blocks with a copy button",
                browser.client().find_all(Locator::Css(
                    "pre:not([hidden]):has(> .buttons .clip-button)",
                )),
            )
            .await?;
        for (index, block) in blocks.iter().enumerate() {
            let sentinel = format!("(nothing copied from block {})", index + 1);
            let prepared = browser
                .eval_async(PREPARE, vec![element_arg(block)?, json!(sentinel)])
                .await?;
            let at = format!(
                "{page} (code block {} under {})",
                index + 1,
                prepared["place"].as_str().unwrap_or("?")
            );
            if let Some(error) = prepared["error"].as_str() {
                return Err(format!("{at}: cannot write the clipboard: {error}"));
            }
            let button = browser
                .step(
                    "finding the copy button",
                    block.find(Locator::Css(".clip-button")),
                )
                .await?;
            let code = browser
                .step("finding the code", block.find(Locator::Css("code")))
                .await?;
            browser.hover_and_click(block, &button).await?;
            let clipboard = read_changed(browser, &sentinel).await?;
            let Some(clipboard) = clipboard else {
                problems.add(&at, "clicking the copy button put nothing on the clipboard");
                continue;
            };
            let visible = browser
                .step("reading the visible code", code.text())
                .await?;
            if let Some(difference) = difference(&visible, &clipboard) {
                problems.add(
                    &at,
                    format!("the copy button does not copy the visible code: {difference}"),
                );
            }
            copied += 1;
        }
    }
    eprintln!(
        "copy: {copied} code blocks copied in {} chapters",
        chapters.len()
    );
    if copied == 0 {
        problems.add(
            "(every chapter)",
            "no code block with a copy button was found",
        );
    }
    Ok(())
}

fn element_arg(element: &fantoccini::elements::Element) -> Result<Json, String> {
    serde_json::to_value(element).map_err(|e| format!("passing an element to a script: {e}"))
}

/// The clipboard once it no longer holds `sentinel`, or `None` after 3 s.
async fn read_changed(browser: &Browser, sentinel: &str) -> Result<Option<String>, String> {
    for _ in 0..30 {
        let read = browser.eval_async(READ_CLIPBOARD, vec![]).await?;
        if let Some(error) = read["error"].as_str() {
            return Err(format!("reading the clipboard: {error}"));
        }
        let text = read["text"].as_str().unwrap_or_default();
        if text != sentinel {
            return Ok(Some(text.to_string()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(None)
}

/// Where `copied` differs from `visible` (line endings and trailing newlines
/// aside), or `None` when they are the same.
fn difference(visible: &str, copied: &str) -> Option<String> {
    let visible = visible.replace("\r\n", "\n");
    let copied = copied.replace("\r\n", "\n");
    let (visible, copied) = (
        visible.trim_end_matches('\n'),
        copied.trim_end_matches('\n'),
    );
    if visible == copied {
        return None;
    }
    let mut shown = visible.lines();
    let mut taken = copied.lines();
    let mut line = 1;
    loop {
        match (shown.next(), taken.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Some(format!(
                    "line {line} shows {:?} but the clipboard has {:?}",
                    a.unwrap_or("(nothing)"),
                    b.unwrap_or("(nothing)")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_differing_line() {
        assert_eq!(difference("a\nb\n", "a\nb"), None);
        assert_eq!(
            difference("a\nb", "a\n# hidden\nb").as_deref(),
            Some("line 2 shows \"b\" but the clipboard has \"# hidden\"")
        );
        assert_eq!(
            difference("a\nb", "a").as_deref(),
            Some("line 2 shows \"b\" but the clipboard has \"(nothing)\"")
        );
    }
}
