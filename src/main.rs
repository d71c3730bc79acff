use std::process::ExitCode;

use ir_advisor::cli::{parse, run};
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
    match run(parse()) {
        Ok(code) => code,
        // A reader that stopped reading (`ir-advisor eval ... | head`) is
        // not a failure: there is nobody left to tell.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", logging::redact_secrets(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
