//! Inline mode end to end: the real dispatcher answers inline queries
//! from a fake Bot API server on 127.0.0.1. Nothing here reaches the real
//! Telegram servers.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use ir_advisor::intents::{DeclineKind, Topic};
use ir_advisor::lang::Lang;
use ir_advisor::replies::{answer_text, Ui};
use ir_advisor::storage::ChatStore;
use serde_json::Value;
use support::fake_bot_api::{
    inline_query_update, inline_results, text_update, Call, FakeBotApi, Fault, BOT_USERNAME,
};
use support::running_bot::{reply_to, text_of, RunningBot, WAIT};
use support::{intent_folder, shipped_folder, shipped_intents};
use teloxide::utils::html::escape;

/// Telegram's limit on an inline article's message, in UTF-16 units.
const INLINE_MESSAGE_LIMIT: usize = 4096;

/// Sends an inline query and returns the bot's answerInlineQuery call.
async fn inline_answer(api: &FakeBotApi, update: Value) -> Call {
    let before = api.calls_of("answerInlineQuery").len();
    api.push_update(update);
    api.wait_for("answerInlineQuery", before + 1, WAIT)
        .await
        .pop()
        .unwrap()
}

fn ids(call: &Call) -> Vec<&str> {
    inline_results(call)
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

fn message_text(result: &Value) -> &str {
    result["input_message_content"]["message_text"]
        .as_str()
        .unwrap()
}

/// The URL of a result's only button; fails on a callback button.
fn button_url(result: &Value) -> &str {
    let buttons = result["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap();
    assert_eq!(buttons.len(), 1, "{result:#}");
    let button = &buttons[0][0];
    assert!(button.get("callback_data").is_none(), "{button}");
    button["url"].as_str().unwrap()
}

/// Every result posts one escaped HTML message within Telegram's limit.
fn assert_postable(call: &Call) {
    for result in inline_results(call) {
        assert_eq!(result["type"], "article");
        let content = &result["input_message_content"];
        assert_eq!(content["parse_mode"], "HTML", "{result:#}");
        let length = message_text(result).encode_utf16().count();
        assert!(length <= INLINE_MESSAGE_LIMIT, "{length}: {result:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_english_query_lists_its_answer_with_a_deep_link_to_the_bot() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let question = "how many years does it take to become an interventional radiologist";
    let call = inline_answer(&api, inline_query_update(11, Some("id"), 1, question)).await;
    assert_eq!(call.body["inline_query_id"], "inline-11-1");
    assert_eq!(call.body["cache_time"], 300);
    assert_eq!(call.body["is_personal"], false, "the query chose English");
    let results = inline_results(&call);
    assert!((2..=5).contains(&results.len()), "{results:#?}");
    assert_eq!(ids(&call)[0], "training_duration");
    let intents = shipped_intents();
    let intent = intents.get("training_duration").unwrap();
    let first = &results[0];
    assert_eq!(first["title"], intent.text(Lang::EN).title.as_str());
    let opening = intent.text(Lang::EN).answer.lines().next().unwrap();
    assert_eq!(first["description"], opening.trim());
    assert_eq!(message_text(first), escape(&answer_text(intent, Lang::EN)));
    assert!(message_text(first).contains("Sources: "));
    assert_eq!(
        button_url(first),
        format!("https://t.me/{BOT_USERNAME}?start=training_duration")
    );
    assert_postable(&call);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_indonesian_query_is_answered_in_indonesian() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let question = "berapa tahun sekolah untuk jadi radiolog intervensi";
    let call = inline_answer(&api, inline_query_update(12, Some("en"), 1, question)).await;
    assert_eq!(ids(&call)[0], "training_duration");
    let first = &inline_results(&call)[0];
    let intent = shipped_intents().get("training_duration").unwrap().clone();
    assert_eq!(first["title"], intent.text(Lang::ID).title.as_str());
    assert!(message_text(first).contains("Sumber: "));
    assert_eq!(call.body["is_personal"], false);
    assert_postable(&call);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_query_lists_the_main_topics_in_the_users_language() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let call = inline_answer(&api, inline_query_update(13, Some("id-ID"), 1, "")).await;
    let intents = shipped_intents();
    let firsts: Vec<&str> = Topic::ALL
        .into_iter()
        .filter_map(|topic| intents.in_topic(topic).next())
        .map(|intent| intent.id.as_str())
        .collect();
    assert_eq!(ids(&call), firsts);
    assert_eq!(call.body["is_personal"], true, "the user's language");
    let first = &inline_results(&call)[0];
    let intent = intents.get(firsts[0]).unwrap();
    assert_eq!(first["title"], intent.text(Lang::ID).title.as_str());
    assert_postable(&call);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_out_of_scope_query_only_offers_a_private_chat() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let call = inline_answer(
        &api,
        inline_query_update(14, None, 1, "what is the best pizza in town"),
    )
    .await;
    assert_eq!(ids(&call), ["none:private"]);
    let result = &inline_results(&call)[0];
    assert_eq!(result["title"], Ui::AskInPrivate.text(Lang::EN));
    assert!(message_text(result).ends_with(&format!("@{BOT_USERNAME}")));
    assert_eq!(button_url(result), format!("https://t.me/{BOT_USERNAME}"));
    assert_postable(&call);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_personal_medical_query_only_says_to_ask_a_doctor() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let query = "my ct scan report says 3cm mass in the liver, what does that mean";
    let call = inline_answer(&api, inline_query_update(15, Some("en"), 1, query)).await;
    assert_eq!(ids(&call), ["none:medical"]);
    let intents = shipped_intents();
    let medical = intents.decline(DeclineKind::Medical).unwrap();
    let reply = medical.text(Lang::EN).unwrap().reply.trim();
    let result = &inline_results(&call)[0];
    assert_eq!(message_text(result), escape(reply));
    assert!(result.get("reply_markup").is_none(), "no topic, no button");
    bot.stop().await;
}

/// An intent whose title and answer are full of HTML's special
/// characters, and whose answer with its sources line just fits one
/// message once escaped.
fn markup_intent() -> String {
    let filler = "a&b ".repeat(500); // 4 000 characters once escaped
    format!(
        "topic = \"about\"\nsources = []\n\n[en]\ntitle = \"<b>Tags</b> & more\"\npatterns = [\"angle brackets\"]\nanswer = \"Use <i>x</i> & \\\"y\\\" > z. {filler}\"\n\n[id]\ntitle = \"T\"\npatterns = [\"kurung sudut\"]\nanswer = \"Jawaban.\"\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_posted_message_is_escaped_html_within_telegrams_limit() {
    let intent = markup_intent();
    let folder = intent_folder(&[("markup.toml", intent.as_str())]);
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, folder.path(), Path::new(":memory:")).await;
    let call = inline_answer(
        &api,
        inline_query_update(16, Some("en"), 1, "angle brackets"),
    )
    .await;
    assert_eq!(ids(&call), ["markup"]);
    let result = &inline_results(&call)[0];
    let text = message_text(result);
    assert!(
        text.starts_with("Use &lt;i&gt;x&lt;/i&gt; &amp; \"y\" &gt; z. a&amp;b"),
        "{text}"
    );
    assert!(!text.contains("<i>") && !text.contains("a&b"));
    // The title is plain text to Telegram: sent as written.
    assert_eq!(result["title"], "<b>Tags</b> & more");
    assert_postable(&call);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn inline_queries_are_not_counted_as_messages_and_leave_the_inbox_empty() {
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("bot.sqlite");
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    // Typing a question: one query a keystroke, far past the flood limit
    // of messages.
    let question = "how long is ir training";
    let keystrokes = question.len();
    for (serial, end) in (1..=keystrokes).enumerate() {
        api.push_update(inline_query_update(
            17,
            Some("en"),
            serial as u64,
            &question[..end],
        ));
    }
    let answered = api.wait_served("answerInlineQuery", keystrokes, WAIT).await;
    assert_eq!(answered.len(), keystrokes);
    // The same user's private chat is answered, not told to slow down.
    let reply = reply_to(&api, text_update(17, "en", "what is ir")).await;
    assert!(
        !text_of(&reply).starts_with(&escape(Ui::SlowDown.text(Lang::EN))),
        "{}",
        text_of(&reply)
    );
    bot.stop().await;
    let pending = ChatStore::open(&db).unwrap().pending().unwrap();
    assert!(
        pending.is_empty(),
        "{} updates left in the inbox",
        pending.len()
    );
}

/// The load figure: inline queries at [`RATE`] a second for
/// [`LOAD_SECONDS`] through the fake Bot API, each timed from the update's
/// arrival at the fake server to the bot's answerInlineQuery there, and
/// the percentiles printed. A measurement, not a test of speed: run it
/// with
/// `cargo test --release --test inline -- --ignored --nocapture inline_load`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement: prints the inline handler's latency under load"]
async fn inline_load() {
    const RATE: u64 = 200;
    const LOAD_SECONDS: u64 = 10;
    let queries = [
        "how many years does it take to become an interventional radiologist",
        "berapa tahun sekolah untuk jadi radiolog intervensi",
        "what does an ir do",
        "apa itu radiologi intervensi",
        "",
        "what is the best pizza in town",
        "is ir surgery",
        "fellowship",
    ];
    let api = FakeBotApi::start().await;
    let bot = RunningBot::shipped(&api).await;
    let total = RATE * LOAD_SECONDS;
    let mut pushed: HashMap<String, Instant> = HashMap::new();
    let mut ticks = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    for serial in 0..total {
        ticks.tick().await;
        let user = 1_000 + (serial % 500) as i64;
        let query = queries[serial as usize % queries.len()];
        pushed.insert(format!("inline-{user}-{serial}"), Instant::now());
        api.push_update(inline_query_update(user, Some("en"), serial, query));
    }
    let answered = api
        .wait_served("answerInlineQuery", total as usize, Duration::from_secs(60))
        .await;
    let mut latencies: Vec<Duration> = answered
        .iter()
        .map(|call| {
            let id = call.body["inline_query_id"].as_str().unwrap();
            call.at.duration_since(pushed[id])
        })
        .collect();
    latencies.sort();
    let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share) as usize];
    println!(
        "inline load: {total} queries at {RATE}/s; latency p50 {:.1?}, p90 {:.1?}, p99 {:.1?}, max {:.1?}",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_query_is_dropped_and_the_next_one_answered() {
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("bot.sqlite");
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    api.fail_next(
        "answerInlineQuery",
        Fault::Status {
            status: 400,
            description:
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
                    .into(),
            retry_after: None,
        },
    );
    api.push_update(inline_query_update(18, Some("en"), 1, "fellowship"));
    api.wait_faults_met("answerInlineQuery", WAIT).await;
    let call = inline_answer(&api, inline_query_update(18, Some("en"), 2, "fellowship")).await;
    assert!(call.served());
    assert_eq!(ids(&call)[0], "ir_fellowship");
    assert_eq!(api.calls_of("answerInlineQuery").len(), 2, "never resent");
    bot.stop().await;
    let pending = ChatStore::open(&db).unwrap().pending().unwrap();
    assert!(
        pending.is_empty(),
        "{} updates left in the inbox",
        pending.len()
    );
}
