//! The bot against a misbehaving Bot API: server errors, dropped and
//! stalled connections, garbage, rate limits. Each test has its own fake
//! server, so they run side by side; teloxide waits 10 s after any 5xx
//! and backs off between failed polls, which sets their length.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use ir_advisor::storage::IN_MEMORY;
use serde_json::json;
use support::fake_bot_api::{button_data, command_update, text_update, FakeBotApi, Fault};
use support::running_bot::{Launch, RunningBot, TOKEN, WAIT};
use support::shipped_folder;
use teloxide::Bot;

/// The client timeout of the bot under test: short, so a stalled answer
/// costs seconds, not the default 17.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);

/// Long enough for one 5xx (teloxide's 10 s pause) and the retry after.
const RECOVERY: Duration = Duration::from_secs(40);

/// Two students, one per language: (chat, Telegram language, question,
/// the language of the answer).
const STUDENTS: [(i64, &str, &str, &str); 2] = [
    (1, "en", "what does an interventional radiologist do", "en"),
    (
        2,
        "en",
        "berapa tahun sekolah untuk jadi radiolog intervensi",
        "id",
    ),
];

fn impatient_bot(api: &FakeBotApi) -> Bot {
    let client = teloxide::net::default_reqwest_settings()
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap();
    Bot::with_client(TOKEN, client).set_api_url(api.url())
}

async fn impatient(api: &FakeBotApi) -> RunningBot {
    let folder = shipped_folder();
    let launch = Launch {
        bot: impatient_bot(api),
        ..Launch::new(api, &folder, Path::new(IN_MEMORY))
    };
    RunningBot::start_with(api, launch).await
}

/// Makes the next calls of `method` meet `faults`, then sends every
/// student's question, and checks that once the server behaves again each
/// was answered exactly once, in its language.
async fn answered_once_despite(method: &str, faults: Vec<Fault>) {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    for fault in &faults {
        api.fail_next(method, fault.clone());
    }
    if method == "getUpdates" {
        // Questions sent now wait for a poll after the faults.
        api.wait_faults_met(method, RECOVERY).await;
    }
    for (chat, telegram_lang, question, _) in STUDENTS {
        api.push_update(text_update(chat, telegram_lang, question));
    }
    api.wait_served("sendMessage", STUDENTS.len(), RECOVERY)
        .await;
    bot.stop().await;
    let scenario = format!("{method} meeting {faults:?}");
    assert_each_answered_once(&api, &scenario);
    let faulted = api
        .calls_of(method)
        .iter()
        .filter(|c| c.fault.is_some())
        .count();
    assert_eq!(faulted, faults.len(), "{scenario}: every fault was met");
}

fn assert_each_answered_once(api: &FakeBotApi, scenario: &str) {
    let mut replies: HashMap<i64, Vec<String>> = HashMap::new();
    for call in api.served("sendMessage") {
        let chat = call.body["chat_id"].as_i64().unwrap();
        replies.entry(chat).or_default().extend(button_data(&call));
    }
    assert_eq!(replies.len(), STUDENTS.len(), "{scenario}: {replies:?}");
    for (chat, _, _, answer_lang) in STUDENTS {
        let buttons = &replies[&chat];
        // Related topics ("a:<lang>:<id>") and votes ("v:+:<lang>:<id>")
        // both carry the reply's language.
        let in_lang = format!(":{answer_lang}:");
        assert!(
            !buttons.is_empty() && buttons.iter().all(|b| b.contains(&in_lang)),
            "{scenario}: {buttons:?}"
        );
    }
    let served = api.served("sendMessage").len();
    assert_eq!(served, STUDENTS.len(), "{scenario}: one reply per question");
}

