//! The Telegram shell around the advisor: updates by long polling or
//! webhook, commands and buttons, per-chat state, live reload of the
//! intents, a health check. Everything it says comes from
//! [`crate::replies`]; everything it knows comes from the matcher.

mod advisor;
mod callback;
mod flood;
mod gate;
mod group_pace;
mod handlers;
mod health;
mod html;
mod inbox;
pub(crate) mod inline;
mod keyboard;
mod polling;
mod privacy;
mod reload;
mod retry;
mod server;
mod startup;
mod tuning;
mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use teloxide::dispatching::DefaultKey;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::intents::REQUIRED_LANGS;
use crate::lang::Lang;
use crate::replies::Ui;

pub use advisor::{Advisor, Knowledge};
pub use callback::{Action, CALLBACK_DATA_LIMIT};
pub use flood::{MESSAGES_PER_WINDOW, WINDOW as FLOOD_WINDOW};
pub use handlers::{schema, AdvisorBot, Command};
pub use health::HEALTH_PATH;
pub use html::{html_messages, telegram_messages};
pub use polling::POLL_TIMEOUT;
pub use startup::StartError;
pub use tuning::{Backoff, Tuning, MAX_ATTEMPTS};
pub use webhook::{Webhook, WebhookSecret, SECRET_HEADER};

use health::Health;
use inbox::{Inbox, InboxListener};
use retry::Sender;
use server::{Server, ServerLimits};

/// A stop that any number of tasks wait for (teloxide's `StopFlag` wakes
/// only the last task to wait on it).
#[derive(Clone)]
struct Stopping(watch::Receiver<bool>);

impl Stopping {
    /// Completes once the stop has come (or nobody can send it any more).
    async fn wait(mut self) {
        let _ = self.0.wait_for(|stopped| *stopped).await;
    }
}

/// How often a stop that came before dispatching began checks again.
const STOP_RETRY: Duration = Duration::from_millis(50);

/// How long after the dispatcher stops polling may take to record what
/// Telegram had already sent and confirm it.
const POLLING_WIND_DOWN: Duration = Duration::from_secs(5);

