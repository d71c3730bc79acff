//! The real bot, serving on a fake Bot API server, as the tests drive it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ir_advisor::storage::{ChatStore, IN_MEMORY};
use ir_advisor::telegram::{serve, Advisor, Updates};
use ir_advisor::unmatched::UnmatchedLog;
use serde_json::Value;
use teloxide::Bot;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::fake_bot_api::{Call, FakeBotApi};
use super::shipped_folder;

pub const TOKEN: &str = "123456:TEST-token-never-printed";
pub const WAIT: Duration = Duration::from_secs(10);

pub struct RunningBot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    /// Holds the unmatched log.
    state: tempfile::TempDir,
}

/// The unmatched log's size cap in these tests.
pub const UNMATCHED_MAX_BYTES: u64 = 4_096;

impl RunningBot {
    /// The bot over the intents in `folder`, with chat state in `db`.
    pub async fn start(api: &FakeBotApi, folder: &Path, db: &Path) -> RunningBot {
        RunningBot::start_with_admins(api, folder, db, Vec::new()).await
    }

    /// The bot polling, with `admins`; returns once it polls.
    pub async fn start_with_admins(
        api: &FakeBotApi,
        folder: &Path,
        db: &Path,
        admins: Vec<u64>,
    ) -> RunningBot {
        let bot = RunningBot::spawn(api, folder, db, admins, Updates::Polling { health: None });
        // Dispatching has started once the bot polls.
        api.wait_for("getUpdates", 1, WAIT).await;
        bot
    }

    /// The bot taking `updates`, started but perhaps not yet dispatching.
    pub fn spawn(
        api: &FakeBotApi,
        folder: &Path,
        db: &Path,
        admins: Vec<u64>,
        updates: Updates,
    ) -> RunningBot {
        let state = tempfile::tempdir().unwrap();
        let unmatched =
            UnmatchedLog::open(&state.path().join("unmatched.jsonl"), UNMATCHED_MAX_BYTES).unwrap();
        let advisor = Advisor::load(folder, ChatStore::open(db).unwrap(), unmatched)
            .unwrap()
            .with_admins(admins);
        let advisor = Arc::new(advisor);
        let bot = Bot::new(TOKEN).set_api_url(api.url());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(bot, advisor, updates, async {
            let _ = stopped.await;
        }));
        RunningBot { stop, task, state }
    }

    /// Where this bot logs the questions it could not answer (gone once
    /// the bot is stopped).
    pub fn unmatched_log(&self) -> PathBuf {
        self.state.path().join("unmatched.jsonl")
    }

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
    RunningBot::start(api, &shipped_folder(), Path::new(IN_MEMORY)).await
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
