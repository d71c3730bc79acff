//! Rules that span files: references between intents, and the warnings
//! `check` shows maintainers. The rules that need the matcher's reading of
//! patterns live in [`crate::check`], above both.

use std::fmt;
use std::path::Path;

use chrono::{Months, NaiveDate};

use super::declines::ALSO_ANSWERS;
use super::{Decline, FollowUps, IntentSet, Topic};
use crate::file_error::FileError;

/// An error for each id in `related` (listed in `file`) that `known` does
/// not know.
pub fn unknown_related(
    file: &Path,
    related: &[String],
    known: impl Fn(&str) -> bool,
) -> Vec<FileError> {
    (0..)
        .zip(related)
        .filter(|(_, id)| !known(id))
        .map(|(i, id)| {
            FileError::new(
                file,
                Some(&format!("related[{i}]")),
                format!("`{id}` is not an intent id"),
            )
        })
        .collect()
}

/// An error for each intent id of a `[follow_up]` table (`table`, the
/// field's name in `file`) that `known` does not know.
pub fn unknown_follow_ups(
    file: &Path,
    table: &str,
    follow_ups: &FollowUps,
    known: impl Fn(&str) -> bool,
) -> Vec<FileError> {
    follow_ups
        .iter()
        .filter(|(_, id)| !known(id))
        .map(|(kind, id)| {
            FileError::new(
                file,
                Some(&format!("{table}.{kind}")),
                format!("`{id}` is not an intent id"),
            )
        })
        .collect()
}

/// Something worth a maintainer's look that does not stop the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning(pub FileError);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}

/// Errors that make the set unusable: a `related` or follow-up id that
/// does not exist.
/// `broken_ids` are intents whose files failed to load: they exist, so a
/// reference to one is no second error.
pub fn validate_set(set: &IntentSet, broken_ids: &[String]) -> Vec<FileError> {
    let known = |id: &str| set.get(id).is_some() || broken_ids.iter().any(|b| b == id);
    let mut errors: Vec<FileError> = set
        .iter()
        .flat_map(|intent| {
            let mut found = unknown_related(&intent.file, &intent.related, known);
            found.extend(unknown_follow_ups(
                &intent.file,
                "follow_up",
                &intent.follow_ups,
                known,
            ));
            found
        })
        .collect();
    for decline in set.declines() {
        errors.extend(unknown_bot_intents(decline, set));
    }
    if let Some(file) = &set.cues.file {
        errors.extend(unknown_follow_ups(
            file,
            "default",
            &set.cues.defaults,
            known,
        ));
    }
    errors
}

/// The ids a decline's `also_answers` names that are not the bot's own
/// intents (topic "bot"): its reply can stand in only for those.
fn unknown_bot_intents<'a>(
    decline: &'a Decline,
    set: &'a IntentSet,
) -> impl Iterator<Item = FileError> + 'a {
    let not_the_bots = |id: &&String| set.get(id).is_none_or(|i| i.topic != Topic::Bot);
    (decline.also_answers.iter().filter(not_the_bots)).map(|id| {
        FileError::new(
            &decline.file,
            Some(ALSO_ANSWERS),
            format!("`{id}` is not one of the bot's own intents (topic \"bot\")"),
        )
    })
}

/// Answers last checked against their sources more than a year before
/// `today`: medical-career facts age.
pub fn stale_reviews(set: &IntentSet, today: NaiveDate) -> Vec<Warning> {
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    set.iter()
        .filter_map(|intent| {
            let reviewed = intent.reviewed?;
            (reviewed < year_ago).then(|| {
                Warning(FileError::new(
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
