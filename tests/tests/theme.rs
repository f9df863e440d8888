//! The book's copies of mdBook 0.5.4's theme files (`theme/`) are mdBook's
//! own files with the changes listed here and nothing else, so that they
//! cannot drift from the mdBook the book is built with, and every change
//! has its reason next to it (each is also commented in the file itself).
//!
//! mdBook's files come from mdBook: `mdbook init --theme` writes them into a
//! scratch book. A copy that differs from "mdBook's file with these changes
//! applied" fails with a diff; so does a change whose original text is no
//! longer in mdBook's file (after an upgrade of mdBook, say).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use book_tests::repo_root;

/// One change to one of mdBook's theme files: its text in mdBook's file,
/// and what the book's copy has instead.
struct Change {
    why: &'static str,
    mdbook: &'static str,
    ours: &'static str,
}

/// The book's copies, each with its changes.
const COPIES: &[(&str, &[Change])] = &[
    (
        "book.js",
        &[
            Change {
                why: "an unload handler is deprecated and keeps pages out of the back/forward cache",
                mdbook: "// Fix back button cache problem\nwindow.onunload = function() { };\n",
                ours: "// This book: mdBook 0.5.4's book.js with the changes marked \"This book:\";\n\
                   // this comment is in place of its empty `window.onunload` handler (\"Fix back button cache problem\").\n\
                   // An unload handler is deprecated, keeps the page out of the browser's\n\
                   // back/forward cache, and costs the page Lighthouse's best-practices audit\n\
                   // `deprecations`; the page needs nothing done on unload.\n\
                   // tests/tests/theme.rs checks that the rest is mdBook's file.\n",
            },
            Change {
                why: "highlighting runs in short slices, so it does not block the page",
                mdbook: "    } else {\n        \
                         code_nodes.forEach(function(block) {\n            \
                         hljs.highlightBlock(block);\n        \
                         });\n    \
                         }\n",
                ours: "    } else {\n        \
                       highlightInSlices(code_nodes);\n    \
                       }\n",
            },
            Change {
                why: "the function that highlights in slices, before the configuration",
                mdbook: "    // Syntax highlighting Configuration\n",
                ours: HIGHLIGHT_IN_SLICES,
            },
        ],
    ),
    (
        "index.hbs",
        &[
            Change {
                why: "no web fonts: the text neither waits for them nor moves when they come",
                mdbook: "        <!-- Fonts -->\n        \
                         <link rel=\"stylesheet\" href=\"{{ resource \"fonts/fonts.css\" }}\">\n",
                ours: "        <!-- This book: no web fonts. mdBook's Open Sans and Source Code Pro\n             \
                       (five files, 230 KB, on most pages) made the text wait for them\n             \
                       or move when they came; the reader's own sans-serif and\n             \
                       monospace fonts draw at once. theme/fonts/fonts.css is empty, so\n             \
                       mdBook copies none of its fonts. -->\n",
            },
            Change {
                why: "the dark themes' highlight colours do not block the first drawing",
                mdbook: "        <link rel=\"stylesheet\" id=\"mdbook-tomorrow-night-css\" \
                         href=\"{{ resource \"tomorrow-night.css\" }}\">\n        \
                         <link rel=\"stylesheet\" id=\"mdbook-ayu-highlight-css\" \
                         href=\"{{ resource \"ayu-highlight.css\" }}\">\n",
                ours: "        <!-- This book: the dark themes' highlight.js colours start disabled,\n             \
                       so that the page does not wait for them: book.js enables the one\n             \
                       its theme needs (a disabled stylesheet loads when enabled). -->\n        \
                       <link rel=\"stylesheet\" id=\"mdbook-tomorrow-night-css\" \
                       href=\"{{ resource \"tomorrow-night.css\" }}\" disabled>\n        \
                       <link rel=\"stylesheet\" id=\"mdbook-ayu-highlight-css\" \
                       href=\"{{ resource \"ayu-highlight.css\" }}\" disabled>\n",
            },
            Change {
                why: "the scripts at the end of the page are deferred",
                mdbook: "        {{#if search_js}}\n        \
                         <script src=\"{{ resource \"elasticlunr.min.js\" }}\"></script>\n        \
                         <script src=\"{{ resource \"mark.min.js\" }}\"></script>\n        \
                         <script src=\"{{ resource \"searcher.js\" }}\"></script>\n        \
                         {{/if}}\n\n        \
                         <script src=\"{{ resource \"clipboard.min.js\" }}\"></script>\n        \
                         <script src=\"{{ resource \"highlight.js\" }}\"></script>\n        \
                         <script src=\"{{ resource \"book.js\" }}\"></script>\n\n        \
                         <!-- Custom JS scripts -->\n        \
                         {{#each additional_js}}\n        \
                         <script src=\"{{ resource this}}\"></script>\n",
                ours: "        <!-- This book: these scripts are deferred. They still run in this\n             \
                       order, once the page is parsed and before DOMContentLoaded, but\n             \
                       the browser need not fetch them before it first draws the page\n             \
                       (a page's first drawing waited for all of them on a slow\n             \
                       network). None of the inline scripts above uses them. -->\n        \
                       {{#if search_js}}\n        \
                       <script defer src=\"{{ resource \"elasticlunr.min.js\" }}\"></script>\n        \
                       <script defer src=\"{{ resource \"mark.min.js\" }}\"></script>\n        \
                       <script defer src=\"{{ resource \"searcher.js\" }}\"></script>\n        \
                       {{/if}}\n\n        \
                       <script defer src=\"{{ resource \"clipboard.min.js\" }}\"></script>\n        \
                       <script defer src=\"{{ resource \"highlight.js\" }}\"></script>\n        \
                       <script defer src=\"{{ resource \"book.js\" }}\"></script>\n\n        \
                       <!-- Custom JS scripts -->\n        \
                       {{#each additional_js}}\n        \
                       <script defer src=\"{{ resource this}}\"></script>\n",
            },
        ],
    ),
];

