//! `mdbook-plots`: the mdBook preprocessor command around [`mdbook_plots`]
//! (see [`book_model::preprocessor::main`]); on bad directives it names
//! every one, chapter and line, and exits 1.

fn main() -> std::process::ExitCode {
    book_model::preprocessor::main("mdbook-plots", &mdbook_plots::preprocessor::Plots)
}
