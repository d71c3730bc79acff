//! Conversations through the fake Bot API: follow-ups read against the
//! last answer, new questions left alone, medical questions declined
//! whatever came before, reactions, repeats, captions and the context's
//! expiry. Nothing here reaches the real Telegram servers.

mod support;

use chrono::{TimeDelta, Utc};
use ir_advisor::conversation::{Context, CONTEXT_WINDOW};
use ir_advisor::intents::DeclineKind;
use ir_advisor::lang::Lang;
use ir_advisor::replies::{answer, Ui};
use ir_advisor::storage::ChatStore;
use serde_json::{json, Value};
use support::fake_bot_api::{button_data, text_update, FakeBotApi};
use support::running_bot::{reply_to, shipped_bot, text_of, RunningBot};
use support::{shipped_folder, shipped_intents};

fn first_paragraph(intent: &str, lang: Lang) -> String {
    let reply = answer(&shipped_intents(), intent, lang).unwrap();
    let paragraph = reply.text.split("\n\n").next().unwrap();
    teloxide::utils::html::escape(paragraph)
}

fn answers_with(sent: &str, intent: &str, lang: Lang) -> bool {
    sent.starts_with(&first_paragraph(intent, lang))
}

async fn ask(api: &FakeBotApi, chat: i64, text: &str) -> (String, Vec<String>) {
    let sent = reply_to(api, text_update(chat, "en", text)).await;
    (text_of(&sent).to_owned(), button_data(&sent))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follow_up_walks_the_training_path_and_a_new_question_stays_new() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let (first, _) = ask(&api, 1, "what is the IR fellowship?").await;
    assert!(answers_with(&first, "ir_fellowship", Lang::EN), "{first}");
    let (next, _) = ask(&api, 1, "and after that?").await;
    assert!(
        answers_with(&next, "board_certification", Lang::EN),
        "{next}"
    );
    let (id_next, _) = ask(&api, 1, "terus abis itu?").await;
    assert!(
        answers_with(&id_next, "career_development", Lang::ID),
        "{id_next}"
    );
    let (control, _) = ask(&api, 1, "which skills will I need to develop?").await;
    assert!(answers_with(&control, "core_skills", Lang::EN), "{control}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn context_never_turns_a_personal_health_question_into_a_topic() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let (first, _) = ask(&api, 2, "is the radiation dangerous for IR doctors?").await;
    assert!(
        answers_with(&first, "radiation_safety", Lang::EN),
        "{first}"
    );
    let (medical, _) = ask(
        &api,
        2,
        "is it safe for my mom to have a CT scan next week?",
    )
    .await;
    let intents = shipped_intents();
    let reply = &intents.decline(DeclineKind::Medical).unwrap();
    let expected = reply.text(Lang::EN).unwrap().reply.trim();
    assert!(
        medical.starts_with(&teloxide::utils::html::escape(expected)),
        "{medical}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reaction_gets_a_friendly_word_and_the_topics_then_the_conversation_goes_on() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    ask(&api, 3, "what is radiology residency like?").await;
    for reaction in ["ok", "👍", "wkwk"] {
        let (text, buttons) = ask(&api, 3, reaction).await;
        assert!(text.starts_with("👍"), "{reaction}: {text}");
        assert!(buttons.iter().all(|b| b.starts_with("t:")), "{buttons:?}");
    }
    let (puzzled, _) = ask(&api, 3, "???").await;
    assert_eq!(
        puzzled,
        teloxide::utils::html::escape(Ui::Puzzled.text(Lang::EN))
    );
    let (next, _) = ask(&api, 3, "and after that?").await;
    assert!(
        answers_with(&next, "ir_fellowship", Lang::EN),
        "\"ok\" mid-chat ends nothing: {next}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chat_is_answered_in_the_language_it_asks_in_not_the_clients() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let reaction = |lang| teloxide::utils::html::escape(Ui::Reaction.text(lang));
    let (first, _) = ask(&api, 8, "radiologi intervensi itu apa sih?").await;
    assert!(answers_with(&first, "what_is_ir", Lang::ID), "{first}");
    for said in ["ok", "haha"] {
        let (text, _) = ask(&api, 8, said).await;
        assert_eq!(text, reaction(Lang::ID), "{said}");
    }
    let (untelling, _) = ask(&api, 8, "fellowship?").await;
    assert!(
        answers_with(&untelling, "ir_fellowship", Lang::ID),
        "{untelling}"
    );
    let (english, _) = ask(&api, 8, "what does an IR do every day?").await;
    assert!(
        answers_with(&english, "day_in_the_life", Lang::EN),
        "{english}"
    );
    let (text, _) = ask(&api, 8, "ok").await;
    assert_eq!(text, reaction(Lang::EN));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_question_again_is_answered_briefly_with_the_full_answer_a_tap_away() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    ask(&api, 4, "what is the IR fellowship?").await;
    let (again, buttons) = ask(&api, 4, "what is the IR fellowship?").await;
    assert!(
        again.starts_with(Ui::AnsweredAbove.text(Lang::EN)),
        "{again}"
    );
    assert_eq!(buttons[0], "a:en:ir_fellowship", "the full answer first");
    assert!(buttons.len() > 1, "then the related topics: {buttons:?}");
    let pressed = reply_to(
        &api,
        support::fake_bot_api::button_update(4, "en", 99, "a:en:ir_fellowship"),
    )
    .await;
    assert!(answers_with(text_of(&pressed), "ir_fellowship", Lang::EN));
    bot.stop().await;
}

fn photo_update(chat_id: i64, caption: &str) -> Value {
    json!({"message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
        "from": {"id": chat_id, "is_bot": false, "first_name": "Student", "language_code": "en"},
        "photo": [{"file_id": "photo", "file_unique_id": "photo-u", "width": 90, "height": 90}],
        "caption": caption,
    }})
}

#[tokio::test(flavor = "multi_thread")]
async fn a_photo_caption_is_read_as_the_question() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(&api, photo_update(5, "what is the IR fellowship?")).await;
    assert!(answers_with(text_of(&sent), "ir_fellowship", Lang::EN));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn context_expires_after_the_window_of_silence() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("chats.sqlite");
    let store = ChatStore::open(&db).unwrap();
    let context = |minutes: i64| Context {
        intent: "ir_fellowship".into(),
        at: Utc::now() - TimeDelta::minutes(minutes),
    };
    let stale = CONTEXT_WINDOW.num_minutes() + 1;
    store.set_context(6, &context(stale)).unwrap();
    store.set_context(7, &context(5)).unwrap();
    drop(store);
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    let (fresh, _) = ask(&api, 7, "and after that?").await;
    assert!(
        answers_with(&fresh, "board_certification", Lang::EN),
        "{fresh}"
    );
    let (expired, _) = ask(&api, 6, "and after that?").await;
    assert!(
        !answers_with(&expired, "board_certification", Lang::EN),
        "{expired}"
    );
    bot.stop().await;
}
