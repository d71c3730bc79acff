//! One intent file's text -> [`Intent`], reporting every problem found.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::{Table, Value};

use super::follow_up::{read_follow_ups, FollowUps};
use super::{Intent, Localized, Topic, MAX_ID_LEN, REQUIRED_LANGS, TELEGRAM_MESSAGE_LIMIT};
use crate::file_error::FileError;
use crate::lang::Lang;

/// An intent id is a file name: lowercase ASCII letters, digits and `_`,
/// short enough to travel in a Telegram button's callback data.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// One language table as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalized {
    title: String,
    patterns: Vec<String>,
    answer: String,
}

/// Collects the errors of one file so that all of them are reported.
struct FileErrors<'a> {
    file: &'a Path,
    errors: Vec<FileError>,
}

impl FileErrors<'_> {
    fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .push(FileError::new(self.file, Some(field), message));
    }

    /// Deserialises one field, recording a typed error instead of failing.
    fn field<T: serde::de::DeserializeOwned>(&mut self, name: &str, value: Value) -> Option<T> {
        match value.try_into::<T>() {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.error(name, error.message().trim().to_owned());
                None
            }
        }
    }
}

/// Parses and checks one intent file. `file` only labels the errors; `today`
/// bounds the `reviewed` date.
pub fn parse_intent(
    id: &str,
    file: &Path,
    text: &str,
    today: NaiveDate,
) -> Result<Intent, Vec<FileError>> {
    let mut report = FileErrors {
        file,
        errors: Vec::new(),
    };
    if !is_valid_id(id) {
        report.errors.push(FileError::new(
            file,
            None,
            format!(
                "`{id}` is not a valid intent id: use lowercase ASCII letters, digits and `_`, at most {MAX_ID_LEN} of them"
            ),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut table: Table = match text.parse() {
        Ok(table) => table,
        Err(error) => {
            let error: toml::de::Error = error;
            report
                .errors
                .push(FileError::new(file, None, toml_error_message(text, &error)));
            return Err(report.errors);
        }
    };

    let topic = take_topic(&mut report, &mut table);
    let sources = take_list(&mut report, &mut table, "sources");
    let related = take_list(&mut report, &mut table, "related");
    let reviewed = take_reviewed(&mut report, &mut table, today);
    let care_note = table
        .remove("care_note")
        .and_then(|value| report.field("care_note", value))
        .unwrap_or(false);
    if related.iter().any(|r| r == id) {
        report.error("related", format!("`{id}` lists itself"));
    }
    let follow_ups = take_follow_ups(&mut report, &mut table);
    let texts = take_languages(&mut report, table);

    match (topic, report.errors.is_empty()) {
        (Some(topic), true) => Ok(Intent {
            id: id.to_owned(),
            file: file.to_owned(),
            topic,
            sources,
            related,
            reviewed,
            care_note,
            follow_ups,
            texts,
        }),
        _ => Err(report.errors),
    }
}

/// A TOML syntax error with its line number, which `toml` reports as a span.
fn toml_error_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim();
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("invalid TOML at line {line}: {message}")
        }
        None => format!("invalid TOML: {message}"),
    }
}

/// The optional `[follow_up]` table. An intent may name itself: "how
/// long does that take?" after the fellowship is answered by the
/// fellowship's own answer.
fn take_follow_ups(report: &mut FileErrors, table: &mut Table) -> FollowUps {
    let Some(value) = table.remove("follow_up") else {
        return FollowUps::new();
    };
    let (follow_ups, problems) = read_follow_ups("follow_up", value);
    for (field, message) in problems {
        report.error(&field, message);
    }
    follow_ups
}

fn take_topic(report: &mut FileErrors, table: &mut Table) -> Option<Topic> {
    let Some(value) = table.remove("topic") else {
        report.error("topic", "missing");
        return None;
    };
    let name: String = report.field("topic", value)?;
    let topic = Topic::parse(&name);
    if topic.is_none() {
        let known: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
        report.error(
            "topic",
            format!(
                "`{name}` is not a menu group; use one of {}",
                known.join(", ")
            ),
        );
    }
    topic
}

