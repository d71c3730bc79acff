//! The smaller things a student noticed, and the error rules of a bot
//! that never goes quiet, through the fake Bot API on 127.0.0.1: the
//! topics menu's order, forged buttons, 👍 and 👎, groups, /privacy and
//! /forget, refusals, double taps and apologies.

mod support;

use std::path::Path;

use ir_advisor::lang::Lang;
use ir_advisor::replies::{answer, Ui};
use ir_advisor::storage::{ChatStore, LangChoice};
use serde_json::json;
use support::fake_bot_api::{
    button_data, button_update, command_update, group_button_update, group_update, text_update,
    Call, FakeBotApi, Fault,
};
use support::running_bot::{reply_to, shipped_bot, text_of, RunningBot, WAIT};
use support::{shipped_folder, shipped_intents};

const GROUP: i64 = -500;
const MEMBER: i64 = 11;
const ADMIN: i64 = 12;

async fn bot_with_db(api: &FakeBotApi, db: &Path) -> RunningBot {
    RunningBot::start(api, &shipped_folder(), db).await
}

/// The answerCallbackQuery calls so far, once there are `count`.
async fn acknowledgements(api: &FakeBotApi, count: usize) -> Vec<Call> {
    api.wait_for("answerCallbackQuery", count, WAIT).await
}

