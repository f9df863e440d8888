//! Drawing with the real mermaid (`book/mermaid.min.js`, written by `cargo
//! xtask setup`) in the real headless Chromium.

use std::path::{Path, PathBuf};

use mdbook_diagrams::chromium::Renderer;

fn mermaid() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/mermaid.min.js");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask setup`",
        path.display()
    );
    path
}

fn cache(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn draws_each_diagram_in_both_themes_and_caches_them() {
    let cache = cache("draw-both");
    let renderer = Renderer::new(&mermaid(), &cache).expect("Chromium and mermaid");
    let sources = vec![
        "flowchart LR\n  A[write] --&gt; B{fits?}\n".to_string(),
        "sequenceDiagram\n  Writer-&gt;&gt;Sink: drain\n".to_string(),
    ];
    let drawings = renderer.draw(&sources).expect("both drawn");
    assert_eq!(drawings.len(), 2);
    for (source, drawing) in sources.iter().zip(&drawings) {
        let key = renderer.key(source);
        let [light, dark] = &drawing.svgs;
        assert!(light.starts_with("<svg") && light.contains(&format!("id=\"{key}-default\"")));
        assert!(dark.starts_with("<svg") && dark.contains(&format!("id=\"{key}-dark\"")));
        // The escaped arrow reached mermaid unescaped: a drawn edge, no
        // error drawing.
        assert!(!light.contains("aria-roledescription=\"error\""), "{light}");
        assert_ne!(light.replace("-default", ""), dark.replace("-dark", ""));
    }
    // A second request is answered from the cache, without Chromium.
    let files = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(files, 4, "two drawings for each diagram, nothing left over");
    let again = Renderer::new(&mermaid(), &cache)
        .unwrap()
        .draw(&sources)
        .unwrap();
    assert_eq!(again, drawings);
}

#[test]
fn a_diagram_mermaid_cannot_parse_is_an_error_naming_it() {
    let renderer = Renderer::new(&mermaid(), &cache("draw-bad")).unwrap();
    let sources = vec![
        "flowchart LR\n  A --&gt; B\n".to_string(),
        "flowchart LR\n  A --&gt;\n  ((( nonsense\n".to_string(),
    ];
    let errors = renderer
        .draw(&sources)
        .expect_err("the second cannot be drawn");
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|e| e.index == Some(1)), "{errors:?}");
    assert!(errors[0].message.contains("Parse error"), "{errors:?}");
}
