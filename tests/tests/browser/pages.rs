//! Every page of the site loads cleanly and draws its diagrams.

use serde_json::Value as Json;

use crate::browser::{Browser, Visit};
use crate::site::Site;
use crate::{Problems, themes, toc};

/// Lists, for the current page, each `pre.mermaid` that did not become a
/// drawing: `[{index, place, problem}]`. `place` names the heading above it.
const DIAGRAM_PROBLEMS: &str = r#"
const heading = (element) => {
    let node = element;
    while (node) {
        let sibling = node.previousElementSibling;
        while (sibling) {
            if (/^H[1-6]$/.test(sibling.tagName) && sibling.id) return '#' + sibling.id;
            sibling = sibling.previousElementSibling;
        }
        node = node.parentElement;
        if (node && node.tagName === 'MAIN') break;
    }
    return 'the top of the page';
};
return Array.from(document.querySelectorAll('pre.mermaid')).map((pre, i) => {
    const place = heading(pre);
    const svg = pre.querySelector('svg');
    if (pre.dataset.mermaidError !== undefined) {
        return { index: i + 1, place, problem: 'not drawn: ' + pre.dataset.mermaidError };
    }
    if (!svg) return { index: i + 1, place, problem: 'has no <svg>' };
    if (svg.getAttribute('aria-roledescription') === 'error') {
        return { index: i + 1, place, problem: "is mermaid's syntax-error drawing" };
    }
    const box = svg.getBoundingClientRect();
    if (box.width < 10 || box.height < 10) {
        return { index: i + 1, place, problem: `has an <svg> of ${box.width}x${box.height} px` };
    }
    return null;
}).filter(Boolean);
"#;

/// Loads every page in light theme, then in a dark one: console, requests
/// and diagrams are checked in both, and a screenshot of each is saved as
/// `pages/<page>.<theme>.png`.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let origin = site.server.origin();
    for page in &site.pages {
        let url = site.server.url(page);
        let visit = browser.visit(&url).await?;
        report_visit(problems, page, &visit, &origin, None);
        // The buffer labs build themselves only near the viewport.
        browser.show_labs().await?;
        let visit = browser.collect().await?;
        report_visit(
            problems,
            &format!("{page} (its labs)"),
            &visit,
            &origin,
            None,
        );
        let count = diagram_count(browser).await?;
        report_diagrams(browser, problems, page).await?;
        let name = toc::artifact_name(page);
        browser
            .screenshot(&format!("pages/{name}.light.png"))
            .await?;

        // toc.html (the sidebar for readers without JavaScript) has no theme
        // menu; every other page has.
        if browser
            .eval(
                "return document.getElementById('mdbook-theme-toggle') !== null",
                vec![],
            )
            .await?
            != Json::Bool(true)
        {
            continue;
        }
        themes::choose(browser, "coal", count, problems, page).await?;
        let visit = browser.collect().await?;
        report_visit(
            problems,
            &format!("{page} (theme coal)"),
            &visit,
            &origin,
            None,
        );
        report_diagrams(browser, problems, &format!("{page} (theme coal)")).await?;
        browser
            .screenshot(&format!("pages/{name}.coal.png"))
            .await?;
        themes::choose(browser, "light", count, problems, page).await?;
    }
    if site.pages.iter().all(|p| p != "index.html") {
        problems.add("index.html", "the site has no index.html");
    }
    Ok(())
}

/// How many diagrams the current page has.
pub(crate) async fn diagram_count(browser: &Browser) -> Result<usize, String> {
    let count = browser
        .eval(
            "return document.querySelectorAll('pre.mermaid').length",
            vec![],
        )
        .await?;
    Ok(count.as_u64().unwrap_or(0) as usize)
}

/// Records each diagram of the current page that is not drawn.
pub(crate) async fn report_diagrams(
    browser: &Browser, problems: &mut Problems, page: &str,
) -> Result<(), String> {
    let found = browser.eval(DIAGRAM_PROBLEMS, vec![]).await?;
    for diagram in found.as_array().into_iter().flatten() {
        problems.add(
            page,
            format!(
                "diagram {} (under {}) {}",
                diagram["index"],
                diagram["place"].as_str().unwrap_or("?"),
                diagram["problem"].as_str().unwrap_or("?"),
            ),
        );
    }
    Ok(())
}

/// Records the console errors, failed requests and requests outside the
/// site of one load. `expected_error` is a URL whose error status is the
/// point of the visit (a missing page answered with the 404 page).
pub(crate) fn report_visit(
    problems: &mut Problems, page: &str, visit: &Visit, origin: &str, expected_error: Option<&str>,
) {
    // Chromium asks the origin's root for /favicon.ico when a page names no
    // icon (toc.html, the sidebar for readers without JavaScript, opened on
    // its own). That address is not the book's on a project site.
    let favicon = format!("{origin}/favicon.ico");
    for entry in &visit.console_errors {
        if entry.message.starts_with(&favicon) {
            continue;
        }
        // Chromium logs an error status as a console error naming the URL.
        if expected_error.is_some_and(|url| entry.message.starts_with(url)) {
            continue;
        }
        problems.add(page, format!("console error: {}", entry.message));
    }
    for request in &visit.requests {
        if request.url == favicon {
            continue;
        }
        if request.leaves(origin) {
            problems.add(
                page,
                format!(
                    "requests {} ({}) outside the site; the site must work offline",
                    request.url, request.kind
                ),
            );
        } else if request.failed() && expected_error != Some(request.url.as_str()) {
            let why = match (&request.failure, request.status) {
                (Some(failure), _) => failure.clone(),
                (None, Some(status)) => format!("HTTP {status}"),
                (None, None) => "failed".to_string(),
            };
            problems.add(page, format!("request for {} failed: {why}", request.url));
        }
    }
}
