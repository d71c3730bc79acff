//! The maintainer's loop: live reload, admin commands, the unmatched log
//! and its report, answer ratings, and starting a new intent.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use ir_advisor::lang::Lang;
use ir_advisor::replies::Ui;
use ir_advisor::storage::{ChatStore, Helpfulness, IN_MEMORY};
use ir_advisor::unmatched::{read_log, rotated};
use support::fake_bot_api::{button_data, button_update, command_update, text_update, FakeBotApi};
use support::running_bot::{reply_to, text_of, RunningBot, UNMATCHED_MAX_BYTES, WAIT};
use support::{copy_of_shipped, data_file, intent_toml, run_cli, shipped_folder, text};

const ADMIN: u64 = 900;
/// A student id distinctive enough to search the log for.
const STUDENT: i64 = 918_273_645;
const ZEBRA_QUESTION: &str = "tell me about zebra stripes";

/// Whether the bot now answers the zebra question (a new intent's pattern)
/// rather than declining it: in full, or briefly when it just did.
async fn answers_zebras(api: &FakeBotApi, chat: i64) -> bool {
    let sent = reply_to(api, text_update(chat, "en", ZEBRA_QUESTION)).await;
    let text = text_of(&sent);
    text.starts_with("An answer.") || text.starts_with(Ui::AnsweredAbove.text(Lang::EN))
}

