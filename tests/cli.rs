//! The `ir-advisor` command line, run as a user runs it.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use support::{cli_command, run_cli, text};

#[test]
fn match_json_streams_one_object_per_line() {
    let mut child = cli_command(&["match", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Each answer must arrive while stdin is still open: streaming.
    for (question, intent, decision, decline) in [
        (
            "how long is the IR fellowship",
            "\"ir_fellowship\"",
            "answer",
            "null",
        ),
        ("berapa gaji radiolog", "null", "decline", "\"not_covered\""),
        (
            "is a stent safe for my dad",
            "null",
            "decline",
            "\"medical\"",
        ),
    ] {
        writeln!(stdin, "{question}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(json["question"], question);
        assert_eq!(json["intent"].to_string(), intent, "{line}");
        assert_eq!(json["decision"], decision, "{line}");
        assert_eq!(json["decline"].to_string(), decline, "{line}");
        let confidence = json["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        assert!(json["lang"] == "en" || json["lang"] == "id");
        assert!(json["candidates"].is_array());
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn match_reports_invalid_utf8_and_answers_the_rest() {
    let output = run_cli(
        &["match"],
        b"\xff\xfe oops\napa itu radiologi intervensional\n",
    );
    assert!(output.status.success());
    assert!(text(&output.stderr).contains("line 1 is not valid UTF-8"));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("what_is_ir\t"), "{stdout}");
    assert!(stdout.contains("\tid\t"), "{stdout}");
}

#[test]
fn chat_answers_in_the_question_language_with_related_topics() {
    let output = run_cli(
        &["chat"],
        "berapa lama fellowship IR?\nwho won the football match\n".as_bytes(),
    );
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Topik terkait:"), "{stdout}");
    assert!(
        stdout.contains("[board_certification]") || stdout.contains("[radiology_residency]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("That's outside what I can help with"),
        "the off-topic decline: {stdout}"
    );
}

#[test]
fn check_passes_the_shipped_folder() {
    let output = run_cli(&["check"], b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("ok: 41 intents"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn check_lists_every_error_and_exits_1() {
    let output = run_cli(&["check", "--intents", "tests/data/broken_intents"], b"");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    for expected in [
        "4 problems in the intent files:",
        "duties.toml: topic: `hobbies` is not a menu group",
        "duties.toml: en.answer: is empty",
        "syntax_error.toml: invalid TOML at line 2",
        "what_is_ir.toml: related[0]: `no_such_intent` is not an intent id",
    ] {
        assert!(
            stderr.contains(expected),
            "{expected:?} missing from:\n{stderr}"
        );
    }
}

#[test]
fn check_ties_every_topic_to_a_listed_document_and_a_review_date() {
    let intent = support::intent_toml(&["what is it"], &[])
        .replace("sources = []", "sources = [\"A guide\"]");
    let folder = support::intent_folder(&[
        ("a.toml", &intent),
        (
            "sources/documents.toml",
            "[[document]]\ntitle = \"The guide\"\nfile = \"guide.txt\"\n",
        ),
    ]);
    let dir = folder.path().to_str().unwrap();
    let output = run_cli(&["--intents", dir, "check"], b"");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    for expected in [
        "a.toml: sources[0]: `A guide` is not a document title",
        "a.toml: reviewed: missing",
    ] {
        assert!(
            stderr.contains(expected),
            "{expected:?} missing from:\n{stderr}"
        );
    }
}

#[test]
fn check_says_when_the_answer_weights_no_longer_fit_the_patterns() {
    let sourced = |patterns: &[&str]| {
        support::intent_toml(patterns, &[]).replace(
            "sources = []",
            "sources = [\"Guide\"]\nreviewed = 2026-11-01",
        )
    };
    let folder = support::intent_folder(&[
        ("a.toml", &sourced(&["what is it", "tell me about it"])),
        ("b.toml", &sourced(&["how long is it", "how many years"])),
        (
            "sources/documents.toml",
            "[[document]]\ntitle = \"Guide\"\nfile = \"guide.txt\"\n",
        ),
    ]);
    let dir = folder.path().to_str().unwrap();
    let output = run_cli(&["--intents", dir, "check"], b"");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("run `ir-advisor fit`"),
        "{stdout}{}",
        text(&output.stderr)
    );
}

#[test]
fn eval_ends_with_the_accuracy_line() {
    let output = run_cli(&["eval", "tests/data/dev.tsv"], b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let last = stdout.lines().last().unwrap();
    let (word, figure) = last.split_once(' ').unwrap();
    assert_eq!(word, "accuracy");
    assert_eq!(figure.len(), 5, "three decimals: {last}");
    assert!(figure.parse::<f64>().unwrap() >= 0.9);
    for heading in [
        "in-scope accuracy",
        "in-scope [en]",
        "in-scope [id]",
        "accuracy [en]",
        "accuracy [id]",
        "out-of-scope precision",
        "out-of-scope recall",
    ] {
        assert!(stdout.contains(heading), "{heading} missing");
    }
}

#[test]
fn the_intents_folder_comes_from_the_environment() {
    let output = Command::new(env!("CARGO_BIN_EXE_ir-advisor"))
        .arg("check")
        .env("IR_ADVISOR_INTENTS", "tests/data/broken_intents")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn explain_shows_words_language_and_top_intents() {
    let output = run_cli(&["explain", "brp thn jadi radiolog intervensi?"], b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("language: id"), "{stdout}");
    assert!(
        stdout.contains("berapa(w "),
        "informal spelling rewritten: {stdout}"
    );
    assert!(stdout.contains("answer: training_duration"), "{stdout}");
    assert!(stdout.contains("best pattern ["), "{stdout}");
}

#[test]
fn explain_shows_the_question_sentence_a_story_was_answered_on() {
    let story = "I like films and football and hanging out with friends at the weekend. \
                 How long is the IR fellowship?";
    let output = run_cli(&["explain", story], b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let (whole, sentence) = stdout
        .split_once(
            "answered on its question sentence, read alone: \"How long is the IR fellowship?\"",
        )
        .unwrap_or_else(|| panic!("no question sentence: {stdout}"));
    assert!(whole.contains("football"), "{stdout}");
    assert!(sentence.contains("best pattern ["), "{stdout}");
    assert!(sentence.contains("answer: ir_fellowship"), "{stdout}");
}

#[test]
fn version_prints_the_crate_version() {
    let output = run_cli(&["--version"], b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).trim(),
        format!("ir-advisor {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn chat_reports_invalid_utf8_and_answers_the_rest() {
    let output = run_cli(
        &["chat"],
        b"what does an interventional radiologist do\n\xc3\x28 broken\napa itu radiologi intervensional\n",
    );
    assert!(output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("line 2 is not valid UTF-8"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Related topics:"), "{stdout}");
    assert!(stdout.contains("Topik terkait:"), "{stdout}");
}

/// A reader that stops reading early (`| head`) gets no panic and no
/// error from the command it cut short.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    for args in [
        &["eval", "tests/data/dev.tsv"][..],
        &["explain", "how long is the IR fellowship"],
    ] {
        let mut child = cli_command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = text(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// A bot flag before another command would be silently ignored: it is an
/// error instead. `--intents` is for every command, before or after it.
#[test]
fn bot_flags_before_another_command_are_refused() {
    let output = run_cli(&["--unmatched", "elsewhere.jsonl", "report"], b"");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--unmatched before `report` would be ignored"),
        "{stderr}"
    );
    assert!(run_cli(&["--intents", "intents", "check"], b"")
        .status
        .success());
}

#[test]
fn lang_is_only_a_flag_of_the_commands_that_answer() {
    assert!(!run_cli(&["report", "--lang", "id"], b"").status.success());
    assert!(!run_cli(&["--lang", "id", "chat"], b"").status.success());
    let output = run_cli(&["chat", "--lang", "id"], b"halo\n");
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn cross_validation_keeps_the_noise_seed() {
    let accuracy = |args: &[&str]| text(&run_cli(args, b"").stdout);
    let clean = accuracy(&["eval", "--cross-validate", "3"]);
    let noisy = accuracy(&["eval", "--cross-validate", "3", "--noise", "7"]);
    assert_ne!(clean, noisy, "the seed was used");
    assert_eq!(
        noisy,
        accuracy(&["eval", "--cross-validate", "3", "--noise", "7"]),
        "and repeats"
    );
}
