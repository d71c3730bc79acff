//! The matcher without its indexes: each typo compared with every known
//! word, every pattern scanned for each question, as a straightforward
//! strsim bot would. It exists as the baseline for the benchmarks and the
//! tests: the indexed matcher must give exactly its answers, only faster.

use super::index::{count_owner, Postings, TermId, TermIndex};
use super::vocabulary::{closest, edits_allowed_for, Correction, Vocabulary};
use super::{Analysis, IntentScore, Match, Matcher};
use crate::lang::Lang;

/// [`Matcher::classify`], by brute force.
pub fn classify_exhaustively(matcher: &Matcher, question: &str, default_lang: Lang) -> Match {
    let analysis = analyze_exhaustively(matcher, question, default_lang);
    let ranked = rank_exhaustively(matcher, &analysis);
    matcher.decide(&analysis, ranked)
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
            let (patterns, intents) = scan_every_pattern(&matcher.index, &question.term_ids());
            let found = Postings {
                patterns: patterns.iter().map(Vec::as_slice).collect(),
                intents: intents.iter().map(Vec::as_slice).collect(),
            };
            let mut scores = matcher.score(&question, &found);
            scores.sort_by(super::rank_order);
            scores
        }
        None => Vec::new(),
    }
}

fn correct_by_scanning<'v>(vocabulary: &'v Vocabulary, typed: &str) -> Option<Correction<'v>> {
    closest(typed, edits_allowed_for(typed)?, vocabulary.words())
}

/// Per term: the patterns that use it, and the intents whose patterns do
/// with how many of them, found by reading every pattern's terms.
type ScannedPostings = (Vec<Vec<u32>>, Vec<Vec<(u32, u32)>>);

/// Where `terms` occur, found by reading every pattern's terms.
fn scan_every_pattern(index: &TermIndex, terms: &[TermId]) -> ScannedPostings {
    let mut patterns = vec![Vec::new(); terms.len()];
    let mut intents: Vec<Vec<(u32, u32)>> = vec![Vec::new(); terms.len()];
    for (id, pattern) in (0..).zip(&index.patterns) {
        for (position, term) in terms.iter().enumerate() {
            if !pattern.terms.contains(term) {
                continue;
            }
            patterns[position].push(id);
            count_owner(&mut intents[position], pattern.intent);
        }
    }
    (patterns, intents)
}
