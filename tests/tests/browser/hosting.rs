//! What hosting the site needs: the 404 page at any depth, an edit link
//! and a repository link on every chapter, a working print page, and an
//! output directory of plain files.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;

use crate::browser::{Browser, save_artifact, strings};
use crate::pages::{report_diagrams, report_visit};
use crate::site::{Site, repo_root};
use crate::{Problems, toc};

/// Missing pages asked for: one at the root, one deeper, where only the 404
/// page's `<base href>` (book.toml's site-url) keeps its links working.
const MISSING: &[&str] = &["no-such-page.html", "no/such/section/page.html"];

/// Missing pages at two depths, the edit and repository links of every
/// chapter, the print page, and plain files in the output.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    for (index, missing) in MISSING.iter().enumerate() {
        not_found(browser, site, problems, missing, index + 1).await?;
    }
    let chapters = toc::chapters(browser, site).await?;
    let titles = edit_links(browser, site, problems, &chapters).await?;
    print_page(browser, site, problems, &titles).await?;
    plain_files(&site.dir, &site.dir, problems);
    Ok(())
}

/// A missing page is answered with status 404 and the book's 404 page, fully
/// styled, whose links (sidebar and text) lead to pages of the site.
async fn not_found(
    browser: &Browser, site: &Site, problems: &mut Problems, missing: &str, number: usize,
) -> Result<(), String> {
    let url = site.server.url(missing);
    let at = format!("{missing} (missing page)");
    let visit = browser.visit(&url).await?;
    let document = visit.requests.iter().find(|r| r.url == url);
    if document.and_then(|r| r.status) != Some(404) {
        problems.add(
            &at,
            format!(
                "answered with {:?}, not 404",
                document.and_then(|r| r.status)
            ),
        );
    }
    report_visit(problems, &at, &visit, &site.server.origin(), Some(&url));
    let heading = browser
        .eval(
            "const h = document.querySelector('main h1'); return h ? h.innerText : null",
            vec![],
        )
        .await?;
    if heading.is_null() {
        problems.add(&at, "the 404 page shows no heading (book/404.md)");
    }
    browser
        .screenshot(&format!("pages/404-{number}.png"))
        .await?;

    let hrefs = browser
        .eval(
            "return Array.from(document.querySelectorAll('#mdbook-sidebar a[href], main a[href]'))
                .filter(a => !a.classList.contains('header')).map(a => a.href)",
            vec![],
        )
        .await?;
    let hrefs: BTreeSet<&str> = strings(&hrefs);
    if hrefs.is_empty() {
        problems.add(&at, "the 404 page has no link to the book");
    }
    for href in hrefs {
        match toc::page_of(site, href) {
            Some(page) if site.pages.contains(&page) => {}
            Some(page) => problems.add(
                &at,
                format!("links to {href} ({page}), which does not exist"),
            ),
            None if href.starts_with(&site.server.origin()) => {
                problems.add(&at, format!("links to {href}, outside the site's path"))
            }
            None => {}
        }
    }
    // Follow the first chapter of the sidebar, as a lost reader would.
    let first = browser
        .find("#mdbook-sidebar a[href]:not([href*='#'])")
        .await?;
    let href = browser
        .step("reading a sidebar link", first.prop("href"))
        .await?
        .unwrap_or_default();
    browser
        .step("clicking a sidebar link", first.click())
        .await?;
    let landed = browser
        .wait_until(
            &format!("{at}: following the sidebar link {href}"),
            &format!(
                "return location.href === {} && document.readyState === 'complete'",
                json!(href)
            ),
            Duration::from_secs(10),
        )
        .await;
    let title = browser.eval("return document.title", vec![]).await?;
    if landed.is_err() || toc::page_of(site, &href).is_none_or(|p| !site.pages.contains(&p)) {
        problems.add(
            &at,
            format!("its sidebar link {href} did not lead to a page (now at {title})"),
        );
    }
    Ok(())
}

