//! `mdbook-diagrams`: the mdBook preprocessor command around
//! [`mdbook_diagrams`] (see [`book_model::preprocessor::main`]).

fn main() -> std::process::ExitCode {
    book_model::preprocessor::main("mdbook-diagrams", &mdbook_diagrams::preprocessor::Diagrams)
}
