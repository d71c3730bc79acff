//! The real bot, serving a [`FakeBotApi`] from inside the test process,
//! as the tests drive it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ir_advisor::storage::{ChatStore, IN_MEMORY};
use ir_advisor::telegram::{serve, Advisor, Backoff, Tuning, Updates};
use ir_advisor::unmatched::UnmatchedLog;
use serde_json::Value;
use teloxide::adaptors::throttle::Limits;
use teloxide::Bot;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::fake_bot_api::{Call, FakeBotApi};
use super::shipped_folder;

pub const TOKEN: &str = "123456:TEST-token-never-printed";

/// How long a test waits for the bot before it fails: a bound, not a
/// speed figure, so generous enough for a debug binary starting on a
/// loaded 2-core machine (10 s once failed there).
pub const WAIT: Duration = Duration::from_secs(30);

/// The unmatched log's size cap in these tests.
pub const UNMATCHED_MAX_BYTES: u64 = 4_096;

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

/// Production's tuning with every wait scaled down, so that a test of a
/// failure waits milliseconds where the bot would wait seconds.
pub fn quick() -> Tuning {
    Tuning {
        send_backoff: Backoff {
            first: Duration::from_millis(50),
            max: Duration::from_millis(200),
        },
        poll_backoff: Backoff {
            first: Duration::from_millis(100),
            max: Duration::from_millis(800),
        },
        stop_grace: Duration::from_secs(3),
        webhook_read_timeout: Duration::from_secs(1),
        ..Tuning::default()
    }
}

/// The bot as `ir-advisor run` builds it, pointed at `api`.
pub fn bot_for(api: &FakeBotApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.url())
}

/// How to start a bot: [`Launch::new`] gives the usual, and a test changes
/// what it needs with struct update syntax.
pub struct Launch<'a> {
    pub bot: Bot,
    pub tuning: Tuning,
    pub folder: &'a Path,
    pub db: &'a Path,
    pub admins: Vec<u64>,
    pub updates: Updates,
}

impl<'a> Launch<'a> {
    /// Polling `api` with Telegram's limits and [`quick`] waits, no admins.
    pub fn new(api: &FakeBotApi, folder: &'a Path, db: &'a Path) -> Launch<'a> {
        Launch {
            bot: bot_for(api),
            tuning: quick(),
            folder,
            db,
            admins: Vec::new(),
            updates: Updates::Polling { health: None },
        }
    }
}

pub struct RunningBot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    /// Holds the unmatched log.
    state: tempfile::TempDir,
}

impl RunningBot {
    /// The bot over the intents in `folder`, with chat state in `db`.
    pub async fn start(api: &FakeBotApi, folder: &Path, db: &Path) -> RunningBot {
        RunningBot::start_with(api, Launch::new(api, folder, db)).await
    }

    /// The shipped intents, in-memory chat state.
    pub async fn shipped(api: &FakeBotApi) -> RunningBot {
        RunningBot::start(api, &shipped_folder(), Path::new(IN_MEMORY)).await
    }

    /// The bot with `admins`.
    pub async fn start_with_admins(
        api: &FakeBotApi,
        folder: &Path,
        db: &Path,
        admins: Vec<u64>,
    ) -> RunningBot {
        let launch = Launch {
            admins,
            ..Launch::new(api, folder, db)
        };
        RunningBot::start_with(api, launch).await
    }

    /// The bot as `launch` says; returns once it polls.
    pub async fn start_with(api: &FakeBotApi, launch: Launch<'_>) -> RunningBot {
        let bot = RunningBot::spawn(launch);
        // Dispatching has started once the bot polls.
        api.wait_for("getUpdates", 1, WAIT).await;
        bot
    }

    /// The bot as `launch` says, started but perhaps not yet dispatching.
    pub fn spawn(launch: Launch<'_>) -> RunningBot {
        let state = tempfile::tempdir().unwrap();
        let unmatched =
            UnmatchedLog::open(&state.path().join("unmatched.jsonl"), UNMATCHED_MAX_BYTES).unwrap();
        let store = ChatStore::open(launch.db).unwrap();
        let advisor = Advisor::load(launch.folder, store, unmatched)
            .unwrap()
            .with_admins(launch.admins);
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = serve(
            launch.bot,
            Arc::new(advisor),
            launch.updates,
            launch.tuning,
            async {
                let _ = stopped.await;
            },
        );
        RunningBot {
            stop,
            task: tokio::spawn(serving),
            state,
        }
    }

    /// Where this bot logs the questions it could not answer (gone once
    /// the bot is stopped).
    pub fn unmatched_log(&self) -> PathBuf {
        self.state.path().join("unmatched.jsonl")
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

pub async fn shipped_bot(api: &FakeBotApi) -> RunningBot {
    RunningBot::shipped(api).await
}

/// Sends `update` and returns the message the bot sends back.
pub async fn reply_to(api: &FakeBotApi, update: Value) -> Call {
    let before = api.calls_of("sendMessage").len();
    api.push_update(update);
    api.wait_for("sendMessage", before + 1, WAIT)
        .await
        .pop()
        .unwrap()
}

pub fn text_of(call: &Call) -> &str {
    call.body["text"].as_str().unwrap()
}