/// Every chapter has an edit link to its own source file in `book/` and a
/// link to the repository. Returns each chapter's title (its first `h1`).
async fn edit_links(
    browser: &Browser, site: &Site, problems: &mut Problems, chapters: &[String],
) -> Result<Vec<String>, String> {
    let mut titles = Vec::new();
    let root = repo_root();
    for page in chapters {
        let url = site.server.url(page);
        browser.goto(&url).await?;
        let found = browser
            .eval(
                "const edit = document.querySelector('a[rel=\"edit\"]');
                 const repo = document.querySelector('a[title=\"Git repository\"]');
                 const h1 = document.querySelector('main h1');
                 return { edit: edit && edit.href, repo: repo && repo.href, title: h1 && h1.innerText };",
                vec![],
            )
            .await?;
        match found["title"].as_str() {
            Some(title) => titles.push(title.trim().to_string()),
            None => problems.add(page, "has no <h1> title"),
        }
        match found["repo"].as_str() {
            Some(repo) if repo.starts_with("https://") => {}
            other => problems.add(
                page,
                format!("has no https link to the repository (git-repository-url): {other:?}"),
            ),
        }
        let Some(edit) = found["edit"].as_str() else {
            problems.add(page, "has no edit link (edit-url-template in book.toml)");
            continue;
        };
        // https://github.com/OWNER/REPO/edit/BRANCH/book/chapter.md
        let source = edit
            .split_once("/edit/")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(_, path)| path);
        let Some(source) = source else {
            problems.add(
                page,
                format!("its edit link {edit} does not name a file on a branch"),
            );
            continue;
        };
        if !root.join(source).is_file() {
            problems.add(
                page,
                format!("its edit link {edit} names {source}, which is not in the repository"),
            );
            continue;
        }
        let rendered = Path::new(source)
            .strip_prefix("book")
            .map(|p| {
                p.with_extension("html")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .unwrap_or_default();
        let rendered = rendered.replace("README.html", "index.html");
        if &rendered != page {
            problems.add(
                page,
                format!("its edit link {edit} names the source of {rendered}"),
            );
        }
    }
    Ok(titles)
}

/// The print page holds every chapter, draws its diagrams, keeps its links
/// inside itself, and prints to a PDF (saved as `print.pdf`).
async fn print_page(
    browser: &Browser, site: &Site, problems: &mut Problems, titles: &[String],
) -> Result<(), String> {
    let page = "print.html";
    if !site.pages.iter().any(|p| p == page) {
        problems.add(page, "the site has no print page");
        return Ok(());
    }
    // The print page calls window.print() once loaded. Here the call is
    // counted instead of opening Chromium's print job, which would refuse
    // WebDriver's own printing below ("already being printed").
    let stub = browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.print = () => { window.bookPrintCalls = (window.bookPrintCalls || 0) + 1; };" }),
        )
        .await?;
    let visit = browser.visit(&site.server.url(page)).await;
    browser
        .cdp(
            "Page.removeScriptToEvaluateOnNewDocument",
            json!({ "identifier": stub["identifier"] }),
        )
        .await?;
    let visit = visit?;
    report_visit(problems, page, &visit, &site.server.origin(), None);
    report_diagrams(browser, problems, page).await?;
    let asked = browser
        .wait_until(
            "print.html: waiting for its call to window.print()",
            "return window.bookPrintCalls === 1",
            Duration::from_secs(5),
        )
        .await;
    if asked.is_err() {
        let calls = browser
            .eval("return window.bookPrintCalls || 0", vec![])
            .await?;
        problems.add(
            page,
            format!("called window.print() {calls} times once loaded, not once"),
        );
    }
    let found = browser
        .eval(
            "return {
                headings: Array.from(document.querySelectorAll('main h1')).map(h => h.innerText.trim()),
                missing: Array.from(document.querySelectorAll('main a[href^=\"#\"]'))
                    .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
                    .filter(id => id && !document.getElementById(id)),
            }",
            vec![],
        )
        .await?;
    let headings: Vec<&str> = strings(&found["headings"]);
    for title in titles {
        if !headings.contains(&title.as_str()) {
            problems.add(page, format!("does not hold the chapter \"{title}\""));
        }
    }
    for id in found["missing"].as_array().into_iter().flatten() {
        problems.add(
            page,
            format!(
                "links to #{}, which is not on the page",
                id.as_str().unwrap_or("?")
            ),
        );
    }
    // Every chapter at once: on a busy machine this takes longer than the
    // 10 s chromedriver gives WebDriver's print command, so Chromium's own
    // DevTools command prints, without that limit.
    let printed = browser
        .cdp_within(
            "Page.printToPDF",
            json!({ "printBackground": true }),
            Duration::from_secs(120),
        )
        .await?;
    let pdf = printed["data"]
        .as_str()
        .and_then(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .ok_or_else(|| format!("printing the print page gave no PDF: {printed}"))?;
    save_artifact("print.pdf", &pdf)?;
    let pages = count_pdf_pages(&pdf);
    if !pdf.starts_with(b"%PDF") || pages < titles.len() {
        problems.add(
            page,
            format!(
                "printing gave {} bytes with {pages} page(s), fewer than its {} chapters",
                pdf.len(),
                titles.len()
            ),
        );
    }
    Ok(())
}

/// The number of `/Type /Page` objects (not `/Pages`) in a PDF.
fn count_pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

/// The output must be plain files and directories (no links), so that
/// copying it to any static host copies the site.
fn plain_files(root: &Path, dir: &Path, problems: &mut Problems) {
    let Ok(entries) = fs::read_dir(dir) else {
        problems.add(&dir.display().to_string(), "cannot be read");
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        match entry.file_type() {
            Ok(kind) if kind.is_symlink() => problems.add(
                &relative,
                "is a symbolic link in the output; static hosts need plain files",
            ),
            Ok(kind) if kind.is_dir() => plain_files(root, &path, problems),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_not_page_trees() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type /Page\n>>";
        assert_eq!(count_pdf_pages(pdf), 2);
    }
}
