//! Accessibility: axe-core (the npm package, pinned in
//! `tests/browser-tools/package-lock.json`, installed by `cargo xtask
//! test`) finds no violation of WCAG 2.2 A and AA, or of its best-practice
//! rules, on any page, in the light and the coal theme; and a keyboard
//! alone reaches and works the page (see [`keyboard`]).

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::TimeoutConfiguration;
use serde_json::{Value as Json, json};

use crate::Problems;
use crate::browser::Browser;
use crate::site::{Site, target_dir};

/// The themes every page is checked in: mdBook's default and a dark one.
const THEMES: &[&str] = &["light", "coal"];

/// What axe checks: WCAG 2.0 to 2.2, levels A and AA, and its best
/// practices.
const TAGS: &[&str] = &[
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// How long axe may take on one page (a page with the buffer lab takes a
/// few seconds; a busy machine several times that).
const AXE_LIMIT: Duration = Duration::from_secs(120);

/// Runs axe on the page (asynchronously) and returns its violations as
/// `[{id, help, nodes: [{target, summary}]}]`, or `{error}`.
const RUN_AXE: &str = r#"
const [tags, done] = arguments;
axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    .then((r) => done(r.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }))))
    .catch((e) => done({ error: String(e) }));
"#;

/// axe's script, as `cargo xtask test` installs it.
pub(crate) fn axe_script() -> Result<String, String> {
    let path: PathBuf = target_dir().join("browser-tools/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e}; `cargo xtask test` installs axe-core (npm ci into target/browser-tools)",
            path.display()
        )
    })
}

/// Checks every page of the site in each of [`THEMES`].
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let axe = axe_script()?;
    // WebDriver's own limit for an asynchronous script, 30 s by default.
    let timeouts = TimeoutConfiguration::new(Some(AXE_LIMIT), None, None);
    browser
        .step(
            "setting the script timeout",
            browser.client().update_timeouts(timeouts),
        )
        .await?;
    let mut checked = 0;
    for theme in THEMES {
        crate::themes::remember(browser, site, theme).await?;
        // The print page is every chapter again, one after the other: each
        // is checked on its own page.
        for page in site.pages.iter().filter(|p| p.as_str() != "print.html") {
            browser.visit(&site.server.url(page)).await?;
            browser.show_labs().await?;
            browser.open_details().await?;
            browser.eval(&axe, vec![]).await?;
            let run = browser.client().execute_async(RUN_AXE, vec![json!(TAGS)]);
            let found = browser
                .step_within(&format!("axe on {page}"), AXE_LIMIT, run)
                .await?;
            if let Some(error) = found["error"].as_str() {
                return Err(format!("{page}: axe failed: {error}"));
            }
            report(problems, &format!("{page} ({theme})"), &found);
            checked += 1;
        }
    }
    eprintln!("a11y: {checked} page loads checked by axe");
    Ok(())
}

fn report(problems: &mut Problems, at: &str, violations: &Json) {
    for violation in violations.as_array().into_iter().flatten() {
        let id = violation["id"].as_str().unwrap_or("?");
        let help = violation["help"].as_str().unwrap_or_default();
        for node in violation["nodes"].as_array().into_iter().flatten() {
            problems.add(
                at,
                format!(
                    "{id} ({help}) at `{}`: {}",
                    node["target"].as_str().unwrap_or("?"),
                    node["summary"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('\n', " ")
                ),
            );
        }
    }
}

/// The page the keyboard walk starts on: a chapter with code, tables,
/// links and a version switch.
const KEYBOARD_PAGE: &str = "reader-side.html";

/// The most Tab presses one walk may take before it must have come round.
const MAX_TABS: usize = 600;

/// The focused element: `{key, kind, shown, again}`, where `key` names it
/// (tag, id, href, text), `kind` says what it is (`skip`, `toggle`,
/// `search`, `content` or `other`), `shown` whether a focus indicator is
/// drawn (an outline or a box shadow), and `again` whether the walk has
/// been there before (each element reached is marked).
const FOCUSED: &str = r#"
const el = document.activeElement;
if (!el || el === document.body) return null;
const again = el.dataset.tabWalk !== undefined;
el.dataset.tabWalk = '';
const style = getComputedStyle(el);
const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
const shadow = style.boxShadow && style.boxShadow !== 'none';
let kind = 'other';
if (el.classList.contains('skip-link')) kind = 'skip';
else if (el.id === 'mdbook-sidebar-toggle') kind = 'toggle';
else if (el.id === 'mdbook-search-toggle') kind = 'search';
else if (el.closest('main')) kind = 'content';
const key = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : '')
    + ` "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30)}"`;
