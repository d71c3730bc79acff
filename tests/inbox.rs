//! Exactly once, whatever happens: every question Telegram handed over is
//! answered once, through a SIGKILL, a stop with a full queue, a locked
//! database and a webhook update delivered twice. The inbox makes it so:
//! each update is recorded before Telegram is told it arrived, and
//! cleared once answered.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use ir_advisor::telegram::Updates;
use support::fake_bot_api::{command_update, text_update, FakeBotApi, Fault};
use support::running_bot::{Launch, RunningBot, WAIT};
use support::shipped_folder;

const QUESTION: &str = "what does an interventional radiologist do";

/// Served replies per chat.
fn replies_per_chat(api: &FakeBotApi) -> HashMap<i64, usize> {
    let mut replies = HashMap::new();
    for call in api.served("sendMessage") {
        *replies
            .entry(call.body["chat_id"].as_i64().unwrap())
            .or_default() += 1;
    }
    replies
}

/// `ir-advisor run` against `api`, with its database in `db`.
fn bot_process(api: &FakeBotApi, folder: &Path, db: &Path) -> Child {
    support::bot_binary(folder)
        .env("TELOXIDE_API_URL", api.url().as_str())
        .env("IR_ADVISOR_DB", db)
        .stderr(std::fs::File::create(folder.join("stderr")).unwrap())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_fetched_but_not_answered_survive_a_sigkill() {
    const CHATS: i64 = 6;
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("data/state.sqlite");
    for _ in 0..CHATS {
        api.fail_next("sendMessage", Fault::Stall);
    }
    let mut first = bot_process(&api, folder.path(), &db);
    api.wait_for("getUpdates", 1, WAIT).await;
    for chat in 1..=CHATS {
        api.push_update(text_update(chat, "en", QUESTION));
    }
    // Telegram has been told the updates arrived and the replies are under
    // way, stalled: killed now, the old bot lost all six. On a loaded
    // machine a reply or two may still wait their turn (a clean-clone CI run
    // once saw 4 of 6 under way after 30 s); they are lost just the same.
    api.wait_confirmed(WAIT).await;
    api.wait_for("sendMessage", 1, WAIT).await;
    let all_under_way = || (api.calls_of("sendMessage").len() >= CHATS as usize).then_some(());
    let _ = api.wait_until(Duration::from_secs(10), all_under_way).await;
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(api.served("sendMessage").is_empty());
    api.forget_faults();

    let mut second = bot_process(&api, folder.path(), &db);
    api.wait_served("sendMessage", CHATS as usize, WAIT).await;
    second.kill().unwrap();
    second.wait().unwrap();
    let replies = replies_per_chat(&api);
    assert_eq!(replies.len(), CHATS as usize, "{replies:?}");
    assert!(replies.values().all(|&count| count == 1), "{replies:?}");
}

/// Telegram lets a bot send one message a second to a chat, so a queue of
/// questions in one chat would hold a stop for as many seconds: the bot
/// finishes the reply in hand, leaves the rest in the inbox, and answers
/// them at the next start, none twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_stop_with_a_full_queue_is_quick_and_the_next_start_answers_the_rest() {
    const QUEUED: usize = 12;
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("state.sqlite");
    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    for _ in 0..QUEUED {
        api.push_update(command_update(1, "en", "/help"));
    }
    api.wait_served("sendMessage", 1, WAIT).await;
    let stopping = Instant::now();
    bot.stop().await;
    assert!(
        stopping.elapsed() < Duration::from_secs(3),
        "{:?}",
        stopping.elapsed()
    );
    let before_restart = api.served("sendMessage").len();
    assert!(before_restart < QUEUED, "the stop left some for later");

    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    api.wait_served("sendMessage", QUEUED, Duration::from_secs(30))
        .await;
    // Time for a reply too many, had one been due.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    bot.stop().await;
    assert_eq!(api.served("sendMessage").len(), QUEUED);
}

/// Another process holds the database's write lock for longer than the
/// bot waits for it: the bot answers anyway, and logs what it could not
/// save.
#[tokio::test(flavor = "multi_thread")]
async fn a_locked_database_delays_answers_but_drops_none() {
    const LOCKED: Duration = Duration::from_secs(7);
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("state.sqlite");
    let health = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let healthz = format!("http://{}/healthz", health.local_addr().unwrap());
    let folder_path = shipped_folder();
    let launch = Launch {
        updates: Updates::Polling {
            health: Some(health),
        },
        ..Launch::new(&api, &folder_path, &db)
    };
    let bot = RunningBot::start_with(&api, launch).await;
    let locker = rusqlite::Connection::open(&db).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holding = std::thread::spawn(move || {
        std::thread::sleep(LOCKED);
        locker.execute_batch("COMMIT").unwrap();
    });
    api.push_update(text_update(1, "en", QUESTION));
    api.push_update(command_update(2, "en", "/help"));
    // Waiting for SQLite holds up no async worker: the health check answers.
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let checked = tokio::time::timeout(Duration::from_secs(1), client.get(&healthz).send())
        .await
        .expect("/healthz within 1 s while the database is locked")
        .unwrap();
    assert!(checked.status().is_success());
    api.wait_served("sendMessage", 2, Duration::from_secs(20))
        .await;
    holding.join().unwrap();
    bot.stop().await;
    let replies = replies_per_chat(&api);
    assert_eq!(replies, HashMap::from([(1, 1), (2, 1)]));
}

/// By webhook: the 200 goes back only once the update is recorded, so an
/// update Telegram saw accepted survives a SIGKILL too.
#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_update_accepted_then_killed_is_answered_after_the_restart() {
    const SECRET: &str = "inbox-test-secret";
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("state.sqlite");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let webhook_bot = || {
        let mut command = support::bot_binary(folder.path());
        command
            .args(["--webhook-url", "https://bot.example/updates"])
            .env("IR_ADVISOR_LISTEN", format!("127.0.0.1:{port}"))
            .env("IR_ADVISOR_WEBHOOK_SECRET", SECRET)
            .env("TELOXIDE_API_URL", api.url().as_str())
            .env("IR_ADVISOR_DB", &db)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    api.fail_next("sendMessage", Fault::Stall);
    let mut first = webhook_bot();
    api.wait_for("setWebhook", 1, WAIT).await;
    let mut update = text_update(31, "en", QUESTION);
    update["update_id"] = 4_000.into();
    let status = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("http://127.0.0.1:{port}/updates"))
        .header("x-telegram-bot-api-secret-token", SECRET)
        .json(&update)
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success());
    api.wait_for("sendMessage", 1, WAIT).await;
    first.kill().unwrap();
    first.wait().unwrap();

    let mut second = webhook_bot();
    let sent = api.wait_served("sendMessage", 1, WAIT).await;
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(sent[0].body["chat_id"], 31);
    assert_eq!(api.served("sendMessage").len(), 1);
}
