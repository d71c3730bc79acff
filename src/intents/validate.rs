//! Rules that span files: references between intents, patterns that
//! collide, and the warnings `check` shows maintainers.

use std::fmt;
use std::path::Path;

use chrono::{Months, NaiveDate};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Intent, IntentError, IntentSet};
use crate::lang::Lang;
use crate::matcher::normalize::pattern_terms;
use crate::matcher::Matcher;

/// An error for each id in `related` (listed in `file`) that `known` does
/// not know.
pub fn unknown_related(
    file: &Path,
    related: &[String],
    known: impl Fn(&str) -> bool,
) -> Vec<IntentError> {
    (0..)
        .zip(related)
        .filter(|(_, id)| !known(id))
        .map(|(i, id)| {
            IntentError::new(
                file,
                Some(&format!("related[{i}]")),
                format!("`{id}` is not an intent id"),
            )
        })
        .collect()
}

/// Something worth a maintainer's look that does not stop the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning(pub IntentError);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}

/// Errors that make the set unusable: a `related` id that does not exist,
/// and two intents sharing a pattern once normalised (same words, any
/// order), which would make one of them unreachable. `broken_ids` are
/// intents whose files failed to load: they exist, so a reference to one
/// is no second error.
pub fn validate_set(set: &IntentSet, broken_ids: &[String]) -> Vec<IntentError> {
    let known = |id: &str| set.get(id).is_some() || broken_ids.iter().any(|b| b == id);
    let mut errors: Vec<IntentError> = set
        .iter()
        .flat_map(|intent| unknown_related(&intent.file, &intent.related, known))
        .collect();
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
            Some((owner, first)) if *owner != intent.id => errors.push(IntentError::new(
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

/// Answers last checked against their sources more than a year before
/// `today`: medical-career facts age.
pub fn stale_reviews(set: &IntentSet, today: NaiveDate) -> Vec<Warning> {
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    set.iter()
        .filter_map(|intent| {
            let reviewed = intent.reviewed?;
            (reviewed < year_ago).then(|| {
                Warning(IntentError::new(
                    &intent.file,
                    Some("reviewed"),
                    format!(
                        "{reviewed} is more than a year ago: check the answer against its sources"
                    ),
                ))
            })
        })
        .collect()
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
                warnings.push(Warning(IntentError::new(
                    &intent.file,
                    Some(&field),
                    message,
                )));
            }
        }
    }
    warnings
}
