//! Loading intent folders: every rule of the intent format, with errors
//! that name the file and the field, all reported together.

mod support;

use ir_advisor::check::load_folder;
use ir_advisor::intents::{LoadError, Topic};
use ir_advisor::lang::Lang;
use support::{intent_folder, intent_toml, today};

fn load_errors(files: &[(&str, &str)]) -> Vec<String> {
    let dir = intent_folder(files);
    match load_folder(dir.path(), today()) {
        Err(LoadError::Invalid(errors)) => errors
            .iter()
            .map(|e| {
                let name = e.file.file_name().unwrap().to_string_lossy().into_owned();
                format!(
                    "{name}: {}: {}",
                    e.field.as_deref().unwrap_or("-"),
                    e.message
                )
            })
            .collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn assert_has(errors: &[String], expected: &str) {
    assert!(
        errors.iter().any(|e| e.starts_with(expected)),
        "no error starting with {expected:?} in {errors:#?}"
    );
}

#[test]
fn loads_the_shipped_catalogue() {
    let set = support::shipped_intents();
    assert_eq!(set.len(), 41);
    for intent in set.iter() {
        assert!(intent.texts.contains_key(&Lang::EN) && intent.texts.contains_key(&Lang::ID));
        assert!(
            (2..=4).contains(&intent.related.len()),
            "{} related",
            intent.id
        );
        if intent.topic != Topic::Bot {
            for (lang, text) in &intent.texts {
                assert!(
                    text.patterns.len() >= 12,
                    "{} [{lang}] has too few patterns",
                    intent.id
                );
                let length = text.answer.chars().count();
                assert!(
                    (300..=1300).contains(&length),
                    "{} [{lang}] answer is {length} chars",
                    intent.id
                );
            }
        }
    }
}

#[test]
fn loads_a_valid_folder() {
    let dir = intent_folder(&[
        (
            "fellowship.toml",
            &intent_toml(&["what is the fellowship"], &["residency"]),
        ),
        ("residency.toml", &intent_toml(&["what is residency"], &[])),
        ("README.md", "not an intent"),
    ]);
    let set = load_folder(dir.path(), today()).unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set.get("fellowship").unwrap().related, ["residency"]);
}

#[test]
fn reports_every_broken_file_together() {
    let errors = load_errors(&[
        (
            "good.toml",
            &intent_toml(&["what is the fellowship"], &["missing_id"]),
        ),
        ("syntax.toml", "topic = \"about\"\n[en\n"),
        (
            "unknown.toml",
            &format!("colour = \"red\"\n{}", intent_toml(&["residency"], &[])),
        ),
        ("Bad-Name.toml", &intent_toml(&["bad name"], &[])),
    ]);
    assert_has(
        &errors,
        "good.toml: related[0]: `missing_id` is not an intent id",
    );
    assert_has(&errors, "syntax.toml: -: invalid TOML at line 2");
    assert_has(&errors, "unknown.toml: colour: unknown key");
    assert_has(
        &errors,
        "Bad-Name.toml: -: `Bad-Name` is not a valid intent id",
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

#[test]
fn rejects_patterns_shared_by_two_intents_after_normalisation() {
    let errors = load_errors(&[
        (
            "a.toml",
            &intent_toml(&["How long is the FELLOWSHIP?"], &[]),
        ),
        ("b.toml", &intent_toml(&["fellowship, how long is it"], &[])),
        ("lexicon/en.toml", "stopwords = [\"is\", \"the\", \"it\"]"),
    ]);
    assert_has(&errors, "b.toml: en.patterns[0]: `fellowship, how long is it` is the same, once normalised, as `How long is the FELLOWSHIP?` of intent `a`");
}

#[test]
fn rejects_empty_fields_and_future_reviews() {
    let broken = intent_toml(&["a question"], &[])
        .replace("title = \"T\"", "title = \"\"")
        .replace("answer = \"Jawaban.\"", "answer = \"\"")
        .replace("sources = []", "sources = []\nreviewed = 2030-01-01");
    let errors = load_errors(&[("x.toml", &broken)]);
    assert_has(&errors, "x.toml: en.title: is empty");
    assert_has(&errors, "x.toml: id.answer: is empty");
    assert_has(&errors, "x.toml: reviewed: 2030-01-01 is in the future");
}

#[test]
fn rejects_a_bad_lexicon_and_files_that_are_not_text() {
    let errors = load_errors(&[
        ("a.toml", &intent_toml(&["a question"], &[])),
        ("lexicon/english.toml", "stopwords = []"),
        ("lexicon/id.toml", "stopwords = 3"),
    ]);
    assert_has(
        &errors,
        "english.toml: -: a lexicon file is named by its two-letter language code",
    );
    assert_has(&errors, "id.toml: -: invalid lexicon");

    let dir = intent_folder(&[]);
    std::fs::write(dir.path().join("binary.toml"), b"\xff\xfe\x00topic").unwrap();
    let error = load_folder(dir.path(), today()).unwrap_err().to_string();
    assert!(error.contains("binary.toml: is not valid UTF-8"), "{error}");
}

#[test]
fn an_empty_or_missing_folder_is_an_error() {
    let errors = load_errors(&[]);
    assert_has(&errors, "");
    assert!(errors[0].contains("holds no intent files"), "{errors:?}");
    let missing = load_folder(std::path::Path::new("/no/such/folder"), today()).unwrap_err();
    assert!(matches!(missing, LoadError::Folder { .. }));
    assert!(missing.to_string().contains("/no/such/folder"));
}

#[test]
fn a_byte_order_mark_crlf_line_ends_and_tabs_are_read() {
    let plain = intent_toml(&["what is a\tnormal question"], &[]);
    let variants = [
        format!("\u{feff}{plain}"),
        plain.replace('\n', "\r\n"),
        plain
            .replace("\ntitle", "\n\ttitle")
            .replace(" = ", "\t=\t"),
    ];
    for text in variants {
        let dir = intent_folder(&[("odd.toml", &text)]);
        let set = load_folder(dir.path(), today()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let intent = set.get("odd").unwrap();
        assert_eq!(intent.text(Lang::EN).title, "T", "{text:?}");
        assert_eq!(intent.text(Lang::EN).answer, "An answer.", "{text:?}");
    }
}

#[test]
fn a_megabyte_of_text_is_refused_clearly() {
    let megabyte = "an answer that goes on and on ".repeat(35_000);
    assert!(megabyte.len() > 1_000_000);
    let long_answer = intent_toml(&["what is a long answer"], &[]).replace("An answer.", &megabyte);
    let errors = load_errors(&[("long.toml", &long_answer), ("prose.toml", &megabyte)]);
    assert_has(
        &errors,
        "long.toml: en.answer: is 1049999 characters; a Telegram message holds 4096",
    );
    assert_has(&errors, "prose.toml: -:");
    assert!(
        errors.iter().all(|e| e.len() < 1_000),
        "no error echoes the text: {errors:?}"
    );
}

/// A file with a problem of its own and a reference to nowhere gets both
/// reported; a reference to that broken file from a good one is no error.
#[test]
fn a_broken_file_has_all_its_problems_reported_references_included() {
    let broken =
        intent_toml(&["how long is training"], &["nowhere"]).replace("topic = \"about\"\n", "");
    let errors = load_errors(&[
        ("good.toml", &intent_toml(&["what is ir"], &["broken"])),
        ("broken.toml", &broken),
    ]);
    assert_eq!(
        errors,
        [
            "broken.toml: topic: missing",
            "broken.toml: related[0]: `nowhere` is not an intent id"
        ]
    );
}

#[test]
fn a_decline_stands_in_only_for_the_bots_own_intents() {
    let decline = "also_answers = [\"residency\", \"nowhere\"]\n\
        [en]\nreply = \"Not for me.\"\nexamples = [\"weather today\"]\n\
        [id]\nreply = \"Bukan bidangku.\"\nexamples = [\"cuaca hari ini\"]\n";
    let errors = load_errors(&[
        ("residency.toml", &intent_toml(&["what is residency"], &[])),
        ("declines/off_topic.toml", decline),
    ]);
    let not_the_bots = "is not one of the bot's own intents";
    assert_has(
        &errors,
        &format!("off_topic.toml: also_answers: `residency` {not_the_bots}"),
    );
    assert_has(
        &errors,
        &format!("off_topic.toml: also_answers: `nowhere` {not_the_bots}"),
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
}
