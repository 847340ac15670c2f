//! The phonedesk binary: everything lives in the library; see `phonedesk::cli`.

fn main() -> std::process::ExitCode {
    phonedesk::cli::main()
}
