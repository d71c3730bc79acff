//! Production mode end to end: updates by webhook through the real
//! listener, `/healthz` in both modes, against a fake Bot API server on
//! 127.0.0.1. Nothing here reaches the real Telegram servers.

mod support;

use std::net::SocketAddr;
use std::path::Path;

use ir_advisor::storage::IN_MEMORY;
use ir_advisor::telegram::{Updates, Webhook};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::fake_bot_api::{button_data, command_update, Call, FakeBotApi};
use support::running_bot::{Launch, RunningBot, WAIT};
use support::{shipped_folder, shipped_intents};
use tokio::net::TcpListener;

const SECRET: &str = "test-webhook_secret-42";
const WEBHOOK_PATH: &str = "/telegram/updates";
const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// The bot with the address it listens on: the webhook, or the health
/// check when polling.
struct ListeningBot {
    address: SocketAddr,
    bot: RunningBot,
}

impl ListeningBot {
    fn start(api: &FakeBotApi, updates: Updates, address: SocketAddr) -> ListeningBot {
        let folder = shipped_folder();
        let bot = RunningBot::spawn(Launch {
            updates,
            ..Launch::new(api, &folder, Path::new(IN_MEMORY))
        });
        ListeningBot { address, bot }
    }

    /// A bot taking updates by webhook; returns once the webhook is set.
    async fn webhook(api: &FakeBotApi, secret: Option<&str>) -> ListeningBot {
        let (listener, address) = free_listener().await;
        let webhook = Webhook {
            url: format!("https://bot.example{WEBHOOK_PATH}")
                .parse()
                .unwrap(),
            listener,
            secret: secret.map(|s| s.parse().unwrap()),
        };
        let bot = ListeningBot::start(api, Updates::Webhook(webhook), address);
        api.wait_for("setWebhook", 1, WAIT).await;
        bot
    }

