//! Diagrams follow mdBook's theme: each theme switch redraws them in the
//! matching mermaid theme, and their text stays readable: contrasted with
//! what is behind it, and not shrunk below a legible size.

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

/// The least contrast between a diagram's text or lines and what is drawn
/// behind them: WCAG's 3:1 (large text, graphics). A drawing made for the
/// other background (mermaid's light theme on a dark page: dark edges on
/// dark grey) falls far below; mermaid's own dark theme puts its edge
/// labels at 4.4:1, just under the 4.5:1 of body text.
const MIN_CONTRAST: f64 = 3.0;

/// The smallest a diagram's text may be drawn, in CSS pixels (its font size
/// times the drawing's scale): mermaid's own size is 14 to 16 px, and a
/// drawing shrunk to fit the column can fall far below.
const MIN_TEXT_PX: f64 = 10.0;

/// For every text of every diagram on the page: its colour, the colour
/// behind its centre (the shapes and boxes under it, blended, on the page's
/// background), their contrast ratio, and the size it is drawn at (font size
/// times the drawing's scale); for every connector line (edges, messages):
/// its contrast with the background of the drawing. Returns `{checked,
/// lowest, smallest, lines, lowestLine, low}`: counts, lowest ratios, the
/// smallest text, and what falls below `arguments[0]` (ratio) or
/// `arguments[1]` (pixels).
const READABILITY: &str = r#"
const [minimum, minimumPx] = arguments;
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
let smallest = null;
let lines = 0;
let lowestLine = null;
const low = [];
document.querySelectorAll('pre.mermaid').forEach((pre, index) => {
    const svg = pre.querySelector('svg');
    if (!svg) return;
    const natural = svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
    const scale = natural > 0 ? svg.getBoundingClientRect().width / natural : 1;
    const owners = new Set();
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!node.textContent.trim() || !parent || parent.closest('style, title, desc')) continue;
        owners.add(parent);
    }
    // Connectors (mermaid's classes for the edges of flowcharts, state,
    // class and ER diagrams and the messages of sequence diagrams) against
    // what is behind the drawing: the backgrounds of its enclosing boxes.
    // Node borders and lifelines are left out: mermaid draws them faint on
    // purpose, next to a filled shape or as a guide.
    let ground = page;
    const enclosing = [];
    for (let node = svg.parentElement; node; node = node.parentElement) enclosing.push(node);
    for (const node of enclosing.reverse()) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c && c.a > 0) ground = blend(c, ground);
    }
    const connectors = '.flowchart-link, .transition, .messageLine0, .messageLine1, .relation, '
        + '.relationshipLine, [class*="edge-pattern"]';
    for (const line of svg.querySelectorAll(connectors)) {
        const style = getComputedStyle(line);
        const box = line.getBoundingClientRect();
        if (style.fill !== 'none' || style.visibility === 'hidden' || (box.width < 1 && box.height < 1)) continue;
        const color = parse(style.stroke);
        if (!color || parseFloat(style.strokeWidth) === 0) continue;
        color.a *= parseFloat(style.strokeOpacity || '1') * parseFloat(style.opacity || '1');
        if (color.a === 0) continue;
        const r = ratio(blend(color, ground), ground);
        lines += 1;
        if (lowestLine === null || r < lowestLine) lowestLine = r;
        if (r < minimum) {
            const name = line.tagName.toLowerCase() + (line.id ? '#' + line.id : '')
                + (line.getAttribute('class') ? '.' + line.getAttribute('class').trim().split(/\s+/).join('.') : '');
            low.push({ diagram: index + 1, text: '<' + name + '>', problem: `line ${show(blend(color, ground))} on ${show(ground)}: contrast ${r.toFixed(2)}:1, at least ${minimum}:1 needed` });
        }
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
            low.push({ diagram: index + 1, text, problem: `${show(color)} on ${show(back)}: contrast ${r.toFixed(2)}:1, at least ${minimum}:1 needed` });
        }
        const px = parseFloat(style.fontSize) * scale;
        if (smallest === null || px < smallest) smallest = px;
        if (px < minimumPx) {
            low.push({ diagram: index + 1, text, problem: `drawn ${px.toFixed(1)} px high (its ${style.fontSize} font scaled by ${scale.toFixed(2)}), at least ${minimumPx} px needed` });
        }
    }
});
window.scrollTo(0, 0);
return { checked, lowest, smallest, lines, lowestLine, low };
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
pub(crate) async fn choose(
    browser: &Browser, theme: &str, diagrams: usize, problems: &mut Problems, page: &str,
) -> Result<(), String> {
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
        let expected = mermaid_theme(theme);
        let redrawn = browser
            .wait_until(
                &format!("redrawing the diagrams for theme {theme}"),
                &format!(
                    "return Array.from(document.querySelectorAll('pre.mermaid')).every(
                        p => p.dataset.mermaidTheme === {} || p.dataset.mermaidError !== undefined)",
                    json!(expected)
                ),
                Duration::from_secs(10),
            )
            .await;
        if redrawn.is_err() {
            let drawn = browser
                .eval(
                    "return Array.from(document.querySelectorAll('pre.mermaid'))
                        .map(p => p.dataset.mermaidTheme || '(none)')",
                    vec![],
                )
                .await?;
            problems.add(
                page,
                format!(
                    "after choosing theme {theme}, the diagrams were not drawn again in mermaid \
                     theme {expected} within 10 s; they are in {drawn}"
                ),
            );
        }
    }
    Ok(())
}

/// On every page with a diagram, tries every theme: the diagrams must be
/// redrawn in the matching mermaid theme with readable text. Screenshots of
/// each diagram in `light` and `coal` go to `diagrams/`.
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
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
            choose(browser, theme, count, problems, page).await?;
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
    browser: &Browser, problems: &mut Problems, page: &str, theme: &str, count: usize,
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
    let found = browser
        .eval(READABILITY, vec![json!(MIN_CONTRAST), json!(MIN_TEXT_PX)])
        .await?;
    eprintln!(
        "themes: {at}: {} texts, lowest contrast {:.2}:1, smallest {:.1} px; {} lines, lowest contrast {:.2}:1",
        found["checked"],
        found["lowest"].as_f64().unwrap_or(f64::NAN),
        found["smallest"].as_f64().unwrap_or(f64::NAN),
        found["lines"],
        found["lowestLine"].as_f64().unwrap_or(f64::NAN),
    );
    if count > 0 && found["checked"].as_u64() == Some(0) {
        problems.add(&at, "no diagram text found to check");
    }
    for low in found["low"].as_array().into_iter().flatten() {
        problems.add(
            &at,
            format!(
                "diagram {}: {} is hard to read: {}",
                low["diagram"],
                low["text"],
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

/// Makes `theme` the reader's theme for the pages loaded next: mdBook keeps
/// it in localStorage and applies it as each page loads.
pub(crate) async fn remember(browser: &Browser, site: &Site, theme: &str) -> Result<(), String> {
    browser.visit(&site.server.url("")).await?;
    browser
        .eval(
            "localStorage.setItem('mdbook-theme', arguments[0]);",
            vec![json!(theme)],
        )
        .await
        .map(|_| ())
}
