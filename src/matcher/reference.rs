//! The matcher without its indexes: each typo compared with every known
//! word, every pattern scanned for each question, as a straightforward
//! strsim bot would. It exists as the baseline for the benchmarks and the
//! tests: the indexed matcher must give exactly its answers, only faster.

use super::index::{Occurrences, TermId, TermIndex};
use super::vocabulary::{closest, edits_allowed_for, Correction, Vocabulary};
use super::{Analysis, IntentScore, Match, Matcher};
use crate::lang::Lang;

/// [`Matcher::classify`], by brute force.
pub fn classify_exhaustively(matcher: &Matcher, question: &str, default_lang: Lang) -> Match {
    let analysis = analyze_exhaustively(matcher, question, default_lang);
    let ranked = rank_exhaustively(matcher, &analysis);
    matcher.decide(&analysis, &ranked)
}

/// [`Matcher::analyze`], correcting typos by scanning every known word.
pub fn analyze_exhaustively(matcher: &Matcher, question: &str, default_lang: Lang) -> Analysis {
    matcher.analyze_with(question, default_lang, |typed| {
        correct_by_scanning(&matcher.vocabulary, typed)
    })
}

/// [`Matcher::rank`], scanning every pattern instead of the postings.
pub fn rank_exhaustively(matcher: &Matcher, analysis: &Analysis) -> Vec<IntentScore> {
    match matcher.weigh(analysis) {
        Some(question) => {
            let found = scan_every_pattern(&matcher.index, &question.term_ids());
            matcher.score(&question, &found)
        }
        None => Vec::new(),
    }
}

fn correct_by_scanning<'v>(vocabulary: &'v Vocabulary, typed: &str) -> Option<Correction<'v>> {
    closest(typed, edits_allowed_for(typed)?, vocabulary.words())
}

/// Where `terms` occur, found by reading every pattern's terms.
fn scan_every_pattern(index: &TermIndex, terms: &[TermId]) -> Occurrences {
    let mut found = Occurrences::default();
    // (intent, term position) -> how many of the intent's patterns use it.
    let mut counts = vec![0; index.intent_sizes().len() * terms.len()];
    for (id, pattern) in (0..).zip(&index.patterns) {
        for (position, term) in (0..).zip(terms) {
            if pattern.terms.contains(term) {
                found.in_patterns.push((id, position));
                counts[pattern.intent * terms.len() + position as usize] += 1;
            }
        }
    }
    for (slot, &count) in counts.iter().enumerate().filter(|&(_, &c)| c > 0) {
        let (intent, position) = (slot / terms.len(), slot % terms.len());
        found.in_intents.push((intent, position as u32, count));
    }
    found
}
