//! The real bot, serving a [`FakeBotApi`] from inside the test process.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ir_advisor::intents::IntentSet;
use ir_advisor::storage::{ChatStore, IN_MEMORY};
use ir_advisor::telegram::{serve_with_limits, Advisor};
use teloxide::adaptors::throttle::Limits;
use teloxide::Bot;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::fake_bot_api::FakeBotApi;
use super::shipped_intents;

pub const TOKEN: &str = "123456:TEST-token-never-printed";

/// How long a test waits for the bot before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// Send limits no test reaches, for tests that send more replies than
/// Telegram's limits let through in a few seconds.
pub fn unlimited() -> Limits {
    Limits {
        messages_per_sec_chat: 10_000,
        messages_per_min_chat: 1_000_000,
        messages_per_min_channel_or_supergroup: 1_000_000,
        messages_per_sec_overall: 10_000,
    }
}

pub fn memory_store() -> ChatStore {
    ChatStore::open(Path::new(IN_MEMORY)).unwrap()
}

/// The bot as `ir-advisor run` builds it, pointed at `api`.
pub fn bot_for(api: &FakeBotApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.url())
}

pub struct RunningBot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl RunningBot {
    /// The bot with Telegram's send limits.
    pub async fn start(api: &FakeBotApi, intents: IntentSet, store: ChatStore) -> RunningBot {
        RunningBot::start_with(api, bot_for(api), Limits::default(), intents, store).await
    }

    /// The shipped intents, in-memory chat state.
    pub async fn shipped(api: &FakeBotApi) -> RunningBot {
        RunningBot::start(api, shipped_intents(), memory_store()).await
    }

    pub async fn start_with(
        api: &FakeBotApi,
        bot: Bot,
        limits: Limits,
        intents: IntentSet,
        store: ChatStore,
    ) -> RunningBot {
        let advisor = Arc::new(Advisor::new(intents, store));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_with_limits(bot, limits, advisor, async {
            let _ = stopped.await;
        }));
        // Dispatching has started once the bot polls.
        api.wait_for("getUpdates", 1, WAIT).await;
        RunningBot { stop, task }
    }

    /// Stops the bot, which finishes the updates in hand first.
    pub async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the bot stops promptly")
            .unwrap()
            .expect("the bot stops cleanly");
    }
}
