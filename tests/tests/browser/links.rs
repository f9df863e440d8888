//! Links between and within chapters — the wiki links, which mdbook-vault
//! turns into ordinary links — and the "Linked from" lists it appends.
//!
//! In the built site a wiki link is an ordinary `<a>`, so every link of a
//! chapter's text that stays on the site is followed: the wiki links and
//! any other internal link. Heading anchors (`a.header`, a heading's link
//! to itself) are not content links and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::browser::Browser;
use crate::site::Site;
use crate::{Problems, toc};

/// The title mdbook-vault gives the backlinks section.
const LINKED_FROM: &str = "Linked from";

/// The links of the current page's `<main>`, in document order, and where
/// its "Linked from" list is.
const LINKS: &str = r#"
const main = document.querySelector('main');
if (!main) return null;
const heading = Array.from(main.querySelectorAll('h2')).find(
    h => h.id.startsWith('linked-from') && h.textContent.trim() === arguments[0]);
const list = heading ? heading.nextElementSibling : null;
const inList = (a) => !!(list && list.tagName === 'UL' && list.contains(a));
return {
    linked_from: heading ? heading.id : null,
    links: Array.from(main.querySelectorAll('a[href]')).map((a, i, all) => ({
        occurrence: all.slice(0, i).filter(b => b.getAttribute('href') === a.getAttribute('href')).length,
        href: a.href,
        written: a.getAttribute('href'),
        text: a.textContent.trim().replace(/\s+/g, ' ').slice(0, 80),
        header: a.classList.contains('header'),
        backlink: inList(a),
        names_page: inList(a) && a.parentElement.tagName === 'LI'
            && a.parentElement.querySelector('a') === a,
    })),
};
"#;

/// Where the element a fragment names is: `ok` when it exists and is in
/// view, uncovered; otherwise what is wrong.
const IN_VIEW: &str = r#"
const element = document.getElementById(arguments[0]);
if (!element) return 'there is no element with this id';
const box = element.getBoundingClientRect();
if (box.bottom <= 0 || box.top >= window.innerHeight) {
    return `the element is out of view (its top is at ${Math.round(box.top)} px, the window is ${window.innerHeight} px high)`;
}
const x = box.left + Math.min(box.width / 2, 20);
const y = Math.max(box.top, 0) + Math.min(box.height, window.innerHeight - Math.max(box.top, 0)) / 2;
const top = document.elementFromPoint(x, y);
if (top && top !== element && !element.contains(top)) {
    const name = top.tagName.toLowerCase() + (top.id ? '#' + top.id : '')
        + (top.className && typeof top.className === 'string' ? '.' + top.className.trim().split(/\s+/).join('.') : '');
    return `the element is covered by <${name}>`;
}
return 'ok';
"#;

/// A link of a page, as [`LINKS`] reports it.
#[derive(Debug, Clone, Deserialize)]
struct Link {
    /// How many links of the page with the same `href` come before it.
    occurrence: usize,
    href: String,
    written: String,
    text: String,
    header: bool,
    backlink: bool,
    names_page: bool,
}

#[derive(Debug, Deserialize)]
struct PageLinks {
    linked_from: Option<String>,
    links: Vec<Link>,
}

/// The links of `page` (a chapter), read in the browser.
async fn read_links(browser: &Browser, site: &Site, page: &str) -> Result<PageLinks, String> {
    let url = site.server.url(page);
    browser.goto(&url).await?;
    browser.open_details().await?;
    let value = browser.eval(LINKS, vec![json!(LINKED_FROM)]).await?;
    if value.is_null() {
        return Err(format!("{page} has no <main>"));
    }
    serde_json::from_value(value).map_err(|e| format!("{page}: reading its links: {e}"))
}

/// Whether `link` is a content link that stays on the site.
fn internal(site: &Site, link: &Link) -> bool {
    !link.header && toc::page_of(site, &link.href).is_some()
}