/// The command menu Telegram shows, in `lang`.
pub fn command_menu(lang: Lang) -> Vec<BotCommand> {
    [
        ("start", Ui::StartCommand),
        ("help", Ui::HelpCommand),
        ("topics", Ui::TopicsCommand),
        ("lang", Ui::LangCommand),
        ("privacy", Ui::PrivacyCommand),
        ("forget", Ui::ForgetCommand),
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

/// Runs the bot until `stop` completes, then finishes the update in hand
/// (leaving the rest in the inbox for the next start, and exiting within
/// [`Tuning::stop_grace`] in any case), deletes the webhook if there is
/// one, and returns. Before that, the Bot API is tried until it answers
/// (a refused token is a [`StartError`]), and the updates a previous run
/// left unanswered are answered first. Meanwhile the intents are reloaded
/// whenever their folder changes, and on SIGHUP.
pub async fn serve(
    bot: Bot,
    advisor: Arc<Advisor>,
    updates: Updates,
    tuning: Tuning,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_now, stopping) = watch::channel(false);
    let signal = tokio::spawn(async move {
        stop.await;
        log::info!("stopping: finishing the update in hand; the rest stays in the inbox");
        let _ = stop_now.send(true);
        // Held until serving ends: a dropped sender would read as a stop.
        std::future::pending::<()>().await
    });
    let result = serve_until(bot, advisor, updates, &tuning, Stopping(stopping)).await;
    signal.abort();
    result
}

async fn serve_until(
    bot: Bot,
    advisor: Arc<Advisor>,
    updates: Updates,
    tuning: &Tuning,
    stopping: Stopping,
) -> anyhow::Result<()> {
    let _watch = reload::watch_intents(advisor.clone())?;
    #[cfg(unix)]
    let hangups = tokio::spawn(reload::reload_on_hangup(advisor.clone()));
    let bot = bot.throttle(tuning.limits);
    tokio::select! {
        reached = startup::reach_bot_api(&bot, tuning.poll_backoff) => drop(reached?),
        () = stopping.clone().wait() => return Ok(()),
    }
    register_commands(&bot).await;
    let counted = advisor.clone();
    let health = Arc::new(Health::new(move || counted.knowledge().intents.len()));
    let (inbox, listener) = Inbox::new(advisor.store.clone(), advisor.flood.clone());
    let feeding = start_updates(&bot, updates, inbox, &health, tuning, &stopping).await?;
    let mut dispatcher = dispatcher(Sender::new(bot.clone(), tuning), advisor.clone(), health);
    let stopper = stop_dispatching_on(stopping.clone(), advisor, &dispatcher);
    let result = dispatch(&mut dispatcher, listener, stopping, tuning.stop_grace).await;
    stopper.abort();
    if let Some(server) = feeding.server {
        server.stop().await;
    }
    if feeding.webhook {
        webhook::delete(&bot).await;
    }
    if tokio::time::timeout(POLLING_WIND_DOWN, feeding.source)
        .await
        .is_err()
    {
        log::warn!("polling did not wind down in {POLLING_WIND_DOWN:?}");
    }
    #[cfg(unix)]
    hangups.abort();
    result
}

/// What feeds the inbox while the bot runs.
struct Feeding {
    /// Replays the inbox, then polls (if polling).
    source: JoinHandle<()>,
    /// The webhook's, or the health check's, when there is one.
    server: Option<Server>,
    /// Whether there is a webhook to delete on stop.
    webhook: bool,
}

/// Starts what feeds the inbox: the updates a previous run left, then
/// polling; or the webhook's server, which also serves `/healthz`.
async fn start_updates(
    bot: &AdvisorBot,
    updates: Updates,
    inbox: Inbox,
    health: &Arc<Health>,
    tuning: &Tuning,
    stopping: &Stopping,
) -> anyhow::Result<Feeding> {
    let routes = health::router(health.clone());
    let left_over = inbox.left_over().await;
    match updates {
        Updates::Polling { health: listener } => {
            let server = listener
                .map(|listener| Server::spawn(listener, routes, ServerLimits::from(tuning)));
            let (bot, backoff, stopping) = (bot.clone(), tuning.poll_backoff, stopping.clone());
            let source = tokio::spawn(async move {
                inbox.replay(left_over).await;
                polling::poll_into(bot, inbox, backoff, stopping.wait()).await;
            });
            Ok(Feeding {
                source,
                server,
                webhook: false,
            })
        }
        Updates::Webhook(webhook) => {
            let server = webhook::listen(bot, webhook, inbox.clone(), routes, tuning).await?;
            let source = tokio::spawn(async move { inbox.replay(left_over).await });
            Ok(Feeding {
                source,
                server: Some(server),
                webhook: true,
            })
        }
    }
}

/// The dispatcher, recording every update for the health check before the
/// handlers see it. An update of a kind the bot does not handle is cleared
/// from the inbox at once.
fn dispatcher(bot: Sender, advisor: Arc<Advisor>, health: Arc<Health>) -> AdvisorDispatcher {
    let handlers = dptree::entry()
        .inspect(|health: Arc<Health>| health.record_update())
        .chain(schema());
    let ignoring = advisor.clone();
    Dispatcher::builder(bot.bot(), handlers)
        .dependencies(dptree::deps![advisor, health, bot])
        .default_handler(move |update| {
            let advisor = ignoring.clone();
            async move {
                log::debug!("ignored an update of a kind the bot does not handle: {update:?}");
                advisor.answered(&update).await;
            }
        })
        .error_handler(LoggingErrorHandler::with_custom_text(
            "an update could not be answered",
        ))
        // As deep as the inbox's queue: a chat's own queue never fills
        // first, so the dispatcher never waits on one chat while others
        // have updates ready.
        .worker_queue_size(inbox::QUEUE)
        .build()
}

/// Once `stopping` completes, lets the handlers leave the updates not yet
/// started in the inbox, and shuts the dispatcher down. A stop that comes
/// while the bot is still starting waits for dispatching to begin rather
/// than being lost; the caller aborts the returned task once dispatching
/// is over.
fn stop_dispatching_on(
    stopping: Stopping,
    advisor: Arc<Advisor>,
    dispatcher: &AdvisorDispatcher,
) -> JoinHandle<()> {
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        stopping.wait().await;
        advisor.stop_answering();
        loop {
            match shutdown.shutdown() {
                Ok(done) => return done.await,
                Err(_not_dispatching_yet) => tokio::time::sleep(STOP_RETRY).await,
            }
        }
    })
}

/// Handles the updates `listener` brings until the dispatcher is shut
/// down, or until `grace` has passed since the stop: what is still in hand
/// then stays in the inbox.
async fn dispatch(
    dispatcher: &mut AdvisorDispatcher,
    listener: InboxListener,
    stopping: Stopping,
    grace: Duration,
) -> anyhow::Result<()> {
    let dispatching = dispatcher.try_dispatch_with_listener(
        listener,
        LoggingErrorHandler::with_custom_text("taking updates failed"),
    );
    let deadline = async {
        stopping.wait().await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = dispatching => result.context("could not reach the Telegram Bot API (getMe failed)"),
        () = deadline => {
            log::warn!("updates still in hand {grace:?} after the stop: left in the inbox");
            Ok(())
        }
    }
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
