//! The Telegram bot end to end: the real dispatcher, long polling a fake
//! Bot API server on 127.0.0.1. Nothing here reaches the real Telegram servers.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use ir_advisor::intents::DeclineKind;
use ir_advisor::lang::Lang;
use ir_advisor::replies::{answer, Ui};
use ir_advisor::storage::IN_MEMORY;
use support::fake_bot_api::{
    button_data, button_update, command_update, sticker_update, text_update, Call, FakeBotApi,
    Fault,
};
use support::running_bot::{reply_to, shipped_bot, text_of, RunningBot, TOKEN, WAIT};
use support::{intent_folder, shipped_folder, shipped_intents};

fn first_paragraph(intent: &str, lang: Lang) -> String {
    let reply = answer(&shipped_intents(), intent, lang).unwrap();
    let paragraph = reply.text.split("\n\n").next().unwrap();
    teloxide::utils::html::escape(paragraph)
}

#[tokio::test(flavor = "multi_thread")]
async fn start_greets_in_english_with_the_topic_groups() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(&api, command_update(1, "en-US", "/start")).await;
    assert!(text_of(&sent).starts_with("Hi!"), "{}", text_of(&sent));
    assert_eq!(sent.body["parse_mode"], "HTML");
    assert_eq!(
        button_data(&sent),
        ["t:en:about", "t:en:training", "t:en:career", "t:en:myths"],
        "small talk (greeting, thanks, help) is not a topic"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn start_greets_in_indonesian_for_an_indonesian_telegram() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(&api, command_update(2, "id", "/start")).await;
    assert!(text_of(&sent).starts_with("Halo!"), "{}", text_of(&sent));
    assert!(button_data(&sent).iter().all(|d| d.starts_with("t:id:")));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_menu_is_registered_in_both_languages() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let calls = api.calls_of("setMyCommands");
    assert_eq!(calls.len(), 2);
    let names = |call: &Call| -> Vec<String> {
        call.body["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["command"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&calls[0]),
        ["start", "help", "topics", "lang", "privacy", "forget"]
    );
    assert_eq!(calls[0].body.get("language_code"), None);
    assert_eq!(calls[1].body["language_code"], "id");
    assert_eq!(
        calls[1].body["commands"][1]["description"],
        Ui::HelpCommand.text(Lang::ID)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_are_answered_in_their_own_language_with_related_topics() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;

    let english = reply_to(
        &api,
        text_update(
            3,
            "id",
            "how many years does it take to become an interventional radiologist",
        ),
    )
    .await;
    assert!(text_of(&english).starts_with(&first_paragraph("training_duration", Lang::EN)));
    let buttons = button_data(&english);
    let (related, votes) = buttons.split_at(buttons.len() - 2);
    assert!(!related.is_empty() && related.iter().all(|d| d.starts_with("a:en:")));
    assert_eq!(
        votes,
        ["v:+:en:training_duration", "v:-:en:training_duration"]
    );

    // Another chat: in chat 3 the same topic again would be a repeat.
    let indonesian = reply_to(
        &api,
        text_update(
            4,
            "en",
            "berapa tahun sekolah untuk jadi radiolog intervensi",
        ),
    )
    .await;
    assert!(text_of(&indonesian).starts_with(&first_paragraph("training_duration", Lang::ID)));
    assert!(button_data(&indonesian)
        .iter()
        .all(|d| d.starts_with("a:id:") || d.starts_with("v:")));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_out_of_scope_question_is_declined_honestly() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(
        &api,
        text_update(4, "en", "what's the weather in Jakarta tomorrow"),
    )
    .await;
    let intents = shipped_intents();
    let off_topic = intents.decline(DeclineKind::OffTopic).unwrap();
    let reply = off_topic.text(Lang::EN).unwrap().reply.trim();
    assert_eq!(
        text_of(&sent).split("\n\n").next(),
        reply.split("\n\n").next()
    );
    assert!(!button_data(&sent).is_empty(), "offers the topics");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_button_opens_the_group_and_an_intent_button_answers() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let menu = reply_to(&api, command_update(5, "en", "/topics")).await;
    let menu_id = 1; // the fake server numbers the bot's messages from 1
    assert!(button_data(&menu).contains(&"t:en:training".to_owned()));

    api.push_update(button_update(5, "en", menu_id, "t:en:training"));
    let edit = api
        .wait_for("editMessageText", 1, WAIT)
        .await
        .pop()
        .unwrap();
    assert_eq!(edit.body["message_id"], menu_id);
    assert_eq!(text_of(&edit), "Training:");
    let buttons = button_data(&edit);
    assert!(buttons.contains(&"a:en:training_duration".to_owned()));
    assert_eq!(buttons.last().unwrap(), "m:en");
    assert_eq!(api.wait_for("answerCallbackQuery", 1, WAIT).await.len(), 1);

    let answer = reply_to(
        &api,
        button_update(5, "en", menu_id, "a:en:training_duration"),
    )
    .await;
    assert!(text_of(&answer).starts_with(&first_paragraph("training_duration", Lang::EN)));
    assert_eq!(api.wait_for("answerCallbackQuery", 2, WAIT).await.len(), 2);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_opens_its_intent() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(&api, command_update(6, "id", "/start radiation_safety")).await;
    assert!(text_of(&sent).starts_with(&first_paragraph("radiation_safety", Lang::ID)));
    let unknown = reply_to(&api, command_update(6, "en", "/start no_such_intent")).await;
    assert!(text_of(&unknown).starts_with("Hi!"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chosen_language_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("data/state.sqlite");
    let api = FakeBotApi::start().await;

    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    let choices = reply_to(&api, command_update(7, "en", "/lang")).await;
    assert_eq!(button_data(&choices), ["l:en", "l:id", "l:auto"]);
    api.push_update(button_update(7, "en", 1, "l:id"));
    let confirmation = api
        .wait_for("editMessageText", 1, WAIT)
        .await
        .pop()
        .unwrap();
    assert_eq!(
        text_of(&confirmation),
        Ui::RepliesInThisLanguage.text(Lang::ID)
    );
    bot.stop().await;

    let bot = RunningBot::start(&api, &shipped_folder(), &db).await;
    let sent = reply_to(
        &api,
        text_update(7, "en", "what does an interventional radiologist do"),
    )
    .await;
    assert!(
        text_of(&sent).starts_with(&first_paragraph("duties", Lang::ID)),
        "{}",
        text_of(&sent)
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sticker_gets_a_friendly_note() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let sent = reply_to(&api, sticker_update(8, "id")).await;
    assert_eq!(text_of(&sent), Ui::TextOnly.text(Lang::ID));
    // The bot is still answering afterwards.
    let next = reply_to(&api, command_update(8, "en", "/help")).await;
    assert!(text_of(&next).contains("/topics"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_message_gets_a_note_not_a_second_answer() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let mut edited = text_update(13, "en", "what does an IR do");
    let mut message = edited["message"].take();
    message["edit_date"] = serde_json::json!(1_700_000_100);
    edited = serde_json::json!({ "edited_message": message });
    let sent = reply_to(&api, edited).await;
    assert_eq!(text_of(&sent), Ui::EditedMessage.text(Lang::EN));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ten_thousand_character_message_is_answered() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let rambling = "what does an interventional radiologist do all day ".repeat(200);
    assert!(rambling.len() >= 10_000);
    let sent = reply_to(&api, text_update(9, "en", &rambling)).await;
    assert!(!text_of(&sent).is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_with_markup_characters_are_escaped() {
    let raw_answer = r#"Pressure < 5 & flow > 3 mean "good" and 'fine'."#;
    let file = support::intent_toml(&["what about pressure and flow"], &[])
        .replace("An answer.", &raw_answer.replace('"', "\\\""));
    let folder = intent_folder(&[("pressure.toml", &file)]);
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, folder.path(), Path::new(IN_MEMORY)).await;
    let sent = reply_to(&api, text_update(10, "en", "what about pressure and flow")).await;
    assert!(
        text_of(&sent).starts_with(r#"Pressure &lt; 5 &amp; flow &gt; 3 mean "good" and 'fine'."#),
        "{}",
        text_of(&sent)
    );
    assert_eq!(sent.body["parse_mode"], "HTML");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_travels_only_in_the_request_path() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    reply_to(&api, command_update(12, "en", "/help")).await;
    bot.stop().await;
    for call in api.calls() {
        assert_eq!(call.token, TOKEN);
        assert!(!call.body.to_string().contains(TOKEN));
    }
}

#[test]
fn without_a_token_the_bot_explains_where_to_get_one() {
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ir-advisor"))
        .args(["--intents", shipped_folder().to_str().unwrap()])
        .current_dir(folder.path())
        .env_remove("TELOXIDE_TOKEN")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = support::text(&output.stderr);
    assert!(
        stderr.contains("BotFather")
            && stderr.contains("TELOXIDE_TOKEN")
            && stderr.contains(".env")
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// Nothing listens at the Bot API's address: the bot keeps trying, with
/// growing waits, says so, and never prints its token.
#[test]
fn an_unreachable_bot_api_is_retried_with_backoff() {
    // Port 0 never has a listener. A port freed by binding and dropping
    // a listener could be taken at once by a fake Bot API of a test
    // running beside this one, which the bot would then reach.
    let closed_port = 0;
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("stderr");
    let mut child = support::bot_binary(folder.path())
        .env(
            "TELOXIDE_API_URL",
            format!("http://127.0.0.1:{closed_port}"),
        )
        .env("RUST_LOG", "trace")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let tries = |printed: &str| printed.matches("cannot reach the Telegram Bot API").count();
    let mut printed = String::new();
    while tries(&printed) < 2 && started.elapsed() < WAIT {
        std::thread::sleep(std::time::Duration::from_millis(50));
        printed = std::fs::read_to_string(&log).unwrap();
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(still_running, "{printed}");
    assert!(tries(&printed) >= 2, "{printed}");
    assert!(printed.contains("trying again in 1.0s"), "{printed}");
    assert!(printed.contains("trying again in 2.0s"), "{printed}");
    assert!(!printed.contains(TOKEN) && !printed.contains("TEST-token"));
}

/// A token Telegram refuses is a setting to fix, not a failure to retry:
/// exit code 2 and one clear line.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_stops_the_bot_with_exit_code_2() {
    let api = FakeBotApi::start().await;
    api.fail_next("getMe", Fault::status(401));
    let folder = tempfile::tempdir().unwrap();
    let output = support::bot_binary(folder.path())
        .env("TELOXIDE_API_URL", api.url().as_str())
        .output()
        .unwrap();
    let stderr = support::text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Telegram refused the bot token (401 Unauthorized")
            && stderr.contains("TELOXIDE_TOKEN"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN) && !stderr.contains("panicked"));
    assert!(api.calls_of("getUpdates").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_group_it_answers_only_when_addressed() {
    use support::fake_bot_api::{BOT_ID, BOT_USERNAME};
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let group_message = |text: &str| {
        let mut update = text_update(-100, "en", text);
        update["message"]["chat"] =
            serde_json::json!({"id": -100, "type": "supergroup", "title": "Med students"});
        update["message"]["from"]["id"] = serde_json::json!(555);
        update
    };
    api.push_update(group_message("what does an interventional radiologist do"));
    let mut replying = group_message("how long is the training");
    replying["message"]["reply_to_message"] = serde_json::json!({
        "message_id": 99, "date": 1_700_000_000,
        "chat": {"id": -100, "type": "supergroup", "title": "Med students"},
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "IR Advisor"},
        "text": "an earlier answer",
    });
    let sent = reply_to(&api, replying).await;
    assert!(text_of(&sent).starts_with(&first_paragraph("training_duration", Lang::EN)));
    let mention = format!("@{BOT_USERNAME} what does an interventional radiologist do");
    let sent = reply_to(&api, group_message(&mention)).await;
    assert!(text_of(&sent).starts_with(&first_paragraph("duties", Lang::EN)));
    bot.stop().await;
    assert_eq!(
        api.calls_of("sendMessage").len(),
        2,
        "the unaddressed message got no reply"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_question_too_short_to_tell_follows_the_telegram_language() {
    let api = FakeBotApi::start().await;
    let bot = shipped_bot(&api).await;
    let indonesian = reply_to(&api, text_update(14, "id", "IR?")).await;
    assert!(text_of(&indonesian).starts_with(&first_paragraph("what_is_ir", Lang::ID)));
    let english = reply_to(&api, text_update(15, "en-GB", "IR?")).await;
    assert!(text_of(&english).starts_with(&first_paragraph("what_is_ir", Lang::EN)));
    bot.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_bot_cleanly() {
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let mut child = support::bot_binary(folder.path())
        .env("TELOXIDE_API_URL", api.url().as_str())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    api.wait_for("getUpdates", 1, WAIT).await;
    // A question it declines, which a bot with a database file would log.
    reply_to(&api, text_update(8, "en", "who won the football match")).await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < WAIT, "still running after SIGTERM");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    assert!(support::text(&output.stderr).contains("stopped"));
    let written: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
    assert!(
        written.is_empty(),
        "with IR_ADVISOR_DB=:memory:, no file: {written:?}"
    );
}
