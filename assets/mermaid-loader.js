// Shows the book's ```mermaid diagrams in the theme of the page.
//
// The built site has them drawn already: crates/mdbook-diagrams draws each
// one at build time in mermaid's `default` and `dark` themes and puts both
// in the page (`<pre class="mermaid" data-mermaid-drawn="default">`, the
// other drawing in a `<template>`). For those this script only swaps the two
// when the reader changes mdBook's theme, and never loads mermaid.
//
// A diagram left undrawn (a build without Chromium or mermaid.min.js) is
// drawn here, loading mermaid (about 2.7 MB) on that page only. book.toml
// lists this file in place of mdbook-mermaid's `mermaid.min.js` and
// `mermaid-init.js`, which every page would otherwise download.
// mermaid.min.js reaches the site as `book/mermaid.min.js`, which
// `cargo xtask setup` writes (it is not committed): mdBook copies it to the
// site root like any file of the book's sources, without a <script> tag.
// Without it the diagrams stay as their source text, each marked with
// `data-mermaid-error`.
//
// Diagrams are shown in mermaid's `dark` theme under mdBook's dark themes
// and in `default` otherwise.
// mermaid shrinks a drawing to the width of the text column, which makes the
// labels of a wide one (a long left-to-right flowchart) too small to read:
// on screen such a drawing keeps its own size and its block scrolls sideways
// (in print it still shrinks to the page).
// Each <pre class="mermaid"> then carries `data-mermaid-theme` (the theme it
// is shown in) or `data-mermaid-error` (why it could not be drawn); the
// browser tests (tests/tests/browser) wait on these.
(() => {
    'use strict';

    const diagrams = Array.from(document.querySelectorAll('pre.mermaid'));
    if (diagrams.length === 0) {
        return;
    }

    // mdBook's dark themes; `light`, `rust` and anything new count as light.
    const darkThemes = ['ayu', 'navy', 'coal'];
    const html = document.documentElement;
    const mermaidTheme = () =>
        darkThemes.some((theme) => html.classList.contains(theme)) ? 'dark' : 'default';

    const style = document.createElement('style');
    style.textContent = `@media screen {
        pre.mermaid.mermaid-wide { overflow-x: auto; }
        pre.mermaid.mermaid-wide > svg { width: var(--mermaid-natural-width); }
    }`;
    document.head.appendChild(style);

    // Marks `pre` as wide when its drawing is wider than the block.
    function fit(pre) {
        const svg = pre.querySelector('svg');
        const natural = svg && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
        const padding = getComputedStyle(pre);
        const room = pre.clientWidth - parseFloat(padding.paddingLeft) - parseFloat(padding.paddingRight);
        pre.classList.toggle('mermaid-wide', natural > room);
        pre.style.setProperty('--mermaid-natural-width', `${natural}px`);
    }

    // Drawn at build time: the drawing for `theme` goes into the <pre>, the
    // one it replaces into the template.
    function swap(pre, theme) {
        const template = pre.querySelector(':scope > template');
        if (pre.dataset.mermaidDrawn !== theme && template && template.dataset.mermaidTheme === theme) {
            const shown = pre.querySelector(':scope > svg');
            const other = template.content.querySelector('svg');
            template.content.replaceChildren(shown);
            template.dataset.mermaidTheme = pre.dataset.mermaidDrawn;
            pre.prepend(other);
            pre.dataset.mermaidDrawn = theme;
        }
        if (pre.dataset.mermaidDrawn === theme) {
            fit(pre);
            pre.dataset.mermaidTheme = theme;
        }
    }
    const drawn = diagrams.filter((pre) => pre.dataset.mermaidDrawn !== undefined);
    const undrawn = diagrams.filter((pre) => pre.dataset.mermaidDrawn === undefined);
    const showDrawn = () => drawn.forEach((pre) => swap(pre, mermaidTheme()));
    showDrawn();
    new MutationObserver(showDrawn).observe(html, { attributes: true, attributeFilter: ['class'] });
    if (undrawn.length === 0) {
        return;
    }

    // mermaid replaces each block's text with its drawing: keep the sources
    // to draw them again in another theme.
    const sources = undrawn.map((pre) => pre.textContent);

    let drawnIn = null;
    async function draw() {
        const theme = mermaidTheme();
        if (theme === drawnIn) {
            return;
        }
        drawnIn = theme;
        // As crates/mdbook-diagrams draws them: edge labels at 4.5:1.
        const themeVariables = theme === 'dark' ? { edgeLabelBackground: '#404040' } : {};
        mermaid.initialize({ startOnLoad: false, theme, themeVariables });
        for (const [index, pre] of undrawn.entries()) {
            pre.removeAttribute('data-processed');
            delete pre.dataset.mermaidTheme;
            delete pre.dataset.mermaidError;
            pre.textContent = sources[index];
            try {
                await mermaid.run({ nodes: [pre] });
                fit(pre);
                pre.dataset.mermaidTheme = theme;
            } catch (error) {
                const message = (error && error.message) || String(error);
                pre.dataset.mermaidError = message;
                console.error(`mermaid: diagram ${index + 1} of this page could not be drawn: ${message}`);
            }
        }
    }

    // One drawing at a time; a theme switch during a drawing is picked up by
    // the next one.
    let queue = Promise.resolve();
    const redraw = () => {
        queue = queue.then(draw);
    };

    const script = document.createElement('script');
    // `path_to_root` is mdBook's own global: "" or "../" up to the site root.
    script.src = path_to_root + 'mermaid.min.js';
    script.onload = () => {
        redraw();
        new MutationObserver(redraw).observe(html, { attributes: true, attributeFilter: ['class'] });
    };
    script.onerror = () => {
        for (const pre of undrawn) {
            pre.dataset.mermaidError = `could not load ${script.src}`;
        }
        console.error(`mermaid: could not load ${script.src}`);
    };
    document.head.appendChild(script);
})();
