use std::process::ExitCode;

use clap::Parser;
use ir_advisor::cli::{run, Cli};
use ir_advisor::logging;

/// mimalloc instead of the system allocator: loading thousands of intents
/// allocates and frees millions of short strings, and glibc's malloc spent
/// a third of that time on its own bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let env_file = dotenvy::dotenv();
    logging::init();
    if let Err(error) = env_file {
        if !error.not_found() {
            log::warn!("ignoring .env: {error}");
        }
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", logging::redact_secrets(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}