fn take_list(report: &mut FileErrors, table: &mut Table, name: &str) -> Vec<String> {
    table
        .remove(name)
        .and_then(|value| report.field(name, value))
        .unwrap_or_default()
}

fn take_reviewed(
    report: &mut FileErrors,
    table: &mut Table,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let value = table.remove("reviewed")?;
    let date = match value {
        Value::Datetime(datetime) => match (datetime.date, datetime.time) {
            (Some(date), None) => {
                NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
            }
            _ => None,
        },
        _ => None,
    };
    match date {
        None => report.error("reviewed", "must be a TOML date such as 2026-11-22"),
        Some(date) if date > today => report.error("reviewed", format!("{date} is in the future")),
        Some(_) => {}
    }
    date
}

/// Every remaining key must be a language table; anything else is unknown.
fn take_languages(report: &mut FileErrors, table: Table) -> BTreeMap<Lang, Localized> {
    let mut texts = BTreeMap::new();
    let mut present = Vec::new();
    for (key, value) in table {
        let Some(lang) = Lang::parse(&key) else {
            report.error(
                &key,
                "unknown key: expected topic, sources, related, reviewed, care_note, follow_up or a two-letter language table",
            );
            continue;
        };
        present.push(lang);
        if !value.is_table() {
            report.error(
                &key,
                "a language must be a table with title, patterns and answer",
            );
            continue;
        }
        if let Some(raw) = report.field::<RawLocalized>(&key, value) {
            if let Some(localized) = check_localized(report, &key, raw) {
                texts.insert(lang, localized);
            }
        }
    }
    for lang in REQUIRED_LANGS.iter().filter(|l| !present.contains(l)) {
        report.error(
            lang.as_str(),
            "missing: every intent needs this language table",
        );
    }
    texts
}