    /// A bot polling, with `/healthz` on its own listener; returns once it
    /// polls.
    async fn polling_with_health(api: &FakeBotApi) -> ListeningBot {
        let (listener, address) = free_listener().await;
        let updates = Updates::Polling {
            health: Some(listener),
        };
        let bot = ListeningBot::start(api, updates, address);
        api.wait_for("getUpdates", 1, WAIT).await;
        bot
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// POSTs `update` to the webhook as Telegram would, with `secret` in
    /// the header when there is one.
    async fn post_update(&self, update: Value, secret: Option<&str>) -> StatusCode {
        let mut request = client().post(self.url(WEBHOOK_PATH)).json(&update);
        if let Some(secret) = secret {
            request = request.header(SECRET_HEADER, secret);
        }
        request.send().await.unwrap().status()
    }

    async fn health(&self) -> (StatusCode, Value) {
        let response = client().get(self.url("/healthz")).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn stop(self) {
        self.bot.stop().await;
    }
}

async fn free_listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    (listener, address)
}

/// A client that never goes through a proxy from the environment.
fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// A command as Telegram posts it, with its update id.
fn posted_command(update_id: i64, chat_id: i64, command: &str) -> Value {
    let mut update = command_update(chat_id, "en", command);
    update["update_id"] = json!(update_id);
    update
}

fn text_of(call: &Call) -> &str {
    call.body["text"].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webhook_is_set_with_its_url_and_secret() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let set = &api.calls_of("setWebhook")[0];
    assert_eq!(set.body["url"], "https://bot.example/telegram/updates");
    assert_eq!(set.body["secret_token"], SECRET);
    assert!(api.calls_of("getUpdates").is_empty(), "no polling");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_with_the_secret_is_answered() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let status = bot
        .post_update(posted_command(1, 21, "/help"), Some(SECRET))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sent = api.wait_for("sendMessage", 1, WAIT).await;
    assert_eq!(sent[0].body["chat_id"], 21);
    assert!(
        text_of(&sent[0]).contains("/topics"),
        "{}",
        text_of(&sent[0])
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_configured_secret_a_random_one_is_required() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, None).await;
    let secret = api.calls_of("setWebhook")[0].body["secret_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(secret.len() >= 32, "{secret}");
    let update = posted_command(1, 22, "/help");
    assert_eq!(
        bot.post_update(update.clone(), None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(bot.post_update(update, Some(&secret)).await, StatusCode::OK);
    api.wait_for("sendMessage", 1, WAIT).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_wrong_secret_gets_401_and_no_reply() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let missing = bot.post_update(posted_command(1, 23, "/help"), None).await;
    let wrong = bot
        .post_update(posted_command(2, 23, "/help"), Some("not-the-secret"))
        .await;
    // Characters Telegram never uses in a secret: rejected as malformed.
    let malformed = bot
        .post_update(posted_command(3, 23, "/help"), Some("not the secret!"))
        .await;
    assert_eq!(missing, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, StatusCode::UNAUTHORIZED);
    assert_eq!(malformed, StatusCode::BAD_REQUEST);
    // An update with the secret, sent after the rejected ones were
    // answered, is the only one the bot replies to.
    bot.post_update(posted_command(4, 23, "/topics"), Some(SECRET))
        .await;
    let sent = api.wait_for("sendMessage", 1, WAIT).await;
    bot.stop().await;
    assert_eq!(api.calls_of("sendMessage").len(), 1);
    let buttons = button_data(&sent[0]);
    assert!(
        !buttons.is_empty() && buttons.iter().all(|d| d.starts_with("t:en:")),
        "the /topics reply: {}",
        text_of(&sent[0])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_deletes_the_webhook_and_closes_the_listener() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let address = bot.address;
    assert!(api.calls_of("deleteWebhook").is_empty());
    bot.stop().await;
    assert_eq!(api.calls_of("deleteWebhook").len(), 1);
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_on_the_webhook_listener_reports_intents_and_last_update() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let (status, report) = bot.health().await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        report,
        json!({"status": "ok", "intents": shipped_intents().len(), "last_update": null})
    );
    bot.post_update(posted_command(1, 24, "/help"), Some(SECRET))
        .await;
    api.wait_for("sendMessage", 1, WAIT).await;
    let (_, report) = bot.health().await;
    let last_update = report["last_update"].as_str().expect("a time");
    assert!(chrono::DateTime::parse_from_rfc3339(last_update).is_ok());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_while_polling_is_on_its_own_listener() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::polling_with_health(&api).await;
    let (status, report) = bot.health().await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["intents"], shipped_intents().len());
    assert_eq!(report["last_update"], Value::Null);
    api.push_update(command_update(25, "en", "/help"));
    api.wait_for("sendMessage", 1, WAIT).await;
    let (_, report) = bot.health().await;
    assert!(report["last_update"].is_string(), "{report}");
    let address = bot.address;
    bot.stop().await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}

/// POSTs raw `bytes` as the body to the webhook at `address`, with the
/// secret.
async fn post_raw(address: SocketAddr, bytes: Vec<u8>) -> StatusCode {
    client()
        .post(format!("http://{address}{WEBHOOK_PATH}"))
        .header(SECRET_HEADER, SECRET)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_delivered_twice_is_answered_once() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let update = posted_command(7, 26, "/help");
    assert_eq!(
        bot.post_update(update.clone(), Some(SECRET)).await,
        StatusCode::OK
    );
    assert_eq!(bot.post_update(update, Some(SECRET)).await, StatusCode::OK);
    // A later update's reply comes after any the duplicate would have had.
    bot.post_update(posted_command(8, 27, "/help"), Some(SECRET))
        .await;
    api.wait_for("sendMessage", 2, WAIT).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    bot.stop().await;
    let to_26 = api
        .calls_of("sendMessage")
        .iter()
        .filter(|c| c.body["chat_id"] == 26)
        .count();
    assert_eq!(to_26, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_or_oversized_bodies_are_refused() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let malformed = post_raw(
        bot.address,
        br#"{"update_id": 1, "message": {"text": "#.to_vec(),
    )
    .await;
    let oversized = post_raw(bot.address, vec![b' '; 257 * 1024]).await;
    let healthy = bot
        .post_update(posted_command(9, 28, "/help"), Some(SECRET))
        .await;
    api.wait_for("sendMessage", 1, WAIT).await;
    bot.stop().await;
    assert_eq!(malformed, StatusCode::BAD_REQUEST);
    assert_eq!(oversized, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(healthy, StatusCode::OK);
}

/// Raw HTTP on a fresh connection: what the server answers (the status
/// line) within `limit`, or `None` if it closes or says nothing.
async fn raw_exchange(
    address: SocketAddr,
    request: &[u8],
    limit: std::time::Duration,
) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(limit, stream.read(&mut answer))
        .await
        .ok()?
        .ok()?;
    let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
    answer
        .lines()
        .next()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_is_checked_before_the_body_is_read() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    // A 100 MB body announced and never sent: refused at once, unread.
    let request = format!(
        "POST {WEBHOOK_PATH} HTTP/1.1\r\nhost: bot\r\ncontent-type: application/json\r\n\
         content-length: 100000000\r\n\r\n"
    );
    let status = raw_exchange(
        bot.address,
        request.as_bytes(),
        std::time::Duration::from_secs(2),
    )
    .await;
    bot.stop().await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 401 Unauthorized"));
}

/// A client that sends its headers too slowly is cut off (after 1 s in
/// these tests, 10 s in production).
#[tokio::test(flavor = "multi_thread")]
async fn headers_that_do_not_arrive_in_time_close_the_connection() {
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let started = std::time::Instant::now();
    let status = raw_exchange(
        bot.address,
        b"POST /telegram",
        std::time::Duration::from_secs(5),
    )
    .await;
    let waited = started.elapsed();
    bot.stop().await;
    assert!(
        status.as_deref().is_none_or(|s| s.contains("408")),
        "{status:?}"
    );
    assert!(waited < std::time::Duration::from_secs(3), "{waited:?}");
}

/// A flood of idle connections cannot shut Telegram, or the health check,
/// out: the oldest idle ones are closed to make room.
#[tokio::test(flavor = "multi_thread")]
async fn after_1100_idle_connections_an_update_and_healthz_still_answer_in_2_s() {
    const IDLE: usize = 1_100;
    const LIMIT: std::time::Duration = std::time::Duration::from_secs(2);
    let api = FakeBotApi::start().await;
    let bot = ListeningBot::webhook(&api, Some(SECRET)).await;
    let open_files = || std::fs::read_dir("/proc/self/fd").map_or(0, |fds| fds.count());
    let before = open_files();
    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(tokio::net::TcpStream::connect(bot.address).await.unwrap());
    }
    // The test's own 1 100 ends, at most 256 the bot keeps open, and a
    // margin for the test running beside this one.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let opened = open_files().saturating_sub(before);
    assert!(opened <= IDLE + 256 + 100, "{opened} files opened");
    let started = std::time::Instant::now();
    let status = tokio::time::timeout(
        LIMIT,
        bot.post_update(posted_command(10, 29, "/help"), Some(SECRET)),
    )
    .await
    .expect("the update within 2 s");
    assert_eq!(status, StatusCode::OK);
    let health = tokio::time::timeout(LIMIT, bot.health())
        .await
        .expect("/healthz within 2 s");
    assert_eq!(health.0, StatusCode::OK);
    assert!(started.elapsed() < LIMIT * 2);
    api.wait_for("sendMessage", 1, WAIT).await;
    drop(idle);
    bot.stop().await;
}

#[test]
fn an_invalid_webhook_secret_stops_the_start_with_a_clear_message() {
    let folder = tempfile::tempdir().unwrap();
    let output = support::bot_binary(folder.path())
        .args(["--webhook-url", "https://bot.example/telegram/updates"])
        .env("IR_ADVISOR_WEBHOOK_SECRET", "has spaces!")
        .output()
        .unwrap();
    let stderr = support::text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("IR_ADVISOR_WEBHOOK_SECRET") && stderr.contains("A-Z"),
        "{stderr}"
    );
    assert!(!stderr.contains("has spaces!") && !stderr.contains("panicked"));
}

/// A body that is not an update may still hold a student's words: it is
/// answered 400 and never logged, even at the most verbose level above
/// debug.
#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_update_is_not_logged() {
    const WORDS: &str = "my-private-question-words";
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let (listener, address) = free_listener().await;
    drop(listener);
    let log = folder.path().join("stderr");
    let mut child = support::bot_binary(folder.path())
        .args(["--webhook-url", "https://bot.example/telegram/updates"])
        .env("IR_ADVISOR_LISTEN", address.to_string())
        .env("IR_ADVISOR_WEBHOOK_SECRET", SECRET)
        .env("TELOXIDE_API_URL", api.url().as_str())
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    api.wait_for("setWebhook", 1, WAIT).await;
    let body = format!(r#"{{"update_id": 5, "message": {{"text": "{WORDS}""#);
    let status = post_raw(address, body.into_bytes()).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let printed = std::fs::read_to_string(&log).unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(printed.contains("was not an update"), "{printed}");
    assert!(!printed.contains(WORDS), "{printed}");
}
