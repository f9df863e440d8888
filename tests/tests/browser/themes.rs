//! Diagrams follow mdBook's theme: each theme switch redraws them in the
//! matching mermaid theme, and their text stays readable on what is behind
//! it.

use std::fs;
use std::time::Duration;

use serde_json::{Value as Json, json};

use crate::browser::Browser;
use crate::pages::{report_diagrams, report_visit};
use crate::site::Site;
use crate::{Problems, toc};

/// mdBook's dark themes; the others (`light`, `rust`) are light.
const DARK: &[&str] = &["coal", "navy", "ayu"];

/// The themes a reader can pick, in the order they are tried; `light` comes
/// last so the browser ends where it started.
const THEMES: &[&str] = &["coal", "navy", "ayu", "rust", "light"];

/// The least contrast between a diagram's text and what is drawn behind it:
/// WCAG's 3:1 (large text, graphics). Text drawn for the wrong background
/// (mermaid's light theme on a dark page) falls far below; mermaid's own
/// dark theme puts its edge labels at 4.4:1, just under the 4.5:1 of body
/// text.
const MIN_CONTRAST: f64 = 3.0;

/// For every text of every diagram on the page: its colour, the colour
/// behind its centre (the shapes and boxes under it, blended, on the page's
/// background) and their contrast ratio. Returns `{checked, lowest, low}`:
/// how many texts, the lowest ratio, and the texts below `arguments[0]`.
const CONTRAST: &str = r#"
const minimum = arguments[0];
const parse = (text) => {
    const m = /rgba?\(([^)]*)\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
};
const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
});
const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
};
const show = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
let page = { r: 255, g: 255, b: 255, a: 1 };
for (const element of [document.documentElement, document.body]) {
    const c = parse(getComputedStyle(element).backgroundColor);
    if (c && c.a > 0) page = blend(c, page);
}
const shapes = ['rect', 'path', 'polygon', 'circle', 'ellipse', 'polyline'];
const behind = (owner, x, y) => {
    const layers = [];
    for (const element of document.elementsFromPoint(x, y)) {
        if (element !== owner && owner.contains(element)) continue;
        const style = getComputedStyle(element);
        let c = null;
        if (element instanceof SVGElement) {
            if (element !== owner && shapes.includes(element.tagName.toLowerCase())) {
                c = parse(style.fill);
                if (c) c.a *= parseFloat(style.fillOpacity || '1') * parseFloat(style.opacity || '1');
            }
        } else {
            c = parse(style.backgroundColor);
        }
        if (c && c.a > 0) {
            layers.push(c);
            if (c.a >= 0.999) break;
        }
    }
    let color = page;
    for (const layer of layers.reverse()) color = blend(layer, color);
    return color;
};
let checked = 0;
let lowest = null;
const low = [];
document.querySelectorAll('pre.mermaid').forEach((pre, index) => {
    const svg = pre.querySelector('svg');
    if (!svg) return;
    const owners = new Set();
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!node.textContent.trim() || !parent || parent.closest('style, title, desc')) continue;
        owners.add(parent);
    }
    for (const owner of owners) {
        let box = owner.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        owner.scrollIntoView({ block: 'center', inline: 'center' });
        box = owner.getBoundingClientRect();
        const style = getComputedStyle(owner);
        if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
        let color = parse(owner instanceof SVGElement ? style.fill : style.color);
        const back = behind(owner, box.left + box.width / 2, box.top + box.height / 2);
        const text = owner.textContent.trim().slice(0, 40);
        if (!color) {
            low.push({ diagram: index + 1, text, problem: `colour ${style.fill || style.color} not understood` });
            continue;
        }
        if (owner instanceof SVGElement) color.a *= parseFloat(style.fillOpacity || '1');
        color = blend(color, back);
        checked += 1;
        const r = ratio(color, back);
        if (lowest === null || r < lowest) lowest = r;
        if (r < minimum) {
            low.push({ diagram: index + 1, text, problem: `${show(color)} on ${show(back)}: contrast ${r.toFixed(2)}:1` });
        }
    }
});
window.scrollTo(0, 0);
return { checked, lowest, low };
"#;

/// The mermaid theme a diagram must be drawn in under mdBook's `theme`.
fn mermaid_theme(theme: &str) -> &'static str {
    if DARK.contains(&theme) {
        "dark"
    } else {
        "default"
    }
}

