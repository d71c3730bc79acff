//! Webhook mode: Telegram POSTs each update to a public HTTPS address that
//! a reverse proxy forwards to the bot's listener. teloxide's axum listener
//! sets the webhook, deletes it on stop and turns away (401) any request
//! without the secret header Telegram was told to send.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use anyhow::Context;
use axum::Router;
use teloxide::update_listeners::webhooks::{axum_to_router, Options};
use teloxide::update_listeners::UpdateListener;
use tokio::net::TcpListener;

use super::health::HEALTH_PATH;
use super::server::Server;
use super::AdvisorBot;
use crate::logging;

/// Where Telegram sends updates, and where they arrive.
#[derive(Debug)]
pub struct Webhook {
    /// The public HTTPS address given to Telegram; its path is the path
    /// listened on.
    pub url: url::Url,
    pub listener: TcpListener,
    /// `None`: a random secret for each start.
    pub secret: Option<WebhookSecret>,
}

/// The token Telegram sends in `X-Telegram-Bot-Api-Secret-Token` with each
/// update, so that nobody else can post updates to the bot.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl FromStr for WebhookSecret {
    type Err = &'static str;

    /// Telegram's rule: 1 to 256 of `A-Z`, `a-z`, `0-9`, `_` and `-`.
    fn from_str(secret: &str) -> Result<WebhookSecret, Self::Err> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if !(1..=256).contains(&secret.len()) || !secret.chars().all(allowed) {
            return Err("a webhook secret is 1 to 256 of A-Z, a-z, 0-9, _ and -");
        }
        Ok(WebhookSecret(secret.to_owned()))
    }
}

/// Never shows the secret, so that printing settings cannot leak it.
impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Sets the webhook and serves it, with `routes` beside it on the same
/// listener. The server deletes the webhook when the returned listener is
/// stopped.
pub async fn listen(
    bot: AdvisorBot,
    webhook: Webhook,
    routes: Router,
) -> anyhow::Result<(impl UpdateListener<Err = Infallible>, Server)> {
    anyhow::ensure!(
        webhook.url.path() != HEALTH_PATH,
        "the webhook URL's path cannot be {HEALTH_PATH}: the health check uses it"
    );
    let address = webhook.listener.local_addr()?;
    let mut options = Options::new(address, webhook.url.clone());
    options.secret_token = webhook.secret.map(|secret| secret.0);
    logging::add_secret(options.get_or_gen_secret_token());
    let (mut listener, stopped, webhook_routes) = axum_to_router(bot, options)
        .await
        .context("could not set the webhook (setWebhook failed)")?;
    let server = Server::spawn(
        webhook.listener,
        webhook_routes.merge(routes),
        listener.stop_token(),
        stopped,
    );
    log::info!(
        "taking updates by webhook at {}, listening on {address}",
        webhook.url
    );
    Ok((listener, server))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_follows_telegrams_rule() {
        assert!("Abc_123-xyz".parse::<WebhookSecret>().is_ok());
        assert!("x".repeat(256).parse::<WebhookSecret>().is_ok());
        for bad in ["", "has space", "slash/", "émoji", &"x".repeat(257)] {
            assert!(bad.parse::<WebhookSecret>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let secret: WebhookSecret = "TopSecret".parse().unwrap();
        assert!(!format!("{secret:?}").contains("TopSecret"));
    }
}
