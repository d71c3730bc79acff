use std::process::ExitCode;

use clap::Parser;
use ir_advisor::cli::{run, Cli};
use ir_advisor::logging;

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