fn related_buttons(intent: &str) -> Vec<String> {
    answer(&shipped_intents(), intent, Lang::EN)
        .unwrap()
        .suggestions
        .iter()
        .map(|s| format!("a:en:{}", s.intent))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn topics_follow_the_menus_order_and_small_talk_is_not_a_topic() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let menu = reply_to(&api, command_update(1, "en", "/topics")).await;
    assert_eq!(
        button_data(&menu),
        ["t:en:about", "t:en:training", "t:en:career", "t:en:myths"]
    );
    api.push_update(button_update(1, "en", 1, "t:en:about"));
    let about = api
        .wait_for("editMessageText", 1, WAIT)
        .await
        .pop()
        .unwrap();
    let buttons = button_data(&about);
    assert_eq!(buttons[..2], ["a:en:what_is_ir", "a:en:duties"]);
    for small_talk in ["greeting", "thanks", "bot_help"] {
        assert!(
            !buttons.iter().any(|b| b.ends_with(small_talk)),
            "{buttons:?}"
        );
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_button_data_is_ignored_and_never_stored() {
    let api = FakeBotApi::start().await;
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("state.sqlite");
    let bot = bot_with_db(&api, &db).await;
    let forged = [
        "v:+:en:no_such_intent",
        "v:-:xx:duties",
        "a:en:no_such_intent",
        "l:fr",
        "t:en:nothing",
    ];
    for data in forged {
        api.push_update(button_update(2, "en", 5, data));
    }
    acknowledgements(&api, forged.len()).await;
    let help = reply_to(&api, command_update(2, "en", "/help")).await;
    assert_eq!(text_of(&help), Ui::Help.text(Lang::EN));
    bot.stop().await;
    assert!(api.calls_of("editMessageReplyMarkup").is_empty());
    assert!(api.calls_of("editMessageText").is_empty());
    assert_eq!(
        api.calls_of("sendMessage").len(),
        1,
        "only /help was answered"
    );
    let store = ChatStore::open(&db).unwrap();
    assert!(store.helpfulness().unwrap().is_empty());
    assert_eq!(store.chat(2).unwrap().lang, LangChoice::Auto);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thumbs_up_gets_a_toast_and_a_thumbs_down_offers_other_topics() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    api.push_update(button_update(3, "en", 5, "v:+:en:what_is_ir"));
    let toast = acknowledgements(&api, 1).await.pop().unwrap();
    assert_eq!(toast.body["text"], Ui::GladItHelped.text(Lang::EN));

    api.push_update(button_update(3, "en", 6, "v:-:en:what_is_ir"));
    let offer = api.wait_for("sendMessage", 1, WAIT).await.pop().unwrap();
    assert_eq!(text_of(&offer), Ui::WhatWereYouLookingFor.text(Lang::EN));
    let mut expected = related_buttons("what_is_ir");
    assert!(!expected.is_empty());
    expected.push("m:en".to_owned());
    assert_eq!(button_data(&offer), expected);
    let silent = acknowledgements(&api, 2).await.pop().unwrap();
    assert_eq!(silent.body.get("text"), None, "a 👎 gets no toast");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_acknowledgement_does_not_lose_the_press() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    api.fail_next("answerCallbackQuery", Fault::status(400));
    api.push_update(button_update(4, "en", 5, "a:en:what_is_ir"));
    let answer = api.wait_served("sendMessage", 1, WAIT).await.pop().unwrap();
    assert!(button_data(&answer).contains(&"v:+:en:what_is_ir".to_owned()));
    bot.stop().await;
}

/// The `status` error of the Bot API with `description`.
fn refusal(status: u16, description: &str) -> Fault {
    Fault::Status {
        status,
        description: description.into(),
        retry_after: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_tap_and_a_refusal_get_no_apology() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    api.fail_next(
        "editMessageText",
        refusal(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"),
    );
    api.push_update(button_update(5, "en", 5, "t:en:about"));
    api.wait_faults_met("editMessageText", WAIT).await;
    api.fail_next("sendMessage", Fault::status(403));
    api.push_update(text_update(5, "en", "what is interventional radiology"));
    api.wait_faults_met("sendMessage", WAIT).await;
    let help = reply_to(&api, command_update(5, "en", "/help")).await;
    assert!(text_of(&help).starts_with("Type a question"));
    bot.stop().await;
    let sent = api.calls_of("sendMessage");
    assert_eq!(
        sent.len(),
        2,
        "the refused answer once, then /help: {sent:#?}"
    );
    assert!(sent
        .iter()
        .all(|c| text_of(c) != Ui::Apology.text(Lang::EN)));
}

#[tokio::test(flavor = "multi_thread")]
async fn when_no_reply_can_be_built_the_student_gets_an_apology_in_their_language() {
    let api = FakeBotApi::start().await;
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("state.sqlite");
    let bot = bot_with_db(&api, &db).await;
    // The votes table gone: /forget cannot do what it would say it did.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE votes")
        .unwrap();
    let sorry = reply_to(&api, command_update(6, "id", "/forget")).await;
    assert_eq!(text_of(&sorry), Ui::Apology.text(Lang::ID));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn privacy_shows_what_is_kept_and_forget_deletes_it() {
    let api = FakeBotApi::start().await;
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("state.sqlite");
    let bot = bot_with_db(&api, &db).await;
    reply_to(
        &api,
        text_update(7, "en", "what is interventional radiology"),
    )
    .await;
    api.push_update(button_update(7, "en", 1, "v:+:en:what_is_ir"));
    acknowledgements(&api, 1).await;
    api.wait_for("editMessageReplyMarkup", 1, WAIT).await;

    let kept = reply_to(&api, command_update(7, "en", "/privacy")).await;
    let kept = text_of(&kept);
    assert!(kept.starts_with(Ui::PrivacyIntro.text(Lang::EN)), "{kept}");
    assert!(
        kept.contains("Last topic I answered: What is IR?"),
        "{kept}"
    );
    assert!(kept.contains("👍 What is IR?"), "{kept}");
    assert!(
        kept.contains("Language of your last question: English"),
        "{kept}"
    );
    assert!(kept.contains("without any chat or user id"), "{kept}");

    let forgotten = reply_to(&api, command_update(7, "en", "/forget")).await;
    assert_eq!(text_of(&forgotten), Ui::Forgotten.text(Lang::EN));
    let nothing = reply_to(&api, command_update(7, "en", "/privacy")).await;
    assert!(text_of(&nothing).contains(Ui::PrivacyNothing.text(Lang::EN)));
    bot.stop().await;
    let store = ChatStore::open(&db).unwrap();
    assert!(store.votes_of(7).unwrap().is_empty());
    assert_eq!(store.chat(7).unwrap(), Default::default());
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_in_a_group_quote_the_question() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let question = "@ir_advisor_test_bot what is interventional radiology";
    let sent = reply_to(&api, group_update(GROUP, MEMBER, question)).await;
    assert_eq!(
        sent.body["reply_parameters"],
        json!({"message_id": 77, "allow_sending_without_reply": true})
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_group_admins_change_the_groups_language_by_command_or_button() {
    let api = FakeBotApi::start().await;
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("state.sqlite");
    let bot = bot_with_db(&api, &db).await;
    api.make_admin(ADMIN);

    let refused = reply_to(&api, group_update(GROUP, MEMBER, "/lang")).await;
    assert_eq!(text_of(&refused), Ui::AdminsOnly.text(Lang::EN));
    let menu = reply_to(&api, group_update(GROUP, ADMIN, "/lang")).await;
    assert_eq!(text_of(&menu), Ui::ChooseLanguage.text(Lang::EN));

    // An anonymous admin writes as the group itself.
    let mut anonymous = group_update(GROUP, 1_087_968_824, "/lang");
    anonymous["message"]["sender_chat"] =
        json!({"id": GROUP, "type": "group", "title": "IR students"});
    let menu = reply_to(&api, anonymous).await;
    assert_eq!(text_of(&menu), Ui::ChooseLanguage.text(Lang::EN));

    api.push_update(group_button_update(GROUP, MEMBER, 2, "l:id"));
    let toast = acknowledgements(&api, 1).await.pop().unwrap();
    assert_eq!(toast.body["text"], Ui::AdminsOnly.text(Lang::EN));
    api.push_update(group_button_update(GROUP, ADMIN, 2, "l:id"));
    let changed = api
        .wait_for("editMessageText", 1, WAIT)
        .await
        .pop()
        .unwrap();
    assert_eq!(text_of(&changed), Ui::RepliesInThisLanguage.text(Lang::ID));
    bot.stop().await;
    assert_eq!(
        api.calls_of("editMessageText").len(),
        1,
        "the member's press changed nothing"
    );
    assert_eq!(
        ChatStore::open(&db).unwrap().chat(GROUP).unwrap().lang,
        LangChoice::Fixed(Lang::ID)
    );
}
