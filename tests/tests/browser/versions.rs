//! The Zig version switch: picking a release shows, in every group of Zig
//! blocks on every page, the program and output checked for that release,
//! and only that release's citation locations; the choice is remembered
//! across pages and reloads.
//!
//! What each page must show is worked out here from the page's HTML as
//! mdBook wrote it (the classes of its `zig` and `text` blocks, and which
//! blocks follow each other directly), by the rules the Zig test runs the
//! programs with: a `zig` block without version classes starts a group; a
//! `zig zig-0.16.0 …` block is a port of that group for the named releases;
//! an untagged `text` block right after a program is its output, and a
//! `text zig-0.17.1` block right after an output is what that release
//! prints instead.

use std::fs;

use serde_json::Value as Json;

use crate::browser::{Browser, strings};
use crate::site::Site;
use crate::{Problems, toc};

/// The pinned releases, baseline first, as the switch offers them.
const VERSIONS: [&str; 3] = ["0.15.1", "0.16.0", "0.17.1"];

/// The order the test picks them in: away from the default first, and back
/// to it last, so that the browser ends where a new reader starts.
const ORDER: [&str; 3] = ["0.17.1", "0.16.0", "0.15.1"];

/// A `zig` or `text` block of a page's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    zig: bool,
    /// The releases of its `zig-<version>` classes.
    tags: Vec<String>,
    /// Whether only white space separates it from the block before it.
    follows: bool,
}

/// A program of a group: its block, the releases it is the port for, its
/// output block and output variants (block, releases).
#[derive(Debug, Default)]
struct Program {
    block: usize,
    tags: Vec<String>,
    output: Option<usize>,
    variants: Vec<(usize, Vec<String>)>,
}

/// The `zig` and `text` blocks of `html`, in order. mdBook writes each as
/// `<pre><code class="language-zig zig-0.16.0">`.
fn blocks(html: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut last_end: Option<usize> = None;
    let mut rest = 0;
    while let Some(at) = html[rest..].find("<pre><code class=\"") {
        let start = rest + at;
        let classes_start = start + "<pre><code class=\"".len();
        let Some(classes_len) = html[classes_start..].find('"') else {
            break;
        };
        let classes: Vec<&str> = html[classes_start..classes_start + classes_len]
            .split_whitespace()
            .collect();
        let end = html[start..]
            .find("</pre>")
            .map_or(html.len(), |e| start + e + "</pre>".len());
        let language = classes.first().copied().unwrap_or_default();
        if language == "language-zig" || language == "language-text" {
            let follows = last_end.is_some_and(|e| html[e..start].trim().is_empty());
            found.push(Block {
                zig: language == "language-zig",
                tags: classes
                    .iter()
                    .filter_map(|c| c.strip_prefix("zig-"))
                    .map(str::to_string)
                    .collect(),
                follows,
            });
            last_end = Some(end);
        } else {
            last_end = None;
        }
        rest = end;
    }
    found
}

/// The groups of a page: each a list of programs, the baseline first.
fn groups(blocks: &[Block]) -> Vec<Vec<Program>> {
    let mut groups: Vec<Vec<Program>> = Vec::new();
    let mut open = false;
    for (i, block) in blocks.iter().enumerate() {
        if block.zig {
            let program = Program {
                block: i,
                tags: block.tags.clone(),
                ..Program::default()
            };
            if block.tags.is_empty() {
                groups.push(vec![program]);
                open = true;
            } else if let Some(group) = groups.last_mut() {
                group.push(program);
                open = true;
            } else {
                open = false;
            }
            continue;
        }
        let current = groups.last_mut().and_then(|g| g.last_mut());
        let Some(program) = current.filter(|_| open && block.follows) else {
            open = false;
            continue;
        };
        match (block.tags.is_empty(), program.output.is_some()) {
            (true, false) => program.output = Some(i),
            (false, true) => program.variants.push((i, block.tags.clone())),
            _ => open = false,
        }
    }
    groups
}

/// Whether each block is shown for `version`: every block outside the
/// groups that differ between releases, and in those the program and
/// output that `version` runs and prints.
fn expected_visible(blocks: &[Block], groups: &[Vec<Program>], version: &str) -> Vec<bool> {
    let mut visible = vec![true; blocks.len()];
    for group in groups {
        let program = group
            .iter()
            .find(|p| p.tags.iter().any(|t| t == version))
            .unwrap_or(&group[0]);
        let output = program
            .variants
            .iter()
            .find(|(_, tags)| tags.iter().any(|t| t == version))
            .map(|(block, _)| *block)
            .or(program.output);
        for p in group {
            for block in [Some(p.block), p.output]
                .into_iter()
                .flatten()
                .chain(p.variants.iter().map(|(b, _)| *b))
            {
                visible[block] = block == program.block || Some(block) == output;
            }
        }
    }
    visible
}

