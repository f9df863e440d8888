//! The book as readers meet it: the built site, served on 127.0.0.1 and
//! driven in Debian's headless Chromium (see [`browser`]).
//!
//! Nothing here lists pages, links or diagrams: they are found in the built
//! site (its `.html` files and the sidebar's table of contents), so every
//! chapter added is checked too. Only the search terms are fixed.
//!
//! - [`pages`]: every page loads with no console error, no failed request
//!   and no request outside the site; every diagram is an `<svg>`;
//!   a screenshot of each page, light and dark.
//! - [`themes`]: switching theme redraws the diagrams in a matching mermaid
//!   theme, and their text stays readable (contrast) in every theme.
//! - [`links`]: every link between and within chapters (the wiki links)
//!   lands on its page with its heading in view; the "Linked from" lists
//!   match the links and their own links work.
//! - [`previews`]: a wiki link shows its target's heading and first
//!   paragraph on focus and hover, fetches nothing, and Escape hides it.
//! - [`search`]: searching finds the pages that discuss each term.
//! - [`a11y`]: axe-core finds no accessibility violation on any page, in a
//!   light and a dark theme; Tab reaches the skip link, the sidebar toggle,
//!   the search and the content in order, each showing its focus.
//! - [`highlight`]: Zig blocks are highlighted, in a light and a dark theme.
//! - [`copy`]: a code block's copy button copies exactly its visible text.
//! - [`weight`]: no page loads mermaid (the diagrams are drawn at build
//!   time); the transfer size of every page is written to `page-weights.md`.
//! - [`hosting`]: the 404 page at any depth, edit links, the print page.
//! - [`versions`]: the Zig version switch shows each group's program and
//!   output, and each citation's location, for the picked release, on
//!   every page and after a reload.
//! - [`lab`]: the buffer lab's two WebAssembly engines show the traces of
//!   the native runs, for its presets and seeded random scripts.
//! - [`lighthouse`]: Lighthouse, with its default mobile settings, scores
//!   every page, served gzipped, 100 on accessibility, best practices and
//!   SEO and at least 95 on performance; the scores go to `lighthouse.md`.
//!
//! Artifacts (screenshots, `page-weights.md`, `lighthouse.md`, `print.pdf`) go to
//! `target/browser-screenshots/`. A failing test lists every problem it
//! found, each naming its page and link or element.

mod a11y;
mod browser;
mod copy;
mod highlight;
mod hosting;
mod lab;
mod lighthouse;
mod links;
mod network;
mod pages;
mod previews;
mod search;
mod server;
mod site;
mod themes;
mod toc;
mod versions;
mod weight;

use std::fmt::Display;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use browser::Browser;
use site::Site;

/// The longest one test may take once its browser runs.
const TEST_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Held shared by every browser test while it runs and exclusively by the
/// Lighthouse test, whose performance scores come from the CPU time pages
/// take: no other test's browser may compete for the CPU meanwhile.
static CPU: RwLock<()> = RwLock::new(());

/// Everything wrong that one test found.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records a problem on `page` (a path relative to the site root).
    pub fn add(&mut self, page: &str, message: impl Display) {
        self.0.push(format!("{page}: {message}"));
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Launches a browser, runs `check` against the site with a time limit,
/// closes the browser, and fails the test with every problem found.
fn run(test: &str, check: impl AsyncFnOnce(&Browser, &Site, &mut Problems) -> Result<(), String>) {
    let site = site::site();
    // A test that panicked while holding the lock poisons it; the others
    // still run.
    let _shared = CPU.read().unwrap_or_else(|e| e.into_inner());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let started = Instant::now();
    let mut problems = Problems::default();
    let outcome = runtime.block_on(async {
        let browser = Browser::launch(test).await?;
        let result = tokio::time::timeout(TEST_LIMIT, check(&browser, site, &mut problems)).await;
        browser.close().await;
        match result {
            Ok(result) => result,
            Err(_) => Err(format!("did not finish within {} s", TEST_LIMIT.as_secs())),
        }
    });
    if let Err(error) = outcome {
        problems.0.push(format!("stopped early: {error}"));
    }
    eprintln!("{test}: {:.1} s", started.elapsed().as_secs_f64());
    fail_with(site, &problems);
}

/// Fails the test with every problem in `problems`, if there is one.
fn fail_with(site: &Site, problems: &Problems) {
    if !problems.is_empty() {
        let mut text = format!(
            "{} problem(s) in the site built from the book ({}):\n",
            problems.0.len(),
            site.dir.display()
        );
        for problem in &problems.0 {
            text.push_str(&format!("\n- {problem}"));
        }
        panic!("{text}\n");
    }
}

#[test]
fn every_page_loads_cleanly_and_draws_its_diagrams() {
    run("pages", pages::check);
}

#[test]
fn diagrams_follow_the_theme_and_stay_readable() {
    run("themes", themes::check);
}

#[test]
fn links_between_chapters_land_on_their_headings() {
    run("links", links::check_links);
}

#[test]
fn linked_from_lists_match_the_links() {
    run("backlinks", links::check_backlinks);
}

#[test]
fn search_finds_the_pages_that_discuss_each_term() {
    run("search", search::check);
}

#[test]
fn zig_blocks_are_highlighted() {
    run("highlight", highlight::check);
}

#[test]
fn axe_finds_no_accessibility_violation() {
    run("a11y", a11y::check);
}

#[test]
fn the_keyboard_alone_reaches_and_works_the_page() {
    run("keyboard", a11y::keyboard);
}

#[test]
fn wiki_links_preview_their_targets() {
    run("previews", previews::check);
}

#[test]
fn copy_buttons_copy_the_visible_code() {
    run("copy", copy::check);
}

#[test]
fn no_page_loads_mermaid_since_diagrams_are_drawn_at_build_time() {
    run("weight", weight::check);
}

#[test]
fn the_buffer_lab_shows_the_native_traces_of_both_engines() {
    run("lab", lab::check);
}

#[test]
fn the_zig_version_switch_changes_every_program_and_citation() {
    run("versions", versions::check);
}

#[test]
fn not_found_page_edit_links_and_print_page_work() {
    run("hosting", hosting::check);
}

/// Lighthouse launches its own browsers, one per page, with the CPU to
/// itself (see [`CPU`]).
#[test]
fn lighthouse_scores_every_page_at_the_bar_on_a_phone() {
    let site = site::site();
    let _alone = CPU.write().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    let mut problems = Problems::default();
    if let Err(error) = lighthouse::check(site, &mut problems) {
        problems.0.push(format!("stopped early: {error}"));
    }
    eprintln!("lighthouse: {:.1} s", started.elapsed().as_secs_f64());
    fail_with(site, &problems);
}
