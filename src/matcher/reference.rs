//! The matcher without its indexes: each typo compared with every known
//! word, every pattern scanned for each question, as a straightforward
//! strsim bot would. It exists as the baseline for the benchmarks and the
//! tests: the indexed matcher must give exactly its answers, only faster.

use super::index::{IndexedPattern, TermIndex};
use super::vocabulary::{closest, edits_allowed_for, Correction, Vocabulary};
use super::{rank_order, score, Analysis, IntentScore, Match, Matcher, WeighedQuestion};
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

/// What brute force finds of one intent for a question.
struct IntentTotals {
    intent: usize,
    /// The position of the first question term the intent uses: scoring by
    /// the index meets the intents in this order, and the softmax adds
    /// them up in it (but for broad terms, whose intents it sums in bulk).
    first_term: usize,
    hit: f32,
    log_likelihood: f32,
    best_fit: f32,
    best_pattern: u32,
}

/// [`Matcher::rank`], scoring every pattern of every intent instead of
/// reading postings.
pub fn rank_exhaustively(matcher: &Matcher, analysis: &Analysis) -> Vec<IntentScore> {
    let Some(question) = matcher.weigh(analysis) else {
        return Vec::new();
    };
    let evidence = evidence_of(&matcher.index, &question);
    let numbered: Vec<(u32, &IndexedPattern)> = (0..).zip(&matcher.index.patterns).collect();
    let mut totals: Vec<IntentTotals> = numbered
        .chunk_by(|a, b| a.1.intent == b.1.intent)
        .filter_map(|patterns| intent_totals(matcher, &question, &evidence, patterns))
        .collect();
    totals.sort_by_key(|t| (t.first_term, t.intent));
    let log_likelihoods: Vec<(usize, f32)> = totals
        .iter()
        .map(|t| (t.intent, t.log_likelihood))
        .collect();
    let probabilities = matcher
        .word_model
        .softmax(question.terms.len(), &log_likelihoods, &[]);
    let (softmax, weights) = (probabilities.softmax, probabilities.weights);
    let mut scores: Vec<IntentScore> = totals
        .into_iter()
        .zip(weights)
        .map(|(t, weight)| IntentScore {
            intent: t.intent,
            score: score::intent_score(t.best_fit, t.hit / question.weight, softmax.share(weight)),
            best_pattern: t.best_pattern as usize,
        })
        .collect();
    scores.sort_by(rank_order);
    scores
}

/// One intent's totals from all its `patterns`, given each question term's
/// `evidence`; `None` when it shares no term with the question.
fn intent_totals(
    matcher: &Matcher,
    question: &WeighedQuestion,
    evidence: &[f32],
    patterns: &[(u32, &IndexedPattern)],
) -> Option<IntentTotals> {
    let intent = patterns[0].1.intent;
    let model = &matcher.word_model;
    let mut first_term = None;
    let mut hit = 0.0;
    let mut log_likelihood = model.prior(intent, question.terms.len());
    for (position, (&(term, similarity), &evidence)) in
        question.terms.iter().zip(evidence).enumerate()
    {
        let count = patterns
            .iter()
            .filter(|(_, p)| p.terms.contains(&term))
            .count();
        if count > 0 {
            first_term.get_or_insert(position);
            hit += evidence;
            log_likelihood += model.gain(count as u32, similarity);
        }
    }
    let (best_fit, best_pattern) = best_pattern(&matcher.index, question, evidence, patterns)?;
    Some(IntentTotals {
        intent,
        first_term: first_term?,
        hit,
        log_likelihood,
        best_fit,
        best_pattern,
    })
}

/// Each question term's weight times the similarity it was typed with.
fn evidence_of(index: &TermIndex, question: &WeighedQuestion) -> Vec<f32> {
    question
        .terms
        .iter()
        .map(|&(term, similarity)| index.weight(term) * similarity)
        .collect()
}

/// Of an intent's `patterns`, the one that fits the question best (the
/// first of equals), with its fit; `None` when none shares a term with it.
fn best_pattern(
    index: &TermIndex,
    question: &WeighedQuestion,
    evidence: &[f32],
    patterns: &[(u32, &IndexedPattern)],
) -> Option<(f32, u32)> {
    let mut best: Option<(f32, u32)> = None;
    for &(id, pattern) in patterns {
        // The sparse terms' evidence first, then the dense ones', as the
        // index adds them.
        let shared = |dense: bool| {
            let terms = question.terms.iter().zip(evidence);
            terms.filter(move |((term, _), _)| {
                index.dense_bit(*term).is_some() == dense && pattern.terms.contains(term)
            })
        };
        let hit = shared(false)
            .chain(shared(true))
            .fold(0.0, |hit, (_, &evidence)| hit + evidence);
        if hit == 0.0 {
            continue;
        }
        let fit = score::f_measure(hit, question.weight, index.shape(id).weight);
        if best.is_none_or(|(best_fit, _)| fit > best_fit) {
            best = Some((fit, id));
        }
    }
    best
}

fn correct_by_scanning<'v>(vocabulary: &'v Vocabulary, typed: &str) -> Option<Correction<'v>> {
    closest(typed, edits_allowed_for(typed)?, vocabulary.words())
}