// Scenarios of one kind run side by side: each waits out teloxide's
// pauses, and the test harness runs only as many tests at once as there
// are cores.

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_500_and_502() {
    tokio::join!(
        answered_once_despite("getUpdates", vec![Fault::status(500)]),
        answered_once_despite("getUpdates", vec![Fault::status(502)]),
        answered_once_despite("sendMessage", vec![Fault::status(500)]),
        answered_once_despite("sendMessage", vec![Fault::status(502)]),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_closed_mid_response() {
    tokio::join!(
        answered_once_despite("getUpdates", vec![Fault::CloseMidResponse]),
        answered_once_despite(
            "sendMessage",
            vec![Fault::CloseMidResponse, Fault::CloseMidResponse]
        ),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_that_stall_past_the_client_timeout() {
    tokio::join!(
        answered_once_despite("getUpdates", vec![Fault::Stall]),
        answered_once_despite("sendMessage", vec![Fault::Stall]),
    );
}

/// Telegram stalls, then delivers: within the client's timeout the bot
/// waits and sends nothing twice; past it, it sends once more (the student
/// may see the reply twice, and the log says so) and never a third time.
#[tokio::test(flavor = "multi_thread")]
async fn a_stall_shorter_than_the_client_timeout_sends_nothing_twice() {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    api.fail_next("sendMessage", Fault::Slow(CLIENT_TIMEOUT / 2));
    api.push_update(command_update(12, "en", "/help"));
    api.wait_served("sendMessage", 1, WAIT).await;
    // Long enough for a resend after the client's timeout, had there been one.
    tokio::time::sleep(CLIENT_TIMEOUT).await;
    bot.stop().await;
    assert_eq!(api.calls_of("sendMessage").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stall_past_the_client_timeout_sends_at_most_once_more() {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    for _ in 0..3 {
        api.fail_next("sendMessage", Fault::Slow(CLIENT_TIMEOUT * 2));
    }
    api.push_update(command_update(13, "en", "/help"));
    api.wait_for("sendMessage", 2, WAIT).await;
    // Time for a third try, had there been one.
    tokio::time::sleep(CLIENT_TIMEOUT * 2).await;
    bot.stop().await;
    assert_eq!(api.calls_of("sendMessage").len(), 2);
}

/// The case at full scale, with production's client timeout: a
/// 60 s stall, then delivery, sends the reply once. A minute long, so it
/// runs only when asked: `cargo test --test faults -- --ignored`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "takes a minute"]
async fn a_sixty_second_stall_sends_the_reply_once() {
    let api = FakeBotApi::start().await;
    let client = teloxide::net::default_reqwest_settings()
        .timeout(ir_advisor::telegram::Tuning::default().request_timeout)
        .build()
        .unwrap();
    let folder = shipped_folder();
    let launch = Launch {
        bot: Bot::with_client(TOKEN, client).set_api_url(api.url()),
        ..Launch::new(&api, &folder, Path::new(IN_MEMORY))
    };
    let bot = RunningBot::start_with(&api, launch).await;
    api.fail_next("sendMessage", Fault::Slow(Duration::from_secs(60)));
    api.push_update(command_update(14, "en", "/help"));
    // A chat's updates are handled in turn: the /topics reply goes out only
    // once the stalled /help reply is done, and would follow a resend.
    api.push_update(command_update(14, "en", "/topics"));
    let sent = api
        .wait_for("sendMessage", 2, Duration::from_secs(90))
        .await;
    bot.stop().await;
    assert!(sent[1].body["text"] != sent[0].body["text"], "no resend");
    assert!(
        sent[1].at - sent[0].at >= Duration::from_secs(60),
        "it waited"
    );
    assert_eq!(api.calls_of("sendMessage").len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_json() {
    tokio::join!(
        answered_once_despite("getUpdates", vec![Fault::MalformedJson]),
        answered_once_despite("sendMessage", vec![Fault::MalformedJson]),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_reply_is_not_sent_again() {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    api.fail_next("sendMessage", Fault::status(403));
    api.push_update(command_update(3, "en", "/help"));
    api.wait_for("sendMessage", 1, WAIT).await;
    let next = api.calls_of("sendMessage").len() + 1;
    api.push_update(command_update(4, "en", "/help"));
    api.wait_served("sendMessage", 1, WAIT).await;
    bot.stop().await;
    assert_eq!(
        api.calls_of("sendMessage").len(),
        next,
        "no second try for chat 3"
    );
}

/// A reply that keeps failing is given up after a bounded number of
/// tries, growing apart, and the bot goes on answering.
#[tokio::test(flavor = "multi_thread")]
async fn a_reply_that_keeps_failing_is_given_up_and_the_bot_goes_on() {
    let attempts = ir_advisor::telegram::MAX_ATTEMPTS as usize;
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    for _ in 0..attempts + 1 {
        api.fail_next("sendMessage", Fault::CloseMidResponse);
    }
    api.push_update(command_update(6, "en", "/help"));
    api.wait_for("sendMessage", attempts, RECOVERY).await;
    // The extra fault meets the next question's first try.
    api.push_update(command_update(7, "en", "/help"));
    let served = api.wait_served("sendMessage", 1, RECOVERY).await;
    bot.stop().await;
    assert_eq!(served[0].body["chat_id"], 7);
    let to_chat = |chat: i64| {
        let calls = api.calls_of("sendMessage");
        calls.iter().filter(|c| c.body["chat_id"] == chat).count()
    };
    assert_eq!(to_chat(6), attempts, "chat 6: every try, then no more");
    assert_eq!(to_chat(7), 2, "chat 7: one failure, one retry");
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_the_bot_cannot_read_are_skipped() {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    api.push_update(json!({"message_reaction_2099": {"chat": {"id": 1}, "stars": 5}}));
    api.push_update(json!({"message": {"looks": "nothing like a message"}}));
    let (chat, telegram_lang, question, _) = STUDENTS[0];
    api.push_update(text_update(chat, telegram_lang, question));
    let (chat, telegram_lang, question, _) = STUDENTS[1];
    api.push_update(text_update(chat, telegram_lang, question));
    api.wait_served("sendMessage", 2, WAIT).await;
    bot.stop().await;
    assert_each_answered_once(&api, "unreadable updates");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_is_waited_out_and_the_reply_still_sent() {
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    api.fail_next("sendMessage", Fault::too_many_requests(1));
    api.push_update(command_update(11, "en", "/help"));
    let calls = api.wait_served("sendMessage", 1, WAIT).await;
    bot.stop().await;
    let all = api.calls_of("sendMessage");
    assert_eq!(all.len(), 2, "the limited call and its retry");
    assert_eq!(all[0].body, calls[0].body, "the same reply, retried");
    assert!(calls[0].body["text"].as_str().unwrap().contains("/topics"));
}

/// While the network is down the bot polls less and less often instead of
/// spinning: each wait after a failure in a row is twice the one before,
/// up to the cap (the tests' scaled-down backoff).
#[tokio::test(flavor = "multi_thread")]
async fn polling_backs_off_while_the_network_is_down() {
    const FAILURES: usize = 6;
    let api = FakeBotApi::start().await;
    let bot = impatient(&api).await;
    let before = api.calls_of("getUpdates").len();
    for _ in 0..FAILURES {
        api.fail_next("getUpdates", Fault::CloseMidResponse);
    }
    let polls = api
        .wait_for("getUpdates", before + FAILURES + 1, RECOVERY)
        .await;
    bot.stop().await;
    let backoff = support::running_bot::quick().poll_backoff;
    let failed = &polls[before..];
    for (n, pair) in failed.windows(2).enumerate() {
        let waited = pair[1].at - pair[0].at;
        let least = backoff.delay(n as u32 + 1);
        assert!(waited >= least, "wait {n}: {waited:?}, at least {least:?}");
    }
}

/// `ir-advisor run` against `api`, logging everything, in a folder of its
/// own (so no `.env` around it hands it another token).
struct LoggingBinary {
    child: std::process::Child,
    folder: tempfile::TempDir,
}

impl LoggingBinary {
    fn spawn(api: &FakeBotApi) -> LoggingBinary {
        let folder = tempfile::tempdir().unwrap();
        let child = support::bot_binary(folder.path())
            .env("TELOXIDE_API_URL", api.url().as_str())
            .env("RUST_LOG", "trace")
            // Files, not pipes: nobody reads a pipe while the bot runs, and
            // trace logging would fill it and block the bot.
            .stdout(std::fs::File::create(folder.path().join("stdout")).unwrap())
            .stderr(std::fs::File::create(folder.path().join("stderr")).unwrap())
            .spawn()
            .unwrap();
        LoggingBinary { child, folder }
    }

    /// Stops the bot and returns everything it printed.
    fn printed(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let read = |name| std::fs::read_to_string(self.folder.path().join(name)).unwrap();
        read("stderr") + &read("stdout")
    }
}

/// A failed test must not leave the bot running.
impl Drop for LoggingBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn assert_no_token(printed: &str) {
    assert!(!printed.is_empty());
    assert!(
        !printed.contains(TOKEN) && !printed.contains("TEST-token"),
        "the token leaked"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_instance_is_named_in_the_log_and_polled_with_backoff() {
    let api = FakeBotApi::start().await;
    for _ in 0..20 {
        api.fail_next("getUpdates", Fault::status(409));
    }
    let bot = LoggingBinary::spawn(&api);
    let polls = api.wait_for("getUpdates", 2, WAIT).await;
    let printed = bot.printed();
    // Production's backoff: the first wait is a second.
    assert!(polls[1].at - polls[0].at >= Duration::from_secs(1));
    assert!(
        printed
            .contains("another process is polling Telegram with this bot's token (409 Conflict)"),
        "{printed}"
    );
    assert!(
        printed.contains("retrying with backoff (1.0s doubling to 64s)"),
        "{printed}"
    );
    assert_no_token(&printed);
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_requests_never_print_the_token() {
    let api = FakeBotApi::start().await;
    api.fail_next("setMyCommands", Fault::status(401));
    // The request URL holds the token; teloxide strips it from network
    // errors, and the logger would mask it if it did not. A network error,
    // then a refusal, which ends the tries.
    api.fail_next("sendMessage", Fault::CloseMidResponse);
    api.fail_next("sendMessage", Fault::status(403));
    let bot = LoggingBinary::spawn(&api);
    api.push_update(command_update(5, "en", "/help"));
    api.wait_for("sendMessage", 2, WAIT).await;
    // A chat's updates are handled in turn, and a failure is logged before
    // the next: once this one is answered, the failure is in the log.
    api.push_update(command_update(5, "en", "/help"));
    api.wait_served("sendMessage", 1, WAIT).await;
    let printed = bot.printed();
    assert!(
        printed.contains("Telegram refused a reply to chat 5"),
        "a refusal is logged, and not apologised for: {printed}"
    );
    assert!(
        printed.contains("could not register the en command menu"),
        "{printed}"
    );
    assert_no_token(&printed);
}
