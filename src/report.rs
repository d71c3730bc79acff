//! Groups the questions the bot could not answer, so a maintainer sees at
//! once "add these as patterns to X" or "this needs a new intent". Pure:
//! the CLI reads the log and prints.

use std::collections::{BTreeMap, BTreeSet};

use crate::intents::DeclineKind;
use crate::matcher::Matcher;
use crate::storage::Helpfulness;
use crate::unmatched::{entry_lang, Unmatched};

/// How much two questions' words must overlap (Jaccard) to be grouped.
/// Half: "salary of an IR" and "IR salary per month" group; questions that
/// share one word of three do not.
pub const SAME_GROUP_OVERLAP: f32 = 0.5;

/// How many example questions a group shows.
pub const EXAMPLES_PER_GROUP: usize = 3;

/// Similar questions, with the intent they came closest to.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub size: usize,
    /// Distinct questions, most frequent first.
    pub examples: Vec<String>,
    /// The candidate most of the group's questions came closest to.
    pub closest_intent: Option<String>,
    /// Its mean confidence over the group.
    pub confidence: f32,
    /// The kind every question of the group was declined as; `None` for
    /// unsure answers, "did you mean" and lines logged before kinds.
    pub decline: Option<DeclineKind>,
}

struct Forming<'a> {
    decline: Option<DeclineKind>,
    words: BTreeSet<String>,
    members: Vec<&'a Unmatched>,
}

/// The words a question is matched on: typos corrected, informal spellings
/// rewritten, stop words dropped, exactly as the matcher reads them.
fn key_words(matcher: &Matcher, entry: &Unmatched) -> BTreeSet<String> {
    matcher
        .explain(&entry.text, entry_lang(entry))
        .words
        .into_iter()
        .map(|w| w.word)
        .collect()
}

fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

/// Groups `entries` by decline kind, then by the overlap of their words,
/// largest group first.
pub fn group_unmatched(matcher: &Matcher, entries: &[Unmatched]) -> Vec<Group> {
    let mut groups: Vec<Forming> = Vec::new();
    for entry in entries {
        let words = key_words(matcher, entry);
        match groups
            .iter_mut()
            .find(|g| g.decline == entry.decline && overlap(&g.words, &words) >= SAME_GROUP_OVERLAP)
        {
            Some(group) => group.members.push(entry),
            None => groups.push(Forming {
                decline: entry.decline,
                words,
                members: vec![entry],
            }),
        }
    }
    let mut groups: Vec<Group> = groups.into_iter().map(summarize).collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.size));
    groups
}

fn summarize(group: Forming) -> Group {
    let mut texts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut candidates: BTreeMap<&str, usize> = BTreeMap::new();
    for member in &group.members {
        *texts.entry(member.text.trim()).or_default() += 1;
        if let Some(candidate) = &member.candidate {
            *candidates.entry(candidate).or_default() += 1;
        }
    }
    let closest_intent = most_frequent(&candidates).map(str::to_owned);
    let confidences: Vec<f32> = group
        .members
        .iter()
        .filter(|m| m.candidate.as_deref() == closest_intent.as_deref())
        .map(|m| m.confidence)
        .collect();
    let mut examples: Vec<(&str, usize)> = texts.into_iter().collect();
    examples.sort_by_key(|e| std::cmp::Reverse(e.1));
    Group {
        size: group.members.len(),
        examples: examples
            .into_iter()
            .take(EXAMPLES_PER_GROUP)
            .map(|(text, _)| text.to_owned())
            .collect(),
        closest_intent,
        confidence: confidences.iter().sum::<f32>() / confidences.len().max(1) as f32,
        decline: group.decline,
    }
}

fn most_frequent<'a>(counts: &BTreeMap<&'a str, usize>) -> Option<&'a str> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(key, _)| *key)
}

/// One line per rated intent: "👍 12  👎 3  duties".
pub fn helpfulness_lines(ratings: &[Helpfulness]) -> String {
    if ratings.is_empty() {
        return "  (no votes yet)\n".to_owned();
    }
    ratings
        .iter()
        .map(|r| {
            format!(
                "  👍 {:<4} 👎 {:<4} {}\n",
                r.helpful, r.not_helpful, r.intent
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intents::IntentSet;
    use crate::lexicon::Lexicon;

    fn entry(text: &str, decline: Option<DeclineKind>) -> Unmatched {
        let json = format!(
            r#"{{"time":"2026-12-01T08:00:00Z","text":"{text}","lang":"en","candidate":null,"confidence":0.1}}"#
        );
        // Lines logged before decline kinds read back with none.
        let older: Unmatched = serde_json::from_str(&json).unwrap();
        assert_eq!(older.decline, None);
        Unmatched { decline, ..older }
    }

    #[test]
    fn groups_each_kind_of_decline_apart() {
        let matcher = Matcher::new(&IntentSet::new(Vec::new(), Lexicon::default()));
        let medical = Some(DeclineKind::Medical);
        let entries = [
            entry("is my scan bad", medical),
            entry("is my scan bad", None),
            entry("my scan is bad", medical),
        ];
        let groups = group_unmatched(&matcher, &entries);
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert_eq!((groups[0].size, groups[0].decline), (2, medical));
        assert_eq!((groups[1].size, groups[1].decline), (1, None));
    }
}