return { key, kind, shown: outline || shadow, again };
"#;

/// From a fresh load, Tab reaches the skip link, the sidebar toggle, the
/// search and the chapter's content in that order, every element it
/// reaches shows where the focus is, and the skip link and the toggle work
/// from the keyboard.
pub(crate) async fn keyboard(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let url = site.server.url(KEYBOARD_PAGE);
    browser.visit(&url).await?;
    let mut order: Vec<String> = Vec::new();
    let mut reached = 0;
    for _ in 0..MAX_TABS {
        press(browser, Key::Tab).await?;
        let focused = browser.eval(FOCUSED, vec![]).await?;
        let Some(key) = focused["key"].as_str() else {
            continue;
        };
        if focused["again"] == Json::Bool(true) {
            break;
        }
        reached += 1;
        order.push(focused["kind"].as_str().unwrap_or("other").to_string());
        if focused["shown"] != Json::Bool(true) {
            problems.add(
                KEYBOARD_PAGE,
                format!("{key} has focus but shows no focus indicator"),
            );
        }
    }
    let position = |kind: &str| order.iter().position(|k| k == kind);
    let wanted = ["skip", "toggle", "search", "content"];
    let found: Vec<Option<usize>> = wanted.iter().map(|k| position(k)).collect();
    let in_order = found.iter().all(Option::is_some) && found.windows(2).all(|w| w[0] < w[1]);
    if !in_order || found[0] != Some(0) {
        problems.add(
            KEYBOARD_PAGE,
            format!("Tab reaches {wanted:?} at {found:?} (the skip link must come first)"),
        );
    }
    eprintln!("keyboard: {reached} elements reached with Tab on {KEYBOARD_PAGE}");

    // The skip link moves the focus into the content.
    browser.visit(&url).await?;
    press(browser, Key::Tab).await?;
    press(browser, Key::Enter).await?;
    let inside = browser
        .eval(
            "return document.activeElement.id === 'mdbook-content'",
            vec![],
        )
        .await?;
    if inside != Json::Bool(true) {
        problems.add(
            KEYBOARD_PAGE,
            "Enter on the skip link does not move the focus to the content",
        );
    }
    // The toggle hides and shows the sidebar from the keyboard.
    let toggle = browser.find("#mdbook-sidebar-toggle").await?;
    for expected in ["false", "true"] {
        browser
            .eval("arguments[0].focus()", vec![element(&toggle)?])
            .await?;
        press(browser, Key::Enter).await?;
        let state = browser
            .eval(
                "return document.getElementById('mdbook-sidebar-toggle').getAttribute('aria-expanded')",
                vec![],
            )
            .await?;
        if state.as_str() != Some(expected) {
            problems.add(
                KEYBOARD_PAGE,
                format!(
                    "Enter on the sidebar toggle left aria-expanded at {state}, not {expected}"
                ),
            );
        }
    }
    Ok(())
}

/// Presses `key` on whatever has the focus, as a keyboard does.
pub(crate) async fn press(browser: &Browser, key: Key) -> Result<(), String> {
    let actions = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    browser
        .step("pressing a key", browser.client().perform_actions(actions))
        .await
}

fn element(element: &fantoccini::elements::Element) -> Result<Json, String> {
    serde_json::to_value(element).map_err(|e| format!("passing an element to a script: {e}"))
}
