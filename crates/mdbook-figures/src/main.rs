//! `mdbook-figures`: the mdBook preprocessor command around [`mdbook_figures`]
//! (see [`book_model::preprocessor::main`]); on bad directives or missing
//! names it names every one, chapter and line, and exits 1.

fn main() -> std::process::ExitCode {
    book_model::preprocessor::main(
        "mdbook-figures",
        &mdbook_figures::preprocessor::FiguresPreprocessor,
    )
}