/// book.js's function that highlights code blocks a slice at a time.
const HIGHLIGHT_IN_SLICES: &str =
    "    // This book: the blocks are highlighted a slice at a time, with the
    // browser free in between, instead of all in one task, which took a
    // code-heavy page's main thread for half a second on Lighthouse's
    // simulated phone (whose CPU is four times slower than the one that
    // ran it, so a slice is kept to 8 ms here). The first slice waits for
    // DOMContentLoaded, when every deferred script has run, so that the
    // grammars the book's own scripts register (Zig's) apply. <html
    // data-highlighted> is set when the last block is done.
    function highlightInSlices(blocks) {
        let next = 0;
        document.addEventListener('DOMContentLoaded', function slice() {
            const until = performance.now() + 8;
            while (next < blocks.length && performance.now() < until) {
                hljs.highlightBlock(blocks[next++]);
            }
            if (next < blocks.length) {
                setTimeout(slice);
            } else {
                document.documentElement.dataset.highlighted = '';
            }
        });
    }

    // Syntax highlighting Configuration
";

/// mdBook's theme, as `mdbook init --theme` writes it.
fn mdbook_theme() -> PathBuf {
    let book = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mdbook-theme");
    let _ = fs::remove_dir_all(&book);
    fs::create_dir_all(&book).expect("a scratch directory");
    let version = Command::new("mdbook")
        .arg("--version")
        .env("PATH", book_model::mdbook::path_with_cargo_bin())
        .output()
        .expect("mdbook runs (`cargo xtask setup` installs mdbook 0.5.4)");
    let version = String::from_utf8_lossy(&version.stdout);
    assert_eq!(
        version.trim(),
        "mdbook v0.5.4",
        "the theme copies are of mdBook 0.5.4's files; `cargo xtask setup` installs it"
    );
    let status = Command::new("mdbook")
        .args([
            "init", "--theme", "--force", "--ignore", "none", "--title", "scratch",
        ])
        .arg(&book)
        .env("PATH", book_model::mdbook::path_with_cargo_bin())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("mdbook init runs");
    assert!(status.success(), "mdbook init --theme failed: {status}");
    book.join("theme")
}

/// Applies `changes` to `text`; each change's original must occur exactly
/// once.
fn apply(file: &str, text: &str, changes: &[Change]) -> Result<String, String> {
    let mut out = text.to_string();
    for change in changes {
        let found = out.matches(change.mdbook).count();
        if found != 1 {
            return Err(format!(
                "{file}: the text this change replaces ({}) occurs {found} times in mdBook's \
                 file, not once:\n{}",
                change.why, change.mdbook
            ));
        }
        out = out.replace(change.mdbook, change.ours);
    }
    Ok(out)
}

#[test]
fn theme_copies_are_mdbooks_files_with_the_listed_changes() {
    let theirs = mdbook_theme();
    let ours = repo_root().join("theme");
    let mut problems = Vec::new();
    for (file, changes) in COPIES {
        let original = fs::read_to_string(theirs.join(file)).expect("mdBook's theme file");
        let copy = fs::read_to_string(ours.join(file)).expect("the book's theme file");
        match apply(file, &original, changes) {
            Err(problem) => problems.push(problem),
            Ok(expected) if expected != copy => {
                let diff = similar::TextDiff::from_lines(&expected, &copy)
                    .unified_diff()
                    .header("mdBook's file with the listed changes", "theme/ copy")
                    .to_string();
                problems.push(format!(
                    "theme/{file} differs from mdBook 0.5.4's file with the changes listed in \
                     tests/tests/theme.rs:\n{diff}"
                ));
            }
            Ok(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// An empty `theme/fonts/fonts.css` is what keeps mdBook from copying its
/// fonts into the site; `index.hbs` links no fonts.
#[test]
fn the_site_has_no_web_fonts() {
    let fonts = repo_root().join("theme/fonts");
    let entries: Vec<String> = fs::read_dir(&fonts)
        .expect("theme/fonts")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(entries, ["fonts.css"], "theme/fonts holds font files");
    let css = fs::read(fonts.join("fonts.css")).expect("theme/fonts/fonts.css");
    assert!(
        css.is_empty(),
        "theme/fonts/fonts.css is not empty: mdBook would write it and the pages would not load it"
    );
}

#[test]
fn a_change_whose_original_is_gone_is_reported() {
    let change = Change {
        why: "a test",
        mdbook: "window.onunload = function() { };\n",
        ours: "",
    };
    assert_eq!(
        apply("book.js", "let a = 1;\n", std::slice::from_ref(&change)).unwrap_err(),
        "book.js: the text this change replaces (a test) occurs 0 times in mdBook's file, not \
         once:\nwindow.onunload = function() { };\n"
    );
    assert_eq!(
        apply(
            "book.js",
            "a\nwindow.onunload = function() { };\nb\n",
            std::slice::from_ref(&change)
        )
        .unwrap(),
        "a\nb\n"
    );
}
