//! Rules that span files: references between intents, and the warnings
//! `check` shows maintainers. The rules that need the matcher's reading of
//! patterns live in [`crate::check`], above both.

use std::fmt;
use std::path::Path;

use chrono::{Months, NaiveDate};

use super::IntentSet;
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

/// Something worth a maintainer's look that does not stop the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning(pub FileError);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}

/// Errors that make the set unusable: a `related` id that does not exist.
/// `broken_ids` are intents whose files failed to load: they exist, so a
/// reference to one is no second error.
pub fn validate_set(set: &IntentSet, broken_ids: &[String]) -> Vec<FileError> {
    let known = |id: &str| set.get(id).is_some() || broken_ids.iter().any(|b| b == id);
    set.iter()
        .flat_map(|intent| unknown_related(&intent.file, &intent.related, known))
        .collect()
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