/// Clicks every internal link of every chapter's text (outside the "Linked
/// from" lists, which [`check_backlinks`] follows) and checks where it lands.
pub(crate) async fn check_links(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let chapters = toc::chapters(browser, site).await?;
    let mut pending = BTreeMap::new();
    for page in &chapters {
        let links = read_links(browser, site, page).await?;
        let mut seen = BTreeSet::new();
        let links: Vec<Link> = links
            .links
            .into_iter()
            .filter(|link| internal(site, link) && !link.backlink)
            .filter(|link| seen.insert(link.href.clone()))
            .collect();
        pending.insert(page.clone(), links);
    }
    let followed = walk(browser, site, problems, pending).await?;
    eprintln!(
        "links: followed {followed} links in {} chapters",
        chapters.len()
    );
    if followed == 0 {
        problems.add(
            "(every chapter)",
            "no link between or within chapters was found to follow",
        );
    }
    Ok(())
}

/// Checks that the "Linked from" lists are the mirror of the links: every
/// chapter linked from another lists it, lists only chapters that link to
/// it, and each link of the list lands where it says.
pub(crate) async fn check_backlinks(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let chapters = toc::chapters(browser, site).await?;
    // target -> source -> the text of one link from source to target
    let mut links_to: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut lists: BTreeMap<String, (Option<String>, Vec<Link>)> = BTreeMap::new();
    for page in &chapters {
        let found = read_links(browser, site, page).await?;
        for link in &found.links {
            if !internal(site, link) || link.backlink {
                continue;
            }
            let target = toc::page_of(site, &link.href).unwrap_or_default();
            if &target != page && chapters.contains(&target) {
                links_to
                    .entry(target)
                    .or_default()
                    .entry(page.clone())
                    .or_insert_with(|| link.text.clone());
            }
        }
        let list: Vec<Link> = found.links.into_iter().filter(|l| l.backlink).collect();
        lists.insert(page.clone(), (found.linked_from, list));
    }

    for (target, sources) in &links_to {
        let (heading, list) = &lists[target];
        if heading.is_none() {
            problems.add(
                target,
                format!(
                    "has no \"{LINKED_FROM}\" list, though {} link to it",
                    sources.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            continue;
        }
        let named: BTreeSet<String> = list
            .iter()
            .filter(|l| l.names_page)
            .filter_map(|l| toc::page_of(site, &l.href))
            .collect();
        for (source, text) in sources {
            if !named.contains(source) {
                problems.add(
                    target,
                    format!("its \"{LINKED_FROM}\" list does not name {source}, which links to it (\"{text}\")"),
                );
            }
        }
    }
    let mut pending = BTreeMap::new();
    for (target, (heading, list)) in &lists {
        if heading.is_some() && list.is_empty() {
            problems.add(
                target,
                format!("its \"{LINKED_FROM}\" heading has no list of links under it"),
            );
        }
        for link in list {
            let Some(source) = toc::page_of(site, &link.href) else {
                problems.add(
                    target,
                    format!(
                        "its \"{LINKED_FROM}\" list links outside the site: {}",
                        link.href
                    ),
                );
                continue;
            };
            if link.names_page
                && !links_to
                    .get(target)
                    .is_some_and(|sources| sources.contains_key(&source))
            {
                problems.add(
                    target,
                    format!(
                        "its \"{LINKED_FROM}\" list names {source}, which has no link to {target}"
                    ),
                );
            }
        }
        let mut seen = BTreeSet::new();
        let distinct = list.iter().filter(|l| seen.insert(l.href.clone())).cloned();
        pending.insert(target.clone(), distinct.collect());
    }
    let listed = walk(browser, site, problems, pending).await?;
    eprintln!("backlinks: followed {listed} links of the \"{LINKED_FROM}\" lists");
    if links_to.is_empty() {
        problems.add(
            "(every chapter)",
            "no chapter links to another, so no backlink can be checked",
        );
    }
    Ok(())
}

/// Clicks every link of `pending` (page -> its links), starting each click
/// from the page the browser is on whenever that page has links left: the
/// page a link lands on is where the next click starts, so most clicks need
/// no extra page load. Returns how many links were followed.
async fn walk(
    browser: &Browser, site: &Site, problems: &mut Problems,
    mut pending: BTreeMap<String, Vec<Link>>,
) -> Result<usize, String> {
    let mut followed = 0;
    let mut current: Option<String> = None;
    loop {
        let has_links = |page: &String| pending.get(page).is_some_and(|links| !links.is_empty());
        let page = match current.filter(|page| has_links(page)) {
            Some(page) => page,
            None => match pending.keys().find(|page| has_links(page)) {
                Some(page) => page.clone(),
                None => break,
            },
        };
        let link = pending
            .get_mut(&page)
            .map(|links| links.remove(0))
            .expect("has links");
        current = follow(browser, site, problems, &page, &link).await?;
        followed += 1;
    }
    Ok(followed)
}

/// Clicks `link` on `page` (opening the page unless the browser is on it)
/// and checks that the browser lands on its target page with its heading
/// (the URL's fragment) present and in view. Returns the page landed on, or
/// `None` when the click went wrong.
async fn follow(
    browser: &Browser, site: &Site, problems: &mut Problems, page: &str, link: &Link,
) -> Result<Option<String>, String> {
    let url = site.server.url(page);
    let what = format!("link \"{}\" ({})", link.text, link.written);
    let here = browser
        .eval("return location.href.split('#')[0]", vec![])
        .await?;
    if here.as_str() != Some(url.as_str()) {
        browser.goto(&url).await?;
    }
    // Also after a jump within the page: going back does not keep them open.
    browser.open_details().await?;
    let element = browser
        .find_by_script(
            &format!("{page}: finding {what}"),
            // Centred in the window, as a reader scrolls to a link: where
            // WebDriver would scroll it, the sticky menu bar can cover it.
            "const link = Array.from(document.querySelectorAll('main a[href]'))
                .filter(a => a.getAttribute('href') === arguments[0])[arguments[1]];
             if (!link) return null;
             link.scrollIntoView({ block: 'center' });
             return link;",
            vec![json!(link.written), json!(link.occurrence)],
        )
        .await?
        .ok_or_else(|| format!("{page}: {what} is gone on a second load"))?;
    if let Err(e) = browser
        .step(&format!("clicking {what}"), element.click())
        .await
    {
        problems.add(page, format!("{what} cannot be clicked: {e}"));
        return Ok(None);
    }
    let landed = browser
        .wait_until(
            &format!("{page}: following {what}"),
            &format!(
                "return location.href === {} && document.readyState === 'complete'",
                json!(link.href)
            ),
            Duration::from_secs(10),
        )
        .await;
    if landed.is_err() {
        let now = browser.eval("return location.href", vec![]).await?;
        problems.add(page, format!("{what} led to {now}, not {}", link.href));
        return Ok(None);
    }
    let target = toc::page_of(site, &link.href).unwrap_or_default();
    if !site.pages.contains(&target) {
        problems.add(
            page,
            format!("{what} points to {target}, which is not a page of the site"),
        );
        return Ok(None);
    }
    let Some(id) = toc::fragment_of(&link.href) else {
        return Ok(Some(target));
    };
    // Diagrams drawn after the jump change the height of what is above the
    // heading; the heading must be in view once they are drawn.
    // A diagram that is never drawn is the pages test's to report; here it
    // only ends the wait.
    let _undrawn = browser
        .wait_until(
            &format!("{page}: {what}: drawing the diagrams of {target}"),
            "return Array.from(document.querySelectorAll('pre.mermaid')).every(
                p => p.querySelector('svg') !== null || p.dataset.mermaidError !== undefined)",
            Duration::from_secs(10),
        )
        .await;
    // Scrolling to the fragment may finish a moment later.
    let mut state = String::new();
    for _ in 0..20 {
        state = browser
            .eval(IN_VIEW, vec![json!(id)])
            .await?
            .as_str()
            .unwrap_or("?")
            .to_string();
        if state == "ok" {
            return Ok(Some(target));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    problems.add(
        page,
        format!("{what} landed on {target} but #{id}: {state}"),
    );
    Ok(Some(target))
}