/// A page with something to switch: its blocks and groups, and how many
/// citation elements it has (from its HTML).
struct Page {
    path: String,
    blocks: Vec<Block>,
    groups: Vec<Vec<Program>>,
    citations: usize,
}

impl Page {
    /// How many of its groups show another program on `version` than on
    /// 0.15.1.
    fn ported(&self, version: &str) -> usize {
        self.groups
            .iter()
            .filter(|g| g.iter().any(|p| p.tags.iter().any(|t| t == version)))
            .count()
    }

    fn versioned(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.len() > 1 || g.iter().any(|p| !p.variants.is_empty()))
    }
}

/// What the page shows: for each `zig`/`text` block (but the buffer lab's
/// generated programs, which are not in the page's HTML) its classes, whether it
/// is displayed, and the text of the label before it; for each citation
/// element its release and whether it is displayed; the selected radio
/// buttons and menu value.
const STATE: &str = r#"
const shown = (el) => !el.hidden && getComputedStyle(el).display !== 'none';
const blocks = Array.from(document.querySelectorAll(
    ':not(.lab-program) > pre > code.language-zig, :not(.lab-program) > pre > code.language-text'))
    .map((code) => {
        const pre = code.parentElement;
        const before = pre.previousElementSibling;
        const label = before && before.classList.contains('zig-version-label') && shown(before)
            ? before.textContent : null;
        return { classes: code.className, shown: shown(pre), label };
    });
const citations = Array.from(document.querySelectorAll('[data-zig-version]'))
    .map((el) => ({ version: el.dataset.zigVersion, shown: shown(el) }));
const checked = Array.from(document.querySelectorAll('.zig-version-switch input:checked'))
    .map((i) => i.value);
const switches = document.querySelectorAll('.zig-version-switch').length;
const menu = document.querySelector('select.zig-version-menu');
return { blocks, citations, checked, switches, menu: menu ? menu.value : null };
"#;

/// Picks each release with the page's own controls (the first radio group,
/// then the menu bar), then checks every page with something to switch
/// under the remembered choice, and the last one again after a reload.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let pages = switchable_pages(browser, site).await?;
    let Some(first) = pages.iter().find(|p| p.versioned()) else {
        problems.add("(every chapter)", "no page has a Zig program with a port");
        return Ok(());
    };
    if !pages.iter().any(|p| p.citations > 0) {
        problems.add("(every chapter)", "no page has a per-release citation");
        return Ok(());
    }
    for version in VERSIONS.iter().skip(1) {
        let ported: usize = pages.iter().map(|p| p.ported(version)).sum();
        if ported == 0 {
            problems.add(
                "(every chapter)",
                format!("no Zig program has a port for {version}"),
            );
        }
    }
    for (round, version) in ORDER.iter().enumerate() {
        browser.visit(&site.server.url(&first.path)).await?;
        if round % 2 == 0 {
            pick_radio(browser, version).await?;
        } else {
            pick_menu(browser, version).await?;
        }
        check_page(browser, first, version, problems).await?;
        let mut current = first;
        for page in pages.iter().filter(|p| p.path != first.path) {
            browser.visit(&site.server.url(&page.path)).await?;
            check_page(browser, page, version, problems).await?;
            current = page;
        }
        browser
            .step("reloading", browser.client().refresh())
            .await?;
        browser.settle(&current.path).await?;
        check_page(browser, current, version, problems).await?;
    }
    eprintln!(
        "versions: {} pages, {} groups ({} with ports), {} citation elements, each checked on {}",
        pages.len(),
        pages.iter().map(|p| p.groups.len()).sum::<usize>(),
        pages
            .iter()
            .flat_map(|p| &p.groups)
            .filter(|g| g.len() > 1)
            .count(),
        pages.iter().map(|p| p.citations).sum::<usize>(),
        VERSIONS.join(", ")
    );
    Ok(())
}

/// The chapters that have a Zig program or a citation element, read from
/// the built site.
async fn switchable_pages(browser: &Browser, site: &Site) -> Result<Vec<Page>, String> {
    let mut pages = Vec::new();
    for path in toc::chapters(browser, site).await? {
        let html = fs::read_to_string(site.dir.join(&path))
            .map_err(|e| format!("reading {path} of the built site: {e}"))?;
        let blocks = blocks(&html);
        let groups = groups(&blocks);
        let citations = html.matches("data-zig-version=\"").count();
        if !groups.is_empty() || citations > 0 {
            pages.push(Page {
                path,
                blocks,
                groups,
                citations,
            });
        }
    }
    Ok(pages)
}

/// Clicks the radio button of `version` in the page's first switch.
async fn pick_radio(browser: &Browser, version: &str) -> Result<(), String> {
    let css = format!(".zig-version-switch input[value=\"{version}\"]");
    let input = browser.find(&css).await?;
    browser
        .eval(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![element(&input)?],
        )
        .await?;
    browser
        .step(&format!("clicking {css}"), input.click())
        .await?;
    Ok(())
}

