//! The intent rules that need the matcher: two intents sharing a pattern
//! once the matcher has read it, and patterns the matcher sends elsewhere.
//! They sit above both the intents and the matcher, so that neither
//! depends on the other.

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::file_error::FileError;
use crate::intents::{load_folder_with, Intent, IntentSet, LoadError, Warning};
use crate::lang::Lang;
use crate::matcher::{pattern_terms, Matcher};

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
