//! Every setting of the bot in one place, read once at start: from
//! command-line flags, the environment and `.env` (which `main` loads into
//! the environment first). The secrets come from the environment only, so
//! that no process listing shows them, and are wrapped so that printing a
//! setting can never print one.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::SecretString;
use thiserror::Error;

use crate::telegram::{Tuning, WebhookSecret};
use crate::unmatched::DEFAULT_MAX_BYTES;

/// The environment variable that holds the bot token (teloxide's own name).
pub const TOKEN_VARIABLE: &str = "TELOXIDE_TOKEN";

/// The environment variable that holds the webhook secret.
pub const WEBHOOK_SECRET_VARIABLE: &str = "IR_ADVISOR_WEBHOOK_SECRET";

/// Variables that error messages name too.
pub const DB_VARIABLE: &str = "IR_ADVISOR_DB";
pub const UNMATCHED_VARIABLE: &str = "IR_ADVISOR_UNMATCHED";
pub const LISTEN_VARIABLE: &str = "IR_ADVISOR_LISTEN";
pub const HEALTH_LISTEN_VARIABLE: &str = "IR_ADVISOR_HEALTH_LISTEN";

/// The files the bot writes, which `report` reads.
#[derive(Debug, Clone, clap::Args)]
pub struct StateFiles {
    /// The SQLite file for per-chat state, answer ratings and the inbox of
    /// updates not yet answered, created on first run; `:memory:` keeps it
    /// in memory (no inbox survives a restart) and writes no file at all.
    #[arg(long, env = DB_VARIABLE, default_value = "data/ir-advisor.sqlite")]
    pub db: PathBuf,

    /// The log of questions the bot declined or was unsure about. Not
    /// written when the database is `:memory:`.
    #[arg(long, env = UNMATCHED_VARIABLE, default_value = "data/unmatched.jsonl")]
    pub unmatched: PathBuf,
}

/// The bot's flags, each also read from its environment variable. Turned
/// into a [`Config`] by [`Config::new`].
#[derive(Debug, clap::Args)]
pub struct BotArgs {
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
    /// address the reverse proxy forwards the webhook URL to. Loopback by
    /// default: the proxy in front is the documented setup.
    #[arg(long, env = LISTEN_VARIABLE, default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,

    /// The largest update body the webhook reads, in bytes; larger ones
    /// get 413 unread.
    #[arg(long, env = "IR_ADVISOR_WEBHOOK_MAX_BODY", default_value_t = 256 * 1024)]
    pub webhook_max_body: usize,

    /// With long polling, serve /healthz on this address (off unless set).
    #[arg(long, env = HEALTH_LISTEN_VARIABLE)]
    pub health_listen: Option<SocketAddr>,
}

/// How the bot takes its updates.
#[derive(Debug)]
pub enum UpdateSource {
    /// Long polling, with `/healthz` on `health_listen` when set.
    Polling { health_listen: Option<SocketAddr> },
    /// Telegram posts to `url`, forwarded by a proxy to `listen`.
    Webhook {
        url: url::Url,
        listen: SocketAddr,
        /// `None`: a random secret for each start.
        secret: Option<WebhookSecret>,
    },
}

/// The whole configuration of a running bot.
#[derive(Debug)]
pub struct Config {
    /// The folder of intent files.
    pub intents: PathBuf,
    /// From TELOXIDE_TOKEN; never printed.
    pub token: SecretString,
    pub api_url: Option<url::Url>,
    pub files: StateFiles,
    pub unmatched_max_bytes: u64,
    pub admins: Vec<u64>,
    pub updates: UpdateSource,
    /// Timeouts, retries, limits: production values unless a test
    /// changes them.
    pub tuning: Tuning,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error(
        "no bot token. Create a bot with @BotFather in Telegram (/newbot), then put its token \
         in {TOKEN_VARIABLE}, in the environment or in a .env file here (see .env.example)."
    )]
    NoToken,
    #[error("{WEBHOOK_SECRET_VARIABLE}: {0}")]
    BadWebhookSecret(&'static str),
}

impl Config {
    /// The configuration from the parsed flags and the secrets in the
    /// environment, as `variable` reads it.
    pub fn new(
        intents: PathBuf,
        args: BotArgs,
        variable: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let present = |name| variable(name).filter(|value| !value.trim().is_empty());
        let token = present(TOKEN_VARIABLE).ok_or(ConfigError::NoToken)?;
        let secret = present(WEBHOOK_SECRET_VARIABLE)
            .map(|secret| secret.trim().parse::<WebhookSecret>())
            .transpose()
            .map_err(ConfigError::BadWebhookSecret)?;
        if args.webhook_url.is_some() && args.health_listen.is_some() {
            log::warn!(
                "{HEALTH_LISTEN_VARIABLE} is ignored with a webhook: /healthz is on {}",
                args.listen
            );
        }
        let updates = match args.webhook_url {
            Some(url) => UpdateSource::Webhook {
                url,
                listen: args.listen,
                secret,
            },
            None => UpdateSource::Polling {
                health_listen: args.health_listen,
            },
        };
        Ok(Config {
            intents,
            token: SecretString::from(token.trim().to_owned()),
            api_url: args.api_url,
            files: args.files,
            unmatched_max_bytes: args.unmatched_max_bytes,
            admins: args.admins,
            updates,
            tuning: Tuning {
                webhook_max_body: args.webhook_max_body,
                ..Tuning::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        bot: BotArgs,
    }

    fn config(flags: &[&str], env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let args = Flags::parse_from(std::iter::once("ir-advisor").chain(flags.iter().copied()));
        Config::new("intents".into(), args.bot, |name| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn the_token_is_required_and_never_printed() {
        assert!(matches!(config(&[], &[]), Err(ConfigError::NoToken)));
        let config = config(&[], &[(TOKEN_VARIABLE, " 123:SECRET ")]).unwrap();
        assert!(!format!("{config:?}").contains("SECRET"));
        use secrecy::ExposeSecret;
        assert_eq!(config.token.expose_secret(), "123:SECRET");
    }

    #[test]
    fn a_webhook_listens_on_loopback_unless_told_otherwise() {
        let config = config(
            &["--webhook-url", "https://bot.example/updates"],
            &[(TOKEN_VARIABLE, "1:T"), (WEBHOOK_SECRET_VARIABLE, "s3cret")],
        )
        .unwrap();
        let UpdateSource::Webhook { listen, secret, .. } = &config.updates else {
            panic!("{config:?}")
        };
        assert!(listen.ip().is_loopback());
        assert!(secret.is_some() && !format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn a_bad_webhook_secret_is_named() {
        let error = config(
            &[],
            &[
                (TOKEN_VARIABLE, "1:T"),
                (WEBHOOK_SECRET_VARIABLE, "no spaces"),
            ],
        )
        .unwrap_err();
        assert!(error.to_string().starts_with(WEBHOOK_SECRET_VARIABLE));
    }
}