fn check_localized(report: &mut FileErrors, key: &str, raw: RawLocalized) -> Option<Localized> {
    let before = report.errors.len();
    if raw.title.trim().is_empty() {
        report.error(&format!("{key}.title"), "is empty");
    }
    if raw.answer.trim().is_empty() {
        report.error(&format!("{key}.answer"), "is empty");
    }
    let length = raw.answer.trim().encode_utf16().count();
    if length > TELEGRAM_MESSAGE_LIMIT {
        report.error(
            &format!("{key}.answer"),
            format!("is {length} characters; a Telegram message holds {TELEGRAM_MESSAGE_LIMIT}"),
        );
    }
    if raw.patterns.is_empty() {
        report.error(
            &format!("{key}.patterns"),
            "needs at least one example question",
        );
    }
    for (i, pattern) in raw.patterns.iter().enumerate() {
        if pattern.trim().is_empty() {
            report.error(&format!("{key}.patterns[{i}]"), "is empty");
        }
    }
    (report.errors.len() == before).then(|| Localized {
        title: raw.title.trim().to_owned(),
        patterns: raw.patterns.iter().map(|p| p.trim().to_owned()).collect(),
        answer: raw.answer.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    const GOOD: &str = r#"
topic = "training"
sources = ["Interventional Radiology Training guide"]
related = ["board_certification"]
reviewed = 2026-01-02

[en]
title = "The IR fellowship"
patterns = ["what is the IR fellowship", "fellowship"]
answer = "One to two years."

[id]
title = "Fellowship IR"
patterns = ["apa itu fellowship"]
answer = "Satu sampai dua tahun."
"#;

    fn errors_of(text: &str) -> Vec<String> {
        parse_intent("x", Path::new("intents/x.toml"), text, today())
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn parses_a_complete_intent() {
        let intent = parse_intent("ir_fellowship", Path::new("f.toml"), GOOD, today()).unwrap();
        assert_eq!(intent.topic, Topic::Training);
        assert_eq!(intent.related, ["board_certification"]);
        assert_eq!(intent.text(Lang::ID).title, "Fellowship IR");
        assert_eq!(
            intent.text(Lang::parse("fr").unwrap()).title,
            "The IR fellowship"
        );
        assert_eq!(intent.reviewed, NaiveDate::from_ymd_opt(2026, 1, 2));
        assert!(intent.follow_ups.is_empty());
    }

    #[test]
    fn reads_the_follow_up_table_and_names_its_bad_fields() {
        let with = GOOD.replace(
            "reviewed = 2026-01-02\n",
            "reviewed = 2026-01-02\n[follow_up]\nnext = \"board_certification\"\n",
        );
        let intent = parse_intent("ir_fellowship", Path::new("f.toml"), &with, today()).unwrap();
        let next = intent.follow_ups.get(&crate::intents::FollowUpKind::Next);
        assert_eq!(next.map(String::as_str), Some("board_certification"));
        let bad = GOOD.replace(
            "reviewed = 2026-01-02\n",
            "reviewed = 2026-01-02\n[follow_up]\nlater = \"y\"\nhard = 2\n",
        );
        let errors = errors_of(&bad);
        assert!(
            errors[0].starts_with("intents/x.toml: follow_up.hard: must be an intent id"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("intents/x.toml: follow_up.later: unknown follow-up kind"),
            "{errors:?}"
        );
    }

    #[test]
    fn accepts_a_byte_order_mark_and_crlf() {
        let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        assert!(parse_intent("x", Path::new("f.toml"), &text, today()).is_ok());
    }

    #[test]
    fn reports_a_syntax_error_with_its_line() {
        let errors = errors_of("topic = \"about\"\n[en\n");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("intents/x.toml: invalid TOML at line 2"),
            "{errors:?}"
        );
    }

    #[test]
    fn reports_every_problem_with_its_field() {
        let text = GOOD
            .replace("\"training\"", "\"cooking\"")
            .replace("reviewed = 2026-01-02", "reviewed = 2099-01-01\ncolour = 1")
            .replace(
                "answer = \"Satu sampai dua tahun.\"",
                "answer = \"  \"\nextra = 2",
            )
            .replace("[\"what is the IR fellowship\", \"fellowship\"]", "[]");
        let errors = errors_of(&text);
        let expect = [
            "intents/x.toml: topic: `cooking` is not a menu group",
            "intents/x.toml: reviewed: 2099-01-01 is in the future",
            "intents/x.toml: colour: unknown key",
            "intents/x.toml: en.patterns: needs at least one example question",
            "intents/x.toml: id: unknown field `extra`",
        ];
        for expected in expect {
            assert!(
                errors.iter().any(|e| e.starts_with(expected)),
                "no error starting with {expected:?} in {errors:#?}"
            );
        }
    }

    #[test]
    fn requires_english_and_indonesian() {
        let english_only = GOOD.split("[id]").next().unwrap();
        let errors = errors_of(english_only);
        assert_eq!(
            errors,
            ["intents/x.toml: id: missing: every intent needs this language table"]
        );
    }

    #[test]
    fn rejects_an_answer_too_long_for_telegram() {
        let long = "a".repeat(TELEGRAM_MESSAGE_LIMIT + 1);
        let errors = errors_of(&GOOD.replace("One to two years.", &long));
        assert!(
            errors[0].contains("en.answer: is 4097 characters"),
            "{errors:?}"
        );
    }

    #[test]
    fn rejects_a_date_with_a_time_and_bad_ids() {
        let errors = errors_of(&GOOD.replace("2026-01-02", "2026-01-02T10:00:00"));
        assert!(
            errors[0].contains("reviewed: must be a TOML date"),
            "{errors:?}"
        );
        let errors = parse_intent("Bad-Id", Path::new("Bad-Id.toml"), GOOD, today()).unwrap_err();
        assert!(errors[0].message.contains("not a valid intent id"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id("what_is_ir2"));
        assert!(is_valid_id(&"a".repeat(MAX_ID_LEN)));
        assert!(!is_valid_id(&"a".repeat(MAX_ID_LEN + 1)));
    }
}
