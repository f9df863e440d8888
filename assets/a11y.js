// Accessibility fixes to mdBook 0.5.4's page, checked by axe-core in the
// browser tests (tests/tests/browser/a11y.rs):
//
// - a skip link, the first thing Tab reaches, to the chapter's text;
// - the sidebar toggle, a <label> for a hidden checkbox, becomes a button
//   the keyboard reaches and works, whose aria-label and aria-expanded are
//   allowed;
// - the menu bar is the page's banner landmark, so no content lies outside
//   a landmark;
// - a code block, diagram or table that scrolls sideways can be focused,
//   so that a keyboard can scroll it.
(() => {
    'use strict';

    const content = document.getElementById('mdbook-content');
    if (content) {
        const skip = document.createElement('a');
        skip.className = 'skip-link';
        skip.href = '#mdbook-content';
        skip.textContent = 'Skip to content';
        skip.addEventListener('click', (event) => {
            event.preventDefault();
            content.setAttribute('tabindex', '-1');
            content.focus();
        });
        document.body.prepend(skip);
    }

    // mdBook's sidebar toggle is a <label> for a hidden checkbox: no role
    // a screen reader can use, and no keyboard focus. A <button> takes its
    // place and works the checkbox as the label did (book.js listens to the
    // checkbox); it keeps the label's id, classes, title and icon.
    const label = document.getElementById('mdbook-sidebar-toggle');
    const checkbox = document.getElementById('mdbook-sidebar-toggle-anchor');
    const sidebar = document.getElementById('mdbook-sidebar');
    if (label && checkbox && sidebar) {
        const button = document.createElement('button');
        button.type = 'button';
        for (const name of ['id', 'class', 'title', 'aria-label', 'aria-controls']) {
            const value = label.getAttribute(name);
            if (value !== null) button.setAttribute(name, value);
        }
        button.append(...label.childNodes);
        const expanded = () => button.setAttribute('aria-expanded', String(checkbox.checked));
        button.addEventListener('click', () => {
            // As book.js does on a click of the label: the sidebar must be
            // displayed before it slides in.
            if (!checkbox.checked) {
                sidebar.style.display = '';
                void sidebar.offsetHeight;
            }
            checkbox.checked = !checkbox.checked;
            checkbox.dispatchEvent(new Event('change'));
        });
        checkbox.addEventListener('change', expanded);
        expanded();
        label.replaceWith(button);
    }

    const menuBar = document.getElementById('mdbook-menu-bar');
    if (menuBar) {
        menuBar.setAttribute('role', 'banner');
    }

    function markScrollable() {
        for (const element of document.querySelectorAll('pre > code, pre.mermaid, .table-wrapper')) {
            const scrolls = element.scrollWidth > element.clientWidth;
            if (scrolls && !element.hasAttribute('tabindex')) {
                element.setAttribute('tabindex', '0');
            } else if (!scrolls && element.getAttribute('tabindex') === '0') {
                element.removeAttribute('tabindex');
            }
        }
    }
    markScrollable();
    // Diagrams are fitted to the column by the mermaid loader, which runs
    // after this script.
    window.addEventListener('load', markScrollable);
    let pending = 0;
    const soon = () => {
        clearTimeout(pending);
        pending = setTimeout(markScrollable, 200);
    };
    window.addEventListener('resize', soon);
    // A <details> shows its blocks only once opened.
    document.addEventListener('toggle', markScrollable, true);
})();
