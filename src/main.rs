use std::process::ExitCode;

use clap::Parser;
use ir_advisor::cli::{run, Cli};
use ir_advisor::logging::{self, redact};

fn main() -> ExitCode {
    let env_file = dotenvy::dotenv();
    let secrets = logging::secrets_from_env();
    logging::init(secrets.clone());
    if let Err(error) = env_file {
        if !error.not_found() {
            log::warn!("ignoring .env: {error}");
        }
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", redact(&format!("{error:#}"), &secrets));
            ExitCode::FAILURE
        }
    }
}
