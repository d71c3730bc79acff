//! A bot that never goes quiet: a flooding chat is caught as its messages
//! arrive and costs nobody else their answer, and a private chat browsing
//! topics is not held to a group's per-minute limit. Through the fake Bot
//! API on 127.0.0.1.

mod support;

use std::path::Path;
use std::time::Duration;

use ir_advisor::lang::Lang;
use ir_advisor::replies::Ui;
use ir_advisor::storage::ChatStore;
use ir_advisor::telegram::Tuning;
use support::fake_bot_api::{button_update, group_update, text_update, FakeBotApi};
use support::running_bot::{quick, unlimited, Launch, RunningBot, WAIT};
use support::shipped_folder;

const QUESTION: &str = "what does an interventional radiologist do";

fn texts_to(api: &FakeBotApi, chat: i64) -> Vec<String> {
    api.served("sendMessage")
        .iter()
        .filter(|c| c.body["chat_id"] == chat)
        .map(|c| c.body["text"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_200_gets_one_note_and_another_chat_is_answered_within_2_s() {
    const FLOODER: i64 = 1;
    const CALM: i64 = 2;
    let api = FakeBotApi::start().await;
    let folder = shipped_folder();
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("state.sqlite");
    let launch = Launch {
        tuning: Tuning {
            limits: unlimited(),
            ..quick()
        },
        ..Launch::new(&api, &folder, &db)
    };
    let bot = RunningBot::start_with(&api, launch).await;
    for _ in 0..200 {
        api.push_update(text_update(FLOODER, "en", QUESTION));
    }
    let asked = tokio::time::Instant::now();
    api.push_update(text_update(CALM, "id", "apa itu radiologi intervensional"));
    let calm_answered = api
        .wait_until_sent(WAIT, |call| call.body["chat_id"] == CALM)
        .await;
    let waited = calm_answered.duration_since(asked.into_std());
    assert!(
        waited < Duration::from_secs(2),
        "the calm chat waited {waited:?}"
    );
    let note = Ui::SlowDown.text(Lang::EN);
    api.wait_until_sent(WAIT, |call| call.body["text"] == note)
        .await;
    api.wait_confirmed(WAIT).await;
    // Anything the flood still had to say has had every chance to go out.
    tokio::time::sleep(Duration::from_secs(1)).await;
    bot.stop().await;

    let flooder = texts_to(&api, FLOODER);
    assert!(flooder.len() <= 21, "{} replies", flooder.len());
    assert_eq!(flooder.iter().filter(|t| *t == note).count(), 1);
    assert_eq!(texts_to(&api, CALM).len(), 1);
    let store = ChatStore::open(&db).unwrap();
    assert!(
        store.pending().unwrap().is_empty(),
        "ignored updates are cleared from the inbox too"
    );
}

/// 25 taps on topic buttons in a private chat: Telegram allows a private
/// chat a message a second with no per-minute cap, so there is no stall
/// after the 20th (the per-second rate is raised so the test is quick).
#[tokio::test(flavor = "multi_thread")]
async fn a_private_chat_tapping_25_buttons_gets_25_replies_without_a_stall() {
    let api = FakeBotApi::start().await;
    let folder = shipped_folder();
    let mut tuning = quick();
    tuning.limits.messages_per_sec_chat = 10;
    let launch = Launch {
        tuning,
        ..Launch::new(&api, &folder, Path::new(ir_advisor::storage::IN_MEMORY))
    };
    let bot = RunningBot::start_with(&api, launch).await;
    for press in 0..25 {
        api.push_update(button_update(7, "en", 100 + press, "a:en:what_is_ir"));
    }
    // At 10 a second the 25 replies take 2.5 s; a per-minute cap of 20
    // would hold the last five for most of a minute.
    api.wait_served("sendMessage", 25, Duration::from_secs(20))
        .await;
    bot.stop().await;
}

/// A basic group is held to its per-minute limit (here 3, so the test is
/// quick): the fourth answer waits for the minute to pass.
#[tokio::test(flavor = "multi_thread")]
async fn a_basic_group_gets_its_per_minute_limit_and_no_more() {
    const GROUP: i64 = -600;
    let api = FakeBotApi::start().await;
    let folder = shipped_folder();
    let launch = Launch {
        tuning: Tuning {
            limits: unlimited(),
            group_messages_per_min: 3,
            ..quick()
        },
        ..Launch::new(&api, &folder, Path::new(ir_advisor::storage::IN_MEMORY))
    };
    let bot = RunningBot::start_with(&api, launch).await;
    for _ in 0..4 {
        api.push_update(group_update(GROUP, 11, "@ir_advisor_test_bot what is IR"));
    }
    api.wait_served("sendMessage", 3, WAIT).await;
    api.wait_confirmed(WAIT).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        api.served("sendMessage").len(),
        3,
        "the fourth waits a minute"
    );
    bot.stop().await;
}
