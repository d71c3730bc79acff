//! The Telegram shell around the advisor: updates by long polling or
//! webhook, commands and buttons, per-chat state, live reload of the
//! intents, a health check. Everything it says comes from
//! [`crate::replies`]; everything it knows comes from the matcher.

mod advisor;
mod callback;
mod flood;
mod handlers;
mod health;
mod html;
mod keyboard;
mod reload;
mod retry;
mod server;
mod webhook;

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::DefaultKey;
use teloxide::error_handlers::{ErrorHandler, LoggingErrorHandler};
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use teloxide::update_listeners::{Polling, UpdateListener};
use teloxide::{ApiError, RequestError};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::intents::REQUIRED_LANGS;
use crate::lang::Lang;
use crate::replies::Ui;

pub use advisor::{Advisor, Knowledge};
pub use callback::{Action, CALLBACK_DATA_LIMIT};
pub use flood::MESSAGES_PER_WINDOW;
pub use handlers::{schema, AdvisorBot, Command};
pub use health::HEALTH_PATH;
pub use html::{html_messages, telegram_messages};
pub use retry::MAX_ATTEMPTS;
pub use webhook::{Webhook, WebhookSecret};

use health::Health;
use server::Server;

/// The environment variable that holds the bot token (teloxide's own name).
pub const TOKEN_VARIABLE: &str = "TELOXIDE_TOKEN";

/// The environment variable that holds the webhook secret.
pub const WEBHOOK_SECRET_VARIABLE: &str = "IR_ADVISOR_WEBHOOK_SECRET";

/// How long one getUpdates call waits for news: long enough to keep idle
/// polling cheap, well under the HTTP client's own 17 s timeout.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a stop that came before dispatching began checks again.
const STOP_RETRY: Duration = Duration::from_millis(50);

/// The command menu Telegram shows, in `lang`.
pub fn command_menu(lang: Lang) -> Vec<BotCommand> {
    [
        ("start", Ui::StartCommand),
        ("help", Ui::HelpCommand),
        ("topics", Ui::TopicsCommand),
        ("lang", Ui::LangCommand),
    ]
    .into_iter()
    .map(|(command, description)| BotCommand::new(command, description.text(lang)))
    .collect()
}

/// Registers the command menu: English for everyone, and each other
/// language for users whose Telegram speaks it.
async fn register_commands(bot: &AdvisorBot) {
    for lang in REQUIRED_LANGS {
        let request = bot.set_my_commands(command_menu(lang));
        let result = if lang == Lang::EN {
            request.await
        } else {
            request.language_code(lang.to_string()).await
        };
        if let Err(error) = result {
            log::warn!("could not register the {lang} command menu: {error}");
        }
    }
}

/// How the bot takes its updates from Telegram.
#[derive(Debug)]
pub enum Updates {
    /// Asking Telegram for them: no public address needed. `/healthz` is
    /// served on `health` when there is one.
    Polling { health: Option<TcpListener> },
    /// Telegram posting them to the bot, `/healthz` on the same listener.
    Webhook(Webhook),
}

type AdvisorDispatcher = Dispatcher<AdvisorBot, anyhow::Error, DefaultKey>;

/// Runs the bot until `stop` completes, then finishes the updates in hand
/// (and, with a webhook, deletes it) and returns. Meanwhile the intents
/// are reloaded whenever their folder changes, and on SIGHUP. Replies are
/// paced by Telegram's default limits.
pub async fn serve(
    bot: Bot,
    advisor: Arc<Advisor>,
    updates: Updates,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with_limits(bot, Limits::default(), advisor, updates, stop).await
}

/// [`serve`] with other send limits than Telegram's: a local Bot API
/// server, or a load test, can take more.
pub async fn serve_with_limits(
    bot: Bot,
    limits: Limits,
    advisor: Arc<Advisor>,
    updates: Updates,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let _watch = reload::watch_intents(advisor.clone())?;
    #[cfg(unix)]
    let hangups = tokio::spawn(reload::reload_on_hangup(advisor.clone()));
    let bot = bot.throttle(limits);
    register_commands(&bot).await;
    let counted = advisor.clone();
    let health = Arc::new(Health::new(move || counted.knowledge().intents.len()));
    let mut dispatcher = dispatcher(bot.clone(), advisor, health.clone());
    let stopper = stop_dispatching_on(stop, &dispatcher);
    let result = take_updates(bot, &mut dispatcher, updates, health).await;
    stopper.abort();
    #[cfg(unix)]
    hangups.abort();
    result
}

