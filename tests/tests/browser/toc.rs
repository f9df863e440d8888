//! Finding the book's chapters and naming pages, from the site itself.

use crate::browser::{Browser, strings};
use crate::site::Site;

/// The chapters, in table-of-contents order, as paths relative to the site
/// root: the pages the sidebar links to (mdBook's `toc.js` builds it). The
/// sidebar's links to headings of the current page are left out.
pub(crate) async fn chapters(browser: &Browser, site: &Site) -> Result<Vec<String>, String> {
    let home = site.server.url("");
    browser.visit(&home).await?;
    let hrefs = browser
        .eval(
            "return Array.from(document.querySelectorAll('#mdbook-sidebar a[href]'))
                .map(a => a.href)",
            vec![],
        )
        .await?;
    let mut chapters = Vec::new();
    for href in strings::<Vec<_>>(&hrefs) {
        if href.contains('#') {
            continue;
        }
        if let Some(page) = page_of(site, href)
            && !chapters.contains(&page)
        {
            chapters.push(page);
        }
    }
    if chapters.is_empty() {
        return Err(format!("the sidebar of {home} links to no chapter"));
    }
    Ok(chapters)
}

/// The page an absolute URL of the site names, relative to the site root
/// (`buffer-scheduling.html`; `index.html` for a directory), or `None` for
/// a URL outside the site.
pub(crate) fn page_of(site: &Site, url: &str) -> Option<String> {
    let rest = url.strip_prefix(&site.server.url(""))?;
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    if path.is_empty() || path.ends_with('/') {
        Some(format!("{path}index.html"))
    } else {
        Some(path.to_string())
    }
}

/// The fragment of `url`, percent-decoded (heading ids may hold `%`
/// escapes of non-ASCII characters), or `None`.
pub(crate) fn fragment_of(url: &str) -> Option<String> {
    let fragment = url.split_once('#')?.1;
    if fragment.is_empty() {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// A file name for `page`'s artifacts: `buffer-scheduling`, `sub__page`.
pub(crate) fn artifact_name(page: &str) -> String {
    page.trim_end_matches(".html").replace('/', "__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_fragments() {
        assert_eq!(fragment_of("a.html#x-y").as_deref(), Some("x-y"));
        assert_eq!(fragment_of("a.html#caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(fragment_of("a.html#"), None);
        assert_eq!(fragment_of("a.html"), None);
        assert_eq!(artifact_name("sub/page.html"), "sub__page");
    }
}