/// Asks until the bot answers zebras as `expected`, for at most 3 s: the
/// folder watch must reload within 2 s of a change.
async fn until_zebras_answered(api: &FakeBotApi, chat: i64, expected: bool) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while answers_zebras(api, chat).await != expected {
        assert!(Instant::now() < deadline, "no reload within 3 s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_to_the_intents_folder_are_picked_up_and_broken_ones_ignored() {
    let folder = copy_of_shipped();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, folder.path(), Path::new(IN_MEMORY)).await;
    assert!(!answers_zebras(&api, 1).await);

    let zebra = folder.path().join("zebra.toml");
    std::fs::write(&zebra, intent_toml(&[ZEBRA_QUESTION], &[])).unwrap();
    until_zebras_answered(&api, 1, true).await;

    std::fs::write(&zebra, "topic = \"about\"\n[en\ntitle = ").unwrap();
    std::fs::write(folder.path().join("duties.toml"), "not toml at all").unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        answers_zebras(&api, 1).await,
        "the last good set still answers"
    );
    let duties = reply_to(
        &api,
        text_update(1, "en", "what does an interventional radiologist do"),
    )
    .await;
    assert!(!text_of(&duties).starts_with(Ui::CannotHelp.text(Lang::EN)));

    std::fs::copy(
        shipped_folder().join("duties.toml"),
        folder.path().join("duties.toml"),
    )
    .unwrap();
    std::fs::remove_file(&zebra).unwrap();
    until_zebras_answered(&api, 1, false).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_commands_answer_admins_and_look_unknown_to_others() {
    let folder = copy_of_shipped();
    let api = FakeBotApi::start().await;
    let bot =
        RunningBot::start_with_admins(&api, folder.path(), Path::new(IN_MEMORY), vec![ADMIN]).await;
    for command in ["/stats", "/reload"] {
        let refused = reply_to(&api, command_update(5, "en", command)).await;
        assert_eq!(text_of(&refused), Ui::UnknownCommand.text(Lang::EN));
    }

    reply_to(&api, text_update(ADMIN as i64, "en", "what does an IR do")).await;
    reply_to(
        &api,
        text_update(ADMIN as i64, "en", "what is the salary of a plumber"),
    )
    .await;
    let stats = reply_to(&api, command_update(ADMIN as i64, "en", "/stats")).await;
    let stats = text_of(&stats);
    assert!(
        stats.starts_with("Since start: 1 answered, 1 declined (1 not_covered), 0 reactions."),
        "{stats}"
    );
    assert!(stats.contains("1 duties") && stats.contains("what is the salary of a plumber"));

    std::fs::write(
        folder.path().join("zebra.toml"),
        intent_toml(&[ZEBRA_QUESTION], &[]),
    )
    .unwrap();
    let reloaded = reply_to(&api, command_update(ADMIN as i64, "en", "/reload")).await;
    assert_eq!(text_of(&reloaded), "Reloaded: 42 intents.");
    std::fs::write(folder.path().join("zebra.toml"), "[broken").unwrap();
    let failed = reply_to(&api, command_update(ADMIN as i64, "en", "/reload")).await;
    assert!(text_of(&failed).starts_with("Reload failed; still serving the previous intents."));
    assert!(text_of(&failed).contains("zebra.toml"), "names the file");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vote_is_stored_per_message_and_a_second_press_changes_it() {
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("bot.sqlite");
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start_with_admins(&api, &shipped_folder(), &db, vec![ADMIN]).await;
    let answer = reply_to(&api, text_update(ADMIN as i64, "en", "what does an IR do")).await;
    let answer_id = 1;
    assert!(button_data(&answer).contains(&"v:+:en:duties".to_owned()));

    api.push_update(button_update(
        ADMIN as i64,
        "en",
        answer_id,
        "v:+:en:duties",
    ));
    let edit = api
        .wait_for("editMessageReplyMarkup", 1, WAIT)
        .await
        .pop()
        .unwrap();
    assert_eq!(edit.body["message_id"], answer_id);
    let buttons = button_data(&edit);
    assert_eq!(
        buttons.last().unwrap(),
        "v:ok",
        "the vote row became a thank-you"
    );
    assert!(!buttons
        .iter()
        .any(|b| b.starts_with("v:+") || b.starts_with("v:-")));

    api.push_update(button_update(
        ADMIN as i64,
        "en",
        answer_id,
        "v:-:en:duties",
    ));
    api.wait_for("editMessageReplyMarkup", 2, WAIT).await;
    // A 👎 offers other topics before anything else is asked.
    let offer = Ui::WhatWereYouLookingFor.text(Lang::EN);
    api.wait_until_sent(WAIT, |call| call.body["text"] == offer)
        .await;
    let stats = reply_to(&api, command_update(ADMIN as i64, "en", "/stats")).await;
    assert!(
        text_of(&stats).contains("👍 0    👎 1    duties"),
        "{}",
        text_of(&stats)
    );
    bot.stop().await;

    assert_eq!(
        ChatStore::open(&db).unwrap().helpfulness().unwrap(),
        [Helpfulness {
            intent: "duties".into(),
            helpful: 0,
            not_helpful: 1
        }]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn declined_questions_are_logged_without_ids_and_the_log_is_capped() {
    let api = FakeBotApi::start().await;
    let bot = RunningBot::start(&api, &shipped_folder(), Path::new(IN_MEMORY)).await;
    reply_to(
        &api,
        text_update(STUDENT, "id", "berapa harga tiket pesawat ke bali"),
    )
    .await;
    reply_to(&api, text_update(STUDENT, "en", "what does an IR do")).await;

    let log = bot.unmatched_log();
    let raw = std::fs::read_to_string(&log).unwrap();
    assert_eq!(raw.lines().count(), 1, "only the declined question: {raw}");
    let entry: serde_json::Value = serde_json::from_str(raw.trim()).unwrap();
    let mut keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["candidate", "confidence", "decline", "lang", "text", "time"]
    );
    assert_eq!(entry["decline"], "off_topic");
    assert_eq!(entry["text"], "berapa harga tiket pesawat ke bali");
    assert_eq!(entry["lang"], "id");
    assert!(!raw.contains(&STUDENT.to_string()), "no chat or user id");

    let long_question = format!("what about the weather {}", "and the traffic ".repeat(40));
    for _ in 0..20 {
        reply_to(&api, text_update(78, "en", &long_question)).await;
    }
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(
        size(&log) <= UNMATCHED_MAX_BYTES,
        "capped at {UNMATCHED_MAX_BYTES}"
    );
    assert!(size(&rotated(&log)) <= UNMATCHED_MAX_BYTES);
    let kept = read_log(&log, None).unwrap().entries;
    assert!(kept.len() < 21, "the oldest entries were dropped");
    assert_eq!(kept.last().unwrap().text, long_question);
    bot.stop().await;
}

#[test]
fn report_groups_similar_questions_with_the_closest_intent() {
    let fixture = data_file("unmatched_fixture.jsonl");
    let output = run_cli(
        &[
            "report",
            "--unmatched",
            fixture.to_str().unwrap(),
            "--db",
            "/nonexistent/db.sqlite",
        ],
        b"",
    );
    assert!(output.status.success());
    let report = text(&output.stdout);
    assert!(
        report.starts_with("7 unmatched questions in 4 groups"),
        "{report}"
    );
    assert!(report.contains("(1 unreadable lines skipped)"));
    let salary = report
        .find("1. 3 questions, nothing close")
        .expect("salary group first");
    let part_time = report
        .find("2. 2 questions, closest intent work_setting")
        .expect("part-time group second");
    assert!(salary < part_time);
    assert!(report.contains("-> add these as patterns to work_setting"));

    let since = run_cli(
        &[
            "report",
            "--since",
            "2026-11-10",
            "--unmatched",
            fixture.to_str().unwrap(),
        ],
        b"",
    );
    assert!(text(&since.stdout).starts_with("2 unmatched questions in 2 groups"));
}

#[test]
fn new_writes_a_template_once_and_refuses_bad_names() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let created = run_cli(&["--intents", dir, "new", "ir_in_indonesia"], b"");
    assert!(created.status.success(), "{}", text(&created.stderr));
    let written = std::fs::read_to_string(folder.path().join("ir_in_indonesia.toml")).unwrap();
    assert!(written.contains("[en]") && written.contains("[id]") && written.contains("# "));

    let again = run_cli(&["--intents", dir, "new", "ir_in_indonesia"], b"");
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(folder.path().join("ir_in_indonesia.toml")).unwrap(),
        written,
        "the existing file is untouched"
    );

    let bad = run_cli(&["--intents", dir, "new", "IR-Indonesia"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not a valid intent id"));

    let unfilled = run_cli(&["--intents", dir, "check"], b"");
    assert_eq!(
        unfilled.status.code(),
        Some(1),
        "an unfilled template is not served"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn sighup_reloads_the_intents_once() {
    let api = FakeBotApi::start().await;
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("stderr");
    let mut child = support::bot_binary(folder.path())
        .env("TELOXIDE_API_URL", api.url().as_str())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    api.wait_for("getUpdates", 1, WAIT).await;
    // Nothing in the folder changes, so only the signal can cause a reload.
    let sent = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let reloaded = loop {
        let printed = std::fs::read_to_string(&log).unwrap();
        if printed.contains("reloaded 41 intents") || Instant::now() > deadline {
            break printed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(reloaded.contains("reloaded 41 intents"), "{reloaded}");
    // Reading the folder to reload it is no change: it must not set off
    // another reload.
    tokio::time::sleep(Duration::from_secs(2)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let printed = std::fs::read_to_string(&log).unwrap();
    assert_eq!(printed.matches("reloaded").count(), 1, "{printed}");
}

/// One long declined question must not fill the admin's screen (or, once,
/// six messages): /stats shows its start.
#[tokio::test(flavor = "multi_thread")]
async fn stats_shortens_a_long_declined_question() {
    let api = FakeBotApi::start().await;
    let bot =
        RunningBot::start_with_admins(&api, &shipped_folder(), Path::new(IN_MEMORY), vec![ADMIN])
            .await;
    let long = "what will the weather be like on mars tomorrow ".repeat(100);
    reply_to(&api, text_update(ADMIN as i64, "en", &long)).await;
    let stats = reply_to(&api, command_update(ADMIN as i64, "en", "/stats")).await;
    bot.stop().await;
    let stats = text_of(&stats);
    let line = stats.lines().find(|l| l.contains("weather")).unwrap();
    assert!(line.ends_with('…') && line.chars().count() < 100, "{stats}");
    assert!(
        stats.starts_with("Since start: 0 answered, 1 declined (1 off_topic), 0 reactions."),
        "{stats}"
    );
}
