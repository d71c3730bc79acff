//! `ir-advisor run`: the Telegram bot, by long polling or webhook.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use teloxide::Bot;
use tokio::net::TcpListener;

use crate::storage::ChatStore;
use crate::telegram::{
    serve, stop_signal, Advisor, Updates, Webhook, WebhookSecret, TOKEN_VARIABLE,
    WEBHOOK_SECRET_VARIABLE,
};
use crate::unmatched::{UnmatchedLog, DEFAULT_MAX_BYTES};

/// The files the bot writes, which `report` reads.
#[derive(Debug, clap::Args)]
pub struct StateFiles {
    /// The SQLite file for per-chat state and answer ratings, created on
    /// first run; `:memory:` keeps it in memory and forgets it on exit.
    #[arg(long, env = "IR_ADVISOR_DB", default_value = "data/ir-advisor.sqlite")]
    pub db: PathBuf,

    /// The log of questions the bot declined or was unsure about.
    #[arg(
        long,
        env = "IR_ADVISOR_UNMATCHED",
        default_value = "data/unmatched.jsonl"
    )]
    pub unmatched: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub files: StateFiles,

    /// The size in bytes at which the unmatched log is rotated to `.1`.
    #[arg(long, env = "IR_ADVISOR_UNMATCHED_MAX_BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub unmatched_max_bytes: u64,

    /// Telegram user ids allowed /reload and /stats, comma-separated.
    #[arg(long, env = "IR_ADVISOR_ADMINS", value_delimiter = ',')]
    pub admins: Vec<u64>,

    /// A Bot API server to use instead of api.telegram.org.
    #[arg(long, env = "TELOXIDE_API_URL")]
    pub api_url: Option<url::Url>,

    /// Take updates by webhook at this public HTTPS address instead of
    /// long polling. The secret Telegram must send comes from
    /// IR_ADVISOR_WEBHOOK_SECRET, else is random for each start.
    #[arg(long, env = "IR_ADVISOR_WEBHOOK_URL")]
    pub webhook_url: Option<url::Url>,

    /// Where the webhook listener listens (and serves /healthz): the
    /// address the reverse proxy forwards the webhook URL to.
    #[arg(long, env = "IR_ADVISOR_LISTEN", default_value = "0.0.0.0:8443")]
    pub listen: SocketAddr,

    /// With long polling, serve /healthz on this address (off unless set).
    #[arg(long, env = "IR_ADVISOR_HEALTH_LISTEN")]
    pub health_listen: Option<SocketAddr>,
}

pub fn run(intents_dir: &Path, args: &RunArgs) -> anyhow::Result<ExitCode> {
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
    let advisor = open_advisor(intents_dir, args)?;
    let mut bot = Bot::new(token.trim());
    if let Some(url) = &args.api_url {
        bot = bot.set_api_url(url.clone());
    }
    log::info!(
        "starting: {} intents, chat state in {}, unmatched questions in {}",
        advisor.knowledge().intents.len(),
        args.files.db.display(),
        args.files.unmatched.display()
    );
    let secret = webhook_secret_from_env()?;
    let advisor = Arc::new(advisor);
    tokio::runtime::Runtime::new()
        .context("starting the async runtime")?
        .block_on(async {
            let updates = updates(args, secret).await?;
            serve(bot, advisor, updates, stop_signal()).await
        })?;
    log::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn open_advisor(intents_dir: &Path, args: &RunArgs) -> anyhow::Result<Advisor> {
    let store = ChatStore::open(&args.files.db)
        .context("opening the chat state database (IR_ADVISOR_DB)")?;
    let unmatched = UnmatchedLog::open(&args.files.unmatched, args.unmatched_max_bytes)
        .with_context(|| {
            format!(
                "opening {} (IR_ADVISOR_UNMATCHED)",
                args.files.unmatched.display()
            )
        })?;
    let advisor = Advisor::load(intents_dir, store, unmatched)
        .with_context(|| format!("loading intents from {}", intents_dir.display()))?;
    Ok(advisor.with_admins(args.admins.clone()))
}

/// Read from the environment only, like the token: a command-line flag
/// would show it to anyone who can list processes.
fn webhook_secret_from_env() -> anyhow::Result<Option<WebhookSecret>> {
    let Some(secret) = std::env::var(WEBHOOK_SECRET_VARIABLE)
        .ok()
        .filter(|s| !s.trim().is_empty())
    else {
        return Ok(None);
    };
    let secret = secret
        .trim()
        .parse()
        .map_err(|rule| anyhow::anyhow!("{WEBHOOK_SECRET_VARIABLE}: {rule}"))?;
    Ok(Some(secret))
}

/// Binds the listeners before the bot starts, so that a taken address
/// stops it at once with a clear message.
async fn updates(args: &RunArgs, secret: Option<WebhookSecret>) -> anyhow::Result<Updates> {
    let Some(url) = &args.webhook_url else {
        let health = match args.health_listen {
            Some(address) => Some(bind(address, "IR_ADVISOR_HEALTH_LISTEN").await?),
            None => None,
        };
        return Ok(Updates::Polling { health });
    };
    if args.health_listen.is_some() {
        log::warn!(
            "IR_ADVISOR_HEALTH_LISTEN is ignored with a webhook: /healthz is on {}",
            args.listen
        );
    }
    Ok(Updates::Webhook(Webhook {
        url: url.clone(),
        listener: bind(args.listen, "IR_ADVISOR_LISTEN").await?,
        secret,
    }))
}

async fn bind(address: SocketAddr, variable: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} ({variable})"))
}
