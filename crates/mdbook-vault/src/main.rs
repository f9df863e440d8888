//! `mdbook-vault`: the mdBook preprocessor command around [`mdbook_vault`]
//! (see [`book_model::preprocessor::main`]); on broken links or citations
//! it names every one, chapter and line, and exits 1.

fn main() -> std::process::ExitCode {
    book_model::preprocessor::main("mdbook-vault", &mdbook_vault::preprocessor::Vault)
}
