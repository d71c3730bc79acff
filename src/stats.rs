//! Counts since the bot started, for the admins' /stats: how many
//! questions were answered and declined (by kind of decline), which intents
//! students reach, and which questions the bot keeps declining. Reactions
//! ("ok", "👍") ask nothing, so they are counted apart, never as declines. In memory only: the durable
//! record of what was declined is the unmatched log.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use crate::intents::DeclineKind;
use crate::matcher::Match;

#[derive(Default)]
pub struct Stats {
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    answered: u64,
    declined: u64,
    declined_by_kind: BTreeMap<DeclineKind, u64>,
    reactions: u64,
    intents: HashMap<String, u64>,
    declined_questions: HashMap<String, u64>,
}

/// A snapshot of [`Stats`], with the top entries of each list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsSummary {
    pub answered: u64,
    /// Every question without an answer: the declines and the questions
    /// the bot asked about ("did you mean").
    pub declined: u64,
    /// The declines, by kind.
    pub declined_by_kind: BTreeMap<DeclineKind, u64>,
    pub reactions: u64,
    pub top_intents: Vec<(String, u64)>,
    pub top_declined: Vec<(String, u64)>,
}

/// Distinct declined questions kept at most: a flood of unique junk must
/// not grow memory without bound.
const MAX_DECLINED_QUESTIONS: usize = 10_000;

impl Stats {
    pub fn record(&self, question: &str, found: &Match) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        match &found.intent {
            Some(intent) => {
                counts.answered += 1;
                *counts.intents.entry(intent.clone()).or_default() += 1;
            }
            None => {
                counts.declined += 1;
                if let Some(kind) = found.decision.decline() {
                    *counts.declined_by_kind.entry(kind).or_default() += 1;
                }
                let key = question.trim().to_lowercase();
                let known = counts.declined_questions.contains_key(&key);
                if known || counts.declined_questions.len() < MAX_DECLINED_QUESTIONS {
                    *counts.declined_questions.entry(key).or_default() += 1;
                }
            }
        }
    }

    /// Counts a reaction ("ok", "👍"): neither an answer nor a decline.
    pub fn record_reaction(&self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.reactions += 1;
    }

    pub fn summary(&self, top: usize) -> StatsSummary {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        StatsSummary {
            answered: counts.answered,
            declined: counts.declined,
            declined_by_kind: counts.declined_by_kind.clone(),
            reactions: counts.reactions,
            top_intents: top_of(&counts.intents, top),
            top_declined: top_of(&counts.declined_questions, top),
        }
    }
}

/// `text` cut to `max_chars` characters, with `…` when it was longer.
pub fn shortened(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The `top` largest counts, ties in name order so output is stable.
fn top_of(counts: &HashMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut entries: Vec<(String, u64)> = counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    entries.truncate(top);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Decision;

    fn found(intent: Option<&str>) -> Match {
        let decision = match intent {
            Some(_) => Decision::Answer,
            None => Decision::Decline(DeclineKind::OffTopic),
        };
        Match::for_test(decision, intent)
    }

    #[test]
    fn long_questions_are_shortened_on_a_character_boundary() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("ééééé", 3), "ééé…");
        assert_eq!(shortened(&"x".repeat(5000), 80).chars().count(), 81);
    }

    #[test]
    fn counts_answers_intents_and_declined_questions() {
        let stats = Stats::default();
        stats.record("q1", &found(Some("duties")));
        stats.record("q2", &found(Some("duties")));
        stats.record("q3", &found(Some("procedures")));
        stats.record("Salary? ", &found(None));
        stats.record("salary?", &found(None));
        stats.record("weather", &found(None));
        stats.record(
            "my scan?",
            &Match::for_test(Decision::Decline(DeclineKind::Medical), None),
        );
        stats.record_reaction();
        assert_eq!(
            stats.summary(1),
            StatsSummary {
                answered: 3,
                declined: 4,
                declined_by_kind: BTreeMap::from([
                    (DeclineKind::Medical, 1),
                    (DeclineKind::OffTopic, 3)
                ]),
                reactions: 1,
                top_intents: vec![("duties".into(), 2)],
                top_declined: vec![("salary?".into(), 2)],
            }
        );
    }
}
