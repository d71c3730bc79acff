//! `ir-advisor run`: the Telegram bot, by long polling or webhook.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use secrecy::ExposeSecret;
use teloxide::Bot;
use tokio::net::TcpListener;

use crate::config::{
    Config, ConfigError, UpdateSource, DB_VARIABLE, HEALTH_LISTEN_VARIABLE, LISTEN_VARIABLE,
    TOKEN_VARIABLE, UNMATCHED_VARIABLE,
};
use crate::logging;
use crate::storage::{ChatStore, IN_MEMORY};
use crate::telegram::{serve, stop_signal, Advisor, StartError, Updates, Webhook};
use crate::unmatched::UnmatchedLog;

/// The exit code for a bot that cannot run as configured (no token, or a
/// token Telegram refuses): restarting it will not help.
const MISCONFIGURED: u8 = 2;

pub fn run(config: Result<Config, ConfigError>) -> anyhow::Result<ExitCode> {
    let config = match config {
        Ok(config) => config,
        Err(ConfigError::NoToken) => {
            eprintln!("error: {}", ConfigError::NoToken);
            return Ok(ExitCode::from(MISCONFIGURED));
        }
        Err(error) => return Err(error.into()),
    };
    logging::add_secret(config.token.expose_secret());
    let advisor = open_advisor(&config)?;
    let mut bot = Bot::with_client(config.token.expose_secret(), http_client(&config)?);
    if let Some(url) = &config.api_url {
        bot = bot.set_api_url(url.clone());
    }
    log::info!(
        "starting: {} intents, chat state and inbox in {}, unmatched questions in {}",
        advisor.knowledge().intents.len(),
        config.files.db.display(),
        match in_memory(&config) {
            true => "no file (the database is in memory)".to_owned(),
            false => config.files.unmatched.display().to_string(),
        }
    );
    let advisor = Arc::new(advisor);
    let served = tokio::runtime::Runtime::new()
        .context("starting the async runtime")?
        .block_on(async {
            let updates = updates(config.updates).await?;
            serve(bot, advisor, updates, config.tuning, stop_signal()).await
        });
    match served {
        Err(error) if error.is::<StartError>() => {
            eprintln!("error: {error}: check {TOKEN_VARIABLE} against the token @BotFather gave");
            Ok(ExitCode::from(MISCONFIGURED))
        }
        Err(error) => Err(error),
        Ok(()) => {
            log::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// teloxide's HTTP client, waiting as long as the configuration says for
/// each answer.
fn http_client(config: &Config) -> anyhow::Result<reqwest::Client> {
    teloxide::net::default_reqwest_settings()
        .timeout(config.tuning.request_timeout)
        .build()
        .context("building the HTTP client")
}

fn in_memory(config: &Config) -> bool {
    config.files.db == Path::new(IN_MEMORY)
}

/// With the database in memory nothing is written to disk, the unmatched
/// log included.
fn open_advisor(config: &Config) -> anyhow::Result<Advisor> {
    let store = ChatStore::open(&config.files.db)
        .with_context(|| format!("opening the chat state database ({DB_VARIABLE})"))?;
    let unmatched = match in_memory(config) {
        true => UnmatchedLog::nowhere(),
        false => UnmatchedLog::open(&config.files.unmatched, config.unmatched_max_bytes)
            .with_context(|| {
                format!(
                    "opening {} ({UNMATCHED_VARIABLE})",
                    config.files.unmatched.display()
                )
            })?,
    };
    let advisor = Advisor::load(&config.intents, store, unmatched)
        .with_context(|| format!("loading intents from {}", config.intents.display()))?;
    Ok(advisor.with_admins(config.admins.clone()))
}

/// Binds the listeners before the bot starts, so that a taken address
/// stops it at once with a clear message.
async fn updates(source: UpdateSource) -> anyhow::Result<Updates> {
    match source {
        UpdateSource::Polling { health_listen } => {
            let health = match health_listen {
                Some(address) => Some(bind(address, HEALTH_LISTEN_VARIABLE).await?),
                None => None,
            };
            Ok(Updates::Polling { health })
        }
        UpdateSource::Webhook {
            url,
            listen,
            secret,
        } => Ok(Updates::Webhook(Webhook {
            url,
            listener: bind(listen, LISTEN_VARIABLE).await?,
            secret,
        })),
    }
}

async fn bind(address: SocketAddr, variable: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} ({variable})"))
}