/// Chooses `version` in the menu bar's select.
async fn pick_menu(browser: &Browser, version: &str) -> Result<(), String> {
    let menu = browser.find("select.zig-version-menu").await?;
    browser
        .step(
            &format!("choosing {version} in the menu bar"),
            menu.select_by_value(version),
        )
        .await?;
    Ok(())
}

fn element(element: &fantoccini::elements::Element) -> Result<Json, String> {
    serde_json::to_value(element).map_err(|e| format!("passing an element to a script: {e}"))
}

/// Compares what the current page shows with what `version` must show.
async fn check_page(
    browser: &Browser, page: &Page, version: &str, problems: &mut Problems,
) -> Result<(), String> {
    let at = format!("{} (Zig {version})", page.path);
    let state = browser.eval(STATE, vec![]).await?;
    let shown = state["blocks"].as_array().cloned().unwrap_or_default();
    if shown.len() != page.blocks.len() {
        problems.add(
            &at,
            format!(
                "the page shows {} zig/text blocks, its HTML has {}",
                shown.len(),
                page.blocks.len()
            ),
        );
        return Ok(());
    }
    let expected = expected_visible(&page.blocks, &page.groups, version);
    for (i, (block, want)) in shown.iter().zip(&expected).enumerate() {
        let classes = block["classes"].as_str().unwrap_or("?");
        let is = block["shown"].as_bool() == Some(true);
        if is != *want {
            let state = if *want { "hidden" } else { "shown" };
            problems.add(&at, format!("block {} (`{classes}`) is {state}", i + 1));
        }
        let in_versioned = page.groups.iter().any(|g| {
            (g.len() > 1 || g.iter().any(|p| !p.variants.is_empty()))
                && g.iter().any(|p| {
                    p.block == i || p.output == Some(i) || p.variants.iter().any(|(b, _)| *b == i)
                })
        });
        if is && in_versioned {
            let label = block["label"].as_str().unwrap_or_default();
            if !label.contains(version) {
                problems.add(
                    &at,
                    format!("block {} (`{classes}`) is labelled {label:?}", i + 1),
                );
            }
        }
    }
    let citations = state["citations"].as_array().cloned().unwrap_or_default();
    if citations.len() != page.citations {
        problems.add(
            &at,
            format!(
                "{} citation elements, the HTML has {}",
                citations.len(),
                page.citations
            ),
        );
    }
    for citation in &citations {
        let release = citation["version"].as_str().unwrap_or("?");
        if (citation["shown"].as_bool() == Some(true)) != (release == version) {
            problems.add(&at, format!("the citation location for {release} is shown"));
        }
    }
    let switches = state["switches"].as_u64().unwrap_or(0) as usize;
    let checked: Vec<&str> = strings(&state["checked"]);
    if checked.len() != switches || checked.iter().any(|v| *v != version) {
        problems.add(&at, format!("{switches} switches, checked: {checked:?}"));
    }
    if state["menu"].as_str() != Some(version) {
        problems.add(&at, format!("the menu bar shows {}", state["menu"]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(blocks: &[(&str, bool)]) -> String {
        let mut out = String::new();
        for (classes, follows) in blocks {
            if !follows {
                out.push_str("<p>prose</p>\n");
            }
            out.push_str(&format!(
                "<pre><code class=\"{classes}\">x\n</code></pre>\n"
            ));
        }
        out
    }

    #[test]
    fn a_port_and_a_variant_show_for_their_releases_only() {
        let page = html(&[
            ("language-zig", false),
            ("language-text", true),
            ("language-text zig-0.17.1", true),
            ("language-zig zig-0.16.0 zig-0.17.1", false),
            ("language-text", true),
            ("language-rust", false),
            ("language-text", true),
        ]);
        let blocks = blocks(&page);
        assert_eq!(blocks.len(), 6, "{blocks:?}");
        let groups = groups(&blocks);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            expected_visible(&blocks, &groups, "0.15.1"),
            [true, true, false, false, false, true]
        );
        assert_eq!(
            expected_visible(&blocks, &groups, "0.16.0"),
            [false, false, false, true, true, true]
        );
    }

    #[test]
    fn an_output_variant_of_the_baseline_alone_switches_the_output() {
        let page = html(&[
            ("language-zig", false),
            ("language-text", true),
            ("language-text zig-0.17.1", true),
            ("language-text", false),
        ]);
        let blocks = blocks(&page);
        let groups = groups(&blocks);
        assert_eq!(
            expected_visible(&blocks, &groups, "0.17.1"),
            [true, false, true, true]
        );
        assert_eq!(
            expected_visible(&blocks, &groups, "0.16.0"),
            [true, true, false, true]
        );
    }
}
