//! Page weight: what each page costs a reader with an empty cache; and no
//! page loads mermaid (about 2.7 MB of script), since the site's diagrams
//! were drawn when it was built (crates/mdbook-diagrams).

use std::fmt::Write as _;

use serde_json::json;

use crate::Problems;
use crate::browser::{Browser, save_artifact};
use crate::network::Request;
use crate::pages::diagram_count;
use crate::site::Site;

/// One page's cost.
struct Row {
    page: String,
    diagrams: usize,
    requests: usize,
    bytes: u64,
    mermaid: bool,
}

/// Whether `request` fetches mermaid itself (`mermaid.min.js`, hashed or
/// not), as opposed to the small loader.
fn is_mermaid(request: &Request) -> bool {
    let path = request.url.split(['?', '#']).next().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    file.starts_with("mermaid") && file.ends_with(".js") && !file.starts_with("mermaid-loader")
}

/// Loads every page with the browser cache off, sums the bytes each
/// transfers, and checks that no page fetches mermaid. The table goes to `page-weights.md` among the artifacts.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    // Every page as a first visit: nothing from the cache.
    browser.visit(&site.server.url("")).await?;
    browser
        .cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    let origin = site.server.origin();
    let mut rows = Vec::new();
    for page in &site.pages {
        let visit = browser.visit(&site.server.url(page)).await?;
        let diagrams = diagram_count(browser).await?;
        let own: Vec<&Request> = visit
            .requests
            .iter()
            .filter(|r| !r.leaves(&origin))
            .collect();
        for request in &own {
            if request.transferred.is_none() && !request.failed() {
                return Err(format!("{page}: {} never finished loading", request.url));
            }
            if request.transferred == Some(0) && !request.url.starts_with("data:") {
                return Err(format!(
                    "{page}: {} came from the cache although it is disabled",
                    request.url
                ));
            }
        }
        let mermaid: Vec<&&Request> = own.iter().filter(|r| is_mermaid(r)).collect();
        if let Some(script) = mermaid.first() {
            problems.add(
                page,
                format!(
                    "loads {} ({} bytes), though its {diagrams} diagram(s) should have been \
                     drawn when the site was built",
                    script.url,
                    script.transferred.unwrap_or(0)
                ),
            );
        }
        rows.push(Row {
            page: page.clone(),
            diagrams,
            requests: own.len(),
            bytes: own.iter().filter_map(|r| r.transferred).sum(),
            mermaid: !mermaid.is_empty(),
        });
    }
    rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.page.cmp(&b.page)));
    let table = render(&rows);
    eprintln!("{table}");
    save_artifact("page-weights.md", table.as_bytes())?;
    Ok(())
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "# Page weights\n\nBytes transferred by each page loaded with an empty cache (all its \
         requests, headers included, uncompressed as the test server sends them), heaviest \
         first.\n\n| page | diagrams | mermaid loaded | requests | bytes |\n|---|---:|---|---:|---:|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.page,
            row.diagrams,
            if row.mermaid { "yes" } else { "no" },
            row.requests,
            row.bytes
        );
    }
    if let (Some(heaviest), Some(lightest)) = (rows.first(), rows.last()) {
        let _ = writeln!(
            out,
            "\nHeaviest: {} ({} bytes). Lightest: {} ({} bytes).",
            heaviest.page, heaviest.bytes, lightest.page, lightest.bytes
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> Request {
        Request {
            url: url.into(),
            kind: "Script".into(),
            status: Some(200),
            transferred: Some(1),
            failure: None,
            canceled: false,
        }
    }

    #[test]
    fn tells_mermaid_from_its_loader() {
        assert!(is_mermaid(&request("http://h/mermaid.min.js")));
        assert!(is_mermaid(&request("http://h/mermaid-eefea253.min.js")));
        assert!(!is_mermaid(&request(
            "http://h/assets/mermaid-loader-1234abcd.js"
        )));
        assert!(!is_mermaid(&request("http://h/book.js")));
    }
}
