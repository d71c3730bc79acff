//! The Telegram shell around the advisor: long polling with teloxide,
//! commands and buttons, per-chat state. Everything it says comes from
//! [`crate::replies`]; everything it knows comes from the matcher.

mod callback;
mod flood;
mod handlers;
mod html;
mod keyboard;
mod retry;

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use teloxide::adaptors::throttle::Limits;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use teloxide::update_listeners::Polling;
use teloxide::{ApiError, RequestError};

use crate::intents::{IntentSet, REQUIRED_LANGS};
use crate::lang::Lang;
use crate::matcher::Matcher;
use crate::replies::Ui;
use crate::storage::ChatStore;
use flood::{FloodLimiter, Verdict};

pub use callback::{Action, CALLBACK_DATA_LIMIT};
pub use flood::MESSAGES_PER_WINDOW;
pub use handlers::{schema, AdvisorBot, Command};
pub use html::{html_messages, telegram_messages};
pub use retry::MAX_ATTEMPTS;

/// The environment variable that holds the bot token (teloxide's own name).
pub const TOKEN_VARIABLE: &str = "TELOXIDE_TOKEN";

/// How long one getUpdates call waits for news: long enough to keep idle
/// polling cheap, well under the HTTP client's own 17 s timeout.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a handler needs: the intents, their matcher, the chat
/// store, and the pace of each chat.
pub struct Advisor {
    pub intents: IntentSet,
    pub matcher: Matcher,
    pub store: ChatStore,
    flood: Mutex<FloodLimiter>,
}

impl Advisor {
    pub fn new(intents: IntentSet, store: ChatStore) -> Advisor {
        Advisor {
            matcher: Matcher::new(&intents),
            intents,
            store,
            flood: Mutex::default(),
        }
    }

    /// Whether to answer a message from `chat` arriving now.
    fn pace(&self, chat: ChatId) -> Verdict {
        // The limiter's state is valid after any panic mid-check: at worst
        // one message is counted or not.
        let mut limiter = self.flood.lock().unwrap_or_else(PoisonError::into_inner);
        limiter.check(chat.0, Instant::now())
    }
}

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

/// Runs the bot with long polling until `stop` completes, then finishes
/// the updates in hand and returns. Replies are paced by Telegram's
/// default limits.
pub async fn serve(
    bot: Bot,
    advisor: Arc<Advisor>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with_limits(bot, Limits::default(), advisor, stop).await
}

/// [`serve`] with other send limits than Telegram's: a local Bot API
/// server, or a load test, can take more.
pub async fn serve_with_limits(
    bot: Bot,
    limits: Limits,
    advisor: Arc<Advisor>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let bot = bot.throttle(limits);
    register_commands(&bot).await;
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![advisor])
        .default_handler(|update| async move {
            log::debug!("ignored an update of a kind the bot does not handle: {update:?}");
        })
        .error_handler(LoggingErrorHandler::with_custom_text(
            "an update could not be answered",
        ))
        .build();
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        stop.await;
        log::info!("stopping: finishing the updates in hand");
        // Fails only when dispatching has not started or already stopped;
        // either way there is nothing left to stop.
        if let Ok(done) = shutdown.shutdown() {
            done.await;
        }
    });
    let listener = Polling::builder(bot)
        .timeout(POLL_TIMEOUT)
        .delete_webhook()
        .await
        .build();
    dispatcher
        .try_dispatch_with_listener(listener, Arc::new(log_polling_error))
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