/// Picks `theme` in the page's theme menu, as a reader does, and waits until
/// the page has it and its `diagrams` diagrams are drawn again.
pub async fn choose(browser: &Browser, theme: &str, diagrams: usize) -> Result<(), String> {
    // The menu bar hides while scrolling down; at the top it shows.
    browser.eval("window.scrollTo(0, 0)", vec![]).await?;
    let toggle = browser.find("#mdbook-theme-toggle").await?;
    // mdBook leaves the menu open after a choice; the toggle opens and
    // closes it.
    let menu_open = "return document.getElementById('mdbook-theme-list').style.display === 'block'";
    if browser.eval(menu_open, vec![]).await? != Json::Bool(true) {
        browser
            .step("opening the theme menu", toggle.click())
            .await?;
    }
    let item = browser.find(&format!("#mdbook-theme-{theme}")).await?;
    browser
        .step(&format!("choosing theme {theme}"), item.click())
        .await?;
    if browser.eval(menu_open, vec![]).await? == Json::Bool(true) {
        browser
            .step("closing the theme menu", toggle.click())
            .await?;
    }
    browser
        .wait_until(
            &format!("switching to theme {theme}"),
            &format!(
                "return document.documentElement.classList.contains({})",
                json!(theme)
            ),
            Duration::from_secs(5),
        )
        .await?;
    if diagrams > 0 {
        browser
            .wait_until(
                &format!("redrawing the diagrams for theme {theme}"),
                &format!(
                    "return Array.from(document.querySelectorAll('pre.mermaid')).every(
                        p => p.dataset.mermaidTheme === {} || p.dataset.mermaidError !== undefined)",
                    json!(mermaid_theme(theme))
                ),
                Duration::from_secs(20),
            )
            .await?;
    }
    Ok(())
}

/// On every page with a diagram, tries every theme: the diagrams must be
/// redrawn in the matching mermaid theme with readable text. Screenshots of
/// each diagram in `light` and `coal` go to `diagrams/`.
pub async fn check(browser: &Browser, site: &Site, problems: &mut Problems) -> Result<(), String> {
    let origin = site.server.origin();
    let with_diagrams: Vec<&String> = site
        .pages
        .iter()
        // The print page repeats the chapters' diagrams; the pages test
        // checks that it draws them.
        .filter(|page| page.as_str() != "print.html")
        .filter(|page| {
            fs::read_to_string(site.dir.join(page))
                .is_ok_and(|html| html.contains("class=\"mermaid\""))
        })
        .collect();
    if with_diagrams.is_empty() {
        problems.add(
            "(every page)",
            "no page has a diagram, so theme switching cannot be checked",
        );
    }
    for page in with_diagrams {
        let visit = browser.visit(&site.server.url(page)).await?;
        report_visit(problems, page, &visit, &origin, None);
        let count = crate::pages::diagram_count(browser).await?;
        check_theme(browser, problems, page, "light", count).await?;
        for theme in THEMES {
            choose(browser, theme, count).await?;
            check_theme(browser, problems, page, theme, count).await?;
        }
        let visit = browser.collect().await?;
        report_visit(
            problems,
            &format!("{page} (switching themes)"),
            &visit,
            &origin,
            None,
        );
    }
    Ok(())
}

async fn check_theme(
    browser: &Browser,
    problems: &mut Problems,
    page: &str,
    theme: &str,
    count: usize,
) -> Result<(), String> {
    let at = format!("{page} (theme {theme})");
    report_diagrams(browser, problems, &at).await?;
    let drawn = browser
        .eval(
            "return Array.from(document.querySelectorAll('pre.mermaid')).map(p => p.dataset.mermaidTheme || null)",
            vec![],
        )
        .await?;
    let expected = mermaid_theme(theme);
    for (index, drawn) in drawn.as_array().into_iter().flatten().enumerate() {
        if drawn.as_str().is_some_and(|t| t != expected) {
            problems.add(
                &at,
                format!(
                    "diagram {} is drawn in mermaid theme {drawn}, not {expected}",
                    index + 1
                ),
            );
        }
    }
    let contrast = browser.eval(CONTRAST, vec![json!(MIN_CONTRAST)]).await?;
    eprintln!(
        "themes: {at}: {} diagram texts, lowest contrast {:.2}:1",
        contrast["checked"],
        contrast["lowest"].as_f64().unwrap_or(f64::NAN)
    );
    if count > 0 && contrast["checked"].as_u64() == Some(0) {
        problems.add(&at, "no diagram text found to check the contrast of");
    }
    for low in contrast["low"].as_array().into_iter().flatten() {
        problems.add(
            &at,
            format!(
                "diagram {}: text {:?} is hard to read: {} (at least {MIN_CONTRAST}:1 needed)",
                low["diagram"],
                low["text"].as_str().unwrap_or_default(),
                low["problem"].as_str().unwrap_or_default(),
            ),
        );
    }
    if theme == "light" || theme == "coal" {
        let diagrams = browser
            .step(
                "finding the diagrams",
                browser
                    .client()
                    .find_all(fantoccini::Locator::Css("pre.mermaid")),
            )
            .await?;
        for (index, diagram) in diagrams.iter().enumerate() {
            let name = format!(
                "diagrams/{}-{}.{theme}.png",
                toc::artifact_name(page),
                index + 1
            );
            browser.element_screenshot(diagram, &name).await?;
        }
    }
    Ok(())
}
