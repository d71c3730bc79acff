//! `ir-advisor run`: the Telegram bot, with long polling.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use teloxide::Bot;

use crate::intents::IntentSet;
use crate::storage::ChatStore;
use crate::telegram::{serve, stop_signal, Advisor, TOKEN_VARIABLE};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The SQLite file for per-chat state, created on first run; `:memory:`
    /// keeps it in memory and forgets it on exit.
    #[arg(long, env = "IR_ADVISOR_DB", default_value = "data/ir-advisor.sqlite")]
    pub db: PathBuf,

    /// A Bot API server to use instead of api.telegram.org.
    #[arg(long, env = "TELOXIDE_API_URL")]
    pub api_url: Option<url::Url>,
}

pub fn run(intents: IntentSet, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some(token) = std::env::var(TOKEN_VARIABLE)
        .ok()
        .filter(|t| !t.trim().is_empty())
    else {
        eprintln!(
            "error: no bot token. Create a bot with @BotFather in Telegram (/newbot), then put \
             its token in {TOKEN_VARIABLE}, in the environment or in a .env file here \
             (see .env.example)."
        );
        return Ok(ExitCode::from(2));
    };
    let store = open_store(&args.db)?;
    let mut bot = Bot::new(token.trim());
    if let Some(url) = &args.api_url {
        bot = bot.set_api_url(url.clone());
    }
    log::info!(
        "starting: {} intents, chat state in {}",
        intents.len(),
        args.db.display()
    );
    let advisor = Arc::new(Advisor::new(intents, store));
    tokio::runtime::Runtime::new()
        .context("starting the async runtime")?
        .block_on(serve(bot, advisor, stop_signal()))?;
    log::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn open_store(path: &Path) -> anyhow::Result<ChatStore> {
    ChatStore::open(path).context("opening the chat state database (IR_ADVISOR_DB)")
}
