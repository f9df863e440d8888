//! Link previews (assets/link-previews.js): on every wiki link of one
//! chapter, focusing the link shows a tooltip with the target's heading and
//! first paragraph, the link names it with `aria-describedby`, nothing is
//! fetched, hovering shows it too, and Escape dismisses it.

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::key::Key;
use serde_json::Value as Json;

use crate::Problems;
use crate::browser::Browser;
use crate::site::Site;

/// The chapter whose links are tried: the book's most linked-from one.
const PAGE: &str = "buffer-scheduling.html";

/// The page's previews, by absolute URL, its links that have one, and the
/// heading each link's target really has (read from the target page, or
/// its first heading for a link to a whole page): `{links: [{index, href}],
/// previews: {href: {title, text}}, headings: {href: text}}`. Asynchronous.
const LINKS: &str = r#"
const done = arguments[arguments.length - 1];
const previews = {};
for (const block of document.querySelectorAll('script.wiki-previews')) {
    for (const [url, p] of Object.entries(JSON.parse(block.textContent))) {
        previews[new URL(url.replace(/\.md(#|$)/, '.html$1'), location.href).href] = p;
    }
}
const links = Array.from(document.querySelectorAll('main a[href]'))
    .map((a, index) => ({ index, href: a.href }))
    .filter((l) => previews[l.href]);
const headingOf = async (href) => {
    const url = new URL(href);
    const page = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
    const id = decodeURIComponent(url.hash.slice(1));
    const heading = id ? page.getElementById(id) : page.querySelector('main h1');
    return heading ? heading.textContent.trim() : null;
};
(async () => {
    const headings = {};
    for (const href of Object.keys(previews)) headings[href] = await headingOf(href);
    done({ links, previews, headings });
})().catch((e) => done({ error: String(e) }));
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
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    browser.visit(&site.server.url(PAGE)).await?;
    // Links in a closed <details> (an exercise's solution) cannot take focus.
    browser.open_details().await?;
    let found = browser.eval_async(LINKS, vec![]).await?;
    if let Some(error) = found["error"].as_str() {
        return Err(format!(
            "{PAGE}: reading its previews and their targets: {error}"
        ));
    }
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
        let heading = &found["headings"][href];
        if heading != &preview["title"] {
            problems.add(
                &at,
                format!(
                    "the preview's title {} is not the target's heading {heading}",
                    preview["title"]
                ),
            );
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
        crate::a11y::press(browser, Key::Escape).await?;
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
    browser: &Browser, links: &[Json], problems: &mut Problems,
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
