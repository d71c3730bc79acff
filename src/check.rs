//! The intent rules that need the matcher: two intents sharing a pattern
//! once the matcher has read it, and patterns the matcher sends elsewhere.
//! They sit above both the intents and the matcher, so that neither
//! depends on the other.

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use teloxide::utils::html::escape;

use crate::file_error::FileError;
use crate::intents::{
    load_folder_with, Intent, IntentSet, LoadError, Warning, TELEGRAM_MESSAGE_LIMIT,
};
use crate::lang::Lang;
use crate::matcher::{pattern_terms, Matcher};
use crate::replies::answer_text;
use crate::telegram::inline::inline_messages;

/// Loads and validates every intent and lexicon in `dir` (see
/// [`load_folder_with`]), rejecting also [`same_patterns`]: the loader the
/// bot and every command use.
pub fn load_folder(dir: &Path, today: NaiveDate) -> Result<IntentSet, LoadError> {
    load_folder_with(dir, today, same_patterns)
}

/// Two intents sharing a pattern once normalised (same words, any order):
/// one of them could never be reached by it.
pub fn same_patterns(set: &IntentSet) -> Vec<FileError> {
    let mut errors = Vec::new();
    let patterns: Vec<(&Intent, Lang, usize, &String)> = set
        .iter()
        .flat_map(|intent| {
            intent.texts.iter().flat_map(move |(&lang, text)| {
                (0..)
                    .zip(&text.patterns)
                    .map(move |(i, pattern)| (intent, lang, i, pattern))
            })
        })
        .collect();
    // Normalising every pattern is most of the work: spread it over the
    // cores, keeping the patterns' order.
    let keys: Vec<Vec<String>> = patterns
        .par_iter()
        .map(|&(_, lang, _, pattern)| {
            let mut key = pattern_terms(&set.lexicon, lang, pattern);
            key.sort();
            key.dedup();
            key
        })
        .collect();
    // Fx hashing: every pattern of every intent is a key.
    let mut owners: FxHashMap<Vec<String>, (&str, &str)> = FxHashMap::default();
    for ((intent, lang, i, pattern), key) in patterns.into_iter().zip(keys) {
        if key.is_empty() {
            continue;
        }
        match owners.get(&key) {
            Some((owner, first)) if *owner != intent.id => errors.push(FileError::new(
                &intent.file,
                Some(&format!("{lang}.patterns[{i}]")),
                format!(
                    "`{pattern}` is the same, once normalised, as `{first}` of intent `{owner}`"
                ),
            )),
            Some(_) => {}
            None => {
                owners.insert(key, (&intent.id, pattern));
            }
        }
    }
    errors
}

/// Patterns the matcher does not send to their own intent, and patterns
/// left with no word the matcher can use.
pub fn misrouted_patterns(set: &IntentSet, matcher: &Matcher) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for intent in set.iter() {
        for (&lang, text) in &intent.texts {
            for (i, pattern) in text.patterns.iter().enumerate() {
                let field = format!("{lang}.patterns[{i}]");
                let got = matcher.classify(pattern, lang);
                let message = match got.intent.as_deref() {
                    Some(id) if id == intent.id => continue,
                    Some(other) => format!("`{pattern}` is matched to `{other}` instead"),
                    None => format!("`{pattern}` is declined as out of scope"),
                };
                warnings.push(Warning(FileError::new(&intent.file, Some(&field), message)));
            }
        }
    }
    warnings
}

/// Intents whose answer, as an inline result posts it (escaped HTML, with
/// its care note and sources line), would not fit one Telegram message:
/// an inline result posts exactly one.
pub fn oversized_inline_answers(set: &IntentSet) -> Vec<FileError> {
    let mut problems = Vec::new();
    for intent in set.iter() {
        for &lang in intent.texts.keys() {
            let messages = inline_messages(intent, lang);
            if messages.len() > 1 {
                let length = escape(&answer_text(intent, lang)).encode_utf16().count();
                problems.push(FileError::new(
                    &intent.file,
                    Some(&format!("{lang}.answer")),
                    format!(
                        "posted from inline mode, as HTML with its care note and sources line, the answer is {length} characters; an inline result posts one message of at most {TELEGRAM_MESSAGE_LIMIT}"
                    ),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::intents::parse_intent;
    use crate::lexicon::Lexicon;
    use crate::replies::oversized_answers;

    fn set_with_answer(answer: &str) -> IntentSet {
        let file = format!(
            "topic = \"about\"\nsources = []\n\n[en]\ntitle = \"T\"\npatterns = [\"p\"]\nanswer = \"{answer}\"\n\n[id]\ntitle = \"T\"\npatterns = [\"p\"]\nanswer = \"Jawaban.\"\n"
        );
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let intent = parse_intent("x", Path::new("x.toml"), &file, today).unwrap();
        IntentSet::new(vec![intent], Lexicon::default())
    }

    #[test]
    fn an_answer_whose_html_outgrows_one_inline_message_is_named_with_its_field() {
        // 1 800 characters as text, 5 400 once `&` is escaped as `&amp;`.
        let set = set_with_answer(&"& ".repeat(900));
        assert!(oversized_answers(&set).is_empty(), "fits as a chat reply");
        let problems = oversized_inline_answers(&set);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, Path::new("x.toml"));
        assert_eq!(problems[0].field.as_deref(), Some("en.answer"));
        assert!(problems[0].message.contains("inline"), "{}", problems[0]);
        assert!(oversized_inline_answers(&set_with_answer("A short answer.")).is_empty());
    }
}
