// The Zig version switch.
//
// Each Zig program of the book is a *group*: the 0.15.1 program (```zig),
// its output (```text right after it), and, where a later release needs
// them, ports (```zig,zig-0.16.0,zig-0.17.1, each with its own output) and
// output variants (```text,zig-0.17.1 after an output: what that release
// prints). mdBook renders the version tags as classes on the <code>. The
// book's Zig test runs every group on every pinned release with the same
// rules (tests/tests/zig/snippets.rs), so what this script shows for a
// release is what that release was checked to build and print.
//
// The reader picks a release once, with the radio group before any group
// that differs between releases; every group and every citation element
// (`data-zig-version`, written by mdbook-vault) on every page then shows
// that release, and the choice is kept in localStorage. Until the script
// runs, site.css hides what 0.15.1 readers do not need, so the page
// does not shift; without JavaScript every variant stays visible.
(() => {
    'use strict';

    const VERSIONS = ['0.15.1', '0.16.0', '0.17.1'];
    const BASELINE = VERSIONS[0];
    const KEY = 'zig-version';

    const stored = (() => {
        try {
            return localStorage.getItem(KEY);
        } catch (_) {
            return null;
        }
    })();
    let selected = VERSIONS.includes(stored) ? stored : BASELINE;

    // The later releases a block is tagged with (`zig-0.16.0` gives 0.16.0).
    const tagsOf = (code) =>
        Array.from(code.classList)
            .filter((c) => c.startsWith('zig-'))
            .map((c) => c.slice(4))
            .filter((v) => VERSIONS.includes(v));

    // A program: its <pre>, the releases it is a port for (none for the
    // baseline), its output and its output variants.
    const program = (pre, versions) => ({ pre, versions, output: null, variants: [], last: pre });

    function readGroups() {
        const groups = [];
        let current = null;
        // The buffer lab writes Zig programs of its own (for 0.15.1, checked
        // by its own test); they are not the book's groups.
        const blocks = document.querySelectorAll(
            ':not(.lab-program) > pre > code.language-zig, :not(.lab-program) > pre > code.language-text',
        );
        for (const code of blocks) {
            const pre = code.parentElement;
            const tags = tagsOf(code);
            if (code.classList.contains('language-zig')) {
                current = program(pre, tags);
                if (tags.length === 0) {
                    groups.push({ programs: [current] });
                } else if (groups.length > 0) {
                    groups[groups.length - 1].programs.push(current);
                }
                continue;
            }
            // Outputs count only directly after the block before them.
            if (!current || current.last.nextElementSibling !== pre) {
                continue;
            }
            if (tags.length === 0 && !current.output) {
                current.output = pre;
            } else if (tags.length > 0 && current.output) {
                current.variants.push({ pre, versions: tags });
            } else {
                continue;
            }
            current.last = pre;
        }
        return groups;
    }

    // The program and output a release shows in a group.
    function effective(group, version) {
        const prog = group.programs.find((p) => p.versions.includes(version)) || group.programs[0];
        const variant = prog.variants.find((v) => v.versions.includes(version));
        return { prog: prog.pre, out: variant ? variant.pre : prog.output };
    }

    const blocksOf = (group) =>
        group.programs.flatMap((p) => [p.pre, p.output, ...p.variants.map((v) => v.pre)]).filter(Boolean);

    const list = (versions) =>
        versions.length > 1
            ? `${versions.slice(0, -1).join(', ')} and ${versions[versions.length - 1]}`
            : versions.join('');

    function label(pre, text) {
        const p = document.createElement('p');
        p.className = 'zig-version-label';
        p.textContent = text;
        pre.before(p);
        return p;
    }

    function versionSwitch(index) {
        const fieldset = document.createElement('fieldset');
        fieldset.className = 'zig-version-switch';
        const legend = document.createElement('legend');
        legend.textContent = 'Zig version';
        fieldset.appendChild(legend);
        for (const version of VERSIONS) {
            const labelElement = document.createElement('label');
            const input = document.createElement('input');
            input.type = 'radio';
            input.name = `zig-version-${index}`;
            input.value = version;
            input.addEventListener('change', () => select(version));
            labelElement.append(input, ` ${version}`);
            fieldset.appendChild(labelElement);
        }
        return fieldset;
    }

    // Each block of a group that differs between releases gets a label that
    // names the releases it is for, and the group gets a switch.
    const groups = readGroups();
    const differing = [];
    for (const group of groups) {
        const blocks = blocksOf(group);
        if (group.programs.length === 1 && group.programs[0].variants.length === 0) {
            label(group.programs[0].pre, `The same program and output on Zig ${list(VERSIONS)}`);
            continue;
        }
        const shownFor = new Map(blocks.map((pre) => [pre, []]));
        for (const version of VERSIONS) {
            const { prog, out } = effective(group, version);
            for (const pre of [prog, out].filter(Boolean)) shownFor.get(pre).push(version);
        }
        const programs = new Set(group.programs.map((p) => p.pre));
        const labels = new Map();
        for (const pre of blocks) {
            const kind = programs.has(pre) ? 'Program' : 'Output';
            labels.set(pre, label(pre, `${kind} for Zig ${list(shownFor.get(pre))}`));
        }
        labels.get(group.programs[0].pre).before(versionSwitch(differing.length));
        differing.push({ group, blocks, labels });
    }

    // The menu bar carries the switch too, on every page with something to
    // switch, so that a page of citations alone can change the release.
    function menuSwitch() {
        const menu = document.createElement('select');
        menu.className = 'zig-version-menu';
        menu.setAttribute('aria-label', 'Zig version');
        menu.title = 'Zig version of the programs and citations';
        for (const version of VERSIONS) {
            const option = document.createElement('option');
            option.value = version;
            option.textContent = `Zig ${version}`;
            menu.appendChild(option);
        }
        menu.addEventListener('change', () => select(menu.value));
        return menu;
    }
    const buttons = document.querySelector('#mdbook-menu-bar .right-buttons');
    if (buttons && (groups.length > 0 || document.querySelector('[data-zig-version]'))) {
        buttons.prepend(menuSwitch());
    }

    function apply() {
        for (const { group, blocks, labels } of differing) {
            const { prog, out } = effective(group, selected);
            for (const pre of blocks) {
                const visible = pre === prog || pre === out;
                pre.hidden = !visible;
                labels.get(pre).hidden = !visible;
            }
        }
        for (const element of document.querySelectorAll('[data-zig-version]')) {
            element.hidden = element.dataset.zigVersion !== selected;
        }
        for (const input of document.querySelectorAll('.zig-version-switch input')) {
            input.checked = input.value === selected;
        }
        for (const menu of document.querySelectorAll('select.zig-version-menu')) {
            menu.value = selected;
        }
        document.documentElement.dataset.zigSelected = selected;
    }

    function select(version) {
        selected = version;
        try {
            localStorage.setItem(KEY, version);
        } catch (_) {
            // Storage refused (private mode): the choice lasts for this page.
        }
        apply();
    }

    apply();
})();
