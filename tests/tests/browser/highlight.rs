//! Zig blocks are highlighted (assets/zig-highlight.js): in every Zig
//! program of every chapter, keywords, strings, builtins and comments are
//! marked, and drawn in another colour than the plain code, in a light and
//! a dark theme.

use serde_json::Value as Json;

use crate::browser::Browser;
use crate::site::Site;
use crate::{Problems, toc};

/// The themes tried: mdBook's default light one and a dark one.
const THEMES: &[&str] = &["coal", "light"];

/// For every Zig block of the page: what it holds (`@builtin`s, string
/// quotes, `//`) and what is marked (`hljs-*` classes), and whether the
/// first keyword, string, builtin and comment are coloured differently from
/// the block's plain text.
const MARKS: &str = r#"
const kinds = { keyword: 'hljs-keyword', string: 'hljs-string', builtin: 'hljs-built_in', comment: 'hljs-comment' };
return Array.from(document.querySelectorAll('pre > code.language-zig')).map((code) => {
    const text = code.textContent;
    const plain = getComputedStyle(code).color;
    const holds = {
        keyword: /\b(const|var|fn|pub|return|try)\b/.test(text),
        string: /"/.test(text),
        builtin: /@[A-Za-z]/.test(text),
        comment: /\/\//.test(text),
    };
    const found = {};
    for (const [kind, cls] of Object.entries(kinds)) {
        const el = code.querySelector('.' + cls);
        found[kind] = el ? (getComputedStyle(el).color !== plain ? 'coloured' : 'plain') : 'missing';
    }
    return { line: text.split('\n')[0].slice(0, 40), holds, found };
});
"#;

/// Checks every Zig block of every chapter in each of [`THEMES`].
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    let chapters = toc::chapters(browser, site).await?;
    let mut blocks = 0;
    for theme in THEMES {
        crate::themes::remember(browser, site, theme).await?;
        for page in &chapters {
            browser.visit(&site.server.url(page)).await?;
            let marks = browser.eval(MARKS, vec![]).await?;
            for (index, block) in marks.as_array().into_iter().flatten().enumerate() {
                blocks += 1;
                report(problems, page, theme, index, block);
            }
        }
    }
    if blocks == 0 {
        problems.add("(every chapter)", "no Zig block was found");
    }
    eprintln!(
        "highlight: {} Zig blocks in {} themes",
        blocks / THEMES.len(),
        THEMES.len()
    );
    Ok(())
}

fn report(problems: &mut Problems, page: &str, theme: &str, index: usize, block: &Json) {
    for kind in ["keyword", "string", "builtin", "comment"] {
        if block["holds"][kind] != Json::Bool(true) {
            continue;
        }
        let found = block["found"][kind].as_str().unwrap_or("missing");
        if found != "coloured" {
            problems.add(
                page,
                format!(
                    "Zig block {} (`{}`) in {theme}: its {kind}s are {found}",
                    index + 1,
                    block["line"].as_str().unwrap_or_default()
                ),
            );
        }
    }
}
