//! Webhook mode: Telegram POSTs each update to a public HTTPS address that
//! a reverse proxy forwards to the bot's listener. teloxide sets the
//! webhook and deletes it on stop; the route is our own, because
//! teloxide's reads the whole body before it looks at the secret and
//! answers 200 to JSON it cannot read. Here a request without the secret
//! is turned away before its body is read, a body is capped and must
//! arrive in time, an unreadable one gets 400 (and is not logged: it may
//! hold a student's message), and 200 is answered only once the update is
//! recorded in the inbox.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use teloxide::prelude::*;
use teloxide::requests::Request as _;
use teloxide::types::Update;
use teloxide::update_listeners::webhooks::Options;
use tokio::net::TcpListener;

use super::health::HEALTH_PATH;
use super::inbox::Inbox;
use super::server::{Server, ServerLimits, WIND_DOWN};
use super::tuning::Tuning;
use super::AdvisorBot;
use crate::logging;

/// The header Telegram sends the secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

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
/// update, so that nobody else can post updates to the bot. Never printed.
#[derive(Debug)]
pub struct WebhookSecret(SecretString);

impl FromStr for WebhookSecret {
    type Err = &'static str;

    /// Telegram's rule: 1 to 256 of `A-Z`, `a-z`, `0-9`, `_` and `-`.
    fn from_str(secret: &str) -> Result<WebhookSecret, Self::Err> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if !(1..=256).contains(&secret.len()) || !secret.chars().all(allowed) {
            return Err("a webhook secret is 1 to 256 of A-Z, a-z, 0-9, _ and -");
        }
        Ok(WebhookSecret(SecretString::from(secret.to_owned())))
    }
}

impl WebhookSecret {
    /// A fresh random secret, generated as teloxide generates one.
    fn random(url: &url::Url) -> WebhookSecret {
        let mut options = Options::new(([127, 0, 0, 1], 0).into(), url.clone());
        WebhookSecret(SecretString::from(
            options.get_or_gen_secret_token().to_owned(),
        ))
    }

    /// Whether `given` is this secret, in time that does not depend on
    /// where they differ.
    fn matches(&self, given: &[u8]) -> bool {
        let secret = self.0.expose_secret().as_bytes();
        secret.len() == given.len()
            && secret
                .iter()
                .zip(given)
                .fold(0, |differ, (a, b)| differ | (a ^ b))
                == 0
    }
}

/// What the webhook route needs.
struct Route {
    inbox: Inbox,
    secret: WebhookSecret,
    max_body: usize,
    read_timeout: Duration,
}

/// Sets the webhook and serves it, with `routes` beside it on the same
/// listener, until the returned server is stopped.
pub async fn listen(
    bot: &AdvisorBot,
    webhook: Webhook,
    inbox: Inbox,
    routes: Router,
    tuning: &Tuning,
) -> anyhow::Result<Server> {
    anyhow::ensure!(
        webhook.url.path() != HEALTH_PATH,
        "the webhook URL's path cannot be {HEALTH_PATH}: the health check uses it"
    );
    let address = webhook.listener.local_addr()?;
    let secret = webhook
        .secret
        .unwrap_or_else(|| WebhookSecret::random(&webhook.url));
    logging::add_secret(secret.0.expose_secret());
    bot.set_webhook(webhook.url.clone())
        .secret_token(secret.0.expose_secret().to_owned())
        .await
        .context("could not set the webhook (setWebhook failed)")?;
    let route = Arc::new(Route {
        inbox,
        secret,
        max_body: tuning.webhook_max_body,
        read_timeout: tuning.webhook_read_timeout,
    });
    let app = Router::new()
        .route(webhook.url.path(), post(receive))
        .route_layer(middleware::from_fn_with_state(route.clone(), check_secret))
        .with_state(route)
        .merge(routes);
    log::info!(
        "taking updates by webhook at {}, listening on {address}",
        webhook.url
    );
    Ok(Server::spawn(
        webhook.listener,
        app,
        ServerLimits::from(tuning),
    ))
}

/// Deletes the webhook, so that Telegram keeps the updates sent while the
/// bot is down for the next start. Waits at most [`WIND_DOWN`], so that a
/// stalled Bot API cannot hold the stop up.
pub async fn delete(bot: &AdvisorBot) {
    match tokio::time::timeout(WIND_DOWN, bot.delete_webhook().send()).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => log::warn!("could not delete the webhook: {error}"),
        Err(_) => log::warn!("could not delete the webhook: no answer in {WIND_DOWN:?}"),
    }
}

/// Lets a request through only with the secret: 401 without it, 400 when
/// the header is not a secret at all. Runs before the body is read.
async fn check_secret(State(route): State<Arc<Route>>, request: Request, next: Next) -> Response {
    let Some(given) = request.headers().get(SECRET_HEADER) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let well_formed = given
        .to_str()
        .is_ok_and(|given| given.parse::<WebhookSecret>().is_ok());
    if !well_formed {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if !route.secret.matches(given.as_bytes()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(request).await
}

/// Reads one update (capped, in time), records it in the inbox and
/// answers 200; an unreadable update gets 400, so Telegram reports it.
async fn receive(State(route): State<Arc<Route>>, body: Body) -> StatusCode {
    let bytes = match tokio::time::timeout(route.read_timeout, to_bytes(body, route.max_body)).await
    {
        Err(_) => return StatusCode::REQUEST_TIMEOUT,
        Ok(Err(_too_large_or_broken)) => return StatusCode::PAYLOAD_TOO_LARGE,
        Ok(Ok(bytes)) => bytes,
    };
    let update = match serde_json::from_slice::<Update>(&bytes) {
        Ok(update) => update,
        Err(error) => {
            // The position only: serde's message can quote the text.
            log::warn!(
                "a webhook request with the secret was not an update ({} bytes, {:?} error at \
                 line {} column {}): answered 400",
                bytes.len(),
                error.classify(),
                error.line(),
                error.column()
            );
            return StatusCode::BAD_REQUEST;
        }
    };
    route
        .inbox
        .accept(update, String::from_utf8_lossy(&bytes).into_owned())
        .await;
    StatusCode::OK
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

    #[test]
    fn only_the_same_secret_matches() {
        let secret: WebhookSecret = "TopSecret".parse().unwrap();
        assert!(secret.matches(b"TopSecret"));
        assert!(!secret.matches(b"TopSecreT") && !secret.matches(b"TopSecret2"));
    }

    #[test]
    fn random_secrets_are_long_and_differ() {
        let url: url::Url = "https://bot.example/updates".parse().unwrap();
        let (a, b) = (WebhookSecret::random(&url), WebhookSecret::random(&url));
        assert!(a.0.expose_secret().len() >= 32);
        assert!(!a.matches(b.0.expose_secret().as_bytes()));
    }
}
