// Link previews: hovering or focusing a link between chapters shows the
// target's heading and first paragraph. mdbook-vault writes them into each
// chapter at build time (`<script type="application/json"
// class="wiki-previews">`, keyed by the link's URL), so nothing is fetched
// here. The popover is a tooltip: the link names it with
// aria-describedby while it shows, and Escape dismisses it.
(() => {
    'use strict';

    const blocks = document.querySelectorAll('script.wiki-previews');
    if (blocks.length === 0) {
        return;
    }
    // By absolute URL; the keys are the chapters' `.md` links, which mdBook
    // writes as `.html`.
    const previews = new Map();
    for (const block of blocks) {
        let entries = {};
        try {
            entries = JSON.parse(block.textContent);
        } catch (error) {
            console.error(`link previews: ${error.message}`);
        }
        for (const [url, preview] of Object.entries(entries)) {
            const html = url.replace(/\.md(#|$)/, '.html$1');
            previews.set(new URL(html, location.href).href, preview);
        }
    }

    const popover = document.createElement('div');
    popover.id = 'wiki-preview';
    popover.className = 'wiki-preview';
    popover.setAttribute('role', 'tooltip');
    popover.hidden = true;
    const title = document.createElement('p');
    title.className = 'wiki-preview-title';
    const text = document.createElement('p');
    text.className = 'wiki-preview-text';
    popover.append(title, text);
    document.body.appendChild(popover);

    let owner = null;
    function show(link, preview) {
        title.textContent = preview.title;
        text.textContent = preview.text;
        text.hidden = preview.text === '';
        popover.hidden = false;
        const box = link.getBoundingClientRect();
        const width = Math.min(360, document.documentElement.clientWidth - 16);
        popover.style.width = `${width}px`;
        const left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
        popover.style.left = `${Math.max(8, left) + window.scrollX}px`;
        const below = box.bottom + 6;
        const fitsBelow = below + popover.offsetHeight < window.innerHeight;
        const top = fitsBelow ? below : box.top - popover.offsetHeight - 6;
        popover.style.top = `${Math.max(8, top) + window.scrollY}px`;
        link.setAttribute('aria-describedby', popover.id);
        owner = link;
    }
    function hide() {
        popover.hidden = true;
        if (owner) {
            owner.removeAttribute('aria-describedby');
            owner = null;
        }
    }

    for (const link of document.querySelectorAll('main a[href]')) {
        const preview = previews.get(link.href);
        if (!preview) continue;
        link.addEventListener('mouseenter', () => show(link, preview));
        link.addEventListener('focus', () => show(link, preview));
        link.addEventListener('mouseleave', hide);
        link.addEventListener('blur', hide);
    }
    document.addEventListener('keydown', (event) => {
        if (event.key === 'Escape' && !popover.hidden) hide();
    });
})();
