//! Link previews (assets/link-previews.js): on every wiki link of one
//! chapter, focusing the link shows a tooltip with the target's heading and
//! first paragraph, the link names it with `aria-describedby`, nothing is
//! fetched, hovering shows it too, and Escape dismisses it.

use std::fs;

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::key::Key;
use serde_json::Value as Json;

use crate::Problems;
use crate::browser::Browser;
use crate::site::Site;

/// The chapter whose links are tried: the book's most linked-from one.
const PAGE: &str = "buffer-scheduling.html";

/// The page's previews, by absolute URL, and its links that have one:
/// `{links: [{index, href}], previews: {href: {title, text}}}`.
const LINKS: &str = r#"
const previews = {};
for (const block of document.querySelectorAll('script.wiki-previews')) {
    for (const [url, p] of Object.entries(JSON.parse(block.textContent))) {
        previews[new URL(url.replace(/\.md(#|$)/, '.html$1'), location.href).href] = p;
    }
}
const links = Array.from(document.querySelectorAll('main a[href]'))
    .map((a, index) => ({ index, href: a.href }))
    .filter((l) => previews[l.href]);
return { links, previews };
"#;

/// Focuses link `arguments[0]` of `main` (scrolled into view) and reports
/// the tooltip: `{shown, title, text, described, requests}`.
const FOCUS: &str = r#"
const link = document.querySelectorAll('main a[href]')[arguments[0]];
link.scrollIntoView({ block: 'center' });
const before = performance.getEntriesByType('resource').length;
link.focus();
const tip = document.getElementById('wiki-preview');
return {
    shown: !!tip && !tip.hidden && tip.getBoundingClientRect().height > 0,
    title: tip ? tip.querySelector('.wiki-preview-title').textContent : null,
    text: tip ? tip.querySelector('.wiki-preview-text').textContent : null,
    described: link.getAttribute('aria-describedby'),
    requests: performance.getEntriesByType('resource').length - before,
};
"#;

/// Whether the tooltip is showing.
const SHOWN: &str =
    "const tip = document.getElementById('wiki-preview'); return !!tip && !tip.hidden;";

/// Tries every link of [`PAGE`] that has a preview.
pub async fn check(browser: &Browser, site: &Site, problems: &mut Problems) -> Result<(), String> {
    browser.visit(&site.server.url(PAGE)).await?;
    // Links in a closed <details> (an exercise's solution) cannot take focus.
    browser.open_details().await?;
    let found = browser.eval(LINKS, vec![]).await?;
    let links = found["links"].as_array().cloned().unwrap_or_default();
    if links.len() < 5 {
        problems.add(PAGE, format!("only {} links have a preview", links.len()));
    }
    for link in &links {
        let href = link["href"].as_str().unwrap_or("?");
        let at = format!("{PAGE} (link to {href})");
        let preview = &found["previews"][href];
        let state = browser.eval(FOCUS, vec![link["index"].clone()]).await?;
        if state["shown"] != Json::Bool(true) {
            problems.add(&at, "focusing the link shows no preview");
            continue;
        }
        if state["title"] != preview["title"] || state["text"] != preview["text"] {
            problems.add(&at, format!("the preview shows {state}, not {preview}"));
        }
        match heading_of(site, href) {
            Some(heading) if Some(heading.as_str()) == preview["title"].as_str() => {}
            heading => problems.add(
                &at,
                format!(
                    "the preview's title {} is not the target's heading {heading:?}",
                    preview["title"]
                ),
            ),
        }
        if state["described"].as_str() != Some("wiki-preview") {
            problems.add(
                &at,
                "the link does not name the preview with aria-describedby",
            );
        }
        if state["requests"].as_u64() != Some(0) {
            problems.add(
                &at,
                format!("showing the preview made {} requests", state["requests"]),
            );
        }
        press_escape(browser).await?;
        if browser.eval(SHOWN, vec![]).await? != Json::Bool(false) {
            problems.add(&at, "Escape does not dismiss the preview");
        }
    }
    hover_first(browser, &links, problems).await?;
    eprintln!("previews: {} links of {PAGE} tried", links.len());
    Ok(())
}

/// The pointer too: moving it onto the first link shows its preview.
async fn hover_first(
    browser: &Browser,
    links: &[Json],
    problems: &mut Problems,
) -> Result<(), String> {
    let Some(first) = links.first() else {
        return Ok(());
    };
    browser
        .eval("document.activeElement.blur()", vec![])
        .await?;
    let link = browser
        .find_by_script(
            "finding the first previewed link",
            "const a = document.querySelectorAll('main a[href]')[arguments[0]]; a.scrollIntoView({block: 'center'}); return a;",
            vec![first["index"].clone()],
        )
        .await?
        .ok_or("the first previewed link is gone")?;
    let moves = MouseActions::new("mouse".to_string()).then(PointerAction::MoveToElement {
        element: link,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    browser
        .step(
            "moving the pointer onto a link",
            browser.client().perform_actions(moves),
        )
        .await?;
    if browser.eval(SHOWN, vec![]).await? != Json::Bool(true) {
        problems.add(PAGE, "hovering a link shows no preview");
    }
    Ok(())
}

async fn press_escape(browser: &Browser) -> Result<(), String> {
    let keys = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down {
            value: Key::Escape.into(),
        })
        .then(KeyAction::Up {
            value: Key::Escape.into(),
        });
    browser
        .step("pressing Escape", browser.client().perform_actions(keys))
        .await
}

/// The text of the heading `url` points at (or the page's first heading),
/// read from the built page.
fn heading_of(site: &Site, url: &str) -> Option<String> {
    let path = crate::toc::page_of(site, url)?;
    let html = fs::read_to_string(site.dir.join(path)).ok()?;
    let fragment = crate::toc::fragment_of(url);
    let start = match &fragment {
        Some(id) => html.find(&format!("id=\"{id}\""))?,
        None => html
            .find("<main>")
            .and_then(|m| html[m..].find("<h1").map(|h| m + h))?,
    };
    let open = start + html[start..].find('>')? + 1;
    let close = open + html[open..].find("</h")?;
    Some(decode(&strip_tags(&html[open..close])).trim().to_string())
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The entities mdBook writes in heading text.
fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