/// Dispatches the updates as `updates` says until the dispatcher is shut
/// down, with `/healthz` beside them, and stops the HTTP server after.
async fn take_updates(
    bot: AdvisorBot,
    dispatcher: &mut AdvisorDispatcher,
    updates: Updates,
    health: Arc<Health>,
) -> anyhow::Result<()> {
    let (result, server) = match updates {
        Updates::Polling { health: listener } => {
            let server = listener
                .map(|listener| Server::spawn_until_stopped(listener, health::router(health)));
            let listener = polling(bot).await;
            (
                dispatch(dispatcher, listener, Arc::new(log_polling_error)).await,
                server,
            )
        }
        Updates::Webhook(webhook) => {
            let (listener, server) = webhook::listen(bot, webhook, health::router(health)).await?;
            let errors = LoggingErrorHandler::with_custom_text("taking updates by webhook failed");
            (dispatch(dispatcher, listener, errors).await, Some(server))
        }
    };
    if let Some(server) = server {
        server.stop().await;
    }
    result
}

/// The dispatcher, recording every update for the health check before the
/// handlers see it.
fn dispatcher(bot: AdvisorBot, advisor: Arc<Advisor>, health: Arc<Health>) -> AdvisorDispatcher {
    let handlers = dptree::entry()
        .inspect(|health: Arc<Health>| health.record_update())
        .chain(schema());
    Dispatcher::builder(bot, handlers)
        .dependencies(dptree::deps![advisor, health])
        .default_handler(|update| async move {
            log::debug!("ignored an update of a kind the bot does not handle: {update:?}");
        })
        .error_handler(LoggingErrorHandler::with_custom_text(
            "an update could not be answered",
        ))
        .build()
}

/// Shuts the dispatcher down once `stop` completes. A stop that comes while
/// the bot is still starting (setting the webhook, asking getMe) waits for
/// dispatching to begin rather than being lost; the caller aborts the
/// returned task once dispatching is over.
fn stop_dispatching_on(
    stop: impl Future<Output = ()> + Send + 'static,
    dispatcher: &AdvisorDispatcher,
) -> JoinHandle<()> {
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        stop.await;
        log::info!("stopping: finishing the updates in hand");
        loop {
            match shutdown.shutdown() {
                Ok(done) => return done.await,
                Err(_not_dispatching_yet) => tokio::time::sleep(STOP_RETRY).await,
            }
        }
    })
}

async fn polling(bot: AdvisorBot) -> impl UpdateListener<Err = teloxide::RequestError> {
    Polling::builder(bot)
        .timeout(POLL_TIMEOUT)
        .delete_webhook()
        .await
        .build()
}

/// Logs a failed getUpdates; teloxide then waits, longer after each
/// failure in a row (1 s doubling to 64 s), before polling again.
async fn log_polling_error(error: RequestError) {
    match error {
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => log::error!(
            "another process is polling Telegram with this bot's token (409 Conflict); \
             stop the other instance: until then each gets only some of the updates. \
             Retrying with backoff"
        ),
        error => log::error!("polling Telegram failed: {error}"),
    }
}

/// Handles the updates `listener` brings until the dispatcher is shut
/// down, reporting the listener's own failures to `errors`.
async fn dispatch<L, E>(
    dispatcher: &mut AdvisorDispatcher,
    listener: L,
    errors: Arc<E>,
) -> anyhow::Result<()>
where
    L: UpdateListener + Send,
    L::Err: Debug,
    E: ErrorHandler<L::Err> + Send + Sync,
{
    dispatcher
        .try_dispatch_with_listener(listener, errors)
        .await
        .context("could not reach the Telegram Bot API (getMe failed)")
}

/// Completes on Ctrl-C or SIGTERM: teloxide's own handler only knows
/// Ctrl-C, and systemd and containers stop services with SIGTERM.
pub async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                log::warn!("cannot listen for SIGTERM ({error}); stop with Ctrl-C");
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
