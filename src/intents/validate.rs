//! Rules that span files: references between intents, and the warnings
//! `check` shows maintainers. The rules that need the matcher's reading of
//! patterns live in [`crate::check`], above both.

use std::fmt;

use chrono::{Months, NaiveDate};

use super::IntentSet;
use crate::file_error::FileError;

/// Something worth a maintainer's look that does not stop the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning(pub FileError);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}

/// Errors that make the set unusable: a `related` id that does not exist.
pub fn validate_set(set: &IntentSet) -> Vec<FileError> {
    let mut errors = Vec::new();
    for intent in set.iter() {
        for (i, related) in intent.related.iter().enumerate() {
            if set.get(related).is_none() {
                errors.push(FileError::new(
                    &intent.file,
                    Some(&format!("related[{i}]")),
                    format!("`{related}` is not an intent id"),
                ));
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
