//! Follow-ups as data: an intent's optional `[follow_up]` table names the
//! intent that answers "and after that?", "how long does that take?", "is
//! it hard?", "what about in the UK?" or "how do I start?" said right
//! after it, so that the training path (medical school → residency →
//! fellowship → board certification → career development) is walked by
//! the data, not by code.

use std::collections::BTreeMap;
use std::fmt;

use toml::{Table, Value};

/// What a short follow-up asks about the topic just answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FollowUpKind {
    /// "and after that?", "terus abis itu?": the next step on the path.
    Next,
    /// "and before that?", "sebelumnya?": the step before on the path.
    Before,
    /// "how long does that take?", "berapa lama?".
    HowLong,
    /// "how many years is all of that put together?", "totalnya berapa
    /// tahun?": how long the whole path takes, however far along it the
    /// last topic was. A `how_long` cue with a phrase of the cue file's
    /// `totals` beside it.
    Total,
    /// "is it hard?", "susah gak?".
    Hard,
    /// "what about in the UK?", "kalo di UK?".
    InUk,
    /// "like what?", "contohnya?": concrete examples of what was described,
    /// which that answer names unless the topic names another.
    Examples,
    /// "why?", "kenapa?": the reasons behind the answer just given, which
    /// that answer holds unless the topic names another.
    Why,
    /// "how do I start?", "what's the first step?", "cara jadinya
    /// gimana?": where the way into IR begins, seen from the last topic.
    Start,
    /// "is it worth it?", "worth it gak?": what makes it worth choosing.
    Worth,
    /// "is it safe?", "aman gak?": the risks of what was just described.
    Safe,
}

impl FollowUpKind {
    /// Whether the kind only makes sense against something said before:
    /// "and after that?" or "why?" alone name no topic, while "how long?",
    /// "is it hard?" or "in the UK?" alone still ask about IR as a whole.
    pub fn points_back(self) -> bool {
        matches!(
            self,
            FollowUpKind::Next | FollowUpKind::Before | FollowUpKind::Examples | FollowUpKind::Why
        )
    }

    /// Whether the answer just given answers this kind itself when its
    /// topic names no intent for it: "why?" asks for its reasons and "like
    /// what?" for its examples, which the answer holds.
    pub fn answered_by_itself(self) -> bool {
        matches!(self, FollowUpKind::Examples | FollowUpKind::Why)
    }

    pub const ALL: [FollowUpKind; 11] = [
        FollowUpKind::Next,
        FollowUpKind::Before,
        FollowUpKind::HowLong,
        FollowUpKind::Total,
        FollowUpKind::Hard,
        FollowUpKind::InUk,
        FollowUpKind::Examples,
        FollowUpKind::Why,
        FollowUpKind::Start,
        FollowUpKind::Worth,
        FollowUpKind::Safe,
    ];

    /// The key naming this kind in `[follow_up]` tables and the cue file.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpKind::Next => "next",
            FollowUpKind::Before => "before",
            FollowUpKind::HowLong => "how_long",
            FollowUpKind::Total => "total",
            FollowUpKind::Hard => "hard",
            FollowUpKind::InUk => "in_uk",
            FollowUpKind::Examples => "examples",
            FollowUpKind::Why => "why",
            FollowUpKind::Start => "start",
            FollowUpKind::Worth => "worth",
            FollowUpKind::Safe => "safe",
        }
    }

    /// How `eval` names a turn read as this kind of follow-up.
    pub fn reading(self) -> &'static str {
        match self {
            FollowUpKind::Next => "as a follow-up: next",
            FollowUpKind::Before => "as a follow-up: before",
            FollowUpKind::HowLong => "as a follow-up: how_long",
            FollowUpKind::Total => "as a follow-up: total",
            FollowUpKind::Hard => "as a follow-up: hard",
            FollowUpKind::InUk => "as a follow-up: in_uk",
            FollowUpKind::Examples => "as a follow-up: examples",
            FollowUpKind::Why => "as a follow-up: why",
            FollowUpKind::Start => "as a follow-up: start",
            FollowUpKind::Worth => "as a follow-up: worth",
            FollowUpKind::Safe => "as a follow-up: safe",
        }
    }

    pub fn parse(name: &str) -> Option<FollowUpKind> {
        FollowUpKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kinds' keys, for error messages.
    pub fn names() -> String {
        let names: Vec<&str> = FollowUpKind::ALL.iter().map(|k| k.as_str()).collect();
        names.join(", ")
    }
}

impl fmt::Display for FollowUpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Intent ids by follow-up kind, as a `[follow_up]` table gives them.
pub type FollowUps = BTreeMap<FollowUpKind, String>;

/// Reads a `[follow_up]` table (`field` names it in errors): each key a
/// kind, each value an intent id, checked against the set later. Returns
/// what could be read and a (field, message) per problem.
pub fn read_follow_ups(field: &str, value: Value) -> (FollowUps, Vec<(String, String)>) {
    let mut follow_ups = FollowUps::new();
    let mut problems = Vec::new();
    let Value::Table(table) = value else {
        problems.push((
            field.to_owned(),
            format!(
                "must be a table of {} = \"intent_id\"",
                FollowUpKind::names()
            ),
        ));
        return (follow_ups, problems);
    };
    for (key, value) in table {
        let at = format!("{field}.{key}");
        match (FollowUpKind::parse(&key), value) {
            (None, _) => problems.push((
                at,
                format!(
                    "unknown follow-up kind: use one of {}",
                    FollowUpKind::names()
                ),
            )),
            (Some(kind), Value::String(id)) => {
                follow_ups.insert(kind, id);
            }
            (Some(_), _) => problems.push((at, "must be an intent id in quotes".to_owned())),
        }
    }
    (follow_ups, problems)
}

/// The ids a `[follow_up]` table names, as far as they can be read from a
/// file that did not load, so that its references are still checked.
pub fn follow_ups_in(table: &mut Table) -> FollowUps {
    table
        .remove("follow_up")
        .map(|value| read_follow_ups("follow_up", value).0)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kinds_and_reports_unknown_ones() {
        let value: Value = toml::from_str::<Table>("next = \"a\"\nsoon = \"b\"\nhard = 3\n")
            .unwrap()
            .into();
        let (read, problems) = read_follow_ups("follow_up", value);
        assert_eq!(read.get(&FollowUpKind::Next).map(String::as_str), Some("a"));
        assert_eq!(read.len(), 1);
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["follow_up.hard", "follow_up.soon"]);
        for kind in FollowUpKind::ALL {
            assert_eq!(FollowUpKind::parse(kind.as_str()), Some(kind));
        }
    }
}
