//! Searching, as a reader does it: open the search bar, type a term, read
//! the results, follow one.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, strings};
use crate::site::Site;
use crate::{Problems, toc};

/// The terms searched for; each must find every chapter that uses it.
const TERMS: &[&str] = &["rebase", "consume", "chunked"];

/// Whether `text` has `term` as a word the way mdBook's search index cuts
/// words: split at whitespace and `-`, outer punctuation trimmed, case
/// ignored. (`consume_all` and `w.consume(n)` are other words.)
fn has_word(text: &str, term: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|word| word.eq_ignore_ascii_case(term))
}

/// The part of `term` that its inflections share (`rebas`, `consum`,
/// `chunk`): the search stems words and expands prefixes, so a result only
/// needs this.
fn stem(term: &str) -> &str {
    for suffix in ["ing", "ed", "es", "e", "s"] {
        if let Some(stem) = term.strip_suffix(suffix)
            && stem.len() >= 4
        {
            return stem;
        }
    }
    term
}

/// Searches for each of [`TERMS`] from the first chapter.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let chapters = toc::chapters(browser, site).await?;
    let mut texts = BTreeMap::new();
    for page in &chapters {
        let url = site.server.url(page);
        browser.goto(&url).await?;
        let text = browser
            .eval("return document.querySelector('main').innerText", vec![])
            .await?;
        texts.insert(
            page.clone(),
            text.as_str().unwrap_or_default().to_lowercase(),
        );
    }
    for term in TERMS {
        search(browser, site, problems, &chapters, &texts, term).await?;
    }
    Ok(())
}

async fn search(
    browser: &Browser, site: &Site, problems: &mut Problems, chapters: &[String],
    texts: &BTreeMap<String, String>, term: &str,
) -> Result<(), String> {
    let start = &chapters[0];
    let at = format!("{start} (search for \"{term}\")");
    let url = site.server.url(start);
    browser.goto(&url).await?;
    let toggle = browser.find("#mdbook-search-toggle").await?;
    browser
        .step("opening the search bar", toggle.click())
        .await?;
    let bar = browser.find("#mdbook-searchbar").await?;
    browser
        .step("typing in the search bar", bar.send_keys(term))
        .await?;
    // The header reads "N search results for 'term':" once the index has
    // loaded and the search ran.
    browser
        .wait_until(
            &format!("searching for {term}"),
            &format!(
                "const h = document.getElementById('mdbook-searchresults-header');
                 return h !== null && h.innerText.includes({})",
                json!(format!("'{term}'"))
            ),
            Duration::from_secs(15),
        )
        .await?;
    let found = browser
        .eval(
            "return {
                limit: window.search.results_options.limit_results,
                hrefs: Array.from(document.querySelectorAll('#mdbook-searchresults > li > a')).map(a => a.href),
            }",
            vec![],
        )
        .await?;
    let hrefs: Vec<&str> = strings(&found["hrefs"]);
    let limit = found["limit"].as_u64().unwrap_or(0) as usize;
    let result_pages: BTreeSet<String> =
        hrefs.iter().filter_map(|h| toc::page_of(site, h)).collect();

    let required: Vec<&String> = chapters
        .iter()
        .filter(|page| texts.get(*page).is_some_and(|text| has_word(text, term)))
        .collect();
    eprintln!(
        "search: \"{term}\": {} results on {} pages; {} chapters use the word",
        hrefs.len(),
        result_pages.len(),
        required.len()
    );
    if required.is_empty() {
        problems.add(
            &at,
            format!("no chapter uses the word \"{term}\", so its search cannot be checked"),
        );
    }
    if hrefs.is_empty() {
        problems.add(&at, "no results");
        return Ok(());
    }
    if hrefs.len() >= limit {
        problems.add(
            &at,
            format!(
                "{} results, the most the search shows: pages past them cannot be found; \
                 raise [output.html.search] limit-results in book.toml",
                hrefs.len()
            ),
        );
    }
    for page in required {
        if !result_pages.contains(page) {
            problems.add(
                &at,
                format!("{page} uses the word but is not among the results"),
            );
        }
    }
    for page in &result_pages {
        match texts.get(page) {
            None => problems.add(
                &at,
                format!("a result links to {page}, which is not a chapter"),
            ),
            Some(text) if !text.contains(stem(term)) => problems.add(
                &at,
                format!(
                    "{page} is a result but has no word starting with \"{}\"",
                    stem(term)
                ),
            ),
            Some(_) => {}
        }
    }

    // Following a result lands on its page with the term highlighted.
    let first = browser.find("#mdbook-searchresults > li > a").await?;
    let href = browser
        .step("reading the first result", first.prop("href"))
        .await?;
    let href = href.unwrap_or_default();
    browser
        .step("clicking the first result", first.click())
        .await?;
    let landed = browser
        .wait_until(
            &format!("following the first result for {term}"),
            &format!(
                "return location.href === {} && document.readyState === 'complete'
                    && document.querySelectorAll('main mark').length > 0",
                json!(href)
            ),
            Duration::from_secs(10),
        )
        .await;
    if landed.is_err() {
        let now = browser
            .eval(
                "return [location.href, document.querySelectorAll('main mark').length]",
                vec![],
            )
            .await?;
        problems.add(
            &at,
            format!("the first result ({href}) did not land there with the term highlighted: now at {now}"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_like_the_search_index_cuts_them() {
        assert!(has_word("Then rebase, and", "rebase"));
        assert!(has_word("(Rebase)", "rebase"));
        assert!(has_word("pre-rebase", "rebase"));
        assert!(!has_word("defaultRebase", "rebase"));
        assert!(!has_word("consume_all", "consume"));
        assert!(!has_word("w.consume(n)", "consume"));
    }

    #[test]
    fn stems_share_the_inflections() {
        assert_eq!(stem("rebase"), "rebas");
        assert_eq!(stem("consume"), "consum");
        assert_eq!(stem("chunked"), "chunk");
    }
}
